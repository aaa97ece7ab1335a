package cfn_test

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

func sweep17(file string) string { return repoFile("internal/cfn/testdata/sweep17/" + file) }

// load17 deploys stacks in order into one engine (eng, or a new one when
// nil), each given the parameters its function returns from the outputs
// of the stacks before it, as a user passes them to aws cloudformation
// deploy; it returns the last result, or the first error.
func load17(t *testing.T, eng *engine.Engine, stacks ...stack17) (*cfn.Result, error) {
	res, _, err := load17Outputs(t, eng, stacks...)
	return res, err
}

// load17Outputs is load17 that also returns every stack's outputs, as
// "stack.Key".
func load17Outputs(t *testing.T, eng *engine.Engine, stacks ...stack17) (*cfn.Result, map[string]string, error) {
	t.Helper()
	outs, exports := map[string]string{}, map[string]string{}
	var res *cfn.Result
	for _, s := range stacks {
		var params map[string]string
		if s.params != nil {
			params = s.params(outs)
		}
		var err error
		res, err = cfn.LoadStacks([]cfn.StackInput{{Path: sweep17(s.file), Name: s.name, Parameters: params}},
			cfn.LoadOptions{Engine: eng, BaseExports: maps.Clone(exports), SSM: map[string]string{"/cdk-bootstrap/hnb659fds/version": "21"},
				EngineOptions: []engine.Option{engine.WithStartCheck(reach.StartCheck)}})
		if err != nil {
			return nil, nil, err
		}
		eng = res.Engine
		for k, v := range res.Outputs {
			outs[s.name+"."+k] = v
		}
		for _, st := range res.Stacks {
			for _, x := range st.Exports {
				exports[x.Name] = x.Value
			}
		}
	}
	return res, outs, nil
}

type stack17 struct {
	name, file string
	params     func(outs map[string]string) map[string]string
}

func errorFindings(res *cfn.Result) []string {
	var got []string
	for _, f := range reach.Lint(reach.Compile(state(res))) {
		if f.Severity == reach.SeverityError && !slices.Contains(got, f.Code) {
			got = append(got, f.Code)
		}
	}
	slices.Sort(got)
	return got
}

// TestSweep17 loads round seventeen's public templates (testdata/sweep17,
// sources in its README) as `ecsnet check` does, each system's stacks in
// the order a user deploys them, and asserts the verdict a correct
// analysis gives: what AWS deploys loads with the error findings its
// network earns, what AWS refuses is refused with AWS's reason.
func TestSweep17(t *testing.T) {
	vpc := stack17{name: "vpc", file: "w-vpc-2azs.yaml"}
	parentVPC := func(map[string]string) map[string]string { return map[string]string{"ParentVPCStack": "vpc"} }
	client := stack17{name: "client", file: "w-client-sg.yaml", params: parentVPC}
	cloudmap := stack17{name: "cloudmap", file: "w-cloudmap-private.yaml", params: func(map[string]string) map[string]string {
		return map[string]string{"ParentVPCStack": "vpc", "Name": "internal.local"}
	}}
	base := stack17{name: "base", file: "base-vpc.json"}
	fromBase := func(o map[string]string, more ...string) map[string]string {
		p := map[string]string{"VpcId": o["base.VpcId"], "PublicSubnetIds": o["base.PublicSubnetIds"], "PrivateSubnetIds": o["base.PrivateSubnetIds"]}
		for i := 0; i+1 < len(more); i += 2 {
			p[more[i]] = o[more[i+1]]
		}
		return p
	}
	cases := []struct {
		name   string
		stacks []stack17
		err    string   // the refusal, or "" when the stacks deploy
		errors []string // the codes of the error findings, sorted
	}{
		// fargate/cluster.yaml's ALB is dualstack unless internal, and
		// vpc-2azs.yaml gives its subnets no IPv6 block: ELB refuses it.
		{name: "widdix-fargate-cluster", stacks: []stack17{vpc, {name: "fargate", file: "w-fargate-cluster.yaml", params: parentVPC}},
			err: "You must specify subnets with an associated IPv6 CIDR block."},
		{name: "widdix-service-cloudmap", stacks: []stack17{vpc, client, cloudmap,
			{name: "fargate", file: "w-fargate-cluster.yaml", params: func(map[string]string) map[string]string {
				return map[string]string{"ParentVPCStack": "vpc", "LoadBalancerScheme": "internal"}
			}},
			{name: "svc", file: "w-service-cloudmap.yaml", params: func(map[string]string) map[string]string {
				return map[string]string{"ParentVPCStack": "vpc", "ParentClusterStack": "fargate", "ParentCloudMapStack": "cloudmap",
					"ParentClientStack": "client", "Name": "hello"}
			}}}},
		{name: "cdk-nlb-ec2", stacks: []stack17{{name: "nlb", file: "c1-nlb-ec2.json"}}},
		{name: "cdk-queue-isolated", stacks: []stack17{{name: "queue", file: "c2-queue-isolated.json"}}},
		{name: "cdk-nlb-ipv6", stacks: []stack17{{name: "nlb6", file: "c3-nlb-ipv6.json"}}},
		{name: "service-discovery", stacks: []stack17{base,
			{name: "sdcluster", file: "p-sd-cluster.yml", params: func(o map[string]string) map[string]string {
				return map[string]string{"VpcId": o["base.VpcId"]}
			}},
			{name: "sdname", file: "p-sd-name.yml", params: func(o map[string]string) map[string]string {
				p := fromBase(o, "ClusterName", "sdcluster.ClusterName", "ServiceDiscoveryNamespaceId", "sdcluster.ServiceDiscoveryNamespaceId",
					"ECSTaskExecutionRole", "sdcluster.ECSTaskExecutionRole")
				delete(p, "PublicSubnetIds")
				return p
			}},
			{name: "sdhello", file: "p-sd-hello.yml", params: func(o map[string]string) map[string]string {
				return fromBase(o, "ClusterName", "sdcluster.ClusterName", "NameServiceSecurityGroup", "sdname.ServiceSecurityGroup",
					"ECSTaskExecutionRole", "sdcluster.ECSTaskExecutionRole")
			}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := load17(t, nil, c.stacks...)
			if c.err != "" {
				var ce *cfn.Error
				if !errors.As(err, &ce) || !strings.Contains(ce.Msg, c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := errorFindings(res); !slices.Equal(got, c.errors) {
				t.Errorf("error findings %v, want %v", got, c.errors)
			}
		})
	}
}

var copilotWindowsParams = map[string]string{"AppName": "my-app", "EnvName": "test", "WorkloadName": "fe",
	"ContainerImage": "mcr.microsoft.com/windows/servercore/iis", "ContainerPort": "80", "TaskCPU": "1024", "TaskMemory": "2048",
	"TaskCount": "1", "DNSDelegated": "false", "LogRetention": "30", "TargetContainer": "fe", "TargetPort": "80", "HTTPSEnabled": "false", "RulePath": "/"}

// TestSweep17CopilotWindows: Copilot's Windows web service runs on Fargate
// platform version 1.0.0, the Windows one, and its listener rule's
// priority is the answer of its RulePriorityFunction (not run by ecsnet):
// it was read as 0, which ELB refuses; it is now a priority the listener
// does not use, and a second such rule gets the next one down.
func TestSweep17CopilotWindows(t *testing.T) {
	api := maps.Clone(copilotWindowsParams)
	api["WorkloadName"], api["TargetContainer"], api["RulePath"] = "api", "api", "api"
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep17("copilot-env-lb.yml"), Name: "my-app-test"},
		{Path: sweep17("cp-windows.yml"), Name: "my-app-test-fe", Parameters: copilotWindowsParams},
		{Path: sweep17("cp-windows.yml"), Name: "my-app-test-api", Parameters: api}},
		cfn.LoadOptions{EngineOptions: []engine.Option{engine.WithStartCheck(reach.StartCheck)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := errorFindings(res); len(got) != 0 {
		t.Errorf("error findings %v, want none", got)
	}
	st := state(res)
	for i, want := range []int{50000, 49999} {
		s := res.Stacks[i+1]
		svc := st.Services[s.PhysicalIDs["Service"]]
		if svc == nil {
			t.Fatalf("%s: no service", s.Name)
		}
		for _, tk := range st.Tasks {
			if tk.ServiceName == svc.Name && tk.PlatformVersion != "1.0.0" {
				t.Errorf("%s: task %s on platform %q, want 1.0.0", s.Name, tk.ARN, tk.PlatformVersion)
			}
		}
		if rule := st.ListenerRules[s.PhysicalIDs["HTTPListenerRule"]]; rule == nil || rule.Priority != want {
			t.Errorf("%s: rule %+v, want priority %d", s.Name, rule, want)
		}
		said := false
		for _, w := range s.Warnings {
			said = said || strings.Contains(w.Msg, "HTTPListenerRule: #/Priority is Fn::GetAtt HTTPRulePriorityAction.Priority") &&
				strings.Contains(w.Msg, "read as "+strconv.Itoa(want))
		}
		if !said {
			t.Errorf("%s: warnings %v: none says the priority is read as %d", s.Name, s.Warnings, want)
		}
	}
}

// TestSweep17SplitOnBase: the split-traffic pattern's EC2 service names a
// capacity provider of a cluster deployed before; analyzed on --base of
// that system as a snapshot (what ecsnet check --base URL reads), the
// provider was unknown ("The specified capacity provider was not found"):
// snapshots held no describe-capacity-providers. With the call (ecsnet
// collect, scripts/collect.sh) the provider and its managed scaling are
// known and the service runs; a snapshot without it still knows the
// providers its clusters name.
func TestSweep17SplitOnBase(t *testing.T) {
	res, out, err := load17Outputs(t, nil, stack17{name: "base", file: "base-vpc.json"},
		stack17{name: "ec2cluster", file: "base-ec2-cluster.yml", params: func(o map[string]string) map[string]string {
			return map[string]string{"VpcId": o["base.VpcId"], "SubnetIds": o["base.PublicSubnetIds"]}
		}})
	if err != nil {
		t.Fatal(err)
	}
	provider := out["ec2cluster.CapacityProvider"]
	for _, withCall := range []bool{true, false} {
		t.Run(map[bool]string{true: "describe-capacity-providers", false: "without the call"}[withCall], func(t *testing.T) {
			dir := t.TempDir()
			if err := snapshot.Write(dir, state(res)); err != nil {
				t.Fatal(err)
			}
			if !withCall {
				if err := os.Remove(filepath.Join(dir, "aws_configs", state(res).Region, "ecs-describe-capacity-providers.json")); err != nil {
					t.Fatal(err)
				}
			}
			snap, err := snapshot.Load(dir, snapshot.WithEngineOptions(engine.WithStartCheck(reach.StartCheck)))
			if err != nil {
				t.Fatal(err)
			}
			var cp *model.CapacityProvider
			st, _ := snap.Engine.Snapshot()
			for _, c := range st.CapacityProviders {
				if c.Name == provider {
					cp = c
				}
			}
			if cp == nil || cp.Status != "ACTIVE" || cp.AutoScalingGroupARN == "" && withCall || cp.ManagedScaling != withCall {
				t.Fatalf("capacity provider %s from the snapshot: %+v", provider, cp)
			}
			split, err := load17(t, snap.Engine, stack17{name: "split", file: "p-split.yml", params: func(map[string]string) map[string]string {
				return map[string]string{"ImageURI": "nginx", "Cluster": out["ec2cluster.ClusterName"], "Ec2CapacityProvider": provider,
					"VpcId": out["base.VpcId"], "SubnetIds": out["base.PublicSubnetIds"]}
			}})
			if err != nil {
				t.Fatal(err)
			}
			svc := state(split).Services[split.PhysicalIDs["Ec2Service"]]
			if svc == nil || len(svc.CapacityProviders) != 1 || svc.CapacityProviders[0].CapacityProvider != provider {
				t.Fatalf("EC2 service %+v, want the strategy of provider %s", svc, provider)
			}
			if withCall {
				// Managed scaling launches an instance for the task, as
				// on AWS: the service is steady, nothing fails.
				if got := errorFindings(split); len(got) != 0 {
					t.Errorf("error findings %v, want none", got)
				}
			}
		})
	}
}
