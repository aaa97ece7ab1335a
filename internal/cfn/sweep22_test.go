package cfn_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

func sweep22(file string) string { return repoFile("internal/cfn/testdata/sweep22/" + file) }

// TestSweep22WaitCondition: a wait condition whose handle's URL goes to an
// instance's user data (cfn-signal) completes, its Ref the handle's path
// and Data an empty JSON object; Ref of the handle is the presigned S3 URL
// CloudFormation answers. With the instance left out (Signal=false)
// nothing can signal it: CloudFormation fails it when its Timeout runs
// out, and the analyzer says so. Before round twenty-two both completed,
// the handle's Ref a name ("stack-WaitHandle-…").
func TestSweep22WaitCondition(t *testing.T) {
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep22("waitcondition.yaml"), Name: "wait"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	url := res.Outputs["HandleURL"]
	m := regexp.MustCompile(`^https://cloudformation-waitcondition-us-east-1\.s3\.amazonaws\.com/(arn%3Aaws%3Acloudformation%3Aus-east-1%3A\d{12}%3Astack/wait/[0-9a-f-]{36}/[0-9a-f-]{36}/WaitHandle)\?X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-Signature=[0-9a-f]{64}$`).FindStringSubmatch(url)
	if m == nil {
		t.Fatalf("Ref WaitHandle = %q, want the presigned URL of the handle", url)
	}
	if want := strings.ReplaceAll(m[1], "%3A", ":"); res.Outputs["WaitId"] != want {
		t.Errorf("Ref WaitCondition = %q, want the handle's path %q", res.Outputs["WaitId"], want)
	}
	if res.Outputs["WaitData"] != "{}" {
		t.Errorf("GetAtt WaitCondition.Data = %q, want {}", res.Outputs["WaitData"])
	}

	_, err = cfn.LoadStacks([]cfn.StackInput{{Path: sweep22("waitcondition.yaml"), Name: "wait", Parameters: map[string]string{"Signal": "false"}}}, cfn.LoadOptions{})
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Resource != "WaitCondition" || ce.Msg != "WaitCondition timed out. Received 0 conditions when expecting 1" {
		t.Fatalf("Signal=false: err = %v, want WaitCondition's timeout", err)
	}
	if !strings.Contains(ce.Error(), "nothing in the stack can signal it") {
		t.Errorf("the analyzer's error %q does not say why", ce.Error())
	}
	if !regexp.MustCompile(`^arn:aws:cloudformation:us-east-1:\d{12}:stack/wait/[0-9a-f-]{36}/[0-9a-f-]{36}/WaitHandle$`).MatchString(ce.Initiated) {
		t.Errorf("the failed wait condition's physical id = %q, want its handle's path", ce.Initiated)
	}
}

// TestSweep22WaitConditionPolicy: a wait condition with a CreationPolicy
// completes when another resource writes its logical id (user data
// running cfn-signal --resource Ready), and fails with CloudFormation's
// text when none does. Before round twenty-two it completed either way.
func TestSweep22WaitConditionPolicy(t *testing.T) {
	if _, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep22("waitcondition-policy.yaml"), Name: "policy"}}, cfn.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep22("waitcondition-policy.yaml"), Name: "policy",
		Parameters: map[string]string{"Signal": "false"}}}, cfn.LoadOptions{})
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Resource != "Ready" || ce.Msg != "Failed to receive 2 resource signal(s) within the specified duration" {
		t.Fatalf("Signal=false: err = %v, want Ready's timeout", err)
	}
}

// TestSweep22TaskSetAwsVpcConfiguration: aws-samples/amazon-ecs-fargate-
// nlb-external-deployment-with-scaledown's support stack (a nested VPC
// stack on an S3 TemplateURL, read next to the template; an NLB; a service
// of the EXTERNAL controller; a task set whose NetworkConfiguration is
// AwsVpcConfiguration, the task set schema's spelling; Memory "0.5GB")
// runs the task set's two tasks in the private subnets. Before round
// twenty-two the task set read only the service's spelling,
// AwsvpcConfiguration, and failed: "Network Configuration must be
// provided when networkMode 'awsvpc' is specified."
func TestSweep22TaskSetAwsVpcConfiguration(t *testing.T) {
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep22("nlb-support.yaml"), Name: "nlb",
		Parameters: map[string]string{"TemplateBucket": "mybucket"}}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	private := map[model.SubnetID]bool{}
	for _, s := range strings.Split(res.Outputs["TaskSubnets"], ",") {
		private[model.SubnetID(s)] = true
	}
	var got []string
	res.Engine.Read(func(st *model.State) {
		for _, task := range st.Tasks {
			if task.ServiceName == "sample-external-deployment" && task.LastStatus == model.TaskRunning {
				for _, a := range task.Attachments {
					got = append(got, string(a.SubnetID))
				}
			}
		}
	})
	ok := len(got) == 2
	for _, s := range got {
		ok = ok && private[model.SubnetID(s)]
	}
	if !ok {
		t.Errorf("task set's running tasks in subnets %v, want two in the private subnets %v", got, res.Outputs["TaskSubnets"])
	}
}
