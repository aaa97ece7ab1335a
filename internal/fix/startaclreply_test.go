package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// A network ACL whose only entries deny everything, both ways
// (clouddrove/terraform-aws-subnet#103): the task's start path is dropped
// on its request to S3 and, once an entry lets that out, on the reply. No
// one entry makes the task start: the verified fix adds the request's
// entry and the reply's in one change.
func TestStartPathACLRequestAndReply(t *testing.T) {
	sc, err := scenario.Load("../../examples/failures/nacl-deny-all-private-subnets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	fixes, res, err := fix.Find(b.Engine, "ops", "api:8080", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Reachable || !res.HasCode(reach.CodeImagePullFailed) {
		t.Fatalf("want the task stopped on its image pull: %s", res.Summary)
	}
	hint := false
	for _, x := range res.Explanations {
		if x.Code == reach.CodeImagePullFailed && strings.Contains(x.Message, "lets the replies back in on tcp/1024-65535") {
			hint = true
		}
	}
	if !hint {
		t.Errorf("the start failure's fix hint does not name the replies' entry: %v", res.Explanations)
	}
	var titles []string
	for _, f := range fixes {
		titles = append(titles, f.Title)
	}
	if len(fixes) == 0 {
		t.Fatal("no verified fix")
	}
	first := fixes[0]
	if first.Kind != "network-acl" || !strings.Contains(first.Title, "egress rule") || !strings.Contains(first.Title, "ingress rule") ||
		!strings.Contains(first.Title, "tcp 1024-65535") {
		t.Fatalf("fixes = %q, want first one network ACL fix of the request's entry and the reply's", titles)
	}
	if len(first.Commands) < 3 || !strings.Contains(first.Scenario, "egress:") || !strings.Contains(first.Scenario, "ingress:") {
		t.Errorf("fix %q: commands %q, scenario %q, want both entries and the new deployment", first.Title, first.Commands, first.Scenario)
	}
}
