package server_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// A rule's conditions are refused with AWS's texts when a value is too
// long, the legacy Values hold more than one host or path, a method has
// characters outside A-Z, '-' and '_', or a field comes without its
// *Config; a query string's key and value have 128 characters each.
func TestRuleConditionLimits(t *testing.T) {
	c, lsARN, fixed := ruleListener(t, "rules")
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	long := strings.Repeat("x", 129)
	for _, tc := range []struct {
		cond elbtypes.RuleCondition
		want string
	}{
		{elbtypes.RuleCondition{Field: aws.String("host-header"), Values: []string{long}}, "The 'host-header' value is too long; the limit is '128'"},
		{elbtypes.RuleCondition{Field: aws.String("path-pattern"), PathPatternConfig: &elbtypes.PathPatternConditionConfig{Values: []string{long}}}, "The 'path-pattern' value is too long; the limit is '128'"},
		{elbtypes.RuleCondition{Field: aws.String("host-header"), Values: []string{"a.example.com", "b.example.com"}}, "The 'host-header' field contains too many values; the limit is '1'"},
		{elbtypes.RuleCondition{Field: aws.String("http-header"), HttpHeaderConfig: &elbtypes.HttpHeaderConditionConfig{HttpHeaderName: aws.String(strings.Repeat("h", 41)), Values: []string{"v"}}}, "The 'HttpHeaderName' value is too long; the limit is '40'"},
		{elbtypes.RuleCondition{Field: aws.String("http-header"), HttpHeaderConfig: &elbtypes.HttpHeaderConditionConfig{HttpHeaderName: aws.String("User-Agent"), Values: []string{long}}}, "The 'http-header' value is too long; the limit is '128'"},
		{elbtypes.RuleCondition{Field: aws.String("http-request-method"), HttpRequestMethodConfig: &elbtypes.HttpRequestMethodConditionConfig{Values: []string{"get"}}}, "The 'http-request-method' value is invalid; the allowed characters are A-Z, hyphen and underscore"},
		{elbtypes.RuleCondition{Field: aws.String("http-request-method"), HttpRequestMethodConfig: &elbtypes.HttpRequestMethodConditionConfig{Values: []string{strings.Repeat("X", 41)}}}, "The 'http-request-method' value is too long; the limit is '40'"},
		{elbtypes.RuleCondition{Field: aws.String("http-request-method")}, "A 'HttpRequestMethodConfig' must be specified with 'http-request-method'"},
		{elbtypes.RuleCondition{Field: aws.String("query-string"), QueryStringConfig: &elbtypes.QueryStringConditionConfig{Values: []elbtypes.QueryStringKeyValuePair{{Key: aws.String(long), Value: aws.String("v")}}}}, "The 'Key' value is too long; the limit is '128'"},
		{elbtypes.RuleCondition{Field: aws.String("query-string"), QueryStringConfig: &elbtypes.QueryStringConditionConfig{Values: []elbtypes.QueryStringKeyValuePair{{Key: aws.String("k")}}}}, "A 'Value' must be specified in 'QueryStringKeyValuePair'"},
		{elbtypes.RuleCondition{Field: aws.String("source-ip"), SourceIpConfig: &elbtypes.SourceIpConditionConfig{Values: []string{}}}, "A 'source-ip' value must be specified"},
		{elbtypes.RuleCondition{Field: aws.String("source-ip")}, "A 'SourceIpConfig' must be specified with 'source-ip'"},
	} {
		_, err := c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: lsARN, Priority: aws.Int32(1), Conditions: []elbtypes.RuleCondition{tc.cond}, Actions: fixed})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != tc.want {
			t.Errorf("%s: got %v, want ValidationError %q", aws.ToString(tc.cond.Field), err, tc.want)
		}
	}
	rules, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: lsARN})
	must(err)
	if len(rules.Rules) != 1 {
		t.Fatalf("a refused rule is not created: %d rules besides the default", len(rules.Rules)-1)
	}

	// At the limits: 128-character values, a 40-character header name and
	// method, a 128-character query key with a 128-character value.
	max := strings.Repeat("y", 128)
	r, err := c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: lsARN, Priority: aws.Int32(1), Actions: fixed, Conditions: []elbtypes.RuleCondition{
		{Field: aws.String("host-header"), Values: []string{max}},
		{Field: aws.String("http-header"), HttpHeaderConfig: &elbtypes.HttpHeaderConditionConfig{HttpHeaderName: aws.String(strings.Repeat("h", 40)), Values: []string{max}}},
		{Field: aws.String("http-request-method"), HttpRequestMethodConfig: &elbtypes.HttpRequestMethodConditionConfig{Values: []string{"CUSTOM_VERB-" + strings.Repeat("X", 28)}}},
		{Field: aws.String("query-string"), QueryStringConfig: &elbtypes.QueryStringConditionConfig{Values: []elbtypes.QueryStringKeyValuePair{{Key: aws.String(max), Value: aws.String(max)}}}},
	}})
	must(err)
	q := r.Rules[0].Conditions[3].QueryStringConfig.Values[0]
	if aws.ToString(q.Key) != max || aws.ToString(q.Value) != max {
		t.Fatalf("query string pair: %+v", q)
	}
	_, err = c.elb.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: r.Rules[0].RuleArn, Conditions: []elbtypes.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/a", "/b"}}}})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorMessage() != "The 'path-pattern' field contains too many values; the limit is '1'" {
		t.Fatalf("ModifyRule checks the conditions too: %v", err)
	}
}

// A fixed response's content type is one of AWS's five.
func TestFixedResponseContentType(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	ctx := context.Background()
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i+1)), AvailabilityZone: aws.String(az)})
		if err != nil {
			t.Fatal(err)
		}
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("fixed"), Subnets: subnets, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	if err != nil {
		t.Fatal(err)
	}
	fixed := func(ct string) []elbtypes.Action {
		return []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse, FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("200"), ContentType: aws.String(ct)}}}
	}
	_, err = c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), DefaultActions: fixed("Fake content type")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidLoadBalancerAction" || !strings.Contains(ae.ErrorMessage(), "'application/json'") {
		t.Fatalf("an unknown content type: %v", err)
	}
	for i, ct := range []string{"text/plain", "text/css", "text/html", "application/javascript", "application/json"} {
		if _, err := c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp,
			Port: aws.Int32(int32(81 + i)), DefaultActions: fixed(ct)}); err != nil {
			t.Errorf("%s: %v", ct, err)
		}
	}
}

// Conditions are answered with their *Config; host-header and path-pattern
// (the two fields with legacy Values) also with Values, http-request-method
// and source-ip without them.
func TestRuleConditionShapesAnswered(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(err)
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i+1)), AvailabilityZone: aws.String(az)})
		must(err)
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("shapes"), Subnets: subnets, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(err)
	fixed := []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse, FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("200"), ContentType: aws.String("text/plain")}}}
	ls, err := c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), DefaultActions: fixed})
	must(err)
	created, err := c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: ls.Listeners[0].ListenerArn, Priority: aws.Int32(1), Actions: fixed, Conditions: []elbtypes.RuleCondition{
		{Field: aws.String("host-header"), Values: []string{"example.com"}},
		{Field: aws.String("path-pattern"), PathPatternConfig: &elbtypes.PathPatternConditionConfig{Values: []string{"/home", "/about"}}},
		// Five values in all, the most a rule takes.
		{Field: aws.String("http-request-method"), HttpRequestMethodConfig: &elbtypes.HttpRequestMethodConditionConfig{Values: []string{"GET"}}},
		{Field: aws.String("source-ip"), SourceIpConfig: &elbtypes.SourceIpConditionConfig{Values: []string{"10.0.0.0/8"}}},
	}})
	must(err)
	described, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{RuleArns: []string{aws.ToString(created.Rules[0].RuleArn)}})
	must(err)
	for _, rules := range [][]elbtypes.Rule{created.Rules, described.Rules} {
		byField := map[string]elbtypes.RuleCondition{}
		for _, cd := range rules[0].Conditions {
			byField[aws.ToString(cd.Field)] = cd
		}
		if h := byField["host-header"]; !slices.Equal(h.Values, []string{"example.com"}) || h.HostHeaderConfig == nil || !slices.Equal(h.HostHeaderConfig.Values, []string{"example.com"}) {
			t.Errorf("host-header: %+v", h)
		}
		if p := byField["path-pattern"]; !slices.Equal(p.Values, []string{"/home", "/about"}) || p.PathPatternConfig == nil || !slices.Equal(p.PathPatternConfig.Values, []string{"/home", "/about"}) {
			t.Errorf("path-pattern: %+v", p)
		}
		if m := byField["http-request-method"]; m.Values != nil || m.HttpRequestMethodConfig == nil || !slices.Equal(m.HttpRequestMethodConfig.Values, []string{"GET"}) {
			t.Errorf("http-request-method is answered with its config only: %+v", m)
		}
		if s := byField["source-ip"]; s.Values != nil || s.SourceIpConfig == nil || !slices.Equal(s.SourceIpConfig.Values, []string{"10.0.0.0/8"}) {
			t.Errorf("source-ip is answered with its config only: %+v", s)
		}
	}
}

// A health check protocol outside the model's enum is refused by the enum
// check, which names every value; TLS, UDP, TCP_UDP and GENEVE are protocols
// but not health check protocols.
func TestHealthCheckProtocolRefused(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	ctx := context.Background()
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ protocol, want string }{
		{"/HTTP", "1 validation error detected: Value '/HTTP' at 'healthCheckProtocol' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE]"},
		{"UDP", "Health check protocol 'UDP' is not supported"},
	} {
		_, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("hc"), Protocol: elbtypes.ProtocolEnumUdp, Port: aws.Int32(53),
			VpcId: vpc.Vpc.VpcId, HealthCheckProtocol: elbtypes.ProtocolEnum(tc.protocol)})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != tc.want {
			t.Errorf("%s: got %v, want ValidationError %q", tc.protocol, err, tc.want)
		}
	}
	if _, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("hc"), Protocol: elbtypes.ProtocolEnumUdp, Port: aws.Int32(53),
		VpcId: vpc.Vpc.VpcId, HealthCheckProtocol: elbtypes.ProtocolEnumTcp}); err != nil {
		t.Fatalf("a TCP health check of a UDP target group: %v", err)
	}
}

// ruleListener makes a VPC with two subnets, an internal Application Load
// Balancer named name in them and its HTTP:80 listener, whose default
// action (fixed) answers 200: the stage of the listener rule tests. It
// returns the clients, the listener's ARN and that action.
func ruleListener(t *testing.T, name string) (clients, *string, []elbtypes.Action) {
	t.Helper()
	c := sdkClients(newEmulator(t, nil).URL)
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i+1)), AvailabilityZone: aws.String(az)})
		must(t, err)
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String(name), Subnets: subnets, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	fixed := []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse, FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("200"), ContentType: aws.String("text/plain")}}}
	ls, err := c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), DefaultActions: fixed})
	must(t, err)
	return c, ls.Listeners[0].ListenerArn, fixed
}

// A rule's conditions hold five values and regular expressions in all
// (ALB quota "Condition values per rule"): five paths pass, six fail, as
// do four paths with two query-string pairs, on CreateRule and ModifyRule,
// with ELB's text.
func TestRuleConditionValuesPerRule(t *testing.T) {
	c, lsARN, fixed := ruleListener(t, "fivevalues")
	ctx := context.Background()
	paths := func(n int) elbtypes.RuleCondition {
		var v []string
		for i := range n {
			v = append(v, fmt.Sprintf("/p%d/*", i))
		}
		return elbtypes.RuleCondition{Field: aws.String("path-pattern"), PathPatternConfig: &elbtypes.PathPatternConditionConfig{Values: v}}
	}
	query := elbtypes.RuleCondition{Field: aws.String("query-string"), QueryStringConfig: &elbtypes.QueryStringConditionConfig{Values: []elbtypes.QueryStringKeyValuePair{
		{Key: aws.String("a"), Value: aws.String("1")}, {Value: aws.String("2")}}}}
	const want = "A rule can only have '5' condition values and regex values"
	refused := func(what string, err error) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != want {
			t.Errorf("%s: %v, want ValidationError %q", what, err, want)
		}
	}
	_, err := c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: lsARN, Priority: aws.Int32(1), Actions: fixed, Conditions: []elbtypes.RuleCondition{paths(6)}})
	refused("six paths", err)
	_, err = c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: lsARN, Priority: aws.Int32(1), Actions: fixed, Conditions: []elbtypes.RuleCondition{paths(4), query}})
	refused("four paths and two query pairs", err)
	r, err := c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: lsARN, Priority: aws.Int32(1), Actions: fixed, Conditions: []elbtypes.RuleCondition{paths(3), query}})
	if err != nil {
		t.Fatalf("three paths and two query pairs: %v", err)
	}
	_, err = c.elb.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: r.Rules[0].RuleArn, Conditions: []elbtypes.RuleCondition{paths(5), query}})
	refused("ModifyRule to five paths and two query pairs", err)
	if _, err := c.elb.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: r.Rules[0].RuleArn, Conditions: []elbtypes.RuleCondition{paths(5)}}); err != nil {
		t.Errorf("ModifyRule to five paths: %v", err)
	}
}
