package cloudformation

import (
	"slices"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// A resource with a CreationPolicy whose success signals have not all
// arrived when the create has made it stays CREATE_IN_PROGRESS, in the
// stack's Waiting with its model.SignalAwait, and the stack
// CREATE_IN_PROGRESS: settle completes it once SignalResource brought the
// signals it needs, fails it at once on a FAILURE signal ("Received
// FAILURE signal with UniqueId ID"), and when the policy's Timeout runs
// out on the engine's clock fails it as CloudFormation does ("Failed to
// receive N resource signal(s) within the specified duration"; for an
// Auto Scaling group "Received N SUCCESS signal(s) out of M. Unable to
// satisfy P% MinSuccessfulInstancesPercent requirement"), and the stack
// rolls back as it asked.

// awaitOf is the stack's record of what a deployed resource still waits
// for, its deadline the policy's Timeout from now.
func awaitOf(w *cfn.SignalWait, now time.Time) *model.SignalAwait {
	if w == nil {
		return nil
	}
	return &model.SignalAwait{Want: w.Want, Need: w.Need, Group: w.Group, Percent: w.Percent, Condition: w.Condition,
		EnvStack: w.EnvStack, Deadline: now.Add(w.Timeout)}
}

// awaiting returns the logical ids of the resources whose CreationPolicy
// still waits for signals.
func awaiting(res []model.StackResource) []string {
	var out []string
	for _, r := range res {
		if r.Await != nil {
			out = append(out, r.LogicalID)
		}
	}
	return out
}

// awaitFailure is the status reason of a resource whose signals did not
// come in time, got of them received.
func awaitFailure(w *model.SignalAwait, got int) string {
	return (&cfn.SignalWait{Want: w.Want, Need: w.Need, Group: w.Group, Percent: w.Percent, Condition: w.Condition,
		EnvStack: w.EnvStack}).Failure(got)
}

// signalResource is SignalResource: a SUCCESS signal counts toward the
// resource's CreationPolicy (a UniqueId already received counts once
// [choice]; an Auto Scaling group counts only its own instances' ids,
// groupMember), a FAILURE signal fails it. A resource that waits for no
// signal is refused, "Resource NAME is in STATUS state and cannot be
// signaled" (ValidationError).
func signalResource(c *api.Call) (map[string]any, error) {
	name := c.In.String("StackName")
	logical, unique, status := c.In.String("LogicalResourceId"), c.In.String("UniqueId"), c.In.String("Status")
	if err := checkName("StackName", name, true); err != nil {
		return nil, err
	}
	switch {
	case unique == "":
		// botocore: ResourceSignalUniqueId min 1, max 64.
		return nil, validation("1 validation error detected: Value '' at 'uniqueId' failed to satisfy constraint: Member must have length greater than or equal to 1")
	case len(unique) > 64:
		return nil, validation("1 validation error detected: Value '%s' at 'uniqueId' failed to satisfy constraint: Member must have length less than or equal to 64", unique)
	}
	if status != "SUCCESS" && status != "FAILURE" {
		return nil, validation("1 validation error detected: Value '%s' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [SUCCESS, FAILURE]", status)
	}
	s, err := findStack(c, name)
	if err != nil {
		return nil, err
	}
	if s.Status == statusDeleteComplete {
		return nil, notExist(name)
	}
	signaled, prefix := s, ""
	if s.RootID != "" && s.RootID != s.ID {
		// A nested stack is a stack: its resources are signaled under
		// its own name or ARN (ecsnet records them in its root's
		// resources, under the path of its AWS::CloudFormation::Stack
		// resource).
		root, path := nestedPath(c, s)
		if root == nil {
			return nil, validation("Resource %s does not exist for stack %s", logical, name)
		}
		s, prefix = root, path+"/"
	}
	if inNested(logical) {
		return nil, validation("Resource %s does not exist for stack %s", logical, name)
	}
	i := slices.IndexFunc(s.Resources, func(r model.StackResource) bool { return r.LogicalID == prefix+logical })
	if i < 0 {
		return nil, validation("Resource %s does not exist for stack %s", logical, name)
	}
	r := s.Resources[i]
	if r.Await == nil || !slices.Contains(s.Waiting, prefix+logical) || signaled.Status != statusCreateInProgress && signaled.Status != statusUpdateInProgress {
		return nil, validation("Resource %s is in %s state and cannot be signaled", logical, r.Status)
	}
	if status == "SUCCESS" && (slices.Contains(r.Signals, unique) || r.Await.Group && !groupMember(c, r.PhysicalID, unique)) {
		// Counted once per UniqueId; an Auto Scaling group counts one
		// per instance of its own [choice].
		return map[string]any{}, nil
	}
	rec := newRecorder(c, s)
	if status == "SUCCESS" {
		rec.resource(r, r.Status, "Received SUCCESS signal with UniqueId "+unique)
	}
	_, err = rec.commit(func(st *model.Stack) {
		for j := range st.Resources {
			x := &st.Resources[j]
			if x.LogicalID != prefix+logical || x.Await == nil {
				continue
			}
			if status == "SUCCESS" {
				x.Signals = append(slices.Clone(x.Signals), unique)
			} else if x.Await.Failure == "" {
				w := *x.Await
				w.Failure = unique
				x.Await = &w
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

// groupMember reports whether id is an instance of the Auto Scaling group
// named group: the signals an Auto Scaling group's CreationPolicy (or
// rolling update) counts are its instances', one each (SignalResource's
// UniqueId: "When you signal Amazon EC2 instances or Auto Scaling groups,
// specify the instance ID that you are signaling").
func groupMember(c *api.Call, group, id string) bool {
	member := false
	c.Engine.Read(func(st *model.State) {
		inst := st.Instances[model.InstanceID(id)]
		member = inst != nil && inst.AutoScalingGroup == group
	})
	return member
}

// nestedPath returns the root stack of nested stack s and the path of
// s's AWS::CloudFormation::Stack resource in it ("App", "App/Inner").
func nestedPath(c *api.Call, s *model.Stack) (*model.Stack, string) {
	var root *model.Stack
	path := ""
	c.Engine.Read(func(st *model.State) {
		root = st.Stacks[s.RootID]
		if root == nil {
			return
		}
		for _, r := range root.Resources {
			if r.Type == typeStackResource && r.PhysicalID == s.ID {
				path = r.LogicalID
			}
		}
	})
	if path == "" {
		return nil, ""
	}
	return root, path
}
