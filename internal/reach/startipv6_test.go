package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// ipv6OnlyStart builds the working IPv6-only story with its text changed
// by edit and returns the start failure of the service's first task.
func ipv6OnlyStart(t *testing.T, edit func(string) string) *StartFailure {
	t.Helper()
	text := edit(readRepoFile(t, "examples/failures/analyzer-only/ipv6-only-ecr-dualstack-pull.yaml"))
	st := stateOf(buildFromText(t, text))
	return TaskStartFailure(st, taskNamed(t, st, "api/0"))
}

func replaceOnce(t *testing.T, old, new string) func(string) string {
	return func(s string) string {
		t.Helper()
		if strings.Count(s, old) != 1 {
			t.Fatalf("%q is not once in the story", old)
		}
		return strings.Replace(s, old, new, 1)
	}
}

// An IPv6-only task pulls an ECR image by the registry's dual-stack name
// over IPv6, with its secret and its awslogs stream, through an
// egress-only gateway: it starts.
func TestIPv6OnlyDualStackPullStarts(t *testing.T) {
	if f := ipv6OnlyStart(t, func(s string) string { return s }); f != nil {
		t.Fatalf("start failure %+v", f)
	}
}

// The same task by the registry's IPv4-only name stops at the manifest
// (registry auth, by ECR's dual-stack API name, went through): the name
// has no IPv6 address and DNS64 is off. The failure names the
// dual-stack image, and the fix hint says to pull by it.
func TestIPv6OnlyClassicECRURIFails(t *testing.T) {
	f := ipv6OnlyStart(t, replaceOnce(t, "123456789012.dkr-ecr.us-east-1.on.aws/api:7", "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:7"))
	if f == nil || f.Code != CodeImagePullFailed || f.Service != "ecr.dkr" || f.Blocked == nil || f.Blocked.Code != CodeIPv6OnlyNoNAT64 {
		t.Fatalf("start failure %+v", f)
	}
	if f.DualStackImage != "123456789012.dkr-ecr.us-east-1.on.aws/api:7" || f.Image != "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:7" {
		t.Errorf("images %q → %q", f.Image, f.DualStackImage)
	}
	if !strings.HasPrefix(f.Reason, "CannotPullContainerError: pull image manifest has been retried 5 time(s)") ||
		!strings.Contains(f.Reason, `Head "https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/api/manifests/7"`) {
		t.Errorf("reason %q", f.Reason)
	}
	if strings.Contains(f.Why, "goes over IPv4") {
		t.Errorf("an IPv6-only subnet's start path is said to go over IPv4: %s", f.Why)
	}
	if h := StartFixHint(f); !strings.Contains(h, "dual-stack registry name, 123456789012.dkr-ecr.us-east-1.on.aws/api:7") {
		t.Errorf("hint %q", h)
	}
	// DNS64 and NAT64 carry the IPv4 name instead: no failure to tell.
	text := strings.Replace(readRepoFile(t, "examples/failures/analyzer-only/ipv6-only-ecr-dualstack-pull.yaml"), "123456789012.dkr-ecr.us-east-1.on.aws/api:7", "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:7", 1)
	text = strings.Replace(text, "route_table: app}\n  app-b:", "route_table: app, dns64: true}\n  app-b:", 1)
	text = strings.Replace(text, "route_tables:\n", "  public-a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public}\nroute_tables:\n  public: {vpc: main, routes: [{destination: 0.0.0.0/0, target: igw}]}\n", 1)
	text = strings.Replace(text, `routes: [{destination: "::/0", target: eigw}]}`, `routes: [{destination: "::/0", target: eigw}, {destination: "64:ff9b::/96", target: nat}]}`+"\nelastic_ips:\n  nat-eip: {}\nnat_gateways:\n  nat: {subnet: public-a, elastic_ip: nat-eip}", 1)
	st := stateOf(buildFromText(t, text))
	if f := TaskStartFailure(st, taskNamed(t, st, "api/0")); f != nil {
		t.Errorf("with DNS64 and NAT64: start failure %+v", f)
	}
}

// Without the ::/0 route the dual-stack names have no way out either:
// registry auth, the first step, fails over IPv6 and its text names ECR's
// dual-stack API name and an IPv6 address.
func TestIPv6OnlyDualStackNoRoute(t *testing.T) {
	f := ipv6OnlyStart(t, replaceOnce(t, `app: {vpc: main, routes: [{destination: "::/0", target: eigw}]}`, `app: {vpc: main, routes: []}`))
	if f == nil || f.Code != CodeImagePullFailed || f.Service != "ecr.api" {
		t.Fatalf("start failure %+v", f)
	}
	if !strings.Contains(f.Reason, `Post "https://ecr.us-east-1.api.aws/": dial tcp [2001:db8:0:2::1e]:443`) {
		t.Errorf("reason %q", f.Reason)
	}
	if !strings.Contains(f.Why, "by its dual-stack name ecr.us-east-1.api.aws, over IPv6") {
		t.Errorf("why %q", f.Why)
	}
	if h := StartFixHint(f); !strings.HasPrefix(h, "route ::/0 from the subnet") || strings.Contains(h, "0.0.0.0/0") {
		t.Errorf("hint %q", h)
	}
}

// A security group without IPv6 egress stops the dual-stack pull at the
// group, which is the cause on its own.
func TestIPv6OnlyDualStackGroupEgress(t *testing.T) {
	f := ipv6OnlyStart(t, replaceOnce(t, "api-sg: {vpc: main}", `api-sg: {vpc: main, egress: [{protocol: all, cidr: 0.0.0.0/0}]}`))
	if f == nil || f.Blocked == nil || f.Blocked.Code != CodeSGRulesMismatch {
		t.Fatalf("start failure %+v", f)
	}
	if strings.Contains(f.Why, "needs a route for ::/0") {
		t.Errorf("a group's refusal is said to want a route: %s", f.Why)
	}
}

// ECR Public answers over IPv6 by its dual-stack name ecr-public.aws.com
// only; Docker Hub's registry is IPv4 only: from the IPv6-only subnet
// without DNS64 those fail with the NAT64 finding.
func TestIPv6OnlyPublicRegistries(t *testing.T) {
	for _, c := range []struct {
		image string
		ok    bool
	}{
		{"ecr-public.aws.com/docker/library/nginx:1.27", true},
		{"public.ecr.aws/docker/library/nginx:1.27", false},
		{"nginx:1.27", false},
	} {
		f := ipv6OnlyStart(t, replaceOnce(t, "123456789012.dkr-ecr.us-east-1.on.aws/api:7", c.image))
		if c.ok != (f == nil) {
			t.Errorf("%s: start failure %+v", c.image, f)
			continue
		}
		if !c.ok && (f.Blocked == nil || f.Blocked.Code != CodeIPv6OnlyNoNAT64 || f.DualStackImage != "") {
			t.Errorf("%s: start failure %+v", c.image, f)
		}
	}
}

// A dual-stack subnet (IPv4 and IPv6) whose only way out is the
// egress-only gateway still fails by the dual-stack name: the task has an
// IPv4 address and Fargate pulls over IPv4 there (aws/containers-roadmap#2792).
func TestDualStackSubnetDualStackURIStillIPv4(t *testing.T) {
	f := ipv6OnlyStart(t, func(s string) string {
		s = strings.Replace(s, "app-a: {vpc: main, az: us-east-1a, ipv6: 11, ipv6_native: true,", "app-a: {vpc: main, cidr: 10.0.11.0/24, az: us-east-1a, ipv6: 11, assign_ipv6_on_creation: true,", 1)
		return strings.Replace(s, "app-b: {vpc: main, az: us-east-1b, ipv6: 12, ipv6_native: true,", "app-b: {vpc: main, cidr: 10.0.12.0/24, az: us-east-1b, ipv6: 12, assign_ipv6_on_creation: true,", 1)
	})
	if f == nil || f.Code != CodeImagePullFailed || !strings.Contains(f.Why, "goes over IPv4") {
		t.Fatalf("start failure %+v", f)
	}
}

func TestDualStackImageRef(t *testing.T) {
	for in, want := range map[string]string{
		"123456789012.dkr.ecr.us-east-1.amazonaws.com/api:7":          "123456789012.dkr-ecr.us-east-1.on.aws/api:7",
		"123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/a/b@x": "123456789012.dkr-ecr-fips.us-gov-west-1.on.aws/a/b@x",
		"123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/api":        "123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn/api",
		"123456789012.dkr-ecr.us-east-1.on.aws/api:7":                 "",
		"public.ecr.aws/nginx/nginx":                                  "",
		"nginx":                                                       "",
	} {
		if got := DualStackImageRef(in); got != want {
			t.Errorf("DualStackImageRef(%q) = %q, want %q", in, got, want)
		}
		if want != "" && (model.ECRRegistryRegion(strings.Split(want, "/")[0]) != model.ECRRegistryRegion(strings.Split(in, "/")[0]) || !model.ECRDualStack(strings.Split(want, "/")[0])) {
			t.Errorf("%s: the dual-stack host is not the same registry's", want)
		}
	}
}

// A Docker Hub image needs no registry auth, so the secret is the first
// call: from the IPv6-only subnet without a way out, its error names
// Secrets Manager's dual-stack name and an IPv6 address.
func TestIPv6OnlySecretDualStackName(t *testing.T) {
	f := ipv6OnlyStart(t, func(s string) string {
		s = strings.Replace(s, `app: {vpc: main, routes: [{destination: "::/0", target: eigw}]}`, `app: {vpc: main, routes: []}`, 1)
		return strings.Replace(s, "123456789012.dkr-ecr.us-east-1.on.aws/api:7", "nginx:1.27", 1)
	})
	if f == nil || f.Code != CodeSecretsUnreachable {
		t.Fatalf("start failure %+v", f)
	}
	if !strings.Contains(f.Reason, `Post "https://secretsmanager.us-east-1.api.aws/": dial tcp [2001:db8:0:2::3c]:443`) {
		t.Errorf("reason %q", f.Reason)
	}
}

// A probe by a dual-stack name from an IPv6-only task goes where its
// start path goes: over IPv6 through the egress-only gateway; the
// registry's IPv4-only name needs NAT64. From a dual-stack task the
// dual-stack name answers an IPv6 probe (--ipv6) too.
func TestProbeDualStackNames(t *testing.T) {
	st := stateOf(buildFromText(t, readRepoFile(t, "examples/failures/analyzer-only/ipv6-only-ecr-dualstack-pull.yaml")))
	n := Compile(st)
	for _, to := range []string{"123456789012.dkr-ecr.us-east-1.on.aws:443", "ecr.us-east-1.api.aws:443", "logs.us-east-1.api.aws:443", "ecr-public.aws.com:443", "444455556666.dkr-ecr.eu-west-1.on.aws:443"} {
		r := probeSpec(t, n, "api", to, "tcp")
		if r.Verdict != Connected || len(r.Forward) == 0 || !r.Forward[0].Packet.Destination.Is6() {
			t.Errorf("%s: %s %s", to, r.Verdict, r.Summary)
		}
	}
	for _, to := range []string{"123456789012.dkr.ecr.us-east-1.amazonaws.com:443", "public.ecr.aws:443", "registry-1.docker.io:443"} {
		check(t, probeSpec(t, n, "api", to, "tcp"), NoRoute, CodeIPv6OnlyNoNAT64)
	}
	if r := probeV6(t, dualStack(t), "worker/0", "123456789012.dkr-ecr.us-east-1.on.aws:443"); r.Verdict != Connected || len(r.Forward) == 0 || !r.Forward[0].Packet.Destination.Is6() {
		t.Errorf("--ipv6 to a dual-stack name from a dual-stack task: %s %s", r.Verdict, r.Summary)
	}
}

// ECS container instances of IPv6-only subnets: the agent detects the
// IPv6-only configuration by the instance's default routes and registers
// with ECS by its dual-stack name over IPv6, through the egress-only
// gateway. Without the ::/0 route it cannot, and says so with ECS's
// dual-stack name and an IPv6 address.
func TestIPv6OnlyInstanceRegisters(t *testing.T) {
	story := readRepoFile(t, "examples/failures/ecs-agent-ipv6-egress-only.yaml")
	story = strings.Replace(story, "private-a: {vpc: main, cidr: 10.0.11.0/24, ipv6: 11, assign_ipv6_on_creation: true,", "private-a: {vpc: main, ipv6: 11, ipv6_native: true,", 1)
	story = strings.Replace(story, "private-b: {vpc: main, cidr: 10.0.12.0/24, ipv6: 12, assign_ipv6_on_creation: true,", "private-b: {vpc: main, ipv6: 12, ipv6_native: true,", 1)
	story = strings.Replace(story, "public.ecr.aws/nginx/nginx:1.27", "123456789012.dkr-ecr.us-east-1.on.aws/web:1", 1)
	for _, c := range []struct {
		name, routes string
		fails        bool
	}{
		{"egress-only gateway", "", false},
		{"no way out", `      - {destination: "::/0", target: eigw}     # no 0.0.0.0/0: the NAT gateway is gone` + "\n", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := story
			if c.routes != "" {
				if strings.Count(text, c.routes) != 1 {
					t.Fatal("the story's ::/0 route moved")
				}
				text = strings.Replace(text, c.routes, "      []\n", 1)
				text = strings.Replace(text, "    routes:\n      []\n", "    routes: []\n", 1)
			}
			st := stateOf(buildFromText(t, text))
			var f *StartFailure
			n := 0
			for _, inst := range st.Instances {
				if sn := st.Subnets[inst.SubnetID]; sn != nil && sn.IPv6Native {
					n++
					if g := InstanceRegisterFailure(st, inst); g != nil {
						f = g
					}
				}
			}
			if n == 0 {
				t.Fatal("no instance in the IPv6-only subnets")
			}
			if !c.fails {
				if f != nil {
					t.Fatalf("register failure %+v", f)
				}
				return
			}
			if f == nil || f.Code != CodeAgentCannotRegister || !strings.Contains(f.Reason, `Post "https://ecs.us-east-1.api.aws/": dial tcp [2001:db8:0:2::5a]:443: i/o timeout`) {
				t.Fatalf("register failure %+v", f)
			}
		})
	}
}

// An interface endpoint with private DNS of IP address type ipv4 answers
// the service's names with A records only: an IPv6-only task cannot use
// it (it was traced as an IPv6 packet to the endpoint's IPv4 address,
// "denied from invalid IP").
func TestIPv6OnlyIPv4Endpoint(t *testing.T) {
	f := ipv6OnlyStart(t, func(s string) string {
		s = strings.Replace(s, "ipv6: true, internet_gateway: igw}", "ipv6: true, dns_hostnames: true, internet_gateway: igw}", 1)
		s = strings.Replace(s, "route_tables:\n", "  ep-a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, route_table: app}\nroute_tables:\n", 1)
		return strings.Replace(s, "clusters:\n", "vpc_endpoints:\n  ecr-api: {vpc: main, service: ecr.api, subnets: [ep-a], security_groups: [api-sg]}\nclusters:\n", 1)
	})
	if f == nil || f.Service != "ecr.api" || f.Blocked == nil || f.Blocked.Code != CodeNoIPv6Address || !strings.Contains(f.Why, "has the IP address type ipv4: its network interfaces have IPv4 addresses only") {
		t.Fatalf("start failure %+v", f)
	}
	if h := StartFixHint(f); !strings.HasPrefix(h, "make the interface endpoint dualstack") {
		t.Errorf("hint %q", h)
	}
}
