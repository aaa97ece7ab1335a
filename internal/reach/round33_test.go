package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

const hecCustomDNSStory = "examples/failures/analyzer-only/splunk-hec-private-zone-custom-dns.yaml"

// A log collector's name is looked up through the DNS servers of the
// VPC's DHCP options set: servers of the company's own that do not forward
// to the Route 53 Resolver answer NXDOMAIN for a private zone's name, even
// a zone associated with the VPC, and Docker's error names the server it
// asked (the first domain-name-servers address), not the Resolver.
func TestLogCollectorThroughDHCPDNSServers(t *testing.T) {
	e := storyEngine(t, hecCustomDNSStory)
	tk := taskNamed(t, stateOf(e), "ledger/0")
	if tk.LastStatus != model.TaskStopped || !strings.HasSuffix(tk.StoppedReason, "dial tcp: lookup hec.logging.internal on 10.0.11.10:53: no such host") {
		t.Fatalf("ledger/0 is %s: %q", tk.LastStatus, tk.StoppedReason)
	}
	n := compileEngine(e)
	var fs []StartFailure
	for _, s := range n.st.Services {
		if s.Name == "ledger" {
			fs = ServiceStartFailures(n, s)
		}
	}
	if len(fs) == 0 || fs[0].Code != CodeLogDriverUnreachable || fs[0].Blocked == nil || fs[0].Blocked.Code != CodePrivateZoneCustomDNS ||
		!strings.HasSuffix(fs[0].Reason, "on 10.0.11.10:53: no such host") {
		t.Fatalf("%+v", fs)
	}
	// Servers that forward to the Resolver: the zone answers.
	n = compileEngine(storyEngine(t, hecCustomDNSStory, "forwards_to_resolver: false", "forwards_to_resolver: true"))
	for _, s := range n.st.Services {
		if s.Name == "ledger" {
			if fs := ServiceStartFailures(n, s); len(fs) != 0 {
				t.Fatalf("forwarding servers: %+v", fs)
			}
		}
	}
}
