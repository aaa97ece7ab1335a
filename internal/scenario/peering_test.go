package scenario_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// vpc_peering_connections: a connection is requested and accepted
// (active), or left pending-acceptance with accepted: false; a route may
// name it (AWS accepts a route to a pending connection), and
// a security group rule may name a group of the peer VPC.
func TestPeeringConnections(t *testing.T) {
	sc, err := scenario.Parse("p.yaml", []byte(`
vpcs:
  a: {cidr: 10.0.0.0/16}
  b: {cidr: 10.1.0.0/16}
  c: {cidr: 10.2.0.0/16}
vpc_peering_connections:
  ab: {requester: a, accepter: b}
  ac: {requester: a, accepter: c, accepted: false}
route_tables:
  rt:
    vpc: a
    routes:
      - {destination: 10.1.0.0/16, target: ab}
      - {destination: 10.2.0.0/16, target: ac}
security_groups:
  b-sg: {vpc: b}
  a-sg: {vpc: a, ingress: [{protocol: tcp, ports: 80, group: b-sg}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	status := map[string]string{}
	for _, c := range st.VpcPeerings {
		status[c.Tags.Name()] = c.Status
	}
	if status["ab"] != "active" || status["ac"] != "pending-acceptance" {
		t.Errorf("statuses %v, want ab active and ac pending-acceptance", status)
	}
	var routes []string
	for _, rt := range st.RouteTables {
		for _, r := range rt.Routes {
			if r.Target == model.TargetVpcPeering {
				routes = append(routes, r.Destination.String())
			}
		}
	}
	if len(routes) != 2 {
		t.Errorf("routes to peering connections %v, want 10.1.0.0/16 and 10.2.0.0/16", routes)
	}
}

// A peering connection's errors come back with the file and line.
func TestPeeringErrors(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"unknown vpc", `
vpcs: {a: {cidr: 10.0.0.0/16}}
vpc_peering_connections:
  ab: {requester: a, accepter: b}
`, `:4: vpc peering connection "ab": vpc "b" is not defined (defined: a)`},
		{"overlapping blocks", `
vpcs: {a: {cidr: 10.0.0.0/16}, b: {cidr: 10.0.0.0/16}}
vpc_peering_connections:
  ab: {requester: a, accepter: b}
`, `:4: vpc peering connection "ab": the peering connection failed: `},
		{"route target", `
vpcs: {a: {cidr: 10.0.0.0/16}}
route_tables:
  rt: {vpc: a, routes: [{destination: 10.1.0.0/16, target: ab}]}
`, `VPC peering connection, NAT gateway`},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenario.Parse("p.yaml", []byte(c.body))
			if err == nil {
				_, err = sc.Build()
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
}
