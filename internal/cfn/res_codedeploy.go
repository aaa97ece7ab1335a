package cfn

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS CodeDeploy resource types: an application, its deployment groups
// (for ECS, blue/green: the service, its target group pair and the
// production and test listeners) and the account's deployment
// configurations. Ref is the application's, the group's or the
// configuration's name; none has Fn::GetAtt attributes (CloudFormation
// User Guide, AWS::CodeDeploy::Application, ::DeploymentGroup and
// ::DeploymentConfig, "Return values").
const (
	typeCodeDeployApp    = "AWS::CodeDeploy::Application"
	typeCodeDeployGroup  = "AWS::CodeDeploy::DeploymentGroup"
	typeCodeDeployConfig = "AWS::CodeDeploy::DeploymentConfig"
)

func createCodeDeployApp(c *rctx) error {
	p := c.p
	name, err := c.name("ApplicationName", 100)
	if err != nil {
		return err
	}
	platform, err := p.str("ComputePlatform")
	if err != nil {
		return err
	}
	tags, err := p.tagList()
	if err != nil {
		return err
	}
	if _, err := c.e().CreateCodeDeployApp(name, platform, tags); err != nil {
		if platform != "" && apierr.HasCode(err, "InvalidComputePlatformException") {
			return p.at("ComputePlatform", err)
		}
		return p.at("ApplicationName", err)
	}
	c.setRef(name)
	return nil
}

// updateCodeDeployApp changes an application's Tags in place (its name
// and compute platform replace it).
func updateCodeDeployApp(c *rctx, old obj, _ []string) error {
	return c.retagCodeDeploy(old, c.e().CodeDeployAppARN(c.r.physical))
}

// retagCodeDeploy sets the template's Tags on a CodeDeploy resource and
// removes the keys the old properties had and the new ones do not.
func (c *rctx) retagCodeDeploy(old obj, arn string) error {
	tags, err := c.p.tagList()
	if err != nil {
		return err
	}
	was, err := old.tagList()
	if err != nil {
		return err
	}
	var remove []string
	for k := range was {
		if _, ok := tags[k]; !ok {
			remove = append(remove, k)
		}
	}
	if err := c.e().TagCodeDeploy(arn, tags, remove); err != nil {
		return c.p.at("Tags", err)
	}
	return nil
}

func createCodeDeployGroup(c *rctx) error {
	in, err := c.codeDeployGroupInput()
	if err != nil {
		return err
	}
	if in.Name, err = c.name("DeploymentGroupName", 100); err != nil {
		return err
	}
	if in.Tags, err = c.p.tagList(); err != nil {
		return err
	}
	if _, err := c.e().CreateCodeDeployGroup(in); err != nil {
		return c.p.at(codeDeployErrProp(err), err)
	}
	c.keep("ApplicationName", in.App)
	c.setRef(in.Name)
	return nil
}

// updateCodeDeployGroup sends the group's whole new configuration
// (UpdateDeploymentGroup), then its Tags; ApplicationName and
// DeploymentGroupName replace it.
func updateCodeDeployGroup(c *rctx, old obj, _ []string) error {
	in, err := c.codeDeployGroupInput()
	if err != nil {
		return err
	}
	in.Name = c.r.physical
	if in.ECSServices == nil {
		in.ECSServices = []model.CodeDeployECSService{} // the template's whole state: none
	}
	if _, err := c.e().UpdateCodeDeployGroup(in); err != nil {
		return c.p.at(codeDeployErrProp(err), err)
	}
	return c.retagCodeDeploy(old, c.e().CodeDeployGroupARN(in.App, in.Name))
}

// codeDeployErrProp is the property a CodeDeploy error is about, for the
// event's line.
func codeDeployErrProp(err error) string {
	switch {
	case apierr.HasCode(err, "ApplicationDoesNotExistException"), apierr.HasCode(err, "ApplicationNameRequiredException"):
		return "ApplicationName"
	case apierr.HasCode(err, "InvalidRoleException"), apierr.HasCode(err, "RoleRequiredException"):
		return "ServiceRoleArn"
	case apierr.HasCode(err, "DeploymentConfigDoesNotExistException"):
		return "DeploymentConfigName"
	case apierr.HasCode(err, "InvalidDeploymentStyleException"):
		return "DeploymentStyle"
	case apierr.HasCode(err, "InvalidECSServiceException"), apierr.HasCode(err, "ECSServiceMappingLimitExceededException"):
		return "ECSServices"
	case apierr.HasCode(err, "InvalidTargetGroupPairException"):
		return "LoadBalancerInfo"
	case apierr.HasCode(err, "InvalidBlueGreenDeploymentConfigurationException"):
		return "BlueGreenDeploymentConfiguration"
	}
	return "DeploymentGroupName"
}

// codeDeployGroupInput reads the properties CreateDeploymentGroup and
// UpdateDeploymentGroup share. LoadBalancerInfo counts only with the
// deployment option WITH_TRAFFIC_CONTROL: CloudFormation ignores it
// otherwise (AWS::CodeDeploy::DeploymentGroup LoadBalancerInfo).
func (c *rctx) codeDeployGroupInput() (engine.CodeDeployGroupInput, error) {
	p := c.p
	var in engine.CodeDeployGroupInput
	var err error
	if in.App, err = p.req("ApplicationName"); err != nil {
		return in, err
	}
	if in.ServiceRoleARN, err = p.req("ServiceRoleArn"); err != nil {
		return in, err
	}
	if in.ConfigName, err = p.str("DeploymentConfigName"); err != nil {
		return in, err
	}
	if in.ConfigName != "" && c.isPlaceholder(in.ConfigName) {
		// A resource of the template ecsnet skipped (a custom resource
		// answering the name): the group takes the platform's default.
		c.s.warnf(p.line_("DeploymentConfigName"), "%s: DeploymentConfigName names a deployment configuration ecsnet does not create; the group uses its platform's default", c.displayName())
		in.ConfigName = ""
	}
	style, err := p.object("DeploymentStyle")
	if err != nil {
		return in, err
	}
	if in.DeploymentType, err = style.str("DeploymentType"); err != nil {
		return in, err
	}
	if in.Option, err = style.str("DeploymentOption"); err != nil {
		return in, err
	}
	if in.TerminationHook, err = p.boolean("TerminationHookEnabled"); err != nil {
		return in, err
	}
	svcs, err := p.objects("ECSServices")
	if err != nil {
		return in, err
	}
	if p.has("ECSServices") {
		in.ECSServices = []model.CodeDeployECSService{}
	}
	for _, s := range svcs {
		var sv model.CodeDeployECSService
		if sv.Cluster, err = s.req("ClusterName"); err != nil {
			return in, err
		}
		if sv.Service, err = s.req("ServiceName"); err != nil {
			return in, err
		}
		in.ECSServices = append(in.ECSServices, sv)
	}
	in.Config = map[string]any{}
	if in.Option == "WITH_TRAFFIC_CONTROL" {
		in.LoadBalancerGiven = true
		lb, err := p.object("LoadBalancerInfo")
		if err != nil {
			return in, err
		}
		pairs, err := lb.objects("TargetGroupPairInfoList")
		if err != nil {
			return in, err
		}
		for _, pi := range pairs {
			var pair model.CodeDeployTargetGroupPair
			tgs, err := pi.objects("TargetGroups")
			if err != nil {
				return in, err
			}
			for _, tg := range tgs {
				name, err := tg.req("Name")
				if err != nil {
					return in, err
				}
				pair.TargetGroups = append(pair.TargetGroups, name)
			}
			for _, route := range []struct {
				prop string
				dst  *[]string
			}{{"ProdTrafficRoute", &pair.ProdListeners}, {"TestTrafficRoute", &pair.TestListeners}} {
				r, err := pi.object(route.prop)
				if err != nil {
					return in, err
				}
				if *route.dst, err = r.strs("ListenerArns"); err != nil {
					return in, err
				}
			}
			in.TargetGroupPairs = append(in.TargetGroupPairs, pair)
		}
		if p.has("LoadBalancerInfo") {
			in.Config["loadBalancerInfo"] = apiValue(p.get("LoadBalancerInfo"))
		}
	}
	if p.has("BlueGreenDeploymentConfiguration") {
		bg, err := p.object("BlueGreenDeploymentConfiguration")
		if err != nil {
			return in, err
		}
		term, err := bg.object("TerminateBlueInstancesOnDeploymentSuccess")
		if err != nil {
			return in, err
		}
		if in.TerminationWaitMinutes, err = term.intPtr("TerminationWaitTimeInMinutes"); err != nil {
			return in, err
		}
	}
	for _, prop := range []string{"BlueGreenDeploymentConfiguration", "AlarmConfiguration", "AutoRollbackConfiguration",
		"TriggerConfigurations", "Ec2TagFilters", "OnPremisesInstanceTagFilters", "AutoScalingGroups", "Ec2TagSet",
		"OnPremisesTagSet", "OutdatedInstancesStrategy"} {
		v := p.get(prop)
		if v == nil {
			continue
		}
		in.Config[codeDeployMember(prop)] = apiValue(v)
		if prop == "AutoScalingGroups" && v.kind == listNode {
			// names in the template, {name} structures in the API
			var groups []any
			for _, it := range v.items {
				groups = append(groups, map[string]any{"name": it.str})
			}
			in.Config["autoScalingGroups"] = groups
		}
	}
	if iam := c.iam(); iam != nil {
		// IAM may be this engine: look the role up before the write.
		known := false
		if i := strings.Index(in.ServiceRoleARN, ":role/"); i >= 0 {
			name := in.ServiceRoleARN[strings.LastIndexByte(in.ServiceRoleARN, '/')+1:]
			iam.Read(func(st *model.State) { known = st.Roles[name] != nil })
		}
		in.RoleKnown = func(string) bool { return known }
	}
	return in, nil
}

// apiValue converts a CodeDeploy property's value to the API's members:
// each key with its first letter lower-cased (TerminationWaitTimeInMinutes
// → terminationWaitTimeInMinutes), and a tag set's groups
// (Ec2TagSetList: [{Ec2TagGroup: […]}]) as the API's list of lists.
func apiValue(n *node) any {
	if n == nil {
		return nil
	}
	switch n.kind {
	case scalarNode:
		return n.str
	case listNode:
		out := make([]any, len(n.items))
		for i, it := range n.items {
			out[i] = apiValue(it)
		}
		return out
	case mapNode:
		if len(n.fields) == 1 && (n.fields[0].key == "Ec2TagGroup" || n.fields[0].key == "OnPremisesTagGroup") {
			return apiValue(n.fields[0].val)
		}
		out := make(map[string]any, len(n.fields))
		for _, f := range n.fields {
			out[codeDeployMember(f.key)] = apiValue(f.val)
		}
		return out
	}
	return nil
}

// codeDeployMember is a CodeDeploy property's name as the API spells
// it: the first letter lower-cased, a leading ELB (ElbInfoList is
// elbInfoList already) whole; a tag filter's Key, Value and Type stay as
// they are (botocore codedeploy EC2TagFilter, TagFilter).
func codeDeployMember(s string) string {
	switch s {
	case "Key", "Value", "Type":
		// EC2TagFilter's and TagFilter's members are capitalized in the API
		return s
	}
	if strings.HasPrefix(s, "ELB") {
		return "elb" + s[3:]
	}
	return lowerFirst(s)
}

// deleteCodeDeployGroup deletes a deployment group; one whose application
// is gone is gone with it.
func deleteCodeDeployGroup(e *engine.Engine, r Resource, name string) error {
	err := e.DeleteCodeDeployGroup(r.Keys["ApplicationName"], name)
	if apierr.HasCode(err, "ApplicationDoesNotExistException") {
		return nil
	}
	return err
}

// createCodeDeployConfig creates a deployment configuration
// (CreateDeploymentConfig): MinimumHealthyHosts for the Server platform,
// TrafficRoutingConfig for ECS and Lambda; CodeDeploy's rules decide
// which the platform takes. Every property replaces it ("Update requires:
// Replacement"), so there is no updater.
func createCodeDeployConfig(c *rctx) error {
	p := c.p
	name, err := c.name("DeploymentConfigName", 100)
	if err != nil {
		return err
	}
	cfg := engine.CodeDeployConfig{Name: name}
	if cfg.ComputePlatform, err = p.str("ComputePlatform"); err != nil {
		return err
	}
	if p.has("MinimumHealthyHosts") {
		m, err := p.object("MinimumHealthyHosts")
		if err != nil {
			return err
		}
		typ, err := m.req("Type")
		if err != nil {
			return err
		}
		if !m.has("Value") {
			return m.missing("Value")
		}
		value, err := m.integer("Value", 0)
		if err != nil {
			return err
		}
		if typ != "HOST_COUNT" && typ != "FLEET_PERCENT" {
			return p.at("MinimumHealthyHosts", apierr.Newf("InvalidMinimumHealthyHostValueException", "The minimum healthy hosts type %s is invalid.", typ)) // probable
		}
		cfg.MinimumHealthyHosts = map[string]any{"type": typ, "value": value}
	}
	if p.has("TrafficRoutingConfig") {
		tr, err := p.object("TrafficRoutingConfig")
		if err != nil {
			return err
		}
		if cfg.Type, err = tr.req("Type"); err != nil {
			return err
		}
		step := map[string][3]string{
			"TimeBasedCanary": {"TimeBasedCanary", "CanaryPercentage", "CanaryInterval"},
			"TimeBasedLinear": {"TimeBasedLinear", "LinearPercentage", "LinearInterval"},
		}
		switch cfg.Type {
		case "AllAtOnce":
		case "TimeBasedCanary", "TimeBasedLinear":
			// without its step object the percentage and interval are 0,
			// which CodeDeploy refuses
			keys := step[cfg.Type]
			st, err := tr.object(keys[0])
			if err != nil {
				return err
			}
			for i, dst := range []*int{&cfg.Percentage, &cfg.IntervalMinutes} {
				if st.n != nil && !st.has(keys[i+1]) {
					return st.missing(keys[i+1])
				}
				if *dst, err = st.integer(keys[i+1], 0); err != nil {
					return err
				}
			}
		default:
			return p.at("TrafficRoutingConfig", apierr.Newf("InvalidTrafficRoutingConfigurationException", "The traffic routing type %s is invalid.", cfg.Type)) // probable
		}
	}
	if p.has("ZonalConfig") {
		c.s.warnf(p.line_("ZonalConfig"), "%s: ZonalConfig (zonal deployments of the Server platform) is accepted and not modelled: ecsnet deploys ECS services", c.displayName())
	}
	if _, err := c.e().CreateCodeDeployConfig(cfg); err != nil {
		return p.at(codeDeployConfigErrProp(err), err)
	}
	c.setRef(name)
	return nil
}

// codeDeployConfigErrProp is the property a CreateDeploymentConfig error
// is about, for the event's line.
func codeDeployConfigErrProp(err error) string {
	switch {
	case apierr.HasCode(err, "InvalidComputePlatformException"):
		return "ComputePlatform"
	case apierr.HasCode(err, "InvalidTrafficRoutingConfigurationException"):
		return "TrafficRoutingConfig"
	case apierr.HasCode(err, "InvalidMinimumHealthyHostValueException"):
		return "MinimumHealthyHosts"
	}
	return "DeploymentConfigName"
}
