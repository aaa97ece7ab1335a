package fix

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
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
// deployment ("create a new CodeDeploy deployment"): CreateDeployment to
// the deployment group of the service, its revision an AppSpec naming the
// task definition, the load balancer's container name and port, and the
// network configuration when it changes (CodeDeploy User Guide, "AppSpec
// 'resources' section (Amazon ECS deployments only)"); without a
// deployment group of the service no such fix is proposed.

// serviceTaskSet returns the task set of svc that task tk belongs to
// (its startedBy), else svc's primary task set; nil for a service of the
// ECS controller or one without task sets.
func serviceTaskSet(svc *model.Service, tk *model.Task) *model.TaskSet {
	if !svc.UsesTaskSets() {
		return nil
	}
	if ts := svc.TaskSetOf(tk); ts != nil && ts.Status != "DRAINING" {
		return ts
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

// networkUpdate is serviceUpdate of the network configuration netw, its
// aws CLI command followed by flags ("" or " --force-new-deployment").
func networkUpdate(st *model.State, svc *model.Service, tk *model.Task, netw *model.AwsVpcConfiguration, flags string) ([]string, func(*engine.Engine) error, bool) {
	cluster := clusterName(svc.ClusterARN)
	return serviceUpdate(st, svc, tk, engine.UpdateServiceInput{Cluster: cluster, Service: svc.Name, Network: netw},
		fmt.Sprintf("aws ecs update-service --cluster %s --service %s --network-configuration %s%s", cluster, svc.Name, awsvpcCLI(netw), flags))
}

// serviceUpdate returns the commands and the change of an UpdateService
// in (its task definition, network configuration or load balancers) of
// service svc whose task tk the fix is for, updateCmd being the aws CLI
// command of it: for a service of the EXTERNAL controller a replacing
// task set instead. ok is false when AWS takes no such change by these
// APIs (a CODE_DEPLOY service's task set).
func serviceUpdate(st *model.State, svc *model.Service, tk *model.Task, in engine.UpdateServiceInput, updateCmd string) (cmds []string, apply func(*engine.Engine) error, ok bool) {
	ts := serviceTaskSet(svc, tk)
	if ts == nil {
		return []string{updateCmd}, func(e *engine.Engine) error {
			_, err := e.UpdateService(in)
			return err
		}, true
	}
	if svc.DeploymentController == "CODE_DEPLOY" {
		return codeDeployUpdate(st, svc, ts, in)
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
// of the EXTERNAL controller a task set that replaces its primary one,
// for a CODE_DEPLOY one a CodeDeploy deployment.
func redeployCommands(st *model.State, svc *model.Service, family string) []string {
	cluster := clusterName(svc.ClusterARN)
	update := fmt.Sprintf("aws ecs update-service --cluster %s --service %s --task-definition %s --force-new-deployment", cluster, svc.Name, family)
	td := family
	if svc.DeploymentController == "CODE_DEPLOY" {
		// An AppSpec names the task definition by its ARN: the revision
		// the commands before register.
		td = nextRevisionARN(st, family)
	}
	cmds, _, ok := serviceUpdate(st, svc, nil, engine.UpdateServiceInput{Cluster: cluster, Service: svc.Name, TaskDefinition: td}, update)
	if !ok {
		return []string{update}
	}
	return cmds
}

// serviceDeploymentGroup returns the CodeDeploy deployment group that
// deploys service svc (its ECS service), nil when the system holds none.
func serviceDeploymentGroup(st *model.State, svc *model.Service) *model.CodeDeployGroup {
	want := model.CodeDeployECSService{Cluster: clusterName(svc.ClusterARN), Service: svc.Name}
	keys := slices.Sorted(maps.Keys(st.CodeDeployGroups))
	for _, k := range keys {
		if g := st.CodeDeployGroups[k]; slices.Contains(g.ECSServices, want) {
			return g
		}
	}
	return nil
}

// codeDeployAppSpec is the ECS AppSpec (version 0.0, one
// AWS::ECS::Service resource) of a CodeDeploy revision, as the CodeDeploy
// User Guide's "AppSpec 'resources' section" lays it out.
type codeDeployAppSpec struct {
	Version   json.Number                   `json:"version"`
	Resources []map[string]codeDeployTarget `json:"Resources"`
}

type codeDeployTarget struct {
	Type       string                `json:"Type"`
	Properties codeDeployTargetProps `json:"Properties"`
}

type codeDeployTargetProps struct {
	TaskDefinition   string `json:"TaskDefinition"`
	LoadBalancerInfo struct {
		ContainerName string `json:"ContainerName"`
		ContainerPort uint16 `json:"ContainerPort"`
	} `json:"LoadBalancerInfo"`
	PlatformVersion      string                   `json:"PlatformVersion,omitempty"`
	NetworkConfiguration *codeDeployNetworkConfig `json:"NetworkConfiguration,omitempty"`
}

type codeDeployNetworkConfig struct {
	AwsvpcConfiguration struct {
		Subnets        []string `json:"Subnets"`
		SecurityGroups []string `json:"SecurityGroups,omitempty"`
		AssignPublicIp string   `json:"AssignPublicIp"`
	} `json:"AwsvpcConfiguration"`
}

// codeDeployUpdate is the change in of a CODE_DEPLOY service svc whose
// running task set is ts: a CodeDeploy deployment to the service's
// deployment group whose AppSpec names the task definition (in's, else
// ts's), the load balancer's container name and port (in's first, else
// ts's) and the network configuration (in's, when given). Its apply runs
// the deployment on the engine until nothing moves and fails when the
// deployment does (its replacement task set never steady, say), so a
// probe verifies only a deployment that went through. ok is false
// without a deployment group or a load balancer.
func codeDeployUpdate(st *model.State, svc *model.Service, ts *model.TaskSet, in engine.UpdateServiceInput) (cmds []string, apply func(*engine.Engine) error, ok bool) {
	g := serviceDeploymentGroup(st, svc)
	lbs := ts.LoadBalancers
	if in.LoadBalancers != nil {
		// The target groups are the deployment group's pair
		// (UpdateDeploymentGroup's targetGroupPairInfo); an AppSpec's
		// LoadBalancerInfo names only the container and its port.
		if !slices.EqualFunc(in.LoadBalancers, ts.LoadBalancers, func(a, b model.ServiceLoadBalancer) bool {
			return a.TargetGroupARN == b.TargetGroupARN && a.LoadBalancerName == b.LoadBalancerName
		}) {
			return nil, nil, false
		}
		lbs = in.LoadBalancers
	}
	if g == nil || len(lbs) == 0 {
		return nil, nil, false
	}
	spec := engine.CodeDeployAppSpec{TaskDefinition: cmp.Or(in.TaskDefinition, ts.TaskDefinitionARN),
		ContainerName: lbs[0].ContainerName, ContainerPort: lbs[0].ContainerPort, PlatformVersion: in.PlatformVersion, Hooks: map[string]string{}}
	props := codeDeployTargetProps{TaskDefinition: spec.TaskDefinition, PlatformVersion: spec.PlatformVersion}
	props.LoadBalancerInfo.ContainerName, props.LoadBalancerInfo.ContainerPort = spec.ContainerName, spec.ContainerPort
	if in.Network != nil {
		nw := *in.Network
		spec.Network = &nw
		nc := &codeDeployNetworkConfig{}
		for _, s := range nw.Subnets {
			nc.AwsvpcConfiguration.Subnets = append(nc.AwsvpcConfiguration.Subnets, string(s))
		}
		for _, s := range nw.SecurityGroups {
			nc.AwsvpcConfiguration.SecurityGroups = append(nc.AwsvpcConfiguration.SecurityGroups, string(s))
		}
		nc.AwsvpcConfiguration.AssignPublicIp = "DISABLED"
		if nw.AssignPublicIP {
			nc.AwsvpcConfiguration.AssignPublicIp = "ENABLED"
		}
		props.NetworkConfiguration = nc
	}
	doc := codeDeployAppSpec{Version: "0.0", Resources: []map[string]codeDeployTarget{{"TargetService": {Type: "AWS::ECS::Service", Properties: props}}}}
	text, err := json.Marshal(doc)
	if err != nil {
		return nil, nil, false
	}
	revision := map[string]any{"revisionType": "AppSpecContent", "appSpecContent": map[string]any{"content": string(text)}}
	revJSON, err := json.Marshal(revision)
	if err != nil {
		return nil, nil, false
	}
	cmds = []string{fmt.Sprintf("aws deploy create-deployment --application-name %s --deployment-group-name %s --revision '%s'"+
		" # the task set %s of a CODE_DEPLOY service changes only by a CodeDeploy deployment", g.App, g.Name, revJSON, ts.ID)}
	app, group := g.App, g.Name
	return cmds, func(e *engine.Engine) error {
		d, err := e.CreateCodeDeployment(engine.CreateCodeDeploymentInput{App: app, Group: group, Revision: revision, AppSpecText: string(text), AppSpec: &spec})
		if err != nil {
			return err
		}
		if err := e.Converge(); err != nil {
			return err
		}
		var status, msg string
		e.Read(func(st *model.State) {
			if cur := st.CodeDeployments[d.ID]; cur != nil {
				status, msg = cur.Status, cur.ErrorMessage
			}
		})
		if status == "Failed" || status == "Stopped" {
			return fmt.Errorf("the CodeDeploy deployment %s %s: %s", d.ID, strings.ToLower(status), msg)
		}
		return nil
	}, true
}

// nextRevisionARN is the ARN RegisterTaskDefinition gives the next
// revision of family (its latest revision's, one more); family when the
// system holds none of it.
func nextRevisionARN(st *model.State, family string) string {
	var latest *model.TaskDefinition
	for _, td := range st.TaskDefinitions {
		if td.Family == family && (latest == nil || td.Revision > latest.Revision) {
			latest = td
		}
	}
	if latest == nil {
		return family
	}
	i := strings.LastIndexByte(latest.ARN, ':')
	return latest.ARN[:i+1] + strconv.Itoa(latest.Revision+1)
}

// runTaskDefinition returns the ARN of the task definition the tasks of
// svc (task tk's, when given) run: their task set's, or the service's.
func runTaskDefinition(svc *model.Service, tk *model.Task) string {
	if ts := serviceTaskSet(svc, tk); ts != nil {
		return ts.TaskDefinitionARN
	}
	return svc.TaskDefinitionARN
}

// runLoadBalancers returns the load balancers the tasks of svc (task
// tk's, when given) register with: their task set's, or the service's.
func runLoadBalancers(svc *model.Service, tk *model.Task) []model.ServiceLoadBalancer {
	if ts := serviceTaskSet(svc, tk); ts != nil {
		return ts.LoadBalancers
	}
	return svc.LoadBalancers
}

// applyServiceUpdate makes the change in on e as serviceUpdate does for
// the service as e holds it now: UpdateService, a replacing task set, or
// a CodeDeploy deployment for a service of task sets.
func applyServiceUpdate(e *engine.Engine, in engine.UpdateServiceInput) error {
	arn := e.ServiceARN(in.Cluster, in.Service)
	var apply func(*engine.Engine) error
	ok := true
	e.Read(func(st *model.State) {
		if s := st.Services[arn]; s != nil {
			_, apply, ok = serviceUpdate(st, s, nil, in, "")
		}
	})
	if !ok {
		return fmt.Errorf("the service %s's task set changes only by a CodeDeploy deployment of its deployment group, which this change is not", in.Service)
	}
	if apply == nil {
		_, err := e.UpdateService(in)
		return err
	}
	return apply(e)
}
