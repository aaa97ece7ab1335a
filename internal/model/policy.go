package model

import (
	"encoding/json"
	"path"
	"strings"
)

// IAM policy evaluation, shared by the analyzer (endpoint policies, the ECS
// agent's credentials) and the engine (whether an instance's agent may
// register). Conditions: aws:ResourceAccount (the account of the
// resource's ARN; none for an AWS-owned resource such as ECR's layer
// bucket) and aws:PrincipalAccount (the caller's account) are evaluated with the String operators; a condition on any
// other key is taken to hold in an Allow and not to hold in a Deny, so
// that no denial is reported that cannot be shown [choice].

// PolicyDecision evaluates one policy document for action on resource:
// whether a statement allows it and whether one denies it explicitly. A
// document that does not parse allows nothing.
func PolicyDecision(doc, action, resource, account string) (allow, deny bool) {
	stmts, _ := statements[policyStatement](doc)
	for _, s := range stmts {
		if !s.matches(action, resource) || !s.conditionHolds(account, resource) {
			continue
		}
		switch s.Effect {
		case "Deny":
			deny = true
		case "Allow":
			allow = true
		}
	}
	return allow, deny
}

// statements decodes a policy document's Statement, one statement or a
// list of them; ok is false when the document does not parse.
func statements[T any](doc string) (stmts []T, ok bool) {
	var p struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return nil, false
	}
	if err := json.Unmarshal(p.Statement, &stmts); err != nil {
		var one T
		if err := json.Unmarshal(p.Statement, &one); err != nil {
			return nil, false
		}
		stmts = []T{one}
	}
	return stmts, true
}

type policyStatement struct {
	Effect      string
	Action      stringOrList
	NotAction   stringOrList
	Resource    stringOrList
	NotResource stringOrList
	Condition   map[string]map[string]stringOrList
}

// conditionHolds evaluates a statement's Condition for a request of the
// start path on resource by a principal of account. aws:ResourceAccount
// is the account of the resource's ARN: a customer's secret, parameter or
// repository names it; an AWS-owned resource (ECR's layer bucket, whose
// S3 ARN has no account field) or "*" names none.
func (s policyStatement) conditionHolds(account, resource string) bool {
	for op, keys := range s.Condition {
		o := strings.TrimSuffix(strings.ToLower(op), "ifexists")
		for key, vals := range keys {
			var have string
			known := true
			switch strings.ToLower(key) {
			case "aws:resourceaccount":
				have = arnAccount(resource) // "" for an AWS-owned resource: equal to no account named
			case "aws:principalaccount":
				have = account
			default:
				known = false
			}
			var holds bool
			switch {
			case !known || strings.Contains(o, ":"):
				// Another key, or a set operator: not evaluated.
				holds = s.Effect != "Deny"
			case o == "stringequals" || o == "stringequalsignorecase":
				holds = have != "" && anyEqual(vals, have, o == "stringequalsignorecase")
			case o == "stringnotequals" || o == "stringnotequalsignorecase":
				holds = have == "" || !anyEqual(vals, have, o == "stringnotequalsignorecase")
			case o == "stringlike":
				holds = have != "" && anyMatch(vals, have, false)
			case o == "stringnotlike":
				holds = have == "" || !anyMatch(vals, have, false)
			default:
				holds = s.Effect != "Deny"
			}
			if !holds {
				return false
			}
		}
	}
	return true
}

// anyEqual compares a value with a condition's values, exactly (the
// String*Equals operators do not expand wildcards).
func anyEqual(vals []string, v string, fold bool) bool {
	for _, x := range vals {
		if x == v || fold && strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

func (s policyStatement) matches(action, resource string) bool {
	switch {
	case s.Action != nil && !anyMatch(s.Action, action, true):
		return false
	case s.NotAction != nil && anyMatch(s.NotAction, action, true):
		return false
	case s.Action == nil && s.NotAction == nil:
		return false
	}
	switch {
	case s.Resource != nil && !anyMatch(s.Resource, resource, false):
		return false
	case s.NotResource != nil && anyMatch(s.NotResource, resource, false):
		return false
	case s.Resource == nil && s.NotResource == nil:
		return false
	}
	return true
}

// anyMatch matches a value against IAM patterns (* and ?); actions match
// without regard to case, resources with.
func anyMatch(patterns []string, v string, fold bool) bool {
	for _, p := range patterns {
		if WildcardMatch(p, v, fold) {
			return true
		}
	}
	return false
}

// iamPattern turns an IAM pattern into path.Match's: IAM's * crosses '/'
// (path.Match's stops there, so '/' is matched as another byte) and IAM
// has no character classes or escapes ('[' and '\' are literal).
var iamPattern = strings.NewReplacer("/", "\x00", "[", "\\[", "\\", "\\\\")

// WildcardMatch reports whether v matches an IAM policy pattern: * any run
// of characters, '/' included, ? one character, the rest literal; fold
// compares without case (actions), else exactly (resources).
func WildcardMatch(pattern, v string, fold bool) bool {
	if pattern == "*" {
		return true
	}
	if fold {
		pattern, v = strings.ToLower(pattern), strings.ToLower(v)
	}
	ok, _ := path.Match(iamPattern.Replace(pattern), strings.ReplaceAll(v, "/", "\x00"))
	return ok
}

// stringOrList is a policy element that is a string or a list of them.
type stringOrList []string

func (s *stringOrList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = stringOrList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*s = many
	return nil
}

// trustStatement is a statement of a role's trust policy: who may assume
// the role.
type trustStatement struct {
	Effect       string
	Action       stringOrList
	NotAction    stringOrList
	Principal    json.RawMessage
	NotPrincipal json.RawMessage
}

// TrustsService reports whether a role's trust policy (its
// AssumeRolePolicyDocument) lets an AWS service principal such as
// ecs-tasks.amazonaws.com assume it (sts:AssumeRole): a statement allows
// it and none denies it. A document that does not parse trusts nobody.
// Conditions are taken to hold [choice]: the services send the keys their
// guides suggest (aws:SourceAccount, aws:SourceArn).
func TrustsService(doc, service string) bool {
	stmts, _ := statements[trustStatement](doc)
	allow := false
	for _, s := range stmts {
		switch {
		case s.Action != nil && !anyMatch(s.Action, "sts:AssumeRole", true),
			s.NotAction != nil && anyMatch(s.NotAction, "sts:AssumeRole", true),
			s.Action == nil && s.NotAction == nil:
			continue
		}
		named := principalNames(s.Principal, service)
		if s.NotPrincipal != nil {
			named = !principalNames(s.NotPrincipal, service)
		}
		if !named {
			continue
		}
		switch s.Effect {
		case "Deny":
			return false
		case "Allow":
			allow = true
		}
	}
	return allow
}

// principalNames reports whether a Principal element ("*", or an object
// of Service, AWS, Federated lists) names the service principal: "*" and
// {"AWS": "*"} name everyone.
func principalNames(raw json.RawMessage, service string) bool {
	if raw == nil {
		return false
	}
	var star string
	if json.Unmarshal(raw, &star) == nil {
		return star == "*"
	}
	var m map[string]stringOrList
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	for k, vals := range m {
		switch strings.ToLower(k) {
		case "service":
			if anyEqual(vals, service, true) {
				return true
			}
		case "aws":
			if anyEqual(vals, "*", false) {
				return true
			}
		}
	}
	return false
}

// TrustedServices names the service principals that the Allow statements
// of a trust policy name, in their order (none when it does not parse).
func TrustedServices(doc string) []string {
	stmts, _ := statements[trustStatement](doc)
	var out []string
	for _, s := range stmts {
		var p struct{ Service stringOrList }
		if s.Effect == "Allow" && s.Principal != nil && json.Unmarshal(s.Principal, &p) == nil {
			out = append(out, p.Service...)
		}
	}
	return out
}

// arnAccount returns the account field of an ARN ("" when it has none or
// s is not an ARN).
func arnAccount(s string) string {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[4]
}
