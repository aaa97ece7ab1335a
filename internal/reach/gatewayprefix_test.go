package reach

import (
	"testing"
)

// DynamoDB, like S3, answers from its prefix list's addresses, which a
// gateway endpoint's route on the task's route table matches: behind a
// DynamoDB gateway endpoint a private task has a route to DynamoDB, and
// only its security group's egress decides (before, DynamoDB resolved to
// an address no route matched, and the probe blamed a missing route).
func TestDynamoDBGatewayEndpointRoute(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/failures/dynamodb-prefix-list-egress.yaml")))
	r := probeSpec(t, n, "orders/0", "dynamodb:443", "tcp")
	if r.Verdict != Timeout {
		t.Fatalf("verdict %s, want timeout: %s", r.Verdict, r.Summary)
	}
	if r.HasCode(CodeNoRouteToDestination) {
		t.Errorf("the DynamoDB gateway endpoint's route is not matched: %+v", r.Explanations)
	}
	if !r.HasCode(CodeSGRulesMismatch) {
		t.Errorf("no %s: %+v", CodeSGRulesMismatch, r.Explanations)
	}
	pl := n.servicePrefixList("dynamodb")
	if pl == nil {
		t.Fatal("no DynamoDB prefix list")
	}
	if len(r.Forward) == 0 {
		t.Fatal("no forward path")
	}
	dst := r.Forward[0].Packet.Destination
	in := false
	for _, p := range pl.CIDRs {
		in = in || p.Contains(dst)
	}
	if !in {
		t.Errorf("dynamodb resolved to %s, outside its prefix list %v", dst, pl.CIDRs)
	}
}
