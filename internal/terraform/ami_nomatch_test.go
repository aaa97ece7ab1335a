package terraform_test

import (
	"strings"
	"testing"
)

// An aws_ami query that no public image ecsnet knows meets goes on with a
// stand-in image and says so (terraform plan would fail unless AWS has
// one); a query it can answer is not warned of.
func TestAMIQueryWithoutMatchWarned(t *testing.T) {
	res := load(t, "testdata/ami-no-match", nil)
	var distro, ecs bool
	for _, w := range res.Warnings {
		distro = distro || strings.Contains(w.Msg, "data.aws_ami.distro") && strings.Contains(w.Msg, "Your query returned no results")
		ecs = ecs || strings.Contains(w.Msg, "data.aws_ami.ecs")
	}
	if !distro || ecs {
		t.Errorf("warnings %v: want one for data.aws_ami.distro and none for data.aws_ami.ecs", res.Warnings)
	}
	if res.Outputs["ecs"] == res.Outputs["distro"] || res.Outputs["ecs"] == "" {
		t.Errorf("outputs %v: the ECS-optimized query finds its own image", res.Outputs)
	}
}
