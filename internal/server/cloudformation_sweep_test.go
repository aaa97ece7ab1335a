package server_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// TestCloudFormationSweepFixes: what the sweep of public templates found,
// through the Go SDK. A key pair parameter must name an existing key pair
// (ValidationError before anything is created); a launch template's
// TagSpecifications name the Auto Scaling group's instances, of the
// previous-generation type c3.large; a group may admit CloudFront's
// AWS-managed origin-facing prefix list.
func TestCloudFormationSweepFixes(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	ec := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	read := func(name string) *string {
		b, err := os.ReadFile("../cfn/testdata/sweep/" + name)
		must(t, err)
		return aws.String(string(b))
	}

	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("keys"), TemplateBody: read("key-pair.yaml")})
	if err == nil || !strings.Contains(err.Error(), "ValidationError") ||
		!strings.Contains(err.Error(), "Parameter validation failed: parameter value ops-key for parameter name KeyName does not exist") {
		t.Errorf("CreateStack with a missing key pair: %v, want ValidationError naming ops-key", err)
	}
	_, err = ec.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("ops-key")})
	must(t, err)
	created, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("keys"), TemplateBody: read("key-pair.yaml")})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusCreateComplete)

	created, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("hosts"), TemplateBody: read("launch-template-tags.yaml")})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusCreateComplete)
	var insts []string
	for range 100 {
		di, err := ec.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
		must(t, err)
		insts = nil
		for _, r := range di.Reservations {
			for _, in := range r.Instances {
				tags := map[string]string{}
				for _, tg := range in.Tags {
					tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
				}
				insts = append(insts, string(in.InstanceType)+" "+tags["Name"]+" "+tags["Team"])
			}
		}
		if len(insts) > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(insts) != 1 || insts[0] != "c3.large ecs-host web" {
		t.Errorf("instances = %q, want one c3.large named ecs-host of team web", insts)
	}
	sgs, err := ec.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{})
	must(t, err)
	found := false
	for _, g := range sgs.SecurityGroups {
		for _, p := range g.IpPermissions {
			for _, pl := range p.PrefixListIds {
				found = found || aws.ToString(pl.PrefixListId) == "pl-3b927c52"
			}
		}
	}
	if !found {
		t.Errorf("no group rule admits pl-3b927c52 (CloudFront's origin-facing list)")
	}

	// AWS::LanguageExtensions: Fn::ForEach over a parameter's values.
	_, err = cf.ValidateTemplate(ctx, &cloudformation.ValidateTemplateInput{TemplateBody: read("language-extensions.yaml")})
	must(t, err)
	created, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("tiers"), TemplateBody: read("language-extensions.yaml"),
		Parameters:   []cfntypes.Parameter{{ParameterKey: aws.String("Tiers"), ParameterValue: aws.String("a,b,c")}},
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityAutoExpand}})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusCreateComplete)
	outs := stackOutputs(t, cf, "tiers")
	if outs["TierCount"] != "3" || !strings.HasPrefix(outs["SubnetcId"], "subnet-") {
		t.Errorf("outputs = %v, want TierCount 3 and SubnetcId", outs)
	}
	subs, err := ec.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{outs["SubnetaId"], outs["SubnetbId"], outs["SubnetcId"]}})
	must(t, err)
	if len(subs.Subnets) != 3 {
		t.Errorf("%d subnets, want the loop's 3", len(subs.Subnets))
	}
}
