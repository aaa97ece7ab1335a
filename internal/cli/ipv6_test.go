package cli

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"
)

// probe --ipv6 walks a task by its IPv6 address; show prints the
// addresses; an IPv6 literal with a port probes the same task; mixing
// families is bad input for the probe, not a crash.
func TestProbeIPv6(t *testing.T) {
	const src = "examples/ipv6/dual-stack.yaml"
	code, out, errs := run(t, "probe", src, "--from", "internet", "--to", "web/0", "--ipv6", "--expect", "connected")
	if flat := strings.Join(strings.Fields(out), " "); code != ExitOK || !strings.Contains(flat, "2001:db8::7") || !strings.Contains(flat, "(IPv6: no translation)") {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	if code, out, _ := run(t, "probe", src, "--from", "internet", "--to", "web/0", "--expect", "no-route"); code != ExitOK || !strings.Contains(strings.Join(strings.Fields(out), " "), "try --ipv6") {
		// Over IPv4 the task has no address the internet reaches; the
		// explanation points at its IPv6 address.
		t.Errorf("over IPv4: exit %d: %s", code, out)
	}
	code, out, errs = run(t, "show", src, "--output", "json")
	if code != ExitOK {
		t.Fatalf("show: exit %d: %s", code, errs)
	}
	var doc systemDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var task netip.Addr
	for _, v := range doc.VPCs {
		for _, s := range v.Subnets {
			for _, i := range s.Instances {
				for _, e := range i.Interfaces {
					if e.Owner == "task web/0" && len(e.IPv6) == 1 {
						task = netip.MustParseAddr(e.IPv6[0])
					}
				}
			}
		}
	}
	if !task.IsValid() {
		t.Fatalf("show has no IPv6 address for web/0's ENI:\n%s", out)
	}
	code, out, errs = run(t, "probe", src, "--from", "internet", "--to", "["+task.String()+"]:3000", "--output", "json")
	if code != ExitOK || !strings.Contains(out, `"verdict": "connected"`) {
		t.Errorf("[%s]:3000: exit %d: %s%s", task, code, out, errs)
	}
	code, out, errs = run(t, "probe", src, "--from", "internet:198.51.100.9", "--to", "["+task.String()+"]:3000")
	if code == ExitOK || !strings.Contains(errs+out, "IPv4 address") {
		t.Errorf("mixed families: exit %d: %s", code, errs)
	}
}
