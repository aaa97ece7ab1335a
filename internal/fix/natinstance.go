package fix

import (
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// sourceDestCheck: a route sends traffic to a NAT instance (or an
// appliance instance) whose ENI checks source and destination, so it
// drops what it should forward.
// The fix turns the check off (on the instance, or on the ENI when the
// route names a secondary ENI), as the Amazon VPC User Guide's NAT
// instance setup does.
func (f *finder) sourceDestCheck(x reach.Explanation) []Fix {
	if x.NetworkInterface == nil {
		return nil
	}
	eni := f.st.NetworkInterfaces[model.NetworkInterfaceID(x.NetworkInterface.ID)]
	if eni == nil || eni.Attachment == nil {
		return nil
	}
	inst := f.st.Instances[eni.Attachment.InstanceID]
	if inst == nil {
		return nil
	}
	name := inst.Tags.NameOr(string(inst.ID))
	off := false
	// An appliance (a firewall or router instance an inspection route
	// sends to, reach/inspection.go) forwards without translating.
	role := "NAT instance"
	if strings.Contains(x.Message, "as an appliance") {
		role = "appliance instance"
	}
	if inst.PrimaryENI == eni.ID {
		return []Fix{{
			score: 5, Kind: "source-dest-check",
			Title:    fmt.Sprintf("Turn off source/destination checking on the %s %s", role, name),
			Detail:   "An instance checks by default that it is the source or destination of every packet; a " + role + " forwards packets for other addresses, so the check must be off.",
			Commands: []string{fmt.Sprintf("aws ec2 modify-instance-attribute --instance-id %s --no-source-dest-check", inst.ID)},
			Scenario: fmt.Sprintf("instances:\n  %s:\n    source_dest_check: false\n", name),
			apply: func(e *engine.Engine) error {
				return e.ModifyInstanceAttribute(engine.ModifyInstanceAttributeInput{ID: inst.ID, SourceDestCheck: &off})
			},
		}}
	}
	return []Fix{{
		score: 5, Kind: "source-dest-check",
		Title:    fmt.Sprintf("Turn off source/destination checking on %s of the %s %s", eni.ID, role, name),
		Detail:   "An ENI checks by default that it is the source or destination of every packet; the ENI a " + role + " forwards through must not.",
		Commands: []string{fmt.Sprintf("aws ec2 modify-network-interface-attribute --network-interface-id %s --no-source-dest-check", eni.ID)},
		apply: func(e *engine.Engine) error {
			return e.ModifyNetworkInterfaceAttribute(engine.ModifyNetworkInterfaceInput{ID: eni.ID, SourceDestCheck: &off})
		},
	}}
}
