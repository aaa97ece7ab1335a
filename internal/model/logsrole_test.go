package model

import (
	"strings"
	"testing"
)

// The awslogs driver's CreateLogGroup (awslogs-create-group true) with the
// execution role's credentials: AmazonECSTaskExecutionRolePolicy does not
// allow it; an inline policy or AdministratorAccess does; a role the state
// does not hold is not judged.
func TestLogGroupCreateDenied(t *testing.T) {
	st := NewState("123456789012", "eu-central-1")
	st.Roles["exec"] = &Role{Name: "exec", AttachedPolicies: []string{"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"}}
	got := LogGroupCreateDenied(st, "arn:aws:iam::123456789012:role/exec", "/ecs/app", "abc", "eu-central-1", "123456789012", false)
	want := "failed to create Cloudwatch log group: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/abc is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:eu-central-1:123456789012:log-group:/ecs/app:log-stream: because no identity-based policy allows the logs:CreateLogGroup action : exit status 1"
	if !strings.HasPrefix(got, "ResourceInitializationError: failed to validate logger args: ") || !strings.HasSuffix(got, want) {
		t.Errorf("AmazonECSTaskExecutionRolePolicy only: %q", got)
	}
	r := *st.Roles["exec"]
	r.InlinePolicies = map[string]string{"logs": `{"Statement":[{"Effect":"Allow","Action":"logs:CreateLogGroup","Resource":"*"}]}`}
	st.Roles["exec"] = &r
	if got := LogGroupCreateDenied(st, "exec", "/ecs/app", "abc", "eu-central-1", "123456789012", false); got != "" {
		t.Errorf("with an inline allow: %q", got)
	}
	st.Roles["admin"] = &Role{Name: "admin", AttachedPolicies: []string{"arn:aws:iam::aws:policy/AdministratorAccess"}}
	if got := LogGroupCreateDenied(st, "admin", "/ecs/app", "abc", "eu-central-1", "123456789012", false); got != "" {
		t.Errorf("AdministratorAccess: %q", got)
	}
	if got := LogGroupCreateDenied(st, "unknown", "/ecs/app", "abc", "eu-central-1", "123456789012", false); got != "" {
		t.Errorf("a role the state does not hold: %q", got)
	}
}
