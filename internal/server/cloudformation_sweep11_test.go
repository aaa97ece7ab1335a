package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// TestCloudFormationRules: the Rules section is evaluated before
// anything is created. A failed assertion refuses CreateStack with a
// ValidationError whose message is the AssertDescription (CDK's
// CheckBootstrapVersion with a bootstrap version of 5, a subnet of
// another VPC); with the rules holding, the stack is created.
func TestCloudFormationRules(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	sm := ssmClient(em.URL)
	mineVpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.8.0.0/16")})
	must(t, err)
	def := aws.ToString(mineVpc.Vpc.VpcId)
	mineSub, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: mineVpc.Vpc.VpcId, CidrBlock: aws.String("10.8.0.0/24")})
	must(t, err)
	other, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	must(t, err)
	otherSub, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: other.Vpc.VpcId, CidrBlock: aws.String("10.9.0.0/24")})
	must(t, err)
	put := func(v string) {
		_, err := sm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/cdk-bootstrap/hnb659fds/version"), Value: aws.String(v),
			Type: ssmtypes.ParameterTypeString, Overwrite: aws.Bool(true)})
		must(t, err)
	}
	create := func(name, subnets string) error {
		_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name),
			TemplateBody: sweepTemplate(t, "rules.yaml"), Parameters: []cfntypes.Parameter{
				{ParameterKey: aws.String("VpcId"), ParameterValue: aws.String(def)},
				{ParameterKey: aws.String("Subnets"), ParameterValue: aws.String(subnets)}}})
		return err
	}
	mine := aws.ToString(mineSub.Subnet.SubnetId)
	put("5")
	wantAPIError(t, create("old-bootstrap", mine), "ValidationError",
		"CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.")
	put("21")
	wantAPIError(t, create("other-vpc", mine+","+aws.ToString(otherSub.Subnet.SubnetId)), "ValidationError",
		"All subnets must be in the VPC")
	for _, n := range []string{"old-bootstrap", "other-vpc"} {
		if _, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(n)}); err == nil {
			t.Errorf("stack %s exists after its rule failed", n)
		}
	}
	must(t, create("ok", mine))
	w := cloudformation.NewStackCreateCompleteWaiter(cf, func(o *cloudformation.StackCreateCompleteWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax })
	must(t, w.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("ok")}, patience))
}

// TestCloudFormationSpreadProviders: the tasks of a service whose
// capacity provider strategy names several providers are spread over
// them as ECS spreads them (DescribeTasks' capacityProviderName): base 1
// on FARGATE and the rest 1:3 with FARGATE_SPOT, and the cluster's
// default strategy of three zonal providers 2, 2 and 2, each group grown
// in its own zone.
func TestCloudFormationSpreadProviders(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("spread"),
		TemplateBody: sweepTemplate(t, "spread-providers.yaml"), Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	w := cloudformation.NewStackCreateCompleteWaiter(cf, func(o *cloudformation.StackCreateCompleteWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax })
	must(t, w.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("spread")}, patience))
	byProvider := func(service string) map[string]int {
		got := map[string]int{}
		l, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("spread"), ServiceName: aws.String(service)})
		must(t, err)
		if len(l.TaskArns) == 0 {
			return got
		}
		d, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("spread"), Tasks: l.TaskArns})
		must(t, err)
		for _, tk := range d.Tasks {
			got[aws.ToString(tk.CapacityProviderName)+" "+aws.ToString(tk.AvailabilityZone)[len("us-east-1"):]]++
		}
		return got
	}
	var mixed, zonal map[string]int
	eventually(t, "the services' tasks", func() bool {
		mixed, zonal = byProvider("mixed"), byProvider("zonal")
		n := 0
		for _, v := range zonal {
			n += v
		}
		return n == 6
	})
	fargate, spot := 0, 0
	for k, v := range mixed {
		switch k[:len(k)-2] {
		case "FARGATE":
			fargate += v
		case "FARGATE_SPOT":
			spot += v
		}
	}
	if fargate != 2 || spot != 3 {
		t.Errorf("mixed: tasks by provider and zone = %v, want 2 on FARGATE and 3 on FARGATE_SPOT", mixed)
	}
	if zonal["zone-a a"] != 2 || zonal["zone-b b"] != 2 || zonal["zone-c c"] != 2 {
		t.Errorf("zonal: tasks by provider and zone = %v, want 2 on each zone's provider, in its zone", zonal)
	}
}
