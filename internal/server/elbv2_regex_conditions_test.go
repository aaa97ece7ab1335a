package server_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// Listener rule conditions take regular expressions (RegexValues) in the
// host-header, path-pattern and http-header configs: CreateRule stores
// them, DescribeRules answers them in the config, ModifyRule replaces
// them; expressions ALB refuses (too long, lookarounds, Unicode classes),
// RegexValues beside Values and RegexValues on other fields are refused
// with ValidationError.
func TestRuleRegexConditions(t *testing.T) {
	c, lsARN, fixed := ruleListener(t, "regexconds")
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	pathRe := func(vs ...string) elbtypes.RuleCondition {
		return elbtypes.RuleCondition{Field: aws.String("path-pattern"), PathPatternConfig: &elbtypes.PathPatternConditionConfig{RegexValues: vs}}
	}
	wantErr := func(what string, err error, want string) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != want {
			t.Errorf("%s: got %v, want ValidationError %q", what, err, want)
		}
	}
	long := strings.Repeat("a", 129)
	for i, tc := range []struct {
		what string
		cond elbtypes.RuleCondition
		want string
	}{
		{"too long", pathRe(long), "The 'path-pattern' value is too long; the limit is '128'"},
		{"lookahead", pathRe("^/api(?=/)"), "The regular expression '^/api(?=/)' is not valid"},
		{"backreference", elbtypes.RuleCondition{Field: aws.String("host-header"), HostHeaderConfig: &elbtypes.HostHeaderConditionConfig{RegexValues: []string{`^(a)\1$`}}}, `The regular expression '^(a)\1$' is not valid`},
		{"unicode class", elbtypes.RuleCondition{Field: aws.String("http-header"), HttpHeaderConfig: &elbtypes.HttpHeaderConditionConfig{HttpHeaderName: aws.String("X-Ver"), RegexValues: []string{`^\p{L}+$`}}}, `The regular expression '^\p{L}+$' is not valid`},
		{"empty", pathRe(""), "A 'path-pattern' regular expression must not be empty"},
		{"with values", elbtypes.RuleCondition{Field: aws.String("path-pattern"), PathPatternConfig: &elbtypes.PathPatternConditionConfig{Values: []string{"/a/*"}, RegexValues: []string{"^/b"}}}, "You cannot specify both 'Values' and 'RegexValues' in a 'path-pattern' condition"},
		{"other field", elbtypes.RuleCondition{Field: aws.String("http-request-method"), HttpRequestMethodConfig: &elbtypes.HttpRequestMethodConditionConfig{Values: []string{"GET"}}, RegexValues: []string{"^G"}}, "'RegexValues' can be specified only with 'host-header', 'path-pattern' or 'http-header'"},
	} {
		_, err := c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: lsARN, Priority: aws.Int32(int32(50 + i)), Conditions: []elbtypes.RuleCondition{tc.cond}, Actions: fixed})
		wantErr(tc.what, err, tc.want)
	}

	conds := []elbtypes.RuleCondition{
		pathRe(`^/v[0-9]+/orders$`, `^/legacy/`),
		{Field: aws.String("host-header"), HostHeaderConfig: &elbtypes.HostHeaderConditionConfig{RegexValues: []string{`^api[0-9]*\.example\.com(:[0-9]+)?$`}}},
		{Field: aws.String("http-header"), HttpHeaderConfig: &elbtypes.HttpHeaderConditionConfig{HttpHeaderName: aws.String("User-Agent"), RegexValues: []string{`(?i)mobile`}}},
	}
	r, err := c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: lsARN, Priority: aws.Int32(10), Conditions: conds, Actions: fixed})
	must(err)
	ruleARN := r.Rules[0].RuleArn
	check := func(what string, got []elbtypes.RuleCondition, path, host, ua []string) {
		t.Helper()
		for _, c := range got {
			switch aws.ToString(c.Field) {
			case "path-pattern":
				if c.PathPatternConfig == nil || !slices.Equal(c.PathPatternConfig.RegexValues, path) || len(c.PathPatternConfig.Values) != 0 || len(c.Values) != 0 {
					t.Errorf("%s: path-pattern condition %+v, want RegexValues %q", what, c.PathPatternConfig, path)
				}
				path = nil
			case "host-header":
				if c.HostHeaderConfig == nil || !slices.Equal(c.HostHeaderConfig.RegexValues, host) {
					t.Errorf("%s: host-header condition %+v, want RegexValues %q", what, c.HostHeaderConfig, host)
				}
				host = nil
			case "http-header":
				if c.HttpHeaderConfig == nil || aws.ToString(c.HttpHeaderConfig.HttpHeaderName) != "User-Agent" || !slices.Equal(c.HttpHeaderConfig.RegexValues, ua) {
					t.Errorf("%s: http-header condition %+v, want User-Agent RegexValues %q", what, c.HttpHeaderConfig, ua)
				}
				ua = nil
			}
		}
		if path != nil || host != nil || ua != nil {
			t.Errorf("%s: conditions %+v lack some of path %q host %q header %q", what, got, path, host, ua)
		}
	}
	check("CreateRule", r.Rules[0].Conditions, conds[0].PathPatternConfig.RegexValues, conds[1].HostHeaderConfig.RegexValues, conds[2].HttpHeaderConfig.RegexValues)
	d, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{RuleArns: []string{aws.ToString(ruleARN)}})
	must(err)
	check("DescribeRules", d.Rules[0].Conditions, conds[0].PathPatternConfig.RegexValues, conds[1].HostHeaderConfig.RegexValues, conds[2].HttpHeaderConfig.RegexValues)

	// ModifyRule replaces the conditions; a bad expression leaves them.
	_, err = c.elb.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: ruleARN, Conditions: []elbtypes.RuleCondition{pathRe("(?<=x)y")}})
	wantErr("ModifyRule lookbehind", err, "The regular expression '(?<=x)y' is not valid")
	m, err := c.elb.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: ruleARN, Conditions: []elbtypes.RuleCondition{
		pathRe(`^/b$`),
		{Field: aws.String("host-header"), HostHeaderConfig: &elbtypes.HostHeaderConditionConfig{RegexValues: []string{`\.test$`}}},
		{Field: aws.String("http-header"), HttpHeaderConfig: &elbtypes.HttpHeaderConditionConfig{HttpHeaderName: aws.String("User-Agent"), RegexValues: []string{`^curl/`}}},
	}})
	must(err)
	check("ModifyRule", m.Rules[0].Conditions, []string{`^/b$`}, []string{`\.test$`}, []string{`^curl/`})
	d, err = c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{RuleArns: []string{aws.ToString(ruleARN)}})
	must(err)
	check("DescribeRules after ModifyRule", d.Rules[0].Conditions, []string{`^/b$`}, []string{`\.test$`}, []string{`^curl/`})
}
