package ecs

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerTaskSets(add func(string, api.Handler)) {
	add("CreateTaskSet", createTaskSet)
	add("DescribeTaskSets", describeTaskSets)
	add("UpdateTaskSet", func(c *api.Call) (map[string]any, error) {
		scale, err := scaleIn(c)
		if err != nil {
			return nil, err
		}
		if scale == nil {
			return nil, invalid("scale must be specified.")
		}
		return taskSetResult(c)(c.Engine.UpdateTaskSet(c.In.String("cluster"), c.In.String("service"), c.In.String("taskSet"), *scale))
	})
	add("DeleteTaskSet", func(c *api.Call) (map[string]any, error) {
		return taskSetResult(c)(c.Engine.DeleteTaskSet(c.In.String("cluster"), c.In.String("service"), c.In.String("taskSet"), c.In.Bool("force")))
	})
	add("UpdateServicePrimaryTaskSet", func(c *api.Call) (map[string]any, error) {
		return taskSetResult(c)(c.Engine.UpdateServicePrimaryTaskSet(c.In.String("cluster"), c.In.String("service"), c.In.String("primaryTaskSet")))
	})
}

// scaleIn reads scale ({value, unit PERCENT}).
func scaleIn(c *api.Call) (*float64, error) {
	sc := c.In.Struct("scale")
	if sc == nil {
		return nil, nil
	}
	if u := sc.String("unit"); u != "" && u != "PERCENT" {
		return nil, invalid("scale unit should be one of [PERCENT]")
	}
	v := sc.Float("value")
	return &v, nil
}

// taskSetOut renders a task set; counts are its service's task counts by
// what started them (Engine.ServiceTaskCounts).
func taskSetOut(s *model.Service, ts *model.TaskSet, withTags bool, counts map[string][2]int) map[string]any {
	running, pending := counts[ts.ID][0], counts[ts.ID][1]
	out := map[string]any{
		"id": ts.ID, "taskSetArn": ts.ARN, "serviceArn": s.ARN, "clusterArn": s.ClusterARN, "startedBy": api.Str(ts.StartedBy),
		"externalId": api.Str(ts.ExternalID), "status": ts.Status, "taskDefinition": ts.TaskDefinitionARN,
		"computedDesiredCount": ts.ComputedDesiredCount(s.DesiredCount), "pendingCount": pending, "runningCount": running,
		"createdAt": api.Time(ts.CreatedAt), "updatedAt": api.Time(ts.UpdatedAt), "launchType": api.Str(ts.LaunchType),
		"platformVersion": api.Str(ts.PlatformVersion), "networkConfiguration": networkOut(ts.Network),
		"loadBalancers": loadBalancersOut(ts.LoadBalancers), "serviceRegistries": []any{},
		"scale": map[string]any{"value": ts.ScaleValue, "unit": "PERCENT"}, "stabilityStatus": ts.StabilityStatus,
		"stabilityStatusAt": api.Time(ts.UpdatedAt),
	}
	if len(ts.CapacityProviders) > 0 {
		out["capacityProviderStrategy"] = strategyOut(ts.CapacityProviders)
	}
	if ts.PlatformVersion != "" {
		out["platformFamily"] = "Linux"
	}
	if withTags {
		out["tags"] = tagsOut(ts.Tags)
	}
	return out
}

func taskSetResult(c *api.Call) func(*model.Service, *model.TaskSet, error) (map[string]any, error) {
	return func(s *model.Service, ts *model.TaskSet, err error) (map[string]any, error) {
		if err != nil {
			return nil, err
		}
		return map[string]any{"taskSet": c.View(func(*model.State) map[string]any {
			return taskSetOut(s, ts, false, c.Engine.ServiceTaskCounts(s.ClusterARN, s.Name))
		})}, nil
	}
}

func createTaskSet(c *api.Call) (map[string]any, error) {
	if len(c.In.List("serviceRegistries")) > 0 {
		return nil, invalid("ecsnet does not register the tasks of task sets with Cloud Map (a service's serviceRegistries are modelled).")
	}
	net, err := networkIn(c.In)
	if err != nil {
		return nil, err
	}
	scale, err := scaleIn(c)
	if err != nil {
		return nil, err
	}
	return taskSetResult(c)(c.Engine.CreateTaskSet(engine.CreateTaskSetInput{
		Cluster: c.In.String("cluster"), Service: c.In.String("service"), ExternalID: c.In.String("externalId"),
		TaskDefinition: c.In.String("taskDefinition"), LaunchType: model.LaunchType(c.In.String("launchType")),
		CapacityProviderStrategy: strategyIn(c.In, "capacityProviderStrategy"), Network: net, PlatformVersion: c.In.String("platformVersion"),
		LoadBalancers: loadBalancersIn(c.In), Scale: scale, ClientToken: c.In.String("clientToken"), Tags: tagsIn(c.In),
	}))
}

func describeTaskSets(c *api.Call) (map[string]any, error) {
	refs := c.In.Strings("taskSets")
	var out, failures []any
	var err error
	c.Engine.Read(func(st *model.State) {
		cl, e := activeCluster(c, st)
		if e != nil {
			err = e
			return
		}
		svcRef := c.In.String("service")
		s := st.Services[svcRef]
		if s == nil {
			s = st.Services[c.Engine.ServiceARN(cl.Name, svcRef)]
		}
		if s == nil || s.ClusterARN != cl.ARN {
			err = apierr.New("ServiceNotFoundException", "Service not found.")
			return
		}
		if !s.UsesTaskSets() {
			err = invalid("Amazon ECS only supports task set management on services configured to use external deployment controllers.")
			return
		}
		withTags := includes(c.In, "TAGS")
		counts := c.Engine.ServiceTaskCounts(s.ClusterARN, s.Name)
		out, failures = []any{}, []any{}
		for i := range s.TaskSets {
			ts := &s.TaskSets[i]
			if len(refs) == 0 || slices.Contains(refs, ts.ID) || slices.Contains(refs, ts.ARN) {
				out = append(out, taskSetOut(s, ts, withTags, counts))
			}
		}
		for _, r := range refs {
			if !slices.ContainsFunc(s.TaskSets, func(ts model.TaskSet) bool { return ts.ID == r || ts.ARN == r }) {
				failures = append(failures, map[string]any{"arn": r, "reason": "MISSING"})
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"taskSets": out, "failures": failures}, nil
}
