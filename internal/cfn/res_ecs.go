package cfn

import (
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// strategy reads a capacity provider strategy.
func strategy(o obj, key string) ([]model.CapacityProviderStrategyItem, error) {
	items, err := o.objects(key)
	if err != nil {
		return nil, err
	}
	var out []model.CapacityProviderStrategyItem
	for _, it := range items {
		cp, err := it.req("CapacityProvider")
		if err != nil {
			return nil, err
		}
		w, err := it.integer("Weight", 0)
		if err != nil {
			return nil, err
		}
		b, err := it.integer("Base", 0)
		if err != nil {
			return nil, err
		}
		out = append(out, model.CapacityProviderStrategyItem{CapacityProvider: cp, Weight: w, Base: b})
	}
	return out, nil
}

// AWS::ECS::Cluster. Ref: the cluster name; Fn::GetAtt Arn.
func createCluster(c *rctx) error {
	p := c.p
	name, err := c.name("ClusterName", 255)
	if err != nil {
		return err
	}
	in := engine.CreateClusterInput{Name: name}
	if in.CapacityProviders, err = p.strs("CapacityProviders"); err != nil {
		return err
	}
	if in.DefaultStrategy, err = strategy(p, "DefaultCapacityProviderStrategy"); err != nil {
		return err
	}
	settings, err := p.objects("ClusterSettings")
	if err != nil {
		return err
	}
	for _, s := range settings {
		n, err := s.str("Name")
		if err != nil {
			return err
		}
		if n == "containerInsights" {
			if in.ContainerInsights, err = s.str("Value"); err != nil {
				return err
			}
		}
	}
	if d, err := p.object("ServiceConnectDefaults"); err != nil {
		return err
	} else if in.ServiceConnectNamespace, err = d.str("Namespace"); err != nil {
		return err
	}
	var unknown bool
	c.read(func(st *model.State) { unknown = engine.NamespaceRefUnknown(st, in.ServiceConnectNamespace) })
	if unknown {
		c.s.warnf(p.line_("ServiceConnectDefaults"), "%s: its Service Connect namespace %q is not in this system (made by a stack that is not given): the cluster is read without it", c.r.def.name, in.ServiceConnectNamespace)
		in.ServiceConnectNamespace = ""
	}
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	cl, err := c.e().CreateCluster(in)
	if err != nil {
		key := "ClusterName"
		if strings.Contains(err.Error(), "capacity provider") {
			key = "CapacityProviders"
		}
		return p.at(key, err)
	}
	c.setRef(cl.Name)
	c.set("Arn", cl.ARN)
	return nil
}

// AWS::ECS::CapacityProvider. Ref: its name. AutoScalingGroupArn takes the
// group's ARN or name, as CloudFormation accepts.
func createCapacityProvider(c *rctx) error {
	p := c.p
	name, err := c.name("Name", 255)
	if err != nil {
		return err
	}
	mip, err := p.object("ManagedInstancesProvider")
	if err != nil {
		return err
	}
	if mip.n != nil {
		return createManagedInstancesProvider(c, name, mip)
	}
	prov, err := p.object("AutoScalingGroupProvider")
	if err != nil {
		return err
	}
	if prov.n == nil {
		_, err := p.req("AutoScalingGroupProvider")
		return err
	}
	in := engine.CreateCapacityProviderInput{Name: name}
	if in.AutoScalingGroupARN, err = prov.req("AutoScalingGroupArn"); err != nil {
		return err
	}
	ms, err := prov.object("ManagedScaling")
	if err != nil {
		return err
	}
	status, err := ms.str("Status")
	if err != nil {
		return err
	}
	in.ManagedScaling = status == "ENABLED"
	if in.TargetCapacity, err = ms.integer("TargetCapacity", 0); err != nil {
		return err
	}
	mtp, err := prov.str("ManagedTerminationProtection")
	if err != nil {
		return err
	}
	in.ManagedTerminationProtection = mtp == "ENABLED"
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	cp, err := c.e().CreateCapacityProvider(in)
	if err != nil {
		key := "Name"
		if strings.Contains(err.Error(), "Auto Scaling") || strings.Contains(err.Error(), "termination") {
			key = "AutoScalingGroupProvider"
		}
		return p.at(key, err)
	}
	c.setRef(cp.Name)
	return nil
}

// AWS::ECS::ClusterCapacityProviderAssociations. Ref: the cluster name.
func createClusterCPAssoc(c *rctx) error {
	p := c.p
	cluster, err := p.req("Cluster")
	if err != nil {
		return err
	}
	providers, err := p.strs("CapacityProviders")
	if err != nil {
		return err
	}
	strat, err := strategy(p, "DefaultCapacityProviderStrategy")
	if err != nil {
		return err
	}
	if !p.has("DefaultCapacityProviderStrategy") {
		_, err := p.req("DefaultCapacityProviderStrategy")
		return err
	}
	if _, err := c.e().PutClusterCapacityProviders(cluster, providers, strat); err != nil {
		key := "CapacityProviders"
		if strings.Contains(err.Error(), "strategy") {
			key = "DefaultCapacityProviderStrategy"
		} else if strings.Contains(err.Error(), "Cluster") {
			key = "Cluster"
		}
		return p.at(key, err)
	}
	c.setRef(cluster)
	return nil
}

// rawOf converts resolved properties to the API's JSON shape (camelCase
// keys), for the fields of a task definition ecsnet keeps without
// modeling. User maps (log options, labels) keep their keys.
func rawOf(n *node, userKeys bool) any {
	if n == nil {
		return nil
	}
	switch n.kind {
	case listNode:
		out := make([]any, 0, len(n.items))
		for _, it := range n.items {
			out = append(out, rawOf(it, false))
		}
		return out
	case mapNode:
		out := make(map[string]any, len(n.fields))
		for _, f := range n.fields {
			k := f.key
			if !userKeys {
				k = lowerFirst(k)
			}
			if userKeys && f.val != nil && f.val.kind == scalarNode {
				// A user map's values are strings (log options, labels:
				// Map<String, String>): "true" and 5 stay as written.
				out[k] = f.val.str
				continue
			}
			user := f.key == "Options" || f.key == "DockerLabels" || f.key == "SecretOptions" || f.key == "SystemControls"
			out[k] = rawOf(f.val, user)
		}
		return out
	}
	return n.toAny()
}

// lowerFirst turns a CloudFormation property name into the API's JSON
// name: LogConfiguration → logConfiguration. The few names the
// resource reference spells otherwise than the API (a task definition
// volume's EFSVolumeConfiguration and its FilesystemId, AuthorizationConfig's
// IAM, FSxWindowsFileServerVolumeConfiguration) get the API's.
func lowerFirst(s string) string {
	switch s {
	case "":
		return s
	case "EFSVolumeConfiguration":
		return "efsVolumeConfiguration"
	case "FilesystemId":
		return "fileSystemId"
	case "IAM":
		return "iam"
	case "FSxWindowsFileServerVolumeConfiguration":
		return "fsxWindowsFileServerVolumeConfiguration"
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// containerFields are the container definition properties ecsnet models;
// the rest are kept as written.
func containerFields() []string {
	return []string{"Name", "Image", "Cpu", "Memory", "MemoryReservation", "Essential", "PortMappings",
		"Environment", "Command", "EntryPoint", "Links", "DockerLabels"}
}

// AWS::ECS::TaskDefinition. Ref: the task definition ARN; Fn::GetAtt
// TaskDefinitionArn.
func createTaskDefinition(c *rctx) error {
	p := c.p
	family, err := c.name("Family", 255)
	if err != nil {
		return err
	}
	in := engine.RegisterTaskDefinitionInput{Family: family}
	if in.NetworkMode, err = p.str("NetworkMode"); err != nil {
		return err
	}
	if in.RequiresCompatibilities, err = p.strs("RequiresCompatibilities"); err != nil {
		return err
	}
	if in.CPU, err = p.str("Cpu"); err != nil {
		return err
	}
	if in.Memory, err = p.str("Memory"); err != nil {
		return err
	}
	if in.TaskRoleARN, err = p.str("TaskRoleArn"); err != nil {
		return err
	}
	if in.ExecutionRoleARN, err = p.str("ExecutionRoleArn"); err != nil {
		return err
	}
	if in.PIDMode, err = p.str("PidMode"); err != nil {
		return err
	}
	if in.IPCMode, err = p.str("IpcMode"); err != nil {
		return err
	}
	if p.has("RuntimePlatform") {
		rp, err := p.object("RuntimePlatform")
		if err != nil {
			return err
		}
		in.RuntimePlatform = &model.RuntimePlatform{}
		if in.RuntimePlatform.CPUArchitecture, err = rp.str("CpuArchitecture"); err != nil {
			return err
		}
		if in.RuntimePlatform.OperatingSystemFamily, err = rp.str("OperatingSystemFamily"); err != nil {
			return err
		}
	}
	// PlacementConstraints: TaskDefinitionPlacementConstraint (Type
	// memberOf, Expression), as RegisterTaskDefinition's.
	tcons, err := p.objects("PlacementConstraints")
	if err != nil {
		return err
	}
	for _, tc := range tcons {
		var x model.PlacementConstraint
		if x.Type, err = tc.str("Type"); err != nil {
			return err
		}
		if x.Expression, err = tc.str("Expression"); err != nil {
			return err
		}
		in.PlacementConstraints = append(in.PlacementConstraints, x)
	}
	known := []string{"Family", "NetworkMode", "RequiresCompatibilities", "Cpu", "Memory", "TaskRoleArn", "ExecutionRoleArn",
		"PidMode", "IpcMode", "ContainerDefinitions", "Tags", "RuntimePlatform", "PlacementConstraints"}
	for _, f := range p.n.fields {
		if !contains(known, f.key) {
			if in.Raw == nil {
				in.Raw = map[string]any{}
			}
			in.Raw[lowerFirst(f.key)] = rawOf(f.val, false)
		}
	}
	defs, err := p.objects("ContainerDefinitions")
	if err != nil {
		return err
	}
	for _, d := range defs {
		cd, err := containerDefinition(d)
		if err != nil {
			return err
		}
		in.Containers = append(in.Containers, cd)
	}
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	td, err := c.e().RegisterTaskDefinition(in)
	if err != nil {
		key := "ContainerDefinitions"
		switch msg := err.Error(); {
		case strings.Contains(msg, "networkMode"):
			key = "NetworkMode"
		case strings.Contains(msg, "'cpu'"):
			key = "Cpu"
		case strings.Contains(msg, "'memory' setting for task"):
			key = "Memory"
		case strings.Contains(msg, "compatibilit") || strings.Contains(msg, "Fargate"):
			key = "RequiresCompatibilities"
		case strings.Contains(msg, "Family"):
			key = "Family"
		case strings.Contains(msg, "cpuArchitecture") || strings.Contains(msg, "operatingSystemFamily"):
			key = "RuntimePlatform"
		case strings.Contains(msg, "lacement constraint") || strings.Contains(msg, "placementConstraints"):
			key = "PlacementConstraints"
		}
		return p.at(key, err)
	}
	c.setRef(td.ARN)
	c.set("TaskDefinitionArn", td.ARN)
	c.noteAssumedRepositories(in.Containers)
	return nil
}

// noteAssumedRepositories notes the images that name a repository of the
// account's own ECR registry when neither the template nor the state has
// any repository: ecsnet takes them to exist (a template that manages
// repositories gets a finding for one it does not create, from the
// analyzer's start check).
func (c *rctx) noteAssumedRepositories(containers []model.ContainerDefinition) {
	for _, d := range c.s.res {
		if d.def.typ == typeRepository {
			return
		}
	}
	e := c.e()
	cfg := e.Config()
	prefix := engine.RegistryHost(cfg.Region, cfg.Account) + "/"
	any := false
	e.Read(func(st *model.State) { any = len(st.Repositories) > 0 })
	if any {
		return
	}
	for _, cd := range containers {
		name, ok := strings.CutPrefix(cd.Image, prefix)
		if !ok {
			continue
		}
		if i := strings.IndexAny(name, ":@"); i >= 0 {
			name = name[:i]
		}
		c.s.notef(c.r.def.line, "%s: the image %s names the repository %s of this account's registry; the template creates no ECR repository, so ecsnet takes it to exist",
			c.r.def.name, cd.Image, name)
	}
}

func containerDefinition(d obj) (model.ContainerDefinition, error) {
	var cd model.ContainerDefinition
	var err error
	if cd.Name, err = d.str("Name"); err != nil {
		return cd, err
	}
	if cd.Image, err = d.str("Image"); err != nil {
		return cd, err
	}
	if cd.CPU, err = d.integer("Cpu", 0); err != nil {
		return cd, err
	}
	if cd.Memory, err = d.integer("Memory", 0); err != nil {
		return cd, err
	}
	if cd.MemoryReservation, err = d.integer("MemoryReservation", 0); err != nil {
		return cd, err
	}
	ess, err := d.boolean("Essential")
	if err != nil {
		return cd, err
	}
	cd.Essential = ess == nil || *ess
	if cd.Command, err = d.strs("Command"); err != nil {
		return cd, err
	}
	if cd.EntryPoint, err = d.strs("EntryPoint"); err != nil {
		return cd, err
	}
	if cd.Links, err = d.strs("Links"); err != nil {
		return cd, err
	}
	if labels, err := d.object("DockerLabels"); err != nil {
		return cd, err
	} else if labels.n != nil {
		cd.DockerLabels = map[string]string{}
		for _, f := range labels.n.fields {
			cd.DockerLabels[f.key] = f.val.scalar()
		}
	}
	env, err := d.objects("Environment")
	if err != nil {
		return cd, err
	}
	for _, e := range env {
		n, err := e.str("Name")
		if err != nil {
			return cd, err
		}
		v, err := e.str("Value")
		if err != nil {
			return cd, err
		}
		cd.Environment = append(cd.Environment, model.KeyValue{Name: n, Value: v})
	}
	ports, err := d.objects("PortMappings")
	if err != nil {
		return cd, err
	}
	for _, pm := range ports {
		var m model.PortMapping
		if pm.has("ContainerPortRange") {
			// "first-last"; the engine applies the rest of the rules (no
			// ContainerPort or HostPort beside it, no overlap, the modes).
			s, err := pm.str("ContainerPortRange")
			if err != nil {
				return cd, err
			}
			if m.ContainerPortRange, err = model.ParsePortRange(s); err != nil {
				return cd, pm.at("ContainerPortRange", apierr.Newf("ClientException", "Invalid 'containerPortRange' setting for container '%s'. "+
					"Specify a range of ports between 1 and 65535 as first-last, the first port less than the last.", cd.Name))
			}
		}
		cp, err := pm.integer("ContainerPort", 0)
		if err != nil {
			return cd, err
		}
		hp, err := pm.integer("HostPort", 0)
		if err != nil {
			return cd, err
		}
		if cp < 0 || cp > 65535 || hp < 0 || hp > 65535 {
			return cd, pm.invalid("ContainerPort", "ports are numbers from 0 to 65535")
		}
		m.ContainerPort, m.HostPort = uint16(cp), uint16(hp)
		proto, err := pm.str("Protocol")
		if err != nil {
			return cd, err
		}
		if proto != "" {
			// ECS takes a protocol other than udp as tcp ("http" is
			// replaced with tcp: hashicorp/terraform-provider-aws#3645;
			// aws-samples/amazon-ecs-mythicalmysfits-workshop's core.yml
			// deploys with it); only the console refuses it.
			m.Protocol = model.TCP
			if strings.EqualFold(proto, "udp") {
				m.Protocol = model.UDP
			} else if !strings.EqualFold(proto, "tcp") {
				if pm.c != nil {
					pm.c.s.warnf(pm.line, "%s: port mapping Protocol %q is taken as tcp, as ECS takes it", pm.c.r.def.name, proto)
				}
			}
		}
		if m.Name, err = pm.str("Name"); err != nil {
			return cd, err
		}
		if m.AppProtocol, err = pm.str("AppProtocol"); err != nil {
			return cd, err
		}
		cd.PortMappings = append(cd.PortMappings, m)
	}
	for _, f := range d.n.fields {
		if !contains(containerFields(), f.key) {
			if cd.Raw == nil {
				cd.Raw = map[string]any{}
			}
			cd.Raw[lowerFirst(f.key)] = rawOf(f.val, false)
		}
	}
	return cd, nil
}

// AWS::ECS::Service. Ref: the service ARN; Fn::GetAtt Name and
// ServiceArn. DesiredCount defaults to 1 on creation (CloudFormation's
// documented behavior); Cluster defaults to "default". CloudFormation
// waits for the service to stabilize; ecsnet runs the engine until the
// service's tasks are placed (or fail to be) and warns when they are not
// all running.
func createService(c *rctx) error {
	p := c.p
	name, err := c.name("ServiceName", 255)
	if err != nil {
		return err
	}
	in := engine.CreateServiceInput{Name: name}
	if in.Cluster, err = p.str("Cluster"); err != nil {
		return err
	}
	if in.Cluster == "" {
		in.Cluster = "default"
	}
	// The resource's schema requires no TaskDefinition: a service of the
	// EXTERNAL deployment controller takes its task definitions from its
	// task sets (AWS::ECS::TaskSet).
	ctl, err := p.object("DeploymentController")
	if err != nil {
		return err
	}
	if typ, err := ctl.str("Type"); err != nil {
		return err
	} else if typ == "EXTERNAL" {
		in.TaskDefinition, err = p.str("TaskDefinition")
	} else {
		in.TaskDefinition, err = p.req("TaskDefinition")
	}
	if err != nil {
		return err
	}
	lt, err := p.str("LaunchType")
	if err != nil {
		return err
	}
	in.LaunchType = model.LaunchType(lt)
	if in.CapacityProviderStrategy, err = strategy(p, "CapacityProviderStrategy"); err != nil {
		return err
	}
	if in.SchedulingStrategy, err = p.str("SchedulingStrategy"); err != nil {
		return err
	}
	def := 1
	if in.SchedulingStrategy == "DAEMON" {
		def = 0
	}
	if in.DesiredCount, err = p.integer("DesiredCount", def); err != nil {
		return err
	}
	if in.PlatformVersion, err = p.str("PlatformVersion"); err != nil {
		return err
	}
	if in.HealthCheckGracePeriod, err = p.integer("HealthCheckGracePeriodSeconds", 0); err != nil {
		return err
	}
	if in.PropagateTags, err = p.str("PropagateTags"); err != nil {
		return err
	}
	if in.Role, err = p.str("Role"); err != nil {
		return err
	}
	if err := serviceDeployment(p, &in); err != nil {
		return err
	}
	if err := serviceMonitoring(p); err != nil {
		return err
	}
	if b, err := p.boolean("EnableECSManagedTags"); err != nil {
		return err
	} else if b != nil {
		in.EnableECSManagedTags = *b
	}
	nc, awsvpc, network, err := networkConfiguration(p)
	if err != nil {
		return err
	}
	in.Network = network
	if in.LoadBalancers, err = serviceLoadBalancers(p); err != nil {
		return err
	}
	if err := serviceRegistries(c, p, &in); err != nil {
		return err
	}
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	svc, err := c.e().CreateService(in)
	if err != nil {
		return serviceErrAt(p, nc, awsvpc, err)
	}
	if !c.s.l.serviceCreatesSettleLater {
		if err := c.converge(); err != nil {
			return err
		}
	}
	c.s.l.services[svc.ARN] = Resource{LogicalID: c.displayName(), Type: c.r.def.typ, PhysicalID: svc.ARN, File: c.s.file, Line: c.r.def.line}
	c.setRef(svc.ARN)
	c.keep("Cluster", svc.ClusterARN)
	c.set("Name", svc.Name)
	c.set("ServiceArn", svc.ARN)
	return nil
}

// networkConfiguration reads a service's or task set's
// NetworkConfiguration: the object and its AwsvpcConfiguration (for
// serviceErrAt), and the configuration (nil without one). A task set's is
// AwsVpcConfiguration (a capital V: its schema, aws-ecs-taskset.json, and
// the CDK's CfnTaskSet), a service's AwsvpcConfiguration; a task set
// written with the service's spelling (aws-samples/ecs-bg-external-
// controller) is read too [choice].
func networkConfiguration(p obj) (nc, awsvpc obj, network *model.AwsVpcConfiguration, err error) {
	if nc, err = p.object("NetworkConfiguration"); err != nil {
		return nc, awsvpc, nil, err
	}
	key := "AwsvpcConfiguration"
	if p.c != nil && p.c.r.def.typ == typeTaskSet && (nc.has("AwsVpcConfiguration") || !nc.has(key)) {
		key = "AwsVpcConfiguration"
	}
	if awsvpc, err = nc.object(key); err != nil || awsvpc.n == nil {
		return nc, awsvpc, nil, err
	}
	network, err = serviceAwsvpc(awsvpc)
	return nc, awsvpc, network, err
}

// serviceErrAt points a CreateService error at the property it is about.
func serviceErrAt(p, nc, awsvpc obj, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Assign public IP"):
		if awsvpc.has("AssignPublicIp") {
			return awsvpc.at("AssignPublicIp", err)
		}
		return p.at("NetworkConfiguration", err)
	case strings.Contains(msg, "Network Configuration") || strings.Contains(msg, "subnet") || strings.Contains(msg, "security group"):
		if p.has("NetworkConfiguration") {
			return p.at("NetworkConfiguration", err)
		}
		return err
	case strings.Contains(msg, "ClusterNotFound") || strings.Contains(msg, "Cluster not found"):
		return p.at("Cluster", err)
	case strings.Contains(msg, "target group") || strings.Contains(msg, "targetGroupArn") || strings.Contains(msg, "container ") ||
		strings.Contains(msg, "Load Balancer") || strings.Contains(msg, "load balancers"):
		return p.at("LoadBalancers", err)
	case strings.Contains(msg, "capacity provider"):
		return p.at("CapacityProviderStrategy", err)
	case strings.Contains(msg, "IAM role"):
		return p.at("Role", err)
	case strings.Contains(msg, "launch type") || strings.Contains(msg, "launchType"):
		return p.at("LaunchType", err)
	case strings.Contains(msg, "TaskDefinition") || strings.Contains(msg, "task definition") || strings.Contains(msg, "Task Definition"):
		return p.at("TaskDefinition", err)
	}
	return err
}

// serviceDeployment reads a service's DeploymentConfiguration (percents,
// circuit breaker, alarms), DeploymentController, PlacementConstraints,
// PlacementStrategies and EnableExecuteCommand, as CreateService takes
// them.
func serviceDeployment(p obj, in *engine.CreateServiceInput) error {
	dc, err := p.object("DeploymentConfiguration")
	if err != nil {
		return err
	}
	if dc.n != nil {
		out := &engine.DeploymentConfigInput{}
		for _, f := range []struct {
			key string
			to  **int
		}{{"MaximumPercent", &out.MaximumPercent}, {"MinimumHealthyPercent", &out.MinimumHealthyPercent}} {
			if !dc.has(f.key) {
				continue
			}
			n, err := dc.integer(f.key, 0)
			if err != nil {
				return err
			}
			*f.to = &n
		}
		cb, err := dc.object("DeploymentCircuitBreaker")
		if err != nil {
			return err
		}
		if cb.n != nil {
			var flags [2]bool
			for i, key := range []string{"Enable", "Rollback"} {
				b, err := cb.boolean(key)
				if err != nil {
					return err
				}
				flags[i] = b != nil && *b
			}
			out.CircuitBreaker = &flags
		}
		al, err := dc.object("Alarms")
		if err != nil {
			return err
		}
		if al.n != nil {
			a := &model.DeploymentAlarms{}
			if a.AlarmNames, err = al.strs("AlarmNames"); err != nil {
				return err
			}
			for _, f := range []struct {
				key string
				to  *bool
			}{{"Enable", &a.Enable}, {"Rollback", &a.Rollback}} {
				b, err := al.boolean(f.key)
				if err != nil {
					return err
				}
				*f.to = b != nil && *b
			}
			out.Alarms = a
		}
		if err := serviceStrategy(dc, out); err != nil {
			return err
		}
		in.DeploymentConfig = out
	}
	ctl, err := p.object("DeploymentController")
	if err != nil {
		return err
	}
	if in.DeploymentController, err = ctl.str("Type"); err != nil {
		return err
	}
	cons, err := p.objects("PlacementConstraints")
	if err != nil {
		return err
	}
	for _, c := range cons {
		var x model.PlacementConstraint
		if x.Type, err = c.str("Type"); err != nil {
			return err
		}
		if x.Expression, err = c.str("Expression"); err != nil {
			return err
		}
		in.PlacementConstraints = append(in.PlacementConstraints, x)
	}
	strats, err := p.objects("PlacementStrategies")
	if err != nil {
		return err
	}
	for _, st := range strats {
		var x model.PlacementStrategy
		if x.Type, err = st.str("Type"); err != nil {
			return err
		}
		if x.Field, err = st.str("Field"); err != nil {
			return err
		}
		in.PlacementStrategy = append(in.PlacementStrategy, x)
	}
	exec, err := p.boolean("EnableExecuteCommand")
	if err != nil {
		return err
	}
	in.EnableExecuteCommand = exec != nil && *exec
	return nil
}

// serviceAwsvpc reads a service's AwsvpcConfiguration.
func serviceAwsvpc(awsvpc obj) (*model.AwsVpcConfiguration, error) {
	subnets, err := awsvpc.strs("Subnets")
	if err != nil {
		return nil, err
	}
	groups, err := awsvpc.strs("SecurityGroups")
	if err != nil {
		return nil, err
	}
	assign, err := awsvpc.str("AssignPublicIp")
	if err != nil {
		return nil, err
	}
	if assign != "" && assign != "ENABLED" && assign != "DISABLED" {
		return nil, awsvpc.invalid("AssignPublicIp", "#: %s is not a valid enum value (ENABLED, DISABLED)", assign)
	}
	return &model.AwsVpcConfiguration{Subnets: toSubnetIDs(subnets), SecurityGroups: toGroupIDs(groups), AssignPublicIP: assign == "ENABLED"}, nil
}

// serviceLoadBalancers reads a service's LoadBalancers (nil: none).
func serviceLoadBalancers(p obj) ([]model.ServiceLoadBalancer, error) {
	lbs, err := p.objects("LoadBalancers")
	if err != nil {
		return nil, err
	}
	var out []model.ServiceLoadBalancer
	for _, lb := range lbs {
		var x model.ServiceLoadBalancer
		if x.TargetGroupARN, err = lb.str("TargetGroupArn"); err != nil {
			return nil, err
		}
		if x.LoadBalancerName, err = lb.str("LoadBalancerName"); err != nil {
			return nil, err
		}
		if x.ContainerName, err = lb.str("ContainerName"); err != nil {
			return nil, err
		}
		port, err := lb.integer("ContainerPort", 0)
		if err != nil {
			return nil, err
		}
		x.ContainerPort = uint16(port)
		ac, err := lb.object("AdvancedConfiguration")
		if err != nil {
			return nil, err
		}
		if ac.n != nil {
			a := &model.AdvancedConfiguration{}
			for _, f := range []struct {
				key string
				to  *string
			}{{"AlternateTargetGroupArn", &a.AlternateTargetGroupARN}, {"ProductionListenerRule", &a.ProductionListenerRule},
				{"TestListenerRule", &a.TestListenerRule}, {"RoleArn", &a.RoleARN}} {
				if *f.to, err = ac.str(f.key); err != nil {
					return nil, err
				}
			}
			x.Advanced = a
		}
		out = append(out, x)
	}
	return out, nil
}

// serviceStrategy reads a DeploymentConfiguration's blue/green, linear and
// canary members: Strategy, BakeTimeInMinutes, LinearConfiguration,
// CanaryConfiguration and LifecycleHooks.
func serviceStrategy(dc obj, out *engine.DeploymentConfigInput) error {
	st, err := dc.str("Strategy")
	if err != nil {
		return err
	}
	out.Strategy = st
	for _, f := range []struct {
		key, pct, mins string
		to             **engine.ShiftConfig
	}{{"LinearConfiguration", "StepPercent", "StepBakeTimeInMinutes", &out.Linear}, {"CanaryConfiguration", "CanaryPercent", "CanaryBakeTimeInMinutes", &out.Canary}} {
		c, err := dc.object(f.key)
		if err != nil {
			return err
		}
		if c.n == nil {
			continue
		}
		v, err := c.str(f.pct)
		if err != nil {
			return err
		}
		pct, perr := strconv.ParseFloat(v, 64)
		if v != "" && perr != nil {
			return c.invalid(f.pct, "#/%s: expected type: Number, found: String", f.pct)
		}
		mins, err := c.integer(f.mins, 0)
		if err != nil {
			return err
		}
		*f.to = &engine.ShiftConfig{Percent: pct, Minutes: mins}
	}
	if dc.has("BakeTimeInMinutes") {
		n, err := dc.integer("BakeTimeInMinutes", 0)
		if err != nil {
			return err
		}
		out.BakeTimeInMinutes = &n
	}
	if !dc.has("LifecycleHooks") {
		return nil
	}
	hooks, err := dc.objects("LifecycleHooks")
	if err != nil {
		return err
	}
	list := []model.DeploymentLifecycleHook{}
	for _, h := range hooks {
		var x model.DeploymentLifecycleHook
		if x.TargetType, err = h.str("TargetType"); err != nil {
			return err
		}
		if x.HookTargetARN, err = h.str("HookTargetArn"); err != nil {
			return err
		}
		if x.RoleARN, err = h.str("RoleArn"); err != nil {
			return err
		}
		if x.Stages, err = h.strs("LifecycleStages"); err != nil {
			return err
		}
		if d := h.get("HookDetails"); d != nil {
			x.HookDetails = plainJSON(d)
		}
		if h.has("TimeoutConfiguration") {
			tc, err := h.object("TimeoutConfiguration")
			if err != nil {
				return err
			}
			if x.TimeoutMinutes, err = tc.integer("TimeoutInMinutes", 0); err != nil {
				return err
			}
			if x.TimeoutAction, err = tc.str("Action"); err != nil {
				return err
			}
		}
		list = append(list, x)
	}
	out.LifecycleHooks = &list
	return nil
}

// createManagedInstancesProvider makes an AWS::ECS::CapacityProvider's
// ManagedInstancesProvider: an ECS Managed Instances provider of the
// cluster ClusterName names.
func createManagedInstancesProvider(c *rctx, name string, mp obj) error {
	p := c.p
	cluster, err := p.str("ClusterName")
	if err != nil {
		return err
	}
	mi := &model.ManagedInstancesProvider{}
	if mi.InfrastructureRoleARN, err = mp.str("InfrastructureRoleArn"); err != nil {
		return err
	}
	if mi.PropagateTags, err = mp.str("PropagateTags"); err != nil {
		return err
	}
	lt, err := mp.object("InstanceLaunchTemplate")
	if err != nil {
		return err
	}
	if mi.InstanceProfileARN, err = lt.str("Ec2InstanceProfileArn"); err != nil {
		return err
	}
	if mi.Monitoring, err = lt.str("Monitoring"); err != nil {
		return err
	}
	if mi.CapacityOptionType, err = lt.str("CapacityOptionType"); err != nil {
		return err
	}
	net, err := lt.object("NetworkConfiguration")
	if err != nil {
		return err
	}
	subnets, err := net.strs("Subnets")
	if err != nil {
		return err
	}
	for _, s := range subnets {
		mi.Subnets = append(mi.Subnets, model.SubnetID(s))
	}
	groups, err := net.strs("SecurityGroups")
	if err != nil {
		return err
	}
	for _, g := range groups {
		mi.SecurityGroups = append(mi.SecurityGroups, model.SecurityGroupID(g))
	}
	sc, err := lt.object("StorageConfiguration")
	if err != nil {
		return err
	}
	if mi.StorageGiB, err = sc.integer("StorageSizeGiB", 0); err != nil {
		return err
	}
	req, err := lt.object("InstanceRequirements")
	if err != nil {
		return err
	}
	if mi.AllowedInstanceTypes, err = req.strs("AllowedInstanceTypes"); err != nil {
		return err
	}
	for _, r := range []struct {
		key      string
		min, max *int
	}{{"VCpuCount", &mi.VCPUMin, &mi.VCPUMax}, {"MemoryMiB", &mi.MemoryMiBMin, &mi.MemoryMiBMax}} {
		o, err := req.object(r.key)
		if err != nil {
			return err
		}
		if *r.min, err = o.integer("Min", 0); err != nil {
			return err
		}
		if *r.max, err = o.integer("Max", 0); err != nil {
			return err
		}
	}
	opt, err := mp.object("InfrastructureOptimization")
	if err != nil {
		return err
	}
	if opt.has("ScaleInAfter") {
		v, err := opt.integer("ScaleInAfter", 0)
		if err != nil {
			return err
		}
		mi.ScaleInAfter = &v
	}
	tags, err := p.tags()
	if err != nil {
		return err
	}
	cp, err := c.e().CreateCapacityProvider(engine.CreateCapacityProviderInput{Name: name, Cluster: cluster, ManagedInstances: mi, Tags: tags})
	if err != nil {
		return p.at("ManagedInstancesProvider", err)
	}
	c.setRef(cp.Name)
	return nil
}

// serviceMonitoring checks a service's Monitoring (ECS's high-resolution
// service metrics of June 2026) as the resource's schema does: one or two
// MetricConfigurations, each with one or two MetricNames of CPUUtilization
// and MemoryUtilization and a ResolutionSeconds of 20 or 60. The
// resolution changes no packet's path: ecsnet checks it and keeps nothing.
func serviceMonitoring(p obj) error {
	mon, err := p.object("Monitoring")
	if err != nil || mon.n == nil {
		return err
	}
	if !mon.has("MetricConfigurations") {
		return mon.missing("MetricConfigurations")
	}
	configs, err := mon.objects("MetricConfigurations")
	if err != nil {
		return err
	}
	if err := mon.itemCount("MetricConfigurations", len(configs), 1, 2); err != nil {
		return err
	}
	for _, mc := range configs {
		if !mc.has("MetricNames") {
			return mc.missing("MetricNames")
		}
		names, err := mc.strs("MetricNames")
		if err != nil {
			return err
		}
		if err := mc.itemCount("MetricNames", len(names), 1, 2); err != nil {
			return err
		}
		for i, name := range names {
			if name != "CPUUtilization" && name != "MemoryUtilization" {
				return mc.invalid("MetricNames", "%d: %s is not a valid enum value (CPUUtilization, MemoryUtilization)", i, name)
			}
		}
		if !mc.has("ResolutionSeconds") {
			return mc.missing("ResolutionSeconds")
		}
		res, err := mc.integer("ResolutionSeconds", 0)
		if err != nil {
			return err
		}
		if res != 20 && res != 60 {
			return mc.invalid("ResolutionSeconds", "%d is not a valid enum value (20, 60)", res)
		}
	}
	return nil
}
