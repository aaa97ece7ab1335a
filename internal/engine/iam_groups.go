package engine

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// IAM groups: a group's users take its inline and managed policies. As
// with users, ecsnet records them and does not enforce them.

// maxGroupsPerUser is the groups a user may be in (IAM quotas: 10).
const maxGroupsPerUser = 10

// GroupARN is a group's ARN.
func (e *Engine) GroupARN(g *model.IAMGroup) string { return e.iamARN("group", g.Path, g.Name) }

// CreateIAMGroup creates a group (name 1 to 128 characters of IAM's,
// path). Group names are unique without regard to case.
func (e *Engine) CreateIAMGroup(name, path string) (*model.IAMGroup, error) {
	if err := checkIAMName("groupName", name, 128); err != nil {
		return nil, err
	}
	path, err := checkIAMPath(path)
	if err != nil {
		return nil, err
	}
	var out *model.IAMGroup
	err = e.write(func(t *txn) error {
		if groupNameTaken(t.st, name, "") {
			return iamError("EntityAlreadyExists", http.StatusConflict, "Group with name %s already exists.", name)
		}
		out = &model.IAMGroup{Name: name, Path: path, ID: t.iamID("AGPA"), Created: t.now}
		put(t, model.KindIAMGroup, t.st.IAMGroups, name, out)
		return nil
	})
	return out, err
}

// groupNameTaken reports whether a group other than except holds name,
// without regard to case.
func groupNameTaken(st *model.State, name, except string) bool {
	for n := range st.IAMGroups {
		if n != except && strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// IAMGroup returns a group by name.
func (e *Engine) IAMGroup(st *model.State, name string) (*model.IAMGroup, error) {
	if g := st.IAMGroups[name]; g != nil {
		return g, nil
	}
	return nil, iamNoSuchEntity("The group with name %s cannot be found.", name)
}

// GroupsOfUser returns the groups a user is in, by name.
func GroupsOfUser(st *model.State, user string) []*model.IAMGroup {
	var out []*model.IAMGroup
	for _, g := range st.IAMGroups {
		if slices.Contains(g.Users, user) {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b *model.IAMGroup) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func cloneIAMGroup(old *model.IAMGroup) model.IAMGroup {
	g := *old
	g.Users = slices.Clone(old.Users)
	g.InlinePolicies = maps.Clone(old.InlinePolicies)
	g.AttachedPolicies = slices.Clone(old.AttachedPolicies)
	return g
}

// ChangeIAMGroup applies fn to a copy of the named group and stores it.
func (e *Engine) ChangeIAMGroup(name string, fn func(t *txn, g *model.IAMGroup) error) (*model.IAMGroup, error) {
	var out *model.IAMGroup
	err := e.write(func(t *txn) error {
		old, err := e.IAMGroup(t.st, name)
		if err != nil {
			return err
		}
		g := cloneIAMGroup(old)
		if err := fn(t, &g); err != nil {
			return err
		}
		put(t, model.KindIAMGroup, t.st.IAMGroups, name, &g)
		out = &g
		return nil
	})
	return out, err
}

// UpdateIAMGroup renames a group (newName, "" to keep it) and moves it to
// newPath ("" to keep it); it keeps its id, users and policies.
func (e *Engine) UpdateIAMGroup(name, newName, newPath string) (*model.IAMGroup, error) {
	if newName != "" {
		if err := checkIAMName("newGroupName", newName, 128); err != nil {
			return nil, err
		}
	}
	if newPath != "" {
		p, err := checkIAMPath(newPath)
		if err != nil {
			return nil, err
		}
		newPath = p
	}
	var out *model.IAMGroup
	err := e.write(func(t *txn) error {
		old, err := e.IAMGroup(t.st, name)
		if err != nil {
			return err
		}
		g := cloneIAMGroup(old)
		if newPath != "" {
			g.Path = newPath
		}
		if newName != "" && newName != name {
			if groupNameTaken(t.st, newName, name) {
				return iamError("EntityAlreadyExists", http.StatusConflict, "Group with name %s already exists.", newName)
			}
			del(t, model.KindIAMGroup, t.st.IAMGroups, name)
			g.Name = newName
		}
		put(t, model.KindIAMGroup, t.st.IAMGroups, g.Name, &g)
		out = &g
		return nil
	})
	return out, err
}

// DeleteIAMGroup deletes a group without users and policies (IAM:
// DeleteConflict "Cannot delete entity, must remove users from group
// first.", then the policies' conflicts as for a user [probable: the
// order]).
func (e *Engine) DeleteIAMGroup(name string) error {
	return e.write(func(t *txn) error {
		g, err := e.IAMGroup(t.st, name)
		if err != nil {
			return err
		}
		if len(g.Users) > 0 {
			return iamConflict("Cannot delete entity, must remove users from group first.")
		}
		if len(g.AttachedPolicies) > 0 {
			return iamConflict("Cannot delete entity, must detach all policies first.")
		}
		if len(g.InlinePolicies) > 0 {
			return iamConflict("Cannot delete entity, must delete policies first.")
		}
		del(t, model.KindIAMGroup, t.st.IAMGroups, name)
		return nil
	})
}

// AddUserToGroup adds a user to a group (again: no change); a user is in
// 10 groups at most (LimitExceeded "Cannot exceed quota for
// GroupsPerUser: 10").
func (e *Engine) AddUserToGroup(group, user string) error {
	_, err := e.ChangeIAMGroup(group, func(t *txn, g *model.IAMGroup) error {
		if _, err := e.IAMUser(t.st, user); err != nil {
			return err
		}
		if slices.Contains(g.Users, user) {
			return nil
		}
		if len(GroupsOfUser(t.st, user)) >= maxGroupsPerUser {
			return iamError("LimitExceeded", http.StatusConflict, "Cannot exceed quota for GroupsPerUser: %d", maxGroupsPerUser)
		}
		g.Users = append(g.Users, user)
		return nil
	})
	return err
}

// RemoveUserFromGroup removes a user from a group; a user that exists
// but is not in it is NoSuchEntity [probable: the text].
func (e *Engine) RemoveUserFromGroup(group, user string) error {
	_, err := e.ChangeIAMGroup(group, func(t *txn, g *model.IAMGroup) error {
		if _, err := e.IAMUser(t.st, user); err != nil {
			return err
		}
		i := slices.Index(g.Users, user)
		if i < 0 {
			return iamNoSuchEntity("The user with name %s cannot be found in group %s.", user, group)
		}
		g.Users = slices.Delete(g.Users, i, i+1)
		return nil
	})
	return err
}

// PutGroupPolicy adds or replaces an inline policy of a group.
func (e *Engine) PutGroupPolicy(group, policy, doc string) error {
	if err := checkIAMName("policyName", policy, 128); err != nil {
		return err
	}
	if err := checkPolicyDocument(doc); err != nil {
		return err
	}
	_, err := e.ChangeIAMGroup(group, func(_ *txn, g *model.IAMGroup) error {
		if g.InlinePolicies == nil {
			g.InlinePolicies = map[string]string{}
		}
		g.InlinePolicies[policy] = doc
		return nil
	})
	return err
}

// DeleteGroupPolicy removes an inline policy of a group.
func (e *Engine) DeleteGroupPolicy(group, policy string) error {
	_, err := e.ChangeIAMGroup(group, func(_ *txn, g *model.IAMGroup) error {
		if _, ok := g.InlinePolicies[policy]; !ok {
			return iamNoSuchEntity("The group policy with name %s cannot be found.", policy)
		}
		delete(g.InlinePolicies, policy)
		return nil
	})
	return err
}

// AttachGroupPolicy attaches a managed policy to a group (10 at most: IAM
// quotas, "Managed policies attached to an IAM group").
func (e *Engine) AttachGroupPolicy(group, arn string) error {
	if err := checkPolicyARN(arn); err != nil {
		return err
	}
	_, err := e.ChangeIAMGroup(group, func(t *txn, g *model.IAMGroup) error {
		return t.attachPolicy(&g.AttachedPolicies, arn, "PoliciesPerGroup")
	})
	return err
}

// DetachGroupPolicy detaches a managed policy from a group.
func (e *Engine) DetachGroupPolicy(group, arn string) error {
	_, err := e.ChangeIAMGroup(group, func(_ *txn, g *model.IAMGroup) error { return detachPolicy(&g.AttachedPolicies, arn) })
	return err
}

// PolicyGroupAttachments returns the groups a managed policy is attached
// to, by name.
func PolicyGroupAttachments(st *model.State, arn string) []*model.IAMGroup {
	return attachedTo(st.IAMGroups, arn, func(g *model.IAMGroup) (string, []string) { return g.Name, g.AttachedPolicies })
}

// renameGroupMember follows a user's new name in the groups it is in.
func (t *txn) renameGroupMember(old, name string) {
	for _, g := range GroupsOfUser(t.st, old) {
		c := cloneIAMGroup(g)
		c.Users[slices.Index(c.Users, old)] = name
		put(t, model.KindIAMGroup, t.st.IAMGroups, c.Name, &c)
	}
}
