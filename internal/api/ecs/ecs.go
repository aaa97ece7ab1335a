// Package ecs serves Amazon ECS (AWS JSON 1.1): clusters, account settings,
// task definitions, container instances, tasks, services, capacity
// providers and tags.
package ecs

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the ECS handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("ecs", op, checkingTags(h)) }
	add("CreateCluster", createCluster)
	add("DescribeClusters", describeClusters)
	add("ListClusters", listClusters)
	add("DeleteCluster", deleteCluster)
	add("PutAccountSetting", putAccountSetting(false))
	add("PutAccountSettingDefault", putAccountSetting(true))
	add("ListAccountSettings", listAccountSettings)
	add("RegisterTaskDefinition", registerTaskDefinition)
	add("DescribeTaskDefinition", describeTaskDefinition)
	add("ListTaskDefinitions", listTaskDefinitions)
	add("ListTaskDefinitionFamilies", listTaskDefinitionFamilies)
	add("DeregisterTaskDefinition", deregisterTaskDefinition)
	add("RegisterContainerInstance", registerContainerInstance)
	add("DeregisterContainerInstance", deregisterContainerInstance)
	add("DescribeContainerInstances", describeContainerInstances)
	add("ListContainerInstances", listContainerInstances)
	add("RunTask", runTask)
	add("StartTask", startTask)
	add("StopTask", stopTask)
	add("DescribeTasks", describeTasks)
	add("ListTasks", listTasks)
	add("CreateService", createService)
	add("UpdateService", updateService)
	add("DeleteService", deleteService)
	add("DescribeServices", describeServices)
	add("ListServices", listServices)
	add("CreateCapacityProvider", createCapacityProvider)
	add("DescribeCapacityProviders", describeCapacityProviders)
	add("PutClusterCapacityProviders", putClusterCapacityProviders)
	add("UpdateCapacityProvider", updateCapacityProvider)
	add("DeleteCapacityProvider", deleteCapacityProvider)
	add("TagResource", tagResource)
	add("UntagResource", untagResource)
	add("ListTagsForResource", listTagsForResource)
	registerOps(add)
	registerDaemonTaskDefinitions(add)
	registerDaemons(add)
}

func invalid(format string, args ...any) error {
	return apierr.Newf("InvalidParameterException", format, args...)
}

// page cuts one page of a List/Describe result (maxResults between 1 and
// max, def when absent; nextToken) of items listed in key order.
func page[T any](in awsproto.Params, items []T, key func(T) string, def, max int) ([]T, any, error) {
	return pageOrdered(in, items, key, strings.Compare, def, max)
}

// pageOrdered is page for items listed in the order compare gives their
// keys (api.PaginateOrdered).
func pageOrdered[T any](in awsproto.Params, items []T, key func(T) string, compare func(a, b string) int, def, max int) ([]T, any, error) {
	limit := def
	if in.Has("maxResults") {
		limit = int(in.Int("maxResults"))
		if limit < 1 || limit > max {
			return nil, nil, invalid("maxResults must be between 1 and %d.", max)
		}
	}
	out, next, ok := api.PaginateOrdered(items, key, compare, in.String("nextToken"), limit)
	if !ok {
		return nil, nil, invalid("Invalid nextToken.")
	}
	if next == "" {
		return out, nil, nil
	}
	return out, next, nil
}

// namesPage answers a List operation of names or ARNs: a page of them in
// order under member, and the nextToken.
func namesPage(in awsproto.Params, member string, names []string, def, max int) (map[string]any, error) {
	names, next, err := page(in, names, func(s string) string { return s }, def, max)
	if err != nil {
		return nil, err
	}
	if names == nil {
		names = []string{}
	}
	return map[string]any{member: names, "nextToken": next}, nil
}

// checkingTags has h refuse a request whose tags break AWS's limits
// (engine.CheckTags) before it runs.
func checkingTags(h api.Handler) api.Handler {
	return func(c *api.Call) (map[string]any, error) {
		if c.In.Has("tags") {
			if err := engine.CheckTags(engine.TagsECS, tagsIn(c.In)); err != nil {
				return nil, err
			}
		}
		return h(c)
	}
}

// tagsIn reads ECS tags ([{key, value}]).
func tagsIn(in awsproto.Params) model.Tags {
	return api.KeyValues(in.Structs("tags"), "key", "value")
}

func tagsOut(t model.Tags) []map[string]any { return api.TagList(t, "key", "value") }

// includes reports whether the request's include list names field.
func includes(in awsproto.Params, field string) bool {
	for _, f := range in.Strings("include") {
		if f == field {
			return true
		}
	}
	return false
}

func strategyIn(in awsproto.Params, member string) []model.CapacityProviderStrategyItem {
	var out []model.CapacityProviderStrategyItem
	for _, s := range in.Structs(member) {
		out = append(out, model.CapacityProviderStrategyItem{CapacityProvider: s.String("capacityProvider"), Weight: int(s.Int("weight")), Base: int(s.Int("base"))})
	}
	return out
}

func strategyOut(items []model.CapacityProviderStrategyItem) []any {
	out := make([]any, len(items))
	for i, s := range items {
		out[i] = map[string]any{"capacityProvider": s.CapacityProvider, "weight": s.Weight, "base": s.Base}
	}
	return out
}

// networkIn reads a networkConfiguration (nil when absent).
func networkIn(in awsproto.Params) (*model.AwsVpcConfiguration, error) {
	nc := in.Struct("networkConfiguration")
	if nc == nil {
		return nil, nil
	}
	v := nc.Struct("awsvpcConfiguration")
	if v == nil {
		return nil, invalid("awsvpcConfiguration must be provided in networkConfiguration.")
	}
	out := &model.AwsVpcConfiguration{}
	for _, s := range v.Strings("subnets") {
		out.Subnets = append(out.Subnets, model.SubnetID(s))
	}
	for _, g := range v.Strings("securityGroups") {
		out.SecurityGroups = append(out.SecurityGroups, model.SecurityGroupID(g))
	}
	switch v.String("assignPublicIp") {
	case "", "DISABLED":
	case "ENABLED":
		out.AssignPublicIP = true
	default:
		return nil, invalid("assignPublicIp should be one of [ENABLED,DISABLED]")
	}
	return out, nil
}

func networkOut(n *model.AwsVpcConfiguration) any {
	if n == nil {
		return nil
	}
	assign := "DISABLED"
	if n.AssignPublicIP {
		assign = "ENABLED"
	}
	cfg := map[string]any{"subnets": api.Strs(n.Subnets), "assignPublicIp": assign}
	// The VPC's default group, which the tasks of a configuration
	// without groups get, is not part of the configuration [choice].
	if !n.DefaultGroup {
		cfg["securityGroups"] = api.Strs(n.SecurityGroups)
	}
	return map[string]any{"awsvpcConfiguration": cfg}
}

// constraintsIn reads placementConstraints.
func constraintsIn(in awsproto.Params) []model.PlacementConstraint {
	var out []model.PlacementConstraint
	for _, c := range in.Structs("placementConstraints") {
		out = append(out, model.PlacementConstraint{Type: c.String("type"), Expression: c.String("expression")})
	}
	return out
}

// strategiesIn reads placementStrategy.
func strategiesIn(in awsproto.Params) []model.PlacementStrategy {
	var out []model.PlacementStrategy
	for _, c := range in.Structs("placementStrategy") {
		out = append(out, model.PlacementStrategy{Type: c.String("type"), Field: c.String("field")})
	}
	return out
}

func constraintsOut(cs []model.PlacementConstraint) []any {
	out := make([]any, len(cs))
	for i, c := range cs {
		out[i] = map[string]any{"type": c.Type, "expression": api.Str(c.Expression)}
	}
	return out
}

func strategiesOut(ss []model.PlacementStrategy) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = map[string]any{"type": s.Type, "field": api.Str(s.Field)}
	}
	return out
}
