package reach

import (
	"strconv"
	"strings"
	"testing"
)

// weightedALB is a listener forwarding to blue and green by weight; the
// web service registers in blue, green's registration is the case's.
func weightedALB(t *testing.T, greenWeight int, greenService bool) *Network {
	t.Helper()
	svc := ""
	if greenService {
		svc = `
  green:
    cluster: demo
    task_definition: web
    desired: 1
    launch_type: FARGATE
    subnets: [a]
    security_groups: [task-sg]
    assign_public_ip: true
    load_balancers: [{target_group: green-tg, container: web, port: 80}]`
	}
	e := buildFromText(t, `
name: weighted-forward
vpcs:
  main: {cidr: 10.0.0.0/16, internet_gateway: igw}
subnets:
  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public}
  b: {vpc: main, cidr: 10.0.2.0/24, az: us-east-1b, route_table: public}
route_tables:
  public: {vpc: main, routes: [{destination: 0.0.0.0/0, target: igw}]}
security_groups:
  alb-sg: {vpc: main, ingress: [{protocol: tcp, ports: 80, cidr: 0.0.0.0/0}]}
  task-sg: {vpc: main, ingress: [{protocol: tcp, ports: 80, group: alb-sg}]}
clusters:
  demo: {}
task_definitions:
  web:
    network_mode: awsvpc
    requires: [FARGATE]
    cpu: "256"
    memory: "512"
    containers:
      web: {image: public.ecr.aws/nginx/nginx:1.27, ports: [80]}
target_groups:
  blue-tg: {vpc: main, port: 80, target_type: ip}
  green-tg: {vpc: main, port: 80, target_type: ip}
load_balancers:
  web-alb:
    subnets: [a, b]
    security_groups: [alb-sg]
    listeners:
      - port: 80
        protocol: HTTP
        forward: {target_groups: [{name: blue-tg, weight: 75}, {name: green-tg, weight: `+strconv.Itoa(greenWeight)+`}]}
services:
  web:
    cluster: demo
    task_definition: web
    desired: 1
    launch_type: FARGATE
    subnets: [a]
    security_groups: [task-sg]
    assign_public_ip: true
    load_balancers: [{target_group: blue-tg, container: web, port: 80}]`+svc+`
`)
	return compileEngine(e)
}

// Each target group of a weight above 0 is probed: an empty one answers
// 503 for its share, a weight of 0 sends it nothing, two good groups
// both answer.
func TestWeightedForwardShares(t *testing.T) {
	for _, c := range []struct {
		name         string
		weight       int
		greenService bool
		want         Verdict
		rows         int
		summary      string
	}{
		{"green empty", 25, false, HTTP503, 2, "http 503 for 25 % of requests (target group green-tg)"},
		{"green weight 0", 0, false, HTTP200, 0, ""},
		{"both registered", 25, true, HTTP200, 2, ""},
	} {
		n := weightedALB(t, c.weight, c.greenService)
		r := Probe(n, mustQuery(t, n, "internet", "web-alb:80"))
		if r.Verdict != c.want || len(r.WeightedGroups) != c.rows {
			t.Errorf("%s: %s with %d groups, want %s with %d: %s", c.name, r.Verdict, len(r.WeightedGroups), c.want, c.rows, r.Summary)
			continue
		}
		if c.summary != "" && !strings.HasPrefix(r.Summary, c.summary) {
			t.Errorf("%s: summary %q, want it to start %q", c.name, r.Summary, c.summary)
		}
		if c.want == HTTP503 {
			if !r.HasCode(CodeNoRegisteredTargets) {
				t.Errorf("%s: no %s: %s", c.name, CodeNoRegisteredTargets, r.Summary)
			}
			for _, g := range r.WeightedGroups {
				if g.Reported != (g.TargetGroup == "green-tg") || (g.TargetGroup == "blue-tg") != g.Verdict.Reachable() {
					t.Errorf("%s: group %+v", c.name, g)
				}
			}
			if l, _ := r.WeightedForwardAt(); l == "" {
				t.Errorf("%s: no listener for the weighted action", c.name)
			}
		}
	}
}
