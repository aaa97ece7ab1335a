package reach

import (
	"strings"
	"testing"
)

// natInstanceStory builds examples/failures/nat-instance-source-dest-check.yaml
// with a worker instance in private-a and each edit (old → new) applied.
func natInstanceStory(t *testing.T, edits ...string) *Network {
	t.Helper()
	return editedStory(t, "examples/failures/nat-instance-source-dest-check.yaml", append([]string{"\ninstances:\n", "\ninstances:\n  worker: {subnet: private-a, instance_type: t3.micro, security_groups: [task-sg]}\n"}, edits...)...)
}

const sdcOff = "    public_ip: true\n    source_dest_check: false\n"

func TestNATInstance(t *testing.T) {
	t.Run("source/destination check on: dropped at its ENI", func(t *testing.T) {
		n := natInstanceStory(t)
		r := probeSpec(t, n, "worker", "8.8.8.8:443", "tcp")
		x := check(t, r, Timeout, CodeENISourceDestCheck)[CodeENISourceDestCheck]
		if x.NetworkInterface == nil || !strings.Contains(x.Message, "source/destination checking is on") {
			t.Errorf("explanation %+v", x)
		}
	})
	t.Run("check off: forwarded, translated, and back the same way", func(t *testing.T) {
		n := natInstanceStory(t, "    public_ip: true\n", sdcOff)
		r := probeSpec(t, n, "worker", "8.8.8.8:443", "tcp")
		checkClean(t, r, Connected)
		var natHop, igwHop *Hop
		for i, h := range r.Forward {
			if h.Action == ActionTranslated && h.Component != nil && h.Component.Type == "network-interface" {
				natHop = &r.Forward[i]
			}
			if h.Action == ActionTranslated && h.Component != nil && h.Component.Type == "internet-gateway" {
				igwHop = &r.Forward[i]
			}
		}
		if natHop == nil || igwHop == nil || natHop.Packet.Source.String() != "10.0.1.4" || !isPublic(igwHop.Packet.Source) {
			t.Fatalf("translations: NAT %+v, IGW %+v", natHop, igwHop)
		}
		back := false
		for _, h := range r.Return {
			back = back || h.Action == ActionTranslated && h.Component != nil && h.Component.ID == natHop.Component.ID
		}
		if !back {
			t.Errorf("the reply does not come back through the NAT instance: %+v", r.Return)
		}
		// The tasks start through it: the load balancer answers.
		checkClean(t, probeSpec(t, n, "internet", "web-alb:80", "tcp"), HTTP200)
	})
	t.Run("its security group does not admit the private subnets", func(t *testing.T) {
		n := natInstanceStory(t, "    public_ip: true\n", sdcOff, "cidr: 10.0.0.0/16}]}", "cidr: 10.0.1.0/24}]}")
		r := probeSpec(t, n, "worker", "8.8.8.8:443", "tcp")
		check(t, r, Timeout, CodeSGRulesMismatch)
		if b := r.Blocking(); len(b) == 0 || !strings.HasPrefix(b[0].Message, "security group nat-sg of nat-box's ENI") {
			t.Errorf("blocked at %+v, want the NAT instance's ENI", b)
		}
	})
	t.Run("its security group admits nothing: the start path's fix names its range", func(t *testing.T) {
		n := natInstanceStory(t, "    public_ip: true\n", sdcOff, "nat-sg: {vpc: main, ingress: [{protocol: -1, cidr: 10.0.0.0/16}]}", "nat-sg: {vpc: main, ingress: []}")
		var f *StartFailure
		for _, tk := range n.st.Tasks {
			if f = TaskStartFailure(n.st, tk); f != nil {
				break
			}
		}
		if f == nil || f.Code != CodeImagePullFailed || f.NATInstance != "nat-box" || f.NATCIDR.String() != "10.0.0.0/16" {
			t.Fatalf("start failure %+v, want ECS_IMAGE_PULL_FAILED at the NAT instance nat-box", f)
		}
		if h := StartFixHint(f); !strings.Contains(h, "from the VPC's range 10.0.0.0/16") || !strings.Contains(h, "NAT instance nat-box") {
			t.Errorf("hint %q", h)
		}
		// An interface endpoint's group keeps its own advice.
		f.NATInstance = ""
		if h := StartFixHint(f); !strings.Contains(h, "(the interface endpoint's)") {
			t.Errorf("hint %q", h)
		}
	})
	t.Run("no public IP", func(t *testing.T) {
		n := natInstanceStory(t, "    public_ip: true\n", "    public_ip: false\n    source_dest_check: false\n")
		check(t, probeSpec(t, n, "worker", "8.8.8.8:443", "tcp"), Timeout, CodeIGWPublicIPEgress)
	})
	// A private destination: the instance forwards it as an appliance,
	// untranslated (inspection.go), and its subnet routes it to the
	// internet gateway, which has no public address for the worker's.
	t.Run("a private destination through it is forwarded untranslated", func(t *testing.T) {
		n := natInstanceStory(t, "    public_ip: true\n", sdcOff, "routes: [{destination: 0.0.0.0/0, target: nat-box}]", "routes: [{destination: 0.0.0.0/0, target: nat-box}, {destination: 172.16.0.0/12, target: nat-box}]")
		check(t, probeSpec(t, n, "worker", "172.16.0.5:443", "tcp"), Timeout, CodeIGWPublicIPEgress)
	})
}
