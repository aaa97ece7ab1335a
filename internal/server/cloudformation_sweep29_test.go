package server_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/smithy-go"
)

// TestCloudFormationRound29WebACLAssociation: an AWS::WAFv2::WebACLAssociation
// of the stack's own ALB is created (ecsnet models no web ACL: both are
// placeholders), and one whose ResourceArn names an ALB of the account that
// does not exist fails as AssociateWebACL refuses it,
// WAFNonexistentItemException "AWS WAF couldn’t perform the operation
// because your resource doesn’t exist." (the text
// kubernetes-sigs/aws-load-balancer-controller#2022 quotes), and the stack
// rolls back. Before round twenty-nine the second stack was created.
func TestCloudFormationRound29WebACLAssociation(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/sweep29/waf-alb.yaml")
	must(t, err)
	own, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("guarded"), TemplateBody: aws.String(string(body))})
	must(t, err)
	waitStack(t, cf, aws.ToString(own.StackId), cfntypes.StackStatusCreateComplete)

	gone := "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/gone/0123456789abcdef"
	other, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("elsewhere"), TemplateBody: aws.String(string(body)),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("ProtectedArn"), ParameterValue: aws.String(gone)}}})
	must(t, err)
	waitStack(t, cf, aws.ToString(other.StackId), cfntypes.StackStatusRollbackComplete)
	events, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: other.StackId})
	must(t, err)
	const want = "Resource handler returned message: \"AWS WAF couldn’t perform the operation because your resource doesn’t exist. (Service: Wafv2, Status Code: 400, Request ID: "
	found := false
	for _, e := range events.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "ShieldLink" && e.ResourceStatus == cfntypes.ResourceStatusCreateFailed {
			reason := aws.ToString(e.ResourceStatusReason)
			found = true
			if !strings.HasPrefix(reason, want) || !strings.HasSuffix(reason, "HandlerErrorCode: NotFound)") {
				t.Errorf("ShieldLink CREATE_FAILED %q, want %q… HandlerErrorCode: NotFound)", reason, want)
			}
		}
	}
	if !found {
		t.Error("no CREATE_FAILED event of ShieldLink")
	}
}

// TestRound29PrivateZoneOverCloudMapNamespace: a Cloud Map private DNS
// namespace is a private hosted zone of its VPC, so CreateHostedZone of the
// same name in that VPC is refused as for any private zone of that name
// (ConflictingDomainExists), while another VPC may have its own. widdix's
// vpc/zone-private.yaml, given the name of the AWS Proton fargate-env's
// namespace, was created by the emulator before round twenty-nine, while
// `ecsnet check --base` of the same endpoint refused it.
func TestRound29PrivateZoneOverCloudMapNamespace(t *testing.T) {
	em := newEmulator(t, nil)
	e := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	r := route53Client(em.URL)
	c := sdClient(em.URL)
	v1, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	v2, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
	must(t, err)
	cr, err := c.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("fargate-env.local"), Vpc: v1.Vpc.VpcId})
	must(t, err)
	waitOperation(t, c, cr.OperationId)
	zone := func(ref string, vpc *string) error {
		_, err := r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("fargate-env.local"), CallerReference: aws.String(ref),
			VPC: &r53types.VPC{VPCId: vpc, VPCRegion: r53types.VPCRegionUsEast1}})
		return err
	}
	err = zone("same-vpc", v1.Vpc.VpcId)
	var ae smithy.APIError
	// AWS's text since round thirty-one (cfn31_test.go), naming the
	// namespace's zone.
	want := "The VPC " + aws.ToString(v1.Vpc.VpcId) + " in region us-east-1 has already been associated with the hosted zone "
	if !errors.As(err, &ae) || ae.ErrorCode() != "ConflictingDomainExists" || !strings.HasPrefix(ae.ErrorMessage(), want) {
		t.Errorf("CreateHostedZone in the namespace's VPC: %v, want ConflictingDomainExists %q", err, want)
	}
	must(t, zone("other-vpc", v2.Vpc.VpcId))
}
