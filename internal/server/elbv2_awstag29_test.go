package server_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// ELBv2 refuses a tag key in AWS's reserved aws: namespace, naming it:
// ValidationError "Tag key 'aws:cloudformation:stack-name' cannot start with
// 'aws:'" (aws/elastic-load-balancing-tools#6: a copy of an Elastic
// Beanstalk load balancer's tags), on create and with AddTags.
func TestELBv2ReservedTagKeyNamed(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	ctx := context.Background()
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	reserved := []elbtypes.Tag{{Key: aws.String("aws:cloudformation:stack-name"), Value: aws.String("web")}}
	_, err = c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
		VpcId: vpc.Vpc.VpcId, Tags: reserved})
	wantAPIError(t, err, "ValidationError", "Tag key 'aws:cloudformation:stack-name' cannot start with 'aws:'")
	tg, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
		VpcId: vpc.Vpc.VpcId})
	must(t, err)
	_, err = c.elb.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: []string{aws.ToString(tg.TargetGroups[0].TargetGroupArn)},
		Tags: []elbtypes.Tag{{Key: aws.String("AWS:owner"), Value: aws.String("me")}}})
	wantAPIError(t, err, "ValidationError", "Tag key 'AWS:owner' cannot start with 'aws:'")
}
