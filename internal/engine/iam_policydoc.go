package engine

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
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
//     no Version, or 2008-10-17 (another Version is a syntax error); then
//     a statement with a Principal or NotPrincipal, "Policy document
//     should not specify a principal." [probable: its place in the order];
//  3. "The policy failed legacy parsing": an Effect other than Allow or
//     Deny in another case ("allow"); a Date… condition value that is
//     neither an ISO 8601 date and time with its fields in range nor an
//     epoch time from 0 to 2^63-1; a resource with an empty part ("::")
//     and fewer than six parts, or an empty service (this last check runs
//     on a statement's resources while none so far had a format error,
//     see 7);
//  4. "Statement IDs (SID) in a single policy must be unique.";
//  5. "Policy statement must contain actions." (no or an empty Action or
//     NotAction);
//  6. "Policy statement must contain resources." (no or an empty
//     Resource or NotResource);
//  7. a resource's format (the last error found, Resource members first,
//     each statement's from the greatest to the least): without any ':'
//     and not "*": "Resource R must be in ARN format or \"*\"."; an
//     unknown partition: "Partition \"P\" is not valid for resource
//     \"arn:P:…\"." (completed to six parts with "*"); no service:
//     "Resource vendor must be fully qualified and cannot contain
//     regexes."; an IAM or S3 (but an access point) resource with a
//     Region: "IAM resource R cannot contain region information." /
//     "Resource R can not contain region information."; an IAM resource
//     of no IAM resource type: "IAM resource path must either be \"*\",
//     root, or start with user/, …, access-report/.";
//  8. an action without a vendor prefix: "Actions/Conditions must be
//     prefaced by a vendor, e.g., iam, sdb, ec2, etc.", with a space in the
//     vendor "Vendor V is not valid", with two colons "Actions/Condition can
//     contain only one colon.".
//
// Sources: LocalStack's AWS-validated tests/aws/services/iam/test_iam_policies.py
// (TestPolicyDocumentValidity: 78 documents IAM refuses and 51 it takes,
// migrated from moto's test_iam_policies.py, whose table gives each
// refusal's text; the IAM path text is LocalStack's validator's). An IAM
// resource path with a wildcard or a policy variable is taken [choice].

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
	// notResource: resources are the statement's NotResource.
	notResource bool
	// dates are the values of its Date… condition operators.
	dates []string
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
				st.resources, st.hasResources, st.notResource = v, true, !hasA
			}
		}
		if raw, has := m["Condition"]; has {
			if !conditionGrammarOK(raw) {
				return "", false, nil, false
			}
			st.dates = conditionDates(raw)
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
	if namesPrincipal(doc) {
		return errPolicyPrincipal()
	}
	for _, st := range stmts {
		if st.effect != "Allow" && st.effect != "Deny" {
			return policyDocError("The policy failed legacy parsing")
		}
		for _, d := range st.dates {
			if !legacyDateOK(d) {
				return policyDocError("The policy failed legacy parsing")
			}
		}
	}
	resourceErr, legacy := resourceChecks(stmts)
	if legacy {
		return policyDocError("The policy failed legacy parsing")
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
	if resourceErr != "" {
		return policyDocError(resourceErr)
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

// policyPartitions are the partitions a resource ARN of a policy may name
// ("*" too).
var policyPartitions = []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}

// iamResourcePaths begin the resource part of an IAM resource ARN.
var iamResourcePaths = []string{"user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/", "server-certificate/",
	"policy/", "sms-mfa/", "saml-provider/", "oidc-provider/", "report/", "access-report/"}

// resourceChecks runs IAM's checks of the statements' resources: their
// format (the Resource members of every statement, then the NotResource
// ones; within a statement from the greatest resource to the least, a
// later error replacing an earlier one), and the legacy parser's, which
// runs on a statement's resources while none so far had a format error.
// It returns the format error to answer after the action checks, or
// legacy true when the legacy parser refuses a resource ("The policy
// failed legacy parsing", answered before them).
func resourceChecks(stmts []policyStatement) (formatErr string, legacy bool) {
	for _, not := range []bool{false, true} {
		for _, st := range stmts {
			if !st.hasResources || st.notResource != not {
				continue
			}
			rs := slices.Clone(st.resources)
			slices.Sort(rs)
			slices.Reverse(rs)
			for _, r := range rs {
				if e := resourceFormatError(r); e != "" {
					formatErr = e
				}
			}
			if formatErr == "" && !legacyResourcesOK(rs) {
				return "", true
			}
		}
	}
	return formatErr, false
}

// resourceFormatError is IAM's text for a resource it refuses, "" for one
// it takes: not "*" nor ARN-like, an unknown partition (the text completes
// the ARN to six parts with "*"), no service, an IAM or S3 resource with
// a Region (an S3 access point may have one), an IAM resource whose path
// is not one of IAM's resource types.
func resourceFormatError(r string) string {
	if r == "*" {
		return ""
	}
	_, rest, found := strings.Cut(r, ":")
	if !found {
		return "Resource " + r + " must be in ARN format or \"*\"."
	}
	partition, rest, found := strings.Cut(rest, ":")
	if partition != "*" && !slices.Contains(policyPartitions, partition) {
		parts := strings.Split(rest, ":")
		arn := []string{"*", "*", "*", "*"}
		if parts[0] != "" || len(parts) > 1 {
			arn[0] = parts[0]
		}
		for i := 1; i < 3 && i < len(parts); i++ {
			arn[i] = parts[i]
		}
		if len(parts) > 3 {
			arn[3] = strings.Join(parts[3:], ":")
		}
		return "Partition \"" + partition + "\" is not valid for resource \"arn:" + partition + ":" + strings.Join(arn, ":") + "\"."
	}
	if !found {
		return "Resource vendor must be fully qualified and cannot contain regexes."
	}
	service, region, _ := strings.Cut(rest, ":")
	_, afterRegion, _ := strings.Cut(region, ":")
	_, resource, _ := strings.Cut(afterRegion, ":")
	switch {
	case service == "iam" && !strings.HasPrefix(region, ":"):
		return "IAM resource " + r + " cannot contain region information."
	case service == "s3" && !strings.HasPrefix(region, ":") && !strings.HasPrefix(resource, "accesspoint/"):
		return "Resource " + r + " can not contain region information."
	case service == "iam" && !iamResourcePathOK(resource):
		return "IAM resource path must either be \"*\", root, or start with " + strings.Join(iamResourcePaths, ", ") + "."
	}
	return ""
}

// iamResourcePathOK reports whether an IAM resource ARN's resource part is
// one IAM takes: "*", root, a path of one of its resource types, or
// [choice] one with a wildcard or a policy variable.
func iamResourcePathOK(resource string) bool {
	if resource == "*" || resource == "root" || strings.ContainsAny(resource, "*?") || strings.Contains(resource, "${") {
		return true
	}
	for _, p := range iamResourcePaths {
		if strings.HasPrefix(resource, p) {
			return true
		}
	}
	return false
}

// legacyResourcesOK is the legacy parser's check of resources: one with
// an empty part ("::") has at least six parts, and its service is not
// empty.
func legacyResourcesOK(resources []string) bool {
	for _, r := range resources {
		if r == "*" {
			continue
		}
		if strings.Count(r, ":") < 5 && strings.Contains(r, "::") {
			return false
		}
		if parts := strings.Split(r, ":"); len(parts) < 3 || parts[2] == "" {
			return false
		}
	}
	return true
}

// conditionDates returns the values of a Condition's date operators
// (DateEquals, DateLessThan, … with their qualifiers), a number as its
// JSON text.
func conditionDates(raw json.RawMessage) []string {
	blocks, _ := decodeObject(raw)
	var out []string
	for op, b := range blocks {
		for _, q := range []string{"ForAllValues:", "ForAnyValue:"} {
			if rest, ok := strings.CutPrefix(op, q); ok {
				op = rest
				break
			}
		}
		if !strings.HasPrefix(strings.TrimSuffix(op, "IfExists"), "Date") {
			continue
		}
		keys, _ := decodeObject(b)
		for _, v := range keys {
			var vals []json.RawMessage
			if json.Unmarshal(v, &vals) != nil {
				vals = []json.RawMessage{v}
			}
			for _, x := range vals {
				var str string
				if json.Unmarshal(x, &str) != nil {
					str = string(bytes.TrimSpace(x))
				}
				out = append(out, str)
			}
		}
	}
	return out
}

// legacyDateOK is the legacy parser's check of a date condition's value:
// an ISO 8601 date and time (a "t" or a "-" in it) whose fields are in
// range, else an epoch time from 0 to 2^63-1.
func legacyDateOK(v string) bool {
	v = strings.ToLower(v)
	if !strings.Contains(v, "t") && !strings.Contains(v, "-") {
		n, err := strconv.ParseInt(v, 10, 64)
		return err == nil && n >= 0
	}
	inRange := func(s string, lo, hi int64) bool {
		n, err := strconv.ParseInt(s, 10, 64)
		return err == nil && n >= lo && n <= hi
	}
	date, clock, _ := strings.Cut(v, "t")
	sign := ""
	if rest, neg := strings.CutPrefix(date, "-"); neg {
		date, sign = rest, "-"
	}
	dp := strings.Split(date, "-")
	if len(dp) > 3 || !inRange(sign+dp[0], -292275054, 292278993) ||
		len(dp) > 1 && !inRange(dp[1], 1, 12) || len(dp) > 2 && !inRange(dp[2], 1, 31) {
		return false
	}
	tp := strings.Split(clock, ":")
	if tp[0] != "" && !inRange(tp[0], 0, 23) || len(tp) > 1 && !inRange(tp[1], 0, 59) {
		return false
	}
	if len(tp) < 3 {
		return true
	}
	secs := tp[2]
	if s, zone, ok := strings.Cut(secs, "z"); ok {
		if zone != "" {
			return false
		}
		secs = s
	} else if s, zone, ok := strings.Cut(secs, "+"); ok {
		secs = s
		h, m, hasM := strings.Cut(zone, ":")
		if len(h) != 2 || !inRange(h, 0, 23) || hasM && (len(m) != 2 || !inRange(m, 0, 59)) {
			return false
		}
	}
	whole, frac, hasFrac := strings.Cut(secs, ".")
	return inRange(whole, 0, 59) && (!hasFrac || inRange(frac, 0, 999999999))
}
