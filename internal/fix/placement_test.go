package fix_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// placementFixes returns the titles of the verified fixes of the
// internet → web-alb:80 probe of a scenario.
func placementFixes(t *testing.T, file string, data []byte) []string {
	t.Helper()
	sc, err := scenario.Parse(file, data)
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
		t.Fatalf("the probe does not reach: %s", res.Summary)
	}
	var titles []string
	for _, f := range fixes {
		if f.Verification.Verdict == "" {
			t.Errorf("unverified fix %q", f.Title)
		}
		titles = append(titles, f.Title)
	}
	return titles
}

// A service short of awsvpc tasks for want of ENIs: trunking helps a type
// that supports it (c5.large) and is not offered, for it fails its
// verification, on one that does not (t3.medium, no trunking); more
// instances help both.
func TestTrunkingFixNeedsASupportedType(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("../../examples/failures", "eni-limit.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	has := func(titles []string, s string) bool {
		for _, x := range titles {
			if strings.Contains(x, s) {
				return true
			}
		}
		return false
	}
	c5 := placementFixes(t, "eni-limit.yaml", data)
	if !has(c5, "Turn awsvpcTrunking on") || !has(c5, "Scale the Auto Scaling group ecs-asg to 2 instances") {
		t.Errorf("c5.large: %q", c5)
	}
	t3 := placementFixes(t, "eni-t3.yaml", bytes.Replace(data, []byte("instance_type: c5.large"), []byte("instance_type: t3.medium"), 1))
	if has(t3, "Turn awsvpcTrunking on") || !has(t3, "Scale the Auto Scaling group ecs-asg to") {
		t.Errorf("t3.medium: %q", t3)
	}
}

// A service that runs every task gets no placement fix: the probe reaches
// and Find has nothing to say.
func TestNoPlacementFixWhenPlaced(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("../../examples/failures", "host-port-conflict.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got := placementFixes(t, "one.yaml", bytes.Replace(data, []byte("desired: 2\n    launch_type: EC2"), []byte("desired: 1\n    launch_type: EC2"), 1)); len(got) != 0 {
		t.Errorf("fixes for a placed service: %q", got)
	}
}
