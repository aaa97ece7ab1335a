package server_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// TestRound32CertificateOfTheStack: an AWS::CertificateManager::Certificate
// is requested from ACM, so the HTTPS listener that names it (by Ref in the
// same stack, as katsuhiko/aws-cfn-ecs's load balancer stack names its
// certificate stack's export) finds it and the stack completes; deleting
// the stack deletes the certificate, after which ELB refuses it
// (CertificateNotFound). Before round thirty-two the certificate was a
// placeholder ACM did not hold, and the listener failed "Certificate '…'
// not found".
func TestRound32CertificateOfTheStack(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body, err := os.ReadFile("../cfn/testdata/cfn32/certificate-listener.yaml")
	must(t, err)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("edge"), TemplateBody: aws.String(string(body))})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	cert := stackOutputs(t, cf, "edge")["CertificateArn"]
	if !strings.HasPrefix(cert, "arn:aws:acm:us-east-1:123456789012:certificate/") {
		t.Fatalf("Ref of the certificate %q, want an ACM certificate ARN", cert)
	}
	ids := stackPhysicalIDs(t, cf, "edge")
	if ids["SiteCert"] != cert {
		t.Errorf("the certificate's physical id %q, want its ARN %q", ids["SiteCert"], cert)
	}
	ls, err := c.elb.DescribeListeners(ctx, &elasticloadbalancingv2.DescribeListenersInput{ListenerArns: []string{ids["Https"]}})
	must(t, err)
	if len(ls.Listeners) != 1 || len(ls.Listeners[0].Certificates) != 1 || aws.ToString(ls.Listeners[0].Certificates[0].CertificateArn) != cert {
		t.Errorf("the listener's certificates %+v, want %s", ls.Listeners, cert)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	// the certificate went with the stack: ELB no longer finds it
	lb, err := c.elb.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("after"),
		Scheme: elbtypes.LoadBalancerSchemeEnumInternal, Subnets: round32Subnets(t, c)})
	must(t, err)
	_, err = c.elb.CreateListener(ctx, &elasticloadbalancingv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn,
		Port: aws.Int32(443), Protocol: elbtypes.ProtocolEnumHttps, Certificates: []elbtypes.Certificate{{CertificateArn: aws.String(cert)}},
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse, FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("404")}}}})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "CertificateNotFound" {
		t.Errorf("a listener on the deleted stack's certificate: %v, want CertificateNotFound", err)
	}
}

// round32Subnets makes a VPC with two subnets in two zones, for an
// internal load balancer outside any stack.
func round32Subnets(t *testing.T, c clients) []string {
	t.Helper()
	v, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	must(t, err)
	var out []string
	for i, zone := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, AvailabilityZone: aws.String(zone),
			CidrBlock: aws.String(fmt.Sprintf("10.9.%d.0/24", i))})
		must(t, err)
		out = append(out, aws.ToString(s.Subnet.SubnetId))
	}
	return out
}
