package server_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// TestCloudFormationRound27ServiceMonitoring: a stack whose Fargate
// service has Monitoring (ECS's high-resolution service metrics, as the
// CDK's service-monitoring integration test writes it) is created; before
// round twenty-seven the endpoint's validation refused it ("#: extraneous
// key [Monitoring] is not permitted") and rolled the stack back. A
// ResolutionSeconds the schema does not allow fails the service and the
// stack rolls back.
func TestCloudFormationRound27ServiceMonitoring(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	body, err := os.ReadFile("../cfn/testdata/sweep27/service-monitoring.yaml")
	must(t, err)
	create := func(name, text string) string {
		out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(text)})
		must(t, err)
		return aws.ToString(out.StackId)
	}
	waitStack(t, cf, create("metrics", string(body)), cfntypes.StackStatusCreateComplete)

	bad := strings.Replace(string(body), "ResolutionSeconds: 20", "ResolutionSeconds: 10", 1)
	id := create("metrics-bad", bad)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason, want := failedEvent(t, cf, id, "Service"),
		"Properties validation failed for resource Service with message: #/Monitoring/MetricConfigurations/0/ResolutionSeconds: 10 is not a valid enum value (20, 60)"; reason != want {
		t.Errorf("service's reason %q, want %q", reason, want)
	}
}
