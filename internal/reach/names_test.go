package reach

import (
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// Named outside destinations resolve as the VPC's private DNS would: to
// the interface endpoint's ENI when one with private DNS exists, else to
// the service's public address through the routes.
func TestOutsideNames(t *testing.T) {
	e := buildWith(t, repoFile("examples/failures/missing-ecr-endpoint.yaml"), engine.WithStartCheck(StartCheck))
	n := compileEngine(e)
	// From a hypothetical task of the service: probe from the endpoint's
	// subnet by address is not possible, so use the ALB's node (in a
	// public subnet of the same VPC).
	cases := []struct {
		to      string
		verdict Verdict
		note    string
	}{
		{"ecr", Connected, "interface endpoint"},                                      // ecr.api endpoint exists
		{"api.ecr.us-east-1.amazonaws.com", Connected, "interface endpoint"},          // the same, by DNS name
		{"logs.us-east-1.amazonaws.com", Connected, "interface endpoint"},             // logs endpoint exists
		{"123456789012.dkr.ecr.us-east-1.amazonaws.com", Connected, "public address"}, // no ecr.dkr endpoint: the internet, through the public subnet's gateway
		{"docker.io", Connected, "public address"},                                    // the internet
		{"s3", Connected, "prefix list"},                                              // S3's public address
	}
	for _, c := range cases {
		r := probeSpec(t, n, "web-alb", c.to, "tcp")
		if r.Verdict != c.verdict || r.Port != 443 {
			t.Errorf("%s: %s on %d: %s", c.to, r.Verdict, r.Port, r.Summary)
		}
		if len(r.Notes) == 0 || !strings.Contains(r.Notes[0], c.note) {
			t.Errorf("%s: notes %q, want one saying %q", c.to, r.Notes, c.note)
		}
	}
	if _, err := NewQuery(n, "internet", "ecr", "tcp"); err == nil {
		t.Error("internet → ecr: both on the internet, want an error")
	}
}

// A Cloud Map name resolves to the registered service's running tasks,
// and only inside the namespace's VPC.
func TestCloudMapNames(t *testing.T) {
	e := build(t, repoFile("examples/failures/cloud-map-name.yaml"))
	n := compileEngine(e)
	r := probeSpec(t, n, "web", "api.internal:8080", "tcp")
	if r.Verdict != Timeout || !r.HasCode(CodeSGRulesMismatch) || r.To.Name != "api.internal" {
		t.Errorf("web → api.internal:8080 = %s: %s", r.Verdict, r.Summary)
	}
	if len(r.Return) != 0 {
		t.Errorf("a dropped SYN has a return path: %+v", r.Return)
	}
	if r := probeSpec(t, n, "internet", "api.internal:8080", "tcp"); r.Verdict != NXDomain || !r.HasCode(CodeCloudMapZoneNotAssociated) || !strings.Contains(r.Summary, "NXDOMAIN") {
		t.Errorf("from the internet: %s: %s, want nxdomain", r.Verdict, r.Summary)
	}
	// In a public DNS namespace (no VPC) the name resolves from anywhere;
	// in an HTTP one it is no DNS name at all: the lookup is NXDOMAIN.
	for _, typ := range []string{model.NamespaceDNSPublic, model.NamespaceHTTP} {
		st, _ := e.Snapshot()
		st = st.Clone()
		for id, ns := range st.Namespaces {
			c := *ns
			c.Type, c.VpcID = typ, ""
			st.Namespaces[id] = &c
		}
		nw := Compile(st)
		q, err := NewQuery(nw, "web", "api.internal:8080", "tcp")
		if err != nil {
			t.Errorf("%s namespace, from a VPC: %v", typ, err)
			continue
		}
		if r := Probe(nw, q); typ == model.NamespaceHTTP && (r.Verdict != NXDomain || !r.HasCode(CodeCloudMapHTTPNamespace)) {
			t.Errorf("an HTTP namespace's name: %s: %s, want nxdomain (%s)", r.Verdict, r.Summary, CodeCloudMapHTTPNamespace)
		}
	}
}

// Network Insights answers carry the root cause of a 503: the stopped
// tasks' start-path failure, with its text.
func TestInsightsRootCause(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/failures/no-nat.yaml")))
	r := probeSpec(t, n, "internet", "web-alb:80", "tcp")
	found, _, ret, expl := r.Insights()
	if found || len(ret) == 0 {
		t.Fatalf("found %v, %d return components (the ALB answered, so there is a return path)", found, len(ret))
	}
	ok := false
	for _, x := range expl {
		if x.Code == CodeImagePullFailed && strings.Contains(x.Detail, "api.ecr.us-east-1.amazonaws.com") {
			ok = true
		}
	}
	if !ok {
		t.Errorf("explanations %+v lack %s", expl, CodeImagePullFailed)
	}
}

// An instance whose ECS agent cannot reach the ECS endpoints never
// registers; with a NAT gateway it does.
func TestAgentRegistration(t *testing.T) {
	e := buildWith(t, repoFile("examples/failures/agent-no-path.yaml"), engine.WithStartCheck(StartCheck), engine.WithRegisterCheck(RegisterCheck))
	st := stateOf(e)
	if len(st.ContainerInstances) != 0 {
		t.Fatalf("%d container instances registered without a path to ECS", len(st.ContainerInstances))
	}
	for _, i := range st.Instances {
		f := InstanceRegisterFailure(st, i)
		if f == nil || f.Code != CodeAgentCannotRegister || f.Service != "ecs" || !strings.Contains(f.Reason, "https://ecs.us-east-1.amazonaws.com/") {
			t.Errorf("%s: %+v", i.ID, f)
		}
	}
	// The same system without the check registers at once, as before.
	if st := stateOf(build(t, repoFile("examples/failures/agent-no-path.yaml"))); len(st.ContainerInstances) != 1 {
		t.Errorf("without the register check: %d container instances", len(st.ContainerInstances))
	}
}

// Bridge tasks register SRV records: the name resolves to the instance's
// address and the port to the container port's host port.
func TestCloudMapSRV(t *testing.T) {
	data, err := os.ReadFile(repoFile("examples/seed/bridge.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), "services:\n  web:\n", "namespaces:\n  corp.local: {vpc: main}\ndiscovery_services:\n  web: {namespace: corp.local, records: [SRV]}\nservices:\n  web:\n    discovery: web\n    discovery_container: web\n    discovery_port: 3000\n", 1)
	sc, err := scenario.Parse("srv.yaml", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	n := compileEngine(b.Engine)
	r := probeSpec(t, n, "ecs-asg/0", "web.corp.local", "tcp")
	if r.Verdict != Connected || r.Port != 3000 {
		t.Errorf("ecs-asg/0 → web.corp.local = %s on %d: %s", r.Verdict, r.Port, r.Summary)
	}
	// With a port the client looks up an address (as curl does): an
	// SRV-only name has none.
	r = probeSpec(t, n, "ecs-asg/0", "web.corp.local:3000", "tcp")
	if r.Verdict != NXDomain || !r.HasCode(CodeCloudMapSRVOnly) || len(r.Forward) != 0 {
		t.Errorf("ecs-asg/0 → web.corp.local:3000 = %s: %s", r.Verdict, r.Summary)
	}
}

// A private namespace's name does not resolve from another VPC until the
// namespace's hosted zone is associated with it.
func TestCloudMapOtherVPC(t *testing.T) {
	e := build(t, repoFile("examples/failures/cloud-map-other-vpc.yaml"))
	r := probeSpec(t, compileEngine(e), "orders", "ledger.core.local:8443", "tcp")
	if r.Verdict != NXDomain || !r.HasCode(CodeCloudMapZoneNotAssociated) || !r.DecidedBy("core.local", "") {
		t.Fatalf("orders → ledger.core.local = %s: %s", r.Verdict, r.Summary)
	}
	if len(r.Forward) != 0 {
		t.Errorf("no packet leaves, but the forward path is %+v", r.Forward)
	}
	st, _ := e.Snapshot()
	var nsID string
	var app model.VpcID
	for id := range st.Namespaces {
		nsID = id
	}
	for id, v := range st.VPCs {
		if v.Tags["Name"] == "app" {
			app = id
		}
	}
	if err := e.AssociateNamespaceVPC(nsID, app); err != nil {
		t.Fatal(err)
	}
	if err := e.AssociateNamespaceVPC(nsID, app); err == nil {
		t.Error("a second association of the same VPC: want ConflictingDomainExists")
	}
	if r := probeSpec(t, compileEngine(e), "orders", "ledger.core.local:8443", "tcp"); r.Verdict != Connected {
		t.Errorf("after the association: %s: %s", r.Verdict, r.Summary)
	}
}

// A private DNS namespace's names resolve only in a VPC whose
// enableDnsHostnames and enableDnsSupport are both true, even one its
// hosted zone is associated with: with either off the lookup fails
// (NXDOMAIN) and the VPC decides. A public namespace is not affected by
// enableDnsHostnames; with enableDnsSupport off nothing resolves from the
// VPC (the Amazon-provided DNS server answers nothing).
func TestCloudMapNeedsVPCDNSAttributes(t *testing.T) {
	e := build(t, repoFile("examples/failures/cloud-map-name.yaml"))
	st, _ := e.Snapshot()
	for _, c := range []struct {
		name               string
		support, hostnames bool
	}{{"hostnames off", true, false}, {"support off", false, true}} {
		s := st.Clone()
		for id, v := range s.VPCs {
			x := *v
			x.EnableDNSSupport, x.EnableDNSHostnames = c.support, c.hostnames
			s.VPCs[id] = &x
		}
		r := probeSpec(t, Compile(s), "web", "api.internal:8080", "tcp")
		if r.Verdict != NXDomain || !r.HasCode(CodePrivateZoneDNSOff) || !r.DecidedBy("main", "") {
			t.Errorf("%s: %s: %s, want nxdomain by %s at VPC main", c.name, r.Verdict, r.Summary, CodePrivateZoneDNSOff)
		}
		for id, ns := range s.Namespaces {
			x := *ns
			x.Type, x.VpcID = model.NamespaceDNSPublic, ""
			s.Namespaces[id] = &x
		}
		r = probeSpec(t, Compile(s), "web", "api.internal:8080", "tcp")
		if c.support && r.Verdict == NXDomain {
			t.Errorf("%s, public namespace: %s: %s", c.name, r.Verdict, r.Summary)
		}
		if !c.support && (r.Verdict != NXDomain || !r.HasCode(CodeVPCDNSOff) || !r.DecidedBy("main", "")) {
			t.Errorf("%s, public namespace: %s: %s, want nxdomain by %s at VPC main", c.name, r.Verdict, r.Summary, CodeVPCDNSOff)
		}
	}
}

// With DNS resolution off (enableDnsSupport false) and the Amazon-provided
// DNS server, no name resolves from the VPC: a load balancer's DNS name, a
// public Route 53 record, an AWS service name. The same destinations by
// resource name still connect, DNS servers of the VPC's own (DHCP options)
// still resolve, and the fix turns DNS resolution on.
func TestVPCDNSOffNoNameResolves(t *testing.T) {
	e := build(t, repoFile("examples/failures/vpc-dns-off-public-name.yaml"))
	st, _ := e.Snapshot()
	n := Compile(st)
	var dns string
	for _, lb := range st.LoadBalancers {
		dns = lb.DNSName
	}
	for _, to := range []string{"api.example.com:80", dns + ":80", "ecr:443"} {
		r := probeSpec(t, n, "reports", to, "tcp")
		if r.Verdict != NXDomain || !r.HasCode(CodeVPCDNSOff) || !r.DecidedBy("legacy", "") {
			t.Errorf("%s: %s: %s, want nxdomain by %s at VPC legacy", to, r.Verdict, r.Summary, CodeVPCDNSOff)
		}
	}
	if r := probeSpec(t, n, "reports", "api-alb:80", "tcp"); r.Verdict == NXDomain {
		t.Errorf("by resource name: %s: %s", r.Verdict, r.Summary)
	}
	if r := probeSpec(t, n, "internet", "api.example.com:80", "tcp"); r.Verdict == NXDomain {
		t.Errorf("from the internet: %s: %s", r.Verdict, r.Summary)
	}
	// The VPC's own DNS servers answer public names themselves.
	s := st.Clone()
	for id, v := range s.VPCs {
		if v.Tags.Name() == "legacy" {
			x := *v
			x.DhcpOptions = "dopt-own"
			s.VPCs[id] = &x
		}
	}
	s.DhcpOptions["dopt-own"] = &model.DhcpOptions{ID: "dopt-own", Options: map[string][]string{"domain-name-servers": {"10.20.0.53"}}}
	if r := probeSpec(t, Compile(s), "reports", "api.example.com:80", "tcp"); r.Verdict == NXDomain {
		t.Errorf("own DNS servers: %s: %s", r.Verdict, r.Summary)
	}
}
