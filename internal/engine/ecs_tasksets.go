package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Deployment controllers and task sets. A service with the ECS controller
// deploys itself; one with CODE_DEPLOY or EXTERNAL runs the tasks of its
// task sets: each task set runs its scale (a percent) of the service's
// desired count, rounded up, and registers its tasks in its own target
// groups (developerguide/deployment-type-external.html, API_CreateTaskSet).

func errTaskSetNotFound() error {
	return apierr.New("TaskSetNotFoundException", "The specified task set does not exist.") // probable
}

func errNotExternal() error {
	return errECSInvalid("Amazon ECS only supports task set management on services configured to use external deployment controllers.")
}

// serviceExtras validates and sets what CreateService adds to a service
// of the ECS or CODE_DEPLOY controller: placement and the controller (a
// CODE_DEPLOY service starts with a primary task set of its own settings).
func (t *txn) serviceExtras(s *model.Service, p *launchPlan, in CreateServiceInput) error {
	switch in.DeploymentController {
	case "", "ECS", "CODE_DEPLOY":
	default:
		return errECSInvalid("deploymentController type should be one of [ECS,CODE_DEPLOY,EXTERNAL]") // probable
	}
	if err := t.setPlacement(s, p.td, p.fargate, in.PlacementConstraints, in.PlacementStrategy); err != nil {
		return err
	}
	if in.DeploymentController == "CODE_DEPLOY" {
		s.DeploymentController = "CODE_DEPLOY"
		ts := t.newTaskSet(s, "")
		ts.Status, ts.TaskDefinitionARN, ts.LaunchType = "PRIMARY", s.TaskDefinitionARN, s.LaunchType
		ts.CapacityProviders, ts.PlatformVersion, ts.Network = slices.Clone(s.CapacityProviders), s.PlatformVersion, s.Network
		ts.LoadBalancers = slices.Clone(s.LoadBalancers)
		s.TaskSets = []model.TaskSet{ts}
	}
	return nil
}

// setPlacement validates and sets a service's constraints and strategies.
func (t *txn) setPlacement(s *model.Service, td *model.TaskDefinition, fargate bool, cs []model.PlacementConstraint, ss []model.PlacementStrategy) error {
	if err := checkPlacement(cs, ss, false); err != nil {
		return err
	}
	if fargate && len(cs) > 0 {
		return errECSInvalid("Placement constraints are not supported with FARGATE launch type.")
	}
	if fargate && len(ss) > 0 {
		return errECSInvalid("Placement strategies are not supported with FARGATE launch type.") // probable
	}
	if td != nil {
		if _, err := compilePlacement(td, cs, ss); err != nil {
			return err
		}
	}
	s.PlacementConstraints, s.PlacementStrategy = slices.Clone(cs), slices.Clone(ss)
	return nil
}

// updateServiceExtras applies UpdateService's placement changes; for a
// service deployed by task sets it applies the whole update (only the
// desired count and placement can change) and reports done.
func (t *txn) updateServiceExtras(ns *model.Service, in UpdateServiceInput) (bool, error) {
	if in.PlacementConstraints != nil || in.PlacementStrategy != nil {
		cs, ss := ns.PlacementConstraints, ns.PlacementStrategy
		if in.PlacementConstraints != nil {
			cs = in.PlacementConstraints
		}
		if in.PlacementStrategy != nil {
			ss = in.PlacementStrategy
		}
		td := t.st.TaskDefinitions[ns.TaskDefinitionARN]
		if err := t.setPlacement(ns, td, ns.LaunchType == model.LaunchFargate, cs, ss); err != nil {
			return true, err
		}
	}
	switch ns.DeploymentController {
	case "EXTERNAL", "CODE_DEPLOY":
	default:
		return false, nil
	}
	if in.TaskDefinition != "" || in.Network != nil || in.LoadBalancers != nil || in.PlatformVersion != "" || in.ForceNewDeployment {
		if ns.DeploymentController == "CODE_DEPLOY" {
			return true, errECSInvalid("Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.")
		}
		return true, errECSInvalid("Unable to update task definition on services with a EXTERNAL deployment controller. Use task sets to deploy.") // probable
	}
	if in.DesiredCount != nil {
		if *in.DesiredCount < 0 {
			return true, errECSInvalid("desiredCount must be greater than or equal to 0.")
		}
		ns.DesiredCount = *in.DesiredCount
	}
	put(t, model.KindService, t.st.Services, ns.ARN, ns)
	return true, nil
}

// createExternalService creates a service of the EXTERNAL controller: its
// task definition, launch type, network and load balancers are optional
// (the task sets carry them).
func (t *txn) createExternalService(in CreateServiceInput) (*model.Service, error) {
	c, err := t.cluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if !ecsNameRE.MatchString(in.Name) {
		return nil, errECSInvalid("Service name can only contain letters, numbers, hyphens and underscores, and can have up to 255 characters.")
	}
	arn := t.e.ecsARN("service/" + c.Name + "/" + in.Name)
	if old := t.st.Services[arn]; old != nil && old.Status != "INACTIVE" {
		if in.ClientToken != "" && old.ClientToken == in.ClientToken {
			return old, nil
		}
		return nil, errECSInvalid("Creation of service was not idempotent.")
	}
	if in.DesiredCount < 0 {
		return nil, errECSInvalid("desiredCount must be greater than or equal to 0.")
	}
	if in.SchedulingStrategy == "DAEMON" {
		return nil, errECSInvalid("The daemon scheduling strategy does not support the EXTERNAL deployment controller.") // probable
	}
	if in.TaskDefinition != "" {
		// The task definition belongs to the service's task sets
		// (terraform-aws-modules/terraform-aws-ecs#278: "InvalidParameterException:
		// TaskDefinition must be blank").
		return nil, errECSInvalid("TaskDefinition must be blank")
	}
	launch := in.LaunchType
	if launch == "" && len(in.CapacityProviderStrategy) == 0 && len(c.DefaultStrategy) == 0 {
		launch = model.LaunchEC2 // as for the ECS controller: EC2 unless a strategy applies
	}
	s := &model.Service{
		ARN: arn, Name: in.Name, ClusterARN: c.ARN, DesiredCount: in.DesiredCount, LaunchType: launch,
		CapacityProviders: slices.Clone(in.CapacityProviderStrategy), PlatformVersion: in.PlatformVersion, Network: in.Network,
		LoadBalancers: slices.Clone(in.LoadBalancers), SchedulingStrategy: "REPLICA", Status: "ACTIVE",
		HealthCheckGracePeriod: in.HealthCheckGracePeriod, CreatedAt: t.now, CreatedBy: t.e.cfg.iamARN("root"),
		ClientToken: in.ClientToken, PropagateTags: in.PropagateTags, EnableECSManagedTags: in.EnableECSManagedTags, Tags: in.Tags.Clone(),
		DeploymentController: "EXTERNAL",
	}
	if s.RoleARN = in.Role; s.RoleARN == "" {
		s.RoleARN = t.e.ecsServiceLinkedRole() // the task sets' load balancers and networks are managed by that role
	} else if !strings.HasPrefix(s.RoleARN, "arn:") {
		s.RoleARN = t.e.cfg.iamARN("role/" + strings.TrimPrefix(s.RoleARN, "/"))
	}
	if in.TaskDefinition != "" {
		td, err := t.taskDefinition(in.TaskDefinition)
		if err != nil {
			return nil, err
		}
		s.TaskDefinitionARN = td.ARN
	}
	if err := t.setPlacement(s, nil, in.LaunchType == model.LaunchFargate, in.PlacementConstraints, in.PlacementStrategy); err != nil {
		return nil, err
	}
	put(t, model.KindService, t.st.Services, arn, s)
	return s, nil
}

// newTaskSet returns a task set of s with a fresh id and ARN.
func (t *txn) newTaskSet(s *model.Service, externalID string) model.TaskSet {
	d := t.newDeployment(s)
	cluster := s.ClusterARN[strings.LastIndexByte(s.ClusterARN, '/')+1:]
	return model.TaskSet{ID: d.ID, ARN: t.e.ecsARN("task-set/" + cluster + "/" + s.Name + "/" + d.ID), ExternalID: externalID,
		ScaleValue: 100, StabilityStatus: "STABILIZING", CreatedAt: t.now, UpdatedAt: t.now}
}

// CreateTaskSetInput is CreateTaskSet's input.
type CreateTaskSetInput struct {
	Cluster, Service, ExternalID string
	TaskDefinition               string
	LaunchType                   model.LaunchType
	CapacityProviderStrategy     []model.CapacityProviderStrategyItem
	Network                      *model.AwsVpcConfiguration
	PlatformVersion              string
	LoadBalancers                []model.ServiceLoadBalancer
	Scale                        *float64 // percent; default 0
	ClientToken                  string
	Tags                         model.Tags
}

// externalService returns a service that manages task sets.
func (t *txn) externalService(cluster, service string) (*model.Service, error) {
	c, err := t.cluster(cluster)
	if err != nil {
		return nil, err
	}
	s, err := t.service(c, service)
	if err != nil {
		return nil, err
	}
	if s.Status != "ACTIVE" {
		return nil, errServiceNotActive()
	}
	if s.DeploymentController != "EXTERNAL" {
		return nil, errNotExternal()
	}
	return s, nil
}

func checkScale(v float64) error {
	if v < 0 || v > 100 {
		return errECSInvalid("scale value should be between 0 and 100.") // probable
	}
	return nil
}

// CreateTaskSet adds a task set to a service of the EXTERNAL controller.
// Its launch settings are validated as RunTask's; its tasks start on the
// next Step. It is ACTIVE until UpdateServicePrimaryTaskSet makes it the
// primary one.
func (e *Engine) CreateTaskSet(in CreateTaskSetInput) (*model.Service, *model.TaskSet, error) {
	var svc *model.Service
	var out *model.TaskSet
	err := e.write(func(t *txn) error {
		s, err := t.externalService(in.Cluster, in.Service)
		if err != nil {
			return err
		}
		if in.ClientToken != "" {
			for i := range s.TaskSets {
				if s.TaskSets[i].StartedBy == in.ClientToken {
					svc, out = s, &s.TaskSets[i]
					return nil
				}
			}
		}
		p, err := t.planLaunch(in.Cluster, in.TaskDefinition, in.LaunchType, in.CapacityProviderStrategy, in.Network, in.PlatformVersion, false)
		if err != nil {
			return err
		}
		for _, lb := range in.LoadBalancers {
			if err := t.checkServiceLoadBalancer(p.td, lb); err != nil {
				return err
			}
		}
		ts := t.newTaskSet(s, in.ExternalID)
		ts.ScaleValue = 0 // a task set created without a scale runs no task until UpdateTaskSet scales it
		if in.Scale != nil {
			if err := checkScale(*in.Scale); err != nil {
				return err
			}
			ts.ScaleValue = *in.Scale
		}
		ts.Status = "ACTIVE"
		ts.TaskDefinitionARN, ts.LaunchType, ts.Network = p.td.ARN, p.launch, p.network
		ts.CapacityProviders, ts.LoadBalancers, ts.Tags = slices.Clone(in.CapacityProviderStrategy), slices.Clone(in.LoadBalancers), in.Tags.Clone()
		if p.fargate {
			ts.PlatformVersion = firstString(in.PlatformVersion, "LATEST")
		}
		ts.StartedBy = in.ClientToken
		ns := cloneService(s)
		ns.TaskSets = append(ns.TaskSets, ts)
		put(t, model.KindService, t.st.Services, ns.ARN, ns)
		svc, out = ns, &ns.TaskSets[len(ns.TaskSets)-1]
		return nil
	})
	return svc, out, err
}

// taskSetIndex finds a task set of s by id or ARN.
func taskSetIndex(s *model.Service, ref string) int {
	return slices.IndexFunc(s.TaskSets, func(ts model.TaskSet) bool { return ts.ID == ref || ts.ARN == ref })
}

// UpdateTaskSet sets a task set's scale (a percent of the service's
// desired count). A new scale makes the task set STABILIZING until the
// scheduler has its tasks at the new count (the aws CLI's update-task-set
// example answers STABILIZING).
func (e *Engine) UpdateTaskSet(cluster, service, ref string, scale float64) (*model.Service, *model.TaskSet, error) {
	return e.changeTaskSet(cluster, service, ref, func(s *model.Service, i int) error {
		if err := checkScale(scale); err != nil {
			return err
		}
		if s.TaskSets[i].ScaleValue != scale {
			s.TaskSets[i].StabilityStatus = "STABILIZING"
		}
		s.TaskSets[i].ScaleValue = scale
		return nil
	})
}

// UpdateServicePrimaryTaskSet makes a task set the service's primary one;
// the former primary becomes ACTIVE.
func (e *Engine) UpdateServicePrimaryTaskSet(cluster, service, ref string) (*model.Service, *model.TaskSet, error) {
	return e.changeTaskSet(cluster, service, ref, func(s *model.Service, i int) error {
		if s.TaskSets[i].Status == "DRAINING" {
			return errECSInvalid("The specified task set is draining and cannot be the primary task set.") // probable
		}
		for k := range s.TaskSets {
			if s.TaskSets[k].Status == "PRIMARY" {
				s.TaskSets[k].Status = "ACTIVE"
			}
		}
		s.TaskSets[i].Status = "PRIMARY"
		s.TaskDefinitionARN = s.TaskSets[i].TaskDefinitionARN
		return nil
	})
}

// DeleteTaskSet drains a task set: its tasks stop and it disappears once
// they have. The primary task set, or one with tasks still at scale, needs
// force.
func (e *Engine) DeleteTaskSet(cluster, service, ref string, force bool) (*model.Service, *model.TaskSet, error) {
	return e.changeTaskSet(cluster, service, ref, func(s *model.Service, i int) error {
		ts := &s.TaskSets[i]
		if !force && ts.Status == "PRIMARY" {
			return errECSInvalid("Cannot delete a primary task set unless force is set.") // probable
		}
		if !force && ts.ComputedDesiredCount(s.DesiredCount) > 0 {
			return errECSInvalid("The task set cannot be deleted while it is scaled above 0. Set force to delete it.") // probable
		}
		ts.Status = "DRAINING"
		return nil
	})
}

func (e *Engine) changeTaskSet(cluster, service, ref string, f func(s *model.Service, i int) error) (*model.Service, *model.TaskSet, error) {
	var svc *model.Service
	var out *model.TaskSet
	err := e.write(func(t *txn) error {
		s, err := t.externalService(cluster, service)
		if err != nil {
			return err
		}
		i := taskSetIndex(s, ref)
		if i < 0 {
			return errTaskSetNotFound()
		}
		ns := cloneService(s)
		if err := f(ns, i); err != nil {
			return err
		}
		ns.TaskSets[i].UpdatedAt = t.now
		put(t, model.KindService, t.st.Services, ns.ARN, ns)
		svc, out = ns, &ns.TaskSets[i]
		return nil
	})
	return svc, out, err
}

// reconcileTaskSets runs each task set's share of the service's tasks,
// stops the tasks of draining task sets and forgets those with none left.
func (t *txn) reconcileTaskSets(s *model.Service) {
	cluster := t.st.Clusters[s.ClusterARN]
	if cluster == nil || cluster.Status != "ACTIVE" {
		return
	}
	ns := cloneService(s)
	desired := s.DesiredCount
	if s.Status != "ACTIVE" {
		desired = 0
	}
	// The service's task counts come from the engine's index, not from
	// walking the tasks.
	key := svcKey{s.ClusterARN, s.Name}
	wanted := func(id string) int { // tasks started by id, desired RUNNING
		n := 0
		if u := t.e.idx.services[key]; u != nil {
			for dk, c := range u.byDeploy {
				if dk.startedBy == id {
					n += c
				}
			}
		}
		return n
	}
	var keep []model.TaskSet
	for i := range ns.TaskSets {
		ts := &ns.TaskSets[i]
		want := ts.ComputedDesiredCount(desired)
		if ts.Status == "DRAINING" {
			want = 0
		}
		cur := wanted(ts.ID)
		switch {
		case cur < want:
			out, err := t.runTask(RunTaskInput{Cluster: cluster.Name, TaskDefinition: ts.TaskDefinitionARN, Count: min(want-cur, 10),
				LaunchType: ts.LaunchType, CapacityProviderStrategy: ts.CapacityProviders, Network: ts.Network,
				PlatformVersion: ts.PlatformVersion, Group: "service:" + s.Name, StartedBy: ts.ID, Tags: serviceTaskTags(s)}, ns)
			switch {
			case err != nil:
				t.event(ns, "service %s was unable to place a task because no container instance met all of its requirements. Reason: %s For more information, see the Troubleshooting section.", s.Name, errMessage(err))
			case len(out.Tasks) > 0:
				ids := make([]string, len(out.Tasks))
				for k, tk := range out.Tasks {
					ids[k] = model.LastSegment(tk.ARN)
				}
				t.event(ns, "(service %s, taskSet %s) has started %d tasks: %s.", s.Name, ts.ID, len(ids), taskList(ids))
			case len(out.Failures) > 0:
				t.event(ns, "service %s was unable to place a task because no container instance met all of its requirements. The closest matching container-instance %s %s For more information, see the Troubleshooting section.", s.Name, containerInstanceID(out.Failures[0].ARN), closestMatch(out.Failures[0].Reason))
			}
		case cur > want:
			// The newest tasks by ARN go first.
			var ids []string
			extra := t.deploymentTasks(t.e.idx.services[key], func(dk deployKey) bool { return dk.startedBy == ts.ID }, cur-want, true)
			slices.Reverse(extra)
			for _, tk := range extra {
				t.stopTask(tk, "ServiceSchedulerInitiated", "Scaling activity initiated by (deployment "+ts.ID+")", false)
				ids = append(ids, model.LastSegment(tk.ARN))
			}
			t.event(ns, "(service %s, taskSet %s) has stopped %d running tasks: %s.", s.Name, ts.ID, len(ids), taskList(ids))
		}
		running, healthy := 0, 0
		if u := t.e.idx.services[key]; u != nil {
			running, healthy = u.byStatus[ts.ID][0], u.healthyBy[ts.ID]
		}
		// Steady: as many tasks running as the set wants, and, where ECS
		// health-checks them in the set's target groups, all of them
		// healthy there (API_TaskSet, stabilityStatus).
		stability := "STABILIZING"
		if running == want && cur == want && (!t.e.serviceTargetHealth || !taskSetWithTargets(*ts) || healthy >= running) {
			stability = "STEADY_STATE"
		}
		if ts.StabilityStatus != stability {
			ts.StabilityStatus, ts.UpdatedAt = stability, t.now
		}
		if ts.Status == "DRAINING" && t.activeStartedBy(key, ts.ID) == 0 && want == 0 && cur == 0 {
			continue
		}
		keep = append(keep, *ts)
	}
	ns.TaskSets = keep
	if u := t.e.idx.services[key]; ns.Status == "DRAINING" && (u == nil || u.active == 0) {
		ns.Status = "INACTIVE"
	}
	if !servicesEqual(s, ns) || fmt.Sprint(s.TaskSets) != fmt.Sprint(ns.TaskSets) || s.Status != ns.Status {
		put(t, model.KindService, t.st.Services, ns.ARN, ns)
	}
}

// activeStartedBy returns how many of a service's tasks that id started
// are not STOPPED.
func (t *txn) activeStartedBy(k svcKey, id string) int {
	if u := t.e.idx.services[k]; u != nil {
		return u.activeBy[id]
	}
	return 0
}

// ServiceARN returns the ARN of service name in cluster (by name).
func (e *Engine) ServiceARN(cluster, name string) string {
	return e.ecsARN("service/" + cluster + "/" + name)
}

// taskSetByARN finds a task set (arn:…:task-set/<cluster>/<service>/<id>)
// and its service.
func taskSetByARN(st *model.State, arn string) (*model.Service, int) {
	prefix, rest, ok := strings.Cut(arn, ":task-set/")
	parts := strings.SplitN(rest, "/", 3)
	if !ok || len(parts) != 3 {
		return nil, -1
	}
	s := st.Services[prefix+":service/"+parts[0]+"/"+parts[1]]
	if s == nil {
		return nil, -1
	}
	if i := taskSetIndex(s, arn); i >= 0 {
		return s, i
	}
	return nil, -1
}
