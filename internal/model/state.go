package model

import (
	"maps"
	"net/netip"
	"strconv"
	"strings"
)

// Kind names a resource type; it is also the persisted record kind.
type Kind string

// Resource kinds.
const (
	KindVPC                 Kind = "vpc"
	KindSubnet              Kind = "subnet"
	KindRouteTable          Kind = "route-table"
	KindInternetGateway     Kind = "internet-gateway"
	KindEgressOnlyIGW       Kind = "egress-only-internet-gateway"
	KindNatGateway          Kind = "nat-gateway"
	KindAddress             Kind = "address"
	KindSecurityGroup       Kind = "security-group"
	KindNetworkACL          Kind = "network-acl"
	KindNetworkInterface    Kind = "network-interface"
	KindVpcEndpoint         Kind = "vpc-endpoint"
	KindNetworkFirewall     Kind = "network-firewall"
	KindFirewallRuleGroup   Kind = "network-firewall-rule-group"
	KindFirewallPolicy      Kind = "network-firewall-policy"
	KindVpcPeering          Kind = "vpc-peering-connection"
	KindVpnGateway          Kind = "vpn-gateway"
	KindCustomerGateway     Kind = "customer-gateway"
	KindVpnConnection       Kind = "vpn-connection"
	KindPrefixList          Kind = "prefix-list"
	KindDeletedPrefixList   Kind = "prefix-list-deleted"
	KindTransitGateway      Kind = "transit-gateway"
	KindTGWAttachment       Kind = "transit-gateway-attachment"
	KindTGWRouteTable       Kind = "transit-gateway-route-table"
	KindDhcpOptions         Kind = "dhcp-options"
	KindVolume              Kind = "volume"
	KindSnapshot            Kind = "snapshot"
	KindImage               Kind = "image"
	KindKeyPair             Kind = "key-pair"
	KindPlacementGroup      Kind = "placement-group"
	KindInstance            Kind = "instance"
	KindLaunchTemplate      Kind = "launch-template"
	KindLaunchConfiguration Kind = "launch-configuration"
	KindAutoScalingGroup    Kind = "auto-scaling-group"
	KindCluster             Kind = "cluster"
	KindCapacityProvider    Kind = "capacity-provider"
	KindContainerInstance   Kind = "container-instance"
	KindTaskDefinition      Kind = "task-definition"
	KindDaemonTaskDef       Kind = "daemon-task-definition"
	KindDaemon              Kind = "daemon"
	KindDaemonRevision      Kind = "daemon-revision"
	KindDaemonDeployment    Kind = "daemon-deployment"
	KindTask                Kind = "task"
	KindService             Kind = "service"
	KindLoadBalancer        Kind = "load-balancer"
	KindListener            Kind = "listener"
	KindListenerRule        Kind = "listener-rule"
	KindTargetGroup         Kind = "target-group"
	KindClassicLoadBalancer Kind = "classic-load-balancer"
	KindTrustStore          Kind = "trust-store"
	KindAccountSetting      Kind = "account-setting"
	KindInsightsPath        Kind = "network-insights-path"
	KindInsightsAnalysis    Kind = "network-insights-analysis"
	KindParameter           Kind = "ssm-parameter"
	KindStack               Kind = "cfn-stack"
	KindChangeSet           Kind = "cfn-change-set"
	KindNamespace           Kind = "sd-namespace"
	KindHostedZone          Kind = "route53-hosted-zone"
	KindRoute53Change       Kind = "route53-change"
	KindHealthCheck         Kind = "route53-health-check"
	KindDiscoveryService    Kind = "sd-service"
	KindDiscoveryInstance   Kind = "sd-instance"
	KindDiscoveryOperation  Kind = "sd-operation"
	KindLogGroup            Kind = "log-group"
	KindRole                Kind = "iam-role"
	KindIAMUser             Kind = "iam-user"
	KindIAMGroup            Kind = "iam-group"
	KindManagedPolicy       Kind = "iam-policy"
	KindInstanceProfile     Kind = "iam-instance-profile"
	KindFlowLog             Kind = "flow-log"
	KindCarrierGateway      Kind = "carrier-gateway"
	KindEndpointService     Kind = "vpc-endpoint-service"
	KindServerCertificate   Kind = "iam-server-certificate"
	KindCertificate         Kind = "acm-certificate"
	KindRepository          Kind = "ecr-repository"
	KindRegistryScanning    Kind = "ecr-registry-scanning-configuration"
	KindPullThroughRule     Kind = "ecr-pull-through-cache-rule"
	KindFileSystem          Kind = "efs-file-system"
	KindMountTarget         Kind = "efs-mount-target"
	KindAccessPoint         Kind = "efs-access-point"
	KindLambdaFunction      Kind = "lambda-function"
	KindSQSQueue            Kind = "sqs-queue"
	KindSQSDeletedQueue     Kind = "sqs-deleted-queue"
	KindScalableTarget      Kind = "aas-scalable-target"
	KindAppScalingPolicy    Kind = "aas-scaling-policy"
	KindAppScheduledAction  Kind = "aas-scheduled-action"
	KindAppActivity         Kind = "aas-scaling-activity"
	KindSpotRequest         Kind = "spot-instances-request"
	KindSpotFleetRequest    Kind = "spot-fleet-request"
	KindFleet               Kind = "fleet"
	KindBPAOptions          Kind = "vpc-block-public-access-options"
	KindBPAExclusion        Kind = "vpc-block-public-access-exclusion"
	KindMetricAlarm         Kind = "cloudwatch-alarm"
	KindSecret              Kind = "secretsmanager-secret"
	KindKMSKey              Kind = "kms-key"
	KindKMSAlias            Kind = "kms-alias"
	KindBucket              Kind = "s3-bucket"
	KindS3Object            Kind = "s3-object"
	KindEBSDefaults         Kind = "ebs-encryption-defaults"
	KindDefaultCredits      Kind = "default-credit-specification"
	KindS3Upload            Kind = "s3-multipart-upload"
	KindS3Part              Kind = "s3-part"
	KindS3Version           Kind = "s3-object-version"
	KindEventRule           Kind = "events-rule"
	KindEventBus            Kind = "events-bus"
	KindCodeDeployApp       Kind = "codedeploy-application"
	KindCodeDeployGroup     Kind = "codedeploy-deployment-group"
	KindCodeDeployment      Kind = "codedeploy-deployment"
	KindCodeDeployConfig    Kind = "codedeploy-deployment-config"
)

// AccountSetting is an ECS account setting (awsvpcTrunking, …). ECS keeps
// them per principal; ecsnet keeps the account default and, when set, the
// value for the calling principal ARN.
type AccountSetting struct {
	Name         string
	Value        string
	PrincipalARN string // empty for the account default
}

// Key returns the setting's identity within a State.
func (s *AccountSetting) Key() string {
	if s.PrincipalARN == "" {
		return s.Name
	}
	return s.Name + "|" + s.PrincipalARN
}

// State is every resource of one account in one region.
type State struct {
	Account string
	Region  string

	VPCs              map[VpcID]*VPC
	Subnets           map[SubnetID]*Subnet
	RouteTables       map[RouteTableID]*RouteTable
	InternetGateways  map[InternetGatewayID]*InternetGateway
	EgressOnlyIGWs    map[EgressOnlyIGWID]*EgressOnlyInternetGateway
	NatGateways       map[NatGatewayID]*NatGateway
	Addresses         map[AllocationID]*Address
	SecurityGroups    map[SecurityGroupID]*SecurityGroup
	NetworkACLs       map[NetworkACLID]*NetworkACL
	NetworkInterfaces map[NetworkInterfaceID]*NetworkInterface
	VpcEndpoints      map[VpcEndpointID]*VpcEndpoint
	PrefixLists       map[PrefixListID]*PrefixList
	// DeletedPrefixLists are customer-managed lists deleted a short while
	// ago: DescribeManagedPrefixLists still answers them, delete-complete;
	// nothing else sees them.
	DeletedPrefixLists map[PrefixListID]*PrefixList
	VpcPeerings        map[VpcPeeringConnectionID]*VpcPeeringConnection
	DhcpOptions        map[DhcpOptionsID]*DhcpOptions
	// Transit gateways, their attachments and route tables.
	TransitGateways           map[TransitGatewayID]*TransitGateway
	TransitGatewayAttachments map[TransitGatewayAttachmentID]*TransitGatewayAttachment
	TransitGatewayRouteTables map[TransitGatewayRouteTableID]*TransitGatewayRouteTable
	VpnGateways               map[VpnGatewayID]*VpnGateway
	CustomerGateways          map[CustomerGatewayID]*CustomerGateway
	VpnConnections            map[VpnConnectionID]*VpnConnection
	FlowLogs                  map[FlowLogID]*FlowLog
	CarrierGateways           map[CarrierGatewayID]*CarrierGateway
	EndpointServices          map[EndpointServiceID]*EndpointServiceConfig
	// NetworkFirewalls are AWS Network Firewall firewalls by ARN
	// (networkfirewall.go).
	NetworkFirewalls map[string]*NetworkFirewall
	// FirewallRuleGroups and FirewallPolicies are the Network Firewall
	// API's rule groups and firewall policies by ARN (networkfirewall_api.go).
	FirewallRuleGroups map[string]*NetworkFirewallRuleGroup
	FirewallPolicies   map[string]*NetworkFirewallPolicy

	Instances            map[InstanceID]*Instance
	Volumes              map[VolumeID]*Volume
	Snapshots            map[SnapshotID]*Snapshot
	Images               map[ImageID]*Image
	KeyPairs             map[KeyPairID]*KeyPair
	PlacementGroups      map[PlacementGroupID]*PlacementGroup
	LaunchTemplates      map[LaunchTemplateID]*LaunchTemplate
	LaunchConfigurations map[string]*LaunchConfiguration
	AutoScalingGroups    map[string]*AutoScalingGroup

	Clusters           map[string]*Cluster // by ARN
	CapacityProviders  map[string]*CapacityProvider
	ContainerInstances map[string]*ContainerInstance
	TaskDefinitions    map[string]*TaskDefinition
	Tasks              map[string]*Task
	Services           map[string]*Service
	AccountSettings    map[string]*AccountSetting

	// DaemonTaskDefinitions are ECS Managed Daemons' daemon task
	// definitions, by ARN.
	DaemonTaskDefinitions map[string]*DaemonTaskDefinition
	// Daemons, DaemonRevisions and DaemonDeployments are ECS Managed
	// Daemons (CreateDaemon and its kin), by ARN.
	Daemons           map[string]*Daemon
	DaemonRevisions   map[string]*DaemonRevision
	DaemonDeployments map[string]*DaemonDeployment

	LoadBalancers map[string]*LoadBalancer
	Listeners     map[string]*Listener
	ListenerRules map[string]*ListenerRule
	TargetGroups  map[string]*TargetGroup
	TrustStores   map[string]*TrustStore // by ARN
	// ClassicLoadBalancers are keyed by name.
	ClassicLoadBalancers map[string]*ClassicLoadBalancer

	InsightsPaths    map[NetworkInsightsPathID]*NetworkInsightsPath
	InsightsAnalyses map[NetworkInsightsAnalysisID]*NetworkInsightsAnalysis

	Parameters map[string]*Parameter // by name
	Stacks     map[string]*Stack     // by stack ARN
	ChangeSets map[string]*ChangeSet // by change set ARN
	// Cloud Map, by id.
	Namespaces        map[string]*Namespace
	DiscoveryServices map[string]*DiscoveryService
	// DiscoveryInstances are keyed by DiscoveryInstanceKey, operations by id.
	DiscoveryInstances  map[string]*DiscoveryInstance
	DiscoveryOperations map[string]*DiscoveryOperation
	// HostedZones are Route 53 hosted zones, by id (route53.go).
	HostedZones map[string]*HostedZone
	// Route53Changes are the changes Route 53 answered, by id.
	Route53Changes map[string]*Route53Change
	// HealthChecks are Route 53 health checks, by id.
	HealthChecks map[string]*Route53HealthCheck

	LogGroups map[string]*LogGroup // by name
	// MetricAlarms are CloudWatch alarms, by name (monitoring.go).
	MetricAlarms map[string]*MetricAlarm
	// Secrets are Secrets Manager secrets, by ARN.
	Secrets map[string]*Secret
	// KMSKeys are KMS keys by key id, KMSAliases aliases by name.
	KMSKeys    map[string]*KMSKey
	KMSAliases map[string]*KMSAlias
	// Buckets are S3 buckets by name, S3Objects their objects by
	// S3ObjectKey (s3.go); both only in the global region's state.
	Buckets   map[string]*Bucket
	S3Objects map[string]*S3Object
	// S3Uploads are multipart uploads in progress by upload id, S3Parts
	// their parts by S3PartKey.
	S3Uploads map[string]*S3Upload
	S3Parts   map[string]*S3Part
	// S3Versions are the versions of objects of versioned buckets that
	// are not current (the current one is in S3Objects) and the delete
	// markers, by S3VersionKey.
	S3Versions map[string]*S3Object
	// EventRules are EventBridge rules by EventRuleKey, EventBuses the
	// event buses other than default, by name (events.go).
	EventRules map[string]*EventRule
	EventBuses map[string]*EventBus
	// CodeDeployApps are CodeDeploy applications by name, CodeDeployGroups
	// their deployment groups by CodeDeployGroupKey, CodeDeployments the
	// deployments by id (codedeploy.go).
	CodeDeployApps   map[string]*CodeDeployApp
	CodeDeployGroups map[string]*CodeDeployGroup
	CodeDeployments  map[string]*CodeDeployment
	// CodeDeployConfigs are the account's own deployment configurations
	// by name (CreateDeploymentConfig; the predefined ones are the
	// engine's).
	CodeDeployConfigs map[string]*CodeDeployConfig
	// IAM (global; see Role), by name, ARN and name.
	Roles            map[string]*Role
	IAMUsers         map[string]*IAMUser
	IAMGroups        map[string]*IAMGroup
	ManagedPolicies  map[string]*ManagedPolicy
	InstanceProfiles map[string]*InstanceProfile
	// ServerCertificates are IAM server certificates, by name.
	ServerCertificates map[string]*ServerCertificate
	// Certificates are ACM certificates (regional), by ARN.
	Certificates map[string]*Certificate
	// Repositories are Amazon ECR repositories (regional), by name.
	Repositories map[string]*Repository
	// RegistryScanning holds the private registry's scanning
	// configuration under RegistryScanningKey (absent: BASIC, no rules).
	RegistryScanning map[string]*RegistryScanningConfiguration
	// PullThroughCacheRules are the private registry's pull through
	// cache rules (regional), by ECR repository prefix.
	PullThroughCacheRules map[string]*PullThroughCacheRule
	// FileSystems, MountTargets and AccessPoints are Amazon EFS resources
	// (regional), by id.
	FileSystems  map[string]*FileSystem
	MountTargets map[string]*MountTarget
	AccessPoints map[string]*AccessPoint
	// LambdaFunctions are AWS Lambda functions (regional), by name.
	LambdaFunctions map[string]*LambdaFunction
	// SQSQueues are Amazon SQS queues by name (sqs.go), SQSDeletedQueues
	// the names deleted in the last 60 seconds.
	SQSQueues        map[string]*SQSQueue
	SQSDeletedQueues map[string]*SQSDeletedQueue
	// Application Auto Scaling: scalable targets by ScalableTargetKey,
	// policies and scheduled actions by their target's key and name
	// (AppScalingPolicyKey), activities by id.
	ScalableTargets     map[string]*ScalableTarget
	AppScalingPolicies  map[string]*AppScalingPolicy
	AppScheduledActions map[string]*AppScheduledAction
	ScalingActivities   map[string]*AppScalingActivity
	// SpotRequests are Spot Instance requests (RequestSpotInstances).
	SpotRequests map[SpotInstanceRequestID]*SpotInstanceRequest
	// SpotFleets are Spot Fleet requests; Fleets EC2 Fleets.
	SpotFleets map[SpotFleetRequestID]*SpotFleetRequest
	Fleets     map[FleetID]*Fleet
	// BPAOptions holds the account's VPC Block Public Access setting in
	// the region, under BPAOptionsKey (absent: off, default-state);
	// BPAExclusions its exclusions, deleted ones too for a while.
	BPAOptions    map[string]*VpcBlockPublicAccessOptions
	BPAExclusions map[BPAExclusionID]*VpcBlockPublicAccessExclusion
	// EBSDefaults holds the account's EBS encryption by default in the
	// region, under EBSDefaultsKey (absent: off, the aws/ebs key).
	EBSDefaults map[string]*EBSEncryptionDefaults
	// DefaultCredits holds the account's default credit option of each
	// burstable instance family in the region, by family (absent: the
	// family's own, BurstableCredits).
	DefaultCredits map[string]*DefaultCreditSpecification
}

// NewState returns an empty state.
func NewState(account, region string) *State {
	return &State{
		Account:                   account,
		Region:                    region,
		VPCs:                      map[VpcID]*VPC{},
		Subnets:                   map[SubnetID]*Subnet{},
		RouteTables:               map[RouteTableID]*RouteTable{},
		InternetGateways:          map[InternetGatewayID]*InternetGateway{},
		EgressOnlyIGWs:            map[EgressOnlyIGWID]*EgressOnlyInternetGateway{},
		NatGateways:               map[NatGatewayID]*NatGateway{},
		Addresses:                 map[AllocationID]*Address{},
		SecurityGroups:            map[SecurityGroupID]*SecurityGroup{},
		NetworkACLs:               map[NetworkACLID]*NetworkACL{},
		NetworkInterfaces:         map[NetworkInterfaceID]*NetworkInterface{},
		VpcEndpoints:              map[VpcEndpointID]*VpcEndpoint{},
		PrefixLists:               map[PrefixListID]*PrefixList{},
		DeletedPrefixLists:        map[PrefixListID]*PrefixList{},
		VpcPeerings:               map[VpcPeeringConnectionID]*VpcPeeringConnection{},
		DhcpOptions:               map[DhcpOptionsID]*DhcpOptions{},
		VpnGateways:               map[VpnGatewayID]*VpnGateway{},
		CustomerGateways:          map[CustomerGatewayID]*CustomerGateway{},
		VpnConnections:            map[VpnConnectionID]*VpnConnection{},
		Instances:                 map[InstanceID]*Instance{},
		Volumes:                   map[VolumeID]*Volume{},
		Snapshots:                 map[SnapshotID]*Snapshot{},
		Images:                    map[ImageID]*Image{},
		KeyPairs:                  map[KeyPairID]*KeyPair{},
		PlacementGroups:           map[PlacementGroupID]*PlacementGroup{},
		LaunchTemplates:           map[LaunchTemplateID]*LaunchTemplate{},
		LaunchConfigurations:      map[string]*LaunchConfiguration{},
		AutoScalingGroups:         map[string]*AutoScalingGroup{},
		Clusters:                  map[string]*Cluster{},
		CapacityProviders:         map[string]*CapacityProvider{},
		ContainerInstances:        map[string]*ContainerInstance{},
		TaskDefinitions:           map[string]*TaskDefinition{},
		DaemonTaskDefinitions:     map[string]*DaemonTaskDefinition{},
		Daemons:                   map[string]*Daemon{},
		DaemonRevisions:           map[string]*DaemonRevision{},
		DaemonDeployments:         map[string]*DaemonDeployment{},
		Tasks:                     map[string]*Task{},
		Services:                  map[string]*Service{},
		AccountSettings:           map[string]*AccountSetting{},
		LoadBalancers:             map[string]*LoadBalancer{},
		Listeners:                 map[string]*Listener{},
		ListenerRules:             map[string]*ListenerRule{},
		TargetGroups:              map[string]*TargetGroup{},
		TrustStores:               map[string]*TrustStore{},
		ClassicLoadBalancers:      map[string]*ClassicLoadBalancer{},
		InsightsPaths:             map[NetworkInsightsPathID]*NetworkInsightsPath{},
		InsightsAnalyses:          map[NetworkInsightsAnalysisID]*NetworkInsightsAnalysis{},
		Parameters:                map[string]*Parameter{},
		Stacks:                    map[string]*Stack{},
		ChangeSets:                map[string]*ChangeSet{},
		Namespaces:                map[string]*Namespace{},
		DiscoveryServices:         map[string]*DiscoveryService{},
		DiscoveryInstances:        map[string]*DiscoveryInstance{},
		DiscoveryOperations:       map[string]*DiscoveryOperation{},
		HostedZones:               map[string]*HostedZone{},
		Route53Changes:            map[string]*Route53Change{},
		HealthChecks:              map[string]*Route53HealthCheck{},
		LogGroups:                 map[string]*LogGroup{},
		MetricAlarms:              map[string]*MetricAlarm{},
		Secrets:                   map[string]*Secret{},
		KMSKeys:                   map[string]*KMSKey{},
		KMSAliases:                map[string]*KMSAlias{},
		Buckets:                   map[string]*Bucket{},
		S3Objects:                 map[string]*S3Object{},
		S3Uploads:                 map[string]*S3Upload{},
		S3Parts:                   map[string]*S3Part{},
		S3Versions:                map[string]*S3Object{},
		EventRules:                map[string]*EventRule{},
		EventBuses:                map[string]*EventBus{},
		CodeDeployApps:            map[string]*CodeDeployApp{},
		CodeDeployGroups:          map[string]*CodeDeployGroup{},
		CodeDeployments:           map[string]*CodeDeployment{},
		CodeDeployConfigs:         map[string]*CodeDeployConfig{},
		Roles:                     map[string]*Role{},
		IAMUsers:                  map[string]*IAMUser{},
		IAMGroups:                 map[string]*IAMGroup{},
		ManagedPolicies:           map[string]*ManagedPolicy{},
		InstanceProfiles:          map[string]*InstanceProfile{},
		ServerCertificates:        map[string]*ServerCertificate{},
		Certificates:              map[string]*Certificate{},
		Repositories:              map[string]*Repository{},
		RegistryScanning:          map[string]*RegistryScanningConfiguration{},
		PullThroughCacheRules:     map[string]*PullThroughCacheRule{},
		FileSystems:               map[string]*FileSystem{},
		MountTargets:              map[string]*MountTarget{},
		AccessPoints:              map[string]*AccessPoint{},
		LambdaFunctions:           map[string]*LambdaFunction{},
		SQSQueues:                 map[string]*SQSQueue{},
		SQSDeletedQueues:          map[string]*SQSDeletedQueue{},
		ScalableTargets:           map[string]*ScalableTarget{},
		AppScalingPolicies:        map[string]*AppScalingPolicy{},
		AppScheduledActions:       map[string]*AppScheduledAction{},
		ScalingActivities:         map[string]*AppScalingActivity{},
		TransitGateways:           map[TransitGatewayID]*TransitGateway{},
		TransitGatewayAttachments: map[TransitGatewayAttachmentID]*TransitGatewayAttachment{},
		TransitGatewayRouteTables: map[TransitGatewayRouteTableID]*TransitGatewayRouteTable{},
		FlowLogs:                  map[FlowLogID]*FlowLog{},
		CarrierGateways:           map[CarrierGatewayID]*CarrierGateway{},
		EndpointServices:          map[EndpointServiceID]*EndpointServiceConfig{},
		SpotRequests:              map[SpotInstanceRequestID]*SpotInstanceRequest{},
		SpotFleets:                map[SpotFleetRequestID]*SpotFleetRequest{},
		Fleets:                    map[FleetID]*Fleet{},
		BPAOptions:                map[string]*VpcBlockPublicAccessOptions{},
		EBSDefaults:               map[string]*EBSEncryptionDefaults{},
		DefaultCredits:            map[string]*DefaultCreditSpecification{},
		BPAExclusions:             map[BPAExclusionID]*VpcBlockPublicAccessExclusion{},
		NetworkFirewalls:          map[string]*NetworkFirewall{},
		FirewallRuleGroups:        map[string]*NetworkFirewallRuleGroup{},
		FirewallPolicies:          map[string]*NetworkFirewallPolicy{},
	}
}

// Clone returns a copy of s that shares the (immutable) resource values but
// none of the maps, so either can be changed without affecting the other.
func (s *State) Clone() *State {
	return &State{
		Account:                   s.Account,
		Region:                    s.Region,
		VPCs:                      maps.Clone(s.VPCs),
		Subnets:                   maps.Clone(s.Subnets),
		RouteTables:               maps.Clone(s.RouteTables),
		InternetGateways:          maps.Clone(s.InternetGateways),
		EgressOnlyIGWs:            maps.Clone(s.EgressOnlyIGWs),
		NatGateways:               maps.Clone(s.NatGateways),
		Addresses:                 maps.Clone(s.Addresses),
		SecurityGroups:            maps.Clone(s.SecurityGroups),
		NetworkACLs:               maps.Clone(s.NetworkACLs),
		NetworkInterfaces:         maps.Clone(s.NetworkInterfaces),
		VpcEndpoints:              maps.Clone(s.VpcEndpoints),
		PrefixLists:               maps.Clone(s.PrefixLists),
		DeletedPrefixLists:        maps.Clone(s.DeletedPrefixLists),
		VpcPeerings:               maps.Clone(s.VpcPeerings),
		DhcpOptions:               maps.Clone(s.DhcpOptions),
		VpnGateways:               maps.Clone(s.VpnGateways),
		CustomerGateways:          maps.Clone(s.CustomerGateways),
		VpnConnections:            maps.Clone(s.VpnConnections),
		Instances:                 maps.Clone(s.Instances),
		Volumes:                   maps.Clone(s.Volumes),
		Snapshots:                 maps.Clone(s.Snapshots),
		Images:                    maps.Clone(s.Images),
		KeyPairs:                  maps.Clone(s.KeyPairs),
		PlacementGroups:           maps.Clone(s.PlacementGroups),
		LaunchTemplates:           maps.Clone(s.LaunchTemplates),
		LaunchConfigurations:      maps.Clone(s.LaunchConfigurations),
		AutoScalingGroups:         maps.Clone(s.AutoScalingGroups),
		Clusters:                  maps.Clone(s.Clusters),
		CapacityProviders:         maps.Clone(s.CapacityProviders),
		ContainerInstances:        maps.Clone(s.ContainerInstances),
		TaskDefinitions:           maps.Clone(s.TaskDefinitions),
		DaemonTaskDefinitions:     maps.Clone(s.DaemonTaskDefinitions),
		Daemons:                   maps.Clone(s.Daemons),
		DaemonRevisions:           maps.Clone(s.DaemonRevisions),
		DaemonDeployments:         maps.Clone(s.DaemonDeployments),
		Tasks:                     maps.Clone(s.Tasks),
		Services:                  maps.Clone(s.Services),
		AccountSettings:           maps.Clone(s.AccountSettings),
		LoadBalancers:             maps.Clone(s.LoadBalancers),
		Listeners:                 maps.Clone(s.Listeners),
		ListenerRules:             maps.Clone(s.ListenerRules),
		TargetGroups:              maps.Clone(s.TargetGroups),
		TrustStores:               maps.Clone(s.TrustStores),
		ClassicLoadBalancers:      maps.Clone(s.ClassicLoadBalancers),
		InsightsPaths:             maps.Clone(s.InsightsPaths),
		InsightsAnalyses:          maps.Clone(s.InsightsAnalyses),
		Parameters:                maps.Clone(s.Parameters),
		Stacks:                    maps.Clone(s.Stacks),
		ChangeSets:                maps.Clone(s.ChangeSets),
		Namespaces:                maps.Clone(s.Namespaces),
		DiscoveryServices:         maps.Clone(s.DiscoveryServices),
		DiscoveryInstances:        maps.Clone(s.DiscoveryInstances),
		DiscoveryOperations:       maps.Clone(s.DiscoveryOperations),
		HostedZones:               maps.Clone(s.HostedZones),
		Route53Changes:            maps.Clone(s.Route53Changes),
		HealthChecks:              maps.Clone(s.HealthChecks),
		LogGroups:                 maps.Clone(s.LogGroups),
		MetricAlarms:              maps.Clone(s.MetricAlarms),
		Secrets:                   maps.Clone(s.Secrets),
		KMSKeys:                   maps.Clone(s.KMSKeys),
		KMSAliases:                maps.Clone(s.KMSAliases),
		Buckets:                   maps.Clone(s.Buckets),
		S3Objects:                 maps.Clone(s.S3Objects),
		S3Uploads:                 maps.Clone(s.S3Uploads),
		S3Parts:                   maps.Clone(s.S3Parts),
		S3Versions:                maps.Clone(s.S3Versions),
		EventRules:                maps.Clone(s.EventRules),
		EventBuses:                maps.Clone(s.EventBuses),
		CodeDeployApps:            maps.Clone(s.CodeDeployApps),
		CodeDeployGroups:          maps.Clone(s.CodeDeployGroups),
		CodeDeployments:           maps.Clone(s.CodeDeployments),
		CodeDeployConfigs:         maps.Clone(s.CodeDeployConfigs),
		Roles:                     maps.Clone(s.Roles),
		IAMUsers:                  maps.Clone(s.IAMUsers),
		IAMGroups:                 maps.Clone(s.IAMGroups),
		ManagedPolicies:           maps.Clone(s.ManagedPolicies),
		InstanceProfiles:          maps.Clone(s.InstanceProfiles),
		ServerCertificates:        maps.Clone(s.ServerCertificates),
		Certificates:              maps.Clone(s.Certificates),
		Repositories:              maps.Clone(s.Repositories),
		RegistryScanning:          maps.Clone(s.RegistryScanning),
		PullThroughCacheRules:     maps.Clone(s.PullThroughCacheRules),
		FileSystems:               maps.Clone(s.FileSystems),
		MountTargets:              maps.Clone(s.MountTargets),
		AccessPoints:              maps.Clone(s.AccessPoints),
		LambdaFunctions:           maps.Clone(s.LambdaFunctions),
		SQSQueues:                 maps.Clone(s.SQSQueues),
		SQSDeletedQueues:          maps.Clone(s.SQSDeletedQueues),
		ScalableTargets:           maps.Clone(s.ScalableTargets),
		AppScalingPolicies:        maps.Clone(s.AppScalingPolicies),
		AppScheduledActions:       maps.Clone(s.AppScheduledActions),
		ScalingActivities:         maps.Clone(s.ScalingActivities),
		TransitGateways:           maps.Clone(s.TransitGateways),
		TransitGatewayAttachments: maps.Clone(s.TransitGatewayAttachments),
		TransitGatewayRouteTables: maps.Clone(s.TransitGatewayRouteTables),
		FlowLogs:                  maps.Clone(s.FlowLogs),
		CarrierGateways:           maps.Clone(s.CarrierGateways),
		EndpointServices:          maps.Clone(s.EndpointServices),
		SpotRequests:              maps.Clone(s.SpotRequests),
		SpotFleets:                maps.Clone(s.SpotFleets),
		Fleets:                    maps.Clone(s.Fleets),
		BPAOptions:                maps.Clone(s.BPAOptions),
		EBSDefaults:               maps.Clone(s.EBSDefaults),
		DefaultCredits:            maps.Clone(s.DefaultCredits),
		BPAExclusions:             maps.Clone(s.BPAExclusions),
		NetworkFirewalls:          maps.Clone(s.NetworkFirewalls),
		FirewallRuleGroups:        maps.Clone(s.FirewallRuleGroups),
		FirewallPolicies:          maps.Clone(s.FirewallPolicies),
	}
}

// SubnetRouteTable returns the route table that governs subnet: its explicit
// association, else the VPC's main table.
func (s *State) SubnetRouteTable(id SubnetID) *RouteTable {
	sub := s.Subnets[id]
	if sub == nil {
		return nil
	}
	var main *RouteTable
	for _, rt := range s.RouteTables {
		if rt.VpcID != sub.VpcID {
			continue
		}
		for _, a := range rt.Associations {
			if a.SubnetID == id {
				return rt
			}
			if a.Main {
				main = rt
			}
		}
	}
	return main
}

// SubnetFreeAddresses is the number of IPv4 addresses of a subnet that no
// network interface holds, less the five AWS reserves (DescribeSubnets'
// AvailableIpAddressCount); 0 for an unknown or IPv6-only subnet.
func (s *State) SubnetFreeAddresses(id SubnetID) int {
	sn := s.Subnets[id]
	if sn == nil || !sn.CIDR.IsValid() {
		return 0
	}
	used := 0
	for _, n := range s.NetworkInterfaces {
		if n.SubnetID == id {
			used += len(n.PrivateIPs)
		}
	}
	return max(1<<(32-sn.CIDR.Bits())-5-used, 0)
}

// PublicSubnet reports whether a subnet's route table has a route to an
// internet gateway: AWS's definition of a public subnet
// (VPC_Internet_Gateway.md).
func (s *State) PublicSubnet(id SubnetID) bool {
	return s.SubnetRouteTable(id).RoutesToInternetGateway()
}

// SubnetNetworkACL returns the network ACL associated with subnet.
func (s *State) SubnetNetworkACL(id SubnetID) *NetworkACL {
	sub := s.Subnets[id]
	if sub == nil {
		return nil
	}
	var def *NetworkACL
	for _, acl := range s.NetworkACLs {
		if acl.VpcID != sub.VpcID {
			continue
		}
		for _, a := range acl.Associations {
			if a.SubnetID == id {
				return acl
			}
		}
		if acl.IsDefault {
			def = acl
		}
	}
	return def
}

// VpcInternetGateway returns the internet gateway attached to vpc, if any.
func (s *State) VpcInternetGateway(vpc VpcID) *InternetGateway {
	for _, g := range s.InternetGateways {
		if g.VpcID == vpc {
			return g
		}
	}
	return nil
}

// VpcEgressOnlyIGW returns an egress-only internet gateway of vpc, if any
// (the one with the lowest id).
func (s *State) VpcEgressOnlyIGW(vpc VpcID) *EgressOnlyInternetGateway {
	var out *EgressOnlyInternetGateway
	for _, g := range s.EgressOnlyIGWs {
		if g.VpcID == vpc && (out == nil || g.ID < out.ID) {
			out = g
		}
	}
	return out
}

// InstanceENIs returns the ENIs attached to an instance, by device index.
func (s *State) InstanceENIs(id InstanceID) []*NetworkInterface {
	var out []*NetworkInterface
	for _, n := range s.NetworkInterfaces {
		if n.Attachment != nil && n.Attachment.InstanceID == id {
			out = append(out, n)
		}
	}
	sortENIsByDevice(out)
	return out
}

func sortENIsByDevice(n []*NetworkInterface) {
	for i := 1; i < len(n); i++ {
		for j := i; j > 0 && n[j].Attachment.DeviceIndex < n[j-1].Attachment.DeviceIndex; j-- {
			n[j], n[j-1] = n[j-1], n[j]
		}
	}
}

// ENIByPublicIP returns the ENI holding public address a.
func (s *State) ENIByPublicIP(a netip.Addr) *NetworkInterface {
	for _, n := range s.NetworkInterfaces {
		for _, p := range n.PrivateIPs {
			if p.PublicIP != nil && p.PublicIP.PublicIP == a {
				return n
			}
		}
	}
	return nil
}

// InstanceName returns how people name an instance: its Name tag, else
// "<auto scaling group>/<n>" by launch order within its group, else its id.
func (s *State) InstanceName(i *Instance) string {
	if n := i.Tags.Name(); n != "" {
		return n
	}
	group := func(o *Instance) string { return o.AutoScalingGroup }
	if i.AutoScalingGroup == "" && i.ManagedBy != "" {
		// ECS Managed Instances: "<capacity provider>/<n>".
		group = func(o *Instance) string { return o.ManagedBy }
	}
	if group(i) == "" {
		return string(i.ID)
	}
	n := 0
	for _, o := range s.Instances {
		if group(o) == group(i) && (o.LaunchTime.Before(i.LaunchTime) || (o.LaunchTime.Equal(i.LaunchTime) && o.ID < i.ID)) {
			n++
		}
	}
	return group(i) + "/" + strconv.Itoa(n)
}

// TaskName returns how people name a task: its Name tag, else
// "<service>/<n>" by creation order within the service, else its id.
func (s *State) TaskName(t *Task) string {
	if n := t.Tags.Name(); n != "" {
		return n
	}
	id := t.ARN[strings.LastIndexByte(t.ARN, '/')+1:]
	if t.ServiceName == "" {
		return id
	}
	n := 0
	for _, o := range s.Tasks {
		if o.ServiceName == t.ServiceName && o.ClusterARN == t.ClusterARN &&
			(o.CreatedAt.Before(t.CreatedAt) || (o.CreatedAt.Equal(t.CreatedAt) && o.ARN < t.ARN)) {
			n++
		}
	}
	return t.ServiceName + "/" + strconv.Itoa(n)
}

// RouteState reports whether a route is "active" or a "blackhole" (its
// target no longer exists or cannot forward), as DescribeRouteTables shows.
func (s *State) RouteState(r Route) string {
	active := false
	switch r.Target {
	case TargetLocal:
		active = true
	case TargetInternetGateway:
		g := s.InternetGateways[InternetGatewayID(r.TargetID)]
		active = g != nil && g.VpcID != ""
	case TargetNatGateway:
		g := s.NatGateways[NatGatewayID(r.TargetID)]
		active = g != nil && (g.State == "available" || g.State == "pending")
	case TargetNetworkInterface:
		e := s.NetworkInterfaces[NetworkInterfaceID(r.TargetID)]
		active = e != nil && e.Attachment != nil
	case TargetInstance:
		i := s.Instances[InstanceID(r.TargetID)]
		active = i != nil && i.State == InstanceRunning
	case TargetVpcEndpoint:
		active = s.VpcEndpoints[VpcEndpointID(r.TargetID)] != nil
	case TargetVpcPeering:
		c := s.VpcPeerings[VpcPeeringConnectionID(r.TargetID)]
		active = c != nil && c.Status == "active"
	case TargetEgressOnlyIGW:
		active = s.EgressOnlyIGWs[EgressOnlyIGWID(r.TargetID)] != nil
	case TargetTransitGateway:
		g := s.TransitGateways[TransitGatewayID(r.TargetID)]
		active = g != nil && g.State == "available"
	case TargetVpnGateway:
		active = s.vpnGatewayRouteActive(r)
	}
	if active {
		return "active"
	}
	return "blackhole"
}

// RouteStateIn is RouteState for a route of a table of vpc: a route to a
// gateway is also a blackhole once the gateway is no longer attached to
// that VPC — a transit gateway without the VPC's attachment, an internet
// gateway or virtual private gateway detached and attached to another VPC
// (UNVERIFIED for the transit gateway: the state AWS shows then is not
// documented; a blackhole is how it shows every route whose target
// cannot forward).
func (s *State) RouteStateIn(vpc VpcID, r Route) string {
	switch r.Target {
	case TargetTransitGateway:
		if s.VpcTGWAttachment(vpc, TransitGatewayID(r.TargetID)) == nil {
			return "blackhole"
		}
	case TargetInternetGateway:
		if g := s.InternetGateways[InternetGatewayID(r.TargetID)]; g == nil || g.VpcID != vpc {
			return "blackhole"
		}
	case TargetVpnGateway:
		if g := s.VpnGateways[VpnGatewayID(r.TargetID)]; g == nil || g.AttachedVpc() != vpc {
			return "blackhole"
		}
	}
	return s.RouteState(r)
}

// EC2ARN is the ARN of an EC2 resource of an account and region;
// resource is its type and id ("vpc/vpc-0abc…").
func EC2ARN(region, account, resource string) string {
	return ARN(region, "ec2", account, resource)
}

// ARN is the ARN of a resource of service in an account and region, in
// the region's partition (Partition: arn:aws-cn:… in the China regions,
// arn:aws-us-gov:… in GovCloud): ARN("cn-north-1", "ecs", "1234",
// "cluster/c") is "arn:aws-cn:ecs:cn-north-1:1234:cluster/c". Code that
// makes an ARN calls it (or GlobalARN) rather than write "arn:aws:".
func ARN(region, service, account, resource string) string {
	return "arn:" + Partition(region) + ":" + service + ":" + region + ":" + account + ":" + resource
}

// GlobalARN is the ARN of a resource of a global service (IAM), which
// names no region, in the partition of the region it is used from:
// GlobalARN("us-gov-west-1", "iam", "1234", "root") is
// "arn:aws-us-gov:iam::1234:root".
func GlobalARN(region, service, account, resource string) string {
	return "arn:" + Partition(region) + ":" + service + "::" + account + ":" + resource
}

// CutARN returns what follows "arn:PARTITION:SERVICE:" in arn, for
// service and any partition of AWS's (aws, aws-cn, aws-us-gov, aws-iso…),
// and whether arn begins so: CutARN("arn:aws-cn:s3:::b/k", "s3") is
// "::b/k". Code that parses an ARN calls it rather than match "arn:aws:",
// which the China and GovCloud partitions' ARNs do not begin with.
func CutARN(arn, service string) (string, bool) {
	rest, ok := strings.CutPrefix(arn, "arn:")
	if !ok {
		return "", false
	}
	partition, rest, ok := strings.Cut(rest, ":")
	if !ok || partition != "aws" && !strings.HasPrefix(partition, "aws-") {
		return "", false
	}
	if rest, ok = strings.CutPrefix(rest, service+":"); !ok {
		return "", false
	}
	return rest, true
}

// CutS3ARN returns the BUCKET[/KEY] an S3 ARN (arn:PARTITION:s3:::…) of
// any partition names, and whether arn is one.
func CutS3ARN(arn string) (string, bool) {
	rest, ok := CutARN(arn, "s3")
	if !ok {
		return "", false
	}
	if rest, ok = strings.CutPrefix(rest, "::"); !ok {
		return "", false
	}
	return rest, true
}

// Partition returns the ARN partition of a region: aws-cn for the China
// regions, aws-us-gov for GovCloud, aws for the others.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}
