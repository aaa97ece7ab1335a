package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// Two VPCs of the account share 10.1.0.0/16 and each runs a worker at the
// same address; only one is peered with the server's VPC. The server's
// group drops the peered worker's calls: the security group fix names the
// peered VPC's group (a rule may reference a group across an active
// peering connection), whichever of the two VPCs sorts first by id.
func TestSecurityGroupFixPicksThePeeredOverlappingVPC(t *testing.T) {
	for _, peered := range []string{"left", "right"} {
		text := `
name: overlap
vpcs:
  server: {cidr: 10.0.0.0/16, internet_gateway: igw}
  left: {cidr: 10.1.0.0/16}
  right: {cidr: 10.1.0.0/16}
vpc_peering_connections:
  link: {requester: server, accepter: PEERED}
subnets:
  s: {vpc: server, cidr: 10.0.1.0/24, az: us-east-1a, route_table: s}
  l: {vpc: left, cidr: 10.1.1.0/24, az: us-east-1a, route_table: l}
  r: {vpc: right, cidr: 10.1.1.0/24, az: us-east-1a, route_table: r}
route_tables:
  s: {vpc: server, routes: [{destination: 10.1.0.0/16, target: link}, {destination: 0.0.0.0/0, target: igw}]}
  l: {vpc: left, routes: LROUTES}
  r: {vpc: right, routes: RROUTES}
security_groups:
  server-sg: {vpc: server}
  left-sg: {vpc: left}
  right-sg: {vpc: right}
instances:
  left-worker: {subnet: l, security_groups: [left-sg]}
  right-worker: {subnet: r, security_groups: [right-sg]}
clusters:
  demo: {}
task_definitions:
  db:
    network_mode: awsvpc
    requires: [FARGATE]
    cpu: "256"
    memory: "512"
    containers:
      db: {image: public.ecr.aws/docker/library/postgres:16, ports: [5432]}
services:
  db: {cluster: demo, task_definition: db, desired: 1, launch_type: FARGATE, subnets: [s], security_groups: [server-sg], assign_public_ip: true}
`
		route := "[{destination: 10.0.0.0/16, target: link}]"
		text = strings.ReplaceAll(text, "PEERED", peered)
		if peered == "left" {
			text = strings.NewReplacer("LROUTES", route, "RROUTES", "[]").Replace(text)
		} else {
			text = strings.NewReplacer("RROUTES", route, "LROUTES", "[]").Replace(text)
		}
		sc, err := scenario.Parse("overlap.yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
		if err != nil {
			t.Fatal(err)
		}
		fixes, res, err := fix.Find(b.Engine, peered+"-worker", "db:5432", "tcp", fix.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Verdict != reach.Timeout || !res.HasCode(reach.CodeSGRulesMismatch) {
			t.Fatalf("%s: %s: %s", peered, res.Verdict, res.Summary)
		}
		want := "security group " + peered + "-sg of the peered VPC " + peered
		found := false
		var titles []string
		for _, f := range fixes {
			titles = append(titles, f.Title)
			if strings.Contains(f.Title, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s peered: no fix names %q: %q", peered, want, titles)
		}
	}
}
