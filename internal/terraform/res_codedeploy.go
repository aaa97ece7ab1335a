package terraform

import (
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS CodeDeploy: aws_codedeploy_app (CreateApplication),
// aws_codedeploy_deployment_group (CreateDeploymentGroup: for ECS,
// blue/green with the service, its target group pair and the production
// and test listeners) and aws_codedeploy_deployment_config
// (CreateDeploymentConfig), created through the engine as the
// CloudFormation reader creates AWS::CodeDeploy::*, with the provider's
// defaults (hashicorp/aws internal/service/deploy): an application's
// compute_platform Server, a group's deployment_config_name
// CodeDeployDefault.OneAtATime, its deployment_style IN_PLACE and
// WITHOUT_TRAFFIC_CONTROL, its outdated_instances_strategy UPDATE.

func createCodeDeployApp(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	platform := c.o.str("compute_platform")
	if platform == "" {
		platform = "Server" // the provider's default
	}
	a, err := c.e().CreateCodeDeployApp(name, platform, c.plainTags())
	if err != nil {
		if apierr.HasCode(err, "InvalidComputePlatformException") {
			return c.fail("compute_platform", err)
		}
		return c.fail("name", err)
	}
	// The provider's id is the application's id and name.
	c.created(a.ID+":"+a.Name, "")
	c.set("name", a.Name)
	c.set("application_id", a.ID)
	c.set("compute_platform", a.ComputePlatform)
	c.set("arn", c.e().CodeDeployAppARN(a.Name))
	return nil
}

func createCodeDeployGroup(c *rctx) error {
	return c.later(func() error {
		in := engine.CodeDeployGroupInput{Config: map[string]any{}, Tags: c.plainTags()}
		var err error
		if in.App, err = c.req("app_name"); err != nil {
			return err
		}
		if in.Name, err = c.req("deployment_group_name"); err != nil {
			return err
		}
		if in.ServiceRoleARN, err = c.req("service_role_arn"); err != nil {
			return err
		}
		in.ConfigName = c.o.str("deployment_config_name")
		if in.ConfigName == "" {
			// The provider's default, sent whatever the platform: an ECS
			// group without deployment_config_name is refused.
			in.ConfigName = "CodeDeployDefault.OneAtATime"
		}
		style := c.o.block("deployment_style")
		in.DeploymentType, in.Option = style.str("deployment_type"), style.str("deployment_option")
		if in.TerminationHook, err = c.o.boolean("termination_hook_enabled"); err != nil {
			return err
		}
		for _, s := range c.o.blocks("ecs_service") {
			sv := model.CodeDeployECSService{Cluster: s.str("cluster_name"), Service: s.str("service_name")}
			if sv.Cluster == "" || sv.Service == "" {
				return s.err("cluster_name", "ecs_service: cluster_name and service_name are required")
			}
			in.ECSServices = append(in.ECSServices, sv)
		}
		if lb := c.o.block("load_balancer_info"); lb.v != cty.NilVal && !lb.v.IsNull() {
			in.LoadBalancerGiven = true
			info := map[string]any{}
			for _, k := range [][2]string{{"elb_info", "elbInfoList"}, {"target_group_info", "targetGroupInfoList"}} {
				var names []any
				for _, b := range lb.blocks(k[0]) {
					names = append(names, map[string]any{"name": b.str("name")})
				}
				if len(names) > 0 {
					info[k[1]] = names
				}
			}
			var pairs []any
			for _, pi := range lb.blocks("target_group_pair_info") {
				var pair model.CodeDeployTargetGroupPair
				var tgs []any
				for _, tg := range pi.blocks("target_group") {
					pair.TargetGroups = append(pair.TargetGroups, tg.str("name"))
					tgs = append(tgs, map[string]any{"name": tg.str("name")})
				}
				wire := map[string]any{"targetGroups": tgs}
				pair.ProdListeners = pi.block("prod_traffic_route").strSet("listener_arns")
				wire["prodTrafficRoute"] = map[string]any{"listenerArns": anyStrings(pair.ProdListeners)}
				if test := pi.block("test_traffic_route"); test.v != cty.NilVal {
					pair.TestListeners = test.strSet("listener_arns")
					wire["testTrafficRoute"] = map[string]any{"listenerArns": anyStrings(pair.TestListeners)}
				}
				in.TargetGroupPairs = append(in.TargetGroupPairs, pair)
				pairs = append(pairs, wire)
			}
			if len(pairs) > 0 {
				info["targetGroupPairInfoList"] = pairs
			}
			in.Config["loadBalancerInfo"] = info
		}
		if bg := c.o.block("blue_green_deployment_config"); bg.v != cty.NilVal {
			term := bg.block("terminate_blue_instances_on_deployment_success")
			if term.has("termination_wait_time_in_minutes") {
				n, err := term.integer("termination_wait_time_in_minutes", 0)
				if err != nil {
					return err
				}
				in.TerminationWaitMinutes = &n
			}
			in.Config["blueGreenDeploymentConfiguration"] = codeDeployWire(bg)
		}
		for _, b := range []struct{ arg, member string }{
			{"alarm_configuration", "alarmConfiguration"}, {"auto_rollback_configuration", "autoRollbackConfiguration"},
		} {
			if o := c.o.block(b.arg); o.v != cty.NilVal {
				in.Config[b.member] = codeDeployWire(o)
			}
		}
		for _, b := range []struct{ arg, member string }{
			{"trigger_configuration", "triggerConfigurations"}, {"ec2_tag_filter", "ec2TagFilters"},
			{"on_premises_instance_tag_filter", "onPremisesInstanceTagFilters"},
		} {
			var list []any
			for _, o := range c.o.blocks(b.arg) {
				list = append(list, codeDeployWire(o))
			}
			if len(list) > 0 {
				in.Config[b.member] = list
			}
		}
		var sets []any
		for _, s := range c.o.blocks("ec2_tag_set") {
			var group []any
			for _, f := range s.blocks("ec2_tag_filter") {
				group = append(group, codeDeployWire(f))
			}
			sets = append(sets, group)
		}
		if len(sets) > 0 {
			in.Config["ec2TagSet"] = map[string]any{"ec2TagSetList": sets}
		}
		var asgs []any
		for _, n := range c.o.strSet("autoscaling_groups") {
			asgs = append(asgs, map[string]any{"name": n})
		}
		if len(asgs) > 0 {
			in.Config["autoScalingGroups"] = asgs
		}
		strategy := c.o.str("outdated_instances_strategy")
		if strategy == "" {
			strategy = "UPDATE" // the provider's default
		}
		in.Config["outdatedInstancesStrategy"] = strategy
		g, err := c.e().CreateCodeDeployGroup(in)
		if err != nil {
			return c.fail(codeDeployGroupErrArg(err), err)
		}
		c.created(g.ID, "")
		c.set("deployment_group_id", g.ID)
		c.set("arn", g.ARN)
		c.set("app_name", g.App)
		c.set("deployment_group_name", g.Name)
		c.set("deployment_config_name", g.ConfigName)
		platform := ""
		c.read(func(st *model.State) {
			if a := st.CodeDeployApps[g.App]; a != nil {
				platform = a.ComputePlatform
			}
		})
		c.set("compute_platform", platform)
		return nil
	})
}

// codeDeployGroupErrArg is the argument a CodeDeploy error is about, for
// the error's line.
func codeDeployGroupErrArg(err error) string {
	for _, m := range []struct{ code, arg string }{
		{"ApplicationDoesNotExistException", "app_name"}, {"ApplicationNameRequiredException", "app_name"},
		{"InvalidRoleException", "service_role_arn"}, {"RoleRequiredException", "service_role_arn"},
		{"DeploymentConfigDoesNotExistException", "deployment_config_name"}, {"InvalidDeploymentConfigNameException", "deployment_config_name"},
		{"InvalidDeploymentStyleException", "deployment_style"},
		{"InvalidECSServiceException", "ecs_service"}, {"ECSServiceMappingLimitExceededException", "ecs_service"},
		{"InvalidTargetGroupPairException", "load_balancer_info"},
		{"InvalidBlueGreenDeploymentConfigurationException", "blue_green_deployment_config"},
	} {
		if apierr.HasCode(err, m.code) {
			return m.arg
		}
	}
	return "deployment_group_name"
}

// codeDeployWire converts a block of aws_codedeploy_deployment_group to
// the API's structure: members in camelCase (a tag filter's Key, Value
// and Type capitalized, botocore codedeploy EC2TagFilter), nested blocks
// as objects, an alarm configuration's alarm names as {name} structures.
func codeDeployWire(o obj) map[string]any {
	out := map[string]any{}
	if o.v == cty.NilVal || o.v.IsNull() || !o.v.IsKnown() || !o.v.Type().IsObjectType() {
		return out
	}
	for name := range o.v.Type().AttributeTypes() {
		v := o.get(name)
		if v.IsNull() || !v.IsKnown() {
			continue
		}
		key := map[string]string{"key": "Key", "value": "Value", "type": "Type"}[name]
		if key == "" {
			if p := pascal(name); p != "" {
				key = strings.ToLower(p[:1]) + p[1:]
			}
		}
		t := v.Type()
		switch {
		case t.IsObjectType() || (t.IsListType() || t.IsSetType() || t.IsTupleType()) && !elementsPrimitive(v):
			if bs := o.blocks(name); len(bs) > 0 {
				out[key] = codeDeployWire(bs[0])
			}
		case t.IsListType() || t.IsSetType() || t.IsTupleType():
			var list []any
			for _, s := range o.strSet(name) {
				if name == "alarms" {
					list = append(list, map[string]any{"name": s})
				} else {
					list = append(list, s)
				}
			}
			out[key] = list
		default:
			if x := primitive(v); x != nil {
				out[key] = x
			}
		}
	}
	return out
}

func anyStrings(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// createCodeDeployConfig creates a deployment configuration: minimum
// healthy hosts for the Server platform (the provider's default),
// traffic_routing_config for ECS and Lambda; CodeDeploy's rules decide
// which the platform takes. Its id is its name.
func createCodeDeployConfig(c *rctx) error {
	name, err := c.req("deployment_config_name")
	if err != nil {
		return err
	}
	cfg := engine.CodeDeployConfig{Name: name, ComputePlatform: c.o.str("compute_platform")}
	if cfg.ComputePlatform == "" {
		cfg.ComputePlatform = "Server" // the provider's default
	}
	if m := c.o.block("minimum_healthy_hosts"); m.v != cty.NilVal {
		value, err := m.integer("value", 0)
		if err != nil {
			return err
		}
		cfg.MinimumHealthyHosts = map[string]any{"type": m.str("type"), "value": value}
	}
	if tr := c.o.block("traffic_routing_config"); tr.v != cty.NilVal {
		cfg.Type = tr.str("type")
		if cfg.Type == "" {
			cfg.Type = "AllAtOnce" // the provider's default [probable]
		}
		step := map[string]string{"TimeBasedCanary": "time_based_canary", "TimeBasedLinear": "time_based_linear"}[cfg.Type]
		if step != "" {
			st := c.o.block("traffic_routing_config").block(step)
			if cfg.Percentage, err = st.integer("percentage", 0); err != nil {
				return err
			}
			if cfg.IntervalMinutes, err = st.integer("interval", 0); err != nil {
				return err
			}
		}
	}
	if z := c.o.block("zonal_config"); z.v != cty.NilVal {
		c.l.warnf(c.r.rng, "%s: zonal_config (zonal deployments of the Server platform) is accepted and not modelled: ecsnet deploys ECS services", c.addr)
		codeDeployWire(z)
	}
	d, err := c.e().CreateCodeDeployConfig(cfg)
	if err != nil {
		arg := "deployment_config_name"
		switch {
		case apierr.HasCode(err, "InvalidComputePlatformException"):
			arg = "compute_platform"
		case apierr.HasCode(err, "InvalidTrafficRoutingConfigurationException"):
			arg = "traffic_routing_config"
		case apierr.HasCode(err, "InvalidMinimumHealthyHostValueException"):
			arg = "minimum_healthy_hosts"
		}
		return c.fail(arg, err)
	}
	c.created(d.Name, "")
	c.set("deployment_config_name", d.Name)
	c.set("deployment_config_id", d.ID)
	c.set("compute_platform", d.ComputePlatform)
	c.set("arn", model.ARN(c.l.region, "codedeploy", c.l.account, "deploymentconfig:"+d.Name))
	return nil
}
