package engine

import (
	"encoding/json"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// IAM: roles, their inline and attached policies, customer managed
// policies and instance profiles, which templates and Terraform
// configurations create beside every ECS service (the task execution role,
// the instance role). IAM is global; it lives in the state of the region
// IAM requests are signed for (us-east-1). ecsnet stores and answers these
// resources; it does not evaluate policies.

func iamError(code string, status int, format string, args ...any) error {
	e := apierr.Newf(code, format, args...)
	e.HTTPStatus = status
	return e
}

func iamNoSuchEntity(format string, args ...any) error {
	return iamError("NoSuchEntity", http.StatusNotFound, format, args...)
}

func iamConflict(format string, args ...any) error {
	return iamError("DeleteConflict", http.StatusConflict, format, args...)
}

func iamValidation(format string, args ...any) error {
	return iamError("ValidationError", http.StatusBadRequest, format, args...)
}

var (
	iamVersionIDRE = regexp.MustCompile(`^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$`)
	iamNameRE      = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)
	iamPathRE      = regexp.MustCompile(`^(/|/[\x21-\x7e]{0,510}/)$`)
)

func checkIAMName(member, name string, max int) error {
	if !iamNameRE.MatchString(name) || len(name) > max {
		return iamValidation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+", name, member)
	}
	return nil
}

// CheckPolicyVersionID refuses a policy version id that is not of IAM's
// form (policyVersionIdType: v1, v2, ...) before any policy is looked up, in
// AWS's words: its message names the member but not the value.
func CheckPolicyVersionID(id string) error {
	if !iamVersionIDRE.MatchString(id) {
		return iamValidation("1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?")
	}
	return nil
}

func checkIAMPath(path string) (string, error) {
	if path == "" {
		return "/", nil
	}
	if !iamPathRE.MatchString(path) {
		return "", iamValidation("The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.")
	}
	return path, nil
}

// checkPolicyDocument accepts a JSON object, as IAM's first check does.
func checkPolicyDocument(doc string) error {
	var v map[string]any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return iamError("MalformedPolicyDocument", http.StatusBadRequest, "This policy contains invalid Json")
	}
	if _, ok := v["Statement"]; !ok {
		return iamError("MalformedPolicyDocument", http.StatusBadRequest, "Syntax errors in policy.")
	}
	return nil
}

// errPolicyPrincipal is IAM's answer to an identity-based policy (a
// managed policy, a role's or user's inline policy) whose statement names
// a Principal or NotPrincipal.
func errPolicyPrincipal() error {
	return iamError("MalformedPolicyDocument", http.StatusBadRequest, "Policy document should not specify a principal.")
}

// policyStatements returns the statements of a policy document that is a
// JSON object: its Statement object or list of objects (nil when it is
// neither).
func policyStatements(doc string) []map[string]json.RawMessage {
	var v struct {
		Statement json.RawMessage
	}
	if json.Unmarshal([]byte(doc), &v) != nil {
		return nil
	}
	var stmts []map[string]json.RawMessage
	if json.Unmarshal(v.Statement, &stmts) != nil {
		var one map[string]json.RawMessage
		if json.Unmarshal(v.Statement, &one) != nil {
			return nil
		}
		stmts = []map[string]json.RawMessage{one}
	}
	return stmts
}

// namesPrincipal reports whether a statement of doc names a Principal or
// NotPrincipal.
func namesPrincipal(doc string) bool {
	for _, st := range policyStatements(doc) {
		if _, ok := st["Principal"]; ok {
			return true
		}
		if _, ok := st["NotPrincipal"]; ok {
			return true
		}
	}
	return false
}

// checkInlinePolicy checks a role's or user's inline policy: a JSON object
// with a Statement (checkPolicyDocument), of the grammar of a managed
// policy's document ("Syntax errors in policy.", checkManagedPolicyDocument's
// check 1: IAM parses an inline policy as it does a managed one; its
// later checks are not applied to inline policies [choice]), and no
// principal.
func checkInlinePolicy(doc string) error {
	if err := checkPolicyDocument(doc); err != nil {
		return err
	}
	obj, _ := decodeObject(json.RawMessage(doc))
	if _, _, _, ok := parsePolicyGrammar(obj); !ok {
		return policyDocError("Syntax errors in policy.")
	}
	if namesPrincipal(doc) {
		return errPolicyPrincipal()
	}
	return nil
}

// trustActions are the actions a role's trust policy may name (IAM
// refuses others: "AssumeRole policy may only specify STS AssumeRole
// actions.").
var trustActions = []string{"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
	"sts:tagsession", "sts:setsourceidentity", "sts:setcontext"}

// checkTrustPolicy runs checkPolicyDocument, then IAM's checks of a trust
// policy: no Resource or NotResource in a statement, only STS AssumeRole
// actions (an action with a wildcard must be sts:… or *), and a
// Principal (or NotPrincipal) in every statement.
func checkTrustPolicy(doc string) error {
	if err := checkPolicyDocument(doc); err != nil {
		return err
	}
	var v struct {
		Statement json.RawMessage
	}
	_ = json.Unmarshal([]byte(doc), &v)
	var stmts []map[string]json.RawMessage
	if err := json.Unmarshal(v.Statement, &stmts); err != nil {
		var one map[string]json.RawMessage
		if json.Unmarshal(v.Statement, &one) != nil {
			return iamError("MalformedPolicyDocument", http.StatusBadRequest, "Syntax errors in policy.")
		}
		stmts = []map[string]json.RawMessage{one}
	}
	for _, st := range stmts {
		for _, f := range []string{"Resource", "NotResource"} {
			if _, ok := st[f]; ok {
				return iamError("MalformedPolicyDocument", http.StatusBadRequest, "Has prohibited field %s", f)
			}
		}
		raw, ok := st["Action"]
		if !ok {
			continue
		}
		var actions []string
		if json.Unmarshal(raw, &actions) != nil {
			var a string
			if json.Unmarshal(raw, &a) != nil {
				return iamError("MalformedPolicyDocument", http.StatusBadRequest, "Syntax errors in policy.")
			}
			actions = []string{a}
		}
		for _, a := range actions {
			a = strings.ToLower(a)
			if slices.Contains(trustActions, a) || a == "*" || (strings.HasPrefix(a, "sts:") && strings.Contains(a, "*")) {
				continue
			}
			return iamError("MalformedPolicyDocument", http.StatusBadRequest, "AssumeRole policy may only specify STS AssumeRole actions.")
		}
	}
	for _, st := range stmts {
		_, p := st["Principal"]
		_, np := st["NotPrincipal"]
		if !p && !np {
			return iamError("MalformedPolicyDocument", http.StatusBadRequest, "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!")
		}
	}
	return nil
}

// arnRE is an ARN's form: arn:partition:service:region:account:resource.
var arnRE = regexp.MustCompile(`^arn:[a-z0-9-]+:[a-z0-9-]*:[a-z0-9-]*:[0-9a-z]*:.+$`)

// checkPolicyARN refuses a string that is not an ARN (AttachRolePolicy:
// ValidationError "ARN X is not valid.").
func checkPolicyARN(arn string) error {
	if !arnRE.MatchString(arn) {
		return iamValidation("ARN %s is not valid.", arn)
	}
	return nil
}

// boundaryExists checks a permissions boundary: an IAM policy ARN
// (otherwise InvalidInput "ARN X is not valid.") of a policy that exists
// (otherwise NoSuchEntity "Scope ARN: X does not exist or is not
// attachable.").
func (t *txn) boundaryExists(arn string) error {
	if i := strings.Index(arn, ":iam::"); !arnRE.MatchString(arn) || i < 0 || !strings.Contains(arn[i:], ":policy/") {
		return iamError("InvalidInput", http.StatusBadRequest, "ARN %s is not valid.", arn)
	}
	if t.policyExists(arn) != nil {
		return iamNoSuchEntity("Scope ARN: %s does not exist or is not attachable.", arn)
	}
	return nil
}

func (e *Engine) iamARN(kind, path, name string) string {
	return "arn:" + model.Partition(e.cfg.Region) + ":iam::" + e.cfg.Account + ":" + kind + path + name
}

// RoleARN is a role's ARN.
func (e *Engine) RoleARN(r *model.Role) string { return e.iamARN("role", r.Path, r.Name) }

// InstanceProfileARN is an instance profile's ARN.
func (e *Engine) InstanceProfileARN(p *model.InstanceProfile) string {
	return e.iamARN("instance-profile", p.Path, p.Name)
}

func (t *txn) iamID(prefix string) string { return prefix + strings.ToUpper(t.e.ids.Hex(17)) }

// RoleInput is CreateRole's input.
type RoleInput struct {
	Name, Path, AssumeRolePolicyDocument, Description, PermissionsBoundary string
	MaxSessionDuration                                                     int64
	Tags                                                                   model.Tags
}

// CreateRole creates a role.
func (e *Engine) CreateRole(in RoleInput) (*model.Role, error) {
	if err := checkIAMName("roleName", in.Name, 64); err != nil {
		return nil, err
	}
	path, err := checkIAMPath(in.Path)
	if err != nil {
		return nil, err
	}
	if err := checkTrustPolicy(in.AssumeRolePolicyDocument); err != nil {
		return nil, err
	}
	if in.MaxSessionDuration == 0 {
		in.MaxSessionDuration = 3600
	}
	if in.MaxSessionDuration < 3600 || in.MaxSessionDuration > 43200 {
		return nil, iamValidation("1 validation error detected: Value '%d' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200", in.MaxSessionDuration)
	}
	var out *model.Role
	err = e.write(func(t *txn) error {
		if t.st.Roles[in.Name] != nil {
			return iamError("EntityAlreadyExists", http.StatusConflict, "Role with name %s already exists.", in.Name)
		}
		if in.PermissionsBoundary != "" {
			if err := t.boundaryExists(in.PermissionsBoundary); err != nil {
				return err
			}
		}
		out = &model.Role{Name: in.Name, Path: path, ID: t.iamID("AROA"), AssumeRolePolicyDocument: in.AssumeRolePolicyDocument,
			Description: in.Description, MaxSessionDuration: in.MaxSessionDuration, PermissionsBoundary: in.PermissionsBoundary,
			Created: t.now, Tags: in.Tags.Clone()}
		put(t, model.KindRole, t.st.Roles, out.Name, out)
		return nil
	})
	return out, err
}

// Role returns a role by name.
func (e *Engine) Role(st *model.State, name string) (*model.Role, error) {
	if r := st.Roles[name]; r != nil {
		return r, nil
	}
	return nil, iamNoSuchEntity("The role with name %s cannot be found.", name)
}

// ChangeRole applies fn to a copy of the named role and stores it.
func (e *Engine) ChangeRole(name string, fn func(t *txn, r *model.Role) error) error {
	return e.write(func(t *txn) error {
		old, err := e.Role(t.st, name)
		if err != nil {
			return err
		}
		r := *old
		r.Tags = old.Tags.Clone()
		r.InlinePolicies = maps.Clone(old.InlinePolicies)
		r.AttachedPolicies = slices.Clone(old.AttachedPolicies)
		if err := fn(t, &r); err != nil {
			return err
		}
		put(t, model.KindRole, t.st.Roles, name, &r)
		return nil
	})
}

// UpdateRole changes a role's description (when set) and session duration
// (when non-zero).
func (e *Engine) UpdateRole(name string, description *string, maxSession int64) error {
	if maxSession != 0 && (maxSession < 3600 || maxSession > 43200) {
		return iamValidation("1 validation error detected: Value '%d' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200", maxSession)
	}
	return e.ChangeRole(name, func(_ *txn, r *model.Role) error {
		if description != nil {
			r.Description = *description
		}
		if maxSession != 0 {
			r.MaxSessionDuration = maxSession
		}
		return nil
	})
}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (e *Engine) UpdateAssumeRolePolicy(name, doc string) error {
	if err := checkTrustPolicy(doc); err != nil {
		return err
	}
	return e.ChangeRole(name, func(_ *txn, r *model.Role) error {
		r.AssumeRolePolicyDocument = doc
		return nil
	})
}

// SetRolePermissionsBoundary sets (or, with "", removes) a role's boundary.
func (e *Engine) SetRolePermissionsBoundary(name, arn string) error {
	return e.ChangeRole(name, func(t *txn, r *model.Role) error {
		if arn != "" {
			if err := t.boundaryExists(arn); err != nil {
				return err
			}
		}
		r.PermissionsBoundary = arn
		return nil
	})
}

// DeleteRole deletes a role that has no policies and is in no instance
// profile, as IAM requires.
func (e *Engine) DeleteRole(name string) error {
	return e.write(func(t *txn) error {
		r, err := e.Role(t.st, name)
		if err != nil {
			return err
		}
		if r.ServiceLinked != "" {
			return iamError("UnmodifiableEntity", http.StatusBadRequest, "Cannot perform the operation on the protected role '%s' - this role is only modifiable by AWS", name)
		}
		if len(r.AttachedPolicies) > 0 {
			return iamConflict("Cannot delete entity, must detach all policies first.")
		}
		if len(r.InlinePolicies) > 0 {
			return iamConflict("Cannot delete entity, must delete policies first.")
		}
		for _, p := range t.st.InstanceProfiles {
			if slices.Contains(p.Roles, name) {
				return iamConflict("Cannot delete entity, must remove roles from instance profile first.")
			}
		}
		del(t, model.KindRole, t.st.Roles, name)
		return nil
	})
}

// PutRolePolicy adds or replaces an inline policy of a role.
func (e *Engine) PutRolePolicy(role, policy, doc string) error {
	if err := checkIAMName("policyName", policy, 128); err != nil {
		return err
	}
	if err := checkInlinePolicy(doc); err != nil {
		return err
	}
	return e.ChangeRole(role, func(_ *txn, r *model.Role) error {
		if r.InlinePolicies == nil {
			r.InlinePolicies = map[string]string{}
		}
		r.InlinePolicies[policy] = doc
		return nil
	})
}

// DeleteRolePolicy removes an inline policy of a role.
func (e *Engine) DeleteRolePolicy(role, policy string) error {
	return e.ChangeRole(role, func(_ *txn, r *model.Role) error {
		if _, ok := r.InlinePolicies[policy]; !ok {
			return iamNoSuchEntity("The role policy with name %s cannot be found.", policy)
		}
		delete(r.InlinePolicies, policy)
		return nil
	})
}

// AttachRolePolicy attaches a managed policy to a role.
func (e *Engine) AttachRolePolicy(role, arn string) error {
	if err := checkPolicyARN(arn); err != nil {
		return err
	}
	return e.ChangeRole(role, func(t *txn, r *model.Role) error {
		return t.attachPolicy(&r.AttachedPolicies, arn, "PoliciesPerRole")
	})
}

// DetachRolePolicy detaches a managed policy from a role.
func (e *Engine) DetachRolePolicy(role, arn string) error {
	return e.ChangeRole(role, func(_ *txn, r *model.Role) error { return detachPolicy(&r.AttachedPolicies, arn) })
}

// attachPolicy adds managed policy arn to a role's or a user's attached
// policies, 10 at most (IAM quotas: quota names which).
func (t *txn) attachPolicy(attached *[]string, arn, quota string) error {
	if err := t.policyExists(arn); err != nil {
		return iamNoSuchEntity("Policy %s does not exist or is not attachable.", arn)
	}
	if !slices.Contains(*attached, arn) {
		if len(*attached) >= 10 {
			return iamError("LimitExceeded", http.StatusConflict, "Cannot exceed quota for %s: 10", quota)
		}
		*attached = append(*attached, arn)
	}
	return nil
}

// detachPolicy removes managed policy arn from a role's or a user's
// attached policies.
func detachPolicy(attached *[]string, arn string) error {
	i := slices.Index(*attached, arn)
	if i < 0 {
		return iamNoSuchEntity("Policy %s was not found.", arn)
	}
	*attached = slices.Delete(*attached, i, i+1)
	return nil
}

// serviceLinkedRoles names the service-linked role of each service ecsnet
// knows.
var serviceLinkedRoles = map[string]string{
	"ecs.amazonaws.com":                         "AWSServiceRoleForECS",
	"elasticloadbalancing.amazonaws.com":        "AWSServiceRoleForElasticLoadBalancing",
	"autoscaling.amazonaws.com":                 "AWSServiceRoleForAutoScaling",
	"ecs.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_ECSService",
	"spot.amazonaws.com":                        "AWSServiceRoleForEC2Spot",
	"servicediscovery.amazonaws.com":            "AWSServiceRoleForCloudMap",
}

// CreateServiceLinkedRole creates the role a service uses on the account's
// behalf.
func (e *Engine) CreateServiceLinkedRole(service, description, suffix string) (*model.Role, error) {
	name, ok := serviceLinkedRoles[service]
	if !ok {
		return nil, iamError("InvalidInput", http.StatusBadRequest, "Unrecognized service principal: %s", service)
	}
	if suffix != "" {
		name += "_" + suffix
	}
	var out *model.Role
	err := e.write(func(t *txn) error {
		if t.st.Roles[name] != nil {
			return iamError("InvalidInput", http.StatusBadRequest, "Service role name %s has been taken in this account, please try a different suffix.", name)
		}
		trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["` + service + `"]},"Action":["sts:AssumeRole"]}]}`
		out = &model.Role{Name: name, Path: "/aws-service-role/" + service + "/", ID: t.iamID("AROA"),
			AssumeRolePolicyDocument: trust, Description: description, MaxSessionDuration: 3600, Created: t.now, ServiceLinked: service}
		put(t, model.KindRole, t.st.Roles, name, out)
		return nil
	})
	return out, err
}

// PolicyARN is a customer managed policy's ARN.
func (e *Engine) PolicyARN(path, name string) string { return e.iamARN("policy", path, name) }

// policyExists reports whether arn names a customer managed policy of the
// account or an AWS managed policy.
func (t *txn) policyExists(arn string) error {
	if t.st.ManagedPolicies[arn] != nil {
		return nil
	}
	if _, ok := AWSManagedPolicy(arn); ok {
		return nil
	}
	return iamNoSuchEntity("Policy %s was not found.", arn)
}

// ManagedPolicyInput is CreatePolicy's input.
type ManagedPolicyInput struct {
	Name, Path, Description, Document string
	Tags                              model.Tags
}

// CreateManagedPolicy creates a customer managed policy (version v1, the default).
func (e *Engine) CreateManagedPolicy(in ManagedPolicyInput) (*model.ManagedPolicy, error) {
	if err := checkIAMName("policyName", in.Name, 128); err != nil {
		return nil, err
	}
	path, err := checkIAMPath(in.Path)
	if err != nil {
		return nil, err
	}
	if err := checkManagedPolicyDocument(in.Document); err != nil {
		return nil, err
	}
	var out *model.ManagedPolicy
	err = e.write(func(t *txn) error {
		arn := e.PolicyARN(path, in.Name)
		for _, p := range t.st.ManagedPolicies {
			if p.Name == in.Name {
				return iamError("EntityAlreadyExists", http.StatusConflict, "A policy called %s already exists. Duplicate names are not allowed.", in.Name)
			}
		}
		out = &model.ManagedPolicy{ARN: arn, Name: in.Name, Path: path, ID: t.iamID("ANPA"), Description: in.Description,
			Created: t.now, Updated: t.now, Tags: in.Tags.Clone(), DefaultVersion: "v1", NextVersion: 2,
			Versions: []model.PolicyVersion{{ID: "v1", Document: in.Document, Created: t.now}}}
		put(t, model.KindManagedPolicy, t.st.ManagedPolicies, arn, out)
		return nil
	})
	return out, err
}

// ManagedPolicy returns a customer managed policy by ARN.
func (e *Engine) ManagedPolicy(st *model.State, arn string) (*model.ManagedPolicy, error) {
	if p := st.ManagedPolicies[arn]; p != nil {
		return p, nil
	}
	return nil, iamNoSuchEntity("Policy %s was not found.", arn)
}

// ChangeManagedPolicy applies fn to a copy of a customer managed policy.
func (e *Engine) ChangeManagedPolicy(arn string, fn func(t *txn, p *model.ManagedPolicy) error) error {
	return e.write(func(t *txn) error {
		old, err := e.ManagedPolicy(t.st, arn)
		if err != nil {
			if _, ok := AWSManagedPolicy(arn); ok {
				return iamError("InvalidInput", http.StatusBadRequest, "ARN %s is not valid.", arn)
			}
			return err
		}
		p := *old
		p.Tags = old.Tags.Clone()
		p.Versions = slices.Clone(old.Versions)
		if err := fn(t, &p); err != nil {
			return err
		}
		put(t, model.KindManagedPolicy, t.st.ManagedPolicies, arn, &p)
		return nil
	})
}

// CreatePolicyVersion adds a version (at most five are kept).
func (e *Engine) CreatePolicyVersion(arn, doc string, setDefault bool) (model.PolicyVersion, error) {
	if err := checkManagedPolicyDocument(doc); err != nil {
		return model.PolicyVersion{}, err
	}
	var v model.PolicyVersion
	err := e.ChangeManagedPolicy(arn, func(t *txn, p *model.ManagedPolicy) error {
		if len(p.Versions) >= 5 {
			return iamError("LimitExceeded", http.StatusConflict, "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
		}
		v = model.PolicyVersion{ID: "v" + itoa(p.NextVersion), Document: doc, Created: t.now}
		p.NextVersion++
		p.Versions = append(p.Versions, v)
		if setDefault {
			p.DefaultVersion = v.ID
		}
		p.Updated = t.now
		return nil
	})
	return v, err
}

// NoSuchPolicyVersion is IAM's answer to a policy version that is not
// there, whether the policy lacks it or the policy itself does not exist
// (GetPolicyVersion, DeletePolicyVersion, SetDefaultPolicyVersion): NoSuchEntity
// "Policy ARN version V does not exist or is not attachable." (LocalStack's
// AWS-validated test_iam_policies recording, test_policy_version_errors,
// 2026-02-10: err-get-version-nonexistent-policy,
// err-set-default-nonexistent-policy; DeletePolicyVersion [probable]).
func NoSuchPolicyVersion(arn, id string) error {
	return iamNoSuchEntity("Policy %s version %s does not exist or is not attachable.", arn, id)
}

// changePolicyVersions is ChangeManagedPolicy for the version operations:
// a policy that does not exist is NoSuchPolicyVersion.
func (e *Engine) changePolicyVersions(arn, id string, fn func(t *txn, p *model.ManagedPolicy) error) error {
	var missing bool
	e.Read(func(st *model.State) {
		_, aws := AWSManagedPolicy(arn)
		missing = st.ManagedPolicies[arn] == nil && !aws
	})
	if missing {
		return NoSuchPolicyVersion(arn, id)
	}
	return e.ChangeManagedPolicy(arn, fn)
}

// DeletePolicyVersion deletes a version that is not the default.
func (e *Engine) DeletePolicyVersion(arn, id string) error {
	if err := CheckPolicyVersionID(id); err != nil {
		return err
	}
	return e.changePolicyVersions(arn, id, func(_ *txn, p *model.ManagedPolicy) error {
		i := slices.IndexFunc(p.Versions, func(v model.PolicyVersion) bool { return v.ID == id })
		if i < 0 {
			return NoSuchPolicyVersion(arn, id)
		}
		if p.DefaultVersion == id {
			return iamConflict("Cannot delete the default version of a policy.")
		}
		p.Versions = slices.Delete(p.Versions, i, i+1)
		return nil
	})
}

// SetDefaultPolicyVersion makes a version the default.
func (e *Engine) SetDefaultPolicyVersion(arn, id string) error {
	if err := CheckPolicyVersionID(id); err != nil {
		return err
	}
	return e.changePolicyVersions(arn, id, func(t *txn, p *model.ManagedPolicy) error {
		if !slices.ContainsFunc(p.Versions, func(v model.PolicyVersion) bool { return v.ID == id }) {
			return NoSuchPolicyVersion(arn, id)
		}
		p.DefaultVersion = id
		p.Updated = t.now
		return nil
	})
}

// PolicyAttachments returns the roles and the users a managed policy is
// attached to, each by name.
func PolicyAttachments(st *model.State, arn string) (roles []*model.Role, users []*model.IAMUser) {
	return attachedTo(st.Roles, arn, func(r *model.Role) (string, []string) { return r.Name, r.AttachedPolicies }),
		attachedTo(st.IAMUsers, arn, func(u *model.IAMUser) (string, []string) { return u.Name, u.AttachedPolicies })
}

// attachedTo returns the principals of all that policy arn is attached
// to, by name.
func attachedTo[P any](all map[string]*P, arn string, of func(*P) (name string, attached []string)) []*P {
	var out []*P
	for _, p := range all {
		if _, attached := of(p); slices.Contains(attached, arn) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *P) int {
		an, _ := of(a)
		bn, _ := of(b)
		return strings.Compare(an, bn)
	})
	return out
}

// DeleteManagedPolicy deletes a customer managed policy attached to nothing.
func (e *Engine) DeleteManagedPolicy(arn string) error {
	return e.write(func(t *txn) error {
		if _, err := e.ManagedPolicy(t.st, arn); err != nil {
			return err
		}
		if roles, users := PolicyAttachments(t.st, arn); len(roles) > 0 || len(users) > 0 || len(PolicyGroupAttachments(t.st, arn)) > 0 {
			return iamConflict("Cannot delete a policy attached to entities.")
		}
		del(t, model.KindManagedPolicy, t.st.ManagedPolicies, arn)
		return nil
	})
}

// TagManagedPolicy adds and removes a customer managed policy's tags.
func (e *Engine) TagManagedPolicy(arn string, add model.Tags, remove []string) error {
	return e.ChangeManagedPolicy(arn, func(_ *txn, p *model.ManagedPolicy) error {
		p.Tags = changeTags(p.Tags, add, remove)
		return checkIAMTags(p.Tags)
	})
}

// TagRole adds and removes a role's tags.
func (e *Engine) TagRole(name string, add model.Tags, remove []string) error {
	return e.ChangeRole(name, func(_ *txn, r *model.Role) error {
		r.Tags = changeTags(r.Tags, add, remove)
		return checkIAMTags(r.Tags)
	})
}

// changeTags sets add and deletes remove in tags (nil: a new set), and
// returns them.
func changeTags(tags, add model.Tags, remove []string) model.Tags {
	if tags == nil {
		tags = model.Tags{}
	}
	for k, v := range add {
		tags[k] = v
	}
	for _, k := range remove {
		delete(tags, k)
	}
	return tags
}

func checkIAMTags(tags model.Tags) error {
	if len(tags) > 50 {
		return iamError("LimitExceeded", http.StatusConflict, "The number of tags has reached the maximum limit.")
	}
	return nil
}

// CreateInstanceProfile creates an instance profile.
func (e *Engine) CreateInstanceProfile(name, path string, tags model.Tags) (*model.InstanceProfile, error) {
	if err := checkIAMName("instanceProfileName", name, 128); err != nil {
		return nil, err
	}
	path, err := checkIAMPath(path)
	if err != nil {
		return nil, err
	}
	var out *model.InstanceProfile
	err = e.write(func(t *txn) error {
		if t.st.InstanceProfiles[name] != nil {
			return iamError("EntityAlreadyExists", http.StatusConflict, "Instance Profile %s already exists.", name)
		}
		out = &model.InstanceProfile{Name: name, Path: path, ID: t.iamID("AIPA"), Created: t.now, Tags: tags.Clone()}
		put(t, model.KindInstanceProfile, t.st.InstanceProfiles, name, out)
		return nil
	})
	return out, err
}

// InstanceProfile returns an instance profile by name.
func (e *Engine) InstanceProfile(st *model.State, name string) (*model.InstanceProfile, error) {
	if p := st.InstanceProfiles[name]; p != nil {
		return p, nil
	}
	return nil, iamNoSuchEntity("Instance Profile %s cannot be found.", name)
}

// ChangeInstanceProfile applies fn to a copy of an instance profile.
func (e *Engine) ChangeInstanceProfile(name string, fn func(t *txn, p *model.InstanceProfile) error) error {
	return e.write(func(t *txn) error {
		old, err := e.InstanceProfile(t.st, name)
		if err != nil {
			return err
		}
		p := *old
		p.Roles = slices.Clone(old.Roles)
		p.Tags = old.Tags.Clone()
		if err := fn(t, &p); err != nil {
			return err
		}
		put(t, model.KindInstanceProfile, t.st.InstanceProfiles, name, &p)
		return nil
	})
}

// AddRoleToInstanceProfile puts a role in a profile (one at most).
func (e *Engine) AddRoleToInstanceProfile(profile, role string) error {
	return e.ChangeInstanceProfile(profile, func(t *txn, p *model.InstanceProfile) error {
		if _, err := e.Role(t.st, role); err != nil {
			return err
		}
		if len(p.Roles) > 0 {
			return iamError("LimitExceeded", http.StatusConflict, "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
		}
		p.Roles = append(p.Roles, role)
		return nil
	})
}

// RemoveRoleFromInstanceProfile takes a role out of a profile.
func (e *Engine) RemoveRoleFromInstanceProfile(profile, role string) error {
	return e.ChangeInstanceProfile(profile, func(t *txn, p *model.InstanceProfile) error {
		if _, err := e.Role(t.st, role); err != nil {
			return err
		}
		i := slices.Index(p.Roles, role)
		if i < 0 {
			return iamNoSuchEntity("Role %s in Instance Profile %s cannot be found.", role, profile)
		}
		p.Roles = slices.Delete(p.Roles, i, i+1)
		return nil
	})
}

// TagInstanceProfile adds and removes an instance profile's tags.
func (e *Engine) TagInstanceProfile(name string, add model.Tags, remove []string) error {
	return e.ChangeInstanceProfile(name, func(_ *txn, p *model.InstanceProfile) error {
		p.Tags = changeTags(p.Tags, add, remove)
		return checkIAMTags(p.Tags)
	})
}

// DeleteInstanceProfile deletes a profile that holds no role.
func (e *Engine) DeleteInstanceProfile(name string) error {
	return e.write(func(t *txn) error {
		p, err := e.InstanceProfile(t.st, name)
		if err != nil {
			return err
		}
		if len(p.Roles) > 0 {
			return iamConflict("Cannot delete entity, must remove roles from instance profile first.")
		}
		del(t, model.KindInstanceProfile, t.st.InstanceProfiles, name)
		return nil
	})
}

// DeleteServiceLinkedRole deletes a service-linked role (at once: the
// deletion task it answers has succeeded).
func (e *Engine) DeleteServiceLinkedRole(name string) error {
	return e.write(func(t *txn) error {
		r, err := e.Role(t.st, name)
		if err != nil {
			return err
		}
		if r.ServiceLinked == "" {
			return iamError("InvalidInput", http.StatusBadRequest, "Role %s is not a service-linked role.", name)
		}
		del(t, model.KindRole, t.st.Roles, name)
		return nil
	})
}
