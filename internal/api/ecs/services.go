package ecs

import (
	"cmp"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func loadBalancersIn(in awsproto.Params) []model.ServiceLoadBalancer {
	var out []model.ServiceLoadBalancer
	for _, lb := range in.Structs("loadBalancers") {
		x := model.ServiceLoadBalancer{TargetGroupARN: lb.String("targetGroupArn"), LoadBalancerName: lb.String("loadBalancerName"),
			ContainerName: lb.String("containerName"), ContainerPort: uint16(lb.Int("containerPort"))}
		if lb.Has("advancedConfiguration") {
			a := lb.Struct("advancedConfiguration")
			x.Advanced = &model.AdvancedConfiguration{AlternateTargetGroupARN: a.String("alternateTargetGroupArn"),
				ProductionListenerRule: a.String("productionListenerRule"), TestListenerRule: a.String("testListenerRule"), RoleARN: a.String("roleArn")}
		}
		out = append(out, x)
	}
	return out
}

func loadBalancersOut(lbs []model.ServiceLoadBalancer) []any {
	out := make([]any, len(lbs))
	for i, lb := range lbs {
		m := map[string]any{"targetGroupArn": api.Str(lb.TargetGroupARN), "loadBalancerName": api.Str(lb.LoadBalancerName),
			"containerName": lb.ContainerName, "containerPort": int(lb.ContainerPort)}
		if a := lb.Advanced; a != nil {
			m["advancedConfiguration"] = map[string]any{"alternateTargetGroupArn": api.Str(a.AlternateTargetGroupARN),
				"productionListenerRule": api.Str(a.ProductionListenerRule), "testListenerRule": api.Str(a.TestListenerRule), "roleArn": api.Str(a.RoleARN)}
		}
		out[i] = m
	}
	return out
}

// registriesIn decodes a service's serviceRegistries.
func registriesIn(in awsproto.Params) []model.ServiceRegistry {
	var out []model.ServiceRegistry
	for _, r := range in.Structs("serviceRegistries") {
		out = append(out, model.ServiceRegistry{RegistryARN: r.String("registryArn"), Port: uint16(r.Int("port")),
			ContainerName: r.String("containerName"), ContainerPort: uint16(r.Int("containerPort"))})
	}
	return out
}

// registriesOut encodes a service's Cloud Map registries.
func registriesOut(regs []model.ServiceRegistry) []any {
	out := make([]any, 0, len(regs))
	for _, r := range regs {
		m := map[string]any{"registryArn": r.RegistryARN}
		if r.Port != 0 {
			m["port"] = int(r.Port)
		}
		if r.ContainerName != "" {
			m["containerName"] = r.ContainerName
		}
		if r.ContainerPort != 0 {
			m["containerPort"] = int(r.ContainerPort)
		}
		out = append(out, m)
	}
	return out
}

// deploymentConfigIn decodes a deploymentConfiguration (nil when the
// request has none).
func deploymentConfigIn(in awsproto.Params) (*engine.DeploymentConfigInput, error) {
	if !in.Has("deploymentConfiguration") {
		return nil, nil
	}
	dc := in.Struct("deploymentConfiguration")
	out := &engine.DeploymentConfigInput{Strategy: dc.String("strategy"), BakeTimeInMinutes: dc.OptInt("bakeTimeInMinutes")}
	if dc.Has("linearConfiguration") {
		l := dc.Struct("linearConfiguration")
		out.Linear = &engine.ShiftConfig{Percent: l.Float("stepPercent"), Minutes: int(l.Int("stepBakeTimeInMinutes"))}
	}
	if dc.Has("canaryConfiguration") {
		l := dc.Struct("canaryConfiguration")
		out.Canary = &engine.ShiftConfig{Percent: l.Float("canaryPercent"), Minutes: int(l.Int("canaryBakeTimeInMinutes"))}
	}
	if dc.Has("lifecycleHooks") {
		hooks := []model.DeploymentLifecycleHook{}
		for _, h := range dc.Structs("lifecycleHooks") {
			x := model.DeploymentLifecycleHook{TargetType: h.String("targetType"), HookTargetARN: h.String("hookTargetArn"), RoleARN: h.String("roleArn"), Stages: h.Strings("lifecycleStages")}
			if v, ok := h.Lookup("hookDetails"); ok {
				x.HookDetails = v
			}
			if tc := h.Struct("timeoutConfiguration"); tc != nil {
				x.TimeoutMinutes, x.TimeoutAction = int(tc.Int("timeoutInMinutes")), tc.String("action")
			}
			hooks = append(hooks, x)
		}
		out.LifecycleHooks = &hooks
	}
	if dc.Has("maximumPercent") {
		n := int(dc.Int("maximumPercent"))
		out.MaximumPercent = &n
	}
	if dc.Has("minimumHealthyPercent") {
		n := int(dc.Int("minimumHealthyPercent"))
		out.MinimumHealthyPercent = &n
	}
	if dc.Has("deploymentCircuitBreaker") {
		cb := dc.Struct("deploymentCircuitBreaker")
		out.CircuitBreaker = &[2]bool{cb.Bool("enable"), cb.Bool("rollback")}
	}
	if dc.Has("alarms") {
		a := dc.Struct("alarms")
		out.Alarms = &model.DeploymentAlarms{AlarmNames: a.Strings("alarmNames"), Enable: a.Bool("enable"), Rollback: a.Bool("rollback")}
	}
	return out, nil
}

// deploymentConfigOut renders a service's deploymentConfiguration.
func deploymentConfigOut(s *model.Service) map[string]any {
	dc := engine.ServiceDeploymentConfig(s)
	out := map[string]any{"maximumPercent": dc.MaximumPercent, "minimumHealthyPercent": dc.MinimumHealthyPercent,
		"deploymentCircuitBreaker": map[string]any{"enable": dc.CircuitBreakerEnable, "rollback": dc.CircuitBreakerRollback}}
	if dc.Alarms != nil {
		names := dc.Alarms.AlarmNames
		if names == nil {
			names = []string{}
		}
		out["alarms"] = map[string]any{"alarmNames": names, "enable": dc.Alarms.Enable, "rollback": dc.Alarms.Rollback}
	}
	if dc.Strategy != "" {
		out["strategy"] = dc.Strategy
	}
	switch dc.Strategy {
	case engine.StrategyBlueGreen:
		out["bakeTimeInMinutes"] = dc.BakeTimeInMinutes
	case engine.StrategyLinear:
		out["bakeTimeInMinutes"] = dc.BakeTimeInMinutes
		out["linearConfiguration"] = map[string]any{"stepPercent": dc.StepPercent, "stepBakeTimeInMinutes": dc.StepBakeTimeInMinutes}
	case engine.StrategyCanary:
		out["bakeTimeInMinutes"] = dc.BakeTimeInMinutes
		out["canaryConfiguration"] = map[string]any{"canaryPercent": dc.CanaryPercent, "canaryBakeTimeInMinutes": dc.CanaryBakeTimeInMinutes}
	}
	if len(dc.LifecycleHooks) > 0 {
		hooks := make([]any, len(dc.LifecycleHooks))
		for i, h := range dc.LifecycleHooks {
			m := map[string]any{"hookTargetArn": api.Str(h.HookTargetARN), "roleArn": api.Str(h.RoleARN), "lifecycleStages": h.Stages, "targetType": cmp.Or(h.TargetType, "AWS_LAMBDA")}
			if h.TimeoutMinutes != 0 || h.TimeoutAction != "" {
				m["timeoutConfiguration"] = map[string]any{"timeoutInMinutes": optInt(h.TimeoutMinutes), "action": api.Str(h.TimeoutAction)}
			}
			if h.HookDetails != nil {
				m["hookDetails"] = h.HookDetails
			}
			hooks[i] = m
		}
		out["lifecycleHooks"] = hooks
	}
	return out
}

// serviceOut renders a service; e gives its task counts (call it inside
// e.Read).
func serviceOut(e *engine.Engine) func(st *model.State, s *model.Service, withTags bool) map[string]any {
	return func(st *model.State, s *model.Service, withTags bool) map[string]any {
		return serviceOutCounts(st, s, withTags, e.ServiceTaskCounts(s.ClusterARN, s.Name))
	}
}

func serviceOutCounts(st *model.State, s *model.Service, withTags bool, perDeployment map[string][2]int) map[string]any {
	running, pending := 0, 0
	for _, c := range perDeployment {
		running += c[0]
		pending += c[1]
	}
	deployments := make([]any, len(s.Deployments))
	for i, d := range s.Deployments {
		c := perDeployment[d.ID]
		x := map[string]any{
			"id": d.ID, "status": d.Status, "taskDefinition": d.TaskDefinitionARN, "desiredCount": d.DesiredCount,
			"runningCount": c[0], "pendingCount": c[1], "failedTasks": d.FailedTasks, "createdAt": api.Time(d.CreatedAt), "updatedAt": api.Time(d.UpdatedAt),
			"launchType": api.Str(s.LaunchType), "platformVersion": api.Str(s.PlatformVersion), "networkConfiguration": networkOut(s.Network),
			"rolloutState": api.Str(d.RolloutState),
		}
		if len(s.CapacityProviders) > 0 {
			x["capacityProviderStrategy"] = strategyOut(s.CapacityProviders)
		}
		// A Fargate deployment answers the platform version LATEST
		// resolved to (the service answers LATEST) and the platform family
		// (awscli/examples/ecs/update-service.rst, create-service.rst #1).
		if s.PlatformVersion != "" {
			x["platformVersion"] = fargatePlatform(s.PlatformVersion)
			x["platformFamily"] = "Linux"
		}
		if d.ServiceConnect != nil {
			x["serviceConnectConfiguration"], x["serviceConnectResources"] = serviceConnectOut(d.ServiceConnect)
		}
		switch d.RolloutState {
		case "COMPLETED":
			x["rolloutStateReason"] = "ECS deployment " + d.ID + " completed."
		case "IN_PROGRESS":
			x["rolloutStateReason"] = "ECS deployment " + d.ID + " in progress."
		case "FAILED":
			x["rolloutStateReason"] = "ECS deployment circuit breaker: tasks failed to start."
		}
		deployments[i] = x
	}
	events := make([]any, len(s.Events))
	for i, e := range s.Events {
		events[i] = map[string]any{"id": e.ID, "createdAt": api.Time(e.CreatedAt), "message": e.Message}
	}
	controller := s.DeploymentController
	if controller == "" {
		controller = "ECS"
	}
	propagate := s.PropagateTags
	if propagate == "" {
		propagate = "NONE"
	}
	out := map[string]any{
		"serviceArn": s.ARN, "serviceName": s.Name, "clusterArn": s.ClusterARN, "loadBalancers": loadBalancersOut(s.LoadBalancers),
		"serviceRegistries": registriesOut(s.ServiceRegistries), "status": s.Status, "desiredCount": s.DesiredCount, "runningCount": running, "pendingCount": pending,
		"launchType": api.Str(s.LaunchType), "platformVersion": api.Str(s.PlatformVersion), "taskDefinition": s.TaskDefinitionARN,
		"deploymentConfiguration": deploymentConfigOut(s), "roleArn": api.Str(s.RoleARN),
		"deployments": deployments, "events": events, "createdAt": api.Time(s.CreatedAt), "placementConstraints": constraintsOut(s.PlacementConstraints),
		"placementStrategy": strategiesOut(s.PlacementStrategy), "networkConfiguration": networkOut(s.Network), "schedulingStrategy": s.SchedulingStrategy,
		"deploymentController": map[string]any{"type": controller}, "createdBy": api.Str(s.CreatedBy), "enableECSManagedTags": s.EnableECSManagedTags,
		"propagateTags": propagate, "enableExecuteCommand": s.EnableExecuteCommand, "availabilityZoneRebalancing": firstNonEmpty(s.AZRebalancing, "DISABLED"),
	}
	if s.PlatformVersion != "" {
		out["platformFamily"] = "Linux"
	}
	if len(s.CapacityProviders) > 0 {
		out["capacityProviderStrategy"] = strategyOut(s.CapacityProviders)
	}
	out["healthCheckGracePeriodSeconds"] = s.HealthCheckGracePeriod
	if withTags {
		out["tags"] = tagsOut(s.Tags)
	}
	if controller != "ECS" {
		sets := make([]any, len(s.TaskSets))
		for i := range s.TaskSets {
			sets[i] = taskSetOut(s, &s.TaskSets[i], false, perDeployment)
		}
		out["taskSets"] = sets
		out["deployments"] = []any{}
		if s.TaskDefinitionARN == "" {
			delete(out, "taskDefinition")
		}
	}
	return out
}

func createService(c *api.Call) (map[string]any, error) {
	if len(c.In.List("vpcLatticeConfigurations")) > 0 {
		return nil, invalid("ecsnet does not model VPC Lattice (Cloud Map service discovery and Service Connect are modelled).")
	}
	sc, err := serviceConnectIn(c.In)
	if err != nil {
		return nil, err
	}
	// An empty taskDefinition (as against none) fails ECS's parse of its
	// family, whatever the deployment controller.
	if c.In.Has("taskDefinition") && c.In.String("taskDefinition") == "" {
		return nil, invalid("Family should not be null or empty.")
	}
	net, err := networkIn(c.In)
	if err != nil {
		return nil, err
	}
	dc, err := deploymentConfigIn(c.In)
	if err != nil {
		return nil, err
	}
	s, err := c.Engine.CreateService(engine.CreateServiceInput{
		Principal:       callerPrincipal(c),
		DesiredCountSet: c.In.Has("desiredCount"), Role: c.In.String("role"), DeploymentConfig: dc,
		EnableExecuteCommand: c.In.Bool("enableExecuteCommand"), AZRebalancing: c.In.String("availabilityZoneRebalancing"),
		Cluster: c.In.String("cluster"), Name: c.In.String("serviceName"), TaskDefinition: c.In.String("taskDefinition"),
		DesiredCount: int(c.In.Int("desiredCount")), LaunchType: model.LaunchType(c.In.String("launchType")),
		CapacityProviderStrategy: strategyIn(c.In, "capacityProviderStrategy"), Network: net, PlatformVersion: c.In.String("platformVersion"),
		LoadBalancers: loadBalancersIn(c.In), SchedulingStrategy: c.In.String("schedulingStrategy"),
		HealthCheckGracePeriod: int(c.In.Int("healthCheckGracePeriodSeconds")), ClientToken: c.In.String("clientToken"),
		PropagateTags: c.In.String("propagateTags"), EnableECSManagedTags: c.In.Bool("enableECSManagedTags"), Tags: tagsIn(c.In),
		PlacementConstraints: constraintsIn(c.In), PlacementStrategy: strategiesIn(c.In),
		DeploymentController: c.In.Struct("deploymentController").String("type"), ServiceRegistries: registriesIn(c.In),
		ServiceConnectConfig: sc,
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"service": c.View(func(st *model.State) map[string]any { return serviceOut(c.Engine)(st, s, len(s.Tags) > 0) })}, nil
}

func updateService(c *api.Call) (map[string]any, error) {
	net, err := networkIn(c.In)
	if err != nil {
		return nil, err
	}
	dc, err := deploymentConfigIn(c.In)
	if err != nil {
		return nil, err
	}
	in := engine.UpdateServiceInput{
		DeploymentConfig: dc,
		Cluster:          c.In.String("cluster"), Service: c.In.String("service"), TaskDefinition: c.In.String("taskDefinition"),
		Network: net, PlatformVersion: c.In.String("platformVersion"), ForceNewDeployment: c.In.Bool("forceNewDeployment"),
	}
	if c.In.Has("desiredCount") {
		n := int(c.In.Int("desiredCount"))
		in.DesiredCount = &n
	}
	if c.In.Has("healthCheckGracePeriodSeconds") {
		n := int(c.In.Int("healthCheckGracePeriodSeconds"))
		in.HealthCheckGracePeriod = &n
	}
	if c.In.Has("propagateTags") {
		v := c.In.String("propagateTags")
		in.PropagateTags = &v
	}
	if c.In.Has("enableECSManagedTags") {
		v := c.In.Bool("enableECSManagedTags")
		in.EnableECSManagedTags = &v
	}
	if c.In.Has("enableExecuteCommand") {
		v := c.In.Bool("enableExecuteCommand")
		in.EnableExecuteCommand = &v
	}
	in.AZRebalancing = c.In.String("availabilityZoneRebalancing")
	if c.In.Has("capacityProviderStrategy") {
		// An empty list (not an absent one) goes back to a launch type.
		in.CapacityProviderStrategy = append([]model.CapacityProviderStrategyItem{}, strategyIn(c.In, "capacityProviderStrategy")...)
	}
	if c.In.Has("placementConstraints") {
		in.PlacementConstraints = constraintsIn(c.In)
		if in.PlacementConstraints == nil {
			in.PlacementConstraints = []model.PlacementConstraint{}
		}
	}
	if c.In.Has("placementStrategy") {
		in.PlacementStrategy = strategiesIn(c.In)
		if in.PlacementStrategy == nil {
			in.PlacementStrategy = []model.PlacementStrategy{}
		}
	}
	if c.In.Has("loadBalancers") {
		in.LoadBalancers = loadBalancersIn(c.In)
		if in.LoadBalancers == nil {
			in.LoadBalancers = []model.ServiceLoadBalancer{}
		}
	}
	if c.In.Has("serviceRegistries") {
		in.ServiceRegistries = registriesIn(c.In)
		if in.ServiceRegistries == nil {
			in.ServiceRegistries = []model.ServiceRegistry{}
		}
	}
	if in.ServiceConnectConfig, err = serviceConnectIn(c.In); err != nil {
		return nil, err
	}
	s, err := c.Engine.UpdateService(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"service": c.View(func(st *model.State) map[string]any { return serviceOut(c.Engine)(st, s, false) })}, nil
}

func deleteService(c *api.Call) (map[string]any, error) {
	s, err := c.Engine.DeleteService(c.In.String("cluster"), c.In.String("service"), c.In.Bool("force"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"service": c.View(func(st *model.State) map[string]any { return serviceOut(c.Engine)(st, s, false) })}, nil
}

func describeServices(c *api.Call) (map[string]any, error) {
	refs := c.In.Strings("services")
	if len(refs) > 10 {
		return nil, invalid("service names can have at most 10 items.")
	}
	services, failures, err := describeInCluster(c, refs, "service", "", func(st *model.State) map[string]*model.Service { return st.Services },
		func(s *model.Service) string { return s.ClusterARN }, serviceOut(c.Engine))
	if err != nil {
		return nil, err
	}
	return map[string]any{"services": services, "failures": failures}, nil
}

func listServices(c *api.Call) (map[string]any, error) {
	launch, sched := c.In.String("launchType"), c.In.String("schedulingStrategy")
	if err := checkLaunchTypeFilter(launch); err != nil {
		return nil, err
	}
	if sched != "" && sched != "REPLICA" && sched != "DAEMON" {
		return nil, invalid("schedulingStrategy should be one of [REPLICA,DAEMON]") // CreateService's text
	}
	var arns []string
	var err error
	c.Engine.Read(func(st *model.State) {
		var cl *model.Cluster
		if cl, err = activeCluster(c, st); err != nil {
			return
		}
		for _, s := range st.Services {
			if s.ClusterARN != cl.ARN || s.Status == "INACTIVE" {
				continue
			}
			if launch != "" && string(s.LaunchType) != launch || sched != "" && s.SchedulingStrategy != sched {
				continue
			}
			arns = append(arns, s.ARN)
		}
	})
	if err != nil {
		return nil, err
	}
	return namesPage(c.In, "serviceArns", arns, 10, 100)
}

// firstNonEmpty returns a, or b when a is empty.
func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// serviceConnectIn reads a serviceConnectConfiguration (nil when the
// request has none). Port values outside 1-65535 are refused here, with
// ECS's InvalidParameterException [choice: text].
func serviceConnectIn(in awsproto.Params) (*model.ServiceConnectConfiguration, error) {
	if !in.Has("serviceConnectConfiguration") {
		return nil, nil
	}
	p := in.Struct("serviceConnectConfiguration")
	if !p.Has("enabled") {
		return nil, invalid("serviceConnectConfiguration.enabled must be specified.") // a required member [choice: text]
	}
	cfg := &model.ServiceConnectConfiguration{Enabled: p.Bool("enabled"), Namespace: p.String("namespace")}
	if l := p.Struct("logConfiguration"); l != nil {
		cfg.LogDriver, cfg.LogOptions = l.String("logDriver"), l.StringMap("options")
	}
	port := func(v int64, what string) (uint16, error) {
		if v < 1 || v > 65535 {
			return 0, invalid("%s must be between 1 and 65535.", what)
		}
		return uint16(v), nil
	}
	for _, s := range p.Structs("services") {
		sc := model.ServiceConnectService{PortName: s.String("portName"), DiscoveryName: s.String("discoveryName")}
		for _, k := range []string{"tls", "timeout"} {
			if v, ok := s.Lookup(k); ok {
				if sc.Unmodelled == nil {
					sc.Unmodelled = map[string]any{}
				}
				sc.Unmodelled[k] = v
			}
		}
		if to := s.Struct("timeout"); to != nil && to.Has("perRequestTimeoutSeconds") {
			v := to.Int("perRequestTimeoutSeconds")
			sc.PerRequestTimeoutSeconds = &v
		}
		if s.Has("ingressPortOverride") {
			v, err := port(s.Int("ingressPortOverride"), "ingressPortOverride")
			if err != nil {
				return nil, err
			}
			sc.IngressPortOverride = v
		}
		for _, a := range s.Structs("clientAliases") {
			v, err := port(a.Int("port"), "clientAliases.port")
			if err != nil {
				return nil, err
			}
			sc.ClientAliases = append(sc.ClientAliases, model.ServiceConnectClientAlias{Port: v, DNSName: a.String("dnsName")})
		}
		cfg.Services = append(cfg.Services, sc)
	}
	return cfg, nil
}

// serviceConnectOut renders a deployment's serviceConnectConfiguration
// and serviceConnectResources (the Cloud Map services ECS created: one
// per endpoint, with its discoveryName and discoveryArn).
func serviceConnectOut(cfg *model.ServiceConnectConfiguration) (map[string]any, []any) {
	out := map[string]any{"enabled": cfg.Enabled}
	if cfg.Namespace != "" {
		out["namespace"] = cfg.Namespace
	}
	services := make([]any, 0, len(cfg.Services))
	resources := []any{}
	for _, s := range cfg.Services {
		m := map[string]any{"portName": s.PortName}
		for k, v := range s.Unmodelled {
			m[k] = v
		}
		if s.DiscoveryName != "" {
			m["discoveryName"] = s.DiscoveryName
		}
		if s.IngressPortOverride != 0 {
			m["ingressPortOverride"] = int(s.IngressPortOverride)
		}
		aliases := make([]any, 0, len(s.ClientAliases))
		for _, a := range s.ClientAliases {
			x := map[string]any{"port": int(a.Port)}
			if a.DNSName != "" {
				x["dnsName"] = a.DNSName
			}
			aliases = append(aliases, x)
		}
		m["clientAliases"] = aliases
		services = append(services, m)
		if s.DiscoveryARN != "" {
			resources = append(resources, map[string]any{"discoveryName": s.DiscoveryName, "discoveryArn": s.DiscoveryARN})
		}
	}
	if len(cfg.Services) > 0 {
		out["services"] = services
	}
	if cfg.LogDriver != "" {
		l := map[string]any{"logDriver": cfg.LogDriver}
		if len(cfg.LogOptions) > 0 {
			l["options"] = cfg.LogOptions
		}
		out["logConfiguration"] = l
	}
	return out, resources
}

// fargatePlatform is the Fargate platform version a service's version
// resolves to: LATEST is 1.4.0.
func fargatePlatform(v string) string {
	if v == "LATEST" {
		return "1.4.0"
	}
	return v
}

// optInt is n, or nil when it is 0, so the encoder omits it.
func optInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// checkLaunchTypeFilter checks ListServices' and ListTasks' launchType
// filter against the LaunchType enum (botocore), as RunTask checks its
// launch type ([choice] text: RunTask's, with MANAGED_INSTANCES, which a
// filter may name).
func checkLaunchTypeFilter(launch string) error {
	switch model.LaunchType(launch) {
	case "", model.LaunchEC2, model.LaunchFargate, model.LaunchExternal, model.LaunchManagedInstances:
		return nil
	}
	return invalid("launch type should be one of [EC2,FARGATE,EXTERNAL,MANAGED_INSTANCES]")
}
