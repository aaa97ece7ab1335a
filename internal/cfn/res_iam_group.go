package cfn

import (
	"maps"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// IAM groups, as templates give their users permissions: AWS::IAM::Group
// (Path, Policies, ManagedPolicyArns), AWS::IAM::UserToGroupAddition, an
// AWS::IAM::User's Groups, AWS::IAM::GroupPolicy, and the Groups of
// AWS::IAM::Policy and ManagedPolicy; created, like the other IAM types,
// only in the emulator's IAM.
const (
	typeIAMGroup               = "AWS::IAM::Group"
	typeIAMUserToGroupAddition = "AWS::IAM::UserToGroupAddition"
	typeIAMGroupPolicy         = "AWS::IAM::GroupPolicy"
)

// groupSpec is what an AWS::IAM::Group's properties ask for, besides its
// name.
type groupSpec struct {
	path    string
	inline  map[string]string // policy name → document
	managed []string          // ARNs
}

// readGroupSpec reads an AWS::IAM::Group's Path, Policies and
// ManagedPolicyArns (a user's are read alike: readUserSpec).
func readGroupSpec(p obj) (groupSpec, error) {
	var g groupSpec
	var err error
	if g.path, err = p.str("Path"); err != nil {
		return g, err
	}
	if g.managed, err = p.strs("ManagedPolicyArns"); err != nil {
		return g, err
	}
	g.inline, err = inlinePolicies(p)
	return g, err
}

// inlinePolicies reads a user's or a group's Policies: name → document.
func inlinePolicies(p obj) (map[string]string, error) {
	policies, err := p.objects("Policies")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, pol := range policies {
		n, err := pol.req("PolicyName")
		if err != nil {
			return nil, err
		}
		d, err := pol.policyDocument("PolicyDocument", true)
		if err != nil {
			return nil, err
		}
		out[n] = d
	}
	return out, nil
}

// principalPolicies are the calls that change one user's or group's
// policies.
type principalPolicies struct {
	put            func(name, doc string) error
	remove         func(name string) error
	attach, detach func(arn string) error
}

// sync brings the inline and managed policies from was to want, each
// change at its property.
func (pp principalPolicies) sync(p obj, wasInline, inline map[string]string, wasManaged, managed []string) error {
	for _, pn := range slices.Sorted(maps.Keys(inline)) {
		if wasInline[pn] != inline[pn] {
			if err := pp.put(pn, inline[pn]); err != nil {
				return p.at("Policies", err)
			}
		}
	}
	for _, pn := range slices.Sorted(maps.Keys(wasInline)) {
		if _, keep := inline[pn]; !keep {
			if err := pp.remove(pn); err != nil && !notFound(err) {
				return p.at("Policies", err)
			}
		}
	}
	for _, arn := range managed {
		if !slices.Contains(wasManaged, arn) {
			if err := pp.attach(arn); err != nil {
				return p.at("ManagedPolicyArns", err)
			}
		}
	}
	for _, arn := range wasManaged {
		if !slices.Contains(managed, arn) {
			if err := pp.detach(arn); err != nil && !notFound(err) {
				return p.at("ManagedPolicyArns", err)
			}
		}
	}
	return nil
}

func groupPolicies(iam *engine.Engine, name string) principalPolicies {
	return principalPolicies{
		put:    func(n, d string) error { return iam.PutGroupPolicy(name, n, d) },
		remove: func(n string) error { return iam.DeleteGroupPolicy(name, n) },
		attach: func(arn string) error { return iam.AttachGroupPolicy(name, arn) },
		detach: func(arn string) error { return iam.DetachGroupPolicy(name, arn) },
	}
}

// createIAMGroup creates a group with its inline Policies and its
// ManagedPolicyArns. Ref is the group's name (GroupName, else a generated
// one); Fn::GetAtt Arn its ARN.
func createIAMGroup(c *rctx) error {
	p := c.p
	name, err := c.name("GroupName", 128)
	if err != nil {
		return err
	}
	spec, err := readGroupSpec(p)
	if err != nil {
		return err
	}
	iam := c.iam()
	g, err := iam.CreateIAMGroup(name, spec.path)
	if err != nil {
		return p.at("GroupName", err)
	}
	if err := groupPolicies(iam, name).sync(p, nil, spec.inline, nil, spec.managed); err != nil {
		_ = deleteIAMGroup(iam, name)
		return err
	}
	c.setRef(name)
	c.set("Arn", iam.GroupARN(g))
	return nil
}

// updateIAMGroup brings a group to its new Path, Policies and
// ManagedPolicyArns ("No interruption"; a new GroupName replaces it).
func updateIAMGroup(c *rctx, old obj, _ []string) error {
	spec, err := readGroupSpec(c.p)
	if err != nil {
		return err
	}
	was, err := readGroupSpec(old)
	if err != nil {
		return err
	}
	iam, name := c.iam(), c.r.physical
	if spec.path != was.path {
		path := spec.path
		if path == "" {
			path = "/"
		}
		if _, err := iam.UpdateIAMGroup(name, "", path); err != nil {
			return c.p.at("Path", err)
		}
	}
	return groupPolicies(iam, name).sync(c.p, was.inline, spec.inline, was.managed, spec.managed)
}

// deleteIAMGroup deletes a group as CloudFormation does: its managed
// policies detached and its inline policies deleted first. Users added
// outside the stack are left: IAM refuses the deletion then
// (DeleteConflict "Cannot delete entity, must remove users from group
// first.").
func deleteIAMGroup(iam *engine.Engine, name string) error {
	var attached, inline []string
	var found bool
	iam.Read(func(st *model.State) {
		if g := st.IAMGroups[name]; g != nil {
			found = true
			attached = slices.Clone(g.AttachedPolicies)
			inline = slices.Sorted(maps.Keys(g.InlinePolicies))
		}
	})
	if !found {
		return nil
	}
	for _, arn := range attached {
		if err := iam.DetachGroupPolicy(name, arn); err != nil && !notFound(err) {
			return err
		}
	}
	for _, p := range inline {
		if err := iam.DeleteGroupPolicy(name, p); err != nil && !notFound(err) {
			return err
		}
	}
	return iam.DeleteIAMGroup(name)
}

// createUserToGroupAddition adds Users to the group GroupName. Ref is an
// id CloudFormation generates, as for AWS::IAM::Policy [probable].
func createUserToGroupAddition(c *rctx) error {
	p := c.p
	group, err := p.req("GroupName")
	if err != nil {
		return err
	}
	users, err := p.strs("Users")
	if err != nil {
		return err
	}
	if !p.has("Users") {
		if _, err := p.req("Users"); err != nil {
			return err
		}
	}
	iam := c.iam()
	group = nameIn(group)
	for i, u := range users {
		if err := iam.AddUserToGroup(group, nameIn(u)); err != nil {
			for _, done := range users[:i] {
				_ = iam.RemoveUserFromGroup(group, nameIn(done))
			}
			return p.at("Users", err)
		}
	}
	c.keep("GroupName", group)
	c.keep("Users", strings.Join(namesIn(users), ","))
	c.setRef(c.s.physicalName(c.r.def.name, 128))
	return nil
}

// updateUserToGroupAddition adds the new Users and removes the ones no
// longer listed ("No interruption"; a new GroupName replaces it).
func updateUserToGroupAddition(c *rctx, _ obj, _ []string) error {
	users, err := c.p.strs("Users")
	if err != nil {
		return err
	}
	iam, group := c.iam(), c.r.keys["GroupName"]
	want := namesIn(users)
	was := []string{}
	if k := c.r.keys["Users"]; k != "" {
		was = strings.Split(k, ",")
	}
	for _, u := range want {
		if !slices.Contains(was, u) {
			if err := iam.AddUserToGroup(group, u); err != nil {
				return c.p.at("Users", err)
			}
		}
	}
	for _, u := range was {
		if !slices.Contains(want, u) {
			if err := iam.RemoveUserFromGroup(group, u); err != nil && !notFound(err) {
				return c.p.at("Users", err)
			}
		}
	}
	c.keep("Users", strings.Join(want, ","))
	return nil
}

// namesIn returns the names of users or groups given by name or ARN.
func namesIn(refs []string) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = nameIn(r)
	}
	return out
}

// createIAMGroupPolicy embeds an inline policy in a group. Ref is an id
// CloudFormation generates, as for AWS::IAM::UserPolicy [probable].
func createIAMGroupPolicy(c *rctx) error {
	p := c.p
	group, err := p.req("GroupName")
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
	if err := c.iam().PutGroupPolicy(nameIn(group), name, doc); err != nil {
		return p.at("GroupName", err)
	}
	c.keep("GroupName", nameIn(group))
	c.keep("PolicyName", name)
	c.setRef(c.s.physicalName(c.r.def.name, 128))
	return nil
}

// updateIAMGroupPolicy puts the group's policy's new document ("No
// interruption"; a new GroupName or PolicyName replaces it).
func updateIAMGroupPolicy(c *rctx, _ obj, _ []string) error {
	doc, err := c.p.policyDocument("PolicyDocument", false)
	if err != nil {
		return err
	}
	if doc == "" {
		doc = `{"Version":"2012-10-17","Statement":[]}`
	}
	if err := c.iam().PutGroupPolicy(c.r.keys["GroupName"], c.r.keys["PolicyName"], doc); err != nil {
		return c.p.at("PolicyDocument", err)
	}
	return nil
}

// deleteIAMGroupResource deletes a group, a user's addition to one, or a
// group's policy.
func deleteIAMGroupResource(iam *engine.Engine, r Resource) error {
	switch r.Type {
	case typeIAMGroup:
		return deleteIAMGroup(iam, r.PhysicalID)
	case typeIAMUserToGroupAddition:
		for _, u := range splitKey(r, "Users") {
			if err := iam.RemoveUserFromGroup(r.Keys["GroupName"], u); err != nil && !notFound(err) {
				return err
			}
		}
	case typeIAMGroupPolicy:
		if err := iam.DeleteGroupPolicy(r.Keys["GroupName"], r.Keys["PolicyName"]); err != nil && !notFound(err) {
			return err
		}
	}
	return nil
}
