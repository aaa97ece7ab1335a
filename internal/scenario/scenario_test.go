package scenario_test

import (
	"encoding/json"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

func build(t *testing.T, path string) *scenario.Built {
	t.Helper()
	sc, err := scenario.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExamplesBuild(t *testing.T) {
	files, _ := filepath.Glob("../../examples/seed/*.yaml")
	if len(files) < 4 {
		t.Fatalf("found %d examples", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b := build(t, f)
			b.Engine.Read(func(st *model.State) {
				for _, s := range st.Services {
					running := 0
					for _, tk := range st.Tasks {
						if tk.ServiceName == s.Name && tk.LastStatus == model.TaskRunning {
							running++
						}
					}
					if running != s.DesiredCount {
						t.Errorf("service %s: %d running, want %d; events %v", s.Name, running, s.DesiredCount, s.Events)
					}
				}
			})
		})
	}
}

// The article's system: the instance's primary ENI holds 203.0.113.2 at
// device index 0; the task has its own ENI at index >= 1, private only.
func TestArticleENIs(t *testing.T) {
	b := build(t, "../../examples/seed/article.yaml")
	b.Engine.Read(func(st *model.State) {
		var inst *model.Instance
		for _, i := range st.Instances {
			inst = i
		}
		if inst == nil || st.InstanceName(inst) != "ecs-asg/0" || inst.Type != "m5.large" {
			t.Fatalf("instance %+v", inst)
		}
		enis := st.InstanceENIs(inst.ID)
		if len(enis) != 2 {
			t.Fatalf("instance has %d ENIs, want 2", len(enis))
		}
		if pub, _ := enis[0].PublicIP(); enis[0].Attachment.DeviceIndex != 0 || pub != netip.MustParseAddr("203.0.113.2") {
			t.Errorf("primary ENI device %d public %v", enis[0].Attachment.DeviceIndex, pub)
		}
		if _, has := enis[1].PublicIP(); enis[1].Attachment.DeviceIndex < 1 || has || enis[1].OwnerKind != model.OwnedByECSTask {
			t.Errorf("task ENI device %d public %v owner %v", enis[1].Attachment.DeviceIndex, has, enis[1].OwnerKind)
		}
	})
}

// The same file gives the same ids and addresses on every run.
func TestDeterministic(t *testing.T) {
	snap := func() string {
		st, _ := build(t, "../../examples/seed/alb.yaml").Engine.Snapshot()
		b, _ := json.Marshal(st)
		return string(b)
	}
	if a, b := snap(), snap(); a != b {
		t.Error("two builds of the same scenario differ")
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"unknown reference", "vpcs:\n  main: {cidr: 10.0.0.0/16}\nsubnets:\n  a: {vpc: mian, cidr: 10.0.1.0/24}\n",
			`bad.yaml:4: subnet "a": vpc "mian" is not defined (defined: main)`},
		{"bad CIDR", "vpcs:\n  main:\n    cidr: 10.0.0.0/33\n",
			"bad.yaml:3: vpc \"main\": InvalidParameterValue: Value (10.0.0.0/33) for parameter cidrBlock is invalid. This is not a valid CIDR block."},
		{"overlapping subnets", "vpcs:\n  main: {cidr: 10.0.0.0/16}\nsubnets:\n  a: {vpc: main, cidr: 10.0.1.0/24}\n  b:\n    vpc: main\n    cidr: 10.0.1.128/25\n",
			"bad.yaml:7: subnet \"b\": InvalidSubnet.Conflict: The CIDR '10.0.1.128/25' conflicts with another subnet"},
		{"subnet outside the VPC", "vpcs:\n  main: {cidr: 10.0.0.0/16}\nsubnets:\n  a: {vpc: main, cidr: 10.1.0.0/24}\n",
			"bad.yaml:4: subnet \"a\": InvalidSubnet.Range: The CIDR '10.1.0.0/24' is invalid."},
		{"broken YAML", "vpcs:\n  main: {cidr: 10.0.0.0/16\nsubnets:\n", "bad.yaml:"},
		{"unknown field", "vpcs:\n  main: {cidr: 10.0.0.0/16, dns_hostname: true}\n",
			`bad.yaml:2: unknown field "dns_hostname" (did you mean dns_hostnames?) (known: cidr, dns_hostnames, dns_support, internet_gateway, ipv6, secondary_cidrs, tags)`},
		{"unknown section", "vpc:\n  main: {cidr: 10.0.0.0/16}\n", `bad.yaml:1: unknown field "vpc"`},
		{"duplicate name", "vpcs:\n  main: {cidr: 10.0.0.0/16}\n  main: {cidr: 10.1.0.0/16}\n", `bad.yaml:3: "main" is defined twice (first at line 2)`},
		{"bad port", "task_definitions:\n  x:\n    containers:\n      c: {image: nginx, memory: 64, ports: [http]}\n", "bad.yaml:4: port \"http\""},
		{"AWS rule", "vpcs:\n  main: {cidr: 10.0.0.0/16, internet_gateway: igw}\nsubnets:\n  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a}\nsecurity_groups:\n  s: {vpc: main}\nclusters:\n  c: {}\ntask_definitions:\n  web:\n    network_mode: awsvpc\n    containers:\n      web: {image: nginx, memory: 64, ports: [3000]}\nservices:\n  web:\n    cluster: c\n    task_definition: web\n    launch_type: EC2\n    subnets: [a]\n    assign_public_ip: true\n",
			"bad.yaml:20: service \"web\": InvalidParameterException: Assign public IP is not supported for this launch type."},
		{"expectation without verdict", "expect:\n  - {from: internet, to: 1.2.3.4:80}\n", "bad.yaml:2: an expectation needs from:, to: and verdict:"},
		{"a verdict typo", "expect:\n  - {from: internet, to: 1.2.3.4:80, verdict: connected}\n  - from: internet\n    to: 1.2.3.4:80\n    verdict: timout\n",
			`bad.yaml:3: verdict "timout" is not a verdict`},
		{"an HTTP status out of range", "expect:\n  - {from: internet, to: 1.2.3.4:80, verdict: http 999}\n", `bad.yaml:2: verdict "http 999" is not a verdict`},
		{"a cause that is no code", "expect:\n  - {from: internet, to: 1.2.3.4:80, verdict: timeout, cause: sg}\n", `bad.yaml:2: cause "sg" is not an explanation code`},
		{"a namespace in an unknown VPC", "namespaces:\n  internal: {vpc: main}\n", `bad.yaml:2: namespace "internal": vpc "main" is not defined`},
		{"a namespace type typo", "namespaces:\n  example.com:\n    type: publc\n", `bad.yaml:3: namespace "example.com": type "publc": want private, public or http`},
		{"a public namespace with a VPC", "vpcs:\n  main: {cidr: 10.0.0.0/16}\nnamespaces:\n  example.com: {type: public, vpc: main}\n", `bad.yaml:4: namespace "example.com": a public namespace has no VPC`},
		{"a public namespace's bad name", "namespaces:\n  internal_: {type: public}\n", `bad.yaml:2: namespace "internal_": InvalidInput: Namespace name is invalid: internal_`},
		{"a scheduled task's bad schedule", "clusters:\n  c: {}\nscheduled_tasks:\n  nightly:\n    cluster: c\n    schedule: rate(5 minute)\n",
			`bad.yaml:6: scheduled task "nightly": ValidationException: Parameter ScheduleExpression is not valid.`},
		{"proxy protocol on an ALB", "vpcs:\n  main: {cidr: 10.0.0.0/16}\nload_balancers:\n  web:\n    subnets: []\n    proxy_protocol: [80]\n",
			`bad.yaml:6: load balancer "web": proxy_protocol is a Classic Load Balancer's`},
		{"a scheduled task's unknown cluster", "scheduled_tasks:\n  nightly:\n    schedule: rate(1 day)\n    cluster: c\n",
			`bad.yaml:4: scheduled task "nightly": cluster "c" is not defined`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenario.Parse("bad.yaml", []byte(c.yaml))
			if err == nil {
				_, err = sc.Build()
			}
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("err = %v\nwant prefix %s", err, c.want)
			}
		})
	}
}

func TestExpectParses(t *testing.T) {
	sc, err := scenario.Load("../../examples/seed/article.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Expect) != 3 || sc.Expect[0].From != "internet" || sc.Expect[0].To != "203.0.113.2:3000" || sc.Expect[0].Verdict != "timeout" || sc.Expect[0].Line == 0 {
		t.Errorf("expect = %+v", sc.Expect)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"vpcs:\n  main: {cidr: 10.0.0.0/16}\n", "expect:\n  - {from: a, to: b, verdict: c}\n", "task_definitions:\n  x: {containers: {c: {ports: [\"80:3000/udp\"]}}}\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := scenario.Parse("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Errorf("error without the file name: %v", err)
			}
			return
		}
		_ = sc
	})
}

// A counted tasks: entry names its tasks <name>/0, <name>/1, …
func TestCountedTasksNamed(t *testing.T) {
	yaml := `vpcs:
  main: {cidr: 10.0.0.0/16, internet_gateway: igw}
subnets:
  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, public_ip_on_launch: true}
route_tables:
  rt: {vpc: main, main: true, routes: [{destination: 0.0.0.0/0, target: igw}]}
clusters:
  c: {}
task_definitions:
  worker:
    network_mode: awsvpc
    requires: [FARGATE]
    cpu: "256"
    memory: "512"
    containers:
      w: {image: public.ecr.aws/docker/library/busybox:1, ports: [8080]}
tasks:
  worker: {cluster: c, task_definition: worker, count: 3, launch_type: FARGATE, subnets: [a], assign_public_ip: true}
`
	sc, err := scenario.Parse("count.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	b.Engine.Read(func(st *model.State) {
		for _, tk := range st.Tasks {
			names = append(names, st.TaskName(tk))
		}
	})
	slices.Sort(names)
	if strings.Join(names, ",") != "worker/0,worker/1,worker/2" {
		t.Errorf("tasks named %v", names)
	}
}

// A scenario has no default VPC unless it asks for one; then it refers to
// it as "default" and to its subnets as "default-<zone>".
func TestDefaultVpc(t *testing.T) {
	count := func(yaml string) (vpcs int, inst *model.Instance, st *model.State) {
		sc, err := scenario.Parse("default.yaml", []byte(yaml))
		if err != nil {
			t.Fatal(err)
		}
		b, err := sc.Build()
		if err != nil {
			t.Fatal(err)
		}
		st, _ = b.Engine.Snapshot()
		for _, i := range st.Instances {
			inst = i
		}
		return len(st.VPCs), inst, st
	}
	if n, _, _ := count("vpcs:\n  main: {cidr: 10.0.0.0/16}\n"); n != 1 {
		t.Errorf("a scenario without default_vpc has %d VPCs, want 1", n)
	}
	n, inst, st := count(`default_vpc: true
security_groups:
  web: {vpc: default}
instances:
  box: {subnet: default-us-east-1b, security_groups: [web], instance_type: t3.micro}
`)
	if n != 1 || inst == nil {
		t.Fatalf("%d VPCs, instance %v", n, inst)
	}
	sub := st.Subnets[inst.SubnetID]
	if !st.VPCs[sub.VpcID].IsDefault || sub.CIDR.String() != "172.31.16.0/20" || !sub.DefaultForAZ {
		t.Errorf("box is in %s %s", sub.ID, sub.CIDR)
	}
}

// A target group's attributes: are set as ModifyTargetGroupAttributes sets
// them, and one AWS does not know is AWS's error at the file's line; an
// expectation's decided_by, rule and fix are read.
func TestTargetGroupAttributesAndExpectKeys(t *testing.T) {
	sc, err := scenario.Load("../../examples/failures/nlb-preserve-ip-fargate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	x := sc.Expect[0]
	if x.DecidedBy != "task-sg" || x.Rule != "ingress" || !strings.HasPrefix(x.Fix, "Allow tcp/3000 from security group nlb-sg") {
		t.Errorf("expect = %+v", x)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	found := false
	for _, tg := range st.TargetGroups {
		if tg.Name == "web-tg" {
			found = tg.Attributes["preserve_client_ip.enabled"] == "true"
		}
	}
	if !found {
		t.Error("web-tg lacks preserve_client_ip.enabled true")
	}
	bad := "vpcs:\n  main: {cidr: 10.0.0.0/16}\ntarget_groups:\n  tg:\n    vpc: main\n    attributes: {no.such.attribute: \"1\"}\n"
	sc, err = scenario.Parse("bad.yaml", []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Build(); err == nil || !strings.Contains(err.Error(), "bad.yaml:4") {
		t.Errorf("unknown attribute: %v", err)
	}
}
