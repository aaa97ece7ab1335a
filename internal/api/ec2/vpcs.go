package ec2

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerVPCs(r *api.Registry) {
	add(r, "CreateVpc", createVpc)
	add(r, "CreateDefaultVpc", createDefaultVpc)
	add(r, "DeleteVpc", deleteVpc)
	add(r, "DescribeVpcs", describeVpcs)
	add(r, "ModifyVpcAttribute", modifyVpcAttribute)
	add(r, "DescribeVpcAttribute", describeVpcAttribute)
	add(r, "ModifyVpcTenancy", modifyVpcTenancy)
	add(r, "AssociateVpcCidrBlock", associateVpcCidrBlock)
	add(r, "DisassociateVpcCidrBlock", disassociateVpcCidrBlock)
	add(r, "CreateSubnet", createSubnet)
	add(r, "CreateDefaultSubnet", createDefaultSubnet)
	add(r, "AssociateSubnetCidrBlock", associateSubnetCidrBlock)
	add(r, "DisassociateSubnetCidrBlock", disassociateSubnetCidrBlock)
	add(r, "CreateSubnetCidrReservation", createSubnetCidrReservation)
	add(r, "GetSubnetCidrReservations", getSubnetCidrReservations)
	add(r, "DeleteSubnetCidrReservation", deleteSubnetCidrReservation)
	add(r, "DeleteSubnet", deleteSubnet)
	add(r, "DescribeSubnets", describeSubnets)
	add(r, "ModifySubnetAttribute", modifySubnetAttribute)
	add(r, "CreateInternetGateway", createInternetGateway)
	add(r, "AttachInternetGateway", attachInternetGateway)
	add(r, "DetachInternetGateway", detachInternetGateway)
	add(r, "DeleteInternetGateway", deleteInternetGateway)
	add(r, "DescribeInternetGateways", describeInternetGateways)
	add(r, "DescribeAvailabilityZones", describeAvailabilityZones)
	add(r, "DescribeRegions", describeRegions)
	add(r, "DescribeAccountAttributes", describeAccountAttributes)
	add(r, "DescribeVpcClassicLink", describeVpcClassicLink)
	add(r, "DescribeVpcClassicLinkDnsSupport", describeVpcClassicLinkDNSSupport)
	for _, op := range []string{"EnableVpcClassicLink", "DisableVpcClassicLink", "EnableVpcClassicLinkDnsSupport",
		"DisableVpcClassicLinkDnsSupport", "AttachClassicLinkVpc", "DetachClassicLinkVpc"} {
		add(r, op, classicLinkRetired)
	}
}

// ClassicLink went with EC2-Classic (retired 2023-08-15): the Describe
// operations still answer, every VPC with ClassicLink off; the others are
// refused. Terraform's AWS provider before v5 read both attributes of
// every aws_vpc (ec2-classic-platform.html, "ClassicLink").
func classicLinkVpcs(c *api.Call, ids []string) ([]*model.VPC, error) {
	var items []*model.VPC
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.VPCs, ids, notFound("InvalidVpcID.NotFound", "vpc"))
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(items, func(a, b *model.VPC) int { return strings.Compare(string(a.ID), string(b.ID)) })
	return items, nil
}

func describeVpcClassicLink(c *api.Call) (map[string]any, error) {
	items, err := classicLinkVpcs(c, c.In.Strings("VpcIds"))
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, v := range items {
		out[i] = map[string]any{"VpcId": v.ID, "ClassicLinkEnabled": false, "Tags": api.EC2Tags(v.Tags)}
	}
	return map[string]any{"Vpcs": out}, nil
}

func describeVpcClassicLinkDNSSupport(c *api.Call) (map[string]any, error) {
	items, err := classicLinkVpcs(c, c.In.Strings("VpcIds"))
	if err != nil {
		return nil, err
	}
	items, next, err := page(c.In, items, func(v *model.VPC) string { return string(v.ID) }, 5, 255)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, v := range items {
		out[i] = map[string]any{"VpcId": v.ID, "ClassicLinkDnsSupported": false}
	}
	return map[string]any{"Vpcs": out, "NextToken": next}, nil
}

func classicLinkRetired(*api.Call) (map[string]any, error) {
	// [choice] text: AWS's own after the retirement is unrecorded.
	return nil, apierr.New("UnsupportedOperation", "ClassicLink is not supported: EC2-Classic was retired on August 15, 2023.")
}

func vpcOut(account, region string, v *model.VPC) map[string]any {
	assocs := make([]any, 0, 1+len(v.Secondary))
	for i, c := range v.CIDRs() {
		id := ""
		if i < len(v.CIDRAssociationIDs) {
			id = v.CIDRAssociationIDs[i]
		}
		assocs = append(assocs, map[string]any{"AssociationId": api.Str(id), "CidrBlock": c, "CidrBlockState": map[string]any{"State": "associated"}})
	}
	return map[string]any{
		"VpcId":                       v.ID,
		"OwnerId":                     account,
		"State":                       "available",
		"CidrBlock":                   v.CIDR,
		"CidrBlockAssociationSet":     assocs,
		"DhcpOptionsId":               dhcpOf(v),
		"InstanceTenancy":             v.InstanceTenancy,
		"IsDefault":                   v.IsDefault,
		"Tags":                        api.EC2Tags(v.Tags),
		"BlockPublicAccessStates":     map[string]any{"InternetGatewayBlockMode": "off"},
		"Ipv6CidrBlockAssociationSet": vpcIPv6Out(v.IPv6, "associated", region),
	}
}

// vpcIPv6Out is a VPC's Ipv6CidrBlockAssociationSet. Every block is
// Amazon-provided: public space from the pool "Amazon", advertised from the
// Region's network border group (docs/aws-behavior.md, VPC).
func vpcIPv6Out(blocks []model.IPv6Block, state, region string) []any {
	out := make([]any, len(blocks))
	for i, b := range blocks {
		out[i] = map[string]any{"AssociationId": b.AssociationID, "Ipv6CidrBlock": b.CIDR, "Ipv6CidrBlockState": map[string]any{"State": state},
			"Ipv6Pool": "Amazon", "NetworkBorderGroup": region, "Ipv6AddressAttribute": "public", "IpSource": "amazon"}
	}
	return out
}

func vpcFilters(account string) api.FilterSet[*model.VPC] {
	cidrs := func(v *model.VPC) []string {
		var out []string
		for _, c := range v.CIDRs() {
			out = append(out, c.String())
		}
		return out
	}
	return api.FilterSet[*model.VPC]{
		Tags: func(v *model.VPC) model.Tags { return v.Tags },
		Attrs: map[string]func(*model.VPC) []string{
			"vpc-id":                                      func(v *model.VPC) []string { return api.One(v.ID) },
			"cidr":                                        func(v *model.VPC) []string { return []string{v.CIDR.String()} },
			"cidr-block-association.cidr-block":           cidrs,
			"cidr-block-association.association-id":       func(v *model.VPC) []string { return v.CIDRAssociationIDs },
			"cidr-block-association.state":                func(*model.VPC) []string { return []string{"associated"} },
			"ipv6-cidr-block-association.ipv6-cidr-block": func(v *model.VPC) []string { return ipv6CIDRs(v.IPv6) },
			"ipv6-cidr-block-association.association-id":  func(v *model.VPC) []string { return ipv6AssociationIDs(v.IPv6) },
			// Each IPv6 block is associated, from the Amazon pool.
			"ipv6-cidr-block-association.state": func(v *model.VPC) []string { return ipv6States(v.IPv6) },
			"ipv6-cidr-block-association.ipv6-pool": func(v *model.VPC) []string {
				if len(v.IPv6) == 0 {
					return nil
				}
				return []string{"Amazon"}
			},
			"dhcp-options-id": func(v *model.VPC) []string { return []string{dhcpOf(v)} },
			"is-default":      func(v *model.VPC) []string { return api.Bool(v.IsDefault) },
			// isDefault is the name AWS's API reference gave this filter
			// until 2019; EC2 still accepts it.
			"isDefault": func(v *model.VPC) []string { return api.Bool(v.IsDefault) },
			"owner-id":  func(*model.VPC) []string { return []string{account} },
			"state":     func(*model.VPC) []string { return []string{"available"} },
		},
	}
}

func createVpc(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "vpc")
	if err != nil {
		return nil, err
	}
	if c.In.String("CidrBlock") == "" {
		return nil, apierr.New("MissingParameter", "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.")
	}
	for _, name := range []string{"Ipv6Pool", "Ipv6CidrBlock", "Ipv6IpamPoolId", "Ipv4IpamPoolId"} {
		if c.In.Has(name) {
			return nil, apierr.Newf("UnsupportedOperation", "ecsnet provides Amazon IPv6 blocks only (AmazonProvidedIpv6CidrBlock), not %s.", name)
		}
	}
	v, err := c.Engine.CreateVpc(engine.CreateVpcInput{CIDR: c.In.String("CidrBlock"), InstanceTenancy: c.In.String("InstanceTenancy"), Tags: tags,
		AmazonIPv6: c.In.Bool("AmazonProvidedIpv6CidrBlock")})
	if err != nil {
		return nil, err
	}
	out := vpcOut(c.Account, c.Region, v)
	out["State"] = "pending"
	// The create answer has no BlockPublicAccessStates; Describe has it.
	delete(out, "BlockPublicAccessStates")
	// The Amazon IPv6 block is still "associating" (DescribeVpcs then shows
	// it associated). AWS answers its CIDR "" until then; ecsnet gives the
	// block at once [choice].
	out["Ipv6CidrBlockAssociationSet"] = vpcIPv6Out(v.IPv6, "associating", c.Region)
	return map[string]any{"Vpc": out}, nil
}

func createDefaultVpc(c *api.Call) (map[string]any, error) {
	v, err := c.Engine.CreateDefaultVpc()
	if err != nil {
		return nil, err
	}
	out := vpcOut(c.Account, c.Region, v)
	out["State"] = "pending"
	// The create answer has no BlockPublicAccessStates; Describe has it.
	delete(out, "BlockPublicAccessStates")
	// The Amazon IPv6 block is still "associating" (DescribeVpcs then shows
	// it associated). AWS answers its CIDR "" until then; ecsnet gives the
	// block at once [choice].
	out["Ipv6CidrBlockAssociationSet"] = vpcIPv6Out(v.IPv6, "associating", c.Region)
	return map[string]any{"Vpc": out}, nil
}

func associateVpcCidrBlock(c *api.Call) (map[string]any, error) {
	for _, name := range []string{"Ipv6CidrBlock", "Ipv6Pool", "Ipv4IpamPoolId", "Ipv6IpamPoolId"} {
		if c.In.Has(name) {
			return nil, apierr.Newf("UnsupportedOperation", "ecsnet associates IPv4 blocks and Amazon-provided IPv6 blocks only, not %s.", name)
		}
	}
	id := model.VpcID(c.In.String("VpcId"))
	if c.In.Bool("AmazonProvidedIpv6CidrBlock") {
		b, err := c.Engine.AssociateVpcIPv6(id)
		if err != nil {
			return nil, err
		}
		return map[string]any{"VpcId": id, "Ipv6CidrBlockAssociation": vpcIPv6Out([]model.IPv6Block{b}, "associating", c.Region)[0]}, nil
	}
	assoc, p, err := c.Engine.AssociateVpcCidrBlock(id, c.In.String("CidrBlock"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"VpcId": id, "CidrBlockAssociation": map[string]any{"AssociationId": assoc, "CidrBlock": p,
		"CidrBlockState": map[string]any{"State": "associating"}}}, nil
}

func disassociateVpcCidrBlock(c *api.Call) (map[string]any, error) {
	assoc := c.In.String("AssociationId")
	id, p, err := c.Engine.DisassociateVpcCidrBlock(assoc)
	if err != nil {
		return nil, err
	}
	if p.Addr().Is6() {
		return map[string]any{"VpcId": id, "Ipv6CidrBlockAssociation": vpcIPv6Out([]model.IPv6Block{{CIDR: p, AssociationID: assoc}}, "disassociating", c.Region)[0]}, nil
	}
	return map[string]any{"VpcId": id, "CidrBlockAssociation": map[string]any{"AssociationId": assoc, "CidrBlock": p,
		"CidrBlockState": map[string]any{"State": "disassociating"}}}, nil
}

func deleteVpc(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteVpc(model.VpcID(c.In.String("VpcId")))
}

func describeVpcs(c *api.Call) (map[string]any, error) {
	var items []*model.VPC
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.VPCs, c.In.Strings("VpcIds"), notFoundOrMalformed("InvalidVpcID.NotFound", "vpc", "vpc", "InvalidVpcID.Malformed"))
	})
	if err != nil {
		return nil, err
	}
	if items, err = vpcFilters(c.Account).Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	items = api.SortBy(items, func(v *model.VPC) string { return string(v.ID) })
	items, next, err := page(c.In, items, func(v *model.VPC) string { return string(v.ID) }, 5, 1000)
	if err != nil {
		return nil, err
	}
	bpa := make([]string, len(items))
	c.Engine.Read(func(st *model.State) {
		for i, v := range items {
			bpa[i] = st.BPAStateOf(v.ID, "")
		}
	})
	out := make([]any, len(items))
	for i, v := range items {
		o := vpcOut(c.Account, c.Region, v)
		o["BlockPublicAccessStates"] = map[string]any{"InternetGatewayBlockMode": bpa[i]}
		out[i] = o
	}
	return map[string]any{"Vpcs": out, "NextToken": next}, nil
}

func modifyVpcAttribute(c *api.Call) (map[string]any, error) {
	if c.In.Has("EnableNetworkAddressUsageMetrics") {
		if c.In.Has("EnableDnsSupport") || c.In.Has("EnableDnsHostnames") {
			// The message names the attributes the request gave
			// (aws/aws-tools-for-powershell#404).
			var given []string
			for _, f := range []string{"EnableDnsSupport", "EnableDnsHostnames", "EnableNetworkAddressUsageMetrics"} {
				if c.In.Has(f) {
					given = append(given, strings.ToLower(f[:1])+f[1:])
				}
			}
			return nil, apierr.New("InvalidParameterCombination", "Fields for multiple attribute types specified: "+strings.Join(given, ", "))
		}
		on := optBool(c.In, "EnableNetworkAddressUsageMetrics")
		return nil, c.Engine.ModifyVpcNetworkAddressUsageMetrics(model.VpcID(c.In.String("VpcId")), on != nil && *on)
	}
	id := model.VpcID(c.In.String("VpcId"))
	if on := optBool(c.In, "EnableDnsHostnames"); on != nil && *on && !c.In.Has("EnableDnsSupport") {
		// "You can only enable DNS hostnames if you've enabled DNS
		// support" (ModifyVpcAttributeRequest.EnableDnsHostnames). Checked
		// on the API only: templates and configurations set the two in
		// their own order.
		var support, found bool
		c.Engine.Read(func(st *model.State) {
			if v := st.VPCs[id]; v != nil {
				support, found = v.EnableDNSSupport, true
			}
		})
		if found && !support {
			return nil, apierr.Newf("InvalidParameterValue", "Cannot enable DNS hostnames on VPC %s: DNS support is disabled. Enable DNS support first.", id) // [choice] text
		}
	}
	return nil, c.Engine.ModifyVpcAttribute(id, optBool(c.In, "EnableDnsSupport"), optBool(c.In, "EnableDnsHostnames"))
}

func modifyVpcTenancy(c *api.Call) (map[string]any, error) {
	if err := c.Engine.ModifyVpcTenancy(model.VpcID(c.In.String("VpcId")), c.In.String("InstanceTenancy")); err != nil {
		return nil, err
	}
	return map[string]any{"ReturnValue": true}, nil
}

func describeVpcAttribute(c *api.Call) (map[string]any, error) {
	id := c.In.String("VpcId")
	var v *model.VPC
	c.Engine.Read(func(st *model.State) { v = st.VPCs[model.VpcID(id)] })
	if v == nil {
		return nil, notFound("InvalidVpcID.NotFound", "vpc")(id)
	}
	out := map[string]any{"VpcId": id}
	switch c.In.String("Attribute") {
	case "enableDnsSupport":
		out["EnableDnsSupport"] = boolAttr(v.EnableDNSSupport)
	case "enableDnsHostnames":
		out["EnableDnsHostnames"] = boolAttr(v.EnableDNSHostnames)
	case "enableNetworkAddressUsageMetrics":
		out["EnableNetworkAddressUsageMetrics"] = boolAttr(v.EnableNAUMetrics)
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", c.In.String("Attribute"))
	}
	return out, nil
}

// subnetUse counts the private addresses in use per subnet.
func subnetUse(st *model.State) map[model.SubnetID]int {
	used := map[model.SubnetID]int{}
	for _, n := range st.NetworkInterfaces {
		used[n.SubnetID] += len(n.PrivateIPs)
	}
	return used
}

func subnetOut(c *api.Call, s *model.Subnet, used int) map[string]any {
	size := 0
	if s.CIDR.IsValid() {
		size = 1 << (32 - s.CIDR.Bits())
	}
	v6 := make([]any, len(s.IPv6))
	for i, b := range s.IPv6 {
		v6[i] = map[string]any{"AssociationId": b.AssociationID, "Ipv6CidrBlock": b.CIDR, "Ipv6CidrBlockState": map[string]any{"State": "associated"},
			"Ipv6AddressAttribute": "public", "IpSource": "amazon"}
	}
	out := map[string]any{
		"SubnetId":                      s.ID,
		"SubnetArn":                     arn(c.Region, c.Account, "subnet", string(s.ID)),
		"VpcId":                         s.VpcID,
		"State":                         "available",
		"CidrBlock":                     api.Str(cidrOrEmpty(s.CIDR)),
		"AvailabilityZone":              s.AvailabilityZone,
		"AvailabilityZoneId":            s.AvailabilityZoneID,
		"AvailableIpAddressCount":       max(size-5-used, 0),
		"DefaultForAz":                  s.DefaultForAZ,
		"MapPublicIpOnLaunch":           s.MapPublicIPOnLaunch,
		"MapCustomerOwnedIpOnLaunch":    false,
		"AssignIpv6AddressOnCreation":   s.AssignIPv6AddressOnCreation,
		"Ipv6CidrBlockAssociationSet":   v6,
		"Ipv6Native":                    s.IPv6Native,
		"EnableDns64":                   s.EnableDNS64,
		"OwnerId":                       c.Account,
		"Tags":                          api.EC2Tags(s.Tags),
		"PrivateDnsNameOptionsOnLaunch": map[string]any{"HostnameType": s.Hostname(), "EnableResourceNameDnsARecord": s.ResourceNameDNSA, "EnableResourceNameDnsAAAARecord": s.ResourceNameDNSAAAA},
		"BlockPublicAccessStates":       map[string]any{"InternetGatewayBlockMode": "off"},
	}
	return out
}

func cidrOrEmpty(p netip.Prefix) string {
	if !p.IsValid() {
		return ""
	}
	return p.String()
}

func subnetFilters(c *api.Call, used map[model.SubnetID]int) api.FilterSet[*model.Subnet] {
	cidr := func(s *model.Subnet) []string { return []string{s.CIDR.String()} }
	def := func(s *model.Subnet) []string { return api.Bool(s.DefaultForAZ) }
	return api.FilterSet[*model.Subnet]{
		Tags: func(s *model.Subnet) model.Tags { return s.Tags },
		Attrs: map[string]func(*model.Subnet) []string{
			"subnet-id":                       func(s *model.Subnet) []string { return api.One(s.ID) },
			"vpc-id":                          func(s *model.Subnet) []string { return api.One(s.VpcID) },
			"availability-zone":               func(s *model.Subnet) []string { return api.One(s.AvailabilityZone) },
			"availability-zone-id":            func(s *model.Subnet) []string { return api.One(s.AvailabilityZoneID) },
			"availabilityZone":                func(s *model.Subnet) []string { return api.One(s.AvailabilityZone) },
			"cidr":                            cidr,
			"cidr-block":                      cidr,
			"cidrBlock":                       cidr,
			"default-for-az":                  def,
			"defaultForAz":                    def,
			"map-public-ip-on-launch":         func(s *model.Subnet) []string { return api.Bool(s.MapPublicIPOnLaunch) },
			"map-customer-owned-ip-on-launch": func(*model.Subnet) []string { return api.Bool(false) },
			// Outposts, customer-owned pools and LNI are not modelled: no
			// subnet has them, so these filters match none.
			"customer-owned-ipv4-pool":   func(*model.Subnet) []string { return nil },
			"outpost-arn":                func(*model.Subnet) []string { return nil },
			"enable-lni-at-device-index": func(*model.Subnet) []string { return nil },
			"enable-dns64":               func(s *model.Subnet) []string { return api.Bool(s.EnableDNS64) },
			"ipv6-native":                func(s *model.Subnet) []string { return api.Bool(s.IPv6Native) },
			"ipv6-cidr-block-association.ipv6-cidr-block":      func(s *model.Subnet) []string { return ipv6CIDRs(s.IPv6) },
			"ipv6-cidr-block-association.association-id":       func(s *model.Subnet) []string { return ipv6AssociationIDs(s.IPv6) },
			"ipv6-cidr-block-association.state":                func(s *model.Subnet) []string { return ipv6States(s.IPv6) },
			"private-dns-name-options-on-launch.hostname-type": func(s *model.Subnet) []string { return []string{s.Hostname()} },
			"private-dns-name-options-on-launch.enable-resource-name-dns-a-record": func(s *model.Subnet) []string {
				return api.Bool(s.ResourceNameDNSA)
			},
			"private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record": func(s *model.Subnet) []string {
				return api.Bool(s.ResourceNameDNSAAAA)
			},
			"owner-id":   func(*model.Subnet) []string { return []string{c.Account} },
			"state":      func(*model.Subnet) []string { return []string{"available"} },
			"subnet-arn": func(s *model.Subnet) []string { return []string{arn(c.Region, c.Account, "subnet", string(s.ID))} },
			"available-ip-address-count": func(s *model.Subnet) []string {
				return []string{strconv.Itoa(max((1<<(32-s.CIDR.Bits()))-5-used[s.ID], 0))}
			},
		},
	}
}

// ipv6CIDRs, ipv6AssociationIDs and ipv6States are the values of the
// ipv6-cidr-block-association.* filters of a VPC's or subnet's IPv6 blocks.
func ipv6CIDRs(blocks []model.IPv6Block) []string {
	out := make([]string, len(blocks))
	for i, b := range blocks {
		out[i] = b.CIDR.String()
	}
	return out
}

func ipv6AssociationIDs(blocks []model.IPv6Block) []string {
	out := make([]string, len(blocks))
	for i, b := range blocks {
		out[i] = b.AssociationID
	}
	return out
}

// ipv6States: a block ecsnet keeps is associated (a disassociated one is
// gone at once).
func ipv6States(blocks []model.IPv6Block) []string {
	if len(blocks) == 0 {
		return nil
	}
	return []string{"associated"}
}

func createSubnet(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "subnet")
	if err != nil {
		return nil, err
	}
	s, err := c.Engine.CreateSubnet(engine.CreateSubnetInput{
		VpcID: model.VpcID(c.In.String("VpcId")), CIDR: c.In.String("CidrBlock"), IPv6CIDR: c.In.String("Ipv6CidrBlock"), IPv6Native: c.In.Bool("Ipv6Native"),
		AvailabilityZone: c.In.String("AvailabilityZone"), AvailabilityZoneID: c.In.String("AvailabilityZoneId"), Tags: tags,
	})
	if err != nil {
		return nil, err
	}
	out := subnetOut(c, s, 0) // available at once, as the CLI's create-subnet example and moto's verified test_create_ipv6native_subnet show
	if len(s.Tags) == 0 {
		out["Tags"] = []any{} // CreateSubnet answers an empty tag set; DescribeSubnets omits it
	}
	return map[string]any{"Subnet": out}, nil
}

func createDefaultSubnet(c *api.Call) (map[string]any, error) {
	s, err := c.Engine.CreateDefaultSubnet(c.In.String("AvailabilityZone"), c.In.String("AvailabilityZoneId"))
	if err != nil {
		return nil, err
	}
	out := subnetOut(c, s, 0) // available, with an empty tag set: API_CreateDefaultSubnet's sample response
	if len(s.Tags) == 0 {
		out["Tags"] = []any{}
	}
	return map[string]any{"Subnet": out}, nil
}

func deleteSubnet(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteSubnet(model.SubnetID(c.In.String("SubnetId")))
}

func describeSubnets(c *api.Call) (map[string]any, error) {
	var items []*model.Subnet
	var used map[model.SubnetID]int
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.Subnets, c.In.Strings("SubnetIds"), notFoundOrMalformed("InvalidSubnetID.NotFound", "subnet", "subnet", "InvalidSubnetID.Malformed"))
		used = subnetUse(st)
	})
	if err != nil {
		return nil, err
	}
	if items, err = subnetFilters(c, used).Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(s *model.Subnet) string { return string(s.ID) }
	items, next, err := page(c.In, items, key, 5, 1000)
	if err != nil {
		return nil, err
	}
	bpa := make([]string, len(items))
	c.Engine.Read(func(st *model.State) {
		for i, s := range items {
			bpa[i] = st.BPAStateOf(s.VpcID, s.ID)
		}
	})
	out := make([]any, len(items))
	for i, s := range items {
		o := subnetOut(c, s, used[s.ID])
		o["BlockPublicAccessStates"] = map[string]any{"InternetGatewayBlockMode": bpa[i]}
		out[i] = o
	}
	return map[string]any{"Subnets": out, "NextToken": next}, nil
}

func modifySubnetAttribute(c *api.Call) (map[string]any, error) {
	for _, name := range []string{"MapCustomerOwnedIpOnLaunch", "CustomerOwnedIpv4Pool", "EnableLniAtDeviceIndex", "DisableLniAtDeviceIndex"} {
		if c.In.Has(name) {
			return nil, apierr.Newf("UnsupportedOperation", "ecsnet does not model Outposts subnet attributes (%s).", name)
		}
	}
	in := engine.SubnetAttributes{
		MapPublicIP:      optBool(c.In, "MapPublicIpOnLaunch"),
		AssignIPv6:       optBool(c.In, "AssignIpv6AddressOnCreation"),
		EnableDNS64:      optBool(c.In, "EnableDns64"),
		HostnameType:     c.In.String("PrivateDnsHostnameTypeOnLaunch"),
		ResourceNameA:    optBool(c.In, "EnableResourceNameDnsARecordOnLaunch"),
		ResourceNameAAAA: optBool(c.In, "EnableResourceNameDnsAAAARecordOnLaunch"),
	}
	if in == (engine.SubnetAttributes{}) {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter MapPublicIpOnLaunch")
	}
	return nil, c.Engine.ModifySubnetAttributes(model.SubnetID(c.In.String("SubnetId")), in)
}

func igwOut(account string, g *model.InternetGateway) map[string]any {
	att := []any{}
	if g.VpcID != "" {
		att = append(att, map[string]any{"State": "available", "VpcId": g.VpcID})
	}
	return map[string]any{"InternetGatewayId": g.ID, "OwnerId": account, "Attachments": att, "Tags": api.EC2Tags(g.Tags)}
}

func createInternetGateway(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "internet-gateway")
	if err != nil {
		return nil, err
	}
	g, err := c.Engine.CreateInternetGateway(tags)
	if err != nil {
		return nil, err
	}
	return map[string]any{"InternetGateway": igwOut(c.Account, g)}, nil
}

func attachInternetGateway(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.AttachInternetGateway(model.InternetGatewayID(c.In.String("InternetGatewayId")), model.VpcID(c.In.String("VpcId")))
}

func detachInternetGateway(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DetachInternetGateway(model.InternetGatewayID(c.In.String("InternetGatewayId")), model.VpcID(c.In.String("VpcId")))
}

func deleteInternetGateway(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteInternetGateway(model.InternetGatewayID(c.In.String("InternetGatewayId")))
}

func describeInternetGateways(c *api.Call) (map[string]any, error) {
	var items []*model.InternetGateway
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.InternetGateways, c.In.Strings("InternetGatewayIds"), notFoundOrMalformed("InvalidInternetGatewayID.NotFound", "internetGateway", "igw", "InvalidInternetGatewayID.Malformed"))
	})
	if err != nil {
		return nil, err
	}
	fs := api.FilterSet[*model.InternetGateway]{
		Tags: func(g *model.InternetGateway) model.Tags { return g.Tags },
		Attrs: map[string]func(*model.InternetGateway) []string{
			"internet-gateway-id": func(g *model.InternetGateway) []string { return api.One(g.ID) },
			"attachment.vpc-id":   func(g *model.InternetGateway) []string { return api.One(g.VpcID) },
			"attachment.state":    func(g *model.InternetGateway) []string { return attachedState(g.VpcID != "") },
			"owner-id":            func(*model.InternetGateway) []string { return []string{c.Account} },
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(g *model.InternetGateway) string { return string(g.ID) }
	items, next, err := page(c.In, items, key, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, g := range items {
		out[i] = igwOut(c.Account, g)
	}
	return map[string]any{"InternetGateways": out, "NextToken": next}, nil
}

func attachedState(attached bool) []string {
	if attached {
		return []string{"available", "attached"}
	}
	return nil
}

func describeAvailabilityZones(c *api.Call) (map[string]any, error) {
	zones := c.Engine.AvailabilityZones()
	names, zids := c.In.Strings("ZoneNames"), c.In.Strings("ZoneIds")
	for _, n := range names {
		found := false
		for _, z := range zones {
			found = found || z.Name == n
		}
		if !found {
			return nil, apierr.Newf("InvalidParameterValue", "The zone '%s' does not exist.", n)
		}
	}
	if len(names) > 0 || len(zids) > 0 {
		var keep []engine.AvailabilityZone
		for _, z := range zones {
			for _, n := range names {
				if z.Name == n {
					keep = append(keep, z)
				}
			}
			for _, id := range zids {
				if z.ID == id {
					keep = append(keep, z)
				}
			}
		}
		zones = keep
	}
	// An Availability Zone's zone group is the region's first,
	// "<region>-zg-1", its long name the region's with " 1" (the EC2 API
	// reference's examples: us-east-1-zg-1, "US West (Oregon) 1").
	group, long := c.Region+"-zg-1", ""
	if n := model.RegionLongName(c.Region); n != "" {
		long = n + " 1"
	}
	fs := api.FilterSet[engine.AvailabilityZone]{Attrs: map[string]func(engine.AvailabilityZone) []string{
		"zone-name":            func(z engine.AvailabilityZone) []string { return []string{z.Name} },
		"zone-id":              func(z engine.AvailabilityZone) []string { return []string{z.ID} },
		"region-name":          func(engine.AvailabilityZone) []string { return []string{c.Region} },
		"state":                func(engine.AvailabilityZone) []string { return []string{"available"} },
		"zone-type":            func(engine.AvailabilityZone) []string { return []string{"availability-zone"} },
		"group-name":           func(engine.AvailabilityZone) []string { return []string{group} },
		"group-long-name":      func(engine.AvailabilityZone) []string { return api.One(long) },
		"opt-in-status":        func(engine.AvailabilityZone) []string { return []string{"opt-in-not-required"} },
		"network-border-group": func(engine.AvailabilityZone) []string { return []string{c.Region} },
		// Availability Zones have no messages and no parent zone (Local
		// and Wavelength Zones do): these filters match none.
		"message":          func(engine.AvailabilityZone) []string { return nil },
		"parent-zone-id":   func(engine.AvailabilityZone) []string { return nil },
		"parent-zone-name": func(engine.AvailabilityZone) []string { return nil },
	}}
	zones, err := fs.Apply(zones, api.Filters(c.In))
	if err != nil {
		return nil, err
	}
	out := make([]any, len(zones))
	for i, z := range zones {
		out[i] = map[string]any{
			"ZoneName": z.Name, "ZoneId": z.ID, "RegionName": c.Region, "State": "available",
			"OptInStatus": "opt-in-not-required", "GroupName": group, "GroupLongName": api.Str(long), "NetworkBorderGroup": c.Region,
			"ZoneType": "availability-zone", "Messages": []any{},
		}
	}
	return map[string]any{"AvailabilityZones": out}, nil
}

func describeAccountAttributes(c *api.Call) (map[string]any, error) {
	def := "none"
	if v := c.Engine.DefaultVpc(); v != nil {
		def = string(v.ID)
	}
	attrs := []struct{ name, value string }{
		{"supported-platforms", "VPC"},
		{"default-vpc", def},
		{"max-instances", "20"},
		{"vpc-max-security-groups-per-interface", "5"},
		{"max-elastic-ips", "5"},
		{"vpc-max-elastic-ips", "5"},
	}
	want := c.In.Strings("AttributeNames")
	var out []any
	for _, a := range attrs {
		keep := len(want) == 0
		for _, w := range want {
			keep = keep || w == a.name
		}
		if keep {
			out = append(out, map[string]any{"AttributeName": a.name, "AttributeValues": []any{map[string]any{"AttributeValue": a.value}}})
		}
	}
	return map[string]any{"AccountAttributes": out}, nil
}

// dhcpOf is the VPC's DHCP options set id ("default" when it has none; a
// VPC imported without one shows a stable stand-in).
func dhcpOf(v *model.VPC) string {
	if v.DhcpOptions != "" {
		return string(v.DhcpOptions)
	}
	return "dopt-" + string(v.ID[4:])
}

func reservationOut(c *api.Call, sub model.SubnetID, r *model.SubnetCIDRReservation) map[string]any {
	return map[string]any{"SubnetCidrReservationId": r.ID, "SubnetId": sub, "Cidr": r.CIDR, "ReservationType": r.Type,
		"OwnerId": c.Account, "Description": api.Str(r.Description), "Tags": api.EC2Tags(r.Tags)}
}

func createSubnetCidrReservation(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "subnet-cidr-reservation")
	if err != nil {
		return nil, err
	}
	sub := model.SubnetID(c.In.String("SubnetId"))
	r, err := c.Engine.CreateSubnetCidrReservation(sub, c.In.String("Cidr"), c.In.String("ReservationType"), c.In.String("Description"), tags)
	if err != nil {
		return nil, err
	}
	return map[string]any{"SubnetCidrReservation": reservationOut(c, sub, r)}, nil
}

func deleteSubnetCidrReservation(c *api.Call) (map[string]any, error) {
	sub, r, err := c.Engine.DeleteSubnetCidrReservation(c.In.String("SubnetCidrReservationId"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"DeletedSubnetCidrReservation": reservationOut(c, sub, r)}, nil
}

func getSubnetCidrReservations(c *api.Call) (map[string]any, error) {
	id := model.SubnetID(c.In.String("SubnetId"))
	var s *model.Subnet
	c.Engine.Read(func(st *model.State) { s = st.Subnets[id] })
	if s == nil {
		return nil, notFound("InvalidSubnetID.NotFound", "subnet")(string(id))
	}
	type R = model.SubnetCIDRReservation
	fs := api.FilterSet[R]{
		Tags: func(r R) model.Tags { return r.Tags },
		Attrs: map[string]func(R) []string{
			"reservationType":            func(r R) []string { return []string{r.Type} },
			"subnet-cidr-reservation-id": func(r R) []string { return []string{r.ID} },
			"subnet-id":                  func(R) []string { return api.One(id) },
		},
	}
	items, err := fs.Apply(s.CIDRReservations, api.Filters(c.In))
	if err != nil {
		return nil, err
	}
	v4, v6 := []any{}, []any{}
	for i := range items {
		if items[i].CIDR.Addr().Is4() {
			v4 = append(v4, reservationOut(c, id, &items[i]))
		} else {
			v6 = append(v6, reservationOut(c, id, &items[i]))
		}
	}
	return map[string]any{"SubnetIpv4CidrReservations": v4, "SubnetIpv6CidrReservations": v6}, nil
}

func associateSubnetCidrBlock(c *api.Call) (map[string]any, error) {
	if c.In.Has("Ipv6IpamPoolId") {
		return nil, apierr.New("UnsupportedOperation", "ecsnet does not model IPAM pools.")
	}
	id := model.SubnetID(c.In.String("SubnetId"))
	b, err := c.Engine.AssociateSubnetIPv6(id, c.In.String("Ipv6CidrBlock"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"SubnetId": id, "Ipv6CidrBlockAssociation": map[string]any{"AssociationId": b.AssociationID, "Ipv6CidrBlock": b.CIDR,
		"Ipv6CidrBlockState": map[string]any{"State": "associating"}}}, nil
}

func disassociateSubnetCidrBlock(c *api.Call) (map[string]any, error) {
	assoc := c.In.String("AssociationId")
	id, b, err := c.Engine.DisassociateSubnetIPv6(assoc)
	if err != nil {
		return nil, err
	}
	return map[string]any{"SubnetId": id, "Ipv6CidrBlockAssociation": map[string]any{"AssociationId": assoc, "Ipv6CidrBlock": b.CIDR,
		"Ipv6CidrBlockState": map[string]any{"State": "disassociating"}}}, nil
}
