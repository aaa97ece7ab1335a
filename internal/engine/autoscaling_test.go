package engine_test

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

const testAMI = "ami-0123456789abcdef0"

func (f *netFixture) template(t *testing.T, name string, d model.LaunchTemplateData) *model.LaunchTemplate {
	t.Helper()
	if d.ImageID == "" {
		d.ImageID = testAMI
	}
	if d.InstanceType == "" {
		d.InstanceType = "t3.micro"
	}
	return need(f.e.CreateLaunchTemplate(engine.CreateLaunchTemplateInput{Name: name, Data: d}))
}

// groupInstances returns a group's instances by state.
func groupInstances(e *engine.Engine, name string) (live, gone []*model.Instance) {
	e.Read(func(st *model.State) {
		for _, inst := range st.Instances {
			if inst.AutoScalingGroup != name {
				continue
			}
			if inst.Live() {
				live = append(live, inst)
			} else {
				gone = append(gone, inst)
			}
		}
	})
	return live, gone
}

func zoneCounts(insts []*model.Instance) map[string]int {
	out := map[string]int{}
	for _, i := range insts {
		out[i.AvailabilityZone]++
	}
	return out
}

func intp(n int) *int { return &n }

func TestCreateAutoScalingGroupErrors(t *testing.T) {
	f := newNetFixture(t, true)
	lt := f.template(t, "web", model.LaunchTemplateData{SecurityGroupIDs: []model.SecurityGroupID{f.sg.ID}})
	foreignLT := f.template(t, "foreign", model.LaunchTemplateData{SecurityGroupIDs: []model.SecurityGroupID{f.otherGroup.ID}})
	ref := &model.LaunchTemplateRef{ID: lt.ID}
	subnets := []model.SubnetID{f.a.ID, f.b.ID}
	need(f.e.CreateAutoScalingGroup(engine.CreateAutoScalingGroupInput{Name: "taken", LaunchTemplate: ref, MaxSize: 1, Subnets: subnets}))
	cases := []struct {
		name      string
		in        engine.CreateAutoScalingGroupInput
		code, msg string
	}{
		{"no launch source", engine.CreateAutoScalingGroupInput{Name: "g", MaxSize: 1, Subnets: subnets},
			"ValidationError", "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter."},
		{"min above max", engine.CreateAutoScalingGroupInput{Name: "g", LaunchTemplate: ref, MinSize: 3, MaxSize: 1, Subnets: subnets},
			"ValidationError", "Max bound, 1, must be greater than or equal to min bound, 3"},
		{"desired above max", engine.CreateAutoScalingGroupInput{Name: "g", LaunchTemplate: ref, MinSize: 1, MaxSize: 2, DesiredCapacity: intp(5), Subnets: subnets},
			"ValidationError", "Desired capacity:5 must be between the specified min size:1 and max size:2"},
		{"desired below min", engine.CreateAutoScalingGroupInput{Name: "g", LaunchTemplate: ref, MinSize: 2, MaxSize: 4, DesiredCapacity: intp(1), Subnets: subnets},
			"ValidationError", "Desired capacity:1 must be between the specified min size:2 and max size:4"},
		{"no subnets", engine.CreateAutoScalingGroupInput{Name: "g", LaunchTemplate: ref, MaxSize: 1},
			"ValidationError", "At least one Availability Zone or VPC Subnet is required."},
		{"unknown subnet", engine.CreateAutoScalingGroupInput{Name: "g", LaunchTemplate: ref, MaxSize: 1, Subnets: []model.SubnetID{f.a.ID, "subnet-0000000000000dead"}},
			"ValidationError", "The subnet ID 'subnet-0000000000000dead' does not exist"},
		{"subnets of two vpcs", engine.CreateAutoScalingGroupInput{Name: "g", LaunchTemplate: ref, MaxSize: 1, Subnets: []model.SubnetID{f.a.ID, f.otherSub.ID}},
			"ValidationError", "The subnets specified in VPCZoneIdentifier must be in the same VPC"},
		{"unknown template id", engine.CreateAutoScalingGroupInput{Name: "g", LaunchTemplate: &model.LaunchTemplateRef{ID: "lt-0000000000000dead"}, MaxSize: 1, Subnets: subnets},
			"ValidationError", "You must use a valid fully-formed launch template. The specified launch template, with template ID lt-0000000000000dead, does not exist."},
		{"unknown template name", engine.CreateAutoScalingGroupInput{Name: "g", LaunchTemplate: &model.LaunchTemplateRef{Name: "nope"}, MaxSize: 1, Subnets: subnets},
			"ValidationError", "You must use a valid fully-formed launch template. The specified launch template, with template name nope, does not exist."},
		{"template id and name", engine.CreateAutoScalingGroupInput{Name: "g", LaunchTemplate: &model.LaunchTemplateRef{ID: lt.ID, Name: "web"}, MaxSize: 1, Subnets: subnets},
			"ValidationError", "Valid requests must contain either launchTemplateId or LaunchTemplateName"},
		{"template groups of another vpc", engine.CreateAutoScalingGroupInput{Name: "g", LaunchTemplate: &model.LaunchTemplateRef{ID: foreignLT.ID}, MaxSize: 1, Subnets: subnets},
			"ValidationError", "One or more security groups in the launch template are not linked to the VPCs configured in the Auto Scaling group"},
		{"unknown launch configuration", engine.CreateAutoScalingGroupInput{Name: "g", LaunchConfigurationName: "nope", MaxSize: 1, Subnets: subnets},
			"ValidationError", "Launch configuration name not found - Launch configuration nope not found"},
		{"unknown target group", engine.CreateAutoScalingGroupInput{Name: "g", LaunchTemplate: ref, MaxSize: 1, Subnets: subnets,
			TargetGroupARNs: []string{"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/gone/0123456789abcdef"}},
			"ValidationError", "Provided Target Groups may not be valid. Please ensure they exist and try again."},
		{"name taken", engine.CreateAutoScalingGroupInput{Name: "taken", LaunchTemplate: ref, MaxSize: 1, Subnets: subnets},
			"AlreadyExists", "AutoScalingGroup by this name already exists - A group with the name taken already exists"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			failsCleanly(t, f.e, c.code, c.msg, func() error {
				_, err := f.e.CreateAutoScalingGroup(c.in)
				return err
			})
		})
	}
}

func TestAutoScalingGroupBalancesZonesAndRegisters(t *testing.T) {
	f := newNetFixture(t, true)
	lt := f.template(t, "web", model.LaunchTemplateData{SecurityGroupIDs: []model.SecurityGroupID{f.sg.ID}})
	tg := f.tg(t, "web", "HTTP", 8080, "instance")
	g := need(f.e.CreateAutoScalingGroup(engine.CreateAutoScalingGroupInput{Name: "web", LaunchTemplate: &model.LaunchTemplateRef{Name: "web"},
		MinSize: 1, MaxSize: 4, DesiredCapacity: intp(3), Subnets: []model.SubnetID{f.a.ID, f.b.ID}, TargetGroupARNs: []string{tg.ARN},
		Tags: []model.ASGTag{{Key: "Name", Value: "web", PropagateAtLaunch: true}, {Key: "team", Value: "core"}}}))
	if g.LaunchTemplate.ID != lt.ID && g.LaunchTemplate.Name != "web" {
		t.Errorf("group template = %+v", g.LaunchTemplate)
	}
	// The launch activity starts with the request: the instances are
	// pending when CreateAutoScalingGroup returns; Step runs them.
	if live, _ := groupInstances(f.e, "web"); len(live) != 3 || live[0].State != model.InstancePending {
		t.Fatalf("after CreateAutoScalingGroup: %d instances (want 3 pending)", len(live))
	}
	ntNoErr(t, f.e.Converge())
	live, _ := groupInstances(f.e, "web")
	if got := zoneCounts(live); len(live) != 3 || got["us-east-1a"] != 2 || got["us-east-1b"] != 1 {
		t.Fatalf("3 instances over 2 zones: %v", got)
	}
	for _, inst := range live {
		if inst.State != model.InstanceRunning || inst.LaunchTemplate == nil || inst.LaunchTemplate.ID != lt.ID {
			t.Errorf("instance %s state %s template %+v", inst.ID, inst.State, inst.LaunchTemplate)
		}
		if inst.Tags["aws:autoscaling:groupName"] != "web" || inst.Tags["Name"] != "web" || inst.Tags["team"] != "" {
			t.Errorf("instance %s tags %v", inst.ID, inst.Tags)
		}
		if want := map[string]model.SubnetID{"us-east-1a": f.a.ID, "us-east-1b": f.b.ID}[inst.AvailabilityZone]; inst.SubnetID != want {
			t.Errorf("instance %s in %s/%s", inst.ID, inst.SubnetID, inst.AvailabilityZone)
		}
		var groups []model.SecurityGroupID
		f.e.Read(func(st *model.State) { groups = st.NetworkInterfaces[inst.PrimaryENI].SecurityGroups })
		if !slices.Equal(groups, []model.SecurityGroupID{f.sg.ID}) {
			t.Errorf("instance %s groups %v", inst.ID, groups)
		}
	}
	got := targets(f.e, tg.ARN)
	if len(got) != 3 {
		t.Fatalf("targets = %+v, want the 3 instances", got)
	}
	for _, x := range got {
		i := slices.IndexFunc(live, func(inst *model.Instance) bool { return string(inst.ID) == x.ID })
		if i < 0 || x.Port != 8080 || x.AvailabilityZone != live[i].AvailabilityZone {
			t.Errorf("target %+v", x)
		}
	}
	// Converged: another Step changes nothing.
	if changed := need(f.e.Step()); changed {
		t.Error("Step changed a converged group")
	}

	// Scale in to 2: one per zone, and the terminated one leaves the target group.
	ntNoErr(t, f.e.SetDesiredCapacity("web", 2))
	ntNoErr(t, f.e.Converge())
	live, gone := groupInstances(f.e, "web")
	if got := zoneCounts(live); len(live) != 2 || got["us-east-1a"] != 1 || got["us-east-1b"] != 1 {
		t.Errorf("after scale-in to 2: %v", got)
	}
	if len(gone) != 1 || gone[0].State != model.InstanceTerminated || gone[0].AvailabilityZone != "us-east-1a" {
		t.Errorf("terminated = %v", gone)
	}
	if got := targets(f.e, tg.ARN); len(got) != 2 || slices.ContainsFunc(got, func(x model.Target) bool { return x.ID == string(gone[0].ID) }) {
		t.Errorf("targets after scale-in = %+v", got)
	}

	failsCleanly(t, f.e, "ValidationError", "New SetDesiredCapacity value 5 is above max value 4 for the AutoScalingGroup.", func() error {
		return f.e.SetDesiredCapacity("web", 5)
	})
	failsCleanly(t, f.e, "ValidationError", "New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup.", func() error {
		return f.e.SetDesiredCapacity("web", 0)
	})
	failsCleanly(t, f.e, "ValidationError", "AutoScalingGroup name not found - null", func() error {
		return f.e.SetDesiredCapacity("nope", 1)
	})

	// A user-terminated instance is replaced.
	_, err := f.e.TerminateInstances([]model.InstanceID{live[0].ID})
	ntNoErr(t, err)
	ntNoErr(t, f.e.Converge())
	if live, _ := groupInstances(f.e, "web"); len(live) != 2 || zoneCounts(live)["us-east-1a"] != 1 {
		t.Errorf("after a user termination: %v", zoneCounts(live))
	}

	// Deleting needs ForceDelete while instances remain.
	failsCleanly(t, f.e, "ResourceInUse", "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.", func() error {
		return f.e.DeleteAutoScalingGroup("web", false)
	})
	ntNoErr(t, f.e.DeleteAutoScalingGroup("web", true))
	ntNoErr(t, f.e.Converge())
	live, gone = groupInstances(f.e, "web")
	if len(live) != 0 {
		t.Errorf("%d instances alive after ForceDelete", len(live))
	}
	f.e.Read(func(st *model.State) {
		if st.AutoScalingGroups["web"] != nil {
			t.Error("group still exists")
		}
		for _, inst := range gone {
			if len(st.InstanceENIs(inst.ID)) != 0 {
				t.Errorf("terminated instance %s still has ENIs", inst.ID)
			}
		}
	})
	if got := targets(f.e, tg.ARN); len(got) != 0 {
		t.Errorf("targets after ForceDelete = %+v", got)
	}
}

func TestAutoScalingGroupPublicIPs(t *testing.T) {
	f := newNetFixture(t, true)
	ntNoErr(t, f.e.ModifySubnetAttribute(f.b.ID, true)) // b maps public IPs, a does not
	yes := true
	f.template(t, "public", model.LaunchTemplateData{NetworkInterfaces: []model.LaunchTemplateNetworkInterface{{DeviceIndex: 0, AssociatePublicIPAddress: &yes}}})
	need(f.e.CreateLaunchConfiguration(engine.CreateLaunchConfigurationInput{Name: "plain", ImageID: testAMI, InstanceType: "t3.micro"}))
	groups := []struct {
		name     string
		in       engine.CreateAutoScalingGroupInput
		wantPub  bool
		wantAddr string
	}{
		{"template-says-yes", engine.CreateAutoScalingGroupInput{LaunchTemplate: &model.LaunchTemplateRef{Name: "public"}, Subnets: []model.SubnetID{f.a.ID}}, true, ""},
		{"subnet-maps", engine.CreateAutoScalingGroupInput{LaunchConfigurationName: "plain", Subnets: []model.SubnetID{f.b.ID}}, true, ""},
		{"subnet-does-not", engine.CreateAutoScalingGroupInput{LaunchConfigurationName: "plain", Subnets: []model.SubnetID{f.a.ID}}, false, ""},
		{"pinned", engine.CreateAutoScalingGroupInput{LaunchConfigurationName: "plain", Subnets: []model.SubnetID{f.b.ID},
			FixedPublicIPs: []netip.Addr{netip.MustParseAddr("203.0.113.2"), netip.MustParseAddr("203.0.113.3")}}, true, "203.0.113.2"},
	}
	for _, g := range groups {
		in := g.in
		in.Name, in.MinSize, in.MaxSize = g.name, 1, 1
		need(f.e.CreateAutoScalingGroup(in))
	}
	ntNoErr(t, f.e.Converge())
	for _, g := range groups {
		live, _ := groupInstances(f.e, g.name)
		if len(live) != 1 {
			t.Fatalf("%s: %d instances", g.name, len(live))
		}
		var pub netip.Addr
		var ok bool
		f.e.Read(func(st *model.State) { pub, ok = st.NetworkInterfaces[live[0].PrimaryENI].PublicIP() })
		if ok != g.wantPub || (g.wantAddr != "" && pub.String() != g.wantAddr) {
			t.Errorf("%s: public IP %v %v, want %v %s", g.name, pub, ok, g.wantPub, g.wantAddr)
		}
	}
	// The pinned group's replacement instance is instance 2: it gets the second address.
	live, _ := groupInstances(f.e, "pinned")
	_, err := f.e.TerminateInstances([]model.InstanceID{live[0].ID})
	ntNoErr(t, err)
	ntNoErr(t, f.e.Converge())
	live, _ = groupInstances(f.e, "pinned")
	f.e.Read(func(st *model.State) {
		if pub, _ := st.NetworkInterfaces[live[0].PrimaryENI].PublicIP(); len(live) != 1 || pub.String() != "203.0.113.3" {
			t.Errorf("replacement public IP = %v", pub)
		}
	})
}

func TestAutoScalingLaunchFailureLeavesNothing(t *testing.T) {
	f := newNetFixture(t, true)
	full := need(f.e.CreateSubnet(engine.CreateSubnetInput{VpcID: f.vpc.ID, CIDR: "10.0.9.0/28", AvailabilityZone: "us-east-1c"}))
	for range 11 {
		need(f.e.CreateNetworkInterface(engine.CreateNetworkInterfaceInput{SubnetID: full.ID}))
	}
	need(f.e.CreateLaunchConfiguration(engine.CreateLaunchConfigurationInput{Name: "plain", ImageID: testAMI, InstanceType: "t3.micro"}))
	enisBefore := 0
	f.e.Read(func(st *model.State) { enisBefore = len(st.NetworkInterfaces) })
	need(f.e.CreateAutoScalingGroup(engine.CreateAutoScalingGroupInput{Name: "stuck", LaunchConfigurationName: "plain", MinSize: 1, MaxSize: 1, Subnets: []model.SubnetID{full.ID}}))
	need(f.e.CreateAutoScalingGroup(engine.CreateAutoScalingGroupInput{Name: "spill", LaunchConfigurationName: "plain", MinSize: 2, MaxSize: 2, Subnets: []model.SubnetID{full.ID, f.b.ID}}))
	need(f.e.CreateAutoScalingGroup(engine.CreateAutoScalingGroupInput{Name: "fine", LaunchConfigurationName: "plain", MinSize: 1, MaxSize: 1, Subnets: []model.SubnetID{f.a.ID}}))
	ntNoErr(t, f.e.Converge())
	if changed := need(f.e.Step()); changed {
		t.Error("a failing launch counts as a change on every Step")
	}
	if live, _ := groupInstances(f.e, "stuck"); len(live) != 0 {
		t.Errorf("stuck group launched %d instances", len(live))
	}
	if live, _ := groupInstances(f.e, "spill"); len(live) != 2 || zoneCounts(live)["us-east-1b"] != 2 {
		t.Errorf("spill group = %v, want both instances in the zone with room", zoneCounts(live))
	}
	if live, _ := groupInstances(f.e, "fine"); len(live) != 1 {
		t.Errorf("fine group has %d instances", len(live))
	}
	f.e.Read(func(st *model.State) {
		if n := len(st.NetworkInterfaces); n != enisBefore+3 {
			t.Errorf("%d ENIs, want %d (one per launched instance)", n, enisBefore+3)
		}
		want := fmt.Sprintf("Launching a new EC2 instance. Status Reason: There are not enough free addresses in subnet '%s' to satisfy the requested number of instances. Launching EC2 instance failed.", full.ID)
		if got := st.AutoScalingGroups["stuck"].LastActivity; got != want {
			t.Errorf("LastActivity = %q\nwant %q", got, want)
		}
		if got := st.AutoScalingGroups["stuck"].LaunchCount; got != 0 {
			t.Errorf("LaunchCount = %d after failed launches", got)
		}
		if got := st.AutoScalingGroups["fine"].LastActivity; got != "" {
			t.Errorf("fine group LastActivity = %q", got)
		}
	})
}

func TestLaunchConfigurationsAndUpdates(t *testing.T) {
	f := newNetFixture(t, true)
	lc := need(f.e.CreateLaunchConfiguration(engine.CreateLaunchConfigurationInput{Name: "plain", ImageID: testAMI, InstanceType: "t3.micro"}))
	if want := "arn:aws:autoscaling:us-east-1:123456789012:launchConfiguration:"; len(lc.ARN) < len(want) || lc.ARN[:len(want)] != want {
		t.Errorf("ARN = %s", lc.ARN)
	}
	failsCleanly(t, f.e, "AlreadyExists", "Launch Configuration by this name already exists - A launch configuration already exists with the name plain", func() error {
		_, err := f.e.CreateLaunchConfiguration(engine.CreateLaunchConfigurationInput{Name: "plain", ImageID: testAMI, InstanceType: "t3.micro"})
		return err
	})
	tg1, tg2 := f.tg(t, "one", "HTTP", 80, "instance"), f.tg(t, "two", "HTTP", 80, "instance")
	need(f.e.CreateAutoScalingGroup(engine.CreateAutoScalingGroupInput{Name: "web", LaunchConfigurationName: "plain", MinSize: 1, MaxSize: 3,
		Subnets: []model.SubnetID{f.a.ID}, TargetGroupARNs: []string{tg1.ARN}}))
	failsCleanly(t, f.e, "ResourceInUse", "Cannot delete launch configuration plain because it is attached to AutoScalingGroup web", func() error {
		return f.e.DeleteLaunchConfiguration("plain")
	})
	failsCleanly(t, f.e, "ValidationError", "Launch configuration name not found - Launch configuration nope not found", func() error {
		return f.e.DeleteLaunchConfiguration("nope")
	})
	ntNoErr(t, f.e.Converge())
	if got := targets(f.e, tg1.ARN); len(got) != 1 {
		t.Fatalf("tg1 targets = %+v", got)
	}
	// A MinSize above the desired capacity raises it; moving target groups
	// deregisters from the old one and registers in the new one.
	g := need(f.e.UpdateAutoScalingGroup(engine.UpdateAutoScalingGroupInput{Name: "web", MinSize: intp(2), TargetGroupARNs: []string{tg2.ARN}}))
	if g.DesiredCapacity != 2 {
		t.Errorf("desired = %d after MinSize 2", g.DesiredCapacity)
	}
	ntNoErr(t, f.e.Converge())
	if got1, got2 := targets(f.e, tg1.ARN), targets(f.e, tg2.ARN); len(got1) != 0 || len(got2) != 2 {
		t.Errorf("targets: tg1 %+v, tg2 %+v", got1, got2)
	}
	g = need(f.e.UpdateAutoScalingGroup(engine.UpdateAutoScalingGroupInput{Name: "web", MinSize: intp(0), MaxSize: intp(1)}))
	if g.DesiredCapacity != 1 {
		t.Errorf("desired = %d after MaxSize 1", g.DesiredCapacity)
	}
	failsCleanly(t, f.e, "ValidationError", "Max bound, 1, must be greater than or equal to min bound, 2", func() error {
		_, err := f.e.UpdateAutoScalingGroup(engine.UpdateAutoScalingGroupInput{Name: "web", MinSize: intp(2), DesiredCapacity: intp(1)})
		return err
	})
	ntNoErr(t, f.e.DeleteAutoScalingGroup("web", true))
	ntNoErr(t, f.e.DeleteLaunchConfiguration("plain"))
}

// A large capacity is reached in batches: the request launches the first
// batch, Step the rest, so no one request does work that grows with the
// capacity asked for.
func TestAutoScalingGroupLaunchesInBatches(t *testing.T) {
	f := newNetFixture(t, true)
	f.template(t, "web", model.LaunchTemplateData{SecurityGroupIDs: []model.SecurityGroupID{f.sg.ID}})
	need(f.e.CreateAutoScalingGroup(engine.CreateAutoScalingGroupInput{Name: "web", LaunchTemplate: &model.LaunchTemplateRef{Name: "web"},
		MinSize: 0, MaxSize: 200, DesiredCapacity: intp(120), Subnets: []model.SubnetID{f.a.ID, f.b.ID}}))
	live, _ := groupInstances(f.e, "web")
	if len(live) == 0 || len(live) >= 120 {
		t.Fatalf("after CreateAutoScalingGroup: %d instances, want a first batch of fewer than 120", len(live))
	}
	first := len(live)
	ntNoErr(t, f.e.Converge())
	if live, _ = groupInstances(f.e, "web"); len(live) != 120 {
		t.Fatalf("after Converge: %d instances, want 120 (first batch %d)", len(live), first)
	}
}

// An instance set Unhealthy stays Unhealthy while Auto Scaling terminates
// it (LifecycleState Terminating, HealthStatus Unhealthy), until it is
// gone.
func TestUnhealthyWhileTerminating(t *testing.T) {
	f := newNetFixture(t, true)
	f.template(t, "web", model.LaunchTemplateData{SecurityGroupIDs: []model.SecurityGroupID{f.sg.ID}})
	need(f.e.CreateAutoScalingGroup(engine.CreateAutoScalingGroupInput{Name: "web", LaunchTemplate: &model.LaunchTemplateRef{Name: "web"},
		MinSize: 1, MaxSize: 2, DesiredCapacity: intp(1), Subnets: []model.SubnetID{f.a.ID}}))
	ntNoErr(t, f.e.Converge())
	live, _ := groupInstances(f.e, "web")
	id := live[0].ID
	ntNoErr(t, f.e.SetInstanceHealth(id, "Unhealthy", false))
	for range 10 {
		if _, err := f.e.Step(); err != nil {
			t.Fatal(err)
		}
		var state model.InstanceState
		var unhealthy bool
		f.e.Read(func(st *model.State) {
			state, unhealthy = st.Instances[id].State, st.AutoScalingGroups["web"].Unhealthy(id)
		})
		if state == model.InstanceShuttingDown && !unhealthy {
			t.Fatalf("instance %s is terminating and no longer Unhealthy", id)
		}
		if state == model.InstanceTerminated {
			return
		}
	}
	t.Fatalf("the unhealthy instance %s was not replaced", id)
}
