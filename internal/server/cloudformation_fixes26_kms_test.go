package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// TestCloudFormationFixes26KMSKeyTags: an AWS::KMS::Key's Tags go through
// the checks KMS's CreateKey makes: the schema's lengths (a 129-character
// key) fail the properties' validation, and what KMS refuses (duplicate
// keys, the aws: prefix, more than 50 tags) fails the resource in KMS's
// words; before, all four keys were created.
func TestCloudFormationFixes26KMSKeyTags(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	many := ""
	for i := range 51 {
		many += "        - {Key: k" + string(rune('a'+i/26)) + string(rune('a'+i%26)) + ", Value: v}\n"
	}
	for _, c := range []struct{ name, tags, want string }{
		{"long", "        - {Key: " + strings.Repeat("k", 129) + ", Value: v}\n",
			"Properties validation failed for resource Key with message: #/Tags/0/Key: expected maxLength: 128, actual: 129"},
		{"dup", "        - {Key: Team, Value: a}\n        - {Key: Team, Value: b}\n", "Duplicate tag keys"},
		{"reserved", "        - {Key: AWS:owner, Value: a}\n", "Tags beginning with aws: are reserved"},
		{"many", many, "Too many tags"},
	} {
		tpl := "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      Tags:\n" + c.tags
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("kms-" + c.name), TemplateBody: aws.String(tpl)})
		must(t, err)
		id := aws.ToString(out.StackId)
		waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
		if reason := failedEvent(t, cf, id, "Key"); !strings.Contains(reason, c.want) {
			t.Errorf("%s: Key failed with %q, want %q", c.name, reason, c.want)
		}
	}
	tpl := "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      Tags:\n        - {Key: Team, Value: a}\n        - {Key: team, Value: b}\n"
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("kms-ok"), TemplateBody: aws.String(tpl)})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
}
