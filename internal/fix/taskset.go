package fix

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// A service of the EXTERNAL deployment controller runs its tasks from
// task sets, and only a task set's scale can change (UpdateTaskSet takes
// cluster, service, taskSet and scale); UpdateService refuses its task
// definition, network configuration and load balancers: "If the launch
// type, load balancer, network configuration, platform version, or task
// definition need to be updated, create a new task set" (ECS API
// Reference, UpdateService). A fix of them is a new task set with the
// change, at the old one's scale, made primary if the old one was, and
// the old one deleted. A CODE_DEPLOY service's change is a new CodeDeploy
// deployment ("create a new CodeDeploy deployment"), which needs the
// service's deployment group and an AppSpec: no such fix is proposed.

// serviceTaskSet returns the task set of svc that task tk belongs to
// (its startedBy), else svc's primary task set; nil for a service of the
// ECS controller or one without task sets.
func serviceTaskSet(svc *model.Service, tk *model.Task) *model.TaskSet {
	if svc.DeploymentController != "EXTERNAL" && svc.DeploymentController != "CODE_DEPLOY" {
		return nil
	}
	if tk != nil {
		if i := slices.IndexFunc(svc.TaskSets, func(ts model.TaskSet) bool { return ts.ID == tk.StartedBy && ts.Status != "DRAINING" }); i >= 0 {
			return &svc.TaskSets[i]
		}
	}
	if i := slices.IndexFunc(svc.TaskSets, func(ts model.TaskSet) bool { return ts.Status == "PRIMARY" }); i >= 0 {
		return &svc.TaskSets[i]
	}
	return nil
}

// runNetwork returns the network configuration the tasks of svc (task
// tk's, when given) run with: their task set's, or the service's own.
func runNetwork(svc *model.Service, tk *model.Task) *model.AwsVpcConfiguration {
	if ts := serviceTaskSet(svc, tk); ts != nil {
		return ts.Network
	}
	return svc.Network
}

// serviceUpdate returns the commands and the change of an UpdateService
// in (its task definition, network configuration or load balancers) of
// service svc whose task tk the fix is for, updateCmd being the aws CLI
// command of it: for a service of the EXTERNAL controller a replacing
// task set instead. ok is false when AWS takes no such change by these
// APIs (a CODE_DEPLOY service's task set).
func serviceUpdate(svc *model.Service, tk *model.Task, in engine.UpdateServiceInput, updateCmd string) (cmds []string, apply func(*engine.Engine) error, ok bool) {
	ts := serviceTaskSet(svc, tk)
	if ts == nil {
		return []string{updateCmd}, func(e *engine.Engine) error {
			_, err := e.UpdateService(in)
			return err
		}, true
	}
	if svc.DeploymentController != "EXTERNAL" {
		return nil, nil, false
	}
	old := *ts
	next := engine.CreateTaskSetInput{Cluster: in.Cluster, Service: in.Service, TaskDefinition: old.TaskDefinitionARN, LaunchType: old.LaunchType,
		CapacityProviderStrategy: old.CapacityProviders, Network: old.Network, PlatformVersion: old.PlatformVersion, LoadBalancers: old.LoadBalancers,
		ExternalID: old.ExternalID}
	if in.TaskDefinition != "" {
		next.TaskDefinition = in.TaskDefinition
	}
	if in.Network != nil {
		next.Network = in.Network
	}
	if in.LoadBalancers != nil {
		next.LoadBalancers = in.LoadBalancers
	}
	if in.PlatformVersion != "" {
		next.PlatformVersion = in.PlatformVersion
	}
	scale := old.ScaleValue
	next.Scale = &scale
	create := fmt.Sprintf("aws ecs create-task-set --cluster %s --service %s --task-definition %s", in.Cluster, in.Service, next.TaskDefinition)
	if next.LaunchType != "" && len(next.CapacityProviderStrategy) == 0 {
		create += " --launch-type " + string(next.LaunchType)
	}
	if next.Network != nil {
		create += " --network-configuration " + awsvpcCLI(next.Network)
	}
	if len(next.LoadBalancers) > 0 {
		var lbs []string
		for _, l := range next.LoadBalancers {
			s := "containerName=" + l.ContainerName + ",containerPort=" + strconv.Itoa(int(l.ContainerPort))
			if l.TargetGroupARN != "" {
				s = "targetGroupArn=" + l.TargetGroupARN + "," + s
			} else {
				s = "loadBalancerName=" + l.LoadBalancerName + "," + s
			}
			lbs = append(lbs, s)
		}
		create += " --load-balancers " + strings.Join(lbs, " ")
	}
	create += " --scale unit=PERCENT,value=" + strconv.FormatFloat(scale, 'f', -1, 64)
	cmds = []string{create + " # the task set " + old.ID + " cannot change: UpdateTaskSet changes only its scale"}
	if old.Status == "PRIMARY" {
		cmds = append(cmds, fmt.Sprintf("aws ecs update-service-primary-task-set --cluster %s --service %s --primary-task-set <the new task set's id>", in.Cluster, in.Service))
	}
	cmds = append(cmds, fmt.Sprintf("aws ecs delete-task-set --cluster %s --service %s --task-set %s --force", in.Cluster, in.Service, old.ID))
	return cmds, func(e *engine.Engine) error {
		_, set, err := e.CreateTaskSet(next)
		if err != nil {
			return err
		}
		if old.Status == "PRIMARY" {
			if _, _, err := e.UpdateServicePrimaryTaskSet(in.Cluster, in.Service, set.ID); err != nil {
				return err
			}
		}
		_, _, err = e.DeleteTaskSet(in.Cluster, in.Service, old.ID, true)
		return err
	}, true
}

// redeployCommands are the aws CLI commands that run service svc's tasks
// from the latest revision of family: update-service, or for a service
// of the EXTERNAL controller a task set that replaces its primary one.
func redeployCommands(svc *model.Service, family string) []string {
	cluster := clusterName(svc.ClusterARN)
	update := fmt.Sprintf("aws ecs update-service --cluster %s --service %s --task-definition %s --force-new-deployment", cluster, svc.Name, family)
	cmds, _, ok := serviceUpdate(svc, nil, engine.UpdateServiceInput{Cluster: cluster, Service: svc.Name, TaskDefinition: family}, update)
	if !ok {
		return []string{update}
	}
	return cmds
}
