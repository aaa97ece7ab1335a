package cfn_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A transit gateway template: the gateway (no default route table), its
// route table, a TransitGatewayVpcAttachment and a
// TransitGatewayAttachment, associations, a propagation and a static
// route are created, not skipped; the VPC routes name the gateway; ssh
// crosses it both ways. Deleting the stack removes them all.
func TestTransitGatewayTemplate(t *testing.T) {
	res := load(t, "examples/tgw/transit-gateway.cfn.yaml", nil)
	for _, sk := range res.Skipped {
		if strings.Contains(sk.Type, "TransitGateway") || sk.Type == "AWS::EC2::Route" {
			t.Errorf("skipped %s (%s): %s", sk.LogicalID, sk.Type, sk.Reason)
		}
	}
	st := state(res)
	g := st.TransitGateways[model.TransitGatewayID(res.PhysicalIDs["Tgw"])]
	if g == nil || g.AmazonSideAsn != 64600 || g.AssociationDefaultRouteTable != "" {
		t.Fatalf("transit gateway = %+v", g)
	}
	if !strings.HasSuffix(res.Outputs["TransitGatewayArn"], ":transit-gateway/"+string(g.ID)) {
		t.Errorf("TransitGatewayArn = %q", res.Outputs["TransitGatewayArn"])
	}
	rtb := model.TransitGatewayRouteTableID(res.PhysicalIDs["TgwRouteTable"])
	var got []string
	for _, r := range st.TGWRoutes(rtb) {
		got = append(got, r.Destination.String()+" "+r.Type+" "+r.State)
	}
	if strings.Join(got, ", ") != "10.0.0.0/16 propagated active, 10.1.0.0/16 static active" {
		t.Errorf("transit gateway routes = %v", got)
	}
	if !hasRoute(st.RouteTables[model.RouteTableID(res.PhysicalIDs["AppRouteTable"])], "10.1.0.0/16", model.TargetTransitGateway) {
		t.Error("the app VPC's route to the transit gateway is missing")
	}
	n := reach.Compile(st)
	for _, pair := range [][2]string{{"app-host", "shared-host:22"}, {"shared-host", "app-host:22"}} {
		q, err := reach.NewQuery(n, pair[0], pair[1], "tcp")
		if err != nil {
			t.Fatal(err)
		}
		if r := reach.Probe(n, q); r.Verdict != reach.Connected {
			t.Errorf("%s → %s: %s", pair[0], pair[1], r.Summary)
		}
	}
	if err := cfn.DeleteResources(res.Engine, res.Resources); err != nil {
		t.Fatal(err)
	}
	st = state(res)
	// Deleted gateways, attachments and route tables stay visible in state
	// deleted for a while, as AWS shows them.
	live := 0
	for _, g := range st.TransitGateways {
		live += notDeleted(g.State)
	}
	for _, a := range st.TransitGatewayAttachments {
		live += notDeleted(a.State)
	}
	for _, rt := range st.TransitGatewayRouteTables {
		live += notDeleted(rt.State)
	}
	if live != 0 {
		t.Errorf("left after delete: %d gateways, attachments or route tables not deleted", live)
	}
}

func notDeleted(state string) int {
	if state == "deleted" {
		return 0
	}
	return 1
}
