package server_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// updateTemplate is a network whose first subnet's CIDR is a parameter;
// extra is appended to its Resources.
func updateTemplate(extra string) string {
	return `
Parameters:
  CidrA: {Type: String, Default: 10.60.1.0/24}
  VpcCidr: {Type: String, Default: 10.60.0.0/16}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: !Ref VpcCidr}
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: !Ref CidrA}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Vpc
` + extra + `
Outputs:
  VpcId:
    Value: !Ref Vpc
    Export: {Name: upd-vpc}
`
}

const updateSubnetB = `
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.60.2.0/24}
`

// stackPhysicalIDs returns a stack's resources' physical ids by logical id.
func stackPhysicalIDs(t *testing.T, cf *cloudformation.Client, name string) map[string]string {
	t.Helper()
	out, err := cf.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(name)})
	must(t, err)
	ids := map[string]string{}
	for _, r := range out.StackResources {
		ids[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.PhysicalResourceId)
	}
	return ids
}

// eventsSince returns the events recorded after the first n.
func eventsSince(t *testing.T, cf *cloudformation.Client, id string, n int) []string {
	t.Helper()
	return stackEventsOf(t, cf, id)[n:]
}

func subnetExists(t *testing.T, c *ec2.Client, id string) bool {
	t.Helper()
	out, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	must(t, err)
	for _, s := range out.Subnets {
		if aws.ToString(s.SubnetId) == id {
			return true
		}
	}
	return false
}

// TestCloudFormationUpdateKeepsUnchanged: an update touches only what
// changed, as CloudFormation does. A changed subnet CIDR replaces that
// subnet (new one created, old one deleted in
// UPDATE_COMPLETE_CLEANUP_IN_PROGRESS); the VPC and the security group
// keep their ids and get no events; an added subnet is created, a removed
// one deleted. The change set says so (Modify with Replacement True, Add,
// Remove, nothing for the unchanged). A failing update rolls back to the
// stack as it was. An update of a stack whose export another stack
// imports goes through while the export's value stays; one that would
// change it is rolled back.
func TestCloudFormationUpdateKeepsUnchanged(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("upd"), TemplateBody: aws.String(updateTemplate(updateSubnetB))})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	before := stackPhysicalIDs(t, cf, "upd")
	// A stack that imports the export: updates that keep its value pass.
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("upd-user"), TemplateBody: aws.String(`
Resources:
  Rt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !ImportValue upd-vpc}
`)})
	must(t, err)
	waitStack(t, cf, "upd-user", cfntypes.StackStatusCreateComplete)

	// The change set of a new CIDR for SubnetA.
	params := []cfntypes.Parameter{{ParameterKey: aws.String("CidrA"), ParameterValue: aws.String("10.60.3.0/24")}}
	_, err = cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("upd"), ChangeSetName: aws.String("cidr"),
		UsePreviousTemplate: aws.Bool(true), Parameters: params})
	must(t, err)
	cs, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{StackName: aws.String("upd"), ChangeSetName: aws.String("cidr")})
	must(t, err)
	var changes []string
	for _, ch := range cs.Changes {
		rc := ch.ResourceChange
		changes = append(changes, string(rc.Action)+" "+aws.ToString(rc.LogicalResourceId)+" "+string(rc.Replacement))
	}
	if want := []string{"Modify SubnetA True"}; !slices.Equal(changes, want) {
		t.Fatalf("change set: %q, want %q", changes, want)
	}
	n := len(stackEventsOf(t, cf, id))
	_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{StackName: aws.String("upd"), ChangeSetName: aws.String("cidr")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	after := stackPhysicalIDs(t, cf, "upd")
	for _, k := range []string{"Vpc", "Sg", "SubnetB"} {
		if after[k] != before[k] {
			t.Errorf("%s: %s became %s; an unchanged resource keeps its id", k, before[k], after[k])
		}
	}
	if after["SubnetA"] == before["SubnetA"] || after["SubnetA"] == "" {
		t.Errorf("SubnetA: %s, want a new subnet (its CidrBlock needs replacement)", after["SubnetA"])
	}
	if subnetExists(t, c.ec2, before["SubnetA"]) || !subnetExists(t, c.ec2, after["SubnetA"]) {
		t.Errorf("the old SubnetA should be deleted and the new one exist")
	}
	ev := eventsSince(t, cf, id, n)
	want := []string{
		"upd UPDATE_IN_PROGRESS User Initiated",
		"SubnetA UPDATE_IN_PROGRESS Requested update requires the creation of a new physical resource; hence creating one.",
		"SubnetA UPDATE_IN_PROGRESS Resource creation Initiated",
		"SubnetA UPDATE_COMPLETE ",
		"upd UPDATE_COMPLETE_CLEANUP_IN_PROGRESS ",
		"SubnetA DELETE_IN_PROGRESS ",
		"SubnetA DELETE_COMPLETE ",
		"upd UPDATE_COMPLETE ",
	}
	if !slices.Equal(ev, want) {
		t.Fatalf("events:\n%s\nwant:\n%s", strings.Join(ev, "\n"), strings.Join(want, "\n"))
	}

	// Remove SubnetB, add SubnetC.
	tplC := updateTemplate(`
  SubnetC:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.60.4.0/24}
`)
	_, err = cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("upd"), ChangeSetName: aws.String("addrm"),
		TemplateBody: aws.String(tplC), Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("CidrA"), UsePreviousValue: aws.Bool(true)}}})
	must(t, err)
	cs, err = cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{StackName: aws.String("upd"), ChangeSetName: aws.String("addrm")})
	must(t, err)
	changes = nil
	for _, ch := range cs.Changes {
		rc := ch.ResourceChange
		changes = append(changes, string(rc.Action)+" "+aws.ToString(rc.LogicalResourceId)+" "+string(rc.Replacement))
	}
	if want := []string{"Add SubnetC ", "Remove SubnetB "}; !slices.Equal(changes, want) {
		t.Fatalf("change set: %q, want %q", changes, want)
	}
	_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{StackName: aws.String("upd"), ChangeSetName: aws.String("addrm")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	third := stackPhysicalIDs(t, cf, "upd")
	if third["SubnetA"] != after["SubnetA"] || third["Vpc"] != before["Vpc"] || third["SubnetB"] != "" || third["SubnetC"] == "" {
		t.Errorf("after add/remove: %v", third)
	}
	if subnetExists(t, c.ec2, before["SubnetB"]) {
		t.Errorf("removed SubnetB %s still exists", before["SubnetB"])
	}

	// A failing update (SubnetD outside the VPC) after a replacement of
	// SubnetA: rolled back, the stack as it was.
	n = len(stackEventsOf(t, cf, id))
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("upd"), TemplateBody: aws.String(updateTemplate(`
  SubnetC:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.60.4.0/24}
  SubnetD:
    Type: AWS::EC2::Subnet
    DependsOn: SubnetA
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.99.0.0/24}
`)), Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("CidrA"), ParameterValue: aws.String("10.60.5.0/24")}}})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete)
	rolled := stackPhysicalIDs(t, cf, "upd")
	if !mapsEqual(rolled, third) {
		t.Errorf("after rollback: %v, want %v", rolled, third)
	}
	if !subnetExists(t, c.ec2, third["SubnetA"]) {
		t.Errorf("rollback deleted the kept SubnetA")
	}
	subnets, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	must(t, err)
	for _, s := range subnets.Subnets {
		if aws.ToString(s.CidrBlock) == "10.60.5.0/24" {
			t.Errorf("the replacement subnet %s outlived the rollback", aws.ToString(s.SubnetId))
		}
	}
	ev = eventsSince(t, cf, id, n)
	if !slices.Contains(ev, "upd UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [SubnetD]. ") ||
		slices.ContainsFunc(ev, func(e string) bool { return strings.HasPrefix(e, "Vpc ") || strings.HasPrefix(e, "Sg ") }) {
		t.Errorf("rollback events:\n%s", strings.Join(ev, "\n"))
	}

	// Replacing the VPC would change the export upd-user imports.
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("upd"), TemplateBody: aws.String(updateTemplate("")),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("VpcCidr"), ParameterValue: aws.String("10.61.0.0/16")},
			{ParameterKey: aws.String("CidrA"), ParameterValue: aws.String("10.61.1.0/24")}}})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete)
	if ids := stackPhysicalIDs(t, cf, "upd"); !mapsEqual(ids, third) {
		t.Errorf("after the refused export change: %v, want %v", ids, third)
	}
	ev = stackEventsOf(t, cf, id)
	if want := "upd UPDATE_ROLLBACK_IN_PROGRESS Update canceled. Cannot update export upd-vpc as it is in use by upd-user."; !slices.Contains(ev, want) {
		t.Errorf("no %q in\n%s", want, strings.Join(ev, "\n"))
	}
	if got := stackOutputs(t, cf, "upd")["VpcId"]; got != before["Vpc"] {
		t.Errorf("export value %s, want %s", got, before["Vpc"])
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

const inPlaceTemplate = `
Parameters:
  Count: {Type: Number, Default: 1}
  Port: {Type: Number, Default: 80}
  Image: {Type: String, Default: "public.ecr.aws/nginx/nginx:1"}
  Max: {Type: Number, Default: 1}
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.70.0.0/16}
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  Routes:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  Default:
    Type: AWS::EC2::Route
    DependsOn: Attach
    Properties: {RouteTableId: !Ref Routes, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.70.0.0/24, AvailabilityZone: !Select [0, !GetAZs ""]}
  SubnetRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Subnet, RouteTableId: !Ref Routes}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Vpc
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: !Ref Port, ToPort: !Ref Port, CidrIp: 0.0.0.0/0}]
  Cluster:
    Type: AWS::ECS::Cluster
  TaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: web
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions: [{Name: main, Image: !Ref Image, PortMappings: [{ContainerPort: 80}]}]
  Service:
    Type: AWS::ECS::Service
    DependsOn: [SubnetRoutes, Default]
    Properties:
      Cluster: !Ref Cluster
      LaunchType: FARGATE
      TaskDefinition: !Ref TaskDef
      DesiredCount: !Ref Count
      NetworkConfiguration:
        AwsvpcConfiguration: {Subnets: [!Ref Subnet], SecurityGroups: [!Ref Sg], AssignPublicIp: ENABLED}
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {ImageId: !Ref Ami, InstanceType: t3.micro}
  Asg:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "0"
      MaxSize: !Ref Max
      DesiredCapacity: "0"
      VPCZoneIdentifier: [!Ref Subnet]
      LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: !GetAtt Lt.LatestVersionNumber}
`

// TestCloudFormationUpdateInPlace: the properties CloudFormation updates
// without replacement are updated in place (same physical id): a
// service's DesiredCount and TaskDefinition, a security group's inline
// ingress, an Auto Scaling group's MaxSize; a task definition is always
// replaced (a new revision, the old one deregistered in cleanup). The
// change set says Replacement False and True accordingly, and a failed
// update changes the in-place updates back.
func TestCloudFormationUpdateInPlace(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	param := func(kv ...string) []cfntypes.Parameter {
		var out []cfntypes.Parameter
		for i := 0; i < len(kv); i += 2 {
			out = append(out, cfntypes.Parameter{ParameterKey: aws.String(kv[i]), ParameterValue: aws.String(kv[i+1])})
		}
		return out
	}
	changeSet := func(name string, params []cfntypes.Parameter) []string {
		t.Helper()
		_, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("inplace"), ChangeSetName: aws.String(name),
			UsePreviousTemplate: aws.Bool(true), Parameters: params})
		must(t, err)
		cs, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{StackName: aws.String("inplace"), ChangeSetName: aws.String(name)})
		must(t, err)
		var out []string
		for _, ch := range cs.Changes {
			rc := ch.ResourceChange
			out = append(out, string(rc.Action)+" "+aws.ToString(rc.LogicalResourceId)+" "+string(rc.Replacement))
		}
		return out
	}
	sgPorts := func(id string) []int32 {
		t.Helper()
		out, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}})
		must(t, err)
		var ports []int32
		for _, p := range out.SecurityGroups[0].IpPermissions {
			ports = append(ports, aws.ToInt32(p.FromPort))
		}
		return ports
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("inplace"), TemplateBody: aws.String(inPlaceTemplate)})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	before := stackPhysicalIDs(t, cf, "inplace")

	got := changeSet("scale", param("Count", "2", "Port", "443", "Max", "3"))
	if want := []string{"Modify Sg False", "Modify Service False", "Modify Asg False"}; !slices.Equal(got, want) {
		t.Fatalf("change set: %q, want %q", got, want)
	}
	n := len(stackEventsOf(t, cf, id))
	_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{StackName: aws.String("inplace"), ChangeSetName: aws.String("scale")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	if after := stackPhysicalIDs(t, cf, "inplace"); !mapsEqual(after, before) {
		t.Errorf("in-place updates changed ids: %v, want %v", after, before)
	}
	ev := eventsSince(t, cf, id, n)
	// The service's update waits for its second task to run (round
	// forty: running as many as desired), while the group, which does
	// not depend on it, is updated.
	want := []string{
		"inplace UPDATE_IN_PROGRESS User Initiated",
		"Sg UPDATE_IN_PROGRESS ", "Sg UPDATE_COMPLETE ",
		"Service UPDATE_IN_PROGRESS ",
		"Asg UPDATE_IN_PROGRESS ", "Asg UPDATE_COMPLETE ",
		"Service UPDATE_COMPLETE ",
		"inplace UPDATE_COMPLETE_CLEANUP_IN_PROGRESS ",
		"inplace UPDATE_COMPLETE ",
	}
	if !slices.Equal(ev, want) {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(ev, "\n"), strings.Join(want, "\n"))
	}
	if p := sgPorts(before["Sg"]); !slices.Equal(p, []int32{443}) {
		t.Errorf("Sg ingress ports %v, want [443]", p)
	}
	svc, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(before["Cluster"]), Services: []string{before["Service"]}})
	must(t, err)
	if len(svc.Services) != 1 || svc.Services[0].DesiredCount != 2 {
		t.Errorf("service desired count: %+v, want 2", svc.Services)
	}
	asg, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{before["Asg"]}})
	must(t, err)
	if len(asg.AutoScalingGroups) != 1 || aws.ToInt32(asg.AutoScalingGroups[0].MaxSize) != 3 {
		t.Errorf("Auto Scaling group MaxSize: want 3")
	}

	// A new image: a new task definition revision; the service moves to it.
	got = changeSet("image", param("Count", "2", "Port", "443", "Max", "3", "Image", "public.ecr.aws/nginx/nginx:2"))
	if want := []string{"Modify TaskDef True", "Modify Service False"}; !slices.Equal(got, want) {
		t.Fatalf("change set: %q, want %q", got, want)
	}
	_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{StackName: aws.String("inplace"), ChangeSetName: aws.String("image")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	after := stackPhysicalIDs(t, cf, "inplace")
	if after["TaskDef"] == before["TaskDef"] || after["Service"] != before["Service"] || after["Vpc"] != before["Vpc"] {
		t.Errorf("after the image change: %v (before %v)", after, before)
	}
	svc, err = c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(before["Cluster"]), Services: []string{before["Service"]}})
	must(t, err)
	if aws.ToString(svc.Services[0].TaskDefinition) != after["TaskDef"] {
		t.Errorf("service task definition %s, want %s", aws.ToString(svc.Services[0].TaskDefinition), after["TaskDef"])
	}
	td, err := c.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(before["TaskDef"])})
	must(t, err)
	if td.TaskDefinition.Status != ecstypes.TaskDefinitionStatusInactive {
		t.Errorf("old revision %s: %s, want INACTIVE (deregistered in cleanup)", before["TaskDef"], td.TaskDefinition.Status)
	}

	// A failing update after an in-place change: the ingress comes back.
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("inplace"),
		TemplateBody: aws.String(inPlaceTemplate + `
  Bad:
    Type: AWS::EC2::Subnet
    DependsOn: Sg
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.99.0.0/24}
`), Parameters: param("Count", "2", "Port", "22", "Max", "3", "Image", "public.ecr.aws/nginx/nginx:2")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete)
	if p := sgPorts(before["Sg"]); !slices.Equal(p, []int32{443}) {
		t.Errorf("Sg ingress ports after rollback %v, want [443]", p)
	}
	if ids := stackPhysicalIDs(t, cf, "inplace"); !mapsEqual(ids, after) {
		t.Errorf("after rollback: %v, want %v", ids, after)
	}
}

// TestCloudFormationUpdateCustomName: a change that replaces a resource
// with a custom name (a security group's GroupDescription, its GroupName
// kept) fails as CloudFormation fails it, UPDATE_FAILED "CloudFormation
// cannot update a stack when a custom-named resource requires replacing.
// Rename X and update the stack again.", and rolls back; with a new name
// it goes through.
func TestCloudFormationUpdateCustomName(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	tpl := func(name, desc string) *string {
		return aws.String(`
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.62.0.0/16}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupName: ` + name + `, GroupDescription: ` + desc + `, VpcId: !Ref Vpc}
`)
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("named"), TemplateBody: tpl("web", "one")})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	before := stackPhysicalIDs(t, cf, "named")
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("named"), TemplateBody: tpl("web", "two")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete)
	want := "Sg UPDATE_FAILED CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename web and update the stack again."
	if ev := stackEventsOf(t, cf, id); !slices.Contains(ev, want) {
		t.Errorf("no %q in\n%s", want, strings.Join(ev, "\n"))
	}
	if ids := stackPhysicalIDs(t, cf, "named"); !mapsEqual(ids, before) {
		t.Errorf("after rollback: %v, want %v", ids, before)
	}
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("named"), TemplateBody: tpl("web2", "two")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	if ids := stackPhysicalIDs(t, cf, "named"); ids["Sg"] == before["Sg"] || ids["Vpc"] != before["Vpc"] {
		t.Errorf("renamed: %v (before %v), want a new group in the same VPC", ids, before)
	}
}

// TestCloudFormationUpdateCustomNamedLaunchConfiguration: a launch
// configuration has no in-place update (each of its properties requires
// replacement), so with its LaunchConfigurationName kept a change fails
// with CloudFormation's custom-name text, not with Auto Scaling's
// AlreadyExists from a replacement's create; a new name goes through.
func TestCloudFormationUpdateCustomNamedLaunchConfiguration(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	tpl := func(name, typ string) *string {
		return aws.String(`
Resources:
  Lc:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {ImageId: ami-12c6146b, InstanceType: ` + typ + `, LaunchConfigurationName: ` + name + `}
`)
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("lc"), TemplateBody: tpl("lc1", "t2.micro")})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("lc"), TemplateBody: tpl("lc1", "m5.large")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete)
	want := "Lc UPDATE_FAILED CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename lc1 and update the stack again."
	if ev := stackEventsOf(t, cf, id); !slices.Contains(ev, want) {
		t.Errorf("no %q in\n%s", want, strings.Join(ev, "\n"))
	}
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("lc"), TemplateBody: tpl("lc2", "m5.large")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	if ids := stackPhysicalIDs(t, cf, "lc"); ids["Lc"] != "lc2" {
		t.Errorf("renamed: %v, want Lc lc2", ids)
	}
}
