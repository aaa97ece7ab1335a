package engine_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// BenchmarkLockHoldsAtScale measures how long each kind of transaction
// holds the engine's lock in a large estate, by the CPU time of the
// holding thread (Engine.MeasureHoldCPU: what the hold costs, whatever
// else the machine runs) and by wall time. Two Fargate services, each in
// its own VPC behind an ALB's ip target group, converge to N tasks in all
// (N ENIs, N targets); then operations that a user makes on such an
// estate run between Steps: RunTask with a clientToken, CreateNetworkInterface,
// a DryRun, a DeleteSubnet that fails its dependency check, a Snapshot, five
// Clones, a scale-in by a tenth (tasks stop, targets deregister) and back.
//
//	go test -run XXX -bench LockHoldsAtScale -benchtime 1x ./internal/engine
//	ECSNET_HOLD_TASKS=100000 go test -run XXX -bench LockHoldsAtScale -benchtime 1x ./internal/engine
//
// It reports the largest p99 and max CPU hold of any kind, and logs every
// kind's distribution.
func BenchmarkLockHoldsAtScale(b *testing.B) {
	sizes := []int{10000}
	if s := os.Getenv("ECSNET_HOLD_TASKS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		sizes = []int{n}
	}
	for _, n := range sizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for range b.N {
				lockHolds(b, n)
			}
		})
	}
}

func lockHolds(b *testing.B, tasks int) {
	e := engine.New(engine.WithIDs(engine.SeededIDs(7)))
	must(e.CreateCluster(engine.CreateClusterInput{Name: "big"}))
	must(e.RegisterTaskDefinition(engine.RegisterTaskDefinitionInput{Family: "web", NetworkMode: "awsvpc", RequiresCompatibilities: []string{"FARGATE"},
		CPU: "256", Memory: "512",
		Containers: []model.ContainerDefinition{{Name: "web", Image: "nginx", Essential: true, PortMappings: []model.PortMapping{{ContainerPort: 80}}}}}))
	var subnets []model.SubnetID
	for v := range 2 {
		vpc := must(e.CreateVpc(engine.CreateVpcInput{CIDR: fmt.Sprintf("10.%d.0.0/16", v)}))
		a := must(e.CreateSubnet(engine.CreateSubnetInput{VpcID: vpc.ID, CIDR: fmt.Sprintf("10.%d.0.0/17", v), AvailabilityZone: "us-east-1a"}))
		c := must(e.CreateSubnet(engine.CreateSubnetInput{VpcID: vpc.ID, CIDR: fmt.Sprintf("10.%d.128.0/17", v), AvailabilityZone: "us-east-1b"}))
		subnets = append(subnets, a.ID)
		igw := must(e.CreateInternetGateway(nil))
		if err := e.AttachInternetGateway(igw.ID, vpc.ID); err != nil {
			b.Fatal(err)
		}
		if err := e.CreateRoute(engine.RouteInput{RouteTableID: vpc.MainRouteTable, DestinationCIDR: "0.0.0.0/0", GatewayID: string(igw.ID)}); err != nil {
			b.Fatal(err)
		}
		lb := must(e.CreateLoadBalancer(engine.CreateLoadBalancerInput{Name: fmt.Sprintf("alb-%d", v), Subnets: []model.SubnetID{a.ID, c.ID}}))
		tg := must(e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: fmt.Sprintf("tg-%d", v), Protocol: "HTTP", Port: 80, VpcID: vpc.ID, TargetType: "ip"}))
		must(e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 80,
			DefaultActions: []model.ListenerAction{{Type: "forward", TargetGroupARN: tg.ARN}}}))
		must(e.CreateService(engine.CreateServiceInput{Cluster: "big", Name: fmt.Sprintf("web-%d", v), TaskDefinition: "web", DesiredCount: tasks / 2,
			LaunchType: model.LaunchFargate, Network: &model.AwsVpcConfiguration{Subnets: []model.SubnetID{a.ID, c.ID}, AssignPublicIP: true},
			LoadBalancers: []model.ServiceLoadBalancer{{TargetGroupARN: tg.ARN, ContainerName: "web", ContainerPort: 80}}}))
	}
	e.MeasureHoldCPU(true)
	e.HoldStats(true)
	b.ResetTimer()
	steps := 0
	step := func() bool {
		steps++
		changed, err := e.Step()
		if err != nil {
			b.Fatal(err)
		}
		return changed
	}
	for step() {
	}
	// A user's operations on the converged estate, between Steps.
	for i := range 50 {
		must(e.RunTask(engine.RunTaskInput{Cluster: "big", TaskDefinition: "web", Count: 1, LaunchType: model.LaunchFargate,
			ClientToken: fmt.Sprintf("token-%d", i), Network: &model.AwsVpcConfiguration{Subnets: subnets[:1]}}))
		must(e.CreateNetworkInterface(engine.CreateNetworkInterfaceInput{SubnetID: subnets[1]}))
		// A DryRun (EC2's DryRun parameter), a dependency check that
		// fails (the subnet has ENIs), and a Snapshot (DescribeTargetHealth
		// and the UI take one).
		if err := e.DryRun(func(d *engine.Engine) error {
			_, err := d.CreateNetworkInterface(engine.CreateNetworkInterfaceInput{SubnetID: subnets[0]})
			return err
		}); err != nil {
			b.Fatal(err)
		}
		if err := e.DeleteSubnet(subnets[0]); err == nil {
			b.Fatal("DeleteSubnet of a subnet with ENIs succeeded")
		}
		e.Snapshot()
		if i < 5 {
			e.Clone() // what a DryRun cost before Engine.DryRun (the fixes and the UI still clone)
		}
		step()
	}
	for v := range 2 {
		less := tasks / 2 * 9 / 10
		must(e.UpdateService(engine.UpdateServiceInput{Cluster: "big", Service: fmt.Sprintf("web-%d", v), DesiredCount: &less}))
	}
	for step() {
	}
	for v := range 2 {
		back := tasks / 2
		must(e.UpdateService(engine.UpdateServiceInput{Cluster: "big", Service: fmt.Sprintf("web-%d", v), DesiredCount: &back}))
	}
	for step() {
	}
	b.StopTimer()
	var worstP99, worstMax engine.HoldStat
	for _, h := range e.HoldStats(true) {
		if h.CPUP99 > worstP99.CPUP99 {
			worstP99 = h
		}
		if h.CPUMax > worstMax.CPUMax {
			worstMax = h
		}
		b.Logf("%-28s %-5s n=%-7d cpu p50 %-9s p99 %-9s max %-9s | wall p50 %-9s p99 %-9s max %s", h.Name, map[bool]string{true: "write", false: "read"}[h.Write],
			h.Count, h.CPUP50, h.CPUP99, h.CPUMax, h.P50, h.P99, h.Max)
	}
	b.Logf("%d tasks, %d steps; worst cpu p99: %s (%s); worst cpu max: %s (%s)", tasks, steps, worstP99.CPUP99, worstP99.Name, worstMax.CPUMax, worstMax.Name)
	b.ReportMetric(float64(worstP99.CPUP99.Microseconds())/1000, "worst-cpu-p99-ms")
	b.ReportMetric(float64(worstMax.CPUMax.Microseconds())/1000, "worst-cpu-max-ms")
}
