package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// A task whose secret is reached but does not exist: where the state
// holds the account's secrets, TaskStartFailure reports it with
// ECS_SECRET_NOT_FOUND and the agent's text; where it holds none (an
// imported snapshot), only the strict SecretCheck (the emulator's) does;
// with the secret and its JSON key present the task starts.
func TestSecretNotFound(t *testing.T) {
	st := stateOf(build(t, "testdata/fargate-platform-13.yaml"))
	tk := taskNamed(t, st, "legacy/0")
	if f := TaskStartFailure(st, tk); f != nil {
		t.Fatalf("without secrets in the state: %+v", f)
	}
	if r := SecretCheck(st, tk); !strings.Contains(r, "unable to retrieve secret from asm") ||
		!strings.Contains(r, "failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret.") {
		t.Errorf("SecretCheck: %q", r)
	}
	st = st.Clone()
	other := &model.Secret{Name: "other", ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-XyZ123"}
	st.Secrets[other.ARN] = other
	f := TaskStartFailure(st, tk)
	if f == nil || f.Code != CodeSecretNotFound || f.StopCode != "TaskFailedToStart" || f.Service != "secretsmanager" {
		t.Fatalf("with other secrets: %+v", f)
	}
	db := &model.Secret{Name: "db", ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
		Versions: map[string]*model.SecretVersion{"v1": {ID: "v1", String: `{"k":"v"}`, HasString: true, Stages: []string{"AWSCURRENT"}}}}
	st.Secrets[db.ARN] = db
	if f := TaskStartFailure(st, tk); f != nil {
		t.Errorf("with the secret: %+v", f)
	}
	if r := asmFailure(st, tk, secretRef{valueFrom: db.ARN + ":nokey::", service: "secretsmanager"}, true); !strings.HasSuffix(r, "did not contain json key nokey") {
		t.Errorf("a missing JSON key: %q", r)
	}
	if r := ssmFailure(st, secretRef{valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/app/x", service: "ssm"}, false); r != "Fetching secret data from SSM Parameter Store in us-east-1: invalid parameters: /app/x" {
		t.Errorf("a missing parameter on EC2: %q", r)
	}
}
