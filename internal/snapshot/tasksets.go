package snapshot

import (
	"cmp"
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
)

// ECS task sets in a snapshot (read since round thirty-six; no new call):
//
//	ecs-describe-services.json   each service's taskSets (DescribeServices
//	                             answers them for the EXTERNAL and CODE_DEPLOY
//	                             deployment controllers)
//	ecs-describe-task-sets.json  aws ecs describe-task-sets, when a snapshot
//	                             holds it: task sets its service's taskSets lack
//
// A service deployed by an external controller or by CodeDeploy runs its
// tasks in task sets (API_Service: "taskSets … Information about a set of
// Amazon ECS tasks in either an CodeDeploy or an EXTERNAL deployment"); a
// task set's tasks carry its id as their startedBy, and its loadBalancers
// are the target groups those tasks register with. Collectors have always
// written describe-services whole, so every snapshot holds its task sets;
// readers before round thirty-six dropped them. A task set's tags are
// describe-task-sets --include TAGS' only, not describe-services'.

// TaskSetsFileName is the file of describe-task-sets' output (the
// collectors call it for each service with task sets, with --include
// TAGS, since round thirty-seven): the task sets' tags, which
// describe-services' taskSets lack, are read from it.
const TaskSetsFileName = "ecs-describe-task-sets.json"

// ecsTaskSet is the API's TaskSet.
type ecsTaskSet struct {
	ID                       string            `json:"id"`
	TaskSetArn               string            `json:"taskSetArn,omitempty"`
	ServiceArn               string            `json:"serviceArn,omitempty"`
	ClusterArn               string            `json:"clusterArn,omitempty"`
	StartedBy                string            `json:"startedBy,omitempty"`
	ExternalID               string            `json:"externalId,omitempty"`
	Status                   string            `json:"status,omitempty"`
	TaskDefinition           string            `json:"taskDefinition,omitempty"`
	ComputedDesiredCount     flexInt           `json:"computedDesiredCount"`
	PendingCount             flexInt           `json:"pendingCount"`
	RunningCount             flexInt           `json:"runningCount"`
	CreatedAt                awsTime           `json:"createdAt"`
	UpdatedAt                awsTime           `json:"updatedAt"`
	LaunchType               string            `json:"launchType,omitempty"`
	CapacityProviderStrategy []ecsCPStrategy   `json:"capacityProviderStrategy,omitempty"`
	PlatformVersion          string            `json:"platformVersion,omitempty"`
	NetworkConfiguration     *ecsNetworkConfig `json:"networkConfiguration,omitempty"`
	LoadBalancers            []ecsServiceLB    `json:"loadBalancers"`
	Scale                    *struct {
		Value *float64 `json:"value,omitempty"`
		Unit  string   `json:"unit,omitempty"`
	} `json:"scale,omitempty"`
	StabilityStatus string   `json:"stabilityStatus,omitempty"`
	Tags            []ecsTag `json:"tags,omitempty"`
}

// taskSet converts a task set of describe-services or describe-task-sets.
func taskSet(x ecsTaskSet) model.TaskSet {
	ts := model.TaskSet{ID: x.ID, ARN: x.TaskSetArn, ExternalID: x.ExternalID, StartedBy: x.StartedBy, Status: cmp.Or(x.Status, "ACTIVE"),
		TaskDefinitionARN: x.TaskDefinition, LaunchType: model.LaunchType(x.LaunchType), CapacityProviders: strategy(x.CapacityProviderStrategy),
		PlatformVersion: x.PlatformVersion, Network: awsvpcConfig(x.NetworkConfiguration), StabilityStatus: cmp.Or(x.StabilityStatus, "STEADY_STATE"),
		CreatedAt: x.CreatedAt.Time, UpdatedAt: x.UpdatedAt.Time, Tags: ecsTags(x.Tags)}
	// The API always answers scale; without it (a file written by hand)
	// a set that computes tasks is taken at 100 percent, else at
	// CreateTaskSet's default, 0 [choice].
	if x.Scale != nil && x.Scale.Value != nil {
		ts.ScaleValue = *x.Scale.Value
	} else if x.ComputedDesiredCount.V > 0 {
		ts.ScaleValue = 100
	}
	for _, l := range x.LoadBalancers {
		ts.LoadBalancers = append(ts.LoadBalancers, model.ServiceLoadBalancer{TargetGroupARN: l.TargetGroupArn, LoadBalancerName: l.LoadBalancerName,
			ContainerName: l.ContainerName, ContainerPort: uint16(l.ContainerPort.V)})
	}
	return ts
}

// serviceTaskSets puts a service's task sets (describe-services' taskSets)
// into svc, warning of a target group the snapshot lacks.
func (b *builder) serviceTaskSets(svc *model.Service, sets []ecsTaskSet, at pos) {
	for _, x := range sets {
		if x.ID == "" {
			continue
		}
		if i := slices.IndexFunc(svc.TaskSets, func(t model.TaskSet) bool { return t.ID == x.ID }); i >= 0 {
			// Known from describe-services, which answers no tags:
			// describe-task-sets --include TAGS' tags.
			if len(svc.TaskSets[i].Tags) == 0 && len(x.Tags) > 0 {
				svc.TaskSets[i].Tags = ecsTags(x.Tags)
			}
			continue
		}
		ts := taskSet(x)
		for _, l := range ts.LoadBalancers {
			if l.TargetGroupARN != "" && !b.missing("TargetGroups") && b.st.TargetGroups[l.TargetGroupARN] == nil {
				b.note("dangling-taskset-tg", "task sets whose target group is not in the snapshot", at.warning(CodeDangling, ts.ID,
					"task set "+ts.ID+" of service "+svc.Name+" registers with "+l.TargetGroupARN+", which is not in the snapshot"))
			}
		}
		svc.TaskSets = append(svc.TaskSets, ts)
	}
}

// looseTaskSets puts describe-task-sets' task sets into their services
// (by serviceArn), those describe-services' taskSets lack.
func (b *builder) looseTaskSets() {
	for _, it := range b.rd.taskSets {
		svc := b.st.Services[it.v.ServiceArn]
		if svc == nil {
			if it.v.ID != "" {
				b.note("dangling-taskset-svc", "task sets whose service is not in the snapshot", it.at.warning(CodeDangling, it.v.ID,
					"task set "+it.v.ID+" belongs to "+cmp.Or(it.v.ServiceArn, "no service")+", which is not in describe-services"))
			}
			continue
		}
		b.serviceTaskSets(svc, []ecsTaskSet{it.v}, it.at)
	}
}

// taskSetsOut writes a service's task sets as describe-services answers
// them (nil for a service of the ECS controller, which has none).
func (w *writer) taskSetsOut(s *model.Service) []ecsTaskSet {
	if len(s.TaskSets) == 0 {
		return nil
	}
	out := []ecsTaskSet{}
	for _, ts := range s.TaskSets {
		running := 0
		for _, t := range w.st.Tasks {
			if t.ServiceName == s.Name && t.ClusterARN == s.ClusterARN && t.StartedBy == ts.ID && t.LastStatus == model.TaskRunning {
				running++
			}
		}
		scale := ts.ScaleValue
		x := ecsTaskSet{ID: ts.ID, TaskSetArn: ts.ARN, ServiceArn: s.ARN, ClusterArn: s.ClusterARN, StartedBy: ts.StartedBy, ExternalID: ts.ExternalID,
			Status: ts.Status, TaskDefinition: ts.TaskDefinitionARN, ComputedDesiredCount: intOf(int64(ts.ComputedDesiredCount(s.DesiredCount))),
			PendingCount: intOf(0), RunningCount: intOf(int64(running)), CreatedAt: awsTime{ts.CreatedAt}, UpdatedAt: awsTime{ts.UpdatedAt},
			LaunchType: string(ts.LaunchType), CapacityProviderStrategy: strategyOut(ts.CapacityProviders), PlatformVersion: ts.PlatformVersion,
			NetworkConfiguration: networkWire(ts.Network), LoadBalancers: []ecsServiceLB{}, StabilityStatus: ts.StabilityStatus}
		if len(x.CapacityProviderStrategy) == 0 {
			x.CapacityProviderStrategy = nil
		}
		x.Scale = &struct {
			Value *float64 `json:"value,omitempty"`
			Unit  string   `json:"unit,omitempty"`
		}{&scale, "PERCENT"}
		for _, l := range ts.LoadBalancers {
			x.LoadBalancers = append(x.LoadBalancers, ecsServiceLB{TargetGroupArn: l.TargetGroupARN, LoadBalancerName: l.LoadBalancerName,
				ContainerName: l.ContainerName, ContainerPort: intOf(int64(l.ContainerPort))})
		}
		out = append(out, x)
	}
	return out
}
