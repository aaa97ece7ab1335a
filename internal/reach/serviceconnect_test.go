package reach

import (
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// serviceConnectStory builds the Service Connect failure story with
// edits (old → new pairs) applied to its text.
func serviceConnectStory(t *testing.T, edits ...string) *Network {
	t.Helper()
	data, err := os.ReadFile(repoFile("examples/failures/analyzer-only/service-connect-client-off.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(text, edits[i]) {
			t.Fatalf("the story has no %q", edits[i])
		}
		text = strings.Replace(text, edits[i], edits[i+1], 1)
	}
	sc, err := scenario.Parse("sc.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	return compileEngine(b.Engine)
}

func TestServiceConnectResolution(t *testing.T) {
	n := serviceConnectStory(t)
	// A client of the namespace: connected to the server task's container
	// port; the name's other forms answer too.
	for _, to := range []string{"ledger.shop:80", "ledger.shop"} {
		r := probeSpec(t, n, "checkout", to, "tcp")
		if r.Verdict != Connected || r.Port != 8080 {
			t.Errorf("checkout → %s = %s on %d: %s", to, r.Verdict, r.Port, r.Summary)
		}
	}
	// A service without Service Connect: the name does not resolve, and
	// no packet leaves.
	r := probeSpec(t, n, "orders", "ledger.shop:80", "tcp")
	if r.Verdict != NXDomain || !r.HasCode(CodeServiceConnectNoProxy) || len(r.Forward) != 0 {
		t.Fatalf("orders → ledger.shop:80 = %s: %s", r.Verdict, r.Summary)
	}
	// A port that is not the alias's is a query error.
	if _, err := NewQuery(n, "checkout", "ledger.shop:8080", "tcp"); err == nil || !strings.Contains(err.Error(), "listens on port 80") {
		t.Errorf("ledger.shop:8080: %v", err)
	}
	// The short discovery name is the service's name: it keeps naming
	// the service (its task's address, no Service Connect).
	if r := probeSpec(t, n, "orders", "ledger:8080", "tcp"); r.Verdict != Connected {
		t.Errorf("orders → ledger:8080 (the service by name) = %s: %s", r.Verdict, r.Summary)
	}
	// No Service Connect lint for a modelled configuration.
	for _, f := range Lint(n) {
		if f.Code == CodeServiceConnectUnmodelled {
			t.Errorf("lint: %+v", f)
		}
	}
}

// The connection goes to the ingressPortOverride, where the server's
// proxy listens: a security group that admits only the container port
// drops it.
func TestServiceConnectIngressPortOverride(t *testing.T) {
	n := serviceConnectStory(t, "client_aliases: [{port: 80, dns_name: ledger.shop}]",
		"client_aliases: [{port: 80, dns_name: ledger.shop}]\n          ingress_port_override: 15000")
	r := probeSpec(t, n, "checkout", "ledger.shop:80", "tcp")
	if r.Verdict != Timeout || r.Port != 15000 || !r.HasCode(CodeSGRulesMismatch) {
		t.Fatalf("checkout → ledger.shop:80 with ingressPortOverride 15000 = %s on %d: %s", r.Verdict, r.Port, r.Summary)
	}
}

// A client of another namespace, and a standalone task, do not resolve
// the name.
func TestServiceConnectOtherNamespaceAndStandalone(t *testing.T) {
	n := serviceConnectStory(t,
		"  shop: {vpc: app}\n", "  shop: {vpc: app}\n  other: {vpc: app}\n",
		"service_connect: {namespace: shop}", "service_connect: {namespace: other}",
		"\nexpect:", "\ntasks:\n  adhoc:\n    cluster: shop\n    task_definition: client\n    launch_type: FARGATE\n    subnets: [app-a]\n    security_groups: [client-sg]\n    assign_public_ip: true\n\nexpect:")
	r := probeSpec(t, n, "checkout", "ledger.shop:80", "tcp")
	if r.Verdict != NXDomain || !strings.Contains(r.Summary, "namespace other, not shop") {
		t.Errorf("checkout (namespace other) → ledger.shop:80 = %s: %s", r.Verdict, r.Summary)
	}
	r = probeSpec(t, n, "adhoc", "ledger.shop:80", "tcp")
	if r.Verdict != NXDomain || !strings.Contains(r.Summary, "standalone task") ||
		!strings.Contains(r.Summary, "RunTask takes no Service Connect configuration") || !strings.Contains(r.Summary, "DiscoverInstances") {
		t.Errorf("adhoc → ledger.shop:80 = %s: %s", r.Verdict, r.Summary)
	}
	// The standalone task decides it (aws/containers-roadmap#2610), as a
	// service without Service Connect does, not the namespace.
	if x := r.Explanations[0]; x.Code != CodeServiceConnectNoProxy || x.Component == nil || x.Component.Name != "adhoc" {
		t.Errorf("adhoc → ledger.shop:80 decided by %+v", x.Component)
	}
}

// With a client alias of another name, the endpoint answers only at the
// alias: the discovery name (short or with the namespace) is the Cloud
// Map service's name, which no task resolves, and the explanation names
// the alias to call.
func TestServiceConnectDiscoveryNameIsNotAnEndpoint(t *testing.T) {
	n := serviceConnectStory(t,
		"discovery_name: ledger\n", "discovery_name: ledger-sc\n",
		"client_aliases: [{port: 80, dns_name: ledger.shop}]", "client_aliases: [{port: 80, dns_name: books.internal}]")
	r := probeSpec(t, n, "checkout", "books.internal:80", "tcp")
	if r.Verdict != Connected || r.Port != 8080 {
		t.Fatalf("checkout → books.internal:80 = %s on %d: %s", r.Verdict, r.Port, r.Summary)
	}
	for _, to := range []string{"ledger-sc:80", "ledger-sc.shop:80", "ledger-sc.shop:8080", "ledger-sc"} {
		r := probeSpec(t, n, "checkout", to, "tcp")
		if r.Verdict != NXDomain || !r.HasCode(CodeServiceConnectDiscoveryName) || len(r.Forward) != 0 ||
			!strings.Contains(r.Summary, "books.internal:80") || strings.Contains(r.Summary, "besides") {
			t.Errorf("checkout → %s = %s: %s", to, r.Verdict, r.Summary)
		}
	}
	// A client without Service Connect hears both reasons.
	r = probeSpec(t, n, "orders", "ledger-sc.shop:80", "tcp")
	if r.Verdict != NXDomain || !r.HasCode(CodeServiceConnectDiscoveryName) || !strings.Contains(r.Summary, "no Service Connect configuration") {
		t.Errorf("orders → ledger-sc.shop:80 = %s: %s", r.Verdict, r.Summary)
	}
	// The alias's port only.
	if _, err := NewQuery(n, "checkout", "books.internal:8080", "tcp"); err == nil {
		t.Error("books.internal:8080 resolved")
	}
}

// Without a client alias the discovery name answers, short and with the
// namespace, at the container port [choice].
func TestServiceConnectNoAliasDiscoveryName(t *testing.T) {
	n := serviceConnectStory(t,
		"discovery_name: ledger\n", "discovery_name: ledger-sc\n",
		"client_aliases: [{port: 80, dns_name: ledger.shop}]", "")
	for _, to := range []string{"ledger-sc:8080", "ledger-sc.shop:8080"} {
		if r := probeSpec(t, n, "checkout", to, "tcp"); r.Verdict != Connected || r.Port != 8080 {
			t.Errorf("checkout → %s = %s on %d: %s", to, r.Verdict, r.Port, r.Summary)
		}
	}
}
