package server_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// flowLogStack is a VPC with an S3 flow log to destination.
func flowLogStack(destination string) string {
	return `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Flows:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !Ref Vpc
      ResourceType: VPC
      TrafficType: ALL
      LogDestinationType: s3
      LogDestination: ` + destination + `
`
}

// TestCloudFormationFlowLogMissingBucket: on `ecsnet serve`, a stack
// whose AWS::EC2::FlowLog delivers to an S3 bucket that does not exist
// fails that resource with EC2's unsuccessful item ("LogDestination:
// BUCKET does not exist") and rolls back, as CloudFormation does: the
// flow log handler's own failure, the message alone with HandlerErrorCode
// GeneralServiceException (no "Service: Ec2" SDK exception text); the
// same template succeeds once the bucket exists (made through S3, outside
// the stack), and so does one whose template makes the bucket.
func TestCloudFormationFlowLogMissingBucket(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	ec := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	create := func(name, body string) string {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(body)})
		must(t, err)
		return aws.ToString(out.StackId)
	}
	flowLogs := func() int {
		out, err := ec.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{})
		must(t, err)
		return len(out.FlowLogs)
	}

	id := create("missing", flowLogStack("arn:aws:s3:::flow25-outside/logs/"))
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	r := failedEvent(t, cf, id, "Flows")
	if !regexp.MustCompile(`^Resource handler returned message: "LogDestination: flow25-outside does not exist" \(RequestToken: [0-9a-f-]+, HandlerErrorCode: GeneralServiceException\)$`).MatchString(r) {
		t.Errorf("Flows CREATE_FAILED reason %q, want EC2's unsuccessful item", r)
	}
	if n := flowLogs(); n != 0 {
		t.Errorf("%d flow logs after the rollback, want 0", n)
	}

	s3c := s3Client(em.URL, "us-east-1", true)
	_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("flow25-outside")})
	must(t, err)
	id = create("outside", flowLogStack("arn:aws:s3:::flow25-outside/logs/"))
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)

	own := strings.Replace(flowLogStack("!GetAtt Bucket.Arn"), "Resources:\n", "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: flow25-own}\n", 1)
	id = create("own", own)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	if n := flowLogs(); n != 2 {
		t.Errorf("%d flow logs, want 2", n)
	}
}
