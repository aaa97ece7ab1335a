package server_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// changeDetailsTemplate: a VPC whose CIDR is a parameter, a subnet whose
// CIDR and tag are literal, a security group (its description is
// create-only, its rules update in place) and an unmodelled SNS topic.
func changeDetailsTemplate(subnetCidr, tag, description, port, topic string) string {
	return `
Parameters:
  VpcCidr: {Type: String, Default: 10.61.0.0/16}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: !Ref VpcCidr}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: ` + subnetCidr + `
      Tags: [{Key: team, Value: ` + tag + `}]
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ` + description + `
      VpcId: !Ref Vpc
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: ` + port + `, ToPort: ` + port + `, CidrIp: 10.0.0.0/8}]
  Topic:
    Type: AWS::SNS::Topic
    Properties: {TopicName: ` + topic + `}
`
}

// changeSetResources returns a change set's resource changes by logical id.
func changeSetResources(t *testing.T, cf *cloudformation.Client, stack, name string, values bool) map[string]cfntypes.ResourceChange {
	t.Helper()
	cs, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{StackName: aws.String(stack), ChangeSetName: aws.String(name),
		IncludePropertyValues: aws.Bool(values)})
	must(t, err)
	out := map[string]cfntypes.ResourceChange{}
	for _, ch := range cs.Changes {
		out[aws.ToString(ch.ResourceChange.LogicalResourceId)] = *ch.ResourceChange
	}
	return out
}

// detailsOf renders a change's details: attribute/name/recreation/evaluation/source/cause.
func detailsOf(rc cfntypes.ResourceChange) []string {
	var out []string
	for _, d := range rc.Details {
		out = append(out, strings.Join([]string{string(d.Target.Attribute), aws.ToString(d.Target.Name), string(d.Target.RequiresRecreation),
			string(d.Evaluation), string(d.ChangeSource), aws.ToString(d.CausingEntity)}, "/"))
	}
	return out
}

func scopeOf(rc cfntypes.ResourceChange) []string {
	var out []string
	for _, s := range rc.Scope {
		out = append(out, string(s))
	}
	return out
}

// TestCloudFormationChangeSetDetails36: a Modify says what changes,
// property by property, as CloudFormation's DescribeChangeSet does
// (LocalStack's AWS-validated recordings of test_changesets.py).
func TestCloudFormationChangeSetDetails36(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("details"),
		TemplateBody: aws.String(changeDetailsTemplate("10.61.1.0/24", "a", "web", "80", "topic-1"))})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)

	type want struct {
		replacement string
		scope       []string
		details     []string
	}
	for _, tc := range []struct {
		name, template string
		params         []cfntypes.Parameter
		want           map[string]want
	}{{
		name:     "createonly",
		template: changeDetailsTemplate("10.61.1.0/24", "a", "web2", "80", "topic-1"),
		want: map[string]want{"Sg": {"True", []string{"Properties"},
			[]string{"Properties/GroupDescription/Always/Static/DirectModification/"}}},
	}, {
		name:     "inplace",
		template: changeDetailsTemplate("10.61.1.0/24", "a", "web", "443", "topic-1"),
		want: map[string]want{"Sg": {"False", []string{"Properties"},
			[]string{"Properties/SecurityGroupIngress/Never/Static/DirectModification/"}}},
	}, {
		name:     "tags",
		template: changeDetailsTemplate("10.61.1.0/24", "b", "web", "80", "topic-1"),
		want:     map[string]want{"Subnet": {"False", []string{"Tags"}, []string{"Tags//Never/Static/DirectModification/"}}},
	}, {
		name:     "unmodelled",
		template: changeDetailsTemplate("10.61.1.0/24", "a", "web", "80", "topic-2"),
		want: map[string]want{"Topic": {"Conditional", []string{"Properties"},
			[]string{"Properties/TopicName/Conditionally/Static/DirectModification/"}}},
	}, {
		// A new VPC CIDR: the VPC is replaced through its parameter, and
		// the subnet through its reference to the VPC.
		name:     "parameter",
		template: changeDetailsTemplate("10.62.1.0/24", "a", "web", "80", "topic-1"),
		params:   []cfntypes.Parameter{{ParameterKey: aws.String("VpcCidr"), ParameterValue: aws.String("10.62.0.0/16")}},
		want: map[string]want{
			"Vpc": {"True", []string{"Properties"}, []string{
				"Properties/CidrBlock/Always/Dynamic/DirectModification/",
				"Properties/CidrBlock/Always/Static/ParameterReference/VpcCidr"}},
			"Subnet": {"True", []string{"Properties"}, []string{
				"Properties/CidrBlock/Always/Static/DirectModification/",
				"Properties/VpcId/Always/Dynamic/ResourceReference/Vpc"}},
			"Sg": {"True", []string{"Properties"}, []string{"Properties/VpcId/Always/Dynamic/ResourceReference/Vpc"}},
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("details"), ChangeSetName: aws.String(tc.name),
				TemplateBody: aws.String(tc.template), Parameters: tc.params})
			must(t, err)
			got := changeSetResources(t, cf, "details", tc.name, false)
			if len(got) != len(tc.want) {
				t.Fatalf("changes %v, want %v", got, tc.want)
			}
			for id, w := range tc.want {
				rc, ok := got[id]
				if !ok {
					t.Fatalf("no change of %s in %v", id, got)
				}
				if string(rc.Replacement) != w.replacement || !slices.Equal(scopeOf(rc), w.scope) || !slices.Equal(detailsOf(rc), w.details) {
					t.Errorf("%s: Replacement %s Scope %q Details %q, want %s %q %q", id, rc.Replacement, scopeOf(rc), detailsOf(rc), w.replacement, w.scope, w.details)
				}
			}
		})
	}

	// IncludePropertyValues: the values before and after, and the
	// resource's properties.
	rc := changeSetResources(t, cf, "details", "createonly", true)["Sg"]
	if len(rc.Details) != 1 {
		t.Fatalf("details %q", detailsOf(rc))
	}
	tg := rc.Details[0].Target
	if aws.ToString(tg.BeforeValue) != "web" || aws.ToString(tg.AfterValue) != "web2" || aws.ToString(tg.Path) != "/Properties/GroupDescription" ||
		tg.AttributeChangeType != cfntypes.AttributeChangeTypeModify {
		t.Errorf("values: before %q after %q path %q change %q", aws.ToString(tg.BeforeValue), aws.ToString(tg.AfterValue), aws.ToString(tg.Path), tg.AttributeChangeType)
	}
	if !strings.Contains(aws.ToString(rc.BeforeContext), `"web"`) || !strings.Contains(aws.ToString(rc.AfterContext), `"web2"`) {
		t.Errorf("contexts %q %q", aws.ToString(rc.BeforeContext), aws.ToString(rc.AfterContext))
	}
	// Without it, no values.
	rc = changeSetResources(t, cf, "details", "createonly", false)["Sg"]
	if rc.Details[0].Target.BeforeValue != nil || rc.BeforeContext != nil {
		t.Errorf("values without IncludePropertyValues")
	}
}
