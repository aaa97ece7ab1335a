// Package codedeploy serves AWS CodeDeploy (JSON 1.1) for Amazon ECS
// blue/green deployments: applications, deployment groups, the predefined
// ECS deployment configurations, deployments of an ECS AppSpec (the
// engine's task sets and listeners) and tags.
package codedeploy

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the CodeDeploy handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("codedeploy", op, h) }
	add("CreateApplication", createApplication)
	add("GetApplication", getApplication)
	add("BatchGetApplications", batchGetApplications)
	add("ListApplications", listApplications)
	add("UpdateApplication", updateApplication)
	add("DeleteApplication", deleteApplication)
	add("CreateDeploymentGroup", createDeploymentGroup)
	add("GetDeploymentGroup", getDeploymentGroup)
	add("BatchGetDeploymentGroups", batchGetDeploymentGroups)
	add("ListDeploymentGroups", listDeploymentGroups)
	add("UpdateDeploymentGroup", updateDeploymentGroup)
	add("DeleteDeploymentGroup", deleteDeploymentGroup)
	add("GetDeploymentConfig", getDeploymentConfig)
	add("ListDeploymentConfigs", listDeploymentConfigs)
	add("CreateDeployment", createDeployment)
	add("GetDeployment", getDeployment)
	add("BatchGetDeployments", batchGetDeployments)
	add("ListDeployments", listDeployments)
	add("StopDeployment", stopDeployment)
	add("ContinueDeployment", continueDeployment)
	add("PutLifecycleEventHookExecutionStatus", putLifecycleEventHookExecutionStatus)
	add("ListDeploymentTargets", listDeploymentTargets)
	add("GetDeploymentTarget", getDeploymentTarget)
	add("BatchGetDeploymentTargets", batchGetDeploymentTargets)
	add("CreateDeploymentConfig", createDeploymentConfig)
	add("DeleteDeploymentConfig", deleteDeploymentConfig)
	add("RegisterApplicationRevision", registerApplicationRevision)
	add("GetApplicationRevision", getApplicationRevision)
	add("ListApplicationRevisions", listApplicationRevisions)
	add("BatchGetApplicationRevisions", batchGetApplicationRevisions)
	add("TagResource", tagResource)
	add("UntagResource", untagResource)
	add("ListTagsForResource", listTagsForResource)
}

func tags(list []awsproto.Params) model.Tags { return api.KeyValues(list, "Key", "Value") }

func createApplication(c *api.Call) (map[string]any, error) {
	a, err := c.Engine.CreateCodeDeployApp(c.In.String("applicationName"), c.In.String("computePlatform"), tags(c.In.Structs("tags")))
	if err != nil {
		return nil, err
	}
	return map[string]any{"applicationId": a.ID}, nil
}

func appInfo(a *model.CodeDeployApp) map[string]any {
	return map[string]any{"applicationId": a.ID, "applicationName": a.Name, "createTime": a.Created,
		"linkedToGitHub": false, "computePlatform": a.ComputePlatform}
}

func getApplication(c *api.Call) (map[string]any, error) {
	name := c.In.String("applicationName")
	var out map[string]any
	c.Engine.Read(func(st *model.State) {
		if a := st.CodeDeployApps[name]; a != nil {
			out = appInfo(a)
		}
	})
	if out == nil {
		return nil, noApp(name)
	}
	return map[string]any{"application": out}, nil
}

func noApp(name string) error {
	return apierr.Newf("ApplicationDoesNotExistException", "No application found for name: %s", name)
}

func batchGetApplications(c *api.Call) (map[string]any, error) {
	names := c.In.Strings("applicationNames")
	if len(names) > 100 {
		return nil, apierr.New("BatchLimitExceededException", "The maximum number of names or IDs allowed for this request (100) was exceeded.") // probable
	}
	var list []any
	var missing string
	c.Engine.Read(func(st *model.State) {
		for _, n := range names {
			a := st.CodeDeployApps[n]
			if a == nil {
				missing = n
				return
			}
			list = append(list, appInfo(a))
		}
	})
	if missing != "" {
		return nil, noApp(missing)
	}
	return map[string]any{"applicationsInfo": list}, nil
}

func listApplications(c *api.Call) (map[string]any, error) {
	var names []string
	c.Engine.Read(func(st *model.State) {
		for n := range st.CodeDeployApps {
			names = append(names, n)
		}
	})
	sort.Strings(names)
	return page(c, "applications", names)
}

// page answers names a page of 100 at a time.
func page(c *api.Call, member string, names []string) (map[string]any, error) {
	pg, next, ok := api.Paginate(names, func(s string) string { return s }, c.In.String("nextToken"), 100)
	if !ok {
		return nil, apierr.New("InvalidNextTokenException", "The next token was specified in an invalid format.") // probable
	}
	out := map[string]any{member: pg}
	if pg == nil {
		out[member] = []string{}
	}
	if next != "" {
		out["nextToken"] = next
	}
	return out, nil
}

func updateApplication(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.RenameCodeDeployApp(c.In.String("applicationName"), c.In.String("newApplicationName"))
}

func deleteApplication(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteCodeDeployApp(c.In.String("applicationName"))
}

// groupInput reads the members CreateDeploymentGroup and
// UpdateDeploymentGroup share.
func groupInput(c *api.Call, name string) (engine.CodeDeployGroupInput, error) {
	in := c.In
	g := engine.CodeDeployGroupInput{App: in.String("applicationName"), Name: name, ConfigName: in.String("deploymentConfigName"),
		ServiceRoleARN: in.String("serviceRoleArn"), Config: map[string]any{}, TerminationHook: in.OptBool("terminationHookEnabled")}
	ds := in.Struct("deploymentStyle")
	g.DeploymentType, g.Option = ds.String("deploymentType"), ds.String("deploymentOption")
	if in.Has("ecsServices") {
		g.ECSServices = []model.CodeDeployECSService{}
		for _, s := range in.Structs("ecsServices") {
			g.ECSServices = append(g.ECSServices, model.CodeDeployECSService{Cluster: s.String("clusterName"), Service: s.String("serviceName")})
		}
	}
	if in.Has("loadBalancerInfo") {
		g.LoadBalancerGiven = true
		for _, p := range in.Struct("loadBalancerInfo").Structs("targetGroupPairInfoList") {
			var pair model.CodeDeployTargetGroupPair
			for _, tg := range p.Structs("targetGroups") {
				pair.TargetGroups = append(pair.TargetGroups, tg.String("name"))
			}
			pair.ProdListeners = p.Struct("prodTrafficRoute").Strings("listenerArns")
			pair.TestListeners = p.Struct("testTrafficRoute").Strings("listenerArns")
			g.TargetGroupPairs = append(g.TargetGroupPairs, pair)
		}
		g.Config["loadBalancerInfo"] = in["loadBalancerInfo"]
	}
	if in.Has("blueGreenDeploymentConfiguration") {
		bg := in.Struct("blueGreenDeploymentConfiguration")
		if w := bg.Struct("terminateBlueInstancesOnDeploymentSuccess").OptInt("terminationWaitTimeInMinutes"); w != nil {
			g.TerminationWaitMinutes = w
		}
	}
	for _, m := range []string{"blueGreenDeploymentConfiguration", "alarmConfiguration", "autoRollbackConfiguration",
		"triggerConfigurations", "ec2TagFilters", "onPremisesInstanceTagFilters", "autoScalingGroups", "ec2TagSet",
		"onPremisesTagSet", "outdatedInstancesStrategy"} {
		if v, ok := in.Lookup(m); ok {
			g.Config[m] = v
		}
	}
	iam, err := c.IAM()
	if err != nil {
		return g, err
	}
	// The role is looked up now: the engine calls RoleKnown under its
	// write lock, and IAM may live in the same engine.
	arn := g.ServiceRoleARN
	known := false
	if i := strings.Index(arn, ":role/"); i >= 0 {
		name := arn[strings.LastIndexByte(arn, '/')+1:]
		iam.Read(func(st *model.State) { known = st.Roles[name] != nil })
	}
	g.RoleKnown = func(string) bool { return known }
	return g, nil
}

func createDeploymentGroup(c *api.Call) (map[string]any, error) {
	in, err := groupInput(c, c.In.String("deploymentGroupName"))
	if err != nil {
		return nil, err
	}
	in.Tags = tags(c.In.Structs("tags"))
	g, err := c.Engine.CreateCodeDeployGroup(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"deploymentGroupId": g.ID}, nil
}

func updateDeploymentGroup(c *api.Call) (map[string]any, error) {
	in, err := groupInput(c, c.In.String("currentDeploymentGroupName"))
	if err != nil {
		return nil, err
	}
	in.NewName = c.In.String("newDeploymentGroupName")
	if _, err := c.Engine.UpdateCodeDeployGroup(in); err != nil {
		return nil, err
	}
	return map[string]any{"hooksNotCleanedUp": []any{}}, nil
}

func deleteDeploymentGroup(c *api.Call) (map[string]any, error) {
	if err := c.Engine.DeleteCodeDeployGroup(c.In.String("applicationName"), c.In.String("deploymentGroupName")); err != nil {
		return nil, err
	}
	return map[string]any{"hooksNotCleanedUp": []any{}}, nil
}

// raw returns a member kept as the client gave it (read back from the
// store through JSON) with the types of shape.
func raw(c *api.Call, shape string, v any) any { return api.Coerce(c.Op.Service.Shape(shape), v) }

func groupInfo(c *api.Call, st *model.State, g *model.CodeDeployGroup) map[string]any {
	info := c.Op.Service.Shape("DeploymentGroupInfo")
	platform := ""
	if a := st.CodeDeployApps[g.App]; a != nil {
		platform = a.ComputePlatform
	}
	out := map[string]any{"applicationName": g.App, "deploymentGroupId": g.ID, "deploymentGroupName": g.Name,
		"deploymentConfigName": g.ConfigName, "serviceRoleArn": g.ServiceRoleARN, "computePlatform": platform,
		"deploymentStyle":        map[string]any{"deploymentType": g.DeploymentType, "deploymentOption": g.Option},
		"terminationHookEnabled": g.TerminationHook,
		"ec2TagFilters":          []any{}, "onPremisesInstanceTagFilters": []any{}, "autoScalingGroups": []any{},
		"triggerConfigurations": []any{}, "outdatedInstancesStrategy": "UPDATE",
		"alarmConfiguration":        map[string]any{"enabled": false, "ignorePollAlarmFailure": false, "alarms": []any{}},
		"autoRollbackConfiguration": map[string]any{"enabled": false, "events": []any{}},
	}
	for k, v := range g.Config {
		if m := info.MemberByName(k); m != nil {
			out[k] = api.Coerce(m.Shape, v)
		}
	}
	if platform == "ECS" {
		bg, _ := out["blueGreenDeploymentConfiguration"].(map[string]any)
		nbg := map[string]any{}
		for k, v := range bg {
			nbg[k] = v
		}
		nbg["terminateBlueInstancesOnDeploymentSuccess"] = map[string]any{"action": "TERMINATE", "terminationWaitTimeInMinutes": g.TerminationWaitMinutes}
		if _, ok := nbg["deploymentReadyOption"]; !ok {
			nbg["deploymentReadyOption"] = map[string]any{"actionOnTimeout": "CONTINUE_DEPLOYMENT", "waitTimeInMinutes": 0}
		}
		out["blueGreenDeploymentConfiguration"] = nbg
	}
	var svcs []any
	for _, s := range g.ECSServices {
		svcs = append(svcs, map[string]any{"clusterName": s.Cluster, "serviceName": s.Service})
	}
	out["ecsServices"] = svcs
	for _, id := range []struct{ member, id string }{{"lastSuccessfulDeployment", g.LastSuccessful}, {"lastAttemptedDeployment", g.LastAttempted}} {
		if d := st.CodeDeployments[id.id]; d != nil {
			info := map[string]any{"deploymentId": d.ID, "status": d.Status, "createTime": d.Created}
			if !d.Completed.IsZero() {
				info["endTime"] = d.Completed
			}
			out[id.member] = info
		}
	}
	if d := st.CodeDeployments[g.LastAttempted]; d != nil {
		out["targetRevision"] = raw(c, "RevisionLocation", d.Revision)
	}
	return out
}

func noGroup(name string) error {
	return apierr.Newf("DeploymentGroupDoesNotExistException", "No Deployment Group found for name: %s", name) // probable
}

func getDeploymentGroup(c *api.Call) (map[string]any, error) {
	app, name := c.In.String("applicationName"), c.In.String("deploymentGroupName")
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		switch g := st.CodeDeployGroups[model.CodeDeployGroupKey(app, name)]; {
		case st.CodeDeployApps[app] == nil:
			err = noApp(app)
		case g == nil:
			err = noGroup(name)
		default:
			out = groupInfo(c, st, g)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"deploymentGroupInfo": out}, nil
}

func batchGetDeploymentGroups(c *api.Call) (map[string]any, error) {
	app := c.In.String("applicationName")
	var list []any
	var err error
	var missing []string
	c.Engine.Read(func(st *model.State) {
		if st.CodeDeployApps[app] == nil {
			err = noApp(app)
			return
		}
		for _, n := range c.In.Strings("deploymentGroupNames") {
			if g := st.CodeDeployGroups[model.CodeDeployGroupKey(app, n)]; g != nil {
				list = append(list, groupInfo(c, st, g))
			} else {
				missing = append(missing, n)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"deploymentGroupsInfo": list}
	if len(missing) > 0 {
		out["errorMessage"] = "Deployment groups not found: " + strings.Join(missing, ", ") // probable
	}
	return out, nil
}

func listDeploymentGroups(c *api.Call) (map[string]any, error) {
	app := c.In.String("applicationName")
	var names []string
	known := false
	c.Engine.Read(func(st *model.State) {
		known = st.CodeDeployApps[app] != nil
		for _, g := range st.CodeDeployGroups {
			if g.App == app {
				names = append(names, g.Name)
			}
		}
	})
	if !known {
		return nil, noApp(app)
	}
	sort.Strings(names)
	out, err := page(c, "deploymentGroups", names)
	if err != nil {
		return nil, err
	}
	out["applicationName"] = app
	return out, nil
}

func configInfo(cfg engine.CodeDeployConfig) map[string]any {
	out := map[string]any{"deploymentConfigName": cfg.Name, "computePlatform": cfg.ComputePlatform,
		"deploymentConfigId": cfg.ID}
	if cfg.ID == "" {
		out["deploymentConfigId"] = cfg.Name
	}
	if !cfg.Created.IsZero() {
		out["createTime"] = cfg.Created
	}
	if cfg.MinimumHealthyHosts != nil {
		out["minimumHealthyHosts"] = cfg.MinimumHealthyHosts
	}
	switch cfg.Type {
	case "AllAtOnce":
		out["trafficRoutingConfig"] = map[string]any{"type": "AllAtOnce"}
	case "TimeBasedCanary":
		out["trafficRoutingConfig"] = map[string]any{"type": cfg.Type, "timeBasedCanary": map[string]any{
			"canaryPercentage": cfg.Percentage, "canaryInterval": cfg.IntervalMinutes}}
	case "TimeBasedLinear":
		out["trafficRoutingConfig"] = map[string]any{"type": cfg.Type, "timeBasedLinear": map[string]any{
			"linearPercentage": cfg.Percentage, "linearInterval": cfg.IntervalMinutes}}
	}
	return out
}

func getDeploymentConfig(c *api.Call) (map[string]any, error) {
	name := c.In.String("deploymentConfigName")
	var cfg engine.CodeDeployConfig
	ok := false
	c.Engine.Read(func(st *model.State) { cfg, ok = engine.CodeDeployConfigIn(st, name) })
	if !ok {
		return nil, apierr.Newf("DeploymentConfigDoesNotExistException", "No deployment configuration found for name: %s", name) // probable
	}
	return map[string]any{"deploymentConfigInfo": configInfo(cfg)}, nil
}

func listDeploymentConfigs(c *api.Call) (map[string]any, error) {
	var names []string
	for _, cfg := range engine.CodeDeployConfigs() {
		names = append(names, cfg.Name)
	}
	c.Engine.Read(func(st *model.State) {
		for n := range st.CodeDeployConfigs {
			names = append(names, n)
		}
	})
	sort.Strings(names)
	return page(c, "deploymentConfigsList", names)
}

// appSpec reads the ECS AppSpec of a revision (AppSpecContent or String,
// YAML or JSON): its first resource's TaskDefinition and LoadBalancerInfo.
func appSpec(rev awsproto.Params) (string, *engine.CodeDeployAppSpec, error) {
	var text string
	switch rev.String("revisionType") {
	case "AppSpecContent":
		text = rev.Struct("appSpecContent").String("content")
	case "String":
		text = rev.Struct("string").String("content")
	default:
		return "", nil, nil
	}
	bad := func(format string, args ...any) error {
		return apierr.Newf("InvalidRevisionException", format, args...) // probable
	}
	var doc struct {
		Hooks     []map[string]string `yaml:"Hooks"`
		Resources []map[string]struct {
			Type       string `yaml:"Type"`
			Properties struct {
				TaskDefinition   string `yaml:"TaskDefinition"`
				PlatformVersion  string `yaml:"PlatformVersion"`
				LoadBalancerInfo struct {
					ContainerName string `yaml:"ContainerName"`
					ContainerPort any    `yaml:"ContainerPort"`
				} `yaml:"LoadBalancerInfo"`
				NetworkConfiguration *struct {
					AwsvpcConfiguration struct {
						Subnets        []string `yaml:"Subnets"`
						SecurityGroups []string `yaml:"SecurityGroups"`
						AssignPublicIP string   `yaml:"AssignPublicIp"`
					} `yaml:"AwsvpcConfiguration"`
				} `yaml:"NetworkConfiguration"`
				CapacityProviderStrategy []struct {
					CapacityProvider string `yaml:"CapacityProvider"`
					Weight           int    `yaml:"Weight"`
					Base             int    `yaml:"Base"`
				} `yaml:"CapacityProviderStrategy"`
			} `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		return text, nil, bad("The AppSpec file is not valid YAML or JSON: %v", err)
	}
	if len(doc.Resources) != 1 || len(doc.Resources[0]) != 1 {
		return text, nil, bad("The AppSpec file must have exactly one resource of type AWS::ECS::Service")
	}
	for _, r := range doc.Resources[0] {
		if r.Type != "AWS::ECS::Service" {
			return text, nil, bad("The AppSpec file's resource type must be AWS::ECS::Service")
		}
		p := r.Properties
		if p.TaskDefinition == "" {
			return text, nil, bad("The AppSpec file's TaskDefinition is required")
		}
		port, err := strconv.ParseUint(fmt.Sprint(p.LoadBalancerInfo.ContainerPort), 10, 16)
		if p.LoadBalancerInfo.ContainerName == "" || err != nil {
			return text, nil, bad("The AppSpec file's LoadBalancerInfo needs a ContainerName and a ContainerPort")
		}
		spec := &engine.CodeDeployAppSpec{TaskDefinition: p.TaskDefinition, PlatformVersion: p.PlatformVersion,
			ContainerName: p.LoadBalancerInfo.ContainerName, ContainerPort: uint16(port), Hooks: map[string]string{}}
		for _, h := range doc.Hooks {
			for event, fn := range h {
				if !engine.CodeDeployHookEvent(event) {
					return text, nil, bad("The AppSpec file's hook %s is not a lifecycle event of an ECS deployment", event)
				}
				spec.Hooks[event] = fn
			}
		}
		// The AppSpec's network and capacity provider strategy, when
		// given, replace the original task set's for the replacement.
		if n := p.NetworkConfiguration; n != nil {
			a := n.AwsvpcConfiguration
			net := &model.AwsVpcConfiguration{AssignPublicIP: strings.EqualFold(a.AssignPublicIP, "ENABLED")}
			for _, id := range a.Subnets {
				net.Subnets = append(net.Subnets, model.SubnetID(id))
			}
			for _, id := range a.SecurityGroups {
				net.SecurityGroups = append(net.SecurityGroups, model.SecurityGroupID(id))
			}
			spec.Network = net
		}
		for _, c := range p.CapacityProviderStrategy {
			spec.CapacityProviderStrategy = append(spec.CapacityProviderStrategy,
				model.CapacityProviderStrategyItem{CapacityProvider: c.CapacityProvider, Weight: c.Weight, Base: c.Base})
		}
		return text, spec, nil
	}
	return text, nil, nil
}

func createDeployment(c *api.Call) (map[string]any, error) {
	in := engine.CreateCodeDeploymentInput{App: c.In.String("applicationName"), Group: c.In.String("deploymentGroupName"),
		ConfigName: c.In.String("deploymentConfigName"), Description: c.In.String("description")}
	if v, ok := c.In.Lookup("overrideAlarmConfiguration"); ok {
		in.AlarmConfig, _ = v.(map[string]any)
	}
	if m := revisionIn(c); m != nil {
		in.Revision = m
		in.AppSpecText, in.AppSpec, in.AppSpecErr = appSpec(c.In.Struct("revision"))
	}
	d, err := c.Engine.CreateCodeDeployment(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"deploymentId": d.ID}, nil
}

// revisionIn is the request's revision as the client gave it (GetDeployment
// echoes it; its JSON is its identity among an application's revisions).
func revisionIn(c *api.Call) map[string]any {
	rev, ok := c.In.Lookup("revision")
	if !ok {
		return nil
	}
	m, _ := rev.(map[string]any)
	if m == nil {
		b, _ := json.Marshal(rev)
		_ = json.Unmarshal(b, &m)
	}
	return m
}

func deploymentInfo(c *api.Call, d *model.CodeDeployment) map[string]any {
	out := map[string]any{"applicationName": d.App, "deploymentGroupName": d.Group, "deploymentConfigName": d.ConfigName,
		"deploymentId": d.ID, "status": d.Status, "createTime": d.Created, "creator": d.Creator, "computePlatform": d.ComputePlatform,
		"revision": raw(c, "RevisionLocation", d.Revision), "deploymentStyle": map[string]any{"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
		"instanceTerminationWaitTimeStarted": !d.TerminateAt.IsZero() || d.Status == "Succeeded",
		"deploymentStatusMessages":           []any{},
		"deploymentOverview":                 deploymentOverview(d),
	}
	if d.RollbackDeploymentID != "" || d.RollbackOf != "" {
		ri := map[string]any{"rollbackMessage": d.RollbackMessage}
		if d.RollbackDeploymentID != "" {
			ri["rollbackDeploymentId"] = d.RollbackDeploymentID
		}
		if d.RollbackOf != "" {
			ri["rollbackTriggeringDeploymentId"] = d.RollbackOf
		}
		out["rollbackInfo"] = ri
	}
	if d.Creator == "autoRollback" {
		out["creator"] = "autoRollback"
	}
	if d.ComputePlatform != "ECS" {
		out["deploymentStyle"] = map[string]any{"deploymentType": "IN_PLACE", "deploymentOption": "WITHOUT_TRAFFIC_CONTROL"}
		delete(out, "deploymentOverview")
	}
	if d.Description != "" {
		out["description"] = d.Description
	}
	if !d.Started.IsZero() {
		out["startTime"] = d.Started
	}
	if !d.Completed.IsZero() {
		out["completeTime"] = d.Completed
	}
	if d.ErrorCode != "" {
		out["errorInformation"] = map[string]any{"code": d.ErrorCode, "message": d.ErrorMessage}
	}
	if d.AlarmConfig != nil {
		out["overrideAlarmConfiguration"] = raw(c, "AlarmConfiguration", d.AlarmConfig)
	}
	return out
}

func noDeployment(id string) error {
	return apierr.Newf("DeploymentDoesNotExistException", "Deployment %s does not exist", id) // probable
}

func getDeployment(c *api.Call) (map[string]any, error) {
	id := c.In.String("deploymentId")
	var out map[string]any
	c.Engine.Read(func(st *model.State) {
		if d := st.CodeDeployments[id]; d != nil {
			out = deploymentInfo(c, d)
		}
	})
	if out == nil {
		return nil, noDeployment(id)
	}
	return map[string]any{"deploymentInfo": out}, nil
}

func batchGetDeployments(c *api.Call) (map[string]any, error) {
	var list []any
	c.Engine.Read(func(st *model.State) {
		for _, id := range c.In.Strings("deploymentIds") {
			if d := st.CodeDeployments[id]; d != nil {
				list = append(list, deploymentInfo(c, d))
			}
		}
	})
	return map[string]any{"deploymentsInfo": list}, nil
}

func listDeployments(c *api.Call) (map[string]any, error) {
	app, group := c.In.String("applicationName"), c.In.String("deploymentGroupName")
	statuses := c.In.Strings("includeOnlyStatuses")
	// An application and a deployment group are given together or not
	// at all (ListDeployments' reference).
	switch {
	case app != "" && group == "":
		return nil, apierr.New("DeploymentGroupNameRequiredException", "Deployment Group name is required") // probable
	case group != "" && app == "":
		return nil, apierr.New("ApplicationNameRequiredException", "Application name is required") // probable
	}
	var ids []string
	var err error
	c.Engine.Read(func(st *model.State) {
		if app != "" && st.CodeDeployApps[app] == nil {
			err = noApp(app)
			return
		}
		if group != "" && st.CodeDeployGroups[model.CodeDeployGroupKey(app, group)] == nil {
			err = noGroup(group)
			return
		}
		for _, d := range st.CodeDeployments {
			if (app == "" || d.App == app) && (group == "" || d.Group == group) && (len(statuses) == 0 || slices.Contains(statuses, d.Status)) {
				ids = append(ids, d.ID)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(ids)
	return page(c, "deployments", ids)
}

func stopDeployment(c *api.Call) (map[string]any, error) {
	d, err := c.Engine.StopCodeDeployment(c.In.String("deploymentId"), c.In.Bool("autoRollbackEnabled"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"status": "Succeeded", "statusMessage": "Deployment " + d.ID + " stopped"}, nil
}

func tagResource(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.TagCodeDeploy(c.In.String("ResourceArn"), tags(c.In.Structs("Tags")), nil)
}

func untagResource(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.TagCodeDeploy(c.In.String("ResourceArn"), nil, c.In.Strings("TagKeys"))
}

func listTagsForResource(c *api.Call) (map[string]any, error) {
	arn := c.In.String("ResourceArn")
	var t model.Tags
	found := false
	c.Engine.Read(func(st *model.State) {
		for _, a := range st.CodeDeployApps {
			if c.Engine.CodeDeployAppARN(a.Name) == arn {
				t, found = a.Tags, true
			}
		}
		for _, g := range st.CodeDeployGroups {
			if g.ARN == arn {
				t, found = g.Tags, true
			}
		}
	})
	if !found {
		return nil, apierr.Newf("ResourceArnRequiredException", "The ARN %s does not name an application or deployment group", arn) // probable
	}
	return map[string]any{"Tags": api.TagList(t, "Key", "Value")}, nil
}
