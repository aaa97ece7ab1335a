package cfn_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestSweep40RefarchMaster: ecs-refarch-cloudformation's master stack,
// whose VPC, security groups, load balancer and two services are nested
// stacks read by TemplateURL (the children of sweep38), deploys on one
// engine: five nested stacks, the services in the parent's cluster behind
// the nested load balancer's listener; an update of DesiredCount 0→1
// updates both services in place, through their nested stacks, and
// leaves the three unchanged nested stacks alone; the delete leaves
// nothing of the VPC.
func TestSweep40RefarchMaster(t *testing.T) {
	e := cfn.NewEngine()
	tmpl, err := cfn.ReadTemplate(filepath.Join("testdata", "sweep40", "refarch-master.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "refarch", IAM: e})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Nested) != 5 {
		t.Errorf("%d nested stacks, want 5", len(res.Nested))
	}
	services := func(st *model.State) []*model.Service {
		var out []*model.Service
		for _, s := range st.Services {
			if strings.HasSuffix(s.ClusterARN, ":cluster/refarch") {
				out = append(out, s)
			}
		}
		return out
	}
	e.Read(func(st *model.State) {
		if got := services(st); len(got) != 2 {
			t.Fatalf("%d services in the cluster refarch, want 2", len(got))
		}
		if len(st.LoadBalancers) != 1 {
			t.Errorf("%d load balancers, want the ALB stack's one", len(st.LoadBalancers))
		}
	})
	again, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "refarch", IAM: e, Parameters: map[string]string{"DesiredCount": "1"},
		Existing: existingOf(res)})
	if err != nil {
		t.Fatalf("update DesiredCount 1: %v", err)
	}
	e.Read(func(st *model.State) {
		got := services(st)
		if len(got) != 2 {
			t.Fatalf("%d services after the update, want the same 2", len(got))
		}
		for _, s := range got {
			if s.DesiredCount != 1 {
				t.Errorf("service %s desired %d after the update, want 1", s.Name, s.DesiredCount)
			}
		}
	})
	for _, r := range again.Resources {
		switch r.LogicalID {
		case "VPC", "SecurityGroups", "ALB":
			if r.Change != cfn.ChangeNone {
				t.Errorf("nested stack %s: %s on a DesiredCount update, want None", r.LogicalID, r.Change)
			}
		case "ProductService/Service", "WebsiteService/Service":
			if r.Change != cfn.ChangeModify {
				t.Errorf("%s: %s, want Modify (in place)", r.LogicalID, r.Change)
			}
		}
	}
	// The update leaves the unchanged nested stacks alone (it does not
	// list their resources), and replaced nothing: the first deploy's
	// resources are the stack's.
	if err := cfn.DeleteResources(e, res.Resources); err != nil {
		t.Fatalf("delete: %v", err)
	}
	e.Read(func(st *model.State) {
		for _, v := range st.VPCs {
			if v.CIDR.String() == "10.180.0.0/16" {
				t.Errorf("the stack's VPC %s is left after the delete", v.ID)
			}
		}
		if len(st.LoadBalancers) != 0 {
			t.Errorf("%d load balancers left after the delete", len(st.LoadBalancers))
		}
	})
}

// TestSweep40ConsoleCapacityProvider: the EC2 cluster the ECS console
// makes, as a template (testdata/sweep40/console-asg-capacity-provider.yaml),
// on the reference architecture's VPC: the Auto Scaling group's two
// instances register with the cluster, which has FARGATE, FARGATE_SPOT
// and the group's capacity provider, the provider its default strategy;
// DesiredCapacity 2→3 updates the group in place and a third instance
// registers; the delete leaves no instance.
func TestSweep40ConsoleCapacityProvider(t *testing.T) {
	e := cfn.NewEngine()
	vpcTmpl, err := cfn.ReadTemplate(sweep38("refarch-vpc.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	vpc, err := cfn.Deploy(e, vpcTmpl, cfn.DeployOptions{StackName: "net", Parameters: map[string]string{"EnvironmentName": "net"}, IAM: e})
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{}
	for _, o := range vpc.Outputs {
		outputs[o.Name] = o.Value
	}
	tmpl, err := cfn.ReadTemplate(filepath.Join("testdata", "sweep40", "console-asg-capacity-provider.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]string{"VpcId": outputs["VPC"], "Subnets": outputs["PrivateSubnets"]}
	res, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "cpasg", Parameters: params, IAM: e})
	if err != nil {
		t.Fatal(err)
	}
	registered := func(st *model.State) int {
		n := 0
		for _, ci := range st.ContainerInstances {
			if strings.HasSuffix(ci.ClusterARN, ":cluster/cpasg-cluster") && ci.Status == "ACTIVE" {
				n++
			}
		}
		return n
	}
	provider := res.PhysicalIDs["AsgCapacityProvider"]
	e.Read(func(st *model.State) {
		if n := registered(st); n != 2 {
			t.Errorf("%d container instances registered, want the group's 2", n)
		}
		var c *model.Cluster
		for _, x := range st.Clusters {
			if x.Name == "cpasg-cluster" {
				c = x
			}
		}
		if c == nil || strings.Join(c.CapacityProviders, ",") != "FARGATE,FARGATE_SPOT,"+provider ||
			len(c.DefaultStrategy) != 1 || c.DefaultStrategy[0].CapacityProvider != provider {
			t.Errorf("cluster %+v, want FARGATE, FARGATE_SPOT and %s, the latter its default strategy", c, provider)
		}
	})
	params["DesiredCapacity"] = "3"
	again, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "cpasg", Parameters: params, IAM: e, Existing: existingOf(res)})
	if err != nil {
		t.Fatalf("update DesiredCapacity 3: %v", err)
	}
	for _, r := range again.Resources {
		if r.LogicalID == "ECSAutoScalingGroup" && (r.Change != cfn.ChangeModify || r.PhysicalID != res.PhysicalIDs["ECSAutoScalingGroup"]) {
			t.Errorf("the group on update: %s %s, want Modify in place", r.Change, r.PhysicalID)
		}
	}
	e.Read(func(st *model.State) {
		if n := registered(st); n != 3 {
			t.Errorf("%d container instances registered after the update, want 3", n)
		}
	})
	if err := cfn.DeleteResources(e, again.Resources); err != nil {
		t.Fatalf("delete: %v", err)
	}
	e.Read(func(st *model.State) {
		if n := registered(st); n != 0 {
			t.Errorf("%d container instances left after the delete", n)
		}
	})
}
