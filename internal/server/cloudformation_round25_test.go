package server_test

import (
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	clb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/s3"
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
	em, clk := newClockedEmulator(t)
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
	clk.Advance(15 * time.Minute) // the CreationPolicy's Timeout
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason, want := failedEvent(t, cf, id, "WebServerGroup"), "Received 0 SUCCESS signal(s) out of 2. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement"; reason != want {
		t.Errorf("WebServerGroup's reason %q, want %q", reason, want)
	}
}

// TestCloudFormationRound25ScalingTemplates deploys container-patterns'
// two scaling templates, which name a service another stack created
// (default/nginx). Without the service, CloudFormation fails the
// scalable target as Application Auto Scaling refuses it (before round
// twenty-five: skipped, and the stack created). With it, the target
// tracking template registers the target, whose MinCapacity 2 raises the
// service's desired count from 1, and its policy.
func TestCloudFormationRound25ScalingTemplates(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	create := func(name, file string) string {
		t.Helper()
		body, err := os.ReadFile("../cfn/testdata/sweep25/" + file)
		must(t, err)
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(string(body)),
			Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
		must(t, err)
		return aws.ToString(out.StackId)
	}
	id := create("scale-by-cpu", "scale-by-cpu.yml")
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason := failedEvent(t, cf, id, "ScalableTarget"); !strings.Contains(reason, "ECS service doesn't exist: service/default/nginx") {
		t.Errorf("ScalableTarget's reason %q, want ECS service doesn't exist", reason)
	}

	ecsc := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) })
	_, err := ecsc.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("default")})
	must(t, err)
	_, err = ecsc.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("nginx"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("nginx"), Image: aws.String("nginx"), Memory: aws.Int32(64)}}})
	must(t, err)
	_, err = ecsc.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("default"), ServiceName: aws.String("nginx"),
		TaskDefinition: aws.String("nginx"), DesiredCount: aws.Int32(1)})
	must(t, err)
	id = create("target-tracking", "target-tracking.yml")
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	pol, err := aasClient(em.URL).DescribeScalingPolicies(ctx, &aas.DescribeScalingPoliciesInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	must(t, err)
	if len(pol.ScalingPolicies) != 1 || aws.ToString(pol.ScalingPolicies[0].PolicyName) != "scale-default-nginx" {
		t.Errorf("scaling policies %+v, want scale-default-nginx", pol.ScalingPolicies)
	}
	svc, err := ecsc.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("default"), Services: []string{"nginx"}})
	must(t, err)
	if len(svc.Services) != 1 || svc.Services[0].DesiredCount != 2 {
		t.Errorf("services %+v, want nginx at desired count 2 (the target's MinCapacity)", svc.Services)
	}
}

// TestCloudFormationRound25NestedFromS3: container-patterns' sam-fargate
// deploys its VPC as an AWS::Serverless::Application whose Location
// `aws cloudformation package` uploads to S3. CloudFormation reads the
// nested template from the account's S3: by an S3 URL (virtual-hosted or
// path style) or, as the CLI writes it when given the emulator's
// endpoint, on the emulator's address; a stack's own TemplateURL too.
// Before round twenty-five every TemplateURL failed ("ecsnet does not
// serve" S3). A key that does not exist fails as S3 answers.
func TestCloudFormationRound25NestedFromS3(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	vpc, err := os.ReadFile("../cfn/testdata/sweep25/sam/vpc.yml")
	must(t, err)
	tpl, err := os.ReadFile("../cfn/testdata/sweep25/sam/template.yml")
	must(t, err)
	s3c := s3Client(em.URL, "us-east-1", true)
	_, err = s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("pkg25")})
	must(t, err)
	_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("pkg25"), Key: aws.String("a16f.template"), Body: strings.NewReader(string(vpc))})
	must(t, err)
	u, err := url.Parse(em.URL)
	must(t, err)
	for i, loc := range []string{
		"https://pkg25.s3.us-east-1.amazonaws.com/a16f.template",
		"https://s3.amazonaws.com/pkg25/a16f.template",
		"http://" + u.Host + "/pkg25/a16f.template",
	} {
		body := strings.Replace(string(tpl), "Location: ./vpc.yml", "Location: "+loc, 1)
		name := "sam-fargate-" + strconv.Itoa(i)
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(body),
			Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityAutoExpand}})
		must(t, err)
		waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
		_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(name)})
		must(t, err)
		waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusDeleteComplete)
	}
	// The top-level template by TemplateURL too, as `aws cloudformation
	// deploy --s3-bucket` passes it.
	_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("pkg25"), Key: aws.String("vpc-top.template"), Body: strings.NewReader(string(vpc))})
	must(t, err)
	top, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("vpc-by-url"),
		TemplateURL: aws.String("http://" + u.Host + "/pkg25/vpc-top.template")})
	must(t, err)
	waitStack(t, cf, aws.ToString(top.StackId), cfntypes.StackStatusCreateComplete)
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("missing-by-url"),
		TemplateURL: aws.String("https://pkg25.s3.amazonaws.com/nope.template")})
	if err == nil || !strings.Contains(err.Error(), "S3 error: The specified key does not exist.") {
		t.Errorf("TemplateURL of a missing key: %v, want ValidationError S3 error: The specified key does not exist.", err)
	}

	body := strings.Replace(string(tpl), "Location: ./vpc.yml", "Location: https://pkg25.s3.amazonaws.com/missing.template", 1)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("sam-missing"), TemplateBody: aws.String(body),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityAutoExpand}})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason := failedEvent(t, cf, id, "VPC"); !strings.Contains(reason, "S3 error: The specified key does not exist.") {
		t.Errorf("VPC's reason %q, want S3's missing key", reason)
	}
}
