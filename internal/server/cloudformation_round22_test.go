package server_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

// createRound22 creates a stack of a round-twenty-two template with
// parameters and returns its id.
func createRound22(t *testing.T, cf *cloudformation.Client, name, file string, params map[string]string) string {
	t.Helper()
	body, err := os.ReadFile("../cfn/testdata/sweep22/" + file)
	must(t, err)
	var ps []cfntypes.Parameter
	for k, v := range params {
		ps = append(ps, cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(string(body)),
		Parameters: ps, Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityNamedIam}})
	must(t, err)
	return aws.ToString(out.StackId)
}

// TestCloudFormationRound22WaitCondition: a WaitConditionHandle's Ref
// (and physical id) is the presigned S3 URL cfn-signal posts to, and its
// WaitCondition's physical id the handle's path, as CloudFormation
// answers. A wait condition nothing can signal (the instance whose user
// data passes the URL to cfn-signal left out by its Condition) fails as
// CloudFormation fails it when its Timeout runs out, "WaitCondition timed
// out. Received 0 conditions when expecting 1", and the stack rolls back.
// Before round twenty-two both completed as resources ecsnet does not
// model, the handle's Ref a name.
func TestCloudFormationRound22WaitCondition(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)

	id := createRound22(t, cf, "signalled", "waitcondition.yaml", nil)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "signalled")
	m := regexp.MustCompile(`^https://cloudformation-waitcondition-us-east-1\.s3\.amazonaws\.com/(arn%3Aaws%3Acloudformation%3Aus-east-1%3A\d{12}%3Astack/signalled/[0-9a-f-]{36}/[0-9a-f-]{36}/WaitHandle)\?X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-Signature=[0-9a-f]{64}$`).FindStringSubmatch(out["HandleURL"])
	if m == nil {
		t.Fatalf("Ref WaitHandle = %q, want the handle's presigned URL", out["HandleURL"])
	}
	path := strings.ReplaceAll(m[1], "%3A", ":")
	if !strings.HasPrefix(path, id+"/") {
		t.Errorf("handle path %q is not under the stack's id %q", path, id)
	}
	if out["WaitId"] != path || out["WaitData"] != "{}" {
		t.Errorf("Ref WaitCondition = %q, Data = %q; want %q and {}", out["WaitId"], out["WaitData"], path)
	}
	rs, err := cf.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(id)})
	must(t, err)
	phys := map[string]string{}
	for _, r := range rs.StackResources {
		phys[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.PhysicalResourceId)
	}
	if phys["WaitHandle"] != out["HandleURL"] || phys["WaitCondition"] != path {
		t.Errorf("physical ids: WaitHandle %q, WaitCondition %q; want the URL and the path", phys["WaitHandle"], phys["WaitCondition"])
	}

	id = createRound22(t, cf, "unsignalled", "waitcondition.yaml", map[string]string{"Signal": "false"})
	// Round twenty-six: CloudFormation waits for the wait condition's
	// Timeout before it fails it.
	time.Sleep(100 * time.Millisecond)
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusCreateInProgress {
		t.Errorf("before the wait condition's Timeout: %s, want CREATE_IN_PROGRESS", st)
	}
	clk.Advance(13 * time.Hour)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	ev := stackEventsOf(t, cf, id)
	want := []string{
		"WaitCondition CREATE_IN_PROGRESS ",
		"WaitCondition CREATE_IN_PROGRESS Resource creation Initiated",
		"WaitCondition CREATE_FAILED WaitCondition timed out. Received 0 conditions when expecting 1",
		"unsignalled ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [WaitCondition]. Rollback requested by user.",
	}
	var got []string
	for _, e := range ev {
		if strings.HasPrefix(e, "WaitCondition ") || strings.HasPrefix(e, "unsignalled ROLLBACK_IN_PROGRESS") {
			got = append(got, e)
		}
	}
	if len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
		t.Errorf("events:\n%s\nwant, in order:\n%s", strings.Join(ev, "\n"), strings.Join(want, "\n"))
	}
	if slices.Contains(ev, "Instance CREATE_IN_PROGRESS ") {
		t.Errorf("the instance its Condition leaves out was created:\n%s", strings.Join(ev, "\n"))
	}

	// A CreationPolicy wait condition: signalled by cfn-signal --resource
	// Ready in a launch template's user data, or, left out, not at all.
	waitStack(t, cf, createRound22(t, cf, "policy-signalled", "waitcondition-policy.yaml", nil), cfntypes.StackStatusCreateComplete)
	id = createRound22(t, cf, "policy", "waitcondition-policy.yaml", map[string]string{"Signal": "false"})
	time.Sleep(100 * time.Millisecond)
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusCreateInProgress {
		t.Errorf("before the CreationPolicy's Timeout: %s, want CREATE_IN_PROGRESS", st)
	}
	clk.Advance(13 * time.Hour)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	ev = stackEventsOf(t, cf, id)
	want = []string{"Ready CREATE_IN_PROGRESS ", "Ready CREATE_IN_PROGRESS Resource creation Initiated",
		"Ready CREATE_FAILED Failed to receive 2 resource signal(s) within the specified duration"}
	got = nil
	for _, e := range ev {
		if strings.HasPrefix(e, "Ready CREATE_") {
			got = append(got, e)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("events:\n%s\nwant, in order:\n%s", strings.Join(ev, "\n"), strings.Join(want, "\n"))
	}
}

// TestCloudFormationRound22ConsulSignal: aws-samples/
// amazon-ecs-fargate-consul-connect-example's mesh stack (an EC2 instance
// with a CreationPolicy whose user data runs cfn-signal, a
// AWS::EC2::KeyPair::KeyName parameter, an IPv6 SSH rule) on its cluster
// stack, then its greeter service: the instance's events are
// CloudFormation's, with "Received SUCCESS signal with UniqueId <instance
// id>" between "Resource creation Initiated" and CREATE_COMPLETE. Before
// round twenty-two the signal's event was missing.
func TestCloudFormationRound22ConsulSignal(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	ec := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	waitStack(t, cf, createRound22(t, cf, "consul", "consul-cluster.yml", nil), cfntypes.StackStatusCreateComplete)
	_, err := ec.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("sfoDev")})
	must(t, err)
	mesh := createRound22(t, cf, "consul-mesh", "consul-mesh.yml", nil)
	waitStack(t, cf, mesh, cfntypes.StackStatusCreateComplete)
	rs, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(mesh), LogicalResourceId: aws.String("ConsulInstance")})
	must(t, err)
	inst := aws.ToString(rs.StackResourceDetail.PhysicalResourceId)
	var got []string
	for _, e := range stackEventsOf(t, cf, mesh) {
		if strings.HasPrefix(e, "ConsulInstance ") {
			got = append(got, e)
		}
	}
	want := []string{"ConsulInstance CREATE_IN_PROGRESS ", "ConsulInstance CREATE_IN_PROGRESS Resource creation Initiated",
		"ConsulInstance CREATE_IN_PROGRESS Received SUCCESS signal with UniqueId " + inst, "ConsulInstance CREATE_COMPLETE "}
	if !strings.HasPrefix(inst, "i-") || !slices.Equal(got, want) {
		t.Errorf("ConsulInstance's events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	greeter := createRound22(t, cf, "greeter", "consul-greeter.yml", map[string]string{"ImageUrl": "nathanpeck/greeter", "InitImageUrl": "nathanpeck/greeter-init"})
	waitStack(t, cf, greeter, cfntypes.StackStatusCreateComplete)
	deleteRound21(t, cf, "greeter", "consul-mesh", "consul")
}

// TestCloudFormationRound22GroupSignals: an Auto Scaling group with a
// CreationPolicy of Count 2 whose launch template's user data runs
// cfn-signal completes on its second signal: two "Received SUCCESS signal
// with UniqueId <instance id>" events, each an instance of the group, as
// CloudFormation shows them. Before round twenty-two there were none. The
// subnet routes to an internet gateway and gives public IPs: cfn-signal
// must reach CloudFormation (TestCloudFormationSignalNeedsAWayOut).
func TestCloudFormationRound22GroupSignals(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	tpl := `Parameters:
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.3.0.0/16}
  Sub:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.3.1.0/24, MapPublicIpOnLaunch: true}
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  Rt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  Out:
    Type: AWS::EC2::Route
    DependsOn: Attach
    Properties: {RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}
  Assoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Sub, RouteTableId: !Ref Rt}
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: !Ref Ami
        InstanceType: t3.micro
        UserData:
          Fn::Base64: !Sub |
            #!/bin/bash
            /opt/aws/bin/cfn-signal -e $? --stack ${AWS::StackName} --resource Asg --region ${AWS::Region}
  Asg:
    Type: AWS::AutoScaling::AutoScalingGroup
    CreationPolicy:
      ResourceSignal: {Count: 2, Timeout: PT10M}
    Properties:
      MinSize: '3'
      MaxSize: '3'
      VPCZoneIdentifier: [!Ref Sub]
      LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: !GetAtt Lt.LatestVersionNumber}
`
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("signals"), TemplateBody: aws.String(tpl)})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	ec := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	di, err := ec.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
	must(t, err)
	members := map[string]bool{}
	for _, r := range di.Reservations {
		for _, i := range r.Instances {
			for _, tag := range i.Tags {
				if aws.ToString(tag.Key) == "aws:autoscaling:groupName" {
					members[aws.ToString(i.InstanceId)] = true
				}
			}
		}
	}
	var got []string
	for _, e := range stackEventsOf(t, cf, id) {
		if strings.HasPrefix(e, "Asg ") {
			got = append(got, e)
		}
	}
	const prefix = "Asg CREATE_IN_PROGRESS Received SUCCESS signal with UniqueId "
	ok := len(got) == 5 && got[1] == "Asg CREATE_IN_PROGRESS Resource creation Initiated" && got[4] == "Asg CREATE_COMPLETE " &&
		got[2] != got[3] && len(members) == 3
	for _, e := range got[2:min(4, len(got))] {
		ok = ok && strings.HasPrefix(e, prefix) && members[strings.TrimPrefix(e, prefix)]
	}
	if !ok {
		t.Errorf("Asg's events:\n%s\nwant two signals from the group's instances (%v) before CREATE_COMPLETE", strings.Join(got, "\n"), members)
	}
}

// TestCloudFormationRound22TaskSetNLB: aws-samples/amazon-ecs-fargate-nlb-
// external-deployment-with-scaledown's support stack on the endpoint.
// Its nested VPC stack is on S3, in a bucket (TemplateBucket) that does
// not exist: the stack rolls back with the nested stack's "S3 error:
// The specified bucket does not exist". Deployed as a user
// without S3 does it, the VPC template as a stack of its own and the
// support template reading its outputs as parameters, the task set
// (NetworkConfiguration.AwsVpcConfiguration, the task set schema's
// spelling) runs its two tasks behind the NLB's blue target group. Before
// round twenty-two the task set failed: "Network Configuration must be
// provided when networkMode 'awsvpc' is specified."
func TestCloudFormationRound22TaskSetNLB(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	id := createRound22(t, cf, "nested", "nlb-support.yaml", map[string]string{"TemplateBucket": "mybucket"})
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if ev := stackEventsOf(t, cf, id); !slices.ContainsFunc(ev, func(e string) bool {
		return strings.HasPrefix(e, "VpcStack CREATE_FAILED S3 error: ")
	}) {
		t.Errorf("nested stack on S3: events\n%s\nwant VpcStack CREATE_FAILED S3 error: …", strings.Join(ev, "\n"))
	}

	waitStack(t, cf, createRound22(t, cf, "vpc", "vpc-template.yaml", map[string]string{"EnvironmentName": "nlb-infra"}), cfntypes.StackStatusCreateComplete)
	vpc := stackOutputs(t, cf, "vpc")
	body, err := os.ReadFile("../cfn/testdata/sweep22/nlb-support.yaml")
	must(t, err)
	text := string(body)
	start, end := strings.Index(text, "  VpcStack:"), strings.Index(text, "  LoadBalancer:")
	text = text[:start] + text[end:]
	text = strings.ReplaceAll(text, "    DependsOn: VpcStack\n", "")
	text = regexp.MustCompile(`!GetAtt VpcStack\.Outputs\.(\w+)`).ReplaceAllString(text, "!Ref $1")
	var params []cfntypes.Parameter
	decl := ""
	for k, v := range vpc {
		decl += "  " + k + ": {Type: String}\n"
		params = append(params, cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
	}
	text = strings.Replace(text, "Resources:\n", decl+"Resources:\n", 1)
	params = append(params, cfntypes.Parameter{ParameterKey: aws.String("TemplateBucket"), ParameterValue: aws.String("mybucket")})
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("nlb"), TemplateBody: aws.String(text),
		Parameters: params, Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityNamedIam}})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
	o := stackOutputs(t, cf, "nlb")
	if o["TaskSubnets"] != vpc["PrivateSubnets"] || !strings.HasPrefix(o["TaskSetId"], "ecs-svc/") {
		t.Fatalf("outputs %v", o)
	}
	c := sdkClients(em.URL)
	ds, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(o["Cluster"]), Services: []string{o["ServiceName"]}})
	must(t, err)
	if len(ds.Services) != 1 || len(ds.Services[0].TaskSets) != 1 || ds.Services[0].TaskSets[0].NetworkConfiguration == nil ||
		strings.Join(ds.Services[0].TaskSets[0].NetworkConfiguration.AwsvpcConfiguration.Subnets, ",") != vpc["PrivateSubnets"] {
		t.Fatalf("service's task sets: %+v", ds.Services)
	}
	eventually(t, "the blue target group holds the task set's two tasks", func() bool {
		th, err := c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(o["TargetGroupBlue"])})
		must(t, err)
		return len(th.TargetHealthDescriptions) == 2
	})
	// Deleting the stack deletes the task set, whose tasks stop (their
	// targets drained) before its security group goes; then the VPC
	// stack deletes too. Before round twenty-two the security group was
	// DELETE_FAILED, "resource sg-… has a dependent object".
	deleteRound21(t, cf, "nlb", "vpc")
}

// TestCloudFormationRound22StateMachineRef: aws-samples/amazon-ecs-
// fargate-nlb-external-deployment-with-scaledown's main stack outputs
// Ref of its AWS::StepFunctions::StateMachine, which CloudFormation
// answers with the state machine's ARN (arn:aws:states:REGION:ACCOUNT:
// stateMachine:NAME, NAME its StateMachineName); its role attaches the
// support stack's managed policy by the ARN given as a parameter. Before
// round twenty-two the Ref was a generated name ("stack-Logical-…").
func TestCloudFormationRound22StateMachineRef(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	policy := "arn:aws:iam::aws:policy/AmazonEC2ContainerServiceRole"
	waitStack(t, cf, createRound22(t, cf, "nlbmain", "nlb-main.yaml", map[string]string{"TemplateBucket": "b", "ELBModificationPolicy": policy}),
		cfntypes.StackStatusCreateComplete)
	want := `^arn:aws:states:us-east-1:\d{12}:stateMachine:NLB-ExternalDeployment-Scaledown-nlbmain$`
	if got := stackOutputs(t, cf, "nlbmain")["StepFunctionArn"]; !regexp.MustCompile(want).MatchString(got) {
		t.Errorf("Ref of the state machine = %q, want %s", got, want)
	}
}
