package engine

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AvailabilityZone is a zone of the engine's region.
type AvailabilityZone struct {
	Name, ID string
}

// AvailabilityZones returns the zones of the engine's region, with the
// names a new account sees: six in us-east-1, four in us-west-2 and
// ap-northeast-2, us-west-1's a and b, ap-northeast-1's a, c and d (1b is
// not offered to new accounts), ca-central-1's and cn-north-1's a, b and d, three
// elsewhere. Zone ids follow the zone numbers AWS lists per region
// (apne1-az1, az2, az4); on AWS the name-to-id mapping differs between
// accounts.
func (e *Engine) AvailabilityZones() []AvailabilityZone {
	zs := regionAZs(e.cfg.Region)
	// Config.ZoneLetters names the account's zones where accounts differ
	// (us-west-1: a and b, or b and c); the zone ids stay the region's.
	if l := e.cfg.ZoneLetters; len(l) == len(zs) {
		for i := range zs {
			zs[i].Name = e.cfg.Region + l[i:i+1]
		}
	}
	return zs
}

// RegionAvailabilityZones returns the zones a new account sees in region,
// as AvailabilityZones does for the engine's own (a provider of another
// region reads them, data "aws_availability_zones").
func RegionAvailabilityZones(region string) []AvailabilityZone { return regionAZs(region) }

// regionZones are the zone letters and zone-id numbers of the regions
// that do not have three zones a, b, c (az1, az2, az3).
var regionZones = map[string]struct{ letters, ids string }{
	"us-east-1":      {"abcdef", "123456"},
	"us-west-2":      {"abcd", "1234"},
	"us-west-1":      {"ab", "13"},
	"ap-northeast-1": {"acd", "124"},
	"ap-northeast-2": {"abcd", "1234"},
	"ca-central-1":   {"abd", "124"},
	// cn-north-1's zones are a, b and d, ids cnn1-az1, az2 and az4
	// (eksctl avoids cnn1-az4, weaveworks/eksctl#3916; plans of real
	// accounts show cn-north-1d as cnn1-az4).
	"cn-north-1": {"abd", "124"},
}

func regionAZs(region string) []AvailabilityZone {
	z, ok := regionZones[region]
	if !ok {
		z.letters, z.ids = "abc", "123"
	}
	prefix := azIDPrefix(region)
	out := make([]AvailabilityZone, len(z.letters))
	for i := range out {
		out[i] = AvailabilityZone{Name: region + z.letters[i:i+1], ID: prefix + "-az" + z.ids[i:i+1]}
	}
	return out
}

// azIDPrefix abbreviates a region as AWS zone ids do: us-east-1 → use1,
// and in GovCloud us-gov-west-1 → usgw1 (usgw1-az1…az3).
func azIDPrefix(region string) string {
	parts := strings.Split(region, "-")
	geo := ""
	if len(parts) == 4 && parts[1] == "gov" {
		geo, parts = "g", []string{parts[0], parts[2], parts[3]}
	}
	if len(parts) != 3 {
		return region
	}
	dir := parts[1]
	short := map[string]string{"east": "e", "west": "w", "north": "n", "south": "s", "central": "c",
		"northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw"}[dir]
	if short == "" {
		short = dir[:1]
	}
	return parts[0] + geo + short + parts[2]
}

func (e *Engine) azID(name string) (string, bool) {
	for _, z := range e.AvailabilityZones() {
		if z.Name == name {
			return z.ID, true
		}
	}
	return "", false
}

// parseIPv4Prefix parses an IPv4 CIDR exactly as written (no host bits).
func parseIPv4Prefix(param, s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() {
		return netip.Prefix{}, errBadCIDR(param, s)
	}
	return p, nil
}

// parseIPv6Prefix parses an IPv6 CIDR parameter.
func parseIPv6Prefix(param, s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is6() || p.Addr().Is4In6() {
		return netip.Prefix{}, errBadCIDR(param, s)
	}
	return p, nil
}

// CreateVpcInput is CreateVpc's input.
type CreateVpcInput struct {
	CIDR            string
	InstanceTenancy string
	Tags            model.Tags
	// IsDefault makes the default VPC (CreateDefaultVpc).
	IsDefault bool
	// AmazonIPv6 asks for an Amazon-provided IPv6 /56.
	AmazonIPv6 bool
}

// CreateVpc creates a VPC with its main route table (a local route), its
// default network ACL (allow everything both ways) and its default security
// group (everything from itself, everything out).
func (e *Engine) CreateVpc(in CreateVpcInput) (*model.VPC, error) {
	p, err := parseIPv4Prefix("cidrBlock", in.CIDR)
	if err != nil {
		return nil, err
	}
	if p.Bits() < 16 || p.Bits() > 28 {
		return nil, apierr.Newf("InvalidVpc.Range", "The CIDR '%s' is invalid.", in.CIDR)
	}
	// AWS keeps the canonical form: 100.68.0.18/18 becomes 100.68.0.0/18.
	p = p.Masked()
	switch in.InstanceTenancy {
	case "", "default", "dedicated":
	default:
		return nil, errInvalidParameterValue("Value (%s) for parameter instanceTenancy is invalid.", in.InstanceTenancy)
	}
	var out *model.VPC
	err = e.write(func(t *txn) error {
		out = t.createVpc(p, in)
		if in.AmazonIPv6 {
			if _, err := t.addVpcIPv6(out); err != nil {
				return err
			}
			out = t.st.VPCs[out.ID]
		}
		return nil
	})
	return out, err
}

func (t *txn) createVpc(p netip.Prefix, in CreateVpcInput) *model.VPC {
	tenancy := in.InstanceTenancy
	if tenancy == "" {
		tenancy = "default"
	}
	v := &model.VPC{
		ID:                 model.VpcID(t.newID("vpc")),
		CIDR:               p,
		IsDefault:          in.IsDefault,
		EnableDNSSupport:   true,
		EnableDNSHostnames: in.IsDefault,
		InstanceTenancy:    tenancy,
		CIDRAssociationIDs: []string{t.newID("vpc-cidr-assoc")},
		DhcpOptions:        t.defaultDhcpOptions(),
		Tags:               in.Tags.Clone(),
	}
	rt := &model.RouteTable{
		ID:           model.RouteTableID(t.newID("rtb")),
		VpcID:        v.ID,
		Routes:       []model.Route{localRoute(p)},
		Associations: []model.RouteTableAssociation{{ID: model.RouteTableAssocID(t.newID("rtbassoc")), Main: true}},
	}
	acl := &model.NetworkACL{
		ID:        model.NetworkACLID(t.newID("acl")),
		VpcID:     v.ID,
		IsDefault: true,
		Entries: []model.ACLEntry{
			{RuleNumber: 100, Egress: false, Action: model.Allow, Protocol: model.AllProtocols, Ports: model.AllPorts, CIDR: anyIPv4},
			{RuleNumber: 100, Egress: true, Action: model.Allow, Protocol: model.AllProtocols, Ports: model.AllPorts, CIDR: anyIPv4},
			denyAll(false), denyAll(true),
		},
	}
	sortACLEntries(acl.Entries)
	sg := &model.SecurityGroup{
		ID:          model.SecurityGroupID(t.newID("sg")),
		VpcID:       v.ID,
		Name:        "default",
		Description: "default VPC security group",
	}
	sg.Ingress = []model.SecurityGroupRule{{ID: model.SecurityGroupRuleID(t.newID("sgr")), Protocol: model.AllProtocols, Ports: model.AllPorts, Group: sg.ID}}
	sg.Egress = []model.SecurityGroupRule{allEgress(t)}
	v.MainRouteTable, v.DefaultNetworkACL, v.DefaultSecurityGroup = rt.ID, acl.ID, sg.ID
	put(t, model.KindVPC, t.st.VPCs, v.ID, v)
	put(t, model.KindRouteTable, t.st.RouteTables, rt.ID, rt)
	put(t, model.KindNetworkACL, t.st.NetworkACLs, acl.ID, acl)
	put(t, model.KindSecurityGroup, t.st.SecurityGroups, sg.ID, sg)
	return v
}

var anyIPv4 = netip.MustParsePrefix("0.0.0.0/0")

func localRoute(p netip.Prefix) model.Route {
	return model.Route{Destination: p, Target: model.TargetLocal, TargetID: "local", Origin: "CreateRouteTable"}
}

func denyAll(egress bool) model.ACLEntry {
	return model.ACLEntry{RuleNumber: model.ImplicitDenyRule, Egress: egress, Action: model.Deny,
		Protocol: model.AllProtocols, Ports: model.AllPorts, CIDR: anyIPv4}
}

func allEgress(t *txn) model.SecurityGroupRule {
	return model.SecurityGroupRule{ID: model.SecurityGroupRuleID(t.newID("sgr")), Egress: true,
		Protocol: model.AllProtocols, Ports: model.AllPorts, CIDR: anyIPv4}
}

// CreateDefaultVpc creates the region's default VPC as AWS sets it up for a
// new account (default-vpc.html): 172.31.0.0/16 with DNS hostnames on, a
// /20 default subnet per zone (172.31.0.0/20, 172.31.16.0/20, … in zone
// order) that maps public IPs on launch, an internet gateway with a
// 0.0.0.0/0 route in the main route table, and the default security group
// and network ACL every VPC has.
func (e *Engine) CreateDefaultVpc() (*model.VPC, error) {
	var out *model.VPC
	err := e.write(func(t *txn) error {
		var err error
		out, err = t.createDefaultVpc()
		return err
	})
	return out, err
}

var defaultVpcCIDR = netip.MustParsePrefix("172.31.0.0/16")

func (t *txn) createDefaultVpc() (*model.VPC, error) {
	for _, v := range t.st.VPCs {
		if v.IsDefault {
			return nil, apierr.Newf("DefaultVpcAlreadyExists", "A Default VPC already exists for this account in this region.")
		}
	}
	v := t.createVpc(defaultVpcCIDR, CreateVpcInput{IsDefault: true})
	igw := &model.InternetGateway{ID: model.InternetGatewayID(t.newID("igw")), VpcID: v.ID}
	put(t, model.KindInternetGateway, t.st.InternetGateways, igw.ID, igw)
	rt := cloneRT(t.st.RouteTables[v.MainRouteTable])
	rt.Routes = append(rt.Routes, model.Route{Destination: anyIPv4, Target: model.TargetInternetGateway, TargetID: string(igw.ID), Origin: "CreateRoute"})
	put(t, model.KindRouteTable, t.st.RouteTables, rt.ID, rt)
	for _, z := range t.e.AvailabilityZones() {
		if _, err := t.createDefaultSubnet(v, z); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// createDefaultSubnet adds a default subnet for zone z to the default VPC:
// the lowest /20 of 172.31.0.0/16 that no subnet overlaps.
func (t *txn) createDefaultSubnet(v *model.VPC, z AvailabilityZone) (*model.Subnet, error) {
	base := defaultVpcCIDR.Addr().As4()
	for i := 0; i < 16; i++ {
		b := base
		b[2] = byte(i * 16)
		p := netip.PrefixFrom(netip.AddrFrom4(b), 20)
		free := true
		for _, s := range t.st.Subnets {
			free = free && !(s.VpcID == v.ID && s.CIDR.Overlaps(p))
		}
		if !free {
			continue
		}
		s := &model.Subnet{ID: model.SubnetID(t.newID("subnet")), VpcID: v.ID, CIDR: p,
			AvailabilityZone: z.Name, AvailabilityZoneID: z.ID, MapPublicIPOnLaunch: true, DefaultForAZ: true}
		t.addSubnet(s)
		return s, nil
	}
	return nil, apierr.Newf("InsufficientFreeAddressesInSubnet", "There is no free /20 left in the default VPC %s's CIDR block %s for a default subnet.", v.ID, defaultVpcCIDR)
}

// CreateDefaultSubnet creates the default subnet of a zone in the default
// VPC (CreateDefaultSubnet): a /20 of 172.31.0.0/16 that maps public IPs on
// launch.
func (e *Engine) CreateDefaultSubnet(az, azID string) (*model.Subnet, error) {
	if az == "" && azID == "" {
		return nil, errMissingParameter("availabilityZone")
	}
	var out *model.Subnet
	err := e.write(func(t *txn) error {
		name, id, err := t.e.pickAZ(az, azID)
		if err != nil {
			return err
		}
		v := t.defaultVpc()
		if v == nil {
			return apierr.New("DefaultVpcDoesNotExist", "No default VPC exists for this account in this region.")
		}
		for _, s := range t.st.Subnets {
			if s.VpcID == v.ID && s.DefaultForAZ && s.AvailabilityZone == name {
				return apierr.Newf("DefaultSubnetAlreadyExistsInAvailabilityZone", "'%s' is already the default subnet in %s.", s.ID, name)
			}
		}
		out, err = t.createDefaultSubnet(v, AvailabilityZone{Name: name, ID: id})
		return err
	})
	return out, err
}

func (t *txn) defaultVpc() *model.VPC {
	for _, v := range t.st.VPCs {
		if v.IsDefault {
			return v
		}
	}
	return nil
}

// defaultSubnet picks the subnet of a launch that names none
// (RunInstances, API_RunInstances.html: "we choose a default subnet from
// your default VPC"): the default subnet of zone az, or of the first zone
// that has one.
func (t *txn) defaultSubnet(az string, groupNames bool) (*model.Subnet, error) {
	v := t.defaultVpc()
	if v == nil {
		msg := "No default VPC for this user"
		if groupNames {
			msg += ". GroupName is only supported for EC2-Classic and default VPC."
		}
		return nil, apierr.New("VPCIdNotSpecified", msg)
	}
	var pick *model.Subnet
	for _, s := range t.st.Subnets {
		if s.VpcID != v.ID || !s.DefaultForAZ || (az != "" && s.AvailabilityZone != az) {
			continue
		}
		if pick == nil || s.AvailabilityZone < pick.AvailabilityZone || (s.AvailabilityZone == pick.AvailabilityZone && s.ID < pick.ID) {
			pick = s
		}
	}
	if pick == nil {
		if az != "" {
			if _, _, err := t.e.pickAZ(az, ""); err != nil {
				return nil, errInvalidParameterValue("Invalid availability zone: [%s]", az)
			}
		}
		return nil, apierr.Newf("MissingInput", "No subnets found for the default VPC '%s'. Please specify a subnet.", v.ID)
	}
	return pick, nil
}

// DefaultVpc returns the default VPC, if there is one.
func (e *Engine) DefaultVpc() *model.VPC {
	var out *model.VPC
	e.Read(func(st *model.State) {
		for _, v := range st.VPCs {
			if v.IsDefault {
				out = v
			}
		}
	})
	return out
}

func (t *txn) vpc(id model.VpcID) (*model.VPC, error) {
	if err := checkID(string(id), "vpc", "InvalidVpcID.Malformed"); err != nil {
		return nil, err
	}
	v := t.st.VPCs[id]
	if v == nil {
		return nil, errVpcNotFound(id)
	}
	return v, nil
}

// DeleteVpc deletes a VPC that has nothing left in it but its defaults.
func (e *Engine) DeleteVpc(id model.VpcID) error {
	return e.write(func(t *txn) error {
		v, err := t.vpc(id)
		if err != nil {
			return err
		}
		busy := t.st.VpcInternetGateway(id) != nil || t.st.VpcEgressOnlyIGW(id) != nil
		for _, s := range t.st.Subnets {
			busy = busy || s.VpcID == id
		}
		for _, rt := range t.st.RouteTables {
			busy = busy || (rt.VpcID == id && rt.ID != v.MainRouteTable)
		}
		for _, sg := range t.st.SecurityGroups {
			busy = busy || (sg.VpcID == id && sg.ID != v.DefaultSecurityGroup)
		}
		for _, acl := range t.st.NetworkACLs {
			busy = busy || (acl.VpcID == id && acl.ID != v.DefaultNetworkACL)
		}
		for _, ep := range t.st.VpcEndpoints {
			busy = busy || ep.VpcID == id
		}
		for _, n := range t.st.NatGateways {
			busy = busy || (n.VpcID == id && n.State != "deleted")
		}
		busy = busy || t.vpcHasTGWAttachment(id)
		busy = busy || t.st.VpcVpnGateway(id) != nil
		if busy {
			return errDependency("vpc", string(id))
		}
		del(t, model.KindRouteTable, t.st.RouteTables, v.MainRouteTable)
		del(t, model.KindNetworkACL, t.st.NetworkACLs, v.DefaultNetworkACL)
		del(t, model.KindSecurityGroup, t.st.SecurityGroups, v.DefaultSecurityGroup)
		del(t, model.KindVPC, t.st.VPCs, id)
		t.dropFlowLogs(string(id))
		return nil
	})
}

// ModifyVpcAttribute sets enableDnsSupport or enableDnsHostnames (one per
// call, as AWS requires).
func (e *Engine) ModifyVpcAttribute(id model.VpcID, dnsSupport, dnsHostnames *bool) error {
	if dnsSupport != nil && dnsHostnames != nil {
		// One attribute per call: AWS answers InvalidParameterCombination
		// (aws/aws-sdk-go#415, kubernetes-sigs/cluster-api-provider-aws#783).
		return apierr.New("InvalidParameterCombination", "Fields for multiple attribute types specified: enableDnsSupport, enableDnsHostnames")
	}
	if dnsSupport == nil && dnsHostnames == nil {
		return errInvalidParameterValue("Fields for multiple attribute types specified: enableDnsSupport, enableDnsHostnames")
	}
	return e.write(func(t *txn) error {
		v, err := t.vpc(id)
		if err != nil {
			return err
		}
		nv := *v
		if dnsSupport != nil {
			nv.EnableDNSSupport = *dnsSupport
		}
		if dnsHostnames != nil {
			nv.EnableDNSHostnames = *dnsHostnames
		}
		put(t, model.KindVPC, t.st.VPCs, id, &nv)
		return nil
	})
}

// ModifyVpcNetworkAddressUsageMetrics sets a VPC's
// enableNetworkAddressUsageMetrics attribute (off on every new VPC).
func (e *Engine) ModifyVpcNetworkAddressUsageMetrics(id model.VpcID, on bool) error {
	return e.write(func(t *txn) error {
		v, err := t.vpc(id)
		if err != nil {
			return err
		}
		nv := *v
		nv.EnableNAUMetrics = on
		put(t, model.KindVPC, t.st.VPCs, id, &nv)
		return nil
	})
}

// ModifyVpcTenancy changes a VPC's instance tenancy. AWS allows only
// "default" (a dedicated VPC can be made default, not the reverse).
func (e *Engine) ModifyVpcTenancy(id model.VpcID, tenancy string) error {
	if tenancy != "default" {
		return apierr.Newf("UnsupportedTenancy", "The tenancy value %s is not supported.", tenancy)
	}
	return e.write(func(t *txn) error {
		v, err := t.vpc(id)
		if err != nil {
			return err
		}
		nv := *v
		nv.InstanceTenancy = tenancy
		put(t, model.KindVPC, t.st.VPCs, id, &nv)
		return nil
	})
}

// CreateSubnetInput is CreateSubnet's input.
type CreateSubnetInput struct {
	VpcID              model.VpcID
	CIDR               string
	IPv6CIDR           string
	IPv6Native         bool
	AvailabilityZone   string
	AvailabilityZoneID string
	Tags               model.Tags
}

// CreateSubnet creates a subnet: a /16 to /28 inside one of the VPC's CIDRs,
// overlapping no other subnet, in a zone of the region. It starts associated
// with the VPC's main route table and default network ACL.
func (e *Engine) CreateSubnet(in CreateSubnetInput) (*model.Subnet, error) {
	if in.VpcID == "" {
		return nil, errMissingParameter("vpcId")
	}
	if in.IPv6Native {
		// The order and texts of moto's test_create_ipv6native_subnet_*
		// tests, verified against AWS: the IPv6 block is asked for first.
		if in.IPv6CIDR == "" {
			return nil, apierr.New("MissingParameter", "Either 'ipv6CidrBlock' or 'ipv6IpamPoolId' should be provided.")
		}
		if in.CIDR != "" {
			return nil, apierr.New("InvalidParameterCombination", "When specifying ipv4 parameters, cidrBlock or ipv4IpamPoolId, you cannot set ipv6Native to true.")
		}
		return e.createIPv6OnlySubnet(in)
	}
	if in.CIDR == "" {
		return nil, errMissingParameter("cidrBlock")
	}
	p, err := parseIPv4Prefix("cidrBlock", in.CIDR)
	if err != nil {
		return nil, err
	}
	p = p.Masked() // canonical form, as AWS keeps it
	var out *model.Subnet
	err = e.write(func(t *txn) error {
		v, err := t.vpc(in.VpcID)
		if err != nil {
			return err
		}
		var v6 []model.IPv6Block
		if in.IPv6CIDR != "" {
			p6, err := t.subnetIPv6(v, in.IPv6CIDR, "")
			if err != nil {
				return err
			}
			v6 = []model.IPv6Block{{CIDR: p6, AssociationID: t.newID("subnet-cidr-assoc")}}
		}
		inside := false
		for _, c := range v.CIDRs() {
			inside = inside || (c.Bits() <= p.Bits() && c.Contains(p.Addr()))
		}
		if !inside || p.Bits() < 16 || p.Bits() > 28 {
			return apierr.Newf("InvalidSubnet.Range", "The CIDR '%s' is invalid.", in.CIDR)
		}
		for _, s := range t.st.Subnets {
			if s.VpcID == v.ID && s.CIDR.Overlaps(p) {
				return apierr.Newf("InvalidSubnet.Conflict", "The CIDR '%s' conflicts with another subnet", in.CIDR)
			}
		}
		az, azID, err := t.e.pickAZ(in.AvailabilityZone, in.AvailabilityZoneID)
		if err != nil {
			return err
		}
		s := &model.Subnet{ID: model.SubnetID(t.newID("subnet")), VpcID: v.ID, CIDR: p, IPv6: v6,
			AvailabilityZone: az, AvailabilityZoneID: azID, Tags: in.Tags.Clone()}
		t.addSubnet(s)
		out = s
		return nil
	})
	return out, err
}

// createIPv6OnlySubnet creates an IPv6-only subnet: an IPv6 block and no IPv4
// CIDR (configure-subnets.md, "IPv6-only subnets").
func (e *Engine) createIPv6OnlySubnet(in CreateSubnetInput) (*model.Subnet, error) {
	var out *model.Subnet
	err := e.write(func(t *txn) error {
		v, err := t.vpc(in.VpcID)
		if err != nil {
			return err
		}
		p6, err := t.subnetIPv6(v, in.IPv6CIDR, "")
		if err != nil {
			return err
		}
		az, azID, err := t.e.pickAZ(in.AvailabilityZone, in.AvailabilityZoneID)
		if err != nil {
			return err
		}
		s := &model.Subnet{ID: model.SubnetID(t.newID("subnet")), VpcID: v.ID, IPv6Native: true, AssignIPv6AddressOnCreation: true,
			HostnameType: "resource-name", ResourceNameDNSAAAA: true,
			IPv6: []model.IPv6Block{{CIDR: p6, AssociationID: t.newID("subnet-cidr-assoc")}}, AvailabilityZone: az, AvailabilityZoneID: azID, Tags: in.Tags.Clone()}
		t.addSubnet(s)
		out = s
		return nil
	})
	return out, err
}

func (e *Engine) pickAZ(name, id string) (string, string, error) {
	zones := e.AvailabilityZones()
	if name == "" && id == "" {
		return zones[0].Name, zones[0].ID, nil
	}
	for _, z := range zones {
		if (name != "" && z.Name == name) || (name == "" && z.ID == id) {
			return z.Name, z.ID, nil
		}
	}
	names := make([]string, len(zones))
	for i, z := range zones {
		names[i] = z.Name
	}
	bad := name
	if bad == "" {
		bad = id
	}
	return "", "", errInvalidParameterValue("Value (%s) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: %s.", bad, strings.Join(names, ", "))
}

// addSubnet stores a new subnet and associates it with the default ACL.
func (t *txn) addSubnet(s *model.Subnet) {
	put(t, model.KindSubnet, t.st.Subnets, s.ID, s)
	acl := cloneACL(t.st.NetworkACLs[t.st.VPCs[s.VpcID].DefaultNetworkACL])
	acl.Associations = append(acl.Associations, model.NetworkACLAssociation{ID: model.NetworkACLAssocID(t.newID("aclassoc")), SubnetID: s.ID})
	put(t, model.KindNetworkACL, t.st.NetworkACLs, acl.ID, acl)
	t.expandRegionalNats(s.VpcID)
}

func (t *txn) subnet(id model.SubnetID) (*model.Subnet, error) {
	if err := checkID(string(id), "subnet", "InvalidSubnetID.Malformed"); err != nil {
		return nil, err
	}
	s := t.st.Subnets[id]
	if s == nil {
		return nil, errSubnetNotFound(id)
	}
	return s, nil
}

// DeleteSubnet deletes a subnet that holds no network interfaces.
func (e *Engine) DeleteSubnet(id model.SubnetID) error {
	return e.write(func(t *txn) error {
		if _, err := t.subnet(id); err != nil {
			return err
		}
		if t.e.idx.subnetENIs[id] > 0 || t.subnetHasTGWAttachment(id) {
			return errDependency("subnet", string(id))
		}
		for _, rt := range t.st.RouteTables {
			if i := slices.IndexFunc(rt.Associations, func(a model.RouteTableAssociation) bool { return a.SubnetID == id }); i >= 0 {
				c := cloneRT(rt)
				c.Associations = slices.Delete(c.Associations, i, i+1)
				put(t, model.KindRouteTable, t.st.RouteTables, c.ID, c)
			}
		}
		for _, acl := range t.st.NetworkACLs {
			if i := slices.IndexFunc(acl.Associations, func(a model.NetworkACLAssociation) bool { return a.SubnetID == id }); i >= 0 {
				c := cloneACL(acl)
				c.Associations = slices.Delete(c.Associations, i, i+1)
				put(t, model.KindNetworkACL, t.st.NetworkACLs, c.ID, c)
			}
		}
		vpc := t.st.Subnets[id].VpcID
		del(t, model.KindSubnet, t.st.Subnets, id)
		t.dropFlowLogs(string(id))
		t.retractRegionalNats(vpc)
		return nil
	})
}

// ModifySubnetAttribute sets MapPublicIpOnLaunch.
func (e *Engine) ModifySubnetAttribute(id model.SubnetID, mapPublicIP bool) error {
	return e.write(func(t *txn) error {
		s, err := t.subnet(id)
		if err != nil {
			return err
		}
		ns := *s
		ns.MapPublicIPOnLaunch = mapPublicIP
		put(t, model.KindSubnet, t.st.Subnets, id, &ns)
		return nil
	})
}

func cloneRT(rt *model.RouteTable) *model.RouteTable {
	c := *rt
	c.Routes = slices.Clone(rt.Routes)
	c.Associations = slices.Clone(rt.Associations)
	c.PropagatingVgws = slices.Clone(rt.PropagatingVgws)
	return &c
}

func cloneACL(a *model.NetworkACL) *model.NetworkACL {
	c := *a
	c.Entries = slices.Clone(a.Entries)
	c.Associations = slices.Clone(a.Associations)
	return &c
}

// maxVpcCIDRs is the default quota of IPv4 CIDR blocks per VPC
// (amazon-vpc-limits.md: 5).
const maxVpcCIDRs = 5

// AssociateVpcCidrBlock adds a secondary IPv4 CIDR block to a VPC: /16 to
// /28, overlapping none of its blocks, within the quota of five; every route
// table of the VPC gets its local route.
func (e *Engine) AssociateVpcCidrBlock(id model.VpcID, cidr string) (assocID string, p netip.Prefix, err error) {
	if cidr == "" {
		return "", netip.Prefix{}, errMissingParameter("cidrBlock")
	}
	p, err = parseIPv4Prefix("cidrBlock", cidr)
	if err != nil {
		return "", netip.Prefix{}, err
	}
	p = p.Masked() // canonical form, as CreateVpc keeps it
	err = e.write(func(t *txn) error {
		v, err := t.vpc(id)
		if err != nil {
			return err
		}
		if p.Bits() < 16 || p.Bits() > 28 {
			return apierr.Newf("InvalidVpc.Range", "The CIDR '%s' is invalid.", cidr)
		}
		if len(v.CIDRs()) >= maxVpcCIDRs {
			return apierr.Newf("CidrLimitExceeded", "This network '%s' has met its maximum number of allowed CIDRs: %d", id, maxVpcCIDRs)
		}
		for _, c := range v.CIDRs() {
			if c.Overlaps(p) {
				return apierr.Newf("InvalidVpc.Range", "The CIDR '%s' conflicts with the CIDR block %s of %s.", cidr, c, id)
			}
		}
		nv := *v
		nv.Secondary = append(slices.Clone(v.Secondary), p)
		assocID = t.newID("vpc-cidr-assoc")
		nv.CIDRAssociationIDs = append(slices.Clone(v.CIDRAssociationIDs), assocID)
		put(t, model.KindVPC, t.st.VPCs, id, &nv)
		for _, rt := range sortedValues(t.st.RouteTables) {
			if rt.VpcID == id {
				c := cloneRT(rt)
				c.Routes = append(c.Routes, localRoute(p))
				put(t, model.KindRouteTable, t.st.RouteTables, c.ID, c)
			}
		}
		return nil
	})
	return assocID, p, err
}

// DisassociateVpcCidrBlock removes a secondary IPv4 CIDR block (never the
// primary one) that no subnet uses, with its local routes.
func (e *Engine) DisassociateVpcCidrBlock(assocID string) (model.VpcID, netip.Prefix, error) {
	var vpc model.VpcID
	var p netip.Prefix
	err := e.write(func(t *txn) error {
		for _, v := range sortedValues(t.st.VPCs) {
			if k := slices.IndexFunc(v.IPv6, func(b model.IPv6Block) bool { return b.AssociationID == assocID }); k >= 0 {
				var err error
				p, err = t.disassociateVpcIPv6(v, k)
				vpc = v.ID
				return err
			}
			i := slices.Index(v.CIDRAssociationIDs, assocID)
			if i < 0 {
				continue
			}
			if i == 0 {
				return apierr.Newf("OperationNotPermitted", "The vpc CIDR block with association ID %s may not be disassociated. It is the primary IPv4 CIDR block of the VPC", assocID)
			}
			p = v.CIDRs()[i]
			for _, s := range t.st.Subnets {
				if s.VpcID == v.ID && p.Overlaps(s.CIDR) {
					return apierr.Newf("InvalidCidrBlock.InUse", "The vpc %s currently has a subnet within CIDR block %s", v.ID, p)
				}
			}
			nv := *v
			nv.Secondary = slices.Delete(slices.Clone(v.Secondary), i-1, i)
			nv.CIDRAssociationIDs = slices.Delete(slices.Clone(v.CIDRAssociationIDs), i, i+1)
			put(t, model.KindVPC, t.st.VPCs, v.ID, &nv)
			for _, rt := range sortedValues(t.st.RouteTables) {
				if rt.VpcID != v.ID {
					continue
				}
				c := cloneRT(rt)
				c.Routes = slices.DeleteFunc(c.Routes, func(r model.Route) bool { return r.Target == model.TargetLocal && r.Destination == p })
				put(t, model.KindRouteTable, t.st.RouteTables, c.ID, c)
			}
			vpc = v.ID
			return nil
		}
		return apierr.Newf("InvalidVpcCidrBlockAssociationID.NotFound", "The vpc CIDR block association ID '%s' does not exist", assocID)
	})
	return vpc, p, err
}

// CreateSubnetCidrReservation sets a range of a subnet aside: inside the
// subnet, overlapping no other reservation; type explicit or prefix.
func (e *Engine) CreateSubnetCidrReservation(subnet model.SubnetID, cidr, typ, description string, tags model.Tags) (*model.SubnetCIDRReservation, error) {
	if typ != "explicit" && typ != "prefix" {
		return nil, errInvalidParameterValue("Value (%s) for parameter reservationType is invalid. Valid values are prefix and explicit.", typ)
	}
	p, err := netip.ParsePrefix(cidr)
	if err != nil || p.Masked() != p {
		return nil, errBadCIDR("cidr", cidr)
	}
	var out *model.SubnetCIDRReservation
	err = e.write(func(t *txn) error {
		s, err := t.subnet(subnet)
		if err != nil {
			return err
		}
		if !reservable(s, p) {
			block := s.CIDR.String()
			if p.Addr().Is6() && len(s.IPv6) > 0 {
				block = s.IPv6[0].CIDR.String()
			}
			return errInvalidParameterValue("Reservation CIDR should be within subnet CIDR block (%s)", block)
		}
		for _, r := range s.CIDRReservations {
			if r.CIDR.Overlaps(p) {
				// AWS's text (terraform-provider-aws#45304).
				return errInvalidParameterValue("Reservation CIDR %s has overlap with existing reserved CIDR block", cidr)
			}
		}
		ns := *s
		r := model.SubnetCIDRReservation{ID: t.newID("scr"), CIDR: p, Type: typ, Description: description, Tags: tags.Clone()}
		ns.CIDRReservations = append(slices.Clone(s.CIDRReservations), r)
		put(t, model.KindSubnet, t.st.Subnets, ns.ID, &ns)
		out = &r
		return nil
	})
	return out, err
}

// reservable reports whether p lies inside the subnet: its IPv4 block, or
// for an IPv6 prefix one of its IPv6 blocks (API_CreateSubnetCidrReservation:
// "The IPv4 or IPV6 CIDR range to reserve").
func reservable(s *model.Subnet, p netip.Prefix) bool {
	if p.Addr().Is4() {
		return !s.IPv6Native && s.CIDR.Contains(p.Addr()) && p.Bits() >= s.CIDR.Bits()
	}
	for _, b := range s.IPv6 {
		if b.CIDR.Contains(p.Addr()) && p.Bits() >= b.CIDR.Bits() {
			return true
		}
	}
	return false
}

// DeleteSubnetCidrReservation removes a reservation and returns it with
// its subnet.
func (e *Engine) DeleteSubnetCidrReservation(id string) (model.SubnetID, *model.SubnetCIDRReservation, error) {
	var sub model.SubnetID
	var out *model.SubnetCIDRReservation
	err := e.write(func(t *txn) error {
		for _, s := range sortedValues(t.st.Subnets) {
			for i, r := range s.CIDRReservations {
				if r.ID != id {
					continue
				}
				ns := *s
				ns.CIDRReservations = slices.Delete(slices.Clone(s.CIDRReservations), i, i+1)
				put(t, model.KindSubnet, t.st.Subnets, ns.ID, &ns)
				sub, out = s.ID, &r
				return nil
			}
		}
		return apierr.Newf("InvalidSubnetCidrReservationID.NotFound", "The subnet-cidr-reservation ID '%s' does not exist", id)
	})
	return sub, out, err
}
