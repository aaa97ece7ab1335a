package server_test

import (
	"errors"
	"fmt"
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
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// TestServiceBlueGreenDeployment drives ECS's own blue/green deployment
// through the Go SDK: a Fargate service (strategy BLUE_GREEN, one minute
// of bake time, a PRE_SCALE_UP hook) behind an ALB whose production rule
// forwards to the blue and green target groups by weight, and a test
// listener. The first deployment registers in the primary (blue) group;
// an update starts the green tasks in the alternate group, points the
// test rule at green, shifts the production rule's weights to green 100 /
// blue 0, bakes, then stops the blue tasks. The service deployment walks
// the lifecycle stages in order, and its revisions resolve to the groups
// they use. A third deployment, stopped with StopServiceDeployment during
// its bake time, rolls back: production forwards to green again and the
// service runs its second revision.
func TestServiceBlueGreenDeployment(t *testing.T) {
	t.Parallel()
	start := time.Now()
	fast := engine.WithClock(func() time.Time { return start.Add(30 * time.Since(start)) })
	em := newEmulator(t, nil, fast)
	es := newEstateOn(t, em, "t3.micro", 0)
	c := es.c
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("bg"), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	group := func(name string) string {
		out, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: elbtypes.ProtocolEnumHttp,
			Port: aws.Int32(3000), VpcId: &es.vpc, TargetType: elbtypes.TargetTypeEnumIp,
			HealthCheckIntervalSeconds: aws.Int32(5), HealthCheckTimeoutSeconds: aws.Int32(2), UnhealthyThresholdCount: aws.Int32(2)})
		must(t, err)
		arn := aws.ToString(out.TargetGroups[0].TargetGroupArn)
		_, err = c.elb.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: &arn,
			Attributes: []elbtypes.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("0")}}})
		must(t, err)
		return arn
	}
	blue, green := group("blue"), group("green")
	weighted := []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, ForwardConfig: &elbtypes.ForwardActionConfig{
		TargetGroups: []elbtypes.TargetGroupTuple{{TargetGroupArn: &blue, Weight: aws.Int32(100)}, {TargetGroupArn: &green, Weight: aws.Int32(0)}}}}}
	rule := func(port int32) string {
		l, err := c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp,
			Port: aws.Int32(port), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse,
				FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("404")}}}})
		must(t, err)
		r, err := c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: l.Listeners[0].ListenerArn, Priority: aws.Int32(1), Actions: weighted,
			Conditions: []elbtypes.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/*"}}}})
		must(t, err)
		return aws.ToString(r.Rules[0].RuleArn)
	}
	prod, test := rule(80), rule(8080)
	weights := func(ruleARN string) map[string]int32 {
		out, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{RuleArns: []string{ruleARN}})
		must(t, err)
		w := map[string]int32{}
		for _, tg := range out.Rules[0].Actions[0].ForwardConfig.TargetGroups {
			w[aws.ToString(tg.TargetGroupArn)] = aws.ToInt32(tg.Weight)
		}
		return w
	}
	targets := func(tg string) int {
		out, err := c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: &tg})
		must(t, err)
		n := 0
		for _, d := range out.TargetHealthDescriptions {
			if d.TargetHealth.State != elbtypes.TargetHealthStateEnumDraining {
				n++
			}
		}
		return n
	}
	es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0, ecstypes.CompatibilityFargate)
	net := es.awsvpc(es.open)
	net.AwsvpcConfiguration.AssignPublicIp = ecstypes.AssignPublicIpEnabled
	role := "arn:aws:iam::123456789012:role/ecs-bg"
	lbs := []ecstypes.LoadBalancer{{TargetGroupArn: &blue, ContainerName: aws.String("web"), ContainerPort: aws.Int32(3000),
		AdvancedConfiguration: &ecstypes.AdvancedConfiguration{AlternateTargetGroupArn: &green, ProductionListenerRule: &prod,
			TestListenerRule: &test, RoleArn: &role}}}
	dc := &ecstypes.DeploymentConfiguration{Strategy: ecstypes.DeploymentStrategyBlueGreen, BakeTimeInMinutes: aws.Int32(1),
		LifecycleHooks: []ecstypes.DeploymentLifecycleHook{{HookTargetArn: aws.String("arn:aws:lambda:us-east-1:123456789012:function:hook"),
			RoleArn: &role, LifecycleStages: []ecstypes.DeploymentLifecycleHookStage{ecstypes.DeploymentLifecycleHookStagePreScaleUp}}}}
	create := func(name string, lbs []ecstypes.LoadBalancer) error {
		_, err := c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String(name), TaskDefinition: aws.String("web"),
			DesiredCount: aws.Int32(2), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: net, LoadBalancers: lbs, DeploymentConfiguration: dc})
		return err
	}
	// A blue/green service's load balancer needs its advanced
	// configuration, with an alternate group other than its own.
	bare := []ecstypes.LoadBalancer{{TargetGroupArn: &blue, ContainerName: aws.String("web"), ContainerPort: aws.Int32(3000)}}
	same := []ecstypes.LoadBalancer{{TargetGroupArn: &blue, ContainerName: aws.String("web"), ContainerPort: aws.Int32(3000),
		AdvancedConfiguration: &ecstypes.AdvancedConfiguration{AlternateTargetGroupArn: &blue, ProductionListenerRule: &prod, RoleArn: &role}}}
	for name, bad := range map[string][]ecstypes.LoadBalancer{"bare": bare, "same": same} {
		var ae smithy.APIError
		if err := create(name, bad); !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterException" {
			t.Errorf("%s: CreateService: %v, want InvalidParameterException", name, err)
		}
	}
	must(t, create("bg", lbs))
	service := func() ecstypes.Service {
		out, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"bg"}})
		must(t, err)
		return out.Services[0]
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(patience)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: never; events %+v", what, service().Events)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	completed := func() bool {
		s := service()
		return len(s.Deployments) == 1 && s.Deployments[0].RolloutState == ecstypes.DeploymentRolloutStateCompleted && s.RunningCount == 2
	}
	waitFor("the first deployment completes", completed)
	if b, g := targets(blue), targets(green); b != 2 || g != 0 {
		t.Fatalf("after the first deployment: %d targets in blue, %d in green; want 2 and 0", b, g)
	}
	s := service()
	if s.DeploymentConfiguration.Strategy != ecstypes.DeploymentStrategyBlueGreen || aws.ToInt32(s.DeploymentConfiguration.BakeTimeInMinutes) != 1 ||
		len(s.DeploymentConfiguration.LifecycleHooks) != 1 || s.LoadBalancers[0].AdvancedConfiguration == nil ||
		aws.ToString(s.LoadBalancers[0].AdvancedConfiguration.AlternateTargetGroupArn) != green {
		t.Errorf("DescribeServices: deploymentConfiguration %+v, loadBalancers %+v", s.DeploymentConfiguration, s.LoadBalancers)
	}

	// The update: green tasks, test traffic, production traffic, bake, clean-up.
	es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0, ecstypes.CompatibilityFargate)
	_, err = c.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("bg"), TaskDefinition: aws.String("web:2")})
	must(t, err)
	newest := func() ecstypes.ServiceDeployment {
		l, err := c.ecs.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("c"), Service: aws.String("bg")})
		must(t, err)
		d, err := c.ecs.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{aws.ToString(l.ServiceDeployments[0].ServiceDeploymentArn)}})
		must(t, err)
		return d.ServiceDeployments[0]
	}
	var stages []ecstypes.ServiceDeploymentLifecycleStage
	baked := false
	waitFor("the blue/green deployment completes", func() bool {
		d := newest()
		if st := d.LifecycleStage; st != "" && (len(stages) == 0 || stages[len(stages)-1] != st) {
			stages = append(stages, st)
		}
		if d.LifecycleStage == ecstypes.ServiceDeploymentLifecycleStageBakeTime && !baked {
			// Production forwards to green, and the blue tasks still run.
			baked = true
			if w := weights(prod); w[green] != 100 || w[blue] != 0 {
				t.Errorf("production rule weights during bake time: %v, want green 100, blue 0", w)
			}
			if w := weights(test); w[green] != 100 || w[blue] != 0 {
				t.Errorf("test rule weights during bake time: %v, want green 100, blue 0", w)
			}
			if b, g := targets(blue), targets(green); b != 2 || g != 2 {
				t.Errorf("during bake time: %d targets in blue, %d in green; want 2 and 2", b, g)
			}
		}
		return d.Status == ecstypes.ServiceDeploymentStatusSuccessful && completed()
	})
	order := []ecstypes.ServiceDeploymentLifecycleStage{}
	for _, st := range ecstypes.ServiceDeploymentLifecycleStage("").Values() {
		order = append(order, st)
	}
	last := -1
	for _, st := range stages {
		i := slices.Index(order, st)
		if i <= last {
			t.Errorf("lifecycle stages out of order: %v", stages)
			break
		}
		last = i
	}
	if !baked || stages[len(stages)-1] != ecstypes.ServiceDeploymentLifecycleStageCleanUp {
		t.Errorf("lifecycle stages seen: %v, want BAKE_TIME … CLEAN_UP", stages)
	}
	t.Logf("lifecycle stages seen: %v", stages)
	d := newest()
	if len(d.LifecycleHookDetails) != 1 || d.LifecycleHookDetails[0].Status != ecstypes.DeploymentLifecycleHookStatusSucceeded {
		t.Errorf("lifecycleHookDetails %+v, want the PRE_SCALE_UP hook SUCCEEDED", d.LifecycleHookDetails)
	}
	waitFor("the blue targets leave", func() bool { return targets(blue) == 0 && targets(green) == 2 })
	if w := weights(prod); w[green] != 100 || w[blue] != 0 {
		t.Errorf("production rule weights after the deployment: %v", w)
	}
	rev, err := c.ecs.DescribeServiceRevisions(ctx, &ecs.DescribeServiceRevisionsInput{ServiceRevisionArns: []string{aws.ToString(d.TargetServiceRevision.Arn)}})
	must(t, err)
	if r := rev.ServiceRevisions[0]; r.ResolvedConfiguration == nil || len(r.ResolvedConfiguration.LoadBalancers) != 1 ||
		aws.ToString(r.ResolvedConfiguration.LoadBalancers[0].TargetGroupArn) != green {
		t.Errorf("the green revision's resolvedConfiguration: %+v, want the green target group", r.ResolvedConfiguration)
	}

	// A third revision, stopped during its bake time, rolls back.
	es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0, ecstypes.CompatibilityFargate)
	_, err = c.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("bg"), TaskDefinition: aws.String("web:3")})
	must(t, err)
	waitFor("the third deployment bakes", func() bool { return newest().LifecycleStage == ecstypes.ServiceDeploymentLifecycleStageBakeTime })
	if w := weights(prod); w[blue] != 100 || w[green] != 0 {
		t.Errorf("production rule weights while the third revision bakes: %v, want blue 100", w)
	}
	arn := newest().ServiceDeploymentArn
	_, err = c.ecs.StopServiceDeployment(ctx, &ecs.StopServiceDeploymentInput{ServiceDeploymentArn: arn, StopType: ecstypes.StopServiceDeploymentStopTypeRollback})
	must(t, err)
	out, err := c.ecs.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{aws.ToString(arn)}})
	must(t, err)
	if d := out.ServiceDeployments[0]; d.Status != ecstypes.ServiceDeploymentStatusRollbackSuccessful || d.Rollback == nil {
		t.Errorf("stopped deployment: status %s, rollback %+v", d.Status, d.Rollback)
	}
	if w := weights(prod); w[green] != 100 || w[blue] != 0 {
		t.Errorf("production rule weights after the rollback: %v, want green 100", w)
	}
	waitFor("the rolled-back tasks leave", func() bool { return targets(blue) == 0 && targets(green) == 2 && completed() })
	if td := aws.ToString(service().TaskDefinition); !strings.HasSuffix(td, "/web:2") {
		t.Errorf("task definition after the rollback: %s, want web:2", td)
	}
}

// TestServiceBlueGreenBreakerRollback: a blue/green update whose green
// tasks fail their target group's health checks (their security group
// admits nothing) trips the deployment circuit breaker, which rolls the
// deployment back: production never leaves blue, the green tasks stop, and
// the service deployment is ROLLBACK_SUCCESSFUL.
func TestServiceBlueGreenBreakerRollback(t *testing.T) {
	t.Parallel()
	start := time.Now()
	fast := engine.WithClock(func() time.Time { return start.Add(30 * time.Since(start)) })
	em := newEmulator(t, nil, fast)
	es := newEstateOn(t, em, "t3.micro", 0)
	c := es.c
	closed, err := c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("closed"), Description: aws.String("closed"), VpcId: &es.vpc})
	must(t, err)
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("bg"), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	var tgs []string
	for _, name := range []string{"blue", "green"} {
		out, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: elbtypes.ProtocolEnumHttp,
			Port: aws.Int32(3000), VpcId: &es.vpc, TargetType: elbtypes.TargetTypeEnumIp,
			HealthCheckIntervalSeconds: aws.Int32(5), HealthCheckTimeoutSeconds: aws.Int32(2), UnhealthyThresholdCount: aws.Int32(2)})
		must(t, err)
		tgs = append(tgs, aws.ToString(out.TargetGroups[0].TargetGroupArn))
	}
	blue, green := tgs[0], tgs[1]
	l, err := c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, ForwardConfig: &elbtypes.ForwardActionConfig{
			TargetGroups: []elbtypes.TargetGroupTuple{{TargetGroupArn: &blue, Weight: aws.Int32(100)}, {TargetGroupArn: &green, Weight: aws.Int32(0)}}}}}})
	must(t, err)
	// A listener stands for the production "rule" (as for a Network
	// Load Balancer).
	prod := aws.ToString(l.Listeners[0].ListenerArn)
	es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0, ecstypes.CompatibilityFargate)
	net := func(sg string) *ecstypes.NetworkConfiguration {
		n := es.awsvpc(sg)
		n.AwsvpcConfiguration.AssignPublicIp = ecstypes.AssignPublicIpEnabled
		return n
	}
	role := "arn:aws:iam::123456789012:role/ecs-bg"
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("bg"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: net(es.open),
		LoadBalancers: []ecstypes.LoadBalancer{{TargetGroupArn: &blue, ContainerName: aws.String("web"), ContainerPort: aws.Int32(3000),
			AdvancedConfiguration: &ecstypes.AdvancedConfiguration{AlternateTargetGroupArn: &green, ProductionListenerRule: &prod, RoleArn: &role}}},
		DeploymentConfiguration: &ecstypes.DeploymentConfiguration{Strategy: ecstypes.DeploymentStrategyBlueGreen, BakeTimeInMinutes: aws.Int32(0),
			DeploymentCircuitBreaker: &ecstypes.DeploymentCircuitBreaker{Enable: true, Rollback: true}}})
	must(t, err)
	service := func() ecstypes.Service {
		out, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"bg"}})
		must(t, err)
		return out.Services[0]
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(patience)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: never; events %+v", what, service().Events)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor("the first deployment completes", func() bool {
		s := service()
		return len(s.Deployments) == 1 && s.Deployments[0].RolloutState == ecstypes.DeploymentRolloutStateCompleted
	})
	_, err = c.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("bg"), NetworkConfiguration: net(aws.ToString(closed.GroupId))})
	must(t, err)
	var status ecstypes.ServiceDeploymentStatus
	waitFor("the green deployment rolls back", func() bool {
		l, err := c.ecs.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("c"), Service: aws.String("bg")})
		must(t, err)
		status = l.ServiceDeployments[0].Status
		return status == ecstypes.ServiceDeploymentStatusRollbackSuccessful
	})
	ls, err := c.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{prod}})
	must(t, err)
	for _, tg := range ls.Listeners[0].DefaultActions[0].ForwardConfig.TargetGroups {
		if want := map[string]int32{blue: 100, green: 0}[aws.ToString(tg.TargetGroupArn)]; aws.ToInt32(tg.Weight) != want {
			t.Errorf("listener weight of %s: %d, want %d", aws.ToString(tg.TargetGroupArn), aws.ToInt32(tg.Weight), want)
		}
	}
	s := service()
	if len(s.Deployments) != 1 || !slices.Equal(s.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups, []string{es.open}) {
		t.Errorf("after the rollback: deployments %+v, network %+v", s.Deployments, s.NetworkConfiguration.AwsvpcConfiguration)
	}
}

// TestCloudFormationBlueGreenService: an AWS::ECS::Service with
// DeploymentConfiguration Strategy BLUE_GREEN and its load balancer's
// AdvancedConfiguration deploys through CloudFormation (its tasks in the
// blue group), and an update of its TaskDefinition is a blue/green
// deployment: when the stack's update completes, the production rule
// forwards to green and the tasks run there.
func TestCloudFormationBlueGreenService(t *testing.T) {
	t.Parallel()
	start := time.Now()
	fast := engine.WithClock(func() time.Time { return start.Add(30 * time.Since(start)) })
	em := newEmulator(t, nil, fast)
	es := newEstateOn(t, em, "t3.micro", 0)
	c := es.c
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("bg"), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	var tgs []string
	for _, name := range []string{"blue", "green"} {
		out, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: elbtypes.ProtocolEnumHttp,
			Port: aws.Int32(3000), VpcId: &es.vpc, TargetType: elbtypes.TargetTypeEnumIp})
		must(t, err)
		tgs = append(tgs, aws.ToString(out.TargetGroups[0].TargetGroupArn))
	}
	blue, green := tgs[0], tgs[1]
	l, err := c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse,
			FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("404")}}}})
	must(t, err)
	r, err := c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: l.Listeners[0].ListenerArn, Priority: aws.Int32(1),
		Actions:    []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &blue}},
		Conditions: []elbtypes.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/*"}}}})
	must(t, err)
	prod := aws.ToString(r.Rules[0].RuleArn)
	es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0, ecstypes.CompatibilityFargate)
	es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0, ecstypes.CompatibilityFargate)
	template := func(td string) *string {
		body := fmt.Sprintf(`{"Resources": {"Svc": {"Type": "AWS::ECS::Service", "Properties": {
  "Cluster": "c", "ServiceName": "bg", "TaskDefinition": %q, "DesiredCount": 2, "LaunchType": "FARGATE",
  "NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": "ENABLED", "Subnets": [%q, %q], "SecurityGroups": [%q]}},
  "LoadBalancers": [{"TargetGroupArn": %q, "ContainerName": "web", "ContainerPort": 3000,
    "AdvancedConfiguration": {"AlternateTargetGroupArn": %q, "ProductionListenerRule": %q, "RoleArn": "arn:aws:iam::123456789012:role/ecs-bg"}}],
  "DeploymentConfiguration": {"Strategy": "BLUE_GREEN", "BakeTimeInMinutes": 1}}}}}`,
			td, es.subnets[0], es.subnets[1], es.open, blue, green, prod)
		return &body
	}
	cf := cfnClient(em.URL)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("bg"), TemplateBody: template("web:1")})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStackFor(t, cf, id, cfntypes.StackStatusCreateComplete, 60*time.Second)
	forward := func() map[string]int32 {
		d, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{RuleArns: []string{prod}})
		must(t, err)
		w := map[string]int32{}
		a := d.Rules[0].Actions[0]
		if a.ForwardConfig == nil {
			w[aws.ToString(a.TargetGroupArn)] = 1
			return w
		}
		for _, tg := range a.ForwardConfig.TargetGroups {
			w[aws.ToString(tg.TargetGroupArn)] = aws.ToInt32(tg.Weight)
		}
		return w
	}
	count := func(tg string) int {
		h, err := c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: &tg})
		must(t, err)
		n := 0
		for _, d := range h.TargetHealthDescriptions {
			if d.TargetHealth.State != elbtypes.TargetHealthStateEnumDraining {
				n++
			}
		}
		return n
	}
	if b, g := count(blue), count(green); b != 2 || g != 0 {
		t.Errorf("after the create: %d targets in blue, %d in green", b, g)
	}
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: &id, TemplateBody: template("web:2")})
	must(t, err)
	waitStackFor(t, cf, id, cfntypes.StackStatusUpdateComplete, 60*time.Second)
	if w := forward(); w[green] != 100 || w[blue] != 0 {
		t.Errorf("production rule after the update: %v, want green 100, blue 0", w)
	}
	if g := count(green); g != 2 {
		t.Errorf("after the update: %d targets in green, want 2", g)
	}
}

// TestServiceLinearCanaryDeployment: the LINEAR and CANARY strategies walk
// the blue/green stages and shift the production rule's weights in steps:
// LINEAR by stepPercent every stepBakeTimeInMinutes (50, then 100),
// CANARY canaryPercent first (10), the rest after canaryBakeTimeInMinutes.
func TestServiceLinearCanaryDeployment(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		strategy ecstypes.DeploymentStrategy
		dc       ecstypes.DeploymentConfiguration
		step     int32 // the green weight after the first step
	}{
		{ecstypes.DeploymentStrategyLinear, ecstypes.DeploymentConfiguration{LinearConfiguration: &ecstypes.LinearConfiguration{StepPercent: aws.Float64(50), StepBakeTimeInMinutes: aws.Int32(1)}}, 50},
		{ecstypes.DeploymentStrategyCanary, ecstypes.DeploymentConfiguration{CanaryConfiguration: &ecstypes.CanaryConfiguration{CanaryPercent: aws.Float64(10), CanaryBakeTimeInMinutes: aws.Int32(1)}}, 10},
	} {
		t.Run(string(tc.strategy), func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			fast := engine.WithClock(func() time.Time { return start.Add(30 * time.Since(start)) })
			em := newEmulator(t, nil, fast)
			es := newEstateOn(t, em, "t3.micro", 0)
			c := es.c
			lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("bg"), Subnets: es.subnets,
				SecurityGroups: []string{es.open}, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
			must(t, err)
			var tgs []string
			for _, name := range []string{"blue", "green"} {
				out, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: elbtypes.ProtocolEnumHttp,
					Port: aws.Int32(3000), VpcId: &es.vpc, TargetType: elbtypes.TargetTypeEnumIp})
				must(t, err)
				tgs = append(tgs, aws.ToString(out.TargetGroups[0].TargetGroupArn))
			}
			blue, green := tgs[0], tgs[1]
			l, err := c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp,
				Port: aws.Int32(80), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &blue}}})
			must(t, err)
			prod := aws.ToString(l.Listeners[0].ListenerArn)
			es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0, ecstypes.CompatibilityFargate)
			es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0, ecstypes.CompatibilityFargate)
			net := es.awsvpc(es.open)
			net.AwsvpcConfiguration.AssignPublicIp = ecstypes.AssignPublicIpEnabled
			role := "arn:aws:iam::123456789012:role/ecs-bg"
			dc := tc.dc
			dc.Strategy, dc.BakeTimeInMinutes = tc.strategy, aws.Int32(0)
			_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("bg"), TaskDefinition: aws.String("web:1"),
				DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: net,
				LoadBalancers: []ecstypes.LoadBalancer{{TargetGroupArn: &blue, ContainerName: aws.String("web"), ContainerPort: aws.Int32(3000),
					AdvancedConfiguration: &ecstypes.AdvancedConfiguration{AlternateTargetGroupArn: &green, ProductionListenerRule: &prod, RoleArn: &role}}},
				DeploymentConfiguration: &dc})
			must(t, err)
			service := func() ecstypes.Service {
				out, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"bg"}})
				must(t, err)
				return out.Services[0]
			}
			completed := func() bool {
				s := service()
				return len(s.Deployments) == 1 && s.Deployments[0].RolloutState == ecstypes.DeploymentRolloutStateCompleted
			}
			weights := func() map[string]int32 {
				d, err := c.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{prod}})
				must(t, err)
				w := map[string]int32{}
				if fc := d.Listeners[0].DefaultActions[0].ForwardConfig; fc != nil {
					for _, tg := range fc.TargetGroups {
						w[aws.ToString(tg.TargetGroupArn)] = aws.ToInt32(tg.Weight)
					}
				}
				return w
			}
			deadline := time.Now().Add(patience)
			for !completed() {
				if time.Now().After(deadline) {
					t.Fatal("the first deployment never completed")
				}
				time.Sleep(20 * time.Millisecond)
			}
			if s := service(); s.DeploymentConfiguration.Strategy != tc.strategy {
				t.Errorf("strategy %s", s.DeploymentConfiguration.Strategy)
			}
			_, err = c.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("bg"), TaskDefinition: aws.String("web:2")})
			must(t, err)
			var seen []int32
			for !completed() {
				if time.Now().After(deadline) {
					t.Fatalf("the %s deployment never completed; green weights seen %v", tc.strategy, seen)
				}
				if g := weights()[green]; len(seen) == 0 || seen[len(seen)-1] != g {
					seen = append(seen, g)
				}
				time.Sleep(20 * time.Millisecond)
			}
			if w := weights(); w[green] != 100 || w[blue] != 0 {
				t.Errorf("weights after the deployment: %v", w)
			}
			if !slices.Contains(seen, tc.step) {
				t.Errorf("green weights seen %v, want the step %d on the way to 100", seen, tc.step)
			}
		})
	}
}
