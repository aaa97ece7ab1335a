package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// TestDNSServerUnreachableFix: a lookup the VPC's own DNS server never
// gets (its group admits TCP 53 only) is fixed by letting udp/53 in from
// the client's group, verified by the probe by name connecting.
func TestDNSServerUnreachableFix(t *testing.T) {
	sc, err := scenario.Load("../reach/testdata/custom-dns-server.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	fixes, res, err := fix.Find(b.Engine, "client", "api.example.com:443", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.NXDomain {
		t.Fatalf("before: %s: %s", res.Verdict, res.Summary)
	}
	if len(fixes) == 0 || !strings.HasPrefix(fixes[0].Title, "Allow udp/53 from security group client-sg on security group dns-sg") ||
		fixes[0].Verification.Verdict != reach.Connected {
		t.Errorf("fixes: %+v", fixes)
	}
}
