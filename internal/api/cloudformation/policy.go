package cloudformation

import (
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Stack policies (SetStackPolicy, GetStackPolicy, CreateStack's and
// UpdateStack's StackPolicyBody/URL, UpdateStack's
// StackPolicyDuringUpdateBody/URL). A stack policy applies to updates
// only: once a stack has one, every update action (Update:Modify,
// Update:Replace, Update:Delete) on every resource is denied unless a
// statement allows it, and a Deny statement that matches overrides any
// Allow. An update that a policy denies fails before it changes anything:
// the denied resources UPDATE_FAILED, the stack rolled back.

// invalidPolicy is CloudFormation's refusal of a policy document.
func invalidPolicy() error {
	return validation("Error validating stack policy: Invalid stack policy")
}

// policyStatement is one statement of a stack policy.
type policyStatement struct {
	Effect                         string
	Action, NotAction              []string
	Resource, NotResource          []string
	ResourceTypes, NotResourceType []string // Condition StringEquals/StringLike ResourceType
	like                           bool
}

// stackPolicy is a parsed stack policy; an empty one ({}) has no
// statements and protects nothing.
type stackPolicy struct {
	Statements []policyStatement
}

// strOrList reads a policy member that is a string or a list of strings.
func strOrList(v any) ([]string, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case string:
		return []string{x}, true
	case []any:
		var out []string
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, len(out) > 0
	}
	return nil, false
}

// parsePolicy reads and checks a stack policy document: a JSON object,
// whose Statement (when present) is a list of statements with Effect
// Allow or Deny, Principal "*", Action or NotAction of Update:Modify,
// Update:Replace, Update:Delete or Update:*, Resource or NotResource of
// "*" or LogicalResourceId/ID (wildcards allowed), and an optional
// Condition on ResourceType (StringEquals or StringLike).
func parsePolicy(body string) (*stackPolicy, error) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		return nil, invalidPolicy()
	}
	p := &stackPolicy{}
	raw, ok := doc["Statement"]
	if !ok {
		if len(doc) == 0 {
			return p, nil
		}
		return nil, invalidPolicy()
	}
	list, ok := raw.([]any)
	if !ok {
		if m, isMap := raw.(map[string]any); isMap {
			list = []any{m}
		} else {
			return nil, invalidPolicy()
		}
	}
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, invalidPolicy()
		}
		var st policyStatement
		if st.Effect, ok = m["Effect"].(string); !ok || st.Effect != "Allow" && st.Effect != "Deny" {
			return nil, invalidPolicy()
		}
		if pr, ok := m["Principal"].(string); !ok || pr != "*" {
			return nil, invalidPolicy()
		}
		var okA, okN, okR, okNR bool
		st.Action, okA = strOrList(m["Action"])
		st.NotAction, okN = strOrList(m["NotAction"])
		st.Resource, okR = strOrList(m["Resource"])
		st.NotResource, okNR = strOrList(m["NotResource"])
		if !okA || !okN || !okR || !okNR || (len(st.Action) == 0) == (len(st.NotAction) == 0) ||
			(len(st.Resource) == 0) == (len(st.NotResource) == 0) {
			return nil, invalidPolicy()
		}
		for _, a := range slices.Concat(st.Action, st.NotAction) {
			if !slices.Contains([]string{"Update:*", "Update:Modify", "Update:Replace", "Update:Delete"}, a) {
				return nil, invalidPolicy()
			}
		}
		for _, r := range slices.Concat(st.Resource, st.NotResource) {
			if r != "*" && !strings.HasPrefix(r, "LogicalResourceId/") {
				return nil, invalidPolicy()
			}
		}
		if c, has := m["Condition"]; has {
			cm, ok := c.(map[string]any)
			if !ok || len(cm) != 1 {
				return nil, invalidPolicy()
			}
			for op, v := range cm {
				vm, ok := v.(map[string]any)
				if !ok || (op != "StringEquals" && op != "StringLike") {
					return nil, invalidPolicy()
				}
				types, ok := strOrList(vm["ResourceType"])
				if !ok || len(types) == 0 || len(vm) != 1 {
					return nil, invalidPolicy()
				}
				st.ResourceTypes, st.like = types, op == "StringLike"
			}
		}
		p.Statements = append(p.Statements, st)
	}
	return p, nil
}

// matches reports whether the statement covers action on resource id of
// type typ.
func (st policyStatement) matches(action, id, typ string) bool {
	actionIn := func(list []string) bool {
		return slices.ContainsFunc(list, func(a string) bool { return a == "Update:*" || a == action })
	}
	resourceIn := func(list []string) bool {
		return slices.ContainsFunc(list, func(r string) bool {
			if r == "*" {
				return true
			}
			ok, _ := path.Match(strings.TrimPrefix(r, "LogicalResourceId/"), id)
			return ok
		})
	}
	if len(st.Action) > 0 && !actionIn(st.Action) || len(st.NotAction) > 0 && actionIn(st.NotAction) {
		return false
	}
	if len(st.Resource) > 0 && !resourceIn(st.Resource) || len(st.NotResource) > 0 && resourceIn(st.NotResource) {
		return false
	}
	if len(st.ResourceTypes) > 0 {
		return slices.ContainsFunc(st.ResourceTypes, func(t string) bool {
			if st.like {
				ok, _ := path.Match(t, typ)
				return ok
			}
			return t == typ
		})
	}
	return true
}

// denies returns why the policy denies action on resource id of type typ
// ("" when it allows it): a Deny statement that matches, else the absence
// of an Allow statement that does.
func (p *stackPolicy) denies(action, id, typ string) string {
	allowed := false
	for i, st := range p.Statements {
		if !st.matches(action, id, typ) {
			continue
		}
		if st.Effect == "Deny" {
			return fmt.Sprintf("Action denied by stack policy: Statement [#%d] does not allow [%s] for resource [LogicalResourceId/%s]", i+1, action, id)
		}
		allowed = true
	}
	if !allowed {
		return fmt.Sprintf("Action not allowed by stack policy: No allow statement found for [%s] on resource [LogicalResourceId/%s]", action, id)
	}
	return ""
}

// policyIn reads a policy given as NAMEBody or NAMEURL (read from S3):
// "" when neither is given.
func policyIn(c *api.Call, name string) (string, error) {
	body, url := c.In.String(name+"Body"), c.In.String(name+"URL")
	switch {
	case body != "" && url != "":
		return "", validation("You cannot specify both %sURL and %sBody", name, name)
	case url != "":
		text, err := s3TextIn(c, url)
		if err != nil {
			return "", err
		}
		body = text
	case body == "":
		return "", nil
	}
	if len(body) > 16384 {
		return "", validation("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to 16384", strings.ToLower(name[:1])+name[1:]+"Body")
	}
	if _, err := parsePolicy(body); err != nil {
		return "", err
	}
	return body, nil
}

func setStackPolicy(c *api.Call) (map[string]any, error) {
	s, err := findStack(c, c.In.String("StackName"))
	if err != nil {
		return nil, err
	}
	body, err := policyIn(c, "StackPolicy")
	if err != nil {
		return nil, err
	}
	if body == "" {
		return nil, invalidPolicy()
	}
	if _, err := c.Engine.ChangeStack(s.ID, func(st *model.Stack) error {
		st.Policy = body
		return nil
	}); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func getStackPolicy(c *api.Call) (map[string]any, error) {
	s, err := findStack(c, c.In.String("StackName"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"StackPolicyBody": api.Str(s.Policy)}, nil
}

// policyDenials returns, for the changes an update would make, the
// reasons the policy in force (body) denies them, by logical id (nil when
// it denies none). The policy in force is UpdateStack's
// StackPolicyDuringUpdate or new StackPolicy when given, else the
// stack's (ExecuteChangeSet: the stack's).
func policyDenials(body string, changes []model.ResourceChange) map[string]string {
	if body == "" {
		return nil
	}
	p, err := parsePolicy(body)
	if err != nil || len(p.Statements) == 0 {
		return nil // an empty policy ({}) protects nothing
	}
	var out map[string]string
	for _, ch := range changes {
		var action string
		switch {
		case ch.Action == "Remove":
			action = "Update:Delete"
		case ch.Action == "Modify" && ch.Replacement == "True":
			action = "Update:Replace"
		case ch.Action == "Modify":
			action = "Update:Modify"
		default:
			continue // adding a resource is not an update action
		}
		if why := p.denies(action, ch.LogicalID, ch.Type); why != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[ch.LogicalID] = why
		}
	}
	return out
}

// policyDenied records an update the stack policy denied: UPDATE_IN_PROGRESS,
// each denied resource UPDATE_FAILED with the policy's reason, then the
// rollback of an update that changed nothing (UPDATE_ROLLBACK_IN_PROGRESS
// "The following resource(s) failed to update: [...]. ",
// UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS, UPDATE_ROLLBACK_COMPLETE).
func policyDenied(c *api.Call, s *model.Stack, denied map[string]string) (*model.Stack, error) {
	rec := newRecorder(c, s)
	rec.stack(statusUpdateInProgress, "User Initiated")
	var ids []string
	for _, r := range s.Resources {
		if why, ok := denied[r.LogicalID]; ok {
			rec.resource(r, statusUpdateFailed, why)
			ids = append(ids, r.LogicalID)
		}
	}
	reason := "The following resource(s) failed to update: [" + strings.Join(ids, ", ") + "]. "
	rec.stack(statusUpdateRollbackIP, reason)
	rec.stack(statusUpdateRollbackCln, "")
	rec.stack(statusUpdateRollbackDone, "")
	now := c.Engine.Now()
	return rec.commit(func(st *model.Stack) {
		st.Status, st.StatusReason, st.UpdatedAt = statusUpdateRollbackDone, "", now
	})
}
