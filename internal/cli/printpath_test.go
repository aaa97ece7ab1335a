package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestPrintPathHopWithoutComponent: a hop the analyzer left without a
// component (its bug, found once on a chain of NAT gateways) is printed as
// such, with the hops around it, instead of a nil-pointer panic that loses
// the whole answer.
func TestPrintPathHopWithoutComponent(t *testing.T) {
	var out bytes.Buffer
	hops := []reach.Hop{
		{Seq: 1, Action: "sent", Component: &reach.Component{Type: "task", ID: "web/0"}},
		{Seq: 2, Action: "forwarded"},
		{Seq: 3, Action: "received", Component: &reach.Component{Type: "instance", ID: "i-0abc"}},
	}
	printPath(IO{Out: &out, Err: &out}, &out, "return path", hops)
	got := out.String()
	for _, want := range []string{"task web/0", "(a hop the analyzer did not name)", "instance i-0abc"} {
		if !strings.Contains(got, want) {
			t.Errorf("printPath lacks %q:\n%s", want, got)
		}
	}
}
