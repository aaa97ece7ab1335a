// Package iam serves AWS Identity and Access Management (AWS Query) for the
// resources templates and Terraform configurations create beside ECS:
// roles with their inline and attached policies, customer managed policies
// with versions, instance profiles, service-linked roles and the server
// certificates load balancer listeners use. AWS managed
// policies (arn:aws:iam::aws:policy/…) can be read and attached. Policies
// are stored and answered, not evaluated: ecsnet accepts any credentials.
//
// IAM is global: clients sign IAM requests for us-east-1, so its resources
// live in that region's state.
package iam

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/api/sts"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the IAM handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("iam", op, h) }
	add("CreateRole", createRole)
	add("GetUser", getUser)
	registerUsers(add)
	registerGroups(add)
	add("GetRole", getRole)
	add("ListRoles", listRoles)
	add("UpdateRole", updateRole)
	add("UpdateRoleDescription", updateRoleDescription)
	add("UpdateAssumeRolePolicy", updateAssumeRolePolicy)
	add("DeleteRole", deleteRole)
	add("PutRolePermissionsBoundary", putRolePermissionsBoundary)
	add("DeleteRolePermissionsBoundary", deleteRolePermissionsBoundary)
	add("TagRole", tagRole)
	add("UntagRole", untagRole)
	add("ListRoleTags", listRoleTags)
	add("PutRolePolicy", putRolePolicy)
	add("GetRolePolicy", getRolePolicy)
	add("DeleteRolePolicy", deleteRolePolicy)
	add("ListRolePolicies", listRolePolicies)
	add("AttachRolePolicy", attachRolePolicy)
	add("DetachRolePolicy", detachRolePolicy)
	add("ListAttachedRolePolicies", listAttachedRolePolicies)
	add("CreateServiceLinkedRole", createServiceLinkedRole)
	add("DeleteServiceLinkedRole", deleteServiceLinkedRole)
	add("GetServiceLinkedRoleDeletionStatus", getServiceLinkedRoleDeletionStatus)
	add("CreatePolicy", createPolicy)
	add("GetPolicy", getPolicy)
	add("DeletePolicy", deletePolicy)
	add("ListPolicies", listPolicies)
	add("CreatePolicyVersion", createPolicyVersion)
	add("GetPolicyVersion", getPolicyVersion)
	add("ListPolicyVersions", listPolicyVersions)
	add("DeletePolicyVersion", deletePolicyVersion)
	add("SetDefaultPolicyVersion", setDefaultPolicyVersion)
	add("TagPolicy", tagPolicy)
	add("UntagPolicy", untagPolicy)
	add("ListPolicyTags", listPolicyTags)
	add("ListEntitiesForPolicy", listEntitiesForPolicy)
	add("CreateInstanceProfile", createInstanceProfile)
	add("GetInstanceProfile", getInstanceProfile)
	add("DeleteInstanceProfile", deleteInstanceProfile)
	add("AddRoleToInstanceProfile", addRoleToInstanceProfile)
	add("RemoveRoleFromInstanceProfile", removeRoleFromInstanceProfile)
	add("ListInstanceProfiles", listInstanceProfiles)
	add("ListInstanceProfilesForRole", listInstanceProfilesForRole)
	add("TagInstanceProfile", tagInstanceProfile)
	add("UntagInstanceProfile", untagInstanceProfile)
	add("ListInstanceProfileTags", listInstanceProfileTags)
	registerServerCertificates(add)
}

func noSuchEntity(format string, args ...any) error {
	e := apierr.Newf("NoSuchEntity", format, args...)
	e.HTTPStatus = http.StatusNotFound
	return e
}

// encodeDocument percent-encodes a policy document as IAM answers it
// (RFC 3986: the SDKs and Terraform decode it).
func encodeDocument(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

func tagsIn(c *api.Call) model.Tags {
	return api.KeyValues(c.In.Structs("Tags"), "Key", "Value")
}

// iamTagPattern is the pattern of IAM tag keys and values (values may be
// empty).
const iamTagPattern = `[\p{L}\p{Z}\p{N}_.:/=+\-@]`

var (
	iamTagKeyRE   = regexp.MustCompile(`^` + iamTagPattern + `+$`)
	iamTagValueRE = regexp.MustCompile(`^` + iamTagPattern + `*$`)
)

func tagValidation(format string, args ...any) error {
	e := apierr.Newf("ValidationError", "1 validation error detected: "+format, args...)
	e.HTTPStatus = http.StatusBadRequest
	return e
}

// checkTagsIn checks a request's Tags as IAM does before anything else
// (a role that does not exist is looked up after): at most 50, keys of 1 to
// 128 and values of at most 256 characters of the tag pattern, no two keys
// equal but for case.
func checkTagsIn(c *api.Call) error {
	list := c.In.Structs("Tags")
	if len(list) > 50 {
		return tagValidation("Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50")
	}
	seen := map[string]bool{}
	for i, t := range list {
		k, v := t.String("Key"), t.String("Value")
		switch {
		case utf8.RuneCountInString(k) > 128:
			return tagValidation("Value at 'tags.%d.member.key' failed to satisfy constraint: Member must have length less than or equal to 128", i+1)
		case !iamTagKeyRE.MatchString(k):
			return tagValidation("Value at 'tags.%d.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: %s+", i+1, iamTagPattern)
		case utf8.RuneCountInString(v) > 256:
			return tagValidation("Value at 'tags.%d.member.value' failed to satisfy constraint: Member must have length less than or equal to 256", i+1)
		case !iamTagValueRE.MatchString(v):
			return tagValidation("Value at 'tags.%d.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: %s*", i+1, iamTagPattern)
		}
		lk := strings.ToLower(k)
		if seen[lk] {
			e := apierr.New("InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
			e.HTTPStatus = http.StatusBadRequest
			return e
		}
		seen[lk] = true
	}
	return nil
}

// checkTagKeysIn checks an untag request's TagKeys: at most 50, each a tag
// key.
func checkTagKeysIn(c *api.Call) error {
	keys := c.In.Strings("TagKeys")
	if len(keys) > 50 {
		return tagValidation("Value at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 50")
	}
	for _, k := range keys {
		if utf8.RuneCountInString(k) > 128 || !iamTagKeyRE.MatchString(k) {
			return tagValidation("Value at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: %s+, Member must not be null]", iamTagPattern)
		}
	}
	return nil
}

func tagsOut(tags model.Tags) []map[string]any { return api.TagList(tags, "Key", "Value") }

// page cuts a Marker/MaxItems page (MaxItems 1 to 1000, default 100).
func page[T any](c *api.Call, items []T, key func(T) string) (map[string]any, []T, error) {
	n := c.In.IntOr("MaxItems", 100)
	if n < 1 || n > 1000 {
		return nil, nil, apierr.Newf("ValidationError", "1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000", n)
	}
	out, next, ok := api.Paginate(items, key, c.In.String("Marker"), int(n))
	if !ok {
		return nil, nil, apierr.New("ValidationError", "Invalid Marker.")
	}
	res := map[string]any{"IsTruncated": next != ""}
	if next != "" {
		res["Marker"] = next
	}
	return res, out, nil
}

func roleOut(c *api.Call, r *model.Role, full bool) map[string]any {
	out := map[string]any{
		"Path": r.Path, "RoleName": r.Name, "RoleId": r.ID, "Arn": c.Engine.RoleARN(r), "CreateDate": api.Time(r.Created),
		"AssumeRolePolicyDocument": encodeDocument(r.AssumeRolePolicyDocument), "MaxSessionDuration": r.MaxSessionDuration,
	}
	if r.Description != "" {
		out["Description"] = r.Description
	}
	if full {
		if r.PermissionsBoundary != "" {
			out["PermissionsBoundary"] = map[string]any{"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": r.PermissionsBoundary}
		}
		if len(r.Tags) > 0 {
			out["Tags"] = tagsOut(r.Tags)
		}
		out["RoleLastUsed"] = map[string]any{}
	}
	return out
}

func createRole(c *api.Call) (map[string]any, error) {
	if err := checkTagsIn(c); err != nil {
		return nil, err
	}
	r, err := c.Engine.CreateRole(engine.RoleInput{
		Name: c.In.String("RoleName"), Path: c.In.String("Path"), AssumeRolePolicyDocument: c.In.String("AssumeRolePolicyDocument"),
		Description: c.In.String("Description"), MaxSessionDuration: c.In.Int("MaxSessionDuration"),
		PermissionsBoundary: c.In.String("PermissionsBoundary"), Tags: tagsIn(c),
	})
	if err != nil {
		return nil, err
	}
	out := roleOut(c, r, true)
	// CreateRole's answer has neither MaxSessionDuration, RoleLastUsed nor
	// Description (GetRole has them).
	delete(out, "MaxSessionDuration")
	delete(out, "RoleLastUsed")
	delete(out, "Description")
	return map[string]any{"Role": out}, nil
}

func readRole(c *api.Call, name string) (*model.Role, error) {
	var r *model.Role
	var err error
	c.Engine.Read(func(st *model.State) { r, err = c.Engine.Role(st, name) })
	return r, err
}

func getRole(c *api.Call) (map[string]any, error) {
	r, err := readRole(c, c.In.String("RoleName"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Role": roleOut(c, r, true)}, nil
}

func listRoles(c *api.Call) (map[string]any, error) {
	prefix := c.In.String("PathPrefix")
	var roles []*model.Role
	c.Engine.Read(func(st *model.State) {
		for _, r := range st.Roles {
			if strings.HasPrefix(r.Path, prefix) {
				roles = append(roles, r)
			}
		}
	})
	res, pg, err := page(c, roles, func(r *model.Role) string { return r.Name })
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(pg))
	for i, r := range pg {
		out[i] = roleOut(c, r, false)
	}
	res["Roles"] = out
	return res, nil
}

func updateRole(c *api.Call) (map[string]any, error) {
	var desc *string
	if c.In.Has("Description") {
		d := c.In.String("Description")
		desc = &d
	}
	return map[string]any{}, c.Engine.UpdateRole(c.In.String("RoleName"), desc, c.In.Int("MaxSessionDuration"))
}

func updateRoleDescription(c *api.Call) (map[string]any, error) {
	d := c.In.String("Description")
	if err := c.Engine.UpdateRole(c.In.String("RoleName"), &d, 0); err != nil {
		return nil, err
	}
	r, err := readRole(c, c.In.String("RoleName"))
	if err != nil {
		return nil, err
	}
	// UpdateRoleDescription answers the role with its description, without
	// MaxSessionDuration and RoleLastUsed.
	out := roleOut(c, r, true)
	delete(out, "MaxSessionDuration")
	delete(out, "RoleLastUsed")
	return map[string]any{"Role": out}, nil
}

func updateAssumeRolePolicy(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.UpdateAssumeRolePolicy(c.In.String("RoleName"), c.In.String("PolicyDocument"))
}

func deleteRole(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteRole(c.In.String("RoleName"))
}

func putRolePermissionsBoundary(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.SetRolePermissionsBoundary(c.In.String("RoleName"), c.In.String("PermissionsBoundary"))
}

func deleteRolePermissionsBoundary(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.SetRolePermissionsBoundary(c.In.String("RoleName"), "")
}

func tagRole(c *api.Call) (map[string]any, error) {
	if err := checkTagsIn(c); err != nil {
		return nil, err
	}
	return nil, c.Engine.TagRole(c.In.String("RoleName"), tagsIn(c), nil)
}

func untagRole(c *api.Call) (map[string]any, error) {
	if err := checkTagKeysIn(c); err != nil {
		return nil, err
	}
	return nil, c.Engine.TagRole(c.In.String("RoleName"), nil, c.In.Strings("TagKeys"))
}

func listRoleTags(c *api.Call) (map[string]any, error) {
	r, err := readRole(c, c.In.String("RoleName"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Tags": tagsOut(r.Tags), "IsTruncated": false}, nil
}

func putRolePolicy(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.PutRolePolicy(c.In.String("RoleName"), c.In.String("PolicyName"), c.In.String("PolicyDocument"))
}

func getRolePolicy(c *api.Call) (map[string]any, error) {
	r, err := readRole(c, c.In.String("RoleName"))
	if err != nil {
		return nil, err
	}
	name := c.In.String("PolicyName")
	doc, ok := r.InlinePolicies[name]
	if !ok {
		return nil, noSuchEntity("The role policy with name %s cannot be found.", name)
	}
	return map[string]any{"RoleName": r.Name, "PolicyName": name, "PolicyDocument": encodeDocument(doc)}, nil
}

func deleteRolePolicy(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteRolePolicy(c.In.String("RoleName"), c.In.String("PolicyName"))
}

func listRolePolicies(c *api.Call) (map[string]any, error) {
	r, err := readRole(c, c.In.String("RoleName"))
	if err != nil {
		return nil, err
	}
	return policyNamesOut(c, r.InlinePolicies)
}

// policyNamesOut answers a page of a role's or user's inline policy
// names (ListRolePolicies, ListUserPolicies).
func policyNamesOut(c *api.Call, inline map[string]string) (map[string]any, error) {
	names := make([]string, 0, len(inline))
	for n := range inline {
		names = append(names, n)
	}
	res, pg, err := page(c, names, func(s string) string { return s })
	if err != nil {
		return nil, err
	}
	res["PolicyNames"] = pg
	return res, nil
}

func attachRolePolicy(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.AttachRolePolicy(c.In.String("RoleName"), c.In.String("PolicyArn"))
}

func detachRolePolicy(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DetachRolePolicy(c.In.String("RoleName"), c.In.String("PolicyArn"))
}

func policyName(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

func listAttachedRolePolicies(c *api.Call) (map[string]any, error) {
	r, err := readRole(c, c.In.String("RoleName"))
	if err != nil {
		return nil, err
	}
	return attachedPoliciesOut(c, r.AttachedPolicies)
}

// attachedPoliciesOut answers ListAttachedRolePolicies and
// ListAttachedUserPolicies: the policies of PathPrefix, paged.
func attachedPoliciesOut(c *api.Call, attached []string) (map[string]any, error) {
	prefix := c.In.String("PathPrefix")
	var arns []string
	for _, a := range attached {
		path := "/"
		if p, ok := engine.AWSManagedPolicy(a); ok {
			path = p.Path
		} else if i := strings.Index(a, ":policy"); i >= 0 {
			path = a[i+len(":policy") : strings.LastIndexByte(a, '/')+1]
		}
		if strings.HasPrefix(path, prefix) {
			arns = append(arns, a)
		}
	}
	// [choice] By name, whatever its case (AWS listed
	// AmazonElasticMapReduceRole, attached first, before
	// AWSControlTowerServiceRolePolicy: the order attached, or this one),
	// then ARN: a Marker places its policy whether or not it is still
	// attached, where a place in the order attached skipped a policy after
	// a detach between pages.
	res, pg, err := page(c, arns, func(a string) string { return strings.ToLower(policyName(a)) + " " + a })
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(pg))
	for i, a := range pg {
		out[i] = map[string]any{"PolicyName": policyName(a), "PolicyArn": a}
	}
	res["AttachedPolicies"] = out
	return res, nil
}

func createServiceLinkedRole(c *api.Call) (map[string]any, error) {
	r, err := c.Engine.CreateServiceLinkedRole(c.In.String("AWSServiceName"), c.In.String("Description"), c.In.String("CustomSuffix"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Role": roleOut(c, r, false)}, nil
}

// deletionTaskPrefix starts the ids of service-linked role deletions.
const deletionTaskPrefix = "task/aws-service-role/"

func deleteServiceLinkedRole(c *api.Call) (map[string]any, error) {
	name := c.In.String("RoleName")
	var path string
	if r, err := readRole(c, name); err == nil {
		path = r.Path
	}
	if err := c.Engine.DeleteServiceLinkedRole(name); err != nil {
		return nil, err
	}
	return map[string]any{"DeletionTaskId": deletionTaskPrefix + strings.TrimPrefix(path, "/aws-service-role/") + name + "/" + c.RequestID}, nil
}

// getServiceLinkedRoleDeletionStatus: deletions finish at once.
func getServiceLinkedRoleDeletionStatus(c *api.Call) (map[string]any, error) {
	id := c.In.String("DeletionTaskId")
	if !strings.HasPrefix(id, deletionTaskPrefix) {
		return nil, apierr.Newf("InvalidInput", "Invalid deletion task id %s.", id)
	}
	return map[string]any{"Status": "SUCCEEDED"}, nil
}

// policyView is a customer managed or AWS managed policy as answered.
type policyView struct {
	arn, name, path, id, desc, defaultVersion string
	created, updated                          any
	tags                                      model.Tags
	versions                                  []model.PolicyVersion
	aws                                       bool
}

// readPolicy finds a policy by ARN, with its attachment count.
func readPolicy(c *api.Call, arn string) (policyView, int, error) {
	var v policyView
	var n int
	var err error
	c.Engine.Read(func(st *model.State) {
		roles, users := engine.PolicyAttachments(st, arn)
		n = len(roles) + len(users) + len(engine.PolicyGroupAttachments(st, arn))
		if p, ok := engine.AWSManagedPolicy(arn); ok {
			v = policyView{arn: p.ARN, name: p.Name, path: p.Path, id: p.ID, desc: p.Description, defaultVersion: p.Version,
				created: api.Time(p.Created), updated: api.Time(p.Updated), aws: true,
				versions: []model.PolicyVersion{{ID: p.Version, Document: p.Document, Created: p.Created}}}
			return
		}
		var p *model.ManagedPolicy
		if p, err = c.Engine.ManagedPolicy(st, arn); err == nil {
			v = policyView{arn: p.ARN, name: p.Name, path: p.Path, id: p.ID, desc: p.Description, defaultVersion: p.DefaultVersion,
				created: api.Time(p.Created), updated: api.Time(p.Updated), tags: p.Tags, versions: p.Versions}
		}
	})
	return v, n, err
}

func policyOut(v policyView, attachments int, full bool) map[string]any {
	out := map[string]any{
		"PolicyName": v.name, "PolicyId": v.id, "Arn": v.arn, "Path": v.path, "DefaultVersionId": v.defaultVersion,
		"AttachmentCount": attachments, "PermissionsBoundaryUsageCount": 0, "IsAttachable": true,
		"CreateDate": v.created, "UpdateDate": v.updated,
	}
	if full && v.desc != "" {
		out["Description"] = v.desc
	}
	if full && len(v.tags) > 0 {
		out["Tags"] = tagsOut(v.tags)
	}
	return out
}

func createPolicy(c *api.Call) (map[string]any, error) {
	if err := checkTagsIn(c); err != nil {
		return nil, err
	}
	p, err := c.Engine.CreateManagedPolicy(engine.ManagedPolicyInput{
		Name: c.In.String("PolicyName"), Path: c.In.String("Path"), Description: c.In.String("Description"),
		Document: c.In.String("PolicyDocument"), Tags: tagsIn(c),
	})
	if err != nil {
		return nil, err
	}
	v, n, err := readPolicy(c, p.ARN)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Policy": policyOut(v, n, true)}, nil
}

func getPolicy(c *api.Call) (map[string]any, error) {
	v, n, err := readPolicy(c, c.In.String("PolicyArn"))
	if err != nil {
		return nil, err
	}
	// GetPolicy answers Tags, [] for a policy without tags, customer
	// managed or AWS managed; CreatePolicy only the tags it was given
	// (LocalStack's AWS-validated test_iam_policies recording,
	// create-policy-response and get-policy-response, 2026-02-10).
	out := policyOut(v, n, true)
	out["Tags"] = tagsOut(v.tags)
	return map[string]any{"Policy": out}, nil
}

func deletePolicy(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteManagedPolicy(c.In.String("PolicyArn"))
}

func listPolicies(c *api.Call) (map[string]any, error) {
	scope, prefix, onlyAttached := c.In.String("Scope"), c.In.String("PathPrefix"), c.In.Bool("OnlyAttached")
	if scope == "" {
		scope = "All"
	}
	var views []policyView
	counts := map[string]int{}
	c.Engine.Read(func(st *model.State) {
		attached := map[string]bool{}
		for _, r := range st.Roles {
			for _, a := range r.AttachedPolicies {
				attached[a] = true
				counts[a]++
			}
		}
		if scope != "AWS" {
			for _, p := range st.ManagedPolicies {
				if strings.HasPrefix(p.Path, prefix) && (!onlyAttached || attached[p.ARN]) {
					views = append(views, policyView{arn: p.ARN, name: p.Name, path: p.Path, id: p.ID, defaultVersion: p.DefaultVersion,
						created: api.Time(p.Created), updated: api.Time(p.Updated)})
				}
			}
		}
		if scope != "Local" {
			// AWS's catalogue is not listed whole: the attached ones are.
			for a := range attached {
				if p, ok := engine.AWSManagedPolicy(a); ok && strings.HasPrefix(p.Path, prefix) {
					views = append(views, policyView{arn: p.ARN, name: p.Name, path: p.Path, id: p.ID, defaultVersion: p.Version,
						created: api.Time(p.Created), updated: api.Time(p.Updated), aws: true})
				}
			}
		}
	})
	res, pg, err := page(c, views, func(v policyView) string { return v.name + "\x00" + v.arn })
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(pg))
	for i, v := range pg {
		out[i] = policyOut(v, counts[v.arn], false)
	}
	res["Policies"] = out
	return res, nil
}

func versionOut(v policyView, pv model.PolicyVersion) map[string]any {
	return map[string]any{"Document": encodeDocument(pv.Document), "VersionId": pv.ID,
		"IsDefaultVersion": pv.ID == v.defaultVersion, "CreateDate": api.Time(pv.Created)}
}

func createPolicyVersion(c *api.Call) (map[string]any, error) {
	arn := c.In.String("PolicyArn")
	pv, err := c.Engine.CreatePolicyVersion(arn, c.In.String("PolicyDocument"), c.In.Bool("SetAsDefault"))
	if err != nil {
		return nil, err
	}
	v, _, err := readPolicy(c, arn)
	if err != nil {
		return nil, err
	}
	out := versionOut(v, pv)
	delete(out, "Document")
	return map[string]any{"PolicyVersion": out}, nil
}

func getPolicyVersion(c *api.Call) (map[string]any, error) {
	arn, id := c.In.String("PolicyArn"), c.In.String("VersionId")
	if err := engine.CheckPolicyVersionID(id); err != nil {
		return nil, err
	}
	v, _, err := readPolicy(c, arn)
	if err != nil {
		return nil, engine.NoSuchPolicyVersion(arn, id)
	}
	for _, pv := range v.versions {
		if pv.ID == id {
			return map[string]any{"PolicyVersion": versionOut(v, pv)}, nil
		}
	}
	return nil, engine.NoSuchPolicyVersion(arn, id)
}

func listPolicyVersions(c *api.Call) (map[string]any, error) {
	v, _, err := readPolicy(c, c.In.String("PolicyArn"))
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(v.versions))
	for i := range v.versions {
		// Newest first, without documents.
		pv := v.versions[len(v.versions)-1-i]
		o := versionOut(v, pv)
		delete(o, "Document")
		out[i] = o
	}
	return map[string]any{"Versions": out, "IsTruncated": false}, nil
}

func deletePolicyVersion(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeletePolicyVersion(c.In.String("PolicyArn"), c.In.String("VersionId"))
}

func setDefaultPolicyVersion(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.SetDefaultPolicyVersion(c.In.String("PolicyArn"), c.In.String("VersionId"))
}

func tagPolicy(c *api.Call) (map[string]any, error) {
	if err := checkTagsIn(c); err != nil {
		return nil, err
	}
	return nil, c.Engine.TagManagedPolicy(c.In.String("PolicyArn"), tagsIn(c), nil)
}

func untagPolicy(c *api.Call) (map[string]any, error) {
	if err := checkTagKeysIn(c); err != nil {
		return nil, err
	}
	return nil, c.Engine.TagManagedPolicy(c.In.String("PolicyArn"), nil, c.In.Strings("TagKeys"))
}

func listPolicyTags(c *api.Call) (map[string]any, error) {
	v, _, err := readPolicy(c, c.In.String("PolicyArn"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Tags": tagsOut(v.tags), "IsTruncated": false}, nil
}

func listEntitiesForPolicy(c *api.Call) (map[string]any, error) {
	arn := c.In.String("PolicyArn")
	if _, _, err := readPolicy(c, arn); err != nil {
		return nil, err
	}
	var roles []*model.Role
	var users []*model.IAMUser
	var groups []*model.IAMGroup
	c.Engine.Read(func(st *model.State) {
		roles, users = engine.PolicyAttachments(st, arn)
		groups = engine.PolicyGroupAttachments(st, arn)
	})
	filter := c.In.String("EntityFilter")
	out := []map[string]any{}
	if filter == "" || filter == "Role" {
		for _, r := range roles {
			out = append(out, map[string]any{"RoleName": r.Name, "RoleId": r.ID})
		}
	}
	userOut := []map[string]any{}
	if filter == "" || filter == "User" {
		for _, u := range users {
			userOut = append(userOut, map[string]any{"UserName": u.Name, "UserId": u.ID})
		}
	}
	groupOut := []map[string]any{}
	if filter == "" || filter == "Group" {
		for _, g := range groups {
			groupOut = append(groupOut, map[string]any{"GroupName": g.Name, "GroupId": g.ID})
		}
	}
	return map[string]any{"PolicyRoles": out, "PolicyUsers": userOut, "PolicyGroups": groupOut, "IsTruncated": false}, nil
}

// profileOut is an instance profile as IAM answers it. Its roles come
// without MaxSessionDuration, and only GetInstanceProfile answers Tags when
// there are none (`Tags: []`), as AWS recorded (docs/aws-behavior.md).
func profileOut(c *api.Call, st *model.State, p *model.InstanceProfile, get bool) map[string]any {
	roles := []map[string]any{}
	for _, name := range p.Roles {
		if r := st.Roles[name]; r != nil {
			ro := roleOut(c, r, false)
			delete(ro, "MaxSessionDuration")
			roles = append(roles, ro)
		}
	}
	out := map[string]any{"Path": p.Path, "InstanceProfileName": p.Name, "InstanceProfileId": p.ID,
		"Arn": c.Engine.InstanceProfileARN(p), "CreateDate": api.Time(p.Created), "Roles": roles}
	if len(p.Tags) > 0 || get {
		out["Tags"] = tagsOut(p.Tags)
	}
	return out
}

func createInstanceProfile(c *api.Call) (map[string]any, error) {
	if err := checkTagsIn(c); err != nil {
		return nil, err
	}
	p, err := c.Engine.CreateInstanceProfile(c.In.String("InstanceProfileName"), c.In.String("Path"), tagsIn(c))
	if err != nil {
		return nil, err
	}
	var out map[string]any
	c.Engine.Read(func(st *model.State) { out = profileOut(c, st, p, false) })
	return map[string]any{"InstanceProfile": out}, nil
}

func getInstanceProfile(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		var p *model.InstanceProfile
		if p, err = c.Engine.InstanceProfile(st, c.In.String("InstanceProfileName")); err == nil {
			out = profileOut(c, st, p, true)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"InstanceProfile": out}, nil
}

func deleteInstanceProfile(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteInstanceProfile(c.In.String("InstanceProfileName"))
}

func addRoleToInstanceProfile(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.AddRoleToInstanceProfile(c.In.String("InstanceProfileName"), c.In.String("RoleName"))
}

func removeRoleFromInstanceProfile(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.RemoveRoleFromInstanceProfile(c.In.String("InstanceProfileName"), c.In.String("RoleName"))
}

// listProfiles answers the instance profiles keep selects, in one read of
// the state (their roles are looked up in it).
func listProfiles(c *api.Call, keep func(p *model.InstanceProfile) bool) (map[string]any, error) {
	var res map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		var profiles []*model.InstanceProfile
		for _, p := range st.InstanceProfiles {
			if keep(p) {
				profiles = append(profiles, p)
			}
		}
		var pg []*model.InstanceProfile
		if res, pg, err = page(c, profiles, func(p *model.InstanceProfile) string { return p.Name }); err != nil {
			return
		}
		out := make([]map[string]any, len(pg))
		for i, p := range pg {
			out[i] = profileOut(c, st, p, false)
		}
		res["InstanceProfiles"] = out
	})
	return res, err
}

func listInstanceProfiles(c *api.Call) (map[string]any, error) {
	prefix := c.In.String("PathPrefix")
	return listProfiles(c, func(p *model.InstanceProfile) bool { return strings.HasPrefix(p.Path, prefix) })
}

func listInstanceProfilesForRole(c *api.Call) (map[string]any, error) {
	role := c.In.String("RoleName")
	if _, err := readRole(c, role); err != nil {
		return nil, err
	}
	return listProfiles(c, func(p *model.InstanceProfile) bool {
		for _, r := range p.Roles {
			if r == role {
				return true
			}
		}
		return false
	})
}

func tagInstanceProfile(c *api.Call) (map[string]any, error) {
	if err := checkTagsIn(c); err != nil {
		return nil, err
	}
	return nil, c.Engine.TagInstanceProfile(c.In.String("InstanceProfileName"), tagsIn(c), nil)
}

func untagInstanceProfile(c *api.Call) (map[string]any, error) {
	if err := checkTagKeysIn(c); err != nil {
		return nil, err
	}
	return nil, c.Engine.TagInstanceProfile(c.In.String("InstanceProfileName"), nil, c.In.Strings("TagKeys"))
}

func listInstanceProfileTags(c *api.Call) (map[string]any, error) {
	var tags model.Tags
	var err error
	c.Engine.Read(func(st *model.State) {
		var p *model.InstanceProfile
		if p, err = c.Engine.InstanceProfile(st, c.In.String("InstanceProfileName")); err == nil {
			tags = p.Tags
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Tags": tagsOut(tags), "IsTruncated": false}, nil
}

// getUser answers for the caller (no UserName): the root user, whose
// UserId is the account and whose ARN ends in :root, as Terraform's
// provider reads it to learn the account; role credentials cannot ask
// ("Must specify userName when calling with non-User credentials"). ecsnet
// models no IAM users, so a named user is NoSuchEntity.
func getUser(c *api.Call) (map[string]any, error) {
	if name := c.In.String("UserName"); name != "" {
		u, err := readUser(c, name)
		if err != nil {
			return nil, err
		}
		return map[string]any{"User": userOut(c, u, true)}, nil
	}
	if u := signingUser(c); u != nil {
		return map[string]any{"User": userOut(c, u, true)}, nil
	}
	arn := sts.CallerARN(c)
	if !strings.HasSuffix(arn, ":root") {
		return nil, apierr.New("ValidationError", "Must specify userName when calling with non-User credentials")
	}
	// The root user's CreateDate is the account's: a fixed date [choice].
	created := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	return map[string]any{"User": map[string]any{"UserId": c.Account, "Arn": arn, "CreateDate": api.Time(created)}}, nil
}
