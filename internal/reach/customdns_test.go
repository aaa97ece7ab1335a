package reach

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A VPC whose DHCP options name DNS servers of its own that do not
// forward to the Route 53 Resolver does not see its interface endpoints'
// private DNS: the start path's names resolve to the services' public
// addresses, which a private subnet has no route to. The same servers
// taken to forward (the default) resolve them to the endpoints, and the
// tasks start.
func TestCustomDNSHidesEndpoints(t *testing.T) {
	path := repoFile("examples/failures/custom-dns-endpoints.yaml")
	n := compileEngine(build(t, path))
	r := probeSpec(t, n, "internet", "web-alb:80", "tcp")
	if r.Verdict != "http 503" {
		t.Fatalf("verdict %s, want http 503: %s", r.Verdict, r.Summary)
	}
	found := false
	for _, x := range r.Explanations {
		if x.Code == CodeImagePullFailed && strings.Contains(x.Message, CustomDNSMarker) && strings.Contains(x.Message, "10.20.0.10, 10.20.0.11") {
			found = true
		}
	}
	if !found {
		t.Errorf("no %s naming the DHCP options' servers: %+v", CodeImagePullFailed, r.Explanations)
	}
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	forwarding := filepath.Join(t.TempDir(), "forwarding.yaml")
	if err := os.WriteFile(forwarding, []byte(strings.Replace(string(body), "forwards_to_resolver: false", "forwards_to_resolver: true", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	n = compileEngine(build(t, forwarding))
	if r := probeSpec(t, n, "internet", "web-alb:80", "tcp"); r.Verdict != "http 200" {
		t.Errorf("with forwarding DNS servers: verdict %s, want http 200: %s", r.Verdict, r.Summary)
	}
}

// The same DNS servers do not resolve an EFS file system's name either:
// the task's mount fails before NFS is tried.
func TestCustomDNSHidesEFS(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/failures/efs-enterprise-dns.yaml")))
	r := probeSpec(t, n, "internet", "app-alb:80", "tcp")
	if r.Verdict != "http 503" {
		t.Fatalf("verdict %s, want http 503: %s", r.Verdict, r.Summary)
	}
	found := false
	for _, x := range r.Explanations {
		if x.Code == CodeEFSNoMountTarget && strings.Contains(x.Message, CustomDNSMarker) && strings.Contains(x.Message, ".efs.us-east-1.amazonaws.com does not resolve") {
			found = true
		}
	}
	if !found {
		t.Errorf("no %s naming the DHCP options' servers: %+v", CodeEFSNoMountTarget, r.Explanations)
	}
}

// A Cloud Map private DNS name asked through such servers gets NXDOMAIN,
// with the VPC (its DHCP options) as the deciding component.
func TestCustomDNSHidesCloudMap(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/failures/cloud-map-ad-dns.yaml")))
	r := probeSpec(t, n, "web", "orders.shop.internal:8080", "tcp")
	if r.Verdict != NXDomain {
		t.Fatalf("verdict %s, want nxdomain: %s", r.Verdict, r.Summary)
	}
	if !r.HasCode(CodePrivateZoneCustomDNS) {
		t.Errorf("no %s: %+v", CodePrivateZoneCustomDNS, r.Explanations)
	}
}
