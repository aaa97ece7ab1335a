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
