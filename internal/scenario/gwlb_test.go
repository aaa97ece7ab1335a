package scenario_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// gwlbFile is an inspection VPC's Gateway Load Balancer, its endpoint
// service, an endpoint in the app VPC, a route to it and an edge route
// table of the app VPC's internet gateway.
const gwlbFile = `
vpcs:
  app: {cidr: 10.0.0.0/16, internet_gateway: app-igw}
  security: {cidr: 10.100.0.0/16}
subnets:
  gwlbe: {vpc: app, cidr: 10.0.0.0/28, az: us-east-1a}
  pub: {vpc: app, cidr: 10.0.1.0/24, az: us-east-1a, route_table: pub}
  appl: {vpc: security, cidr: 10.100.1.0/24, az: us-east-1a}
route_tables:
  ingress: {vpc: app, gateways: [app-igw], routes: [{destination: 10.0.1.0/24, target: gwlbe}]}
  pub: {vpc: app, routes: [{destination: 0.0.0.0/0, target: gwlbe}]}
instances:
  fw: {subnet: appl, instance_type: c5.large}
target_groups:
  appliances: {vpc: security, protocol: GENEVE, port: 6081, targets: [{id: fw}]}
load_balancers:
  inspection: {type: gateway, subnets: [appl], listeners: [{forward: appliances}]}
endpoint_services:
  inspection-svc: {gateway_load_balancers: [inspection]}
vpc_endpoints:
  gwlbe: {vpc: app, endpoint_service: inspection-svc, subnets: [gwlbe]}
`

func buildString(t *testing.T, body string) (*scenario.Built, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Load(path)
	if err != nil {
		return nil, err
	}
	return sc.Build()
}

// A Gateway Load Balancer endpoint service, its endpoint (of type
// GatewayLoadBalancer, as the service makes it), a route to the endpoint
// and the internet gateway's edge association, as the file writes them.
func TestGatewayLoadBalancerSections(t *testing.T) {
	b, err := buildString(t, gwlbFile)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	var ep *model.VpcEndpoint
	for _, x := range st.VpcEndpoints {
		ep = x
	}
	if ep == nil || ep.Type != "GatewayLoadBalancer" || len(ep.Subnets) != 1 {
		t.Fatalf("endpoint %+v", ep)
	}
	var svc *model.EndpointServiceConfig
	for _, s := range st.EndpointServices {
		svc = s
	}
	if svc == nil || len(svc.GatewayLBs) != 1 || len(svc.NetworkLBs) != 0 {
		t.Fatalf("endpoint service %+v", svc)
	}
	var igw model.InternetGatewayID
	for id := range st.InternetGateways {
		igw = id
	}
	routes, edge := 0, false
	for _, rt := range st.RouteTables {
		for _, r := range rt.Routes {
			if r.Target == model.TargetVpcEndpoint && r.TargetID == string(ep.ID) {
				routes++
			}
		}
		for _, a := range rt.Associations {
			if a.GatewayID == string(igw) && rt.Tags.Name() == "ingress" {
				edge = true
			}
		}
	}
	if routes != 2 || !edge {
		t.Errorf("%d routes to the endpoint (want 2), edge association %v", routes, edge)
	}
	for _, lb := range st.LoadBalancers {
		if lb.Name == "inspection" && !lb.IsGWLB() {
			t.Errorf("load balancer inspection is %s", lb.Type)
		}
	}
}

// The errors of the new sections come back with their lines.
func TestGatewayLoadBalancerErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		edits []string // pairs: text of the file, its replacement
		want  string
	}{
		{"edge association of an unknown gateway", []string{"gateways: [app-igw]", "gateways: [other-igw]"},
			`:10: route table "ingress": internet gateway "other-igw" is not defined`},
		{"edge association of another VPC's gateway", []string{"security: {cidr: 10.100.0.0/16}", "security: {cidr: 10.100.0.0/16, internet_gateway: sec-igw}",
			"gateways: [app-igw]", "gateways: [sec-igw]"},
			":10: route table \"ingress\": InvalidParameterValue: route table rtb-"},
		{"a Network Load Balancer as a Gateway Load Balancer", []string{"  inspection: {type: gateway, subnets: [appl], listeners: [{forward: appliances}]}",
			"  inspection: {type: gateway, subnets: [appl], listeners: [{forward: appliances}]}\n  web: {type: network, scheme: internal, subnets: [appl]}",
			"inspection-svc: {gateway_load_balancers: [inspection]}", "inspection-svc: {gateway_load_balancers: [web]}"},
			`:20: endpoint service "inspection-svc": InvalidParameter: The load balancer arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/web/`},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := gwlbFile
			for i := 0; i+1 < len(c.edits); i += 2 {
				if !strings.Contains(body, c.edits[i]) {
					t.Fatalf("%q is not in the file", c.edits[i])
				}
				body = strings.Replace(body, c.edits[i], c.edits[i+1], 1)
			}
			_, err := buildString(t, body)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
}
