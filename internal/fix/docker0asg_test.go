package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// TestDocker0FixAutoScaling: docker0 of an Auto Scaling group's
// instance takes the VPC's addresses; the verified fix is a new launch
// template version whose user data carries the bip in a cloud boothook,
// made the default, and the group's instances replaced: the new instance
// reads it, and the probe from it connects.
func TestDocker0FixAutoScaling(t *testing.T) {
	sc, err := scenario.Load("../../examples/failures/docker0-asg-vpc-cidr-overlap.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	e := b.Engine
	fixes, res, err := fix.Find(e, "ecs-asg/0", "db-host:22", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.NoRoute {
		t.Fatalf("before: %s: %s", res.Verdict, res.Summary)
	}
	var f *fix.Fix
	for i := range fixes {
		if fixes[i].Kind == "user-data" {
			f = &fixes[i]
		}
	}
	if f == nil {
		var titles []string
		for _, x := range fixes {
			titles = append(titles, x.Title)
		}
		t.Fatalf("no user-data fix among %q", titles)
	}
	cmds := strings.Join(f.Commands, "\n")
	for _, want := range []string{"#cloud-boothook", `"bip": "192.168.254.1/24"`, "ECS_CLUSTER=demo", "create-launch-template-version", "modify-launch-template", "start-instance-refresh --auto-scaling-group-name ecs-asg"} {
		if !strings.Contains(cmds, want) {
			t.Errorf("commands lack %q:\n%s", want, cmds)
		}
	}
	if strings.Contains(cmds, "stop-instances") || !strings.Contains(f.Scenario, "launch_templates:\n  ecs-node:") {
		t.Errorf("commands or scenario change the instance, not the template:\n%s\n%s", cmds, f.Scenario)
	}
	if err := f.Apply(e); err != nil {
		t.Fatal(err)
	}
	st, _ := e.Snapshot()
	for _, i := range st.Instances {
		if i.AutoScalingGroup == "ecs-asg" && i.State == model.InstanceRunning && i.DockerBridge().Masked().String() != "192.168.254.0/24" {
			t.Errorf("instance %s of the group has docker0 %s", i.ID, i.DockerBridge())
		}
	}
	if v := f.Verification; v.From != "ecs-asg/1" || v.Verdict != reach.Connected {
		t.Errorf("verification %+v, want a connection from the replacement ecs-asg/1", v)
	}
}
