package reach

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// portRangeScenario is a Fargate task whose container maps 8000-8009 as
// one containerPortRange, and a bridge task on an EC2 instance mapping
// 9000-9004 and udp 9100-9104 (AWS refuses one port for two protocols); both groups open everything.
const portRangeScenario = `
vpcs:
  main: {cidr: 10.0.0.0/16, internet_gateway: igw}
subnets:
  public-a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public, public_ip_on_launch: true}
route_tables:
  public: {vpc: main, routes: [{destination: 0.0.0.0/0, target: igw}]}
security_groups:
  open: {vpc: main, ingress: [{protocol: all, cidr: 0.0.0.0/0}]}
launch_templates:
  node:
    instance_type: t3.medium
    security_groups: [open]
    user_data: |
      #!/bin/bash
      echo ECS_CLUSTER=demo >> /etc/ecs/ecs.config
auto_scaling_groups:
  asg: {launch_template: node, desired: 1, subnets: [public-a]}
clusters:
  demo: {}
task_definitions:
  media:
    network_mode: awsvpc
    requires: [FARGATE]
    cpu: "256"
    memory: "512"
    containers:
      media: {image: nginx, ports: ["8000-8009"]}
  rtp:
    network_mode: bridge
    requires: [EC2]
    containers:
      rtp: {image: nginx, memory: 128, ports: ["9000-9004", {range: 9100-9104, protocol: udp}, "7000"]}
tasks:
  media:
    cluster: demo
    task_definition: media
    launch_type: FARGATE
    subnets: [public-a]
    security_groups: [open]
    assign_public_ip: true
  rtp:
    cluster: demo
    task_definition: rtp
    launch_type: EC2
    count: 2
`

// TestPortRangeAwsvpc: each port of an awsvpc containerPortRange listens
// on the task ENI at the same port; a port beside the range is refused
// as an unmapped port is, the refusal naming the range.
func TestPortRangeAwsvpc(t *testing.T) {
	n := compileEngine(buildFromText(t, portRangeScenario))
	for _, p := range []int{8000, 8005, 8009} {
		r := probeSpec(t, n, "internet", "media:"+strconv.Itoa(p), "tcp")
		check(t, r, Connected)
	}
	for _, p := range []int{7999, 8010} {
		r := probeSpec(t, n, "internet", "media:"+strconv.Itoa(p), "tcp")
		x := check(t, r, Refused, CodeNoListener)
		if m := x[CodeNoListener].Message; !strings.Contains(m, "tcp/8000-8009") {
			t.Errorf("port %d: %q, want the range it listens on", p, m)
		}
	}
	if r := probeSpec(t, n, "internet", "media:8005", "udp"); r.Verdict == Connected {
		t.Errorf("udp/8005 %s: the range is tcp", r.Verdict)
	}
}

// TestPortRangeBridge: a bridge task's range is published on a block of
// host ports on the instance, host port i to container port i of the
// range; two tasks get two blocks; a probe to the task's container port
// goes to its host port; a host port outside every block is refused, and
// a container port of the range asked for on the instance names the host
// port Docker published it on.
func TestPortRangeBridge(t *testing.T) {
	e := buildFromText(t, portRangeScenario)
	st, _ := e.Snapshot()
	n := compileEngine(e)
	var blocks []model.NetworkBinding
	var inst *model.Instance
	for _, tk := range st.Tasks {
		if tk.NetworkMode != model.NetworkModeBridge {
			continue
		}
		for _, b := range tk.Containers[0].NetworkBindings {
			if b.IsRange() && b.Protocol == model.TCP {
				blocks = append(blocks, b)
			}
		}
		ci := st.ContainerInstances[tk.ContainerInstanceARN]
		inst = st.Instances[ci.EC2InstanceID]
	}
	if len(blocks) != 2 || blocks[0].HostPortRange.Overlaps(blocks[1].HostPortRange) || blocks[0].HostPortRange.Len() != 5 {
		t.Fatalf("tcp range bindings %+v, want two disjoint blocks of 5", blocks)
	}
	pub, ok := st.NetworkInterfaces[inst.PrimaryENI].PublicIP()
	if !ok {
		t.Fatal("the instance has no public IP")
	}
	ip := pub.String()
	for _, b := range blocks {
		for _, off := range []uint16{0, 2, 4} {
			hp := b.HostPortRange.First + off
			r := probeSpec(t, n, "internet", ip+":"+strconv.Itoa(int(hp)), "tcp")
			check(t, r, Connected)
			if s := socketOf(r); s == nil || s.Port != hp || s.ContainerPort != 9000+off || s.Kind != "bridge" {
				t.Errorf("host port %d: socket %+v, want container port %d", hp, s, 9000+off)
			}
		}
	}
	r := probeSpec(t, n, "internet", "rtp/0:9003", "tcp")
	check(t, r, Connected)
	if s := socketOf(r); s == nil || s.ContainerPort != 9003 || s.Port < 32768 {
		t.Errorf("rtp/0:9003: socket %+v, want the host port of container port 9003", s)
	}
	if r := probeSpec(t, n, "internet", "rtp/0:9103", "udp"); r.Verdict != Connected {
		t.Errorf("udp rtp/0:9103: %s (%s)", r.Verdict, r.Summary)
	}
	free := max(blocks[0].HostPortRange.Last, blocks[1].HostPortRange.Last) + 100
	check(t, probeSpec(t, n, "internet", ip+":"+strconv.Itoa(int(free)), "tcp"), Refused, CodeNoListener)
	x := check(t, probeSpec(t, n, "internet", ip+":9002", "tcp"), Refused, CodeNoHostPortBinding)
	if m := x[CodeNoHostPortBinding].Message; !strings.Contains(m, "container ports 9000-9004 on host ports") {
		t.Errorf("9002 on the instance: %q, want the host ports Docker published the range on", m)
	}
}

// socketOf is the socket the forward path of r delivered to.
func socketOf(r *Result) *Socket {
	for _, h := range r.Forward {
		if h.Socket != nil {
			return h.Socket
		}
	}
	return nil
}
