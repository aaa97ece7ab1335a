package server_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
)

// TestCloudFormationSweepRound15ServiceConnectName: a Service Connect
// namespace given by name means the namespace whose HTTP name it is: the
// HTTP namespace ECS made for the cluster's default, not the private DNS
// namespace of the same name the stack made after it (its HTTP name has a
// suffix). The endpoint's Cloud Map service lands in the HTTP namespace,
// and the stack deletes (the CDK's Service Connect integration test,
// which AWS deploys and destroys; before, the private namespace was
// picked by id order and its delete failed, "Namespace has associated
// services").
func TestCloudFormationSweepRound15ServiceConnectName(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	sd := servicediscovery.NewFromConfig(sdkConfig(), func(o *servicediscovery.Options) { o.BaseEndpoint = aws.String(em.URL) })
	d := createSweepStack(t, cf, "sc", "round15-sc-namespace.yaml")
	id := aws.ToString(d.Stacks[0].StackId)
	svc, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(id), LogicalResourceId: aws.String("Service")})
	must(t, err)
	arn := aws.ToString(svc.StackResourceDetail.PhysicalResourceId)
	ds, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(strings.Split(arn, "/")[1]), Services: []string{arn}})
	must(t, err)
	res := ds.Services[0].Deployments[0].ServiceConnectResources
	if len(res) != 1 {
		t.Fatalf("service connect resources = %v", res)
	}
	cm, err := sd.GetService(ctx, &servicediscovery.GetServiceInput{Id: aws.String(aws.ToString(res[0].DiscoveryArn))})
	must(t, err)
	ns, err := sd.GetNamespace(ctx, &servicediscovery.GetNamespaceInput{Id: cm.Service.NamespaceId})
	must(t, err)
	if ns.Namespace.Type != sdtypes.NamespaceTypeHttp {
		t.Errorf("the endpoint's Cloud Map service is in a %s namespace, want the HTTP one ECS made", ns.Namespace.Type)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	if events := stackEventsOf(t, cf, id); !slices.Contains(events, "Namespace DELETE_COMPLETE ") {
		t.Errorf("events = %q, want the private namespace deleted", events)
	}
}

// TestCloudFormationSweepRound15PortRange: a ContainerPortRange mapping
// (the CDK's container-port-range integration test) creates the task
// definition with the range, as AWS does; DescribeTaskDefinition returns
// containerPortRange and no containerPort. (Round fifteen refused it.)
func TestCloudFormationSweepRound15PortRange(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	d := createSweepStack(t, cf, "ports", "round15-port-range.yaml")
	r, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: d.Stacks[0].StackId, LogicalResourceId: aws.String("Task")})
	must(t, err)
	c := sdkClients(em.URL)
	td, err := c.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: r.StackResourceDetail.PhysicalResourceId})
	must(t, err)
	pms := td.TaskDefinition.ContainerDefinitions[0].PortMappings
	if len(pms) != 1 || aws.ToString(pms[0].ContainerPortRange) != "8080-8081" || pms[0].ContainerPort != nil {
		t.Errorf("port mappings %+v, want containerPortRange 8080-8081 alone", pms)
	}
}

// TestCloudFormationSweepRound15CapacityProviderTag: creating a capacity
// provider tags its Auto Scaling group AmazonECSManaged (propagated at
// launch), as ECS does; a group that has the tag keeps its own value.
// Before, the group kept only the template's tags.
func TestCloudFormationSweepRound15CapacityProviderTag(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	d := createSweepStack(t, cf, "cptag", "round15-cp-tag.yaml")
	id := aws.ToString(d.Stacks[0].StackId)
	for logical, want := range map[string]string{"Group": "", "Tagged": "true"} {
		r, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(id), LogicalResourceId: aws.String(logical)})
		must(t, err)
		out, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{aws.ToString(r.StackResourceDetail.PhysicalResourceId)}})
		must(t, err)
		var got []string
		for _, tg := range out.AutoScalingGroups[0].Tags {
			if aws.ToString(tg.Key) == "AmazonECSManaged" {
				got = append(got, aws.ToString(tg.Value))
				if !aws.ToBool(tg.PropagateAtLaunch) {
					t.Errorf("%s: AmazonECSManaged is not propagated at launch", logical)
				}
			}
		}
		if len(got) != 1 || got[0] != want {
			t.Errorf("%s: AmazonECSManaged values %q, want one %q", logical, got, want)
		}
	}
}
