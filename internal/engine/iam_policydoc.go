package engine

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// IAM's validation of a managed policy's document (CreatePolicy,
// CreatePolicyVersion), in the order IAM applies its checks; IAM answers
// MalformedPolicyDocument with the first failing check's text:
//
//  1. grammar, "Syntax errors in policy.": a JSON object (not JSON at all
//     is the same error) of Version, Id
//     and Statement only; Statement an object or a non-empty list of
//     objects; a statement of Sid, Effect, Principal, NotPrincipal,
//     Action, NotAction, Resource, NotResource and Condition only, with an
//     Effect, not both Action and NotAction nor Resource and NotResource;
//     Id and Sid strings; the action and resource members a string or a
//     list of strings; Condition an object of operator blocks, each an
//     object of keys whose values are scalars or lists of scalars, and a
//     non-empty block's operator one IAM knows;
//  2. version, "Policy document must be version 2012-10-17 or greater.":
//     no Version, or 2008-10-17 (another Version is a syntax error);
//  3. an Effect other than Allow or Deny in another case ("allow"),
//     "The policy failed legacy parsing";
//  4. "Statement IDs (SID) in a single policy must be unique.";
//  5. "Policy statement must contain actions." (no or an empty Action or
//     NotAction);
//  6. "Policy statement must contain resources." (no or an empty
//     Resource or NotResource);
//  7. a resource without any ':' that is not "*": "Resource R must be in
//     ARN format or \"*\".";
//  8. an action without a vendor prefix: "Actions/Conditions must be
//     prefaced by a vendor, e.g., iam, sdb, ec2, etc.", with a space in the
//     vendor "Vendor V is not valid", with two colons "Actions/Condition can
//     contain only one colon.".
//
// Sources: LocalStack's AWS-validated tests/aws/services/iam/test_iam_policies.py
// (TestPolicyDocumentValidity: 78 documents IAM refuses and 51 it takes,
// migrated from moto's test_iam_policies.py, whose table gives each
// refusal's text). Not checked [choice]: the legacy parser's date
// conditions, the partition and region rules of resource ARNs and the IAM
// resource paths (their texts need the ARN parser IAM uses), so such a
// document is taken as before.

// policyDocError is MalformedPolicyDocument with msg.
func policyDocError(msg string) error {
	return iamError("MalformedPolicyDocument", http.StatusBadRequest, "%s", msg)
}

// conditionOperators are the condition operators IAM knows, without the
// IfExists suffix and the ForAllValues:/ForAnyValue: qualifiers ("IAM JSON
// policy elements: Condition operators").
var conditionOperators = []string{
	"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
	"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
	"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
	"Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
}

// knownConditionOperator reports whether op is a condition operator IAM
// takes: one of conditionOperators, optionally with IfExists, optionally
// qualified by ForAllValues: or ForAnyValue:.
func knownConditionOperator(op string) bool {
	for _, q := range []string{"ForAllValues:", "ForAnyValue:"} {
		if rest, ok := strings.CutPrefix(op, q); ok {
			op = rest
			break
		}
	}
	return slices.Contains(conditionOperators, strings.TrimSuffix(op, "IfExists"))
}

// policyStatement is a statement as the grammar check leaves it.
type policyStatement struct {
	sid, effect              string
	hasSid                   bool
	actions, resources       []string
	hasActions, hasResources bool
}

// decodeObject decodes raw as a JSON object keeping its members raw; ok
// is false for anything else.
func decodeObject(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, false
	}
	var m map[string]json.RawMessage
	return m, json.Unmarshal(raw, &m) == nil
}

// stringOrStrings decodes a policy element that is a string or a list of
// strings.
func stringOrStrings(raw json.RawMessage) ([]string, bool) {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, true
	}
	var many []string
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) && json.Unmarshal(raw, &many) == nil {
		return many, true
	}
	return nil, false
}

// conditionGrammarOK checks a Condition element: an object of operator
// blocks, each an object whose values are scalars or lists of scalars; a
// block with keys names an operator IAM knows.
func conditionGrammarOK(raw json.RawMessage) bool {
	blocks, ok := decodeObject(raw)
	if !ok {
		return false
	}
	for op, b := range blocks {
		keys, ok := decodeObject(b)
		if !ok {
			return false
		}
		if len(keys) > 0 && !knownConditionOperator(op) {
			return false
		}
		for _, v := range keys {
			var vals []json.RawMessage
			if bytes.HasPrefix(bytes.TrimSpace(v), []byte("[")) {
				if json.Unmarshal(v, &vals) != nil {
					return false
				}
			} else {
				vals = []json.RawMessage{v}
			}
			for _, x := range vals {
				if c := bytes.TrimSpace(x); len(c) == 0 || c[0] == '{' || c[0] == '[' {
					return false
				}
			}
		}
	}
	return true
}

// parsePolicyGrammar runs check 1 and returns the document's Version
// (hasVersion false when absent) and statements.
func parsePolicyGrammar(doc map[string]json.RawMessage) (version string, hasVersion bool, stmts []policyStatement, ok bool) {
	for k := range doc {
		if k != "Version" && k != "Id" && k != "Statement" {
			return "", false, nil, false
		}
	}
	if raw, has := doc["Id"]; has {
		var id string
		if json.Unmarshal(raw, &id) != nil {
			return "", false, nil, false
		}
	}
	if raw, has := doc["Version"]; has {
		if json.Unmarshal(raw, &version) != nil {
			return "", false, nil, false
		}
		hasVersion = true
	}
	raw, has := doc["Statement"]
	if !has {
		return "", false, nil, false
	}
	var list []json.RawMessage
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
		if json.Unmarshal(raw, &list) != nil || len(list) == 0 {
			return "", false, nil, false
		}
	} else {
		list = []json.RawMessage{raw}
	}
	allowed := []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}
	for _, r := range list {
		m, isObj := decodeObject(r)
		if !isObj {
			return "", false, nil, false
		}
		var st policyStatement
		for k := range m {
			if !slices.Contains(allowed, k) {
				return "", false, nil, false
			}
		}
		if json.Unmarshal(m["Effect"], &st.effect) != nil {
			return "", false, nil, false
		}
		if !strings.EqualFold(st.effect, "Allow") && !strings.EqualFold(st.effect, "Deny") {
			return "", false, nil, false
		}
		if raw, has := m["Sid"]; has {
			if json.Unmarshal(raw, &st.sid) != nil {
				return "", false, nil, false
			}
			st.hasSid = true
		}
		for _, pair := range [][2]string{{"Action", "NotAction"}, {"Resource", "NotResource"}} {
			a, hasA := m[pair[0]]
			n, hasN := m[pair[1]]
			if hasA && hasN {
				return "", false, nil, false
			}
			if !hasA && !hasN {
				continue
			}
			v, isList := stringOrStrings(cmpRaw(hasA, a, n))
			if !isList {
				return "", false, nil, false
			}
			if pair[0] == "Action" {
				st.actions, st.hasActions = v, true
			} else {
				st.resources, st.hasResources = v, true
			}
		}
		if raw, has := m["Condition"]; has && !conditionGrammarOK(raw) {
			return "", false, nil, false
		}
		stmts = append(stmts, st)
	}
	if hasVersion && version != "2012-10-17" && version != "2008-10-17" {
		return "", false, nil, false
	}
	return version, hasVersion, stmts, true
}

// cmpRaw returns a when useA, else b.
func cmpRaw(useA bool, a, b json.RawMessage) json.RawMessage {
	if useA {
		return a
	}
	return b
}

// checkManagedPolicyDocument validates a managed policy's document as IAM
// does for CreatePolicy and CreatePolicyVersion (see the comment at the
// top of this file).
func checkManagedPolicyDocument(doc string) error {
	obj, isObj := decodeObject(json.RawMessage(doc))
	if !isObj {
		// Not a JSON object: a syntax error here, where a role's trust
		// policy is "This policy contains invalid Json" (checkPolicyDocument).
		return policyDocError("Syntax errors in policy.")
	}
	version, hasVersion, stmts, ok := parsePolicyGrammar(obj)
	if !ok {
		return policyDocError("Syntax errors in policy.")
	}
	if !hasVersion || version != "2012-10-17" {
		return policyDocError("Policy document must be version 2012-10-17 or greater.")
	}
	for _, st := range stmts {
		if st.effect != "Allow" && st.effect != "Deny" {
			return policyDocError("The policy failed legacy parsing")
		}
	}
	sids := map[string]bool{}
	for _, st := range stmts {
		if st.hasSid && st.sid != "" {
			if sids[st.sid] {
				return policyDocError("Statement IDs (SID) in a single policy must be unique.")
			}
			sids[st.sid] = true
		}
	}
	for _, st := range stmts {
		if len(st.actions) == 0 {
			return policyDocError("Policy statement must contain actions.")
		}
	}
	for _, st := range stmts {
		if len(st.resources) == 0 {
			return policyDocError("Policy statement must contain resources.")
		}
	}
	for _, st := range stmts {
		for _, r := range st.resources {
			if r != "*" && !strings.Contains(r, ":") {
				return policyDocError("Resource " + r + " must be in ARN format or \"*\".")
			}
		}
	}
	for _, st := range stmts {
		for _, a := range st.actions {
			if a == "*" {
				continue
			}
			vendor, _, found := strings.Cut(a, ":")
			switch {
			case !found:
				return policyDocError("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
			case strings.Count(a, ":") > 1:
				return policyDocError("Actions/Condition can contain only one colon.")
			case strings.Contains(vendor, " "):
				return policyDocError("Vendor " + vendor + " is not valid")
			}
		}
	}
	return nil
}
