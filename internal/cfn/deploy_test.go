package cfn_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// counts returns how many resources of each kind a state holds.
func counts(e *engine.Engine) map[string]int {
	out := map[string]int{}
	e.Read(func(st *model.State) {
		out["vpcs"] = len(st.VPCs)
		out["subnets"] = len(st.Subnets)
		out["sgs"] = len(st.SecurityGroups)
		out["igws"] = len(st.InternetGateways)
		out["rtbs"] = len(st.RouteTables)
		out["lbs"] = len(st.LoadBalancers)
		out["tgs"] = len(st.TargetGroups)
		out["clusters"] = 0
		for _, c := range st.Clusters {
			if c.Status == "ACTIVE" {
				out["clusters"]++
			}
		}
		out["services"] = 0
		for _, s := range st.Services {
			if s.Status != "INACTIVE" {
				out["services"]++
			}
		}
		out["running tasks"] = 0
		for _, t := range st.Tasks {
			if t.LastStatus != model.TaskStopped {
				out["running tasks"]++
			}
		}
		out["enis"] = len(st.NetworkInterfaces)
	})
	return out
}

func readTpl(t *testing.T, rel string) *cfn.Template {
	t.Helper()
	tpl, err := cfn.ReadTemplate(repoFile(rel))
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// Three stacks deployed one after the other into one engine: each
// imports the exports of those before it.
func TestDeployStacksIntoOneEngine(t *testing.T) {
	e := cfn.NewEngine(engine.WithStartCheck(reach.StartCheck))
	exports := map[string]cfn.Export{}
	var stacks []*cfn.Stack
	for _, name := range []string{"network", "cluster", "service"} {
		s, err := cfn.Deploy(e, readTpl(t, "examples/cfn/stacks/"+name+".yaml"), cfn.DeployOptions{StackName: name, Exports: exports, Converge: true})
		if err != nil {
			t.Fatalf("deploy %s: %v", name, err)
		}
		for _, x := range s.Exports {
			exports[x.Name] = x
		}
		stacks = append(stacks, s)
	}
	if got := exports["network-VpcId"]; got.StackName != "network" || !strings.HasPrefix(got.Value, "vpc-") {
		t.Errorf("network-VpcId = %+v", got)
	}
	if v, _ := stacks[0].Output("VpcId"); v != exports["network-VpcId"].Value {
		t.Errorf("output VpcId = %q, export %q", v, exports["network-VpcId"].Value)
	}
	c := counts(e)
	if c["services"] != 1 || c["running tasks"] != 1 || c["lbs"] != 1 {
		t.Errorf("counts = %v, want one service with one running task behind one load balancer", c)
	}
	// The service's task is in the network stack's VPC.
	e.Read(func(st *model.State) {
		for _, tk := range st.Tasks {
			if tk.ClusterARN == "" || !strings.Contains(tk.ClusterARN, "cluster-ecs") {
				t.Errorf("task %s in cluster %s, want cluster-ecs", tk.ARN, tk.ClusterARN)
			}
		}
	})
	// An export name already taken is CloudFormation's error.
	_, err := cfn.Deploy(e, readTpl(t, "examples/cfn/stacks/network.yaml"), cfn.DeployOptions{StackName: "network", Exports: exports})
	if err == nil || !strings.Contains(err.Error(), "Export with name network-VpcId is already exported by stack network") {
		t.Errorf("second network stack: %v", err)
	}
	// Deleting the stacks in reverse leaves the engine as it was.
	before := counts(cfn.NewEngine())
	for i := len(stacks) - 1; i >= 0; i-- {
		if err := cfn.DeleteResources(e, stacks[i].Resources); err != nil {
			t.Fatalf("delete %s: %v", stacks[i].Name, err)
		}
	}
	after := counts(e)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("after delete, %s = %d, want %d", k, after[k], v)
		}
	}
	// Deleting again finds nothing to delete and succeeds.
	for _, st := range stacks {
		if err := cfn.DeleteResources(e, st.Resources); err != nil {
			t.Errorf("delete %s again: %v", st.Name, err)
		}
	}
}

// A stack that fails half-way leaves nothing behind: what it created is
// deleted again, as CloudFormation rolls back.
func TestDeployRollsBack(t *testing.T) {
	e := cfn.NewEngine(engine.WithStartCheck(reach.StartCheck))
	if _, err := cfn.Deploy(e, readTpl(t, "examples/cfn/stacks/network.yaml"), cfn.DeployOptions{StackName: "network"}); err != nil {
		t.Fatal(err)
	}
	before := counts(e)
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.yaml")
	// Everything of the service stack is created, then a subnet outside
	// the VPC fails.
	data, _ := os.ReadFile(repoFile("examples/cfn/stacks/service.yaml"))
	text := strings.Replace(string(data), "Outputs:", `  Late:
    Type: AWS::EC2::Subnet
    DependsOn: WebService
    Properties:
      VpcId: {"Fn::ImportValue": !Sub "${NetworkStack}-VpcId"}
      CidrBlock: 192.168.0.0/24
Outputs:`, 1)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	tpl, err := cfn.ReadTemplate(path)
	if err != nil {
		t.Fatal(err)
	}
	// The cluster stack's exports, given as if from stacks not deployed
	// here: the listener does not exist, so use a cluster stack first.
	cl, err := cfn.Deploy(e, readTpl(t, "examples/cfn/stacks/cluster.yaml"), cfn.DeployOptions{StackName: "cluster",
		Exports: exportsOf(e, t)})
	if err != nil {
		t.Fatal(err)
	}
	before = counts(e)
	all := exportsOf(e, t)
	for _, x := range cl.Exports {
		all[x.Name] = x
	}
	_, err = cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "service", Exports: all, Converge: true})
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Resource != "Late" {
		t.Fatalf("err = %v, want the Late subnet's failure", err)
	}
	after := counts(e)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("after rollback, %s = %d, want %d", k, after[k], v)
		}
	}
}

// exportsOf returns the network stack's exports, read from the engine's
// VPC and subnets (tagged by CloudFormation).
func exportsOf(e *engine.Engine, t *testing.T) map[string]cfn.Export {
	t.Helper()
	out := map[string]cfn.Export{}
	var subnets []string
	e.Read(func(st *model.State) {
		for _, v := range st.VPCs {
			if v.Tags["aws:cloudformation:stack-name"] == "network" {
				out["network-VpcId"] = cfn.Export{Name: "network-VpcId", Value: string(v.ID)}
			}
		}
		for _, s := range sortedSubnets(st) {
			if s.Tags["aws:cloudformation:stack-name"] == "network" {
				subnets = append(subnets, string(s.ID))
			}
		}
	})
	out["network-PublicSubnets"] = cfn.Export{Name: "network-PublicSubnets", Value: strings.Join(subnets, ",")}
	return out
}

func sortedSubnets(st *model.State) []*model.Subnet {
	var out []*model.Subnet
	for _, s := range st.Subnets {
		out = append(out, s)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j].ID < out[i].ID {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// Nested stacks are reported with their own names, outputs and resources.
func TestDeployNestedStacks(t *testing.T) {
	s, err := cfn.Deploy(cfn.NewEngine(engine.WithStartCheck(reach.StartCheck)), readTpl(t, "examples/cfn/nested.yaml"), cfn.DeployOptions{StackName: "app"})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Nested) != 2 || s.Nested[0].LogicalID != "VPC" || s.Nested[0].ParentID != s.ID || !strings.HasPrefix(s.Nested[0].Name, "app-VPC-") {
		t.Fatalf("nested: %+v", s.Nested)
	}
	vpc := s.Nested[0]
	if out, _ := vpc.Output("VPC"); !strings.HasPrefix(out, "vpc-") || vpc.Parameters["VpcCIDR"] != "10.180.0.0/16" {
		t.Errorf("nested VPC stack: outputs %v, parameters %v", vpc.Outputs, vpc.Parameters)
	}
	for _, r := range vpc.Resources {
		if !strings.HasPrefix(r.LogicalID, "VPC/") {
			t.Errorf("resource %s in the VPC stack", r.LogicalID)
		}
	}
	if len(vpc.Resources) == 0 || len(vpc.Resources) >= len(s.Resources) {
		t.Errorf("%d of %d resources in the VPC stack", len(vpc.Resources), len(s.Resources))
	}
}

// DisableRollback keeps what a failed stack created; Failed is told
// what that was; LookupSSM answers Parameter Store names.
func TestDeployFailureOptions(t *testing.T) {
	text := "Parameters:\n  Cidr: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /net/cidr}\nResources:\n" +
		"  V:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: !Ref Cidr}\n" +
		"  S:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: !Ref V, CidrBlock: 192.168.0.0/24}\n"
	tpl, err := cfn.ParseTemplate("f.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	before := counts(e)["vpcs"]
	var told []cfn.Resource
	lookup := func(name string) (string, bool) { return "10.4.0.0/16", name == "/net/cidr" }
	_, err = cfn.Deploy(e, tpl, cfn.DeployOptions{LookupSSM: lookup, DisableRollback: true,
		Failed: func(created []cfn.Resource, _ []cfn.Skipped) { told = created }})
	if err == nil || len(told) != 1 || told[0].LogicalID != "V" {
		t.Fatalf("err %v, told %v", err, told)
	}
	if got := counts(e)["vpcs"]; got != before+1 {
		t.Errorf("%d VPCs, want the failed stack's VPC kept", got)
	}
	var cidr string
	e.Read(func(st *model.State) { cidr = st.VPCs[model.VpcID(told[0].PhysicalID)].CIDR.String() })
	if cidr != "10.4.0.0/16" {
		t.Errorf("CIDR %s, want LookupSSM's", cidr)
	}
}
