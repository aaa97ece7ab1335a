package iam

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// IAM groups: CreateGroup, GetGroup (with its users), ListGroups,
// ListGroupsForUser, UpdateGroup, DeleteGroup, AddUserToGroup,
// RemoveUserFromGroup, and a group's inline and managed policies, served
// as a user's are.

func registerGroups(add func(op string, h api.Handler)) {
	add("CreateGroup", func(c *api.Call) (map[string]any, error) {
		g, err := c.Engine.CreateIAMGroup(c.In.String("GroupName"), c.In.String("Path"))
		if err != nil {
			return nil, err
		}
		return map[string]any{"Group": groupOut(c, g)}, nil
	})
	add("GetGroup", getGroup)
	add("ListGroups", listGroups)
	add("ListGroupsForUser", listGroupsForUser)
	add("UpdateGroup", func(c *api.Call) (map[string]any, error) {
		_, err := c.Engine.UpdateIAMGroup(c.In.String("GroupName"), c.In.String("NewGroupName"), c.In.String("NewPath"))
		return nil, err
	})
	add("DeleteGroup", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.DeleteIAMGroup(c.In.String("GroupName"))
	})
	add("AddUserToGroup", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.AddUserToGroup(c.In.String("GroupName"), c.In.String("UserName"))
	})
	add("RemoveUserFromGroup", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.RemoveUserFromGroup(c.In.String("GroupName"), c.In.String("UserName"))
	})
	add("PutGroupPolicy", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.PutGroupPolicy(c.In.String("GroupName"), c.In.String("PolicyName"), c.In.String("PolicyDocument"))
	})
	add("GetGroupPolicy", func(c *api.Call) (map[string]any, error) {
		g, err := readGroup(c, c.In.String("GroupName"))
		if err != nil {
			return nil, err
		}
		name := c.In.String("PolicyName")
		doc, ok := g.InlinePolicies[name]
		if !ok {
			return nil, noSuchEntity("The group policy with name %s cannot be found.", name)
		}
		return map[string]any{"GroupName": g.Name, "PolicyName": name, "PolicyDocument": encodeDocument(doc)}, nil
	})
	add("DeleteGroupPolicy", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.DeleteGroupPolicy(c.In.String("GroupName"), c.In.String("PolicyName"))
	})
	add("ListGroupPolicies", func(c *api.Call) (map[string]any, error) {
		g, err := readGroup(c, c.In.String("GroupName"))
		if err != nil {
			return nil, err
		}
		return policyNamesOut(c, g.InlinePolicies)
	})
	add("AttachGroupPolicy", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.AttachGroupPolicy(c.In.String("GroupName"), c.In.String("PolicyArn"))
	})
	add("DetachGroupPolicy", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.DetachGroupPolicy(c.In.String("GroupName"), c.In.String("PolicyArn"))
	})
	add("ListAttachedGroupPolicies", func(c *api.Call) (map[string]any, error) {
		g, err := readGroup(c, c.In.String("GroupName"))
		if err != nil {
			return nil, err
		}
		return attachedPoliciesOut(c, g.AttachedPolicies)
	})
}

func readGroup(c *api.Call, name string) (*model.IAMGroup, error) {
	var g *model.IAMGroup
	var err error
	c.Engine.Read(func(st *model.State) { g, err = c.Engine.IAMGroup(st, name) })
	return g, err
}

// groupOut is a Group as IAM answers it.
func groupOut(c *api.Call, g *model.IAMGroup) map[string]any {
	return map[string]any{"Path": g.Path, "GroupName": g.Name, "GroupId": g.ID, "Arn": c.Engine.GroupARN(g), "CreateDate": api.Time(g.Created)}
}

// getGroup answers a group with its users, a page of them.
func getGroup(c *api.Call) (map[string]any, error) {
	var g *model.IAMGroup
	var users []*model.IAMUser
	var err error
	c.Engine.Read(func(st *model.State) {
		if g, err = c.Engine.IAMGroup(st, c.In.String("GroupName")); err != nil {
			return
		}
		for _, n := range g.Users {
			if u := st.IAMUsers[n]; u != nil {
				users = append(users, u)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	res, pg, err := page(c, users, func(u *model.IAMUser) string { return u.Name })
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(pg))
	for i, u := range pg {
		out[i] = userOut(c, u, false)
	}
	res["Group"], res["Users"] = groupOut(c, g), out
	return res, nil
}

func listGroups(c *api.Call) (map[string]any, error) {
	prefix := c.In.String("PathPrefix")
	var groups []*model.IAMGroup
	c.Engine.Read(func(st *model.State) {
		for _, g := range st.IAMGroups {
			if strings.HasPrefix(g.Path, prefix) {
				groups = append(groups, g)
			}
		}
	})
	return groupsOut(c, groups)
}

func listGroupsForUser(c *api.Call) (map[string]any, error) {
	var groups []*model.IAMGroup
	var err error
	c.Engine.Read(func(st *model.State) {
		if _, err = c.Engine.IAMUser(st, c.In.String("UserName")); err == nil {
			groups = engine.GroupsOfUser(st, c.In.String("UserName"))
		}
	})
	if err != nil {
		return nil, err
	}
	return groupsOut(c, groups)
}

func groupsOut(c *api.Call, groups []*model.IAMGroup) (map[string]any, error) {
	res, pg, err := page(c, groups, func(g *model.IAMGroup) string { return g.Name })
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(pg))
	for i, g := range pg {
		out[i] = groupOut(c, g)
	}
	res["Groups"] = out
	return res, nil
}
