package server_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// DescribeRules of a listener comes in pages (PageSize, Marker, NextMarker)
// in priority order with the default rule last; rule ARNs and a listener
// ARN together are refused.
func TestDescribeRulesPages(t *testing.T) {
	c, lsARN, fixed := ruleListener(t, "pages")
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// Priorities created out of order, one of them past 9 digits' sort
	// trap (9 before 10 as numbers, not as text).
	for _, p := range []int32{500, 9, 10, 100} {
		_, err := c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: lsARN, Priority: aws.Int32(p), Actions: fixed,
			Conditions: []elbtypes.RuleCondition{{Field: aws.String("path-pattern"), PathPatternConfig: &elbtypes.PathPatternConditionConfig{Values: []string{fmt.Sprintf("/p%d", p)}}}}})
		must(err)
	}
	var got []string
	var marker *string
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("DescribeRules never ends")
		}
		out, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: lsARN, PageSize: aws.Int32(2), Marker: marker})
		must(err)
		if len(out.Rules) > 2 {
			t.Fatalf("page of %d rules, PageSize 2", len(out.Rules))
		}
		for _, r := range out.Rules {
			got = append(got, aws.ToString(r.Priority))
		}
		if out.NextMarker == nil {
			break
		}
		marker = out.NextMarker
	}
	if want := fmt.Sprint([]string{"9", "10", "100", "500", "default"}); fmt.Sprint(got) != want {
		t.Errorf("rules over pages: %v, want %v", got, want)
	}
	all, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: lsARN})
	must(err)
	if len(all.Rules) != 5 || all.NextMarker != nil {
		t.Errorf("without PageSize: %d rules, NextMarker %v", len(all.Rules), all.NextMarker)
	}
	_, err = c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: lsARN, RuleArns: []string{aws.ToString(all.Rules[0].RuleArn)}})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" {
		t.Errorf("rule ARNs and a listener ARN: got %v, want ValidationError", err)
	}
}
