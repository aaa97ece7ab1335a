package fix

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// ecsTasks is the service principal that assumes a task's roles.
const ecsTasks = "ecs-tasks.amazonaws.com"

// taskRoleTrust: ECS launches no task of a service because it cannot
// assume its task definition's execution role or task role
// (ECS_TASK_ROLE_UNTRUSTED). A role the state holds whose trust policy
// does not name ecs-tasks.amazonaws.com gets a statement that does
// (UpdateAssumeRolePolicy); ECS launches the tasks at its next attempt.
func (f *finder) taskRoleTrust(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	s := f.st.Services[x.Component.ARN]
	if s == nil {
		return nil
	}
	td := f.st.TaskDefinitions[s.TaskDefinitionARN]
	if td == nil {
		return nil
	}
	var out []Fix
	for _, ref := range []string{td.ExecutionRoleARN, td.TaskRoleARN} {
		r := f.st.Roles[model.RoleName(ref)]
		if ref == "" || r == nil || model.TrustsService(r.AssumeRolePolicyDocument, ecsTasks) {
			continue
		}
		doc, ok := trustAlso(r.AssumeRolePolicyDocument, ecsTasks)
		if !ok {
			continue
		}
		name := r.Name
		out = append(out, Fix{
			score: 5, Kind: "iam",
			Title: fmt.Sprintf("Let %s assume the role %s (its trust policy names %s)", ecsTasks, name, trusted(r.AssumeRolePolicyDocument)),
			Detail: "ECS assumes a task's execution role (to pull images, fetch secrets, write logs) and task role (the application's credentials) as " + ecsTasks +
				"; a trust policy that names another principal (ecs.amazonaws.com is ECS's own) lets ECS launch no task. The service starts its tasks at its next attempt.",
			Commands: []string{fmt.Sprintf("aws iam update-assume-role-policy --role-name %s --policy-document '%s'", name, doc)},
			Scenario: fmt.Sprintf("iam_roles:\n  %s:\n    trusts: [%s]\n", name, ecsTasks),
			apply:    func(e *engine.Engine) error { return e.UpdateAssumeRolePolicy(name, doc) },
		})
	}
	return out
}

// trustAlso returns a trust policy document with a statement added that
// lets service assume the role, keeping the statements it had.
func trustAlso(doc, service string) (string, bool) {
	var p map[string]any
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		p = map[string]any{"Version": "2012-10-17"}
	}
	var stmts []any
	switch v := p["Statement"].(type) {
	case []any:
		stmts = v
	case map[string]any:
		stmts = []any{v}
	}
	stmts = append(stmts, map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": service}, "Action": "sts:AssumeRole"})
	p["Statement"] = stmts
	if p["Version"] == nil {
		p["Version"] = "2012-10-17"
	}
	b, err := json.Marshal(p)
	return string(b), err == nil
}

// trusted names the service principals a trust policy allows, for a
// fix's title.
func trusted(doc string) string {
	if names := model.TrustedServices(doc); len(names) > 0 {
		return strings.Join(names, ", ")
	}
	return "no service"
}
