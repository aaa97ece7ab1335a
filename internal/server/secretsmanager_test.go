package server_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

func secretsClient(url string) *secretsmanager.Client {
	return secretsmanager.NewFromConfig(sdkConfig(), func(o *secretsmanager.Options) { o.BaseEndpoint = aws.String(url) })
}

// smErr asserts err is AWS's code and message.
func smErr(t *testing.T, what string, err error, code, msg string) {
	t.Helper()
	if apiCode(err) != code || (msg != "" && !containsMsg(err, msg)) {
		t.Errorf("%s: %v, want %s %q", what, err, code, msg)
	}
}

func containsMsg(err error, msg string) bool {
	return err != nil && regexp.MustCompile(regexp.QuoteMeta(msg)).MatchString(err.Error())
}

// Secrets Manager as AWS answers it: the ARN ends in the name, a dash and
// 6 random characters, and the partial ARN (without them) finds the secret;
// versions move AWSCURRENT and AWSPREVIOUS; a deletion is scheduled (7 to
// 30 days) and blocks reads of the value and a new secret of the name
// until RestoreSecret; ForceDeleteWithoutRecovery removes it at once; the
// error texts are AWS's.
func TestSecretsManagerSecrets(t *testing.T) {
	em := newEmulator(t, nil)
	c := secretsClient(em.URL)
	out, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("prod/db"), SecretString: aws.String(`{"password":"a"}`),
		Tags: []smtypes.Tag{{Key: aws.String("team"), Value: aws.String("web")}}})
	must(t, err)
	arn := aws.ToString(out.ARN)
	if !regexp.MustCompile(`^arn:aws:secretsmanager:us-east-1:\d{12}:secret:prod/db-[A-Za-z0-9]{6}$`).MatchString(arn) || out.VersionId == nil {
		t.Fatalf("ARN %s, version %v", arn, out.VersionId)
	}
	first := aws.ToString(out.VersionId)
	_, err = c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("prod/db"), SecretString: aws.String("x")})
	smErr(t, "a second prod/db", err, "ResourceExistsException", "The operation failed because the secret prod/db already exists.")
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("nope")})
	smErr(t, "no secret", err, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
	_, err = c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("x"), SecretString: aws.String("a"), SecretBinary: []byte("b")})
	smErr(t, "both values", err, "InvalidParameterException", "You can't specify both a binary secret value and a string secret value in the same secret.")

	partial := arn[:len(arn)-7]
	for _, id := range []string{"prod/db", arn, partial} {
		v, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
		must(t, err)
		if aws.ToString(v.SecretString) != `{"password":"a"}` || aws.ToString(v.ARN) != arn || len(v.VersionStages) != 1 || v.VersionStages[0] != "AWSCURRENT" {
			t.Errorf("%s: %+v", id, v)
		}
	}

	put, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("prod/db"), SecretString: aws.String("b")})
	must(t, err)
	second := aws.ToString(put.VersionId)
	d, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(arn)})
	must(t, err)
	if got := d.VersionIdsToStages; len(got) != 2 || got[first][0] != "AWSPREVIOUS" || got[second][0] != "AWSCURRENT" || len(d.Tags) != 1 {
		t.Errorf("after PutSecretValue: %+v", d)
	}
	prev, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/db"), VersionStage: aws.String("AWSPREVIOUS")})
	must(t, err)
	if aws.ToString(prev.SecretString) != `{"password":"a"}` {
		t.Errorf("AWSPREVIOUS: %+v", prev)
	}
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/db"), VersionStage: aws.String("NONE")})
	smErr(t, "no such stage", err, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: NONE")

	_, err = c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("prod/db"), RecoveryWindowInDays: aws.Int64(3)})
	smErr(t, "a window of 3 days", err, "InvalidParameterException", "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).")
	_, err = c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("prod/db"), RecoveryWindowInDays: aws.Int64(7), ForceDeleteWithoutRecovery: aws.Bool(true)})
	smErr(t, "force and a window", err, "InvalidParameterException", "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")
	del, err := c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("prod/db"), RecoveryWindowInDays: aws.Int64(7)})
	must(t, err)
	if del.DeletionDate == nil {
		t.Errorf("no deletion date: %+v", del)
	}
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/db")})
	smErr(t, "the value of a deleted secret", err, "InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.")
	_, err = c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("prod/db")})
	smErr(t, "the name of a deleted secret", err, "InvalidRequestException", "You can't create this secret because a secret with this name is already scheduled for deletion.")
	list, err := c.ListSecrets(ctx, &secretsmanager.ListSecretsInput{})
	must(t, err)
	if len(list.SecretList) != 0 {
		t.Errorf("ListSecrets lists a deleted secret: %+v", list.SecretList)
	}
	list, err = c.ListSecrets(ctx, &secretsmanager.ListSecretsInput{IncludePlannedDeletion: aws.Bool(true)})
	must(t, err)
	if len(list.SecretList) != 1 || list.SecretList[0].DeletedDate == nil {
		t.Errorf("IncludePlannedDeletion: %+v", list.SecretList)
	}
	_, err = c.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: aws.String("prod/db")})
	must(t, err)
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("prod/db")})
	must(t, err)

	_, err = c.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: aws.String("prod/db"), ResourcePolicy: aws.String("{nope")})
	smErr(t, "a bad policy", err, "MalformedPolicyDocumentException", "")
	_, err = c.PutResourcePolicy(ctx, &secretsmanager.PutResourcePolicyInput{SecretId: aws.String("prod/db"), ResourcePolicy: aws.String(`{"Version":"2012-10-17","Statement":[]}`)})
	must(t, err)
	pol, err := c.GetResourcePolicy(ctx, &secretsmanager.GetResourcePolicyInput{SecretId: aws.String("prod/db")})
	must(t, err)
	if aws.ToString(pol.ResourcePolicy) == "" {
		t.Error("no policy")
	}
	_, err = c.UntagResource(ctx, &secretsmanager.UntagResourceInput{SecretId: aws.String("prod/db"), TagKeys: []string{"team"}})
	must(t, err)

	for i := 0; i < 3; i++ {
		_, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("app/" + string(rune('a'+i)))})
		must(t, err)
	}
	var names []string
	var token *string
	for {
		page, err := c.ListSecrets(ctx, &secretsmanager.ListSecretsInput{MaxResults: aws.Int32(2), NextToken: token,
			Filters: []smtypes.Filter{{Key: smtypes.FilterNameStringTypeName, Values: []string{"app/"}}}})
		must(t, err)
		for _, s := range page.SecretList {
			names = append(names, aws.ToString(s.Name))
		}
		if token = page.NextToken; token == nil {
			break
		}
	}
	if len(names) != 3 {
		t.Errorf("pages: %v", names)
	}

	_, err = c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("prod/db"), ForceDeleteWithoutRecovery: aws.Bool(true)})
	must(t, err)
	_, err = c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("prod/db")})
	smErr(t, "a force-deleted secret", err, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
	_, err = c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("prod/db")})
	must(t, err)
}

// A Fargate task whose container secrets name a Secrets Manager secret (a
// full ARN, a partial ARN, a JSON key) or an SSM parameter that does not
// exist stops, TaskFailedToStart, with the agent's text; once the secret
// exists the task runs.
func TestECSTaskSecretsMustExist(t *testing.T) {
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	sm := secretsClient(em.URL)
	subs, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	must(t, err)
	subnet := aws.ToString(subs.Subnets[0].SubnetId)
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	role := executionRole(t, em.URL)
	register := func(family, valueFrom string) {
		_, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String(family), NetworkMode: ecstypes.NetworkModeAwsvpc,
			RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
			ExecutionRoleArn: aws.String(role),
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"),
				Secrets: []ecstypes.Secret{{Name: aws.String("DB"), ValueFrom: aws.String(valueFrom)}}}}})
		must(t, err)
	}
	run := func(family string) ecstypes.Task {
		out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String(family), LaunchType: ecstypes.LaunchTypeFargate,
			NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{subnet}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}})
		must(t, err)
		arn := aws.ToString(out.Tasks[0].TaskArn)
		var tk ecstypes.Task
		eventually(t, "task "+arn+" settles", func() bool {
			out, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: []string{arn}})
			must(t, err)
			tk = out.Tasks[0]
			s := aws.ToString(tk.LastStatus)
			return s == "RUNNING" || s == "STOPPED"
		})
		return tk
	}
	missing := "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
	register("asm", missing)
	tk := run("asm")
	want := "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: " +
		"service call has been retried 1 time(s): failed to fetch secret " + missing + " from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret. status code: 400, request id: "
	if aws.ToString(tk.LastStatus) != "STOPPED" || tk.StopCode != ecstypes.TaskStopCodeTaskFailedToStart || !strings.HasPrefix(aws.ToString(tk.StoppedReason), want) {
		t.Errorf("a missing secret: %s %s %q", aws.ToString(tk.LastStatus), tk.StopCode, aws.ToString(tk.StoppedReason))
	}
	register("ssm", "/app/db-url")
	tk = run("ssm")
	if want := "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: " +
		"service call has been retried 1 time(s): invalid ssm parameters: /app/db-url"; aws.ToString(tk.LastStatus) != "STOPPED" || aws.ToString(tk.StoppedReason) != want {
		t.Errorf("a missing parameter: %s %q", aws.ToString(tk.LastStatus), aws.ToString(tk.StoppedReason))
	}

	s, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("db"), SecretString: aws.String(`{"password":"p"}`)})
	must(t, err)
	arn := aws.ToString(s.ARN)
	for family, from := range map[string]string{"full": arn, "partial": arn[:len(arn)-7], "key": arn + ":password::"} {
		register(family, from)
		if tk := run(family); aws.ToString(tk.LastStatus) != "RUNNING" {
			t.Errorf("%s %s: %s %q", family, from, aws.ToString(tk.LastStatus), aws.ToString(tk.StoppedReason))
		}
	}
	register("nokey", arn+":user::")
	if tk := run("nokey"); aws.ToString(tk.LastStatus) != "STOPPED" || !strings.HasSuffix(aws.ToString(tk.StoppedReason), "did not contain json key user") {
		t.Errorf("a missing JSON key: %s %q", aws.ToString(tk.LastStatus), aws.ToString(tk.StoppedReason))
	}
}
