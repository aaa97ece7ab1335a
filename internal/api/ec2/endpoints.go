package ec2

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerEndpoints(r *api.Registry) {
	add(r, "CreateVpcEndpoint", createVpcEndpoint)
	add(r, "ModifyVpcEndpoint", modifyVpcEndpoint)
	add(r, "DeleteVpcEndpoints", deleteVpcEndpoints)
	add(r, "DescribeVpcEndpoints", describeVpcEndpoints)
	add(r, "DescribeVpcEndpointServices", describeVpcEndpointServices)
	add(r, "DescribePrefixLists", describePrefixLists)
}

// endpointIPAddressType is the ip-address-type filter's value: an interface
// endpoint's IpAddressType; a gateway endpoint has none.
func endpointIPAddressType(ep *model.VpcEndpoint) []string {
	if ep.Type != "Interface" {
		return nil
	}
	return []string{ep.AddressType()}
}

func endpointOut(c *api.Call, st *model.State, ep *model.VpcEndpoint) map[string]any {
	out := map[string]any{
		"VpcEndpointId": ep.ID, "VpcEndpointType": ep.Type, "VpcId": ep.VpcID, "ServiceName": ep.ServiceName,
		"State": endpointState(ep.State), "PolicyDocument": api.Str(ep.PolicyDocument), "RouteTableIds": api.Strs(ep.RouteTables),
		"SubnetIds": api.Strs(ep.Subnets), "NetworkInterfaceIds": api.Strs(ep.NetworkInterfaces), "PrivateDnsEnabled": ep.PrivateDNSEnabled,
		"RequesterManaged": false, "CreationTimestamp": api.Time(ep.CreatedAt), "Tags": api.TagList(ep.Tags, "Key", "Value"), "OwnerId": c.Account, // an empty tag set too
		"Groups": []any{}, "DnsEntries": []any{},
	}
	if ep.Type == "Interface" {
		out["Groups"] = groupsOut(st, ep.SecurityGroups)
		out["IpAddressType"] = ep.AddressType()
		out["DnsOptions"] = map[string]any{"DnsRecordIpType": ep.RecordType()}
		base := ep.RegionalDNSName(c.Region)
		entries := []any{map[string]any{"DnsName": base, "HostedZoneId": model.VpcEndpointHostedZoneID}}
		// A zonal name is the regional one with the zone after its first label.
		label, rest, _ := strings.Cut(base, ".")
		for _, s := range ep.Subnets {
			if sub := st.Subnets[s]; sub != nil {
				entries = append(entries, map[string]any{"DnsName": label + "-" + sub.AvailabilityZone + "." + rest, "HostedZoneId": model.VpcEndpointHostedZoneID})
			}
		}
		out["DnsEntries"] = entries
	}
	return out
}

// endpointState is an endpoint's state as EC2 writes it: available,
// pendingAcceptance, rejected (lowercase first, not the SDK enum's
// "Available": Terraform's waiters compare with "available" and
// "pendingAcceptance"; docs/aws-behavior.md, VPC endpoints). The
// vpc-endpoint-state filters take the same spelling. LocalStack's
// test_ec2_resource_provider recorded AWS answering it so (2024-04).
func endpointState(s string) string {
	if s == "" {
		return "available"
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func createVpcEndpoint(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "vpc-endpoint")
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"ServiceNetworkArn", "ResourceConfigurationArn", "ServiceRegion"} {
		if c.In.Has(name) {
			return nil, apierr.Newf("UnsupportedOperation", "ecsnet does not model %s on VPC endpoints.", name)
		}
	}
	if err := endpointDNSOptionsSupported(c); err != nil {
		return nil, err
	}
	configs, err := endpointSubnetConfigurations(c)
	if err != nil {
		return nil, err
	}
	in := engine.CreateVpcEndpointInput{
		SubnetConfigurations: configs,
		VpcID:                model.VpcID(c.In.String("VpcId")), ServiceName: c.In.String("ServiceName"), Type: c.In.String("VpcEndpointType"),
		RouteTableIDs: ids[model.RouteTableID](c.In, "RouteTableIds"), SubnetIDs: ids[model.SubnetID](c.In, "SubnetIds"),
		SecurityGroupIDs: ids[model.SecurityGroupID](c.In, "SecurityGroupIds"), PolicyDocument: c.In.String("PolicyDocument"), Tags: tags,
		IPAddressType: c.In.String("IpAddressType"), DNSRecordIPType: c.In.Struct("DnsOptions").String("DnsRecordIpType"),
	}
	if c.In.Has("PrivateDnsEnabled") {
		v := c.In.Bool("PrivateDnsEnabled")
		in.PrivateDNSEnabled = &v
	}
	ep, err := c.Engine.CreateVpcEndpoint(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"VpcEndpoint": c.View(func(st *model.State) map[string]any { return endpointOut(c, st, ep) }), "ClientToken": api.Str(c.In.String("ClientToken"))}, nil
}

// endpointDNSOptionsSupported refuses the DnsOptions members ecsnet does
// not model (private DNS only for inbound Resolver endpoints, and VPC
// Lattice's private DNS preferences).
func endpointDNSOptionsSupported(c *api.Call) error {
	o := c.In.Struct("DnsOptions")
	for _, name := range []string{"PrivateDnsOnlyForInboundResolverEndpoint", "PrivateDnsPreference", "PrivateDnsSpecifiedDomains"} {
		if o.Has(name) && (name != "PrivateDnsOnlyForInboundResolverEndpoint" || o.Bool(name)) {
			return apierr.Newf("UnsupportedOperation", "ecsnet does not model DnsOptions %s on VPC endpoints.", name)
		}
	}
	return nil
}

// endpointSubnetConfigurations reads SubnetConfigurations: a subnet and
// the IPv4 and IPv6 addresses of the endpoint's interface there.
func endpointSubnetConfigurations(c *api.Call) ([]engine.EndpointSubnetConfiguration, error) {
	var out []engine.EndpointSubnetConfiguration
	for _, sc := range c.In.Structs("SubnetConfigurations") {
		x := engine.EndpointSubnetConfiguration{SubnetID: model.SubnetID(sc.String("SubnetId"))}
		if v := sc.String("Ipv6"); v != "" {
			a, err := netip.ParseAddr(v)
			if err != nil || !a.Is6() || a.Is4In6() {
				return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter Ipv6 is invalid. Not a valid IPv6 address.", v) // text [choice]
			}
			x.IPv6 = a
		}
		if v := sc.String("Ipv4"); v != "" {
			a, err := netip.ParseAddr(v)
			if err != nil || !a.Is4() {
				return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter Ipv4 is invalid. Not a valid IPv4 address.", v) // text [choice]
			}
			x.IPv4 = a
		}
		out = append(out, x)
	}
	return out, nil
}

func modifyVpcEndpoint(c *api.Call) (map[string]any, error) {
	configs, err := endpointSubnetConfigurations(c)
	if err != nil {
		return nil, err
	}
	if err := endpointDNSOptionsSupported(c); err != nil {
		return nil, err
	}
	in := engine.ModifyVpcEndpointInput{
		SubnetConfigurations:   configs,
		ID:                     model.VpcEndpointID(c.In.String("VpcEndpointId")),
		AddRouteTableIDs:       ids[model.RouteTableID](c.In, "AddRouteTableIds"),
		RemoveRouteTableIDs:    ids[model.RouteTableID](c.In, "RemoveRouteTableIds"),
		AddSubnetIDs:           ids[model.SubnetID](c.In, "AddSubnetIds"),
		RemoveSubnetIDs:        ids[model.SubnetID](c.In, "RemoveSubnetIds"),
		AddSecurityGroupIDs:    ids[model.SecurityGroupID](c.In, "AddSecurityGroupIds"),
		RemoveSecurityGroupIDs: ids[model.SecurityGroupID](c.In, "RemoveSecurityGroupIds"),
		ResetPolicy:            c.In.Bool("ResetPolicy"),
	}
	if c.In.Has("PrivateDnsEnabled") {
		v := c.In.Bool("PrivateDnsEnabled")
		in.PrivateDNSEnabled = &v
	}
	if c.In.Has("PolicyDocument") {
		v := c.In.String("PolicyDocument")
		in.PolicyDocument = &v
	}
	if c.In.Has("IpAddressType") {
		v := c.In.String("IpAddressType")
		in.IPAddressType = &v
	}
	if o := c.In.Struct("DnsOptions"); o.Has("DnsRecordIpType") {
		v := o.String("DnsRecordIpType")
		in.DNSRecordIPType = &v
	}
	if _, err := c.Engine.ModifyVpcEndpoint(in); err != nil {
		return nil, err
	}
	return map[string]any{"Return": true}, nil
}

func deleteVpcEndpoints(c *api.Call) (map[string]any, error) {
	failed, err := c.Engine.DeleteVpcEndpoints(ids[model.VpcEndpointID](c.In, "VpcEndpointIds"))
	if err != nil {
		return nil, err
	}
	out := make([]any, len(failed))
	for i, f := range failed {
		out[i] = map[string]any{"ResourceId": f.ResourceID, "Error": map[string]any{"Code": f.Code, "Message": f.Message}}
	}
	return map[string]any{"Unsuccessful": out}, nil
}

func describeVpcEndpoints(c *api.Call) (map[string]any, error) {
	var out []any
	var next any
	var err error
	c.Engine.Read(func(st *model.State) {
		var items []*model.VpcEndpoint
		if items, err = byIDs(st.VpcEndpoints, c.In.Strings("VpcEndpointIds"), func(id string) error {
			return apierr.Newf("InvalidVpcEndpointId.NotFound", "The Vpc Endpoint Id '%s' does not exist", id)
		}); err != nil {
			return
		}
		fs := api.FilterSet[*model.VpcEndpoint]{
			Tags: func(ep *model.VpcEndpoint) model.Tags { return ep.Tags },
			Attrs: map[string]func(*model.VpcEndpoint) []string{
				"service-name":       func(ep *model.VpcEndpoint) []string { return api.One(ep.ServiceName) },
				"vpc-id":             func(ep *model.VpcEndpoint) []string { return api.One(ep.VpcID) },
				"vpc-endpoint-id":    func(ep *model.VpcEndpoint) []string { return api.One(ep.ID) },
				"vpc-endpoint-state": func(ep *model.VpcEndpoint) []string { return []string{endpointState(ep.State)} },
				"vpc-endpoint-type":  func(ep *model.VpcEndpoint) []string { return api.One(ep.Type) },
				"ip-address-type":    func(ep *model.VpcEndpoint) []string { return endpointIPAddressType(ep) },
				// Every endpoint reaches a service of its own Region.
				"service-region": func(*model.VpcEndpoint) []string { return []string{c.Region} },
			},
		}
		if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
			return
		}
		key := func(ep *model.VpcEndpoint) string { return string(ep.ID) }
		if items, next, err = page(c.In, items, key, 5, 1000); err != nil {
			return
		}
		out = make([]any, len(items))
		for i, ep := range items {
			out[i] = endpointOut(c, st, ep)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"VpcEndpoints": out, "NextToken": next}, nil
}

func describeVpcEndpointServices(c *api.Call) (map[string]any, error) {
	services := c.Engine.VpcEndpointServices()
	// The account's own endpoint services are listed too, owned by the
	// account (docs/aws-behavior.md, "Flow logs, carrier gateways,
	// endpoint services").
	c.Engine.Read(func(st *model.State) {
		for _, o := range st.EndpointServices {
			s := engine.EndpointService{
				Name: "com.amazonaws.vpce." + c.Region + "." + string(o.ID), ServiceID: string(o.ID), Types: []string{o.Type},
				Owner: st.Account, AvailabilityZones: o.Zones, BaseEndpointDNSNames: []string{string(o.ID) + "." + c.Region + ".vpce." + model.DNSSuffix(c.Region)},
				PrivateDNSName: o.PrivateDNSName, AcceptanceRequired: o.AcceptanceRequired,
			}
			if o.Type == "GatewayLoadBalancer" {
				s.BaseEndpointDNSNames = nil // no DNS names for a Gateway Load Balancer service
			}
			services = append(services, s)
		}
	})
	slices.SortFunc(services, func(a, b engine.EndpointService) int { return strings.Compare(a.Name, b.Name) })
	if want := c.In.Strings("ServiceNames"); len(want) > 0 {
		var keep []engine.EndpointService
		for _, w := range want {
			found := false
			for _, s := range services {
				if s.Name == w {
					keep, found = append(keep, s), true
				}
			}
			if !found {
				return nil, apierr.Newf("InvalidServiceName", "The Vpc Endpoint Service '%s' does not exist", w)
			}
		}
		services = keep
	}
	fs := api.FilterSet[engine.EndpointService]{Attrs: map[string]func(engine.EndpointService) []string{
		"service-name":               func(s engine.EndpointService) []string { return []string{s.Name} },
		"service-type":               func(s engine.EndpointService) []string { return s.Types },
		"owner":                      func(s engine.EndpointService) []string { return []string{s.Owner} },
		"service-region":             func(engine.EndpointService) []string { return []string{c.Region} },
		"supported-ip-address-types": endpointServiceIPTypes,
	}, Tags: func(engine.EndpointService) model.Tags { return nil }}
	// This operation answers a filter it does not know with InvalidFilter,
	// not the InvalidParameterValue of the other Describe calls
	// (docs/aws-behavior.md, "Round thirty: EC2 networking").
	for _, f := range api.Filters(c.In) {
		if fs.Attrs[f.Name] == nil && f.Name != "tag-key" && (!strings.HasPrefix(f.Name, "tag:") || len(f.Name) == 4) {
			return nil, apierr.Newf("InvalidFilter", "The filter '%s' is invalid", f.Name)
		}
	}
	services, err := fs.Apply(services, api.Filters(c.In))
	if err != nil {
		return nil, err
	}
	key := func(s engine.EndpointService) string { return s.Name }
	// No lower bound: the API reference documents only that more than
	// 1,000 returns 1,000 (docs/aws-behavior.md, "Flow logs, carrier
	// gateways, endpoint services").
	services, next, err := page(c.In, services, key, 1, 1000)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(services))
	details := make([]any, len(services))
	for i, s := range services {
		names[i] = s.Name
		types := make([]any, len(s.Types))
		for k, t := range s.Types {
			types[k] = map[string]any{"ServiceType": t}
		}
		d := map[string]any{
			"ServiceName": s.Name, "ServiceId": s.ServiceID, "ServiceType": types, "AvailabilityZones": s.AvailabilityZones,
			"Owner": s.Owner, "BaseEndpointDnsNames": s.BaseEndpointDNSNames, "VpcEndpointPolicySupported": s.VpcEndpointPolicySupported,
			"AcceptanceRequired": s.AcceptanceRequired, "ManagesVpcEndpoints": s.ManagesVpcEndpoints, "SupportedIpAddressTypes": endpointServiceIPTypes(s),
			"Tags": []any{}, "ServiceRegion": c.Region,
		}
		if s.PrivateDNSName != "" {
			d["PrivateDnsName"] = s.PrivateDNSName
			d["PrivateDnsNames"] = []any{map[string]any{"PrivateDnsName": s.PrivateDNSName}}
			d["PrivateDnsNameVerificationState"] = "verified"
		}
		details[i] = d
	}
	return map[string]any{"ServiceNames": names, "ServiceDetails": details, "NextToken": next}, nil
}

// endpointServiceIPTypes is a service's SupportedIpAddressTypes: an AWS
// service's interface endpoints take ipv4, dualstack and ipv6 in ecsnet
// ([probable]: the PrivateLink guide's table of services lists IPv6
// support per service; ecsnet does not keep that table), an account's
// endpoint service ipv4 only.
func endpointServiceIPTypes(s engine.EndpointService) []string {
	if s.Owner == "amazon" && slices.Contains(s.Types, "Interface") {
		return []string{"ipv4", "ipv6"}
	}
	return []string{"ipv4"}
}

func describePrefixLists(c *api.Call) (map[string]any, error) {
	var items []*model.PrefixList
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.PrefixLists, c.In.Strings("PrefixListIds"), func(id string) error {
			return apierr.Newf("InvalidPrefixListID.NotFound", "The prefix list ID '%s' does not exist", id)
		})
	})
	if err != nil {
		return nil, err
	}
	// DescribePrefixLists describes the lists of the services that have
	// gateway endpoints (S3's, DynamoDB's) only; those the account manages
	// and CloudFront's global list are DescribeManagedPrefixLists'.
	items = slices.DeleteFunc(items, func(p *model.PrefixList) bool {
		return (!p.AWSManaged() || strings.HasPrefix(p.Name, "com.amazonaws.global.")) && len(c.In.Strings("PrefixListIds")) == 0
	})
	fs := api.FilterSet[*model.PrefixList]{Attrs: map[string]func(*model.PrefixList) []string{
		"prefix-list-id":   func(p *model.PrefixList) []string { return api.One(p.ID) },
		"prefix-list-name": func(p *model.PrefixList) []string { return api.One(p.Name) },
	}}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(p *model.PrefixList) string { return string(p.ID) }
	items, next, err := page(c.In, items, key, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, p := range items {
		cidrs := make([]string, len(p.CIDRs))
		for k, x := range p.CIDRs {
			cidrs[k] = x.String()
		}
		out[i] = map[string]any{"PrefixListId": p.ID, "PrefixListName": p.Name, "Cidrs": cidrs}
	}
	return map[string]any{"PrefixLists": out, "NextToken": next}, nil
}
