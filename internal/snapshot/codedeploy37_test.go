package snapshot_test

import (
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// A deployment group's info names its last successful and last attempted
// deployments (id, status, times): the reader keeps both ids and each
// deployment that has ended; one still under way is kept by id only (the
// group info does not say where it is). Before round thirty-seven the
// group's deployments were not read.
func TestCodeDeployLastDeployments(t *testing.T) {
	st := seedState(t, "article").Clone()
	created := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	st.CodeDeployApps["shop"] = &model.CodeDeployApp{ID: "a-1", Name: "shop", ComputePlatform: "ECS", Created: created}
	g := &model.CodeDeployGroup{ID: "g-1", Name: "shop-dg", App: "shop", ConfigName: "CodeDeployDefault.ECSAllAtOnce",
		ECSServices: []model.CodeDeployECSService{{Cluster: "demo", Service: "web"}}, LastSuccessful: "d-AAAAAAAAA", LastAttempted: "d-BBBBBBBBB", Config: map[string]any{}}
	st.CodeDeployGroups[model.CodeDeployGroupKey("shop", "shop-dg")] = g
	st.CodeDeployments["d-AAAAAAAAA"] = &model.CodeDeployment{ID: "d-AAAAAAAAA", App: "shop", Group: "shop-dg", Status: "Succeeded",
		Created: created, Completed: created.Add(10 * time.Minute), ComputePlatform: "ECS", Cluster: "demo", Service: "web"}
	st.CodeDeployments["d-BBBBBBBBB"] = &model.CodeDeployment{ID: "d-BBBBBBBBB", App: "shop", Group: "shop-dg", Status: "InProgress",
		Created: created.Add(time.Hour), ComputePlatform: "ECS", Cluster: "demo", Service: "web"}
	dir, _ := writeSnapshot(t, st)
	got := state(load(t, dir))
	gg := got.CodeDeployGroups[model.CodeDeployGroupKey("shop", "shop-dg")]
	if gg == nil || gg.LastSuccessful != "d-AAAAAAAAA" || gg.LastAttempted != "d-BBBBBBBBB" {
		t.Fatalf("group %+v", gg)
	}
	d := got.CodeDeployments["d-AAAAAAAAA"]
	if d == nil || d.Status != "Succeeded" || !d.Created.Equal(created) || !d.Completed.Equal(created.Add(10*time.Minute)) ||
		d.App != "shop" || d.Group != "shop-dg" || d.Cluster != "demo" || d.Service != "web" || d.ComputePlatform != "ECS" {
		t.Errorf("the last successful deployment %+v", d)
	}
	if d := got.CodeDeployments["d-BBBBBBBBB"]; d != nil {
		t.Errorf("a deployment under way read from the group info alone: %+v", d)
	}
}
