package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// A Classic Load Balancer with a subnet in us-east-1a only and its one
// registered instance in us-east-1b (RhinoSecurityLabs/cloudgoat#19):
// cross-zone load balancing is on and does not help; the verified fix
// attaches the load balancer to a public subnet of the instance's zone.
func TestClassicInstanceZoneNotEnabled(t *testing.T) {
	sc, err := scenario.Load("../../examples/failures/clb-instance-zone-not-enabled.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	fixes, res, err := fix.Find(b.Engine, "internet", "web-elb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Reachable || !res.HasCode(reach.CodeNoTargetsInAZ) {
		t.Fatalf("want %s: %s", reach.CodeNoTargetsInAZ, res.Summary)
	}
	var titles []string
	for _, f := range fixes {
		titles = append(titles, f.Title)
	}
	if len(fixes) == 0 || !strings.HasPrefix(fixes[0].Title, "Attach the subnets public-b to the Classic Load Balancer web-elb") ||
		!strings.Contains(fixes[0].Commands[0], "attach-load-balancer-to-subnets") {
		t.Fatalf("fixes = %q, want the load balancer attached to public-b first", titles)
	}
}
