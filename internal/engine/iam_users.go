package engine

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// IAM users and their access keys, as configurations create them for a
// CI system or an application outside AWS. ecsnet accepts any
// credentials: an access key is recorded, not enforced.

// maxAccessKeys is the access keys a user may have (IAM quotas: 2).
const maxAccessKeys = 2

// UserARN is a user's ARN.
func (e *Engine) UserARN(u *model.IAMUser) string { return e.iamARN("user", u.Path, u.Name) }

// CreateIAMUser creates a user (name 1 to 64 characters of IAM's, path).
func (e *Engine) CreateIAMUser(name, path string, tags model.Tags) (*model.IAMUser, error) {
	if err := checkIAMName("userName", name, 64); err != nil {
		return nil, err
	}
	path, err := checkIAMPath(path)
	if err != nil {
		return nil, err
	}
	if err := checkIAMTags(tags); err != nil {
		return nil, err
	}
	var out *model.IAMUser
	err = e.write(func(t *txn) error {
		// User names are unique without regard to case (IAM User Guide,
		// "IAM object names").
		for n := range t.st.IAMUsers {
			if strings.EqualFold(n, name) {
				return iamError("EntityAlreadyExists", http.StatusConflict, "User with name %s already exists.", name)
			}
		}
		out = &model.IAMUser{Name: name, Path: path, ID: t.iamID("AIDA"), Created: t.now, Tags: tags.Clone()}
		put(t, model.KindIAMUser, t.st.IAMUsers, name, out)
		return nil
	})
	return out, err
}

// IAMUser returns a user by name.
func (e *Engine) IAMUser(st *model.State, name string) (*model.IAMUser, error) {
	if u := st.IAMUsers[name]; u != nil {
		return u, nil
	}
	return nil, iamNoSuchEntity("The user with name %s cannot be found.", name)
}

// cloneIAMUser copies a user deep enough to change it.
func cloneIAMUser(old *model.IAMUser) model.IAMUser {
	u := *old
	u.Tags = old.Tags.Clone()
	u.AccessKeys = slices.Clone(old.AccessKeys)
	u.InlinePolicies = maps.Clone(old.InlinePolicies)
	u.AttachedPolicies = slices.Clone(old.AttachedPolicies)
	return u
}

// ChangeIAMUser applies fn to a copy of the named user and stores it.
func (e *Engine) ChangeIAMUser(name string, fn func(t *txn, u *model.IAMUser) error) (*model.IAMUser, error) {
	var out *model.IAMUser
	err := e.write(func(t *txn) error {
		old, err := e.IAMUser(t.st, name)
		if err != nil {
			return err
		}
		u := cloneIAMUser(old)
		if err := fn(t, &u); err != nil {
			return err
		}
		put(t, model.KindIAMUser, t.st.IAMUsers, name, &u)
		out = &u
		return nil
	})
	return out, err
}

// UpdateIAMUser renames a user (newName, "" to keep it) and moves it to
// newPath ("" to keep it). The user keeps its id, tags and access keys;
// its ARN follows the new name and path. A new name another user holds
// (without regard to case) is EntityAlreadyExists, as in CreateUser.
func (e *Engine) UpdateIAMUser(name, newName, newPath string) (*model.IAMUser, error) {
	if newName != "" {
		if err := checkIAMName("newUserName", newName, 64); err != nil {
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
	var out *model.IAMUser
	err := e.write(func(t *txn) error {
		old, err := e.IAMUser(t.st, name)
		if err != nil {
			return err
		}
		u := cloneIAMUser(old)
		if newPath != "" {
			u.Path = newPath
		}
		if newName != "" && newName != name {
			for n := range t.st.IAMUsers {
				if n != name && strings.EqualFold(n, newName) {
					return iamError("EntityAlreadyExists", http.StatusConflict, "User with name %s already exists.", newName)
				}
			}
			del(t, model.KindIAMUser, t.st.IAMUsers, name)
			t.renameGroupMember(name, newName)
			u.Name = newName
		}
		put(t, model.KindIAMUser, t.st.IAMUsers, u.Name, &u)
		out = &u
		return nil
	})
	return out, err
}

// DeleteIAMUser deletes a user that has no policy and no access key left
// and is in no group (IAM: DeleteConflict "Cannot delete entity, must
// detach all policies first.", "… must delete policies first.", "… must
// delete access keys first.", "… must remove users from group first.", in
// that order [probable: the role's order; the group's text is
// DeleteGroup's, as recorded for DeleteUser too]).
func (e *Engine) DeleteIAMUser(name string) error {
	return e.write(func(t *txn) error {
		u, err := e.IAMUser(t.st, name)
		if err != nil {
			return err
		}
		if len(u.AttachedPolicies) > 0 {
			return iamConflict("Cannot delete entity, must detach all policies first.")
		}
		if len(u.InlinePolicies) > 0 {
			return iamConflict("Cannot delete entity, must delete policies first.")
		}
		if len(u.AccessKeys) > 0 {
			return iamConflict("Cannot delete entity, must delete access keys first.")
		}
		if len(GroupsOfUser(t.st, name)) > 0 {
			return iamConflict("Cannot delete entity, must remove users from group first.")
		}
		del(t, model.KindIAMUser, t.st.IAMUsers, name)
		return nil
	})
}

// TagIAMUser adds and removes tags of a user (50 at most).
func (e *Engine) TagIAMUser(name string, add model.Tags, remove []string) error {
	_, err := e.ChangeIAMUser(name, func(_ *txn, u *model.IAMUser) error {
		u.Tags = changeTags(u.Tags, add, remove)
		return checkIAMTags(u.Tags)
	})
	return err
}

// CreateAccessKey gives a user a new active access key (AKIA… and a
// 40-character secret); a user has two at most (LimitExceeded "Cannot
// exceed quota for AccessKeysPerUser: 2").
func (e *Engine) CreateAccessKey(user string) (model.AccessKey, error) {
	var key model.AccessKey
	_, err := e.ChangeIAMUser(user, func(t *txn, u *model.IAMUser) error {
		if len(u.AccessKeys) >= maxAccessKeys {
			return iamError("LimitExceeded", http.StatusConflict, "Cannot exceed quota for AccessKeysPerUser: %d", maxAccessKeys)
		}
		key = model.AccessKey{ID: "AKIA" + strings.ToUpper(t.e.ids.Hex(16)), Secret: t.e.ids.Hex(40), Status: "Active", Created: t.now}
		u.AccessKeys = append(u.AccessKeys, key)
		return nil
	})
	return key, err
}

// ChangeAccessKey sets the status of a user's access key (status
// Active or Inactive) or deletes it (status ""); a key the user does not
// have is NoSuchEntity "The Access Key with id ID cannot be found.".
func (e *Engine) ChangeAccessKey(user, id, status string) error {
	_, err := e.ChangeIAMUser(user, func(_ *txn, u *model.IAMUser) error {
		i := slices.IndexFunc(u.AccessKeys, func(k model.AccessKey) bool { return k.ID == id })
		switch {
		case i < 0:
			return iamNoSuchEntity("The Access Key with id %s cannot be found.", id)
		case status == "":
			u.AccessKeys = slices.Delete(u.AccessKeys, i, i+1)
		default:
			u.AccessKeys[i].Status = status
		}
		return nil
	})
	return err
}

// PutUserPolicy adds or replaces an inline policy of a user.
func (e *Engine) PutUserPolicy(user, policy, doc string) error {
	if err := checkIAMName("policyName", policy, 128); err != nil {
		return err
	}
	if err := checkInlinePolicy(doc); err != nil {
		return err
	}
	_, err := e.ChangeIAMUser(user, func(_ *txn, u *model.IAMUser) error {
		if u.InlinePolicies == nil {
			u.InlinePolicies = map[string]string{}
		}
		u.InlinePolicies[policy] = doc
		return nil
	})
	return err
}

// DeleteUserPolicy removes an inline policy of a user.
func (e *Engine) DeleteUserPolicy(user, policy string) error {
	_, err := e.ChangeIAMUser(user, func(_ *txn, u *model.IAMUser) error {
		if _, ok := u.InlinePolicies[policy]; !ok {
			return iamNoSuchEntity("The user policy with name %s cannot be found.", policy)
		}
		delete(u.InlinePolicies, policy)
		return nil
	})
	return err
}

// AttachUserPolicy attaches a managed policy to a user (10 at most: IAM
// quotas, "Managed policies attached to an IAM user").
func (e *Engine) AttachUserPolicy(user, arn string) error {
	if err := checkPolicyARN(arn); err != nil {
		return err
	}
	_, err := e.ChangeIAMUser(user, func(t *txn, u *model.IAMUser) error {
		return t.attachPolicy(&u.AttachedPolicies, arn, "PoliciesPerUser")
	})
	return err
}

// DetachUserPolicy detaches a managed policy from a user.
func (e *Engine) DetachUserPolicy(user, arn string) error {
	_, err := e.ChangeIAMUser(user, func(_ *txn, u *model.IAMUser) error { return detachPolicy(&u.AttachedPolicies, arn) })
	return err
}
