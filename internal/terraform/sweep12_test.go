package terraform_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestSweep12UnpinnedModule: a registry module call without a version is
// read as the newest release (what `terraform init` installs), with a
// warning that says so; the arguments of an older release that the newest
// does not declare are refused as Terraform refuses them.
func TestSweep12UnpinnedModule(t *testing.T) {
	res := load(t, "testdata/sweep12-unpinned", nil)
	var sum string
	for _, w := range res.Warnings {
		sum += w.String() + "\n"
	}
	if !strings.Contains(sum, "main.tf:10") || !strings.Contains(sum, "the call gives no version, so `terraform init` installs the newest release (v6)") {
		t.Errorf("no warning about the version:\n%s", sum)
	}
	st, _ := res.Engine.Snapshot()
	if len(st.Clusters) != 1 {
		t.Fatalf("%d clusters, want 1", len(st.Clusters))
	}
	for _, cl := range st.Clusters {
		if cl.Name != "latest" || len(cl.DefaultStrategy) != 1 || cl.DefaultStrategy[0].CapacityProvider != "FARGATE" {
			t.Errorf("cluster %s, strategy %+v", cl.Name, cl.DefaultStrategy)
		}
	}
	_, err := terraform.Load("testdata/sweep12-unpinned-v2", terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), `main.tf:10: module.ecs: Unsupported argument: an argument named "name" is not expected here`) ||
		!strings.Contains(err.Error(), "newest release of terraform-aws-modules/ecs/aws (v6)") {
		t.Errorf("err = %v, want name refused at main.tf:10", err)
	}
}

// TestSweep12CodeDeployIdleTargetGroup: the test listener of a CodeDeploy
// blue/green pair answers 503 between deployments (its target group is
// empty by design): exposure says so and does not list it as an entry
// point that fails; the production listener answers 200.
func TestSweep12CodeDeployIdleTargetGroup(t *testing.T) {
	res := load(t, "testdata/sweep12-codedeploy", nil)
	st, _ := res.Engine.Snapshot()
	rep := reach.Exposure(reach.Compile(st))
	var v80, v8080 string
	for _, e := range rep.Entries {
		if e.Kind != "load-balancer" {
			continue
		}
		switch e.Ports.From {
		case 80:
			v80 = string(e.Verdict)
		case 8080:
			v8080 = string(e.Verdict)
			if !strings.Contains(e.Summary, "CodeDeploy blue/green deployment of the service app") {
				t.Errorf("8080: %s", e.Summary)
			}
		}
	}
	if v80 != string(reach.HTTP200) || v8080 != string(reach.HTTP503) {
		t.Errorf("80: %q, 8080: %q", v80, v8080)
	}
	if len(rep.Failing) != 0 {
		t.Errorf("failing: %+v", rep.Failing)
	}
	// Without the CODE_DEPLOY controller the empty group is a failure.
	for _, s := range st.Services {
		s.DeploymentController = ""
	}
	if rep := reach.Exposure(reach.Compile(st)); len(rep.Failing) != 1 {
		t.Errorf("ECS controller: %d failing, want 1", len(rep.Failing))
	}
}
