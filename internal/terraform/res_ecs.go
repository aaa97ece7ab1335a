package terraform

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// createAccountSettingDefault applies aws_ecs_account_setting_default: the
// account default of an ECS setting (PutAccountSettingDefault), such as
// dualStackIPv6, which decides whether awsvpc tasks get IPv6 addresses.
func createAccountSettingDefault(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	value, err := c.req("value")
	if err != nil {
		return err
	}
	s, err := c.e().PutAccountSetting(name, value, "")
	if err != nil {
		return c.fail("value", err)
	}
	c.created(s.Name, "")
	return nil
}

func createCluster(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	in := engine.CreateClusterInput{Name: name, Tags: c.plainTags()}
	for _, s := range c.o.blocks("setting") {
		if s.str("name") == "containerInsights" {
			in.ContainerInsights = s.str("value")
		}
	}
	if d := c.o.block("service_connect_defaults"); d.v != cty.NilVal {
		in.ServiceConnectNamespace = d.str("namespace")
	}
	var unknown bool
	c.read(func(st *model.State) { unknown = engine.NamespaceRefUnknown(st, in.ServiceConnectNamespace) })
	if unknown {
		c.l.warnf(c.r.rng, "%s: its Service Connect namespace %q is not in this configuration: the cluster is read without it", c.addr, in.ServiceConnectNamespace)
		in.ServiceConnectNamespace = ""
	}
	cl, err := c.e().CreateCluster(in)
	if err != nil {
		return c.fail("name", err)
	}
	// Before provider v5 (which removed them for
	// aws_ecs_cluster_capacity_providers) the cluster took its capacity
	// providers and default strategy itself, as CreateCluster does.
	// In a plan or state the providers it names come later (by type).
	if cps, bs := c.o.strs("capacity_providers"), c.o.blocks("default_capacity_provider_strategy"); len(cps) > 0 || len(bs) > 0 {
		strat, err := strategyOf(bs)
		if err != nil {
			return err
		}
		name := cl.Name
		if err := c.later(func() error {
			if _, err := c.e().PutClusterCapacityProviders(name, cps, strat); err != nil {
				return c.fail("capacity_providers", err)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	c.created(cl.ARN, "")
	c.set("arn", cl.ARN)
	c.set("name", cl.Name)
	return nil
}

func strategyOf(bs []obj) ([]model.CapacityProviderStrategyItem, error) {
	var out []model.CapacityProviderStrategyItem
	for _, b := range bs {
		w, err := b.integer("weight", 0)
		if err != nil {
			return nil, err
		}
		base, err := b.integer("base", 0)
		if err != nil {
			return nil, err
		}
		out = append(out, model.CapacityProviderStrategyItem{CapacityProvider: b.str("capacity_provider"), Weight: w, Base: base})
	}
	return out, nil
}

// ecsManagedTagWarning warns of a capacity provider for an
// aws_autoscaling_group of this configuration without the AmazonECSManaged
// tag: ECS adds the tag to the group, and every later plan removes it (an
// update in place), as the provider's documentation warns. A group given
// any other way (a module's output, a data source, an ARN) is not judged.
func (c *rctx) ecsManagedTagWarning(arn string) {
	exprs := blockAttrExprs(c.r.body, "auto_scaling_group_provider", "auto_scaling_group_arn")
	if arn == "" || c.l.fromJSON || len(exprs) != 1 || exprs[0] == nil {
		return
	}
	ref := ""
	for _, tr := range exprs[0].Variables() {
		if tr.RootName() == "aws_autoscaling_group" && len(tr) > 1 {
			ref = traversalString(tr[:2])
		}
	}
	if ref == "" {
		return
	}
	found, tagged := false, false
	c.e().Read(func(st *model.State) {
		for _, g := range st.AutoScalingGroups {
			if g.ARN == arn {
				found = true
				tagged = slices.ContainsFunc(g.Tags, func(t model.ASGTag) bool { return t.Key == "AmazonECSManaged" })
				return
			}
		}
	})
	if !found || tagged {
		return
	}
	c.l.warnf(c.r.rng, "%s: ECS adds the AmazonECSManaged tag to the Auto Scaling group (%s) when the capacity provider is created, and the group's configuration does not declare it: every later plan removes the tag (an update in place of the group); declare it with a tag block (key = \"AmazonECSManaged\", value = true, propagate_at_launch = true)", c.addr, ref)
}

func createCapacityProvider(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	if c.o.has("managed_instances_provider") {
		return createManagedInstancesProvider(c, name)
	}
	asg := c.o.block("auto_scaling_group_provider")
	in := engine.CreateCapacityProviderInput{Name: name, AutoScalingGroupARN: asg.str("auto_scaling_group_arn"), Tags: c.plainTags(),
		ManagedTerminationProtection: asg.str("managed_termination_protection") == "ENABLED"}
	if ms := asg.block("managed_scaling"); ms.v != cty.NilVal {
		in.ManagedScaling = ms.str("status") == "ENABLED"
		if in.TargetCapacity, err = ms.integer("target_capacity", 0); err != nil {
			return err
		}
		// The provider sends the step sizes when not 0 and the warm-up
		// period when set (expandManagedScaling); ECS validates them and
		// managed scaling launches by them.
		for _, st := range []struct {
			k       string
			to      **int
			nonZero bool
		}{{"minimum_scaling_step_size", &in.Scaling.Min, true}, {"maximum_scaling_step_size", &in.Scaling.Max, true},
			{"instance_warmup_period", &in.Scaling.Warmup, false}} {
			if !ms.has(st.k) {
				continue
			}
			n, err := ms.integer(st.k, 0)
			if err != nil {
				return err
			}
			if n != 0 || !st.nonZero {
				*st.to = &n
			}
		}
	}
	// managed_draining as given; unset, ECS's default (ENABLED).
	in.ManagedDraining = asg.str("managed_draining")
	c.ecsManagedTagWarning(in.AutoScalingGroupARN)
	cp, err := c.e().CreateCapacityProvider(in)
	if err != nil {
		return c.fail("auto_scaling_group_provider", err)
	}
	c.created(cp.ARN, "")
	c.set("arn", cp.ARN)
	c.set("name", cp.Name)
	return nil
}

func createClusterCapacityProviders(c *rctx) error {
	cluster, err := c.req("cluster_name")
	if err != nil {
		return err
	}
	strat, err := strategyOf(c.o.blocks("default_capacity_provider_strategy"))
	if err != nil {
		return err
	}
	cl, err := c.e().PutClusterCapacityProviders(cluster, c.o.strs("capacity_providers"), strat)
	if err != nil {
		return c.fail("capacity_providers", err)
	}
	c.created(cl.Name, "")
	return nil
}

// portProtocolError is ECS's refusal of a port mapping's protocol, with
// the protocol given.
type portProtocolError struct {
	err      error
	protocol string
}

func (e *portProtocolError) Error() string { return e.err.Error() }

// containerDefinitions reads container_definitions: the JSON text of
// RegisterTaskDefinition's containerDefinitions (usually jsonencode(…)).
func containerDefinitions(text string) ([]model.ContainerDefinition, error) {
	var raw []map[string]any
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return nil, fmt.Errorf("invalid container_definitions: %v", err)
	}
	var out []model.ContainerDefinition
	for i, d := range raw {
		if c, ok := canonicalKeys(d, "ContainerDefinition", 0).(map[string]any); ok {
			d = c
		}
		cd := model.ContainerDefinition{Essential: true}
		str := func(k string) string { s, _ := d[k].(string); return s }
		num := func(k string) (int, error) {
			switch v := d[k].(type) {
			case nil:
				return 0, nil
			case float64:
				if v != math.Trunc(v) {
					return 0, fmt.Errorf("container_definitions[%d].%s: a whole number is required", i, k)
				}
				return int(v), nil
			case string:
				n, err := strconv.Atoi(v)
				if err != nil {
					return 0, fmt.Errorf("container_definitions[%d].%s: %q is not a number", i, k, v)
				}
				return n, nil
			}
			return 0, fmt.Errorf("container_definitions[%d].%s: a number is required", i, k)
		}
		strs := func(k string) []string {
			l, _ := d[k].([]any)
			var o []string
			for _, x := range l {
				if s, ok := x.(string); ok {
					o = append(o, s)
				}
			}
			return o
		}
		cd.Name, cd.Image = str("name"), str("image")
		var err error
		if cd.CPU, err = num("cpu"); err != nil {
			return nil, err
		}
		if cd.Memory, err = num("memory"); err != nil {
			return nil, err
		}
		if cd.MemoryReservation, err = num("memoryReservation"); err != nil {
			return nil, err
		}
		if e, ok := d["essential"].(bool); ok {
			cd.Essential = e
		}
		cd.Command, cd.EntryPoint, cd.Links = strs("command"), strs("entryPoint"), strs("links")
		if labels, ok := d["dockerLabels"].(map[string]any); ok {
			cd.DockerLabels = map[string]string{}
			for k, v := range labels {
				cd.DockerLabels[k], _ = v.(string)
			}
		}
		if env, ok := d["environment"].([]any); ok {
			for _, e := range env {
				if m, ok := e.(map[string]any); ok {
					n, _ := m["name"].(string)
					v := fmt.Sprint(m["value"])
					if s, ok := m["value"].(string); ok {
						v = s
					}
					cd.Environment = append(cd.Environment, model.KeyValue{Name: n, Value: v})
				}
			}
		}
		if pms, ok := d["portMappings"].([]any); ok {
			for _, p := range pms {
				m, ok := p.(map[string]any)
				if !ok {
					continue
				}
				pd := map[string]any(m)
				var pm model.PortMapping
				get := func(k string) (int, error) {
					switch v := pd[k].(type) {
					case nil:
						return 0, nil
					case float64:
						return int(v), nil
					case string:
						return strconv.Atoi(v)
					}
					return 0, fmt.Errorf("bad %s", k)
				}
				cp, err1 := get("containerPort")
				hp, err2 := get("hostPort")
				if err1 != nil || err2 != nil || cp < 0 || cp > 65535 || hp < 0 || hp > 65535 {
					return nil, fmt.Errorf("container_definitions[%d].portMappings: ports are numbers from 0 to 65535", i)
				}
				pm.ContainerPort, pm.HostPort = uint16(cp), uint16(hp)
				if v, ok := pd["containerPortRange"]; ok && v != nil {
					// "first-last"; RegisterTaskDefinition's rules (no
					// containerPort or hostPort beside it, no overlap) are
					// the engine's.
					s, _ := v.(string)
					rng, err := model.ParsePortRange(s)
					if err != nil {
						return nil, fmt.Errorf("container_definitions[%d].portMappings: containerPortRange: %v", i, err)
					}
					pm.ContainerPortRange = rng
				}
				if s, _ := pd["protocol"].(string); s != "" {
					// The provider sends any string (the SDK's
					// TransportProtocol is a string): ECS refuses it.
					// Read without regard to case, as the ECS API
					// reads it ("TCP" is tcp) [choice].
					switch strings.ToLower(s) {
					case "tcp":
						pm.Protocol = model.TCP
					case "udp":
						pm.Protocol = model.UDP
					default:
						return nil, &portProtocolError{err: engine.ErrPortMappingProtocol(cd.Name), protocol: s}
					}
				}
				pm.Name, _ = pd["name"].(string)
				pm.AppProtocol, _ = pd["appProtocol"].(string)
				cd.PortMappings = append(cd.PortMappings, pm)
			}
		}
		// ecsnet's own labels (Docker keeps them, AWS ignores them): the
		// address the application binds to, and what it answers on each
		// HTTP path ("/health=200,/api/*=200").
		if s := cd.DockerLabels["ecsnet.listen"]; s != "" {
			a, err := netip.ParseAddr(s)
			if err != nil {
				return nil, fmt.Errorf("container_definitions[%d]: label ecsnet.listen: %q is not an IP address", i, s)
			}
			cd.ListenAddress = a
		}
		if s := cd.DockerLabels["ecsnet.tls"]; s != "" {
			b, err := strconv.ParseBool(s)
			if err != nil {
				return nil, fmt.Errorf("container_definitions[%d]: label ecsnet.tls: want true or false, got %q", i, s)
			}
			cd.TLS = b
		}
		if s := cd.DockerLabels["ecsnet.serves"]; s != "" {
			cd.Serves = map[string]int{}
			for _, kv := range strings.Split(s, ",") {
				path, code, ok := strings.Cut(strings.TrimSpace(kv), "=")
				n, err := strconv.Atoi(code)
				if !ok || err != nil || !strings.HasPrefix(path, "/") {
					return nil, fmt.Errorf("container_definitions[%d]: label ecsnet.serves: want /path=status[,…], got %q", i, kv)
				}
				cd.Serves[path] = n
			}
		}
		known := map[string]bool{"name": true, "image": true, "cpu": true, "memory": true, "memoryReservation": true, "essential": true,
			"command": true, "entryPoint": true, "links": true, "dockerLabels": true, "environment": true, "portMappings": true}
		for k, v := range d {
			if !known[k] {
				if cd.Raw == nil {
					cd.Raw = map[string]any{}
				}
				cd.Raw[k] = v
			}
		}
		out = append(out, cd)
	}
	return out, nil
}

func createTaskDefinition(c *rctx) error {
	family, err := c.req("family")
	if err != nil {
		return err
	}
	text, err := c.req("container_definitions")
	if err != nil {
		return err
	}
	if err := checkContainerJSON(text); err != nil {
		return c.errf("container_definitions", "%v", err)
	}
	defs, err := containerDefinitions(text)
	var ppe *portProtocolError
	if errors.As(err, &ppe) {
		// AWS's refusal, met when the provider registers the task
		// definition (apply): ecsnet says what the value was meant as.
		e := c.fail("container_definitions", ppe.err).(*Error)
		switch strings.ToLower(ppe.protocol) {
		case "http", "http2", "grpc":
			e.Msg += fmt.Sprintf(" (protocol is the transport, tcp or udp; %q is an appProtocol, which Service Connect reads)", ppe.protocol)
		}
		return e
	}
	if err != nil {
		return c.errf("container_definitions", "%v", err)
	}
	unknown := unknownContainerKeys(text)
	at := c.o.at("container_definitions")
	for i := range len(defs) {
		for _, k := range unknown[i] {
			hint := ""
			if k[1] != "" {
				hint = fmt.Sprintf(" (%s?)", k[1])
			}
			c.l.warnf(at, "%s: container_definitions[%d] (%s) has %q, which is not a key of an ECS container definition%s: the provider drops it without a word, and ECS registers the container without it",
				c.addr, i, defs[i].Name, k[0], hint)
		}
	}
	in := engine.RegisterTaskDefinitionInput{Family: family, NetworkMode: c.o.str("network_mode"), Containers: defs,
		RequiresCompatibilities: c.o.strs("requires_compatibilities"), CPU: c.o.str("cpu"), Memory: c.o.str("memory"),
		TaskRoleARN: c.o.str("task_role_arn"), ExecutionRoleARN: c.o.str("execution_role_arn"), PIDMode: c.o.str("pid_mode"),
		IPCMode: c.o.str("ipc_mode"), Tags: c.plainTags()}
	if rp := c.o.block("runtime_platform"); rp.v != cty.NilVal {
		in.RuntimePlatform = &model.RuntimePlatform{CPUArchitecture: rp.str("cpu_architecture"), OperatingSystemFamily: rp.str("operating_system_family")}
	}
	for _, p := range c.o.blocks("placement_constraints") {
		in.PlacementConstraints = append(in.PlacementConstraints, model.PlacementConstraint{Type: p.str("type"), Expression: p.str("expression")})
	}
	// volume blocks: the names containers mount (mountPoints.sourceVolume),
	// and a bind mount's host_path, which Fargate refuses.
	var volumes []any
	for _, v := range c.o.blocks("volume") {
		vol := map[string]any{"name": v.str("name")}
		if hp := v.str("host_path"); hp != "" {
			vol["host"] = map[string]any{"sourcePath": hp}
		}
		if ev := v.block("efs_volume_configuration"); ev.has("file_system_id") {
			cfg := map[string]any{"fileSystemId": ev.str("file_system_id")}
			if s := ev.str("root_directory"); s != "" {
				cfg["rootDirectory"] = s
			}
			if s := ev.str("transit_encryption"); s != "" {
				cfg["transitEncryption"] = s
			}
			if auth := ev.block("authorization_config"); auth.has("access_point_id") || auth.has("iam") {
				a := map[string]any{}
				if s := auth.str("access_point_id"); s != "" {
					a["accessPointId"] = s
				}
				if s := auth.str("iam"); s != "" {
					a["iam"] = s
				}
				cfg["authorizationConfig"] = a
			}
			vol["efsVolumeConfiguration"] = cfg
		}
		volumes = append(volumes, vol)
	}
	if len(volumes) > 0 {
		in.Raw = map[string]any{"volumes": volumes}
	}
	td, err := c.e().RegisterTaskDefinition(in)
	if err != nil {
		key := "container_definitions"
		switch msg := err.Error(); {
		case strings.Contains(msg, "networkMode"):
			key = "network_mode"
		case strings.Contains(msg, "'cpu'"):
			key = "cpu"
		case strings.Contains(msg, "'memory' setting for task"):
			key = "memory"
		case strings.Contains(msg, "compatibilit") || strings.Contains(msg, "Fargate"):
			key = "requires_compatibilities"
		case strings.Contains(msg, "cpuArchitecture") || strings.Contains(msg, "operatingSystemFamily"):
			key = "runtime_platform"
		case strings.Contains(msg, "lacement constraint") || strings.Contains(msg, "placementConstraints"):
			key = "placement_constraints"
		}
		return c.fail(key, err)
	}
	c.created(td.ARN, "")
	// ECS registers a task size written in vCPU or GB as CPU units and MiB
	// ("1 vCPU" as "1024", "3 GB" as "3072"); the provider reads that back
	// and its schema compares the strings, so every later plan replaces
	// the task definition (hashicorp/terraform-provider-aws#29139, #42780).
	for _, size := range []struct{ arg, registered, unit string }{{"cpu", td.CPU, "CPU units"}, {"memory", td.Memory, "MiB"}} {
		if given := c.o.str(size.arg); given != "" && size.registered != "" && given != size.registered {
			c.l.warnf(c.o.at(size.arg), "%s: %s = %q: ECS registers it as %s %s and the provider reads that back, so every later plan replaces the task definition (and updates its services); write %s = %s",
				c.addr, size.arg, given, size.registered, size.unit, size.arg, size.registered)
		}
	}
	// The provider's id of a task definition is its family (its Create:
	// d.SetId(family)), so task_definition = aws_ecs_task_definition.x.id
	// names the family's latest ACTIVE revision (ecsnet's records keep the
	// ARN).
	c.set("id", td.Family)
	c.set("arn", td.ARN)
	c.set("arn_without_revision", td.ARN[:strings.LastIndex(td.ARN, ":")])
	c.out["revision"] = cty.NumberIntVal(int64(td.Revision))
	c.set("family", td.Family)
	return nil
}

// aws_ecs_service: desired_count defaults to 0 in Terraform (not 1 as in
// CloudFormation).
func createService(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	in := engine.CreateServiceInput{Name: name, Cluster: c.o.str("cluster"), TaskDefinition: c.o.str("task_definition"),
		LaunchType: model.LaunchType(c.o.str("launch_type")), PlatformVersion: c.o.str("platform_version"),
		SchedulingStrategy: c.o.str("scheduling_strategy"), PropagateTags: c.o.str("propagate_tags"),
		EnableECSManagedTags: c.o.flag("enable_ecs_managed_tags"), Role: c.o.str("iam_role"), Tags: c.plainTags()}
	// A plan or state holds the role ECS answers (roleArn) where the
	// configuration gave none: its service-linked role, which
	// CreateService refuses as a role given ("You cannot specify an IAM
	// role for services that require a service linked role").
	if c.l.fromJSON && strings.Contains(in.Role, "/aws-service-role/ecs.amazonaws.com/") {
		in.Role = ""
	}
	if in.Cluster == "" {
		in.Cluster = "default"
	}
	if in.TaskDefinition == "" {
		return c.errf("task_definition", "task_definition is required (unless the service uses the EXTERNAL deployment controller, which ecsnet does not model)")
	}
	if !strings.HasPrefix(in.TaskDefinition, "arn:") && !strings.Contains(in.TaskDefinition, ":") && !c.l.fromJSON &&
		!slices.Contains(c.r.ignores, "task_definition") && !slices.Contains(c.r.ignores, "all") {
		// The provider keeps an ARN as the service answers it and anything
		// else as family:revision (its Read,
		// familyAndRevisionFromTaskDefinitionARN), so a family alone (a
		// task definition's id or family) never matches what it reads.
		c.l.warnf(c.r.rng, "%s: task_definition %q is a family without a revision: the provider reads the service's task definition back as %s:<revision>, so every later plan updates the service; name the task definition's arn (or family:revision)",
			c.addr, in.TaskDefinition, in.TaskDefinition)
	}
	// An ARN without a revision (arn_without_revision) means the latest
	// ACTIVE revision, as a bare family does.
	if td, ok := strings.CutPrefix(in.TaskDefinition, "arn:"); ok {
		if i := strings.Index(td, ":task-definition/"); i >= 0 && !strings.Contains(td[i+len(":task-definition/"):], ":") {
			in.TaskDefinition = td[i+len(":task-definition/"):]
		}
	}
	if in.DesiredCount, err = c.o.integer("desired_count", 0); err != nil {
		return err
	}
	if in.HealthCheckGracePeriod, err = c.o.integer("health_check_grace_period_seconds", 0); err != nil {
		return err
	}
	if in.CapacityProviderStrategy, err = strategyOf(c.o.blocks("capacity_provider_strategy")); err != nil {
		return err
	}
	if nc := c.o.block("network_configuration"); nc.v != cty.NilVal {
		if err := c.needCollection(nc, "set", "subnets", "security_groups"); err != nil {
			return err
		}
		in.Network = &model.AwsVpcConfiguration{Subnets: subnetIDs(nc.strs("subnets")), SecurityGroups: groupIDs(nc.strs("security_groups")),
			AssignPublicIP: nc.flag("assign_public_ip")}
	}
	for _, lb := range c.o.blocks("load_balancer") {
		port, err := lb.integer("container_port", 0)
		if err != nil {
			return err
		}
		x := model.ServiceLoadBalancer{TargetGroupARN: lb.str("target_group_arn"),
			LoadBalancerName: lb.str("elb_name"), ContainerName: lb.str("container_name"), ContainerPort: uint16(port)}
		if ac := lb.block("advanced_configuration"); ac.v != cty.NilVal {
			x.Advanced = &model.AdvancedConfiguration{AlternateTargetGroupARN: ac.str("alternate_target_group_arn"),
				ProductionListenerRule: ac.str("production_listener_rule"), TestListenerRule: ac.str("test_listener_rule"), RoleARN: ac.str("role_arn")}
		}
		in.LoadBalancers = append(in.LoadBalancers, x)
	}
	for _, r := range c.o.blocks("service_registries") {
		port, err := r.integer("port", 0)
		if err != nil {
			return err
		}
		cport, err := r.integer("container_port", 0)
		if err != nil {
			return err
		}
		in.ServiceRegistries = append(in.ServiceRegistries, model.ServiceRegistry{RegistryARN: r.str("registry_arn"),
			ContainerName: r.str("container_name"), Port: uint16(port), ContainerPort: uint16(cport)})
	}
	if err := serviceConnectOf(c, &in); err != nil {
		return err
	}
	for _, p := range c.o.blocks("ordered_placement_strategy") {
		in.PlacementStrategy = append(in.PlacementStrategy, model.PlacementStrategy{Type: p.str("type"), Field: p.str("field")})
	}
	for _, p := range c.o.blocks("placement_constraints") {
		in.PlacementConstraints = append(in.PlacementConstraints, model.PlacementConstraint{Type: p.str("type"), Expression: p.str("expression")})
	}
	if dc := c.o.block("deployment_controller"); dc.v != cty.NilVal {
		in.DeploymentController = dc.str("type")
	}
	if in.DeploymentConfig, err = deploymentConfigOf(c.o); err != nil {
		return err
	}
	in.EnableExecuteCommand = c.o.flag("enable_execute_command")
	// force_new_deployment and triggers: the provider sends
	// forceNewDeployment on update only (a new service has no deployment
	// to replace), so on create they change nothing.
	c.o.flag("force_new_deployment")
	c.o.get("triggers")
	// availability_zone_rebalancing as given; unset, ECS's own default.
	in.AZRebalancing = c.o.str("availability_zone_rebalancing")
	svc, err := c.e().CreateService(in)
	if err != nil {
		key := ""
		switch msg := err.Error(); {
		case strings.Contains(msg, "public IP") || strings.Contains(msg, "subnet") || strings.Contains(msg, "security group"):
			key = "network_configuration"
		case strings.Contains(msg, "service registry") || strings.Contains(msg, "registr"):
			key = "service_registries"
		case strings.Contains(msg, "lacement"):
			key = "ordered_placement_strategy"
		case strings.Contains(msg, "arget group") || strings.Contains(msg, "load balancer") || strings.Contains(msg, "container"):
			key = "load_balancer"
			if strings.Contains(msg, "does not have an associated load balancer") {
				var arns []string
				for _, lb := range in.LoadBalancers {
					arns = append(arns, lb.TargetGroupARN)
				}
				if hint := c.listenerRace(arns); hint != "" {
					err = fmt.Errorf("%w (%s)", err, hint)
				}
			}
		case strings.Contains(msg, "capacity provider"):
			key = "capacity_provider_strategy"
			if hint := c.capacityProviderRace(); hint != "" {
				err = fmt.Errorf("%w (%s)", err, hint)
			}
		case strings.Contains(msg, "TaskDefinition") || strings.Contains(msg, "task definition"):
			key = "task_definition"
		case strings.Contains(msg, "luster"):
			key = "cluster"
		}
		return c.fail(key, err)
	}
	c.raceWarning()
	{
		var arns []string
		for _, lb := range in.LoadBalancers {
			arns = append(arns, lb.TargetGroupARN)
		}
		c.crossModuleRaceWarning(arns)
	}
	// The provider returns without waiting for the tasks unless
	// wait_for_steady_state is set.
	if c.o.flag("wait_for_steady_state") {
		if err := c.e().Converge(); err != nil {
			return c.fail("", err)
		}
	}
	c.created(svc.ARN, svc.ARN)
	c.l.services = append(c.l.services, Resource{Address: c.addr, Type: c.typ, ID: svc.ARN, File: c.r.rng.Filename, Line: c.r.rng.Start.Line})
	c.set("name", svc.Name)
	c.set("arn", svc.ARN)
	c.set("cluster", svc.ClusterARN)
	return nil
}

// listenerRace explains CreateService's "does not have an associated load
// balancer" when the configuration does put the target group behind a load
// balancer, through a listener or listener rule the service does not
// depend on: Terraform creates independent resources in parallel, so the
// service may come first, as it did here.
func (c *rctx) listenerRace(arns []string) string {
	groups, names := c.forwarders()
	if len(names) == 0 {
		if hint := c.moduleListenerRace(arns); hint != "" {
			return hint
		}
		if len(groups) == 0 {
			return ""
		}
		return "no listener or listener rule of this configuration forwards to it: ECS registers tasks only with a target group a load balancer uses"
	}
	return fmt.Sprintf("%s %s the target group behind the load balancer, but %s does not depend on %s, so Terraform may create the service first: add depends_on = [%s] to the service",
		strings.Join(names, " and "), puts(names), c.addr, them(names), strings.Join(names, ", "))
}

// capacityProviderRace explains CreateService's refusal of a capacity
// provider ("was not found", "not associated with the cluster") when the
// configuration does create capacity providers or the cluster's
// association with them, and has not yet: the service does not depend on
// them (a module's cluster_id output depends on the cluster alone), so
// Terraform's parallel walk may create it first, as here.
func (c *rctx) capacityProviderRace() string {
	root := c.mi
	for root.parent != nil {
		root = root.parent
	}
	var addrs, deps []string
	seen := map[string]bool{}
	var walk func(mi *modInst)
	walk = func(mi *modInst) {
		for _, r := range mi.mod.resources {
			if (r.typ == "aws_ecs_capacity_provider" || r.typ == "aws_ecs_cluster_capacity_providers") && !mi.done[r.key()] {
				addrs = append(addrs, mi.path+r.key())
				dep := r.key()
				if rest, ok := strings.CutPrefix(mi.path, c.mi.path); ok && rest != "" {
					// depends_on names the module call under the service's module.
					dep = strings.SplitN(strings.TrimPrefix(rest, "module."), ".", 2)[0]
					if i := strings.IndexAny(dep, "["); i >= 0 {
						dep = dep[:i]
					}
					dep = "module." + dep
				} else if !ok {
					dep = ""
				}
				if dep != "" && !seen[dep] {
					seen[dep] = true
					deps = append(deps, dep)
				}
			}
		}
		for _, name := range sortedKeys(mi.calls) {
			for _, inst := range mi.calls[name].insts {
				walk(inst)
			}
		}
	}
	walk(root)
	if len(addrs) == 0 {
		return ""
	}
	hint := fmt.Sprintf("the configuration makes its capacity providers or their association with the cluster (%s), but %s does not depend on them, so Terraform may create the service first, and the provider does not retry this refusal: the apply fails (a second one succeeds once the association exists)",
		strings.Join(addrs, ", "), c.addr)
	if len(deps) > 0 {
		hint += fmt.Sprintf(": add depends_on = [%s] to the service", strings.Join(deps, ", "))
	}
	return hint
}

// moduleListenerRace is listenerRace for a target group that reaches the
// service through a module's input (the service made by a module, the
// listener by its caller, or the other way round): the listeners and
// rules of any module, not yet created, that forward to one of the
// service's target groups (by ARN), and the depends_on that orders them,
// on the service's module call when the service is in a module.
func (c *rctx) moduleListenerRace(arns []string) string {
	var names, deps []string
	for _, f := range c.forwardingListeners(arns, nil) {
		mi, r := f.mi, f.r
		if mi.done[r.key()] {
			continue
		}
		// A stand-in's resources are not the user's to name
		// (its v8 and v9 listener blocks, one of them with no
		// instance): the module call stands for them.
		name := mi.path + r.key()
		if IsStandIn(r.rng.Filename) {
			name = "the listeners of module." + strings.TrimSuffix(mi.path, ".")
			if strings.HasPrefix(mi.path, "module.") {
				name = "the listeners of " + strings.TrimSuffix(mi.path, ".")
			}
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
		if mi.path == "" {
			deps = append(deps, r.key())
		} else if d := "module." + rootCall(mi.path); !slices.Contains(deps, d) {
			deps = append(deps, d)
		}
	}
	if len(names) == 0 {
		return ""
	}
	// depends_on goes where the service is declared: on the module call
	// (in the caller's module) when a module makes it.
	where := "the service"
	if c.mi.path != "" {
		where = fmt.Sprintf("module %q", rootCall(c.mi.path))
	}
	verb, obj := puts(names), them(names)
	if len(names) == 1 && strings.HasPrefix(names[0], "the listeners of ") {
		verb, obj = "put", "them"
	}
	return fmt.Sprintf("%s %s the target group behind the load balancer, but %s does not depend on %s, so Terraform may create the service first: add depends_on = [%s] to %s",
		strings.Join(names, " and "), verb, c.addr, obj, strings.Join(deps, ", "), where)
}

// moduleResource is a resource of a module instance.
type moduleResource struct {
	mi *modInst
	r  *resource
}

// forwardingListeners are the listeners and listener rules of every
// module instance but skip (the root's first, then its calls' by name)
// that refer to a target group whose ARN is in arns.
func (c *rctx) forwardingListeners(arns []string, skip *modInst) []moduleResource {
	want := map[string]bool{}
	for _, a := range arns {
		want[a] = true
	}
	isWanted := func(arn string) bool { return want[arn] }
	root := c.mi
	for root.parent != nil {
		root = root.parent
	}
	var found []moduleResource
	var walk func(mi *modInst)
	walk = func(mi *modInst) {
		if mi != skip {
			for _, r := range mi.mod.resources {
				switch r.typ {
				case "aws_lb_listener", "aws_alb_listener", "aws_lb_listener_rule", "aws_alb_listener_rule":
				default:
					continue
				}
				// One that made nothing (count 0, an empty for_each: a
				// stand-in's other interface) forwards nowhere; one not
				// made yet is kept.
				if v, ok := mi.res[r.key()]; ok && noInstances(v) {
					continue
				}
				for _, t := range refsOf(r.body) {
					k := resourceKey(t)
					if !strings.HasSuffix(strings.SplitN(k, ".", 2)[0], "_target_group") {
						continue
					}
					if v, ok := mi.res[k]; ok && anyAttr(v, "arn", isWanted) {
						found = append(found, moduleResource{mi, r})
						break
					}
				}
			}
		}
		for _, name := range sortedKeys(mi.calls) {
			for _, inst := range mi.calls[name].insts {
				walk(inst)
			}
		}
	}
	walk(root)
	return found
}

// noInstances reports whether a resource's value is an empty collection
// of instances (count = 0, an empty for_each).
func noInstances(v cty.Value) bool {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() {
		return false
	}
	t := v.Type()
	return (t.IsTupleType() || t.IsListType() || t.IsMapType() || t.IsObjectType() && !t.HasAttribute("arn")) && v.LengthInt() == 0
}

// rootCall is the root module's call a module path is under:
// `module.ecs.module.service["web"].` gives "ecs".
func rootCall(path string) string {
	s := strings.SplitN(strings.TrimPrefix(path, "module."), ".", 2)[0]
	if i := strings.IndexByte(s, '['); i >= 0 {
		s = s[:i]
	}
	return s
}

// anyAttr reports whether a resource value (one instance, or a count's or
// for_each's collection of them) has a string attribute a that match
// accepts.
func anyAttr(v cty.Value, a string, match func(string) bool) bool {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() {
		return false
	}
	t := v.Type()
	if t.IsObjectType() && t.HasAttribute(a) {
		x := v.GetAttr(a)
		return x.IsKnown() && !x.IsNull() && x.Type() == cty.String && match(x.AsString())
	}
	if t.IsObjectType() || t.IsMapType() || t.IsTupleType() || t.IsListType() {
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if anyAttr(e, a, match) {
				return true
			}
		}
	}
	return false
}

// raceWarning warns, once the service exists, of the listeners and rules
// forwarding to its target groups that it does not depend on, even
// through others: ecsnet created them first (declaration order), but
// Terraform may not, and then ECS refuses the service.
func (c *rctx) raceWarning() {
	_, names := c.forwarders()
	if len(names) == 0 {
		return
	}
	// ECS asks only that each target group be associated with a load
	// balancer (DescribeTargetGroups' LoadBalancerArns): one listener or
	// rule forwarding to it, created first, is enough. A group the service
	// waits for one forwarder of is safe; the forwarders of a group it
	// waits for none of are what to depend on.
	_, deps := c.pendingDeps()
	byGroup := c.forwardersByGroup()
	var missing []string
	for _, g := range sortedKeys(byGroup) {
		fs := byGroup[g]
		if slices.ContainsFunc(fs, func(n string) bool { return deps[n] }) {
			continue
		}
		for _, n := range fs {
			if !slices.Contains(missing, n) {
				missing = append(missing, n)
			}
		}
	}
	if len(missing) > 0 {
		c.l.warnf(c.r.rng, "%s does not depend on %s, which puts its target group behind the load balancer: Terraform may create the service first, and ECS then refuses it (\"does not have an associated load balancer\"); add depends_on = [%s]",
			c.addr, strings.Join(missing, " and "), strings.Join(missing, ", "))
	}
}

// forwarders returns the target groups the service's load_balancer blocks
// name, and the listeners and listener rules of the module that refer to
// one of them.
func (c *rctx) forwarders() (groups map[string]bool, names []string) {
	sb, ok := c.r.body.(*hclsyntax.Body)
	if !ok {
		return nil, nil
	}
	groups = map[string]bool{}
	for _, b := range sb.Blocks {
		var refs []hcl.Traversal
		switch {
		case b.Type == "load_balancer":
			if a := b.Body.Attributes["target_group_arn"]; a != nil {
				refs = a.Expr.Variables()
			}
		case b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == "load_balancer":
			// for_each over the target groups, or content naming one.
			refs = refsOf(b.Body)
		}
		for _, t := range refs {
			if k := resourceKey(t); strings.HasSuffix(strings.SplitN(k, ".", 2)[0], "_target_group") {
				groups[k] = true
			}
		}
	}
	if len(groups) == 0 {
		return groups, nil
	}
	for _, r := range c.mi.mod.resources {
		switch r.typ {
		case "aws_lb_listener", "aws_alb_listener", "aws_lb_listener_rule", "aws_alb_listener_rule":
		default:
			continue
		}
		for _, t := range refsOf(r.body) {
			if groups[resourceKey(t)] {
				names = append(names, r.key())
				break
			}
		}
	}
	return groups, names
}

// forwardersByGroup returns, for each target group the service's
// load_balancer blocks name, the listeners and listener rules of the
// module that refer to it.
func (c *rctx) forwardersByGroup() map[string][]string {
	groups, _ := c.forwarders()
	out := map[string][]string{}
	for _, r := range c.mi.mod.resources {
		switch r.typ {
		case "aws_lb_listener", "aws_alb_listener", "aws_lb_listener_rule", "aws_alb_listener_rule":
		default:
			continue
		}
		for _, t := range refsOf(r.body) {
			if g := resourceKey(t); groups[g] && !slices.Contains(out[g], r.key()) {
				out[g] = append(out[g], r.key())
			}
		}
	}
	return out
}

// resourceKey is the resource a reference names ("aws_lb.web"), "" for
// anything else.
func resourceKey(t hcl.Traversal) string {
	// A resource type has an underscore; var, local, module, data do not.
	if len(t) < 2 || !strings.Contains(t.RootName(), "_") {
		return ""
	}
	if a, ok := t[1].(hcl.TraverseAttr); ok {
		return t.RootName() + "." + a.Name
	}
	return ""
}

// deploymentConfigOf reads aws_ecs_service's deployment_maximum_percent,
// deployment_minimum_healthy_percent and deployment_circuit_breaker
// (enable and rollback, both required) into ECS's
// deploymentConfiguration; nil when none is given (ECS's defaults, 200
// and 100 for a REPLICA service).
func deploymentConfigOf(o obj) (*engine.DeploymentConfigInput, error) {
	var dc engine.DeploymentConfigInput
	set := false
	for _, k := range []string{"deployment_maximum_percent", "deployment_minimum_healthy_percent"} {
		if !o.has(k) {
			continue
		}
		n, err := o.integer(k, 0)
		if err != nil {
			return nil, err
		}
		if k == "deployment_maximum_percent" {
			dc.MaximumPercent = &n
		} else {
			dc.MinimumHealthyPercent = &n
		}
		set = true
	}
	if cb := o.block("deployment_circuit_breaker"); cb.v != cty.NilVal {
		dc.CircuitBreaker = &[2]bool{cb.flag("enable"), cb.flag("rollback")}
		set = true
	}
	// deployment_configuration: strategy, bake_time_in_minutes,
	// linear_configuration, canary_configuration and lifecycle_hook
	// blocks (provider v6.4+).
	if d := o.block("deployment_configuration"); d.v != cty.NilVal {
		dc.Strategy = d.str("strategy")
		for _, f := range []struct {
			key, pct, mins string
			to             **engine.ShiftConfig
		}{{"linear_configuration", "step_percent", "step_bake_time_in_minutes", &dc.Linear}, {"canary_configuration", "canary_percent", "canary_bake_time_in_minutes", &dc.Canary}} {
			b := d.block(f.key)
			if b.v == cty.NilVal {
				continue
			}
			pct, _ := strconv.ParseFloat(b.str(f.pct), 64)
			mins, err := b.integer(f.mins, 0)
			if err != nil {
				return nil, err
			}
			*f.to = &engine.ShiftConfig{Percent: pct, Minutes: mins}
		}
		if d.has("bake_time_in_minutes") {
			n, err := d.integer("bake_time_in_minutes", 0)
			if err != nil {
				return nil, err
			}
			dc.BakeTimeInMinutes = &n
		}
		if hs := d.blocks("lifecycle_hook"); len(hs) > 0 {
			hooks := []model.DeploymentLifecycleHook{}
			for _, h := range hs {
				x := model.DeploymentLifecycleHook{HookTargetARN: h.str("hook_target_arn"), RoleARN: h.str("role_arn"), Stages: h.strs("lifecycle_stages")}
				if raw := h.str("hook_details"); raw != "" {
					var v any
					if err := json.Unmarshal([]byte(raw), &v); err == nil {
						x.HookDetails = v
					}
				}
				hooks = append(hooks, x)
			}
			dc.LifecycleHooks = &hooks
		}
		set = true
	}
	if !set {
		return nil, nil
	}
	return &dc, nil
}

// puts and them agree with the number of resources named.
func puts(names []string) string {
	if len(names) > 1 {
		return "put"
	}
	return "puts"
}

func them(names []string) string {
	if len(names) > 1 {
		return "them"
	}
	return "it"
}

// serviceConnectOf reads aws_ecs_service's service_connect_configuration
// (enabled, namespace, log_configuration, service blocks with port_name,
// discovery_name, ingress_port_override, a timeout, tls and a
// client_alias). One whose
// namespace is not in the system is kept as recognised only, with a
// warning.
func serviceConnectOf(c *rctx, in *engine.CreateServiceInput) error {
	sc := c.o.block("service_connect_configuration")
	if sc.v == cty.NilVal {
		return nil
	}
	cfg := &model.ServiceConnectConfiguration{Enabled: sc.flag("enabled"), Namespace: sc.str("namespace")}
	if l := sc.block("log_configuration"); l.v != cty.NilVal {
		cfg.LogDriver = l.str("log_driver")
		if opts := stringMap(l.get("options")); len(opts) > 0 {
			cfg.LogOptions = opts
		}
	}
	for _, b := range sc.blocks("service") {
		x := model.ServiceConnectService{PortName: b.str("port_name"), DiscoveryName: b.str("discovery_name")}
		port, err := b.integer("ingress_port_override", 0)
		if err != nil {
			return err
		}
		x.IngressPortOverride = uint16(port)
		// The provider sends both timeouts of a timeout block, an unset
		// one as 0 (its expandTimeout), so ECS sees a per-request timeout
		// whenever the block is written.
		if t := b.block("timeout"); t.v != cty.NilVal {
			v, err := t.integer("per_request_timeout_seconds", 0)
			if err != nil {
				return err
			}
			n := int64(v)
			x.PerRequestTimeoutSeconds = &n
		}
		// TLS between the proxies: ECS keeps it as given (ecsnet does
		// not model the certificates) and answers it back.
		if t := b.block("tls"); t.v != cty.NilVal {
			tls := map[string]any{}
			if ca := t.block("issuer_cert_authority"); ca.v != cty.NilVal {
				tls["issuerCertificateAuthority"] = map[string]any{"awsPcaAuthorityArn": ca.str("aws_pca_authority_arn")}
			}
			if k := t.str("kms_key"); k != "" {
				tls["kmsKey"] = k
			}
			if r := t.str("role_arn"); r != "" {
				tls["roleArn"] = r
			}
			x.Unmodelled = map[string]any{"tls": tls}
		}
		for _, a := range b.blocks("client_alias") {
			port, err := a.integer("port", 0)
			if err != nil {
				return err
			}
			x.ClientAliases = append(x.ClientAliases, model.ServiceConnectClientAlias{Port: uint16(port), DNSName: a.str("dns_name")})
		}
		cfg.Services = append(cfg.Services, x)
	}
	if !cfg.Enabled {
		in.ServiceConnectConfig = cfg
		return nil
	}
	var ns *model.Namespace
	c.read(func(st *model.State) { ns = engine.ServiceConnectNamespaceOf(st, in.Cluster, cfg.Namespace) })
	if ns == nil {
		c.l.warnf(c.r.rng, "%s: its Service Connect namespace %q is not in this configuration (or not modelled): its Service Connect names are not analysed", c.addr, cfg.Namespace)
		in.ServiceConnect = true
		return nil
	}
	in.ServiceConnectConfig = cfg
	return nil
}

// createManagedInstancesProvider makes an aws_ecs_capacity_provider's
// managed_instances_provider: an ECS Managed Instances provider of the
// cluster it names (ECS then launches instances for its tasks).
func createManagedInstancesProvider(c *rctx, name string) error {
	mp := c.o.block("managed_instances_provider")
	lt := mp.block("instance_launch_template")
	net := lt.block("network_configuration")
	mi := &model.ManagedInstancesProvider{
		InfrastructureRoleARN: mp.str("infrastructure_role_arn"), InstanceProfileARN: lt.str("ec2_instance_profile_arn"),
		PropagateTags: mp.str("propagate_tags"), Monitoring: lt.str("monitoring"), CapacityOptionType: lt.str("capacity_option_type"),
	}
	for _, s := range net.strs("subnets") {
		mi.Subnets = append(mi.Subnets, model.SubnetID(s))
	}
	for _, g := range net.strs("security_groups") {
		mi.SecurityGroups = append(mi.SecurityGroups, model.SecurityGroupID(g))
	}
	var err error
	if sc := lt.block("storage_configuration"); sc.v != cty.NilVal {
		if mi.StorageGiB, err = sc.integer("storage_size_gib", 0); err != nil {
			return err
		}
	}
	if req := lt.block("instance_requirements"); req.v != cty.NilVal {
		mi.AllowedInstanceTypes = req.strs("allowed_instance_types")
		if v := req.block("vcpu_count"); v.v != cty.NilVal {
			if mi.VCPUMin, err = v.integer("min", 0); err != nil {
				return err
			}
			if mi.VCPUMax, err = v.integer("max", 0); err != nil {
				return err
			}
		}
		if m := req.block("memory_mib"); m.v != cty.NilVal {
			if mi.MemoryMiBMin, err = m.integer("min", 0); err != nil {
				return err
			}
			if mi.MemoryMiBMax, err = m.integer("max", 0); err != nil {
				return err
			}
		}
	}
	if opt := mp.block("infrastructure_optimization"); opt.v != cty.NilVal && opt.has("scale_in_after") {
		v, err := opt.integer("scale_in_after", 0)
		if err != nil {
			return err
		}
		mi.ScaleInAfter = &v
	}
	cp, err := c.e().CreateCapacityProvider(engine.CreateCapacityProviderInput{Name: name, Cluster: c.o.str("cluster"), ManagedInstances: mi, Tags: c.plainTags()})
	if err != nil {
		return c.fail("managed_instances_provider", err)
	}
	c.created(cp.ARN, "")
	c.set("arn", cp.ARN)
	c.set("name", cp.Name)
	return nil
}
