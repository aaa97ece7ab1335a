package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

const monitoringTemplate = `Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      Description: app
      EnableKeyRotation: true
      PendingWindowInDays: 7
  Alias:
    Type: AWS::KMS::Alias
    Properties: {AliasName: alias/app, TargetKeyId: !Ref Key}
  Db:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: app/db
      KmsKeyId: !GetAtt Key.Arn
      GenerateSecretString:
        SecretStringTemplate: '{"username":"app"}'
        GenerateStringKey: password
        PasswordLength: 20
  High:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: app-cpu-high
      ComparisonOperator: GreaterThanThreshold
      EvaluationPeriods: 2
      MetricName: CPUUtilization
      Namespace: AWS/ECS
      Period: 60
      Statistic: Average
      Threshold: 70
      Dimensions: [{Name: ClusterName, Value: c}]
Outputs:
  Secret: {Value: !Ref Db}
  KeyArn: {Value: !GetAtt Key.Arn}
  AlarmArn: {Value: !GetAtt High.Arn}
`

// AWS::CloudWatch::Alarm, AWS::SecretsManager::Secret (a generated
// password under its key of the template) and AWS::KMS::Key and Alias are
// live resources: the APIs answer them; deleting the stack deletes the
// alarm and the secret and schedules the key's deletion after its
// PendingWindowInDays.
func TestCloudFormationAlarmSecretKey(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	cs, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("mon"), TemplateBody: aws.String(monitoringTemplate)})
	must(t, err)
	waitStack(t, cf, "mon", cfntypes.StackStatusCreateComplete)
	out, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("mon")})
	must(t, err)
	outputs := map[string]string{}
	for _, o := range out.Stacks[0].Outputs {
		outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	sm, km, cw := secretsClient(em.URL), kmsClient(em.URL), cloudwatchClient(em.URL)
	v, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(outputs["Secret"])})
	must(t, err)
	if s := aws.ToString(v.SecretString); !strings.HasPrefix(s, `{"password":"`) || !strings.Contains(s, `"username":"app"`) || len(s) != len(`{"password":"","username":"app"}`)+20 {
		t.Errorf("generated secret %s", s)
	}
	d, err := sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("app/db")})
	must(t, err)
	if aws.ToString(d.KmsKeyId) != outputs["KeyArn"] {
		t.Errorf("KmsKeyId %s, want %s", aws.ToString(d.KmsKeyId), outputs["KeyArn"])
	}
	k, err := km.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/app")})
	must(t, err)
	if aws.ToString(k.KeyMetadata.Arn) != outputs["KeyArn"] {
		t.Errorf("alias/app names %s", aws.ToString(k.KeyMetadata.Arn))
	}
	a, err := cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"app-cpu-high"}})
	must(t, err)
	if len(a.MetricAlarms) != 1 || aws.ToString(a.MetricAlarms[0].AlarmArn) != outputs["AlarmArn"] || aws.ToFloat64(a.MetricAlarms[0].Threshold) != 70 {
		t.Errorf("alarm %+v", a.MetricAlarms)
	}

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("mon")})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), cfntypes.StackStatusDeleteComplete)
	if _, err := sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("app/db")}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("the secret after the stack: %v", err)
	}
	a, err = cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{})
	must(t, err)
	if len(a.MetricAlarms) != 0 {
		t.Errorf("alarms after the stack: %+v", a.MetricAlarms)
	}
	k, err = km.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(outputs["KeyArn"])})
	must(t, err)
	if k.KeyMetadata.KeyState != kmstypes.KeyStatePendingDeletion || aws.ToInt32(k.KeyMetadata.PendingDeletionWindowInDays) != 7 {
		t.Errorf("the key after the stack: %s %v", k.KeyMetadata.KeyState, k.KeyMetadata.PendingDeletionWindowInDays)
	}
}

// An alarm's threshold changes in place on a stack update: the alarm keeps
// its name and ARN.
func TestCloudFormationAlarmUpdate(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	tmpl := func(threshold string) string {
		return "Resources:\n  High:\n    Type: AWS::CloudWatch::Alarm\n    Properties: {AlarmName: hi, ComparisonOperator: GreaterThanThreshold, " +
			"EvaluationPeriods: 1, MetricName: CPUUtilization, Namespace: AWS/ECS, Period: 60, Statistic: Average, Threshold: " + threshold + "}\n"
	}
	cs, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("al"), TemplateBody: aws.String(tmpl("70"))})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), cfntypes.StackStatusCreateComplete)
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("al"), TemplateBody: aws.String(tmpl("90"))})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), cfntypes.StackStatusUpdateComplete)
	a, err := cloudwatchClient(em.URL).DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{})
	must(t, err)
	if len(a.MetricAlarms) != 1 || aws.ToFloat64(a.MetricAlarms[0].Threshold) != 90 || aws.ToString(a.MetricAlarms[0].AlarmName) != "hi" {
		t.Errorf("after the update: %+v", a.MetricAlarms)
	}
}

// An AWS::KMS::Alias named under AWS's reserved alias/aws/ prefix fails
// as KMS's CreateAlias does ("Cannot create alias with prefix
// 'alias/aws/'"), and the stack rolls back: the rule is the engine's, not
// the KMS API's alone.
func TestCloudFormationKMSAliasReservedPrefix(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	tmpl := `Resources:
  Key: {Type: AWS::KMS::Key, Properties: {Description: app}}
  Alias:
    Type: AWS::KMS::Alias
    Properties: {AliasName: alias/aws/app, TargetKeyId: !Ref Key}
`
	cs, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("reserved"), TemplateBody: aws.String(tmpl)})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), cfntypes.StackStatusRollbackComplete)
	found := false
	for _, e := range stackEventsOf(t, cf, aws.ToString(cs.StackId)) {
		found = found || strings.HasPrefix(e, "Alias CREATE_FAILED") && strings.Contains(e, "Cannot create alias with prefix 'alias/aws/'")
	}
	if !found {
		t.Errorf("no CREATE_FAILED event of Alias naming the reserved prefix: %q", stackEventsOf(t, cf, aws.ToString(cs.StackId)))
	}
	al, err := kmsClient(em.URL).ListAliases(ctx, &kms.ListAliasesInput{})
	must(t, err)
	for _, a := range al.Aliases {
		if aws.ToString(a.AliasName) == "alias/aws/app" {
			t.Errorf("the reserved alias exists: %+v", a)
		}
	}
}
