package engine

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Whether a service may assume a role the caller names: a task's roles
// (ecs-tasks.amazonaws.com), a stack's service role
// (cloudformation.amazonaws.com). Judged against the account's whole IAM
// (WithIAM, the emulator), where a role it lacks does not exist. An
// engine without it (a scenario file's, a template's or a Terraform
// configuration's: the analyzer records their roles by name and trust
// policy) judges the roles
// its own state holds and takes any other to work, as it does another
// account's role [choice].

// RoleAssumable reports whether service may assume the role named by ref
// (its ARN, or its name): the role exists and its trust policy lets the
// service principal assume it.
func (e *Engine) RoleAssumable(ref, service string) bool {
	ok := true
	e.Read(func(st *model.State) { ok = e.roleAssumableIn(st, ref, service) })
	return ok
}

// roleAssumable is RoleAssumable inside a transaction.
func (t *txn) roleAssumable(ref, service string) bool { return t.e.roleAssumableIn(t.st, ref, service) }

// roleAssumableIn is RoleAssumable for a caller that holds own, this
// engine's state, under its lock.
func (e *Engine) roleAssumableIn(own *model.State, ref, service string) bool {
	ok := true
	if ref != "" {
		e.readIAM(own, func(st *model.State, complete bool) { ok = roleAssumable(st, complete, ref, service, e.cfg.Account) })
	}
	return ok
}

// roleAssumable judges ref against iam's roles: a role iam lacks does not
// exist when iam is complete, and is taken to work otherwise; another
// account's role is not ours to judge.
func roleAssumable(iam *model.State, complete bool, ref, service, account string) bool {
	if strings.HasPrefix(ref, "arn:") {
		// arn:PARTITION:iam::ACCOUNT:role/PATH/NAME
		parts := strings.SplitN(ref, ":", 6)
		if len(parts) != 6 || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") {
			return false
		}
		if parts[4] != account {
			return true
		}
	}
	r := iam.Roles[model.RoleName(ref)]
	if r == nil {
		return !complete
	}
	return model.TrustsService(r.AssumeRolePolicyDocument, service)
}

// ecsTasksPrincipal is the service principal that assumes a task's roles;
// ecsPrincipal, ECS's own, assumes its infrastructure role
// (infrastructure_IAM_role.html).
const (
	ecsTasksPrincipal = "ecs-tasks.amazonaws.com"
	ecsPrincipal      = "ecs.amazonaws.com"
)

// errUnableToAssume is ECS's answer (RunTask's ClientException, a
// service's "failed to launch a task" event) when a task's role does not
// exist or does not trust ecs-tasks.amazonaws.com.
func errUnableToAssume(role string) error {
	return errECSClient(unableToAssume+" '%s' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.", role)
}

// unableToAssume begins errUnableToAssume's text.
const unableToAssume = "ECS was unable to assume the role"

// taskRolesAssumable checks that ECS may assume a task definition's
// execution role and task role.
func (t *txn) taskRolesAssumable(td *model.TaskDefinition) error {
	for _, role := range []string{td.ExecutionRoleARN, td.TaskRoleARN} {
		if !t.roleAssumable(role, ecsTasksPrincipal) {
			return errUnableToAssume(role)
		}
	}
	return nil
}
