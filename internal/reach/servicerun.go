package reach

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
)

// A service of task sets (deployment controller CODE_DEPLOY or EXTERNAL)
// runs its tasks from its task sets, each with its own task definition,
// launch type, network configuration and load balancers (ECS API
// Reference, CreateTaskSet); an EXTERNAL service has none of these of its
// own. The checks that read what a service runs read each of its
// serviceRuns.

// serviceRun is one configuration a service starts tasks from: the
// service's own, or one of its task sets that has tasks to serve (PRIMARY
// or ACTIVE; a DRAINING one is on its way out).
type serviceRun struct {
	svc *model.Service
	// set is the task set, nil for the service's own configuration.
	set               *model.TaskSet
	taskDefinitionARN string
	loadBalancers     []model.ServiceLoadBalancer
	network           *model.AwsVpcConfiguration
	launchType        model.LaunchType
	capacityProviders []model.CapacityProviderStrategyItem
	platformVersion   string
}

// serviceRuns returns what service s starts tasks from: its PRIMARY and
// ACTIVE task sets (the primary first) for a service of task sets that
// has any, else the service's own configuration.
func serviceRuns(s *model.Service) []serviceRun {
	var out []serviceRun
	if s.UsesTaskSets() {
		for _, want := range []string{"PRIMARY", "ACTIVE"} {
			for i := range s.TaskSets {
				ts := &s.TaskSets[i]
				if ts.Status != want {
					continue
				}
				out = append(out, serviceRun{svc: s, set: ts, taskDefinitionARN: ts.TaskDefinitionARN, loadBalancers: ts.LoadBalancers,
					network: ts.Network, launchType: ts.LaunchType, capacityProviders: ts.CapacityProviders, platformVersion: ts.PlatformVersion})
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return []serviceRun{{svc: s, taskDefinitionARN: s.TaskDefinitionARN, loadBalancers: s.LoadBalancers, network: s.Network,
		launchType: s.LaunchType, capacityProviders: s.CapacityProviders, platformVersion: s.PlatformVersion}}
}

// owns reports whether task tk is one this run started: a task of the
// task set (ECS starts a task set's tasks with startedBy its id), or,
// for the service's own configuration, any task of the service.
func (r *serviceRun) owns(tk *model.Task) bool {
	if tk.ClusterARN != r.svc.ClusterARN || tk.ServiceName != r.svc.Name {
		return false
	}
	return r.set == nil || tk.StartedBy == r.set.ID
}

// of names the task set in a sentence about the service: " (task set
// ecs-svc/1234, ACTIVE)", or "" for the service's own configuration.
func (r *serviceRun) of() string {
	if r.set == nil {
		return ""
	}
	return " (task set " + r.set.ID + ", " + r.set.Status + ")"
}

// tasks returns the service node's tasks this run started.
func (r *serviceRun) tasks(s *serviceNode) []*taskNode {
	if r.set == nil {
		return s.tasks
	}
	var out []*taskNode
	for _, tk := range s.tasks {
		if r.owns(tk.tk) {
			out = append(out, tk)
		}
	}
	return out
}

// runsNetworkWithGroup reports whether any configuration service s starts
// tasks from gives them security group g.
func runsNetworkWithGroup(s *model.Service, g model.SecurityGroupID) bool {
	for _, r := range serviceRuns(s) {
		if r.network != nil && slices.Contains(r.network.SecurityGroups, g) {
			return true
		}
	}
	return false
}

// runsTaskDefinition reports whether any configuration service s starts
// tasks from names task definition arn.
func runsTaskDefinition(s *model.Service, arn string) bool {
	for _, r := range serviceRuns(s) {
		if r.taskDefinitionARN == arn {
			return true
		}
	}
	return false
}

// replaceHint is what a fix of the run's task definition, network
// configuration or load balancers takes, after the fix of its own: "" for
// the service's own configuration (UpdateService changes it); for a task
// set, which only its scale can change (UpdateTaskSet takes nothing else),
// a new task set (EXTERNAL) or a new CodeDeploy deployment (CODE_DEPLOY),
// as UpdateService's documentation says.
func (r *serviceRun) replaceHint() string {
	switch {
	case r.set == nil:
		return ""
	case r.svc.DeploymentController == "CODE_DEPLOY":
		return "; the task set " + r.set.ID + " cannot change (UpdateTaskSet changes only a task set's scale, and UpdateService refuses a CODE_DEPLOY service's task definition, network configuration and load balancers): " +
			"deploy the change with a new CodeDeploy deployment (aws deploy create-deployment, an AppSpec with the task definition, network configuration and container of the load balancer)"
	default:
		return "; the task set " + r.set.ID + " cannot change (UpdateTaskSet changes only a task set's scale): create a task set with the change (aws ecs create-task-set), " +
			"scale it up, make it the primary one (aws ecs update-service-primary-task-set) and delete the old one (aws ecs delete-task-set)"
	}
}

// taskName names a task of the run in a sentence: its name, and its task
// set's for a task of a task set.
func (r *serviceRun) taskName(tk *taskNode) string {
	if r.set == nil {
		return tk.name
	}
	return tk.name + " (of the task set " + r.set.ID + ", " + r.set.Status + ")"
}

// runSubnets returns the subnets service s starts tasks in: its own
// network configuration's, or its task sets', each once.
func runSubnets(s *model.Service) []model.SubnetID {
	var out []model.SubnetID
	for _, r := range serviceRuns(s) {
		if r.network == nil {
			continue
		}
		for _, id := range r.network.Subnets {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// runTaskDefinitions returns the task definitions service s starts tasks
// from that the state holds: its own, or its task sets', each once.
func (n *Network) runTaskDefinitions(s *model.Service) []*model.TaskDefinition {
	var out []*model.TaskDefinition
	for _, r := range serviceRuns(s) {
		if td := n.st.TaskDefinitions[r.taskDefinitionARN]; td != nil && !slices.Contains(out, td) {
			out = append(out, td)
		}
	}
	return out
}

// runsOnInstances reports whether service s starts any tasks on container
// instances: a configuration of it (its own, or a task set's) whose
// launch type is not FARGATE.
func runsOnInstances(s *model.Service) bool {
	for _, r := range serviceRuns(s) {
		if r.launchType != model.LaunchFargate {
			return true
		}
	}
	return false
}
