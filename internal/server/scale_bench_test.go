package server_test

import (
	"encoding/json"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/server"
)

// BenchmarkServiceScaleDescribeVpcs is issue 12's reproduction: one
// CreateService with a huge desiredCount, then DescribeVpcs from 4 clients
// (the AWS SDK for Go v2, over HTTP) while the service converges. It
// reports the DescribeVpcs latency (p50, p99, max) and how long the
// service took to converge. Before services converged in batches, the
// worst DescribeVpcs grew with the square of the tasks (57 s at 32,000).
//
//	go test -run XXX -bench ServiceScale -benchtime 1x ./internal/server
//
// fargate-60000: Fargate tasks in one /16 subnet (each with an ENI and a
// public IP). ec2-bridge-100000: bridge tasks on two m5.24xlarge container
// instances (a VPC's subnets hold at most 65,531 task ENIs).
func BenchmarkServiceScaleDescribeVpcs(b *testing.B) {
	for _, c := range []struct {
		name    string
		desired int
		fargate bool
	}{{"fargate-20000", 20000, true}, {"fargate-60000", 60000, true}, {"ec2-bridge-100000", 100000, false}} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				benchScale(b, c.desired, c.fargate)
			}
		})
	}
}

func benchScale(b *testing.B, desired int, fargate bool) {
	srv, err := server.New(server.Options{
		Registry: services.Registry(), Analyzer: services.Analyzer(), EngineOptions: services.EngineOptions(),
		StepInterval: 5 * time.Millisecond, Models: testModels,
	})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer func() { hs.Close(); srv.Close() }()
	c := sdkClients(hs.URL)
	e2 := c.ec2
	vpc, err := e2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		b.Fatal(err)
	}
	vpcID := vpc.Vpc.VpcId
	sub, err := e2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpcID, CidrBlock: aws.String("10.0.0.0/16"), AvailabilityZone: aws.String("us-east-1a")})
	if err != nil {
		b.Fatal(err)
	}
	subID := sub.Subnet.SubnetId
	igw, err := e2.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e2.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: vpcID}); err != nil {
		b.Fatal(err)
	}
	rts, err := e2.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{*vpcID}}}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rts.RouteTables[0].RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0"),
		GatewayId: igw.InternetGateway.InternetGatewayId}); err != nil {
		b.Fatal(err)
	}
	if _, err := c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("big")}); err != nil {
		b.Fatal(err)
	}
	td := &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("public.ecr.aws/nginx/nginx"), Memory: aws.Int32(4)}}}
	svc := &ecs.CreateServiceInput{Cluster: aws.String("big"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web"), DesiredCount: aws.Int32(int32(desired))}
	if fargate {
		td.NetworkMode, td.RequiresCompatibilities, td.Cpu, td.Memory = ecstypes.NetworkModeAwsvpc, []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, aws.String("256"), aws.String("512")
		td.ContainerDefinitions[0].Memory = nil
		svc.LaunchType = ecstypes.LaunchTypeFargate
		svc.NetworkConfiguration = &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
			Subnets: []string{*subID}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}
	} else {
		td.NetworkMode = ecstypes.NetworkModeBridge
		run, err := e2.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeM524xlarge,
			MinCount: aws.Int32(2), MaxCount: aws.Int32(2), NetworkInterfaces: []ec2types.InstanceNetworkInterfaceSpecification{{
				DeviceIndex: aws.Int32(0), SubnetId: subID, AssociatePublicIpAddress: aws.Bool(true)}}})
		if err != nil {
			b.Fatal(err)
		}
		srv.Step() // running
		for _, inst := range run.Instances {
			doc, _ := json.Marshal(map[string]string{"instanceId": *inst.InstanceId})
			if _, err := c.ecs.RegisterContainerInstance(ctx, &ecs.RegisterContainerInstanceInput{Cluster: aws.String("big"),
				InstanceIdentityDocument: aws.String(string(doc))}); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := c.ecs.RegisterTaskDefinition(ctx, td); err != nil {
		b.Fatal(err)
	}
	eng, err := srv.Engine("us-east-1")
	if err != nil {
		b.Fatal(err)
	}
	eng.MeasureHoldCPU(true)
	eng.HoldStats(true)
	eng.MaxWriteHold()
	go srv.StepLoop()

	b.ResetTimer()
	start := time.Now()
	if _, err := c.ecs.CreateService(ctx, svc); err != nil {
		b.Fatal(err)
	}
	var (
		mu   sync.Mutex
		lats []time.Duration
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl := sdkClients(hs.URL).ec2
			for {
				select {
				case <-done:
					return
				default:
				}
				t0 := time.Now()
				if _, err := cl.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}); err != nil {
					b.Error(err)
					return
				}
				d := time.Since(t0)
				mu.Lock()
				lats = append(lats, d)
				mu.Unlock()
				time.Sleep(2 * time.Millisecond)
			}
		}()
	}
	deadline := time.Now().Add(5 * time.Minute)
	var running int32
	for time.Now().Before(deadline) {
		out, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("big"), Services: []string{"web"}})
		if err != nil {
			b.Fatal(err)
		}
		if running = out.Services[0].RunningCount; running == int32(desired) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	converged := time.Since(start)
	close(done)
	wg.Wait()
	b.StopTimer()
	if running != int32(desired) {
		b.Fatalf("%d of %d tasks running after %s", running, desired, converged)
	}
	slices.Sort(lats)
	q := func(p float64) time.Duration { return lats[min(len(lats)-1, int(p*float64(len(lats))))] }
	b.ReportMetric(converged.Seconds(), "converge-s")
	b.ReportMetric(float64(q(0.50).Microseconds())/1000, "describevpcs-p50-ms")
	b.ReportMetric(float64(q(0.99).Microseconds())/1000, "describevpcs-p99-ms")
	b.ReportMetric(float64(lats[len(lats)-1].Microseconds())/1000, "describevpcs-max-ms")
	hold := eng.MaxWriteHold()
	b.ReportMetric(float64(hold.Microseconds())/1000, "max-lock-hold-ms")
	// Which transactions and reads held the lock, by the CPU time of the
	// holding thread (what the hold costs) and by wall time (which adds
	// the time the holder waited for a CPU on a busy machine).
	var worst engine.HoldStat
	for _, h := range eng.HoldStats(true) {
		if h.CPUP99 > worst.CPUP99 {
			worst = h
		}
		b.Logf("%-34s %-5s n=%-7d cpu p50 %-9s p99 %-9s max %-9s | wall p50 %-9s p99 %-9s max %s", h.Name, map[bool]string{true: "write", false: "read"}[h.Write],
			h.Count, h.CPUP50, h.CPUP99, h.CPUMax, h.P50, h.P99, h.Max)
	}
	b.ReportMetric(float64(worst.CPUP99.Microseconds())/1000, "worst-hold-cpu-p99-ms")
	b.Logf("%d tasks running in %s; %d DescribeVpcs: p50 %s p99 %s max %s; longest engine lock hold %s", desired, converged.Round(time.Millisecond), len(lats),
		q(0.5), q(0.99), lats[len(lats)-1], hold)
}
