package server_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// TestServiceDeploymentPauseHooks drives PAUSE lifecycle hooks and
// ContinueServiceDeployment through the Go SDK: a blue/green service with
// a PAUSE hook at POST_SCALE_UP (AWS's default timeout: 1440 minutes,
// ROLLBACK) and one at PRE_PRODUCTION_TRAFFIC_SHIFT (one minute,
// CONTINUE). An update holds at POST_SCALE_UP with the hook
// AWAITING_ACTION (an ecs-pause- hookId, no targetArn) and production
// still on blue; ContinueServiceDeployment refuses an unknown hook and
// an unknown deployment, then CONTINUE lets it on; the second hook times
// out and continues by itself, and the deployment succeeds. A third
// revision, held at POST_SCALE_UP, is rolled back with ROLLBACK; a hook no
// longer awaiting action is refused.
func TestServiceDeploymentPauseHooks(t *testing.T) {
	t.Parallel()
	start := time.Now()
	fast := engine.WithClock(func() time.Time { return start.Add(30 * time.Since(start)) })
	em := newEmulator(t, nil, fast)
	es := newEstateOn(t, em, "t3.micro", 0)
	c := es.c
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("ph"), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	group := func(name string) string {
		out, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: elbtypes.ProtocolEnumHttp,
			Port: aws.Int32(3000), VpcId: &es.vpc, TargetType: elbtypes.TargetTypeEnumIp,
			HealthCheckIntervalSeconds: aws.Int32(5), HealthCheckTimeoutSeconds: aws.Int32(2), UnhealthyThresholdCount: aws.Int32(2)})
		must(t, err)
		return aws.ToString(out.TargetGroups[0].TargetGroupArn)
	}
	blue, green := group("blue"), group("green")
	l, err := c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse,
			FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("404")}}}})
	must(t, err)
	r, err := c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: l.Listeners[0].ListenerArn, Priority: aws.Int32(1),
		Actions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, ForwardConfig: &elbtypes.ForwardActionConfig{
			TargetGroups: []elbtypes.TargetGroupTuple{{TargetGroupArn: &blue, Weight: aws.Int32(100)}, {TargetGroupArn: &green, Weight: aws.Int32(0)}}}}},
		Conditions: []elbtypes.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/*"}}}})
	must(t, err)
	prod := aws.ToString(r.Rules[0].RuleArn)
	weights := func() map[string]int32 {
		out, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{RuleArns: []string{prod}})
		must(t, err)
		w := map[string]int32{}
		for _, tg := range out.Rules[0].Actions[0].ForwardConfig.TargetGroups {
			w[aws.ToString(tg.TargetGroupArn)] = aws.ToInt32(tg.Weight)
		}
		return w
	}
	es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0, ecstypes.CompatibilityFargate)
	net := es.awsvpc(es.open)
	net.AwsvpcConfiguration.AssignPublicIp = ecstypes.AssignPublicIpEnabled
	role := "arn:aws:iam::123456789012:role/ecs-bg"
	lbs := []ecstypes.LoadBalancer{{TargetGroupArn: &blue, ContainerName: aws.String("web"), ContainerPort: aws.Int32(3000),
		AdvancedConfiguration: &ecstypes.AdvancedConfiguration{AlternateTargetGroupArn: &green, ProductionListenerRule: &prod, RoleArn: &role}}}
	hooks := []ecstypes.DeploymentLifecycleHook{
		{TargetType: ecstypes.DeploymentLifecycleHookTargetTypePause, LifecycleStages: []ecstypes.DeploymentLifecycleHookStage{ecstypes.DeploymentLifecycleHookStagePostScaleUp}},
		{TargetType: ecstypes.DeploymentLifecycleHookTargetTypePause, LifecycleStages: []ecstypes.DeploymentLifecycleHookStage{ecstypes.DeploymentLifecycleHookStagePreProductionTrafficShift},
			TimeoutConfiguration: &ecstypes.DeploymentLifecycleHookTimeoutConfiguration{TimeoutInMinutes: aws.Int32(1), Action: ecstypes.DeploymentLifecycleHookActionContinue}},
	}
	create := func(name string, hooks []ecstypes.DeploymentLifecycleHook) error {
		_, err := c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String(name), TaskDefinition: aws.String("web"),
			DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: net, LoadBalancers: lbs,
			DeploymentConfiguration: &ecstypes.DeploymentConfiguration{Strategy: ecstypes.DeploymentStrategyBlueGreen, BakeTimeInMinutes: aws.Int32(0), LifecycleHooks: hooks}})
		return err
	}
	code := func(err error) string {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return ae.ErrorCode()
		}
		return ""
	}
	// A timeout above 20160 minutes is refused.
	long := []ecstypes.DeploymentLifecycleHook{{TargetType: ecstypes.DeploymentLifecycleHookTargetTypePause,
		LifecycleStages:      []ecstypes.DeploymentLifecycleHookStage{ecstypes.DeploymentLifecycleHookStagePostScaleUp},
		TimeoutConfiguration: &ecstypes.DeploymentLifecycleHookTimeoutConfiguration{TimeoutInMinutes: aws.Int32(20161)}}}
	if err := create("long", long); code(err) != "InvalidParameterException" {
		t.Errorf("CreateService with timeoutInMinutes 20161: %v, want InvalidParameterException", err)
	}
	// A PAUSE hook needs no hookTargetArn nor roleArn.
	must(t, create("ph", hooks))
	service := func() ecstypes.Service {
		out, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"ph"}})
		must(t, err)
		return out.Services[0]
	}
	if got := service().DeploymentConfiguration.LifecycleHooks; len(got) != 2 || got[1].TimeoutConfiguration == nil ||
		aws.ToInt32(got[1].TimeoutConfiguration.TimeoutInMinutes) != 1 || got[1].TimeoutConfiguration.Action != ecstypes.DeploymentLifecycleHookActionContinue ||
		got[0].TargetType != ecstypes.DeploymentLifecycleHookTargetTypePause || got[0].HookTargetArn != nil {
		t.Errorf("DescribeServices lifecycleHooks: %+v", got)
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
		return len(s.Deployments) == 1 && s.Deployments[0].RolloutState == ecstypes.DeploymentRolloutStateCompleted && s.RunningCount == 1
	}
	waitFor("the first deployment completes", completed)
	newest := func() ecstypes.ServiceDeployment {
		l, err := c.ecs.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("c"), Service: aws.String("ph")})
		must(t, err)
		d, err := c.ecs.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{aws.ToString(l.ServiceDeployments[0].ServiceDeploymentArn)}})
		must(t, err)
		return d.ServiceDeployments[0]
	}
	awaiting := func() (ecstypes.ServiceDeployment, *ecstypes.DeploymentLifecycleHookDetail) {
		d := newest()
		for i, h := range d.LifecycleHookDetails {
			if h.Status == ecstypes.DeploymentLifecycleHookStatusAwaitingAction {
				return d, &d.LifecycleHookDetails[i]
			}
		}
		return d, nil
	}
	update := func(rev string) {
		es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0, ecstypes.CompatibilityFargate)
		_, err := c.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("ph"), TaskDefinition: aws.String(rev)})
		must(t, err)
	}

	update("web:2")
	waitFor("the deployment pauses at POST_SCALE_UP", func() bool { _, h := awaiting(); return h != nil })
	d, h := awaiting()
	if d.LifecycleStage != ecstypes.ServiceDeploymentLifecycleStagePostScaleUp || d.Status != ecstypes.ServiceDeploymentStatusInProgress {
		t.Errorf("paused deployment: stage %s, status %s; want POST_SCALE_UP, IN_PROGRESS", d.LifecycleStage, d.Status)
	}
	id := aws.ToString(h.HookId)
	if !strings.HasPrefix(id, "ecs-pause-") || h.TargetType != ecstypes.DeploymentLifecycleHookTargetTypePause || h.TargetArn != nil ||
		h.TimeoutAction != ecstypes.DeploymentLifecycleHookActionRollback || h.ExpiresAt == nil {
		t.Errorf("the paused hook: %+v", *h)
	}
	if left := time.Until(*h.ExpiresAt); left < 23*time.Hour {
		t.Errorf("expiresAt %v is %v away, want the default 1440 minutes", h.ExpiresAt, left)
	}
	time.Sleep(300 * time.Millisecond) // 9 minutes of the fast clock: still paused
	if d2, h2 := awaiting(); h2 == nil || d2.LifecycleStage != ecstypes.ServiceDeploymentLifecycleStagePostScaleUp {
		t.Fatalf("the deployment went on without ContinueServiceDeployment: stage %s", d2.LifecycleStage)
	}
	if w := weights(); w[blue] != 100 {
		t.Errorf("production weights while paused: %v, want blue 100", w)
	}
	arn := d.ServiceDeploymentArn
	_, err = c.ecs.ContinueServiceDeployment(ctx, &ecs.ContinueServiceDeploymentInput{ServiceDeploymentArn: arn, HookId: aws.String("ecs-pause-nosuchhook")})
	if code(err) != "InvalidParameterException" {
		t.Errorf("ContinueServiceDeployment with an unknown hookId: %v, want InvalidParameterException", err)
	}
	gone := aws.ToString(arn)[:strings.LastIndexByte(aws.ToString(arn), '/')+1] + "AAAAAAAAAAAAAAAAAAAAAA"
	_, err = c.ecs.ContinueServiceDeployment(ctx, &ecs.ContinueServiceDeploymentInput{ServiceDeploymentArn: &gone, HookId: &id})
	if code(err) != "ServiceDeploymentNotFoundException" {
		t.Errorf("ContinueServiceDeployment of an unknown deployment: %v, want ServiceDeploymentNotFoundException", err)
	}
	out, err := c.ecs.ContinueServiceDeployment(ctx, &ecs.ContinueServiceDeploymentInput{ServiceDeploymentArn: arn, HookId: &id}) // action CONTINUE by default
	must(t, err)
	if aws.ToString(out.ServiceDeploymentArn) != aws.ToString(arn) {
		t.Errorf("ContinueServiceDeployment answered %s, want %s", aws.ToString(out.ServiceDeploymentArn), aws.ToString(arn))
	}
	// The second hook holds the deployment before production shifts, then
	// times out after its minute and continues.
	waitFor("the deployment succeeds", func() bool { return newest().Status == ecstypes.ServiceDeploymentStatusSuccessful && completed() })
	statuses := map[ecstypes.DeploymentLifecycleHookStatus]int{}
	for _, h := range newest().LifecycleHookDetails {
		statuses[h.Status]++
	}
	if statuses[ecstypes.DeploymentLifecycleHookStatusSucceeded] != 1 || statuses[ecstypes.DeploymentLifecycleHookStatusTimedOut] != 1 {
		t.Errorf("hook statuses after the deployment: %v, want one SUCCEEDED, one TIMED_OUT", statuses)
	}
	if w := weights(); w[green] != 100 {
		t.Errorf("production weights after the deployment: %v, want green 100", w)
	}
	_, err = c.ecs.ContinueServiceDeployment(ctx, &ecs.ContinueServiceDeploymentInput{ServiceDeploymentArn: arn, HookId: &id})
	if code(err) != "InvalidParameterException" {
		t.Errorf("ContinueServiceDeployment of a finished deployment: %v, want InvalidParameterException", err)
	}

	// A third revision, paused, is rolled back.
	update("web:3")
	waitFor("the third deployment pauses", func() bool { _, h := awaiting(); return h != nil })
	d, h = awaiting()
	_, err = c.ecs.ContinueServiceDeployment(ctx, &ecs.ContinueServiceDeploymentInput{ServiceDeploymentArn: d.ServiceDeploymentArn, HookId: h.HookId,
		Action: ecstypes.DeploymentLifecycleHookActionRollback})
	must(t, err)
	dd, err := c.ecs.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{aws.ToString(d.ServiceDeploymentArn)}})
	must(t, err)
	if got := dd.ServiceDeployments[0]; got.Status != ecstypes.ServiceDeploymentStatusRollbackSuccessful || got.Rollback == nil ||
		len(got.LifecycleHookDetails) == 0 || got.LifecycleHookDetails[0].Status != ecstypes.DeploymentLifecycleHookStatusFailed {
		t.Errorf("rolled-back deployment: status %s, rollback %+v, hooks %+v", got.Status, got.Rollback, got.LifecycleHookDetails)
	}
	waitFor("the service is back on web:2", func() bool {
		return completed() && strings.HasSuffix(aws.ToString(service().TaskDefinition), "/web:2")
	})
	if w := weights(); w[green] != 100 {
		t.Errorf("production weights after the rollback: %v, want green 100", w)
	}
}
