package cfn

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

const typeLifecycleHook = "AWS::AutoScaling::LifecycleHook"

// lifecycleHookProps reads a lifecycle hook's properties, shared by
// AWS::AutoScaling::LifecycleHook and the items of an Auto Scaling group's
// LifecycleHookSpecificationList (whose LifecycleHookName is required).
// The engine gives the defaults (DefaultResult ABANDON, HeartbeatTimeout
// 3600) and validates.
func lifecycleHookProps(p obj, name string) (model.LifecycleHook, error) {
	h := model.LifecycleHook{Name: name}
	var err error
	if h.Transition, err = p.req("LifecycleTransition"); err != nil {
		return h, err
	}
	for _, f := range []struct {
		key string
		to  *string
	}{{"DefaultResult", &h.DefaultResult}, {"NotificationMetadata", &h.NotificationMetadata},
		{"NotificationTargetARN", &h.NotificationTargetARN}, {"RoleARN", &h.RoleARN}} {
		if *f.to, err = p.str(f.key); err != nil {
			return h, err
		}
	}
	if h.HeartbeatTimeout, err = p.integer("HeartbeatTimeout", 0); err != nil {
		return h, err
	}
	return h, nil
}

// createLifecycleHook puts a lifecycle hook on an Auto Scaling group
// (PutLifecycleHook); LifecycleHookName defaults to the name CloudFormation
// generates. Ref: the hook's name. A launch hook concerns the instances
// launched after it: those the group launched when it was created do not
// wait (use the group's LifecycleHookSpecificationList for them).
func createLifecycleHook(c *rctx) error {
	group, err := c.p.req("AutoScalingGroupName")
	if err != nil {
		return err
	}
	name, err := c.name("LifecycleHookName", 255)
	if err != nil {
		return err
	}
	h, err := lifecycleHookProps(c.p, name)
	if err != nil {
		return err
	}
	if err := c.e().PutLifecycleHook(group, h); err != nil {
		return err
	}
	c.keep("AutoScalingGroupName", group)
	c.setRef(name)
	return nil
}

// deleteLifecycleHook deletes a hook; one whose group or hook is gone
// counts as deleted.
func deleteLifecycleHook(e *engine.Engine, r Resource) error {
	group := r.Keys["AutoScalingGroupName"]
	exists := false
	e.Read(func(st *model.State) {
		if g := st.AutoScalingGroups[group]; g != nil {
			exists = slices.ContainsFunc(g.LifecycleHooks, func(h model.LifecycleHook) bool { return h.Name == r.PhysicalID })
		}
	})
	if !exists {
		return nil
	}
	return e.DeleteLifecycleHook(group, r.PhysicalID)
}
