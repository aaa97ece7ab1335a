package engine

import (
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// maxSGsPerENI is AWS's default quota of security groups per interface.
const maxSGsPerENI = 5

// allocPrivateIP returns a free address of the subnet: want when given (it
// must be inside the subnet, not reserved and not in use), else the lowest
// free address (or a random free one with Config.RandomPrivateIPs). AWS
// reserves the first four addresses and the last one of every subnet.
func (t *txn) allocPrivateIP(s *model.Subnet, want netip.Addr) (netip.Addr, error) {
	if s.IPv6Native {
		// UNVERIFIED text: an IPv6-only subnet has no IPv4 range to take
		// an address from (configure-subnets.md, "IPv6-only subnets").
		return netip.Addr{}, errInvalidParameterValue("The subnet %s is an IPv6-only subnet: it has no private IPv4 addresses.", s.ID)
	}
	used := t.e.idx.privateIPs
	if want.IsValid() {
		if !s.CIDR.Contains(want) {
			return netip.Addr{}, errInvalidParameterValue("Address %s does not fall within the subnet's address range", want)
		}
		if s.Reserved(want) {
			return netip.Addr{}, errInvalidParameterValue("Address %s is in subnet's reserved address range", want)
		}
		if _, taken := used[vpcAddr{s.VpcID, want}]; taken {
			return netip.Addr{}, apierr.Newf("InvalidIPAddress.InUse", "Address %s is in use.", want)
		}
		return want, nil
	}
	first := s.CIDR.Masked().Addr()
	for range 4 {
		first = first.Next()
	}
	last := model.LastAddr(s.CIDR)
	size := addrDistance(first, last)
	if t.e.cfg.RandomPrivateIPs && size > 0 {
		start := uint32(t.e.ids.Uint64() % uint64(size))
		for i := uint32(0); i < size; i++ {
			a := addrAdd(first, (start+i)%size)
			if _, taken := used[vpcAddr{s.VpcID, a}]; !taken && !s.InReservation(a) {
				return a, nil
			}
		}
	} else if len(s.CIDRReservations) > 0 {
		// Reserved ranges are skipped; the cursor below does not know
		// them, so scan the whole subnet.
		for a := first; addrUint(a) < addrUint(last); a = a.Next() {
			if _, taken := used[vpcAddr{s.VpcID, a}]; !taken && !s.InReservation(a) {
				return a, nil
			}
		}
	} else {
		// Every address below ipFrom is in use: scan from there. The
		// cursor only moves up to the address handed out (which may yet
		// go unused), and removeENI moves it down when one is freed.
		from := first
		if f, ok := t.e.idx.ipFrom[s.ID]; ok && first.Less(f) {
			from = f
		}
		for a := from; addrUint(a) < addrUint(last); a = a.Next() {
			if _, taken := used[vpcAddr{s.VpcID, a}]; !taken {
				t.e.idx.ipFrom[s.ID] = a
				return a, nil
			}
		}
		t.e.idx.ipFrom[s.ID] = last
	}
	return netip.Addr{}, apierr.Newf("InsufficientFreeAddressesInSubnet", "There are not enough free addresses in subnet '%s' to satisfy the requested number of instances.", s.ID)
}

// addrDistance returns b - a for IPv4 addresses a <= b.
func addrDistance(a, b netip.Addr) uint32 { return addrUint(b) - addrUint(a) }

func addrUint(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func addrAdd(a netip.Addr, n uint32) netip.Addr {
	v := addrUint(a) + n
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// allocPublicIP returns a free public address: want when given, else one
// from the configured pool.
func (t *txn) allocPublicIP(want netip.Addr) (netip.Addr, error) {
	used := t.e.idx.publicIPs
	if want.IsValid() {
		if !want.Is4() || want.IsPrivate() || want.IsLoopback() || want.IsUnspecified() {
			return netip.Addr{}, errInvalidParameterValue("Address %s is not a valid public IPv4 address", want)
		}
		if _, taken := used[want]; taken {
			return netip.Addr{}, apierr.Newf("InvalidIPAddress.InUse", "Address %s is in use.", want)
		}
		return want, nil
	}
	pool := t.e.cfg.PublicIPPool
	p := pool[t.e.ids.Uint64()%uint64(len(pool))]
	size := addrDistance(p.Masked().Addr(), model.LastAddr(p)) + 1
	start := uint32(t.e.ids.Uint64() % uint64(size))
	for i := uint32(0); i < size; i++ {
		a := addrAdd(p.Masked().Addr(), (start+i)%size)
		b := a.As4()
		if b[3] == 0 || b[3] == 255 {
			continue
		}
		if _, taken := used[a]; !taken {
			return a, nil
		}
	}
	return netip.Addr{}, apierr.New("AddressLimitExceeded", "The maximum number of addresses has been reached.")
}

// eniSpec is what a new ENI needs.
type eniSpec struct {
	subnet      *model.Subnet
	privateIP   netip.Addr
	groups      []model.SecurityGroupID
	description string
	typ         model.InterfaceType
	ownerKind   model.ENIOwnerKind
	managedBy   string
	requester   string // set for requester-managed ENIs
	publicIP    bool
	fixedPublic netip.Addr
	attachment  *model.ENIAttachment
	tags        model.Tags
	// ipv6Count and ipv6 ask for IPv6 addresses; autoIPv6 gives one when
	// the subnet has AssignIpv6AddressOnCreation and neither is set.
	ipv6Count int
	ipv6      []netip.Addr
	autoIPv6  bool
}

// checkGroups validates security groups for an ENI in vpc; none means the
// VPC's default group.
func (t *txn) checkGroups(vpc model.VpcID, groups []model.SecurityGroupID) ([]model.SecurityGroupID, error) {
	if len(groups) == 0 {
		return []model.SecurityGroupID{t.st.VPCs[vpc].DefaultSecurityGroup}, nil
	}
	if len(groups) > maxSGsPerENI {
		return nil, apierr.New("SecurityGroupsPerInterfaceLimitExceeded", "The maximum number of security groups per interface has been reached.")
	}
	out := make([]model.SecurityGroupID, 0, len(groups))
	for _, g := range groups {
		sg, err := t.securityGroup(g) // a value that is not sg-… is malformed, not unknown
		if err != nil {
			return nil, err
		}
		if sg.VpcID != vpc {
			return nil, apierr.Newf("InvalidParameter", "Security group %s and subnet belong to different networks.", g)
		}
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out, nil
}

// newENI creates and stores an ENI.
func (t *txn) newENI(s eniSpec) (*model.NetworkInterface, error) {
	groups, err := t.checkGroups(s.subnet.VpcID, s.groups)
	if err != nil {
		return nil, err
	}
	// An interface in an IPv6-only subnet has no private IPv4 address and
	// always at least one IPv6 address (configure-subnets.md).
	var private []model.PrivateIP
	if !s.subnet.IPv6Native || s.privateIP.IsValid() || s.publicIP || s.fixedPublic.IsValid() {
		ip, err := t.allocPrivateIP(s.subnet, s.privateIP)
		if err != nil {
			return nil, err
		}
		private = []model.PrivateIP{{Addr: ip, Primary: true}}
	}
	count := s.ipv6Count
	if count == 0 && len(s.ipv6) == 0 && (s.subnet.IPv6Native || s.autoIPv6 && s.subnet.AssignIPv6AddressOnCreation) {
		count = 1
	}
	v6, err := t.allocIPv6(s.subnet, count, s.ipv6)
	if err != nil {
		return nil, err
	}
	typ := s.typ
	if typ == "" {
		typ = model.InterfaceNormal
	}
	n := &model.NetworkInterface{
		ID:               model.NetworkInterfaceID(t.newID("eni")),
		SubnetID:         s.subnet.ID,
		VpcID:            s.subnet.VpcID,
		AvailabilityZone: s.subnet.AvailabilityZone,
		Description:      s.description,
		Type:             typ,
		MAC:              t.mac(),
		PrivateIPs:       private,
		IPv6:             v6,
		SecurityGroups:   groups,
		SourceDestCheck:  true,
		Attachment:       s.attachment,
		RequesterManaged: s.requester != "",
		RequesterID:      s.requester,
		OwnerID:          t.e.cfg.Account,
		OwnerKind:        s.ownerKind,
		ManagedBy:        s.managedBy,
		Tags:             s.tags.Clone(),
	}
	if s.publicIP || s.fixedPublic.IsValid() {
		pub, err := t.allocPublicIP(s.fixedPublic)
		if err != nil {
			return nil, err
		}
		n.PrivateIPs[0].PublicIP = &model.PublicIPAssociation{PublicIP: pub, IPOwnerID: "amazon"}
	}
	t.putENI(n)
	return n, nil
}

func cloneENI(n *model.NetworkInterface) *model.NetworkInterface {
	c := *n
	c.PrivateIPs = slices.Clone(n.PrivateIPs)
	c.IPv6 = slices.Clone(n.IPv6)
	c.SecurityGroups = slices.Clone(n.SecurityGroups)
	c.Permissions = slices.Clone(n.Permissions)
	if n.Attachment != nil {
		a := *n.Attachment
		c.Attachment = &a
	}
	return &c
}

func (t *txn) eni(id model.NetworkInterfaceID) (*model.NetworkInterface, error) {
	if err := checkID(string(id), "eni", "InvalidNetworkInterfaceID.Malformed"); err != nil {
		return nil, err
	}
	n := t.st.NetworkInterfaces[id]
	if n == nil {
		return nil, errENINotFound(id)
	}
	return n, nil
}

// CreateNetworkInterfaceInput is CreateNetworkInterface's input.
type CreateNetworkInterfaceInput struct {
	SubnetID       model.SubnetID
	PrivateIP      string
	SecurityGroups []model.SecurityGroupID
	Description    string
	Tags           model.Tags
	// IPv6Count or IPv6 ask for IPv6 addresses (Ipv6AddressCount,
	// Ipv6Addresses); neither: the subnet's AssignIpv6AddressOnCreation.
	IPv6Count int
	IPv6      []string
	// SecondaryIPs and SecondaryCount ask for secondary private IPv4
	// addresses (PrivateIpAddresses beside the primary one,
	// SecondaryPrivateIpAddressCount).
	SecondaryIPs   []string
	SecondaryCount int
}

// CreateNetworkInterface creates a detached ENI in a subnet, with its
// secondary private IPv4 addresses if asked.
func (e *Engine) CreateNetworkInterface(in CreateNetworkInterfaceInput) (*model.NetworkInterface, error) {
	var want netip.Addr
	if in.PrivateIP != "" {
		a, err := netip.ParseAddr(in.PrivateIP)
		if err != nil || !a.Is4() {
			return nil, errInvalidParameterValue("Value (%s) for parameter privateIpAddress is invalid. Not a valid IPv4 address.", in.PrivateIP)
		}
		want = a
	}
	v6, err := parseIPv6Addrs("ipv6Addresses", in.IPv6)
	if err != nil {
		return nil, err
	}
	secondary, err := parsePrivateIPs(in.SecondaryIPs)
	if err != nil {
		return nil, err
	}
	if in.SecondaryCount < 0 {
		return nil, errInvalidParameterValue("Invalid value '%d' for secondaryPrivateIpAddressCount.", in.SecondaryCount)
	}
	var out *model.NetworkInterface
	err = e.write(func(t *txn) error {
		s, err := t.subnet(in.SubnetID)
		if err != nil {
			return err
		}
		if 1+len(secondary)+in.SecondaryCount > maxPrivateIPsPerENI {
			return apierr.New("PrivateIpAddressLimitExceeded", "Number of private addresses will exceed limit.")
		}
		if out, err = t.newENI(eniSpec{subnet: s, privateIP: want, groups: in.SecurityGroups, description: in.Description, tags: in.Tags,
			ipv6Count: in.IPv6Count, ipv6: v6, autoIPv6: true}); err != nil {
			return err
		}
		if len(secondary) > 0 || in.SecondaryCount > 0 {
			out, _, err = t.assignPrivateIPs(out, s, secondary, in.SecondaryCount, false)
		}
		return err
	})
	return out, err
}

// parsePrivateIPs parses PrivateIpAddresses: IPv4 addresses only.
func parsePrivateIPs(addrs []string) ([]netip.Addr, error) {
	out := make([]netip.Addr, 0, len(addrs))
	for _, s := range addrs {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return nil, errInvalidParameterValue("Value (%s) for parameter privateIpAddresses is invalid. Not a valid IPv4 address.", s)
		}
		out = append(out, a)
	}
	return out, nil
}

// DeleteNetworkInterface deletes a detached ENI the account manages.
func (e *Engine) DeleteNetworkInterface(id model.NetworkInterfaceID) error {
	return e.write(func(t *txn) error {
		n, err := t.eni(id)
		if err != nil {
			return err
		}
		if n.Status() == "in-use" {
			return errInvalidParameterValue("Network interface '%s' is currently in use.", id)
		}
		for _, p := range n.PrivateIPs {
			if p.PublicIP != nil && p.PublicIP.AllocationID != "" {
				t.unlinkAddress(p.PublicIP.AllocationID)
			}
		}
		t.deleteENI(id)
		return nil
	})
}

// AttachNetworkInterface attaches an ENI to an instance in the same zone at
// a free device index, within the instance type's ENI limit.
func (e *Engine) AttachNetworkInterface(id model.NetworkInterfaceID, instance model.InstanceID, deviceIndex int) (model.ENIAttachmentID, error) {
	var out model.ENIAttachmentID
	err := e.write(func(t *txn) error {
		n, err := t.eni(id)
		if err != nil {
			return err
		}
		inst, err := t.instance(instance)
		if err != nil {
			return err
		}
		if n.Attachment != nil || n.Status() == "in-use" {
			return apierr.Newf("InvalidNetworkInterface.InUse", "Interface: [%s] in use.", id)
		}
		if inst.State != model.InstanceRunning && inst.State != model.InstanceStopped && inst.State != model.InstancePending {
			return apierr.Newf("IncorrectInstanceState", "The instance '%s' is not in a valid state for this operation.", instance)
		}
		if n.AvailabilityZone != inst.AvailabilityZone {
			return apierr.New("InvalidParameterCombination", "You may not attach a network interface to an instance if they are not in the same availability zone")
		}
		if deviceIndex < 0 {
			return errInvalidParameterValue("Value (%d) for parameter deviceIndex is invalid.", deviceIndex)
		}
		attached := t.instanceENIs(instance)
		for _, a := range attached {
			if a.Attachment.DeviceIndex == deviceIndex {
				return errInvalidParameterValue("Instance '%s' already has an interface attached at device index '%d'.", instance, deviceIndex)
			}
		}
		if it, ok := model.LookupInstanceType(inst.Type); ok && len(attached)+1 > it.MaxENIs {
			return apierr.Newf("AttachmentLimitExceeded", "Interface count %d exceeds the limit for %s", len(attached)+1, inst.Type)
		}
		c := cloneENI(n)
		out = model.ENIAttachmentID(t.newID("eni-attach"))
		c.Attachment = &model.ENIAttachment{ID: out, InstanceID: instance, InstanceOwnerID: t.e.cfg.Account, DeviceIndex: deviceIndex, Status: "attached", AttachedAt: t.now}
		t.putENI(c)
		return nil
	})
	return out, err
}

// DetachNetworkInterface detaches an ENI. The primary interface (device
// index 0) and interfaces another service manages cannot be detached.
func (e *Engine) DetachNetworkInterface(attachment model.ENIAttachmentID) error {
	return e.write(func(t *txn) error {
		n := t.st.NetworkInterfaces[t.e.idx.attachments[attachment]]
		if n == nil {
			return apierr.Newf("InvalidAttachmentID.NotFound", "Interface does not have an attachment with id '%s'", attachment)
		}
		if n.RequesterManaged || n.OwnerKind == model.OwnedByECSTask || n.OwnerKind == model.OwnedByECSTrunk {
			return errOperationNotPermitted("You are not allowed to manage 'ela-attach' attachments.")
		}
		if n.Attachment.DeviceIndex == 0 {
			return errOperationNotPermitted("The network interface at device index 0 and networkCard index 0 cannot be detached.")
		}
		c := cloneENI(n)
		c.Attachment = nil
		t.putENI(c)
		return nil
	})
}

// ModifyNetworkInterfaceInput changes an ENI's security groups or
// source/destination check.
type ModifyNetworkInterfaceInput struct {
	ID              model.NetworkInterfaceID
	SecurityGroups  []model.SecurityGroupID
	SourceDestCheck *bool
	Description     *string
	// AttachmentID and DeleteOnTermination change the interface's
	// attachment (Attachment: the attachment's id and its new setting).
	AttachmentID        string
	DeleteOnTermination *bool
}

// ModifyNetworkInterfaceAttribute changes an ENI the account manages. ENIs
// managed by ECS, ELB or a NAT gateway are refused (AWS: "can't be modified
// by your account").
func (e *Engine) ModifyNetworkInterfaceAttribute(in ModifyNetworkInterfaceInput) error {
	return e.write(func(t *txn) error {
		n, err := t.eni(in.ID)
		if err != nil {
			return err
		}
		if n.RequesterManaged || (n.OwnerKind != model.OwnedByUser && n.OwnerKind != model.OwnedByInstance) {
			return apierr.New("UnauthorizedOperation", "You are not authorized to perform this operation.")
		}
		c := cloneENI(n)
		if in.SecurityGroups != nil {
			if len(in.SecurityGroups) == 0 {
				return errMissingParameter("groupId")
			}
			g, err := t.checkGroups(n.VpcID, in.SecurityGroups)
			if err != nil {
				return err
			}
			c.SecurityGroups = g
		}
		if in.SourceDestCheck != nil {
			c.SourceDestCheck = *in.SourceDestCheck
		}
		if in.Description != nil {
			c.Description = *in.Description
		}
		if in.AttachmentID != "" || in.DeleteOnTermination != nil {
			if c.Attachment == nil || string(c.Attachment.ID) != in.AttachmentID {
				return apierr.Newf("InvalidAttachmentID.NotFound", "Interface does not have an attachment with id '%s'", in.AttachmentID)
			}
			if in.DeleteOnTermination != nil {
				c.Attachment.DeleteOnTermination = *in.DeleteOnTermination
			}
		}
		t.putENI(c)
		return nil
	})
}

// AllocateAddress allocates an Elastic IP address (want, when given, must
// be a free public address; scenario files use it to pin addresses).
func (e *Engine) AllocateAddress(want netip.Addr, tags model.Tags) (*model.Address, error) {
	var out *model.Address
	err := e.write(func(t *txn) error {
		var err error
		out, err = t.allocateAddress(want, tags)
		return err
	})
	return out, err
}

func (t *txn) allocateAddress(want netip.Addr, tags model.Tags) (*model.Address, error) {
	ip, err := t.allocPublicIP(want)
	if err != nil {
		return nil, err
	}
	a := &model.Address{AllocationID: model.AllocationID(t.newID("eipalloc")), PublicIP: ip, Domain: "vpc", Tags: tags.Clone()}
	t.putAddress(a)
	return a, nil
}

func (t *txn) address(id model.AllocationID) (*model.Address, error) {
	if err := checkID(string(id), "eipalloc", "InvalidAllocationID.Malformed"); err != nil {
		return nil, err
	}
	a := t.st.Addresses[id]
	if a == nil {
		return nil, errAllocationNotFound(id)
	}
	return a, nil
}

// AssociateAddressInput is AssociateAddress's input: an allocation and an
// instance or a network interface (and optionally its private address).
type AssociateAddressInput struct {
	AllocationID       model.AllocationID
	InstanceID         model.InstanceID
	NetworkInterfaceID model.NetworkInterfaceID
	PrivateIP          string
	// AllowReassociation false refuses an address mapped to another
	// resource; AWS reassociates by default, so callers pass true unless
	// the request says false.
	AllowReassociation bool
}

// AssociateAddress maps an Elastic IP to a private address of an ENI. An
// instance with more than one ENI must be named by its interface, and the
// VPC needs an internet gateway.
func (e *Engine) AssociateAddress(in AssociateAddressInput) (model.EIPAssociationID, error) {
	var out model.EIPAssociationID
	err := e.write(func(t *txn) error {
		a, err := t.address(in.AllocationID)
		if err != nil {
			return err
		}
		var n *model.NetworkInterface
		switch {
		case in.NetworkInterfaceID != "":
			if n, err = t.eni(in.NetworkInterfaceID); err != nil {
				return err
			}
		case in.InstanceID != "":
			inst, err := t.instance(in.InstanceID)
			if err != nil {
				return err
			}
			enis := t.instanceENIs(inst.ID)
			if len(enis) != 1 {
				return apierr.Newf("InvalidInstanceID", "There are multiple interfaces attached to instance '%s'. Please specify an interface ID for the operation instead.", inst.ID)
			}
			n = enis[0]
		default:
			return errMissingParameter("instanceId")
		}
		if n.RequesterManaged || (n.OwnerKind != model.OwnedByUser && n.OwnerKind != model.OwnedByInstance) {
			return apierr.New("UnauthorizedOperation", "You are not authorized to perform this operation.")
		}
		if t.st.VpcInternetGateway(n.VpcID) == nil {
			return apierr.Newf("Gateway.NotAttached", "Network %s is not attached to any internet gateway", n.VpcID)
		}
		priv := n.PrimaryIP()
		if len(n.PrivateIPs) == 0 {
			// An Elastic IP maps to a private IPv4 address; an interface of an
			// IPv6-only subnet has none. UNVERIFIED text.
			return errInvalidParameterValue("Network interface %s has no private IPv4 address to associate the Elastic IP address with.", n.ID)
		}
		if in.PrivateIP != "" {
			p, err := netip.ParseAddr(in.PrivateIP)
			if err != nil || !n.HasAddr(p) {
				return errInvalidParameterValue("The specified private IP address %s is not assigned to network interface %s", in.PrivateIP, n.ID)
			}
			priv = p
		}
		if a.AssociationID != "" {
			if a.NetworkInterfaceID == n.ID && a.PrivateIP == priv {
				// The same mapping again: AssociateAddress "is an idempotent
				// operation … Amazon EC2 doesn't return an error" (even with
				// AllowReassociation false, which refuses only "another
				// resource"). The association stays as it is ([choice]).
				out = a.AssociationID
				return nil
			}
			if !in.AllowReassociation {
				return apierr.Newf("Resource.AlreadyAssociated", "resource %s is already associated with associate-id %s", a.AllocationID, a.AssociationID)
			}
			t.unlinkAddress(a.AllocationID)
			a = t.st.Addresses[a.AllocationID]
			n = t.st.NetworkInterfaces[n.ID]
		}
		c := cloneENI(n)
		for i := range c.PrivateIPs {
			if c.PrivateIPs[i].Addr == priv {
				if old := c.PrivateIPs[i].PublicIP; old != nil && old.AllocationID != "" {
					t.putENI(c)
					t.unlinkAddress(old.AllocationID)
					c = cloneENI(t.st.NetworkInterfaces[n.ID])
				}
				out = model.EIPAssociationID(t.newID("eipassoc"))
				c.PrivateIPs[i].PublicIP = &model.PublicIPAssociation{PublicIP: a.PublicIP, AllocationID: a.AllocationID, AssociationID: out, IPOwnerID: t.e.cfg.Account}
			}
		}
		t.putENI(c)
		na := *a
		na.AssociationID, na.NetworkInterfaceID, na.PrivateIP = out, n.ID, priv
		na.InstanceID = ""
		if n.Attachment != nil {
			na.InstanceID = n.Attachment.InstanceID
		}
		t.putAddress(&na)
		return nil
	})
	return out, err
}

// unlinkAddress removes an Elastic IP's association from its ENI.
func (t *txn) unlinkAddress(id model.AllocationID) {
	a := t.st.Addresses[id]
	if a == nil || a.AssociationID == "" {
		return
	}
	if n := t.st.NetworkInterfaces[a.NetworkInterfaceID]; n != nil {
		c := cloneENI(n)
		for i := range c.PrivateIPs {
			if p := c.PrivateIPs[i].PublicIP; p != nil && p.AllocationID == id {
				c.PrivateIPs[i].PublicIP = nil
			}
		}
		t.putENI(c)
	}
	na := *a
	na.AssociationID, na.NetworkInterfaceID, na.PrivateIP, na.InstanceID = "", "", netip.Addr{}, ""
	t.putAddress(&na)
}

// DisassociateAddress removes an Elastic IP association. An instance whose
// only interface loses its Elastic IP gets a new public IP when its subnet
// maps them on launch; with more than one interface it gets none (AWS).
func (e *Engine) DisassociateAddress(assoc model.EIPAssociationID) error {
	return e.write(func(t *txn) error {
		var a *model.Address
		for _, x := range t.st.Addresses {
			if x.AssociationID == assoc {
				a = x
			}
		}
		if a == nil {
			return errAssociationNotFound(string(assoc))
		}
		eni := a.NetworkInterfaceID
		t.unlinkAddress(a.AllocationID)
		n := t.st.NetworkInterfaces[eni]
		if n == nil || n.Attachment == nil || n.OwnerKind != model.OwnedByInstance {
			return nil
		}
		if len(t.instanceENIs(n.Attachment.InstanceID)) == 1 && t.st.Subnets[n.SubnetID].MapPublicIPOnLaunch && len(n.PrivateIPs) > 0 {
			pub, err := t.allocPublicIP(netip.Addr{})
			if err != nil {
				return err
			}
			c := cloneENI(n)
			c.PrivateIPs[0].PublicIP = &model.PublicIPAssociation{PublicIP: pub, IPOwnerID: "amazon"}
			t.putENI(c)
		}
		return nil
	})
}

// ReleaseAddress releases an Elastic IP that is not associated.
func (e *Engine) ReleaseAddress(id model.AllocationID) error {
	return e.write(func(t *txn) error {
		a, err := t.address(id)
		if err != nil {
			return err
		}
		if a.AssociationID != "" {
			return apierr.Newf("InvalidIPAddress.InUse", "Address %s is in use.", a.PublicIP)
		}
		for _, n := range t.st.NatGateways {
			if n.AllocationID == id && n.State != "deleted" && n.State != "failed" {
				return apierr.Newf("InvalidIPAddress.InUse", "Address %s is in use.", a.PublicIP)
			}
		}
		if t.natZoneHoldsAllocation(id) {
			return apierr.Newf("InvalidIPAddress.InUse", "Address %s is in use.", a.PublicIP)
		}
		t.deleteAddress(id)
		return nil
	})
}

// CreateNatGatewayInput is CreateNatGateway's input.
type CreateNatGatewayInput struct {
	SubnetID         model.SubnetID
	AllocationID     model.AllocationID
	ConnectivityType string // "public" (default) or "private"
	PrivateIP        string
	// Secondary asks for secondary addresses (SecondaryAllocationIds,
	// SecondaryPrivateIpAddresses, SecondaryPrivateIpAddressCount).
	Secondary NatSecondaryAddresses
	Tags      model.Tags
	// AvailabilityMode "regional" makes a regional NAT gateway of VpcID
	// (no SubnetID), serving Zones (AvailabilityZoneAddresses) or, with
	// none, every zone of the VPC's subnets (ec2_nat_regional.go).
	AvailabilityMode string
	VpcID            model.VpcID
	Zones            []NatZoneRequest
}

// CreateNatGateway creates a NAT gateway with its own ENI in the subnet. A
// public one takes an Elastic IP; if that address is already associated the
// gateway is created in state "failed", as AWS does.
func (e *Engine) CreateNatGateway(in CreateNatGatewayInput) (*model.NatGateway, error) {
	if in.AvailabilityMode == "regional" {
		if in.ConnectivityType == "private" {
			return nil, apierr.New("InvalidParameterCombination", "A regional NAT gateway supports public connectivity only.") // text [probable]
		}
		var out *model.NatGateway
		err := e.write(func(t *txn) error {
			var err error
			out, err = t.createRegionalNat(in)
			return err
		})
		return out, err
	}
	conn := in.ConnectivityType
	if conn == "" {
		conn = "public"
	}
	if conn != "public" && conn != "private" {
		return nil, errInvalidParameterValue("Value (%s) for parameter connectivityType is invalid.", in.ConnectivityType)
	}
	if conn == "public" && in.AllocationID == "" {
		return nil, errMissingParameter("allocationId")
	}
	var want netip.Addr
	if in.PrivateIP != "" {
		a, err := netip.ParseAddr(in.PrivateIP)
		if err != nil {
			return nil, errInvalidParameterValue("Value (%s) for parameter privateIpAddress is invalid.", in.PrivateIP)
		}
		want = a
	}
	if err := in.Secondary.check(conn); err != nil {
		return nil, err
	}
	var out *model.NatGateway
	err := e.write(func(t *txn) error {
		s, err := t.subnet(in.SubnetID)
		if err != nil {
			return err
		}
		ng := &model.NatGateway{ID: model.NatGatewayID(t.newID("nat")), VpcID: s.VpcID, SubnetID: s.ID,
			ConnectivityType: conn, State: "pending", CreatedAt: t.now, Tags: in.Tags.Clone()}
		var eip *model.Address
		if conn == "public" {
			if eip, err = t.address(in.AllocationID); err != nil {
				return err
			}
			ng.AllocationID = eip.AllocationID
			inUse := eip.AssociationID != ""
			for _, other := range t.st.NatGateways {
				inUse = inUse || (other.AllocationID == eip.AllocationID && other.State != "deleted" && other.State != "failed")
			}
			if inUse {
				// AWS answers pending and fails the gateway as it
				// provisions it (natGatewayOn).
				ng.FailureCode = "Resource.AlreadyAssociated"
				ng.FailureMessage = "Elastic IP address [" + string(eip.AllocationID) + "] is already associated"
				ng.NextTransition = t.now.Add(t.e.cfg.TaskStartDelay)
				put(t, model.KindNatGateway, t.st.NatGateways, ng.ID, ng)
				out = ng
				return nil
			}
		}
		n, err := t.newENI(eniSpec{subnet: s, privateIP: want, description: "Interface for NAT Gateway " + string(ng.ID),
			typ: model.InterfaceNatGateway, ownerKind: model.OwnedByNatGateway, managedBy: string(ng.ID), requester: "amazon"})
		if apierr.HasCode(err, "InsufficientFreeAddressesInSubnet") && !want.IsValid() {
			// A full subnet fails the gateway, asynchronously too.
			ng.FailureCode = "InsufficientFreeAddressesInSubnet"
			ng.FailureMessage = "Subnet has insufficient free addresses to create this NAT gateway"
			ng.NextTransition = t.now.Add(t.e.cfg.TaskStartDelay)
			put(t, model.KindNatGateway, t.st.NatGateways, ng.ID, ng)
			out = ng
			return nil
		}
		if err != nil {
			return err
		}
		ng.NetworkInterface, ng.PrivateIP = n.ID, n.PrimaryIP()
		if eip != nil {
			c := cloneENI(n)
			assoc := model.EIPAssociationID(t.newID("eipassoc"))
			c.PrivateIPs[0].PublicIP = &model.PublicIPAssociation{PublicIP: eip.PublicIP, AllocationID: eip.AllocationID, AssociationID: assoc, IPOwnerID: t.e.cfg.Account}
			t.putENI(c)
			na := *eip
			na.AssociationID, na.NetworkInterfaceID, na.PrivateIP = assoc, n.ID, n.PrimaryIP()
			t.putAddress(&na)
			ng.PublicIP = eip.PublicIP
		}
		if !in.Secondary.Empty() {
			if err := t.addNatAddresses(ng, in.Secondary); err != nil {
				return err
			}
		}
		ng.NextTransition = t.now.Add(t.e.cfg.TaskStartDelay)
		put(t, model.KindNatGateway, t.st.NatGateways, ng.ID, ng)
		out = ng
		return nil
	})
	return out, err
}

// natFailedRetention is how long a failed NAT gateway stays visible
// before Step removes it: "usually about an hour" (docs/aws-behavior.md).
const natFailedRetention = time.Hour

// natDeletedRetention is how long a deleted NAT gateway stays visible
// ("A deleted NAT gateway is visible … for about an hour").
const natDeletedRetention = time.Hour

// natGatewayOn moves a NAT gateway on once its transition is due: a
// pending one becomes available, or failed (with its FailureCode and
// FailureMessage) when its create found a reason to fail (a taken
// Elastic IP, a full subnet) or, being public, its VPC has no internet
// gateway attached now (Gateway.NotAttached "Network vpc-… has no
// Internet gateway attached"): it gives up its interface and address.
// A failed one is removed natFailedRetention after it failed, a deleted
// one natDeletedRetention after its deletion.
func (t *txn) natGatewayOn(ng *model.NatGateway) {
	c := *ng
	switch {
	case ng.State == "failed" || ng.State == "deleted":
		del(t, model.KindNatGateway, t.st.NatGateways, ng.ID)
		return
	case ng.State != "pending":
		return
	case ng.FailureCode == "" && ng.ConnectivityType == "public" && !t.igwAttached(ng.VpcID):
		c.FailureCode = "Gateway.NotAttached"
		c.FailureMessage = "Network " + string(ng.VpcID) + " has no Internet gateway attached"
	}
	if c.FailureCode == "" {
		c.State = "available"
		put(t, model.KindNatGateway, t.st.NatGateways, c.ID, &c)
		return
	}
	if c.Regional() {
		t.releaseZoneAddresses(&c)
		c.ZoneAddresses = nil
	}
	if c.NetworkInterface != "" {
		t.releaseNatAddresses(&c)
		t.deleteENI(c.NetworkInterface)
		c.NetworkInterface, c.PrivateIP, c.PublicIP = "", netip.Addr{}, netip.Addr{}
	}
	c.State, c.NextTransition = "failed", t.now.Add(natFailedRetention)
	put(t, model.KindNatGateway, t.st.NatGateways, c.ID, &c)
}

// igwAttached reports whether an internet gateway is attached to vpc.
func (t *txn) igwAttached(vpc model.VpcID) bool {
	for _, g := range t.st.InternetGateways {
		if g.VpcID == vpc {
			return true
		}
	}
	return false
}

// DeleteNatGateway deletes a NAT gateway: its ENI goes, its Elastic IP is
// disassociated, and it stays visible in state "deleted" for
// natDeletedRetention, when Step removes it.
func (e *Engine) DeleteNatGateway(id model.NatGatewayID) error {
	return e.write(func(t *txn) error {
		if err := checkID(string(id), "nat", "InvalidNatGatewayID.Malformed"); err != nil {
			return err
		}
		ng := t.st.NatGateways[id]
		if ng == nil || ng.State == "deleted" {
			return errNatNotFound(id)
		}
		t.releaseNatAddresses(ng)
		t.releaseZoneAddresses(ng)
		if ng.NetworkInterface != "" {
			t.deleteENI(ng.NetworkInterface)
		}
		c := *ng
		c.State, c.NextTransition = "deleted", t.now.Add(natDeletedRetention)
		put(t, model.KindNatGateway, t.st.NatGateways, id, &c)
		return nil
	})
}

// deviceIndexes returns the device indexes in use on an instance.
func deviceIndexes(enis []*model.NetworkInterface) map[int]bool {
	out := map[int]bool{}
	for _, n := range enis {
		out[n.Attachment.DeviceIndex] = true
	}
	return out
}

// freeDeviceIndex returns the lowest free device index from 1.
func freeDeviceIndex(enis []*model.NetworkInterface) int {
	used := deviceIndexes(enis)
	for i := 1; ; i++ {
		if !used[i] {
			return i
		}
	}
}

// SetAddressDomainName sets (name non-empty) or resets an Elastic IP's
// reverse DNS record. AWS first checks that name resolves to the address
// (elastic-ip-addresses-eip.html#Using_Elastic_Addressing_Reverse_DNS);
// ecsnet has no public DNS and takes the name as given, stored with the
// trailing dot DescribeAddressesAttribute shows.
func (e *Engine) SetAddressDomainName(id model.AllocationID, name string) (*model.Address, error) {
	var out *model.Address
	err := e.write(func(t *txn) error {
		a, err := t.address(id)
		if err != nil {
			return err
		}
		na := *a
		na.PtrRecord = ""
		if name != "" {
			na.PtrRecord = strings.TrimSuffix(name, ".") + "."
		}
		t.putAddress(&na)
		out = &na
		return nil
	})
	return out, err
}

// maxPrivateIPsPerENI caps an interface's private IPv4 addresses: 50, the
// most any instance type takes per interface ("IP addresses per network
// interface per instance type"); ecsnet does not vary it by type ([choice]).
const maxPrivateIPsPerENI = 50

// AssignPrivateIPAddresses adds secondary private IPv4 addresses to an
// ENI: the given ones, or count free addresses of its subnet.
func (e *Engine) AssignPrivateIPAddresses(id model.NetworkInterfaceID, count int, addrs []string, allowReassignment bool) ([]netip.Addr, error) {
	if count > 0 && len(addrs) > 0 {
		return nil, apierr.New("InvalidParameterCombination", "Secondary private IP addresses and secondary private IP address count may not be specified on the same request")
	}
	if count == 0 && len(addrs) == 0 {
		return nil, errMissingParameter("secondaryPrivateIpAddressCount")
	}
	if count < 0 {
		return nil, errInvalidParameterValue("Invalid value '%d' for secondaryPrivateIpAddressCount.", count)
	}
	want, err := parsePrivateIPs(addrs)
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	err = e.write(func(t *txn) error {
		n, err := t.eni(id)
		if err != nil {
			return err
		}
		s := t.st.Subnets[n.SubnetID]
		if s == nil {
			return errSubnetNotFound(n.SubnetID)
		}
		if len(n.PrivateIPs)+count+len(want) > maxPrivateIPsPerENI {
			return apierr.New("PrivateIpAddressLimitExceeded", "Number of private addresses will exceed limit.")
		}
		_, out, err = t.assignPrivateIPs(n, s, want, count, allowReassignment)
		return err
	})
	return out, err
}

// assignPrivateIPs gives n the addresses want and count more the subnet
// picks, as secondary addresses, and returns the ENI as it is then. With
// reassign, an address another ENI holds as a secondary one moves to n
// (AllowReassignment; an Elastic IP associated with it is disassociated,
// [choice]); a primary address never moves.
func (t *txn) assignPrivateIPs(n *model.NetworkInterface, s *model.Subnet, want []netip.Addr, count int, reassign bool) (*model.NetworkInterface, []netip.Addr, error) {
	var out []netip.Addr
	c := cloneENI(n)
	add := func(a netip.Addr) {
		c.PrivateIPs = append(c.PrivateIPs, model.PrivateIP{Addr: a})
		t.putENI(c) // indexed at once: the next allocation sees it
		c = cloneENI(c)
		out = append(out, a)
	}
	for _, w := range want {
		if holder, taken := t.e.idx.privateIPs[vpcAddr{s.VpcID, w}]; reassign && taken && holder != n.ID {
			if err := t.releaseSecondaryIP(holder, w); err != nil {
				return nil, nil, err
			}
		}
		a, err := t.allocPrivateIP(s, w)
		if err != nil {
			return nil, nil, err
		}
		add(a)
	}
	for range count {
		a, err := t.allocPrivateIP(s, netip.Addr{})
		if err != nil {
			return nil, nil, err
		}
		add(a)
	}
	return t.st.NetworkInterfaces[n.ID], out, nil
}

// releaseSecondaryIP takes the secondary address a from the ENI holding it,
// for AllowReassignment; a primary address is in use for good.
func (t *txn) releaseSecondaryIP(holder model.NetworkInterfaceID, a netip.Addr) error {
	h := t.st.NetworkInterfaces[holder]
	if h == nil {
		return nil
	}
	i := slices.IndexFunc(h.PrivateIPs, func(p model.PrivateIP) bool { return p.Addr == a })
	if i < 0 || h.PrivateIPs[i].Primary {
		return apierr.Newf("InvalidIPAddress.InUse", "Address %s is in use.", a)
	}
	if p := h.PrivateIPs[i]; p.PublicIP != nil && p.PublicIP.AllocationID != "" {
		t.unlinkAddress(p.PublicIP.AllocationID)
	}
	c := cloneENI(t.st.NetworkInterfaces[holder])
	c.PrivateIPs = slices.DeleteFunc(c.PrivateIPs, func(p model.PrivateIP) bool { return p.Addr == a })
	t.putENI(c)
	return nil
}

// UnassignPrivateIPAddresses removes secondary private IPv4 addresses from
// an ENI, with the Elastic IPs associated with them; the primary address
// stays.
func (e *Engine) UnassignPrivateIPAddresses(id model.NetworkInterfaceID, addrs []string) error {
	if len(addrs) == 0 {
		return errMissingParameter("privateIpAddress")
	}
	return e.write(func(t *txn) error {
		n, err := t.eni(id)
		if err != nil {
			return err
		}
		var drop []netip.Addr
		for _, s := range addrs {
			a, err := netip.ParseAddr(s)
			i := slices.IndexFunc(n.PrivateIPs, func(p model.PrivateIP) bool { return p.Addr == a })
			if err != nil || i < 0 {
				return errInvalidParameterValue("Some of the specified addresses are not assigned to interface %s", id)
			}
			if n.PrivateIPs[i].Primary {
				// UNVERIFIED text.
				return errInvalidParameterValue("The primary private IP address %s of interface %s cannot be unassigned.", a, id)
			}
			drop = append(drop, a)
		}
		for _, p := range n.PrivateIPs {
			if slices.Contains(drop, p.Addr) && p.PublicIP != nil && p.PublicIP.AllocationID != "" {
				t.unlinkAddress(p.PublicIP.AllocationID)
			}
		}
		c := cloneENI(t.st.NetworkInterfaces[id])
		c.PrivateIPs = slices.DeleteFunc(c.PrivateIPs, func(p model.PrivateIP) bool { return slices.Contains(drop, p.Addr) })
		t.putENI(c)
		return nil
	})
}
