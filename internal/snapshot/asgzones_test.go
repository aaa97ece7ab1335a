package snapshot_test

import (
	"slices"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// An Auto Scaling group given Availability Zones and no subnets is
// described with an empty VPCZoneIdentifier and its zones; read back, it
// launches into those zones' default subnets again.
func TestRoundTripZonesOnlyAutoScalingGroup(t *testing.T) {
	e := engine.New(engine.WithConfig(engine.Config{DefaultVPC: true}))
	lt, err := e.CreateLaunchTemplate(engine.CreateLaunchTemplateInput{Name: "web", Data: model.LaunchTemplateData{ImageID: "ami-12c6146b", InstanceType: "t3.micro"}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := e.CreateAutoScalingGroup(engine.CreateAutoScalingGroupInput{Name: "zones", LaunchTemplate: &model.LaunchTemplateRef{ID: lt.ID, Version: "$Latest"},
		MinSize: 0, MaxSize: 2, AvailabilityZones: []string{"us-east-1a", "us-east-1b"}})
	if err != nil {
		t.Fatal(err)
	}
	if !g.ZonesOnly || len(g.Subnets) != 2 {
		t.Fatalf("engine: ZonesOnly %v subnets %v", g.ZonesOnly, g.Subnets)
	}
	st, _ := e.Snapshot()
	got, _ := roundTrip(t, st)
	back := got.AutoScalingGroups["zones"]
	if back == nil || !back.ZonesOnly || !slices.Equal(back.Subnets, g.Subnets) {
		t.Fatalf("read back: %+v, want ZonesOnly with subnets %v", back, g.Subnets)
	}
}
