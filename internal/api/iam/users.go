package iam

import (
	"net/http"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/api/sts"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// IAM users and access keys: CreateUser, GetUser, ListUsers, UpdateUser,
// DeleteUser, their tags, their inline and managed policies (as a role's),
// CreateAccessKey, ListAccessKeys,
// UpdateAccessKey and DeleteAccessKey, served as roles are. Without a
// UserName, the user is the one whose access key signed the request, as
// IAM determines it ("IAM determines the user name implicitly based on the
// AWS access key ID used to sign the request").

func registerUsers(add func(op string, h api.Handler)) {
	add("CreateUser", createUser)
	add("ListUsers", listUsers)
	add("UpdateUser", func(c *api.Call) (map[string]any, error) {
		_, err := c.Engine.UpdateIAMUser(c.In.String("UserName"), c.In.String("NewUserName"), c.In.String("NewPath"))
		return nil, err
	})
	add("DeleteUser", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.DeleteIAMUser(c.In.String("UserName"))
	})
	add("TagUser", func(c *api.Call) (map[string]any, error) {
		if err := checkTagsIn(c); err != nil {
			return nil, err
		}
		return nil, c.Engine.TagIAMUser(c.In.String("UserName"), tagsIn(c), nil)
	})
	add("UntagUser", func(c *api.Call) (map[string]any, error) {
		if err := checkTagKeysIn(c); err != nil {
			return nil, err
		}
		return nil, c.Engine.TagIAMUser(c.In.String("UserName"), nil, c.In.Strings("TagKeys"))
	})
	add("ListUserTags", func(c *api.Call) (map[string]any, error) {
		u, err := readUser(c, c.In.String("UserName"))
		if err != nil {
			return nil, err
		}
		return map[string]any{"Tags": tagsOut(u.Tags), "IsTruncated": false}, nil
	})
	add("PutUserPolicy", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.PutUserPolicy(c.In.String("UserName"), c.In.String("PolicyName"), c.In.String("PolicyDocument"))
	})
	add("GetUserPolicy", getUserPolicy)
	add("DeleteUserPolicy", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.DeleteUserPolicy(c.In.String("UserName"), c.In.String("PolicyName"))
	})
	add("ListUserPolicies", listUserPolicies)
	add("AttachUserPolicy", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.AttachUserPolicy(c.In.String("UserName"), c.In.String("PolicyArn"))
	})
	add("DetachUserPolicy", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.DetachUserPolicy(c.In.String("UserName"), c.In.String("PolicyArn"))
	})
	add("ListAttachedUserPolicies", func(c *api.Call) (map[string]any, error) {
		u, err := readUser(c, c.In.String("UserName"))
		if err != nil {
			return nil, err
		}
		return attachedPoliciesOut(c, u.AttachedPolicies)
	})
	add("CreateAccessKey", createAccessKey)
	add("GetAccessKeyLastUsed", getAccessKeyLastUsed)
	add("ListAccessKeys", listAccessKeys)
	add("UpdateAccessKey", func(c *api.Call) (map[string]any, error) {
		status := c.In.String("Status")
		if status != "Active" && status != "Inactive" {
			return nil, tagValidation("Value '%s' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]", status)
		}
		user, err := userNameIn(c)
		if err != nil {
			return nil, err
		}
		return nil, c.Engine.ChangeAccessKey(user, c.In.String("AccessKeyId"), status)
	})
	add("DeleteAccessKey", func(c *api.Call) (map[string]any, error) {
		user, err := userNameIn(c)
		if err != nil {
			return nil, err
		}
		return nil, c.Engine.ChangeAccessKey(user, c.In.String("AccessKeyId"), "")
	})
}

// signingUser is the IAM user whose access key signed the request, nil
// for another caller (the root user, temporary credentials).
func signingUser(c *api.Call) *model.IAMUser {
	if c.AccessKeyID == "" || c.SecurityToken != "" {
		return nil
	}
	var out *model.IAMUser
	c.Engine.Read(func(st *model.State) {
		for _, u := range st.IAMUsers {
			if slices.ContainsFunc(u.AccessKeys, func(k model.AccessKey) bool { return k.ID == c.AccessKeyID }) {
				out = u
				return
			}
		}
	})
	return out
}

// userNameIn is the request's UserName, or else the signing user's name;
// another caller must name the user (ValidationError "Must specify
// userName when calling with non-User credentials", recorded for
// DeleteAccessKey).
func userNameIn(c *api.Call) (string, error) {
	if name := c.In.String("UserName"); name != "" {
		return name, nil
	}
	if u := signingUser(c); u != nil {
		return u.Name, nil
	}
	return "", apierr.New("ValidationError", "Must specify userName when calling with non-User credentials")
}

func readUser(c *api.Call, name string) (*model.IAMUser, error) {
	var u *model.IAMUser
	var err error
	c.Engine.Read(func(st *model.State) { u, err = c.Engine.IAMUser(st, name) })
	return u, err
}

// userOut is a User: its tags only where full (GetUser and CreateUser
// answer them, ListUsers does not).
func userOut(c *api.Call, u *model.IAMUser, full bool) map[string]any {
	out := map[string]any{"Path": u.Path, "UserName": u.Name, "UserId": u.ID, "Arn": c.Engine.UserARN(u), "CreateDate": api.Time(u.Created)}
	if full && len(u.Tags) > 0 {
		out["Tags"] = tagsOut(u.Tags)
	}
	return out
}

func createUser(c *api.Call) (map[string]any, error) {
	if err := checkTagsIn(c); err != nil {
		return nil, err
	}
	u, err := c.Engine.CreateIAMUser(c.In.String("UserName"), c.In.String("Path"), tagsIn(c))
	if err != nil {
		return nil, err
	}
	return map[string]any{"User": userOut(c, u, true)}, nil
}

func listUsers(c *api.Call) (map[string]any, error) {
	prefix := c.In.String("PathPrefix")
	var users []*model.IAMUser
	c.Engine.Read(func(st *model.State) {
		for _, u := range st.IAMUsers {
			if strings.HasPrefix(u.Path, prefix) {
				users = append(users, u)
			}
		}
	})
	res, pg, err := page(c, users, func(u *model.IAMUser) string { return u.Name })
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(pg))
	for i, u := range pg {
		out[i] = userOut(c, u, false)
	}
	res["Users"] = out
	return res, nil
}

// createAccessKey answers the new key with its secret, the only answer
// that carries it.
func createAccessKey(c *api.Call) (map[string]any, error) {
	name := c.In.String("UserName")
	k, err := c.Engine.CreateAccessKey(name)
	if err != nil {
		return nil, err
	}
	return map[string]any{"AccessKey": map[string]any{"UserName": name, "AccessKeyId": k.ID, "Status": k.Status,
		"SecretAccessKey": k.Secret, "CreateDate": api.Time(k.Created)}}, nil
}

func listAccessKeys(c *api.Call) (map[string]any, error) {
	u, err := readUser(c, c.In.String("UserName"))
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(u.AccessKeys))
	for i, k := range u.AccessKeys {
		out[i] = map[string]any{"UserName": u.Name, "AccessKeyId": k.ID, "Status": k.Status, "CreateDate": api.Time(k.Created)}
	}
	return map[string]any{"AccessKeyMetadata": out, "IsTruncated": false}, nil
}

// getAccessKeyLastUsed answers a key as never used: ecsnet records keys,
// it does not track their use ([choice]), and AWS answers an unused key
// with Region and ServiceName "N/A" and no LastUsedDate. A key no user
// has is AccessDenied, as AWS answers it (it cannot tell the key's
// account).
func getAccessKeyLastUsed(c *api.Call) (map[string]any, error) {
	id := c.In.String("AccessKeyId")
	var owner *model.IAMUser
	c.Engine.Read(func(st *model.State) {
		for _, u := range st.IAMUsers {
			if slices.ContainsFunc(u.AccessKeys, func(k model.AccessKey) bool { return k.ID == id }) {
				owner = u
				return
			}
		}
	})
	if owner == nil {
		e := apierr.Newf("AccessDenied", "User: %s is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key %s", callerARN(c), id)
		e.HTTPStatus = http.StatusForbidden
		return nil, e
	}
	return map[string]any{"UserName": owner.Name, "AccessKeyLastUsed": map[string]any{"Region": "N/A", "ServiceName": "N/A"}}, nil
}

// callerARN is the ARN of the request's caller, the signing user's where
// an IAM user's key signed it.
func callerARN(c *api.Call) string {
	if u := signingUser(c); u != nil {
		return c.Engine.UserARN(u)
	}
	return sts.CallerARN(c)
}

func getUserPolicy(c *api.Call) (map[string]any, error) {
	u, err := readUser(c, c.In.String("UserName"))
	if err != nil {
		return nil, err
	}
	name := c.In.String("PolicyName")
	doc, ok := u.InlinePolicies[name]
	if !ok {
		return nil, noSuchEntity("The user policy with name %s cannot be found.", name)
	}
	return map[string]any{"UserName": u.Name, "PolicyName": name, "PolicyDocument": encodeDocument(doc)}, nil
}

func listUserPolicies(c *api.Call) (map[string]any, error) {
	u, err := readUser(c, c.In.String("UserName"))
	if err != nil {
		return nil, err
	}
	return policyNamesOut(c, u.InlinePolicies)
}
