package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

func urlRewrite(regex, replace string) elbtypes.RuleTransform {
	return elbtypes.RuleTransform{Type: elbtypes.TransformTypeEnumUrlRewrite,
		UrlRewriteConfig: &elbtypes.UrlRewriteConfig{Rewrites: []elbtypes.RewriteConfig{{Regex: aws.String(regex), Replace: aws.String(replace)}}}}
}

func hostRewrite(regex, replace string) elbtypes.RuleTransform {
	return elbtypes.RuleTransform{Type: elbtypes.TransformTypeEnumHostHeaderRewrite,
		HostHeaderRewriteConfig: &elbtypes.HostHeaderRewriteConfig{Rewrites: []elbtypes.RewriteConfig{{Regex: aws.String(regex), Replace: aws.String(replace)}}}}
}

// A listener rule carries transforms (a host header rewrite and a URL
// rewrite, one of each at most) through CreateRule, DescribeRules and
// ModifyRule, which replaces them or removes them with ResetTransforms;
// malformed transforms are refused with ValidationError and the default
// rule takes none.
func TestRuleTransforms(t *testing.T) {
	c, lsARN, fixed := ruleListener(t, "transforms")
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	api := []elbtypes.RuleCondition{{Field: aws.String("path-pattern"), PathPatternConfig: &elbtypes.PathPatternConditionConfig{Values: []string{"/api/*"}}}}

	wantErr := func(what string, err error, want string) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != want {
			t.Errorf("%s: got %v, want ValidationError %q", what, err, want)
		}
	}
	long := strings.Repeat("a", 1025)
	for _, tc := range []struct {
		what string
		ts   []elbtypes.RuleTransform
		want string
	}{
		{"two url rewrites", []elbtypes.RuleTransform{urlRewrite("^/api/(.*)$", "/$1"), urlRewrite("^/x$", "/y")}, "A rule can have only one 'url-rewrite' transform"},
		{"no config", []elbtypes.RuleTransform{{Type: elbtypes.TransformTypeEnumUrlRewrite}}, "A 'UrlRewriteConfig' must be specified with 'url-rewrite'"},
		{"other config", []elbtypes.RuleTransform{{Type: elbtypes.TransformTypeEnumUrlRewrite, UrlRewriteConfig: urlRewrite("a", "b").UrlRewriteConfig, HostHeaderRewriteConfig: hostRewrite("a", "b").HostHeaderRewriteConfig}}, "A 'HostHeaderRewriteConfig' cannot be specified with 'url-rewrite'"},
		{"two rewrites", []elbtypes.RuleTransform{{Type: elbtypes.TransformTypeEnumHostHeaderRewrite, HostHeaderRewriteConfig: &elbtypes.HostHeaderRewriteConfig{Rewrites: []elbtypes.RewriteConfig{{Regex: aws.String("a"), Replace: aws.String("b")}, {Regex: aws.String("c"), Replace: aws.String("d")}}}}}, "A 'host-header-rewrite' transform must have exactly one rewrite"},
		{"unknown type", []elbtypes.RuleTransform{{Type: "path-rewrite"}}, "1 validation error detected: Value 'path-rewrite' at 'transforms.member.type' failed to satisfy constraint: Member must satisfy enum value set: [host-header-rewrite, url-rewrite]"},
		{"long regex", []elbtypes.RuleTransform{urlRewrite(long, "/")}, "The 'Regex' value is too long; the limit is '1024'"},
		{"long replace", []elbtypes.RuleTransform{urlRewrite("^/api", long)}, "The 'Replace' value is too long; the limit is '1024'"},
		{"empty regex", []elbtypes.RuleTransform{urlRewrite("", "/")}, "A 'Regex' value must be specified in 'RewriteConfig'"},
		{"lookahead", []elbtypes.RuleTransform{urlRewrite("^/api(?=/)", "")}, "The regular expression '^/api(?=/)' is not valid"},
		{"unicode class", []elbtypes.RuleTransform{hostRewrite(`^\p{L}+$`, "x")}, `The regular expression '^\p{L}+$' is not valid`},
	} {
		_, err := c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: lsARN, Priority: aws.Int32(1), Conditions: api, Actions: fixed, Transforms: tc.ts})
		wantErr(tc.what, err, tc.want)
	}

	r, err := c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: lsARN, Priority: aws.Int32(1), Conditions: api, Actions: fixed,
		Transforms: []elbtypes.RuleTransform{urlRewrite("^/api/(.*)$", "/$1"), hostRewrite("^(.+)\\.example\\.com$", "$1.internal")}})
	must(err)
	if got := r.Rules[0].Transforms; len(got) != 2 || got[0].Type != elbtypes.TransformTypeEnumUrlRewrite ||
		aws.ToString(got[0].UrlRewriteConfig.Rewrites[0].Replace) != "/$1" || got[1].Type != elbtypes.TransformTypeEnumHostHeaderRewrite ||
		aws.ToString(got[1].HostHeaderRewriteConfig.Rewrites[0].Regex) != "^(.+)\\.example\\.com$" {
		t.Fatalf("CreateRule answered transforms %+v", got)
	}
	ruleARN := r.Rules[0].RuleArn
	describe := func() []elbtypes.Rule {
		t.Helper()
		out, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: lsARN})
		must(err)
		return out.Rules
	}
	rules := describe()
	if len(rules) != 2 || len(rules[0].Transforms) != 2 || len(rules[1].Transforms) != 0 {
		t.Fatalf("DescribeRules: %d rules, transforms %+v / default %+v", len(rules), rules[0].Transforms, rules[1].Transforms)
	}

	// ModifyRule replaces the transforms; Transforms with ResetTransforms is refused.
	_, err = c.elb.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: ruleARN, Transforms: []elbtypes.RuleTransform{urlRewrite("^/api", "")}, ResetTransforms: aws.Bool(true)})
	wantErr("both", err, "You cannot specify both 'Transforms' and 'ResetTransforms'")
	_, err = c.elb.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: ruleARN, Transforms: []elbtypes.RuleTransform{hostRewrite("a", "b"), hostRewrite("c", "d")}})
	wantErr("modify two host rewrites", err, "A rule can have only one 'host-header-rewrite' transform")
	m, err := c.elb.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: ruleARN, Transforms: []elbtypes.RuleTransform{urlRewrite("^/api", "")}})
	must(err)
	if got := m.Rules[0].Transforms; len(got) != 1 || aws.ToString(got[0].UrlRewriteConfig.Rewrites[0].Regex) != "^/api" {
		t.Fatalf("ModifyRule answered transforms %+v", got)
	}
	// A ModifyRule without Transforms keeps them.
	_, err = c.elb.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: ruleARN, Actions: fixed})
	must(err)
	if got := describe()[0].Transforms; len(got) != 1 {
		t.Fatalf("ModifyRule without Transforms changed them: %+v", got)
	}
	_, err = c.elb.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: ruleARN, ResetTransforms: aws.Bool(true)})
	must(err)
	if got := describe()[0].Transforms; len(got) != 0 {
		t.Fatalf("ResetTransforms left %+v", got)
	}

	// The default rule takes no transform.
	def := describe()[1].RuleArn
	_, err = c.elb.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: def, Transforms: []elbtypes.RuleTransform{urlRewrite("^/", "/")}})
	wantErr("default rule", err, "Transforms cannot be added to a default rule")
}
