package engine

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// CreateNetworkFirewallInput is CreateFirewall's request, its policy
// given whole (the firewall policy and its rule groups, flattened).
type CreateNetworkFirewallInput struct {
	Name      string
	VpcID     model.VpcID
	SubnetIDs []model.SubnetID
	Policy    model.FirewallPolicy
	Tags      model.Tags
}

// CreateNetworkFirewall creates an AWS Network Firewall firewall and its
// endpoints, one in each subnet (CreateFirewall's SubnetMappings): "You
// can specify only one subnet per Availability Zone" (Network Firewall
// API reference, CreateFirewall). Each endpoint is a Gateway Load
// Balancer endpoint of a service AWS owns (not the account's), tagged
// AWSNetworkFirewallManaged=true and Firewall=<name>, as
// DescribeVpcEndpoints lists them; routes name it by its id.
func (e *Engine) CreateNetworkFirewall(in CreateNetworkFirewallInput) (*model.NetworkFirewall, error) {
	var out *model.NetworkFirewall
	err := e.write(func(t *txn) error {
		if in.Name == "" {
			return apierr.New("InvalidRequestException", "FirewallName is required") // UNVERIFIED text
		}
		arn := t.e.cfg.arn("network-firewall", "firewall/"+in.Name)
		if t.st.NetworkFirewalls[arn] != nil {
			return apierr.Newf("InvalidRequestException", "A resource with the specified name already exists: %s", in.Name) // UNVERIFIED text
		}
		v, err := t.vpc(in.VpcID)
		if err != nil {
			return err
		}
		if len(in.SubnetIDs) == 0 {
			return apierr.New("InvalidRequestException", "SubnetMappings must contain at least one subnet") // UNVERIFIED text
		}
		f := &model.NetworkFirewall{Name: in.Name, ARN: arn, VpcID: v.ID, Endpoints: map[string]model.VpcEndpointID{}, Policy: in.Policy, Tags: in.Tags.Clone()}
		var zones []string
		for _, id := range in.SubnetIDs {
			s, err := t.subnet(id)
			if err != nil {
				return err
			}
			if s.VpcID != v.ID {
				return apierr.Newf("InvalidRequestException", "Subnet %s is not in VPC %s", s.ID, v.ID) // UNVERIFIED text
			}
			if slices.Contains(zones, s.AvailabilityZone) {
				return apierr.Newf("InvalidRequestException", "Only one subnet per Availability Zone is allowed: %s", s.AvailabilityZone) // UNVERIFIED text
			}
			zones = append(zones, s.AvailabilityZone)
		}
		svcID := model.EndpointServiceID(t.newID("vpce-svc"))
		svc := &model.EndpointServiceConfig{ID: svcID, Type: endpointGWLB, Zones: zones}
		for _, id := range in.SubnetIDs {
			tags := model.Tags{"AWSNetworkFirewallManaged": "true", "Firewall": arn}
			ep, err := t.createGWLBEndpoint(v, svc, CreateVpcEndpointInput{VpcID: v.ID, ServiceName: t.endpointServiceName(svcID), Type: endpointGWLB,
				SubnetIDs: []model.SubnetID{id}, Tags: tags}, endpointGWLB, nil)
			if err != nil {
				return err
			}
			s, _ := t.subnet(id)
			f.Endpoints[s.AvailabilityZone] = ep.ID
		}
		put(t, model.KindNetworkFirewall, t.st.NetworkFirewalls, arn, f)
		out = f
		return nil
	})
	return out, err
}

// SetNetworkFirewallPolicy replaces a firewall's policy (UpdateFirewallPolicy
// and UpdateRuleGroup, its rules flattened as CreateNetworkFirewall takes
// them).
func (e *Engine) SetNetworkFirewallPolicy(arn string, pol model.FirewallPolicy) error {
	return e.write(func(t *txn) error {
		f := t.st.NetworkFirewalls[arn]
		if f == nil {
			return apierr.Newf("ResourceNotFoundException", "Firewall %s does not exist", arn) // UNVERIFIED text
		}
		c := *f
		c.Policy = pol
		put(t, model.KindNetworkFirewall, t.st.NetworkFirewalls, arn, &c)
		return nil
	})
}
