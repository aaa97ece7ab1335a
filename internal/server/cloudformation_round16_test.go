package server_test

import (
	"os"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// TestCloudFormationSweepRound16ServiceConnectNamespaceDeletes: the CDK's
// cluster-existing-namespace integration test (a private DNS namespace in
// the stack, the cluster's Service Connect default by its ARN, a Fargate
// service with Service Connect in it) deletes: once the ECS service is
// INACTIVE, the Cloud Map service ECS made for its endpoint is gone, and
// the namespace after it. Before, the stack ended DELETE_FAILED,
// "Namespace has associated services".
func TestCloudFormationSweepRound16ServiceConnectNamespaceDeletes(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	cfg := sdkConfig()
	sm := ssm.NewFromConfig(cfg, func(o *ssm.Options) { o.BaseEndpoint = aws.String(em.URL) })
	sd := servicediscovery.NewFromConfig(cfg, func(o *servicediscovery.Options) { o.BaseEndpoint = aws.String(em.URL) })
	_, err := sm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/cdk-bootstrap/hnb659fds/version"), Value: aws.String("21"),
		Type: ssmtypes.ParameterTypeString})
	must(t, err)
	body, err := os.ReadFile("../cfn/testdata/sweep16/t4-existing-namespace.json")
	must(t, err)
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("existns"), TemplateBody: aws.String(string(body)),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	waitStack(t, cf, "existns", cfntypes.StackStatusCreateComplete)
	services := func() int {
		out, err := sd.ListServices(ctx, &servicediscovery.ListServicesInput{})
		must(t, err)
		return len(out.Services)
	}
	if n := services(); n != 1 {
		t.Fatalf("%d Cloud Map services after the create, want the one ECS made for the endpoint", n)
	}
	d, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("existns")})
	must(t, err)
	id := aws.ToString(d.Stacks[0].StackId)
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	if events := stackEventsOf(t, cf, id); !slices.Contains(events, "ExistingNamespaceE824D60B DELETE_COMPLETE ") {
		t.Errorf("events = %q, want the namespace deleted", events)
	}
	if n := services(); n != 0 {
		t.Errorf("%d Cloud Map services after the delete, want none", n)
	}
}
