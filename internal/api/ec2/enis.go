package ec2

import (
	"net/netip"
	"slices"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerENIs(r *api.Registry) {
	add(r, "CreateNetworkInterface", createNetworkInterface)
	add(r, "DeleteNetworkInterface", deleteNetworkInterface)
	add(r, "AttachNetworkInterface", attachNetworkInterface)
	add(r, "DetachNetworkInterface", detachNetworkInterface)
	add(r, "DescribeNetworkInterfaces", describeNetworkInterfaces)
	add(r, "ModifyNetworkInterfaceAttribute", modifyNetworkInterfaceAttribute)
	add(r, "ResetNetworkInterfaceAttribute", resetNetworkInterfaceAttribute)
	add(r, "DescribeNetworkInterfaceAttribute", describeNetworkInterfaceAttribute)
	add(r, "DescribeTrunkInterfaceAssociations", describeTrunkInterfaceAssociations)
	add(r, "AssignIpv6Addresses", assignIpv6Addresses)
	add(r, "AssignPrivateIpAddresses", assignPrivateIpAddresses)
	add(r, "UnassignPrivateIpAddresses", unassignPrivateIpAddresses)
	add(r, "UnassignIpv6Addresses", unassignIpv6Addresses)
	registerENIPermissions(r)
}

// ipv6Request reads Ipv6AddressCount and Ipv6Addresses (a list of
// InstanceIpv6Address) of a launch or interface specification.
func ipv6Request(p awsproto.Params) (int, []string) {
	var addrs []string
	for _, a := range p.Structs("Ipv6Addresses") {
		addrs = append(addrs, a.String("Ipv6Address"))
	}
	return int(p.Int("Ipv6AddressCount")), addrs
}

// ipv6AddrsOut returns an ENI's IPv6 addresses as NetworkInterfaceIpv6Address
// or InstanceIpv6Address items (the members both share). IsPrimaryIpv6 is
// false: ecsnet does not model EnablePrimaryIpv6.
func ipv6AddrsOut(n *model.NetworkInterface) []any {
	out := make([]any, len(n.IPv6))
	for i, a := range n.IPv6 {
		out[i] = map[string]any{"Ipv6Address": a.String(), "IsPrimaryIpv6": false}
	}
	return out
}

func addrStrings(in []netip.Addr) []string {
	out := make([]string, len(in))
	for i, a := range in {
		out[i] = a.String()
	}
	return out
}

func assignIpv6Addresses(c *api.Call) (map[string]any, error) {
	if c.In.Has("Ipv6Prefixes") || c.In.Has("Ipv6PrefixCount") {
		return nil, apierr.New("UnsupportedOperation", "ecsnet does not model IPv6 prefix delegation.")
	}
	id := c.In.String("NetworkInterfaceId")
	got, err := c.Engine.AssignIPv6Addresses(model.NetworkInterfaceID(id), int(c.In.Int("Ipv6AddressCount")), c.In.Strings("Ipv6Addresses"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"NetworkInterfaceId": id, "AssignedIpv6Addresses": addrStrings(got), "AssignedIpv6Prefixes": []any{}}, nil
}

func unassignIpv6Addresses(c *api.Call) (map[string]any, error) {
	if c.In.Has("Ipv6Prefixes") {
		return nil, apierr.New("UnsupportedOperation", "ecsnet does not model IPv6 prefix delegation.")
	}
	id := c.In.String("NetworkInterfaceId")
	got, err := c.Engine.UnassignIPv6Addresses(model.NetworkInterfaceID(id), c.In.Strings("Ipv6Addresses"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"NetworkInterfaceId": id, "UnassignedIpv6Addresses": addrStrings(got), "UnassignedIpv6Prefixes": []any{}}, nil
}

// groupsOut returns an ENI's security groups as GroupIdentifiers.
func groupsOut(st *model.State, groups []model.SecurityGroupID) []any {
	out := make([]any, len(groups))
	for i, g := range groups {
		x := map[string]any{"GroupId": g}
		if sg := st.SecurityGroups[g]; sg != nil {
			x["GroupName"] = sg.Name
		}
		out[i] = x
	}
	return out
}

// publicOut returns the Association of a public address.
func publicOut(st *model.State, vpc *model.VPC, p *model.PublicIPAssociation) map[string]any {
	out := map[string]any{"PublicIp": p.PublicIP, "IpOwnerId": p.IPOwnerID}
	if vpc != nil && vpc.EnableDNSHostnames {
		out["PublicDnsName"] = model.PublicDNSName(st.Region, p.PublicIP)
	} else {
		out["PublicDnsName"] = ""
	}
	if p.AllocationID != "" {
		out["AllocationId"], out["AssociationId"] = p.AllocationID, p.AssociationID
	}
	return out
}

func attachmentOut(a *model.ENIAttachment) map[string]any {
	return map[string]any{
		"AttachmentId": a.ID, "DeviceIndex": a.DeviceIndex, "InstanceId": api.Str(a.InstanceID), "InstanceOwnerId": api.Str(a.InstanceOwnerID),
		"Status": a.Status, "DeleteOnTermination": a.DeleteOnTermination, "AttachTime": api.Time(a.AttachedAt), "NetworkCardIndex": 0,
	}
}

// eniOut returns an ENI as DescribeNetworkInterfaces shows it.
func eniOut(st *model.State, n *model.NetworkInterface) map[string]any {
	vpc := st.VPCs[n.VpcID]
	ips := make([]any, len(n.PrivateIPs))
	for i, p := range n.PrivateIPs {
		x := map[string]any{"Primary": p.Primary, "PrivateIpAddress": p.Addr, "PrivateDnsName": model.PrivateDNSName(st.Region, p.Addr)}
		if p.PublicIP != nil {
			x["Association"] = publicOut(st, vpc, p.PublicIP)
		}
		ips[i] = x
	}
	primary := n.PrimaryIP()
	out := map[string]any{
		"NetworkInterfaceId": n.ID, "SubnetId": n.SubnetID, "VpcId": n.VpcID, "AvailabilityZone": n.AvailabilityZone,
		"Description": n.Description, "InterfaceType": string(n.Type), "MacAddress": n.MAC, "OwnerId": n.OwnerID,
		"PrivateIpAddresses": ips,
		"Groups":             groupsOut(st, n.SecurityGroups), "RequesterManaged": n.RequesterManaged, "RequesterId": api.Str(n.RequesterID),
		"SourceDestCheck": n.SourceDestCheck, "Status": n.Status(), "TagSet": api.TagList(n.Tags, "Key", "Value"),
		"Ipv6Addresses": ipv6AddrsOut(n), "Ipv6Native": false,
	}
	if primary.IsValid() {
		out["PrivateIpAddress"], out["PrivateDnsName"] = primary, model.PrivateDNSName(st.Region, primary)
	}
	if s := st.Subnets[n.SubnetID]; s != nil {
		out["AvailabilityZoneId"] = s.AvailabilityZoneID
		out["Ipv6Native"] = s.IPv6Native
	}
	for _, p := range n.PrivateIPs {
		if p.Primary && p.PublicIP != nil {
			out["Association"] = publicOut(st, vpc, p.PublicIP)
			if vpc != nil && vpc.EnableDNSHostnames {
				out["PublicDnsName"] = model.PublicDNSName(st.Region, p.PublicIP.PublicIP)
			}
		}
	}
	if n.Attachment != nil {
		out["Attachment"] = attachmentOut(n.Attachment)
	}
	return out
}

func eniFilters(c *api.Call, st *model.State) api.FilterSet[*model.NetworkInterface] {
	ips := func(f func(model.PrivateIP) string) func(*model.NetworkInterface) []string {
		return func(n *model.NetworkInterface) []string {
			var out []string
			for _, p := range n.PrivateIPs {
				if v := f(p); v != "" {
					out = append(out, v)
				}
			}
			return out
		}
	}
	pub := func(f func(*model.PublicIPAssociation) string) func(model.PrivateIP) string {
		return func(p model.PrivateIP) string {
			if p.PublicIP == nil {
				return ""
			}
			return f(p.PublicIP)
		}
	}
	primaryPub := func(f func(*model.PublicIPAssociation) string) func(*model.NetworkInterface) []string {
		return func(n *model.NetworkInterface) []string {
			for _, p := range n.PrivateIPs {
				if p.Primary && p.PublicIP != nil {
					return api.One(f(p.PublicIP))
				}
			}
			return nil
		}
	}
	att := func(f func(*model.ENIAttachment) string) func(*model.NetworkInterface) []string {
		return func(n *model.NetworkInterface) []string {
			if n.Attachment == nil {
				return nil
			}
			return api.One(f(n.Attachment))
		}
	}
	privateIP := ips(func(p model.PrivateIP) string { return p.Addr.String() })
	return api.FilterSet[*model.NetworkInterface]{
		Tags: func(n *model.NetworkInterface) model.Tags { return n.Tags },
		Attrs: map[string]func(*model.NetworkInterface) []string{
			"network-interface-id": func(n *model.NetworkInterface) []string { return api.One(n.ID) },
			"subnet-id":            func(n *model.NetworkInterface) []string { return api.One(n.SubnetID) },
			"vpc-id":               func(n *model.NetworkInterface) []string { return api.One(n.VpcID) },
			"availability-zone":    func(n *model.NetworkInterface) []string { return api.One(n.AvailabilityZone) },
			"availability-zone-id": func(n *model.NetworkInterface) []string { return subnetZoneID(st, n.SubnetID) },
			// No interface of ecsnet's is managed by an operator (EKS Auto Mode and the like).
			"operator.managed":   func(*model.NetworkInterface) []string { return api.Bool(false) },
			"operator.principal": func(*model.NetworkInterface) []string { return nil },
			"description":        func(n *model.NetworkInterface) []string { return []string{n.Description} },
			"interface-type":     func(n *model.NetworkInterface) []string { return api.One(n.Type) },
			"mac-address":        func(n *model.NetworkInterface) []string { return api.One(n.MAC) },
			"owner-id":           func(n *model.NetworkInterface) []string { return api.One(n.OwnerID) },
			"requester-id":       func(n *model.NetworkInterface) []string { return api.One(n.RequesterID) },
			"requester-managed":  func(n *model.NetworkInterface) []string { return api.Bool(n.RequesterManaged) },
			"source-dest-check":  func(n *model.NetworkInterface) []string { return api.Bool(n.SourceDestCheck) },
			"status":             func(n *model.NetworkInterface) []string { return []string{n.Status()} },
			"group-id":           func(n *model.NetworkInterface) []string { return api.Strs(n.SecurityGroups) },
			"group-name": func(n *model.NetworkInterface) []string {
				var out []string
				for _, g := range n.SecurityGroups {
					if sg := st.SecurityGroups[g]; sg != nil {
						out = append(out, sg.Name)
					}
				}
				return out
			},
			"private-ip-address": privateIP,
			"ipv6-addresses.ipv6-address": func(n *model.NetworkInterface) []string {
				return addrStrings(n.IPv6)
			},
			"addresses.private-ip-address":    privateIP,
			"private-dns-name":                ips(func(p model.PrivateIP) string { return model.PrivateDNSName(st.Region, p.Addr) }),
			"addresses.primary":               ips(func(p model.PrivateIP) string { return strconv.FormatBool(p.Primary) }),
			"addresses.association.public-ip": ips(pub(func(a *model.PublicIPAssociation) string { return a.PublicIP.String() })),
			"addresses.association.owner-id":  ips(pub(func(a *model.PublicIPAssociation) string { return a.IPOwnerID })),
			"association.public-ip":           primaryPub(func(a *model.PublicIPAssociation) string { return a.PublicIP.String() }),
			"association.ip-owner-id":         primaryPub(func(a *model.PublicIPAssociation) string { return a.IPOwnerID }),
			"association.allocation-id":       primaryPub(func(a *model.PublicIPAssociation) string { return string(a.AllocationID) }),
			"association.association-id":      primaryPub(func(a *model.PublicIPAssociation) string { return string(a.AssociationID) }),
			"association.public-dns-name": primaryPub(func(a *model.PublicIPAssociation) string {
				return model.PublicDNSName(st.Region, a.PublicIP)
			}),
			"attachment.attachment-id":         att(func(a *model.ENIAttachment) string { return string(a.ID) }),
			"attachment.instance-id":           att(func(a *model.ENIAttachment) string { return string(a.InstanceID) }),
			"attachment.instance-owner-id":     att(func(a *model.ENIAttachment) string { return a.InstanceOwnerID }),
			"attachment.device-index":          att(func(a *model.ENIAttachment) string { return strconv.Itoa(a.DeviceIndex) }),
			"attachment.status":                att(func(a *model.ENIAttachment) string { return a.Status }),
			"attachment.delete-on-termination": att(func(a *model.ENIAttachment) string { return strconv.FormatBool(a.DeleteOnTermination) }),
			"attachment.attach-time": att(func(a *model.ENIAttachment) string {
				return a.AttachedAt.UTC().Format("2006-01-02T15:04:05.000Z")
			}),
		},
	}
}

func createNetworkInterface(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "network-interface")
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"Ipv4Prefixes", "Ipv4PrefixCount", "Ipv6Prefixes", "Ipv6PrefixCount", "InterfaceType"} {
		if c.In.Has(name) {
			return nil, apierr.Newf("UnsupportedOperation", "ecsnet creates network interfaces with private IPv4 addresses (and IPv6 addresses), without prefixes or special interface types; %s is not modelled.", name)
		}
	}
	primary, secondary, err := privateIPSpecs(c.In.String("PrivateIpAddress"), c.In.Structs("PrivateIpAddresses"))
	if err != nil {
		return nil, err
	}
	secondaryCount := int(c.In.Int("SecondaryPrivateIpAddressCount"))
	if secondaryCount != 0 && len(secondary) > 0 {
		// "You can't specify this option and specify more than one private
		// IP address using privateIpAddresses" (API_CreateNetworkInterface).
		return nil, apierr.New("InvalidParameterCombination", "Secondary private IP addresses and secondary private IP address count may not be specified on the same request")
	}
	count, v6 := ipv6Request(c.In)
	n, err := c.Engine.CreateNetworkInterface(engine.CreateNetworkInterfaceInput{
		IPv6Count: count, IPv6: v6,
		SubnetID: model.SubnetID(c.In.String("SubnetId")), PrivateIP: primary,
		SecondaryIPs: secondary, SecondaryCount: secondaryCount,
		SecurityGroups: ids[model.SecurityGroupID](c.In, "Groups"), Description: c.In.String("Description"), Tags: tags,
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"NetworkInterface": c.View(func(st *model.State) map[string]any { return eniOut(st, n) }), "ClientToken": api.Str(c.In.String("ClientToken"))}, nil
}

// privateIPSpecs splits CreateNetworkInterface's PrivateIpAddress and
// PrivateIpAddresses into the primary address and the secondary ones: the
// primary is PrivateIpAddress or the entry marked Primary (only one may be),
// else the first entry ([choice]).
func privateIPSpecs(single string, specs []awsproto.Params) (string, []string, error) {
	primary := single
	var rest []string
	marked := false
	for _, sp := range specs {
		a := sp.String("PrivateIpAddress")
		if sp.Bool("Primary") {
			if marked || single != "" && single != a {
				// UNVERIFIED text.
				return "", nil, apierr.New("InvalidParameterValue", "Only one primary private IP address can be specified.")
			}
			marked, primary = true, a
			continue
		}
		if a == single {
			continue // the primary given twice
		}
		rest = append(rest, a)
	}
	if primary == "" && len(rest) > 0 {
		primary, rest = rest[0], rest[1:]
	}
	return primary, rest, nil
}

func deleteNetworkInterface(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteNetworkInterface(model.NetworkInterfaceID(c.In.String("NetworkInterfaceId")))
}

func attachNetworkInterface(c *api.Call) (map[string]any, error) {
	if c.In.Int("NetworkCardIndex") != 0 {
		return nil, apierr.New("InvalidParameterValue", "ecsnet models network card 0 only.")
	}
	id, err := c.Engine.AttachNetworkInterface(model.NetworkInterfaceID(c.In.String("NetworkInterfaceId")),
		model.InstanceID(c.In.String("InstanceId")), int(c.In.Int("DeviceIndex")))
	if err != nil {
		return nil, err
	}
	return map[string]any{"AttachmentId": id, "NetworkCardIndex": 0}, nil
}

func detachNetworkInterface(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DetachNetworkInterface(model.ENIAttachmentID(c.In.String("AttachmentId")))
}

// describeNetworkInterfaces answers with a list that is made as it is
// encoded (awsproto.Lazy): the read lock is held only to pick the ENIs and
// the few resources their output names (VPCs, subnets, security groups,
// all immutable values), and paging and the output of each ENI happen
// after it is released, one ENI at a time, so that a describe of 100,000
// ENIs neither holds the lock while it is encoded nor builds its whole
// answer in memory.
func describeNetworkInterfaces(c *api.Call) (map[string]any, error) {
	if err := noIDsWithMax(c.In, "NetworkInterfaceIds", "networkInterfaceIds"); err != nil {
		return nil, err
	}
	var items []*model.NetworkInterface
	var refs *model.State
	var err error
	c.Engine.Read(func(st *model.State) {
		if items, err = byIDs(st.NetworkInterfaces, c.In.Strings("NetworkInterfaceIds"), notFoundOrMalformed("InvalidNetworkInterfaceID.NotFound", "networkInterface", "eni", "InvalidNetworkInterfaceID.Malformed")); err != nil {
			return
		}
		if items, err = eniFilters(c, st).Apply(items, api.Filters(c.In)); err != nil {
			return
		}
		refs = eniRefs(st, items)
	})
	if err != nil {
		return nil, err
	}
	key := func(n *model.NetworkInterface) string { return string(n.ID) }
	items, next, err := page(c.In, items, key, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := awsproto.Lazy{Len: len(items), Elem: func(i int) any { return eniOut(refs, items[i]) }}
	return map[string]any{"NetworkInterfaces": out, "NextToken": next}, nil
}

// eniRefs returns what eniOut reads of st for items: a state holding only
// their VPCs, subnets and security groups (the resources themselves, which
// never change), to be read without the engine's lock.
func eniRefs(st *model.State, items []*model.NetworkInterface) *model.State {
	refs := &model.State{Account: st.Account, Region: st.Region, VPCs: map[model.VpcID]*model.VPC{},
		Subnets: map[model.SubnetID]*model.Subnet{}, SecurityGroups: map[model.SecurityGroupID]*model.SecurityGroup{}}
	// Most ENIs share their subnet and groups with the previous one: only
	// look up what changes.
	var lastSubnet model.SubnetID
	var lastVpc model.VpcID
	var lastGroups []model.SecurityGroupID
	for _, n := range items {
		if n.SubnetID != lastSubnet {
			lastSubnet = n.SubnetID
			if _, ok := refs.Subnets[n.SubnetID]; !ok {
				if s := st.Subnets[n.SubnetID]; s != nil {
					refs.Subnets[n.SubnetID] = s
				}
			}
		}
		if n.VpcID != lastVpc {
			lastVpc = n.VpcID
			if _, ok := refs.VPCs[n.VpcID]; !ok {
				if v := st.VPCs[n.VpcID]; v != nil {
					refs.VPCs[n.VpcID] = v
				}
			}
		}
		if slices.Equal(n.SecurityGroups, lastGroups) {
			continue
		}
		lastGroups = n.SecurityGroups
		for _, g := range n.SecurityGroups {
			if _, ok := refs.SecurityGroups[g]; !ok {
				if sg := st.SecurityGroups[g]; sg != nil {
					refs.SecurityGroups[g] = sg
				}
			}
		}
	}
	return refs
}

func modifyNetworkInterfaceAttribute(c *api.Call) (map[string]any, error) {
	in := engine.ModifyNetworkInterfaceInput{ID: model.NetworkInterfaceID(c.In.String("NetworkInterfaceId"))}
	if c.In.Has("Groups") {
		in.SecurityGroups = ids[model.SecurityGroupID](c.In, "Groups")
		if in.SecurityGroups == nil {
			in.SecurityGroups = []model.SecurityGroupID{}
		}
	}
	in.SourceDestCheck = optBool(c.In, "SourceDestCheck")
	if c.In.Has("Description") {
		d := c.In.Struct("Description").String("Value")
		in.Description = &d
	}
	if a := c.In.Struct("Attachment"); a != nil {
		if !a.Has("AttachmentId") {
			return nil, apierr.New("MissingParameter", "The request must contain the parameter attachmentId")
		}
		in.AttachmentID = a.String("AttachmentId")
		in.DeleteOnTermination = boolParam(a, "DeleteOnTermination")
	}
	for _, name := range []string{"EnaSrdSpecification", "EnablePrimaryIpv6", "ConnectionTrackingSpecification", "AssociatePublicIpAddress", "AssociatedSubnetIds"} {
		if c.In.Has(name) {
			return nil, apierr.Newf("UnsupportedOperation", "ecsnet does not model the network interface attribute %s.", name)
		}
	}
	if in.SecurityGroups == nil && in.SourceDestCheck == nil && in.Description == nil && in.AttachmentID == "" {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter groupId, sourceDestCheck or description")
	}
	return nil, c.Engine.ModifyNetworkInterfaceAttribute(in)
}

// resetNetworkInterfaceAttribute resets the one attribute the API can
// reset: source/destination checking, back to true.
func resetNetworkInterfaceAttribute(c *api.Call) (map[string]any, error) {
	if !c.In.Has("SourceDestCheck") {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter sourceDestCheck")
	}
	on := true
	return nil, c.Engine.ModifyNetworkInterfaceAttribute(engine.ModifyNetworkInterfaceInput{
		ID: model.NetworkInterfaceID(c.In.String("NetworkInterfaceId")), SourceDestCheck: &on})
}

func describeNetworkInterfaceAttribute(c *api.Call) (map[string]any, error) {
	id := c.In.String("NetworkInterfaceId")
	switch a := c.In.String("Attribute"); a {
	case "", "description", "groupSet", "sourceDestCheck", "attachment", "associatePublicIpAddress":
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", a)
	}
	var out map[string]any
	c.Engine.Read(func(st *model.State) {
		n := st.NetworkInterfaces[model.NetworkInterfaceID(id)]
		if n == nil {
			return
		}
		out = map[string]any{"NetworkInterfaceId": id}
		switch c.In.String("Attribute") {
		case "description":
			out["Description"] = map[string]any{"Value": n.Description}
		case "groupSet":
			out["Groups"] = groupsOut(st, n.SecurityGroups)
		case "sourceDestCheck":
			out["SourceDestCheck"] = boolAttr(n.SourceDestCheck)
		case "attachment":
			if n.Attachment != nil {
				out["Attachment"] = attachmentOut(n.Attachment)
			}
		case "associatePublicIpAddress":
			_, ok := n.PublicIP()
			out["AssociatePublicIpAddress"] = ok
		default:
			out["Description"] = map[string]any{"Value": n.Description}
			out["Groups"] = groupsOut(st, n.SecurityGroups)
			out["SourceDestCheck"] = boolAttr(n.SourceDestCheck)
		}
	})
	if out == nil {
		return nil, notFound("InvalidNetworkInterfaceID.NotFound", "networkInterface")(id)
	}
	return out, nil
}

func describeTrunkInterfaceAssociations(c *api.Call) (map[string]any, error) {
	type assoc struct {
		id     string
		branch *model.NetworkInterface
	}
	var items []assoc
	c.Engine.Read(func(st *model.State) {
		for _, n := range st.NetworkInterfaces {
			if n.TrunkID != "" {
				items = append(items, assoc{id: "trunk-assoc-" + string(n.ID[4:]), branch: n})
			}
		}
	})
	if want := c.In.Strings("AssociationIds"); len(want) > 0 {
		var keep []assoc
		for _, w := range want {
			for _, a := range items {
				if a.id == w {
					keep = append(keep, a)
				}
			}
		}
		items = keep
	}
	fs := api.FilterSet[assoc]{Attrs: map[string]func(assoc) []string{
		"trunk-interface-association.branch-interface-id": func(a assoc) []string { return api.One(a.branch.ID) },
		"trunk-interface-association.trunk-interface-id":  func(a assoc) []string { return api.One(a.branch.TrunkID) },
	}}
	items, err := fs.Apply(items, api.Filters(c.In))
	if err != nil {
		return nil, err
	}
	key := func(a assoc) string { return a.id }
	items, next, err := page(c.In, items, key, 5, 255)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, a := range items {
		out[i] = map[string]any{"AssociationId": a.id, "BranchInterfaceId": a.branch.ID, "TrunkInterfaceId": a.branch.TrunkID,
			"InterfaceProtocol": "VLAN", "VlanId": a.branch.VlanID, "Tags": api.EC2Tags(a.branch.Tags)}
	}
	return map[string]any{"InterfaceAssociations": out, "NextToken": next}, nil
}

func assignPrivateIpAddresses(c *api.Call) (map[string]any, error) {
	id := c.In.String("NetworkInterfaceId")
	if id == "" {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter networkInterfaceId")
	}
	got, err := c.Engine.AssignPrivateIPAddresses(model.NetworkInterfaceID(id), int(c.In.Int("SecondaryPrivateIpAddressCount")), c.In.Strings("PrivateIpAddresses"),
		c.In.Bool("AllowReassignment"))
	if err != nil {
		return nil, err
	}
	assigned := make([]any, len(got))
	for i, a := range got {
		assigned[i] = map[string]any{"PrivateIpAddress": a}
	}
	return map[string]any{"NetworkInterfaceId": id, "AssignedPrivateIpAddresses": assigned, "AssignedIpv4Prefixes": []any{}}, nil
}

func unassignPrivateIpAddresses(c *api.Call) (map[string]any, error) {
	id := c.In.String("NetworkInterfaceId")
	if id == "" {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter networkInterfaceId")
	}
	return nil, c.Engine.UnassignPrivateIPAddresses(model.NetworkInterfaceID(id), c.In.Strings("PrivateIpAddresses"))
}
