package server_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/store/mem"
)

// TestConcurrentLoad runs many clients at once against one server (with
// group commit to a store), mixing writes, reads, task launches and stops,
// Network Insights analyses and the background stepping. Run it with
// -race; every request must succeed or fail as AWS would.
func TestConcurrentLoad(t *testing.T) {
	em := newEmulator(t, mem.New())
	a := buildArticle(t, em.URL)
	const workers = 8
	iterations := 12
	if testing.Short() {
		iterations = 4
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := sdkClients(em.URL)
			for i := range iterations {
				cidr := fmt.Sprintf("10.%d.%d.0/24", 100+w, i)
				v, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(fmt.Sprintf("10.%d.0.0/16", 100+w))})
				if err != nil {
					t.Error(err)
					return
				}
				s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String(cidr)})
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := c.ec2.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: s.Subnet.SubnetId}); err != nil {
					t.Error(err)
				}
				if _, err := c.ec2.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []ec2types.Filter{
					{Name: aws.String("vpc-id"), Values: []string{a.vpc}}}}); err != nil {
					t.Error(err)
				}
				if _, err := c.ecs.ListClusters(ctx, &ecs.ListClustersInput{}); err != nil {
					t.Error(err)
				}
				// Tasks that fit run; the rest fail with RESOURCE:ENI.
				r, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("demo"), TaskDefinition: aws.String("web"),
					LaunchType: ecstypes.LaunchTypeEc2, NetworkConfiguration: a.network(false)})
				if err != nil {
					t.Error(err)
					continue
				}
				for _, f := range r.Failures {
					if aws.ToString(f.Reason) != "RESOURCE:ENI" {
						t.Errorf("RunTask failure %s", aws.ToString(f.Reason))
					}
				}
				for _, tk := range r.Tasks {
					if _, err := c.ecs.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String("demo"), Task: tk.TaskArn}); err != nil {
						t.Error(err)
					}
				}
				if _, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: []string{a.task}}); err != nil {
					t.Error(err)
				}
				if i%4 == 0 {
					p, err := c.ec2.CreateNetworkInsightsPath(ctx, &ec2.CreateNetworkInsightsPathInput{Source: &a.igw, Destination: &a.instance,
						DestinationPort: aws.Int32(22), Protocol: ec2types.ProtocolTcp})
					if err != nil {
						t.Error(err)
						continue
					}
					if _, err := c.ec2.StartNetworkInsightsAnalysis(ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: p.NetworkInsightsPath.NetworkInsightsPathId}); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	// Every analysis completes in the background; the port-22 path is found.
	eventually(t, "every analysis completes", func() bool {
		d, err := a.c.ec2.DescribeNetworkInsightsAnalyses(ctx, &ec2.DescribeNetworkInsightsAnalysesInput{})
		if err != nil {
			return false
		}
		for _, an := range d.NetworkInsightsAnalyses {
			if an.Status != ec2types.AnalysisStatusSucceeded || !aws.ToBool(an.NetworkPathFound) {
				return false
			}
		}
		return len(d.NetworkInsightsAnalyses) == workers*((iterations+3)/4)
	})
	// The service's task kept running through it all.
	d, err := a.c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: []string{a.task}})
	must(t, err)
	if aws.ToString(d.Tasks[0].LastStatus) != "RUNNING" {
		t.Errorf("the service's task is %s", aws.ToString(d.Tasks[0].LastStatus))
	}
}
