package cfn_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestRound38bSAMPolicyTemplatesAndEvents: a function's policy templates
// become inline policies of its role with the template's statements and
// the values given bound into their ARNs; its SQS, DynamoDB and SNS events
// make the event source mappings, subscription and permissions SAM makes
// (logical ids "<fn><event>", "<fn><event>Permission") and add the pull
// sources' managed policies, so that templates' GetAtt and Ref of them
// resolve.
func TestRound38bSAMPolicyTemplatesAndEvents(t *testing.T) {
	tmpl, err := cfn.ParseTemplate("sam.yaml", []byte(`
Transform: AWS::Serverless-2016-10-31
Resources:
  Queue: {Type: AWS::SQS::Queue}
  Topic: {Type: AWS::SNS::Topic}
  Uploads: {Type: AWS::S3::Bucket}
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      BillingMode: PAY_PER_REQUEST
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: s3://artifacts/worker.zip
      Policies:
        - SQSPollerPolicy: {QueueName: !GetAtt Queue.QueueName}
        - DynamoDBCrudPolicy: {TableName: !Ref Table}
        - SSMParameterReadPolicy: {ParameterName: app/config}
        - AWSSecretsManagerGetSecretValuePolicy: {SecretArn: arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf}
        - VPCAccessPolicy: {}
      Events:
        Jobs:
          Type: SQS
          Properties: {Queue: !GetAtt Queue.Arn, BatchSize: 5}
        Changes:
          Type: DynamoDB
          Properties: {Stream: !GetAtt Table.StreamArn, StartingPosition: LATEST}
        Notices:
          Type: SNS
          Properties: {Topic: !Ref Topic}
        Uploads:
          Type: S3
          Properties: {Bucket: !Ref Uploads, Events: s3:ObjectCreated:*}
Outputs:
  Mapping: {Value: !Ref WorkerJobs}
  Permission: {Value: !Ref WorkerNoticesPermission}
  Subscription: {Value: !Ref WorkerNotices}
  S3Permission: {Value: !Ref WorkerUploadsPermission}
`))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	res, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "sam", IAM: e})
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, r := range res.Resources {
		types[r.LogicalID] = r.Type
	}
	for _, s := range res.Skipped {
		types[s.LogicalID] = s.Type
	}
	for id, typ := range map[string]string{"WorkerJobs": "AWS::Lambda::EventSourceMapping", "WorkerChanges": "AWS::Lambda::EventSourceMapping",
		"WorkerNotices": "AWS::SNS::Subscription", "WorkerNoticesPermission": "AWS::Lambda::Permission",
		"WorkerUploadsPermission": "AWS::Lambda::Permission"} {
		if types[id] != typ {
			t.Errorf("%s: %q, want %s (resources %v)", id, types[id], typ, types)
		}
	}
	outputs := map[string]string{}
	for _, o := range res.Outputs {
		outputs[o.Name] = o.Value
	}
	for _, k := range []string{"Mapping", "Permission", "Subscription", "S3Permission"} {
		if outputs[k] == "" {
			t.Errorf("output %s empty (outputs %v)", k, outputs)
		}
	}
	var role *model.Role
	e.Read(func(st *model.State) {
		for _, r := range st.Roles {
			if strings.HasPrefix(r.Name, "sam-WorkerRole-") {
				role = r
			}
		}
	})
	if role == nil {
		t.Fatal("no WorkerRole")
	}
	wantManaged := []string{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
		"arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
		"arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole"}
	if !slices.Equal(role.AttachedPolicies, wantManaged) {
		t.Errorf("managed %v, want %v", role.AttachedPolicies, wantManaged)
	}
	type statement struct {
		Effect   string
		Action   []string
		Resource any
	}
	doc := func(name string) []statement {
		var d struct{ Statement []statement }
		if err := json.Unmarshal([]byte(role.InlinePolicies[name]), &d); err != nil {
			t.Fatalf("%s: %v (%q)", name, err, role.InlinePolicies[name])
		}
		return d.Statement
	}
	poller := doc("WorkerRolePolicy0")
	queueARN, _ := poller[0].Resource.(string)
	if len(poller) != 1 || !strings.HasPrefix(queueARN, "arn:aws:sqs:us-east-1:123456789012:") || strings.Contains(queueARN, "$") ||
		!slices.Contains(poller[0].Action, "sqs:ReceiveMessage") {
		t.Errorf("SQSPollerPolicy %+v", poller)
	}
	crud := doc("WorkerRolePolicy1")
	if len(crud) != 1 || len(crud[0].Resource.([]any)) != 2 || !strings.HasSuffix(crud[0].Resource.([]any)[1].(string), "/index/*") {
		t.Errorf("DynamoDBCrudPolicy %+v", crud)
	}
	ssm := doc("WorkerRolePolicy2")
	if len(ssm) != 2 || ssm[1].Resource != "arn:aws:ssm:us-east-1:123456789012:parameter/app/config" {
		t.Errorf("SSMParameterReadPolicy %+v", ssm)
	}
	secret := doc("WorkerRolePolicy3")
	if len(secret) != 1 || secret[0].Resource != "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf" {
		t.Errorf("AWSSecretsManagerGetSecretValuePolicy %+v", secret)
	}
	if vpc := doc("WorkerRolePolicy4"); len(vpc) != 1 || vpc[0].Resource != "*" || !slices.Contains(vpc[0].Action, "ec2:CreateNetworkInterface") {
		t.Errorf("VPCAccessPolicy %+v", vpc)
	}
}
