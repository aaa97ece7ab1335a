// Package scenario reads ecsnet scenario files: a concise YAML description
// of an AWS system (VPCs, subnets, gateways, security groups, instances,
// Auto Scaling groups, ECS clusters, task definitions, services, load
// balancers) and the probes it is expected to pass.
//
// A scenario is built by replaying it through the engine, in dependency
// order, as an AWS user would build the system with API calls; so a file
// that asks for something AWS rejects gets AWS's error, reported with the
// file and line. The format is documented in docs/scenario.md.
package scenario

import "github.com/ecsnet/ecsnet/internal/model"

// The spec types mirror the YAML. Field names are the YAML keys.

type fileSpec struct {
	Name               string                 `yaml:"name"`
	Description        string                 `yaml:"description"`
	Region             string                 `yaml:"region"`
	Account            string                 `yaml:"account"`
	Seed               uint64                 `yaml:"seed"`
	DefaultVPC         bool                   `yaml:"default_vpc"`
	Settings           map[string]string      `yaml:"settings"`
	VPCs               yamlMap[vpcSpec]       `yaml:"vpcs"`
	InternetGateways   yamlMap[igwSpec]       `yaml:"internet_gateways"`
	EgressOnlyGateways yamlMap[igwSpec]       `yaml:"egress_only_gateways"`
	Subnets            yamlMap[subnetSpec]    `yaml:"subnets"`
	RouteTables        yamlMap[rtSpec]        `yaml:"route_tables"`
	ElasticIPs         yamlMap[eipSpec]       `yaml:"elastic_ips"`
	NatGateways        yamlMap[natSpec]       `yaml:"nat_gateways"`
	TransitGateways    yamlMap[tgwSpec]       `yaml:"transit_gateways"`
	TGWRouteTables     yamlMap[tgwRTSpec]     `yaml:"transit_gateway_route_tables"`
	TGWAttachments     yamlMap[tgwAttachSpec] `yaml:"transit_gateway_attachments"`
	Peerings           yamlMap[peeringSpec]   `yaml:"vpc_peering_connections"`
	DhcpOptions        yamlMap[dhcpSpec]      `yaml:"dhcp_options"`
	// Buckets are S3 buckets with their region (build_s3.go).
	Buckets        yamlMap[bucketSpec] `yaml:"buckets"`
	SecurityGroups yamlMap[sgSpec]     `yaml:"security_groups"`
	NetworkACLs    yamlMap[aclSpec]    `yaml:"network_acls"`
	VpcEndpoints   yamlMap[vpceSpec]   `yaml:"vpc_endpoints"`
	// EndpointServices are the account's VPC endpoint services of Network
	// Load Balancers (AWS PrivateLink, build_privatelink.go).
	EndpointServices yamlMap[endpointServiceSpec] `yaml:"endpoint_services"`
	// Firewalls are AWS Network Firewall firewalls (build_firewall.go).
	Firewalls         yamlMap[firewallSpec] `yaml:"firewalls"`
	IAMRoles          yamlMap[roleSpec]     `yaml:"iam_roles"`
	InstanceProfiles  yamlMap[profileSpec]  `yaml:"instance_profiles"`
	LaunchTemplates   yamlMap[ltSpec]       `yaml:"launch_templates"`
	Instances         yamlMap[instSpec]     `yaml:"instances"`
	AutoScalingGroups yamlMap[asgSpec]      `yaml:"auto_scaling_groups"`
	Clusters          yamlMap[clusterSpec]  `yaml:"clusters"`
	CapacityProviders yamlMap[cpSpec]       `yaml:"capacity_providers"`
	TaskDefinitions   yamlMap[tdSpec]       `yaml:"task_definitions"`
	// FileSystems and AccessPoints are Amazon EFS resources (build_efs.go).
	FileSystems   yamlMap[fileSystemSpec]  `yaml:"file_systems"`
	AccessPoints  yamlMap[accessPointSpec] `yaml:"access_points"`
	TargetGroups  yamlMap[tgSpec]          `yaml:"target_groups"`
	LoadBalancers yamlMap[lbSpec]          `yaml:"load_balancers"`
	Services      yamlMap[serviceSpec]     `yaml:"services"`
	Tasks         yamlMap[taskSpec]        `yaml:"tasks"`
	// ScheduledTasks are EventBridge rules with one ECS target each
	// (build.go scheduledTasks).
	ScheduledTasks    yamlMap[scheduledTaskSpec] `yaml:"scheduled_tasks"`
	Namespaces        yamlMap[namespaceSpec]     `yaml:"namespaces"`
	DiscoveryServices yamlMap[discoverySpec]     `yaml:"discovery_services"`
	// HostedZones are Route 53 hosted zones and records (build_route53.go).
	HostedZones yamlMap[hostedZoneSpec] `yaml:"hosted_zones"`
	Expect      []expectSpec            `yaml:"expect"`
	// BlockPublicAccess is the account's VPC Block Public Access mode in
	// the region (off, block-bidirectional, block-ingress);
	// BPAExclusions its exclusions, each of one VPC or one subnet.
	BlockPublicAccess string                    `yaml:"block_public_access"`
	BPAExclusions     yamlMap[bpaExclusionSpec] `yaml:"block_public_access_exclusions"`
	// KnownFindings are lint codes the file expects (a failure scenario's
	// consequences): ecsnet check reports them without failing.
	KnownFindings []string `yaml:"known_findings"`
	// ExpectError is part of the error AWS answers when the file is built
	// (an error code such as InvalidParameterException, or its text): a
	// failure scenario whose failure is AWS refusing a request.
	ExpectError string `yaml:"expect_error"`
}

type vpcSpec struct {
	CIDR string `yaml:"cidr"`
	// SecondaryCIDRs are further IPv4 blocks (AssociateVpcCidrBlock), in
	// order; subnets may use them.
	SecondaryCIDRs  []string `yaml:"secondary_cidrs"`
	DNSSupport      *bool    `yaml:"dns_support"`
	DNSHostnames    *bool    `yaml:"dns_hostnames"`
	InternetGateway string   `yaml:"internet_gateway"` // a name for the gateway to create and attach
	// IPv6 asks for an Amazon-provided IPv6 /56 (dual stack).
	IPv6 bool              `yaml:"ipv6"`
	Tags map[string]string `yaml:"tags"`
}

type igwSpec struct {
	VPC  string            `yaml:"vpc"`
	Tags map[string]string `yaml:"tags"`
}

type subnetSpec struct {
	VPC              string `yaml:"vpc"`
	CIDR             string `yaml:"cidr"`
	AZ               string `yaml:"az"`
	PublicIPOnLaunch bool   `yaml:"public_ip_on_launch"`
	// IPv6 is the subnet's /64 as its number within the VPC's /56 (0-255,
	// as cidrsubnet(vpc_ipv6, 8, n) numbers them); IPv6OnCreation sets
	// AssignIpv6AddressOnCreation.
	IPv6           *int `yaml:"ipv6"`
	IPv6OnCreation bool `yaml:"assign_ipv6_on_creation"`
	// IPv6Native makes an IPv6-only subnet (CreateSubnet's Ipv6Native:
	// no cidr, an ipv6 block); DNS64 sets EnableDns64.
	IPv6Native bool              `yaml:"ipv6_native"`
	DNS64      bool              `yaml:"dns64"`
	RouteTable string            `yaml:"route_table"`
	NetworkACL string            `yaml:"network_acl"`
	Tags       map[string]string `yaml:"tags"`
}

type routeSpec struct {
	Destination string `yaml:"destination"` // an IPv4 or IPv6 CIDR or a prefix list id
	Target      string `yaml:"target"`      // a gateway (internet, egress-only or transit), NAT gateway, instance, endpoint or ENI name, or "local"
}

type rtSpec struct {
	VPC    string      `yaml:"vpc"`
	Main   bool        `yaml:"main"`
	Routes []routeSpec `yaml:"routes"`
	// Gateways are internet gateways the table is associated with (an
	// edge association, AssociateRouteTable's GatewayId): it routes the
	// traffic that enters the VPC through them (ingress routing,
	// build_gwlb.go).
	Gateways []string          `yaml:"gateways"`
	Tags     map[string]string `yaml:"tags"`
}

type eipSpec struct {
	Address string            `yaml:"address"`
	Tags    map[string]string `yaml:"tags"`
}

type natSpec struct {
	Subnet       string `yaml:"subnet"`
	ElasticIP    string `yaml:"elastic_ip"`
	Connectivity string `yaml:"connectivity"`
	// AvailabilityMode regional makes a regional NAT gateway of VPC (no
	// subnet): ZoneAddresses (zone → Elastic IP names) serve the zones
	// listed (manual mode); without them it serves every zone of the
	// VPC's subnets (automatic mode, with ElasticIP in the first).
	AvailabilityMode string              `yaml:"availability_mode"`
	VPC              string              `yaml:"vpc"`
	ZoneAddresses    map[string][]string `yaml:"zone_addresses"`
	// Deleted deletes the gateway once the routes to it exist: they
	// become blackholes, as after DeleteNatGateway.
	Deleted bool              `yaml:"deleted"`
	Tags    map[string]string `yaml:"tags"`
}

type ruleSpec struct {
	Protocol string `yaml:"protocol"`
	Ports    string `yaml:"ports"` // "3000", "1024-65535", "all"
	// ICMPType and ICMPCode: an icmp (or icmpv6) rule's type and code
	// (-1, the default: any).
	ICMPType    *int   `yaml:"icmp_type"`
	ICMPCode    *int   `yaml:"icmp_code"`
	CIDR        string `yaml:"cidr"`
	Group       string `yaml:"group"`
	PrefixList  string `yaml:"prefix_list"`
	Description string `yaml:"description"`
}

type sgSpec struct {
	VPC         string            `yaml:"vpc"`
	Description string            `yaml:"description"`
	Ingress     []ruleSpec        `yaml:"ingress"`
	Egress      *[]ruleSpec       `yaml:"egress"`
	Tags        map[string]string `yaml:"tags"`
}

type aclEntrySpec struct {
	Rule     int    `yaml:"rule"`
	Protocol string `yaml:"protocol"`
	Ports    string `yaml:"ports"`
	ICMPType *int   `yaml:"icmp_type"` // icmp/icmpv6 entries: -1 (the default) is any
	ICMPCode *int   `yaml:"icmp_code"`
	CIDR     string `yaml:"cidr"`
	Action   string `yaml:"action"`
}

type aclSpec struct {
	VPC     string            `yaml:"vpc"`
	Subnets []string          `yaml:"subnets"`
	Ingress []aclEntrySpec    `yaml:"ingress"`
	Egress  []aclEntrySpec    `yaml:"egress"`
	Tags    map[string]string `yaml:"tags"`
}

type vpceSpec struct {
	VPC            string   `yaml:"vpc"`
	Service        string   `yaml:"service"` // "s3" or a full com.amazonaws.<region>.<svc> name
	Type           string   `yaml:"type"`
	RouteTables    []string `yaml:"route_tables"`
	Subnets        []string `yaml:"subnets"`
	SecurityGroups []string `yaml:"security_groups"`
	PrivateDNS     *bool    `yaml:"private_dns"`
	// IPAddressType is an interface endpoint's IP address type (ipv4,
	// dualstack, ipv6; default ipv4) and DNSRecordIPType its DNS
	// options' record type (ipv4, dualstack, ipv6, service-defined;
	// default the address type's).
	IPAddressType   string `yaml:"ip_address_type"`
	DNSRecordIPType string `yaml:"dns_record_ip_type"`
	// EndpointService names an entry of endpoint_services: the endpoint
	// is an interface endpoint to it (AWS PrivateLink), created once its
	// load balancers exist; Accepted says the service's owner accepted
	// the connection (AcceptVpcEndpointConnections) when the service
	// requires acceptance.
	EndpointService string `yaml:"endpoint_service"`
	Accepted        bool   `yaml:"accepted"`
	// Policy is the endpoint policy document (JSON); default: full access.
	Policy string            `yaml:"policy"`
	Tags   map[string]string `yaml:"tags"`
}

// roleSpec is an IAM role for instance profiles: EC2 may assume it.
type roleSpec struct {
	// Trusts are the service principals its trust policy lets assume it
	// (default: ec2.amazonaws.com, for instance profiles).
	Trusts []string `yaml:"trusts"`
	// ManagedPolicies are the ARNs of the AWS managed policies attached.
	ManagedPolicies []string `yaml:"managed_policies"`
	// Policies are inline policy documents (JSON) by name.
	Policies map[string]string `yaml:"policies"`
}

// profileSpec is an IAM instance profile. A file that has any declares
// IAM: its instances without a profile have none (their ECS agent no
// credentials).
type profileSpec struct {
	Role string `yaml:"role"`
}

type ltSpec struct {
	InstanceType   string   `yaml:"instance_type"`
	Image          string   `yaml:"image"`
	SecurityGroups []string `yaml:"security_groups"`
	PublicIP       *bool    `yaml:"public_ip"`
	IPv6Addresses  int      `yaml:"ipv6_addresses"` // Ipv6AddressCount of the primary interface
	UserData       string   `yaml:"user_data"`
	// MoreInterfaces are network interfaces every instance launched from
	// the template gets besides its primary one (device indexes 1, 2, …);
	// an interface without a subnet is in the primary interface's.
	MoreInterfaces []moreInterfaceSpec `yaml:"more_interfaces"`
	KeyName        string              `yaml:"key_name"`
	IAMProfile     string              `yaml:"iam_instance_profile"`
	// MetadataOptions are the instances' IMDS options (MetadataOptions).
	MetadataOptions *metadataSpec     `yaml:"metadata_options"`
	Tags            map[string]string `yaml:"tags"`
}

// metadataSpec is MetadataOptions of a launch template or an instance:
// HttpTokens (optional | required), HttpPutResponseHopLimit (1 to 64),
// HttpEndpoint (enabled | disabled); what is left out is EC2's default.
type metadataSpec struct {
	HTTPTokens   string `yaml:"http_tokens"`
	HopLimit     int    `yaml:"hop_limit"`
	HTTPEndpoint string `yaml:"http_endpoint"`
}

type instSpec struct {
	Subnet         string   `yaml:"subnet"`
	InstanceType   string   `yaml:"instance_type"`
	Image          string   `yaml:"image"`
	LaunchTemplate string   `yaml:"launch_template"`
	SecurityGroups []string `yaml:"security_groups"`
	PublicIP       string   `yaml:"public_ip"` // "true", "false" or an address
	PrivateIP      string   `yaml:"private_ip"`
	IPv6Addresses  int      `yaml:"ipv6_addresses"` // Ipv6AddressCount of the primary interface
	UserData       string   `yaml:"user_data"`
	Cluster        string   `yaml:"cluster"` // shorthand: user data joining this ECS cluster
	IAMProfile     string   `yaml:"iam_instance_profile"`
	// SourceDestCheck false lets the instance forward packets not
	// addressed to it (a NAT instance); AWS's default is true.
	SourceDestCheck *bool `yaml:"source_dest_check"`
	// MoreInterfaces are network interfaces created and attached at
	// launch at device indexes 1, 2, … (RunInstances' NetworkInterfaces).
	MoreInterfaces  []moreInterfaceSpec `yaml:"more_interfaces"`
	MetadataOptions *metadataSpec       `yaml:"metadata_options"`
	Tags            map[string]string   `yaml:"tags"`
}

// moreInterfaceSpec is an instance's interface besides its primary one:
// its subnet (in the instance's zone) and groups (none: the VPC's
// default group).
type moreInterfaceSpec struct {
	Subnet         string   `yaml:"subnet"`
	SecurityGroups []string `yaml:"security_groups"`
}

type asgSpec struct {
	LaunchTemplate string   `yaml:"launch_template"`
	Desired        *int     `yaml:"desired"`
	Min            *int     `yaml:"min"`
	Max            *int     `yaml:"max"`
	Subnets        []string `yaml:"subnets"`
	PublicIPs      []string `yaml:"public_ips"`
	TargetGroups   []string `yaml:"target_groups"`
	// LoadBalancers are Classic Load Balancers the group's instances
	// register with (LoadBalancerNames).
	LoadBalancers []string          `yaml:"load_balancers"`
	Tags          map[string]string `yaml:"tags"`
}

type clusterSpec struct {
	CapacityProviders []string          `yaml:"capacity_providers"`
	DefaultStrategy   []strategySpec    `yaml:"default_strategy"`
	Tags              map[string]string `yaml:"tags"`
}

type strategySpec struct {
	CapacityProvider string `yaml:"capacity_provider"`
	Weight           int    `yaml:"weight"`
	Base             int    `yaml:"base"`
}

type cpSpec struct {
	AutoScalingGroup string `yaml:"auto_scaling_group"`
	ManagedScaling   bool   `yaml:"managed_scaling"`
	// Cluster and ManagedInstances make an ECS Managed Instances provider
	// of the cluster (ECS launches its instances).
	Cluster          string            `yaml:"cluster"`
	ManagedInstances *miSpec           `yaml:"managed_instances"`
	Tags             map[string]string `yaml:"tags"`
}

// miSpec is a capacity provider's managedInstancesProvider.
type miSpec struct {
	Subnets        []string `yaml:"subnets"`
	SecurityGroups []string `yaml:"security_groups"`
	InstanceTypes  []string `yaml:"instance_types"` // allowedInstanceTypes
	PropagateTags  bool     `yaml:"propagate_tags"` // CAPACITY_PROVIDER
	// InfrastructureRole and InstanceProfile default to ecsInfrastructureRole
	// and ecsInstanceRole of the account.
	InfrastructureRole string `yaml:"infrastructure_role"`
	InstanceProfile    string `yaml:"instance_profile"`
}

type portSpec struct {
	Container int    `yaml:"container"`
	Host      int    `yaml:"host"`
	Protocol  string `yaml:"protocol"`
	Name      string `yaml:"name"`
	// Range is a containerPortRange, "first-last" (parsed into rng).
	Range string `yaml:"range"`
	rng   model.PortRange
}

type containerSpec struct {
	Image             string     `yaml:"image"`
	CPU               int        `yaml:"cpu"`
	Memory            int        `yaml:"memory"`
	MemoryReservation int        `yaml:"memory_reservation"`
	Essential         *bool      `yaml:"essential"`
	Ports             []portSpec `yaml:"ports"`
	Listen            string     `yaml:"listen"`
	// AppPorts are the ports the application binds inside the container
	// (ecsnet's addition, like listen); default its container ports.
	AppPorts    []int             `yaml:"app_ports"`
	Environment map[string]string `yaml:"environment"`
	Command     []string          `yaml:"command"`
	// LogDriver and LogOptions are the logConfiguration; Secrets map an
	// environment variable to a Secrets Manager or SSM parameter ARN.
	LogDriver  string            `yaml:"log_driver"`
	LogOptions map[string]string `yaml:"log_options"`
	Secrets    map[string]string `yaml:"secrets"`
	// RepositoryCredentials is the container's repositoryCredentials
	// credentialsParameter: the ARN of the Secrets Manager secret that
	// holds a private registry's user name and password, which the task
	// fetches before it pulls the image.
	RepositoryCredentials string `yaml:"repository_credentials"`
	// EnvironmentFiles are the container's environmentFiles: S3 object
	// ARNs (arn:aws:s3:::bucket/key.env), of type s3.
	EnvironmentFiles []string `yaml:"environment_files"`
	// FireLens is the container's firelensConfiguration: its type
	// (fluentbit, fluentd) and options (config-file-type s3 or file,
	// config-file-value).
	FireLens *firelensSpec `yaml:"firelens"`
	// HealthCheck is the container's Docker health check command
	// (healthCheck.command): CMD or CMD-SHELL and its arguments.
	HealthCheck []string `yaml:"health_check"`
	// Serves is what the application answers on each HTTP path (ecsnet's
	// addition, like listen): "/health": 200. Unset: every path answers 200.
	Serves map[string]int `yaml:"serves"`
	// AllowedHosts are the Host names the application answers, others
	// 400 (ecsnet's addition: a framework's host check, such as Django's
	// ALLOWED_HOSTS). Unset: every Host.
	AllowedHosts []string `yaml:"allowed_hosts"`
	// TLS: the application speaks TLS (HTTPS) on its ports (ecsnet's
	// addition; default plain HTTP).
	TLS bool `yaml:"tls"`
	// KeepAliveTimeout is the application's HTTP keep-alive idle timeout
	// in seconds (ecsnet's addition; default unknown).
	KeepAliveTimeout int `yaml:"keep_alive_timeout"`
	// ResponseSeconds is how long the application takes to answer each
	// HTTP path, in seconds (ecsnet's addition, like serves): "/reports/*":
	// 90. Unset: every path answers at once.
	ResponseSeconds map[string]int `yaml:"response_seconds"`
	// StartSeconds is how long the application takes to listen after the
	// container starts (ecsnet's addition; default at once).
	StartSeconds int `yaml:"start_seconds"`
	// ProxyProtocol: the application expects a PROXY protocol header
	// first on each connection (ecsnet's addition, like tls; nginx's
	// listen … proxy_protocol).
	ProxyProtocol bool `yaml:"proxy_protocol"`
}

type firelensSpec struct {
	Type    string            `yaml:"type"`
	Options map[string]string `yaml:"options"`
}

type tdSpec struct {
	Family           string                 `yaml:"family"`
	NetworkMode      string                 `yaml:"network_mode"`
	Requires         []string               `yaml:"requires"`
	CPU              string                 `yaml:"cpu"`
	Memory           string                 `yaml:"memory"`
	ExecutionRoleARN string                 `yaml:"execution_role_arn"`
	TaskRoleARN      string                 `yaml:"task_role_arn"`
	Containers       yamlMap[containerSpec] `yaml:"containers"`
	Tags             map[string]string      `yaml:"tags"`
	// Volumes are the task's volumes (EFS: build_efs.go).
	Volumes yamlMap[volumeSpec] `yaml:"volumes"`
}

type healthCheckSpec struct {
	Protocol           string `yaml:"protocol"`
	Port               string `yaml:"port"`
	Path               string `yaml:"path"`
	Interval           int    `yaml:"interval"`
	Timeout            int    `yaml:"timeout"`
	HealthyThreshold   int    `yaml:"healthy_threshold"`
	UnhealthyThreshold int    `yaml:"unhealthy_threshold"`
	Matcher            string `yaml:"matcher"`
}

type tgSpec struct {
	VPC        string `yaml:"vpc"`
	Protocol   string `yaml:"protocol"`
	Port       int    `yaml:"port"`
	TargetType string `yaml:"target_type"`
	// IPAddressType is ipv4 (default) or ipv6: an ipv6 group reaches its
	// targets over IPv6 (behind a dual-stack load balancer only).
	IPAddressType string `yaml:"ip_address_type"`
	// ProtocolVersion is HTTP1 (default), HTTP2 or GRPC (an ALB's HTTP
	// or HTTPS group): how the load balancer talks to the targets.
	ProtocolVersion string            `yaml:"protocol_version"`
	HealthCheck     *healthCheckSpec  `yaml:"health_check"`
	Targets         []targetSpec      `yaml:"targets"`
	Tags            map[string]string `yaml:"tags"`
	// Attributes are target group attributes (ModifyTargetGroupAttributes):
	// preserve_client_ip.enabled, deregistration_delay.timeout_seconds, …
	Attributes map[string]string `yaml:"attributes"`
}

type targetSpec struct {
	ID   string `yaml:"id"` // an instance name or an IP address
	Port int    `yaml:"port"`
}

type listenerSpec struct {
	Port          int                `yaml:"port"`
	Protocol      string             `yaml:"protocol"`
	Forward       forwardSpec        `yaml:"forward"`         // a target group name, or weighted target groups
	FixedResponse int                `yaml:"fixed_response"`  // a status code
	Redirect      string             `yaml:"redirect"`        // "HTTPS:443" (protocol:port), HTTP_301
	RedirectCode  int                `yaml:"redirect_status"` // 301 (default) or 302
	Certificate   string             `yaml:"certificate"`
	Rules         []listenerRuleSpec `yaml:"rules"`
	// Authenticate is an authenticate-oidc action before the listener's
	// default action (an HTTPS listener of an ALB): the identity
	// provider's endpoints and client id (the client secret is implied).
	Authenticate *authenticateSpec `yaml:"authenticate"`
	// InstancePort and InstanceProtocol are a Classic Load Balancer
	// listener's back end (the protocol defaults to the listener's).
	InstancePort     int    `yaml:"instance_port"`
	InstanceProtocol string `yaml:"instance_protocol"`
}

// authenticateSpec is an authenticate-oidc action's configuration
// (AuthenticateOidcConfig).
type authenticateSpec struct {
	Issuer                string `yaml:"issuer"`
	AuthorizationEndpoint string `yaml:"authorization_endpoint"`
	TokenEndpoint         string `yaml:"token_endpoint"`
	UserInfoEndpoint      string `yaml:"user_info_endpoint"`
	ClientID              string `yaml:"client_id"`
}

// listenerRuleSpec is an ALB listener rule: conditions (all must match) and one
// action.
type listenerRuleSpec struct {
	Priority int               `yaml:"priority"`
	Path     []string          `yaml:"path"`   // path-pattern values
	Host     []string          `yaml:"host"`   // host-header values
	Method   []string          `yaml:"method"` // http-request-method values
	SourceIP []string          `yaml:"source_ip"`
	Header   map[string]string `yaml:"header"` // http-header: name → value pattern
	Query    map[string]string `yaml:"query"`  // query-string: key → value
	// PathRegex, HostRegex and HeaderRegex are regex conditions
	// (RegexValues of path-pattern, host-header and http-header: name →
	// expression); a field takes values or expressions, not both.
	PathRegex     []string          `yaml:"path_regex"`
	HostRegex     []string          `yaml:"host_regex"`
	HeaderRegex   map[string]string `yaml:"header_regex"`
	Forward       forwardSpec       `yaml:"forward"`
	FixedResponse int               `yaml:"fixed_response"`
	Redirect      string            `yaml:"redirect"`
	RedirectCode  int               `yaml:"redirect_status"`
	Name          string            `yaml:"name"` // the rule's Name tag
	// URLRewrite and HostRewrite are the rule's transforms (url-rewrite,
	// host-header-rewrite).
	URLRewrite  *rewriteSpec `yaml:"url_rewrite"`
	HostRewrite *rewriteSpec `yaml:"host_rewrite"`
}

// forwardSpec is a forward action: a target group's name (`forward: web-tg`)
// or a mapping of weighted target groups (ForwardConfig.TargetGroups:
// `forward: {target_groups: [{name: blue, weight: 90}, {name: green,
// weight: 10}]}`).
type forwardSpec struct {
	TargetGroup  string                    `yaml:"-"`
	TargetGroups []weightedTargetGroupSpec `yaml:"target_groups"`
	// StickinessSeconds keeps a client on one of the target groups
	// (TargetGroupStickinessConfig, 1-604800); 0: off.
	StickinessSeconds int `yaml:"stickiness_seconds"`
}

// weightedTargetGroupSpec is one target group of a weighted forward action
// and its weight (0-999; AWS takes 1 when it is left out [probable]).
type weightedTargetGroupSpec struct {
	Name   string `yaml:"name"`
	Weight *int   `yaml:"weight"`
}

// isSet reports whether the forward action is given.
func (f forwardSpec) isSet() bool { return f.TargetGroup != "" || len(f.TargetGroups) > 0 }

// rewriteSpec is a rule transform's rewrite: a regular expression and its
// replacement ($1, $2 … for capture groups).
type rewriteSpec struct {
	Regex   string `yaml:"regex"`
	Replace string `yaml:"replace"`
}

type lbSpec struct {
	Type   string `yaml:"type"`
	Scheme string `yaml:"scheme"`
	// IPAddressType is ipv4 (default), dualstack or
	// dualstack-without-public-ipv4 (SetIpAddressType after creation).
	IPAddressType  string            `yaml:"ip_address_type"`
	Subnets        []string          `yaml:"subnets"`
	SecurityGroups []string          `yaml:"security_groups"`
	ElasticIPs     []string          `yaml:"elastic_ips"` // NLB: one per subnet, in order
	Listeners      []listenerSpec    `yaml:"listeners"`
	Tags           map[string]string `yaml:"tags"`
	// A Classic Load Balancer's (type: classic) health check and
	// registered instances; CrossZone is cross-zone load balancing of any
	// type (a Classic Load Balancer's CrossZoneLoadBalancing, a Network
	// Load Balancer's load_balancing.cross_zone.enabled). An Application
	// Load Balancer's is always on: false is refused, as AWS refuses it;
	// its target groups turn it off (attributes:
	// {load_balancing.cross_zone.enabled: "false"}).
	HealthCheck *clbHealthSpec `yaml:"health_check"`
	CrossZone   *bool          `yaml:"cross_zone"`
	Instances   []string       `yaml:"instances"`
	// ProxyProtocol are a Classic Load Balancer's instance ports with
	// proxy protocol on: one ProxyProtocolPolicyType policy
	// (ProxyProtocol true) set on each (SetLoadBalancerPoliciesForBackendServer).
	ProxyProtocol []int `yaml:"proxy_protocol"`
	// Attributes are an Application or Network Load Balancer's attributes
	// (ModifyLoadBalancerAttributes), e.g. idle_timeout.timeout_seconds.
	Attributes map[string]string `yaml:"attributes"`
	// PrivateLinkInbound is a Network Load Balancer's
	// EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic (on, off), set
	// as SetSecurityGroups sets it.
	PrivateLinkInbound string `yaml:"enforce_security_group_inbound_rules_on_private_link_traffic"`
}

// endpointServiceSpec is a VPC endpoint service of the account's Network
// or Gateway Load Balancers (CreateVpcEndpointServiceConfiguration).
type endpointServiceSpec struct {
	NetworkLoadBalancers []string `yaml:"network_load_balancers"`
	// GatewayLoadBalancers makes it a Gateway Load Balancer endpoint
	// service (GatewayLoadBalancerArns): vpc_endpoints to it are of type
	// GatewayLoadBalancer (build_gwlb.go).
	GatewayLoadBalancers []string          `yaml:"gateway_load_balancers"`
	AcceptanceRequired   bool              `yaml:"acceptance_required"`
	Tags                 map[string]string `yaml:"tags"`
}

// clbHealthSpec is a Classic Load Balancer's health check; target is
// PROTOCOL:PORT[/path] ("HTTP:80/health", "TCP:8080").
type clbHealthSpec struct {
	Target             string `yaml:"target"`
	Interval           int    `yaml:"interval"`
	Timeout            int    `yaml:"timeout"`
	HealthyThreshold   int    `yaml:"healthy_threshold"`
	UnhealthyThreshold int    `yaml:"unhealthy_threshold"`
}

// serviceLBSpec is a service's load balancer: a target group (ALB, NLB)
// or a Classic Load Balancer's name.
type serviceLBSpec struct {
	TargetGroup  string `yaml:"target_group"`
	LoadBalancer string `yaml:"load_balancer"`
	Container    string `yaml:"container"`
	Port         int    `yaml:"port"`
}

// codeDeploySpec is a CODE_DEPLOY service's CodeDeploy application and
// blue/green deployment group: its target group pair (the service's own
// first) and the production listener, the one that forwards to the first.
type codeDeploySpec struct {
	Application     string   `yaml:"application"`
	DeploymentGroup string   `yaml:"deployment_group"`
	TargetGroups    []string `yaml:"target_groups"`
	// TerminationWait is terminationWaitTimeInMinutes of the original
	// task set (default 0 here [choice]: the story settles at once).
	TerminationWait int `yaml:"termination_wait"`
}

type serviceSpec struct {
	Cluster                  string          `yaml:"cluster"`
	TaskDefinition           string          `yaml:"task_definition"`
	Desired                  *int            `yaml:"desired"`
	LaunchType               string          `yaml:"launch_type"`
	CapacityProviderStrategy []strategySpec  `yaml:"capacity_provider_strategy"`
	PlatformVersion          string          `yaml:"platform_version"`
	Subnets                  []string        `yaml:"subnets"`
	SecurityGroups           []string        `yaml:"security_groups"`
	AssignPublicIP           bool            `yaml:"assign_public_ip"`
	LoadBalancers            []serviceLBSpec `yaml:"load_balancers"`
	// HealthCheckGracePeriod is healthCheckGracePeriodSeconds: how long
	// ECS ignores the target groups' health of a new task (default 0).
	HealthCheckGracePeriod int `yaml:"health_check_grace_period"`
	// DeploymentController is ECS (default), CODE_DEPLOY (CreateService
	// makes the entry's settings its primary task set) or EXTERNAL (a
	// service without a task definition of its own, and one primary task
	// set at scale 100 with the entry's task definition, network and load
	// balancers: CreateTaskSet, UpdateServicePrimaryTaskSet).
	DeploymentController string `yaml:"deployment_controller"`
	// CodeDeploy is the CodeDeploy deployment group of a CODE_DEPLOY
	// service (build_codedeploy.go).
	CodeDeploy *codeDeploySpec `yaml:"codedeploy"`
	// Discovery registers the tasks with a Cloud Map service (of
	// discovery_services); DiscoveryContainer and DiscoveryPort give the
	// SRV record's port.
	Discovery          string `yaml:"discovery"`
	DiscoveryContainer string `yaml:"discovery_container"`
	DiscoveryPort      int    `yaml:"discovery_port"`
	// ServiceConnect is the service's Service Connect configuration, a
	// mapping (namespace: a name of namespaces; services: its endpoints,
	// none for a client only); `true` alone names no namespace, which
	// CreateService refuses unless the cluster has a default one.
	ServiceConnect *serviceConnectSpec `yaml:"service_connect"`
	Tags           map[string]string   `yaml:"tags"`
}

// serviceConnectSpec is a serviceConnectConfiguration: Namespace (a name
// of namespaces) and
// the endpoints the service offers (none: a client only).
type serviceConnectSpec struct {
	Enabled   *bool                       `yaml:"enabled"`
	Namespace string                      `yaml:"namespace"`
	Services  []serviceConnectServiceSpec `yaml:"services"`
}

type serviceConnectServiceSpec struct {
	PortName            string                    `yaml:"port_name"`
	DiscoveryName       string                    `yaml:"discovery_name"`
	IngressPortOverride int                       `yaml:"ingress_port_override"`
	ClientAliases       []serviceConnectAliasSpec `yaml:"client_aliases"`
}

type serviceConnectAliasSpec struct {
	Port    int    `yaml:"port"`
	DNSName string `yaml:"dns_name"`
}

// namespaceSpec is a Cloud Map namespace; its name is the domain
// ("internal", "corp.local"). Type is private (default: a private DNS
// namespace of VPC), public (a public DNS namespace, CreatePublicDnsNamespace:
// its names resolve on the internet, no VPC) or http (API-only discovery).
type namespaceSpec struct {
	Type string `yaml:"type"`
	VPC  string `yaml:"vpc"`
	// AssociatedVPCs are other VPCs its hosted zone is associated with
	// (Route 53 AssociateVPCWithHostedZone): its names resolve there too.
	AssociatedVPCs []string `yaml:"associated_vpcs"`
	Description    string   `yaml:"description"`
}

// discoverySpec is a Cloud Map service: <name>.<namespace>.
type discoverySpec struct {
	Namespace string   `yaml:"namespace"`
	Records   []string `yaml:"records"` // A (default), SRV
	TTL       int64    `yaml:"ttl"`
}

type taskSpec struct {
	Cluster        string   `yaml:"cluster"`
	TaskDefinition string   `yaml:"task_definition"`
	Count          int      `yaml:"count"`
	LaunchType     string   `yaml:"launch_type"`
	Subnets        []string `yaml:"subnets"`
	SecurityGroups []string `yaml:"security_groups"`
	AssignPublicIP bool     `yaml:"assign_public_ip"`
}

// scheduledTaskSpec is an EventBridge rule whose one target runs a task
// (ECS scheduled tasks): the rule is named after the entry.
type scheduledTaskSpec struct {
	Schedule       string   `yaml:"schedule"`
	Disabled       bool     `yaml:"disabled"`
	Cluster        string   `yaml:"cluster"`
	TaskDefinition string   `yaml:"task_definition"`
	Count          int      `yaml:"count"`
	LaunchType     string   `yaml:"launch_type"`
	Group          string   `yaml:"group"`
	Subnets        []string `yaml:"subnets"`
	SecurityGroups []string `yaml:"security_groups"`
	AssignPublicIP bool     `yaml:"assign_public_ip"`
	Role           string   `yaml:"role"`
}

type expectSpec struct {
	From     string `yaml:"from"`
	To       string `yaml:"to"`
	Protocol string `yaml:"protocol"`
	Verdict  string `yaml:"verdict"`
	Note     string `yaml:"note"`
	// The HTTP request, for listener rules.
	Path   string            `yaml:"path"`
	Host   string            `yaml:"host"`
	Method string            `yaml:"method"`
	Header map[string]string `yaml:"header"`
	// HTTPVersion is the client's protocol through an ALB: 1.1 (default),
	// 2 or grpc.
	HTTPVersion string `yaml:"http_version"`
	// PlainHTTP: the client sends plain HTTP (an http:// URL) even to an
	// HTTPS listener's port.
	PlainHTTP bool `yaml:"plain_http"`
	// Cause is the explanation code the probe must report (the root cause).
	Cause string `yaml:"cause"`
	// IPv6 probes over IPv6 (the endpoints' IPv6 addresses).
	IPv6 bool `yaml:"ipv6"`
	// DecidedBy names the resource that decided the verdict (a security
	// group, network ACL, route table, gateway, load balancer, target
	// group …), by name or id.
	DecidedBy string `yaml:"decided_by"`
	// Rule is the deciding rule: a network ACL rule number ("*" for the
	// final deny), a route's destination, a security group rule id, or
	// the direction ("ingress", "egress") of a security group that has no
	// rule for the packet.
	Rule string `yaml:"rule"`
	// Fix is part of the title of a fix the analyzer must find and verify.
	Fix string `yaml:"fix"`
}

type bpaExclusionSpec struct {
	VPC    string            `yaml:"vpc"`
	Subnet string            `yaml:"subnet"`
	Mode   string            `yaml:"mode"` // allow-bidirectional or allow-egress
	Tags   map[string]string `yaml:"tags"`
}
