package scenario_test

import (
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// codedeploy: on a CODE_DEPLOY service creates its CodeDeploy application
// and blue/green deployment group: the service, the target group pair,
// the listener that forwards to the first group as the production one. A
// codedeploy: on another controller, or without a listener to the first
// group, is an error at its line.
func TestCodeDeployGroup(t *testing.T) {
	data, err := os.ReadFile("../../examples/failures/codedeploy-image-ecr-arn.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file := string(data)
	sc, err := scenario.Parse("c.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	g := st.CodeDeployGroups[model.CodeDeployGroupKey("app", "app-dg")]
	if st.CodeDeployApps["app"] == nil || g == nil || g.Name != "app-dg" || len(g.ECSServices) != 1 || g.ECSServices[0].Service != "app" ||
		len(g.TargetGroupPairs) != 1 || strings.Join(g.TargetGroupPairs[0].TargetGroups, ",") != "app-tg,app-tg-2" || len(g.TargetGroupPairs[0].ProdListeners) != 1 {
		t.Fatalf("application %+v, group %+v", st.CodeDeployApps["app"], g)
	}
	if l := st.Listeners[g.TargetGroupPairs[0].ProdListeners[0]]; l == nil || l.Port != 80 {
		t.Errorf("production listener %+v", l)
	}
	for _, c := range []struct{ name, from, to, want string }{
		{"not CODE_DEPLOY", "    deployment_controller: CODE_DEPLOY\n", "", "deployment_controller must be CODE_DEPLOY"},
		{"no listener to the first group", "target_groups: [app-tg, app-tg-2]", "target_groups: [app-tg-2, app-tg]", "no listener forwards to the target group app-tg-2"},
	} {
		sc, err := scenario.Parse("c.yaml", []byte(strings.Replace(file, c.from, c.to, 1)))
		if err == nil {
			_, err = sc.Build()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "c.yaml:") {
			t.Errorf("%s: %v, want %q at a line", c.name, err, c.want)
		}
	}
}
