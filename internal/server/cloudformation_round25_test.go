package server_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	clb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

// createRound25 creates a stack of a sweep25 template with KeyName=k1.
func createRound25(t *testing.T, cf *cloudformation.Client, name, file string) string {
	t.Helper()
	body, err := os.ReadFile("../cfn/testdata/sweep25/" + file)
	must(t, err)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(string(body)),
		Parameters:   []cfntypes.Parameter{{ParameterKey: aws.String("KeyName"), ParameterValue: aws.String("k1")}},
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	return aws.ToString(out.StackId)
}

// TestCloudFormationRound25CfnInitAndShebang deploys two of
// aws-cloudformation-templates' Classic Load Balancer samples. The access
// logs one installs, writes and starts Apache httpd through cfn-init: the
// stack is created and both instances are InService (before round
// twenty-five: OutOfService, nothing listened). The rolling upgrade one
// joins its user data without newlines, so the #! line swallows the
// script and no cfn-signal is sent: WebServerGroup fails, "Received 0
// SUCCESS signal(s) out of 2. Unable to satisfy 100%
// MinSuccessfulInstancesPercent requirement", and the stack rolls back
// (before: created).
func TestCloudFormationRound25CfnInitAndShebang(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	ec := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	_, err := ec.CreateDefaultVpc(ctx, &ec2.CreateDefaultVpcInput{}) // the samples run in the default VPC
	must(t, err)
	_, err = ec.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("k1")})
	must(t, err)

	id := createRound25(t, cf, "elb-access-logs", "elb-access-logs.yaml")
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	elb := classicClient(em.URL)
	lbs, err := elb.DescribeLoadBalancers(ctx, &clb.DescribeLoadBalancersInput{})
	must(t, err)
	if len(lbs.LoadBalancerDescriptions) != 1 {
		t.Fatalf("%d load balancers, want 1", len(lbs.LoadBalancerDescriptions))
	}
	var states []string
	eventually(t, "both instances InService (httpd from cfn-init answers 200 on /)", func() bool {
		health, err := elb.DescribeInstanceHealth(ctx, &clb.DescribeInstanceHealthInput{LoadBalancerName: lbs.LoadBalancerDescriptions[0].LoadBalancerName})
		must(t, err)
		states = states[:0]
		for _, s := range health.InstanceStates {
			states = append(states, aws.ToString(s.State))
		}
		return strings.Join(states, ",") == "InService,InService"
	})

	id = createRound25(t, cf, "elb-rolling", "elb-rolling.yaml")
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason, want := failedEvent(t, cf, id, "WebServerGroup"), "Received 0 SUCCESS signal(s) out of 2. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement"; reason != want {
		t.Errorf("WebServerGroup's reason %q, want %q", reason, want)
	}
}
