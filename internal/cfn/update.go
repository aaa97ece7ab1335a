package cfn

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Stack updates. CloudFormation updates a stack resource by resource: a
// resource whose resolved properties did not change is left alone; an
// added one is created; a changed one is updated in place when every
// changed property can be ("Update requires: No interruption" or "Some
// interruption" in the resource reference), else replaced: a new physical
// resource is created, and the old one is deleted when the update
// completes (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS), as are the resources
// the new template no longer has. Deploy binds a stack's existing
// resources (DeployOptions.Existing) and reports, per resource, which of
// these it did (Resource.Change); deleting what the update left behind is
// the caller's.

// How an update treated a resource (Resource.Change).
const (
	// ChangeAdd: created (a new resource, or a deploy without Existing).
	ChangeAdd = ""
	// ChangeNone: its resolved properties did not change; bound as it is.
	ChangeNone = "None"
	// ChangeModify: updated in place (same physical id).
	ChangeModify = "Modify"
	// ChangeReplace: a new physical resource was created; the old one
	// (Existing) is left for the caller to delete.
	ChangeReplace = "Replace"
)

// Existing is a resource a stack already has, as a previous Deploy
// reported it (Resource): an update binds it instead of creating it.
type Existing struct {
	Type       string
	PhysicalID string
	Keys       map[string]string
	// Props and Attrs are Resource.Props and Resource.Attrs.
	Props string
	Attrs string
}

// propsJSON returns a resource's resolved properties as canonical JSON
// (keys sorted): two deploys compare them to tell what changed.
func propsJSON(n *node) string {
	if n == nil {
		return "{}"
	}
	b, err := json.Marshal(plainJSON(n))
	if err != nil {
		return ""
	}
	return string(b)
}

// attrsJSON returns a resource's Fn::GetAtt values as JSON.
func attrsJSON(attrs map[string]*node) string {
	if len(attrs) == 0 {
		return ""
	}
	m := make(map[string]any, len(attrs))
	for k, v := range attrs {
		m[k] = plainJSON(v)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return ""
	}
	return string(b)
}

// nodeOf converts a JSON value (plainJSON's) back to a node.
func nodeOf(v any, line int) *node {
	switch v := v.(type) {
	case string:
		return scalarAt(v, line)
	case []any:
		items := make([]*node, len(v))
		for i, it := range v {
			items[i] = nodeOf(it, line)
		}
		return listAt(items, line)
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		n := &node{kind: mapNode, line: line}
		for _, k := range keys {
			n.fields = append(n.fields, field{key: k, line: line, val: nodeOf(v[k], line)})
		}
		return n
	case nil:
		return &node{kind: nullNode, line: line}
	}
	return nil
}

// attrsOf reads attrsJSON's text back.
func attrsOf(s string, line int) map[string]*node {
	var m map[string]any
	if s == "" || json.Unmarshal([]byte(s), &m) != nil {
		return nil
	}
	out := make(map[string]*node, len(m))
	for k, v := range m {
		out[k] = nodeOf(v, line)
	}
	return out
}

// propsOf reads propsJSON's text back ("" and invalid text: nil).
func propsOf(s string, line int) *node {
	var v any
	if s == "" || json.Unmarshal([]byte(s), &v) != nil {
		return nil
	}
	return nodeOf(v, line)
}

// changedProps returns the top-level properties whose values differ
// between two propsJSON texts.
func changedProps(oldJSON, newJSON string) []string {
	var a, b map[string]json.RawMessage
	if json.Unmarshal([]byte(oldJSON), &a) != nil || json.Unmarshal([]byte(newJSON), &b) != nil {
		return nil
	}
	var out []string
	for k, v := range b {
		if w, ok := a[k]; !ok || string(w) != string(v) {
			out = append(out, k)
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// bindExisting binds r to the resource the stack already has under its
// logical id, when its type and resolved properties are unchanged: r
// takes its physical id, keys and attributes, and nothing is created.
func (s *stack) bindExisting(r *resource, props string) bool {
	old, ok := s.l.existing[s.prefix+r.def.name]
	if !ok || old.Type != r.def.typ || old.Props == "" || old.Props != props {
		return false
	}
	r.physical, r.keys = old.PhysicalID, old.Keys
	r.attrs = attrsOf(old.Attrs, r.def.line)
	return true
}

// updateInPlace reports whether an update can change r's existing
// resource in place: its type has an updater and every changed property
// is one CloudFormation updates without replacement.
func (s *stack) updateInPlace(c *rctx, props string) bool {
	old := s.l.existing[s.prefix+c.r.def.name]
	if old.Type != c.r.def.typ || old.Props == "" || updaterFor(old.Type) == nil {
		return false
	}
	changed := changedProps(old.Props, props)
	if len(changed) == 0 {
		return false
	}
	if old.Type == typeASG && c.replacingUpdate() && slices.ContainsFunc(changed, rollsInstances) {
		// AutoScalingReplacingUpdate: a new group replaces the old one.
		return false
	}
	was, now := propsOf(old.Props, c.r.def.line), propsOf(props, c.r.def.line)
	for _, p := range changed {
		if !UpdatesInPlace(old.Type, p) || !inPlaceValues(old.Type, p, was.get(p), now.get(p)) {
			return false
		}
	}
	return true
}

// update changes r's existing resource in place to its new properties
// (c.p), and records how to change it back should the deploy fail.
func (s *stack) update(c *rctx, props string) error {
	r := c.r
	old := s.l.existing[s.prefix+r.def.name]
	r.physical, r.keys = old.PhysicalID, old.Keys
	r.attrs = attrsOf(old.Attrs, r.def.line)
	up := updaterFor(old.Type)
	changed := changedProps(old.Props, props)
	back := &rctx{s: s, r: r}
	n := propsOf(old.Props, r.def.line)
	if n == nil {
		n = &node{kind: mapNode, line: r.def.line}
	}
	back.p = obj{c: back, n: n, path: "#", line: r.def.line}
	if err := up(c, back.p, changed); err != nil {
		return err
	}
	newProps := c.p
	s.l.reverts = append(s.l.reverts, func() error { return up(back, newProps, changed) })
	return nil
}

// updater changes an existing resource (c.r.physical) from the
// properties old holds to those c.p holds; changed names the top-level
// properties that differ.
type updater func(c *rctx, old obj, changed []string) error

// updaterFor returns the in-place updater of a resource type (nil: the
// type is always replaced).
func updaterFor(typ string) updater {
	switch typ {
	case typeService:
		return updateService
	case typeASG:
		return updateASG
	case typeDaemon:
		return updateDaemon
	case typeSecurityGroup:
		return updateSecurityGroup
	case typeRoute:
		return updateRoute
	case typeListener:
		return updateListener
	case typeSSMParameter:
		return updateSSMParameter
	case typeScalableTarget:
		return updateScalableTarget
	case typeAppScalingPolicy:
		return updateAppScalingPolicy
	case typeLogGroup:
		return updateLogGroup
	case typeEventBus:
		return updateEventBus
	case typeCodeDeployApp:
		return updateCodeDeployApp
	case typeCodeDeployGroup:
		return updateCodeDeployGroup
	case typeBucket:
		return updateBucket
	case typeAlarm:
		return updateAlarm
	case typeCompositeAlarm:
		return updateCompositeAlarm
	case typeSecret:
		return updateSecret
	case typeKMSKey:
		return updateKMSKey
	case typeKMSAlias:
		return updateKMSAlias
	case typeSecretPolicy:
		return updateSecretPolicy
	case typeNFRuleGroup, typeNFFirewallPolicy: // res_networkfirewall.go
		return updateNFRulesResource
	case typeRepository:
		return updateRepository
	case typeLambdaFunction:
		return updateLambdaFunction
	case typeLambdaAlias:
		return updateLambdaAlias
	case typeClassicLB:
		return updateClassicLoadBalancer
	case typeTargetGroup:
		return updateTargetGroup
	case typeLoadBalancer:
		return updateLoadBalancer
	case typeListenerRule:
		return updateListenerRule
	case typeVPC:
		return updateVPC
	case typeSubnet:
		return updateSubnet
	case typeNetworkACLEntry:
		return updateNetworkACLEntry
	case typeEIP:
		return updateEIPTags
	case typeEndpointServicePermissions:
		return updateEndpointServicePermissions
	case typeCluster:
		return updateCluster
	case typeCapacityProvider:
		return updateCapacityProvider
	case typeClusterCPAssoc:
		return updateClusterCPAssoc
	case typeTaskSet:
		return updateTaskSet
	case typePrimaryTaskSet:
		return updatePrimaryTaskSet
	case typeLaunchTemplate:
		return updateLaunchTemplate
	case typeExpressService:
		return updateExpressService
	case typeNatGateway:
		return updateNatGateway
	case typeRouteTable, typeIGW, typeNetworkACL, typeVPCEndpoint, typeEgressOnlyIGW, typeENI:
		return updateEC2Tags
	case typeEnvController:
		return updateEnvController
	case typeIAMUser:
		return updateIAMUser
	case typeIAMAccessKey:
		return updateIAMAccessKey
	case typeIAMGroup:
		return updateIAMGroup
	case typeIAMUserToGroupAddition:
		return updateUserToGroupAddition
	case typeIAMGroupPolicy:
		return updateIAMGroupPolicy
	case typeRestrictDefaultSG:
		return updateRestrictDefaultSG
	}
	return nil
}

// UpdatesInPlace reports whether CloudFormation updates a property of a
// resource type without replacing the resource ("Update requires: No
// interruption" or "Some interruption" in the resource reference), among
// the types and properties ecsnet updates in place; every other change
// replaces the resource.
func UpdatesInPlace(typ, prop string) bool {
	if updaterFor(typ) == nil {
		return false
	}
	if prop == "Tags" {
		return true
	}
	switch typ {
	case typeRestrictDefaultSG, typeEnvController:
		return true // a custom resource's function is sent every change
	case typeIAMUser:
		return prop != "UserName"
	case typeIAMAccessKey:
		return prop == "Status"
	case typeIAMGroup:
		return prop != "GroupName"
	case typeIAMUserToGroupAddition:
		return prop == "Users"
	case typeIAMGroupPolicy:
		return prop == "PolicyDocument"
	case typeDaemon:
		// every property but these ("Update requires: Replacement")
		return prop != "DaemonName" && prop != "ClusterArn"
	case typeService:
		switch prop {
		case "DesiredCount", "TaskDefinition", "NetworkConfiguration", "LoadBalancers", "DeploymentConfiguration",
			"HealthCheckGracePeriodSeconds", "PlatformVersion", "PlacementConstraints", "PlacementStrategies",
			"EnableExecuteCommand", "PropagateTags", "EnableECSManagedTags", "ServiceRegistries", "CapacityProviderStrategy":
			return true
		}
	case typeASG:
		switch prop {
		case "MinSize", "MaxSize", "DesiredCapacity", "LaunchTemplate", "LaunchConfigurationName", "VPCZoneIdentifier",
			"AvailabilityZones", "TargetGroupARNs", "HealthCheckType", "HealthCheckGracePeriod",
			"NewInstancesProtectedFromScaleIn", "CapacityRebalance", "PlacementGroup":
			return true
		}
	case typeSecurityGroup:
		return prop == "SecurityGroupIngress" || prop == "SecurityGroupEgress"
	case typeNatGateway:
		// "Update requires: No interruption"; the others replace it
		switch prop {
		case "SecondaryAllocationIds", "SecondaryPrivateIpAddresses", "SecondaryPrivateIpAddressCount", "MaxDrainDurationSeconds",
			"AvailabilityZoneAddresses":
			return true
		}
	case typeRoute:
		return slices.Contains(routeTargets(), prop)
	case typeListener:
		return prop == "DefaultActions" || prop == "Port" || prop == "Protocol"
	case typeSSMParameter:
		return prop != "Name"
	case typeScalableTarget:
		switch prop {
		case "MinCapacity", "MaxCapacity", "RoleARN", "SuspendedState", "ScheduledActions":
			return true
		}
	case typeAppScalingPolicy:
		switch prop {
		case "TargetTrackingScalingPolicyConfiguration", "StepScalingPolicyConfiguration", "PredictiveScalingPolicyConfiguration":
			return true
		}
	case typeAlarm, typeCompositeAlarm:
		// Every property but the name (AWS::CloudWatch::Alarm and
		// CompositeAlarm, "Update requires: No interruption").
		return prop != "AlarmName"
	case typeKMSKey:
		switch prop {
		case "Description", "Enabled", "EnableKeyRotation", "KeyPolicy", "PendingWindowInDays", "RotationPeriodInDays",
			"BypassPolicyLockoutSafetyCheck":
			return true
		}
	case typeKMSAlias:
		return prop == "TargetKeyId"
	case typeEndpointServicePermissions:
		return prop == "AllowedPrincipals"
	case typeNFRuleGroup:
		// RuleGroupName, Type and Capacity replace it
		// (AWS::NetworkFirewall::RuleGroup, "Update requires").
		return prop == "RuleGroup" || prop == "Description"
	case typeNFFirewallPolicy:
		// FirewallPolicyName replaces it.
		return prop == "FirewallPolicy" || prop == "Description"
	case typeSecretPolicy:
		// SecretId replaces it (AWS::SecretsManager::ResourcePolicy).
		return prop == "ResourcePolicy" || prop == "BlockPublicPolicy"
	case typeSecret:
		switch prop {
		case "Description", "KmsKeyId", "SecretString", "ReplicaRegions":
			return true
		}
	case typeLogGroup:
		return prop == "RetentionInDays"
	case typeEventBus:
		return prop == "Description"
	case typeCodeDeployApp:
		return false // ApplicationName and ComputePlatform replace it; Tags are above
	case typeCodeDeployGroup:
		// every property but these ("Update requires: Replacement")
		return prop != "ApplicationName" && prop != "DeploymentGroupName"
	case typeBucket:
		return prop != "BucketName" && prop != "ObjectLockEnabled"
	case typeLambdaFunction:
		return lambdaUpdatesInPlace(prop)
	case typeLambdaAlias:
		return lambdaAliasUpdatesInPlace(prop)
	case typeRepository:
		switch prop {
		case "ImageTagMutability", "ImageTagMutabilityExclusionFilters", "ImageScanningConfiguration", "LifecyclePolicy",
			"RepositoryPolicyText", "Tags", "EmptyOnDelete":
			return true
		}
	case typeTargetGroup:
		switch prop {
		case "HealthCheckEnabled", "HealthCheckIntervalSeconds", "HealthCheckPath", "HealthCheckPort", "HealthCheckProtocol",
			"HealthCheckTimeoutSeconds", "HealthyThresholdCount", "UnhealthyThresholdCount", "Matcher",
			"TargetGroupAttributes", "Targets":
			return true
		}
	case typeLoadBalancer:
		switch prop {
		case "IpAddressType", "LoadBalancerAttributes", "SecurityGroups", "Subnets", "SubnetMappings",
			"EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic":
			return true
		}
	case typeListenerRule:
		return prop == "Actions" || prop == "Conditions" || prop == "Priority" || prop == "Transforms"
	case typeVPC:
		return prop == "EnableDnsHostnames" || prop == "EnableDnsSupport" || prop == "InstanceTenancy"
	case typeSubnet:
		switch prop {
		case "MapPublicIpOnLaunch", "AssignIpv6AddressOnCreation", "EnableDns64", "PrivateDnsNameOptionsOnLaunch", "Ipv6CidrBlock":
			return true
		}
	case typeNetworkACLEntry:
		switch prop {
		case "CidrBlock", "Ipv6CidrBlock", "Icmp", "PortRange", "Protocol", "RuleAction":
			return true
		}
	case typeCluster:
		switch prop {
		case "ClusterSettings", "Configuration", "ServiceConnectDefaults", "CapacityProviders", "DefaultCapacityProviderStrategy":
			return true
		}
	case typeCapacityProvider:
		return prop == "AutoScalingGroupProvider"
	case typeClusterCPAssoc:
		return prop == "CapacityProviders" || prop == "DefaultCapacityProviderStrategy"
	case typeTaskSet:
		return prop == "Scale" || prop == "Tags"
	case typePrimaryTaskSet:
		return prop == "TaskSetId"
	case typeLaunchTemplate:
		return prop == "LaunchTemplateData" || prop == "VersionDescription" || prop == "TagSpecifications"
	case typeExpressService:
		// Cluster, ServiceName and InfrastructureRoleArn replace it
		// (UpdateExpressGatewayService takes none of them).
		return prop != "Cluster" && prop != "ServiceName" && prop != "InfrastructureRoleArn"
	case typeClassicLB:
		switch prop {
		case "AvailabilityZones", "Subnets", "SecurityGroups", "Instances", "HealthCheck", "CrossZone",
			"ConnectionDrainingPolicy", "ConnectionSettings", "AccessLoggingPolicy":
			return true
		}
	}
	return false
}

// routeTargets are the target properties of an AWS::EC2::Route that
// ecsnet models (and updates in place: ReplaceRoute).
func routeTargets() []string {
	return []string{"GatewayId", "NatGatewayId", "InstanceId", "NetworkInterfaceId", "VpcEndpointId", "EgressOnlyInternetGatewayId", "TransitGatewayId"}
}

// updateRoute points an AWS::EC2::Route at its new target (ReplaceRoute).
func updateRoute(c *rctx, _ obj, _ []string) error {
	p := c.p
	rt, err := p.req("RouteTableId")
	if err != nil {
		return err
	}
	in := engine.RouteInput{RouteTableID: model.RouteTableID(rt)}
	pl := ""
	for _, k := range []string{"DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId"} {
		v, err := p.str(k)
		if err != nil {
			return err
		}
		switch k {
		case "DestinationCidrBlock":
			in.DestinationCIDR = v
		case "DestinationIpv6CidrBlock":
			in.DestinationIPv6CIDR = v
		default:
			pl = v
		}
	}
	in.DestinationPrefixList = model.PrefixListID(pl)
	for _, k := range routeTargets() {
		v, err := p.str(k)
		if err != nil || v == "" {
			if err != nil {
				return err
			}
			continue
		}
		if c.isPlaceholder(v) {
			return p.invalid(k, "%s %s is not modeled by ecsnet: ecsnet cannot point the route at it", k, v)
		}
		setRouteTarget(&in, k, v)
	}
	return c.e().ReplaceRoute(in)
}

// updateListener changes an AWS::ElasticLoadBalancingV2::Listener's
// default actions, port or protocol (ModifyListener).
func updateListener(c *rctx, _ obj, changed []string) error {
	p := c.p
	in := engine.ModifyListenerInput{ListenerARN: c.r.physical}
	var err error
	for _, prop := range changed {
		switch prop {
		case "DefaultActions":
			if in.DefaultActions, err = c.actions(p, "DefaultActions"); err != nil {
				return err
			}
		case "Port":
			port, err := p.integer("Port", 0)
			if err != nil {
				return err
			}
			in.Port = uint16(port)
		case "Protocol":
			if in.Protocol, err = p.str("Protocol"); err != nil {
				return err
			}
		}
	}
	_, err = c.e().ModifyListener(in)
	return err
}

// updateService updates an AWS::ECS::Service in place (UpdateService).
func updateService(c *rctx, old obj, changed []string) error {
	p := c.p
	in := engine.UpdateServiceInput{Cluster: c.r.keys["Cluster"], Service: c.r.physical}
	var create engine.CreateServiceInput // what the create's readers fill
	var err error
	for _, prop := range changed {
		switch prop {
		case "DesiredCount":
			n, err := p.integer("DesiredCount", 1)
			if err != nil {
				return err
			}
			in.DesiredCount = &n
		case "TaskDefinition":
			if in.TaskDefinition, err = p.req("TaskDefinition"); err != nil {
				return err
			}
		case "PlatformVersion":
			if in.PlatformVersion, err = p.str("PlatformVersion"); err != nil {
				return err
			}
		case "HealthCheckGracePeriodSeconds":
			n, err := p.integer("HealthCheckGracePeriodSeconds", 0)
			if err != nil {
				return err
			}
			in.HealthCheckGracePeriod = &n
		case "PropagateTags":
			v, err := p.str("PropagateTags")
			if err != nil {
				return err
			}
			if v == "" {
				v = "NONE"
			}
			in.PropagateTags = &v
		case "EnableECSManagedTags":
			b, err := p.boolean("EnableECSManagedTags")
			if err != nil {
				return err
			}
			v := b != nil && *b
			in.EnableECSManagedTags = &v
		case "NetworkConfiguration":
			awsvpc, err := p.object("NetworkConfiguration")
			if err == nil {
				awsvpc, err = awsvpc.object("AwsvpcConfiguration")
			}
			if err == nil {
				in.Network, err = serviceAwsvpc(awsvpc)
			}
			if err != nil {
				return err
			}
		case "LoadBalancers":
			lbs, err := serviceLoadBalancers(p)
			if err != nil {
				return err
			}
			in.LoadBalancers = append([]model.ServiceLoadBalancer{}, lbs...) // none: clear them
		case "DeploymentConfiguration", "PlacementConstraints", "PlacementStrategies", "EnableExecuteCommand":
			if err := serviceDeployment(p, &create); err != nil {
				return err
			}
			switch prop {
			case "DeploymentConfiguration":
				in.DeploymentConfig = create.DeploymentConfig
				if in.DeploymentConfig == nil {
					// Gone from the template: the defaults again.
					d := engine.DefaultDeploymentConfig("")
					in.DeploymentConfig = &engine.DeploymentConfigInput{MaximumPercent: &d.MaximumPercent,
						MinimumHealthyPercent: &d.MinimumHealthyPercent, CircuitBreaker: &[2]bool{}}
				}
			case "PlacementConstraints":
				in.PlacementConstraints = append([]model.PlacementConstraint{}, create.PlacementConstraints...)
			case "PlacementStrategies":
				in.PlacementStrategy = append([]model.PlacementStrategy{}, create.PlacementStrategy...)
			case "EnableExecuteCommand":
				v := create.EnableExecuteCommand
				in.EnableExecuteCommand = &v
			}
		case "CapacityProviderStrategy":
			// Since June 2025 in place ("No interruption"): CloudFormation
			// starts the new deployment itself; an empty list goes back
			// to a launch type, and the property removed changes nothing
			// (AWS::ECS::Service, "Recommended Actions").
			if !p.has("CapacityProviderStrategy") {
				continue
			}
			strat, err := strategy(p, "CapacityProviderStrategy")
			if err != nil {
				return err
			}
			in.CapacityProviderStrategy = append([]model.CapacityProviderStrategyItem{}, strat...)
			in.ForceNewDeployment = true
		case "ServiceRegistries":
			if err := serviceRegistries(c, p, &create); err != nil {
				return err
			}
			in.ServiceRegistries = append([]model.ServiceRegistry{}, create.ServiceRegistries...)
		case "Tags":
			if err := retag(c, old, func(ch engine.TagChange) error { return c.e().TagECSResource(c.r.physical, ch) }); err != nil {
				return err
			}
		}
	}
	if slices.Equal(changed, []string{"Tags"}) {
		return nil
	}
	if _, err := c.e().UpdateService(in); err != nil {
		return err
	}
	if c.s.l.serviceUpdatesSettleLater {
		return nil // the caller waits for the deployment, step by step
	}
	return c.converge()
}

// retag gives a resource the tags c.p names (with CloudFormation's stack
// tags), removing those only old named.
func retag(c *rctx, old obj, apply func(engine.TagChange) error) error {
	tags, err := c.p.tags()
	if err != nil {
		return err
	}
	for k := range tags {
		if strings.HasPrefix(k, "aws:") {
			delete(tags, k) // CloudFormation's own, set at create, reserved
		}
	}
	remove := map[string]*string{}
	if was, err := old.tagList(); err == nil {
		for k := range was {
			if _, keep := tags[k]; !keep {
				remove[k] = nil
			}
		}
	}
	return apply(engine.TagChange{Add: tags, Remove: remove})
}

// updateEC2Tags changes the tags of an EC2 resource (the only property of
// these types ecsnet updates in place).
func updateEC2Tags(c *rctx, old obj, _ []string) error {
	return retag(c, old, func(ch engine.TagChange) error { return c.e().TagEC2Resources([]string{c.r.physical}, ch) })
}

// updateASG updates an AWS::AutoScaling::AutoScalingGroup in place
// (UpdateAutoScalingGroup), replacing its instances as its UpdatePolicy
// says.
func updateASG(c *rctx, old obj, changed []string) error {
	return updateASGSignals(c, old, changed, true)
}

// updateASGSignals is updateASG; with signals false a rolling update does
// not wait for the new instances' signals (the update that failed for
// want of them changing the group back).
func updateASGSignals(c *rctx, old obj, changed []string, signals bool) error {
	p := c.p
	in := engine.UpdateAutoScalingGroupInput{Name: c.r.physical}
	var err error
	for _, prop := range changed {
		switch prop {
		case "MinSize", "MaxSize":
			n, err := p.integer(prop, 0)
			if err != nil {
				return err
			}
			if prop == "MinSize" {
				in.MinSize = &n
			} else {
				in.MaxSize = &n
			}
		case "DesiredCapacity":
			// Gone from the template (nil): the group keeps its capacity.
			if in.DesiredCapacity, err = p.intPtr("DesiredCapacity"); err != nil {
				return err
			}
		case "LaunchTemplate":
			lt, err := p.object("LaunchTemplate")
			if err != nil {
				return err
			}
			if lt.n != nil {
				if in.LaunchTemplate, err = launchTemplateSpec(lt); err != nil {
					return err
				}
			}
		case "LaunchConfigurationName":
			v, err := p.str("LaunchConfigurationName")
			if err != nil {
				return err
			}
			in.LaunchConfigurationName = &v
		case "VPCZoneIdentifier":
			subnets, err := p.strs("VPCZoneIdentifier")
			if err != nil {
				return err
			}
			in.Subnets = toSubnetIDs(subnets)
		case "PlacementGroup":
			// Gone from the template: the group launches into none
			// ("Update requires: No interruption"; instances already
			// running stay where they are).
			v, err := p.str("PlacementGroup")
			if err != nil {
				return err
			}
			in.Options.PlacementGroup = &v
		case "AvailabilityZones":
			if in.AvailabilityZones, err = p.strs("AvailabilityZones"); err != nil {
				return err
			}
		case "TargetGroupARNs":
			if in.TargetGroupARNs, err = p.strs("TargetGroupARNs"); err != nil {
				return err
			}
			if in.TargetGroupARNs == nil {
				in.TargetGroupARNs = []string{}
			}
		case "HealthCheckType":
			v, err := p.str("HealthCheckType")
			if err != nil {
				return err
			}
			if v == "" {
				v = "EC2"
			}
			in.HealthCheckType = &v
		case "HealthCheckGracePeriod":
			n, err := p.integer("HealthCheckGracePeriod", 0)
			if err != nil {
				return err
			}
			in.HealthCheckGracePeriod = &n
		case "NewInstancesProtectedFromScaleIn", "CapacityRebalance":
			b, err := p.boolean(prop)
			if err != nil {
				return err
			}
			v := b != nil && *b
			if prop == "CapacityRebalance" {
				in.CapacityRebalance = &v
			} else {
				in.NewInstancesProtected = &v
			}
		case "Tags":
			if err := retagASG(c, old); err != nil {
				return err
			}
		}
	}
	if slices.Equal(changed, []string{"Tags"}) {
		return nil
	}
	var before []model.InstanceID
	roll := c.rollingUpdate()
	if roll != nil && slices.ContainsFunc(changed, rollsInstances) {
		before = c.groupInstances()
	}
	if _, err := c.e().UpdateAutoScalingGroup(in); err != nil {
		return err
	}
	if err := c.settleOwn(); err != nil {
		return err
	}
	// The handler waits for the updated group to stabilize as it does on
	// create: a group whose launches fail short of its new size (a
	// placement group that does not exist, …) fails the update, and the
	// group goes back to its old configuration (the failed update is not
	// among the stack's reverts).
	if err := c.groupLaunchFailure(c.r.physical); err != nil && signals {
		return c.revertGroup(old, changed, err)
	}
	if len(before) == 0 {
		return nil
	}
	// AutoScalingRollingUpdate: CloudFormation replaces the instances
	// launched with the old configuration (TerminateInstanceInAutoScalingGroup
	// without decrement; the group launches their replacements), and with
	// WaitOnResourceSignals each new instance must signal.
	for _, id := range before {
		if _, _, err := c.e().TerminateInstanceInAutoScalingGroup(id, false); err != nil {
			return err
		}
	}
	if err := c.settleOwn(); err != nil {
		return err
	}
	if err := c.groupLaunchFailure(c.r.physical); err != nil && signals {
		return c.revertGroup(old, changed, err)
	}
	if wait := roll.get("WaitOnResourceSignals"); !signals || wait == nil || wait.kind != scalarNode || wait.str != "true" {
		return nil
	}
	var fresh []model.InstanceID
	for _, id := range c.groupInstances() {
		if !slices.Contains(before, id) {
			fresh = append(fresh, id)
		}
	}
	// The signals come from the new instances: the user data of the
	// group's new launch configuration or template must run cfn-signal
	// for this group of this stack. Short of signals the update fails and
	// CloudFormation's rollback rolls the group back to its old
	// configuration, instances replaced again (the failed update is not
	// among the stack's reverts).
	never := c.signalsNever(c.currentGroupUserData(), "an UpdatePolicy AutoScalingRollingUpdate with WaitOnResourceSignals")
	return c.groupSignalsReceived(len(fresh), fresh, roll, never, false, func() error { return updateASGSignals(old.c, c.p, changed, false) })
}

// revertGroup puts a group whose update failed with cause back to its
// old properties, and returns cause. The revert itself (signals false)
// does not wait for the old group to stabilize.
func (c *rctx) revertGroup(old obj, changed []string, cause error) error {
	if err := updateASGSignals(old.c, c.p, changed, false); err != nil {
		return err
	}
	return cause
}

// rollsInstances reports whether a change of an Auto Scaling group's
// property makes its UpdatePolicy replace the instances (UpdatePolicy
// attribute: "change the Auto Scaling group's launch configuration …
// launch template … MixedInstancesPolicy … VPCZoneIdentifier … placement
// group").
// ReplacedByUpdatePolicy reports whether a change of property prop of a
// resource of type typ replaces it under an UpdatePolicy that asks for
// replacement (an Auto Scaling group's AutoScalingReplacingUpdate
// WillReplace true).
func ReplacedByUpdatePolicy(typ, prop string) bool { return typ == typeASG && rollsInstances(prop) }

func rollsInstances(prop string) bool {
	switch prop {
	case "LaunchConfigurationName", "LaunchTemplate", "MixedInstancesPolicy", "VPCZoneIdentifier", "PlacementGroup":
		return true
	}
	return false
}

// rollingUpdate returns the group's UpdatePolicy AutoScalingRollingUpdate
// (nil without one, or when AutoScalingReplacingUpdate's WillReplace
// takes precedence).
func (c *rctx) rollingUpdate() *node {
	if c.replacingUpdate() {
		return nil
	}
	return c.attribute("UpdatePolicy").get("AutoScalingRollingUpdate")
}

// replacingUpdate reports whether the group's UpdatePolicy has
// AutoScalingReplacingUpdate WillReplace true.
func (c *rctx) replacingUpdate() bool {
	n := c.attribute("UpdatePolicy").get("AutoScalingReplacingUpdate").get("WillReplace")
	return n != nil && n.kind == scalarNode && n.str == "true"
}

// groupInstances returns the live instances of the group, in launch order.
func (c *rctx) groupInstances() []model.InstanceID {
	var launched []*model.Instance
	c.read(func(st *model.State) {
		for _, inst := range st.Instances {
			if inst.AutoScalingGroup == c.r.physical && inst.Live() {
				launched = append(launched, inst)
			}
		}
	})
	slices.SortFunc(launched, func(a, b *model.Instance) int {
		if c := a.LaunchTime.Compare(b.LaunchTime); c != 0 {
			return c
		}
		return strings.Compare(string(a.ID), string(b.ID))
	})
	ids := make([]model.InstanceID, len(launched))
	for i, inst := range launched {
		ids[i] = inst.ID
	}
	return ids
}

// asgTags reads an Auto Scaling group's Tags property.
func asgTags(p obj) (map[string]model.ASGTag, error) {
	out := map[string]model.ASGTag{}
	tags, err := p.objects("Tags")
	if err != nil {
		return nil, err
	}
	for _, t := range tags {
		k, err := t.req("Key")
		if err != nil {
			return nil, err
		}
		v, err := t.req("Value")
		if err != nil {
			return nil, err
		}
		prop, err := t.boolean("PropagateAtLaunch")
		if err != nil {
			return nil, err
		}
		out[k] = model.ASGTag{Key: k, Value: v, PropagateAtLaunch: prop != nil && *prop}
	}
	return out, nil
}

// retagASG gives an Auto Scaling group the tags c.p lists, removing those
// only old listed.
func retagASG(c *rctx, old obj) error {
	want, err := asgTags(c.p)
	if err != nil {
		return err
	}
	was, err := asgTags(old)
	if err != nil {
		return err
	}
	var changes []engine.ASGTagChange
	for _, k := range sortedKeysOf(was) {
		if _, keep := want[k]; !keep {
			changes = append(changes, engine.ASGTagChange{Group: c.r.physical, Tag: was[k], Delete: true})
		}
	}
	for _, k := range sortedKeysOf(want) {
		changes = append(changes, engine.ASGTagChange{Group: c.r.physical, Tag: want[k]})
	}
	return c.e().TagAutoScalingGroups(changes)
}

func sortedKeysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// updateSecurityGroup updates an AWS::EC2::SecurityGroup in place: the
// inline rules the template dropped are revoked, the new ones authorized
// (rules of AWS::EC2::SecurityGroupIngress/Egress resources stay), and its
// tags.
func updateSecurityGroup(c *rctx, old obj, changed []string) error {
	id := model.SecurityGroupID(c.r.physical)
	for _, prop := range changed {
		switch prop {
		case "SecurityGroupIngress", "SecurityGroupEgress":
			egress := prop == "SecurityGroupEgress"
			was, err := inlineRules(old, prop, egress)
			if err != nil {
				return err
			}
			want, err := inlineRules(c.p, prop, egress)
			if err != nil {
				return err
			}
			var revoke, add []engine.IPPermission
			for _, r := range was {
				if !slices.ContainsFunc(want, func(w engine.IPPermission) bool { return reflect.DeepEqual(w, r) }) {
					revoke = append(revoke, r)
				}
			}
			for _, w := range want {
				if !slices.ContainsFunc(was, func(r engine.IPPermission) bool { return reflect.DeepEqual(w, r) }) {
					add = append(add, w)
				}
			}
			if egress && len(was) == 0 && len(want) > 0 {
				// The group had AWS's default egress rule.
				if err := c.e().RevokeDefaultEgress(id); err != nil {
					return err
				}
			}
			if len(revoke) > 0 {
				if _, err := c.e().RevokeSecurityGroup(id, egress, revoke, nil); err != nil {
					return c.p.at(prop, err)
				}
			}
			if egress && len(was) > 0 && len(want) == 0 {
				// No egress rules in the template: AWS's default again.
				add = append(add, engine.IPPermission{Protocol: "-1", CIDRs: []engine.RuleSource{{Value: "0.0.0.0/0"}}})
			}
			if len(add) > 0 {
				if _, err := c.e().AuthorizeSecurityGroup(id, egress, add); err != nil {
					return c.p.at(prop, err)
				}
			}
		case "Tags":
			if err := updateEC2Tags(c, old, changed); err != nil {
				return err
			}
		}
	}
	return nil
}

// inlineRules reads a security group's inline rules (the IPv6 ones ecsnet
// does not model left out).
func inlineRules(p obj, prop string, egress bool) ([]engine.IPPermission, error) {
	rules, err := p.objects(prop)
	if err != nil {
		return nil, err
	}
	var out []engine.IPPermission
	for _, r := range rules {
		perm, skip, err := sgPermission(r, egress)
		if err != nil {
			return nil, err
		}
		if !skip {
			out = append(out, perm)
		}
	}
	return out, nil
}

// replacingNamed refuses, as CloudFormation does, to replace a resource
// whose name property (prop) keeps its custom value v: the new resource
// could not take the name the old one holds until cleanup. Checked for
// the types ecsnet updates in place, where a replacement is one AWS
// would make too, and for launch configurations and CodeDeploy
// deployment configurations, which every change replaces ("Update
// requires: Replacement" for each property).
func (c *rctx) replacingNamed(prop, v string) error {
	old, ok := c.s.l.existing[c.s.prefix+c.r.def.name]
	if !ok || old.Type != c.r.def.typ || updaterFor(old.Type) == nil && old.Type != "AWS::AutoScaling::LaunchConfiguration" && old.Type != typeCodeDeployConfig {
		return nil
	}
	if n := propsOf(old.Props, c.r.def.line); n == nil || n.get(prop).scalar() != v {
		return nil
	}
	return c.p.at(prop, fmt.Errorf("CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename %s and update the stack again.", v))
}

// currentGroupUserData is the user data (base64) of the launch
// configuration or launch template version the group launches with now.
func (c *rctx) currentGroupUserData() string {
	var in engine.CreateAutoScalingGroupInput
	c.read(func(st *model.State) {
		if g := st.AutoScalingGroups[c.r.physical]; g != nil {
			in.LaunchConfigurationName, in.LaunchTemplate = g.LaunchConfiguration, g.LaunchTemplate
		}
	})
	return c.groupUserData(in)
}

// ChangedProperties returns the top-level properties whose resolved
// values differ between two resolved property texts (Resource.Props).
func ChangedProperties(oldJSON, newJSON string) []string {
	return changedProps(oldJSON, newJSON)
}

// RequiresRecreation is what a change set says a change of property prop
// of a resource of type typ requires (ResourceTargetDefinition's
// RequiresRecreation), from the rules the update itself follows
// (UpdatesInPlace): "Never" for a property updated in place, "Always" for
// one that replaces the resource (every property of a type ecsnet models
// without an in-place updater), and, when the answer depends on the
// values, as for VPC InstanceTenancy, the answer for oldJSON and newJSON
// (the resolved properties) when both are known, else "Conditionally".
func RequiresRecreation(typ, prop, oldJSON, newJSON string) string {
	if !UpdatesInPlace(typ, prop) {
		return "Always"
	}
	if (typ == typeVPC && prop == "InstanceTenancy") || (typ == typeCapacityProvider && prop == "AutoScalingGroupProvider") {
		if oldJSON == "" || newJSON == "" {
			return "Conditionally"
		}
		if !inPlaceValues(typ, prop, propsOf(oldJSON, 0).get(prop), propsOf(newJSON, 0).get(prop)) {
			return "Always"
		}
	}
	return "Never"
}
