package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// startShortFile: a private VPC without NAT whose S3 gateway endpoint is
// on the zone-a route table only. The task in private-a runs; the one in
// private-b stops on its image layers (CannotPullContainerError), and ECS
// keeps replacing it. The load balancer answers through the one task.
const startShortFile = `
vpcs:
  main: {cidr: 10.0.0.0/16, internet_gateway: igw, dns_hostnames: true}
subnets:
  public-a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public}
  public-b: {vpc: main, cidr: 10.0.2.0/24, az: us-east-1b, route_table: public}
  private-a: {vpc: main, cidr: 10.0.11.0/24, az: us-east-1a, route_table: rt-a}
  private-b: {vpc: main, cidr: 10.0.12.0/24, az: us-east-1b, route_table: rt-b}
route_tables:
  public: {vpc: main, routes: [{destination: 0.0.0.0/0, target: igw}]}
  rt-a: {vpc: main}
  rt-b: {vpc: main}
security_groups:
  alb-sg: {vpc: main, ingress: [{protocol: tcp, ports: 80, cidr: 0.0.0.0/0}]}
  task-sg: {vpc: main, ingress: [{protocol: tcp, ports: 3000, group: alb-sg}]}
  ep-sg: {vpc: main, ingress: [{protocol: tcp, ports: 443, cidr: 10.0.0.0/16}]}
vpc_endpoints:
  ecr-api: {vpc: main, service: ecr.api, subnets: [private-a, private-b], security_groups: [ep-sg]}
  ecr-dkr: {vpc: main, service: ecr.dkr, subnets: [private-a, private-b], security_groups: [ep-sg]}
  s3: {vpc: main, service: s3, route_tables: [rt-a]}
clusters:
  demo: {}
task_definitions:
  web:
    network_mode: awsvpc
    requires: [FARGATE]
    cpu: "256"
    memory: "512"
    containers:
      web: {image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1, ports: [3000]}
target_groups:
  web-tg: {vpc: main, port: 3000, target_type: ip}
load_balancers:
  web-alb: {subnets: [public-a, public-b], security_groups: [alb-sg], listeners: [{port: 80, protocol: HTTP, forward: web-tg}]}
services:
  web:
    cluster: demo
    task_definition: web
    desired: 2
    launch_type: FARGATE
    subnets: [private-a, private-b]
    security_groups: [task-sg]
    load_balancers: [{target_group: web-tg, container: web, port: 3000}]
`

// A service behind a load balancer that runs short because its tasks in
// one subnet stop on the start path: the probe answers through the task
// that runs, notes the start failure (ECS_IMAGE_PULL_FAILED, decided by
// the zone-b route table), and the verified fix associates that route
// table with the S3 gateway endpoint, after which both tasks run.
func TestStartFailureInOneSubnetIsNotedAndFixed(t *testing.T) {
	sc, err := scenario.Parse("short.yaml", []byte(startShortFile))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	fixes, res, err := fix.Find(b.Engine, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Reachable {
		t.Fatalf("want the probe to answer through the running task: %s", res.Summary)
	}
	var note *reach.Explanation
	for i, x := range res.Explanations {
		if x.Code == reach.CodeImagePullFailed && !x.Blocking {
			note = &res.Explanations[i]
		}
	}
	if note == nil {
		t.Fatalf("want a note %s about the tasks that stop in private-b; got %v", reach.CodeImagePullFailed, res.Explanations)
	}
	if !strings.Contains(note.Message, "runs 1 of its 2 tasks") || note.Decided == nil || note.Decided.Name != "rt-b" {
		t.Errorf("note = %q (decided by %v), want the service running 1 of 2, decided by route table rt-b", note.Message, note.Decided)
	}
	if len(fixes) == 0 || fixes[0].Title != "Associate route table rt-b with the S3 gateway endpoint s3" {
		var titles []string
		for _, f := range fixes {
			titles = append(titles, f.Title)
		}
		t.Fatalf("fixes = %q, want the zone-b route table associated with the S3 gateway endpoint first", titles)
	}
}
