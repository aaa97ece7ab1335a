package server_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	clb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	clbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// TestListTasksUnknownService34 checks, through the Go SDK, that ListTasks
// filtered on a service the cluster does not have is refused with
// ServiceNotFoundException "Service not found." (AWS's answer in
// turbot/steampipe-plugin-aws#1415, status 400; the error is in ListTasks'
// model), by name or by ARN, also for a service of another cluster; ecsnet
// answered an empty list until round thirty-four. The cluster's own service,
// with no task yet, lists nothing.
func TestListTasksUnknownService34(t *testing.T) {
	em := newEmulator(t, nil)
	c := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) })
	for _, name := range []string{"one", "other"} {
		_, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(name)})
		must(t, err)
	}
	_, err := c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int32(128)}}})
	must(t, err)
	svc, err := c.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("other"), ServiceName: aws.String("web"),
		TaskDefinition: aws.String("web"), DesiredCount: aws.Int32(0)})
	must(t, err)
	for _, ref := range []string{"no-such-service", *svc.Service.ServiceArn} {
		_, err := c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("one"), ServiceName: aws.String(ref)})
		wantAPIError(t, err, "ServiceNotFoundException", "Service not found.")
	}
	for _, ref := range []string{"web", *svc.Service.ServiceArn} {
		out, err := c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("other"), ServiceName: aws.String(ref)})
		must(t, err)
		if len(out.TaskArns) != 0 {
			t.Errorf("ListTasks serviceName=%s: %v, want none", ref, out.TaskArns)
		}
	}
}

// TestELBv2TagsInOrderAdded34 checks, through the Go SDK, that DescribeTags
// answers a load balancer's, listener's, rule's and target group's tags in
// the order they were added, not sorted by key: the AWS CLI's elbv2 (and
// elb) describe-tags example answers "project" before "department" after
// add-tags gave them in that order, and moto's test_elbv2_listener_tags.py
// and test_elbv2_listener_rule_tags.py expect the same. A key added again
// keeps its place; a removed key leaves it. ecsnet sorted them by key until
// round thirty-four.
func TestELBv2TagsInOrderAdded34(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	subnets := round32Subnets(t, c)
	tag := func(kv ...string) []elbtypes.Tag {
		var out []elbtypes.Tag
		for i := 0; i < len(kv); i += 2 {
			out = append(out, elbtypes.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
		}
		return out
	}
	keys := func(arn *string) []string {
		t.Helper()
		d, err := c.elb.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{aws.ToString(arn)}})
		must(t, err)
		var out []string
		for _, tg := range d.TagDescriptions[0].Tags {
			out = append(out, aws.ToString(tg.Key))
		}
		return out
	}
	want := func(what string, arn *string, w ...string) {
		t.Helper()
		if got := keys(arn); !slices.Equal(got, w) {
			t.Errorf("%s: tags %v, want %v", what, got, w)
		}
	}
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("my-load-balancer"),
		Scheme: elbtypes.LoadBalancerSchemeEnumInternal, Subnets: subnets, Tags: tag("zeta", "1", "alpha", "2")})
	must(t, err)
	lbARN := lb.LoadBalancers[0].LoadBalancerArn
	want("CreateLoadBalancer", lbARN, "zeta", "alpha")
	_, err = c.elb.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: []string{aws.ToString(lbARN)}, Tags: tag("project", "lima", "department", "digital-media")})
	must(t, err)
	want("AddTags", lbARN, "zeta", "alpha", "project", "department")

	fixed := []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse, FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("200"), ContentType: aws.String("text/plain")}}}
	l, err := c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lbARN, Port: aws.Int32(80), Protocol: elbtypes.ProtocolEnumHttp,
		DefaultActions: fixed, Tags: tag("k1", "v1")})
	must(t, err)
	ln := l.Listeners[0].ListenerArn
	_, err = c.elb.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: []string{aws.ToString(ln)}, Tags: tag("a", "b")})
	must(t, err)
	want("listener", ln, "k1", "a")
	_, err = c.elb.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: []string{aws.ToString(ln)}, Tags: tag("a", "b", "b", "b", "c", "b")})
	must(t, err)
	want("listener, a added again", ln, "k1", "a", "b", "c")
	_, err = c.elb.RemoveTags(ctx, &elbv2.RemoveTagsInput{ResourceArns: []string{aws.ToString(ln)}, TagKeys: []string{"a"}})
	must(t, err)
	want("listener, a removed", ln, "k1", "b", "c")

	r, err := c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: ln, Priority: aws.Int32(100), Actions: fixed,
		Conditions: []elbtypes.RuleCondition{{Field: aws.String("host-header"), Values: []string{"example.com"}}}, Tags: tag("y", "1", "x", "2")})
	must(t, err)
	want("rule", r.Rules[0].RuleArn, "y", "x")

	vpc, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: subnets[:1]})
	must(t, err)
	tg, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("my-targets"), Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), VpcId: vpc.Subnets[0].VpcId, Tags: tag("team", "web", "env", "prod")})
	must(t, err)
	want("target group", tg.TargetGroups[0].TargetGroupArn, "team", "env")
}

// TestClassicTagsInOrderAdded34 checks, through the Go SDK, that the
// Classic Load Balancer API's DescribeTags answers tags in the order they
// were added, as the AWS CLI's elb add-tags and describe-tags examples show
// ("project", then "department"); ecsnet sorted them by key until round
// thirty-four.
func TestClassicTagsInOrderAdded34(t *testing.T) {
	em := newEmulator(t, nil)
	c := classicClient(em.URL)
	subnets := round32Subnets(t, sdkClients(em.URL))
	_, err := c.CreateLoadBalancer(ctx, &clb.CreateLoadBalancerInput{LoadBalancerName: aws.String("my-load-balancer"),
		Subnets: subnets[:1], Scheme: aws.String("internal"),
		Listeners: []clbtypes.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(80)}},
		Tags:      []clbtypes.Tag{{Key: aws.String("zeta"), Value: aws.String("1")}}})
	must(t, err)
	_, err = c.AddTags(ctx, &clb.AddTagsInput{LoadBalancerNames: []string{"my-load-balancer"},
		Tags: []clbtypes.Tag{{Key: aws.String("project"), Value: aws.String("lima")}, {Key: aws.String("department"), Value: aws.String("digital-media")}}})
	must(t, err)
	d, err := c.DescribeTags(ctx, &clb.DescribeTagsInput{LoadBalancerNames: []string{"my-load-balancer"}})
	must(t, err)
	var got []string
	for _, tg := range d.TagDescriptions[0].Tags {
		got = append(got, aws.ToString(tg.Key))
	}
	if want := []string{"zeta", "project", "department"}; !slices.Equal(got, want) {
		t.Errorf("DescribeTags: %v, want %v", got, want)
	}
}
