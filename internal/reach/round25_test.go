package reach

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// buildStory builds a story of examples/failures without its expectations,
// with the analyzer's start and register checks.
func buildStory(t *testing.T, file string) *Network {
	t.Helper()
	path := repoFile("examples/failures/" + file)
	data := readFile(t, path)
	data = data[:strings.Index(data, "\nexpect:")]
	sc, err := scenario.Parse(path, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(StartCheck), engine.WithRegisterCheck(RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	return compileEngine(b.Engine)
}

// aws/amazon-ecs-agent#2985: container instances whose only way out is
// an egress-only internet gateway cannot register, and the reason names
// the agent's IPv4 calls, not a task's start path.
func TestAgentIPv6EgressOnly(t *testing.T) {
	n := buildStory(t, "ecs-agent-ipv6-egress-only.yaml")
	if len(n.st.Instances) == 0 {
		t.Fatal("no instances")
	}
	for _, inst := range n.st.Instances {
		f := InstanceRegisterFailure(n.st, inst)
		if f == nil || f.Code != CodeAgentCannotRegister {
			t.Fatalf("instance %s: %+v, want %s", inst.ID, f, CodeAgentCannotRegister)
		}
		if !strings.Contains(f.Why, "egress-only internet gateway") || !strings.Contains(f.Why, "the ECS agent calls ECS's IPv4 endpoints") || strings.Contains(f.Why, "task's start path") {
			t.Errorf("why %q", f.Why)
		}
	}
}

// techservicesillinois/terraform-aws-ecs-service#14, aws/amazon-ecs-cli#944:
// a Cloud Map public DNS namespace answers the internet with the task's
// private address, so a client there gets nowhere, while the task answers
// on its public IP; inside the VPC the name reaches the task.
func TestCloudMapPublicNamespace(t *testing.T) {
	n := buildStory(t, "cloud-map-public-namespace-private-ip.yaml")
	r := probeSpec(t, n, "internet", "fargate.discover.example.com:80", "tcp")
	check(t, r, NoRoute, CodeNoRouteToDestination)
	var x Explanation
	for _, e := range r.Explanations {
		if e.Code == CodeDNSPublicToPrivate {
			x = e
		}
	}
	if !strings.Contains(x.Message, "Cloud Map public DNS namespace discover.example.com") || !strings.Contains(x.Message, "to the task's private address 10.0.1.") {
		t.Errorf("note %q", x.Message)
	}
	if r.HasCode(CodeTaskNoPublicIP) {
		t.Errorf("the task has a public IP, yet %s: %+v", CodeTaskNoPublicIP, r.Explanations)
	}
	checkClean(t, probeSpec(t, n, "internet", "web/0:80", "tcp"), Connected)
	// The task's private address from the internet: no route, and the
	// reason names its public IP, not a disabled assignPublicIp.
	var private, public string
	for _, tk := range n.tasks {
		if tk.name == "web/0" && tk.eni != nil {
			private, public = tk.eni.primary.String(), tk.eni.public.String()
		}
	}
	r = probeSpec(t, n, "internet", private+":80", "tcp")
	check(t, r, NoRoute, CodeTaskPrivateAddress)
	if r.HasCode(CodeTaskNoPublicIP) || !strings.Contains(r.Explanations[len(r.Explanations)-1].Message, "by its public IP "+public) {
		t.Errorf("private address %s from the internet: %+v", private, r.Explanations)
	}
	// The same name from a task of the VPC: the private address serves.
	r = probeSpec(t, n, "web/0", "fargate.discover.example.com:80", "tcp")
	if r.Verdict != Connected || r.HasCode(CodeDNSPublicToPrivate) {
		t.Errorf("from the VPC: %s %+v", r.Verdict, r.Explanations)
	}
}

// awsdocs/amazon-ecs-developer-guide#3: a probe of a service by its Cloud
// Map name, one of whose tasks ECS cannot place for want of an ENI: the
// placed task answers, and the probe says why the other is missing, as a
// probe through a load balancer does.
func TestServiceNameShortOfTasks(t *testing.T) {
	n := buildStory(t, "eni-limit-service-discovery.yaml")
	r := probeSpec(t, n, "client", "backend.tutorial:8080", "tcp")
	if r.Verdict != Connected || !r.HasCode(CodeENICapacity) {
		t.Fatalf("%s %+v, want connected with %s", r.Verdict, r.Explanations, CodeENICapacity)
	}
	for _, e := range r.Explanations {
		if e.Code == CodeENICapacity && !strings.Contains(e.Message, "runs 1 of its 2 tasks") {
			t.Errorf("message %q", e.Message)
		}
	}
}

// aws/containers-roadmap#2344: a client outside ECS (a Lambda function's
// ENI) cannot resolve a Service Connect name; the reason says how such a
// client finds the tasks (DiscoverInstances, the container port), and the
// tasks' addresses on that port serve it.
func TestServiceConnectOutsideClient(t *testing.T) {
	n := buildStory(t, "analyzer-only/service-connect-lambda-client.yaml")
	r := probeSpec(t, n, "lambda-eni", "ledger.shop:80", "tcp")
	x := check(t, r, NXDomain, CodeServiceConnectNoProxy)[CodeServiceConnectNoProxy]
	if !strings.Contains(x.Message, "DiscoverInstances (namespace shop, service ledger)") || !strings.Contains(x.Message, "container port 8080") {
		t.Errorf("message %q", x.Message)
	}
	checkClean(t, probeSpec(t, n, "lambda-eni", "ledger/0:8080", "tcp"), Connected)
}

// aws-samples/aws-secure-environment-accelerator#809: private hosted
// zones named after the endpoints' services answer nothing for the names
// the tasks ask; named as the clients ask (api.ecr…, and dkr.ecr… with a
// wildcard record), with alias records to the endpoints, they serve the
// start path without private DNS on the endpoints.
func TestEndpointZones(t *testing.T) {
	n := buildStory(t, "endpoint-zones-misnamed.yaml")
	r := probeSpec(t, n, "internet", "api-alb:80", "tcp")
	if r.Verdict != HTTP503 || !r.HasCode(CodeImagePullFailed) {
		t.Fatalf("%s %+v", r.Verdict, r.Explanations)
	}
	var why string
	for _, tk := range n.st.Tasks {
		if f := TaskStartFailure(n.st, tk); f != nil {
			why = f.Why
		}
	}
	if !strings.Contains(why, "the private hosted zone ecr.api.ca-central-1.amazonaws.com") || !strings.Contains(why, "name it api.ecr.ca-central-1.amazonaws.com") {
		t.Errorf("why %q", why)
	}

	path := repoFile("examples/failures/endpoint-zones-misnamed.yaml")
	data := readFile(t, path)
	data = data[:strings.Index(data, "\nexpect:")]
	for _, e := range [][2]string{
		{"  ecr.api.ca-central-1.amazonaws.com:", "  api.ecr.ca-central-1.amazonaws.com:"},
		{"  ecr.dkr.ca-central-1.amazonaws.com:\n    vpcs: [main]\n    records: {\"@\": {alias: ecr-dkr}}", "  dkr.ecr.ca-central-1.amazonaws.com:\n    vpcs: [main]\n    records: {\"*\": {alias: ecr-dkr}}"},
	} {
		if !strings.Contains(data, e[0]) {
			t.Fatalf("edit %q: not in the story", e[0])
		}
		data = strings.Replace(data, e[0], e[1], 1)
	}
	for _, wildcard := range []bool{true, false} {
		d := data
		if !wildcard {
			// The apex only: <account>.dkr.ecr… has no record.
			d = strings.Replace(d, `records: {"*": {alias: ecr-dkr}}`, `records: {"@": {alias: ecr-dkr}}`, 1)
		}
		sc, err := scenario.Parse(path, []byte(d))
		if err != nil {
			t.Fatal(err)
		}
		b, err := sc.Build(engine.WithStartCheck(StartCheck), engine.WithRegisterCheck(RegisterCheck))
		if err != nil {
			t.Fatal(err)
		}
		r := probeSpec(t, compileEngine(b.Engine), "internet", "api-alb:80", "tcp")
		switch {
		case wildcard && r.Verdict != HTTP200:
			t.Errorf("zones named as the clients ask: %s %+v", r.Verdict, r.Explanations)
		case !wildcard && r.Verdict != HTTP503:
			t.Errorf("no wildcard record for the registry: %s, want 503", r.Verdict)
		}
	}
}

// A load balancer group whose only rule for the listener's port admits
// the group itself, which no interface but the load balancer's nodes has,
// admits no client: ECS_LB_SG_CLOSES_LISTENER, as for a group without
// the rule. A rule from a group the container instances have admits them.
func TestLBListenerSelfOnlyGroup(t *testing.T) {
	data := readFile(t, repoFile("examples/seed/alb.yaml"))
	lint := func(rule string) []Finding {
		t.Helper()
		text := strings.Replace(data, "      - {protocol: tcp, ports: 80, cidr: 0.0.0.0/0}", "      - "+rule, 1)
		if text == data {
			t.Fatal("alb.yaml has no such rule")
		}
		path := filepath.Join(t.TempDir(), "alb.yaml")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		var out []Finding
		for _, f := range Lint(compileEngine(build(t, path))) {
			if f.Code == CodeLBListenerClosed {
				out = append(out, f)
			}
		}
		return out
	}
	if fs := lint("{protocol: tcp, ports: 80, group: alb-sg}"); len(fs) != 1 || !strings.Contains(fs[0].Message, "admits tcp/80") {
		t.Errorf("a group that admits only itself: %+v, want one %s", fs, CodeLBListenerClosed)
	}
	if fs := lint("{protocol: tcp, ports: 80, group: instance-sg}"); len(fs) != 0 {
		t.Errorf("a group the instances have: %+v, want none", fs)
	}
}
