package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// An IPv4 client of an internet-facing load balancer of type
// dualstack-without-public-ipv4 (aws/aws-cdk#32203's ALB): the cause is
// the missing public IPv4 addresses, and the verified fix makes it
// dualstack, never an internet-facing twin of a load balancer that is
// internet-facing already.
func TestDualStackWithoutPublicIPv4Fix(t *testing.T) {
	sc, err := scenario.Load("../../examples/failures/alb-dualstack-without-public-ipv4-sg.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	fixes, res, err := fix.Find(b.Engine, "internet", "site-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Reachable || !res.HasCode(reach.CodeLBNoPublicIPv4) || res.HasCode(reach.CodeInternalLB) {
		t.Fatalf("want %s (and not %s): %s", reach.CodeLBNoPublicIPv4, reach.CodeInternalLB, res.Summary)
	}
	if len(fixes) == 0 || !strings.HasPrefix(fixes[0].Title, "Make the load balancer site-alb dualstack") {
		var titles []string
		for _, f := range fixes {
			titles = append(titles, f.Title)
		}
		t.Fatalf("fixes = %q, want the load balancer made dualstack first", titles)
	}
	if !strings.Contains(fixes[0].Commands[0], "--ip-address-type dualstack") {
		t.Errorf("commands %q", fixes[0].Commands)
	}
}
