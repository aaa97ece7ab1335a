package ecs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/api/sts"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// clusterCounts are a cluster's task and service counts, each split by
// launch type ([EC2, FARGATE, any other]): DescribeClusters' totals and its
// include=STATISTICS both read them.
type clusterCounts struct {
	running, pending, active, draining [3]int
}

// launchSlot is a launch type's index in clusterCounts.
func launchSlot(lt model.LaunchType) int {
	switch lt {
	case model.LaunchEC2:
		return 0
	case model.LaunchFargate:
		return 1
	}
	return 2
}

func countCluster(st *model.State, c *model.Cluster) clusterCounts {
	var n clusterCounts
	for _, tk := range st.Tasks {
		if tk.ClusterARN != c.ARN {
			continue
		}
		switch tk.LastStatus {
		case model.TaskRunning:
			n.running[launchSlot(tk.LaunchType)]++
		case model.TaskProvisioning, model.TaskPending, model.TaskActivating:
			n.pending[launchSlot(tk.LaunchType)]++
		}
	}
	for _, s := range st.Services {
		if s.ClusterARN != c.ARN {
			continue
		}
		switch s.Status {
		case "ACTIVE":
			n.active[launchSlot(s.LaunchType)]++
		case "DRAINING":
			n.draining[launchSlot(s.LaunchType)]++
		}
	}
	return n
}

func sum3(v [3]int) int { return v[0] + v[1] + v[2] }

func clusterOut(st *model.State, c *model.Cluster, in func(string) bool) map[string]any {
	instances := 0
	for _, ci := range st.ContainerInstances {
		if ci.ClusterARN == c.ARN && (ci.Status == "ACTIVE" || ci.Status == "DRAINING") {
			instances++
		}
	}
	n := countCluster(st, c)
	running, pending, services := sum3(n.running), sum3(n.pending), sum3(n.active)
	out := map[string]any{
		"clusterArn": c.ARN, "clusterName": c.Name, "status": c.Status,
		"registeredContainerInstancesCount": instances, "runningTasksCount": running, "pendingTasksCount": pending,
		"activeServicesCount": services, "statistics": []any{}, "capacityProviders": c.CapacityProviders,
		"defaultCapacityProviderStrategy": strategyOut(c.DefaultStrategy),
	}
	if c.CapacityProviders == nil {
		out["capacityProviders"] = []string{}
	}
	// Without include=TAGS ECS still answers "tags", empty
	// (aws/aws-sdk-go#2883: the HTTP body of DescribeClusters).
	out["tags"] = []any{}
	if in("TAGS") {
		out["tags"] = tagsOut(c.Tags)
	}
	if in("SETTINGS") {
		ci := c.ContainerInsights
		if ci == "" {
			ci = "disabled"
		}
		out["settings"] = []any{map[string]any{"name": "containerInsights", "value": ci}}
	}
	if in("CONFIGURATIONS") {
		clusterConfigOut(c, out)
	}
	if in("ATTACHMENTS") {
		clusterAttachmentsOut(st, c, attachmentsSettled, nil, out)
	}
	if in("STATISTICS") {
		out["statistics"] = clusterStatistics(n)
	}
	return out
}

// clusterStatistics is DescribeClusters' include=STATISTICS: the cluster's
// task and service counts split by launch type, under the names and in the
// order of the API model's Cluster.statistics, each value a string.
func clusterStatistics(n clusterCounts) []any {
	stat := func(name string, v int) any { return map[string]any{"name": name, "value": strconv.Itoa(v)} }
	return []any{
		stat("runningEC2TasksCount", n.running[0]), stat("runningFargateTasksCount", n.running[1]),
		stat("pendingEC2TasksCount", n.pending[0]), stat("pendingFargateTasksCount", n.pending[1]),
		stat("activeEC2ServiceCount", n.active[0]), stat("activeFargateServiceCount", n.active[1]),
		stat("drainingEC2ServiceCount", n.draining[0]), stat("drainingFargateServiceCount", n.draining[1]),
	}
}

func createCluster(c *api.Call) (map[string]any, error) {
	var insights string
	for _, s := range c.In.Structs("settings") {
		if s.String("name") != "containerInsights" {
			return nil, invalid("settings name should be one of [containerInsights]")
		}
		insights = s.String("value")
	}
	cfg := clusterConfigIn(c.In)
	cl, err := c.Engine.CreateCluster(engine.CreateClusterInput{
		Name: c.In.String("clusterName"), CapacityProviders: c.In.Strings("capacityProviders"),
		DefaultStrategy: strategyIn(c.In, "defaultCapacityProviderStrategy"), ContainerInsights: insights, Tags: tagsIn(c.In),
		ExecuteCommand: cfg.ExecuteCommand, ServiceConnectNamespace: c.In.Struct("serviceConnectDefaults").String("namespace"),
	})
	if err != nil {
		return nil, err
	}
	// A cluster ECS attaches resources to (the managed scaling policies
	// of its capacity providers...) is PROVISIONING until they are
	// created (awscli/examples/ecs/create-cluster.rst, example 2); ecsnet
	// creates them before the next read. Its statistics are an empty list,
	// as DescribeClusters' without include=STATISTICS (the same examples).
	return map[string]any{"cluster": c.View(func(st *model.State) map[string]any {
		out := clusterOut(st, cl, func(f string) bool { return f != "ATTACHMENTS" && f != "STATISTICS" })
		clusterAttachmentsOut(st, cl, attachmentsCreating, nil, out)
		if out["attachments"] != nil {
			out["status"] = "PROVISIONING"
		}
		return out
	})}, nil
}

func describeClusters(c *api.Call) (map[string]any, error) {
	refs := c.In.Strings("clusters")
	if len(refs) == 0 {
		refs = []string{"default"}
	}
	if len(refs) > 100 {
		return nil, invalid("clusters can have at most 100 items.")
	}
	clusters, failures := []any{}, []any{}
	c.Engine.Read(func(st *model.State) {
		for _, ref := range refs {
			arn := c.Engine.ClusterARN(ref)
			cl := st.Clusters[arn]
			if cl == nil {
				failures = append(failures, map[string]any{"arn": arn, "reason": "MISSING"})
				continue
			}
			clusters = append(clusters, clusterOut(st, cl, func(f string) bool { return includes(c.In, f) }))
		}
	})
	return map[string]any{"clusters": clusters, "failures": failures}, nil
}

func listClusters(c *api.Call) (map[string]any, error) {
	var arns []string
	// A deleted (INACTIVE) cluster stays listed, as it stays describable:
	// "Clusters with an INACTIVE status may remain discoverable in your
	// account for a period of time" (docs/aws-behavior.md).
	c.Engine.Read(func(st *model.State) {
		for arn := range st.Clusters {
			arns = append(arns, arn)
		}
	})
	return namesPage(c.In, "clusterArns", arns, 100, 100)
}

func deleteCluster(c *api.Call) (map[string]any, error) {
	cl, err := c.Engine.DeleteCluster(c.In.String("cluster"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"cluster": c.View(func(st *model.State) map[string]any { return clusterOut(st, cl, func(string) bool { return false }) })}, nil
}

// rootARN is the principal ecsnet acts as: the account's root user.
func rootARN(c *api.Call) string { return model.GlobalARN(c.Region, "iam", c.Account, "root") }

// callerPrincipal is the IAM principal of the request whose account
// settings apply: "" for the root user (the account default), the role of
// an assumed-role session (arn:aws:sts::A:assumed-role/R/S is
// arn:aws:iam::A:role/R), else the caller's ARN.
func callerPrincipal(c *api.Call) string {
	arn := sts.CallerARN(c)
	if strings.HasSuffix(arn, ":root") {
		return ""
	}
	if head, rest, ok := strings.Cut(arn, ":assumed-role/"); ok {
		role, _, _ := strings.Cut(rest, "/")
		partition, account, _ := strings.Cut(strings.TrimPrefix(head, "arn:"), ":sts::")
		return "arn:" + partition + ":iam::" + account + ":role/" + role
	}
	return arn
}

// settingPrincipal is the principal a setting request names
// (principalArn), else the caller; "" stands for the root user.
func settingPrincipal(c *api.Call) string {
	p := c.In.String("principalArn")
	if p == "" {
		p = callerPrincipal(c)
	}
	if p == rootARN(c) {
		return ""
	}
	return p
}

func putAccountSetting(isDefault bool) api.Handler {
	return func(c *api.Call) (map[string]any, error) {
		principal := settingPrincipal(c)
		if isDefault {
			principal = ""
		}
		s, err := c.Engine.PutAccountSetting(c.In.String("name"), c.In.String("value"), principal)
		if err != nil {
			return nil, err
		}
		p := s.PrincipalARN
		if p == "" {
			p = rootARN(c)
		}
		return map[string]any{"setting": map[string]any{"name": s.Name, "value": s.Value, "principalArn": p, "type": "user"}}, nil
	}
}

func listAccountSettings(c *api.Call) (map[string]any, error) {
	name, value := c.In.String("name"), c.In.String("value")
	principal := settingPrincipal(c)
	shownPrincipal := principal
	if principal == "" {
		shownPrincipal = rootARN(c)
	}
	names := engine.SettingNames()
	if name != "" {
		if !slices.Contains(names, name) {
			return nil, invalid("%s should be one of [%s]", name, strings.Join(names, ","))
		}
		names = []string{name}
	}
	type setting struct{ name, value, typ string }
	var items []setting
	c.Engine.Read(func(st *model.State) {
		for _, n := range names {
			explicit := st.AccountSettings[n]
			if principal != "" {
				explicit = st.AccountSettings[n+"|"+principal]
			}
			switch {
			case explicit != nil:
				items = append(items, setting{n, explicit.Value, "user"})
			case c.In.Bool("effectiveSettings"):
				items = append(items, setting{n, engine.AccountSetting(st, n, principal), defaultSettingType(n)})
			}
		}
	})
	if value != "" {
		items = slices.DeleteFunc(items, func(s setting) bool { return s.value != value })
	}
	// In the order of ECS's settings, a fixed list: a setting's place in
	// it is its key.
	key := func(s setting) string { return fmt.Sprintf("%03d", slices.Index(engine.SettingNames(), s.name)) }
	items, next, err := page(c.In, items, key, 10, 10)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, s := range items {
		out[i] = map[string]any{"name": s.name, "value": s.value, "principalArn": shownPrincipal, "type": s.typ}
	}
	return map[string]any{"settings": out, "nextToken": next}, nil
}

// defaultSettingType is the type of a setting nobody has set: ECS's model
// (Setting.type) names guardDutyActivate as the only setting AWS manages;
// the others are the user's, at their default.
func defaultSettingType(name string) string {
	if name == "guardDutyActivate" {
		return "aws_managed"
	}
	return "user"
}

func capacityProviderOut(cp *model.CapacityProvider, withTags bool) map[string]any {
	out := map[string]any{"capacityProviderArn": cp.ARN, "name": cp.Name, "status": cp.Status}
	if cp.IsFargate() {
		out["type"] = "FARGATE"
	} else if cp.ManagedInstances != nil {
		out["type"] = "MANAGED_INSTANCES"
		out["cluster"] = cp.ClusterARN[strings.LastIndexByte(cp.ClusterARN, '/')+1:]
		out["managedInstancesProvider"] = managedInstancesOut(cp.ManagedInstances)
		if cp.UpdateStatus != "" {
			out["updateStatus"] = cp.UpdateStatus
		}
	} else {
		scaling := "DISABLED"
		if cp.ManagedScaling {
			scaling = "ENABLED"
		}
		protection := "DISABLED"
		if cp.ManagedTerminationProtection {
			protection = "ENABLED"
		}
		draining := "ENABLED"
		if cp.ManagedDrainingDisabled {
			draining = "DISABLED"
		}
		minStep, maxStep := cp.MinimumScalingStepSize, cp.MaximumScalingStepSize
		if minStep == 0 {
			minStep = 1
		}
		if maxStep == 0 {
			maxStep = 10000
		}
		out["type"] = "EC2_AUTOSCALING"
		out["autoScalingGroupProvider"] = map[string]any{
			"autoScalingGroupArn": cp.AutoScalingGroupARN,
			"managedScaling": map[string]any{"status": scaling, "targetCapacity": cp.TargetCapacity, "minimumScalingStepSize": minStep,
				"maximumScalingStepSize": maxStep, "instanceWarmupPeriod": cp.InstanceWarmupPeriod},
			"managedTerminationProtection": protection, "managedDraining": draining,
		}
		if cp.UpdateStatus != "" {
			out["updateStatus"] = cp.UpdateStatus
		}
	}
	// Without include=TAGS ECS still answers "tags", empty, as for
	// clusters and tasks (the aws CLI's describe-capacity-providers
	// examples: a tagged provider shows "tags": [] until --include TAGS).
	out["tags"] = []any{}
	if withTags {
		out["tags"] = tagsOut(cp.Tags)
	}
	return out
}

// managedInstancesOut is a provider's managedInstancesProvider as ECS
// answers it.
func managedInstancesOut(mi *model.ManagedInstancesProvider) map[string]any {
	net := map[string]any{"subnets": api.Strs(mi.Subnets)}
	if len(mi.SecurityGroups) > 0 {
		net["securityGroups"] = api.Strs(mi.SecurityGroups)
	}
	lt := map[string]any{"ec2InstanceProfileArn": mi.InstanceProfileARN, "networkConfiguration": net}
	if mi.StorageGiB > 0 {
		lt["storageConfiguration"] = map[string]any{"storageSizeGiB": mi.StorageGiB}
	}
	if mi.Monitoring != "" {
		lt["monitoring"] = mi.Monitoring
	}
	if mi.CapacityOptionType != "" {
		lt["capacityOptionType"] = mi.CapacityOptionType
	}
	req := map[string]any{}
	if mi.VCPUMin > 0 || mi.VCPUMax > 0 {
		r := map[string]any{"min": mi.VCPUMin}
		if mi.VCPUMax > 0 {
			r["max"] = mi.VCPUMax
		}
		req["vCpuCount"] = r
	}
	if mi.MemoryMiBMin > 0 || mi.MemoryMiBMax > 0 {
		r := map[string]any{"min": mi.MemoryMiBMin}
		if mi.MemoryMiBMax > 0 {
			r["max"] = mi.MemoryMiBMax
		}
		req["memoryMiB"] = r
	}
	if len(mi.AllowedInstanceTypes) > 0 {
		req["allowedInstanceTypes"] = mi.AllowedInstanceTypes
	}
	if len(req) > 0 {
		lt["instanceRequirements"] = req
	}
	out := map[string]any{"infrastructureRoleArn": mi.InfrastructureRoleARN, "instanceLaunchTemplate": lt}
	if mi.PropagateTags != "" {
		out["propagateTags"] = mi.PropagateTags
	}
	if mi.ScaleInAfter != nil {
		out["infrastructureOptimization"] = map[string]any{"scaleInAfter": *mi.ScaleInAfter}
	}
	return out
}

// managedInstancesIn reads a managedInstancesProvider (create's or
// update's).
func managedInstancesIn(p awsproto.Params) *model.ManagedInstancesProvider {
	lt := p.Struct("instanceLaunchTemplate")
	net := lt.Struct("networkConfiguration")
	mi := &model.ManagedInstancesProvider{
		InfrastructureRoleARN: p.String("infrastructureRoleArn"), InstanceProfileARN: lt.String("ec2InstanceProfileArn"),
		PropagateTags: p.String("propagateTags"), Monitoring: lt.String("monitoring"), CapacityOptionType: lt.String("capacityOptionType"),
		StorageGiB: int(lt.Struct("storageConfiguration").Int("storageSizeGiB")),
	}
	for _, s := range net.Strings("subnets") {
		mi.Subnets = append(mi.Subnets, model.SubnetID(s))
	}
	for _, g := range net.Strings("securityGroups") {
		mi.SecurityGroups = append(mi.SecurityGroups, model.SecurityGroupID(g))
	}
	req := lt.Struct("instanceRequirements")
	mi.AllowedInstanceTypes = req.Strings("allowedInstanceTypes")
	mi.VCPUMin, mi.VCPUMax = int(req.Struct("vCpuCount").Int("min")), int(req.Struct("vCpuCount").Int("max"))
	mi.MemoryMiBMin, mi.MemoryMiBMax = int(req.Struct("memoryMiB").Int("min")), int(req.Struct("memoryMiB").Int("max"))
	mi.ScaleInAfter = p.Struct("infrastructureOptimization").OptInt("scaleInAfter")
	return mi
}

func createCapacityProvider(c *api.Call) (map[string]any, error) {
	if c.In.Has("managedInstancesProvider") {
		if c.In.Has("autoScalingGroupProvider") {
			return nil, invalid("Specify either an autoScalingGroupProvider or a managedInstancesProvider, not both.") // probable
		}
		cp, err := c.Engine.CreateCapacityProvider(engine.CreateCapacityProviderInput{
			Name: c.In.String("name"), Cluster: c.In.String("cluster"),
			ManagedInstances: managedInstancesIn(c.In.Struct("managedInstancesProvider")), Tags: tagsIn(c.In),
		})
		if err != nil {
			return nil, err
		}
		return map[string]any{"capacityProvider": capacityProviderOut(cp, true)}, nil
	}
	asg := c.In.Struct("autoScalingGroupProvider")
	if asg == nil {
		return nil, invalid("Either autoScalingGroupProvider or managedInstancesProvider must be provided.") // probable
	}
	ms := asg.Struct("managedScaling")
	cp, err := c.Engine.CreateCapacityProvider(engine.CreateCapacityProviderInput{
		Name: c.In.String("name"), AutoScalingGroupARN: asg.String("autoScalingGroupArn"),
		ManagedScaling: ms.String("status") == "ENABLED", TargetCapacity: int(ms.Int("targetCapacity")),
		Scaling:                      scalingStepsIn(ms),
		ManagedTerminationProtection: asg.String("managedTerminationProtection") == "ENABLED",
		ManagedDraining:              asg.String("managedDraining"), Tags: tagsIn(c.In),
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"capacityProvider": capacityProviderOut(cp, true)}, nil
}

// scalingStepsIn reads a managedScaling's step sizes and warm-up period.
func scalingStepsIn(ms awsproto.Params) engine.ScalingSteps {
	var out engine.ScalingSteps
	opt := func(name string) *int {
		if !ms.Has(name) {
			return nil
		}
		v := int(ms.Int(name))
		return &v
	}
	if ms != nil {
		out.Min, out.Max, out.Warmup = opt("minimumScalingStepSize"), opt("maximumScalingStepSize"), opt("instanceWarmupPeriod")
	}
	return out
}

func updateCapacityProvider(c *api.Call) (map[string]any, error) {
	if c.In.Has("managedInstancesProvider") {
		cp, err := c.Engine.UpdateCapacityProvider(engine.UpdateCapacityProviderInput{Name: c.In.String("name"), Cluster: c.In.String("cluster"),
			ManagedInstances: managedInstancesIn(c.In.Struct("managedInstancesProvider"))})
		if err != nil {
			return nil, err
		}
		return map[string]any{"capacityProvider": capacityProviderOut(cp, false)}, nil
	}
	asg := c.In.Struct("autoScalingGroupProvider")
	if asg == nil {
		return nil, invalid("autoScalingGroupProvider must be provided.") // probable
	}
	in := engine.UpdateCapacityProviderInput{Name: c.In.String("name"), ManagedDraining: asg.String("managedDraining")}
	if ms := asg.Struct("managedScaling"); ms != nil {
		if ms.Has("status") {
			on := ms.String("status") == "ENABLED"
			in.ManagedScaling = &on
		}
		if ms.Has("targetCapacity") {
			v := int(ms.Int("targetCapacity"))
			in.TargetCapacity = &v
		}
		in.Scaling = scalingStepsIn(ms)
	}
	if asg.Has("managedTerminationProtection") {
		on := asg.String("managedTerminationProtection") == "ENABLED"
		in.ManagedTerminationProtection = &on
	}
	cp, err := c.Engine.UpdateCapacityProvider(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"capacityProvider": capacityProviderOut(cp, false)}, nil
}

func deleteCapacityProvider(c *api.Call) (map[string]any, error) {
	cp, err := c.Engine.DeleteCapacityProvider(c.In.String("capacityProvider"))
	if err != nil {
		return nil, err
	}
	// ECS answers the provider ACTIVE, DELETE_IN_PROGRESS (the aws CLI's
	// delete-capacity-provider example).
	return map[string]any{"capacityProvider": capacityProviderOut(cp, false)}, nil
}

func describeCapacityProviders(c *api.Call) (map[string]any, error) {
	var items []*model.CapacityProvider
	var failures []any
	var err error
	fargate := func(n string) *model.CapacityProvider {
		return &model.CapacityProvider{Name: n, Status: "ACTIVE", ARN: model.ARN(c.Region, "ecs", c.Account, "capacity-provider/"+n)}
	}
	// asked is each provider's place in the request's list, when it
	// names them: the answer keeps that order, as DescribeClusters and
	// ECS's other Describe operations do [probable].
	asked := map[*model.CapacityProvider]int{}
	c.Engine.Read(func(st *model.State) {
		if want := c.In.Strings("capacityProviders"); len(want) > 0 {
			for i, w := range want {
				switch {
				case w == "FARGATE" || w == "FARGATE_SPOT":
					items = append(items, fargate(w))
					asked[items[len(items)-1]] = i
				default:
					arn := w
					if !strings.HasPrefix(w, "arn:") {
						arn = model.ARN(c.Region, "ecs", c.Account, "capacity-provider/"+w)
					}
					if cp := st.CapacityProviders[arn]; cp != nil {
						items = append(items, cp)
						if _, twice := asked[cp]; !twice {
							asked[cp] = i
						}
					} else {
						failures = append(failures, map[string]any{"arn": arn, "reason": "MISSING"})
					}
				}
			}
		} else {
			// FARGATE and FARGATE_SPOT first, then the account's own by
			// name: one order for every call, so that a nextToken finds
			// its page (the state's map has none of its own).
			var own []*model.CapacityProvider
			for _, cp := range st.CapacityProviders {
				if cp.Status == "ACTIVE" {
					own = append(own, cp)
				}
			}
			items = append(items, fargate("FARGATE"), fargate("FARGATE_SPOT"))
			items = append(items, api.SortBy(own, func(cp *model.CapacityProvider) string { return cp.Name })...)
		}
		if c.In.Has("cluster") {
			err = ofCluster(c, st, &items)
		}
	})
	if err != nil {
		return nil, err
	}
	// The order asked, else FARGATE and FARGATE_SPOT first, then the
	// others by name.
	key := func(cp *model.CapacityProvider) string {
		if i, ok := asked[cp]; ok {
			return fmt.Sprintf("%06d", i)
		}
		switch cp.Name {
		case "FARGATE":
			return "0"
		case "FARGATE_SPOT":
			return "1"
		}
		return "2" + cp.Name
	}
	items, next, err := page(c.In, items, key, 10, 10)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, cp := range items {
		out[i] = capacityProviderOut(cp, includes(c.In, "TAGS"))
	}
	if failures == nil {
		failures = []any{}
	}
	return map[string]any{"capacityProviders": out, "failures": failures, "nextToken": next}, nil
}

// ofCluster keeps the providers associated with the request's cluster:
// those of its list and its Managed Instances providers (API reference,
// DescribeCapacityProviders cluster).
func ofCluster(c *api.Call, st *model.State, items *[]*model.CapacityProvider) error {
	cl, err := activeCluster(c, st)
	if err != nil {
		return err
	}
	*items = slices.DeleteFunc(*items, func(cp *model.CapacityProvider) bool {
		return !slices.Contains(cl.CapacityProviders, cp.Name) && cp.ClusterARN != cl.ARN
	})
	return nil
}

func putClusterCapacityProviders(c *api.Call) (map[string]any, error) {
	var before []string
	c.Engine.Read(func(st *model.State) {
		if cl := st.Clusters[c.Engine.ClusterARN(c.In.String("cluster"))]; cl != nil {
			before = cl.CapacityProviders
		}
	})
	cl, err := c.Engine.PutClusterCapacityProviders(c.In.String("cluster"), c.In.Strings("capacityProviders"), strategyIn(c.In, "defaultCapacityProviderStrategy"))
	if err != nil {
		return nil, err
	}
	// The answer holds the cluster's settings, as UpdateCluster's does
	// (awscli/examples/ecs/put-cluster-capacity-providers.rst), and its
	// attachments being updated: the providers' ACTIVE, those of the
	// providers taken off DELETING.
	return map[string]any{"cluster": c.View(func(st *model.State) map[string]any {
		out := clusterOut(st, cl, func(f string) bool { return f == "SETTINGS" })
		clusterAttachmentsOut(st, cl, attachmentsUpdating, before, out)
		return out
	})}, nil
}

func tagResource(c *api.Call) (map[string]any, error) {
	tags := tagsIn(c.In)
	for k := range tags {
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return nil, invalid("Tag keys beginning with 'aws:' are reserved.")
		}
	}
	return map[string]any{}, c.Engine.TagECSResource(c.In.String("resourceArn"), engine.TagChange{Add: tags})
}

func untagResource(c *api.Call) (map[string]any, error) {
	rm := map[string]*string{}
	for _, k := range c.In.Strings("tagKeys") {
		rm[k] = nil
	}
	return map[string]any{}, c.Engine.TagECSResource(c.In.String("resourceArn"), engine.TagChange{Remove: rm})
}

func listTagsForResource(c *api.Call) (map[string]any, error) {
	var tags model.Tags
	var err error
	c.Engine.Read(func(st *model.State) { tags, err = engine.ECSResourceTags(st, c.In.String("resourceArn")) })
	if err != nil {
		return nil, err
	}
	return map[string]any{"tags": tagsOut(tags)}, nil
}
