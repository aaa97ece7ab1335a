package engine

import (
	"regexp"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// ECS cluster settings, attributes, account setting deletion, task
// definition deletion and container instance draining.

// UpdateClusterInput changes a cluster; nil fields stay as they are.
type UpdateClusterInput struct {
	Cluster                 string
	ContainerInsights       *string
	ExecuteCommand          *model.ExecuteCommandConfiguration
	ServiceConnectNamespace *string
}

// UpdateCluster changes a cluster's settings (containerInsights: enabled,
// disabled or enhanced), its executeCommandConfiguration and its Service
// Connect namespace (UpdateCluster, UpdateClusterSettings).
func (e *Engine) UpdateCluster(in UpdateClusterInput) (*model.Cluster, error) {
	if v := in.ContainerInsights; v != nil && !validInsights(*v) {
		return nil, errInvalidSettingValue()
	}
	if x := in.ExecuteCommand; x != nil && x.Logging != "" && x.Logging != "NONE" && x.Logging != "DEFAULT" && x.Logging != "OVERRIDE" {
		return nil, errECSInvalid("logging should be one of [NONE,DEFAULT,OVERRIDE]") // probable
	}
	var out *model.Cluster
	err := e.write(func(t *txn) error {
		c, err := t.cluster(in.Cluster)
		if err != nil {
			return err
		}
		n := *c
		if in.ContainerInsights != nil {
			n.ContainerInsights = *in.ContainerInsights
		}
		if in.ExecuteCommand != nil {
			x := *in.ExecuteCommand
			n.ExecuteCommand = &x
		}
		if in.ServiceConnectNamespace != nil {
			ns, err := t.serviceConnectDefaults(*in.ServiceConnectNamespace)
			if err != nil {
				return err
			}
			n.ServiceConnectNamespace = ns
		}
		put(t, model.KindCluster, t.st.Clusters, n.ARN, &n)
		out = &n
		return nil
	})
	return out, err
}

// TargetedAttribute is an ECS attribute with its target (PutAttributes,
// DeleteAttributes, ListAttributes).
type TargetedAttribute struct {
	Name, Value string
	TargetType  string // container-instance
	TargetID    string // the container instance's ARN or id
}

var attrNameRE = regexp.MustCompile(`^[a-zA-Z0-9_.\-/]{1,128}$`)
var attrValueRE = regexp.MustCompile(`^[a-zA-Z0-9_.\-/:() @]{1,128}$`)

// PutAttributes sets custom attributes on container instances (at most
// 10 per call). Names are 1-128 letters, digits, hyphens, underscores,
// periods and slashes; values 1-128 of those plus colons, spaces and
// parentheses, as ECS documents. A target that is not in the cluster is
// TargetNotFoundException; nothing is applied then.
func (e *Engine) PutAttributes(cluster string, attrs []TargetedAttribute, remove bool) ([]TargetedAttribute, error) {
	if len(attrs) == 0 {
		return nil, errECSInvalid("attributes can not be empty") // probable
	}
	if len(attrs) > 10 {
		return nil, apierr.New("AttributeLimitExceededException", "You can apply up to 10 custom attributes for each resource.")
	}
	for _, a := range attrs {
		if !attrNameRE.MatchString(a.Name) {
			return nil, errECSInvalid("Attribute name %s is invalid: use up to 128 letters (uppercase and lowercase), numbers, hyphens, underscores, forward slashes, and periods.", a.Name) // probable
		}
		if !remove && a.Value != "" && !attrValueRE.MatchString(a.Value) {
			return nil, errECSInvalid("Attribute value %s is invalid.", a.Value) // probable
		}
		if a.TargetType != "" && a.TargetType != "container-instance" {
			return nil, errECSInvalid("targetType should be one of [container-instance]")
		}
	}
	var out []TargetedAttribute
	err := e.write(func(t *txn) error {
		c, err := t.cluster(cluster)
		if err != nil {
			return err
		}
		for _, a := range attrs {
			if a.TargetID == "" {
				return errECSInvalid("targetId is required for attribute %s.", a.Name) // probable
			}
			ci, err := t.containerInstance(c, a.TargetID)
			if err != nil {
				return apierr.Newf("TargetNotFoundException", "Could not find %s.", a.TargetID) // probable
			}
			n := *ci
			n.Attributes = slices.DeleteFunc(slices.Clone(ci.Attributes), func(x model.Attribute) bool { return x.Name == a.Name })
			if !remove {
				n.Attributes = append(n.Attributes, model.Attribute{Name: a.Name, Value: a.Value})
			}
			n.Version++
			put(t, model.KindContainerInstance, t.st.ContainerInstances, n.ARN, &n)
			a.TargetType, a.TargetID = "container-instance", n.ARN
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

// DeleteAccountSetting removes a setting of principal ("" the account
// default), which then falls back to the default. A setting that was never
// set is an error, as on ECS.
func (e *Engine) DeleteAccountSetting(name, principal string) (*model.AccountSetting, error) {
	if !slices.Contains(settingNames, name) {
		return nil, errECSInvalid("%s should be one of [%s]", name, strings.Join(settingNames, ","))
	}
	var out *model.AccountSetting
	err := e.write(func(t *txn) error {
		key := (&model.AccountSetting{Name: name, PrincipalARN: principal}).Key()
		s := t.st.AccountSettings[key]
		if s == nil {
			out = &model.AccountSetting{Name: name, Value: AccountSetting(t.st, name, principal), PrincipalARN: principal}
			return nil
		}
		out = s
		del(t, model.KindAccountSetting, t.st.AccountSettings, key)
		return nil
	})
	return out, err
}

// DeleteTaskDefinitionFailure is one revision DeleteTaskDefinitions
// refused.
type DeleteTaskDefinitionFailure struct{ ARN, Reason string }

// DeleteTaskDefinitions moves INACTIVE revisions to DELETE_IN_PROGRESS (at
// most 10 per call). An ACTIVE revision, a reference without a revision and
// a revision that does not exist are failures, with ECS's reasons. ecsnet
// keeps the revision in DELETE_IN_PROGRESS (AWS deletes it once no task or
// service uses it).
func (e *Engine) DeleteTaskDefinitions(refs []string) ([]*model.TaskDefinition, []DeleteTaskDefinitionFailure, error) {
	if len(refs) == 0 {
		return nil, nil, errECSInvalid("size of TaskDefinition references list must be greater than 0")
	}
	if len(refs) > 10 {
		return nil, nil, errECSInvalid("Size of TaskDefinition references list cannot exceed 10")
	}
	var out []*model.TaskDefinition
	var failed []DeleteTaskDefinitionFailure
	err := e.write(func(t *txn) error {
		for _, ref := range refs {
			name := ref[strings.LastIndexByte(ref, '/')+1:]
			if !strings.Contains(name, ":") {
				failed = append(failed, DeleteTaskDefinitionFailure{ref, "The specified task definition identifier is invalid. Specify a valid name or ARN and try again."})
				continue
			}
			td, err := t.taskDefinition(ref)
			if err != nil {
				failed = append(failed, DeleteTaskDefinitionFailure{ref, "The specified task definition does not exist. Specify a valid account, family, revision and try again."})
				continue
			}
			if td.Status == "ACTIVE" {
				failed = append(failed, DeleteTaskDefinitionFailure{td.ARN, "The specified task definition is still in ACTIVE status. Please deregister the target and try again."})
				continue
			}
			c := *td
			c.Status = "DELETE_IN_PROGRESS"
			put(t, model.KindTaskDefinition, t.st.TaskDefinitions, c.ARN, &c)
			out = append(out, &c)
		}
		return nil
	})
	return out, failed, err
}

// ContainerInstanceFailure is one container instance a call could not
// change.
type ContainerInstanceFailure struct{ ARN, Reason string }

// UpdateContainerInstancesState sets container instances ACTIVE or
// DRAINING. A draining instance takes no new tasks; its service tasks are
// stopped and the services start replacements elsewhere, as ECS documents
// (standalone tasks keep running). Instances not in the cluster are
// failures (MISSING).
func (e *Engine) UpdateContainerInstancesState(cluster string, refs []string, status string) ([]*model.ContainerInstance, []ContainerInstanceFailure, error) {
	if status != "ACTIVE" && status != "DRAINING" {
		return nil, nil, errECSInvalid("Container instance status should be one of [ACTIVE, DRAINING]")
	}
	var out []*model.ContainerInstance
	var failed []ContainerInstanceFailure
	err := e.write(func(t *txn) error {
		c, err := t.cluster(cluster)
		if err != nil {
			return err
		}
		for _, ref := range refs {
			ci, err := t.containerInstance(c, ref)
			if err != nil {
				arn := ref
				if !strings.HasPrefix(ref, "arn:") {
					arn = t.e.ecsARN("container-instance/" + c.Name + "/" + ref)
				}
				failed = append(failed, ContainerInstanceFailure{arn, "MISSING"})
				continue
			}
			if ci.Status != "ACTIVE" && ci.Status != "DRAINING" {
				failed = append(failed, ContainerInstanceFailure{ci.ARN, "Container instance is not ACTIVE or DRAINING."}) // probable
				continue
			}
			n := *ci
			if n.Status != status {
				n.Status = status
				n.Version++
				put(t, model.KindContainerInstance, t.st.ContainerInstances, n.ARN, &n)
			}
			if status == "DRAINING" {
				for _, tk := range t.hostTasks(n.ARN) {
					if tk.ServiceName != "" && tk.DesiredStatus != model.TaskStopped {
						t.stopTask(tk, "ServiceSchedulerInitiated", "Container instance is being drained.", false) // probable reason text
					}
				}
			}
			out = append(out, &n)
		}
		return nil
	})
	return out, failed, err
}
