package cfn

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Resource types ecsnet creates.
const (
	typeVPC               = "AWS::EC2::VPC"
	typeSubnet            = "AWS::EC2::Subnet"
	typeIGW               = "AWS::EC2::InternetGateway"
	typeGatewayAttachment = "AWS::EC2::VPCGatewayAttachment"
	typeRouteTable        = "AWS::EC2::RouteTable"
	typeRoute             = "AWS::EC2::Route"
	typeRTAssociation     = "AWS::EC2::SubnetRouteTableAssociation"
	typeNatGateway        = "AWS::EC2::NatGateway"
	typeEIP               = "AWS::EC2::EIP"
	typeEIPAssociation    = "AWS::EC2::EIPAssociation"
	typeSecurityGroup     = "AWS::EC2::SecurityGroup"
	typeSGIngress         = "AWS::EC2::SecurityGroupIngress"
	typeSGEgress          = "AWS::EC2::SecurityGroupEgress"
	typeNetworkACL        = "AWS::EC2::NetworkAcl"
	typeNetworkACLEntry   = "AWS::EC2::NetworkAclEntry"
	typeACLAssociation    = "AWS::EC2::SubnetNetworkAclAssociation"
	typeLaunchTemplate    = "AWS::EC2::LaunchTemplate"
	typeInstance          = "AWS::EC2::Instance"
	typeVPCEndpoint       = "AWS::EC2::VPCEndpoint"
	typeEgressOnlyIGW     = "AWS::EC2::EgressOnlyInternetGateway"
	typeFlowLog           = "AWS::EC2::FlowLog"
	typeEndpointService   = "AWS::EC2::VPCEndpointService"
	typeVPCCidrBlock      = "AWS::EC2::VPCCidrBlock"
	typeSubnetCidrBlock   = "AWS::EC2::SubnetCidrBlock"
	typeVPCPeering        = "AWS::EC2::VPCPeeringConnection"
	typeENI               = "AWS::EC2::NetworkInterface"
	typeASG               = "AWS::AutoScaling::AutoScalingGroup"
	typeLaunchConfig      = "AWS::AutoScaling::LaunchConfiguration"
	typeCluster           = "AWS::ECS::Cluster"
	typeTaskDefinition    = "AWS::ECS::TaskDefinition"
	typeService           = "AWS::ECS::Service"
	typeCapacityProvider  = "AWS::ECS::CapacityProvider"
	typeExpressService    = "AWS::ECS::ExpressGatewayService"
	typeClusterCPAssoc    = "AWS::ECS::ClusterCapacityProviderAssociations"
	typeLoadBalancer      = "AWS::ElasticLoadBalancingV2::LoadBalancer"
	typeClassicLB         = "AWS::ElasticLoadBalancing::LoadBalancer"
	typeListener          = "AWS::ElasticLoadBalancingV2::Listener"
	typeListenerRule      = "AWS::ElasticLoadBalancingV2::ListenerRule"
	typeTargetGroup       = "AWS::ElasticLoadBalancingV2::TargetGroup"
	typeStack             = "AWS::CloudFormation::Stack"
)

// handler creates one resource type.
type handler func(c *rctx) error

// handlerFor returns the handler of a resource type.
func handlerFor(typ string) (handler, bool) {
	if h, ok := tgwHandler(typ); ok {
		return h, true
	}
	if h, ok := vpnHandler(typ); ok {
		return h, true
	}
	switch typ {
	case typeVPC:
		return createVPC, true
	case typeSubnet:
		return createSubnet, true
	case typeIGW:
		return createIGW, true
	case typeGatewayAttachment:
		return createGatewayAttachment, true
	case typeRouteTable:
		return createRouteTable, true
	case typeRoute:
		return createRoute, true
	case typeRTAssociation:
		return createRTAssociation, true
	case typeNatGateway:
		return createNatGateway, true
	case typeEIP:
		return createEIP, true
	case typeEIPAssociation:
		return createEIPAssociation, true
	case typeSecurityGroup:
		return createSecurityGroup, true
	case typeSGIngress:
		return func(c *rctx) error { return createSGRule(c, false) }, true
	case typeSGEgress:
		return func(c *rctx) error { return createSGRule(c, true) }, true
	case typeRestrictDefaultSG:
		return createRestrictDefaultSG, true
	case typeNetworkACL:
		return createNetworkACL, true
	case typeNetworkACLEntry:
		return createNetworkACLEntry, true
	case typeACLAssociation:
		return createACLAssociation, true
	case typeLaunchTemplate:
		return createLaunchTemplate, true
	case typeInstance:
		return createInstance, true
	case typeVPCEndpoint:
		return createVPCEndpoint, true
	case typeEgressOnlyIGW:
		return createEgressOnlyIGW, true
	case typeBPAOptions:
		return createBPAOptions, true
	case typeBPAExclusion:
		return createBPAExclusion, true
	case typeENIPermission:
		return createENIPermission, true
	case typeDHCPOptions:
		return createDHCPOptions, true
	case typeSpotFleet:
		return createSpotFleet, true
	case typeEC2Fleet:
		return createEC2Fleet, true
	case typeScalingPolicy:
		return createScalingPolicy, true
	case typeLifecycleHook:
		return createLifecycleHook, true
	case typeDHCPAssociation:
		return createDHCPAssociation, true
	case typeVPCPeering:
		return createVPCPeering, true
	case typeENI:
		return createENI, true
	case typeFlowLog:
		return createFlowLog, true
	case typeEndpointService:
		return createEndpointService, true
	case typeEndpointServicePermissions:
		return createEndpointServicePermissions, true
	case typeVPCCidrBlock:
		return createVPCCidrBlock, true
	case typeSubnetCidrBlock:
		return createSubnetCidrBlock, true
	case typeASG:
		return createASG, true
	case typeLaunchConfig:
		return createLaunchConfig, true
	case typeCluster:
		return createCluster, true
	case typeTaskDefinition:
		return createTaskDefinition, true
	case typeService:
		return createService, true
	case typeCapacityProvider:
		return createCapacityProvider, true
	case typeExpressService:
		return createExpressService, true
	case typeClusterCPAssoc:
		return createClusterCPAssoc, true
	case typeTaskSet:
		return createTaskSet, true
	case typePrimaryTaskSet:
		return createPrimaryTaskSet, true
	case typeDaemonTaskDefinition:
		return createDaemonTaskDefinition, true
	case typeDaemon:
		return createDaemon, true
	case typeLoadBalancer:
		return createLoadBalancer, true
	case typeClassicLB:
		return createClassicLoadBalancer, true
	case typeListener:
		return createListener, true
	case typeListenerRule:
		return createListenerRule, true
	case typeListenerCertificate:
		return createListenerCertificate, true
	case typeTargetGroup:
		return createTargetGroup, true
	case typeStack:
		return createStack, true
	case typePrivateDNSNamespace:
		return createPrivateDNSNamespace, true
	case typePublicDNSNamespace, typeHTTPNamespace:
		return createOtherNamespace, true
	case typeDiscoveryService:
		return createDiscoveryService, true
	case typeDiscoveryInstance:
		return createDiscoveryInstance, true
	case typeHostedZone:
		return createHostedZone, true
	case typeRecordSet:
		return createRecordSet, true
	case typeRecordSetGroup:
		return createRecordSetGroup, true
	case typeHealthCheck:
		return createHealthCheck, true
	case typeLogGroup:
		return createLogGroup, true
	case typeEventRule:
		return createEventRule, true
	case typeEventBus:
		return createEventBus, true
	case typeAlarm:
		return createAlarm, true
	case typeCompositeAlarm:
		return createCompositeAlarm, true
	case typeSecret:
		return createSecret, true
	case typeKMSKey:
		return createKMSKey, true
	case typeKMSAlias:
		return createKMSAlias, true
	case typeSecretPolicy:
		return createSecretPolicy, true
	case typeRepository:
		return createRepository, true
	case typeLambdaFunction:
		return createLambdaFunction, true
	case typeLambdaPermission:
		return createLambdaPermission, true
	case typeLambdaVersion:
		return createLambdaVersion, true
	case typeLambdaAlias:
		return createLambdaAlias, true
	case typeACMCertificate:
		return createACMCertificate, true
	case typeFileSystem:
		return createFileSystem, true
	case typeMountTarget:
		return createMountTarget, true
	case typeAccessPoint:
		return createAccessPoint, true
	case typeScalableTarget:
		return createScalableTarget, true
	case typeAppScalingPolicy:
		return createAppScalingPolicy, true
	case typeLogStream:
		return createLogStream, true
	case typeKeyPair:
		return createKeyPair, true
	case typePlacementGroup:
		return createPlacementGroup, true
	case typeNFRuleGroup, typeNFFirewallPolicy, typeNFFirewall: // res_networkfirewall.go
		return createNetworkFirewallResource, true
	case typePrefixList:
		return createPrefixList, true
	case typeSSMParameter:
		return createSSMParameter, true
	case typeIAMRole:
		return createIAMRole, true
	case typeIAMPolicy:
		return createIAMPolicy, true
	case typeIAMManagedPolicy:
		return createIAMManagedPolicy, true
	case typeIAMInstanceProfile:
		return createIAMInstanceProfile, true
	case typeIAMServerCertificate:
		return createIAMServerCertificate, true
	case typeEnvController:
		return createEnvController, true
	case typeIAMUser:
		return createIAMUser, true
	case typeIAMAccessKey:
		return createIAMAccessKey, true
	case typeIAMUserPolicy:
		return createIAMUserPolicy, true
	case typeIAMGroup:
		return createIAMGroup, true
	case typeIAMUserToGroupAddition:
		return createUserToGroupAddition, true
	case typeIAMGroupPolicy:
		return createIAMGroupPolicy, true
	case typeBucket:
		return createBucket, true
	case typeBucketPolicy:
		return createBucketPolicy, true
	case typeCodeDeployApp:
		return createCodeDeployApp, true
	case typeCodeDeployGroup:
		return createCodeDeployGroup, true
	case typeCodeDeployConfig:
		return createCodeDeployConfig, true
	}
	return nil, false
}

// SupportedTypes returns the resource types ecsnet creates; every other
// type is skipped.
func SupportedTypes() []string {
	return []string{typeVPC, typeSubnet, typeIGW, typeGatewayAttachment, typeRouteTable, typeRoute, typeRTAssociation,
		typeNatGateway, typeEIP, typeEIPAssociation, typeSecurityGroup, typeSGIngress, typeSGEgress, typeNetworkACL,
		typeNetworkACLEntry, typeACLAssociation, typeLaunchTemplate, typeInstance, typeVPCEndpoint, typeASG,
		typeLaunchConfig, typeCluster, typeTaskDefinition, typeService, typeCapacityProvider, typeClusterCPAssoc, typeTaskSet, typePrimaryTaskSet,
		typeDaemonTaskDefinition, typeDaemon,
		typeExpressService, typeLoadBalancer, typeClassicLB, typeListener, typeListenerRule, typeListenerCertificate, typeTargetGroup, typeStack, typePrivateDNSNamespace, typePublicDNSNamespace,
		typeHTTPNamespace, typeDiscoveryService, typeDiscoveryInstance, typeEgressOnlyIGW, typeVPCCidrBlock, typeSubnetCidrBlock, typeLogGroup, typeLogStream, typeKeyPair, typePlacementGroup, typePrefixList,
		typeTGW, typeTGWAttachment, typeTGWVpcAttachment, typeTGWRouteTable, typeTGWRoute, typeTGWRTAssociation, typeTGWRTPropagation,
		typeVPNGateway, typeCustomerGateway, typeVPNConnection, typeVPNConnectionRoute, typeVPNGatewayPropagation, typeGatewayRTAssociation, typeFlowLog, typeEndpointService, typeEndpointServicePermissions,
		typeVPCPeering, typeENI, typeDHCPOptions, typeDHCPAssociation, typeScalingPolicy, typeLifecycleHook, typeSSMParameter, typeSpotFleet, typeEC2Fleet,
		typeScalableTarget, typeAppScalingPolicy, typeRepository, typeACMCertificate, typeBPAOptions, typeBPAExclusion, typeENIPermission,
		typeFileSystem, typeMountTarget, typeAccessPoint, typeHostedZone, typeRecordSet, typeRecordSetGroup, typeHealthCheck,
		typeAlarm, typeSecret, typeKMSKey, typeKMSAlias, typeSecretPolicy, typeCompositeAlarm, typeBucket, typeBucketPolicy,
		typeEventRule, typeEventBus, typeCodeDeployApp, typeCodeDeployGroup, typeCodeDeployConfig, typeRestrictDefaultSG,
		typeNFRuleGroup, typeNFFirewallPolicy, typeNFFirewall, typeLambdaFunction,
		typeLambdaPermission, typeLambdaVersion, typeLambdaAlias}
}

// rctx is the context of one resource being created.
type rctx struct {
	s *stack
	r *resource
	p obj // the resolved Properties
}

func (c *rctx) e() *engine.Engine { return c.s.l.e }

// setRef sets what Ref returns (the physical id or ARN).
func (c *rctx) setRef(id string) { c.r.physical = id }

// set sets a string attribute for Fn::GetAtt.
func (c *rctx) set(attr, v string) {
	if c.r.attrs == nil {
		c.r.attrs = map[string]*node{}
	}
	c.r.attrs[attr] = scalarAt(v, c.r.def.line)
}

// setList sets a list attribute for Fn::GetAtt.
func (c *rctx) setList(attr string, vs []string) {
	if c.r.attrs == nil {
		c.r.attrs = map[string]*node{}
	}
	items := make([]*node, len(vs))
	for i, v := range vs {
		items[i] = scalarAt(v, c.r.def.line)
	}
	c.r.attrs[attr] = listAt(items, c.r.def.line)
}

// skipAs records the resource as skipped for a reason found in its
// properties (a VPN gateway attachment, an IPv6 route, …).
func (c *rctx) skipAs(reason string) error {
	c.s.skip(c.r, reason)
	return nil
}

// displayName is the resource's name in ecsnet's output: its logical id,
// prefixed with the nested stack's.
func (c *rctx) displayName() string { return c.s.prefix + c.r.def.name }

// nameTag adds ecsnet's Name tag (the logical id) to tags without one,
// unless the deploy answers as AWS does (DeployOptions.AWSTags).
func (c *rctx) nameTag(t model.Tags) {
	if t["Name"] == "" && !c.s.l.awsTags {
		t["Name"] = c.displayName()
	}
}

// stackTags adds the tags CloudFormation puts on every resource it tags.
func (c *rctx) stackTags(t model.Tags) {
	t["aws:cloudformation:stack-name"] = c.s.name
	t["aws:cloudformation:stack-id"] = c.s.arn
	t["aws:cloudformation:logical-id"] = c.r.def.name
}

// name returns the name property, or the name CloudFormation generates.
func (c *rctx) name(prop string, max int) (string, error) {
	v, err := c.p.str(prop)
	if err == nil && v != "" {
		err = c.replacingNamed(prop, v)
	}
	if err != nil || v != "" {
		return v, err
	}
	return c.s.physicalName(c.r.def.name, max), nil
}

// read calls fn with the engine's state.
func (c *rctx) read(fn func(st *model.State)) { c.e().Read(fn) }

// converge runs the engine to its steady state, as CloudFormation waits
// for instances to run and services to stabilize before it goes on.
func (c *rctx) converge() error { return c.e().Converge() }

// settleOwn waits for what an Auto Scaling group, an instance or a NAT
// gateway just created or updated waits for (its instances launched and
// running, the gateway available or failed). When the caller steps the
// engine itself and waits for ECS services (the emulator:
// DeployOptions.ServiceCreatesSettleLater or ServiceUpdatesSettleLater),
// only the infrastructure moves, so that a service's deployment in
// progress beside it is left to the caller, as CloudFormation's handler
// of one resource waits for that resource only; otherwise the engine runs
// to its steady state (converge).
func (c *rctx) settleOwn() error {
	if c.s.l.serviceCreatesSettleLater || c.s.l.serviceUpdatesSettleLater {
		return c.e().ConvergeInfrastructure()
	}
	return c.converge()
}

// isPlaceholder reports whether an id came from a skipped resource.
func (c *rctx) isPlaceholder(id string) bool {
	for _, r := range c.s.res {
		if r.skipped && r.physical == id {
			return true
		}
	}
	return false
}

// ecsnetMeta returns the resource's Metadata.ecsnet object: ecsnet's own
// settings, which CloudFormation ignores (fixed public addresses, so the
// output matches real runs).
func (c *rctx) ecsnetMeta() (obj, error) {
	m, err := c.s.eval(c.r.def.metadata.get("ecsnet"), blockResources)
	o := obj{c: c, path: "#/Metadata/ecsnet", line: c.r.def.line}
	if err != nil {
		return o, err
	}
	if m != nil {
		if m.kind != mapNode {
			return o, propErr(m.line, "Metadata.ecsnet must be an object")
		}
		o.n, o.line = m, m.line
	}
	return o, nil
}

// addrs parses a list of IPv4 addresses.
func (o obj) addrs(key string) ([]netip.Addr, error) {
	var list []string
	if v := o.get(key); v != nil && v.kind == scalarNode {
		list = []string{v.str}
	} else {
		var err error
		if list, err = o.strs(key); err != nil {
			return nil, err
		}
	}
	var out []netip.Addr
	for _, s := range list {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return nil, o.invalid(key, "%q is not an IPv4 address", s)
		}
		out = append(out, a)
	}
	return out, nil
}

// skipReason explains why a resource type is not created.
func skipReason(typ string) string {
	switch {
	case strings.HasPrefix(typ, "Custom::") || typ == "AWS::CloudFormation::CustomResource":
		return "custom resources run code ecsnet does not run"
	case strings.HasPrefix(typ, "AWS::EC2::TransitGateway"), typ == "AWS::EC2::CarrierGateway",
		typ == "AWS::EC2::NetworkInterfaceAttachment", typ == "AWS::EC2::PrefixList":
		return "not modeled by ecsnet; traffic through it is not analyzed"
	}
	if networkType(typ) {
		return "not modeled by ecsnet"
	}
	return "not modeled by ecsnet (it does not change how packets flow)"
}

// networkType reports whether typ belongs to a service whose resources can
// change how packets flow (EC2, load balancing, ECS, Auto Scaling, …).
func networkType(typ string) bool {
	for _, p := range []string{"AWS::EC2::", "AWS::ElasticLoadBalancing", "AWS::ECS::", "AWS::AutoScaling::", "AWS::NetworkFirewall::",
		"AWS::Route53Resolver::", "AWS::GlobalAccelerator::", "AWS::VpcLattice::", "AWS::AppMesh::"} {
		if strings.HasPrefix(typ, p) {
			return true
		}
	}
	return false
}

// ---- user data and cfn-init ----

var cfnInitRE = regexp.MustCompile(`cfn-init\b[^\n]*`)
var cfnArgRE = regexp.MustCompile(`(?:--resource|-r)[ =]+([A-Za-z0-9]+)`)
var cfnSetsRE = regexp.MustCompile(`(?:--configsets|-c)[ =]+([A-Za-z0-9_,-]+)`)
var cfnStackRE = regexp.MustCompile(`(?:--stack|-s)[ =]+(arn:[^ "']+|[A-Za-z0-9-]+)`)

// userData returns a UserData property as the engine takes it (base64),
// with what cfn-init would write from AWS::CloudFormation::Init metadata
// appended: ECS samples often set ECS_CLUSTER there rather than in the
// user data itself.
func (c *rctx) userData(o obj, key string) (string, error) {
	ud, err := o.str(key)
	if err != nil || ud == "" {
		return ud, err
	}
	raw, decodeErr := base64.StdEncoding.DecodeString(ud)
	if decodeErr != nil {
		return ud, nil // the engine reports EC2's error
	}
	text := string(raw)
	extra := c.cfnInit(text, o.line_(key))
	if extra == "" {
		return ud, nil
	}
	return base64.StdEncoding.EncodeToString([]byte(text + extra)), nil
}

// cfnInit finds cfn-init calls in user data and returns, as shell lines,
// what the named resource's AWS::CloudFormation::Init would do that
// ecsnet models: the ECS agent settings it writes (commands and files
// that mention ECS_CLUSTER), and a web server it installs, gives an index
// page and starts (initPackages, initIndexFiles, initServices), in cfn-init's order of a config's
// sections: packages, files, commands, services.
func (c *rctx) cfnInit(text string, line int) string {
	if model.UserDataScriptNotRun(text) != "" {
		return "" // cfn-init never runs (signalCheck says why)
	}
	var out strings.Builder
	for _, call := range cfnInitRE.FindAllString(joinContinued(text), -1) {
		m := cfnArgRE.FindStringSubmatch(call)
		if m == nil {
			continue
		}
		if sm := cfnStackRE.FindStringSubmatch(call); sm != nil && sm[1] != c.s.name && sm[1] != c.s.arn {
			continue
		}
		target := c.s.res[m[1]]
		if target == nil {
			continue
		}
		init, err := c.s.eval(target.def.metadata.get("AWS::CloudFormation::Init"), blockResources)
		if err != nil || init == nil {
			continue
		}
		configs := []string{"config"}
		if sets := init.get("configSets"); sets != nil {
			want := "default"
			if sm := cfnSetsRE.FindStringSubmatch(call); sm != nil {
				want = strings.Split(sm[1], ",")[0]
			}
			configs = nil
			if set := sets.get(want); set != nil {
				for _, it := range set.items {
					if it.kind == scalarNode {
						configs = append(configs, it.str)
					}
				}
			}
		}
		var lines, web []string
		for _, name := range configs {
			cfg := init.get(name)
			if cfg == nil {
				continue
			}
			web = append(web, initPackages(cfg)...)
			// sources come after packages: a source cfn-init cannot
			// fetch or unpack stops it there (no files, commands or
			// services, of this config or the next).
			if why := initSourcesFail(cfg); why != "" {
				c.s.warnf(line, "%s: the user data runs cfn-init for %s, which fails on its sources (%s): its files, commands and services are not applied",
					c.r.def.name, m[1], why)
				break
			}
			web = append(web, initIndexFiles(cfg)...)
			if cmds := cfg.get("commands"); cmds != nil {
				for _, f := range cmds.fields {
					cmd := f.val.get("command")
					text := cmd.scalar()
					if cmd != nil && cmd.kind == listNode {
						text = joinScalars(cmd, " ")
					}
					if strings.Contains(text, "ECS_CLUSTER=") {
						lines = append(lines, text)
					} else if webServerName.MatchString(text) {
						web = append(web, text)
					}
				}
			}
			if files := cfg.get("files"); files != nil {
				for _, f := range files.fields {
					content := f.val.get("content").scalar()
					for _, l := range strings.Split(content, "\n") {
						if strings.Contains(l, "ECS_CLUSTER=") {
							lines = append(lines, fmt.Sprintf("echo %s >> %s", strings.TrimSpace(l), f.key))
						}
					}
				}
			}
			web = append(web, initServices(cfg)...)
		}
		if len(lines) > 0 {
			c.s.warnf(line, "%s: the user data runs cfn-init for %s; ecsnet applies the ECS agent settings of its AWS::CloudFormation::Init metadata (%s)",
				c.r.def.name, m[1], strings.Join(lines, "; "))
		}
		if len(web) > 0 {
			c.s.warnf(line, "%s: the user data runs cfn-init for %s; ecsnet applies the web server its AWS::CloudFormation::Init metadata installs and starts (%s)",
				c.r.def.name, m[1], strings.Join(web, "; "))
			lines = append(lines, web...)
		}
		if len(lines) == 0 {
			continue
		}
		out.WriteString("\n# cfn-init --resource " + m[1] + " (AWS::CloudFormation::Init):\n")
		for _, l := range lines {
			out.WriteString(l + "\n")
		}
	}
	return out.String()
}

// webServerName matches the web servers ecsnet models on an instance
// (reach's webServerSocket): Apache httpd, Debian's apache2 and nginx.
var webServerName = regexp.MustCompile(`\b(httpd|apache2|nginx)\b`)

// webRoots are the document roots of those servers' default
// configurations: /var/www/html (httpd, apache2), /usr/share/nginx/html
// (nginx on Amazon Linux and RHEL).
var webRoots = []string{"/var/www/html/", "/usr/share/nginx/html/"}

// initPackages returns, as shell lines, the installation of a web server
// a cfn-init config's packages section names: `yum: {httpd: []}` is
// `yum install -y httpd` (the yum, apt and rpm managers; cfn-init installs
// packages first).
func initPackages(cfg *node) []string {
	var out []string
	pkgs := cfg.get("packages")
	if pkgs == nil {
		return nil
	}
	for _, mgr := range pkgs.fields {
		cmd := map[string]string{"yum": "yum install -y", "apt": "apt-get install -y", "rpm": "yum install -y"}[mgr.key]
		if cmd == "" || mgr.val == nil {
			continue
		}
		for _, p := range mgr.val.fields {
			if webServerName.MatchString(p.key) && !strings.ContainsAny(p.key, "/:") {
				out = append(out, cmd+" "+p.key)
			}
		}
	}
	return out
}

// initIndexFiles returns, as shell lines, the index pages a cfn-init
// config's files section writes into a web server's document root (from
// content or a source URL), or its sources section unpacks there (an
// archive unpacked into the document root is taken to hold the site's
// index page [choice]).
func initIndexFiles(cfg *node) []string {
	var out []string
	for _, dir := range initSourceDirs(cfg) {
		for _, root := range webRoots {
			if strings.TrimSuffix(dir, "/") == strings.TrimSuffix(root, "/") {
				out = append(out, "echo '(unpacked by cfn-init)' > "+root+"index.html")
			}
		}
	}
	files := cfg.get("files")
	if files == nil {
		return out
	}
	for _, f := range files.fields {
		for _, root := range webRoots {
			if f.key == root+"index.html" || f.key == root+"index.htm" {
				out = append(out, "echo '(written by cfn-init)' > "+f.key)
			}
		}
	}
	return out
}

// initSourceDirs returns the directories a cfn-init config's sources
// section unpacks archives into.
func initSourceDirs(cfg *node) []string {
	var out []string
	if src := cfg.get("sources"); src != nil && src.kind == mapNode {
		for _, f := range src.fields {
			out = append(out, f.key)
		}
	}
	return out
}

// windowsDir is an absolute Windows directory (c:\cfn\app).
var windowsDir = regexp.MustCompile(`^[A-Za-z]:[\\/]`)

// initSourcesFail tells why cfn-init fails on a config's sources section
// ("" when it does not): sources maps each target directory (an absolute
// path) to the URL of an archive (tar, tar+gzip, tar+bz2 or zip, fetched
// over http or https: an S3 object's URL or a GitHub tarball/zipball)
// that cfn-init downloads and unpacks there (AWS::CloudFormation::Init,
// Sources).
func initSourcesFail(cfg *node) string {
	src := cfg.get("sources")
	if src == nil {
		return ""
	}
	if src.kind != mapNode {
		return "sources is not a map of a directory to an archive's URL"
	}
	for _, f := range src.fields {
		if !strings.HasPrefix(f.key, "/") && !windowsDir.MatchString(f.key) {
			return "the target directory " + f.key + " is not an absolute path"
		}
		if f.val == nil || f.val.kind != scalarNode || f.val.str == "" {
			return "the source of " + f.key + " is not a URL"
		}
		u, err := url.Parse(f.val.str)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "the source of " + f.key + ", " + f.val.str + ", is not an http or https URL"
		}
	}
	return ""
}

// initServices returns, as shell lines, the start of a web server a
// cfn-init config's services section keeps running: cfn-init starts a
// sysvinit or systemd service whose ensureRunning is true (enabled alone
// starts it only at the next boot).
func initServices(cfg *node) []string {
	var out []string
	svcs := cfg.get("services")
	if svcs == nil {
		return nil
	}
	for _, kind := range []string{"sysvinit", "systemd"} {
		k := svcs.get(kind)
		if k == nil {
			continue
		}
		for _, s := range k.fields {
			if !webServerName.MatchString(s.key) || s.val == nil {
				continue
			}
			if r := s.val.get("ensureRunning"); r != nil && strings.EqualFold(r.scalar(), "true") {
				out = append(out, "systemctl start "+s.key)
			}
		}
	}
	return out
}

// signalsReceived records the success signals of a resource that waits
// for want of them: one from each instance of ids (in launch order) whose
// cfn-signal reaches AWS CloudFormation (engine.SignalFailure), up to
// want. When fewer arrive, CloudFormation fails the resource once its
// CreationPolicy's Timeout runs out, "Failed to receive N resource
// signal(s) within the specified duration" (an Auto Scaling group says it
// as groupSignalsReceived does), and undo deletes what the resource made (the
// rollback's deletion of it).
func (c *rctx) signalsReceived(want int, ids []model.InstanceID, never string, undo func() error) error {
	return c.signalsReceivedOr(want, want, ids, never, &SignalWait{Want: want, Need: want, Timeout: c.signalTimeout()}, undo)
}

// groupSignalsReceived is signalsReceived for an Auto Scaling group: it
// succeeds with policy's MinSuccessfulInstancesPercent of want (100 by
// default, rounded up; policy is the CreationPolicy's
// AutoScalingCreationPolicy, or the UpdatePolicy's AutoScalingRollingUpdate
// on an update), and fails in CloudFormation's words for groups: "Received
// 0 SUCCESS signal(s) out of 2. Unable to satisfy 100%
// MinSuccessfulInstancesPercent requirement".
func (c *rctx) groupSignalsReceived(want int, ids []model.InstanceID, policy *node, never string, creating bool, undo func() error) error {
	pct := 100
	if n := policy.get("MinSuccessfulInstancesPercent"); n != nil && n.kind == scalarNode {
		if v, err := strconv.Atoi(n.str); err == nil && v >= 0 && v <= 100 {
			pct = v
		}
	}
	need := (want*pct + 99) / 100
	w := &SignalWait{Want: want, Need: need, Group: true, Percent: pct, Timeout: c.signalTimeout()}
	if !creating {
		// A rolling update waits for the new instances' signals for
		// its PauseTime (PT5M by default with WaitOnResourceSignals).
		w.Timeout = defaultSignalTimeout
		if n := policy.get("PauseTime"); n != nil && n.kind != nullNode {
			if v, err := c.s.policyValue(n); err == nil {
				if d, ok := parseISODuration(v); ok && d > 0 {
					w.Timeout = d
				}
			}
		}
	}
	return c.signalsReceivedOr(want, need, ids, never, w, undo)
}

// signalsReceivedOr records up to want signals and fails in wait's words
// (SignalWait.Failure of the number received) when fewer than need
// arrive. never, when not "", says why the instances send none
// (signalCheck). A deploy that awaits signals (DeployOptions.AwaitSignals)
// leaves a top-level resource with a Timeout created and waiting instead
// (its Resource.Await).
func (c *rctx) signalsReceivedOr(want, need int, ids []model.InstanceID, never string, wait *SignalWait, undo func() error) error {
	why := ""
	for _, id := range ids {
		if len(c.r.signals) == want || never != "" {
			break
		}
		if w := c.e().SignalFailure(id); w != "" {
			if why == "" {
				why = string(id) + ": " + w
			}
			continue
		}
		c.r.signals = append(c.r.signals, string(id))
	}
	if len(c.r.signals) >= need {
		return nil
	}
	if c.s.l.awaitSignals && wait.Timeout > 0 {
		c.r.await = wait
		return nil
	}
	physical, got := c.r.physical, len(c.r.signals)
	c.r.signals = nil
	if err := undo(); err != nil {
		return err
	}
	out := c.s.resourceErr(c.r, errors.New(wait.Failure(got)))
	var ce *Error
	if errors.As(out, &ce) {
		ce.Initiated = physical
		ce.Hint = "cfn-signal on the instances cannot reach AWS CloudFormation (" + why + "); CloudFormation fails the resource when its CreationPolicy's Timeout (on an update, its UpdatePolicy's PauseTime) runs out"
		if never != "" {
			ce.Hint = "no instance sends cfn-signal: " + never + "; CloudFormation fails the resource when its CreationPolicy's Timeout (on an update, its UpdatePolicy's PauseTime) runs out"
		}
	}
	return out
}

// signalCheck returns how many success signals a resource waits for (a
// CreationPolicy with ResourceSignal: its Count, 1 by default; 0 when it
// waits for none) and, when its instances never send them, why: their
// user data is a script that never runs (model.UserDataScriptNotRun), or
// runs cfn-signal neither itself nor through a command of the
// AWS::CloudFormation::Init that its cfn-init applies. CloudFormation then
// fails the resource when the policy's Timeout runs out. A template
// that mentions SignalResource (a function of its own sending the
// signals, which ecsnet does not run) is only warned about.
func (c *rctx) signalCheck(userDataB64 string) (int, string) {
	policy := c.attribute("CreationPolicy").get("ResourceSignal")
	if policy == nil {
		return 0, ""
	}
	count := 1
	if n := policy.get("Count"); n != nil && n.kind == scalarNode {
		if v, err := strconv.Atoi(n.str); err == nil && v > 0 {
			count = v
		}
	}
	why := c.signalsNever(userDataB64, "a CreationPolicy with ResourceSignal")
	if why == neverRunsSignal && mentions(c.s.tpl.root, "SignalResource") {
		return 0, ""
	}
	return count, why
}

// neverRunsSignal is signalsNever's reason for user data without
// cfn-signal.
const neverRunsSignal = "the instances' user data never runs cfn-signal"

// signalsNever tells why instances launched with userDataB64 never send
// this resource its success signal ("" when they do): the user data is a
// script that never runs (model.UserDataScriptNotRun); it runs cfn-signal
// neither itself nor through a command of the AWS::CloudFormation::Init
// that its cfn-init applies; or each of its cfn-signal calls names
// another resource (--resource) or another stack (--stack).
// CloudFormation then fails the resource when its wait (a CreationPolicy's
// Timeout, a rolling update's PauseTime) runs out. what names the policy
// in the warning.
func (c *rctx) signalsNever(userDataB64, what string) string {
	raw, _ := base64.StdEncoding.DecodeString(userDataB64)
	text := string(raw)
	if why := model.UserDataScriptNotRun(text); why != "" && strings.Contains(text, "cfn-signal") {
		c.s.warnf(c.r.def.line, "%s has %s, but %s: cfn-signal is never sent and "+
			"CloudFormation would fail it (\"Failed to receive resource signal(s) within the specified duration\")", c.r.def.name, what, why)
		return why
	}
	if strings.Contains(text, "cfn-signal") {
		if why := c.signalMisdirected(text); why != "" {
			c.s.warnf(c.r.def.line, "%s has %s, but %s: CloudFormation would fail it when the wait runs out", c.r.def.name, what, why)
			return why
		}
		return ""
	}
	if c.initSignals(text) {
		return ""
	}
	c.s.warnf(c.r.def.line, "%s has %s, but its instances' user data never runs cfn-signal: "+
		"CloudFormation would fail it (\"Failed to receive resource signal(s) within the specified duration\")", c.r.def.name, what)
	return neverRunsSignal
}

var cfnSignalRE = regexp.MustCompile(`cfn-signal\b[^\n]*`)

// signalMisdirected tells why none of the user data's cfn-signal calls
// signals this resource of this stack: each names another resource
// (--resource) or another stack (--stack, by name or id). A call whose
// resource is not a literal (a shell variable) or that names none (a wait
// condition handle's URL) is taken to signal it.
func (c *rctx) signalMisdirected(text string) string {
	why := ""
	for _, call := range cfnSignalRE.FindAllString(joinContinued(text), -1) {
		r := cfnArgRE.FindStringSubmatch(call)
		if r == nil {
			return ""
		}
		st := cfnStackRE.FindStringSubmatch(call)
		switch {
		case r[1] != c.r.def.name:
			why = "the instances' cfn-signal signals resource " + r[1] + ", not " + c.r.def.name
		case st != nil && st[1] != c.s.name && st[1] != c.s.arn && !strings.HasPrefix(st[1], "$"):
			why = "the instances' cfn-signal signals stack " + st[1] + ", not " + c.s.name
		default:
			return ""
		}
	}
	return why
}

// attribute returns the resource's attribute name in the template
// (CreationPolicy, UpdatePolicy; nil when absent).
func (c *rctx) attribute(name string) *node {
	return c.s.tpl.root.get("Resources").get(c.r.def.name).get(name)
}

// joinContinued joins the shell's continued lines (a backslash before the
// newline), so a command written over several lines (a line "cfn-init -v
// --stack … \" and the next "--resource LaunchConfig") is read as one.
func joinContinued(text string) string {
	return strings.ReplaceAll(strings.ReplaceAll(text, "\\\r\n", " "), "\\\n", " ")
}

// initSignals reports whether a cfn-init call in user data applies
// AWS::CloudFormation::Init metadata that runs cfn-signal (in a command).
func (c *rctx) initSignals(text string) bool {
	for _, call := range cfnInitRE.FindAllString(joinContinued(text), -1) {
		if m := cfnArgRE.FindStringSubmatch(call); m != nil {
			target := c.s.res[m[1]]
			if target == nil {
				continue
			}
			init := target.def.metadata.get("AWS::CloudFormation::Init")
			if !mentions(init, "cfn-signal") || initSourcesBroken(init) {
				continue
			}
			return true
		}
	}
	return false
}

// initSourcesBroken reports whether a config of an
// AWS::CloudFormation::Init has sources cfn-init fails on (before its
// commands run).
func initSourcesBroken(init *node) bool {
	if init == nil {
		return false
	}
	for _, f := range init.fields {
		if f.key != "configSets" && f.val != nil && f.val.kind == mapNode && initSourcesFail(f.val) != "" {
			return true
		}
	}
	return false
}

// mentions reports whether a scalar under n (a key or a value) contains s.
func mentions(n *node, s string) bool {
	if n == nil {
		return false
	}
	if strings.Contains(n.str, s) {
		return true
	}
	for _, it := range n.items {
		if mentions(it, s) {
			return true
		}
	}
	for _, f := range n.fields {
		if strings.Contains(f.key, s) || mentions(f.val, s) {
			return true
		}
	}
	return false
}
