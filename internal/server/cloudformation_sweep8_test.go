package server_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// TestCloudFormationSweepRound8: what the eighth sweep of public templates
// found, through the Go SDK. A target group that health-checks the ECS
// agent's introspection port (51678) finds every container instance
// healthy; an Auto Scaling group's LoadBalancerNames register its
// instances with the Classic Load Balancer; a service's Role reaches ECS
// (roleArn) with its deployment configuration, placement and execute
// command, and ECS refuses a role for an awsvpc service; a DHCP options set
// and its VPC association are created and deleted with the stack; load
// balancer and target group attributes are set, an unknown key fails;
// an Auto Scaling group's scaling policies are put, Ref their ARN.
func TestCloudFormationSweepRound8(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	read := func(name string) *string {
		b, err := os.ReadFile("../cfn/testdata/sweep/" + name)
		must(t, err)
		return aws.String(string(b))
	}
	const role = "arn:aws:iam::123456789012:role/ecs-service"
	created, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("agents"), TemplateBody: read("agent-health-check.yaml"),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("ServiceRoleArn"), ParameterValue: aws.String(role)}}, Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusCreateComplete)
	outs := stackOutputs(t, cf, "agents")

	var states []string
	eventually(t, "two healthy agent targets", func() bool {
		th, err := c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(outs["Agents"])})
		must(t, err)
		states = states[:0]
		healthy := 0
		for _, d := range th.TargetHealthDescriptions {
			states = append(states, string(d.TargetHealth.State)+" "+string(d.TargetHealth.Reason))
			if d.TargetHealth.State == "healthy" {
				healthy++
			}
		}
		return healthy == 2 && len(states) == 2
	})

	lba, err := c.elb.DescribeLoadBalancerAttributes(ctx, &elbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(outs["Alb"])})
	must(t, err)
	tga, err := c.elb.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: aws.String(outs["Agents"])})
	must(t, err)
	attrs := map[string]string{}
	for _, a := range append(lba.Attributes, toLBAttrs(tga.Attributes)...) {
		attrs[aws.ToString(a.Key)] = aws.ToString(a.Value)
	}
	if attrs["idle_timeout.timeout_seconds"] != "30" || attrs["routing.http2.enabled"] != "false" || attrs["deregistration_delay.timeout_seconds"] != "0" {
		t.Errorf("attributes = %v, want the template's idle timeout 30, http2 off and deregistration delay 0", attrs)
	}

	g, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{outs["Group"]}})
	must(t, err)
	if len(g.AutoScalingGroups) != 1 || strings.Join(g.AutoScalingGroups[0].LoadBalancerNames, ",") != outs["Classic"] {
		t.Errorf("group = %+v, want LoadBalancerNames [%s]", g.AutoScalingGroups, outs["Classic"])
	}
	lbs, err := c.asg.DescribeLoadBalancers(ctx, &autoscaling.DescribeLoadBalancersInput{AutoScalingGroupName: aws.String(outs["Group"])})
	must(t, err)
	if len(lbs.LoadBalancers) != 1 || aws.ToString(lbs.LoadBalancers[0].LoadBalancerName) != outs["Classic"] {
		t.Errorf("the group's Classic load balancers = %+v, want %s", lbs.LoadBalancers, outs["Classic"])
	}

	pols, err := c.asg.DescribePolicies(ctx, &autoscaling.DescribePoliciesInput{AutoScalingGroupName: aws.String(outs["Group"])})
	must(t, err)
	kinds := map[string]string{}
	for _, p := range pols.ScalingPolicies {
		kinds[aws.ToString(p.PolicyType)] = aws.ToString(p.PolicyARN)
		if tt := p.TargetTrackingConfiguration; tt != nil && aws.ToFloat64(tt.TargetValue) != 50.5 {
			t.Errorf("target tracking value = %v, want 50.5", aws.ToFloat64(tt.TargetValue))
		}
	}
	if len(pols.ScalingPolicies) != 2 || kinds["StepScaling"] != outs["ScaleUp"] || kinds["TargetTrackingScaling"] == "" {
		t.Errorf("policies = %v, want a step policy whose ARN is the ScaleUp output (%s) and a target tracking one", kinds, outs["ScaleUp"])
	}

	svcs, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(outs["Cluster"]), Services: []string{outs["Service"]}})
	must(t, err)
	if len(svcs.Services) != 1 || aws.ToString(svcs.Services[0].RoleArn) != role {
		t.Fatalf("service = %+v, want roleArn %s", svcs.Services, role)
	}
	sv := svcs.Services[0]
	dc := sv.DeploymentConfiguration
	if dc == nil || aws.ToInt32(dc.MaximumPercent) != 150 || aws.ToInt32(dc.MinimumHealthyPercent) != 50 ||
		dc.DeploymentCircuitBreaker == nil || !dc.DeploymentCircuitBreaker.Enable || !dc.DeploymentCircuitBreaker.Rollback {
		t.Errorf("deploymentConfiguration = %+v, want 150/50 with the circuit breaker and rollback", dc)
	}
	if len(sv.PlacementStrategy) != 1 || aws.ToString(sv.PlacementStrategy[0].Field) != "attribute:ecs.availability-zone" ||
		len(sv.PlacementConstraints) != 1 || sv.PlacementConstraints[0].Type != "distinctInstance" || !sv.EnableExecuteCommand {
		t.Errorf("placement = %+v %+v, execute command %v; want the template's", sv.PlacementStrategy, sv.PlacementConstraints, sv.EnableExecuteCommand)
	}

	created, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("fargate-role"), TemplateBody: read("awsvpc-service-role.yaml")})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusRollbackComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: created.StackId})
	must(t, err)
	found := false
	for _, e := range ev.StackEvents {
		found = found || aws.ToString(e.LogicalResourceId) == "Service" && e.ResourceStatus == cfntypes.ResourceStatusCreateFailed &&
			strings.Contains(aws.ToString(e.ResourceStatusReason), "You cannot specify an IAM role for services that require a service linked role.")
	}
	if !found {
		t.Errorf("no CREATE_FAILED event of Service saying ECS refuses its role")
	}

	// An attribute key ELB does not know fails the target group.
	bad := `Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.6.0.0/16}}
  Group:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {VpcId: !Ref Vpc, Port: 80, Protocol: HTTP, TargetGroupAttributes: [{Key: stickiness.enabld, Value: "true"}]}
`
	created, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("bad-attr"), TemplateBody: aws.String(bad)})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusRollbackComplete)
	ev, err = cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: created.StackId})
	must(t, err)
	found = false
	for _, e := range ev.StackEvents {
		found = found || aws.ToString(e.LogicalResourceId) == "Group" && e.ResourceStatus == cfntypes.ResourceStatusCreateFailed &&
			strings.Contains(aws.ToString(e.ResourceStatusReason), "Target group attribute key 'stickiness.enabld' is not recognized")
	}
	if !found {
		t.Errorf("no CREATE_FAILED event of Group naming the unknown attribute key")
	}

	created, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("dhcp"), TemplateBody: read("dhcp-options.yaml")})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusCreateComplete)
	outs = stackOutputs(t, cf, "dhcp")
	vpcs, err := c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{outs["Vpc"]}})
	must(t, err)
	if len(vpcs.Vpcs) != 1 || aws.ToString(vpcs.Vpcs[0].DhcpOptionsId) != outs["Options"] || !strings.HasPrefix(outs["Options"], "dopt-") {
		t.Errorf("vpc = %+v, want DHCP options %s", vpcs.Vpcs, outs["Options"])
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("dhcp")})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusDeleteComplete)
	_, err = c.ec2.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{DhcpOptionsIds: []string{outs["Options"]}})
	if err == nil || !strings.Contains(err.Error(), "InvalidDhcpOptionID.NotFound") {
		t.Errorf("DescribeDhcpOptions after the stack's deletion: %v, want InvalidDhcpOptionID.NotFound", err)
	}
}

// toLBAttrs converts target group attributes to load balancer attributes
// (the same Key and Value).
func toLBAttrs(in []elbv2types.TargetGroupAttribute) []elbv2types.LoadBalancerAttribute {
	out := make([]elbv2types.LoadBalancerAttribute, len(in))
	for i, a := range in {
		out[i] = elbv2types.LoadBalancerAttribute{Key: a.Key, Value: a.Value}
	}
	return out
}

// TestInstanceArchitectureByType: DescribeInstances reports a Graviton
// instance's architecture as arm64 (it said x86_64 for every type), as a
// stack's t4g.micro Auto Scaling group showed.
func TestInstanceArchitectureByType(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.5.0.0/16")})
	must(t, err)
	sub, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.5.0.0/24")})
	must(t, err)
	got := map[string]string{}
	for _, typ := range []string{"t4g.micro", "t3.micro"} {
		out, err := c.ec2.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMIFor("us-east-1", typ)), InstanceType: ec2types.InstanceType(typ),
			MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: sub.Subnet.SubnetId})
		must(t, err)
		di, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(out.Instances[0].InstanceId)}})
		must(t, err)
		got[typ] = string(di.Reservations[0].Instances[0].Architecture)
	}
	if got["t4g.micro"] != "arm64" || got["t3.micro"] != "x86_64" {
		t.Errorf("architectures = %v, want t4g.micro arm64 and t3.micro x86_64", got)
	}
}
