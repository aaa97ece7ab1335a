package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/ecsnet/ecsnet/internal/sdkhttp"
)

// TestServeUIStacks: a stack CloudFormation rolled back appears in the
// web UI of ecsnet serve with its status and the resource that failed
// first, in CloudFormation's words; a stack that was deleted does not.
func TestServeUIStacks(t *testing.T) {
	addr := startServe(t, serveOptions{Ephemeral: true})
	url := "http://" + addr
	cf := cloudformation.NewFromConfig(aws.Config{Region: "us-east-1", HTTPClient: sdkhttp.Wrap(nil),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""), Retryer: func() aws.Retryer { return aws.NopRetryer{} }},
		func(o *cloudformation.Options) { o.BaseEndpoint = aws.String(url) })
	ctx := context.Background()
	const broken = `{"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "x", "VpcId": "vpc-0123456789abcdef0"}}}}`
	const fine = `{"Resources": {"Topic": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "v"}}}}`
	for name, body := range map[string]string{"broken": broken, "fine": fine, "gone": fine} {
		if _, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(body)}); err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
	}
	if _, err := cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("gone")}); err != nil {
		t.Fatal(err)
	}
	type stack struct {
		Name, Status, Reason, FailedLogicalID, FailedType, FailedReason string
	}
	var got map[string]stack
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(url + "/ui/api/topology")
		if err != nil {
			t.Fatal(err)
		}
		var topo struct {
			Stacks []struct {
				Name, Status, Reason, FailedReason, FailedType string
				FailedLogicalID                                string `json:"failedLogicalId"`
			} `json:"stacks"`
		}
		err = json.NewDecoder(resp.Body).Decode(&topo)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		got = map[string]stack{}
		for _, s := range topo.Stacks {
			got[s.Name] = stack{s.Name, s.Status, s.Reason, s.FailedLogicalID, s.FailedType, s.FailedReason}
		}
		if got["broken"].Status == "ROLLBACK_COMPLETE" && got["fine"].Status == "CREATE_COMPLETE" && len(got) == 2 {
			break
		}
	}
	b := got["broken"]
	if b.Status != "ROLLBACK_COMPLETE" || b.FailedLogicalID != "Sg" || b.FailedType != "AWS::EC2::SecurityGroup" ||
		!strings.Contains(b.FailedReason, "vpc-0123456789abcdef0") || !strings.Contains(b.Reason, "failed to create: [Sg]") {
		t.Errorf("the rolled-back stack: %+v", b)
	}
	if f := got["fine"]; f.Status != "CREATE_COMPLETE" || f.FailedLogicalID != "" {
		t.Errorf("the stack that was created: %+v", f)
	}
	if _, ok := got["gone"]; ok || len(got) != 2 {
		t.Errorf("stacks shown: %+v, want broken and fine (not the deleted one)", got)
	}
}
