package engine

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

func errEndpointServiceNotFound(id model.EndpointServiceID) error {
	return apierr.Newf("InvalidVpcEndpointServiceId.NotFound", "The VpcEndpointService Id '%s' does not exist", id)
}

// errEndpointServiceLBs is EC2's answer for a service configuration with
// no load balancer, or with both kinds.
func errEndpointServiceLBs() error {
	return apierr.New("InvalidParameter", "exactly one of network_load_balancer_arn or gateway_load_balancer_arn is a required member")
}

// EndpointServiceInput is CreateVpcEndpointServiceConfiguration's request.
type EndpointServiceInput struct {
	NetworkLBs         []string
	GatewayLBs         []string
	AcceptanceRequired bool
	PrivateDNSName     string
	Tags               model.Tags
}

// serviceLBs checks a service's load balancers: each must exist and be a
// Network Load Balancer (NetworkLoadBalancerArns) or a Gateway Load
// Balancer (GatewayLoadBalancerArns), and it returns their zones, sorted.
func (t *txn) serviceLBs(nlbs, gwlbs []string) ([]string, error) {
	if (len(nlbs) == 0) == (len(gwlbs) == 0) {
		return nil, errEndpointServiceLBs()
	}
	zones := map[string]bool{}
	for _, arn := range nlbs {
		lb := t.st.LoadBalancers[arn]
		if lb == nil {
			return nil, apierr.Newf("InvalidParameter", "The load balancer %s does not exist", arn)
		}
		if lb.Type != "network" {
			return nil, apierr.Newf("InvalidParameter", "The load balancer %s is not a network load balancer", arn)
		}
		for _, n := range lb.Nodes {
			zones[n.AvailabilityZone] = true
		}
	}
	for _, arn := range gwlbs {
		lb := t.st.LoadBalancers[arn]
		if lb == nil {
			return nil, apierr.Newf("InvalidParameter", "The load balancer %s does not exist", arn)
		}
		if lb.Type != lbGateway {
			return nil, apierr.Newf("InvalidParameter", "The load balancer %s is not a gateway load balancer", arn) // [choice] as the NLB text
		}
		for _, n := range lb.Nodes {
			zones[n.AvailabilityZone] = true
		}
	}
	out := make([]string, 0, len(zones))
	for z := range zones {
		out = append(out, z)
	}
	slices.Sort(out)
	return out, nil
}

func (t *txn) setPrivateDNS(s *model.EndpointServiceConfig, name string) {
	s.PrivateDNSName = name
	s.DNSVerificationName, s.DNSVerificationValue = "", ""
	if name != "" {
		s.DNSVerificationName = "_" + strings.ToLower(t.e.ids.Hex(20))
		s.DNSVerificationValue = "vpce:" + t.e.ids.Hex(20)
	}
}

// CreateEndpointService creates an endpoint service configuration,
// Available at once.
func (e *Engine) CreateEndpointService(in EndpointServiceInput) (*model.EndpointServiceConfig, error) {
	var out *model.EndpointServiceConfig
	err := e.write(func(t *txn) error {
		zones, err := t.serviceLBs(in.NetworkLBs, in.GatewayLBs)
		if err != nil {
			return err
		}
		s := &model.EndpointServiceConfig{
			ID: model.EndpointServiceID(t.newID("vpce-svc")), Type: "Interface",
			NetworkLBs: slices.Clone(in.NetworkLBs), GatewayLBs: slices.Clone(in.GatewayLBs), Zones: zones,
			AcceptanceRequired: in.AcceptanceRequired, Tags: in.Tags.Clone(),
		}
		if len(in.GatewayLBs) > 0 {
			s.Type = endpointGWLB
			if in.PrivateDNSName != "" {
				return apierr.New("InvalidParameter", "Private DNS names are not supported for Gateway Load Balancer endpoint services.") // UNVERIFIED text
			}
		}
		t.setPrivateDNS(s, in.PrivateDNSName)
		put(t, model.KindEndpointService, t.st.EndpointServices, s.ID, s)
		out = s
		return nil
	})
	return out, err
}

// EndpointServiceChange is ModifyVpcEndpointServiceConfiguration's request.
type EndpointServiceChange struct {
	AcceptanceRequired              *bool
	PrivateDNSName                  string
	RemovePrivateDNSName            bool
	AddNetworkLBs, RemoveNetworkLBs []string
	AddGatewayLBs, RemoveGatewayLBs []string
}

func (t *txn) endpointService(id model.EndpointServiceID) (*model.EndpointServiceConfig, error) {
	s := t.st.EndpointServices[id]
	if s == nil {
		return nil, errEndpointServiceNotFound(id)
	}
	return s, nil
}

// ModifyEndpointService changes a service configuration's load balancers,
// acceptance and private DNS name. It must keep load balancers of one
// kind.
func (e *Engine) ModifyEndpointService(id model.EndpointServiceID, c EndpointServiceChange) error {
	return e.write(func(t *txn) error {
		old, err := t.endpointService(id)
		if err != nil {
			return err
		}
		s := *old
		if c.PrivateDNSName != "" && c.RemovePrivateDNSName {
			return apierr.New("InvalidParameter", "PrivateDnsName and RemovePrivateDnsName cannot both be specified")
		}
		edit := func(list, add, remove []string) []string {
			out := slices.DeleteFunc(slices.Clone(list), func(a string) bool { return slices.Contains(remove, a) })
			for _, a := range add {
				if !slices.Contains(out, a) {
					out = append(out, a)
				}
			}
			return out
		}
		s.NetworkLBs = edit(old.NetworkLBs, c.AddNetworkLBs, c.RemoveNetworkLBs)
		s.GatewayLBs = edit(old.GatewayLBs, c.AddGatewayLBs, c.RemoveGatewayLBs)
		if s.Zones, err = t.serviceLBs(s.NetworkLBs, s.GatewayLBs); err != nil {
			return err
		}
		if c.AcceptanceRequired != nil {
			s.AcceptanceRequired = *c.AcceptanceRequired
		}
		if c.RemovePrivateDNSName {
			t.setPrivateDNS(&s, "")
		} else if c.PrivateDNSName != "" && c.PrivateDNSName != old.PrivateDNSName {
			t.setPrivateDNS(&s, c.PrivateDNSName)
		}
		put(t, model.KindEndpointService, t.st.EndpointServices, s.ID, &s)
		return nil
	})
}

// ModifyEndpointServicePermissions adds and removes allowed principals:
// an ARN or "*". It returns the principals added.
func (e *Engine) ModifyEndpointServicePermissions(id model.EndpointServiceID, add, remove []string) ([]model.EndpointServicePrincipal, error) {
	var added []model.EndpointServicePrincipal
	err := e.write(func(t *txn) error {
		old, err := t.endpointService(id)
		if err != nil {
			return err
		}
		for _, p := range append(slices.Clone(add), remove...) {
			if !endpointServicePrincipal(p) {
				return apierr.Newf("InvalidPrincipal", "Invalid Principal: '%s'", p)
			}
		}
		s := *old
		s.Principals = slices.DeleteFunc(slices.Clone(old.Principals), func(p model.EndpointServicePrincipal) bool { return slices.Contains(remove, p.ARN) })
		for _, a := range add {
			if slices.ContainsFunc(s.Principals, func(p model.EndpointServicePrincipal) bool { return p.ARN == a }) {
				continue
			}
			p := model.EndpointServicePrincipal{ARN: a, PermissionID: t.newID("vpce-svc-perm")}
			s.Principals = append(s.Principals, p)
			added = append(added, p)
		}
		put(t, model.KindEndpointService, t.st.EndpointServices, s.ID, &s)
		return nil
	})
	return added, err
}

// DeleteEndpointServices deletes service configurations; an unknown id is
// an unsuccessful item and the others are deleted.
func (e *Engine) DeleteEndpointServices(ids []model.EndpointServiceID) ([]FlowLogFailure, error) {
	var failed []FlowLogFailure
	err := e.write(func(t *txn) error {
		for _, id := range ids {
			if t.st.EndpointServices[id] == nil {
				failed = append(failed, FlowLogFailure{ResourceID: string(id), Code: "InvalidVpcEndpointService.NotFound",
					Message: "The VpcEndpointService Id '" + string(id) + "' does not exist"})
				continue
			}
			if t.endpointServiceInUse(id) {
				failed = append(failed, FlowLogFailure{ResourceID: string(id), Code: "ExistingVpcEndpointConnections",
					Message: "Service has existing active VPC Endpoint connections!"}) // probable text
				continue
			}
			del(t, model.KindEndpointService, t.st.EndpointServices, id)
		}
		return nil
	})
	return failed, err
}

// lbInEndpointService refuses to delete a load balancer that an endpoint
// service uses.
func (t *txn) lbInEndpointService(arn string) error {
	for _, s := range t.st.EndpointServices {
		if slices.Contains(s.NetworkLBs, arn) || slices.Contains(s.GatewayLBs, arn) {
			return apierr.Newf("ResourceInUse", "Load balancer '%s' cannot be deleted because it is currently associated with another service", arn)
		}
	}
	return nil
}

// endpointServicePrincipal reports whether p may be an endpoint service's
// allowed principal: "*", an ARN (an account's root, a role, a user, an
// organization or OU), or a service principal, a DNS name such as
// ec2.amazonaws.com (PrincipalType Service; the console allows them and
// the CDK's vpc-endpoint-service test deploys one).
func endpointServicePrincipal(p string) bool {
	if p == "*" || strings.HasPrefix(p, "arn:") {
		return true
	}
	labels := strings.Split(p, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || strings.Trim(l, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
			return false
		}
	}
	return true
}
