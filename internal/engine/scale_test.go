package engine_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// fargateService creates a VPC with one public /16 subnet, a cluster and
// an awsvpc Fargate task definition, and a service of desired tasks with
// public IPs (so that they reach their registry).
func fargateService(tb testing.TB, e *engine.Engine, desired int) *model.Service {
	tb.Helper()
	vpc := must(e.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"}))
	sub := must(e.CreateSubnet(engine.CreateSubnetInput{VpcID: vpc.ID, CIDR: "10.0.0.0/16", AvailabilityZone: "us-east-1a"}))
	igw := must(e.CreateInternetGateway(nil))
	if err := e.AttachInternetGateway(igw.ID, vpc.ID); err != nil {
		tb.Fatal(err)
	}
	if err := e.CreateRoute(engine.RouteInput{RouteTableID: vpc.MainRouteTable, DestinationCIDR: "0.0.0.0/0", GatewayID: string(igw.ID)}); err != nil {
		tb.Fatal(err)
	}
	must(e.CreateCluster(engine.CreateClusterInput{Name: "big"}))
	must(e.RegisterTaskDefinition(engine.RegisterTaskDefinitionInput{Family: "web", NetworkMode: "awsvpc", RequiresCompatibilities: []string{"FARGATE"},
		CPU: "256", Memory: "512",
		Containers: []model.ContainerDefinition{{Name: "web", Image: "nginx", Essential: true, PortMappings: []model.PortMapping{{ContainerPort: 80}}}}}))
	return must(e.CreateService(engine.CreateServiceInput{Cluster: "big", Name: "web", TaskDefinition: "web", DesiredCount: desired,
		LaunchType: model.LaunchFargate, Network: &model.AwsVpcConfiguration{Subnets: []model.SubnetID{sub.ID}, AssignPublicIP: true}}))
}

// BenchmarkServiceConverge converges a Fargate service of 5,000 tasks.
func BenchmarkServiceConverge(b *testing.B) {
	for range b.N {
		e := engine.New(engine.WithIDs(engine.SeededIDs(1)))
		fargateService(b, e, 5000)
		for {
			changed, err := e.Step()
			if err != nil {
				b.Fatal(err)
			}
			if !changed {
				break
			}
		}
	}
}

// countTasks returns how many tasks the engine holds, and how many of them
// are in each last status.
func countTasks(e *engine.Engine) (int, map[model.TaskStatus]int) {
	n, by := 0, map[model.TaskStatus]int{}
	e.Read(func(st *model.State) {
		n = len(st.Tasks)
		for _, tk := range st.Tasks {
			by[tk.LastStatus]++
		}
	})
	return n, by
}

// TestServiceConvergesInBatches: a service starts at most
// Config.ServiceLaunchBatch tasks per Step, and still reaches its desired
// count, each task with its own address.
func TestServiceConvergesInBatches(t *testing.T) {
	const batch, desired = 25, 260
	e := engine.New(engine.WithIDs(engine.SeededIDs(1)), engine.WithConfig(engine.Config{ServiceLaunchBatch: batch}))
	fargateService(t, e, desired)
	prev, steps := 0, 0
	for {
		changed, err := e.Step()
		if err != nil {
			t.Fatal(err)
		}
		n, _ := countTasks(e)
		if n-prev > batch {
			t.Fatalf("step %d started %d tasks, more than the batch of %d", steps, n-prev, batch)
		}
		prev = n
		steps++
		if !changed {
			break
		}
	}
	n, by := countTasks(e)
	if n != desired || by[model.TaskRunning] != desired {
		t.Fatalf("after %d steps: %d tasks, %v; want %d RUNNING", steps, n, by, desired)
	}
	if min := desired / batch; steps < min {
		t.Fatalf("converged in %d steps, fewer than %d batches", steps, min)
	}
	addrs := map[string]bool{}
	e.Read(func(st *model.State) {
		for _, tk := range st.Tasks {
			addrs[tk.Attachments[0].PrivateIP.String()] = true
		}
	})
	if len(addrs) != desired {
		t.Fatalf("%d distinct task addresses for %d tasks", len(addrs), desired)
	}
	// Scaling down stops at most a batch per Step too.
	svc := "web"
	zero := 0
	if _, err := e.UpdateService(engine.UpdateServiceInput{Cluster: "big", Service: svc, DesiredCount: &zero}); err != nil {
		t.Fatal(err)
	}
	stopping := func() int {
		k := 0
		e.Read(func(st *model.State) {
			for _, tk := range st.Tasks {
				if tk.DesiredStatus == model.TaskStopped {
					k++
				}
			}
		})
		return k
	}
	prev = 0
	for range 1000 {
		changed, err := e.Step()
		if err != nil {
			t.Fatal(err)
		}
		k := stopping()
		if k-prev > batch {
			t.Fatalf("one step asked %d tasks to stop, more than the batch of %d", k-prev, batch)
		}
		prev = k
		if !changed {
			break
		}
	}
	if _, by := countTasks(e); by[model.TaskStopped] != desired {
		t.Fatalf("after scaling to 0: %v", by)
	}
}

// TestStepTransitionsBounded: one Step moves at most
// Config.TaskTransitionsPerStep tasks; the others follow in later Steps.
func TestStepTransitionsBounded(t *testing.T) {
	e := engine.New(engine.WithIDs(engine.SeededIDs(1)), engine.WithConfig(engine.Config{ServiceLaunchBatch: 50, TaskTransitionsPerStep: 7}))
	fargateService(t, e, 50)
	if _, err := e.Step(); err != nil { // launches 50 (PROVISIONING)
		t.Fatal(err)
	}
	if _, by := countTasks(e); by[model.TaskProvisioning] != 50 {
		t.Fatalf("after the first step: %v", by)
	}
	if _, err := e.Step(); err != nil {
		t.Fatal(err)
	}
	if _, by := countTasks(e); by[model.TaskPending] != 7 || by[model.TaskProvisioning] != 43 {
		t.Fatalf("after the second step: %v, want 7 PENDING and 43 PROVISIONING", by)
	}
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	if _, by := countTasks(e); by[model.TaskRunning] != 50 {
		t.Fatalf("after converging: %v", by)
	}
}

// TestFreedAddressReused: with the allocation cursor, an address freed
// below it is handed out again first (the lowest free address).
func TestFreedAddressReused(t *testing.T) {
	e := engine.New(engine.WithIDs(engine.SeededIDs(1)))
	vpc := must(e.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"}))
	sub := must(e.CreateSubnet(engine.CreateSubnetInput{VpcID: vpc.ID, CIDR: "10.0.0.0/28", AvailabilityZone: "us-east-1a"}))
	var ids []model.NetworkInterfaceID
	for range 11 { // a /28 has 16 addresses, 5 reserved
		n := must(e.CreateNetworkInterface(engine.CreateNetworkInterfaceInput{SubnetID: sub.ID}))
		ids = append(ids, n.ID)
	}
	if _, err := e.CreateNetworkInterface(engine.CreateNetworkInterfaceInput{SubnetID: sub.ID}); err == nil {
		t.Fatal("a full subnet handed out another address")
	}
	if err := e.DeleteNetworkInterface(ids[3]); err != nil {
		t.Fatal(err)
	}
	n := must(e.CreateNetworkInterface(engine.CreateNetworkInterfaceInput{SubnetID: sub.ID}))
	if got := n.PrimaryIP().String(); got != "10.0.0.7" {
		t.Fatalf("got %s, want the freed 10.0.0.7", got)
	}
}
