package reach

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The name of a Cloud Map service in an HTTP namespace (service.namespace)
// has no DNS record: a client that connects to it gets NXDOMAIN with the
// reason, decided by the namespace, and the query names what
// DiscoverInstances returns. The same system with a private DNS namespace
// resolves the name to the task and connects.
func TestCloudMapHTTPNamespaceName(t *testing.T) {
	path := repoFile("examples/failures/cloud-map-http-namespace-dns.yaml")
	n := compileEngine(build(t, path))
	r := probeSpec(t, n, "web/0", "api.internal:8080", "tcp")
	if r.Verdict != NXDomain {
		t.Fatalf("verdict %s, want nxdomain: %s", r.Verdict, r.Summary)
	}
	if !r.HasCode(CodeCloudMapHTTPNamespace) || !r.DecidedBy("internal", CodeCloudMapHTTPNamespace) {
		t.Errorf("no %s decided by the namespace internal: %+v", CodeCloudMapHTTPNamespace, r.Explanations)
	}
	if !strings.Contains(r.Summary, "discover-instances --namespace-name internal --service-name api") {
		t.Errorf("summary: %s", r.Summary)
	}
	q, err := NewQuery(n, "web/0", "api.internal:8080", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	ns, svc, instances, ok := q.HTTPDiscovery()
	if !ok || ns != "internal" || svc != "api" || strings.Join(instances, ",") != "api/0:8080" {
		t.Errorf("HTTPDiscovery: %q %q %v %v", ns, svc, instances, ok)
	}

	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	private := filepath.Join(t.TempDir(), "private.yaml")
	if err := os.WriteFile(private, []byte(strings.Replace(string(body), "internal: {type: http}", "internal: {vpc: main}", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	n = compileEngine(build(t, private))
	if r := probeSpec(t, n, "web/0", "api.internal:8080", "tcp"); r.Verdict != Connected {
		t.Errorf("with a private DNS namespace: verdict %s, want connected: %s", r.Verdict, r.Summary)
	}
}
