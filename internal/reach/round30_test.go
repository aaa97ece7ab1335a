package reach

import (
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// storyEngine builds an example story, with edits (pairs of old and new
// text), without its expectations.
func storyEngine(t *testing.T, rel string, edits ...string) *engine.Engine {
	t.Helper()
	path := repoFile(rel)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data := string(raw)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(data, edits[i]) {
			t.Fatalf("edit %q: not in the story", edits[i])
		}
		data = strings.Replace(data, edits[i], edits[i+1], 1)
	}
	if i := strings.Index(data, "\nexpect:"); i >= 0 {
		data = data[:i]
	}
	sc, err := scenario.Parse(path, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	return b.Engine
}

// findingsOf returns the lint findings of a code.
func findingsOf(n *Network, code string) []Finding {
	var out []Finding
	for _, f := range Lint(n) {
		if f.Code == code {
			out = append(out, f)
		}
	}
	return out
}

// Lint knows PrivateLink: what probe finds on a consumer's connection,
// check says without one.
func TestPrivateLinkLint(t *testing.T) {
	const nlbStory = "examples/failures/analyzer-only/privatelink-nlb-sg-client-cidr.yaml"
	t.Run("the NLB's groups admit no address of the consumer's VPC", func(t *testing.T) {
		fs := findingsOf(compileEngine(storyEngine(t, nlbStory)), CodePrivateLinkNLBClosed)
		if len(fs) != 1 || fs[0].Resource.Name != "ledger-nlb" || !strings.Contains(fs[0].Message, "10.1.0.0/16") || fs[0].Severity != SeverityError {
			t.Fatalf("findings %+v: want one error on ledger-nlb naming the orders VPC's range", fs)
		}
		n := compileEngine(storyEngine(t, nlbStory, "    security_groups: [ledger-nlb-sg]\n",
			"    security_groups: [ledger-nlb-sg]\n    enforce_security_group_inbound_rules_on_private_link_traffic: \"off\"\n"))
		if fs := findingsOf(n, CodePrivateLinkNLBClosed); len(fs) != 0 {
			t.Errorf("inbound rules off for PrivateLink: findings %+v, want none", fs)
		}
		n = compileEngine(storyEngine(t, nlbStory, nlbSGVPCOnly, strings.Replace(nlbSGVPCOnly, "10.2.0.0/16", "10.0.0.0/8", 1)))
		if fs := findingsOf(n, CodePrivateLinkNLBClosed); len(fs) != 0 {
			t.Errorf("a group admitting 10.0.0.0/8: findings %+v, want none", fs)
		}
	})
	t.Run("an endpoint waiting for acceptance", func(t *testing.T) {
		n := compileEngine(storyEngine(t, "examples/failures/analyzer-only/privatelink-pending-acceptance.yaml"))
		fs := findingsOf(n, CodePrivateLinkNotAccepted)
		if len(fs) != 1 || fs[0].Resource.Name != "ledger-endpoint" || !strings.Contains(fs[0].Fix, "accept-vpc-endpoint-connections") {
			t.Fatalf("findings %+v: want one on ledger-endpoint with the accept command", fs)
		}
		n = compileEngine(storyEngine(t, "examples/failures/analyzer-only/privatelink-pending-acceptance.yaml", ", acceptance_required: true}", "}"))
		if fs := findingsOf(n, CodePrivateLinkNotAccepted); len(fs) != 0 {
			t.Errorf("no acceptance required: findings %+v, want none", fs)
		}
	})
	t.Run("the endpoint's groups admit 443, the service listens on 8443", func(t *testing.T) {
		const story = "examples/failures/analyzer-only/privatelink-endpoint-sg-https-only.yaml"
		fs := findingsOf(compileEngine(storyEngine(t, story)), CodePrivateLinkEndpointClosed)
		if len(fs) != 1 || fs[0].Resource.Name != "ledger-endpoint" || !strings.Contains(fs[0].Message, "tcp/8443") {
			t.Fatalf("findings %+v: want one on ledger-endpoint naming tcp/8443", fs)
		}
		n := compileEngine(storyEngine(t, story, "ports: 443, group: orders-sg", "ports: 8443, group: orders-sg"))
		if fs := findingsOf(n, CodePrivateLinkEndpointClosed); len(fs) != 0 {
			t.Errorf("the group admits 8443: findings %+v, want none", fs)
		}
		// A group that admits only itself, held by the endpoint alone,
		// admits no client.
		n = compileEngine(storyEngine(t, story, "ports: 443, group: orders-sg", "ports: 8443, group: ledger-endpoint-sg"))
		if fs := findingsOf(n, CodePrivateLinkEndpointClosed); len(fs) != 1 {
			t.Errorf("a self-reference: findings %+v, want one", fs)
		}
	})
	t.Run("an endpoint in a zone the NLB no longer serves", func(t *testing.T) {
		e := storyEngine(t, nlbStory)
		st := stateOf(e)
		if fs := findingsOf(Compile(st), CodePrivateLinkZoneNotServed); len(fs) != 0 {
			t.Fatalf("findings %+v before the change, want none", fs)
		}
		// A snapshot where the load balancer left us-east-1a (its node's
		// zone moved away), as a SetSubnets after the endpoint was made.
		for _, eni := range st.NetworkInterfaces {
			if eni.OwnerKind == model.OwnedByLoadBalancer && eni.AvailabilityZone == "us-east-1a" {
				eni.AvailabilityZone = "us-east-1c"
			}
		}
		fs := findingsOf(Compile(st), CodePrivateLinkZoneNotServed)
		if len(fs) != 1 || fs[0].Resource.Name != "ledger-endpoint" || !strings.Contains(fs[0].Message, "us-east-1a") {
			t.Fatalf("findings %+v: want one on ledger-endpoint naming us-east-1a", fs)
		}
	})
}

// Through PrivateLink the target sees the NLB's address because of
// PrivateLink, not because client IP preservation is off.
func TestPrivateLinkTargetGroupWording(t *testing.T) {
	n := compileEngine(storyEngine(t, "examples/failures/analyzer-only/privatelink-target-sg-consumer-cidr.yaml"))
	r := probeSpec(t, n, "orders", "ledger.internal:8443", "tcp")
	check(t, r, Timeout, CodeSGRulesMismatch)
	if strings.Contains(r.Summary, "client IP preservation is off") || !strings.Contains(r.Summary, "came through AWS PrivateLink") {
		t.Errorf("summary %q: want PrivateLink as the reason, not client IP preservation off", r.Summary)
	}
	for _, x := range r.Explanations {
		if strings.Contains(x.Message, "client IP preservation is off") {
			t.Errorf("%s %q: want PrivateLink as the reason", x.Code, x.Message)
		}
	}
	// A plain NLB client keeps the old reason.
	n = compileEngine(storyEngine(t, "examples/failures/nlb-no-target-sg.yaml"))
	found := false
	for _, f := range Lint(n) {
		found = found || strings.Contains(f.Message, "PrivateLink")
	}
	if found {
		t.Errorf("a story without PrivateLink mentions it")
	}
}

// S3's global name is us-east-1's: from eu-west-1 it misses the gateway
// endpoint's prefix list.
func TestS3GlobalNameOtherRegion(t *testing.T) {
	const story = "examples/failures/analyzer-only/s3-global-name-gateway-other-region.yaml"
	n := compileEngine(storyEngine(t, story))
	r := probeSpec(t, n, "reports/0", "s3.amazonaws.com:443", "tcp")
	ex := check(t, r, NoRoute, CodeNoRouteToDestination)
	if m := ex[CodeEndpointLegacyName].Message; !strings.Contains(m, "us-east-1") || !strings.Contains(m, "s3.eu-west-1.amazonaws.com") {
		t.Errorf("message %q: want us-east-1 and the Regional name", m)
	}
	checkClean(t, probeSpec(t, n, "reports/0", "s3.eu-west-1.amazonaws.com:443", "tcp"), Connected)
	// In us-east-1 the global name is the Region's own: the gateway
	// endpoint carries it.
	us := strings.NewReplacer("eu-west-1", "us-east-1")
	raw, err := os.ReadFile(repoFile(story))
	if err != nil {
		t.Fatal(err)
	}
	data := us.Replace(string(raw))
	data = data[:strings.Index(data, "\nexpect:")]
	sc, err := scenario.Parse(repoFile(story), []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	checkClean(t, probeSpec(t, compileEngine(b.Engine), "reports/0", "s3.amazonaws.com:443", "tcp"), Connected)
}

// The start path's lookups go through the VPC's own DNS servers (DHCP
// options) as the probe's do: a server whose group drops the tasks'
// udp/53 queries stops them before any connection is tried.
func TestStartPathCustomDNSServer(t *testing.T) {
	const story = "examples/failures/analyzer-only/custom-dns-server-sg-task-subnets.yaml"
	e := storyEngine(t, story)
	r := probeSpec(t, compileEngine(e), "internet", "billing-alb:80", "tcp")
	if r.Verdict != "http 503" {
		t.Fatalf("verdict %s, want http 503: %s", r.Verdict, r.Summary)
	}
	var sf *StartFailure
	for _, x := range r.Explanations {
		if x.Code == CodeImagePullFailed && x.Tasks != nil && x.Tasks.Failure != nil {
			sf = x.Tasks.Failure
		}
	}
	if sf == nil || sf.Blocked == nil || sf.Blocked.Code != CodeDNSServerUnreachable || sf.Blocked.Component == nil || sf.Blocked.Component.Name != "dns-sg" {
		t.Fatalf("start failure %+v: want %s decided by dns-sg", sf, CodeDNSServerUnreachable)
	}
	if !strings.Contains(sf.Reason, "lookup api.ecr.us-east-1.amazonaws.com: i/o timeout") {
		t.Errorf("reason %q: want a failed lookup, not a dial to an address", sf.Reason)
	}
	// The server admits the tasks' group: the tasks start.
	fixed := storyEngine(t, story, "{protocol: udp, ports: 53, cidr: 10.40.1.0/24}", "{protocol: udp, ports: 53, cidr: 10.40.0.0/16}")
	if r := probeSpec(t, compileEngine(fixed), "internet", "billing-alb:80", "tcp"); r.Verdict != "http 200" {
		t.Errorf("with the server admitting the VPC: verdict %s, want http 200: %s", r.Verdict, r.Summary)
	}
	// A server on a stopped instance answers nothing either.
	st := stateOf(fixed)
	for _, i := range st.Instances {
		i.State = model.InstanceStopped
	}
	for _, tk := range st.Tasks {
		if f := TaskStartFailure(st, tk); f == nil || f.Blocked == nil || f.Blocked.Code != CodeDNSServerUnreachable {
			t.Errorf("DNS server stopped: start failure %+v, want %s", f, CodeDNSServerUnreachable)
		}
		break
	}
}

// An environment file comes from its bucket's region when the state
// holds the bucket: the VPC's S3 gateway endpoint does not serve a bucket
// of another region.
func TestEnvFileBucketRegion(t *testing.T) {
	const story = "examples/failures/analyzer-only/env-files-bucket-other-region-gateway.yaml"
	r := probeSpec(t, compileEngine(storyEngine(t, story)), "internet", "billing-alb:80", "tcp")
	if r.Verdict != "http 503" || !r.HasCode(CodeEnvFilesUnreachable) {
		t.Fatalf("verdict %s %s, want http 503 with %s: %s", r.Verdict, codeList(r), CodeEnvFilesUnreachable, r.Summary)
	}
	for _, x := range r.Explanations {
		if x.Tasks != nil && x.Tasks.Failure != nil {
			if f := x.Tasks.Failure; f.ServiceRegion != "eu-west-1" || !strings.Contains(f.Why, "environment file's bucket is in eu-west-1") {
				t.Errorf("failure region %q, why %q: want eu-west-1 and the bucket named", f.ServiceRegion, f.Why)
			}
		}
	}
	for _, edit := range [][2]string{
		{"acme-platform-config: {region: eu-west-1}", "acme-platform-config: {region: us-east-1}"},
		{"acme-platform-config: {region: eu-west-1}", "other-bucket: {region: eu-west-1}"}, // not held: the VPC's region
	} {
		r := probeSpec(t, compileEngine(storyEngine(t, story, edit[0], edit[1])), "internet", "billing-alb:80", "tcp")
		if r.Verdict != "http 200" {
			t.Errorf("%s: verdict %s, want http 200: %s", edit[1], r.Verdict, r.Summary)
		}
	}
}

// Exposure lists what an endpoint service exposes, to which principals,
// through which endpoints.
func TestPrivateLinkExposure(t *testing.T) {
	e := storyEngine(t, "examples/failures/analyzer-only/privatelink-pending-acceptance.yaml")
	st := stateOf(e)
	var id model.EndpointServiceID
	for k := range st.EndpointServices {
		id = k
	}
	if _, err := e.ModifyEndpointServicePermissions(id, []string{"arn:aws:iam::111122223333:root"}, nil); err != nil {
		t.Fatal(err)
	}
	rep := Exposure(compileEngine(e))
	if len(rep.PrivateLink) != 1 {
		t.Fatalf("privateLink %+v: want the ledger service", rep.PrivateLink)
	}
	x := rep.PrivateLink[0]
	if x.Service.ID != string(id) || len(x.LoadBalancers) != 1 || x.LoadBalancers[0].Name != "ledger-nlb" || strings.Join(x.Listeners, ",") != "TCP:8443" ||
		!x.AcceptanceRequired || x.InboundRules != "enforced" || strings.Join(x.Principals, ",") != "arn:aws:iam::111122223333:root" {
		t.Errorf("entry %+v", x)
	}
	if len(x.Endpoints) != 1 || x.Endpoints[0].Endpoint.Name != "ledger-endpoint" || x.Endpoints[0].State != "pendingAcceptance" ||
		x.Endpoints[0].VPC != "orders-vpc" || strings.Join(x.Endpoints[0].Zones, ",") != "us-east-1a" || len(x.Endpoints[0].SecurityGroups) != 1 {
		t.Errorf("endpoints %+v", x.Endpoints)
	}
	if !strings.Contains(x.Summary, "arn:aws:iam::111122223333:root") || !strings.Contains(x.Summary, "pendingAcceptance") ||
		!strings.Contains(rep.Summary, "1 endpoint service exposes") {
		t.Errorf("summaries %q / %q", x.Summary, rep.Summary)
	}
	// A system without endpoint services reports none.
	if rep := Exposure(compileEngine(article(t))); len(rep.PrivateLink) != 0 || strings.Contains(rep.Summary, "PrivateLink") {
		t.Errorf("the article: %+v %q", rep.PrivateLink, rep.Summary)
	}
}
