package server_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/ecsnet/ecsnet/internal/server"
)

// driftMoreTemplate is a web front: an internet gateway, an ALB, its
// listener and a task definition, the types drift detection checks
// beyond round twenty-nine's first ones.
const driftMoreTemplate = `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.41.0.0/16}
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.41.0.0/24, AvailabilityZone: !Select [0, !GetAZs ""]}
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.41.1.0/24, AvailabilityZone: !Select [1, !GetAZs ""]}
  Front:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: front, VpcId: !Ref Vpc}
  Gateway:
    Type: AWS::EC2::InternetGateway
  Attachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Gateway}
  Unused:
    Type: AWS::EC2::InternetGateway
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    DependsOn: Attachment
    Properties:
      Scheme: internet-facing
      Subnets: [!Ref SubnetA, !Ref SubnetB]
      SecurityGroups: [!Ref Front]
  Pool:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {VpcId: !Ref Vpc, Port: 8080, Protocol: HTTP, TargetType: ip}
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 80
      Protocol: HTTP
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Pool}]
  App:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: drift-more
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions: [{Name: app, Image: public.ecr.aws/nginx/nginx:latest}]
`

// TestCloudFormationDriftOfMoreTypes: a load balancer, a listener, an
// internet gateway and a task definition are checked (IN_SYNC when as
// made, not NOT_CHECKED). A new revision of the task definition's
// family registered out of band is no drift of the stack's revision;
// the listener's port changed, the load balancer's security groups
// replaced, the spare gateway deleted and the stack's revision
// deregistered are MODIFIED, MODIFIED, DELETED and DELETED.
func TestCloudFormationDriftOfMoreTypes(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("front"), TemplateBody: aws.String(driftMoreTemplate)})
	must(t, err)
	waitStackFor(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete, 20*time.Second)
	ids := stackPhysicalIDs(t, cf, "front")
	detect := func() map[string]cfntypes.StackResourceDrift {
		d, err := cf.DetectStackDrift(ctx, &cloudformation.DetectStackDriftInput{StackName: aws.String("front")})
		must(t, err)
		if _, err := cf.DescribeStackDriftDetectionStatus(ctx, &cloudformation.DescribeStackDriftDetectionStatusInput{StackDriftDetectionId: d.StackDriftDetectionId}); err != nil {
			t.Fatal(err)
		}
		rs, err := cf.DescribeStackResourceDrifts(ctx, &cloudformation.DescribeStackResourceDriftsInput{StackName: aws.String("front")})
		must(t, err)
		m := map[string]cfntypes.StackResourceDrift{}
		for _, d := range rs.StackResourceDrifts {
			m[aws.ToString(d.LogicalResourceId)] = d
		}
		return m
	}
	diffs := func(d cfntypes.StackResourceDrift) []string {
		var out []string
		for _, p := range d.PropertyDifferences {
			out = append(out, string(p.DifferenceType)+" "+aws.ToString(p.PropertyPath)+" "+aws.ToString(p.ExpectedValue)+" "+aws.ToString(p.ActualValue))
		}
		return out
	}
	checked := []string{"Alb", "Http", "Gateway", "Unused", "App"}
	fresh := detect()
	for _, name := range checked {
		if d, ok := fresh[name]; !ok || d.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusInSync {
			t.Errorf("fresh %s: %q %q, want IN_SYNC", name, d.StackResourceDriftStatus, diffs(d))
		}
	}

	// A new revision of the family: the stack's revision is unchanged.
	td, err := c.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(ids["App"])})
	must(t, err)
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("drift-more"),
		RequiresCompatibilities: td.TaskDefinition.RequiresCompatibilities, NetworkMode: ecstypes.NetworkModeAwsvpc,
		Cpu: aws.String("512"), Memory: aws.String("1024"), ContainerDefinitions: td.TaskDefinition.ContainerDefinitions})
	must(t, err)
	if d := detect()["App"]; d.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusInSync {
		t.Errorf("App after a new revision: %s %q, want IN_SYNC", d.StackResourceDriftStatus, diffs(d))
	}

	_, err = c.elb.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: aws.String(ids["Http"]), Port: aws.Int32(8081)})
	must(t, err)
	other, err := c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("other"), Description: aws.String("other"), VpcId: aws.String(ids["Vpc"])})
	must(t, err)
	_, err = c.elb.SetSecurityGroups(ctx, &elbv2.SetSecurityGroupsInput{LoadBalancerArn: aws.String(ids["Alb"]), SecurityGroups: []string{aws.ToString(other.GroupId)}})
	must(t, err)
	_, err = c.ec2.DeleteInternetGateway(ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: aws.String(ids["Unused"])})
	must(t, err)
	_, err = c.ecs.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(ids["App"])})
	must(t, err)

	all := detect()
	if d := all["Http"]; d.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusModified || !slices.Equal(diffs(d), []string{"NOT_EQUAL /Port 80 8081"}) {
		t.Errorf("Http: %s %q", d.StackResourceDriftStatus, diffs(d))
	}
	wantAlb := []string{`REMOVE /SecurityGroups/0 "` + ids["Front"] + `" null`, `ADD /SecurityGroups/0 null "` + aws.ToString(other.GroupId) + `"`}
	if d := all["Alb"]; d.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusModified || !slices.Equal(diffs(d), wantAlb) {
		t.Errorf("Alb: %s\n%s\nwant\n%s", d.StackResourceDriftStatus, strings.Join(diffs(d), "\n"), strings.Join(wantAlb, "\n"))
	}
	for _, name := range []string{"Unused", "App"} {
		if d := all[name]; d.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusDeleted {
			t.Errorf("%s: %s, want DELETED", name, d.StackResourceDriftStatus)
		}
	}
	if d := all["Gateway"]; d.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusInSync {
		t.Errorf("Gateway: %s, want IN_SYNC", d.StackResourceDriftStatus)
	}
}

// TestCloudFormationCreateWaitsForServices: a create leaves the service's
// first deployment to the server's steps, as CloudFormation creates the
// service and then waits for it to stabilize. Stepped by hand, the
// service stays CREATE_IN_PROGRESS while its deployment is IN_PROGRESS,
// the parameter that names it is created only once it is CREATE_COMPLETE,
// and the stack completes after the deployment has (2 tasks running).
func TestCloudFormationCreateWaitsForServices(t *testing.T) {
	em, steps := newSteppedEmulator(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body := aws.ToString(sweepTemplate(t, "service-stabilize.yaml"))
	body = strings.Replace(body, "\nOutputs:", `
  Named:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: !GetAtt Service.Name}
Outputs:`, 1)
	resume := steps.pause()
	defer resume()
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("creates"), TemplateBody: aws.String(body),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("ImageReachable"), ParameterValue: aws.String("true")}}})
	must(t, err)
	id := aws.ToString(out.StackId)
	resourceStatus := func(logical string) cfntypes.ResourceStatus {
		rs, err := cf.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(id)})
		must(t, err)
		for _, r := range rs.StackResources {
			if aws.ToString(r.LogicalResourceId) == logical {
				return r.ResourceStatus
			}
		}
		return ""
	}
	sawInProgress := false
	for i := 0; ; i++ {
		if i == 300 {
			t.Fatal("the create did not complete in 300 steps")
		}
		if i > 0 {
			steps.step()
		}
		ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
		must(t, err)
		st := ds.Stacks[0].StackStatus
		svcStatus, named := resourceStatus("Service"), resourceStatus("Named")
		ids := stackPhysicalIDs(t, cf, "creates")
		sv, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(ids["Cluster"]), Services: []string{ids["Service"]}})
		must(t, err)
		if len(sv.Services) != 1 || len(sv.Services[0].Deployments) == 0 {
			t.Fatalf("service %s: %+v", ids["Service"], sv.Services)
		}
		d := sv.Services[0].Deployments[0]
		if st == cfntypes.StackStatusCreateComplete {
			if d.RolloutState != ecstypes.DeploymentRolloutStateCompleted || d.RunningCount != 2 {
				t.Errorf("CREATE_COMPLETE with the deployment %s, %d running, want COMPLETED with 2", d.RolloutState, d.RunningCount)
			}
			break
		}
		if st != cfntypes.StackStatusCreateInProgress {
			t.Fatalf("stack %s (%s) during the deployment", st, aws.ToString(ds.Stacks[0].StackStatusReason))
		}
		if d.RolloutState == ecstypes.DeploymentRolloutStateInProgress {
			sawInProgress = true
			if svcStatus != cfntypes.ResourceStatusCreateInProgress {
				t.Errorf("Service %s while its deployment is IN_PROGRESS", svcStatus)
			}
			if named != "" {
				t.Errorf("Named is %s while the service it names stabilizes", named)
			}
		}
	}
	resume()
	if !sawInProgress {
		t.Error("never saw the stack CREATE_IN_PROGRESS while the service's deployment was IN_PROGRESS")
	}
	ev := stackEventsOf(t, cf, id)
	at := func(s string) int {
		i := slices.IndexFunc(ev, func(e string) bool { return strings.HasPrefix(e, s) })
		if i < 0 {
			t.Fatalf("no event %q in\n%s", s, strings.Join(ev, "\n"))
		}
		return i
	}
	if svcDone, namedStart, stackDone := at("Service CREATE_COMPLETE"), at("Named CREATE_IN_PROGRESS"), at("creates CREATE_COMPLETE"); !(svcDone < namedStart && namedStart < stackDone) {
		t.Errorf("events out of order:\n%s", strings.Join(ev, "\n"))
	}
}
