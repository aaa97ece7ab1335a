package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// The human probe output prints the result's notes (each node of a load
// balancer, each share of a weighted forward action), which were only in
// the JSON before round 39. reach/testdata/alb-zone-nacl.yaml: lb1's node
// in us-east-1b fails where the reported node connects.
func TestProbePrintsNotes(t *testing.T) {
	file, err := filepath.Abs("../reach/testdata/alb-zone-nacl.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, out, errs := run(t, "probe", file, "--from", "internet", "--to", "lb1:80", "--fixes=false")
	want := "through the node in us-east-1b (10.0.2.4) the verdict is http 504"
	if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
		t.Errorf("no note %q in the output:\n%s\n%s", want, out, errs)
	}
	if !strings.Contains(out, "\nnotes\n") {
		t.Errorf("no notes heading:\n%s", out)
	}
}
