package reach

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// bpaBase is a dual-stack VPC with every way to the internet VPC Block
// Public Access governs: an instance with a public IP in a public subnet
// (the internet gateway, both ways), an instance in a private subnet
// behind a NAT gateway (IPv4 out) and an egress-only internet gateway
// (IPv6 out), and an internet-facing ALB in two public subnets.
const bpaBase = `
name: bpa
vpcs:
  main: {cidr: 10.0.0.0/16, ipv6: true, internet_gateway: igw}
egress_only_gateways:
  eigw: {vpc: main}
subnets:
  public-a: {vpc: main, cidr: 10.0.1.0/24, ipv6: 1, az: us-east-1a, route_table: public}
  public-b: {vpc: main, cidr: 10.0.2.0/24, ipv6: 2, az: us-east-1b, route_table: public}
  private-a: {vpc: main, cidr: 10.0.11.0/24, ipv6: 11, az: us-east-1a, route_table: private}
elastic_ips:
  nat-eip: {address: 198.51.100.20}
nat_gateways:
  nat-a: {subnet: public-a, elastic_ip: nat-eip}
route_tables:
  public:
    vpc: main
    routes: [{destination: 0.0.0.0/0, target: igw}]
  private:
    vpc: main
    routes:
      - {destination: 0.0.0.0/0, target: nat-a}
      - {destination: "::/0", target: eigw}
security_groups:
  open: {vpc: main, ingress: [{protocol: tcp, ports: 22, cidr: 0.0.0.0/0}, {protocol: tcp, ports: 80, cidr: 0.0.0.0/0}]}
instances:
  pub: {subnet: public-a, instance_type: t3.micro, security_groups: [open], public_ip: 198.51.100.5}
  priv: {subnet: private-a, instance_type: t3.micro, security_groups: [open], ipv6_addresses: 1}
load_balancers:
  alb:
    subnets: [public-a, public-b]
    security_groups: [open]
    listeners: [{port: 80, fixed_response: 200}]
`

// bpaPaths are the probes: the internet to the instance's public IP, the
// instance out on its public IP, the private instance out through the
// NAT gateway and (IPv6) through the egress-only gateway, and the
// internet to the ALB.
var bpaPaths = []struct {
	name, from, to string
	v6             bool
}{
	{"in-igw", "internet", "pub:22", false},
	{"out-igw", "pub", "203.0.113.50:443", false},
	{"out-nat", "priv", "203.0.113.50:443", false},
	{"out-eigw", "priv", "[2001:db8::50]:443", true},
	{"in-alb", "internet", "alb:80", false},
}

// Each mode × exclusion: which of bpaPaths get through (1) and which
// VPC Block Public Access drops (0), in bpaPaths' order; "-" is not
// checked. The rules are security-vpc-bpa.html's: bidirectional blocks
// every path through the internet and egress-only gateways (NAT
// gateways' too); ingress-only blocks everything but what leaves through
// a NAT gateway or an egress-only gateway; allow-bidirectional lifts the
// block, allow-egress lifts it for connections started inside and only in
// bidirectional mode. A NAT gateway's traffic crosses the internet
// gateway from the NAT gateway's subnet, an ALB's from its nodes'.
func TestBlockPublicAccessMatrix(t *testing.T) {
	cases := []struct {
		name, mode, exclusions, want string
	}{
		{"off", "off", "", "11111"},
		{"bidirectional", "block-bidirectional", "", "00000"},
		{"bidirectional, public-a allow-egress", "block-bidirectional", "{subnet: public-a, mode: allow-egress}", "0110-"},
		{"bidirectional, private-a allow-egress", "block-bidirectional", "{subnet: private-a, mode: allow-egress}", "00010"},
		{"bidirectional, public subnets allow-bidirectional", "block-bidirectional",
			"{subnet: public-a, mode: allow-bidirectional}\n  x2: {subnet: public-b, mode: allow-bidirectional}", "11101"},
		{"bidirectional, VPC allow-egress", "block-bidirectional", "{vpc: main, mode: allow-egress}", "01110"},
		{"bidirectional, VPC allow-bidirectional", "block-bidirectional", "{vpc: main, mode: allow-bidirectional}", "11111"},
		{"bidirectional, VPC allow-bidirectional, public-a allow-egress", "block-bidirectional",
			"{vpc: main, mode: allow-bidirectional}\n  x2: {subnet: public-a, mode: allow-egress}", "0111-"},
		{"ingress", "block-ingress", "", "00110"},
		{"ingress, public-a allow-egress", "block-ingress", "{subnet: public-a, mode: allow-egress}", "00110"},
		{"ingress, public subnets allow-bidirectional", "block-ingress",
			"{subnet: public-a, mode: allow-bidirectional}\n  x2: {subnet: public-b, mode: allow-bidirectional}", "11111"},
	}
	dir := t.TempDir()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			y := bpaBase + "block_public_access: " + c.mode + "\n"
			if c.exclusions != "" {
				y += "block_public_access_exclusions:\n  x1: " + c.exclusions + "\n"
			}
			path := filepath.Join(dir, "bpa"+string(rune('a'+i))+".yaml")
			if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
				t.Fatal(err)
			}
			n := compileEngine(build(t, path))
			if n.bpaMode != c.mode {
				t.Fatalf("mode in force %q, want %q", n.bpaMode, c.mode)
			}
			for j, p := range bpaPaths {
				if c.want[j] == '-' {
					continue
				}
				q, err := NewQuery(n, p.from, p.to, "tcp")
				if err != nil {
					t.Fatal(err)
				}
				q.IPv6 = p.v6
				r := Probe(n, q)
				blocked := r.HasCode(CodeVPCBlockPublicAccess)
				if c.want[j] == '1' && (!r.Reachable || blocked) {
					t.Errorf("%s (%s → %s): %s, want through\n%s", p.name, p.from, p.to, r.Verdict, r.Summary)
				}
				if c.want[j] == '0' && (r.Reachable || !blocked || r.Verdict != Timeout) {
					t.Errorf("%s (%s → %s): %s (blocked by BPA %v), want a timeout with %s\n%s", p.name, p.from, p.to, r.Verdict, blocked, CodeVPCBlockPublicAccess, r.Summary)
				}
				if c.want[j] == '0' && blocked {
					for _, x := range r.Blocking() {
						if x.Code == CodeVPCBlockPublicAccess && (!strings.Contains(x.Message, c.mode) || !strings.Contains(x.Message, "exclusion")) {
							t.Errorf("%s: message %q names neither the mode nor the exclusion", p.name, x.Message)
						}
					}
				}
			}
		})
	}
}

// The exclusion in force for a subnet: its own, else its VPC's; one
// being created is not yet in force, one being deleted still is.
func TestBPAExclusionFor(t *testing.T) {
	st := model.NewState("111122223333", "us-east-1")
	st.BPAExclusions["vpcbpa-exclude-1"] = &model.VpcBlockPublicAccessExclusion{ID: "vpcbpa-exclude-1", VpcID: "vpc-1", Mode: model.BPAAllowBidirectional, State: "create-complete"}
	st.BPAExclusions["vpcbpa-exclude-2"] = &model.VpcBlockPublicAccessExclusion{ID: "vpcbpa-exclude-2", SubnetID: "subnet-2", Mode: model.BPAAllowEgress, State: "delete-in-progress"}
	st.BPAExclusions["vpcbpa-exclude-3"] = &model.VpcBlockPublicAccessExclusion{ID: "vpcbpa-exclude-3", SubnetID: "subnet-3", Mode: model.BPAAllowEgress, State: "create-in-progress"}
	for _, c := range []struct {
		subnet model.SubnetID
		want   string
	}{{"subnet-1", model.BPAAllowBidirectional}, {"subnet-2", model.BPAAllowEgress}, {"subnet-3", model.BPAAllowBidirectional}} {
		if _, got := st.BPAExclusionFor("vpc-1", c.subnet); got != c.want {
			t.Errorf("%s: %q, want %q", c.subnet, got, c.want)
		}
	}
	// A replacement created while the old exclusion is being deleted
	// counts, whatever the map's order.
	st.BPAExclusions["vpcbpa-exclude-0"] = &model.VpcBlockPublicAccessExclusion{ID: "vpcbpa-exclude-0", SubnetID: "subnet-2", Mode: model.BPAAllowBidirectional, State: "create-complete"}
	for range 20 {
		if _, got := st.BPAExclusionFor("vpc-1", "subnet-2"); got != model.BPAAllowBidirectional {
			t.Fatalf("subnet-2 with a replacement: %q", got)
		}
	}
	delete(st.BPAExclusions, "vpcbpa-exclude-0")
	st.BPAOptions[model.BPAOptionsKey] = &model.VpcBlockPublicAccessOptions{Mode: model.BPABidirectional, State: "update-complete"}
	if got := st.BPAStateOf("vpc-1", "subnet-2"); got != model.BPAIngress {
		t.Errorf("subnet-2 reads %q, want block-ingress (allow-egress under block-bidirectional)", got)
	}
	if got := st.BPAStateOf("vpc-2", ""); got != model.BPABidirectional {
		t.Errorf("vpc-2 reads %q", got)
	}
}

// Exposure lists no way in that Block Public Access drops: under
// block-bidirectional the instance's public IP is not exposed and the
// ALB's listener fails with VPC_BLOCK_PUBLIC_ACCESS; with the public
// subnets excluded allow-bidirectional both are back.
func TestExposureBlockPublicAccess(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, extra string
		entries     bool
	}{
		{"blocked", "block_public_access: block-bidirectional\n", false},
		{"excluded", "block_public_access: block-bidirectional\nblock_public_access_exclusions:\n  a: {subnet: public-a, mode: allow-bidirectional}\n  b: {subnet: public-b, mode: allow-bidirectional}\n", true},
	} {
		path := filepath.Join(dir, c.name+".yaml")
		if err := os.WriteFile(path, []byte(bpaBase+c.extra), 0o644); err != nil {
			t.Fatal(err)
		}
		rep := Exposure(compileEngine(build(t, path)))
		if got := len(rep.Entries) > 0; got != c.entries {
			t.Errorf("%s: %d entries (%s), want entries %v", c.name, len(rep.Entries), rep.Summary, c.entries)
		}
		for _, x := range rep.Entries {
			if x.Kind == "instance" && !c.entries {
				t.Errorf("%s: %s exposed", c.name, x.Resource.Label())
			}
		}
		failing := len(rep.Failing) == 1 && rep.Failing[0].Cause == CodeVPCBlockPublicAccess
		if failing == c.entries {
			t.Errorf("%s: failing %+v", c.name, rep.Failing)
		}
	}
}

// BenchmarkBlockPublicAccessProbe measures what Block Public Access costs
// a probe out through the NAT gateway: off (one comparison) and
// block-bidirectional with the NAT gateway's subnet excluded among 50
// exclusions (the lookup walks them).
func BenchmarkBlockPublicAccessProbe(b *testing.B) {
	dir := b.TempDir()
	var vpcs, excl strings.Builder
	for i := range 49 {
		name := "f" + strconv.Itoa(i)
		vpcs.WriteString("  " + name + ": {cidr: 10." + strconv.Itoa(100+i) + ".0.0/16}\n")
		excl.WriteString("  " + name + ": {vpc: " + name + ", mode: allow-bidirectional}\n")
	}
	many := strings.Replace(bpaBase, "vpcs:\n", "vpcs:\n"+vpcs.String(), 1) +
		"block_public_access: block-bidirectional\nblock_public_access_exclusions:\n  nat: {subnet: public-a, mode: allow-egress}\n" + excl.String()
	for _, c := range []struct{ name, yaml string }{{"off", bpaBase}, {"bidirectional-50-exclusions", many}} {
		path := filepath.Join(dir, c.name+".yaml")
		if err := os.WriteFile(path, []byte(c.yaml), 0o644); err != nil {
			b.Fatal(err)
		}
		n := compileEngine(build(b, path))
		q, err := NewQuery(n, "priv", "203.0.113.50:443", "tcp")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if r := Probe(n, q); !r.Reachable {
					b.Fatal(r.Summary)
				}
			}
		})
	}
}
