package cfn

import (
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/suggest"
)

// knownProps returns the properties of a supported resource type, from
// the CloudFormation resource specification: the ones ecsnet models and
// the ones it accepts without modeling (block devices, deployment
// settings, …). A property outside the list is probably a misspelling;
// CloudFormation rejects it ("#: extraneous key [X] is not permitted").
func knownProps(typ string) []string {
	if ps, ok := tgwKnownProps(typ); ok {
		return ps
	}
	if ps := vpnProps(typ); ps != nil {
		return ps
	}
	if ps := route53Props(typ); ps != nil {
		return ps
	}
	if ps := s3Props(typ); ps != nil {
		return ps
	}
	switch typ {
	case typePrivateDNSNamespace:
		return []string{"Description", "Name", "Properties", "Tags", "Vpc"}
	case typePublicDNSNamespace:
		return []string{"Description", "Name", "Properties", "Tags"}
	case typeHTTPNamespace:
		return []string{"Description", "Name", "Tags"}
	case typeDiscoveryInstance:
		return []string{"InstanceAttributes", "InstanceId", "ServiceId"}
	case typeSSMParameter:
		return []string{"AllowedPattern", "DataType", "Description", "Name", "Policies", "Tags", "Tier", "Type", "Value"}
	case typeScalableTarget:
		return []string{"MaxCapacity", "MinCapacity", "ResourceId", "RoleARN", "ScalableDimension", "ScheduledActions", "ServiceNamespace",
			"SuspendedState"}
	case typeAppScalingPolicy:
		return []string{"PolicyName", "PolicyType", "PredictiveScalingPolicyConfiguration", "ResourceId", "ScalableDimension",
			"ScalingTargetId", "ServiceNamespace", "StepScalingPolicyConfiguration", "TargetTrackingScalingPolicyConfiguration"}
	case typePrefixList:
		return []string{"AddressFamily", "Entries", "MaxEntries", "PrefixListName", "Tags"}
	case typeKeyPair:
		return []string{"KeyFormat", "KeyName", "KeyType", "PublicKeyMaterial", "Tags"}
	case typePlacementGroup:
		return []string{"PartitionCount", "SpreadLevel", "Strategy", "Tags"}
	case typeLogStream:
		return []string{"LogGroupName", "LogStreamName"}
	case typeFileSystem:
		return []string{"AvailabilityZoneName", "BackupPolicy", "BypassPolicyLockoutSafetyCheck", "Encrypted", "FileSystemPolicy",
			"FileSystemProtection", "FileSystemTags", "KmsKeyId", "LifecyclePolicies", "PerformanceMode", "ProvisionedThroughputInMibps",
			"ReplicationConfiguration", "ThroughputMode"}
	case typeMountTarget:
		return []string{"FileSystemId", "IpAddress", "IpAddressType", "Ipv6Address", "SecurityGroups", "SubnetId"}
	case typeAccessPoint:
		return []string{"AccessPointTags", "ClientToken", "FileSystemId", "PosixUser", "RootDirectory"}
	case typeACMCertificate:
		return []string{"CertificateAuthorityArn", "CertificateExport", "CertificateTransparencyLoggingPreference", "DomainName",
			"DomainValidationOptions", "KeyAlgorithm", "SubjectAlternativeNames", "Tags", "ValidationMethod"}
	case typeLambdaFunction:
		return lambdaFunctionProps()
	case typeLambdaPermission:
		return []string{"Action", "EventSourceToken", "FunctionName", "FunctionUrlAuthType", "InvokedViaFunctionUrl", "Principal",
			"PrincipalOrgID", "SourceAccount", "SourceArn"}
	case typeLambdaVersion:
		return []string{"CodeSha256", "Description", "FunctionName", "FunctionScalingConfig", "ProvisionedConcurrencyConfig", "RuntimePolicy"}
	case typeLambdaAlias:
		return []string{"Description", "FunctionName", "FunctionVersion", "Name", "ProvisionedConcurrencyConfig", "RoutingConfig"}
	case typeRepository:
		return []string{"EmptyOnDelete", "EncryptionConfiguration", "ImageScanningConfiguration", "ImageTagMutability",
			"ImageTagMutabilityExclusionFilters", "LifecyclePolicy", "RepositoryName", "RepositoryPolicyText", "Tags"}
	case typeAlarm:
		return []string{"ActionsEnabled", "AlarmActions", "AlarmDescription", "AlarmName", "ComparisonOperator", "DatapointsToAlarm",
			"Dimensions", "EvaluateLowSampleCountPercentile", "EvaluationPeriods", "ExtendedStatistic", "InsufficientDataActions",
			"MetricName", "Metrics", "Namespace", "OKActions", "Period", "Statistic", "Tags", "Threshold", "ThresholdMetricId",
			"TreatMissingData", "Unit"}
	case typeSecret:
		return []string{"Description", "GenerateSecretString", "KmsKeyId", "Name", "ReplicaRegions", "SecretString", "Tags"}
	case typeKMSKey:
		return []string{"BypassPolicyLockoutSafetyCheck", "Description", "EnableKeyRotation", "Enabled", "KeyPolicy", "KeySpec",
			"KeyUsage", "MultiRegion", "Origin", "PendingWindowInDays", "RotationPeriodInDays", "Tags"}
	case typeKMSAlias:
		return []string{"AliasName", "TargetKeyId"}
	case typeCompositeAlarm:
		return []string{"ActionsEnabled", "ActionsSuppressor", "ActionsSuppressorExtensionPeriod", "ActionsSuppressorWaitPeriod",
			"AlarmActions", "AlarmDescription", "AlarmName", "AlarmRule", "InsufficientDataActions", "OKActions", "Tags"}
	case typeSecretPolicy:
		return []string{"BlockPublicPolicy", "ResourcePolicy", "SecretId"}
	case typeEventRule:
		return []string{"Description", "EventBusName", "EventPattern", "Name", "RoleArn", "ScheduleExpression", "State", "Targets"}
	case typeCodeDeployApp:
		return []string{"ApplicationName", "ComputePlatform", "Tags"}
	case typeCodeDeployConfig:
		return []string{"ComputePlatform", "DeploymentConfigName", "MinimumHealthyHosts", "TrafficRoutingConfig", "ZonalConfig"}
	case typeCodeDeployGroup:
		return []string{"AlarmConfiguration", "ApplicationName", "AutoRollbackConfiguration", "AutoScalingGroups",
			"BlueGreenDeploymentConfiguration", "Deployment", "DeploymentConfigName", "DeploymentGroupName", "DeploymentStyle",
			"ECSServices", "Ec2TagFilters", "Ec2TagSet", "LoadBalancerInfo", "OnPremisesInstanceTagFilters", "OnPremisesTagSet",
			"OutdatedInstancesStrategy", "ServiceRoleArn", "Tags", "TerminationHookEnabled", "TriggerConfigurations"}
	case typeEventBus:
		return []string{"DeadLetterConfig", "Description", "EventSourceName", "KmsKeyIdentifier", "LogConfig", "Name", "Policy", "Tags"}
	case typeLogGroup:
		return []string{"DataProtectionPolicy", "DeletionProtectionEnabled", "FieldIndexPolicies", "KmsKeyId", "LogGroupClass", "LogGroupName", "ResourcePolicyDocument", "RetentionInDays", "Tags"}
	case typeDiscoveryService:
		return []string{"Description", "DnsConfig", "HealthCheckConfig", "HealthCheckCustomConfig", "Name", "NamespaceId", "ServiceAttributes", "Tags", "Type"}
	case typeEgressOnlyIGW:
		return []string{"Tags", "VpcId"}
	case typeBPAOptions:
		return []string{"InternetGatewayBlockMode"}
	case typeBPAExclusion:
		return []string{"InternetGatewayExclusionMode", "SubnetId", "Tags", "VpcId"}
	case typeENIPermission:
		return []string{"AwsAccountId", "NetworkInterfaceId", "Permission"}
	case typeLifecycleHook:
		return []string{"AutoScalingGroupName", "DefaultResult", "HeartbeatTimeout", "LifecycleHookName", "LifecycleTransition",
			"NotificationMetadata", "NotificationTargetARN", "RoleARN"}
	case typeScalingPolicy:
		return []string{"AdjustmentType", "AutoScalingGroupName", "Cooldown", "EstimatedInstanceWarmup", "MetricAggregationType",
			"MinAdjustmentMagnitude", "PolicyType", "PredictiveScalingConfiguration", "ScalingAdjustment", "StepAdjustments", "TargetTrackingConfiguration"}
	case typeDHCPOptions:
		return []string{"DomainName", "DomainNameServers", "Ipv6AddressPreferredLeaseTime", "NetbiosNameServers", "NetbiosNodeType", "NtpServers", "Tags"}
	case typeDHCPAssociation:
		return []string{"DhcpOptionsId", "VpcId"}
	case typeENI:
		return []string{"ConnectionTrackingSpecification", "Description", "EnablePrimaryIpv6", "GroupSet", "InterfaceType", "Ipv4PrefixCount",
			"Ipv4Prefixes", "Ipv6AddressCount", "Ipv6Addresses", "Ipv6PrefixCount", "Ipv6Prefixes", "PrivateIpAddress", "PrivateIpAddresses",
			"SecondaryPrivateIpAddressCount", "SourceDestCheck", "SubnetId", "Tags"}
	case typeVPCPeering:
		return []string{"AssumeRoleRegion", "PeerOwnerId", "PeerRegion", "PeerRoleArn", "PeerVpcId", "Tags", "VpcId"}
	case typeEndpointServicePermissions:
		return []string{"AllowedPrincipals", "ServiceId"}
	case typeEndpointService:
		return []string{"AcceptanceRequired", "ContributorInsightsEnabled", "GatewayLoadBalancerArns", "NetworkLoadBalancerArns",
			"PayerResponsibility", "SupportedIpAddressTypes", "SupportedRegions", "Tags"}
	case typeFlowLog:
		return []string{"DeliverCrossAccountRole", "DeliverLogsPermissionArn", "DestinationOptions", "LogDestination", "LogDestinationType",
			"LogFormat", "LogGroupName", "MaxAggregationInterval", "ResourceId", "ResourceType", "Tags", "TrafficType"}
	case typeVPCCidrBlock:
		return []string{"AmazonProvidedIpv6CidrBlock", "CidrBlock", "Ipv4IpamPoolId", "Ipv4NetmaskLength", "Ipv6CidrBlock",
			"Ipv6CidrBlockNetworkBorderGroup", "Ipv6IpamPoolId", "Ipv6NetmaskLength", "Ipv6Pool", "VpcId"}
	case typeSubnetCidrBlock:
		return []string{"Ipv6CidrBlock", "Ipv6IpamPoolId", "Ipv6NetmaskLength", "SubnetId"}
	case typeVPC:
		return []string{"CidrBlock", "EnableDnsHostnames", "EnableDnsSupport", "InstanceTenancy", "Ipv4IpamPoolId", "Ipv4NetmaskLength", "Tags"}
	case typeSubnet:
		return []string{"AssignIpv6AddressOnCreation", "AvailabilityZone", "AvailabilityZoneId", "CidrBlock", "EnableDns64",
			"EnableLniAtDeviceIndex", "Ipv4IpamPoolId", "Ipv4NetmaskLength", "Ipv6CidrBlock", "Ipv6IpamPoolId", "Ipv6Native",
			"Ipv6NetmaskLength", "MapPublicIpOnLaunch", "OutpostArn", "PrivateDnsNameOptionsOnLaunch", "Tags", "VpcId"}
	case typeIGW:
		return []string{"Tags"}
	case typeGatewayAttachment:
		return []string{"InternetGatewayId", "VpcId", "VpnGatewayId"}
	case typeRouteTable, typeNetworkACL:
		return []string{"Tags", "VpcId"}
	case typeRoute:
		return []string{"CarrierGatewayId", "CoreNetworkArn", "DestinationCidrBlock", "DestinationIpv6CidrBlock",
			"DestinationPrefixListId", "EgressOnlyInternetGatewayId", "GatewayId", "InstanceId", "LocalGatewayId",
			"NatGatewayId", "NetworkInterfaceId", "RouteTableId", "TransitGatewayId", "VpcEndpointId", "VpcPeeringConnectionId"}
	case typeRTAssociation:
		return []string{"RouteTableId", "SubnetId"}
	case typeNatGateway:
		return []string{"AllocationId", "AvailabilityMode", "AvailabilityZoneAddresses", "ConnectivityType", "MaxDrainDurationSeconds",
			"PrivateIpAddress", "SecondaryAllocationIds", "SecondaryPrivateIpAddressCount", "SecondaryPrivateIpAddresses",
			"SubnetId", "Tags", "VpcId"}
	case typeEIP:
		return []string{"Address", "Domain", "InstanceId", "IpamPoolId", "NetworkBorderGroup", "PublicIpv4Pool", "Tags", "TransferAddress"}
	case typeEIPAssociation:
		return []string{"AllocationId", "EIP", "InstanceId", "NetworkInterfaceId", "PrivateIpAddress"}
	case typeSecurityGroup:
		return []string{"GroupDescription", "GroupName", "SecurityGroupEgress", "SecurityGroupIngress", "Tags", "VpcId"}
	case typeSGIngress:
		return []string{"CidrIp", "CidrIpv6", "Description", "FromPort", "GroupId", "GroupName", "IpProtocol", "SourcePrefixListId",
			"SourceSecurityGroupId", "SourceSecurityGroupName", "SourceSecurityGroupOwnerId", "ToPort"}
	case typeSGEgress:
		return []string{"CidrIp", "CidrIpv6", "Description", "DestinationPrefixListId", "DestinationSecurityGroupId", "FromPort",
			"GroupId", "IpProtocol", "ToPort"}
	case typeNetworkACLEntry:
		return []string{"CidrBlock", "Egress", "Icmp", "Ipv6CidrBlock", "NetworkAclId", "PortRange", "Protocol", "RuleAction", "RuleNumber"}
	case typeACLAssociation:
		return []string{"NetworkAclId", "SubnetId"}
	case typeLaunchTemplate:
		return []string{"LaunchTemplateData", "LaunchTemplateName", "TagSpecifications", "VersionDescription"}
	case typeInstance:
		return []string{"AdditionalInfo", "Affinity", "AvailabilityZone", "BlockDeviceMappings", "CpuOptions", "CreditSpecification",
			"DisableApiTermination", "EbsOptimized", "ElasticGpuSpecifications", "ElasticInferenceAccelerators", "EnclaveOptions",
			"HibernationOptions", "HostId", "HostResourceGroupArn", "IamInstanceProfile", "ImageId", "InstanceInitiatedShutdownBehavior",
			"InstanceType", "Ipv6AddressCount", "Ipv6Addresses", "KernelId", "KeyName", "LaunchTemplate", "LicenseSpecifications",
			"MetadataOptions", "Monitoring", "NetworkInterfaces", "PlacementGroupName", "PrivateDnsNameOptions", "PrivateIpAddress",
			"PropagateTagsToVolumeOnCreation", "RamdiskId", "SecurityGroupIds", "SecurityGroups", "SourceDestCheck", "SsmAssociations",
			"SubnetId", "Tags", "Tenancy", "UserData", "Volumes"}
	case typeVPCEndpoint:
		return []string{"DnsOptions", "IpAddressType", "PolicyDocument", "PrivateDnsEnabled", "ResourceConfigurationArn", "RouteTableIds",
			"SecurityGroupIds", "ServiceName", "ServiceNetworkArn", "ServiceRegion", "SubnetIds", "Tags", "VpcEndpointType", "VpcId"}
	case typeASG:
		return []string{"AutoScalingGroupName", "AvailabilityZoneDistribution", "AvailabilityZoneImpairmentPolicy", "AvailabilityZones",
			"CapacityRebalance", "CapacityReservationSpecification", "Context", "Cooldown", "DefaultInstanceWarmup", "DesiredCapacity",
			"DesiredCapacityType", "HealthCheckGracePeriod", "HealthCheckType", "InstanceId", "InstanceLifecyclePolicy",
			"InstanceMaintenancePolicy", "LaunchConfigurationName", "LaunchTemplate", "LifecycleHookSpecificationList", "LoadBalancerNames",
			"MaxInstanceLifetime", "MaxSize", "MetricsCollection", "MinSize", "MixedInstancesPolicy", "NewInstancesProtectedFromScaleIn",
			"NotificationConfiguration", "NotificationConfigurations", "PlacementGroup", "ServiceLinkedRoleARN", "SkipZonalShiftValidation",
			"Tags", "TargetGroupARNs", "TerminationPolicies", "TrafficSources", "VPCZoneIdentifier"}
	case typeLaunchConfig:
		return []string{"AssociatePublicIpAddress", "BlockDeviceMappings", "ClassicLinkVPCId", "ClassicLinkVPCSecurityGroups", "EbsOptimized",
			"IamInstanceProfile", "ImageId", "InstanceId", "InstanceMonitoring", "InstanceType", "KernelId", "KeyName",
			"LaunchConfigurationName", "MetadataOptions", "PlacementTenancy", "RamDiskId", "SecurityGroups", "SpotPrice", "UserData"}
	case typeCluster:
		return []string{"CapacityProviders", "ClusterName", "ClusterSettings", "Configuration", "DefaultCapacityProviderStrategy",
			"ServiceConnectDefaults", "Tags"}
	case typeTaskDefinition:
		return []string{"ContainerDefinitions", "Cpu", "EnableFaultInjection", "EphemeralStorage", "ExecutionRoleArn", "Family",
			"InferenceAccelerators", "IpcMode", "Memory", "NetworkMode", "PidMode", "PlacementConstraints", "ProxyConfiguration",
			"RequiresCompatibilities", "RuntimePlatform", "Tags", "TaskRoleArn", "Volumes"}
	case typeService:
		return []string{"AvailabilityZoneRebalancing", "CapacityProviderStrategy", "Cluster", "DeploymentConfiguration",
			"DeploymentController", "DesiredCount", "EnableECSManagedTags", "EnableExecuteCommand", "ForceNewDeployment",
			"HealthCheckGracePeriodSeconds", "LaunchType", "LoadBalancers", "Monitoring", "NetworkConfiguration",
			"PlacementConstraints", "PlacementStrategies", "PlatformVersion", "PropagateTags", "Role", "SchedulingStrategy", "ServiceConnectConfiguration",
			"ServiceName", "ServiceRegistries", "Tags", "TaskDefinition", "VolumeConfigurations", "VpcLatticeConfigurations"}
	case typeExpressService:
		return []string{"Cluster", "Cpu", "ExecutionRoleArn", "HealthCheckPath", "InfrastructureRoleArn", "Memory",
			"NetworkConfiguration", "PrimaryContainer", "ScalingTarget", "ServiceName", "Tags", "TaskRoleArn"}
	case typeCapacityProvider:
		return []string{"AutoScalingGroupProvider", "ClusterName", "ManagedInstancesProvider", "Name", "Tags"}
	case typeClusterCPAssoc:
		return []string{"CapacityProviders", "Cluster", "DefaultCapacityProviderStrategy"}
	case typeTaskSet:
		return []string{"CapacityProviderStrategy", "Cluster", "ExternalId", "LaunchType", "LoadBalancers", "NetworkConfiguration",
			"PlatformVersion", "Scale", "Service", "ServiceRegistries", "Tags", "TaskDefinition"}
	case typePrimaryTaskSet:
		return []string{"Cluster", "Service", "TaskSetId"}
	case typeDaemonTaskDefinition:
		return []string{"ContainerDefinitions", "Cpu", "ExecutionRoleArn", "Family", "IpcMode", "Memory", "PidMode", "Tags", "TaskRoleArn", "Volumes"}
	case typeDaemon:
		return []string{"CapacityProviderArns", "ClusterArn", "DaemonName", "DaemonTaskDefinitionArn", "DeploymentConfiguration",
			"EnableECSManagedTags", "EnableExecuteCommand", "PropagateTags", "Tags"}
	case typeClassicLB:
		return clbProps
	case typeLoadBalancer:
		return []string{"EnableCapacityReservationProvisionStabilize", "EnablePrefixForIpv6SourceNat",
			"EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", "IpAddressType", "Ipv4IpamPoolId", "LoadBalancerAttributes",
			"MinimumLoadBalancerCapacity", "Name", "Scheme", "SecurityGroups", "SubnetMappings", "Subnets", "Tags", "Type"}
	case typeListener:
		return []string{"AlpnPolicy", "Certificates", "DefaultActions", "ListenerAttributes", "LoadBalancerArn", "MutualAuthentication",
			"Port", "Protocol", "SslPolicy"}
	case typeListenerRule:
		return []string{"Actions", "Conditions", "ListenerArn", "Priority", "Transforms"}
	case typeListenerCertificate:
		return []string{"Certificates", "ListenerArn"}
	case typeTargetGroup:
		return []string{"HealthCheckEnabled", "HealthCheckIntervalSeconds", "HealthCheckPath", "HealthCheckPort", "HealthCheckProtocol",
			"HealthCheckTimeoutSeconds", "HealthyThresholdCount", "IpAddressType", "Matcher", "Name", "Port", "Protocol",
			"ProtocolVersion", "Tags", "TargetGroupAttributes", "TargetType", "Targets", "UnhealthyThresholdCount", "VpcId"}
	case typeStack:
		return []string{"NotificationARNs", "Parameters", "Tags", "TemplateURL", "TimeoutInMinutes"}
	}
	return nil
}

// knownSubProps returns the properties of an object-valued property of a
// supported type, by its path ("DeploymentConfiguration",
// "NetworkConfiguration/AwsvpcConfiguration"), from the type's registry
// schema, where the object has "additionalProperties": false: a key
// outside it fails the stack's validation as a top-level one does, with
// the path in the message ("#/DeploymentConfiguration: extraneous key
// [TriggerHash] is not permitted"). Only the objects listed are checked.
func knownSubProps(typ, path string) []string {
	if typ == typeTaskDefinition {
		// The items of a container's lists of small objects ("[]" is any
		// index: the message names it, "#/ContainerDefinitions/0/Environment/1").
		switch path {
		case "ContainerDefinitions[]/Environment[]":
			return []string{"Name", "Value"}
		case "ContainerDefinitions[]/Secrets[]":
			return []string{"Name", "ValueFrom"}
		case "ContainerDefinitions[]/PortMappings[]":
			return []string{"AppProtocol", "ContainerPort", "ContainerPortRange", "HostPort", "Name", "Protocol"}
		}
		return nil
	}
	if typ != typeService {
		return nil
	}
	switch path {
	case "DeploymentConfiguration":
		return []string{"Alarms", "BakeTimeInMinutes", "CanaryConfiguration", "DeploymentCircuitBreaker", "LifecycleHooks",
			"LinearConfiguration", "MaximumPercent", "MinimumHealthyPercent", "Strategy"}
	case "DeploymentConfiguration/DeploymentCircuitBreaker":
		// ResetOnHealthyTask and ThresholdConfiguration: ECS's
		// configurable circuit breaker of July 2026.
		return []string{"Enable", "ResetOnHealthyTask", "Rollback", "ThresholdConfiguration"}
	case "DeploymentConfiguration/Alarms":
		return []string{"AlarmNames", "Enable", "Rollback"}
	case "DeploymentController":
		return []string{"Type"}
	case "Monitoring":
		// ECS's high-resolution service metrics (June 2026).
		return []string{"MetricConfigurations"}
	case "NetworkConfiguration":
		return []string{"AwsvpcConfiguration"}
	case "NetworkConfiguration/AwsvpcConfiguration":
		return []string{"AssignPublicIp", "SecurityGroups", "Subnets"}
	}
	return nil
}

// unknownProps returns the keys of props (a resource's Properties) that
// its type does not have, with their lines and a did-you-mean hint each,
// and those of the object-valued properties knownSubProps lists.
func unknownProps(typ string, props *node) []unknownProp {
	known := knownProps(typ)
	if known == nil || props == nil {
		return nil
	}
	out := unknownKeys(known, "", props)
	// schema is the path knownSubProps names (list indexes as "[]"),
	// pointer the one the message names (with the indexes).
	var sub func(schema, pointer string, n *node)
	sub = func(schema, pointer string, n *node) {
		if n == nil || isIntrinsicMap(n) {
			return
		}
		if n.kind == listNode {
			if !subPropsUnder(typ, schema+"[]") {
				return
			}
			for i, it := range n.items {
				sub(schema+"[]", pointer+"/"+strconv.Itoa(i), it)
			}
			return
		}
		if n.kind != mapNode {
			return
		}
		if keys := knownSubProps(typ, schema); keys != nil {
			out = append(out, unknownKeys(keys, pointer, n)...)
		} else if !subPropsUnder(typ, schema) {
			return
		}
		for _, f := range n.fields {
			sub(schema+"/"+f.key, pointer+"/"+f.key, f.val)
		}
	}
	for _, f := range props.fields {
		sub(f.key, f.key, f.val)
	}
	return out
}

// subPropsUnder reports whether knownSubProps checks path or an object
// under it.
func subPropsUnder(typ, path string) bool {
	for _, p := range []string{"ContainerDefinitions[]/Environment[]", "ContainerDefinitions[]/Secrets[]", "ContainerDefinitions[]/PortMappings[]"} {
		if typ == typeTaskDefinition && (p == path || strings.HasPrefix(p, path+"/")) {
			return true
		}
	}
	return knownSubProps(typ, path) != nil
}

// isIntrinsicMap reports whether n is a function call ({"Fn::If": …},
// {"Ref": …}), whose value is not known until it is evaluated.
func isIntrinsicMap(n *node) bool {
	return len(n.fields) == 1 && (n.fields[0].key == "Ref" || strings.HasPrefix(n.fields[0].key, "Fn::"))
}

// unknownKeys returns the keys of the map n outside known; path is n's
// place in the resource's properties ("" for the properties themselves).
func unknownKeys(known []string, path string, n *node) []unknownProp {
	var out []unknownProp
	for _, f := range n.fields {
		if contains(known, f.key) {
			continue
		}
		hint := ""
		for _, k := range known {
			if len(f.key) > 64 {
				break
			}
			if strings.EqualFold(k, f.key) || suggest.Distance(strings.ToLower(k), strings.ToLower(f.key)) <= 2 {
				hint = " (did you mean " + k + "?)"
				break
			}
		}
		out = append(out, unknownProp{key: f.key, path: path, line: f.line, hint: hint})
	}
	return out
}

// unknownProp is a property key a resource type does not have; path is
// the object it was written in ("" for the resource's properties).
type unknownProp struct {
	key, hint, path string
	line            int
}

// pointer is the JSON pointer CloudFormation's schema validation names
// the key's object by: "#" or "#/DeploymentConfiguration".
func (u unknownProp) pointer() string {
	if u.path == "" {
		return "#"
	}
	return "#/" + u.path
}

// name is the key with its path, as the analyzer's warning names it.
func (u unknownProp) name() string {
	if u.path == "" {
		return u.key
	}
	return strings.ReplaceAll(u.path, "/", ".") + "." + u.key
}

// legacyPropsType reports whether CloudFormation checks typ's properties
// itself when it creates the resource ("Encountered unsupported property
// X", aws/aws-sdk#740) rather than against the type's registry schema
// before the stack creates anything.
func legacyPropsType(typ string) bool { return typ == typeStack }

// validateProps fails the first resource of order (those to create) whose
// properties include a key its type does not have, as CloudFormation's
// validation of a stack's resources against their schemas does before it
// creates any: "Properties validation failed for resource X with
// message: [#: extraneous key [K] is not permitted]".
func (s *stack) validateProps(order []*resource) error {
	for _, r := range order {
		if legacyPropsType(r.def.typ) {
			continue
		}
		if _, ok := handlerFor(r.def.typ); !ok {
			continue
		}
		bad := unknownProps(r.def.typ, r.def.props)
		if len(bad) == 0 {
			continue
		}
		msgs := make([]string, len(bad))
		for i, u := range bad {
			msgs[i] = u.pointer() + ": extraneous key [" + u.key + "] is not permitted"
		}
		return &Error{File: s.file, Line: bad[0].line, Resource: r.def.name, Type: r.def.typ, Stack: s.trail,
			Msg: "Properties validation failed for resource " + r.def.name + " with message: [" + strings.Join(msgs, ", ") + "]", Validation: true}
	}
	return nil
}

// checkProps warns about properties a supported type does not have (or,
// with strict properties, fails a legacy type's resource as CloudFormation
// does when it creates it).
func (s *stack) checkProps(r *resource, props *node) error {
	for _, u := range unknownProps(r.def.typ, props) {
		if s.l.strictProps && legacyPropsType(r.def.typ) {
			return &Error{File: s.file, Line: u.line, Resource: r.def.name, Type: r.def.typ, Stack: s.trail,
				Msg: "Encountered unsupported property " + u.key}
		}
		s.warnf(u.line, "%s (%s): %s is not a property of %s%s; CloudFormation rejects it (%s: extraneous key [%s] is not permitted), ecsnet ignores it",
			r.def.name, r.def.typ, u.name(), r.def.typ, u.hint, u.pointer(), u.key)
	}
	return nil
}
