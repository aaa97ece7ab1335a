package cfn

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS::EC2::VPC. Ref: the VPC id. EnableDnsSupport defaults to true and
// EnableDnsHostnames to false, as for CreateVpc.
func createVPC(c *rctx) error {
	p := c.p
	if p.has("Ipv4IpamPoolId") && !p.has("CidrBlock") {
		return p.at("Ipv4IpamPoolId", propErr(0, "IPAM pools are not modeled by ecsnet; give CidrBlock"))
	}
	cidr, err := p.req("CidrBlock")
	if err != nil {
		return err
	}
	tenancy, err := p.str("InstanceTenancy")
	if err != nil {
		return err
	}
	dnsSupport, err := p.boolean("EnableDnsSupport")
	if err != nil {
		return err
	}
	dnsHostnames, err := p.boolean("EnableDnsHostnames")
	if err != nil {
		return err
	}
	tags, err := p.tags()
	if err != nil {
		return err
	}
	vpc, err := c.e().CreateVpc(engine.CreateVpcInput{CIDR: cidr, InstanceTenancy: tenancy, Tags: tags})
	if err != nil {
		return p.at("CidrBlock", err)
	}
	// ModifyVpcAttribute takes one attribute per call, as on AWS.
	if dnsSupport != nil {
		if err := c.e().ModifyVpcAttribute(vpc.ID, dnsSupport, nil); err != nil {
			return p.at("EnableDnsSupport", err)
		}
	}
	if dnsHostnames != nil {
		if err := c.e().ModifyVpcAttribute(vpc.ID, nil, dnsHostnames); err != nil {
			return p.at("EnableDnsHostnames", err)
		}
	}
	c.setRef(string(vpc.ID))
	c.set("VpcId", string(vpc.ID))
	c.set("CidrBlock", vpc.CIDR.String())
	c.setList("CidrBlockAssociations", vpc.CIDRAssociationIDs)
	c.set("DefaultNetworkAcl", string(vpc.DefaultNetworkACL))
	c.set("DefaultSecurityGroup", string(vpc.DefaultSecurityGroup))
	c.setList("Ipv6CidrBlocks", nil)
	return nil
}

// AWS::EC2::Subnet. Ref: the subnet id.
func createSubnet(c *rctx) error {
	p := c.p
	vpc, err := p.req("VpcId")
	if err != nil {
		return err
	}
	cidr, err := p.req("CidrBlock")
	if err != nil {
		return err
	}
	az, err := p.str("AvailabilityZone")
	if err != nil {
		return err
	}
	azID, err := p.str("AvailabilityZoneId")
	if err != nil {
		return err
	}
	public, err := p.boolean("MapPublicIpOnLaunch")
	if err != nil {
		return err
	}
	v6cidr, err := p.str("Ipv6CidrBlock")
	if err != nil {
		return err
	}
	assign6, err := p.boolean("AssignIpv6AddressOnCreation")
	if err != nil {
		return err
	}
	tags, err := p.tags()
	if err != nil {
		return err
	}
	sub, err := c.e().CreateSubnet(engine.CreateSubnetInput{VpcID: model.VpcID(vpc), CIDR: cidr, IPv6CIDR: v6cidr, AvailabilityZone: az, AvailabilityZoneID: azID, Tags: tags})
	if err != nil {
		key := "CidrBlock"
		switch msg := err.Error(); {
		case strings.Contains(msg, "vpc-") && strings.Contains(msg, "does not exist"):
			key = "VpcId"
		case strings.Contains(strings.ToLower(msg), "availabilityzone") || strings.Contains(msg, "Availability Zone"):
			key = "AvailabilityZone"
		}
		return p.at(key, err)
	}
	if public != nil && *public {
		if err := c.e().ModifySubnetAttribute(sub.ID, true); err != nil {
			return p.at("MapPublicIpOnLaunch", err)
		}
	}
	if assign6 != nil && *assign6 {
		if err := c.e().SetAssignIPv6OnCreation(sub.ID, true); err != nil {
			return p.at("AssignIpv6AddressOnCreation", err)
		}
	}
	c.setRef(string(sub.ID))
	c.set("SubnetId", string(sub.ID))
	c.set("VpcId", string(sub.VpcID))
	c.set("AvailabilityZone", sub.AvailabilityZone)
	c.set("AvailabilityZoneId", sub.AvailabilityZoneID)
	c.set("CidrBlock", sub.CIDR.String())
	c.set("OutpostArn", "")
	var v6 []string
	for _, b := range sub.IPv6 {
		v6 = append(v6, b.CIDR.String())
	}
	c.setList("Ipv6CidrBlocks", v6)
	c.read(func(st *model.State) {
		if acl := st.SubnetNetworkACL(sub.ID); acl != nil {
			for _, a := range acl.Associations {
				if a.SubnetID == sub.ID {
					c.set("NetworkAclAssociationId", string(a.ID))
				}
			}
		}
	})
	return nil
}

// AWS::EC2::InternetGateway. Ref: the gateway id.
func createIGW(c *rctx) error {
	tags, err := c.p.tags()
	if err != nil {
		return err
	}
	g, err := c.e().CreateInternetGateway(tags)
	if err != nil {
		return err
	}
	c.setRef(string(g.ID))
	c.set("InternetGatewayId", string(g.ID))
	return nil
}

// AWS::EC2::VPCGatewayAttachment. Ref: "IGW|<vpc id>" (or "VGW|<vpc
// id>" for a virtual private gateway), CloudFormation's physical id for
// the attachment.
func createGatewayAttachment(c *rctx) error {
	p := c.p
	vpc, err := p.req("VpcId")
	if err != nil {
		return err
	}
	if p.has("VpnGatewayId") && !p.has("InternetGatewayId") {
		return attachVPNGateway(c, vpc)
	}
	igw, err := p.req("InternetGatewayId")
	if err != nil {
		return err
	}
	if err := c.e().AttachInternetGateway(model.InternetGatewayID(igw), model.VpcID(vpc)); err != nil {
		return p.at("InternetGatewayId", err)
	}
	c.setRef("IGW|" + vpc)
	c.keep("InternetGatewayId", igw)
	c.keep("VpcId", vpc)
	c.set("AttachmentType", "IGW")
	c.set("VpcId", vpc)
	return nil
}

// AWS::EC2::RouteTable. Ref: the route table id.
func createRouteTable(c *rctx) error {
	vpc, err := c.p.req("VpcId")
	if err != nil {
		return err
	}
	tags, err := c.p.tags()
	if err != nil {
		return err
	}
	rt, err := c.e().CreateRouteTable(model.VpcID(vpc), tags)
	if err != nil {
		return c.p.at("VpcId", err)
	}
	c.setRef(string(rt.ID))
	c.set("RouteTableId", string(rt.ID))
	return nil
}

// AWS::EC2::Route. Ref: "<route table id>|<destination>". Targets ecsnet
// does not model (peering, carrier gateways, …) make the route skipped.
func createRoute(c *rctx) error {
	p := c.p
	rt, err := p.req("RouteTableId")
	if err != nil {
		return err
	}
	for _, k := range []string{"VpcPeeringConnectionId", "CarrierGatewayId", "LocalGatewayId", "CoreNetworkArn"} {
		if p.has(k) {
			return c.skipAs(k + " targets are not modeled by ecsnet; traffic through the route is not analyzed")
		}
	}
	in := engine.RouteInput{RouteTableID: model.RouteTableID(rt)}
	dest, err := p.str("DestinationCidrBlock")
	if err != nil {
		return err
	}
	pl, err := p.str("DestinationPrefixListId")
	if err != nil {
		return err
	}
	dest6, err := p.str("DestinationIpv6CidrBlock")
	if err != nil {
		return err
	}
	in.DestinationCIDR, in.DestinationIPv6CIDR, in.DestinationPrefixList = dest, dest6, model.PrefixListID(pl)
	targets := 0
	for _, k := range []string{"GatewayId", "NatGatewayId", "InstanceId", "NetworkInterfaceId", "VpcEndpointId", "EgressOnlyInternetGatewayId", "TransitGatewayId"} {
		v, err := p.str(k)
		if err != nil {
			return err
		}
		if v == "" {
			continue
		}
		targets++
		if c.isPlaceholder(v) {
			return c.skipAs(k + " " + v + " is not modeled by ecsnet; traffic through the route is not analyzed")
		}
		setRouteTarget(&in, k, v)
	}
	if err := c.e().CreateRoute(in); err != nil {
		key := "DestinationCidrBlock"
		if dest6 != "" {
			key = "DestinationIpv6CidrBlock"
		}
		if targets > 0 && !strings.Contains(err.Error(), "CIDR") && !strings.Contains(err.Error(), "destination") {
			for _, k := range []string{"GatewayId", "NatGatewayId", "InstanceId", "NetworkInterfaceId", "VpcEndpointId", "EgressOnlyInternetGatewayId", "TransitGatewayId"} {
				if p.has(k) {
					key = k
				}
			}
		}
		return p.at(key, err)
	}
	d := dest
	if d == "" {
		d = dest6
	}
	if d == "" {
		d = pl
	}
	c.setRef(rt + "|" + d)
	c.set("CidrBlock", dest)
	return nil
}

// AWS::EC2::SubnetRouteTableAssociation. Ref: the association id.
func createRTAssociation(c *rctx) error {
	sub, err := c.p.req("SubnetId")
	if err != nil {
		return err
	}
	rt, err := c.p.req("RouteTableId")
	if err != nil {
		return err
	}
	id, err := c.e().AssociateRouteTable(model.RouteTableID(rt), model.SubnetID(sub))
	if err != nil {
		return c.p.at("RouteTableId", err)
	}
	c.setRef(string(id))
	c.set("Id", string(id))
	return nil
}

// settleNatGateway waits, as CloudFormation does, until a new NAT
// gateway leaves "pending", and sets its Ref and NatGatewayId. A gateway
// that went to "failed" fails the resource at property key; it is
// deleted first: CloudFormation had the gateway's id when it failed to
// stabilize, and its rollback deletes it (DELETE_COMPLETE), so a failed
// gateway left behind would keep its VPC from being deleted by the same
// rollback.
func settleNatGateway(c *rctx, ng *model.NatGateway, key string) (*model.NatGateway, error) {
	if ng.State == "pending" {
		if err := c.settleOwn(); err != nil {
			return nil, err
		}
		c.read(func(st *model.State) {
			if cur := st.NatGateways[ng.ID]; cur != nil {
				ng = cur
			}
		})
	}
	if ng.State == "failed" {
		if err := c.e().DeleteNatGateway(ng.ID); err != nil {
			return nil, err
		}
		return nil, c.p.at(key, propErr(0, "NAT gateway %s went to state failed: %s: %s", ng.ID, ng.FailureCode, ng.FailureMessage))
	}
	c.setRef(string(ng.ID))
	c.set("NatGatewayId", string(ng.ID))
	return ng, nil
}

// AWS::EC2::NatGateway. Ref: the NAT gateway id. CloudFormation waits for
// the gateway to be available before the resource is complete, so the
// engine runs until it leaves "pending"; a gateway that goes to state
// "failed" fails the resource, as CloudFormation reports it.
func createNatGateway(c *rctx) error {
	p := c.p
	mode, err := p.str("AvailabilityMode")
	if err != nil {
		return err
	}
	switch mode {
	case "regional":
		return createRegionalNatGateway(c)
	case "", "zonal":
		if p.has("AvailabilityZoneAddresses") {
			return p.at("AvailabilityZoneAddresses", propErr(0, "AvailabilityZoneAddresses is for a regional NAT gateway (AvailabilityMode regional)"))
		}
	default:
		return p.at("AvailabilityMode", propErr(0, "AvailabilityMode %q is not one of zonal and regional", mode))
	}
	sub, err := p.req("SubnetId")
	if err != nil {
		return err
	}
	alloc, err := p.str("AllocationId")
	if err != nil {
		return err
	}
	conn, err := p.str("ConnectivityType")
	if err != nil {
		return err
	}
	ip, err := p.str("PrivateIpAddress")
	if err != nil {
		return err
	}
	secondary, err := natSecondaryProps(p)
	if err != nil {
		return err
	}
	tags, err := p.tags()
	if err != nil {
		return err
	}
	ng, err := c.e().CreateNatGateway(engine.CreateNatGatewayInput{SubnetID: model.SubnetID(sub), AllocationID: model.AllocationID(alloc),
		ConnectivityType: conn, PrivateIP: ip, Secondary: secondary, Tags: tags})
	if err != nil {
		return p.at(natErrorProperty(err, secondary), err)
	}
	_, err = settleNatGateway(c, ng, "AllocationId")
	return err
}

// createRegionalNatGateway creates an AWS::EC2::NatGateway of
// AvailabilityMode regional: VpcId, no SubnetId, and
// AvailabilityZoneAddresses (manual mode) or not (automatic mode, with an
// optional AllocationId, as aws-cdk's RegionalNatGatewayProvider writes
// it), through CreateNatGateway's own checks. GetAtt AutoProvisionZones
// and AutoScalingIps answer as DescribeNatGateways does.
func createRegionalNatGateway(c *rctx) error {
	p := c.p
	if p.has("SubnetId") {
		return p.at("SubnetId", propErr(0, "SubnetId cannot be specified for a regional NAT gateway; specify VpcId"))
	}
	vpc, err := p.req("VpcId")
	if err != nil {
		return err
	}
	alloc, err := p.str("AllocationId")
	if err != nil {
		return err
	}
	conn, err := p.str("ConnectivityType")
	if err != nil {
		return err
	}
	if conn == "private" {
		return p.at("ConnectivityType", propErr(0, "A regional NAT gateway supports public connectivity only"))
	}
	for _, k := range []string{"PrivateIpAddress", "SecondaryAllocationIds", "SecondaryPrivateIpAddresses", "SecondaryPrivateIpAddressCount"} {
		if p.has(k) {
			return p.at(k, propErr(0, "%s cannot be specified for a regional NAT gateway", k))
		}
	}
	zones, err := p.objects("AvailabilityZoneAddresses")
	if err != nil {
		return err
	}
	var reqs []engine.NatZoneRequest
	for _, z := range zones {
		allocs, err := z.strs("AllocationIds")
		if err != nil {
			return p.at("AvailabilityZoneAddresses", err)
		}
		if len(allocs) == 0 {
			return p.at("AvailabilityZoneAddresses", propErr(0, "#/AvailabilityZoneAddresses: required key [AllocationIds] not found"))
		}
		name, err := z.str("AvailabilityZone")
		if err != nil {
			return p.at("AvailabilityZoneAddresses", err)
		}
		zid, err := z.str("AvailabilityZoneId")
		if err != nil {
			return p.at("AvailabilityZoneAddresses", err)
		}
		r := engine.NatZoneRequest{Zone: name, ZoneID: zid}
		for _, a := range allocs {
			r.AllocationIDs = append(r.AllocationIDs, model.AllocationID(a))
		}
		reqs = append(reqs, r)
	}
	if len(reqs) > 0 {
		alloc = "" // "Ignored when availabilityZoneAddresses is specified" (aws-cdk); [probable] for CloudFormation
	}
	tags, err := p.tags()
	if err != nil {
		return err
	}
	ng, err := c.e().CreateNatGateway(engine.CreateNatGatewayInput{AvailabilityMode: "regional", VpcID: model.VpcID(vpc),
		AllocationID: model.AllocationID(alloc), ConnectivityType: conn, Zones: reqs, Tags: tags})
	if err != nil {
		key := "AvailabilityZoneAddresses"
		if len(reqs) == 0 {
			key = "VpcId"
			if alloc != "" && strings.Contains(strings.ToLower(err.Error()), "alloc") {
				key = "AllocationId"
			}
		}
		return p.at(key, err)
	}
	if ng, err = settleNatGateway(c, ng, "VpcId"); err != nil {
		return err
	}
	auto := "disabled"
	if ng.AutoProvisionZones {
		auto = "enabled"
	}
	c.set("AutoProvisionZones", auto)
	c.set("AutoScalingIps", auto)
	return nil
}

// natSecondaryProps reads a NAT gateway's secondary addresses:
// SecondaryAllocationIds (a public gateway's further Elastic IPs),
// SecondaryPrivateIpAddresses and SecondaryPrivateIpAddressCount, the
// properties of CreateNatGateway's parameters of the same names.
func natSecondaryProps(p obj) (engine.NatSecondaryAddresses, error) {
	var out engine.NatSecondaryAddresses
	allocs, err := p.strs("SecondaryAllocationIds")
	if err != nil {
		return out, err
	}
	for _, a := range allocs {
		out.AllocationIDs = append(out.AllocationIDs, model.AllocationID(a))
	}
	if out.PrivateIPs, err = p.addrs("SecondaryPrivateIpAddresses"); err != nil {
		return out, err
	}
	if out.Count, err = p.integer("SecondaryPrivateIpAddressCount", 0); err != nil {
		return out, err
	}
	return out, nil
}

// natErrorProperty names the property a CreateNatGateway error is about,
// for the resource's status reason.
func natErrorProperty(err error, secondary engine.NatSecondaryAddresses) string {
	msg := strings.ToLower(err.Error())
	switch {
	case !secondary.Empty() && strings.Contains(msg, "secondary private ip address count"),
		!secondary.Empty() && strings.Contains(msg, "secondaryprivateipaddresscount"):
		return "SecondaryPrivateIpAddressCount"
	case len(secondary.PrivateIPs) > 0 && strings.Contains(msg, "secondary private ip"):
		return "SecondaryPrivateIpAddresses"
	case len(secondary.AllocationIDs) > 0 && (strings.Contains(msg, "elastic ip") || strings.Contains(msg, "secondary allocation")):
		return "SecondaryAllocationIds"
	case strings.Contains(msg, "allocation"):
		return "AllocationId"
	}
	return "SubnetId"
}

// AWS::EC2::EIP. Ref: the public address; Fn::GetAtt AllocationId and
// PublicIp. Metadata.ecsnet.PublicIp pins the address.
func createEIP(c *rctx) error {
	p := c.p
	inst, err := p.str("InstanceId")
	if err != nil {
		return err
	}
	meta, err := c.ecsnetMeta()
	if err != nil {
		return err
	}
	fixed, err := meta.addrs("PublicIp")
	if err != nil {
		return err
	}
	var want netip.Addr
	if len(fixed) > 0 {
		want = fixed[0]
	}
	tags, err := p.tags()
	if err != nil {
		return err
	}
	a, err := c.e().AllocateAddress(want, tags)
	if err != nil {
		return err
	}
	if inst != "" {
		if _, err := c.e().AssociateAddress(engine.AssociateAddressInput{AllocationID: a.AllocationID, InstanceID: model.InstanceID(inst)}); err != nil {
			return p.at("InstanceId", err)
		}
	}
	c.setRef(a.PublicIP.String())
	c.keep("AllocationId", string(a.AllocationID))
	c.set("AllocationId", string(a.AllocationID))
	c.set("PublicIp", a.PublicIP.String())
	return nil
}

// AWS::EC2::EIPAssociation. Ref: the association id.
func createEIPAssociation(c *rctx) error {
	p := c.p
	in := engine.AssociateAddressInput{AllowReassociation: true}
	alloc, err := p.str("AllocationId")
	if err != nil {
		return err
	}
	public, err := p.str("EIP")
	if err != nil {
		return err
	}
	if alloc == "" && public != "" {
		c.read(func(st *model.State) {
			for _, a := range st.Addresses {
				if a.PublicIP.String() == public {
					alloc = string(a.AllocationID)
				}
			}
		})
	}
	in.AllocationID = model.AllocationID(alloc)
	inst, err := p.str("InstanceId")
	if err != nil {
		return err
	}
	eni, err := p.str("NetworkInterfaceId")
	if err != nil {
		return err
	}
	ip, err := p.str("PrivateIpAddress")
	if err != nil {
		return err
	}
	in.InstanceID, in.NetworkInterfaceID, in.PrivateIP = model.InstanceID(inst), model.NetworkInterfaceID(eni), ip
	id, err := c.e().AssociateAddress(in)
	if err != nil {
		return err
	}
	c.setRef(string(id))
	return nil
}

// sgPermission reads one rule of a security group (inline or standalone).
// skip is never reported now that IPv6 rules (CidrIpv6) are modelled.
func sgPermission(o obj, egress bool) (engine.IPPermission, bool, error) {
	var perm engine.IPPermission
	proto, err := o.req("IpProtocol")
	if err != nil {
		return perm, false, err
	}
	perm.Protocol = strings.ToLower(proto)
	if perm.Protocol != "-1" && perm.Protocol != "all" {
		if perm.FromPort, err = o.intPtr("FromPort"); err != nil {
			return perm, false, err
		}
		if perm.ToPort, err = o.intPtr("ToPort"); err != nil {
			return perm, false, err
		}
	}
	desc, err := o.str("Description")
	if err != nil {
		return perm, false, err
	}
	src := func(key string) (string, error) { return o.str(key) }
	cidr, err := src("CidrIp")
	if err != nil {
		return perm, false, err
	}
	if cidr != "" {
		perm.CIDRs = append(perm.CIDRs, engine.RuleSource{Value: cidr, Description: desc})
	}
	cidr6, err := src("CidrIpv6")
	if err != nil {
		return perm, false, err
	}
	if cidr6 != "" {
		perm.IPv6CIDRs = append(perm.IPv6CIDRs, engine.RuleSource{Value: cidr6, Description: desc})
	}
	groupKeys, plKey := []string{"SourceSecurityGroupId", "SourceSecurityGroupName"}, "SourcePrefixListId"
	if egress {
		groupKeys, plKey = []string{"DestinationSecurityGroupId"}, "DestinationPrefixListId"
	}
	for _, k := range groupKeys {
		g, err := src(k)
		if err != nil {
			return perm, false, err
		}
		if g != "" {
			perm.Groups = append(perm.Groups, engine.RuleSource{Value: g, Description: desc})
		}
	}
	pl, err := src(plKey)
	if err != nil {
		return perm, false, err
	}
	if pl != "" {
		perm.PrefixLists = append(perm.PrefixLists, engine.RuleSource{Value: pl, Description: desc})
	}
	return perm, false, nil
}

// AWS::EC2::SecurityGroup. Ref: the group id. Inline rules are added after
// the group is created; the default allow-all egress rule stays unless
// SecurityGroupEgress gives one or more rules (CloudFormation's documented
// behavior).
func createSecurityGroup(c *rctx) error {
	p := c.p
	desc, err := p.req("GroupDescription")
	if err != nil {
		return err
	}
	name, err := c.name("GroupName", 255)
	if err != nil {
		return err
	}
	vpc, err := p.str("VpcId")
	if err != nil {
		return err
	}
	if vpc == "" {
		c.defaultVPC("has no VpcId")
	}
	tags, err := p.tags()
	if err != nil {
		return err
	}
	ingress, err := p.objects("SecurityGroupIngress")
	if err != nil {
		return err
	}
	egress, err := p.objects("SecurityGroupEgress")
	if err != nil {
		return err
	}
	sg, err := c.e().CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: model.VpcID(vpc), Name: name, Description: desc, Tags: tags})
	if err != nil {
		key := "GroupName"
		if vpc != "" && strings.Contains(err.Error(), vpc) || strings.Contains(err.Error(), "VPC") {
			key = "VpcId"
		}
		return p.at(key, err)
	}
	for _, r := range ingress {
		perm, skip, err := sgPermission(r, false)
		if err != nil {
			return err
		}
		if skip {
			c.s.warnf(r.line, "%s: an IPv6 rule (CidrIpv6) is not modeled by ecsnet", c.r.def.name)
			continue
		}
		if _, err := c.e().AuthorizeSecurityGroup(sg.ID, false, []engine.IPPermission{perm}); err != nil {
			return &lineErr{line: r.line, err: err}
		}
	}
	if len(egress) > 0 {
		if err := c.e().RevokeDefaultEgress(sg.ID); err != nil {
			return p.at("SecurityGroupEgress", err)
		}
		for _, r := range egress {
			perm, skip, err := sgPermission(r, true)
			if err != nil {
				return err
			}
			if skip {
				c.s.warnf(r.line, "%s: an IPv6 rule (CidrIpv6) is not modeled by ecsnet", c.r.def.name)
				continue
			}
			if _, err := c.e().AuthorizeSecurityGroup(sg.ID, true, []engine.IPPermission{perm}); err != nil {
				return &lineErr{line: r.line, err: err}
			}
		}
	}
	c.setRef(string(sg.ID))
	if vpc == "" {
		// Ref of a group declared without VpcId (made in the default VPC)
		// is its name; Fn::GetAtt GroupId is its id.
		c.keep(keyRef, sg.Name)
	}
	c.set("GroupId", string(sg.ID))
	c.set("VpcId", string(sg.VpcID))
	return nil
}

// AWS::EC2::SecurityGroupIngress and AWS::EC2::SecurityGroupEgress. Ref:
// the security group rule id.
func createSGRule(c *rctx, egress bool) error {
	p := c.p
	group, err := p.str("GroupId")
	if err != nil {
		return err
	}
	if group == "" && !egress {
		name, err := p.str("GroupName")
		if err != nil {
			return err
		}
		if name != "" {
			if g, ok := c.e().SecurityGroupByName("", name); ok {
				group = string(g.ID)
			} else {
				group = name
			}
		}
	}
	if group == "" {
		_, err := p.req("GroupId")
		return err
	}
	perm, skip, err := sgPermission(p, egress)
	if err != nil {
		return err
	}
	if skip {
		return c.skipAs("IPv6 rules (CidrIpv6) are not modeled by ecsnet")
	}
	rules, err := c.e().AuthorizeSecurityGroup(model.SecurityGroupID(group), egress, []engine.IPPermission{perm})
	if err != nil {
		return err
	}
	id := ""
	if len(rules) > 0 {
		id = string(rules[0].ID)
	}
	c.setRef(id)
	c.keep("GroupId", group)
	c.set("Id", id)
	return nil
}

// AWS::EC2::NetworkAcl. Ref: the network ACL id. A new custom ACL denies
// everything until entries are added.
func createNetworkACL(c *rctx) error {
	vpc, err := c.p.req("VpcId")
	if err != nil {
		return err
	}
	tags, err := c.p.tags()
	if err != nil {
		return err
	}
	acl, err := c.e().CreateNetworkACL(model.VpcID(vpc), tags)
	if err != nil {
		return c.p.at("VpcId", err)
	}
	c.setRef(string(acl.ID))
	c.set("Id", string(acl.ID))
	return nil
}

// aclEntryInput reads an AWS::EC2::NetworkAclEntry.
func aclEntryInput(p obj) (engine.ACLEntryInput, error) {
	acl, err := p.req("NetworkAclId")
	if err != nil {
		return engine.ACLEntryInput{}, err
	}
	rule, err := p.integer("RuleNumber", 0)
	if err != nil {
		return engine.ACLEntryInput{}, err
	}
	if !p.has("RuleNumber") {
		_, err := p.req("RuleNumber")
		return engine.ACLEntryInput{}, err
	}
	proto, err := p.req("Protocol")
	if err != nil {
		return engine.ACLEntryInput{}, err
	}
	action, err := p.req("RuleAction")
	if err != nil {
		return engine.ACLEntryInput{}, err
	}
	egress, err := p.boolean("Egress")
	if err != nil {
		return engine.ACLEntryInput{}, err
	}
	cidr, err := p.str("CidrBlock")
	if err != nil {
		return engine.ACLEntryInput{}, err
	}
	if cidr == "" {
		if cidr, err = p.str("Ipv6CidrBlock"); err != nil {
			return engine.ACLEntryInput{}, err
		}
	}
	in := engine.ACLEntryInput{ACLID: model.NetworkACLID(acl), RuleNumber: rule, Egress: egress != nil && *egress,
		Action: action, Protocol: proto, CIDR: cidr}
	if pr, err := p.object("PortRange"); err != nil {
		return engine.ACLEntryInput{}, err
	} else if pr.n != nil {
		if in.FromPort, err = pr.intPtr("From"); err != nil {
			return engine.ACLEntryInput{}, err
		}
		if in.ToPort, err = pr.intPtr("To"); err != nil {
			return engine.ACLEntryInput{}, err
		}
	}
	if icmp, err := p.object("Icmp"); err != nil {
		return engine.ACLEntryInput{}, err
	} else if icmp.n != nil {
		if in.ICMPType, err = icmp.intPtr("Type"); err != nil {
			return engine.ACLEntryInput{}, err
		}
		if in.ICMPCode, err = icmp.intPtr("Code"); err != nil {
			return engine.ACLEntryInput{}, err
		}
	}
	return in, nil
}

// AWS::EC2::NetworkAclEntry. Ref: "<acl id>|<direction>|<rule number>".
func createNetworkACLEntry(c *rctx) error {
	p := c.p
	in, err := aclEntryInput(p)
	if err != nil {
		return err
	}
	acl, rule := string(in.ACLID), in.RuleNumber
	if err := c.e().CreateNetworkACLEntry(in); err != nil {
		return err
	}
	dir := "ingress"
	if in.Egress {
		dir = "egress"
	}
	c.setRef(acl + "|" + dir + "|" + strconv.Itoa(rule))
	return nil
}

// AWS::EC2::SubnetNetworkAclAssociation. Ref: the association id.
func createACLAssociation(c *rctx) error {
	sub, err := c.p.req("SubnetId")
	if err != nil {
		return err
	}
	acl, err := c.p.req("NetworkAclId")
	if err != nil {
		return err
	}
	id, err := c.e().AssociateSubnetNetworkACL(model.SubnetID(sub), model.NetworkACLID(acl))
	if err != nil {
		return err
	}
	c.setRef(string(id))
	c.set("AssociationId", string(id))
	return nil
}

// groupIDsByName resolves security group names (EC2-Classic style
// SecurityGroups properties) to ids.
func (c *rctx) groupIDsByName(names []string) []model.SecurityGroupID {
	var out []model.SecurityGroupID
	for _, n := range names {
		if strings.HasPrefix(n, "sg-") {
			out = append(out, model.SecurityGroupID(n))
			continue
		}
		if g, ok := c.e().SecurityGroupByName("", n); ok {
			out = append(out, g.ID)
		} else {
			out = append(out, model.SecurityGroupID(n)) // the engine reports it missing
		}
	}
	return out
}

func toGroupIDs(ids []string) []model.SecurityGroupID {
	out := make([]model.SecurityGroupID, len(ids))
	for i, s := range ids {
		out[i] = model.SecurityGroupID(s)
	}
	return out
}

func toSubnetIDs(ids []string) []model.SubnetID {
	out := make([]model.SubnetID, len(ids))
	for i, s := range ids {
		out[i] = model.SubnetID(s)
	}
	return out
}

// iamProfile reads an IamInstanceProfile: an object {Arn, Name} in launch
// template data, a name or ARN string elsewhere.
func iamProfile(o obj, key string) (arn, name string, err error) {
	v := o.get(key)
	if v == nil {
		return "", "", nil
	}
	if v.kind == scalarNode {
		if strings.HasPrefix(v.str, "arn:") {
			return v.str, "", nil
		}
		return "", v.str, nil
	}
	sub, err := o.object(key)
	if err != nil {
		return "", "", err
	}
	if arn, err = sub.str("Arn"); err != nil {
		return "", "", err
	}
	name, err = sub.str("Name")
	return arn, name, err
}

// launchTemplateData reads a launch template's LaunchTemplateData.
func (c *rctx) launchTemplateData(data obj) (model.LaunchTemplateData, error) {
	var d model.LaunchTemplateData
	var err error
	if d.ImageID, err = data.str("ImageId"); err != nil {
		return d, err
	}
	if d.InstanceType, err = data.str("InstanceType"); err != nil {
		return d, err
	}
	if d.KeyName, err = data.str("KeyName"); err != nil {
		return d, err
	}
	ids, err := data.strs("SecurityGroupIds")
	if err != nil {
		return d, err
	}
	names, err := data.strs("SecurityGroups")
	if err != nil {
		return d, err
	}
	d.SecurityGroupIDs = append(toGroupIDs(ids), c.groupIDsByName(names)...)
	if d.UserData, err = c.userData(data, "UserData"); err != nil {
		return d, err
	}
	// Placement: the placement group (by name) and partition of the
	// instances launched from the template.
	placement, err := data.object("Placement")
	if err != nil {
		return d, err
	}
	if placement.n != nil {
		group, err := placement.str("GroupName")
		if err != nil {
			return d, err
		}
		partition, err := placement.integer("PartitionNumber", 0)
		if err != nil {
			return d, err
		}
		if group != "" || partition != 0 {
			d.Placement = &model.LaunchTemplatePlacement{GroupName: group, PartitionNumber: partition}
		}
	}
	if d.IAMProfileARN, d.IAMProfileName, err = iamProfile(data, "IamInstanceProfile"); err != nil {
		return d, err
	}
	if d.DisableAPITermination, err = data.boolean("DisableApiTermination"); err != nil {
		return d, err
	}
	if d.DisableAPIStop, err = data.boolean("DisableApiStop"); err != nil {
		return d, err
	}
	nis, err := data.objects("NetworkInterfaces")
	if err != nil {
		return d, err
	}
	for _, ni := range nis {
		var x model.LaunchTemplateNetworkInterface
		if x.DeviceIndex, err = ni.integer("DeviceIndex", 0); err != nil {
			return d, err
		}
		if x.AssociatePublicIPAddress, err = ni.boolean("AssociatePublicIpAddress"); err != nil {
			return d, err
		}
		if x.DeleteOnTermination, err = ni.boolean("DeleteOnTermination"); err != nil {
			return d, err
		}
		sub, err := ni.str("SubnetId")
		if err != nil {
			return d, err
		}
		x.SubnetID = model.SubnetID(sub)
		groups, err := ni.strs("Groups")
		if err != nil {
			return d, err
		}
		x.Groups = toGroupIDs(groups)
		if err := launchTemplateFixedAddresses(ni, &x); err != nil {
			return d, err
		}
		d.NetworkInterfaces = append(d.NetworkInterfaces, x)
	}
	// TagSpecifications: the tags of the instances, volumes and network
	// interfaces launched from the template (an Auto Scaling group's
	// instances are named by them).
	specs, err := data.objects("TagSpecifications")
	if err != nil {
		return d, err
	}
	for _, ts := range specs {
		rt, err := ts.req("ResourceType")
		if err != nil {
			return d, err
		}
		tags, err := ts.tagList()
		if err != nil {
			return d, err
		}
		d.TagSpecifications = append(d.TagSpecifications, model.LaunchTemplateTagSpec{ResourceType: rt, Tags: tags})
	}
	return d, nil
}

// launchTemplateFixedAddresses reads a launch template interface's
// addresses as CreateLaunchTemplate takes them (kept as given, checked
// when an instance launches with them): PrivateIpAddress,
// PrivateIpAddresses (one Primary at most, and it must be PrivateIpAddress
// when both are given), Ipv6Addresses or Ipv6AddressCount (not both), the
// existing NetworkInterfaceId and the InterfaceType. Instances launched
// from the template take them on their primary interface.
func launchTemplateFixedAddresses(ni obj, x *model.LaunchTemplateNetworkInterface) error {
	var err error
	if x.PrivateIPAddress, err = ni.str("PrivateIpAddress"); err != nil {
		return err
	}
	ips, err := ni.objects("PrivateIpAddresses")
	if err != nil {
		return err
	}
	primaries := 0
	for _, ip := range ips {
		a, err := ip.req("PrivateIpAddress")
		if err != nil {
			return err
		}
		primary, err := ip.boolean("Primary")
		if err != nil {
			return err
		}
		pip := model.LaunchTemplatePrivateIP{Address: a, Primary: primary != nil && *primary}
		if pip.Primary {
			primaries++
			if primaries > 1 || x.PrivateIPAddress != "" && x.PrivateIPAddress != a {
				// EC2's refusal (CreateLaunchTemplate checks as
				// CreateNetworkInterface does; UNVERIFIED text).
				return ni.at("PrivateIpAddresses", apierr.New("InvalidParameterValue", "Only one primary private IP address can be specified."))
			}
		}
		x.PrivateIPAddresses = append(x.PrivateIPAddresses, pip)
	}
	v6, err := ni.objects("Ipv6Addresses")
	if err != nil {
		return err
	}
	for _, a := range v6 {
		addr, err := a.req("Ipv6Address")
		if err != nil {
			return err
		}
		x.IPv6Addresses = append(x.IPv6Addresses, addr)
	}
	if x.IPv6AddressCount, err = ni.integer("Ipv6AddressCount", 0); err != nil {
		return err
	}
	if len(x.IPv6Addresses) > 0 && x.IPv6AddressCount > 0 {
		return ni.at("Ipv6AddressCount", apierr.New("InvalidParameterCombination", "IPv6 addresses and IPv6 address count may not be specified on the same request"))
	}
	id, err := ni.str("NetworkInterfaceId")
	if err != nil {
		return err
	}
	x.NetworkInterfaceID = model.NetworkInterfaceID(id)
	x.InterfaceType, err = ni.str("InterfaceType")
	return err
}

// AWS::EC2::LaunchTemplate. Ref: the launch template id; Fn::GetAtt
// LaunchTemplateId, LatestVersionNumber and DefaultVersionNumber ("1").
func createLaunchTemplate(c *rctx) error {
	p := c.p
	name, err := c.name("LaunchTemplateName", 128)
	if err != nil {
		return err
	}
	data, err := p.object("LaunchTemplateData")
	if err != nil {
		return err
	}
	if data.n == nil {
		_, err := p.req("LaunchTemplateData")
		return err
	}
	d, err := c.launchTemplateData(data)
	if err != nil {
		return err
	}
	desc, err := p.str("VersionDescription")
	if err != nil {
		return err
	}
	tags, err := launchTemplateOwnTags(p)
	if err != nil {
		return err
	}
	c.stackTags(tags)
	lt, err := c.e().CreateLaunchTemplate(engine.CreateLaunchTemplateInput{Name: name, Description: desc, Data: d, Tags: tags})
	if err != nil {
		return p.at("LaunchTemplateData", err)
	}
	c.setRef(string(lt.ID))
	c.set("LaunchTemplateId", string(lt.ID))
	c.set("LatestVersionNumber", strconv.Itoa(lt.Versions[len(lt.Versions)-1].Number))
	c.set("DefaultVersionNumber", strconv.Itoa(lt.DefaultVersion))
	return nil
}

// AWS::EC2::Instance. Ref: the instance id. CloudFormation waits for the
// instance to run; so does ecsnet. Metadata.ecsnet.PublicIp pins the
// public address.
func createInstance(c *rctx) error {
	p := c.p
	var in engine.RunInstancesInput
	var err error
	if in.ImageID, err = p.str("ImageId"); err != nil {
		return err
	}
	if in.InstanceType, err = p.str("InstanceType"); err != nil {
		return err
	}
	if in.KeyName, err = p.str("KeyName"); err != nil {
		return err
	}
	if in.PrivateIP, err = p.str("PrivateIpAddress"); err != nil {
		return err
	}
	if in.PlacementGroup, err = p.str("PlacementGroupName"); err != nil {
		return err
	}
	sub, err := p.str("SubnetId")
	if err != nil {
		return err
	}
	in.SubnetID = model.SubnetID(sub)
	ids, err := p.strs("SecurityGroupIds")
	if err != nil {
		return err
	}
	names, err := p.strs("SecurityGroups")
	if err != nil {
		return err
	}
	if sub != "" && len(names) > 0 {
		// CloudFormation passes SecurityGroups to RunInstances as group
		// names (ids too: a VPC group's Ref), which EC2 refuses beside a
		// subnet: the groups of a subnet's instance are SecurityGroupIds.
		return p.at("SecurityGroups", apierr.New("InvalidParameterCombination", "The parameter groupName cannot be used with the parameter subnet"))
	}
	in.SecurityGroupIDs = toGroupIDs(ids)
	for _, n := range names {
		if strings.HasPrefix(n, "sg-") {
			in.SecurityGroupIDs = append(in.SecurityGroupIDs, model.SecurityGroupID(n))
		} else {
			in.SecurityGroupNames = append(in.SecurityGroupNames, n)
		}
	}
	if in.UserData, err = c.userData(p, "UserData"); err != nil {
		return err
	}
	arn, name, err := iamProfile(p, "IamInstanceProfile")
	if err != nil {
		return err
	}
	in.IAMProfile = arn + name
	nis, err := p.objects("NetworkInterfaces")
	if err != nil {
		return err
	}
	for _, ni := range nis {
		idx, err := ni.integer("DeviceIndex", 0)
		if err != nil {
			return err
		}
		if idx != 0 {
			// A new interface created and attached at launch; an existing
			// one (NetworkInterfaceId) is not attached by ecsnet.
			if id, err := ni.str("NetworkInterfaceId"); err != nil {
				return err
			} else if id != "" {
				c.s.warnf(ni.line, "%s: the existing network interface at device index %d is not attached by ecsnet (an AWS::EC2::NetworkInterfaceAttachment is)", c.r.def.name, idx)
				continue
			}
			li := engine.LaunchInterface{DeviceIndex: idx}
			if pub, err := ni.boolean("AssociatePublicIpAddress"); err != nil {
				return err
			} else if pub != nil && *pub {
				in.AssociatePublicIP = pub // refused with several interfaces, as EC2 refuses it
			}
			if li.DeleteOnTermination, err = ni.boolean("DeleteOnTermination"); err != nil {
				return err
			}
			sub, err := ni.str("SubnetId")
			if err != nil {
				return err
			}
			li.SubnetID = model.SubnetID(sub)
			groups, err := ni.strs("GroupSet")
			if err != nil {
				return err
			}
			li.Groups = toGroupIDs(groups)
			in.MoreInterfaces = append(in.MoreInterfaces, li)
			continue
		}
		if in.AssociatePublicIP, err = ni.boolean("AssociatePublicIpAddress"); err != nil {
			return err
		}
		if s, err := ni.str("SubnetId"); err != nil {
			return err
		} else if s != "" {
			in.SubnetID = model.SubnetID(s)
		}
		groups, err := ni.strs("GroupSet")
		if err != nil {
			return err
		}
		in.SecurityGroupIDs = append(in.SecurityGroupIDs, toGroupIDs(groups)...)
		if ip, err := ni.str("PrivateIpAddress"); err != nil {
			return err
		} else if ip != "" {
			in.PrivateIP = ip
		}
	}
	if lt, err := p.object("LaunchTemplate"); err != nil {
		return err
	} else if lt.n != nil {
		ref := &model.LaunchTemplateRef{}
		id, err := lt.str("LaunchTemplateId")
		if err != nil {
			return err
		}
		ref.ID = model.LaunchTemplateID(id)
		if ref.Name, err = lt.str("LaunchTemplateName"); err != nil {
			return err
		}
		if ref.Version, err = lt.str("Version"); err != nil {
			return err
		}
		in.LaunchTemplate = ref
	}
	if in.BlockDevices, err = blockDevices(p); err != nil {
		return err
	}
	meta, err := c.ecsnetMeta()
	if err != nil {
		return err
	}
	if in.FixedPublicIPs, err = meta.addrs("PublicIp"); err != nil {
		return err
	}
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	in.MinCount, in.MaxCount = 1, 1
	signals, never := c.signalCheck(in.UserData)
	if in.SubnetID == "" {
		c.defaultVPC("names no subnet")
	}
	res, err := c.e().RunInstances(in)
	if err != nil {
		key := ""
		switch msg := err.Error(); {
		case strings.Contains(msg, "subnet"):
			key = "SubnetId"
		case strings.Contains(msg, "instance type"), strings.Contains(msg, "InstanceType"):
			key = "InstanceType"
		case strings.Contains(msg, "ami") || strings.Contains(msg, "ImageId"):
			key = "ImageId"
		case strings.Contains(msg, "security group") || strings.Contains(msg, "sg-"):
			key = "SecurityGroupIds"
		}
		return p.at(key, err)
	}
	if err := c.settleOwn(); err != nil {
		return err
	}
	id := res.Instances[0].ID
	c.setRef(string(id))
	// cfn-signal's UniqueId: the instance's id.
	if err := c.signalsReceived(signals, []model.InstanceID{id}, never, func() error {
		if _, err := c.e().TerminateInstances([]model.InstanceID{id}); err != nil {
			return err
		}
		return c.settleOwn()
	}); err != nil {
		return err
	}
	if sdc, err := p.boolean("SourceDestCheck"); err != nil {
		return err
	} else if sdc != nil && !*sdc {
		if err := c.e().ModifyInstanceAttribute(engine.ModifyInstanceAttributeInput{ID: id, SourceDestCheck: sdc}); err != nil {
			return p.at("SourceDestCheck", err)
		}
	}
	c.set("InstanceId", string(id))
	c.read(func(st *model.State) {
		inst := st.Instances[id]
		c.set("AvailabilityZone", inst.AvailabilityZone)
		c.set("VpcId", string(inst.VpcID))
		eni := st.NetworkInterfaces[inst.PrimaryENI]
		priv, pub := "", ""
		if eni != nil {
			priv = eni.PrimaryIP().String()
			if a, ok := eni.PublicIP(); ok {
				pub = a.String()
			}
		}
		c.set("PrivateIp", priv)
		c.set("PublicIp", pub)
		if a, err := netip.ParseAddr(priv); err == nil {
			c.set("PrivateDnsName", model.PrivateDNSName(st.Region, a))
		}
		c.set("PublicDnsName", "")
		if a, err := netip.ParseAddr(pub); err == nil {
			c.set("PublicDnsName", model.PublicDNSName(st.Region, a))
		}
	})
	return nil
}

// AWS::EC2::VPCEndpoint. Ref: the endpoint id. VpcEndpointType defaults
// to Gateway, as for CreateVpcEndpoint.
func createVPCEndpoint(c *rctx) error {
	p := c.p
	if err := vpcEndpointUnmodelled(p); err != nil {
		return err
	}
	vpc, err := p.req("VpcId")
	if err != nil {
		return err
	}
	svc, err := p.req("ServiceName")
	if err != nil {
		return err
	}
	typ, err := p.str("VpcEndpointType")
	if err != nil {
		return err
	}
	if typ == "" {
		typ = "Gateway"
	}
	rts, err := p.strs("RouteTableIds")
	if err != nil {
		return err
	}
	subs, err := p.strs("SubnetIds")
	if err != nil {
		return err
	}
	groups, err := p.strs("SecurityGroupIds")
	if err != nil {
		return err
	}
	dns, err := p.boolean("PrivateDnsEnabled")
	if err != nil {
		return err
	}
	policy := ""
	if v := p.get("PolicyDocument"); v != nil {
		if v.kind == scalarNode {
			policy = v.str
		} else {
			b, _ := json.Marshal(v.toAny())
			policy = string(b)
		}
	}
	// no aws:cloudformation:* tags: AWS answered a stack's interface
	// endpoint with Tags [] (test_ec2_resource_provider, 2024-04)
	tags := model.Tags{}
	c.nameTag(tags)
	in := engine.CreateVpcEndpointInput{VpcID: model.VpcID(vpc), ServiceName: svc, Type: typ, SubnetIDs: toSubnetIDs(subs),
		SecurityGroupIDs: toGroupIDs(groups), PrivateDNSEnabled: dns, PolicyDocument: policy, Tags: tags}
	// IpAddressType and DnsOptions.DnsRecordIpType, as CreateVpcEndpoint
	// takes them (AWS's defaults when absent).
	// The schema's not-specified is no value.
	if in.IPAddressType, err = p.str("IpAddressType"); err != nil {
		return err
	}
	if o, err := p.object("DnsOptions"); err != nil {
		return err
	} else if o.n != nil {
		if in.DNSRecordIPType, err = o.str("DnsRecordIpType"); err != nil {
			return err
		}
	}
	if in.IPAddressType == "not-specified" {
		in.IPAddressType = ""
	}
	if in.DNSRecordIPType == "not-specified" {
		in.DNSRecordIPType = ""
	}
	for _, r := range rts {
		in.RouteTableIDs = append(in.RouteTableIDs, model.RouteTableID(r))
	}
	ep, err := c.e().CreateVpcEndpoint(in)
	if err != nil {
		return p.at("ServiceName", err)
	}
	if ep.State == "pending" {
		// CloudFormation waits for an interface or Gateway Load Balancer
		// endpoint to be available (a route in the template may name it).
		if err := c.settleOwn(); err != nil {
			return err
		}
	}
	c.setRef(string(ep.ID))
	c.set("Id", string(ep.ID))
	c.set("CreationTimestamp", ep.CreatedAt.Format("2006-01-02T15:04:05.000Z"))
	var enis []string
	for _, n := range ep.NetworkInterfaces {
		enis = append(enis, string(n))
	}
	c.setList("NetworkInterfaceIds", enis)
	c.setList("DnsEntries", nil)
	return nil
}

// vpcEndpointUnmodelled refuses the VPC endpoint properties ecsnet does
// not model, as CreateVpcEndpoint on the endpoint does, rather than
// dropping them: an endpoint of a service network or resource
// configuration (ServiceNetworkArn, ResourceConfigurationArn, which
// take no ServiceName) and a cross-Region one (ServiceRegion); and it
// refuses an IpAddressType or DnsOptions' DnsRecordIpType that is not
// one of the schema's values (CreateVpcEndpoint checks how the two go
// together and with the subnets).
func vpcEndpointUnmodelled(p obj) error {
	for _, k := range []string{"ServiceNetworkArn", "ResourceConfigurationArn", "ServiceRegion"} {
		if p.has(k) {
			return p.at(k, propErr(0, "ecsnet does not model %s on VPC endpoints", k))
		}
	}
	t, err := p.str("IpAddressType")
	if err != nil {
		return err
	}
	switch t {
	case "", "ipv4", "not-specified", "ipv6", "dualstack":
	default:
		return p.at("IpAddressType", propErr(0, "#/IpAddressType: %s is not a valid enum value", t))
	}
	if !p.has("DnsOptions") {
		return nil
	}
	dns, err := p.object("DnsOptions")
	if err != nil {
		return err
	}
	rt, err := dns.str("DnsRecordIpType")
	if err != nil {
		return err
	}
	switch rt {
	case "", "ipv4", "not-specified", "ipv6", "dualstack", "service-defined":
	default:
		return dns.at("DnsRecordIpType", propErr(0, "#/DnsOptions/DnsRecordIpType: %s is not a valid enum value", rt))
	}
	return nil
}

// AWS::EC2::VPCCidrBlock. Ref: the association id. An Amazon-provided
// IPv6 /56 (AmazonProvidedIpv6CidrBlock) or a secondary IPv4 block
// (CidrBlock); BYOIP and IPAM pools are not modelled.
func createVPCCidrBlock(c *rctx) error {
	p := c.p
	vpc, err := p.req("VpcId")
	if err != nil {
		return err
	}
	amazon, err := p.boolean("AmazonProvidedIpv6CidrBlock")
	if err != nil {
		return err
	}
	cidr, err := p.str("CidrBlock")
	if err != nil {
		return err
	}
	for _, k := range []string{"Ipv6CidrBlock", "Ipv6Pool", "Ipv6IpamPoolId", "Ipv4IpamPoolId"} {
		if p.has(k) {
			return p.at(k, propErr(0, "%s: BYOIP and IPAM pools are not modeled by ecsnet; use AmazonProvidedIpv6CidrBlock or CidrBlock", k))
		}
	}
	switch {
	case amazon != nil && *amazon && cidr == "":
		b, err := c.e().AssociateVpcIPv6(model.VpcID(vpc))
		if err != nil {
			return p.at("AmazonProvidedIpv6CidrBlock", err)
		}
		c.setRef(b.AssociationID)
		c.set("Id", b.AssociationID)
		c.set("IpSource", "amazon")
		c.set("Ipv6AddressAttribute", "public")
	case cidr != "" && (amazon == nil || !*amazon):
		id, _, err := c.e().AssociateVpcCidrBlock(model.VpcID(vpc), cidr)
		if err != nil {
			return p.at("CidrBlock", err)
		}
		c.setRef(id)
		c.set("Id", id)
	default:
		return p.at("CidrBlock", propErr(0, "give exactly one of CidrBlock and AmazonProvidedIpv6CidrBlock: true"))
	}
	return nil
}

// AWS::EC2::SubnetCidrBlock. Ref: the association id: a /64 of the VPC's
// IPv6 block for the subnet.
func createSubnetCidrBlock(c *rctx) error {
	p := c.p
	sub, err := p.req("SubnetId")
	if err != nil {
		return err
	}
	cidr, err := p.req("Ipv6CidrBlock")
	if err != nil {
		return err
	}
	b, err := c.e().AssociateSubnetIPv6(model.SubnetID(sub), cidr)
	if err != nil {
		return p.at("Ipv6CidrBlock", err)
	}
	c.setRef(b.AssociationID)
	c.set("Id", b.AssociationID)
	return nil
}

// AWS::EC2::EgressOnlyInternetGateway. Ref: the gateway id.
func createEgressOnlyIGW(c *rctx) error {
	vpc, err := c.p.req("VpcId")
	if err != nil {
		return err
	}
	tags, err := c.p.tags()
	if err != nil {
		return err
	}
	g, err := c.e().CreateEgressOnlyInternetGateway(model.VpcID(vpc), tags)
	if err != nil {
		return c.p.at("VpcId", err)
	}
	c.setRef(string(g.ID))
	c.set("Id", string(g.ID))
	return nil
}

// blockDevices reads an instance's BlockDeviceMappings: each DeviceName
// with its Ebs volume (VolumeSize, VolumeType, Iops, Encrypted,
// DeleteOnTermination, SnapshotId); RunInstances checks them as it
// checks the API's mappings.
func blockDevices(p obj) ([]engine.BlockDevice, error) {
	maps, err := p.objects("BlockDeviceMappings")
	if err != nil {
		return nil, err
	}
	var out []engine.BlockDevice
	for _, m := range maps {
		var d engine.BlockDevice
		if d.Device, err = m.req("DeviceName"); err != nil {
			return nil, err
		}
		ebs, err := m.object("Ebs")
		if err != nil {
			return nil, err
		}
		if ebs.n == nil {
			continue // NoDevice or VirtualName: no EBS volume
		}
		if d.SizeGiB, err = ebs.integer("VolumeSize", 0); err != nil {
			return nil, err
		}
		if d.Type, err = ebs.str("VolumeType"); err != nil {
			return nil, err
		}
		if d.IOPS, err = ebs.integer("Iops", 0); err != nil {
			return nil, err
		}
		enc, err := ebs.boolean("Encrypted")
		if err != nil {
			return nil, err
		}
		d.Encrypted = enc != nil && *enc
		if d.DeleteOnTermination, err = ebs.boolean("DeleteOnTermination"); err != nil {
			return nil, err
		}
		snap, err := ebs.str("SnapshotId")
		if err != nil {
			return nil, err
		}
		d.SnapshotID = model.SnapshotID(snap)
		out = append(out, d)
	}
	return out, nil
}

// AWS::EC2::NetworkInterface: a detached interface in SubnetId
// (CreateNetworkInterface with GroupSet, PrivateIpAddress, Description,
// Ipv6AddressCount or Ipv6Addresses). Ref: the ENI id; Fn::GetAtt Id,
// PrimaryPrivateIpAddress, SecondaryPrivateIpAddresses,
// PrimaryIpv6Address.
func createENI(c *rctx) error {
	p := c.p
	sub, err := p.req("SubnetId")
	if err != nil {
		return err
	}
	in := engine.CreateNetworkInterfaceInput{SubnetID: model.SubnetID(sub)}
	groups, err := p.strs("GroupSet")
	if err != nil {
		return err
	}
	in.SecurityGroups = toGroupIDs(groups)
	if in.PrivateIP, err = p.str("PrivateIpAddress"); err != nil {
		return err
	}
	if in.Description, err = p.str("Description"); err != nil {
		return err
	}
	if in.IPv6Count, err = p.integer("Ipv6AddressCount", 0); err != nil {
		return err
	}
	v6, err := p.objects("Ipv6Addresses")
	if err != nil {
		return err
	}
	for _, a := range v6 {
		s, err := a.req("Ipv6Address")
		if err != nil {
			return err
		}
		in.IPv6 = append(in.IPv6, s)
	}
	// PrivateIpAddresses: the one marked Primary (or PrivateIpAddress) is the
	// primary address, the others secondary; SecondaryPrivateIpAddressCount
	// asks for that many secondary addresses more.
	ips, err := p.objects("PrivateIpAddresses")
	if err != nil {
		return err
	}
	for _, o := range ips {
		a, err := o.req("PrivateIpAddress")
		if err != nil {
			return err
		}
		primary, err := o.boolean("Primary")
		if err != nil {
			return err
		}
		switch {
		case primary != nil && *primary && in.PrivateIP == "":
			in.PrivateIP = a
		case a != in.PrivateIP:
			in.SecondaryIPs = append(in.SecondaryIPs, a)
		}
	}
	if in.SecondaryCount, err = p.integer("SecondaryPrivateIpAddressCount", 0); err != nil {
		return err
	}
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	eni, err := c.e().CreateNetworkInterface(in)
	if err != nil {
		key := "SubnetId"
		switch msg := err.Error(); {
		case strings.Contains(msg, "privateIpAddress"), strings.Contains(msg, "Address"):
			key = "PrivateIpAddress"
		case strings.Contains(msg, "sg-"), strings.Contains(msg, "security group"):
			key = "GroupSet"
		}
		return p.at(key, err)
	}
	c.setRef(string(eni.ID))
	c.set("Id", string(eni.ID))
	c.set("PrimaryPrivateIpAddress", eni.PrimaryIP().String())
	var secondary []string
	for _, ip := range eni.PrivateIPs {
		if !ip.Primary {
			secondary = append(secondary, ip.Addr.String())
		}
	}
	c.setList("SecondaryPrivateIpAddresses", secondary)
	if a, ok := eni.PrimaryIPv6(); ok {
		c.set("PrimaryIpv6Address", a.String())
	}
	return nil
}

// AWS::EC2::VPCPeeringConnection. Ref: the connection id. A request to a
// VPC of the same account, in this region or another (PeerRegion), is
// accepted by CloudFormation itself ("If the
// requester and acceptor VPCs are in the same account, the peering
// request is accepted without a peering role"); one that fails (an
// unknown peer VPC, overlapping blocks) fails the resource.
func createVPCPeering(c *rctx) error {
	vpc, err := c.p.req("VpcId")
	if err != nil {
		return err
	}
	peer, err := c.p.req("PeerVpcId")
	if err != nil {
		return err
	}
	owner, err := c.p.str("PeerOwnerId")
	if err != nil {
		return err
	}
	region, err := c.p.str("PeerRegion")
	if err != nil {
		return err
	}
	tags, err := c.p.tags()
	if err != nil {
		return err
	}
	e := c.e()
	pc, err := e.CreateVpcPeeringConnection(engine.CreateVpcPeeringInput{VpcID: model.VpcID(vpc), PeerVpcID: model.VpcID(peer),
		PeerOwner: owner, PeerRegion: region, Tags: tags})
	if err != nil {
		return c.p.at("VpcId", err)
	}
	c.setRef(string(pc.ID))
	c.set("Id", string(pc.ID))
	if pc.Status == "failed" {
		return c.p.at("PeerVpcId", propErr(0, "VPC peering connection %s failed: %s", pc.ID, pc.StatusMessage))
	}
	if pc.AccepterOwner != e.Config().Account {
		return nil // another account accepts it
	}
	if _, err := e.AcceptInAccepterRegion(pc); err != nil {
		return c.p.at("PeerVpcId", err)
	}
	return nil
}

// vpcIPv6Blocks returns a VPC's IPv6 blocks as they are now (Fn::GetAtt
// VPC.Ipv6CidrBlocks).
func (s *stack) vpcIPv6Blocks(id string, line int) *node {
	items := []*node{}
	s.l.e.Read(func(st *model.State) {
		if v := st.VPCs[model.VpcID(id)]; v != nil {
			for _, b := range v.IPv6 {
				items = append(items, scalarAt(b.CIDR.String(), line))
			}
		}
	})
	return listAt(items, line)
}

// setRouteTarget sets the target an AWS::EC2::Route property (one of
// routeTargets) names.
func setRouteTarget(in *engine.RouteInput, prop, v string) {
	switch prop {
	case "GatewayId":
		in.GatewayID = v
	case "NatGatewayId":
		in.NatGatewayID = model.NatGatewayID(v)
	case "InstanceId":
		in.InstanceID = model.InstanceID(v)
	case "NetworkInterfaceId":
		in.NetworkInterfaceID = model.NetworkInterfaceID(v)
	case "VpcEndpointId":
		in.VpcEndpointID = model.VpcEndpointID(v)
	case "EgressOnlyInternetGatewayId":
		in.EgressOnlyIGWID = model.EgressOnlyIGWID(v)
	case "TransitGatewayId":
		in.TransitGatewayID = model.TransitGatewayID(v)
	}
}
