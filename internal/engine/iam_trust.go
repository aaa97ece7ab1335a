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
	if e.iam == nil || ref == "" {
		return true
	}
	ie, err := e.iam()
	if err != nil || ie == nil {
		return true
	}
	ok := true
	ie.Read(func(st *model.State) { ok = roleAssumable(st, ref, service, e.cfg.Account) })
	return ok
}

// roleAssumable is RoleAssumable inside a transaction: the IAM region's
// engine is read under its read lock while this engine's write lock is
// held, as agentCredentials does.
func (t *txn) roleAssumable(ref, service string) bool {
	if ref == "" {
		return true
	}
	if t.e.iam == nil {
		return !roleKnown(t.st, ref) || roleAssumable(t.st, ref, service, t.e.cfg.Account)
	}
	ie, err := t.e.iam()
	if err != nil || ie == nil {
		return true
	}
	if ie.core == t.e.core {
		return roleAssumable(t.st, ref, service, t.e.cfg.Account)
	}
	ok := true
	ie.Read(func(st *model.State) { ok = roleAssumable(st, ref, service, t.e.cfg.Account) })
	return ok
}

func roleAssumable(iam *model.State, ref, service, account string) bool {
	name := ref
	if strings.HasPrefix(ref, "arn:") {
		// arn:PARTITION:iam::ACCOUNT:role/PATH/NAME
		parts := strings.SplitN(ref, ":", 6)
		if len(parts) != 6 || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") {
			return false
		}
		if parts[4] != account {
			return true // another account's role: not ours to judge
		}
		name = parts[5][strings.LastIndexByte(parts[5], '/')+1:]
	}
	r := iam.Roles[name]
	return r != nil && model.TrustsService(r.AssumeRolePolicyDocument, service)
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
	return errECSClient("ECS was unable to assume the role '%s' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.", role)
}

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

// roleKnown reports whether iam holds the role ref names.
func roleKnown(iam *model.State, ref string) bool {
	return iam.Roles[ref[strings.LastIndexByte(ref, '/')+1:]] != nil
}
