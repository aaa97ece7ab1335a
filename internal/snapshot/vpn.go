package snapshot

import "github.com/ecsnet/ecsnet/internal/model"

// impliedVGW records the virtual private gateway a route names: a
// snapshot has no describe-vpn-gateways, but the route's state says
// whether the gateway is attached to the route table's VPC (an active
// route) or not (a blackhole).
func (b *builder) impliedVGW(id, vpc, state string) {
	if id == "" || b.st.VpnGateways[model.VpnGatewayID(id)] != nil {
		return
	}
	g := &model.VpnGateway{ID: model.VpnGatewayID(id), Type: "ipsec.1", State: "available"}
	if state != "blackhole" {
		g.Attachments = []model.VpcAttachment{{VpcID: model.VpcID(vpc), State: "attached"}}
	}
	b.st.VpnGateways[g.ID] = g
}
