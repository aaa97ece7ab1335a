package terraform

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// publicIPsTag is ecsnet's own tag (never sent to the engine): the public
// addresses to give an instance or an Auto Scaling group's instances, in
// launch order, so that output matches a real run
// ("203.0.113.2,203.0.113.3").
const publicIPsTag = "ecsnet:public-ips"

func (c *rctx) pinnedIPs(tags map[string]string) ([]netip.Addr, error) {
	s := tags[publicIPsTag]
	if s == "" {
		return nil, nil
	}
	var out []netip.Addr
	for _, p := range strings.Split(s, ",") {
		a, err := netip.ParseAddr(strings.TrimSpace(p))
		if err != nil || !a.Is4() {
			return nil, c.errf("tags", "tag %s: %q is not an IPv4 address", publicIPsTag, p)
		}
		out = append(out, a)
	}
	return out, nil
}

func (c *rctx) vpcOut(v *model.VPC) {
	c.created(string(v.ID), string(v.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "vpc/"+string(v.ID)))
	c.set("cidr_block", v.CIDR.String())
	c.set("default_network_acl_id", string(v.DefaultNetworkACL))
	c.set("default_security_group_id", string(v.DefaultSecurityGroup))
	c.set("main_route_table_id", string(v.MainRouteTable))
	c.set("default_route_table_id", string(v.MainRouteTable))
	c.set("owner_id", c.l.account)
	c.out["enable_dns_support"] = cty.BoolVal(v.EnableDNSSupport)
	c.out["enable_dns_hostnames"] = cty.BoolVal(v.EnableDNSHostnames)
	c.out["assign_generated_ipv6_cidr_block"] = cty.BoolVal(len(v.IPv6) > 0)
	c.set("ipv6_cidr_block", "")
	c.set("ipv6_association_id", "")
	if len(v.IPv6) > 0 {
		c.set("ipv6_cidr_block", v.IPv6[0].CIDR.String())
		c.set("ipv6_association_id", v.IPv6[0].AssociationID)
	}
}

// aws_vpc: enable_dns_support defaults to true, enable_dns_hostnames to
// false, as CreateVpc leaves them.
func createVPC(c *rctx) error {
	if c.o.has("ipv4_ipam_pool_id") && !c.o.has("cidr_block") {
		return c.errf("ipv4_ipam_pool_id", "IPAM pools are not modeled by ecsnet; give cidr_block")
	}
	cidr, err := c.req("cidr_block")
	if err != nil {
		return err
	}
	if c.o.str("ipv6_ipam_pool_id") != "" || c.o.str("ipv6_cidr_block") != "" && !c.o.flag("assign_generated_ipv6_cidr_block") {
		return c.errf("ipv6_cidr_block", "BYOIP and IPAM IPv6 pools are not modeled by ecsnet; use assign_generated_ipv6_cidr_block = true")
	}
	vpc, err := c.e().CreateVpc(engine.CreateVpcInput{CIDR: cidr, InstanceTenancy: c.o.str("instance_tenancy"), AmazonIPv6: c.o.flag("assign_generated_ipv6_cidr_block"), Tags: c.tags()})
	if err != nil {
		return c.fail("cidr_block", err)
	}
	for _, k := range []string{"enable_dns_support", "enable_dns_hostnames"} {
		b, err := c.o.boolean(k)
		if err != nil || b == nil {
			if err != nil {
				return err
			}
			continue
		}
		var err2 error
		if k == "enable_dns_support" {
			err2 = c.e().ModifyVpcAttribute(vpc.ID, b, nil)
		} else {
			err2 = c.e().ModifyVpcAttribute(vpc.ID, nil, b)
		}
		if err2 != nil {
			return c.fail(k, err2)
		}
	}
	if err := c.adoptTags(string(vpc.ID)); err != nil {
		return err
	}
	c.read(func(st *model.State) { vpc = st.VPCs[vpc.ID] })
	c.vpcOut(vpc)
	return nil
}

// aws_default_vpc adopts the region's default VPC (creating it, as
// CreateDefaultVpc would, when the account has none).
func adoptDefaultVPC(c *rctx) error {
	vpc, err := c.defaultVPC()
	if err != nil {
		return err
	}
	if b, _ := c.o.boolean("enable_dns_hostnames"); b != nil {
		if err := c.e().ModifyVpcAttribute(vpc.ID, nil, b); err != nil {
			return c.fail("enable_dns_hostnames", err)
		}
	}
	if err := c.adoptTags(string(vpc.ID)); err != nil {
		return err
	}
	c.read(func(st *model.State) { vpc = st.VPCs[vpc.ID] })
	c.vpcOut(vpc)
	return nil
}

func (c *rctx) subnetOut(s *model.Subnet) {
	c.created(string(s.ID), string(s.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "subnet/"+string(s.ID)))
	c.set("vpc_id", string(s.VpcID))
	c.set("cidr_block", subnetCIDR(s))
	c.set("availability_zone", s.AvailabilityZone)
	c.set("availability_zone_id", s.AvailabilityZoneID)
	c.set("owner_id", c.l.account)
	c.out["map_public_ip_on_launch"] = cty.BoolVal(s.MapPublicIPOnLaunch)
	c.out["assign_ipv6_address_on_creation"] = cty.BoolVal(s.AssignIPv6AddressOnCreation)
	c.out["ipv6_native"] = cty.BoolVal(s.IPv6Native)
	c.out["enable_dns64"] = cty.BoolVal(s.EnableDNS64)
	c.out["enable_resource_name_dns_a_record_on_launch"] = cty.BoolVal(s.ResourceNameDNSA)
	c.out["enable_resource_name_dns_aaaa_record_on_launch"] = cty.BoolVal(s.ResourceNameDNSAAAA)
	c.set("private_dns_hostname_type_on_launch", s.Hostname())
	c.set("ipv6_cidr_block", "")
	c.set("ipv6_cidr_block_association_id", "")
	if len(s.IPv6) > 0 {
		c.set("ipv6_cidr_block", s.IPv6[0].CIDR.String())
		c.set("ipv6_cidr_block_association_id", s.IPv6[0].AssociationID)
	}
}

// subnetCIDR is a subnet's IPv4 CIDR as the provider's cidr_block holds
// it: "" for an IPv6-only subnet, which has none.
func subnetCIDR(s *model.Subnet) string {
	if !s.CIDR.IsValid() {
		return ""
	}
	return s.CIDR.String()
}

// aws_subnet: map_public_ip_on_launch defaults to false. An IPv6-only
// subnet (ipv6_native = true) has an ipv6_cidr_block and no cidr_block;
// the provider sends CreateSubnet with what is set and then, one
// ModifySubnetAttribute each, the attributes set true (and a hostname
// type), as resourceSubnetCreate does, so EC2's refusals (DNS64 or AAAA
// records without an IPv6 block, an A record or public IPv4 addresses in
// an IPv6-only subnet) are the reader's.
func createSubnet(c *rctx) error {
	vpc, err := c.req("vpc_id")
	if err != nil {
		return err
	}
	native := c.o.flag("ipv6_native")
	cidr := c.o.str("cidr_block")
	if cidr == "" && !native && !c.o.get("cidr_block").IsKnown() {
		// A block known only at apply; without one at all, EC2 asks
		// for it (cidr_block is optional in the provider's schema,
		// as an IPv6-only subnet has none).
		if _, err := c.req("cidr_block"); err != nil {
			return err
		}
	}
	s, err := c.e().CreateSubnet(engine.CreateSubnetInput{VpcID: model.VpcID(vpc), CIDR: cidr, IPv6CIDR: c.o.str("ipv6_cidr_block"), IPv6Native: native,
		AvailabilityZone: c.o.str("availability_zone"), AvailabilityZoneID: c.o.str("availability_zone_id"), Tags: c.tags()})
	if err != nil {
		key := "cidr_block"
		if native || strings.Contains(err.Error(), "IPv6") || strings.Contains(err.Error(), "ipv6") {
			key = "ipv6_cidr_block"
		} else if strings.Contains(err.Error(), "vpc-") && strings.Contains(err.Error(), "does not exist") {
			key = "vpc_id"
		} else if strings.Contains(strings.ToLower(err.Error()), "availabilityzone") || strings.Contains(err.Error(), "Availability Zone") {
			key = "availability_zone"
		}
		return c.fail(key, err)
	}
	if c.o.flag("map_public_ip_on_launch") {
		if err := c.e().ModifySubnetAttribute(s.ID, true); err != nil {
			return c.fail("map_public_ip_on_launch", err)
		}
	}
	if c.o.flag("assign_ipv6_address_on_creation") {
		if err := c.e().SetAssignIPv6OnCreation(s.ID, true); err != nil {
			return c.fail("assign_ipv6_address_on_creation", err)
		}
	}
	on := true
	for _, a := range []struct {
		key string
		in  engine.SubnetAttributes
	}{
		{"enable_dns64", engine.SubnetAttributes{EnableDNS64: &on}},
		{"enable_resource_name_dns_a_record_on_launch", engine.SubnetAttributes{ResourceNameA: &on}},
		{"enable_resource_name_dns_aaaa_record_on_launch", engine.SubnetAttributes{ResourceNameAAAA: &on}},
	} {
		if c.o.flag(a.key) {
			if err := c.e().ModifySubnetAttributes(s.ID, a.in); err != nil {
				return c.fail(a.key, err)
			}
		}
	}
	if h := c.o.str("private_dns_hostname_type_on_launch"); h != "" {
		if err := c.e().ModifySubnetAttributes(s.ID, engine.SubnetAttributes{HostnameType: h}); err != nil {
			return c.fail("private_dns_hostname_type_on_launch", err)
		}
	}
	c.read(func(st *model.State) { s = st.Subnets[s.ID] })
	c.subnetOut(s)
	return nil
}

// aws_default_subnet adopts the default subnet of a zone.
func adoptDefaultSubnet(c *rctx) error {
	az, err := c.req("availability_zone")
	if err != nil {
		return err
	}
	vpc, err := c.defaultVPC()
	if err != nil {
		return err
	}
	var sub *model.Subnet
	c.read(func(st *model.State) {
		for _, s := range st.Subnets {
			if s.VpcID == vpc.ID && s.AvailabilityZone == az && s.DefaultForAZ {
				sub = s
			}
		}
	})
	if sub == nil {
		return c.errf("availability_zone", "no default subnet for availability zone %s in the default VPC %s", az, vpc.ID)
	}
	if b, _ := c.o.boolean("map_public_ip_on_launch"); b != nil && *b != sub.MapPublicIPOnLaunch {
		if err := c.e().ModifySubnetAttribute(sub.ID, *b); err != nil {
			return c.fail("map_public_ip_on_launch", err)
		}
		c.read(func(st *model.State) { sub = st.Subnets[sub.ID] })
	}
	if err := c.adoptTags(string(sub.ID)); err != nil {
		return err
	}
	c.read(func(st *model.State) { sub = st.Subnets[sub.ID] })
	c.subnetOut(sub)
	return nil
}

func createIGW(c *rctx) error {
	g, err := c.e().CreateInternetGateway(c.tags())
	if err != nil {
		return c.fail("", err)
	}
	if vpc := c.o.str("vpc_id"); vpc != "" {
		if err := c.e().AttachInternetGateway(g.ID, model.VpcID(vpc)); err != nil {
			return c.fail("vpc_id", err)
		}
	}
	c.created(string(g.ID), string(g.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "internet-gateway/"+string(g.ID)))
	c.set("owner_id", c.l.account)
	return nil
}

func attachIGW(c *rctx) error {
	igw, err := c.req("internet_gateway_id")
	if err != nil {
		return err
	}
	vpc, err := c.req("vpc_id")
	if err != nil {
		return err
	}
	if err := c.e().AttachInternetGateway(model.InternetGatewayID(igw), model.VpcID(vpc)); err != nil {
		return c.fail("internet_gateway_id", err)
	}
	c.created(igw+":"+vpc, "")
	return nil
}

// aws_eip. The tag ecsnet:public-ips pins the address.
func createEIP(c *rctx) error {
	// Every address is a VPC one now: domain = "vpc" (and the provider's
	// older vpc = true) ask for what AWS gives anyway.
	c.o.get("domain")
	c.o.get("vpc")
	tags := stringMap(c.o.get("tags"))
	fixed, err := c.pinnedIPs(tags)
	if err != nil {
		return err
	}
	var want netip.Addr
	if len(fixed) > 0 {
		want = fixed[0]
	}
	if s := c.o.str("address"); s != "" {
		want, _ = netip.ParseAddr(s)
	}
	if s := c.o.str("public_ip"); c.l.fromJSON && s != "" && !want.IsValid() {
		want, _ = netip.ParseAddr(s) // a state's address
	}
	a, err := c.e().AllocateAddress(want, c.tags())
	if err != nil {
		return c.fail("", err)
	}
	in := engine.AssociateAddressInput{AllocationID: a.AllocationID, InstanceID: model.InstanceID(c.o.str("instance")),
		NetworkInterfaceID: model.NetworkInterfaceID(c.o.str("network_interface")), PrivateIP: c.o.str("associate_with_private_ip")}
	if in.InstanceID != "" || in.NetworkInterfaceID != "" {
		associate := func() error {
			if c.refresh != nil { // the instance's id, mapped since
				if err := c.refresh(); err != nil {
					return err
				}
				in.InstanceID, in.NetworkInterfaceID = model.InstanceID(c.o.str("instance")), model.NetworkInterfaceID(c.o.str("network_interface"))
			}
			if _, err := c.e().AssociateAddress(in); err != nil {
				return c.fail("instance", err)
			}
			return nil
		}
		if c.l.fromJSON {
			// A state's instances come later: associate once they exist.
			c.l.final = append(c.l.final, associate)
		} else if err := associate(); err != nil {
			return err
		}
	}
	c.created(string(a.AllocationID), string(a.AllocationID))
	c.set("allocation_id", string(a.AllocationID))
	c.set("public_ip", a.PublicIP.String())
	c.set("domain", "vpc")
	// The provider writes the name itself, in its region's form, whatever
	// the VPC's DNS host names say.
	c.set("public_dns", model.PublicDNSName(c.l.region, a.PublicIP))
	return nil
}

func createEIPAssociation(c *rctx) error {
	in := engine.AssociateAddressInput{AllocationID: model.AllocationID(c.o.str("allocation_id")), InstanceID: model.InstanceID(c.o.str("instance_id")),
		NetworkInterfaceID: model.NetworkInterfaceID(c.o.str("network_interface_id")), PrivateIP: c.o.str("private_ip_address"), AllowReassociation: true}
	if pub := c.o.str("public_ip"); in.AllocationID == "" && pub != "" {
		c.read(func(st *model.State) {
			for _, a := range st.Addresses {
				if a.PublicIP.String() == pub {
					in.AllocationID = a.AllocationID
				}
			}
		})
	}
	id, err := c.e().AssociateAddress(in)
	if err != nil {
		return c.fail("allocation_id", err)
	}
	c.created(string(id), "")
	return nil
}

func createNatGateway(c *rctx) error {
	if c.o.str("availability_mode") == "regional" {
		return createRegionalNatGateway(c)
	}
	if m := c.o.str("availability_mode"); m != "" && m != "zonal" {
		return c.errf("availability_mode", "expected availability_mode to be one of [\"regional\" \"zonal\"], got %s", m)
	}
	sub, err := c.req("subnet_id")
	if err != nil {
		return err
	}
	// Secondary addresses: secondary_allocation_ids (a public gateway's
	// Elastic IPs), secondary_private_ip_addresses (fixed) or
	// secondary_private_ip_address_count (a private gateway's).
	var secondary engine.NatSecondaryAddresses
	for _, id := range c.o.strs("secondary_allocation_ids") {
		secondary.AllocationIDs = append(secondary.AllocationIDs, model.AllocationID(id))
	}
	for _, s := range c.o.strs("secondary_private_ip_addresses") {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return c.errf("secondary_private_ip_addresses", "%q is not a valid IPv4 address", s)
		}
		secondary.PrivateIPs = append(secondary.PrivateIPs, a)
	}
	if secondary.Count, err = c.o.integer("secondary_private_ip_address_count", 0); err != nil {
		return err
	}
	if secondary.Count > 0 && len(secondary.PrivateIPs) > 0 {
		// The provider's schema: each ConflictsWith the other.
		return c.errf("secondary_private_ip_address_count", "\"secondary_private_ip_address_count\": conflicts with secondary_private_ip_addresses")
	}
	ng, err := c.e().CreateNatGateway(engine.CreateNatGatewayInput{SubnetID: model.SubnetID(sub), AllocationID: model.AllocationID(c.o.str("allocation_id")),
		ConnectivityType: c.o.str("connectivity_type"), PrivateIP: c.o.str("private_ip"), Secondary: secondary, Tags: c.tags()})
	if err != nil {
		key := "subnet_id"
		switch msg := strings.ToLower(err.Error()); {
		case strings.Contains(msg, "secondary") || strings.Contains(msg, "private nat gateway") && !secondary.Empty():
			key = "secondary_private_ip_addresses"
			if len(secondary.AllocationIDs) > 0 {
				key = "secondary_allocation_ids"
			}
		case strings.Contains(msg, "allocation"):
			key = "allocation_id"
		}
		return c.fail(key, err)
	}
	// The provider reads the secondary addresses back (its Read): the
	// addresses the subnet picked for a count or for Elastic IPs given
	// alone are known after apply.
	var addrs []string
	c.read(func(st *model.State) {
		if n := st.NetworkInterfaces[ng.NetworkInterface]; n != nil {
			for _, p := range n.PrivateIPs {
				if !p.Primary {
					addrs = append(addrs, p.Addr.String())
				}
			}
		}
	})
	c.setList("secondary_private_ip_addresses", addrs)
	c.out["secondary_private_ip_address_count"] = cty.NumberIntVal(int64(len(addrs)))
	if err := c.e().Converge(); err != nil { // the provider waits for "available"
		return c.fail("", err)
	}
	if ng.State == "failed" {
		return c.errf("allocation_id", "NAT gateway %s went to state failed: %s: %s", ng.ID, ng.FailureCode, ng.FailureMessage)
	}
	c.created(string(ng.ID), string(ng.ID))
	return nil
}

// createRegionalNatGateway creates an aws_nat_gateway of
// availability_mode "regional" (hashicorp/aws v6: vpc_id, no subnet_id;
// availability_zone_address blocks for manual mode, none for automatic
// mode; allocation_id "must not be set" then). It exports
// auto_provision_zones, auto_scaling_ips, regional_nat_gateway_auto_mode
// as the provider reads them back [probable: the attributes' shapes are the provider documentation's].
func createRegionalNatGateway(c *rctx) error {
	if c.o.str("subnet_id") != "" {
		return c.errf("subnet_id", "subnet_id cannot be set when availability_mode is regional; set vpc_id")
	}
	if c.o.str("allocation_id") != "" {
		return c.errf("allocation_id", "allocation_id must not be set when availability_mode is regional; use availability_zone_address blocks")
	}
	if c.o.str("connectivity_type") == "private" {
		return c.errf("connectivity_type", "a regional NAT gateway supports public connectivity only")
	}
	vpc, err := c.req("vpc_id")
	if err != nil {
		return err
	}
	var zones []engine.NatZoneRequest
	for _, b := range c.o.blocks("availability_zone_address") {
		z := engine.NatZoneRequest{Zone: b.str("availability_zone"), ZoneID: b.str("availability_zone_id")}
		for _, id := range b.strs("allocation_ids") {
			z.AllocationIDs = append(z.AllocationIDs, model.AllocationID(id))
		}
		zones = append(zones, z)
	}
	ng, err := c.e().CreateNatGateway(engine.CreateNatGatewayInput{AvailabilityMode: "regional", VpcID: model.VpcID(vpc),
		ConnectivityType: "public", Zones: zones, Tags: c.tags()})
	if err != nil {
		key := "vpc_id"
		if len(zones) > 0 {
			key = "availability_zone_address"
		}
		return c.fail(key, err)
	}
	if err := c.e().Converge(); err != nil {
		return c.fail("", err)
	}
	c.read(func(st *model.State) {
		if cur := st.NatGateways[ng.ID]; cur != nil {
			ng = cur
		}
	})
	if ng.State == "failed" {
		return c.errf("vpc_id", "NAT gateway %s went to state failed: %s: %s", ng.ID, ng.FailureCode, ng.FailureMessage)
	}
	auto := "disabled"
	if ng.AutoProvisionZones {
		auto = "enabled"
	}
	c.set("availability_mode", "regional")
	c.set("auto_provision_zones", auto)
	c.set("auto_scaling_ips", auto)
	c.set("regional_nat_gateway_auto_mode", auto)
	c.created(string(ng.ID), string(ng.ID))
	return nil
}

// routeInput reads a route's target (an aws_route or an inline route).
func (c *rctx) routeInput(o obj, rt string) (engine.RouteInput, string, error) {
	in := engine.RouteInput{RouteTableID: model.RouteTableID(rt)}
	in.DestinationCIDR = o.str("destination_cidr_block")
	if in.DestinationCIDR == "" {
		in.DestinationCIDR = o.str("cidr_block")
	}
	in.DestinationPrefixList = model.PrefixListID(o.str("destination_prefix_list_id"))
	if in.DestinationCIDR == "" && in.DestinationPrefixList == "" {
		in.DestinationIPv6CIDR = o.str("destination_ipv6_cidr_block")
		if in.DestinationIPv6CIDR == "" {
			in.DestinationIPv6CIDR = o.str("ipv6_cidr_block") // an inline route
		}
	}
	in.EgressOnlyIGWID = model.EgressOnlyIGWID(o.str("egress_only_gateway_id"))
	in.TransitGatewayID = model.TransitGatewayID(o.str("transit_gateway_id"))
	in.VpcPeeringID = model.VpcPeeringConnectionID(o.str("vpc_peering_connection_id"))
	for _, k := range []string{"carrier_gateway_id", "local_gateway_id", "core_network_arn"} {
		if o.str(k) != "" {
			return in, k + " targets are not modeled by ecsnet; traffic through the route is not analyzed", nil
		}
	}
	if g := o.str("gateway_id"); g != "" {
		switch {
		case strings.HasPrefix(g, "vpce-"):
			in.VpcEndpointID = model.VpcEndpointID(g)
		case strings.HasPrefix(g, "nat-"):
			// EC2 takes a NAT gateway's id as GatewayId and makes the route
			// a NAT gateway route (its state then shows nat_gateway_id).
			in.NatGatewayID = model.NatGatewayID(g)
		default:
			in.GatewayID = g
		}
	}
	if n := o.str("nat_gateway_id"); n != "" {
		in.NatGatewayID = model.NatGatewayID(n)
	}
	in.NetworkInterfaceID = model.NetworkInterfaceID(o.str("network_interface_id"))
	in.InstanceID = model.InstanceID(o.str("instance_id"))
	if ep := o.str("vpc_endpoint_id"); ep != "" {
		in.VpcEndpointID = model.VpcEndpointID(ep)
	}
	return in, "", nil
}

func createRouteTable(c *rctx) error {
	vpc, err := c.req("vpc_id")
	if err != nil {
		return err
	}
	rt, err := c.e().CreateRouteTable(model.VpcID(vpc), c.tags())
	if err != nil {
		return c.fail("vpc_id", err)
	}
	c.created(string(rt.ID), string(rt.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "route-table/"+string(rt.ID)))
	c.set("owner_id", c.l.account)
	if err := c.propagatingVgws(rt.ID); err != nil {
		return err
	}
	return c.inlineRoutes(string(rt.ID))
}

// inlineRouteTargets are the targets a route block of aws_route_table
// takes (hashicorp/aws 5.x), in the order the provider names them when
// a route gives none.
var inlineRouteTargets = []string{"carrier_gateway_id", "core_network_arn", "egress_only_gateway_id", "gateway_id", "local_gateway_id",
	"nat_gateway_id", "network_interface_id", "transit_gateway_id", "vpc_endpoint_id", "vpc_peering_connection_id"}

func (c *rctx) inlineRoutes(rt string) error {
	for i, r := range c.o.blocks("route") {
		if c.l.fromJSON && strings.HasPrefix(r.str("gateway_id"), "vpce-") || c.l.fromJSON && r.str("vpc_endpoint_id") != "" && r.str("cidr_block") == "" {
			continue // a gateway endpoint's route: its aws_vpc_endpoint adds it
		}
		if c.l.fromJSON && (r.str("vpc_endpoint_id") != "" || r.str("instance_id") == "" && !slices.ContainsFunc(inlineRouteTargets, func(k string) bool { return r.str(k) != "" })) {
			// A Gateway Load Balancer or Network Firewall endpoint's
			// route, or (in a plan) a route whose target is known only
			// after apply: a state's endpoints and firewalls come after
			// its route tables, and a plan's targets are found from the
			// route's references, so the route is made once everything
			// else exists, with the ids mapped to the engine's.
			c.l.final = append(c.l.final, func() error { return c.inlineRouteLater(rt, i) })
			continue
		}
		// instance_id: a target before v5.0.0 made it read-only (a
		// removed argument, refused at plan under v5).
		if !c.l.fromJSON && r.str("instance_id") == "" && !slices.ContainsFunc(inlineRouteTargets, func(k string) bool { return r.str(k) != "" }) {
			// The provider's check before it calls CreateRoute (apply:
			// the table is made first), not EC2's refusal.
			e := c.errf("route", "creating route: one of `%s` must be specified", strings.Join(inlineRouteTargets, ", ")).(*Error)
			e.Err = errAtApply
			return e
		}
		if r.str("gateway_id") == "local" {
			// The provider adopts the local route rather than creating it
			// (routeTableAddRoute: "local route cannot be created but must
			// exist to be adopted"): the table's local route must have the
			// destination.
			if err := c.adoptLocalRoute(r, rt); err != nil {
				return err
			}
			continue
		}
		in, skip, err := c.routeInput(r, rt)
		if err != nil {
			return err
		}
		if skip != "" {
			c.l.warnf(r.rng, "%s: a route is skipped: %s", c.addr, skip)
			continue
		}
		if g := r.str("gateway_id"); strings.HasPrefix(g, "nat-") && !c.l.fromJSON {
			// EC2 makes it a NAT gateway route, which the provider reads
			// back as nat_gateway_id: the route set never matches the
			// configuration (hashicorp/terraform#8035, #9507; the
			// maintainers' answer: use nat_gateway_id).
			c.l.warnf(r.rng, "%s: a route names NAT gateway %s as gateway_id: EC2 makes it a NAT gateway route and the provider reads it back as nat_gateway_id, so every later plan replaces the route; write nat_gateway_id", c.addr, g)
		}
		if err := c.e().CreateRoute(in); err != nil {
			return c.fail("route", err)
		}
	}
	return nil
}

// inlineRouteLater creates a state's or plan's inline route number i of
// table rt once the rest exists (its target's id mapped, or found from the
// plan's references).
func (c *rctx) inlineRouteLater(rt string, i int) error {
	if c.refresh != nil {
		if err := c.refresh(); err != nil {
			return err
		}
	}
	routes := c.o.blocks("route")
	if i >= len(routes) {
		return nil
	}
	r := routes[i]
	if r.str("instance_id") == "" && !slices.ContainsFunc(inlineRouteTargets, func(k string) bool { return r.str(k) != "" }) {
		c.l.warnf(c.r.rng, "%s: a route to %s has a target known only after apply that its references do not name; it is not created, and paths through it are not analyzed",
			c.addr, cmp.Or(r.str("cidr_block"), r.str("ipv6_cidr_block"), r.str("destination_prefix_list_id")))
		return nil
	}
	in, skip, err := c.routeInput(r, rt)
	if err != nil {
		return err
	}
	if skip != "" {
		c.l.warnf(r.rng, "%s: a route is skipped: %s", c.addr, skip)
		return nil
	}
	if err := c.e().CreateRoute(in); err != nil {
		return c.fail("route", err)
	}
	return nil
}

// adoptLocalRoute checks an inline route of gateway_id "local": the
// provider finds the table's local route of that destination (a VPC CIDR
// block) and creates nothing, and without one fails "local route cannot be
// created but must exist to be adopted, DEST does not exist".
func (c *rctx) adoptLocalRoute(r obj, rt string) error {
	dest := cmp.Or(r.str("cidr_block"), r.str("ipv6_cidr_block"))
	found := false
	c.read(func(st *model.State) {
		if t := st.RouteTables[model.RouteTableID(rt)]; t != nil {
			for _, x := range t.Routes {
				found = found || x.Target == model.TargetLocal && x.Destination.String() == dest
			}
		}
	})
	if !found {
		e := c.errf("route", "creating Route in Route Table (%s) with destination (%s): local route cannot be created but must exist to be adopted, %s does not exist", rt, dest, dest).(*Error)
		e.Err = errAtApply
		return e
	}
	return nil
}

// aws_default_route_table adopts a VPC's main route table: Terraform
// removes every route but the local one, then adds the declared routes.
// adoptTags gives a resource an aws_default_* resource adopts the tags
// the configuration declares (and the provider's default_tags), as the
// provider tags it on adoption.
func (c *rctx) adoptTags(id string) error {
	if t := c.plainTags(); t != nil {
		if err := c.e().TagEC2Resources([]string{id}, engine.TagChange{Add: t}); err != nil {
			return c.fail("tags", err)
		}
	}
	return nil
}

func adoptDefaultRouteTable(c *rctx) error {
	id, err := c.req("default_route_table_id")
	if err != nil {
		return err
	}
	var rt *model.RouteTable
	c.read(func(st *model.State) { rt = st.RouteTables[model.RouteTableID(id)] })
	if rt == nil {
		return c.errf("default_route_table_id", "The routeTable ID '%s' does not exist", id)
	}
	for _, r := range rt.Routes {
		if r.Target == model.TargetLocal {
			continue
		}
		in := engine.RouteInput{RouteTableID: rt.ID, DestinationPrefixList: r.DestinationPrefixList}
		if r.Destination.IsValid() {
			in.DestinationCIDR = r.Destination.String()
		}
		if err := c.e().DeleteRoute(in); err != nil {
			return c.fail("default_route_table_id", err)
		}
	}
	if err := c.adoptTags(id); err != nil {
		return err
	}
	c.created(id, id)
	c.set("vpc_id", string(rt.VpcID))
	return c.inlineRoutes(id)
}

func createRoute(c *rctx) error {
	rt, err := c.req("route_table_id")
	if err != nil {
		return err
	}
	in, skip, err := c.routeInput(c.o, rt)
	if err != nil {
		return err
	}
	if skip != "" {
		c.l.warnf(c.r.rng, "%s: %s", c.addr, skip)
		c.skip = skip
		return nil
	}
	if err := c.e().CreateRoute(in); err != nil {
		key := "destination_cidr_block"
		for _, k := range []string{"gateway_id", "nat_gateway_id", "network_interface_id", "instance_id", "vpc_endpoint_id"} {
			if c.o.has(k) && !strings.Contains(err.Error(), "CIDR") {
				key = k
			}
		}
		return c.fail(key, err)
	}
	d := in.DestinationCIDR
	if d == "" {
		d = string(in.DestinationPrefixList)
	}
	c.created("r-"+rt+strconv.Itoa(int(crc(d))), "")
	c.set("state", "active")
	c.set("origin", "CreateRoute")
	return nil
}

// crc is a small stable hash (Terraform's route ids hash the destination).
func crc(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

func createRTAssociation(c *rctx) error {
	rt, err := c.req("route_table_id")
	if err != nil {
		return err
	}
	sub := c.o.str("subnet_id")
	if sub == "" {
		if c.o.has("gateway_id") {
			return gatewayRTAssociation(c, rt)
		}
		return c.errf("subnet_id", "one of subnet_id or gateway_id must be given")
	}
	id, err := c.e().AssociateRouteTable(model.RouteTableID(rt), model.SubnetID(sub))
	if err != nil {
		return c.fail("route_table_id", err)
	}
	c.created(string(id), "")
	return nil
}

func createMainRTAssociation(c *rctx) error {
	vpc, err := c.req("vpc_id")
	if err != nil {
		return err
	}
	rt, err := c.req("route_table_id")
	if err != nil {
		return err
	}
	var assoc model.RouteTableAssocID
	var original model.RouteTableID
	c.read(func(st *model.State) {
		if v := st.VPCs[model.VpcID(vpc)]; v != nil {
			original = v.MainRouteTable
			if t := st.RouteTables[v.MainRouteTable]; t != nil {
				for _, a := range t.Associations {
					if a.Main {
						assoc = a.ID
					}
				}
			}
		}
	})
	if assoc == "" {
		return c.errf("vpc_id", "The vpc ID '%s' does not exist", vpc)
	}
	id, err := c.e().ReplaceRouteTableAssociation(assoc, model.RouteTableID(rt))
	if err != nil {
		return c.fail("route_table_id", err)
	}
	c.created(string(id), "")
	c.set("original_route_table_id", string(original))
	return nil
}

// ---- security groups ----

// protoName normalizes a Terraform protocol ("all", "-1", "tcp", "6").
func protoName(p string) string {
	switch strings.ToLower(p) {
	case "all", "-1", "":
		return "-1"
	}
	return strings.ToLower(p)
}

// permission builds a rule from Terraform's from_port/to_port/protocol.
func permission(o obj, protoKey string) (engine.IPPermission, error) {
	proto := protoName(o.str(protoKey))
	p := engine.IPPermission{Protocol: proto}
	if proto == "-1" {
		o.get("from_port") // all ports: AWS ignores them
		o.get("to_port")
		return p, nil
	}
	from, err := o.integer("from_port", 0)
	if err != nil {
		return p, err
	}
	to, err := o.integer("to_port", from)
	if err != nil {
		return p, err
	}
	if proto == "icmp" || proto == "1" {
		// from_port is the ICMP type, to_port the code; -1 for all.
		p.FromPort, p.ToPort = &from, &to
		return p, nil
	}
	p.FromPort, p.ToPort = &from, &to
	return p, nil
}

// sources fills a rule's sources from Terraform's arguments. self adds the
// group itself.
func sources(p *engine.IPPermission, o obj, self, groupsKey string) {
	desc := o.str("description")
	for _, cidr := range o.strs("cidr_blocks") {
		p.CIDRs = append(p.CIDRs, engine.RuleSource{Value: cidr, Description: desc})
	}
	for _, cidr := range o.strs("ipv6_cidr_blocks") {
		p.IPv6CIDRs = append(p.IPv6CIDRs, engine.RuleSource{Value: cidr, Description: desc})
	}
	for _, g := range o.strs(groupsKey) {
		p.Groups = append(p.Groups, engine.RuleSource{Value: g, Description: desc})
	}
	// Empty ids are kept: the provider sends them and EC2 refuses them.
	for _, pl := range o.strsKeepEmpty("prefix_list_ids") {
		p.PrefixLists = append(p.PrefixLists, engine.RuleSource{Value: pl, Description: desc})
	}
	if o.flag("self") {
		p.Groups = append(p.Groups, engine.RuleSource{Value: self, Description: desc})
	}
}

// ruleErrKey is the argument a rule's error is reported at: its prefix
// list argument for a prefix list id EC2 refuses, else security_group_id.
func ruleErrKey(err error, prefixKey string) string {
	if strings.Contains(err.Error(), "PrefixListI") {
		return prefixKey
	}
	return "security_group_id"
}

// ruleText names a rule's protocol and ports as a plan shows them.
func ruleText(p engine.IPPermission) string {
	if p.Protocol == "-1" {
		return "all protocols"
	}
	if p.FromPort == nil {
		return p.Protocol
	}
	if *p.FromPort == *p.ToPort {
		return fmt.Sprintf("%s %d", p.Protocol, *p.FromPort)
	}
	return fmt.Sprintf("%s %d-%d", p.Protocol, *p.FromPort, *p.ToPort)
}

func hasSources(p engine.IPPermission) bool {
	return len(p.CIDRs)+len(p.IPv6CIDRs)+len(p.Groups)+len(p.PrefixLists) > 0
}

func (c *rctx) sgOut(sg *model.SecurityGroup) {
	c.created(string(sg.ID), string(sg.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "security-group/"+string(sg.ID)))
	c.set("name", sg.Name)
	c.set("vpc_id", string(sg.VpcID))
	c.set("owner_id", c.l.account)
}

// inlineRules applies a security group's ingress and egress blocks.
func (c *rctx) inlineRules(id model.SecurityGroupID) error {
	for _, dir := range []string{"ingress", "egress"} {
		for _, r := range c.o.blocks(dir) {
			p, err := permission(r, "protocol")
			if err != nil {
				return err
			}
			sources(&p, r, string(id), "security_groups")
			if why := c.unknownSource(r, "cidr_blocks", "ipv6_cidr_blocks", "security_groups", "prefix_list_ids", "self"); why != "" {
				c.l.warnf(r.rng, "%s: an %s block (%s): %s; ecsnet leaves the rule out: what it %s is not analyzed", c.addr, dir, ruleText(p), why,
					map[string]string{"ingress": "admits", "egress": "lets out"}[dir])
				c.noteUnknownRule(string(id), dir == "egress", p, why)
				continue
			}
			if !hasSources(p) {
				// The provider sends the rule with no source or destination;
				// EC2 adds nothing and answers success, so the group is made
				// without it and every later plan shows it as an update.
				c.l.warnf(r.rng, "%s: an %s block (%s) names no %s (no cidr_blocks, ipv6_cidr_blocks, security_groups, self or prefix_list_ids): EC2 adds no rule for it, so the group %s nothing through it, and every later plan shows the block as an update in place",
					c.addr, dir, ruleText(p), map[string]string{"ingress": "source", "egress": "destination"}[dir], map[string]string{"ingress": "admits", "egress": "sends"}[dir])
				continue
			}
			if _, err := c.e().AuthorizeSecurityGroup(id, dir == "egress", []engine.IPPermission{p}); err != nil {
				return c.fail(dir, err)
			}
		}
	}
	return nil
}

// aws_security_group. Terraform removes the allow-all egress rules AWS adds
// to a new group (IPv4, and IPv6 in a VPC with an IPv6 block): the group has no egress unless the configuration
// declares it.
func createSecurityGroup(c *rctx) error {
	name := c.name(255)
	desc := c.o.str("description")
	if desc == "" && !c.o.has("description") {
		desc = "Managed by Terraform"
	}
	vpc := c.o.str("vpc_id")
	if vpc == "" {
		d, err := c.defaultVPC()
		if err != nil {
			return err
		}
		vpc = string(d.ID)
	}
	tags := c.tags()
	if c.o.str("name") != "" && c.o.str("tags") == "" && stringMap(c.o.get("tags"))["Name"] == "" {
		delete(tags, "Name") // the group's own name labels it
	}
	sg, err := c.e().CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: model.VpcID(vpc), Name: name, Description: desc, Tags: tags})
	if err != nil {
		return c.fail("name", err)
	}
	if err := c.e().RevokeDefaultEgress(sg.ID); err != nil {
		return c.fail("", err)
	}
	c.sgOut(sg)
	c.noteInline(string(sg.ID))
	// A state's groups refer to each other by id: their rules wait until
	// every group exists.
	return c.later(func() error { return c.inlineRules(sg.ID) })
}

// aws_default_security_group adopts a VPC's default group: Terraform
// removes every rule, then adds the declared ones.
func adoptDefaultSecurityGroup(c *rctx) error {
	vpc := c.o.str("vpc_id")
	var sg *model.SecurityGroup
	c.read(func(st *model.State) {
		if vpc == "" {
			for _, v := range st.VPCs {
				if v.IsDefault {
					vpc = string(v.ID)
				}
			}
		}
		if v := st.VPCs[model.VpcID(vpc)]; v != nil {
			sg = st.SecurityGroups[v.DefaultSecurityGroup]
		}
	})
	if sg == nil {
		return c.errf("vpc_id", "no default security group for VPC %q", vpc)
	}
	for _, dir := range [][]model.SecurityGroupRule{sg.Ingress, sg.Egress} {
		var ids []model.SecurityGroupRuleID
		for _, r := range dir {
			ids = append(ids, r.ID)
		}
		if len(ids) > 0 {
			if _, err := c.e().RevokeSecurityGroup(sg.ID, dir[0].Egress, nil, ids); err != nil {
				return c.fail("", err)
			}
		}
	}
	if err := c.adoptTags(string(sg.ID)); err != nil {
		return err
	}
	c.sgOut(sg)
	c.noteInline(string(sg.ID))
	c.defaultGroupDestroyWarning()
	return c.later(func() error { return c.inlineRules(sg.ID) })
}

// defaultGroupDestroyWarning warns of an aws_default_security_group rule
// that names another security group of the configuration: destroying the
// default group only removes it from the state (the provider cannot delete
// a default group, and leaves its rules), so `terraform destroy` cannot
// delete the named group: EC2 refuses it while a rule references it
// (DependencyViolation), and the provider retries until its delete
// timeout.
func (c *rctx) defaultGroupDestroyWarning() {
	sb, ok := c.r.body.(*hclsyntax.Body)
	if !ok || c.l.fromJSON {
		return
	}
	seen := map[string]bool{}
	for _, b := range sb.Blocks {
		if b.Type != "ingress" && b.Type != "egress" {
			continue
		}
		a := b.Body.Attributes["security_groups"]
		if a == nil {
			continue
		}
		for _, tr := range a.Expr.Variables() {
			if tr.RootName() != "aws_security_group" || len(tr) < 2 {
				continue
			}
			ref := traversalString(tr[:2])
			if seen[ref] {
				continue
			}
			seen[ref] = true
			c.l.warnf(b.DefRange(), "%s: its %s rule names %s; destroying %s only removes it from the state (the provider cannot delete a default security group and leaves its rules), so terraform destroy cannot delete %s: EC2 refuses it while the rule references it (\"DependencyViolation: resource sg-… has a dependent object\") and the provider retries until its delete timeout (15 minutes); apply without the rule before destroying",
				c.addr, b.Type, ref, c.addr, ref)
		}
	}
}

// noteInline records the directions a group's resource declares inline
// rules for (an ingress or egress block, or the argument set to a list).
func (c *rctx) noteInline(id string) {
	for _, dir := range []string{"ingress", "egress"} {
		if len(c.o.blocks(dir)) == 0 && (c.o.body == nil || c.o.body.Attributes[dir] == nil) {
			continue
		}
		if c.l.inlineDirs == nil {
			c.l.inlineDirs = map[[2]string]string{}
		}
		c.l.inlineDirs[[2]string{id, dir}] = c.addr
	}
}

// warnMixedRules warns of a standalone rule added to a group whose
// resource declares inline rules of the same direction: the provider
// reads every rule of that direction into the group's set, so each plan
// removes the standalone rule from the group and adds it back by its own
// resource, and the two fight.
func (c *rctx) warnMixedRules(group string, egress bool) {
	dir := "ingress"
	if egress {
		dir = "egress"
	}
	owner := c.l.inlineDirs[[2]string{group, dir}]
	if owner == "" || c.l.fromJSON {
		return
	}
	c.l.warnf(c.r.rng, "%s adds an %s rule to %s, which declares inline %s blocks: the provider reads every %s rule of the group into them, so every later plan removes this rule from %s (and this resource puts it back); write the group's %s rules in one style",
		c.addr, dir, owner, dir, dir, owner, dir)
}

// aws_security_group_rule.
func createSGRule(c *rctx) error {
	if err := sgRuleConflicts(c); err != nil {
		return err
	}
	id, err := c.req("security_group_id")
	if err != nil {
		return err
	}
	typ, err := c.req("type")
	if err != nil {
		return err
	}
	p, err := permission(c.o, "protocol")
	if err != nil {
		return err
	}
	sources(&p, c.o, id, "")
	if s := c.o.str("source_security_group_id"); s != "" {
		p.Groups = append(p.Groups, engine.RuleSource{Value: s, Description: c.o.str("description")})
	}
	if c.skipUnknownSource("cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "self", "source_security_group_id") {
		c.noteUnknownRule(id, typ == "egress", p, c.skip)
		return nil
	}
	if !hasSources(p) {
		return c.errf("type", `one of ["cidr_blocks","ipv6_cidr_blocks","prefix_list_ids","self","source_security_group_id"] must be specified`)
	}
	if _, err := c.e().AuthorizeSecurityGroup(model.SecurityGroupID(id), typ == "egress", []engine.IPPermission{p}); err != nil {
		return c.fail(ruleErrKey(err, "prefix_list_ids"), err)
	}
	c.warnMixedRules(id, typ == "egress")
	c.created("sgrule-"+strconv.Itoa(int(crc(c.addr))), "")
	return nil
}

// sgRuleConflicts refuses an aws_security_group_rule that sets two
// sources the provider's schema says conflict (ConflictsWith): each
// argument set, even to [], "" or false, that conflicts with another set
// one is a diagnostic at its own line naming the first of its list that
// is set, as the plugin SDK says it. prefix_list_ids conflicts with none.
// The SDK skips an argument, or a conflict with one, whose value is
// unknown at plan (the id of a group the configuration creates): such a
// conflict is met when Terraform plans the rule again during apply, with
// the value known, after what the rule depends on was created and beside
// AWS's refusals of other resources (errAtApply); one of values known at
// plan stops the plan.
func sgRuleConflicts(c *rctx) error {
	conflicts := []struct {
		arg  string
		with []string
	}{
		{"cidr_blocks", []string{"source_security_group_id", "self"}},
		{"ipv6_cidr_blocks", []string{"source_security_group_id", "self"}},
		{"self", []string{"cidr_blocks", "ipv6_cidr_blocks", "source_security_group_id"}},
		{"source_security_group_id", []string{"cidr_blocks", "ipv6_cidr_blocks", "self"}},
	}
	set := func(k string) bool {
		return c.o.body != nil && c.o.body.Attributes[k] != nil && c.o.has(k)
	}
	atPlan := func(k string) bool { return set(k) && c.knownAtPlan(k) }
	var plan, apply errorList
	for _, x := range conflicts {
		if !set(x.arg) {
			continue
		}
		if i := slices.IndexFunc(x.with, atPlan); i >= 0 && atPlan(x.arg) {
			plan.add(c.errf(x.arg, "Conflicting configuration arguments: %q: conflicts with %s", x.arg, x.with[i]))
		}
		if i := slices.IndexFunc(x.with, set); i >= 0 {
			e := c.errf(x.arg, "Conflicting configuration arguments: %q: conflicts with %s", x.arg, x.with[i]).(*Error)
			e.Err = errAtApply
			apply.add(e)
		}
	}
	if len(plan.errs) > 0 {
		return plan.err()
	}
	return apply.err()
}

// vpcRuleSources refuses an aws_vpc_security_group_ingress_rule (or
// egress rule) that sets more than one source: the provider's
// ExactlyOneOf validator says "Invalid Attribute Combination" once, at the
// first set of cidr_ipv4, cidr_ipv6, prefix_list_id and
// referenced_security_group_id in that order (terraform validate, 1.11.4
// with hashicorp/aws 5.100.0). As with sgRuleConflicts, sources of values
// known only after apply meet it during apply.
func vpcRuleSources(c *rctx) error {
	var set []string
	atPlan := true
	for _, k := range []string{"cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id"} {
		if c.o.body != nil && c.o.body.Attributes[k] != nil && c.o.has(k) {
			set = append(set, k)
			atPlan = atPlan && c.knownAtPlan(k)
		}
	}
	if len(set) < 2 {
		return nil
	}
	e := c.errf(set[0], "Invalid Attribute Combination: Exactly one of these attributes must be configured: [cidr_ipv4,cidr_ipv6,prefix_list_id,referenced_security_group_id]").(*Error)
	if !atPlan {
		e.Err = errAtApply
	}
	return e
}

// knownAtPlan reports whether argument k's value is known when Terraform
// plans: no value in it is the id of a resource the configuration creates
// (known after apply). A value computed from such an id otherwise (a
// resource's ARN) is taken as known ([choice]).
func (c *rctx) knownAtPlan(k string) bool {
	ids := map[string]bool{}
	for _, r := range c.l.res.Resources {
		ids[r.ID] = true
	}
	v := c.o.get(k)
	if !v.IsKnown() {
		return false
	}
	if v.IsNull() || !v.CanIterateElements() {
		return !ids[asString(v)]
	}
	for it := v.ElementIterator(); it.Next(); {
		if _, e := it.Element(); !e.IsKnown() || ids[asString(e)] {
			return false
		}
	}
	return true
}

// skipUnknownSource skips a rule resource whose source (or destination)
// is a value ecsnet does not know (an attribute of a data source it does
// not answer, of a resource it does not model): on AWS the rule has that
// source, so it is neither refused as sourceless nor analyzed; a warning
// says so.
func (c *rctx) skipUnknownSource(keys ...string) bool {
	why := c.unknownSource(c.o, keys...)
	if why == "" {
		return false
	}
	c.skip = why + "; ecsnet leaves the rule out: what it admits (or lets out) is not analyzed"
	c.l.warnf(c.r.rng, "%s: %s", c.addr, c.skip)
	return true
}

// noteUnknownRule keeps, on the group, the protocol and ports of a rule
// left out for its unknown source, so the analyzer says "unknown" where
// the rule might admit traffic rather than "closed". A rule EC2 would
// refuse for its protocol or ports is not noted (the warning stands).
func (c *rctx) noteUnknownRule(id string, egress bool, p engine.IPPermission, why string) {
	if id == "" || strings.HasPrefix(id, "unknown") {
		return
	}
	_ = c.e().NoteUnknownRule(model.SecurityGroupID(id), egress, p, why)
}

// aws_vpc_security_group_ingress_rule / _egress_rule: one source each.
func createVPCSGRule(c *rctx, egress bool) error {
	id, err := c.req("security_group_id")
	if err != nil {
		return err
	}
	p, err := permission(c.o, "ip_protocol")
	if err != nil {
		return err
	}
	desc := c.o.str("description")
	if v := c.o.str("cidr_ipv4"); v != "" {
		p.CIDRs = []engine.RuleSource{{Value: v, Description: desc}}
	}
	if v := c.o.str("cidr_ipv6"); v != "" {
		p.IPv6CIDRs = []engine.RuleSource{{Value: v, Description: desc}}
	}
	if v := c.o.str("referenced_security_group_id"); v != "" {
		p.Groups = []engine.RuleSource{{Value: v, Description: desc}}
	}
	// prefix_list_id = "" is set (not null): the provider sends it, and
	// EC2 refuses the empty id.
	if v := c.o.get("prefix_list_id"); !v.IsNull() && v.IsKnown() {
		p.PrefixLists = []engine.RuleSource{{Value: asString(v), Description: desc}}
	}
	if err := vpcRuleSources(c); err != nil {
		return err
	}
	if c.skipUnknownSource("cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id") {
		c.noteUnknownRule(id, egress, p, c.skip)
		return nil
	}
	if !hasSources(p) {
		// The provider's ExactlyOneOf validator, at the resource block.
		return c.errf("", "Missing Attribute Configuration: Exactly one of these attributes must be configured: [cidr_ipv4,cidr_ipv6,prefix_list_id,referenced_security_group_id]")
	}
	// EC2 keeps no port range on an all-protocols rule (-1/-1): the next
	// plan sets the ports again, in place, and ModifySecurityGroupRules
	// refuses them.
	if p.Protocol == "-1" && !c.l.fromJSON {
		var set []string
		for _, k := range []string{"from_port", "to_port"} {
			if v := c.o.get(k); !v.IsNull() && v.IsKnown() && asString(v) != "-1" {
				set = append(set, k)
			}
		}
		if len(set) > 0 {
			c.l.warnf(c.r.rng, "%s: %s set on an ip_protocol \"-1\" rule: EC2 keeps no port range for all protocols (it reads back -1), so every later plan updates the rule in place and EC2 refuses the update (InvalidParameterValue: You may not specify all protocols and specific ports.); leave them out",
				c.addr, strings.Join(set, " and "))
		}
	}
	rules, err := c.e().AuthorizeSecurityGroup(model.SecurityGroupID(id), egress, []engine.IPPermission{p})
	if err != nil {
		return c.fail(ruleErrKey(err, "prefix_list_id"), err)
	}
	c.warnMixedRules(id, egress)
	rid := ""
	if len(rules) > 0 {
		rid = string(rules[0].ID)
	}
	c.created(rid, "")
	c.set("security_group_rule_id", rid)
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "security-group-rule/"+string(rid)))
	return nil
}

// ---- network ACLs ----

// aclProto maps Terraform's protocol names to the numbers EC2 takes.
func aclProto(p string) string {
	switch strings.ToLower(p) {
	case "all", "-1", "":
		return "-1"
	case "tcp":
		return "6"
	case "udp":
		return "17"
	case "icmp":
		return "1"
	}
	return p
}

func aclEntry(o obj, acl model.NetworkACLID, egress bool, ruleKey, actionKey string) (engine.ACLEntryInput, error) {
	n, err := o.integer(ruleKey, 0)
	if err != nil {
		return engine.ACLEntryInput{}, err
	}
	in := engine.ACLEntryInput{ACLID: acl, RuleNumber: n, Egress: egress, Action: strings.ToLower(o.str(actionKey)), Protocol: aclProto(o.str("protocol")), CIDR: o.str("cidr_block")}
	if in.CIDR == "" {
		in.CIDR = o.str("ipv6_cidr_block")
	}
	if in.Protocol == "-1" {
		o.get("from_port") // all ports: AWS ignores them
		o.get("to_port")
	} else {
		from, err := o.integer("from_port", 0)
		if err != nil {
			return in, err
		}
		to, err := o.integer("to_port", from)
		if err != nil {
			return in, err
		}
		in.FromPort, in.ToPort = &from, &to
	}
	if o.has("icmp_type") || o.has("icmp_code") {
		typ, err := o.integer("icmp_type", -1)
		if err != nil {
			return in, err
		}
		code, err := o.integer("icmp_code", -1)
		if err != nil {
			return in, err
		}
		in.ICMPType, in.ICMPCode = &typ, &code
	}
	return in, nil
}

func (c *rctx) aclInline(id model.NetworkACLID) error {
	for _, dir := range []string{"ingress", "egress"} {
		for _, r := range c.o.blocks(dir) {
			in, err := aclEntry(r, id, dir == "egress", "rule_no", "action")
			if err != nil {
				return err
			}
			if err := c.e().CreateNetworkACLEntry(in); err != nil {
				return c.fail(dir, err)
			}
		}
	}
	for _, s := range c.o.strs("subnet_ids") {
		if _, err := c.e().AssociateSubnetNetworkACL(model.SubnetID(s), id); err != nil {
			return c.fail("subnet_ids", err)
		}
	}
	return nil
}

func createNetworkACL(c *rctx) error {
	vpc, err := c.req("vpc_id")
	if err != nil {
		return err
	}
	acl, err := c.e().CreateNetworkACL(model.VpcID(vpc), c.tags())
	if err != nil {
		return c.fail("vpc_id", err)
	}
	if err := c.aclInline(acl.ID); err != nil {
		return err
	}
	c.created(string(acl.ID), string(acl.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "network-acl/"+string(acl.ID)))
	return nil
}

// aws_default_network_acl adopts a VPC's default ACL: Terraform removes
// every entry (but the final deny-all ones, which cannot be removed), then
// adds the declared ones.
func adoptDefaultNetworkACL(c *rctx) error {
	id, err := c.req("default_network_acl_id")
	if err != nil {
		return err
	}
	var acl *model.NetworkACL
	c.read(func(st *model.State) { acl = st.NetworkACLs[model.NetworkACLID(id)] })
	if acl == nil {
		return c.errf("default_network_acl_id", "The networkAcl ID '%s' does not exist", id)
	}
	for _, e := range acl.Entries {
		if e.RuleNumber >= 32767 {
			continue
		}
		if err := c.e().DeleteNetworkACLEntry(acl.ID, e.RuleNumber, e.Egress); err != nil {
			return c.fail("default_network_acl_id", err)
		}
	}
	if err := c.aclInline(acl.ID); err != nil {
		return err
	}
	if err := c.adoptTags(id); err != nil {
		return err
	}
	c.created(id, id)
	c.set("vpc_id", string(acl.VpcID))
	return nil
}

func createNetworkACLRule(c *rctx) error {
	id, err := c.req("network_acl_id")
	if err != nil {
		return err
	}
	in, err := aclEntry(c.o, model.NetworkACLID(id), c.o.flag("egress"), "rule_number", "rule_action")
	if err != nil {
		return err
	}
	if err := c.e().CreateNetworkACLEntry(in); err != nil {
		return c.fail("rule_number", err)
	}
	c.created(fmt.Sprintf("nacl-%d", crc(c.addr)), "")
	return nil
}

func createNetworkACLAssociation(c *rctx) error {
	acl, err := c.req("network_acl_id")
	if err != nil {
		return err
	}
	sub, err := c.req("subnet_id")
	if err != nil {
		return err
	}
	id, err := c.e().AssociateSubnetNetworkACL(model.SubnetID(sub), model.NetworkACLID(acl))
	if err != nil {
		return c.fail("subnet_id", err)
	}
	c.created(string(id), "")
	return nil
}

// aws_vpc_endpoint: vpc_endpoint_type defaults to Gateway, as on AWS;
// private_dns_enabled to false, as the provider sends it.
func createVPCEndpoint(c *rctx) error {
	vpc, err := c.req("vpc_id")
	if err != nil {
		return err
	}
	svc, err := c.req("service_name")
	if err != nil {
		return err
	}
	typ := c.o.str("vpc_endpoint_type")
	if typ == "" {
		typ = "Gateway"
	}
	in := engine.CreateVpcEndpointInput{VpcID: model.VpcID(vpc), ServiceName: svc, Type: typ, PolicyDocument: c.o.str("policy"), Tags: c.tags()}
	// The provider always sends PrivateDnsEnabled, false unless set: an
	// interface endpoint gets private DNS only when the configuration asks
	// (the API's own default is true for AWS services).
	if b, err := c.o.boolean("private_dns_enabled"); err != nil {
		return err
	} else if b != nil {
		in.PrivateDNSEnabled = b
	} else {
		no := false
		in.PrivateDNSEnabled = &no
	}
	for _, r := range c.o.strs("route_table_ids") {
		in.RouteTableIDs = append(in.RouteTableIDs, model.RouteTableID(r))
	}
	for _, s := range c.o.strs("subnet_ids") {
		in.SubnetIDs = append(in.SubnetIDs, model.SubnetID(s))
	}
	// ip_address_type and dns_options' dns_record_ip_type are the
	// endpoint's IpAddressType and DnsOptions.DnsRecordIpType (the
	// provider sends each only when set; AWS's defaults apply otherwise).
	in.IPAddressType = c.o.str("ip_address_type")
	in.DNSRecordIPType = c.o.block("dns_options").str("dns_record_ip_type")
	// subnet_configuration fixes the interface's addresses in a subnet
	// (SubnetConfigurations: ipv4, ipv6).
	for _, s := range c.o.blocks("subnet_configuration") {
		x := engine.EndpointSubnetConfiguration{SubnetID: model.SubnetID(s.str("subnet_id"))}
		if v := s.str("ipv6"); v != "" {
			a, err := netip.ParseAddr(v)
			if err != nil || !a.Is6() || a.Is4In6() {
				return c.errf("subnet_configuration", "ipv6 %q is not a valid IPv6 address", v)
			}
			x.IPv6 = a
		}
		if v := s.str("ipv4"); v != "" {
			a, err := netip.ParseAddr(v)
			if err != nil || !a.Is4() {
				return c.errf("subnet_configuration", "ipv4 %q is not a valid IPv4 address", v)
			}
			x.IPv4 = a
		}
		in.SubnetConfigurations = append(in.SubnetConfigurations, x)
	}
	for _, g := range c.o.strs("security_group_ids") {
		in.SecurityGroupIDs = append(in.SecurityGroupIDs, model.SecurityGroupID(g))
	}
	ep, err := c.e().CreateVpcEndpoint(in)
	if err != nil {
		return c.fail("service_name", err)
	}
	if ep.State == "pending" {
		// The provider waits for "available" (or pendingAcceptance).
		if err := c.e().Converge(); err != nil {
			return c.fail("", err)
		}
	}
	c.created(string(ep.ID), string(ep.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "vpc-endpoint/"+string(ep.ID)))
	// A Gateway endpoint's prefix_list_id is its service's AWS-managed
	// prefix list (the provider's "prefix list ID of the exposed AWS
	// service"; pl-63a5400a for S3 in us-east-1, each Region its own id), which security group
	// rules name; an Interface endpoint has none.
	pl := ""
	if ep.Type == "Gateway" {
		c.read(func(st *model.State) {
			for _, p := range st.PrefixLists {
				if p.Name == ep.ServiceName && p.Owner == "" {
					pl = string(p.ID)
				}
			}
		})
	}
	c.set("prefix_list_id", pl)
	return nil
}

// userData returns user data as the engine takes it (base64): Terraform's
// user_data is the text, which the provider encodes unless it is base64
// already (its verify.Base64Encode: user_data = base64encode(...) is sent
// as written, not encoded twice); user_data_base64 is already encoded.
func userData(o obj) string {
	if b := o.str("user_data_base64"); b != "" {
		return b
	}
	if s := o.str("user_data"); s != "" {
		if _, err := base64.StdEncoding.DecodeString(s); err == nil {
			return s
		}
		return base64.StdEncoding.EncodeToString([]byte(s))
	}
	return ""
}

func groupIDs(ss []string) []model.SecurityGroupID {
	out := make([]model.SecurityGroupID, 0, len(ss))
	for _, s := range ss {
		out = append(out, model.SecurityGroupID(s))
	}
	return out
}

func subnetIDs(ss []string) []model.SubnetID {
	out := make([]model.SubnetID, 0, len(ss))
	for _, s := range ss {
		out = append(out, model.SubnetID(s))
	}
	return out
}

// aws_instance. The tag ecsnet:public-ips pins its public address.
// security_groups are names only without subnet_id: with one, the
// provider sends them as group ids (SecurityGroupIds, or the primary
// network interface's Groups when it asks for a public IP; its
// buildInstanceOpts), so a configuration that gives ids there works.
func createInstance(c *rctx) error {
	in := engine.RunInstancesInput{ImageID: c.o.str("ami"), InstanceType: c.o.str("instance_type"), MinCount: 1, MaxCount: 1,
		SubnetID: model.SubnetID(c.o.str("subnet_id")), AvailabilityZone: c.o.str("availability_zone"),
		SecurityGroupIDs:   groupIDs(c.o.strs("vpc_security_group_ids")),
		SecurityGroupNames: c.o.strs("security_groups"), UserData: userData(c.o), PrivateIP: c.o.str("private_ip"),
		KeyName: c.o.str("key_name"), IAMProfile: c.o.str("iam_instance_profile"), Tags: c.tags()}
	c.externalProfileWarning(attrExprs(c.r.body, "iam_instance_profile"), in.IAMProfile, "RunInstances refuses the instance")
	c.externalKeyWarning(in.KeyName, "RunInstances refuses the instance (\"InvalidKeyPair.NotFound: The key pair '"+in.KeyName+"' does not exist\")")
	if in.SubnetID != "" && len(in.SecurityGroupNames) > 0 {
		in.SecurityGroupIDs = append(groupIDs(in.SecurityGroupNames), in.SecurityGroupIDs...)
		in.SecurityGroupNames = nil
	}
	if b, err := c.o.boolean("associate_public_ip_address"); err != nil {
		return err
	} else if b != nil {
		in.AssociatePublicIP = b
	}
	if lt := c.o.block("launch_template"); lt.v != cty.NilVal {
		in.LaunchTemplate = &model.LaunchTemplateRef{ID: model.LaunchTemplateID(lt.str("id")), Name: lt.str("name"), Version: lt.str("version")}
	}
	// placement_group and placement_partition_number: the instance's
	// Placement.GroupName and PartitionNumber.
	in.PlacementGroup = c.o.str("placement_group")
	pn, err := c.o.integer("placement_partition_number", 0)
	if err != nil {
		return err
	}
	in.PartitionNumber = pn
	if in.SubnetID == "" && in.LaunchTemplate == nil {
		if _, err := c.defaultVPC(); err != nil {
			return err
		}
	}
	if in.LaunchTemplate == nil && in.ImageID == "" {
		return c.errf("ami", "Missing required argument: ami (or a launch_template) is required")
	}
	fixed, err := c.pinnedIPs(stringMap(c.o.get("tags")))
	if err != nil {
		return err
	}
	in.FixedPublicIPs = fixed
	n6, err := c.o.integer("ipv6_address_count", 0)
	if err != nil {
		return err
	}
	in.IPv6Count = n6
	if c.l.fromJSON {
		// A state has the instance's addresses: keep them.
		if a, err := netip.ParseAddr(c.o.str("public_ip")); err == nil && len(fixed) == 0 && (in.AssociatePublicIP == nil || *in.AssociatePublicIP) {
			eip := false // an Elastic IP of the state: associated at the end
			c.read(func(st *model.State) {
				for _, x := range st.Addresses {
					eip = eip || x.PublicIP == a
				}
			})
			if !eip {
				in.FixedPublicIPs = []netip.Addr{a}
			}
		}
		if ud := c.o.str("user_data"); len(ud) == 40 && strings.Trim(ud, "0123456789abcdef") == "" {
			c.l.warnf(c.r.rng, "%s: the state keeps only a hash of the user data; which ECS cluster the instance joins is unknown (it joins none)", c.addr)
			in.UserData = ""
		}
	}
	in.ProvisionerCommands = remoteExecCommands(c.r.body)
	res, err := c.e().RunInstances(in)
	if err != nil {
		return c.fail("", err)
	}
	// The provider waits for the instance to be running.
	if err := c.e().Converge(); err != nil {
		return c.fail("", err)
	}
	inst := res.Instances[0]
	c.created(string(inst.ID), string(inst.ID))
	if b, err := c.o.boolean("source_dest_check"); err != nil {
		return err
	} else if b != nil && !*b {
		// The provider calls ModifyInstanceAttribute after the launch.
		if err := c.e().ModifyInstanceAttribute(engine.ModifyInstanceAttributeInput{ID: inst.ID, SourceDestCheck: b}); err != nil {
			return c.fail("source_dest_check", err)
		}
	}
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "instance/"+string(inst.ID)))
	c.read(func(st *model.State) {
		inst = st.Instances[inst.ID]
		eni := st.NetworkInterfaces[inst.PrimaryENI]
		if eni == nil {
			return
		}
		c.set("primary_network_interface_id", string(eni.ID))
		c.set("private_ip", eni.PrimaryIP().String())
		c.set("private_dns", model.PrivateDNSName(st.Region, eni.PrimaryIP()))
		c.set("subnet_id", string(eni.SubnetID))
		c.set("availability_zone", st.Subnets[eni.SubnetID].AvailabilityZone)
		c.set("public_ip", "")
		c.set("public_dns", "")
		if pub, ok := eni.PublicIP(); ok {
			c.set("public_ip", pub.String())
			// DescribeInstances' PublicDnsName: empty unless the VPC
			// has DNS host names.
			if v := st.VPCs[eni.VpcID]; v != nil && v.EnableDNSHostnames {
				c.set("public_dns", model.PublicDNSName(st.Region, pub))
			}
		}
	})
	return nil
}

// aws_network_interface: an ENI in a subnet, attached when its attachment
// block says so. A group list left empty gets the VPC's default group, as
// CreateNetworkInterface does.
func createNetworkInterface(c *rctx) error {
	sub, err := c.req("subnet_id")
	if err != nil {
		return err
	}
	in := engine.CreateNetworkInterfaceInput{SubnetID: model.SubnetID(sub), PrivateIP: c.o.str("private_ip"),
		SecurityGroups: groupIDs(c.o.strs("security_groups")), Description: c.o.str("description"), Tags: c.tags()}
	// private_ips are all the interface's addresses: private_ip (or the
	// first) is the primary, the others secondary; private_ips_count asks
	// for that many secondary ones more.
	for _, ip := range c.o.strs("private_ips") {
		switch {
		case in.PrivateIP == "":
			in.PrivateIP = ip
		case ip != in.PrivateIP:
			in.SecondaryIPs = append(in.SecondaryIPs, ip)
		}
	}
	count, err := c.o.integer("private_ips_count", 0)
	if err != nil {
		return err
	}
	in.SecondaryCount = count
	eni, err := c.e().CreateNetworkInterface(in)
	if err != nil {
		return c.fail("subnet_id", err)
	}
	if b, err := c.o.boolean("source_dest_check"); err != nil {
		return err
	} else if b != nil && !*b {
		if err := c.e().ModifyNetworkInterfaceAttribute(engine.ModifyNetworkInterfaceInput{ID: eni.ID, SourceDestCheck: b}); err != nil {
			return c.fail("source_dest_check", err)
		}
	}
	for _, a := range c.o.blocks("attachment") {
		idx, err := a.integer("device_index", 1)
		if err != nil {
			return err
		}
		if _, err := c.e().AttachNetworkInterface(eni.ID, model.InstanceID(a.str("instance")), idx); err != nil {
			return c.fail("attachment", err)
		}
	}
	c.created(string(eni.ID), string(eni.ID))
	c.set("private_ip", eni.PrimaryIP().String())
	c.set("mac_address", eni.MAC)
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "network-interface/"+string(eni.ID)))
	return nil
}

func createENIAttachment(c *rctx) error {
	eni, err := c.req("network_interface_id")
	if err != nil {
		return err
	}
	inst, err := c.req("instance_id")
	if err != nil {
		return err
	}
	idx, err := c.o.integer("device_index", 1)
	if err != nil {
		return err
	}
	id, err := c.e().AttachNetworkInterface(model.NetworkInterfaceID(eni), model.InstanceID(inst), idx)
	if err != nil {
		return c.fail("network_interface_id", err)
	}
	c.created(string(id), "")
	c.set("attachment_id", string(id))
	return nil
}

// aws_vpc_endpoint_route_table_association,
// aws_vpc_endpoint_subnet_association and
// aws_vpc_endpoint_security_group_association add a route table to a
// gateway endpoint (its prefix list routes), a subnet to an interface
// endpoint (an ENI in it) or a group to an interface endpoint's ENIs, as
// the provider does with ModifyVpcEndpoint. replace_default_association
// also removes the VPC's default group, which the endpoint had when it was
// created without groups.
func createVPCEndpointAssociation(c *rctx) error {
	ep, err := c.req("vpc_endpoint_id")
	if err != nil {
		return err
	}
	in := engine.ModifyVpcEndpointInput{ID: model.VpcEndpointID(ep)}
	key := ""
	switch c.typ {
	case "aws_vpc_endpoint_route_table_association":
		key = "route_table_id"
	case "aws_vpc_endpoint_subnet_association":
		key = "subnet_id"
	default:
		key = "security_group_id"
	}
	id, err := c.req(key)
	if err != nil {
		return err
	}
	switch key {
	case "route_table_id":
		in.AddRouteTableIDs = []model.RouteTableID{model.RouteTableID(id)}
	case "subnet_id":
		in.AddSubnetIDs = []model.SubnetID{model.SubnetID(id)}
	default:
		in.AddSecurityGroupIDs = []model.SecurityGroupID{model.SecurityGroupID(id)}
		if c.o.flag("replace_default_association") {
			c.read(func(st *model.State) {
				if e := st.VpcEndpoints[model.VpcEndpointID(ep)]; e != nil {
					if v := st.VPCs[e.VpcID]; v != nil && v.DefaultSecurityGroup != model.SecurityGroupID(id) {
						in.RemoveSecurityGroupIDs = []model.SecurityGroupID{v.DefaultSecurityGroup}
					}
				}
			})
		}
	}
	if _, err := c.e().ModifyVpcEndpoint(in); err != nil {
		return c.fail(key, err)
	}
	c.created(ep+"/"+id, "")
	return nil
}

// aws_network_interface_sg_attachment adds a group to an ENI's groups.
func createENISGAttachment(c *rctx) error {
	eni, err := c.req("network_interface_id")
	if err != nil {
		return err
	}
	sg, err := c.req("security_group_id")
	if err != nil {
		return err
	}
	var groups []model.SecurityGroupID
	c.read(func(st *model.State) {
		if e := st.NetworkInterfaces[model.NetworkInterfaceID(eni)]; e != nil {
			groups = append(groups, e.SecurityGroups...)
		}
	})
	groups = append(groups, model.SecurityGroupID(sg))
	if err := c.e().ModifyNetworkInterfaceAttribute(engine.ModifyNetworkInterfaceInput{ID: model.NetworkInterfaceID(eni), SecurityGroups: groups}); err != nil {
		return c.fail("security_group_id", err)
	}
	c.created(sg+"_"+eni, "")
	return nil
}

// aws_egress_only_internet_gateway: attached to its VPC for its whole life.
func createEgressOnlyIGW(c *rctx) error {
	vpc, err := c.req("vpc_id")
	if err != nil {
		return err
	}
	g, err := c.e().CreateEgressOnlyInternetGateway(model.VpcID(vpc), c.tags())
	if err != nil {
		return c.fail("vpc_id", err)
	}
	c.created(string(g.ID), string(g.ID))
	return nil
}

// remoteExecCommands returns the inline commands of a resource's
// provisioner "remote-exec" blocks, one a line, in order: Terraform runs
// them on the instance over SSH once it is created. A command with
// references (${self.public_ip}) keeps its literal text around them; a
// script or scripts argument (files run there) is not read.
func remoteExecCommands(body hcl.Body) string {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return ""
	}
	var lines []string
	for _, b := range sb.Blocks {
		if b.Type != "provisioner" || len(b.Labels) != 1 || b.Labels[0] != "remote-exec" {
			continue
		}
		a, ok := b.Body.Attributes["inline"]
		if !ok {
			continue
		}
		tuple, ok := a.Expr.(*hclsyntax.TupleConsExpr)
		if !ok {
			continue
		}
		for _, e := range tuple.Exprs {
			if v, diags := e.Value(nil); !diags.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
				lines = append(lines, v.AsString())
				continue
			}
			if t, ok := e.(*hclsyntax.TemplateExpr); ok {
				var line strings.Builder
				for _, p := range t.Parts {
					if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String {
						line.WriteString(lit.Val.AsString())
					}
				}
				lines = append(lines, line.String())
			}
		}
	}
	return strings.Join(lines, "\n")
}
