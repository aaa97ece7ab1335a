package terraform_test

import (
	"slices"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// The AWS provider's Site-to-Site VPN resources and a gateway route table
// association are created, not skipped, and the analyzer sends the
// instance's traffic to the on-premises network through the gateway.
func TestVPNResources(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": `
provider "aws" { region = "us-east-1" }
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_vpn_gateway" "vgw" { amazon_side_asn = "64620" }
resource "aws_vpn_gateway_attachment" "vgw" {
  vpc_id         = aws_vpc.main.id
  vpn_gateway_id = aws_vpn_gateway.vgw.id
}
resource "aws_customer_gateway" "dc" {
  bgp_asn    = "65010"
  ip_address = "198.51.100.30"
  type       = "ipsec.1"
}
resource "aws_vpn_connection" "dc" {
  vpn_gateway_id      = aws_vpn_gateway_attachment.vgw.vpn_gateway_id
  customer_gateway_id = aws_customer_gateway.dc.id
  type                = "ipsec.1"
  static_routes_only  = true
  tunnel1_inside_cidr = "169.254.44.0/30"
}
resource "aws_vpn_connection_route" "dc" {
  destination_cidr_block = "192.168.0.0/16"
  vpn_connection_id      = aws_vpn_connection.dc.id
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.main.id
}
resource "aws_vpn_gateway_route_propagation" "app" {
  vpn_gateway_id = aws_vpn_gateway_attachment.vgw.vpn_gateway_id
  route_table_id = aws_route_table.app.id
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
resource "aws_internet_gateway" "igw" { vpc_id = aws_vpc.main.id }
resource "aws_route_table" "edge" { vpc_id = aws_vpc.main.id }
resource "aws_route_table_association" "edge" {
  gateway_id     = aws_internet_gateway.igw.id
  route_table_id = aws_route_table.edge.id
}
resource "aws_instance" "app" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.app.id
  tags          = { Name = "app" }
}
output "tunnel1" { value = aws_vpn_connection.dc.tunnel1_inside_cidr }
`})
	res := load(t, dir, nil)
	if len(res.Skipped) != 0 {
		t.Fatalf("skipped: %+v", res.Skipped)
	}
	st, _ := res.Engine.Snapshot()
	if len(st.VpnGateways) != 1 || len(st.CustomerGateways) != 1 || len(st.VpnConnections) != 1 {
		t.Fatalf("%d gateways, %d customer gateways, %d connections", len(st.VpnGateways), len(st.CustomerGateways), len(st.VpnConnections))
	}
	var vgw *model.VpnGateway
	for _, g := range st.VpnGateways {
		vgw = g
	}
	if vgw.AmazonSideAsn != 64620 || vgw.AttachedVpc() == "" {
		t.Errorf("gateway %+v", vgw)
	}
	var rt *model.RouteTable
	for _, x := range st.RouteTables {
		if x.Tags.Name() == "aws_route_table.app" {
			rt = x
		}
	}
	if rt == nil || !slices.Contains(rt.PropagatingVgws, vgw.ID) {
		t.Fatalf("route table %+v", rt)
	}
	var igw string
	for _, g := range st.InternetGateways {
		igw = string(g.ID)
	}
	if edge := st.GatewayRouteTable(igw); edge == nil || edge.Tags.Name() != "aws_route_table.edge" {
		t.Errorf("edge association of %s: %+v", igw, edge)
	}
	if res.Outputs["tunnel1"] != "169.254.44.0/30" {
		t.Errorf("output tunnel1 = %q", res.Outputs["tunnel1"])
	}
	r := probe(t, res.Engine, "app", "192.168.3.4:443")
	if r.Verdict != reach.Connected {
		t.Fatalf("app → on-premises: %s", r.Summary)
	}
	last := r.Forward[len(r.Forward)-1]
	if last.Component.ID != string(vgw.ID) || last.Route == nil || last.Route.Origin != "EnableVgwRoutePropagation" {
		t.Errorf("last hop %+v (route %+v)", last, last.Route)
	}
}
