package server_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// TestDeleteLoadBalancerDeletionProtection: "You can't delete a load
// balancer if deletion protection is enabled" (DeleteLoadBalancer):
// OperationNotPermitted "Load balancer '<arn>' cannot be deleted because
// deletion protection is enabled", and the load balancer stays; once the
// attribute is off, the delete succeeds. ecsnet deleted it (round
// twenty-four's terraform destroy of a configuration with
// enable_deletion_protection = true completed, where AWS refuses it).
func TestDeleteLoadBalancerDeletionProtection(t *testing.T) {
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
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("protected"), Subnets: subnets, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	if err != nil {
		t.Fatal(err)
	}
	arn := lb.LoadBalancers[0].LoadBalancerArn
	set := func(v string) {
		t.Helper()
		if _, err := c.elb.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: arn,
			Attributes: []elbtypes.LoadBalancerAttribute{{Key: aws.String("deletion_protection.enabled"), Value: aws.String(v)}}}); err != nil {
			t.Fatal(err)
		}
	}
	set("true")
	_, err = c.elb.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: arn})
	var ae smithy.APIError
	want := "Load balancer '" + aws.ToString(arn) + "' cannot be deleted because deletion protection is enabled"
	if !errors.As(err, &ae) || ae.ErrorCode() != "OperationNotPermitted" || ae.ErrorMessage() != want {
		t.Fatalf("delete with deletion protection: %v, want OperationNotPermitted %q", err, want)
	}
	if out, err := c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{aws.ToString(arn)}}); err != nil || len(out.LoadBalancers) != 1 {
		t.Fatalf("after the refused delete: %v %v", out, err)
	}
	set("false")
	if _, err := c.elb.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: arn}); err != nil {
		t.Fatalf("delete without deletion protection: %v", err)
	}
}
