package server_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	clb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	clbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"
)

// emu32Err checks that err is the AWS error code with message msg
// ("" for any message).
func emu32Err(t *testing.T, what string, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Errorf("%s: %v, want %s", what, err, code)
		return
	}
	if ae.ErrorCode() != code || msg != "" && ae.ErrorMessage() != msg {
		t.Errorf("%s: %s %q, want %s %q", what, ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}

// emu32Group makes an Auto Scaling group "g" (0..2) in a new VPC.
func emu32Group(t *testing.T, c clients) {
	t.Helper()
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.32.0.0/16")})
	must(t, err)
	sub, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.32.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	_, err = c.asg.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("lc"),
		ImageId: aws.String("ami-12c6146b"), InstanceType: aws.String("t3.micro")})
	must(t, err)
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("g"),
		LaunchConfigurationName: aws.String("lc"), MinSize: aws.Int32(0), MaxSize: aws.Int32(2), VPCZoneIdentifier: sub.Subnet.SubnetId})
	must(t, err)
}

// A scheduled action's sizes must agree among themselves, and its
// TimeZone must be an IANA zone; before round thirty-two
// PutScheduledUpdateGroupAction stored min 2, max 0, desired 0 (the
// buildkite stack's Terraform defaults that AWS refused) and "Mars/Olympus".
func TestScheduledActionSizesAndTimeZone(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	emu32Group(t, c)
	put := func(minSize, maxSize, desired *int32, tz string) error {
		in := &autoscaling.PutScheduledUpdateGroupActionInput{AutoScalingGroupName: aws.String("g"), ScheduledActionName: aws.String("a"),
			Recurrence: aws.String("0 8 * * *"), MinSize: minSize, MaxSize: maxSize, DesiredCapacity: desired}
		if tz != "" {
			in.TimeZone = aws.String(tz)
		}
		_, err := c.asg.PutScheduledUpdateGroupAction(ctx, in)
		return err
	}
	i := aws.Int32
	emu32Err(t, "min 2 max 0 desired 0", put(i(2), i(0), i(0), ""), "ValidationError", "Desired capacity must be greater than or equal to min size")
	emu32Err(t, "max 1 desired 3", put(nil, i(1), i(3), ""), "ValidationError", "Desired capacity must be less than or equal to max size")
	emu32Err(t, "min 3 max 1", put(i(3), i(1), nil, ""), "ValidationError", "Max size must be greater than or equal to min size")
	for _, tz := range []string{"Mars/Olympus", "Local", "Europe/Londres"} {
		emu32Err(t, tz, put(i(1), nil, nil, tz), "ValidationError", "")
	}
	for _, tz := range []string{"Pacific/Tahiti", "Etc/GMT+9", "America/New_York", "UTC"} {
		if err := put(i(1), i(2), i(1), tz); err != nil {
			t.Errorf("%s: %v", tz, err)
		}
	}
	// A batch reports each refused action among its failures.
	b, err := c.asg.BatchPutScheduledUpdateGroupAction(ctx, &autoscaling.BatchPutScheduledUpdateGroupActionInput{AutoScalingGroupName: aws.String("g"),
		ScheduledUpdateGroupActions: []astypes.ScheduledUpdateGroupActionRequest{
			{ScheduledActionName: aws.String("bad"), Recurrence: aws.String("0 8 * * *"), MinSize: i(2), MaxSize: i(1)},
			{ScheduledActionName: aws.String("good"), Recurrence: aws.String("0 8 * * *"), MinSize: i(1), TimeZone: aws.String("Asia/Tokyo")},
		}})
	must(t, err)
	if len(b.FailedScheduledUpdateGroupActions) != 1 || aws.ToString(b.FailedScheduledUpdateGroupActions[0].ScheduledActionName) != "bad" {
		t.Errorf("batch failures %+v, want only bad", b.FailedScheduledUpdateGroupActions)
	}
}

// PutNotificationConfiguration sends its test notification to an SNS
// topic: a target that is not a topic's ARN (an SQS queue's, a malformed
// one) is refused; before round thirty-two any "arn:" was stored.
func TestNotificationConfigurationTopic(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	emu32Group(t, c)
	put := func(topic string, types ...string) error {
		_, err := c.asg.PutNotificationConfiguration(ctx, &autoscaling.PutNotificationConfigurationInput{AutoScalingGroupName: aws.String("g"),
			TopicARN: aws.String(topic), NotificationTypes: types})
		return err
	}
	for _, topic := range []string{"arn:aws:sqs:us-east-1:123456789012:queue", "arn:aws:sns:us-east-1:1234:t", "arn:aws:sns:us-east-1:123456789012:",
		"arn:aws:sns:us-east-1:123456789012:a/b", "arn:aws-cn:sns:us-east-1:123456789012:t"} {
		emu32Err(t, topic, put(topic, "autoscaling:EC2_INSTANCE_LAUNCH"), "ValidationError", "")
	}
	emu32Err(t, "unknown type", put("arn:aws:sns:us-east-1:123456789012:t", "autoscaling:EC2_INSTANCE_REBOOT"), "ValidationError", "")
	must(t, put("arn:aws:sns:us-east-1:123456789012:t", "autoscaling:EC2_INSTANCE_LAUNCH"))
	must(t, put("arn:aws:sns:us-east-1:123456789012:t.fifo", "autoscaling:EC2_INSTANCE_TERMINATE"))
	out, err := c.asg.DescribeNotificationConfigurations(ctx, &autoscaling.DescribeNotificationConfigurationsInput{AutoScalingGroupNames: []string{"g"}})
	must(t, err)
	if len(out.NotificationConfigurations) != 2 {
		t.Errorf("configurations %d, want 2", len(out.NotificationConfigurations))
	}
}

// Classic ELB policies: CreateLoadBalancerPolicy takes only the policy
// type's attributes and a Reference-Security-Policy that is a predefined
// policy; DescribeLoadBalancerPolicies without a load balancer lists every
// predefined and sample policy (three before round thirty-two, which also
// stored any attribute and any reference); SSLNegotiationPolicyType lists
// SSLv3 and the ciphers among its attributes.
func TestClassicPolicyAttributesAndPredefined(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	classic := classicClient(em.URL)
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.32.0.0/16")})
	must(t, err)
	sub, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.32.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	lb := aws.String("web")
	_, err = classic.CreateLoadBalancer(ctx, &clb.CreateLoadBalancerInput{LoadBalancerName: lb, Subnets: []string{aws.ToString(sub.Subnet.SubnetId)},
		Listeners: []clbtypes.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(8080)}}})
	must(t, err)
	create := func(name, typ string, attrs ...string) error {
		in := &clb.CreateLoadBalancerPolicyInput{LoadBalancerName: lb, PolicyName: aws.String(name), PolicyTypeName: aws.String(typ)}
		for i := 0; i+1 < len(attrs); i += 2 {
			in.PolicyAttributes = append(in.PolicyAttributes, clbtypes.PolicyAttribute{AttributeName: aws.String(attrs[i]), AttributeValue: aws.String(attrs[i+1])})
		}
		_, err := classic.CreateLoadBalancerPolicy(ctx, in)
		return err
	}
	emu32Err(t, "unknown reference", create("tls", "SSLNegotiationPolicyType", "Reference-Security-Policy", "ELBSecurityPolicy-2099-01"),
		"PolicyNotFound", "There is no policy with name ELBSecurityPolicy-2099-01")
	emu32Err(t, "unknown attribute", create("tls", "SSLNegotiationPolicyType", "Protocol-TLSv9", "true"),
		"InvalidConfigurationRequest", "Protocol-TLSv9 is not a valid attribute of the policy type SSLNegotiationPolicyType")
	emu32Err(t, "another type's attribute", create("px", "ProxyProtocolPolicyType", "CookieName", "x"),
		"InvalidConfigurationRequest", "CookieName is not a valid attribute of the policy type ProxyProtocolPolicyType")
	must(t, create("tls", "SSLNegotiationPolicyType", "Reference-Security-Policy", "ELBSecurityPolicy-2015-05"))
	must(t, create("custom", "SSLNegotiationPolicyType", "Protocol-SSLv3", "false", "Protocol-TLSv1.2", "true", "ECDHE-RSA-AES128-GCM-SHA256", "true"))
	mine, err := classic.DescribeLoadBalancerPolicies(ctx, &clb.DescribeLoadBalancerPoliciesInput{LoadBalancerName: lb})
	must(t, err)
	if len(mine.PolicyDescriptions) != 2 {
		t.Errorf("the load balancer's policies: %d, want 2 (nothing stored by the refused calls)", len(mine.PolicyDescriptions))
	}

	all, err := classic.DescribeLoadBalancerPolicies(ctx, &clb.DescribeLoadBalancerPoliciesInput{})
	must(t, err)
	names := map[string]bool{}
	for _, p := range all.PolicyDescriptions {
		names[aws.ToString(p.PolicyName)] = true
	}
	for _, n := range []string{"ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-TLS-1-1-2017-01",
		"ELBSecurityPolicy-2015-05", "ELBSecurityPolicy-2011-08", "ELBSample-ELBDefaultCipherPolicy", "ELBSample-OpenSSLDefaultCipherPolicy"} {
		if !names[n] {
			t.Errorf("DescribeLoadBalancerPolicies without a load balancer lacks %s (has %v)", n, names)
		}
	}
	_, err = classic.DescribeLoadBalancerPolicies(ctx, &clb.DescribeLoadBalancerPoliciesInput{PolicyNames: []string{"ELBSample-Nope"}})
	emu32Err(t, "unknown sample", err, "PolicyNotFound", "There is no policy with name ELBSample-Nope")

	types, err := classic.DescribeLoadBalancerPolicyTypes(ctx, &clb.DescribeLoadBalancerPolicyTypesInput{PolicyTypeNames: []string{"SSLNegotiationPolicyType"}})
	must(t, err)
	attrs := map[string]bool{}
	for _, a := range types.PolicyTypeDescriptions[0].PolicyAttributeTypeDescriptions {
		attrs[aws.ToString(a.AttributeName)] = true
	}
	for _, a := range []string{"Reference-Security-Policy", "Protocol-SSLv3", "Protocol-TLSv1.2", "Server-Defined-Cipher-Order", "ECDHE-RSA-AES128-GCM-SHA256", "AES256-SHA"} {
		if !attrs[a] {
			t.Errorf("SSLNegotiationPolicyType lacks attribute %s", a)
		}
	}
}

// Route 53 health checks: GetHealthCheckLastFailureReason,
// GetCheckerIpRanges and ListTagsForResources of health checks answer (the
// first two were NotImplemented, the third NoSuchHealthCheck for every
// check before round thirty-two); CreateHealthCheck refuses what AWS
// refuses with its texts.
func TestRoute53HealthCheckReadsAndTexts(t *testing.T) {
	em := newEmulator(t, nil)
	r53 := route53Client(em.URL)
	mk := func(ref string, cfg r53types.HealthCheckConfig) (*route53.CreateHealthCheckOutput, error) {
		return r53.CreateHealthCheck(ctx, &route53.CreateHealthCheckInput{CallerReference: aws.String(ref), HealthCheckConfig: &cfg})
	}
	web, err := mk("web", r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeHttp, IPAddress: aws.String("198.51.100.7"), ResourcePath: aws.String("/")})
	must(t, err)
	inv, err := mk("inv", r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeTcp, IPAddress: aws.String("198.51.100.8"), Port: aws.Int32(22), Inverted: aws.Bool(true)})
	must(t, err)

	last, err := r53.GetHealthCheckLastFailureReason(ctx, &route53.GetHealthCheckLastFailureReasonInput{HealthCheckId: web.HealthCheck.Id})
	must(t, err)
	if len(last.HealthCheckObservations) != 0 {
		t.Errorf("a check that never failed: %d observations, want none", len(last.HealthCheckObservations))
	}
	last, err = r53.GetHealthCheckLastFailureReason(ctx, &route53.GetHealthCheckLastFailureReasonInput{HealthCheckId: inv.HealthCheck.Id})
	must(t, err)
	if len(last.HealthCheckObservations) != 8 || last.HealthCheckObservations[0].StatusReport == nil {
		t.Errorf("an inverted check: %+v, want a failure from each of the 8 checker regions", last.HealthCheckObservations)
	}
	_, err = r53.GetHealthCheckLastFailureReason(ctx, &route53.GetHealthCheckLastFailureReasonInput{HealthCheckId: aws.String("00000000-0000-0000-0000-000000000000")})
	emu32Err(t, "last failure of an unknown check", err, "NoSuchHealthCheck", "")

	ranges, err := r53.GetCheckerIpRanges(ctx, &route53.GetCheckerIpRangesInput{})
	must(t, err)
	if len(ranges.CheckerIpRanges) != 48 || ranges.CheckerIpRanges[0] != "15.177.2.0/23" || ranges.CheckerIpRanges[31] != "177.71.207.128/26" {
		t.Errorf("checker ranges %v", ranges.CheckerIpRanges)
	}
	for _, r := range ranges.CheckerIpRanges {
		if _, err := netip.ParsePrefix(r); err != nil {
			t.Errorf("checker range %q: %v", r, err)
		}
	}

	_, err = r53.ChangeTagsForResource(ctx, &route53.ChangeTagsForResourceInput{ResourceType: r53types.TagResourceTypeHealthcheck, ResourceId: web.HealthCheck.Id,
		AddTags: []r53types.Tag{{Key: aws.String("team"), Value: aws.String("web")}}})
	must(t, err)
	tags, err := r53.ListTagsForResources(ctx, &route53.ListTagsForResourcesInput{ResourceType: r53types.TagResourceTypeHealthcheck,
		ResourceIds: []string{aws.ToString(web.HealthCheck.Id), aws.ToString(inv.HealthCheck.Id)}})
	must(t, err)
	if len(tags.ResourceTagSets) != 2 || len(tags.ResourceTagSets[0].Tags) != 1 || aws.ToString(tags.ResourceTagSets[0].Tags[0].Value) != "web" ||
		len(tags.ResourceTagSets[1].Tags) != 0 {
		t.Errorf("tag sets %+v", tags.ResourceTagSets)
	}
	_, err = r53.ListTagsForResources(ctx, &route53.ListTagsForResourcesInput{ResourceType: r53types.TagResourceTypeHealthcheck,
		ResourceIds: []string{"00000000-0000-0000-0000-000000000000"}})
	emu32Err(t, "tags of an unknown check", err, "NoSuchHealthCheck", "")

	_, err = mk("tcp-both", r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeTcp, IPAddress: aws.String("198.51.100.9"), Port: aws.Int32(22),
		FullyQualifiedDomainName: aws.String("db.example.com")})
	emu32Err(t, "TCP with an address and a name", err, "InvalidInput", "TCP health checks that have IP address must not have a fully qualified domain name specified.")
	_, err = mk("http-alarm", r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeHttps, FullyQualifiedDomainName: aws.String("www.example.com"),
		AlarmIdentifier: &r53types.AlarmIdentifier{Name: aws.String("a"), Region: r53types.CloudWatchRegionUsEast1}})
	emu32Err(t, "HTTPS with an alarm", err, "InvalidInput", "Invalid parameter : Basic health checks must not have an metric region specified.")
	_, err = mk("calc", r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeCalculated, ChildHealthChecks: []string{aws.ToString(web.HealthCheck.Id)}})
	emu32Err(t, "calculated without a threshold", err, "InvalidInput", "Invalid parameter : Calculated health checks must have a health threshold specified.")
	if _, err := mk("calc0", r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeCalculated, HealthThreshold: aws.Int32(0)}); err != nil {
		t.Errorf("calculated with threshold 0: %v", err)
	}
}

// CreateDaemon is idempotent per clientToken: a retry with the token and
// the same request answers the daemon it made (the same ARN and
// deployment, no second deployment); the token with another request is
// refused, as is a second daemon of the name without a token. Before
// round thirty-two the clientToken was read nowhere: the retry was "not
// idempotent".
func TestCreateDaemonClientToken(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	cpARN := managedInstancesProvider(t, es)
	_, err := c.ecs.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("c"), CapacityProviders: []string{"mi"},
		DefaultCapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{}})
	must(t, err)
	td, err := c.ecs.RegisterDaemonTaskDefinition(ctx, &ecs.RegisterDaemonTaskDefinitionInput{Family: aws.String("agent"),
		ContainerDefinitions: []ecstypes.DaemonContainerDefinition{{Name: aws.String("agent"), Image: aws.String("agent:1"), Memory: aws.Int32(128)}}})
	must(t, err)
	create := func(name, token, team string) (*ecs.CreateDaemonOutput, error) {
		in := &ecs.CreateDaemonInput{DaemonName: aws.String(name), ClusterArn: aws.String("c"), DaemonTaskDefinitionArn: td.DaemonTaskDefinitionArn,
			CapacityProviderArns: []string{cpARN}, Tags: []ecstypes.Tag{{Key: aws.String("team"), Value: aws.String(team)}}}
		if token != "" {
			in.ClientToken = aws.String(token)
		}
		return c.ecs.CreateDaemon(ctx, in)
	}
	first, err := create("monitor", "tok-1", "platform")
	must(t, err)
	again, err := create("monitor", "tok-1", "platform")
	if err != nil {
		t.Fatalf("a retry with the client token: %v", err)
	}
	if aws.ToString(again.DaemonArn) != aws.ToString(first.DaemonArn) || aws.ToString(again.DeploymentArn) != aws.ToString(first.DeploymentArn) {
		t.Errorf("the retry answered %s %s, want %s %s", aws.ToString(again.DaemonArn), aws.ToString(again.DeploymentArn),
			aws.ToString(first.DaemonArn), aws.ToString(first.DeploymentArn))
	}
	deps, err := c.ecs.ListDaemonDeployments(ctx, &ecs.ListDaemonDeploymentsInput{DaemonArn: first.DaemonArn})
	must(t, err)
	if len(deps.DaemonDeployments) != 1 {
		t.Errorf("deployments after the retry: %d, want 1", len(deps.DaemonDeployments))
	}
	_, err = create("monitor", "tok-1", "security")
	emu32Err(t, "the token with other tags", err, "InvalidParameterException", "The client token tok-1 was already used with a different request.")
	_, err = create("other", "tok-1", "platform")
	emu32Err(t, "the token for another daemon", err, "InvalidParameterException", "The client token tok-1 was already used with a different request.")
	_, err = create("monitor", "", "platform")
	emu32Err(t, "the name again without a token", err, "InvalidParameterException", "Creation of daemon was not idempotent.")
	_, err = create("third", "tok 2", "platform")
	emu32Err(t, "a token with a space", err, "InvalidParameterException", "")
}

// ListServices and ListTasks check their launchType filter (and
// ListServices its schedulingStrategy) against the enums: before round
// thirty-two launchType=BAD listed nothing, as if it were a launch type.
func TestListFiltersEnums(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	_, err := c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	_, err = c.ecs.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String("c"), LaunchType: ecstypes.LaunchType("BAD")})
	emu32Err(t, "ListServices launchType BAD", err, "InvalidParameterException", "launch type should be one of [EC2,FARGATE,EXTERNAL,MANAGED_INSTANCES]")
	_, err = c.ecs.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String("c"), SchedulingStrategy: ecstypes.SchedulingStrategy("SOMETIMES")})
	emu32Err(t, "ListServices schedulingStrategy", err, "InvalidParameterException", "schedulingStrategy should be one of [REPLICA,DAEMON]")
	_, err = c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), LaunchType: ecstypes.LaunchType("fargate")})
	emu32Err(t, "ListTasks launchType fargate", err, "InvalidParameterException", "launch type should be one of [EC2,FARGATE,EXTERNAL,MANAGED_INSTANCES]")
	for _, lt := range []ecstypes.LaunchType{ecstypes.LaunchTypeEc2, ecstypes.LaunchTypeFargate, ecstypes.LaunchTypeExternal, ecstypes.LaunchTypeManagedInstances} {
		if _, err := c.ecs.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String("c"), LaunchType: lt}); err != nil {
			t.Errorf("ListServices %s: %v", lt, err)
		}
		if _, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), LaunchType: lt}); err != nil {
			t.Errorf("ListTasks %s: %v", lt, err)
		}
	}
}

// UpdateEventBus changes a bus's description, the account's default bus
// included (NotImplemented before round thirty-two); an unknown bus is
// ResourceNotFoundException.
func TestUpdateEventBusDefault(t *testing.T) {
	em := newEmulator(t, nil)
	eb := eventsClient(em.URL)
	out, err := eb.UpdateEventBus(ctx, &eventbridge.UpdateEventBusInput{Description: aws.String("the account's bus")})
	must(t, err)
	if aws.ToString(out.Name) != "default" || aws.ToString(out.Arn) != "arn:aws:events:us-east-1:123456789012:event-bus/default" {
		t.Errorf("UpdateEventBus default: %s %s", aws.ToString(out.Name), aws.ToString(out.Arn))
	}
	d, err := eb.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("default")})
	must(t, err)
	if aws.ToString(d.Description) != "the account's bus" {
		t.Errorf("default's description %q", aws.ToString(d.Description))
	}
	l, err := eb.ListEventBuses(ctx, &eventbridge.ListEventBusesInput{})
	must(t, err)
	if len(l.EventBuses) != 1 || aws.ToString(l.EventBuses[0].Description) != "the account's bus" {
		t.Errorf("ListEventBuses %+v", l.EventBuses)
	}
	_, err = eb.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("orders")})
	must(t, err)
	_, err = eb.UpdateEventBus(ctx, &eventbridge.UpdateEventBusInput{Name: aws.String("orders"), Description: aws.String("orders")})
	must(t, err)
	if d, err = eb.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("orders")}); err != nil || aws.ToString(d.Description) != "orders" {
		t.Errorf("orders' description %v %v", d, err)
	}
	_, err = eb.UpdateEventBus(ctx, &eventbridge.UpdateEventBusInput{Name: aws.String("nope")})
	emu32Err(t, "unknown bus", err, "ResourceNotFoundException", "Event bus nope does not exist.")
}
