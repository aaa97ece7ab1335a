package cfn_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

const samS3Template = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        TopicConfigurations:
          - {Event: "s3:ObjectRemoved:*", Topic: arn:aws:sns:us-east-1:123456789012:removed}
  Resize:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: s3://artifacts/resize.zip
      Events:
        Images:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: ["s3:ObjectCreated:Put", "s3:ObjectCreated:Post"]
            Filter: {S3Key: {Rules: [{Name: prefix, Value: images/}, {Name: suffix, Value: .png}]}}
`

// TestRound39SAMS3EventNotification: a function's S3 event adds to its
// bucket the Lambda configurations SAM adds (one per event type, with
// the filter) after the bucket's own configurations, and makes the
// bucket wait for the permission: S3 checks, when the notification is
// put, that it may invoke the function.
func TestRound39SAMS3EventNotification(t *testing.T) {
	tmpl, err := cfn.ParseTemplate("sam.yaml", []byte(samS3Template))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	res, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "sam", IAM: e})
	if err != nil {
		t.Fatal(err)
	}
	name := res.PhysicalIDs["Uploads"]
	var doc, fnARN string
	e.Read(func(st *model.State) {
		if b := st.Buckets[name]; b != nil {
			doc = b.Configs["notification"]
		}
		if fn := st.LambdaFunctions[res.PhysicalIDs["Resize"]]; fn != nil {
			fnARN = e.LambdaFunctionARN(fn.Name, "")
		}
	})
	if fnARN == "" {
		t.Fatalf("no function %q", res.PhysicalIDs["Resize"])
	}
	for _, want := range []string{
		"<TopicConfiguration><Id>", "<Topic>arn:aws:sns:us-east-1:123456789012:removed</Topic><Event>s3:ObjectRemoved:*</Event></TopicConfiguration>",
		"<CloudFunction>" + fnARN + "</CloudFunction><Event>s3:ObjectCreated:Put</Event>",
		"<CloudFunction>" + fnARN + "</CloudFunction><Event>s3:ObjectCreated:Post</Event>",
		"<Filter><S3Key><FilterRule><Name>Prefix</Name><Value>images/</Value></FilterRule><FilterRule><Name>Suffix</Name><Value>.png</Value></FilterRule></S3Key></Filter>",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("notification lacks %q:\n%s", want, doc)
		}
	}
	if n := strings.Count(doc, "<CloudFunctionConfiguration>"); n != 2 {
		t.Errorf("%d Lambda configurations, want 2:\n%s", n, doc)
	}
	if strings.Index(doc, "<TopicConfiguration>") > strings.Index(doc, "<CloudFunctionConfiguration>") {
		t.Errorf("S3 writes topics before functions:\n%s", doc)
	}
}

// TestRound39BucketNotificationUnvalidated: a bucket whose notification
// names a function S3 may not invoke (no permission for
// s3.amazonaws.com, or one for another bucket) fails as S3 refuses the
// configuration; with the permission (and the bucket depending on it) it
// is created.
func TestRound39BucketNotificationUnvalidated(t *testing.T) {
	const base = `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: app.handler, Role: !GetAtt Role.Arn, Code: {ZipFile: "def handler(e, c): pass"}}
  Invoke:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Fn, Principal: PRINCIPAL, SourceArn: arn:aws:s3:::SOURCE}
  Bucket:
    Type: AWS::S3::Bucket
    DependsOn: Invoke
    Properties:
      BucketName: uploads-39
      NotificationConfiguration:
        LambdaConfigurations: [{Event: "s3:ObjectCreated:*", Function: !GetAtt Fn.Arn}]
`
	for _, c := range []struct {
		principal, source string
		ok                bool
	}{
		{"s3.amazonaws.com", "uploads-39", true},
		{"s3.amazonaws.com", "uploads-*", true},
		{"s3.amazonaws.com", "other-bucket", false},
		{"sns.amazonaws.com", "uploads-39", false},
	} {
		src := strings.NewReplacer("PRINCIPAL", c.principal, "SOURCE", c.source).Replace(base)
		tmpl, err := cfn.ParseTemplate("n.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		e := cfn.NewEngine()
		_, err = cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "n", IAM: e})
		switch {
		case c.ok && err != nil:
			t.Errorf("%s %s: %v", c.principal, c.source, err)
		case !c.ok && (err == nil || !strings.Contains(err.Error(), "Unable to validate the following destination configurations") || !strings.Contains(err.Error(), "Bucket")):
			t.Errorf("%s %s: err %v, want S3's refusal at Bucket", c.principal, c.source, err)
		}
	}
}

// TestRound39SAMS3EventOutsideTemplate: SAM refuses an S3 event whose
// bucket is not a resource of the template, with the transform's words.
func TestRound39SAMS3EventOutsideTemplate(t *testing.T) {
	src := strings.Replace(samS3Template, "Bucket: !Ref Uploads", "Bucket: existing-bucket", 1)
	tmpl, err := cfn.ParseTemplate("sam.yaml", []byte(src))
	if err == nil {
		_, err = cfn.Deploy(cfn.NewEngine(), tmpl, cfn.DeployOptions{StackName: "sam"})
	}
	want := "Resource with id [Resize] is invalid. Event with id [Images] is invalid. S3 events must reference an S3 bucket in the same template."
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err %v, want %q", err, want)
	}
}

// TestRound39RuntimeTable: on 2026-12-07 Lambda creates functions of the
// runtimes whose "block function create" date the guide moved to 2027
// (nodejs18.x, nodejs20.x, python3.8 to python3.11, ruby3.2, the Amazon
// Linux 2 runtimes), and refuses those blocked before (nodejs14.x,
// python3.7, go1.x); from the moved dates on it refuses them too, updates
// a month later.
func TestRound39RuntimeTable(t *testing.T) {
	today := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for _, rt := range []string{"nodejs18.x", "nodejs20.x", "nodejs22.x", "python3.8", "python3.9", "python3.10", "python3.11",
		"ruby3.2", "provided.al2", "java11", "java17", "java8.al2", "dotnet8", "nodejs24.x", "python3.14"} {
		if err := engine.RefusedLambdaRuntime(rt, false, today); err != nil {
			t.Errorf("%s refused on %s: %v", rt, today.Format(time.DateOnly), err)
		}
	}
	for _, rt := range []string{"nodejs14.x", "python3.7", "go1.x", "java8", "ruby2.7", "dotnet7"} {
		if err := engine.RefusedLambdaRuntime(rt, false, today); err == nil {
			t.Errorf("%s created on %s", rt, today.Format(time.DateOnly))
		}
	}
	feb := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	err := engine.RefusedLambdaRuntime("nodejs20.x", false, feb)
	want := "The runtime parameter of nodejs20.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (nodejs24.x) while creating or updating functions."
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("nodejs20.x created on 2027-02-01: %v", err)
	}
	if err := engine.RefusedLambdaRuntime("nodejs20.x", true, feb); err != nil {
		t.Errorf("nodejs20.x updated on 2027-02-01: %v", err)
	}
	if err := engine.RefusedLambdaRuntime("ruby3.2", true, time.Date(2027, 3, 3, 0, 0, 0, 0, time.UTC)); err == nil ||
		!strings.Contains(err.Error(), "(ruby4.0)") {
		t.Errorf("ruby3.2 updated on 2027-03-03: %v, want the refusal recommending ruby4.0", err)
	}

	// The analyzer: a SAM function of nodejs20.x deploys.
	tmpl, err := cfn.ParseTemplate("fn.yaml", []byte(`
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Runtime: nodejs20.x}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Handler: index.handler, InlineCode: "exports.handler = async () => 1"}
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfn.Deploy(cfn.NewEngine(), tmpl, cfn.DeployOptions{StackName: "fn"}); err != nil {
		t.Errorf("nodejs20.x function: %v", err)
	}
}
