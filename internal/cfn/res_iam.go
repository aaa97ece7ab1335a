package cfn

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// IAM resource types. They are created only when the deploy is given the
// engine that holds IAM (DeployOptions.IAM: the emulator's global IAM);
// otherwise (the analyzer) they are skipped, as they do not change how
// packets flow.
const (
	typeIAMRole            = "AWS::IAM::Role"
	typeIAMPolicy          = "AWS::IAM::Policy"
	typeIAMManagedPolicy   = "AWS::IAM::ManagedPolicy"
	typeIAMInstanceProfile = "AWS::IAM::InstanceProfile"
	// typeIAMServerCertificate is a certificate for load balancer
	// listeners (UploadServerCertificate).
	typeIAMServerCertificate = "AWS::IAM::ServerCertificate"
)

// iamType reports whether t is one of the IAM types ecsnet can create.
func iamType(t string) bool {
	switch t {
	case typeIAMRole, typeIAMPolicy, typeIAMManagedPolicy, typeIAMInstanceProfile, typeIAMServerCertificate,
		typeIAMUser, typeIAMAccessKey, typeIAMUserPolicy, typeIAMGroup, typeIAMUserToGroupAddition, typeIAMGroupPolicy:
		return true
	}
	return false
}

// iam is the engine that holds IAM.
func (c *rctx) iam() *engine.Engine { return c.s.l.iam }

// policyDocument returns a Json property as the JSON text CloudFormation
// sends to IAM: an object is converted (keys in template order, every
// scalar a string, as IAM reads them), a string is taken as it is.
func (o obj) policyDocument(key string, required bool) (string, error) {
	v := o.get(key)
	if v == nil {
		if required {
			_, err := o.req(key)
			return "", err
		}
		return "", nil
	}
	if v.kind == scalarNode {
		return v.str, nil
	}
	if v.kind != mapNode {
		return "", o.invalid(key, "expected type: JSONObject, found: %s", typeName(v))
	}
	var b bytes.Buffer
	writeJSON(&b, v)
	return b.String(), nil
}

// writeJSON writes a resolved node as JSON, map keys in template order.
func writeJSON(b *bytes.Buffer, n *node) {
	switch {
	case n == nil || n.kind == nullNode:
		b.WriteString("null")
	case n.kind == scalarNode:
		s, _ := json.Marshal(n.str)
		b.Write(s)
	case n.kind == listNode:
		b.WriteByte('[')
		for i, it := range n.items {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, it)
		}
		b.WriteByte(']')
	default:
		b.WriteByte('{')
		for i, f := range n.fields {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(f.key)
			b.Write(k)
			b.WriteByte(':')
			writeJSON(b, f.val)
		}
		b.WriteByte('}')
	}
}

// iamTags reads a Tags property as given: CloudFormation adds no
// aws:cloudformation:* tags to IAM entities (IAM reserves the aws:
// prefix).
func (o obj) iamTags() (model.Tags, error) {
	out, err := o.tagList()
	if len(out) == 0 {
		return nil, err
	}
	return out, err
}

// nameIn returns the name part of an IAM ARN or a plain name (Roles lists
// take names; templates sometimes give a role's ARN).
func nameIn(s string) string {
	if strings.HasPrefix(s, "arn:") {
		return s[strings.LastIndexByte(s, '/')+1:]
	}
	return s
}

// createIAMRole creates a role with its trust policy, its inline Policies
// and its ManagedPolicyArns. Ref is the role's name; Arn and RoleId are
// its attributes.
func createIAMRole(c *rctx) error {
	p := c.p
	name, err := c.name("RoleName", 64)
	if err != nil {
		return err
	}
	trust, err := p.policyDocument("AssumeRolePolicyDocument", true)
	if err != nil {
		return err
	}
	path, err := p.str("Path")
	if err != nil {
		return err
	}
	desc, err := p.str("Description")
	if err != nil {
		return err
	}
	boundary, err := p.str("PermissionsBoundary")
	if err != nil {
		return err
	}
	maxSession, err := p.integer("MaxSessionDuration", 0)
	if err != nil {
		return err
	}
	managed, err := p.strs("ManagedPolicyArns")
	if err != nil {
		return err
	}
	policies, err := p.objects("Policies")
	if err != nil {
		return err
	}
	type inline struct{ name, doc string }
	var docs []inline
	for _, pol := range policies {
		n, err := pol.req("PolicyName")
		if err != nil {
			return err
		}
		d, err := pol.policyDocument("PolicyDocument", true)
		if err != nil {
			return err
		}
		docs = append(docs, inline{n, d})
	}
	tags, err := p.iamTags()
	if err != nil {
		return err
	}
	iam := c.iam()
	role, err := iam.CreateRole(engine.RoleInput{Name: name, Path: path, AssumeRolePolicyDocument: trust, Description: desc,
		PermissionsBoundary: boundary, MaxSessionDuration: int64(maxSession), Tags: tags})
	if err != nil {
		return p.at("RoleName", err)
	}
	for _, d := range docs {
		if err := iam.PutRolePolicy(name, d.name, d.doc); err != nil {
			_ = deleteIAMRole(iam, name)
			return p.at("Policies", err)
		}
	}
	for _, arn := range managed {
		if err := iam.AttachRolePolicy(name, arn); err != nil {
			_ = deleteIAMRole(iam, name)
			return p.at("ManagedPolicyArns", err)
		}
	}
	c.setRef(name)
	c.set("Arn", iam.RoleARN(role))
	c.set("RoleId", role.ID)
	return nil
}

// deleteIAMRole deletes a role as CloudFormation does: its managed
// policies detached and its inline policies deleted first. A role still
// in an instance profile (of another stack, or made outside
// CloudFormation) is IAM's DeleteConflict.
func deleteIAMRole(iam *engine.Engine, name string) error {
	var attached, inline []string
	var found bool
	iam.Read(func(st *model.State) {
		if r := st.Roles[name]; r != nil {
			found = true
			attached = slices.Clone(r.AttachedPolicies)
			for k := range r.InlinePolicies {
				inline = append(inline, k)
			}
		}
	})
	if !found {
		return nil
	}
	for _, arn := range attached {
		if err := iam.DetachRolePolicy(name, arn); err != nil && !notFound(err) {
			return err
		}
	}
	for _, p := range inline {
		if err := iam.DeleteRolePolicy(name, p); err != nil && !notFound(err) {
			return err
		}
	}
	return iam.DeleteRole(name)
}

// notFound reports whether err is an AWS not-found error.
func notFound(err error) bool {
	var ae *apierr.Error
	return errors.As(err, &ae) && (ae.Code == "NoSuchEntity" || strings.Contains(ae.Code, "NotFound"))
}

// policyTargets reads the Roles, Users and Groups of an AWS::IAM::Policy
// or AWS::IAM::ManagedPolicy, as names.
func policyTargets(c *rctx, needOne bool) (roles, users, groups []string, err error) {
	p := c.p
	rs, err := p.strs("Roles")
	if err != nil {
		return nil, nil, nil, err
	}
	us, err := p.strs("Users")
	if err != nil {
		return nil, nil, nil, err
	}
	gs, err := p.strs("Groups")
	if err != nil {
		return nil, nil, nil, err
	}
	if needOne && len(rs)+len(us)+len(gs) == 0 {
		return nil, nil, nil, propErr(p.line, "Properties validation failed for resource %s with message: #: At least one of [Groups, Roles, Users] must be non-empty",
			c.r.def.name)
	}
	return namesIn(rs), namesIn(us), namesIn(gs), nil
}

// splitKey returns the names a kept key lists, comma-separated.
func splitKey(r Resource, k string) []string {
	if r.Keys[k] == "" {
		return nil
	}
	return strings.Split(r.Keys[k], ",")
}

// createIAMPolicy embeds an inline policy in each role it names. Ref is an
// id CloudFormation generates (the stack's name, the logical id and a
// random suffix), also the Id attribute.
func createIAMPolicy(c *rctx) error {
	p := c.p
	name, err := p.req("PolicyName")
	if err != nil {
		return err
	}
	doc, err := p.policyDocument("PolicyDocument", true)
	if err != nil {
		return err
	}
	roles, users, groups, err := policyTargets(c, true)
	if err != nil {
		return err
	}
	iam := c.iam()
	undo := func(roles, users []string) {
		for _, done := range roles {
			_ = iam.DeleteRolePolicy(done, name)
		}
		for _, done := range users {
			_ = iam.DeleteUserPolicy(done, name)
		}
	}
	for i, g := range groups {
		if err := iam.PutGroupPolicy(g, name, doc); err != nil {
			for _, done := range groups[:i] {
				_ = iam.DeleteGroupPolicy(done, name)
			}
			return p.at("Groups", err)
		}
	}
	c.keep("Groups", strings.Join(groups, ","))
	for i, r := range roles {
		if err := iam.PutRolePolicy(r, name, doc); err != nil {
			undo(roles[:i], nil)
			return p.at("Roles", err)
		}
	}
	for i, u := range users {
		if err := iam.PutUserPolicy(u, name, doc); err != nil {
			undo(roles, users[:i])
			return p.at("Users", err)
		}
	}
	id := c.s.physicalName(c.r.def.name, 128)
	c.keep("PolicyName", name)
	c.keep("Roles", strings.Join(roles, ","))
	c.keep("Users", strings.Join(users, ","))
	c.setRef(id)
	c.set("Id", id)
	return nil
}

// createIAMManagedPolicy creates a customer managed policy and attaches it
// to the roles it names. Ref is the policy's ARN (also PolicyArn).
func createIAMManagedPolicy(c *rctx) error {
	p := c.p
	name, err := c.name("ManagedPolicyName", 128)
	if err != nil {
		return err
	}
	doc, err := p.policyDocument("PolicyDocument", true)
	if err != nil {
		return err
	}
	path, err := p.str("Path")
	if err != nil {
		return err
	}
	desc, err := p.str("Description")
	if err != nil {
		return err
	}
	roles, users, groups, err := policyTargets(c, false)
	if err != nil {
		return err
	}
	iam := c.iam()
	pol, err := iam.CreateManagedPolicy(engine.ManagedPolicyInput{Name: name, Path: path, Description: desc, Document: doc})
	if err != nil {
		return p.at("ManagedPolicyName", err)
	}
	for i, g := range groups {
		if err := iam.AttachGroupPolicy(g, pol.ARN); err != nil {
			for _, done := range groups[:i] {
				_ = iam.DetachGroupPolicy(done, pol.ARN)
			}
			_ = iam.DeleteManagedPolicy(pol.ARN)
			return p.at("Groups", err)
		}
	}
	c.keep("Groups", strings.Join(groups, ","))
	undo := func(roles, users []string) {
		for _, done := range roles {
			_ = iam.DetachRolePolicy(done, pol.ARN)
		}
		for _, done := range users {
			_ = iam.DetachUserPolicy(done, pol.ARN)
		}
		_ = iam.DeleteManagedPolicy(pol.ARN)
	}
	for i, r := range roles {
		if err := iam.AttachRolePolicy(r, pol.ARN); err != nil {
			undo(roles[:i], nil)
			return p.at("Roles", err)
		}
	}
	for i, u := range users {
		if err := iam.AttachUserPolicy(u, pol.ARN); err != nil {
			undo(roles, users[:i])
			return p.at("Users", err)
		}
	}
	c.keep("Roles", strings.Join(roles, ","))
	c.keep("Users", strings.Join(users, ","))
	c.setRef(pol.ARN)
	c.set("PolicyArn", pol.ARN)
	c.set("PolicyId", pol.ID)
	c.set("DefaultVersionId", pol.DefaultVersion)
	c.set("IsAttachable", "true")
	c.set("AttachmentCount", strconv.Itoa(len(roles)+len(users)+len(groups)))
	c.set("CreateDate", pol.Created.UTC().Format("2006-01-02T15:04:05Z"))
	c.set("UpdateDate", pol.Updated.UTC().Format("2006-01-02T15:04:05Z"))
	return nil
}

// createIAMInstanceProfile creates an instance profile holding its role.
// Ref is the profile's name; Arn its attribute.
func createIAMInstanceProfile(c *rctx) error {
	p := c.p
	name, err := c.name("InstanceProfileName", 128)
	if err != nil {
		return err
	}
	path, err := p.str("Path")
	if err != nil {
		return err
	}
	roles, err := p.strs("Roles")
	if err != nil {
		return err
	}
	if !p.has("Roles") {
		if _, err := p.req("Roles"); err != nil {
			return err
		}
	}
	if len(roles) > 1 {
		return p.invalid("Roles", "expected maximum item count: 1, found: %d", len(roles))
	}
	iam := c.iam()
	prof, err := iam.CreateInstanceProfile(name, path, nil)
	if err != nil {
		return p.at("InstanceProfileName", err)
	}
	for _, r := range roles {
		if err := iam.AddRoleToInstanceProfile(name, nameIn(r)); err != nil {
			_ = iam.DeleteInstanceProfile(name)
			return p.at("Roles", err)
		}
	}
	c.setRef(name)
	c.set("Arn", iam.InstanceProfileARN(prof))
	return nil
}

// createIAMServerCertificate uploads a server certificate: Ref is its
// name (generated when ServerCertificateName is not given), Fn::GetAtt Arn
// its ARN.
func createIAMServerCertificate(c *rctx) error {
	p := c.p
	name, err := c.name("ServerCertificateName", 128)
	if err != nil {
		return err
	}
	in := engine.ServerCertificateInput{Name: name}
	for key, dst := range map[string]*string{"Path": &in.Path, "CertificateBody": &in.Body, "PrivateKey": &in.PrivateKey, "CertificateChain": &in.Chain} {
		if *dst, err = p.str(key); err != nil {
			return err
		}
	}
	// the template's tags only: GetServerCertificate answered Tags []
	if in.Tags, err = p.tagList(); err != nil {
		return err
	}
	iam := c.iam()
	cert, err := iam.UploadServerCertificate(in)
	if err != nil {
		return p.at("CertificateBody", err)
	}
	c.setRef(name)
	c.set("Arn", iam.ServerCertificateARN(cert))
	return nil
}

// deleteIAM deletes an IAM resource a stack created.
func deleteIAM(iam *engine.Engine, r Resource) error {
	switch r.Type {
	case typeIAMRole:
		return deleteIAMRole(iam, r.PhysicalID)
	case typeIAMPolicy:
		for _, role := range splitKey(r, "Roles") {
			if err := iam.DeleteRolePolicy(role, r.Keys["PolicyName"]); err != nil && !notFound(err) {
				return err
			}
		}
		for _, user := range splitKey(r, "Users") {
			if err := iam.DeleteUserPolicy(user, r.Keys["PolicyName"]); err != nil && !notFound(err) {
				return err
			}
		}
		for _, group := range splitKey(r, "Groups") {
			if err := iam.DeleteGroupPolicy(group, r.Keys["PolicyName"]); err != nil && !notFound(err) {
				return err
			}
		}
		return nil
	case typeIAMManagedPolicy:
		for _, role := range splitKey(r, "Roles") {
			if err := iam.DetachRolePolicy(role, r.PhysicalID); err != nil && !notFound(err) {
				return err
			}
		}
		for _, user := range splitKey(r, "Users") {
			if err := iam.DetachUserPolicy(user, r.PhysicalID); err != nil && !notFound(err) {
				return err
			}
		}
		for _, group := range splitKey(r, "Groups") {
			if err := iam.DetachGroupPolicy(group, r.PhysicalID); err != nil && !notFound(err) {
				return err
			}
		}
		return iam.DeleteManagedPolicy(r.PhysicalID)
	case typeIAMInstanceProfile:
		var held []string
		iam.Read(func(st *model.State) {
			if p := st.InstanceProfiles[r.PhysicalID]; p != nil {
				held = slices.Clone(p.Roles)
			}
		})
		for _, role := range held {
			if err := iam.RemoveRoleFromInstanceProfile(r.PhysicalID, role); err != nil && !notFound(err) {
				return err
			}
		}
		return iam.DeleteInstanceProfile(r.PhysicalID)
	case typeIAMServerCertificate:
		return iam.DeleteServerCertificate(r.PhysicalID)
	case typeIAMUser:
		return deleteIAMUser(iam, r.PhysicalID)
	case typeIAMAccessKey:
		if err := iam.ChangeAccessKey(r.Keys["UserName"], r.PhysicalID, ""); err != nil && !notFound(err) {
			return err
		}
		return nil
	case typeIAMUserPolicy:
		if err := iam.DeleteUserPolicy(r.Keys["UserName"], r.Keys["PolicyName"]); err != nil && !notFound(err) {
			return err
		}
		return nil
	case typeIAMGroup, typeIAMUserToGroupAddition, typeIAMGroupPolicy:
		return deleteIAMGroupResource(iam, r)
	}
	return nil
}
