package cfn_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

func sweep23(file string) string { return repoFile("internal/cfn/testdata/sweep23/" + file) }

// TestSweep23CloudMapContainerPort: the CDK's cloudmap-container-port
// integration test (three bridge tasks of two containers, each with a
// 512 MiB hard limit and a 32 MiB memoryReservation, on one t3.micro; a
// Cloud Map service with SRV records and no Name). ECS reserves a
// container's memoryReservation when it is given, so the three tasks (64
// MiB each) fit; and the name CloudFormation generates for the Cloud Map
// service is a valid one (one DNS label). Before round twenty-three the
// tasks reserved the hard limits (1 GiB each, none fitted) and the
// generated name, 71 characters long, was refused as invalid.
func TestSweep23CloudMapContainerPort(t *testing.T) {
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep23("c4-cloudmap-container-port.json"), Name: "c4-cloudmap-container-port"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Logf("warning: %s", w.Msg)
	}
	label := regexp.MustCompile(`^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_]$`)
	running, names := 0, []string{}
	res.Engine.Read(func(st *model.State) {
		for _, tk := range st.Tasks {
			if tk.LastStatus == model.TaskRunning {
				running++
			}
		}
		for _, s := range st.DiscoveryServices {
			names = append(names, s.Name)
		}
	})
	if running != 3 {
		t.Errorf("%d tasks running, want 3 (64 MiB reserved each on a t3.micro)", running)
	}
	if len(names) != 1 || !label.MatchString(names[0]) {
		t.Errorf("Cloud Map services %q, want one whose generated name is one DNS label", names)
	}
}

// TestSweep23UnmatchablePathRule: the CDK's multiple-alb integration test
// forwards a second target group by a rule of path pattern "a/b/c" (no
// leading "/"). ALB takes the pattern, but a request's path starts with
// "/", so no request matches the rule: exposure lists the default action
// alone. Before round twenty-three it probed "GET a/b/c", which no client
// can send, and listed the rule as a second way in (HTTP 200 at the port
// 90 container).
func TestSweep23UnmatchablePathRule(t *testing.T) {
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep23("c1-multiple-alb.json"), Name: "c1-multiple-alb"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	var got []string
	for _, e := range reach.Exposure(reach.Compile(st)).Entries {
		if e.Kind == "load-balancer" {
			got = append(got, e.Rule+": "+string(e.Verdict)+" "+e.Request)
		}
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "the default action: http 200 GET ") {
		t.Errorf("load balancer entries %q, want the default action alone, HTTP 200", got)
	}
}

// TestSweep23AppMeshProxyOnEC2: the CDK's app-mesh-proxy-config test runs
// one awsvpc task (an APPMESH proxy configuration, IpcMode host, PidMode
// task) on a t2.micro of a launch configuration: the task gets its own
// ENI in a private subnet, in the service's group and without a public
// address (AssignPublicIp DISABLED), the instance's second ENI.
func TestSweep23AppMeshProxyOnEC2(t *testing.T) {
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep23("c3-appmesh-proxy.json"), Name: "c3-appmesh-proxy"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var running []*model.Task
	res.Engine.Read(func(st *model.State) {
		for _, tk := range st.Tasks {
			if tk.LastStatus == model.TaskRunning {
				running = append(running, tk)
			}
		}
		if len(running) != 1 {
			return
		}
		eni := st.NetworkInterfaces[running[0].ENI()]
		if eni == nil || eni.Attachment == nil || eni.Attachment.DeviceIndex != 1 {
			t.Errorf("task ENI %+v, want the instance's device 1", eni)
			return
		}
		sn := st.Subnets[eni.SubnetID]
		if sn == nil || !strings.HasPrefix(sn.CIDR.String(), "10.0.128.") && !strings.HasPrefix(sn.CIDR.String(), "10.0.192.") {
			t.Errorf("task ENI in subnet %+v, want a private one", sn)
		}
		for _, ip := range eni.PrivateIPs {
			if ip.PublicIP != nil {
				t.Errorf("task ENI has public IP %+v, want none", *ip.PublicIP)
			}
		}
	})
	if len(running) != 1 {
		t.Fatalf("%d tasks running, want 1", len(running))
	}
}
