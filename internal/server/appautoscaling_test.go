package server_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/store/bolt"
)

func aasClient(url string) *aas.Client {
	return aas.NewFromConfig(sdkConfig(), func(o *aas.Options) { o.BaseEndpoint = aws.String(url) })
}

// TestAppAutoScalingECSService checks Application Auto Scaling through the
// Go SDK: a target for a service that does not exist is refused; one whose
// minimum is above the service's desired count of 0 sets it to the minimum
// (an activity in AWS's words) and the service runs that many tasks;
// lowering the maximum below it scales it in; target tracking policies
// answer their alarms; scheduled actions, tags and pages; deleting the
// service deregisters its target with the rest.
func TestAppAutoScalingECSService(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	es := newEstateOn(t, em, "t3.micro", 0)
	c := aasClient(em.URL)
	es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0, ecstypes.CompatibilityFargate)
	res := aws.String("service/c/web")
	dim := aastypes.ScalableDimensionECSServiceDesiredCount
	reg := func(min, max int32) error {
		_, err := c.RegisterScalableTarget(ctx, &aas.RegisterScalableTargetInput{ServiceNamespace: aastypes.ServiceNamespaceEcs,
			ResourceId: res, ScalableDimension: dim, MinCapacity: aws.Int32(min), MaxCapacity: aws.Int32(max)})
		return err
	}
	if err := reg(2, 4); apiCode(err) != "ValidationException" || !strings.Contains(err.Error(), "ECS service doesn't exist: service/c/web") {
		t.Fatalf("a target for no service: %v", err)
	}
	_, err := c.RegisterScalableTarget(ctx, &aas.RegisterScalableTargetInput{ServiceNamespace: aastypes.ServiceNamespaceDynamodb,
		ResourceId: aws.String("table/t"), ScalableDimension: aastypes.ScalableDimensionDynamoDBTableReadCapacityUnits,
		MinCapacity: aws.Int32(1), MaxCapacity: aws.Int32(2)})
	if apiCode(err) != "ValidationException" || !strings.Contains(err.Error(), "ecs only") && !strings.Contains(err.Error(), "ECS services only") {
		t.Errorf("a dynamodb target: %v", err)
	}
	net := es.awsvpc(es.open)
	net.AwsvpcConfiguration.AssignPublicIp = ecstypes.AssignPublicIpEnabled // to reach the image registry
	_, err = es.c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("web"),
		TaskDefinition: aws.String("web"), DesiredCount: aws.Int32(0), LaunchType: ecstypes.LaunchTypeFargate,
		NetworkConfiguration: net})
	must(t, err)
	if err := reg(3, 2); apiCode(err) != "ValidationException" {
		t.Errorf("min above max: %v", err)
	}
	_, err = c.RegisterScalableTarget(ctx, &aas.RegisterScalableTargetInput{ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: res, ScalableDimension: dim, MinCapacity: aws.Int32(2), MaxCapacity: aws.Int32(4),
		Tags: map[string]string{"team": "web"}})
	must(t, err)
	desired := func() (int32, int32) {
		out, err := es.c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"web"}})
		must(t, err)
		return out.Services[0].DesiredCount, out.Services[0].RunningCount
	}
	if d, _ := desired(); d != 2 {
		t.Fatalf("desired count %d after a target of min 2, want 2", d)
	}
	eventually(t, "two running tasks", func() bool { _, r := desired(); return r == 2 })
	acts, err := c.DescribeScalingActivities(ctx, &aas.DescribeScalingActivitiesInput{ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: res})
	must(t, err)
	if len(acts.ScalingActivities) != 1 {
		t.Fatalf("activities %+v", acts.ScalingActivities)
	}
	a := acts.ScalingActivities[0]
	if aws.ToString(a.Description) != "Setting desired count to 2." || aws.ToString(a.Cause) != "minimum capacity was set to 2" ||
		a.StatusCode != aastypes.ScalingActivityStatusCodeSuccessful ||
		aws.ToString(a.StatusMessage) != "Successfully set desired count to 2. Change successfully fulfilled by ecs." {
		t.Errorf("activity %+v", a)
	}
	// An update naming the maximum only: below the desired count, it
	// scales the service in; tags on an existing target are refused.
	_, err = c.RegisterScalableTarget(ctx, &aas.RegisterScalableTargetInput{ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: res, ScalableDimension: dim, MaxCapacity: aws.Int32(1), MinCapacity: aws.Int32(1)})
	must(t, err)
	if d, _ := desired(); d != 1 {
		t.Errorf("desired count %d after a maximum of 1", d)
	}
	_, err = c.RegisterScalableTarget(ctx, &aas.RegisterScalableTargetInput{ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: res, ScalableDimension: dim, Tags: map[string]string{"x": "y"}})
	if apiCode(err) != "ValidationException" || !strings.Contains(err.Error(), "use the TagResource API") {
		t.Errorf("tags on an existing target: %v", err)
	}
	targets, err := c.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	must(t, err)
	if len(targets.ScalableTargets) != 1 {
		t.Fatalf("targets %+v", targets.ScalableTargets)
	}
	tg := targets.ScalableTargets[0]
	if aws.ToInt32(tg.MinCapacity) != 1 || aws.ToInt32(tg.MaxCapacity) != 1 || tg.CreationTime == nil ||
		!strings.HasPrefix(aws.ToString(tg.ScalableTargetARN), "arn:aws:application-autoscaling:us-east-1:") ||
		!strings.Contains(aws.ToString(tg.RoleARN), "AWSServiceRoleForApplicationAutoScaling_ECSService") {
		t.Errorf("target %+v", tg)
	}
	tags, err := c.ListTagsForResource(ctx, &aas.ListTagsForResourceInput{ResourceARN: tg.ScalableTargetARN})
	must(t, err)
	if tags.Tags["team"] != "web" {
		t.Errorf("tags %v", tags.Tags)
	}
	_, err = c.UntagResource(ctx, &aas.UntagResourceInput{ResourceARN: tg.ScalableTargetARN, TagKeys: []string{"team"}})
	must(t, err)
	if tags, _ := c.ListTagsForResource(ctx, &aas.ListTagsForResourceInput{ResourceARN: tg.ScalableTargetARN}); len(tags.Tags) != 0 {
		t.Errorf("tags after untag %v", tags.Tags)
	}

	// Policies: target tracking answers its alarms (one without scale-in).
	_, err = c.PutScalingPolicy(ctx, &aas.PutScalingPolicyInput{PolicyName: aws.String("x"), ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: aws.String("service/c/other"), ScalableDimension: dim, PolicyType: aastypes.PolicyTypeStepScaling})
	if apiCode(err) != "ObjectNotFoundException" || !strings.Contains(err.Error(), "No scalable target registered for service namespace: ecs, resource ID: service/c/other") {
		t.Errorf("a policy of no target: %v", err)
	}
	pol, err := c.PutScalingPolicy(ctx, &aas.PutScalingPolicyInput{PolicyName: aws.String("cpu"), ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: res, ScalableDimension: dim, PolicyType: aastypes.PolicyTypeTargetTrackingScaling,
		TargetTrackingScalingPolicyConfiguration: &aastypes.TargetTrackingScalingPolicyConfiguration{TargetValue: aws.Float64(75),
			ScaleOutCooldown: aws.Int32(60),
			PredefinedMetricSpecification: &aastypes.PredefinedMetricSpecification{
				PredefinedMetricType: aastypes.MetricTypeECSServiceAverageCPUUtilization}}})
	must(t, err)
	if !strings.Contains(aws.ToString(pol.PolicyARN), ":resource/ecs/service/c/web:policyName/cpu") || len(pol.Alarms) != 2 ||
		!strings.HasPrefix(aws.ToString(pol.Alarms[0].AlarmName), "TargetTracking-service/c/web-AlarmHigh-") ||
		!strings.HasPrefix(aws.ToString(pol.Alarms[1].AlarmName), "TargetTracking-service/c/web-AlarmLow-") {
		t.Errorf("policy %+v", pol)
	}
	out, err := c.PutScalingPolicy(ctx, &aas.PutScalingPolicyInput{PolicyName: aws.String("alb"), ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: res, ScalableDimension: dim, PolicyType: aastypes.PolicyTypeTargetTrackingScaling,
		TargetTrackingScalingPolicyConfiguration: &aastypes.TargetTrackingScalingPolicyConfiguration{TargetValue: aws.Float64(1000),
			DisableScaleIn: aws.Bool(true), PredefinedMetricSpecification: &aastypes.PredefinedMetricSpecification{
				PredefinedMetricType: aastypes.MetricTypeALBRequestCountPerTarget, ResourceLabel: aws.String("app/a/1/targetgroup/t/2")}}})
	must(t, err)
	if len(out.Alarms) != 1 {
		t.Errorf("scale-out only: %+v", out.Alarms)
	}
	_, err = c.PutScalingPolicy(ctx, &aas.PutScalingPolicyInput{PolicyName: aws.String("step"), ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: res, ScalableDimension: dim, PolicyType: aastypes.PolicyTypeStepScaling,
		StepScalingPolicyConfiguration: &aastypes.StepScalingPolicyConfiguration{AdjustmentType: aastypes.AdjustmentTypeChangeInCapacity,
			Cooldown: aws.Int32(60), StepAdjustments: []aastypes.StepAdjustment{{MetricIntervalLowerBound: aws.Float64(0), ScalingAdjustment: aws.Int32(1)}}}})
	must(t, err)
	var names []string
	var token *string
	for range 5 {
		pols, err := c.DescribeScalingPolicies(ctx, &aas.DescribeScalingPoliciesInput{ServiceNamespace: aastypes.ServiceNamespaceEcs,
			MaxResults: aws.Int32(2), NextToken: token})
		must(t, err)
		for _, p := range pols.ScalingPolicies {
			names = append(names, aws.ToString(p.PolicyName))
			if aws.ToString(p.PolicyName) == "step" && (p.StepScalingPolicyConfiguration == nil ||
				aws.ToInt32(p.StepScalingPolicyConfiguration.StepAdjustments[0].ScalingAdjustment) != 1) {
				t.Errorf("step policy %+v", p)
			}
		}
		if token = pols.NextToken; token == nil {
			break
		}
	}
	if strings.Join(names, " ") != "alb cpu step" {
		t.Errorf("policies %v", names)
	}
	_, err = c.DescribeScalingPolicies(ctx, &aas.DescribeScalingPoliciesInput{ServiceNamespace: aastypes.ServiceNamespaceEcs, MaxResults: aws.Int32(51)})
	if apiCode(err) != "ValidationException" {
		t.Errorf("MaxResults 51: %v", err)
	}
	_, err = c.PutScheduledAction(ctx, &aas.PutScheduledActionInput{ScheduledActionName: aws.String("night"), ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: res, ScalableDimension: dim, Schedule: aws.String("cron(0 22 * * ? *)"),
		ScalableTargetAction: &aastypes.ScalableTargetAction{MinCapacity: aws.Int32(0), MaxCapacity: aws.Int32(1)}})
	must(t, err)
	sa, err := c.DescribeScheduledActions(ctx, &aas.DescribeScheduledActionsInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	must(t, err)
	if len(sa.ScheduledActions) != 1 || aws.ToInt32(sa.ScheduledActions[0].ScalableTargetAction.MaxCapacity) != 1 ||
		!strings.Contains(aws.ToString(sa.ScheduledActions[0].ScheduledActionARN), ":scheduledActionName/night") {
		t.Errorf("scheduled actions %+v", sa.ScheduledActions)
	}
	_, err = c.DeleteScalingPolicy(ctx, &aas.DeleteScalingPolicyInput{PolicyName: aws.String("alb"), ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: res, ScalableDimension: dim})
	must(t, err)
	_, err = c.DeleteScalingPolicy(ctx, &aas.DeleteScalingPolicyInput{PolicyName: aws.String("alb"), ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: res, ScalableDimension: dim})
	if apiCode(err) != "ObjectNotFoundException" {
		t.Errorf("a deleted policy again: %v", err)
	}

	// Deleting the service deregisters its target, policies and actions.
	_, err = es.c.ecs.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("c"), Service: aws.String("web"), Force: aws.Bool(true)})
	must(t, err)
	targets, err = c.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	must(t, err)
	pols, err := c.DescribeScalingPolicies(ctx, &aas.DescribeScalingPoliciesInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	must(t, err)
	sa, err = c.DescribeScheduledActions(ctx, &aas.DescribeScheduledActionsInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	must(t, err)
	if len(targets.ScalableTargets)+len(pols.ScalingPolicies)+len(sa.ScheduledActions) != 0 {
		t.Errorf("after the service's deletion: %+v %+v %+v", targets.ScalableTargets, pols.ScalingPolicies, sa.ScheduledActions)
	}
	_, err = c.DeregisterScalableTarget(ctx, &aas.DeregisterScalableTargetInput{ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: res, ScalableDimension: dim})
	if apiCode(err) != "ObjectNotFoundException" {
		t.Errorf("deregistering a deleted target: %v", err)
	}
}

// Targets, policies (their configuration as given, integers and floats
// back in their types), scheduled actions, activities and tags persist.
func TestAppAutoScalingPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	b, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	srv, url := startOn(t, b, false)
	ecsc := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(url) })
	_, err = ecsc.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	_, err = ecsc.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("w"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("w"), Image: aws.String("nginx"), Memory: aws.Int32(64)}}})
	must(t, err)
	_, err = ecsc.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("w"),
		TaskDefinition: aws.String("w"), DesiredCount: aws.Int32(3)})
	must(t, err)
	c := aasClient(url)
	res, dim := aws.String("service/c/w"), aastypes.ScalableDimensionECSServiceDesiredCount
	_, err = c.RegisterScalableTarget(ctx, &aas.RegisterScalableTargetInput{ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: res, ScalableDimension: dim, MinCapacity: aws.Int32(1), MaxCapacity: aws.Int32(2), Tags: map[string]string{"k": "v"}})
	must(t, err)
	_, err = c.PutScalingPolicy(ctx, &aas.PutScalingPolicyInput{PolicyName: aws.String("step"), ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: res, ScalableDimension: dim, PolicyType: aastypes.PolicyTypeStepScaling,
		StepScalingPolicyConfiguration: &aastypes.StepScalingPolicyConfiguration{AdjustmentType: aastypes.AdjustmentTypePercentChangeInCapacity,
			MinAdjustmentMagnitude: aws.Int32(2), StepAdjustments: []aastypes.StepAdjustment{
				{MetricIntervalLowerBound: aws.Float64(0.5), ScalingAdjustment: aws.Int32(50)}}}})
	must(t, err)
	srv.Close()
	must(t, b.Close())

	b2, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	t.Cleanup(func() { b2.Close() })
	_, url = startOn(t, b2, false)
	c = aasClient(url)
	tg, err := c.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	must(t, err)
	if len(tg.ScalableTargets) != 1 || aws.ToInt32(tg.ScalableTargets[0].MaxCapacity) != 2 {
		t.Fatalf("targets after restart %+v", tg.ScalableTargets)
	}
	tags, err := c.ListTagsForResource(ctx, &aas.ListTagsForResourceInput{ResourceARN: tg.ScalableTargets[0].ScalableTargetARN})
	must(t, err)
	pols, err := c.DescribeScalingPolicies(ctx, &aas.DescribeScalingPoliciesInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	must(t, err)
	acts, err := c.DescribeScalingActivities(ctx, &aas.DescribeScalingActivitiesInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	must(t, err)
	if len(pols.ScalingPolicies) != 1 || len(acts.ScalingActivities) != 1 || tags.Tags["k"] != "v" {
		t.Fatalf("after restart: policies %+v, activities %+v, tags %v", pols.ScalingPolicies, acts.ScalingActivities, tags.Tags)
	}
	sc := pols.ScalingPolicies[0].StepScalingPolicyConfiguration
	if sc == nil || aws.ToInt32(sc.MinAdjustmentMagnitude) != 2 || aws.ToFloat64(sc.StepAdjustments[0].MetricIntervalLowerBound) != 0.5 ||
		aws.ToInt32(sc.StepAdjustments[0].ScalingAdjustment) != 50 {
		t.Errorf("step configuration after restart %+v", sc)
	}
}

// A scheduled action runs when its schedule comes due: at(…) two seconds
// ahead sets the target's range and the service's desired count follows,
// each with AWS's activity; a suspended target runs none.
func TestAppAutoScalingScheduledAction(t *testing.T) {
	t.Parallel()
	url := newEmulator(t, nil).URL
	ecsc := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(url) })
	_, err := ecsc.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	_, err = ecsc.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("w"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("w"), Image: aws.String("nginx"), Memory: aws.Int32(64)}}})
	must(t, err)
	c := aasClient(url)
	dim := aastypes.ScalableDimensionECSServiceDesiredCount
	for _, name := range []string{"a", "b"} {
		_, err = ecsc.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String(name),
			TaskDefinition: aws.String("w"), DesiredCount: aws.Int32(1)})
		must(t, err)
		_, err = c.RegisterScalableTarget(ctx, &aas.RegisterScalableTargetInput{ServiceNamespace: aastypes.ServiceNamespaceEcs,
			ResourceId: aws.String("service/c/" + name), ScalableDimension: dim, MinCapacity: aws.Int32(1), MaxCapacity: aws.Int32(2),
			SuspendedState: &aastypes.SuspendedState{ScheduledScalingSuspended: aws.Bool(name == "b")}})
		must(t, err)
		_, err = c.PutScheduledAction(ctx, &aas.PutScheduledActionInput{ScheduledActionName: aws.String("up"),
			ServiceNamespace: aastypes.ServiceNamespaceEcs, ResourceId: aws.String("service/c/" + name), ScalableDimension: dim,
			Schedule:             aws.String("at(" + time.Now().UTC().Add(2*time.Second).Format("2006-01-02T15:04:05") + ")"),
			ScalableTargetAction: &aastypes.ScalableTargetAction{MinCapacity: aws.Int32(3), MaxCapacity: aws.Int32(5)}})
		must(t, err)
	}
	desired := func(name string) int32 {
		out, err := ecsc.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{name}})
		must(t, err)
		return out.Services[0].DesiredCount
	}
	eventually(t, "the scheduled action ran", func() bool { return desired("a") == 3 })
	acts, err := c.DescribeScalingActivities(ctx, &aas.DescribeScalingActivitiesInput{ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceId: aws.String("service/c/a")})
	must(t, err)
	var got []string
	for _, a := range acts.ScalingActivities {
		got = append(got, aws.ToString(a.Description)+" / "+aws.ToString(a.Cause))
	}
	want := []string{"Setting desired count to 3. / minimum capacity was set to 3",
		"Setting min capacity to 3 and max capacity to 5 / scheduled action name up was triggered"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("activities:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	tg, err := c.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{ServiceNamespace: aastypes.ServiceNamespaceEcs,
		ResourceIds: []string{"service/c/a", "service/c/b"}})
	must(t, err)
	if len(tg.ScalableTargets) != 2 || aws.ToInt32(tg.ScalableTargets[0].MinCapacity) != 3 || aws.ToInt32(tg.ScalableTargets[0].MaxCapacity) != 5 ||
		aws.ToInt32(tg.ScalableTargets[1].MinCapacity) != 1 {
		t.Errorf("targets %+v", tg.ScalableTargets)
	}
	if d := desired("b"); d != 1 {
		t.Errorf("the suspended target's service: desired %d", d)
	}
}
