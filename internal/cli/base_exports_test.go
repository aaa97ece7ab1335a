package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/ecsnet/ecsnet/internal/sdkhttp"
)

// TestBaseURLExports: a template checked on --base of an ecsnet serve URL
// imports the exports of the endpoint's stacks (Fn::ImportValue), as it
// would when deployed there, and may export a name of the stack it
// stands for again.
func TestBaseURLExports(t *testing.T) {
	url, _ := startEmulator(t)
	cf := cloudformation.NewFromConfig(aws.Config{Region: "us-east-1", HTTPClient: sdkhttp.Wrap(nil),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""), Retryer: func() aws.Retryer { return aws.NopRetryer{} }},
		func(o *cloudformation.Options) { o.BaseEndpoint = aws.String(url) })
	const network = `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.4.0.0/16}
Outputs:
  Vpc:
    Value: !Ref Vpc
    Export: {Name: net-Vpc}
`
	ctx := context.Background()
	if _, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("net"), TemplateBody: aws.String(network)}); err != nil {
		t.Fatal(err)
	}
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("net")})
	if err != nil || ds.Stacks[0].StackStatus != cfntypes.StackStatusCreateComplete {
		t.Fatalf("net: %v %+v", err, ds)
	}
	dir := t.TempDir()
	app := filepath.Join(dir, "app.yaml")
	if err := os.WriteFile(app, []byte(`Resources:
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !ImportValue net-Vpc, CidrBlock: 10.4.1.0/24}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(dir, "net.yaml")
	if err := os.WriteFile(again, []byte(strings.Replace(network, "10.4.0.0/16", "10.3.0.0/16", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{app, again} {
		code, out, errs := run(t, "show", "--base", url, f)
		if code != ExitOK || strings.Contains(out+errs, "No export named") || strings.Contains(out+errs, "already exported") || strings.Contains(out+errs, "no template imports") {
			t.Errorf("show --base %s %s: exit %d\n%s%s", url, filepath.Base(f), code, out, errs)
		}
	}
}
