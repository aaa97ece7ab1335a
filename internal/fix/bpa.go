package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// blockPublicAccess proposes, for a packet VPC Block Public Access drops
// (x.Component is the subnet whose traffic the gateway drops), an
// exclusion for that subnet (allow-egress first, in block-bidirectional
// mode, then allow-bidirectional; an existing exclusion is modified), and
// last the account's mode off. Each is verified like every fix: only the
// ones after which the probe succeeds are kept.
func (f *finder) blockPublicAccess(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	sub := f.st.Subnets[model.SubnetID(x.Component.ID)]
	if sub == nil {
		return nil
	}
	name := string(sub.ID)
	if n := sub.Tags.Name(); n != "" {
		name = n
	}
	mode := f.st.BPAMode()
	var own *model.VpcBlockPublicAccessExclusion
	for _, e := range f.st.BPAExclusions {
		if e.SubnetID == sub.ID && e.State != "delete-in-progress" && e.State != "delete-complete" {
			own = e
		}
	}
	var modes []string
	if mode == model.BPABidirectional {
		modes = append(modes, model.BPAAllowEgress)
	}
	modes = append(modes, model.BPAAllowBidirectional)
	var out []Fix
	for i, m := range modes {
		if own != nil && own.Mode == m {
			continue
		}
		score := 6 + i
		detail := "VPC Block Public Access is " + mode + "; an exclusion exempts the subnet's traffic through the internet gateway from it"
		if m == model.BPAAllowEgress {
			detail += " (allow-egress: connections the subnet starts go out, the internet still starts none)."
		} else {
			detail += " (allow-bidirectional: the internet may also start connections to it)."
		}
		if own != nil {
			id := own.ID
			out = append(out, Fix{
				score: score, Kind: "block-public-access",
				Title:    fmt.Sprintf("Change the Block Public Access exclusion %s of subnet %s to %s", id, name, m),
				Detail:   detail,
				Commands: []string{fmt.Sprintf("aws ec2 modify-vpc-block-public-access-exclusion --exclusion-id %s --internet-gateway-exclusion-mode %s", id, m)},
				Scenario: fmt.Sprintf("block_public_access_exclusions:\n  %s:\n    subnet: %s\n    mode: %s\n", name, name, m),
				apply: func(e *engine.Engine) error {
					_, err := e.ModifyVpcBlockPublicAccessExclusion(id, m)
					return err
				},
			})
			continue
		}
		out = append(out, Fix{
			score: score, Kind: "block-public-access",
			Title:    fmt.Sprintf("Create a Block Public Access exclusion %s for subnet %s", m, name),
			Detail:   detail,
			Commands: []string{fmt.Sprintf("aws ec2 create-vpc-block-public-access-exclusion --subnet-id %s --internet-gateway-exclusion-mode %s", sub.ID, m)},
			Scenario: fmt.Sprintf("block_public_access_exclusions:\n  %s:\n    subnet: %s\n    mode: %s\n", name, name, m),
			apply: func(e *engine.Engine) error {
				_, err := e.CreateVpcBlockPublicAccessExclusion("", sub.ID, m, nil)
				return err
			},
		})
	}
	out = append(out, Fix{
		score: 40, Kind: "block-public-access",
		Title:    "Turn VPC Block Public Access off in " + f.st.Region,
		Detail:   "This lifts the block from every VPC of the account in the region, not just this path; prefer an exclusion.",
		Commands: []string{"aws ec2 modify-vpc-block-public-access-options --internet-gateway-block-mode off"},
		Scenario: "block_public_access: off\n",
		apply: func(e *engine.Engine) error {
			_, err := e.ModifyVpcBlockPublicAccessOptions(model.BPAOff)
			return err
		},
	})
	return out
}
