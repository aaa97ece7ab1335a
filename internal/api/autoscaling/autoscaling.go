// Package autoscaling serves Amazon EC2 Auto Scaling (AWS Query): groups
// (whose instances the engine launches and terminates to match the desired
// capacity), launch configurations, instances and tags.
package autoscaling

import (
	"encoding/base64"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the Auto Scaling handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("autoscaling", op, h) }
	add("CreateAutoScalingGroup", createAutoScalingGroup)
	add("DescribeAutoScalingGroups", describeAutoScalingGroups)
	add("UpdateAutoScalingGroup", updateAutoScalingGroup)
	add("DeleteAutoScalingGroup", deleteAutoScalingGroup)
	add("SetDesiredCapacity", setDesiredCapacity)
	add("CreateLaunchConfiguration", createLaunchConfiguration)
	add("DescribeLaunchConfigurations", describeLaunchConfigurations)
	add("DeleteLaunchConfiguration", deleteLaunchConfiguration)
	add("DescribeAutoScalingInstances", describeAutoScalingInstances)
	add("CreateOrUpdateTags", createOrUpdateTags)
	add("DeleteTags", deleteTags)
	add("DescribeTags", describeTags)
	registerOps(add)
	registerExtra(add)
}

func validation(format string, args ...any) error {
	return apierr.Newf("ValidationError", format, args...)
}

// errInvalidToken is Auto Scaling's answer to a NextToken it did not give.
func errInvalidToken(token string) error {
	return apierr.Newf("InvalidNextToken", "The token '%s' was invalid", token)
}

// checkToken refuses an empty NextToken: Auto Scaling takes a present but
// empty token as an invalid one, not as the first page.
func checkToken(in awsproto.Params) error {
	if in.Has("NextToken") && in.String("NextToken") == "" {
		return errInvalidToken("")
	}
	return nil
}

// page cuts one page (MaxRecords 1-100, default 50; NextToken) of items
// listed in key order.
func page[T any](in awsproto.Params, items []T, key func(T) string, max int) ([]T, any, error) {
	return pageOrdered(in, items, key, strings.Compare, max)
}

// pageOrdered is page for items listed in the order compare gives their
// keys (api.PaginateOrdered).
func pageOrdered[T any](in awsproto.Params, items []T, key func(T) string, compare func(a, b string) int, max int) ([]T, any, error) {
	limit := 50
	if in.Has("MaxRecords") {
		limit = int(in.Int("MaxRecords"))
		if limit < 1 || limit > max {
			return nil, nil, validation("1 validation error detected: Value '%d' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and %d", limit, max)
		}
	}
	if err := checkToken(in); err != nil {
		return nil, nil, err
	}
	out, next, ok := api.PaginateOrdered(items, key, compare, in.String("NextToken"), limit)
	if !ok {
		return nil, nil, errInvalidToken(in.String("NextToken"))
	}
	if next == "" {
		return out, nil, nil
	}
	return out, next, nil
}

func launchTemplateIn(in awsproto.Params) *model.LaunchTemplateRef {
	lt := in.Struct("LaunchTemplate")
	if lt == nil {
		return nil
	}
	return &model.LaunchTemplateRef{ID: model.LaunchTemplateID(lt.String("LaunchTemplateId")), Name: lt.String("LaunchTemplateName"), Version: lt.String("Version")}
}

func launchTemplateOut(ref *model.LaunchTemplateRef) any {
	if ref == nil {
		return nil
	}
	return map[string]any{"LaunchTemplateId": api.Str(ref.ID), "LaunchTemplateName": api.Str(ref.Name), "Version": api.Str(ref.Version)}
}

func subnetsIn(in awsproto.Params) []model.SubnetID {
	var out []model.SubnetID
	for _, s := range strings.Split(in.String("VPCZoneIdentifier"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, model.SubnetID(s))
		}
	}
	return out
}

func tagsIn(in awsproto.Params) []model.ASGTag {
	var out []model.ASGTag
	for _, t := range in.Structs("Tags") {
		out = append(out, model.ASGTag{Key: t.String("Key"), Value: t.String("Value"), PropagateAtLaunch: t.Bool("PropagateAtLaunch")})
	}
	return out
}

// unsupported rejects the group features ecsnet does not model.
func unsupported(in awsproto.Params) error {
	for _, name := range []string{"WarmPoolConfiguration", "AvailabilityZoneIds", "CapacityReservationSpecification"} {
		if in.Has(name) {
			return validation("ecsnet does not model %s in Auto Scaling groups.", name)
		}
	}
	return nil
}

// mixedIn reads a MixedInstancesPolicy: the policy and its launch template.
func mixedIn(in awsproto.Params) (*model.MixedInstancesPolicy, *model.LaunchTemplateRef) {
	m := in.Struct("MixedInstancesPolicy")
	if m == nil {
		return nil, nil
	}
	lt := m.Struct("LaunchTemplate")
	ref := launchTemplateIn(model1(lt, "LaunchTemplateSpecification"))
	u := mixedUpdate(m)
	return u.Apply(nil), ref
}

// mixedUpdate reads the members a MixedInstancesPolicy gives: on
// UpdateAutoScalingGroup only those change ("In your call to
// UpdateAutoScalingGroup, you can make changes to the policy that is
// specified. All optional parameters are left unchanged if not specified",
// earlier Auto Scaling API models); on create the others take their defaults.
func mixedUpdate(m awsproto.Params) engine.MixedInstancesUpdate {
	var u engine.MixedInstancesUpdate
	if lt := m.Struct("LaunchTemplate"); lt.Has("Overrides") {
		ovs := []model.LaunchTemplateOverride{}
		for _, o := range lt.Structs("Overrides") {
			ovs = append(ovs, model.LaunchTemplateOverride{InstanceType: o.String("InstanceType"),
				WeightedCapacity: o.String("WeightedCapacity"), ImageID: o.String("ImageId"), LaunchTemplate: launchTemplateIn(model1(o, "LaunchTemplateSpecification")),
				Requirements: requirementsIn(o.Struct("InstanceRequirements"))})
		}
		u.Overrides = &ovs
	}
	d := m.Struct("InstancesDistribution")
	str := func(name string) *string {
		if !d.Has(name) {
			return nil
		}
		v := d.String(name)
		return &v
	}
	u.OnDemandAllocationStrategy, u.SpotAllocationStrategy, u.SpotMaxPrice = str("OnDemandAllocationStrategy"), str("SpotAllocationStrategy"), str("SpotMaxPrice")
	u.OnDemandBaseCapacity, u.OnDemandPercentageAboveBase, u.SpotInstancePools = d.OptInt("OnDemandBaseCapacity"), d.OptInt("OnDemandPercentageAboveBaseCapacity"), d.OptInt("SpotInstancePools")
	return u
}

// model1 wraps member name of p as the LaunchTemplate struct that
// launchTemplateIn reads.
func model1(p awsproto.Params, name string) awsproto.Params {
	if p == nil || !p.Has(name) {
		return awsproto.Params{}
	}
	return awsproto.Params{"LaunchTemplate": p[name]}
}

// requirementsIn reads an override's InstanceRequirements (the attributes
// that choose among ecsnet's instance types; the others are not kept).
func requirementsIn(r awsproto.Params) *model.InstanceRequirements {
	if r == nil {
		return nil
	}
	v, m := r.Struct("VCpuCount"), r.Struct("MemoryMiB")
	return &model.InstanceRequirements{VCPUMin: int(v.Int("Min")), VCPUMax: int(v.Int("Max")),
		MemoryMiBMin: int(m.Int("Min")), MemoryMiBMax: int(m.Int("Max")), BurstablePerformance: r.String("BurstablePerformance"),
		CPUManufacturers: r.Strings("CpuManufacturers"), InstanceGenerations: r.Strings("InstanceGenerations"),
		ExcludedInstanceTypes: r.Strings("ExcludedInstanceTypes"), AllowedInstanceTypes: r.Strings("AllowedInstanceTypes")}
}

// requirementsOut describes an override's InstanceRequirements.
func requirementsOut(r *model.InstanceRequirements) any {
	if r == nil {
		return nil
	}
	rng := func(lo, hi int) map[string]any {
		out := map[string]any{"Min": lo}
		if hi > 0 {
			out["Max"] = hi
		}
		return out
	}
	out := map[string]any{"VCpuCount": rng(r.VCPUMin, r.VCPUMax), "MemoryMiB": rng(r.MemoryMiBMin, r.MemoryMiBMax),
		"BurstablePerformance": api.Str(r.BurstablePerformance)}
	for k, l := range map[string][]string{"CpuManufacturers": r.CPUManufacturers, "InstanceGenerations": r.InstanceGenerations,
		"ExcludedInstanceTypes": r.ExcludedInstanceTypes, "AllowedInstanceTypes": r.AllowedInstanceTypes} {
		if len(l) > 0 {
			out[k] = l
		}
	}
	return out
}

func mixedOut(g *model.AutoScalingGroup) any {
	m := g.MixedInstances
	if m == nil {
		return nil
	}
	overrides := make([]any, len(m.Overrides))
	for i, o := range m.Overrides {
		overrides[i] = map[string]any{"InstanceType": api.Str(o.InstanceType), "WeightedCapacity": api.Str(o.WeightedCapacity),
			"ImageId": api.Str(o.ImageID), "LaunchTemplateSpecification": launchTemplateOut(o.LaunchTemplate),
			"InstanceRequirements": requirementsOut(o.Requirements)}
	}
	return map[string]any{
		"LaunchTemplate": map[string]any{"LaunchTemplateSpecification": launchTemplateOut(g.LaunchTemplate), "Overrides": overrides},
		"InstancesDistribution": map[string]any{"OnDemandAllocationStrategy": m.OnDemandAllocationStrategy, "OnDemandBaseCapacity": m.OnDemandBaseCapacity,
			"OnDemandPercentageAboveBaseCapacity": m.OnDemandPercentageAboveBase, "SpotAllocationStrategy": m.SpotAllocationStrategy,
			"SpotInstancePools": m.SpotInstancePools, "SpotMaxPrice": api.Str(m.SpotMaxPrice)},
	}
}

// targetGroupsIn is TargetGroupARNs plus the elbv2 TrafficSources.
func targetGroupsIn(in awsproto.Params) ([]string, error) {
	arns := in.Strings("TargetGroupARNs")
	for _, s := range in.Structs("TrafficSources") {
		if typ := s.String("Type"); typ != "" && typ != "elbv2" {
			return nil, validation("ecsnet attaches traffic sources of type elbv2 (target groups); %q is not modelled.", typ)
		}
		arns = append(arns, s.String("Identifier"))
	}
	return arns, nil
}

func createAutoScalingGroup(c *api.Call) (map[string]any, error) {
	if err := unsupported(c.In); err != nil {
		return nil, err
	}
	tgs, err := targetGroupsIn(c.In)
	if err != nil {
		return nil, err
	}
	mixed, mixedLT := mixedIn(c.In)
	var hooks []model.LifecycleHook
	for _, h := range c.In.Structs("LifecycleHookSpecificationList") {
		hooks = append(hooks, hookIn(h)) // the engine gives AWS's defaults
	}
	in := engine.CreateAutoScalingGroupInput{
		Name: c.In.String("AutoScalingGroupName"), LaunchTemplate: launchTemplateIn(c.In), LaunchConfigurationName: c.In.String("LaunchConfigurationName"),
		InstanceID: model.InstanceID(c.In.String("InstanceId")),
		MinSize:    int(c.In.Int("MinSize")), MaxSize: int(c.In.Int("MaxSize")), Subnets: subnetsIn(c.In), AvailabilityZones: c.In.Strings("AvailabilityZones"),
		TargetGroupARNs: tgs, HealthCheckType: c.In.String("HealthCheckType"), DefaultCooldown: c.In.OptInt("DefaultCooldown"),
		TerminationPolicies: c.In.Strings("TerminationPolicies"), MixedInstances: mixed, MixedInstancesTemplate: mixedLT, LifecycleHooks: hooks,
		LoadBalancerNames: c.In.Strings("LoadBalancerNames"), PlacementGroup: c.In.String("PlacementGroup"),
		HealthCheckGracePeriod: int(c.In.Int("HealthCheckGracePeriod")), NewInstancesProtected: c.In.Bool("NewInstancesProtectedFromScaleIn"),
		CapacityRebalance: c.In.Bool("CapacityRebalance"), Tags: tagsIn(c.In),
	}
	if c.In.Has("DesiredCapacity") {
		d := int(c.In.Int("DesiredCapacity"))
		in.DesiredCapacity = &d
	}
	in.Options = optionsIn(c.In)
	if in.IAM, err = c.IAM(); err != nil {
		return nil, err
	}
	_, err = c.Engine.CreateAutoScalingGroup(in)
	return nil, err
}

// optionsIn reads the group settings ecsnet stores as given.
func optionsIn(in awsproto.Params) engine.ASGOptions {
	str := func(name string) *string {
		if !in.Has(name) {
			return nil
		}
		v := in.String(name)
		return &v
	}
	var maint *[2]int
	if m := in.Struct("InstanceMaintenancePolicy"); m != nil {
		v := [2]int{int(m.IntOr("MinHealthyPercentage", -1)), int(m.IntOr("MaxHealthyPercentage", -1))}
		maint = &v
	}
	return engine.ASGOptions{Maintenance: maint, DefaultInstanceWarmup: in.OptInt("DefaultInstanceWarmup"), MaxInstanceLifetime: in.OptInt("MaxInstanceLifetime"),
		DesiredCapacityType: str("DesiredCapacityType"), Context: str("Context"), DeletionProtection: str("DeletionProtection"),
		PlacementGroup: str("PlacementGroup")}
}

func lifecycle(s model.InstanceState) string {
	switch s {
	case model.InstancePending:
		return "Pending"
	case model.InstanceRunning, model.InstanceStopping, model.InstanceStopped:
		// A stopped instance stays InService until the EC2 health check
		// marks it Unhealthy (at once, unless HealthCheck is suspended);
		// warm pool and standby instances are overridden by the caller.
		return "InService"
	case model.InstanceShuttingDown:
		return "Terminating"
	case model.InstanceTerminated:
		return "Terminated"
	}
	return "Standby"
}

func asgInstances(st *model.State, g *model.AutoScalingGroup) []*model.Instance {
	var out []*model.Instance
	for _, i := range st.Instances {
		if i.AutoScalingGroup == g.Name && i.State != model.InstanceTerminated {
			out = append(out, i)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}

func instanceOut(st *model.State, g *model.AutoScalingGroup, i *model.Instance, withGroup bool) map[string]any {
	out := map[string]any{
		"InstanceId": i.ID, "InstanceType": i.Type, "AvailabilityZone": i.AvailabilityZone, "LifecycleState": lifecycle(i.State),
		"HealthStatus": "Healthy", "ProtectedFromScaleIn": g.IsProtected(i.ID), "LaunchTemplate": launchTemplateOut(i.LaunchTemplate),
		"ImageId":                 api.Str(i.ImageID),
		"LaunchConfigurationName": api.Str(g.LaunchConfiguration),
	}
	if s := st.Subnets[i.SubnetID]; s != nil {
		out["AvailabilityZoneId"] = s.AvailabilityZoneID
	}
	if g.InStandby(i.ID) {
		out["LifecycleState"] = "Standby"
	}
	if g.Waiting(i.ID) && i.State == model.InstanceRunning {
		out["LifecycleState"] = "Pending:Wait" // held by a launch lifecycle hook
	}
	if g.Leaving(i.ID) && i.State == model.InstanceRunning {
		out["LifecycleState"] = "Terminating:Wait" // held by a termination lifecycle hook
		if g.IsDeregistering(i.ID) {
			out["LifecycleState"] = "Terminating" // its load balancers drain it first
		}
	}
	if g.InWarmPool(i.ID) {
		poolState := "Stopped"
		if g.WarmPool != nil {
			poolState = g.WarmPool.PoolState
		}
		out["LifecycleState"] = engine.WarmLifecycle(i, poolState)
	}
	if g.MixedInstances != nil && slices.ContainsFunc(g.MixedInstances.Overrides, func(o model.LaunchTemplateOverride) bool { return o.WeightedCapacity != "" }) {
		out["WeightedCapacity"] = strconv.Itoa(engine.ASGWeight(g, i.Type))
	}
	unhealthy := g.Unhealthy(i.ID)
	if unhealthy {
		out["HealthStatus"] = "Unhealthy"
	}
	if withGroup {
		out["AutoScalingGroupName"] = g.Name
		if (i.State == model.InstanceRunning || i.State == model.InstancePending) && !unhealthy {
			out["HealthStatus"] = "HEALTHY"
		} else {
			out["HealthStatus"] = "UNHEALTHY"
		}
	}
	return out
}

func tagOut(g *model.AutoScalingGroup, t model.ASGTag) map[string]any {
	return map[string]any{"ResourceId": g.Name, "ResourceType": "auto-scaling-group", "Key": t.Key, "Value": t.Value, "PropagateAtLaunch": t.PropagateAtLaunch}
}

func groupOut(st *model.State, g *model.AutoScalingGroup, withInstances bool) map[string]any {
	var zones []string
	seen := map[string]bool{}
	for _, s := range g.Subnets {
		if sub := st.Subnets[s]; sub != nil && !seen[sub.AvailabilityZone] {
			seen[sub.AvailabilityZone] = true
			zones = append(zones, sub.AvailabilityZone)
		}
	}
	sort.Strings(zones)
	// A group given zones, not subnets, answers no VPCZoneIdentifier
	// though it launches into the zones' default subnets.
	var subnets []string
	if !g.ZonesOnly {
		for _, s := range g.Subnets {
			subnets = append(subnets, string(s))
		}
	}
	tags := make([]any, len(g.Tags))
	for i, t := range g.Tags {
		tags[i] = tagOut(g, t)
	}
	suspended := make([]any, len(g.SuspendedProcesses))
	for i, p := range g.SuspendedProcesses {
		suspended[i] = map[string]any{"ProcessName": p.Name, "SuspensionReason": p.Reason}
	}
	traffic := make([]any, len(g.TargetGroupARNs))
	for i, a := range g.TargetGroupARNs {
		traffic[i] = map[string]any{"Identifier": a, "Type": "elbv2"}
	}
	terminationPolicies := g.TerminationPolicies
	if len(terminationPolicies) == 0 {
		terminationPolicies = []string{"Default"}
	}
	out := map[string]any{
		"AutoScalingGroupName": g.Name, "AutoScalingGroupARN": g.ARN, "LaunchConfigurationName": api.Str(g.LaunchConfiguration),
		"LaunchTemplate": launchTemplateOut(g.LaunchTemplate), "MinSize": g.MinSize, "MaxSize": g.MaxSize, "DesiredCapacity": g.DesiredCapacity,
		"DefaultCooldown": g.DefaultCooldown, "AvailabilityZones": zones, "LoadBalancerNames": g.LoadBalancerNames, "TargetGroupARNs": g.TargetGroupARNs,
		"HealthCheckType": g.HealthCheckType, "HealthCheckGracePeriod": g.HealthCheckGracePeriod, "CreatedTime": api.Time(g.CreatedAt),
		"SuspendedProcesses": suspended, "VPCZoneIdentifier": strings.Join(subnets, ","), "Tags": tags,
		"TerminationPolicies": terminationPolicies, "NewInstancesProtectedFromScaleIn": g.NewInstancesProtected,
		"ServiceLinkedRoleARN": "arn:" + strings.Split(g.ARN, ":")[1] + ":iam::" + strings.Split(g.ARN, ":")[4] + ":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
		"CapacityRebalance":    g.CapacityRebalance, "TrafficSources": traffic, "Status": api.Str(g.Status),
		"MixedInstancesPolicy":  mixedOut(g),
		"WarmPoolConfiguration": warmPoolOut(g.WarmPool), "DesiredCapacityType": api.Str(g.DesiredCapacityType),
		"Context": api.Str(g.Context), "DeletionProtection": api.Str(g.DeletionProtection), "PlacementGroup": api.Str(g.PlacementGroup),
	}
	if g.WarmPool != nil {
		out["WarmPoolSize"] = len(g.WarmInstances)
	}
	if g.MaintenanceMinHealthy != nil {
		out["InstanceMaintenancePolicy"] = map[string]any{"MinHealthyPercentage": *g.MaintenanceMinHealthy, "MaxHealthyPercentage": *g.MaintenanceMaxHealthy}
	}
	if g.MaxInstanceLifetime != 0 {
		out["MaxInstanceLifetime"] = g.MaxInstanceLifetime
	}
	if g.DefaultInstanceWarmup != nil {
		out["DefaultInstanceWarmup"] = *g.DefaultInstanceWarmup
	}
	metrics := make([]any, len(g.EnabledMetrics))
	for i, m := range g.EnabledMetrics {
		metrics[i] = map[string]any{"Metric": m.Metric, "Granularity": m.Granularity}
	}
	out["EnabledMetrics"] = metrics
	if g.MixedInstances != nil {
		delete(out, "LaunchTemplate")
	}
	if g.LoadBalancerNames == nil {
		out["LoadBalancerNames"] = []string{}
	}
	if g.TargetGroupARNs == nil {
		out["TargetGroupARNs"] = []string{}
	}
	if out["HealthCheckType"] == "" {
		out["HealthCheckType"] = "EC2"
	}
	if withInstances {
		list := []any{}
		for _, inst := range asgInstances(st, g) {
			if !g.InWarmPool(inst.ID) { // DescribeWarmPool lists those
				list = append(list, instanceOut(st, g, inst, false))
			}
		}
		out["Instances"] = list
	}
	return out
}

func describeAutoScalingGroups(c *api.Call) (map[string]any, error) {
	names := c.In.Strings("AutoScalingGroupNames")
	withInstances := !c.In.Has("IncludeInstances") || c.In.Bool("IncludeInstances")
	var out []any
	var next any
	var err error
	c.Engine.Read(func(st *model.State) {
		var items []*model.AutoScalingGroup
		if len(names) > 0 {
			for _, n := range names {
				if g := st.AutoScalingGroups[n]; g != nil {
					items = append(items, g)
				}
			}
		} else {
			for _, g := range st.AutoScalingGroups {
				items = append(items, g)
			}
		}
		fs := api.FilterSet[*model.AutoScalingGroup]{
			Attrs: map[string]func(*model.AutoScalingGroup) []string{
				"tag-key": func(g *model.AutoScalingGroup) []string {
					var out []string
					for _, t := range g.Tags {
						out = append(out, t.Key)
					}
					return out
				},
				"tag-value": func(g *model.AutoScalingGroup) []string {
					var out []string
					for _, t := range g.Tags {
						out = append(out, t.Value)
					}
					return out
				},
			},
		}
		var filters []api.Filter
		for _, f := range c.In.Structs("Filters") {
			name := f.String("Name")
			if strings.HasPrefix(name, "tag:") {
				key := name[4:]
				var keep []*model.AutoScalingGroup
				for _, g := range items {
					for _, t := range g.Tags {
						if t.Key == key && contains(f.Strings("Values"), t.Value) {
							keep = append(keep, g)
							break
						}
					}
				}
				items = keep
				continue
			}
			filters = append(filters, api.Filter{Name: name, Values: f.Strings("Values")})
		}
		if items, err = fs.Apply(items, filters); err != nil {
			err = validation("The filter '%s' is not valid.", filters[0].Name)
			return
		}
		key := func(g *model.AutoScalingGroup) string { return g.Name }
		if items, next, err = page(c.In, items, key, 100); err != nil {
			return
		}
		out = make([]any, len(items))
		for i, g := range items {
			out[i] = groupOut(st, g, withInstances)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"AutoScalingGroups": out, "NextToken": next}, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func updateAutoScalingGroup(c *api.Call) (map[string]any, error) {
	if err := unsupported(c.In); err != nil {
		return nil, err
	}
	in := engine.UpdateAutoScalingGroupInput{Name: c.In.String("AutoScalingGroupName"), LaunchTemplate: launchTemplateIn(c.In), Subnets: subnetsIn(c.In),
		AvailabilityZones: c.In.Strings("AvailabilityZones"),
		DefaultCooldown:   c.In.OptInt("DefaultCooldown"), TerminationPolicies: c.In.Strings("TerminationPolicies")}
	var err error
	if in.IAM, err = c.IAM(); err != nil {
		return nil, err
	}
	if m := c.In.Struct("MixedInstancesPolicy"); m != nil {
		u := mixedUpdate(m)
		in.MixedInstancesUpdate, in.MixedInstancesTemplate = &u, launchTemplateIn(model1(m.Struct("LaunchTemplate"), "LaunchTemplateSpecification"))
	}
	num := func(name string) *int {
		if !c.In.Has(name) {
			return nil
		}
		v := int(c.In.Int(name))
		return &v
	}
	in.MinSize, in.MaxSize, in.DesiredCapacity, in.HealthCheckGracePeriod = num("MinSize"), num("MaxSize"), num("DesiredCapacity"), num("HealthCheckGracePeriod")
	if c.In.Has("LaunchConfigurationName") {
		v := c.In.String("LaunchConfigurationName")
		in.LaunchConfigurationName = &v
	}
	if c.In.Has("HealthCheckType") {
		v := c.In.String("HealthCheckType")
		in.HealthCheckType = &v
	}
	if c.In.Has("NewInstancesProtectedFromScaleIn") {
		v := c.In.Bool("NewInstancesProtectedFromScaleIn")
		in.NewInstancesProtected = &v
	}
	if c.In.Has("CapacityRebalance") {
		v := c.In.Bool("CapacityRebalance")
		in.CapacityRebalance = &v
	}
	in.Options = optionsIn(c.In)
	_, err = c.Engine.UpdateAutoScalingGroup(in)
	return nil, err
}

func deleteAutoScalingGroup(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteAutoScalingGroup(c.In.String("AutoScalingGroupName"), c.In.Bool("ForceDelete"))
}

func setDesiredCapacity(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.SetDesiredCapacity(c.In.String("AutoScalingGroupName"), int(c.In.Int("DesiredCapacity")))
}

func createLaunchConfiguration(c *api.Call) (map[string]any, error) {
	in := engine.CreateLaunchConfigurationInput{
		Name: c.In.String("LaunchConfigurationName"), ImageID: c.In.String("ImageId"), InstanceType: c.In.String("InstanceType"),
		UserData: c.In.String("UserData"), IAMProfile: c.In.String("IamInstanceProfile"), KeyName: c.In.String("KeyName"),
		InstanceID: model.InstanceID(c.In.String("InstanceId")), SpotPrice: c.In.String("SpotPrice"), EbsOptimized: c.In.Bool("EbsOptimized"),
		BlockDevices: lcBlockDevicesIn(c.In), ClassicLinkVPCID: c.In.String("ClassicLinkVPCId"), ClassicLinkGroups: c.In.Strings("ClassicLinkVPCSecurityGroups"),
	}
	if m := c.In.Struct("InstanceMonitoring"); m != nil && m.Has("Enabled") {
		v := m.Bool("Enabled")
		in.InstanceMonitoring = &v
	}
	if m := c.In.Struct("MetadataOptions"); m != nil {
		in.Metadata = &model.LCMetadataOptions{HTTPTokens: m.String("HttpTokens"), HTTPEndpoint: m.String("HttpEndpoint"), HopLimit: m.OptInt("HttpPutResponseHopLimit")}
	}
	for _, g := range c.In.Strings("SecurityGroups") {
		in.SecurityGroups = append(in.SecurityGroups, model.SecurityGroupID(g))
	}
	if c.In.Has("AssociatePublicIpAddress") {
		v := c.In.Bool("AssociatePublicIpAddress")
		in.AssociatePublicIPAddress = &v
	}
	if in.UserData != "" {
		if _, err := base64.StdEncoding.DecodeString(in.UserData); err != nil {
			return nil, validation("Invalid BASE64 encoding of user data.")
		}
	}
	_, err := c.Engine.CreateLaunchConfiguration(in)
	return nil, err
}

func describeLaunchConfigurations(c *api.Call) (map[string]any, error) {
	names := c.In.Strings("LaunchConfigurationNames")
	var items []*model.LaunchConfiguration
	c.Engine.Read(func(st *model.State) {
		if len(names) > 0 {
			for _, n := range names {
				if lc := st.LaunchConfigurations[n]; lc != nil {
					items = append(items, lc)
				}
			}
			return
		}
		for _, lc := range st.LaunchConfigurations {
			items = append(items, lc)
		}
	})
	key := func(lc *model.LaunchConfiguration) string { return lc.Name }
	items, next, err := page(c.In, items, key, 100)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, lc := range items {
		out[i] = map[string]any{
			"LaunchConfigurationName": lc.Name, "LaunchConfigurationARN": lc.ARN, "ImageId": lc.ImageID, "InstanceType": lc.InstanceType,
			"KeyName": lc.KeyName, "SecurityGroups": api.Strs(lc.SecurityGroups), "UserData": lc.UserData, "IamInstanceProfile": api.Str(lc.IAMProfile),
			"CreatedTime": api.Time(lc.CreatedAt), "EbsOptimized": lc.EbsOptimized, "AssociatePublicIpAddress": lc.AssociatePublicIPAddress,
			"InstanceMonitoring":  map[string]any{"Enabled": lc.InstanceMonitoring == nil || *lc.InstanceMonitoring},
			"BlockDeviceMappings": lcBlockDevicesOut(lc.BlockDevices), "ClassicLinkVPCSecurityGroups": api.Strs(lc.ClassicLinkGroups), "ClassicLinkVPCId": api.Str(lc.ClassicLinkVPCID),
			"KernelId": "", "RamdiskId": "", "SpotPrice": api.Str(lc.SpotPrice),
		}
		if m := lc.Metadata; m != nil {
			out[i].(map[string]any)["MetadataOptions"] = map[string]any{"HttpTokens": api.Str(m.HTTPTokens), "HttpEndpoint": api.Str(m.HTTPEndpoint),
				"HttpPutResponseHopLimit": m.HopLimit}
		}
	}
	return map[string]any{"LaunchConfigurations": out, "NextToken": next}, nil
}

func deleteLaunchConfiguration(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteLaunchConfiguration(c.In.String("LaunchConfigurationName"))
}

func describeAutoScalingInstances(c *api.Call) (map[string]any, error) {
	want := c.In.Strings("InstanceIds")
	type row struct {
		g *model.AutoScalingGroup
		i *model.Instance
	}
	var rows []row
	var out []any
	var next any
	var err error
	c.Engine.Read(func(st *model.State) {
		for _, g := range st.AutoScalingGroups {
			for _, i := range asgInstances(st, g) {
				if len(want) == 0 || contains(want, string(i.ID)) {
					rows = append(rows, row{g, i})
				}
			}
		}
		key := func(r row) string { return string(r.i.ID) }
		if rows, next, err = page(c.In, rows, key, 50); err != nil {
			return
		}
		out = make([]any, len(rows))
		for k, r := range rows {
			out[k] = instanceOut(st, r.g, r.i, true)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"AutoScalingInstances": out, "NextToken": next}, nil
}

func tagChanges(in awsproto.Params, del bool) ([]engine.ASGTagChange, error) {
	var out []engine.ASGTagChange
	for _, t := range in.Structs("Tags") {
		if rt := t.String("ResourceType"); rt != "" && rt != "auto-scaling-group" {
			return nil, validation("Invalid resource type '%s'; only auto-scaling-group is supported.", rt)
		}
		out = append(out, engine.ASGTagChange{Group: t.String("ResourceId"), Delete: del,
			Tag: model.ASGTag{Key: t.String("Key"), Value: t.String("Value"), PropagateAtLaunch: t.Bool("PropagateAtLaunch")}})
	}
	return out, nil
}

func createOrUpdateTags(c *api.Call) (map[string]any, error) {
	ch, err := tagChanges(c.In, false)
	if err != nil {
		return nil, err
	}
	return nil, c.Engine.TagAutoScalingGroups(ch)
}

func deleteTags(c *api.Call) (map[string]any, error) {
	ch, err := tagChanges(c.In, true)
	if err != nil {
		return nil, err
	}
	return nil, c.Engine.TagAutoScalingGroups(ch)
}

func describeTags(c *api.Call) (map[string]any, error) {
	type row struct {
		g *model.AutoScalingGroup
		t model.ASGTag
	}
	var rows []row
	c.Engine.Read(func(st *model.State) {
		for _, g := range st.AutoScalingGroups {
			for _, t := range g.Tags {
				rows = append(rows, row{g, t})
			}
		}
	})
	fs := api.FilterSet[row]{Attrs: map[string]func(row) []string{
		"auto-scaling-group": func(r row) []string { return []string{r.g.Name} },
		"key":                func(r row) []string { return []string{r.t.Key} },
		"value":              func(r row) []string { return []string{r.t.Value} },
		"propagate-at-launch": func(r row) []string {
			return api.Bool(r.t.PropagateAtLaunch)
		},
	}}
	var filters []api.Filter
	for _, f := range c.In.Structs("Filters") {
		values := f.Strings("Values")
		if f.String("Name") == "propagate-at-launch" {
			// A Boolean, read as Java reads one: "True" is true.
			for i, v := range values {
				values[i] = strings.ToLower(v)
			}
		}
		filters = append(filters, api.Filter{Name: f.String("Name"), Values: values})
	}
	rows, err := fs.Apply(rows, filters)
	if err != nil {
		return nil, validation("The filter is not valid: use auto-scaling-group, key, value or propagate-at-launch.")
	}
	key := func(r row) string { return r.g.Name + "\x00" + r.t.Key }
	rows, next, err := page(c.In, rows, key, 100)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = tagOut(r.g, r.t)
	}
	return map[string]any{"Tags": out, "NextToken": next}, nil
}

// lcBlockDevicesIn reads a launch configuration's BlockDeviceMappings.
func lcBlockDevicesIn(in awsproto.Params) []model.LCBlockDevice {
	var out []model.LCBlockDevice
	for _, b := range in.Structs("BlockDeviceMappings") {
		d := model.LCBlockDevice{DeviceName: b.String("DeviceName"), VirtualName: b.String("VirtualName"), NoDevice: b.Bool("NoDevice")}
		if e := b.Struct("Ebs"); e != nil {
			d.Ebs = &model.LCEbs{SnapshotID: e.String("SnapshotId"), VolumeType: e.String("VolumeType"),
				VolumeSize: e.OptInt("VolumeSize"), Iops: e.OptInt("Iops"), Throughput: e.OptInt("Throughput")}
			if e.Has("DeleteOnTermination") {
				v := e.Bool("DeleteOnTermination")
				d.Ebs.DeleteOnTermination = &v
			}
			if e.Has("Encrypted") {
				v := e.Bool("Encrypted")
				d.Ebs.Encrypted = &v
			}
		}
		out = append(out, d)
	}
	return out
}

// lcBlockDevicesOut renders a launch configuration's block device
// mappings, with only the parameters given.
func lcBlockDevicesOut(list []model.LCBlockDevice) []any {
	out := make([]any, len(list))
	for i, d := range list {
		m := map[string]any{"DeviceName": d.DeviceName, "VirtualName": api.Str(d.VirtualName)}
		if d.NoDevice {
			m["NoDevice"] = true
		}
		if e := d.Ebs; e != nil {
			m["Ebs"] = map[string]any{"SnapshotId": api.Str(e.SnapshotID), "VolumeType": api.Str(e.VolumeType), "VolumeSize": e.VolumeSize,
				"Iops": e.Iops, "Throughput": e.Throughput, "DeleteOnTermination": e.DeleteOnTermination, "Encrypted": e.Encrypted}
		}
		out[i] = m
	}
	return out
}
