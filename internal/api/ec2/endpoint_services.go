package ec2

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerEndpointServices(r *api.Registry) {
	add(r, "CreateVpcEndpointServiceConfiguration", createEndpointService)
	add(r, "DescribeVpcEndpointServiceConfigurations", describeEndpointServices)
	add(r, "ModifyVpcEndpointServiceConfiguration", modifyEndpointService)
	add(r, "DeleteVpcEndpointServiceConfigurations", deleteEndpointServices)
	add(r, "DescribeVpcEndpointServicePermissions", describeEndpointServicePermissions)
	add(r, "ModifyVpcEndpointServicePermissions", modifyEndpointServicePermissions)
	add(r, "AcceptVpcEndpointConnections", func(c *api.Call) (map[string]any, error) { return setEndpointConnections(c, true) })
	add(r, "RejectVpcEndpointConnections", func(c *api.Call) (map[string]any, error) { return setEndpointConnections(c, false) })
	add(r, "DescribeVpcEndpointConnections", describeEndpointConnections)
}

// endpointConnection is an endpoint to one of the account's endpoint
// services, as the service's owner sees it.
type endpointConnection struct {
	svc *model.EndpointServiceConfig
	ep  *model.VpcEndpoint
}

// describeEndpointConnections lists the endpoints that connect to the
// account's endpoint services, those pending acceptance among them
// (docs/aws-behavior.md, VPC endpoints).
func describeEndpointConnections(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		prefix := "com.amazonaws.vpce." + c.Region + "."
		var items []endpointConnection
		for _, ep := range st.VpcEndpoints {
			id, ok := strings.CutPrefix(ep.ServiceName, prefix)
			if !ok {
				continue
			}
			if svc := st.EndpointServices[model.EndpointServiceID(id)]; svc != nil {
				items = append(items, endpointConnection{svc: svc, ep: ep})
			}
		}
		fs := api.FilterSet[endpointConnection]{
			Attrs: map[string]func(endpointConnection) []string{
				"service-id":          func(x endpointConnection) []string { return api.One(x.svc.ID) },
				"vpc-endpoint-id":     func(x endpointConnection) []string { return api.One(x.ep.ID) },
				"vpc-endpoint-owner":  func(endpointConnection) []string { return []string{c.Account} },
				"vpc-endpoint-state":  func(x endpointConnection) []string { return []string{endpointState(x.ep.State)} },
				"vpc-endpoint-region": func(endpointConnection) []string { return []string{c.Region} },
				"ip-address-type":     func(x endpointConnection) []string { return []string{"ipv4"} },
			},
		}
		key := func(x endpointConnection) string { return string(x.ep.ID) }
		out, err = describePage(c, items, fs, key, "VpcEndpointConnections", func(x endpointConnection) any {
			conn := map[string]any{
				"ServiceId": x.svc.ID, "VpcEndpointId": x.ep.ID, "VpcEndpointOwner": c.Account,
				"VpcEndpointState": endpointState(x.ep.State), "CreationTimestamp": api.Time(x.ep.CreatedAt),
				"DnsEntries": endpointOut(c, st, x.ep)["DnsEntries"], "IpAddressType": "ipv4", "VpcEndpointRegion": c.Region,
			}
			if len(x.svc.NetworkLBs) > 0 {
				conn["NetworkLoadBalancerArns"] = x.svc.NetworkLBs
			}
			if len(x.svc.GatewayLBs) > 0 {
				conn["GatewayLoadBalancerArns"] = x.svc.GatewayLBs
			}
			return conn
		})
	})
	return out, err
}

// setEndpointConnections accepts or rejects endpoints' connection requests.
func setEndpointConnections(c *api.Call, accept bool) (map[string]any, error) {
	var ids []model.VpcEndpointID
	for _, id := range c.In.Strings("VpcEndpointIds") {
		ids = append(ids, model.VpcEndpointID(id))
	}
	failed, err := c.Engine.SetEndpointConnections(model.EndpointServiceID(c.In.String("ServiceId")), ids, accept)
	if err != nil {
		return nil, err
	}
	un := make([]any, len(failed))
	for i, f := range failed {
		un[i] = map[string]any{"ResourceId": f.ResourceID, "Error": map[string]any{"Code": f.Code, "Message": f.Message}}
	}
	return map[string]any{"Unsuccessful": un}, nil
}

// endpointServiceOut returns a service configuration as botocore's
// ServiceConfiguration.
func endpointServiceOut(s *model.EndpointServiceConfig, region string) map[string]any {
	out := map[string]any{
		"ServiceType":             []any{map[string]any{"ServiceType": s.Type}},
		"ServiceId":               s.ID,
		"ServiceName":             "com.amazonaws.vpce." + region + "." + string(s.ID),
		"ServiceState":            "Available",
		"AvailabilityZones":       s.Zones,
		"AcceptanceRequired":      s.AcceptanceRequired,
		"ManagesVpcEndpoints":     false,
		"SupportedIpAddressTypes": []string{"ipv4"},
		"BaseEndpointDnsNames":    []string{string(s.ID) + "." + region + ".vpce." + model.DNSSuffix(region)},
		"PrivateDnsName":          api.Str(s.PrivateDNSName),
		"Tags":                    api.TagList(s.Tags, "Key", "Value"),
	}
	if len(s.NetworkLBs) > 0 {
		out["NetworkLoadBalancerArns"] = s.NetworkLBs
	}
	if len(s.GatewayLBs) > 0 {
		out["GatewayLoadBalancerArns"] = s.GatewayLBs
		// No DNS names for a Gateway Load Balancer endpoint service (awscli's
		// create-vpc-endpoint-service-configuration example).
		delete(out, "BaseEndpointDnsNames")
	}
	if s.PrivateDNSName != "" {
		out["PrivateDnsNameConfiguration"] = map[string]any{"State": "pendingVerification", "Type": "TXT",
			"Name": s.DNSVerificationName, "Value": s.DNSVerificationValue}
	}
	return out
}

func createEndpointService(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "vpc-endpoint-service")
	if err != nil {
		return nil, err
	}
	s, err := c.Engine.CreateEndpointService(engine.EndpointServiceInput{
		NetworkLBs: c.In.Strings("NetworkLoadBalancerArns"), GatewayLBs: c.In.Strings("GatewayLoadBalancerArns"),
		// Acceptance is required unless the request says otherwise.
		AcceptanceRequired: !c.In.Has("AcceptanceRequired") || c.In.Bool("AcceptanceRequired"),
		PrivateDNSName:     c.In.String("PrivateDnsName"), Tags: tags,
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ServiceConfiguration": endpointServiceOut(s, c.Region), "ClientToken": api.Str(c.In.String("ClientToken"))}, nil
}

func describeEndpointServices(c *api.Call) (map[string]any, error) {
	var items []*model.EndpointServiceConfig
	var err error
	c.Engine.Read(func(st *model.State) {
		// Any unknown id fails the request.
		items, err = byIDs(st.EndpointServices, c.In.Strings("ServiceIds"), func(id string) error {
			return errEndpointServiceNotFound(id)
		})
	})
	if err != nil {
		return nil, err
	}
	region := c.Region
	fs := api.FilterSet[*model.EndpointServiceConfig]{
		Tags: func(s *model.EndpointServiceConfig) model.Tags { return s.Tags },
		Attrs: map[string]func(*model.EndpointServiceConfig) []string{
			"service-name": func(s *model.EndpointServiceConfig) []string {
				return []string{"com.amazonaws.vpce." + region + "." + string(s.ID)}
			},
			"service-id":                 func(s *model.EndpointServiceConfig) []string { return api.One(s.ID) },
			"service-state":              func(*model.EndpointServiceConfig) []string { return []string{"Available"} },
			"supported-ip-address-types": func(*model.EndpointServiceConfig) []string { return []string{"ipv4"} },
		},
	}
	key := func(s *model.EndpointServiceConfig) string { return string(s.ID) }
	return describePage(c, items, fs, key, "ServiceConfigurations", func(s *model.EndpointServiceConfig) any { return endpointServiceOut(s, region) })
}

func modifyEndpointService(c *api.Call) (map[string]any, error) {
	ch := engine.EndpointServiceChange{
		PrivateDNSName: c.In.String("PrivateDnsName"), RemovePrivateDNSName: c.In.Bool("RemovePrivateDnsName"),
		AddNetworkLBs: c.In.Strings("AddNetworkLoadBalancerArns"), RemoveNetworkLBs: c.In.Strings("RemoveNetworkLoadBalancerArns"),
		AddGatewayLBs: c.In.Strings("AddGatewayLoadBalancerArns"), RemoveGatewayLBs: c.In.Strings("RemoveGatewayLoadBalancerArns"),
	}
	if c.In.Has("AcceptanceRequired") {
		b := c.In.Bool("AcceptanceRequired")
		ch.AcceptanceRequired = &b
	}
	if err := c.Engine.ModifyEndpointService(model.EndpointServiceID(c.In.String("ServiceId")), ch); err != nil {
		return nil, err
	}
	return map[string]any{"Return": true}, nil
}

func deleteEndpointServices(c *api.Call) (map[string]any, error) {
	var ids []model.EndpointServiceID
	for _, id := range c.In.Strings("ServiceIds") {
		ids = append(ids, model.EndpointServiceID(id))
	}
	failed, err := c.Engine.DeleteEndpointServices(ids)
	if err != nil {
		return nil, err
	}
	un := make([]any, len(failed))
	for i, f := range failed {
		un[i] = map[string]any{"ResourceId": f.ResourceID, "Error": map[string]any{"Code": f.Code, "Message": f.Message}}
	}
	return map[string]any{"Unsuccessful": un}, nil
}

// principalType is the kind of principal an ARN names.
func principalType(arn string) string {
	switch {
	case arn == "*":
		return "All"
	case strings.HasSuffix(arn, ":root"):
		return "Account"
	case strings.Contains(arn, ":role/"):
		return "Role"
	case strings.Contains(arn, ":user/"):
		return "User"
	case isARN(arn, "organizations"):
		return "OrganizationUnit"
	}
	return "Service"
}

func principalOut(s model.EndpointServiceID, p model.EndpointServicePrincipal) map[string]any {
	return map[string]any{"PrincipalType": principalType(p.ARN), "Principal": p.ARN, "ServicePermissionId": p.PermissionID, "ServiceId": s}
}

func describeEndpointServicePermissions(c *api.Call) (map[string]any, error) {
	id := model.EndpointServiceID(c.In.String("ServiceId"))
	var s *model.EndpointServiceConfig
	c.Engine.Read(func(st *model.State) { s = st.EndpointServices[id] })
	if s == nil {
		return nil, errEndpointServiceNotFound(string(id))
	}
	fs := api.FilterSet[model.EndpointServicePrincipal]{Attrs: map[string]func(model.EndpointServicePrincipal) []string{
		"principal":      func(p model.EndpointServicePrincipal) []string { return []string{p.ARN} },
		"principal-type": func(p model.EndpointServicePrincipal) []string { return []string{principalType(p.ARN)} },
	}}
	key := func(p model.EndpointServicePrincipal) string { return p.PermissionID }
	return describePage(c, slices.Clone(s.Principals), fs, key, "AllowedPrincipals", func(p model.EndpointServicePrincipal) any { return principalOut(s.ID, p) })
}

func modifyEndpointServicePermissions(c *api.Call) (map[string]any, error) {
	id := model.EndpointServiceID(c.In.String("ServiceId"))
	added, err := c.Engine.ModifyEndpointServicePermissions(id, c.In.Strings("AddAllowedPrincipals"), c.In.Strings("RemoveAllowedPrincipals"))
	if err != nil {
		return nil, err
	}
	out := make([]any, len(added))
	for i, p := range added {
		out[i] = principalOut(id, p)
	}
	return map[string]any{"AddedPrincipals": out, "ReturnValue": true}, nil
}

// errEndpointServiceNotFound is EC2's answer for an unknown service id
// (moto's text; docs/aws-behavior.md).
func errEndpointServiceNotFound(id string) error {
	return apierr.Newf("InvalidVpcEndpointServiceId.NotFound", "The VpcEndpointService Id '%s' does not exist", id)
}

// isARN reports whether arn is an ARN of service in any AWS partition.
func isARN(arn, service string) bool {
	_, ok := model.CutARN(arn, service)
	return ok
}
