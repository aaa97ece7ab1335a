package cfn_test

import (
	"net/netip"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A dual-stack template: VPCCidrBlock, Fn::GetAtt VPC.Ipv6CidrBlocks read
// after it, SubnetCidrBlock, an egress-only gateway, ::/0 routes, CidrIpv6
// rules; the service answers over IPv6 only. Deleting the stack removes
// every resource, the IPv6 ones too.
func TestDualStackTemplate(t *testing.T) {
	res := load(t, "examples/cfn/dual-stack.yaml", nil)
	st := state(res)
	vpc := st.VPCs[model.VpcID(res.PhysicalIDs["VPC"])]
	if vpc == nil || len(vpc.IPv6) != 1 {
		t.Fatalf("the VPC's IPv6 blocks: %+v", vpc)
	}
	if res.Outputs["VpcIpv6Block"] != vpc.IPv6[0].CIDR.String() {
		t.Errorf("output VpcIpv6Block = %q, want %s", res.Outputs["VpcIpv6Block"], vpc.IPv6[0].CIDR)
	}
	pub := st.Subnets[model.SubnetID(res.PhysicalIDs["PublicSubnet"])]
	priv := st.Subnets[model.SubnetID(res.PhysicalIDs["PrivateSubnet"])]
	want := func(n byte) string {
		b := vpc.IPv6[0].CIDR.Addr().As16()
		b[7] = n
		return netip.PrefixFrom(netip.AddrFrom16(b), 64).String()
	}
	if len(pub.IPv6) != 1 || pub.IPv6[0].CIDR.String() != want(1) || !pub.AssignIPv6AddressOnCreation {
		t.Errorf("public subnet IPv6 %+v (assign %v), want %s", pub.IPv6, pub.AssignIPv6AddressOnCreation, want(1))
	}
	if len(priv.IPv6) != 1 || priv.IPv6[0].CIDR.String() != want(11) {
		t.Errorf("private subnet IPv6 %+v, want %s", priv.IPv6, want(11))
	}
	if res.Outputs["PublicSubnetIpv6Block"] != want(1) {
		t.Errorf("output PublicSubnetIpv6Block = %q", res.Outputs["PublicSubnetIpv6Block"])
	}
	eigw := res.PhysicalIDs["EgressOnlyGateway"]
	if st.EgressOnlyIGWs[model.EgressOnlyIGWID(eigw)] == nil {
		t.Fatalf("no egress-only gateway %q", eigw)
	}
	if !hasRoute(st.RouteTables[model.RouteTableID(res.PhysicalIDs["PrivateRouteTable"])], "::/0", model.TargetEgressOnlyIGW) ||
		!hasRoute(st.RouteTables[model.RouteTableID(res.PhysicalIDs["PublicRouteTable"])], "::/0", model.TargetInternetGateway) {
		t.Error("the ::/0 routes are missing")
	}
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, "internet", "web", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if r := reach.Probe(n, q); r.Verdict != reach.Timeout {
		t.Errorf("over IPv4: %s", r.Summary)
	}
	q.IPv6 = true
	if r := reach.Probe(n, q); r.Verdict != reach.Connected {
		t.Errorf("over IPv6: %s", r.Summary)
	}
	if err := cfn.DeleteResources(res.Engine, res.Resources); err != nil {
		t.Fatal(err)
	}
	st = state(res)
	if len(st.EgressOnlyIGWs) != 0 || len(st.VPCs) != 0 {
		t.Errorf("after deleting: %d egress-only gateways, %d VPCs", len(st.EgressOnlyIGWs), len(st.VPCs))
	}
}
