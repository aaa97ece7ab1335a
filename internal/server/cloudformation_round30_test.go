package server_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"

	"github.com/ecsnet/ecsnet/internal/server"
)

// independentOfService are resources that wait for themselves when
// CloudFormation creates them (an Auto Scaling group for its instances,
// an instance for running, a NAT gateway for available) and depend on
// nothing of service-stabilize.yaml's service: written after it, they are
// created while the service's first deployment goes on.
const independentOfService = `
  HostTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {ImageId: ami-0123456789abcdef0, InstanceType: t3.micro}
  Hosts:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchTemplate: {LaunchTemplateId: !Ref HostTemplate, Version: !GetAtt HostTemplate.LatestVersionNumber}
      VPCZoneIdentifier: [!Ref Subnet]
      MinSize: 1
      MaxSize: 1
  Bastion:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-0123456789abcdef0, InstanceType: t3.micro, SubnetId: !Ref Subnet}
  NatAddress:
    Type: AWS::EC2::EIP
    Properties: {Domain: vpc}
  Nat:
    Type: AWS::EC2::NatGateway
    DependsOn: Attachment
    Properties: {SubnetId: !Ref Subnet, AllocationId: !GetAtt NatAddress.AllocationId}
`

// round30Deployment is the one deployment of a stack's service, and the
// stack's status and reason.
func round30Deployment(t *testing.T, cf *cloudformation.Client, c clients, stack string) (ecstypes.Deployment, cfntypes.StackStatus, string) {
	t.Helper()
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stack)})
	must(t, err)
	ids := stackPhysicalIDs(t, cf, stack)
	sv, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(ids["Cluster"]), Services: []string{ids["Service"]}})
	must(t, err)
	if len(sv.Services) != 1 || len(sv.Services[0].Deployments) == 0 {
		t.Fatalf("service %s: %+v", ids["Service"], sv.Services)
	}
	return sv.Services[0].Deployments[0], ds.Stacks[0].StackStatus, aws.ToString(ds.Stacks[0].StackStatusReason)
}

// round30ResourceStatus is a stack resource's status.
func round30ResourceStatus(t *testing.T, cf *cloudformation.Client, stack, logical string) cfntypes.ResourceStatus {
	t.Helper()
	rs, err := cf.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(stack)})
	must(t, err)
	for _, r := range rs.StackResources {
		if aws.ToString(r.LogicalResourceId) == logical {
			return r.ResourceStatus
		}
	}
	return ""
}

// round30StepUntil steps the paused emulator until the stack leaves
// from (at most 300 steps), and returns its status.
func round30StepUntil(t *testing.T, cf *cloudformation.Client, steps *stepper, stack string, from cfntypes.StackStatus) cfntypes.StackStatus {
	t.Helper()
	for range 300 {
		steps.step()
		ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stack)})
		must(t, err)
		if st := ds.Stacks[0].StackStatus; st != from {
			return st
		}
	}
	t.Fatalf("%s still %s after 300 steps", stack, from)
	return ""
}

// TestCloudFormationIndependentResourcesLeaveServiceDeploying: an Auto
// Scaling group, an instance and a NAT gateway created after an ECS
// service (and not depending on it) wait for their own instances and
// gateway only, as CloudFormation's handlers do: the service's first
// deployment is still IN_PROGRESS when CreateStack has created them (the
// emulator's steps paused), the service CREATE_IN_PROGRESS beside them
// CREATE_COMPLETE, and the stack completes once it is stable.
func TestCloudFormationIndependentResourcesLeaveServiceDeploying(t *testing.T) {
	em, steps := newSteppedEmulator(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body := strings.Replace(aws.ToString(sweepTemplate(t, "service-stabilize.yaml")), "\nOutputs:", independentOfService+"Outputs:", 1)
	resume := steps.pause()
	defer resume()
	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("independent"), TemplateBody: aws.String(body),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("ImageReachable"), ParameterValue: aws.String("true")}}})
	must(t, err)
	d, st, why := round30Deployment(t, cf, c, "independent")
	if st != cfntypes.StackStatusCreateInProgress || d.RolloutState != ecstypes.DeploymentRolloutStateInProgress {
		t.Fatalf("after CreateStack: stack %s (%s), deployment %s with %d running; want CREATE_IN_PROGRESS and IN_PROGRESS",
			st, why, d.RolloutState, d.RunningCount)
	}
	if s := round30ResourceStatus(t, cf, "independent", "Service"); s != cfntypes.ResourceStatusCreateInProgress {
		t.Errorf("Service %s, want CREATE_IN_PROGRESS", s)
	}
	for _, r := range []string{"Hosts", "Bastion", "Nat"} {
		if s := round30ResourceStatus(t, cf, "independent", r); s != cfntypes.ResourceStatusCreateComplete {
			t.Errorf("%s %s, want CREATE_COMPLETE", r, s)
		}
	}
	ids := stackPhysicalIDs(t, cf, "independent")
	g, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{ids["Hosts"]}})
	must(t, err)
	if len(g.AutoScalingGroups) != 1 || len(g.AutoScalingGroups[0].Instances) != 1 {
		t.Errorf("Hosts: %+v, want its one instance launched", g.AutoScalingGroups)
	}
	in, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{ids["Bastion"]}})
	must(t, err)
	if s := in.Reservations[0].Instances[0].State.Name; s != ec2types.InstanceStateNameRunning {
		t.Errorf("Bastion %s, want running", s)
	}
	ng, err := c.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{ids["Nat"]}})
	must(t, err)
	if s := ng.NatGateways[0].State; s != ec2types.NatGatewayStateAvailable {
		t.Errorf("Nat %s, want available", s)
	}
	if st := round30StepUntil(t, cf, steps, "independent", cfntypes.StackStatusCreateInProgress); st != cfntypes.StackStatusCreateComplete {
		t.Fatalf("stack %s, want CREATE_COMPLETE", st)
	}
	if d, _, _ := round30Deployment(t, cf, c, "independent"); d.RolloutState != ecstypes.DeploymentRolloutStateCompleted || d.RunningCount != 2 {
		t.Errorf("CREATE_COMPLETE with the deployment %s, %d running, want COMPLETED with 2", d.RolloutState, d.RunningCount)
	}
}

// TestCloudFormationUpdateAddedServiceWaits: a service an update adds is
// created and waited for as a create's is: UpdateStack leaves its first
// deployment IN_PROGRESS (the emulator's steps paused), the stack
// UPDATE_IN_PROGRESS and the service CREATE_IN_PROGRESS, and the update
// completes once the service is stable.
func TestCloudFormationUpdateAddedServiceWaits(t *testing.T) {
	em, steps := newSteppedEmulator(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	full := aws.ToString(sweepTemplate(t, "service-stabilize.yaml"))
	start, _, ok := strings.Cut(full, "  Service:\n")
	if !ok {
		t.Fatal("service-stabilize.yaml has no Service")
	}
	params := []cfntypes.Parameter{{ParameterKey: aws.String("ImageReachable"), ParameterValue: aws.String("true")}}
	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("adds"), TemplateBody: aws.String(start), Parameters: params})
	must(t, err)
	waitStack(t, cf, "adds", cfntypes.StackStatusCreateComplete)
	resume := steps.pause()
	defer resume()
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("adds"), TemplateBody: aws.String(full), Parameters: params})
	must(t, err)
	d, st, why := round30Deployment(t, cf, c, "adds")
	if st != cfntypes.StackStatusUpdateInProgress || d.RolloutState != ecstypes.DeploymentRolloutStateInProgress {
		t.Fatalf("after UpdateStack: stack %s (%s), deployment %s with %d running; want UPDATE_IN_PROGRESS and IN_PROGRESS",
			st, why, d.RolloutState, d.RunningCount)
	}
	if s := round30ResourceStatus(t, cf, "adds", "Service"); s != cfntypes.ResourceStatusCreateInProgress {
		t.Errorf("Service %s, want CREATE_IN_PROGRESS", s)
	}
	if st := round30StepUntil(t, cf, steps, "adds", cfntypes.StackStatusUpdateInProgress); st != cfntypes.StackStatusUpdateCompleteCleanupInProgress && st != cfntypes.StackStatusUpdateComplete {
		t.Fatalf("stack %s, want UPDATE_COMPLETE", st)
	}
	if d, _, _ := round30Deployment(t, cf, c, "adds"); d.RolloutState != ecstypes.DeploymentRolloutStateCompleted || d.RunningCount != 2 {
		t.Errorf("UPDATE_COMPLETE with the deployment %s, %d running, want COMPLETED with 2", d.RolloutState, d.RunningCount)
	}
}

// TestCloudFormationRound30InstanceGroupNamesWithSubnet: an instance
// with a SubnetId whose groups are under SecurityGroups is CREATE_FAILED
// with RunInstances' refusal ("The parameter groupName cannot be used with
// the parameter subnet", InvalidParameterCombination;
// aws-cloudformation-templates#450) and the stack rolls back, leaving no
// instance. Before round thirty the instance launched with the group.
func TestCloudFormationRound30InstanceGroupNamesWithSubnet(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body, err := os.ReadFile("../cfn/testdata/sweep30/instance-group-names.yaml")
	must(t, err)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("bastion"), TemplateBody: aws.String(string(body))})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusRollbackComplete)
	found := false
	for _, e := range stackEventsOf(t, cf, aws.ToString(out.StackId)) {
		if strings.HasPrefix(e, "Bastion CREATE_FAILED ") {
			found = true
			if !strings.Contains(e, "The parameter groupName cannot be used with the parameter subnet") {
				t.Errorf("event %q, want RunInstances' refusal", e)
			}
		}
	}
	if !found {
		t.Errorf("no CREATE_FAILED event of Bastion in\n%s", strings.Join(stackEventsOf(t, cf, aws.ToString(out.StackId)), "\n"))
	}
	in, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
	must(t, err)
	for _, r := range in.Reservations {
		for _, i := range r.Instances {
			if i.State.Name != ec2types.InstanceStateNameTerminated {
				t.Errorf("instance %s is %s after the rollback", aws.ToString(i.InstanceId), i.State.Name)
			}
		}
	}
}

// TestRound30NamespaceOverPrivateZone: CreatePrivateDnsNamespace named as
// a private hosted zone already associated with its VPC is taken (an
// OperationId) and its operation fails, CANNOT_CREATE_HOSTED_ZONE with
// Route 53's refusal, leaving no namespace; through CloudFormation the
// namespace is CREATE_FAILED with that message (HandlerErrorCode
// InvalidRequest) and the stack rolls back. Another VPC may have a
// namespace of that name. Before round thirty both were created.
func TestRound30NamespaceOverPrivateZone(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	r53 := route53Client(em.URL)
	sd := servicediscovery.NewFromConfig(sdkConfig(), func(o *servicediscovery.Options) { o.BaseEndpoint = aws.String(em.URL) })
	vpc := func(cidr string) string {
		v, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)})
		must(t, err)
		return aws.ToString(v.Vpc.VpcId)
	}
	inZone, elsewhere := vpc("10.32.0.0/16"), vpc("10.33.0.0/16")
	_, err := r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("svc.internal"), CallerReference: aws.String("r30"),
		VPC: &r53types.VPC{VPCId: aws.String(inZone), VPCRegion: r53types.VPCRegionUsEast1}})
	must(t, err)
	out, err := sd.CreatePrivateDnsNamespace(ctx, &servicediscovery.CreatePrivateDnsNamespaceInput{Name: aws.String("svc.internal"), Vpc: aws.String(inZone)})
	must(t, err)
	var op *sdtypes.Operation
	for range 100 {
		o, err := sd.GetOperation(ctx, &servicediscovery.GetOperationInput{OperationId: out.OperationId})
		must(t, err)
		if op = o.Operation; op.Status != sdtypes.OperationStatusSubmitted && op.Status != sdtypes.OperationStatusPending {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if op.Status != sdtypes.OperationStatusFail || aws.ToString(op.ErrorCode) != "CANNOT_CREATE_HOSTED_ZONE" ||
		!strings.Contains(aws.ToString(op.ErrorMessage), "has already been associated with the hosted zone") {
		t.Errorf("operation %s %s %q, want FAIL CANNOT_CREATE_HOSTED_ZONE with Route 53's refusal", op.Status, aws.ToString(op.ErrorCode), aws.ToString(op.ErrorMessage))
	}
	ns, err := sd.ListNamespaces(ctx, &servicediscovery.ListNamespacesInput{})
	must(t, err)
	if len(ns.Namespaces) != 0 {
		t.Errorf("namespaces %+v, want none", ns.Namespaces)
	}
	other, err := sd.CreatePrivateDnsNamespace(ctx, &servicediscovery.CreatePrivateDnsNamespaceInput{Name: aws.String("svc.internal"), Vpc: aws.String(elsewhere)})
	must(t, err)
	o, err := sd.GetOperation(ctx, &servicediscovery.GetOperationInput{OperationId: other.OperationId})
	must(t, err)
	if o.Operation.Status == sdtypes.OperationStatusFail {
		t.Errorf("the namespace of another VPC failed: %q", aws.ToString(o.Operation.ErrorMessage))
	}

	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/sweep30/namespace-over-zone.yaml")
	must(t, err)
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("discovery"), TemplateBody: aws.String(string(body))})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusRollbackComplete)
	found := false
	for _, e := range stackEventsOf(t, cf, aws.ToString(st.StackId)) {
		if strings.HasPrefix(e, "Discovery CREATE_FAILED ") {
			found = true
			if !strings.Contains(e, "with the same domain name.\" (RequestToken: ") || !strings.HasSuffix(e, "HandlerErrorCode: InvalidRequest)") {
				t.Errorf("event %q, want the operation's message, HandlerErrorCode InvalidRequest", e)
			}
		}
	}
	if !found {
		t.Errorf("no CREATE_FAILED event of Discovery in\n%s", strings.Join(stackEventsOf(t, cf, aws.ToString(st.StackId)), "\n"))
	}
}

// TestRound30ValidateTemplateUnresolved: ValidateTemplate refuses a
// DependsOn or a Ref that names nothing of the template, as CreateStack
// does ("Template format error: Unresolved resource dependencies [X] in
// the Resources block of the template"; the Outputs block for an
// output), whatever branch of an Fn::If the Ref is in. Before round
// thirty ValidateTemplate took such a template (a mustache-rendered
// service template whose DependsOn names a listener rule left out).
func TestRound30ValidateTemplateUnresolved(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	for _, tc := range []struct{ body, want string }{
		{"Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    DependsOn: [Gateway, HttpsRule]\n    Properties: {CidrBlock: 10.70.0.0/16}\n  Gateway: {Type: AWS::EC2::InternetGateway}\n",
			"Template format error: Unresolved resource dependencies [HttpsRule] in the Resources block of the template"},
		{"Parameters:\n  Public: {Type: String, Default: \"no\"}\nConditions:\n  IsPublic: !Equals [!Ref Public, \"yes\"]\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: !If [IsPublic, !Ref WideCidr, 10.71.0.0/16]}\n",
			"Template format error: Unresolved resource dependencies [WideCidr] in the Resources block of the template"},
		{"Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.72.0.0/16}\nOutputs:\n  Id: {Value: !Ref Network}\n",
			"Template format error: Unresolved resource dependencies [Network] in the Outputs block of the template"},
	} {
		_, err := cf.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: aws.String(tc.body)})
		if err == nil || !strings.Contains(err.Error(), "ValidationError") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ValidateTemplate: %v, want ValidationError %q", err, tc.want)
		}
	}
	ok := "Parameters:\n  Cidr: {Type: String}\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    DependsOn: Gateway\n    Properties: {CidrBlock: !Ref Cidr, Tags: [{Key: Region, Value: !Ref \"AWS::Region\"}]}\n  Gateway: {Type: AWS::EC2::InternetGateway}\nOutputs:\n  Id: {Value: !Ref Vpc}\n"
	if _, err := cf.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: aws.String(ok)}); err != nil {
		t.Errorf("ValidateTemplate of a template whose names all resolve: %v", err)
	}
}
