package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// Tagging a target group that does not exist names it: "Target groups
// '<arn>' not found" (AddTags, RemoveTags, DescribeTags). (AddTags tags one
// resource a request: TestELBTagOneResourceAtATime.)
func TestTagUnknownTargetGroup(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	ctx := context.Background()
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("known"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: vpc.Vpc.VpcId})
	if err != nil {
		t.Fatal(err)
	}
	known := aws.ToString(tg.TargetGroups[0].TargetGroupArn)
	gone := strings.Replace(known, "/known/", "/gone/", 1)
	want := "Target groups '" + gone + "' not found"
	check := func(op string, err error) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "TargetGroupNotFound" || ae.ErrorMessage() != want {
			t.Errorf("%s: got %v, want TargetGroupNotFound %q", op, err, want)
		}
	}
	_, err = c.elb.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: []string{gone}, Tags: []elbtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	check("AddTags", err)
	_, err = c.elb.RemoveTags(ctx, &elbv2.RemoveTagsInput{ResourceArns: []string{gone}, TagKeys: []string{"k"}})
	check("RemoveTags", err)
	_, err = c.elb.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{gone}})
	check("DescribeTags", err)
	out, err := c.elb.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{known}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(out.TagDescriptions[0].Tags); n != 0 {
		t.Fatalf("the known target group has %d tags", n)
	}
}
