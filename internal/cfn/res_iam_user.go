package cfn

import (
	"maps"
	"slices"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// IAM users, their access keys and inline policies, as templates create
// them for a CI system or an application outside AWS (created, like the
// other IAM types, only in the emulator's IAM).
const (
	typeIAMUser       = "AWS::IAM::User"
	typeIAMAccessKey  = "AWS::IAM::AccessKey"
	typeIAMUserPolicy = "AWS::IAM::UserPolicy"
)

// userSpec is what an AWS::IAM::User's properties ask for, besides its
// name.
type userSpec struct {
	path    string
	inline  map[string]string // policy name → document
	managed []string          // ARNs
	tags    model.Tags
	groups  []string // names
}

// readUserSpec reads an AWS::IAM::User's Path, Policies,
// ManagedPolicyArns, Tags and Groups.
func readUserSpec(c *rctx, p obj) (userSpec, error) {
	var u userSpec
	var err error
	if u.path, err = p.str("Path"); err != nil {
		return u, err
	}
	if u.managed, err = p.strs("ManagedPolicyArns"); err != nil {
		return u, err
	}
	policies, err := p.objects("Policies")
	if err != nil {
		return u, err
	}
	u.inline = map[string]string{}
	for _, pol := range policies {
		n, err := pol.req("PolicyName")
		if err != nil {
			return u, err
		}
		d, err := pol.policyDocument("PolicyDocument", true)
		if err != nil {
			return u, err
		}
		u.inline[n] = d
	}
	if u.tags, err = p.iamTags(); err != nil {
		return u, err
	}
	groups, err := p.strs("Groups")
	if err != nil {
		return u, err
	}
	u.groups = namesIn(groups)
	return u, nil
}

// createIAMUser creates a user with its inline Policies and its
// ManagedPolicyArns. Ref is the user's name (UserName, else a generated
// one); Fn::GetAtt Arn its ARN.
func createIAMUser(c *rctx) error {
	p := c.p
	name, err := c.name("UserName", 64)
	if err != nil {
		return err
	}
	spec, err := readUserSpec(c, p)
	if err != nil {
		return err
	}
	iam := c.iam()
	u, err := iam.CreateIAMUser(name, spec.path, spec.tags)
	if err != nil {
		return p.at("UserName", err)
	}
	for _, pn := range slices.Sorted(maps.Keys(spec.inline)) {
		if err := iam.PutUserPolicy(name, pn, spec.inline[pn]); err != nil {
			_ = deleteIAMUser(iam, name)
			return p.at("Policies", err)
		}
	}
	for _, arn := range spec.managed {
		if err := iam.AttachUserPolicy(name, arn); err != nil {
			_ = deleteIAMUser(iam, name)
			return p.at("ManagedPolicyArns", err)
		}
	}
	for _, g := range spec.groups {
		if err := iam.AddUserToGroup(g, name); err != nil {
			_ = deleteIAMUser(iam, name)
			return p.at("Groups", err)
		}
	}
	c.setRef(name)
	c.set("Arn", iam.UserARN(u))
	return nil
}

// updateIAMUser brings a user to its new Path, Policies,
// ManagedPolicyArns and Tags ("Update requires: No interruption"; a new
// UserName replaces the user).
func updateIAMUser(c *rctx, old obj, _ []string) error {
	spec, err := readUserSpec(nil, c.p)
	if err != nil {
		return err
	}
	was, err := readUserSpec(nil, old)
	if err != nil {
		return err
	}
	iam, name := c.iam(), c.r.physical
	if spec.path != was.path {
		path := spec.path
		if path == "" {
			path = "/"
		}
		if _, err := iam.UpdateIAMUser(name, "", path); err != nil {
			return c.p.at("Path", err)
		}
	}
	for _, pn := range slices.Sorted(maps.Keys(spec.inline)) {
		if was.inline[pn] != spec.inline[pn] {
			if err := iam.PutUserPolicy(name, pn, spec.inline[pn]); err != nil {
				return c.p.at("Policies", err)
			}
		}
	}
	for _, pn := range slices.Sorted(maps.Keys(was.inline)) {
		if _, keep := spec.inline[pn]; !keep {
			if err := iam.DeleteUserPolicy(name, pn); err != nil && !notFound(err) {
				return c.p.at("Policies", err)
			}
		}
	}
	for _, arn := range spec.managed {
		if !slices.Contains(was.managed, arn) {
			if err := iam.AttachUserPolicy(name, arn); err != nil {
				return c.p.at("ManagedPolicyArns", err)
			}
		}
	}
	for _, arn := range was.managed {
		if !slices.Contains(spec.managed, arn) {
			if err := iam.DetachUserPolicy(name, arn); err != nil && !notFound(err) {
				return c.p.at("ManagedPolicyArns", err)
			}
		}
	}
	var remove []string
	for k := range was.tags {
		if _, ok := spec.tags[k]; !ok {
			remove = append(remove, k)
		}
	}
	if err := iam.TagIAMUser(name, spec.tags, remove); err != nil {
		return c.p.at("Tags", err)
	}
	for _, g := range spec.groups {
		if !slices.Contains(was.groups, g) {
			if err := iam.AddUserToGroup(g, name); err != nil {
				return c.p.at("Groups", err)
			}
		}
	}
	for _, g := range was.groups {
		if !slices.Contains(spec.groups, g) {
			if err := iam.RemoveUserFromGroup(g, name); err != nil && !notFound(err) {
				return c.p.at("Groups", err)
			}
		}
	}
	return nil
}

// deleteIAMUser deletes a user as CloudFormation does: its managed
// policies detached, its inline policies deleted and the user removed
// from its groups first. Access keys made outside the stack are left: IAM
// refuses the deletion then (DeleteConflict "… must delete access keys
// first.").
func deleteIAMUser(iam *engine.Engine, name string) error {
	var attached, inline, groups []string
	var found bool
	iam.Read(func(st *model.State) {
		if u := st.IAMUsers[name]; u != nil {
			found = true
			attached = slices.Clone(u.AttachedPolicies)
			inline = slices.Sorted(maps.Keys(u.InlinePolicies))
			for _, g := range engine.GroupsOfUser(st, name) {
				groups = append(groups, g.Name)
			}
		}
	})
	if !found {
		return nil
	}
	for _, g := range groups {
		if err := iam.RemoveUserFromGroup(g, name); err != nil && !notFound(err) {
			return err
		}
	}
	for _, arn := range attached {
		if err := iam.DetachUserPolicy(name, arn); err != nil && !notFound(err) {
			return err
		}
	}
	for _, p := range inline {
		if err := iam.DeleteUserPolicy(name, p); err != nil && !notFound(err) {
			return err
		}
	}
	return iam.DeleteIAMUser(name)
}

// createIAMAccessKey creates an access key of a user, with its Status
// (Active, the default, or Inactive). Ref is the access key id; Fn::GetAtt
// SecretAccessKey its secret.
func createIAMAccessKey(c *rctx) error {
	p := c.p
	user, err := p.req("UserName")
	if err != nil {
		return err
	}
	if _, err := p.integer("Serial", 0); err != nil {
		return err
	}
	status, err := accessKeyStatus(p)
	if err != nil {
		return err
	}
	iam := c.iam()
	key, err := iam.CreateAccessKey(nameIn(user))
	if err != nil {
		return p.at("UserName", err)
	}
	if status != key.Status {
		if err := iam.ChangeAccessKey(nameIn(user), key.ID, status); err != nil {
			_ = iam.ChangeAccessKey(nameIn(user), key.ID, "")
			return p.at("Status", err)
		}
	}
	c.keep("UserName", nameIn(user))
	c.setRef(key.ID)
	c.set("SecretAccessKey", key.Secret)
	return nil
}

// accessKeyStatus reads an access key's Status: Active (the default) or
// Inactive.
func accessKeyStatus(p obj) (string, error) {
	status, err := p.str("Status")
	if err != nil {
		return "", err
	}
	switch status {
	case "":
		return "Active", nil
	case "Active", "Inactive":
		return status, nil
	}
	return "", p.invalid("Status", "%s is not a valid enum value", status)
}

// updateIAMAccessKey changes an access key's Status ("No interruption";
// a new UserName or Serial replaces the key).
func updateIAMAccessKey(c *rctx, _ obj, _ []string) error {
	status, err := accessKeyStatus(c.p)
	if err != nil {
		return err
	}
	if err := c.iam().ChangeAccessKey(c.r.keys["UserName"], c.r.physical, status); err != nil {
		return c.p.at("Status", err)
	}
	return nil
}

// createIAMUserPolicy embeds an inline policy in a user. Ref is an id
// CloudFormation generates, as for AWS::IAM::Policy [probable].
func createIAMUserPolicy(c *rctx) error {
	p := c.p
	user, err := p.req("UserName")
	if err != nil {
		return err
	}
	name, err := p.req("PolicyName")
	if err != nil {
		return err
	}
	doc, err := p.policyDocument("PolicyDocument", false)
	if err != nil {
		return err
	}
	if doc == "" {
		doc = `{"Version":"2012-10-17","Statement":[]}`
	}
	if err := c.iam().PutUserPolicy(nameIn(user), name, doc); err != nil {
		return p.at("UserName", err)
	}
	c.keep("UserName", nameIn(user))
	c.keep("PolicyName", name)
	c.setRef(c.s.physicalName(c.r.def.name, 128))
	return nil
}
