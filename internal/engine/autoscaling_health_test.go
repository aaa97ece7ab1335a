package engine_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// clockFixture is a network with one subnet and a target group, on an
// engine whose clock the test moves.
type clockFixture struct {
	e   *engine.Engine
	now time.Time
	sub model.SubnetID
	tg  string
}

func newClockFixture(t *testing.T) *clockFixture {
	t.Helper()
	f := &clockFixture{now: time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)}
	f.e = engine.New(engine.WithIDs(engine.SeededIDs(1)), engine.WithClock(func() time.Time { return f.now }))
	vpc := need(f.e.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"}))
	f.sub = need(f.e.CreateSubnet(engine.CreateSubnetInput{VpcID: vpc.ID, CIDR: "10.0.1.0/24", AvailabilityZone: "us-east-1a"})).ID
	f.tg = need(f.e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: "web", Protocol: "HTTP", Port: 80, VpcID: vpc.ID, TargetType: "instance"})).ARN
	need(f.e.CreateLaunchTemplate(engine.CreateLaunchTemplateInput{Name: "web", Data: model.LaunchTemplateData{ImageID: testAMI, InstanceType: "t3.micro"}}))
	return f
}

// step moves the clock by d and steps until the engine settles.
func (f *clockFixture) step(t *testing.T, d time.Duration) {
	t.Helper()
	f.now = f.now.Add(d)
	for range 20 {
		if !need(f.e.Step()) {
			return
		}
	}
}

func (f *clockFixture) group(name string) (g *model.AutoScalingGroup) {
	f.e.Read(func(st *model.State) { g = st.AutoScalingGroups[name] })
	return g
}

// TestASGELBHealthCheck checks the engine's side of Auto Scaling's ELB
// health check: an instance is checked only once the grace period after
// its launch has passed (ELBHealthChecks says when), a report before that
// or for a group whose HealthCheck process is suspended does nothing, and
// an instance reported unhealthy is marked Unhealthy and replaced at the
// next step, scale-in protection notwithstanding, with AWS's activity.
func TestASGELBHealthCheck(t *testing.T) {
	f := newClockFixture(t)
	need(f.e.CreateAutoScalingGroup(engine.CreateAutoScalingGroupInput{Name: "web", LaunchTemplate: &model.LaunchTemplateRef{Name: "web"},
		MinSize: 1, MaxSize: 2, DesiredCapacity: intp(1), Subnets: []model.SubnetID{f.sub}, TargetGroupARNs: []string{f.tg},
		HealthCheckType: "ELB", HealthCheckGracePeriod: 300, NewInstancesProtected: true}))
	f.step(t, 10*time.Second) // the instance runs
	live, _ := groupInstances(f.e, "web")
	if len(live) != 1 || live[0].State != model.InstanceRunning {
		t.Fatalf("instances: %+v", live)
	}
	first := live[0]
	if !f.group("web").IsProtected(first.ID) {
		t.Fatal("the instance is not protected from scale in")
	}
	due, next := f.e.ELBHealthChecks()
	if len(due) != 0 || !next.Equal(first.LaunchTime.Add(300*time.Second)) {
		t.Fatalf("within the grace period: due %+v, next %v (launched %v)", due, next, first.LaunchTime)
	}
	ntNoErr(t, f.e.ReportELBUnhealthy("web", []model.InstanceID{first.ID}))
	if f.group("web").Unhealthy(first.ID) {
		t.Fatal("a report within the grace period marked the instance")
	}

	f.step(t, 300*time.Second)
	due, next = f.e.ELBHealthChecks()
	if len(due) != 1 || due[0].Instance != first.ID || due[0].TargetGroups[0] != f.tg || !next.IsZero() {
		t.Fatalf("after the grace period: due %+v, next %v", due, next)
	}
	ntNoErr(t, f.e.SuspendProcesses("web", []string{"HealthCheck"}, true))
	if due, _ := f.e.ELBHealthChecks(); len(due) != 0 {
		t.Fatalf("HealthCheck suspended: due %+v", due)
	}
	ntNoErr(t, f.e.ReportELBUnhealthy("web", []model.InstanceID{first.ID}))
	if f.group("web").Unhealthy(first.ID) {
		t.Fatal("a report with HealthCheck suspended marked the instance")
	}
	ntNoErr(t, f.e.SuspendProcesses("web", []string{"HealthCheck"}, false))

	ntNoErr(t, f.e.ReportELBUnhealthy("web", []model.InstanceID{first.ID}))
	if !f.group("web").Unhealthy(first.ID) {
		t.Fatal("the report did not mark the instance Unhealthy")
	}
	f.step(t, time.Second)
	live, gone := groupInstances(f.e, "web")
	if len(gone) != 1 || gone[0].ID != first.ID || len(live) != 1 || live[0].ID == first.ID {
		t.Fatalf("after the step: live %v, gone %v", live, gone)
	}
	g := f.group("web")
	if g.Unhealthy(first.ID) || g.IsProtected(first.ID) {
		t.Errorf("the group still lists the replaced instance: unhealthy %v protected %v", g.UnhealthyInstances, g.ProtectedInstances)
	}
	var found bool
	for _, a := range g.Activities {
		if a.Description == "Terminating EC2 instance: "+string(first.ID) {
			found = true
			if want := "At " + f.now.Format(time.RFC3339) + " an instance was taken out of service in response to a ELB system health check failure."; a.Cause != want {
				t.Errorf("cause: %q, want %q", a.Cause, want)
			}
		}
	}
	if !found || !strings.HasPrefix(g.Activities[0].Description, "Launching a new EC2 instance: ") {
		t.Errorf("activities: %+v", g.Activities)
	}

	// Without a grace period, the target group's health checks still
	// need UnhealthyThreshold (2) checks, IntervalSeconds (30) apart, to
	// find the instance unhealthy.
	grace := 0
	need(f.e.UpdateAutoScalingGroup(engine.UpdateAutoScalingGroupInput{Name: "web", HealthCheckGracePeriod: &grace}))
	f.step(t, time.Second)
	live, _ = groupInstances(f.e, "web")
	if _, next := f.e.ELBHealthChecks(); len(live) != 1 || !next.Equal(live[0].LaunchTime.Add(60*time.Second)) {
		t.Errorf("grace period 0: next check %v, want 60 s after the launch of %+v", next, live)
	}
}

// TestASGLaunchHookTimeout checks launch lifecycle hooks as AWS documents
// them: the instance waits in Pending:Wait (out of the target group) until
// the heartbeat timeout, then the hook's DefaultResult applies: ABANDON
// terminates it (and the group launches another), CONTINUE lets it in.
func TestASGLaunchHookTimeout(t *testing.T) {
	for _, result := range []string{"ABANDON", "CONTINUE"} {
		t.Run(result, func(t *testing.T) {
			f := newClockFixture(t)
			need(f.e.CreateAutoScalingGroup(engine.CreateAutoScalingGroupInput{Name: "web", LaunchTemplate: &model.LaunchTemplateRef{Name: "web"},
				MinSize: 1, MaxSize: 2, DesiredCapacity: intp(1), Subnets: []model.SubnetID{f.sub}, TargetGroupARNs: []string{f.tg},
				LifecycleHooks: []model.LifecycleHook{{Name: "boot", Transition: "autoscaling:EC2_INSTANCE_LAUNCHING", HeartbeatTimeout: 60, DefaultResult: result}}}))
			f.step(t, 10*time.Second)
			live, _ := groupInstances(f.e, "web")
			if len(live) != 1 || !f.group("web").Waiting(live[0].ID) {
				t.Fatalf("the instance does not wait: %+v", live)
			}
			first := live[0].ID
			registered := func(id model.InstanceID) (ok bool) {
				f.e.Read(func(st *model.State) {
					for _, x := range st.TargetGroups[f.tg].Targets.All() {
						ok = ok || x.ID == string(id)
					}
				})
				return ok
			}
			if registered(first) {
				t.Fatal("a waiting instance joined the target group")
			}
			f.step(t, 40*time.Second) // 50 s after the launch: still waiting
			if !f.group("web").Waiting(first) {
				t.Fatal("the action ended before its heartbeat timeout")
			}
			f.step(t, 20*time.Second)
			live, gone := groupInstances(f.e, "web")
			switch result {
			case "ABANDON":
				if len(gone) != 1 || gone[0].ID != first || len(live) != 1 || live[0].ID == first || !f.group("web").Waiting(live[0].ID) {
					t.Fatalf("after the timeout: live %v, gone %v", live, gone)
				}
			case "CONTINUE":
				if len(live) != 1 || live[0].ID != first || f.group("web").Waiting(first) || !registered(first) {
					t.Fatalf("after the timeout: live %v, gone %v, waiting %v", live, gone, f.group("web").Waiting(first))
				}
			}
		})
	}
}

// TestELBHealthChecksAllocationFree: without a group that uses ELB health
// checks, the server's periodic question allocates nothing.
func TestELBHealthChecksAllocationFree(t *testing.T) {
	f := newClockFixture(t)
	need(f.e.CreateAutoScalingGroup(engine.CreateAutoScalingGroupInput{Name: "web", LaunchTemplate: &model.LaunchTemplateRef{Name: "web"},
		MinSize: 1, MaxSize: 2, DesiredCapacity: intp(1), Subnets: []model.SubnetID{f.sub}, TargetGroupARNs: []string{f.tg}}))
	f.step(t, time.Minute)
	if n := testing.AllocsPerRun(100, func() { f.e.ELBHealthChecks() }); n != 0 {
		t.Errorf("ELBHealthChecks allocates %v times per call with no ELB-checked group", n)
	}
}

// TestASGUnhealthyTerminationHook: an unhealthy running instance leaves
// through the group's termination hooks (Terminating:Wait, out of the
// capacity: its replacement launches meanwhile), keeps its Unhealthy
// status while it waits, and is terminated when the action completes,
// with one "Terminating EC2 instance" activity.
func TestASGUnhealthyTerminationHook(t *testing.T) {
	f := newClockFixture(t)
	need(f.e.CreateAutoScalingGroup(engine.CreateAutoScalingGroupInput{Name: "web", LaunchTemplate: &model.LaunchTemplateRef{Name: "web"},
		MinSize: 1, MaxSize: 2, DesiredCapacity: intp(1), Subnets: []model.SubnetID{f.sub},
		LifecycleHooks: []model.LifecycleHook{{Name: "drain", Transition: "autoscaling:EC2_INSTANCE_TERMINATING", HeartbeatTimeout: 300, DefaultResult: "CONTINUE"}}}))
	f.step(t, 10*time.Second)
	live, _ := groupInstances(f.e, "web")
	if len(live) != 1 {
		t.Fatalf("instances: %+v", live)
	}
	first := live[0].ID
	ntNoErr(t, f.e.SetInstanceHealth(first, "Unhealthy", false))
	f.step(t, time.Second)
	g := f.group("web")
	if !g.Leaving(first) || !g.Unhealthy(first) {
		t.Fatalf("the unhealthy instance does not wait on the termination hook: leaving %v, unhealthy %v", g.Leaving(first), g.Unhealthy(first))
	}
	live, _ = groupInstances(f.e, "web")
	if len(live) != 2 {
		t.Fatalf("%d live instances while it waits, want 2 (it and its replacement)", len(live))
	}
	ntNoErr(t, f.e.LifecycleAction(engine.LifecycleActionInput{Group: "web", Hook: "drain", Instance: first, Result: "CONTINUE"}))
	f.step(t, time.Minute)
	live, gone := groupInstances(f.e, "web")
	if len(live) != 1 || live[0].ID == first || len(gone) != 1 || gone[0].ID != first {
		t.Fatalf("after CONTINUE: live %v, gone %v", live, gone)
	}
	n := 0
	for _, a := range f.group("web").Activities {
		if a.Description == "Terminating EC2 instance: "+string(first) {
			n++
			if !strings.HasSuffix(a.Cause, " an instance was taken out of service in response to a user health-check.") {
				t.Errorf("cause: %q", a.Cause)
			}
		}
	}
	if n != 1 || f.group("web").Unhealthy(first) {
		t.Errorf("%d termination activities, want 1; unhealthy list %v", n, f.group("web").UnhealthyInstances)
	}
}

// TestASGUnhealthyLaunchSuspended: with Launch suspended, ReplaceUnhealthy
// still terminates an unhealthy instance but launches no replacement
// until Launch resumes.
func TestASGUnhealthyLaunchSuspended(t *testing.T) {
	f := newClockFixture(t)
	need(f.e.CreateAutoScalingGroup(engine.CreateAutoScalingGroupInput{Name: "web", LaunchTemplate: &model.LaunchTemplateRef{Name: "web"},
		MinSize: 1, MaxSize: 2, DesiredCapacity: intp(1), Subnets: []model.SubnetID{f.sub}}))
	f.step(t, 10*time.Second)
	live, _ := groupInstances(f.e, "web")
	if len(live) != 1 {
		t.Fatalf("instances: %+v", live)
	}
	ntNoErr(t, f.e.SuspendProcesses("web", []string{"Launch"}, true))
	ntNoErr(t, f.e.SetInstanceHealth(live[0].ID, "Unhealthy", false))
	f.step(t, time.Minute)
	if live, gone := groupInstances(f.e, "web"); len(live) != 0 || len(gone) != 1 {
		t.Fatalf("Launch suspended: live %v, gone %v; want the unhealthy instance terminated and none launched", live, gone)
	}
	ntNoErr(t, f.e.SuspendProcesses("web", []string{"Launch"}, false))
	f.step(t, time.Second)
	if live, _ := groupInstances(f.e, "web"); len(live) != 1 {
		t.Fatalf("Launch resumed: live %v, want the replacement", live)
	}
}
