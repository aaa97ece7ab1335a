package server_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// TestCloudFormationChangeSetNotFound: a change set that is not there is
// the wire code ChangeSetNotFound with HTTP 404, which the SDK turns into
// its ChangeSetNotFoundException; an executed CREATE change set leaves
// the stack its ChangeSetId and a LastUpdatedTime, and the deleted stack
// neither a change set nor termination protection.
func TestCloudFormationChangeSetNotFound(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	arn := "arn:aws:cloudformation:us-east-1:123456789012:changeSet/gone/d065e78c"
	_, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(arn)})
	var nf *cfntypes.ChangeSetNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("DescribeChangeSet of a missing change set: %v, want ChangeSetNotFoundException", err)
	}
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != 404 {
		t.Errorf("HTTP status: %v, want 404", err)
	}
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() != "ChangeSetNotFound" {
		t.Errorf("code %q, want ChangeSetNotFound", ae.ErrorCode())
	}
	_, err = cf.GetTemplate(ctx, &cloudformation.GetTemplateInput{ChangeSetName: aws.String(arn)})
	if !errors.As(err, &nf) {
		t.Errorf("GetTemplate of a missing change set: %v, want ChangeSetNotFoundException", err)
	}

	cs, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("viacs"), ChangeSetName: aws.String("one"),
		ChangeSetType: cfntypes.ChangeSetTypeCreate, TemplateBody: aws.String("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.60.0.0/16}\n")})
	must(t, err)
	_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id})
	must(t, err)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: cs.StackId})
	must(t, err)
	s := ds.Stacks[0]
	if s.StackStatus != cfntypes.StackStatusCreateComplete || aws.ToString(s.ChangeSetId) != aws.ToString(cs.Id) || s.LastUpdatedTime == nil || s.RollbackConfiguration == nil {
		t.Errorf("after ExecuteChangeSet: %s, ChangeSetId %v, LastUpdatedTime %v, RollbackConfiguration %v", s.StackStatus, aws.ToString(s.ChangeSetId), s.LastUpdatedTime, s.RollbackConfiguration)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("viacs")})
	must(t, err)
	ds, err = cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: cs.StackId})
	must(t, err)
	s = ds.Stacks[0]
	if s.StackStatus != cfntypes.StackStatusDeleteComplete || s.ChangeSetId != nil || s.EnableTerminationProtection != nil || s.DeletionTime == nil {
		t.Errorf("deleted: %s, ChangeSetId %v, EnableTerminationProtection %v, DeletionTime %v", s.StackStatus, s.ChangeSetId, s.EnableTerminationProtection, s.DeletionTime)
	}
}
