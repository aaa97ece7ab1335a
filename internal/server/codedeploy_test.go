package server_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	cdtypes "github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/store/bolt"
)

func codeDeployClient(url string) *codedeploy.Client {
	return codedeploy.NewFromConfig(sdkConfig(), func(o *codedeploy.Options) { o.BaseEndpoint = aws.String(url) })
}

func wantCodeDeployError(t *testing.T, what string, err error, code, msg string) {
	t.Helper()
	if apiCode(err) != code || !strings.Contains(fmt.Sprint(err), msg) {
		t.Errorf("%s: %v, want %s %q", what, err, code, msg)
	}
}

// blueGreenService makes an ALB with a production (80) and a test (8080)
// listener both forwarding to target group blue, a second target group
// green, a Fargate task definition "web" and a CODE_DEPLOY service "svc"
// behind blue. It returns the listeners' and groups' ARNs.
func blueGreenService(t *testing.T, es *estate, controller ecstypes.DeploymentControllerType, svc string) (prod, test, blue, green string) {
	t.Helper()
	c := es.c
	alb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("bg-" + svc), Subnets: es.subnets, SecurityGroups: []string{es.open}})
	must(t, err)
	var tgs []string
	for _, n := range []string{"blue-" + svc, "green-" + svc} {
		o, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(n), Protocol: elbtypes.ProtocolEnumHttp,
			Port: aws.Int32(80), VpcId: &es.vpc, TargetType: elbtypes.TargetTypeEnumIp})
		must(t, err)
		tgs = append(tgs, aws.ToString(o.TargetGroups[0].TargetGroupArn))
	}
	var ls []string
	for _, port := range []int32{80, 8080} {
		l, err := c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp,
			Port: aws.Int32(port), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &tgs[0]}}})
		must(t, err)
		ls = append(ls, aws.ToString(l.Listeners[0].ListenerArn))
	}
	for _, img := range []string{"nginx:1.25", "nginx:1.27"} {
		_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc,
			RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String(img), Essential: aws.Bool(true),
				PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(80)}}}}})
		must(t, err)
	}
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String(svc), TaskDefinition: aws.String("web:1"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate, DeploymentController: &ecstypes.DeploymentController{Type: controller},
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: es.subnets,
			SecurityGroups: []string{es.open}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}},
		LoadBalancers: []ecstypes.LoadBalancer{{TargetGroupArn: &tgs[0], ContainerName: aws.String("web"), ContainerPort: aws.Int32(80)}}})
	must(t, err)
	return ls[0], ls[1], tgs[0], tgs[1]
}

func groupInput(role, svc, prod, test string, tgs ...string) *codedeploy.CreateDeploymentGroupInput {
	var infos []cdtypes.TargetGroupInfo
	for _, n := range tgs {
		infos = append(infos, cdtypes.TargetGroupInfo{Name: aws.String(n)})
	}
	return &codedeploy.CreateDeploymentGroupInput{ApplicationName: aws.String("shop"), DeploymentGroupName: aws.String("dg-" + svc),
		ServiceRoleArn: aws.String(role), DeploymentConfigName: aws.String("CodeDeployDefault.ECSAllAtOnce"),
		DeploymentStyle: &cdtypes.DeploymentStyle{DeploymentType: cdtypes.DeploymentTypeBlueGreen, DeploymentOption: cdtypes.DeploymentOptionWithTrafficControl},
		BlueGreenDeploymentConfiguration: &cdtypes.BlueGreenDeploymentConfiguration{
			DeploymentReadyOption:                     &cdtypes.DeploymentReadyOption{ActionOnTimeout: cdtypes.DeploymentReadyActionContinueDeployment},
			TerminateBlueInstancesOnDeploymentSuccess: &cdtypes.BlueInstanceTerminationOption{Action: cdtypes.InstanceActionTerminate, TerminationWaitTimeInMinutes: 0}},
		EcsServices: []cdtypes.ECSService{{ClusterName: aws.String("c"), ServiceName: aws.String(svc)}},
		LoadBalancerInfo: &cdtypes.LoadBalancerInfo{TargetGroupPairInfoList: []cdtypes.TargetGroupPairInfo{{TargetGroups: infos,
			ProdTrafficRoute: &cdtypes.TrafficRoute{ListenerArns: []string{prod}}, TestTrafficRoute: &cdtypes.TrafficRoute{ListenerArns: []string{test}}}}}}
}

// TestCodeDeployECSBlueGreen drives CodeDeploy through the Go SDK: an ECS
// application and its deployment group (AWS's refusals of an unknown
// application, a service without the CODE_DEPLOY controller, a bad target
// group pair, a role that is not the account's), then a deployment of an
// AppSpec whose new task definition ends up in the primary task set
// behind the other target group, both listeners forwarding to it.
func TestCodeDeployECSBlueGreen(t *testing.T) {
	t.Parallel()
	es := newEstate(t, "t3.micro", 0)
	cd := codeDeployClient(es.url)
	role := infrastructureRole(t, es.url, "codedeploy-ecs", "codedeploy.amazonaws.com")
	prod, test, blue, green := blueGreenService(t, es, ecstypes.DeploymentControllerTypeCodeDeploy, "svc")
	_, _, _, _ = blueGreenService(t, es, ecstypes.DeploymentControllerTypeEcs, "plain")

	_, err := cd.CreateDeploymentGroup(ctx, groupInput(role, "svc", prod, test, "blue-svc", "green-svc"))
	wantCodeDeployError(t, "a group of an unknown application", err, "ApplicationDoesNotExistException", "No application found for name: shop")
	app, err := cd.CreateApplication(ctx, &codedeploy.CreateApplicationInput{ApplicationName: aws.String("shop"), ComputePlatform: cdtypes.ComputePlatformEcs,
		Tags: []cdtypes.Tag{{Key: aws.String("team"), Value: aws.String("web")}}})
	must(t, err)
	_, err = cd.CreateApplication(ctx, &codedeploy.CreateApplicationInput{ApplicationName: aws.String("shop"), ComputePlatform: cdtypes.ComputePlatformEcs})
	wantCodeDeployError(t, "a second application shop", err, "ApplicationAlreadyExistsException", "shop already exists in your account")
	g, err := cd.GetApplication(ctx, &codedeploy.GetApplicationInput{ApplicationName: aws.String("shop")})
	must(t, err)
	if aws.ToString(g.Application.ApplicationId) != aws.ToString(app.ApplicationId) || g.Application.ComputePlatform != cdtypes.ComputePlatformEcs {
		t.Errorf("GetApplication %+v", g.Application)
	}

	_, err = cd.CreateDeploymentGroup(ctx, groupInput(role, "plain", prod, test, "blue-plain", "green-plain"))
	wantCodeDeployError(t, "a service of the ECS controller", err, "InvalidECSServiceException", "Deployment group's ECS service must be configured for a CODE_DEPLOY deployment controller.")
	_, err = cd.CreateDeploymentGroup(ctx, groupInput(role, "svc", prod, test, "blue-svc"))
	wantCodeDeployError(t, "one target group", err, "InvalidTargetGroupPairException", "exactly two")
	_, err = cd.CreateDeploymentGroup(ctx, groupInput("arn:aws:iam::123456789012:role/nobody", "svc", prod, test, "blue-svc", "green-svc"))
	wantCodeDeployError(t, "an unknown role", err, "InvalidRoleException", "AWS CodeDeploy does not have the permissions required to assume the role arn:aws:iam::123456789012:role/nobody.")
	_, err = cd.CreateDeploymentGroup(ctx, groupInput(role, "svc", prod, test, "blue-svc", "green-svc"))
	must(t, err)
	_, err = cd.CreateDeploymentGroup(ctx, groupInput(role, "svc", prod, test, "blue-svc", "green-svc"))
	wantCodeDeployError(t, "the group again", err, "DeploymentGroupAlreadyExistsException", "dg-svc")
	dg, err := cd.GetDeploymentGroup(ctx, &codedeploy.GetDeploymentGroupInput{ApplicationName: aws.String("shop"), DeploymentGroupName: aws.String("dg-svc")})
	must(t, err)
	if info := dg.DeploymentGroupInfo; info.ComputePlatform != cdtypes.ComputePlatformEcs || len(info.EcsServices) != 1 ||
		len(info.LoadBalancerInfo.TargetGroupPairInfoList) != 1 || info.DeploymentStyle.DeploymentType != cdtypes.DeploymentTypeBlueGreen {
		t.Errorf("GetDeploymentGroup %+v", info)
	}
	cfg, err := cd.GetDeploymentConfig(ctx, &codedeploy.GetDeploymentConfigInput{DeploymentConfigName: aws.String("CodeDeployDefault.ECSLinear10PercentEvery1Minutes")})
	must(t, err)
	if tr := cfg.DeploymentConfigInfo.TrafficRoutingConfig; tr == nil || tr.TimeBasedLinear == nil || tr.TimeBasedLinear.LinearPercentage != 10 {
		t.Errorf("GetDeploymentConfig %+v", cfg.DeploymentConfigInfo)
	}

	spec := `{"version": 0.0, "Resources": [{"TargetService": {"Type": "AWS::ECS::Service", "Properties": {
  "TaskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2",
  "LoadBalancerInfo": {"ContainerName": "web", "ContainerPort": 80}}}}]}`
	rev := &cdtypes.RevisionLocation{RevisionType: cdtypes.RevisionLocationTypeAppSpecContent, AppSpecContent: &cdtypes.AppSpecContent{Content: aws.String(spec)}}
	d, err := cd.CreateDeployment(ctx, &codedeploy.CreateDeploymentInput{ApplicationName: aws.String("shop"), DeploymentGroupName: aws.String("dg-svc"), Revision: rev})
	must(t, err)
	if !strings.HasPrefix(aws.ToString(d.DeploymentId), "d-") {
		t.Errorf("deployment id %s", aws.ToString(d.DeploymentId))
	}
	// The replacement task set must run before traffic moves.
	eventually(t, "the deployment succeeds", func() bool {
		gd, err := cd.GetDeployment(ctx, &codedeploy.GetDeploymentInput{DeploymentId: d.DeploymentId})
		must(t, err)
		return gd.DeploymentInfo.Status == cdtypes.DeploymentStatusSucceeded
	})
	ls, err := es.c.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{prod, test}})
	must(t, err)
	for _, l := range ls.Listeners {
		if got := aws.ToString(l.DefaultActions[0].TargetGroupArn); got != green {
			t.Errorf("listener %d forwards to %s, want green %s (blue %s)", aws.ToInt32(l.Port), got, green, blue)
		}
	}
	s, err := es.c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"svc"}})
	must(t, err)
	var primary *ecstypes.TaskSet
	for i, ts := range s.Services[0].TaskSets {
		if aws.ToString(ts.Status) == "PRIMARY" {
			primary = &s.Services[0].TaskSets[i]
		}
	}
	if primary == nil || !strings.HasSuffix(aws.ToString(primary.TaskDefinition), "task-definition/web:2") ||
		len(primary.LoadBalancers) != 1 || aws.ToString(primary.LoadBalancers[0].TargetGroupArn) != green {
		t.Fatalf("primary task set after the deployment: %+v", primary)
	}
	l, err := cd.ListDeployments(ctx, &codedeploy.ListDeploymentsInput{ApplicationName: aws.String("shop"), DeploymentGroupName: aws.String("dg-svc"),
		IncludeOnlyStatuses: []cdtypes.DeploymentStatus{cdtypes.DeploymentStatusSucceeded}})
	must(t, err)
	if len(l.Deployments) != 1 || l.Deployments[0] != aws.ToString(d.DeploymentId) {
		t.Errorf("ListDeployments %v", l.Deployments)
	}
	// A second deployment moves the traffic back to blue, its tasks in
	// the AppSpec's subnet.
	spec2 := `{"version": 0.0, "Resources": [{"TargetService": {"Type": "AWS::ECS::Service", "Properties": {
  "TaskDefinition": "web:1", "LoadBalancerInfo": {"ContainerName": "web", "ContainerPort": 80},
  "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": ["` + es.subnets[1] + `"], "SecurityGroups": ["` + es.open + `"], "AssignPublicIp": "ENABLED"}}}}}]}`
	d2, err := cd.CreateDeployment(ctx, &codedeploy.CreateDeploymentInput{ApplicationName: aws.String("shop"), DeploymentGroupName: aws.String("dg-svc"),
		Revision: &cdtypes.RevisionLocation{RevisionType: cdtypes.RevisionLocationTypeAppSpecContent, AppSpecContent: &cdtypes.AppSpecContent{Content: aws.String(spec2)}}})
	must(t, err)
	eventually(t, "the second deployment succeeds", func() bool {
		gd, err := cd.GetDeployment(ctx, &codedeploy.GetDeploymentInput{DeploymentId: d2.DeploymentId})
		must(t, err)
		return gd.DeploymentInfo.Status == cdtypes.DeploymentStatusSucceeded
	})
	s, err = es.c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"svc"}})
	must(t, err)
	for _, ts := range s.Services[0].TaskSets {
		if aws.ToString(ts.Status) == "PRIMARY" {
			if net := ts.NetworkConfiguration.AwsvpcConfiguration; len(net.Subnets) != 1 || net.Subnets[0] != es.subnets[1] ||
				!strings.HasSuffix(aws.ToString(ts.TaskDefinition), "task-definition/web:1") {
				t.Errorf("the second deployment's task set: %s in %v", aws.ToString(ts.TaskDefinition), net.Subnets)
			}
		}
	}
	ls, err = es.c.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{prod}})
	must(t, err)
	if got := aws.ToString(ls.Listeners[0].DefaultActions[0].TargetGroupArn); got != blue {
		t.Errorf("after %s the production listener forwards to %s, want blue", aws.ToString(d2.DeploymentId), got)
	}
	tags, err := cd.ListTagsForResource(ctx, &codedeploy.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:codedeploy:us-east-1:123456789012:application:shop")})
	must(t, err)
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Value) != "web" {
		t.Errorf("ListTagsForResource %+v", tags.Tags)
	}
	_, err = cd.DeleteApplication(ctx, &codedeploy.DeleteApplicationInput{ApplicationName: aws.String("shop")})
	must(t, err)
	_, err = cd.GetDeploymentGroup(ctx, &codedeploy.GetDeploymentGroupInput{ApplicationName: aws.String("shop"), DeploymentGroupName: aws.String("dg-svc")})
	wantCodeDeployError(t, "a group of a deleted application", err, "ApplicationDoesNotExistException", "No application found for name: shop")
}

// TestTerraformApplyCodeDeployECS applies an ECS blue/green configuration
// (aws_codedeploy_app, aws_codedeploy_deployment_group over a CODE_DEPLOY
// service) with the real Terraform AWS provider, plans it again (no
// changes) and destroys it.
func TestTerraformApplyCodeDeployECS(t *testing.T) {
	terraformApply(t, "../../scripts/terraform-apply/configs/ecs-codedeploy", "us-east-1", "")
}

// TestCodeDeployTerminationWait: with a termination wait the deployment
// stays InProgress, the original task set still ACTIVE, until the wait has
// passed on the engine's clock; then the original drains and the
// deployment succeeds. A second deployment stopped with rollback puts the
// traffic and the primary task set back.
func TestCodeDeployTerminationWait(t *testing.T) {
	t.Parallel()
	base := time.Now()
	var offset atomic.Int64
	em := newEmulator(t, nil, engine.WithClock(func() time.Time { return base.Add(time.Duration(offset.Load())) }))
	es := newEstateOn(t, em, "t3.micro", 0)
	cd := codeDeployClient(es.url)
	role := infrastructureRole(t, es.url, "codedeploy-ecs", "codedeploy.amazonaws.com")
	prod, test, blue, green := blueGreenService(t, es, ecstypes.DeploymentControllerTypeCodeDeploy, "svc")
	_, err := cd.CreateApplication(ctx, &codedeploy.CreateApplicationInput{ApplicationName: aws.String("shop"), ComputePlatform: cdtypes.ComputePlatformEcs})
	must(t, err)
	in := groupInput(role, "svc", prod, test, "blue-svc", "green-svc")
	in.BlueGreenDeploymentConfiguration.TerminateBlueInstancesOnDeploymentSuccess.TerminationWaitTimeInMinutes = 5
	_, err = cd.CreateDeploymentGroup(ctx, in)
	must(t, err)
	spec := "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: web:2\n" +
		"        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 80\n"
	rev := &cdtypes.RevisionLocation{RevisionType: cdtypes.RevisionLocationTypeAppSpecContent, AppSpecContent: &cdtypes.AppSpecContent{Content: aws.String(spec)}}
	deploy := func() string {
		d, err := cd.CreateDeployment(ctx, &codedeploy.CreateDeploymentInput{ApplicationName: aws.String("shop"), DeploymentGroupName: aws.String("dg-svc"), Revision: rev})
		must(t, err)
		return aws.ToString(d.DeploymentId)
	}
	status := func(id string) cdtypes.DeploymentStatus {
		d, err := cd.GetDeployment(ctx, &codedeploy.GetDeploymentInput{DeploymentId: &id})
		must(t, err)
		return d.DeploymentInfo.Status
	}
	taskSets := func() map[string]string { // target group → status
		s, err := es.c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"svc"}})
		must(t, err)
		m := map[string]string{}
		for _, ts := range s.Services[0].TaskSets {
			m[aws.ToString(ts.LoadBalancers[0].TargetGroupArn)] = aws.ToString(ts.Status)
		}
		return m
	}
	prodTarget := func() string {
		ls, err := es.c.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{prod}})
		must(t, err)
		return aws.ToString(ls.Listeners[0].DefaultActions[0].TargetGroupArn)
	}
	first := deploy()
	eventually(t, "the traffic moves", func() bool { return prodTarget() == green })
	if st, ts := status(first), taskSets(); st != cdtypes.DeploymentStatusInProgress || ts[blue] != "ACTIVE" || ts[green] != "PRIMARY" || prodTarget() != green {
		t.Fatalf("during the wait: %s, task sets %v, production listener on %s", st, ts, prodTarget())
	}
	_, err = cd.CreateDeployment(ctx, &codedeploy.CreateDeploymentInput{ApplicationName: aws.String("shop"), DeploymentGroupName: aws.String("dg-svc"), Revision: rev})
	wantCodeDeployError(t, "a deployment during another", err, "DeploymentLimitExceededException", "already has an active Deployment '"+first+"'")
	offset.Store(int64(6 * time.Minute))
	eventually(t, "the deployment succeeds after the wait", func() bool { return status(first) == cdtypes.DeploymentStatusSucceeded })
	if ts := taskSets(); ts[blue] == "ACTIVE" || ts[blue] == "PRIMARY" {
		t.Errorf("the original task set after the wait: %v", ts)
	}
	second := deploy()
	eventually(t, "the second deployment's traffic moves", func() bool { return prodTarget() == blue })
	if prodTarget() != blue {
		t.Fatalf("the second deployment left the production listener on %s", prodTarget())
	}
	_, err = cd.StopDeployment(ctx, &codedeploy.StopDeploymentInput{DeploymentId: &second, AutoRollbackEnabled: aws.Bool(true)})
	must(t, err)
	if st, ts := status(second), taskSets(); st != cdtypes.DeploymentStatusStopped || prodTarget() != green || ts[green] != "PRIMARY" {
		t.Errorf("after the stop: %s, task sets %v, production listener on %s", st, ts, prodTarget())
	}
}

// CodeDeploy's applications and groups are records of the store: they are
// there after a restart, the members echoed as given (numbers included).
func TestCodeDeployPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	b, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	srv, url := startOn(t, b, false)
	cd := codeDeployClient(url)
	role := infrastructureRole(t, url, "codedeploy", "codedeploy.amazonaws.com")
	_, err = cd.CreateApplication(ctx, &codedeploy.CreateApplicationInput{ApplicationName: aws.String("site")})
	must(t, err)
	_, err = cd.CreateDeploymentGroup(ctx, &codedeploy.CreateDeploymentGroupInput{ApplicationName: aws.String("site"), DeploymentGroupName: aws.String("web"),
		ServiceRoleArn: aws.String(role), BlueGreenDeploymentConfiguration: &cdtypes.BlueGreenDeploymentConfiguration{
			DeploymentReadyOption: &cdtypes.DeploymentReadyOption{ActionOnTimeout: cdtypes.DeploymentReadyActionStopDeployment, WaitTimeInMinutes: 30}},
		Tags: []cdtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	must(t, err)
	srv.Close()
	must(t, b.Close())

	b2, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	t.Cleanup(func() { b2.Close() })
	_, url = startOn(t, b2, false)
	cd = codeDeployClient(url)
	g, err := cd.GetDeploymentGroup(ctx, &codedeploy.GetDeploymentGroupInput{ApplicationName: aws.String("site"), DeploymentGroupName: aws.String("web")})
	must(t, err)
	info := g.DeploymentGroupInfo
	if info.ComputePlatform != cdtypes.ComputePlatformServer || aws.ToString(info.DeploymentConfigName) != "CodeDeployDefault.OneAtATime" ||
		info.BlueGreenDeploymentConfiguration == nil || info.BlueGreenDeploymentConfiguration.DeploymentReadyOption.WaitTimeInMinutes != 30 {
		t.Errorf("the group after restart: %+v", info)
	}
	tags, err := cd.ListTagsForResource(ctx, &codedeploy.ListTagsForResourceInput{ResourceArn: info.DeploymentGroupName})
	if apiCode(err) == "" {
		t.Errorf("tags of a name, not an ARN: %+v", tags)
	}
	tags, err = cd.ListTagsForResource(ctx, &codedeploy.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:site/web")})
	must(t, err)
	if len(tags.Tags) != 1 {
		t.Errorf("tags after restart %+v", tags.Tags)
	}
}

// codeDeployTimeline is an ECS application "shop" with group dg-svc over
// service svc, on an emulator whose clock the test moves.
type codeDeployTimeline struct {
	es                      *estate
	cd                      *codedeploy.Client
	offset                  *atomic.Int64
	prod, test, blue, green string
	role                    string
}

func newCodeDeployTimeline(t *testing.T, opts ...engine.Option) *codeDeployTimeline {
	base := time.Now()
	offset := &atomic.Int64{}
	em := newEmulator(t, nil, append(opts, engine.WithClock(func() time.Time { return base.Add(time.Duration(offset.Load())) }))...)
	es := newEstateOn(t, em, "t3.micro", 0)
	x := &codeDeployTimeline{es: es, cd: codeDeployClient(es.url), offset: offset}
	x.role = infrastructureRole(t, es.url, "codedeploy-ecs", "codedeploy.amazonaws.com")
	x.prod, x.test, x.blue, x.green = blueGreenService(t, es, ecstypes.DeploymentControllerTypeCodeDeploy, "svc")
	_, err := x.cd.CreateApplication(ctx, &codedeploy.CreateApplicationInput{ApplicationName: aws.String("shop"), ComputePlatform: cdtypes.ComputePlatformEcs})
	must(t, err)
	return x
}

func (x *codeDeployTimeline) advance(d time.Duration) { x.offset.Add(int64(d)) }

func (x *codeDeployTimeline) deploy(t *testing.T, spec string) string {
	t.Helper()
	d, err := x.cd.CreateDeployment(ctx, &codedeploy.CreateDeploymentInput{ApplicationName: aws.String("shop"), DeploymentGroupName: aws.String("dg-svc"),
		Revision: &cdtypes.RevisionLocation{RevisionType: cdtypes.RevisionLocationTypeAppSpecContent, AppSpecContent: &cdtypes.AppSpecContent{Content: aws.String(spec)}}})
	must(t, err)
	return aws.ToString(d.DeploymentId)
}

func (x *codeDeployTimeline) deployment(t *testing.T, id string) *cdtypes.DeploymentInfo {
	t.Helper()
	d, err := x.cd.GetDeployment(ctx, &codedeploy.GetDeploymentInput{DeploymentId: &id})
	must(t, err)
	return d.DeploymentInfo
}

// target is the deployment's one ECS target.
func (x *codeDeployTimeline) target(t *testing.T, id string) *cdtypes.ECSTarget {
	t.Helper()
	l, err := x.cd.ListDeploymentTargets(ctx, &codedeploy.ListDeploymentTargetsInput{DeploymentId: &id})
	must(t, err)
	if len(l.TargetIds) != 1 || l.TargetIds[0] != "c:svc" {
		t.Fatalf("ListDeploymentTargets %v", l.TargetIds)
	}
	g, err := x.cd.GetDeploymentTarget(ctx, &codedeploy.GetDeploymentTargetInput{DeploymentId: &id, TargetId: aws.String("c:svc")})
	must(t, err)
	if g.DeploymentTarget.DeploymentTargetType != cdtypes.DeploymentTargetTypeEcsTarget || g.DeploymentTarget.EcsTarget == nil {
		t.Fatalf("GetDeploymentTarget %+v", g.DeploymentTarget)
	}
	return g.DeploymentTarget.EcsTarget
}

// events renders a target's lifecycle events: name=status, …
func events(tg *cdtypes.ECSTarget) string {
	var out []string
	for _, ev := range tg.LifecycleEvents {
		out = append(out, aws.ToString(ev.LifecycleEventName)+"="+string(ev.Status))
	}
	return strings.Join(out, " ")
}

// weights is the production listener's split: target group ARN → weight.
func (x *codeDeployTimeline) weights(t *testing.T) map[string]int32 {
	t.Helper()
	ls, err := x.es.c.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{x.prod}})
	must(t, err)
	a := ls.Listeners[0].DefaultActions[0]
	if a.ForwardConfig == nil || len(a.ForwardConfig.TargetGroups) < 2 {
		return map[string]int32{aws.ToString(a.TargetGroupArn): 100}
	}
	m := map[string]int32{}
	for _, tg := range a.ForwardConfig.TargetGroups {
		m[aws.ToString(tg.TargetGroupArn)] = aws.ToInt32(tg.Weight)
	}
	return m
}

const nextWebSpec = "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: web:2\n" +
	"        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 80\n" +
	"Hooks:\n  - AfterAllowTestTraffic: \"ValidateTestTraffic\"\n"

// TestCodeDeployCanaryTimeline: a custom canary configuration (20 percent,
// then the rest after 5 minutes) and a group that stops for
// ContinueDeployment. The deployment installs the replacement, moves the
// test listener, waits Ready; ContinueDeployment moves 20 percent of
// production traffic, the rest after the interval on the engine's clock;
// each step shown by GetDeployment and GetDeploymentTarget.
func TestCodeDeployCanaryTimeline(t *testing.T) {
	t.Parallel()
	x := newCodeDeployTimeline(t)
	cd := x.cd
	_, err := cd.CreateDeploymentConfig(ctx, &codedeploy.CreateDeploymentConfigInput{DeploymentConfigName: aws.String("Canary20Percent5Minutes"),
		ComputePlatform: cdtypes.ComputePlatformEcs, TrafficRoutingConfig: &cdtypes.TrafficRoutingConfig{Type: cdtypes.TrafficRoutingTypeTimeBasedCanary,
			TimeBasedCanary: &cdtypes.TimeBasedCanary{CanaryPercentage: 20, CanaryInterval: 5}}})
	must(t, err)
	_, err = cd.CreateDeploymentConfig(ctx, &codedeploy.CreateDeploymentConfigInput{DeploymentConfigName: aws.String("Canary20Percent5Minutes"),
		ComputePlatform: cdtypes.ComputePlatformEcs, TrafficRoutingConfig: &cdtypes.TrafficRoutingConfig{Type: cdtypes.TrafficRoutingTypeAllAtOnce}})
	wantCodeDeployError(t, "the configuration again", err, "DeploymentConfigAlreadyExistsException", "Canary20Percent5Minutes")
	in := groupInput(x.role, "svc", x.prod, x.test, "blue-svc", "green-svc")
	in.DeploymentConfigName = aws.String("Canary20Percent5Minutes")
	in.BlueGreenDeploymentConfiguration.DeploymentReadyOption = &cdtypes.DeploymentReadyOption{ActionOnTimeout: cdtypes.DeploymentReadyActionStopDeployment, WaitTimeInMinutes: 30}
	_, err = cd.CreateDeploymentGroup(ctx, in)
	must(t, err)
	_, err = cd.DeleteDeploymentConfig(ctx, &codedeploy.DeleteDeploymentConfigInput{DeploymentConfigName: aws.String("Canary20Percent5Minutes")})
	wantCodeDeployError(t, "a configuration in use", err, "DeploymentConfigInUseException", "dg-svc")

	id := x.deploy(t, nextWebSpec)
	if tg := x.target(t, id); !strings.HasPrefix(events(tg), "BeforeInstall=Succeeded Install=InProgress AfterInstall=Pending") {
		t.Errorf("at the start: %s", events(tg))
	}
	_, err = cd.ContinueDeployment(ctx, &codedeploy.ContinueDeploymentInput{DeploymentId: &id, DeploymentWaitType: cdtypes.DeploymentWaitTypeReadyWait})
	wantCodeDeployError(t, "continue during Install", err, "DeploymentIsNotInReadyStateException", id)
	eventually(t, "the deployment is Ready", func() bool { return x.deployment(t, id).Status == cdtypes.DeploymentStatusReady })
	tg := x.target(t, id)
	if want := "BeforeInstall=Succeeded Install=Succeeded AfterInstall=Succeeded AllowTestTraffic=Succeeded AfterAllowTestTraffic=Succeeded " +
		"BeforeAllowTraffic=InProgress AllowTraffic=Pending AfterAllowTraffic=Pending"; events(tg) != want || tg.Status != cdtypes.TargetStatusReady {
		t.Errorf("Ready: %s (%s), want %s", events(tg), tg.Status, want)
	}
	if d := tg.LifecycleEvents[4].Diagnostics; d == nil || !strings.Contains(aws.ToString(d.Message), "ValidateTestTraffic") {
		t.Errorf("the hook's diagnostics: %+v", d)
	}
	ls, err := x.es.c.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{x.test}})
	must(t, err)
	if got := aws.ToString(ls.Listeners[0].DefaultActions[0].TargetGroupArn); got != x.green {
		t.Errorf("the test listener forwards to %s, want green", got)
	}
	if w := x.weights(t); w[x.blue] != 100 {
		t.Errorf("production before ContinueDeployment: %v", w)
	}
	_, err = cd.ContinueDeployment(ctx, &codedeploy.ContinueDeploymentInput{DeploymentId: &id, DeploymentWaitType: cdtypes.DeploymentWaitTypeReadyWait})
	must(t, err)
	if w := x.weights(t); w[x.blue] != 80 || w[x.green] != 20 {
		t.Errorf("the canary: %v, want blue 80 green 20", w)
	}
	tg = x.target(t, id)
	var green *cdtypes.ECSTaskSet
	for i, ts := range tg.TaskSetsInfo {
		if ts.TaskSetLabel == cdtypes.TargetLabelGreen {
			green = &tg.TaskSetsInfo[i]
		}
	}
	if green == nil || green.TrafficWeight != 20 || green.RunningCount != 1 || aws.ToString(green.TargetGroup.Name) != "green-svc" {
		t.Errorf("the canary's green task set: %+v", green)
	}
	if st := x.deployment(t, id).Status; st != cdtypes.DeploymentStatusInProgress {
		t.Errorf("during the canary: %s", st)
	}
	x.advance(6 * time.Minute)
	eventually(t, "the deployment succeeds after the canary interval", func() bool { return x.deployment(t, id).Status == cdtypes.DeploymentStatusSucceeded })
	if w := x.weights(t); w[x.green] != 100 {
		t.Errorf("after the canary: %v", w)
	}
	if tg := x.target(t, id); !strings.HasSuffix(events(tg), "AllowTraffic=Succeeded AfterAllowTraffic=Succeeded") || tg.Status != cdtypes.TargetStatusSucceeded {
		t.Errorf("at the end: %s (%s)", events(tg), tg.Status)
	}
	revs, err := cd.ListApplicationRevisions(ctx, &codedeploy.ListApplicationRevisionsInput{ApplicationName: aws.String("shop")})
	must(t, err)
	if len(revs.Revisions) != 1 {
		t.Fatalf("ListApplicationRevisions %+v", revs.Revisions)
	}
	rev, err := cd.GetApplicationRevision(ctx, &codedeploy.GetApplicationRevisionInput{ApplicationName: aws.String("shop"), Revision: &revs.Revisions[0]})
	must(t, err)
	if groups := rev.RevisionInfo.DeploymentGroups; len(groups) != 1 || groups[0] != "dg-svc" || rev.RevisionInfo.FirstUsedTime == nil {
		t.Errorf("GetApplicationRevision %+v", rev.RevisionInfo)
	}
}

// TestCodeDeployLinearAndReadyTimeout: a linear deployment moves 10
// percent a minute; a group that waits for ContinueDeployment stops the
// deployment when the wait runs out, the traffic never moved.
func TestCodeDeployLinearAndReadyTimeout(t *testing.T) {
	t.Parallel()
	x := newCodeDeployTimeline(t)
	in := groupInput(x.role, "svc", x.prod, x.test, "blue-svc", "green-svc")
	in.DeploymentConfigName = aws.String("CodeDeployDefault.ECSLinear10PercentEvery1Minutes")
	_, err := x.cd.CreateDeploymentGroup(ctx, in)
	must(t, err)
	id := x.deploy(t, nextWebSpec)
	eventually(t, "the first linear step", func() bool { return x.weights(t)[x.green] == 10 })
	x.advance(time.Minute)
	eventually(t, "the second linear step", func() bool { return x.weights(t)[x.green] == 20 })
	x.advance(10 * time.Minute)
	eventually(t, "the deployment succeeds", func() bool { return x.deployment(t, id).Status == cdtypes.DeploymentStatusSucceeded })

	_, err = x.cd.UpdateDeploymentGroup(ctx, &codedeploy.UpdateDeploymentGroupInput{ApplicationName: aws.String("shop"), CurrentDeploymentGroupName: aws.String("dg-svc"),
		BlueGreenDeploymentConfiguration: &cdtypes.BlueGreenDeploymentConfiguration{
			DeploymentReadyOption: &cdtypes.DeploymentReadyOption{ActionOnTimeout: cdtypes.DeploymentReadyActionStopDeployment, WaitTimeInMinutes: 5}}})
	must(t, err)
	second := x.deploy(t, strings.Replace(nextWebSpec, "web:2", "web:1", 1))
	eventually(t, "the second deployment is Ready", func() bool { return x.deployment(t, second).Status == cdtypes.DeploymentStatusReady })
	x.advance(6 * time.Minute)
	eventually(t, "the wait runs out", func() bool { return x.deployment(t, second).Status == cdtypes.DeploymentStatusStopped })
	if w := x.weights(t); w[x.green] != 100 {
		t.Errorf("production after the stopped deployment: %v, want all on green", w)
	}
}

// TestCodeDeployFailingReplacementRollsBack: the replacement's tasks cannot
// pull their image (no public address in a subnet whose route is an
// internet gateway), so the Install event fails with ECS_UPDATE_ERROR; the
// group's autoRollbackConfiguration rolls the deployment back: the traffic
// never left blue, the replacement task set drains and a rollback
// deployment names the failed one.
func TestCodeDeployFailingReplacementRollsBack(t *testing.T) {
	t.Parallel()
	x := newCodeDeployTimeline(t)
	in := groupInput(x.role, "svc", x.prod, x.test, "blue-svc", "green-svc")
	in.AutoRollbackConfiguration = &cdtypes.AutoRollbackConfiguration{Enabled: true, Events: []cdtypes.AutoRollbackEvent{cdtypes.AutoRollbackEventDeploymentFailure}}
	_, err := x.cd.CreateDeploymentGroup(ctx, in)
	must(t, err)
	spec := strings.Replace(nextWebSpec, "Hooks:", "        NetworkConfiguration:\n          AwsvpcConfiguration:\n            Subnets: [\""+x.es.subnets[0]+
		"\"]\n            SecurityGroups: [\""+x.es.open+"\"]\n            AssignPublicIp: DISABLED\nHooks:", 1)
	id := x.deploy(t, spec)
	eventually(t, "the deployment fails", func() bool { return x.deployment(t, id).Status == cdtypes.DeploymentStatusFailed })
	d := x.deployment(t, id)
	if d.ErrorInformation == nil || d.ErrorInformation.Code != cdtypes.ErrorCodeEcsUpdateError || !strings.Contains(aws.ToString(d.ErrorInformation.Message), "CannotPullContainerError") {
		t.Errorf("the failure: %+v", d.ErrorInformation)
	}
	if d.RollbackInfo == nil || aws.ToString(d.RollbackInfo.RollbackDeploymentId) == "" {
		t.Fatalf("no rollback: %+v", d.RollbackInfo)
	}
	r := x.deployment(t, aws.ToString(d.RollbackInfo.RollbackDeploymentId))
	if r.Status != cdtypes.DeploymentStatusSucceeded || aws.ToString(r.RollbackInfo.RollbackTriggeringDeploymentId) != id {
		t.Errorf("the rollback deployment: %s %+v", r.Status, r.RollbackInfo)
	}
	if tg := x.target(t, id); !strings.HasPrefix(events(tg), "BeforeInstall=Succeeded Install=Failed AfterInstall=Skipped") || tg.Status != cdtypes.TargetStatusFailed {
		t.Errorf("the failed target: %s (%s)", events(tg), tg.Status)
	}
	if w := x.weights(t); w[x.blue] != 100 {
		t.Errorf("production after the failure: %v", w)
	}
	s, err := x.es.c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"svc"}})
	must(t, err)
	for _, ts := range s.Services[0].TaskSets {
		if tg := aws.ToString(ts.LoadBalancers[0].TargetGroupArn); (tg == x.blue) != (aws.ToString(ts.Status) == "PRIMARY") {
			t.Errorf("task set on %s is %s", tg, aws.ToString(ts.Status))
		}
	}
	_, err = x.cd.ContinueDeployment(ctx, &codedeploy.ContinueDeploymentInput{DeploymentId: &id})
	wantCodeDeployError(t, "continue a failed deployment", err, "DeploymentAlreadyCompletedException", id)
}

// TestCodeDeployServerDeploymentFails: a deployment of the EC2/On-premises
// platform is Created, then fails with NO_INSTANCES, as AWS's does for a
// group whose tags find no instance (ecsnet runs no CodeDeploy agent).
// ListDeployments wants an application and a group together.
func TestCodeDeployServerDeploymentFails(t *testing.T) {
	t.Parallel()
	x := newCodeDeployTimeline(t)
	_, err := x.cd.CreateApplication(ctx, &codedeploy.CreateApplicationInput{ApplicationName: aws.String("site"), ComputePlatform: cdtypes.ComputePlatformServer})
	must(t, err)
	_, err = x.cd.CreateDeploymentGroup(ctx, &codedeploy.CreateDeploymentGroupInput{ApplicationName: aws.String("site"), DeploymentGroupName: aws.String("web"), ServiceRoleArn: &x.role})
	must(t, err)
	d, err := x.cd.CreateDeployment(ctx, &codedeploy.CreateDeploymentInput{ApplicationName: aws.String("site"), DeploymentGroupName: aws.String("web"),
		Revision: &cdtypes.RevisionLocation{RevisionType: cdtypes.RevisionLocationTypeS3, S3Location: &cdtypes.S3Location{Bucket: aws.String("b"), Key: aws.String("app.zip"),
			BundleType: cdtypes.BundleTypeZip}}})
	must(t, err)
	id := aws.ToString(d.DeploymentId)
	if st := x.deployment(t, id).Status; st != cdtypes.DeploymentStatusCreated {
		t.Errorf("at first: %s", st)
	}
	x.advance(10 * time.Second)
	eventually(t, "the deployment fails", func() bool { return x.deployment(t, id).Status == cdtypes.DeploymentStatusFailed })
	if e := x.deployment(t, id).ErrorInformation; e == nil || e.Code != cdtypes.ErrorCodeNoInstances {
		t.Errorf("the failure: %+v", e)
	}
	_, err = x.cd.ListDeployments(ctx, &codedeploy.ListDeploymentsInput{ApplicationName: aws.String("site")})
	wantCodeDeployError(t, "ListDeployments without a group", err, "DeploymentGroupNameRequiredException", "Deployment Group name is required")
}
