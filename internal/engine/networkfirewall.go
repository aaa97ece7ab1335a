package engine

import (
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
	// The Network Firewall API's CreateFirewall: the policy by ARN (its
	// flattened rules replace Policy), the description and protections.
	PolicyARN              string
	Description            string
	DeleteProtection       bool
	SubnetChangeProtection bool
	PolicyChangeProtection bool
}

// CreateNetworkFirewall creates an AWS Network Firewall firewall and its
// endpoints, one in each subnet (CreateFirewall's SubnetMappings): "You
// can specify only one subnet per Availability Zone" (Network Firewall
// API reference, CreateFirewall). Each endpoint is a Gateway Load
// Balancer endpoint of a service AWS owns (not the account's), tagged
// AWSNetworkFirewallManaged=true and Firewall=<the firewall's ARN>, as
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
		if in.PolicyARN != "" {
			n := 0
			for _, f := range t.st.NetworkFirewalls {
				if f.PolicyARN != "" {
					n++
				}
			}
			if n >= maxAPIFirewalls {
				return errNFLimit()
			}
		}
		v, err := t.vpc(in.VpcID)
		if err != nil {
			return err
		}
		if len(in.SubnetIDs) == 0 {
			return apierr.New("InvalidRequestException", "SubnetMappings must contain at least one subnet") // UNVERIFIED text
		}
		f := &model.NetworkFirewall{Name: in.Name, ARN: arn, VpcID: v.ID, Endpoints: map[string]model.VpcEndpointID{}, Policy: in.Policy, Tags: in.Tags.Clone(),
			PolicyARN: in.PolicyARN, Description: in.Description, DeleteProtection: in.DeleteProtection,
			SubnetChangeProtection: in.SubnetChangeProtection, PolicyChangeProtection: in.PolicyChangeProtection}
		svcID := model.EndpointServiceID(t.newID("vpce-svc"))
		for _, id := range in.SubnetIDs {
			if err := t.addFirewallEndpoint(f, v, svcID, id); err != nil {
				return err
			}
		}
		if in.PolicyARN != "" {
			// A firewall of the Network Firewall API (scenario files' have
			// none, and draw no more ids).
			f.ID, f.UpdateToken = t.uuid(), t.uuid()
			if t.st.FirewallPolicies[in.PolicyARN] == nil {
				return apierr.Newf("InvalidRequestException", "Firewall policy does not exist: %s", in.PolicyARN) // probable text
			}
			f.Policy = t.composeFirewallPolicy(in.PolicyARN)
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
