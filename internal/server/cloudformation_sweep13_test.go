package server_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// TestCloudFormationSweepRound13: fixes of the thirteenth sweep, through
// the SDK. A SAM template (its Globals section) is accepted at
// CreateStack; an Inferentia host (inf2.xlarge on the ECS inf AMI's
// public parameter) launches and registers with its cluster; an ECR
// repository without a name gets a lowercase generated name. A SAM
// application whose Location is a local path fails as a nested stack
// whose template is not on S3.
func TestCloudFormationSweepRound13(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)

	d := createSweepStack(t, cf, "inferentia", "inferentia.yaml")
	eventually(t, "the Inferentia host's registration", func() bool {
		l, err := c.ecs.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("inferentia")})
		must(t, err)
		return len(l.ContainerInstanceArns) == 1
	})
	out, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{
		{Name: aws.String("instance-state-name"), Values: []string{"running"}}}})
	must(t, err)
	if len(out.Reservations) != 1 || out.Reservations[0].Instances[0].InstanceType != "inf2.xlarge" {
		t.Errorf("reservations = %+v, want one inf2.xlarge", out.Reservations)
	}
	name := stackOutput(d, "RepoName")
	if !regexp.MustCompile(`^inferentia-repo-[a-z0-9]+$`).MatchString(name) {
		t.Errorf("Ref of the ECR repository = %q, want a lowercase generated name", name)
	}

	body := "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function: {Timeout: 3}\nResources:\n" +
		"  Net:\n    Type: AWS::Serverless::Application\n    Properties:\n      Location: ./vpc.yml\n"
	// CreateStack of a template with a transform needs CAPABILITY_AUTO_EXPAND.
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("sam"), TemplateBody: aws.String(body)})
	if err == nil || !strings.Contains(err.Error(), "InsufficientCapabilitiesException: Requires capabilities : [CAPABILITY_AUTO_EXPAND]") {
		t.Fatalf("CreateStack of a SAM template without CAPABILITY_AUTO_EXPAND: %v", err)
	}
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("sam"), TemplateBody: aws.String(body),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityAutoExpand}})
	must(t, err)
	eventually(t, "the SAM stack's rollback", func() bool {
		d, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("sam")})
		must(t, err)
		return d.Stacks[0].StackStatus == "ROLLBACK_COMPLETE"
	})
	ev := strings.Join(stackEventsOf(t, cf, "sam"), "\n")
	if !strings.Contains(ev, "Net CREATE_FAILED TemplateURL must be a supported URL.") {
		t.Errorf("events = %s, want the nested stack Net failed on its template ./vpc.yml: TemplateURL must be a supported URL.", ev)
	}
}
