package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// applianceMode: a reply reaches another zone's appliance than its
// request (reach.CodeApplianceAsymmetric) in an inspection VPC whose
// transit gateway attachment has appliance mode off. The fix turns it on
// (ModifyTransitGatewayVpcAttachment ApplianceModeSupport=enable), so the
// gateway keeps both directions of a flow in one zone ("Example:
// Appliance in a shared services VPC", Transit Gateway guide; Network
// Firewall's "Avoiding asymmetric routing").
func (f *finder) applianceMode(x reach.Explanation) []Fix {
	if x.Component == nil || x.Component.Type != "transit-gateway-attachment" {
		return nil
	}
	a := f.st.TransitGatewayAttachments[model.TransitGatewayAttachmentID(x.Component.ID)]
	if a == nil || a.ResourceType != model.TGWAttachVPC || a.ApplianceModeSupport == "enable" {
		return nil
	}
	name := tgwAttachName(a)
	return []Fix{{
		score: 10, Kind: "transit-gateway",
		Title: fmt.Sprintf("Turn appliance mode on for the transit gateway attachment %s of the inspection VPC, so both directions of a flow go through one zone's appliance", name),
		Detail: "Without appliance mode a transit gateway keeps each packet in the Availability Zone it entered by: a request and its reply between zones reach different appliances, " +
			"and a stateful appliance drops the reply of a flow it never saw. With it, the gateway picks one zone of the appliance VPC for the life of a flow.",
		Commands: []string{fmt.Sprintf("aws ec2 modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id %s --options ApplianceModeSupport=enable", a.ID)},
		Scenario: fmt.Sprintf("transit_gateway_attachments:\n  %s:\n    appliance_mode: true\n", name),
		apply: func(e *engine.Engine) error {
			_, err := e.ModifyTransitGatewayVpcAttachment(engine.ModifyTGWVpcAttachmentInput{ID: a.ID, ApplianceModeSupport: "enable"})
			return err
		},
	}}
}
