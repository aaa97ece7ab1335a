package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// The endpoints fix puts an interface endpoint's network interface in
// one subnet of each Availability Zone the tasks run in (EC2 refuses two
// subnets of one zone, DuplicateSubnetsInSameZone), the tasks' own
// subnets: a service in two subnets of us-east-1a and one of us-east-1b
// gets the endpoint in one of each zone, and the fix is verified.
func TestEndpointFixOneSubnetPerTaskZone(t *testing.T) {
	e := load(t, "../../examples/failures/missing-ecr-endpoint.yaml", func(s string) string {
		s = strings.Replace(s, "  private-b: {vpc: main, cidr: 10.0.12.0/24, az: us-east-1b, route_table: private}\n",
			"  private-b: {vpc: main, cidr: 10.0.12.0/24, az: us-east-1b, route_table: private}\n  private-a2: {vpc: main, cidr: 10.0.13.0/24, az: us-east-1a, route_table: private}\n  spare-c: {vpc: main, cidr: 10.0.14.0/24, az: us-east-1c, route_table: private}\n", 1)
		return strings.Replace(s, "    subnets: [private-a, private-b]\n    security_groups: [task-sg]", "    subnets: [private-a2, private-a, private-b]\n    security_groups: [task-sg]", 1)
	})
	fixes, res, err := fix.Find(e, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.HasCode(reach.CodeImagePullFailed) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	var ep *fix.Fix
	for i := range fixes {
		if fixes[i].Kind == "vpc-endpoints" {
			ep = &fixes[i]
		}
	}
	if ep == nil {
		t.Fatalf("no verified endpoints fix among %d", len(fixes))
	}
	clone := e.Clone()
	if err := ep.Apply(clone); err != nil {
		t.Fatal(err)
	}
	st, _ := clone.Snapshot()
	var found bool
	for _, x := range st.VpcEndpoints {
		if !strings.HasSuffix(x.ServiceName, ".ecr.dkr") {
			continue
		}
		found = true
		zones := map[string]model.SubnetID{}
		for _, id := range x.Subnets {
			s := st.Subnets[id]
			if other, ok := zones[s.AvailabilityZone]; ok {
				t.Errorf("two subnets of %s: %s and %s", s.AvailabilityZone, other, id)
			}
			zones[s.AvailabilityZone] = id
			if s.Tags.NameOr("") == "spare-c" {
				t.Errorf("the endpoint uses spare-c, where no task runs")
			}
		}
		if len(zones) != 2 || zones["us-east-1a"] == "" || zones["us-east-1b"] == "" {
			t.Errorf("endpoint subnets %v, want one in us-east-1a and one in us-east-1b", x.Subnets)
		}
		if !strings.Contains(strings.Join(ep.Commands, "\n"), string(zones["us-east-1b"])) {
			t.Errorf("commands %q", ep.Commands)
		}
	}
	if !found {
		t.Fatal("the fix made no ecr.dkr endpoint")
	}
}

// Tasks in a zone without an endpoint network interface still reach the
// endpoint: its private DNS name answers every interface's address, and
// a subnet routes to the others' zones inside the VPC.
func TestEndpointInOtherZoneServesTasks(t *testing.T) {
	e := load(t, "../../examples/failures/missing-ecr-endpoint.yaml", func(s string) string {
		s = strings.Replace(s, "subnets: [private-a, private-b], security_groups: [endpoints-sg]}\n  logs:", "subnets: [private-a], security_groups: [endpoints-sg]}\n  ecr-dkr: {vpc: main, service: ecr.dkr, subnets: [private-a], security_groups: [endpoints-sg]}\n  logs:", 1)
		return strings.Replace(s, "  logs: {vpc: main, service: logs, subnets: [private-a, private-b]", "  logs: {vpc: main, service: logs, subnets: [private-a]", 1)
	})
	st, _ := e.Snapshot()
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, "internet", "web-alb:80", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if r := reach.Probe(n, q); r.Verdict != reach.HTTP200 {
		t.Fatalf("endpoints in us-east-1a only: %s: %s", r.Verdict, r.Summary)
	}
}
