package reach

// Explanation codes of AWS VPC Reachability Analyzer that ecsnet emits
// with the same meaning (https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html;
// reachability-analyzers.md §1.3).
const (
	CodeSGRulesMismatch         = "ENI_SG_RULES_MISMATCH"
	CodeSubnetACLRestriction    = "SUBNET_ACL_RESTRICTION"
	CodeNoRouteToDestination    = "NO_ROUTE_TO_DESTINATION"
	CodeBadStateRoute           = "BAD_STATE_ROUTE"
	CodeBadState                = "BAD_STATE"
	CodeCannotRoute             = "CANNOT_ROUTE"
	CodeIGWPrivateIPIngress     = "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
	CodeIGWPublicIPEgress       = "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
	CodeListenerHasNoTG         = "ELBV2_LISTENER_HAS_NO_TG"
	CodeListenerPortRestriction = "ELBV2_LISTENER_PORT_RESTRICTION"
	CodeNoTargetsInAZ           = "ELBV2_NO_TARGETS_IN_AZ"
	CodeTargetPortRestriction   = "TARGET_PORT_RESTRICTION"
	CodeUnsupportedComponent    = "UNSUPPORTED_COMPONENT"
	CodeRemapEphemeralPort      = "REMAP_EPHEMERAL_PORT"
	CodePCXAddressNotInVpcCIDR  = "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"
	// CodeENISourceDestCheck: a route sends the packet to an instance (a
	// NAT instance) whose ENI checks source and destination, so it drops
	// what is not addressed to it.
	CodeENISourceDestCheck = "ENI_SOURCE_DEST_CHECK_RESTRICTION"
	// Transit gateways: an attachment with no route table association,
	// a sender's zone without an attachment subnet, no route in the
	// transit gateway route table, a blackhole route there.
	CodeTGWAttachNoRTB         = "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION"
	CodeTGWAttachAZRestriction = "TGW_ATTACH_VPC_AZ_RESTRICTION"
	CodeTGWRTBCannotRoute      = "TGW_RTB_CANNOT_ROUTE"
	CodeTGWRTBBadStateRoute    = "TGW_RTB_BAD_STATE_ROUTE"
	// Additional-detail codes (informational).
	CodePreserveClientIPEnabled  = "ASSUMPTION_PRESERVE_CLIENT_IP_IS_ENABLED"
	CodePreserveClientIPDisabled = "ASSUMPTION_PRESERVE_CLIENT_IP_IS_DISABLED"
)

// ecsnet's own codes, for what Reachability Analyzer does not see (it
// stops at the ENI and knows no ECS, no sockets, no HTTP status).
const (
	// CodePortOnTaskENI: an instance address was probed on a port that an
	// awsvpc task of that instance listens on, on its own ENI.
	CodePortOnTaskENI = "ECS_PORT_ON_TASK_ENI"
	// CodeNoHostPortBinding: a bridge task's container port is published
	// on another host port (or not at all).
	CodeNoHostPortBinding = "ECS_NO_HOST_PORT_BINDING"
	// CodeBridgeContainerAddress: a client outside a container instance
	// sent to an address of the instance's Docker bridge network (docker0,
	// 172.17.0.0/16 by default), where bridge-mode containers get their
	// addresses: that network exists only inside each instance, so the
	// VPC routes the address as one outside it (a peer advertising its
	// container address: Consul's, Hazelcast's, Akka's cluster address).
	// The container is reached at its instance's address and host port.
	CodeBridgeContainerAddress = "ECS_BRIDGE_CONTAINER_ADDRESS"
	// CodeAppBoundToLoopback: the application listens on 127.0.0.1 only.
	CodeAppBoundToLoopback = "ECS_APP_BOUND_TO_LOOPBACK"
	// CodeAppPortMismatch: a port mapping's container port is not a port
	// the container's application listens on (it reads PORT=8080 behind
	// "containerPort": 80): Docker or the ENI takes the connection to a
	// port where nothing listens, and it is reset. ECS cannot see it; the
	// load balancer reports the target unhealthy (Target.FailedHealthChecks)
	// and answers 502 when it fails open.
	CodeAppPortMismatch = "ECS_APP_PORT_MISMATCH"
	// CodeTaskNotRunning: the task that would listen is not RUNNING.
	CodeTaskNotRunning = "ECS_TASK_NOT_RUNNING"
	// CodeNoListener: nothing listens on the destination port.
	CodeNoListener = "ECS_NO_LISTENER"
	// CodeAwsvpcNoPublicIP: an awsvpc task on EC2 was addressed from the
	// internet; its ENI never has a public IP.
	CodeAwsvpcNoPublicIP = "ECS_AWSVPC_EC2_NO_PUBLIC_IP"
	// CodeTaskNoPublicIP: a Fargate task without assignPublicIp was
	// addressed from the internet.
	CodeTaskNoPublicIP = "ECS_ASSIGN_PUBLIC_IP_DISABLED"
	// CodeTaskPrivateAddress: a task that has a public IP was addressed
	// from the internet by its private address.
	CodeTaskPrivateAddress = "ECS_TASK_PRIVATE_ADDRESS"
	// CodeNetworkModeNone: the task uses network mode none.
	CodeNetworkModeNone = "ECS_NETWORK_MODE_NONE"
	// CodeDocker0Overlap: a container instance (or a bridge or host mode
	// task on it) sends to an address in Docker's default bridge network,
	// 172.17.0.0/16, outside its own subnet: the host's route
	// "172.17.0.0/16 dev docker0" takes the packet to the bridge, never to
	// the VPC. Set the Docker daemon's "bip" in the instance's user data,
	// or use awsvpc mode.
	CodeDocker0Overlap = "ECS_DOCKER0_CIDR_OVERLAP"
	// CodeAddressNotAssigned: no ENI holds the private destination address.
	CodeAddressNotAssigned = "ECS_ADDRESS_NOT_ASSIGNED"
	// CodeNoRegisteredTargets: the target group has no registered targets
	// (the ALB answers 503).
	CodeNoRegisteredTargets = "ECS_NO_REGISTERED_TARGETS"
	// CodeALBFailOpen: every target is unhealthy, so the load balancer
	// sends requests to all of them (informational).
	CodeALBFailOpen = "ECS_LB_FAIL_OPEN"
	// CodeEgressOnlyInbound: the internet tried to start an IPv6
	// connection to an ENI whose subnet reaches the internet only
	// through an egress-only internet gateway.
	CodeEgressOnlyInbound = "ECS_EGRESS_ONLY_IGW_INBOUND"
	// CodeNoIPv6Address: an IPv6 probe's source or destination ENI has
	// no IPv6 address.
	CodeNoIPv6Address = "ECS_NO_IPV6_ADDRESS"
	// CodeIPv6PathFound: a Network Insights path not found over IPv4
	// (Reachability Analyzer analyzes IPv4 only) exists over IPv6.
	CodeIPv6PathFound = "ECS_IPV6_PATH_FOUND"
	// CodeNATNoInbound: a connection was addressed to a NAT gateway.
	CodeNATNoInbound = "ECS_NAT_GATEWAY_NO_INBOUND"
	// CodeInternalLB: an internal load balancer was addressed from the
	// internet.
	CodeInternalLB = "ECS_LB_INTERNAL"
	// CodeLBNoPublicIPv4: an internet-facing load balancer of IP address
	// type dualstack-without-public-ipv4 was addressed over IPv4 from the
	// internet: its nodes have no public IPv4 address (it is not internal,
	// and making it so is no fix).
	CodeLBNoPublicIPv4 = "ECS_LB_NO_PUBLIC_IPV4"
	// CodeReturnRouteMismatch: the reply leaves by another gateway than the
	// request came in by, so the client drops it.
	CodeReturnRouteMismatch = "ECS_RETURN_ROUTE_MISMATCH"
	// CodeTargetTypeMismatch: a target group's target type does not fit
	// the task's network mode.
	CodeTargetTypeMismatch = "ECS_TARGET_TYPE_MISMATCH"
	// CodeLBNoICMP: a load balancer was pinged; its nodes answer no ICMP
	// echo request and forward none to targets.
	CodeLBNoICMP = "ECS_LB_NO_ICMP"
	// CodeEndpointPort: an interface endpoint was probed on a port other
	// than 443.
	CodeEndpointPort = "ECS_ENDPOINT_PORT"
	// CodeListenerRule: which ALB listener rule the request matched
	// (informational).
	CodeListenerRule = "ECS_LB_RULE_MATCHED"
	// CodeNoRuleMatched: an ALB request matched none of the listener's
	// rules and its default action answers with an error status.
	CodeNoRuleMatched = "ECS_LB_NO_RULE_MATCHED"
	// CodeRuleShadowed: the target answered an ALB request with 404, and a
	// later listener rule that also matches the request forwards to another
	// target group: the earlier rule (a lower priority number) shadows it.
	CodeRuleShadowed = "ECS_LB_RULE_SHADOWED"
	// CodePathNotRewritten: the target answered an ALB request with 404 on
	// the path it came with, and serves that path without the prefix of the
	// matched rule's path pattern: a path condition chooses a rule, it does
	// not strip the prefix.
	CodePathNotRewritten = "ECS_LB_PATH_NOT_REWRITTEN"
	// CodeTransformFailed: the matched rule's transforms rewrote an ALB
	// request into none a target can get (a URL without its leading /, an
	// empty host): the load balancer answers 500 itself.
	CodeTransformFailed = "ECS_LB_TRANSFORM_FAILED"
	// CodeGWLBInspected: a route sent the packet to a Gateway Load Balancer
	// endpoint; the appliances behind the GWLB returned it (informational).
	CodeGWLBInspected = "ECS_GWLB_INSPECTED"
	// CodeGWLBNoHealthyTargets: a route sent the packet to a Gateway Load
	// Balancer endpoint whose GWLB has no healthy appliance to send it to.
	CodeGWLBNoHealthyTargets = "ECS_GWLB_NO_HEALTHY_TARGETS"
	// CodeGWLBGeneveBlocked: the GWLB's healthy appliance does not get its
	// GENEVE packets (UDP 6081): a security group or network ACL drops them.
	CodeGWLBGeneveBlocked = "ECS_GWLB_GENEVE_BLOCKED"
	// CodeApplianceAsymmetric: a reply reaches a stateful inspection point
	// (an appliance instance, a Gateway Load Balancer or Network Firewall
	// endpoint of an inspection VPC) other than the one its request went
	// through, and is dropped: typically a transit gateway without
	// appliance mode, keeping each direction in its sender's zone. Or the
	// reply reaches its client around a stateful point its request went
	// through (the client VPC's own firewall endpoint when the reply comes
	// in at the transit gateway attachment, an inspection VPC a peering
	// connection's more specific route takes the reply around): the
	// engine saw one direction and drops the rest of the connection.
	CodeApplianceAsymmetric = "ECS_APPLIANCE_ASYMMETRIC_ROUTING"
	// CodeIngressAsymmetric: a flow between the internet and a subnet
	// goes through a Gateway Load Balancer or Network Firewall endpoint
	// of the VPC one way only: the internet gateway's route table (edge
	// association) and the subnet's route table do not both send it
	// through the same endpoint, so the stateful appliance or firewall
	// sees one direction and drops the flow. Route the other direction
	// through the endpoint: the gateway route table's route for the
	// subnet's range, or the subnet's route to the internet.
	CodeIngressAsymmetric = "ECS_INGRESS_ROUTING_ASYMMETRIC"
	// CodeNetworkFirewallDrop: an AWS Network Firewall endpoint drops the
	// packet: a stateless rule or the stateless default action (each
	// packet, replies too), or a stateful rule or the stateful default
	// action of strict order (the flow). Pass the flow by a rule before
	// the one that drops it, or send its route past the firewall.
	CodeNetworkFirewallDrop = "ECS_NETWORK_FIREWALL_DROP"
	// CodeNetworkFirewallUndecided: an AWS Network Firewall's stateful
	// rules pass or drop the flow depending on what it carries that the
	// probe does not know: the TLS SNI or HTTP Host (a probe by address),
	// or a content match of the payload. Probe by the name the client
	// uses, or make the rule's 5-tuple decide.
	CodeNetworkFirewallUndecided = "ECS_NETWORK_FIREWALL_DEPENDS_ON_CONTENT"
	// CodeFixedResponse: the listener answers itself (informational).
	CodeFixedResponse = "ECS_LB_FIXED_RESPONSE"
	// CodeClassicNoInService: no instance a Classic Load Balancer node
	// sends to is InService (503 for HTTP and HTTPS listeners; no fail-open).
	CodeClassicNoInService = "ECS_CLB_NO_INSTANCE_IN_SERVICE"
	// CodeClassicDynamicPort: a bridge task behind a Classic Load Balancer
	// publishes its container port on a dynamic host port, which the load
	// balancer's one instance port never reaches.
	CodeClassicDynamicPort = "ECS_CLB_DYNAMIC_HOST_PORT"
	// CodeVPCBlockPublicAccess: the account's VPC Block Public Access mode
	// drops the packet at the internet gateway (or the egress-only
	// gateway, or the NAT gateway's internet gateway), for the subnet it
	// crosses has no exclusion that allows it (security-vpc-bpa.html).
	// ecsnet's own code: the explanation names the mode and the missing
	// exclusion.
	CodeVPCBlockPublicAccess = "VPC_BLOCK_PUBLIC_ACCESS"
)

// Lint finding codes (Lint); some reuse the codes above.
const (
	CodeAwsvpcPublicInstance   = "ECS_AWSVPC_PUBLIC_INSTANCE"
	CodePublicSubnetNoPublicIP = "ECS_PUBLIC_SUBNET_NO_PUBLIC_IP"
	CodeTaskSGBlocksLB         = "ECS_TASK_SG_BLOCKS_LB"
	CodeDynamicPortsBlocked    = "ECS_DYNAMIC_PORTS_BLOCKED"
	CodeNACLEphemeralReturn    = "ECS_NACL_EPHEMERAL_RETURN"
	CodeENICapacity            = "ECS_ENI_CAPACITY"
	CodePortConflict           = "ECS_HOST_PORT_CONFLICT"
	// CodePlacementZone: an awsvpc service on EC2 whose subnets are in
	// no Availability Zone of its cluster's container instances (the
	// placement reason "LOCATION"): no task is placed.
	CodePlacementZone = "ECS_NO_INSTANCE_IN_SUBNET_ZONE"
	// CodeSubnetNoFreeAddresses: an awsvpc service whose subnets have no
	// free IPv4 address left for another task's network interface (the
	// tasks share them with load balancer nodes, endpoints and other
	// services): ECS places no more tasks, and the service stays below its
	// desired count.
	CodeSubnetNoFreeAddresses = "ECS_SUBNET_NO_FREE_ADDRESSES"
	CodeTrunkingUnsupported   = "ECS_TRUNKING_UNSUPPORTED"
	CodeTargetUnhealthy       = "ECS_TARGET_UNHEALTHY"
	CodeLBSubnetsMissTargetAZ = "ELBV2_NO_TARGETS_IN_AZ"
	CodeNLBClientIPNotAllowed = "ECS_NLB_CLIENT_IP_NOT_ALLOWED"
	// CodeNLBHairpin: an NLB that preserves the client's address sends a
	// target's own connection back to it (source = destination): it
	// times out.
	CodeNLBHairpin = "ECS_NLB_HAIRPIN"
	// CodeLBPrivateSubnet: an internet-facing load balancer has a node in
	// a subnet whose default route is not an internet gateway: the
	// client's SYN arrives, the reply leaves by another way and is lost.
	CodeLBPrivateSubnet = "ELBV2_INTERNET_FACING_PRIVATE_SUBNET"
	// CodeLBBypass: a task behind a load balancer also answers the
	// internet straight on its public address, past the load balancer's
	// listeners, rules, TLS and security group.
	CodeLBBypass = "ECS_LB_BYPASSED"
	// CodeLBListenerClosed: none of a load balancer's security groups
	// admits its listener's protocol and port from any source, so no
	// client reaches the listener (from the internet or the VPC), while
	// the health checks it sends its targets pass.
	CodeLBListenerClosed = "ECS_LB_SG_CLOSES_LISTENER"
	// CodeSGRuleUnknownSource: no known rule of a network interface's
	// security groups allows a packet, but a rule whose source (or
	// destination) is unknown at analysis time covers its protocol and
	// port: the verdict is unknown, not a drop.
	CodeSGRuleUnknownSource = "ECS_SG_RULE_SOURCE_UNKNOWN"
	// CodeLBListenerUndecided (info): no known rule of a load balancer's
	// security groups admits a listener's port, but one whose source is
	// unknown at analysis time (a Terraform variable without a value) may:
	// whether the listener is reachable is unknown, not closed.
	CodeLBListenerUndecided = "ECS_LB_SG_LISTENER_UNDECIDED"
	// CodeServiceConnectUnmodelled: a service has a Service Connect
	// configuration whose details its source did not give (or whose
	// namespace ecsnet does not know), so its endpoints are not modelled.
	CodeServiceConnectUnmodelled = "ECS_SERVICE_CONNECT_UNMODELLED"
	// CodeServiceConnectNoProxy: a Service Connect endpoint name asked
	// from a source that runs no Service Connect proxy of the endpoint's
	// namespace (a standalone task, an instance, a task of a service
	// without Service Connect or in another namespace): it does not
	// resolve.
	CodeServiceConnectNoProxy = "ECS_SERVICE_CONNECT_CLIENT_NOT_IN_NAMESPACE"
	// CodeServiceConnectDiscoveryName: a Service Connect endpoint's
	// discovery name (the Cloud Map service ECS created) asked where the
	// endpoint has client aliases of other names: tasks resolve only the
	// aliases' dnsNames, at the aliases' ports.
	CodeServiceConnectDiscoveryName = "ECS_SERVICE_CONNECT_DISCOVERY_NAME"
	// CodeDesiredCountZero: the service that registers targets in the
	// target group has desiredCount 0, so ECS wants no task and the
	// target group stays empty (the load balancer answers 503).
	CodeDesiredCountZero = "ECS_SERVICE_DESIRED_COUNT_ZERO"
	// CodeServiceNotSteady: a service runs fewer tasks than it wants and
	// is stuck so (a placement failure, tasks that stop before they run,
	// a capacity provider whose Auto Scaling group cannot launch), for a
	// reason no other finding names: a deployment would wait for it
	// (CloudFormation fails the stack, Terraform's wait_for_steady_state
	// times out).
	CodeServiceNotSteady = "ECS_SERVICE_NOT_STEADY"
	// CodeTaskRoleUntrusted: ECS cannot assume the task definition's
	// execution role or task role (the role does not exist, or its trust
	// policy does not name ecs-tasks.amazonaws.com), so it launches no
	// task of the service ("failed to launch a task with (error ECS was
	// unable to assume the role …)").
	CodeTaskRoleUntrusted = "ECS_TASK_ROLE_UNTRUSTED"
)

// Start-path codes: why tasks cannot start or instances cannot register
// (StartFailure). They are ecsnet's; AWS reports the same failures as a
// task's stoppedReason or the ECS agent's log.
const (
	// CodeImageRefInvalid: a container's image is not a valid image
	// reference (an ECR repository ARN, an uppercase repository, a bad
	// tag or digest): the pull fails before any connection.
	CodeImageRefInvalid = "ECS_IMAGE_REFERENCE_INVALID"
	// CodeImagePullFailed: the ENI that pulls the image cannot reach the
	// registry (ECR: ecr.api, ecr.dkr, S3; others: the internet).
	CodeImagePullFailed = "ECS_IMAGE_PULL_FAILED"
	// CodeScheduledTaskRefused: an EventBridge rule's ECS target asks for
	// a RunTask that ECS refuses (an awsvpc task definition targeted
	// without NetworkConfiguration): every invocation fails
	// (FailedInvocations) and no task ever starts.
	CodeScheduledTaskRefused = "ECS_SCHEDULED_TASK_REFUSED"
	// CodeImageRepositoryNotFound: a container's image names a repository
	// of the account's own ECR registry (its region) that does not exist,
	// where the state holds the account's repositories (the emulator's
	// account once it has any; a template or configuration that manages
	// repositories): the registry answers 404 and the pull fails.
	CodeImageRepositoryNotFound = "ECS_IMAGE_REPOSITORY_NOT_FOUND"
	// CodeImageTagNotFound: a container's image names a repository of the
	// account's own ECR registry that exists and records its images, none
	// of them with the image's tag (or digest): the registry answers the
	// manifest with 404 and the pull fails.
	CodeImageTagNotFound = "ECS_IMAGE_TAG_NOT_FOUND"
	// CodeVPCDNSOff: the VPC's enableDnsSupport is false and it uses the
	// Amazon-provided DNS server, which then does not answer: no name on a
	// start path resolves (the finding that blocks the start path), and a
	// probe by name from the VPC gets no address (verdict nxdomain).
	CodeVPCDNSOff = "ECS_VPC_DNS_RESOLUTION_OFF"
	// CodeDNSServerUnreachable: the VPC's DHCP options give DNS servers
	// of its own (IP addresses) and the client cannot reach any of them on
	// udp/53 (a security group, network ACL or route drops the query): a
	// probe by name gets no address (verdict nxdomain).
	CodeDNSServerUnreachable = "ECS_DNS_SERVER_UNREACHABLE"
	// CodeSecretsUnreachable: the task's secrets (Secrets Manager or SSM
	// Parameter Store) cannot be fetched.
	CodeSecretsUnreachable = "ECS_SECRETS_UNREACHABLE"
	// CodeEnvFilesUnreachable: the task's environment files
	// (environmentFiles, S3 objects) cannot be downloaded: no path to S3
	// (a gateway endpoint, a NAT gateway, or a public IP), or the S3
	// gateway endpoint's policy refuses the file's GetObject.
	CodeEnvFilesUnreachable = "ECS_ENV_FILES_UNREACHABLE"
	// CodeFireLensConfigUnreachable: the FireLens configuration file of
	// a task on EC2 (firelensConfiguration config-file-type s3) cannot be
	// downloaded by the container instance's agent: no path to S3, or
	// the S3 gateway endpoint's policy refuses its GetObject.
	CodeFireLensConfigUnreachable = "ECS_FIRELENS_CONFIG_UNREACHABLE"
	// CodeEFSMountUnreachable: a task's EFS volume cannot be mounted: the
	// ENI that mounts it cannot connect to the file system's mount target
	// in its Availability Zone on TCP 2049 (a security group or network
	// ACL on the way, either direction).
	CodeEFSMountUnreachable = "ECS_EFS_MOUNT_UNREACHABLE"
	// CodeEFSNoMountTarget: a task's EFS file system has no available
	// mount target in the task's Availability Zone and VPC (or does not
	// exist, or the VPC lacks DNS resolution or DNS hostnames): its DNS
	// name does not resolve and the mount fails.
	CodeEFSNoMountTarget = "ECS_EFS_NO_MOUNT_TARGET"
	// CodeEFSAccessPointMismatch: a task's EFS volume names an access point
	// that does not exist or belongs to another file system.
	CodeEFSAccessPointMismatch = "ECS_EFS_ACCESS_POINT_MISMATCH"
	// CodeLogsUnreachable: the awslogs driver cannot reach CloudWatch Logs.
	CodeLogsUnreachable = "ECS_LOGS_UNREACHABLE"
	// CodeLogDriverUnreachable: a container's log driver that connects
	// to its destination when the container starts (splunk's HTTP Event
	// Collector) cannot reach it: the container does not start.
	CodeLogDriverUnreachable = "ECS_LOG_DRIVER_UNREACHABLE"
	// CodeLogGroupNotFound: a container's awslogs driver writes to a log
	// group that does not exist (and awslogs-create-group is not true):
	// CloudWatch Logs refuses the log stream and the task stops,
	// TaskFailedToStart. Known where the state lists every log group (the
	// emulator, CloudFormation stacks, Terraform configurations).
	CodeLogGroupNotFound = "ECS_LOG_GROUP_NOT_FOUND"
	// CodeLogGroupCreateDenied: a container's awslogs-create-group is
	// true and the task execution role may not call logs:CreateLogGroup
	// (the AWS managed AmazonECSTaskExecutionRolePolicy does not allow
	// it): the driver fails, even when the group exists, and the task
	// stops, TaskFailedToStart.
	CodeLogGroupCreateDenied = "ECS_LOG_GROUP_CREATE_DENIED"
	// CodeAgentCannotRegister: the ECS agent on a container instance cannot
	// reach the ECS endpoints, so the instance never registers.
	CodeAgentCannotRegister = "ECS_AGENT_CANNOT_REGISTER"
	// CodeAgentNoCredentials: the ECS agent on a container instance has no
	// credentials for ECS (no instance profile, a profile without a role)
	// or its role does not allow ecs:RegisterContainerInstance, so the
	// instance never registers.
	CodeAgentNoCredentials = "ECS_AGENT_NO_CREDENTIALS"
	// CodeAgentDisconnected: the ECS agent registers its container
	// instance through the ecs endpoint but cannot reach its communication
	// service (ACS, the ecs-agent endpoint): the instance shows
	// agentConnected false and ECS places no task on it.
	CodeAgentDisconnected = "ECS_AGENT_DISCONNECTED"
	// CodeCloudMapZoneNotAssociated: a Cloud Map private DNS namespace's
	// name asked from a VPC its hosted zone is not associated with: the
	// Route 53 Resolver answers NXDOMAIN.
	CodeCloudMapZoneNotAssociated = "ECS_CLOUD_MAP_ZONE_NOT_ASSOCIATED"
	// CodePrivateZoneDNSOff: a Cloud Map private DNS namespace's name
	// asked from a VPC its hosted zone is associated with, but whose
	// enableDnsHostnames or enableDnsSupport is false: Route 53 answers
	// from a private hosted zone only when both are true (NXDOMAIN).
	CodePrivateZoneDNSOff = "ECS_PRIVATE_ZONE_VPC_DNS_OFF"
	// CodePrivateZoneCustomDNS: a Cloud Map private DNS namespace's name
	// asked from a VPC whose DHCP options give DNS servers of its own that
	// do not forward to the Route 53 Resolver: they never see the private
	// hosted zone (NXDOMAIN).
	CodePrivateZoneCustomDNS = "ECS_PRIVATE_ZONE_CUSTOM_DNS"
	// CodeTargetTLSMismatch: a target group's protocol is not the one
	// its targets' application speaks: HTTPS to plain HTTP fails the TLS
	// handshake (502), plain HTTP to a TLS port is answered 400.
	CodeTargetTLSMismatch = "ECS_TARGET_TLS_MISMATCH"
	// CodeProxyProtocolMismatch: a Network Load Balancer's target group
	// sends a proxy protocol v2 header (proxy_protocol_v2.enabled) to an
	// application that does not expect one (it answers 400), or sends
	// none to one that does (it closes the connection unanswered).
	CodeProxyProtocolMismatch = "ECS_NLB_PROXY_PROTOCOL_MISMATCH"
	// CodeNLBTLSTargetHandshake: a Network Load Balancer's target group
	// of protocol TLS opens a TLS connection to a target whose application
	// does not speak TLS: the handshake fails and the client's connection
	// is reset (refused), while a TCP health check (a TLS group's default)
	// keeps the target healthy.
	CodeNLBTLSTargetHandshake = "ECS_NLB_TLS_TARGET_HANDSHAKE"
	// CodeClassicProxyProtocolMismatch: a Classic Load Balancer sends a
	// proxy protocol v1 line (a ProxyProtocolPolicyType policy on the
	// instance port, TCP and SSL back ends) to an application that does
	// not expect one (it answers 400), or sends none to one that does (it
	// closes the connection; behind an HTTP listener the load balancer
	// answers 502, and HTTP health checks, which never carry the header,
	// fail).
	CodeClassicProxyProtocolMismatch = "ECS_CLB_PROXY_PROTOCOL_MISMATCH"
	// CodePlacementMissingAttribute: ECS places no task of the service on
	// the cluster's container instances, which lack an attribute its task
	// definition requires (requiresAttributes: a task role in the host
	// network mode needs ecs.capability.task-iam-role-network-host, which
	// the agent registers unless ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST is
	// false).
	CodePlacementMissingAttribute = "ECS_PLACEMENT_MISSING_ATTRIBUTE"
	// CodeIPv6OnlyNoNAT64: an interface of an IPv6-only subnet calls an
	// IPv4-only destination without DNS64 on the subnet, or without a
	// route of 64:ff9b::/96 to a NAT gateway (NAT64).
	CodeIPv6OnlyNoNAT64 = "ECS_IPV6_ONLY_NO_NAT64"
	// CodeNAT64 (a note): DNS64 and a NAT gateway carry an IPv6-only
	// subnet's connection to an IPv4 address.
	CodeNAT64 = "ECS_NAT64"
	// CodeRegionalNATZoneNotServed: a route sends the packet to a
	// regional NAT gateway that has no address in the source's zone (in
	// manual mode it serves only the zones of its
	// AvailabilityZoneAddresses): it translates nothing from there.
	CodeRegionalNATZoneNotServed = "ECS_REGIONAL_NAT_ZONE_NOT_SERVED"
	// CodePlainHTTPToHTTPSListener: a client sends plain HTTP (an
	// http:// URL) to a load balancer's HTTPS listener, which answers
	// 400 ("The plain HTTP request was sent to HTTPS port"), or to a
	// Network Load Balancer's TLS listener, which fails the handshake and
	// resets the connection (refused).
	CodePlainHTTPToHTTPSListener = "ECS_PLAIN_HTTP_TO_HTTPS_LISTENER"
	// CodeLBProtocolVersionMismatch: an HTTP/1.1 request forwarded to a
	// target group of protocol version HTTP2 or GRPC: the ALB answers 464.
	CodeLBProtocolVersionMismatch = "ECS_LB_PROTOCOL_VERSION_MISMATCH"
	// CodeCloudMapSRVOnly: a Cloud Map name with SRV records only (bridge
	// and host tasks) looked up as an address (A): Route 53 answers none.
	CodeCloudMapSRVOnly = "ECS_CLOUD_MAP_SRV_ONLY"
	// CodeCloudMapNoInstance: the name of a Cloud Map service none of
	// whose ECS service's tasks runs: ECS registers only RUNNING tasks
	// (and deregisters a task that stops), so the service has no instance
	// and its name no record, and the Route 53 Resolver answers NXDOMAIN.
	CodeCloudMapNoInstance = "ECS_CLOUD_MAP_NO_INSTANCE"
	// CodeCloudMapHTTPNamespace: the name of a Cloud Map service in an
	// HTTP namespace (or an HTTP service): it has no hosted zone and no
	// DNS records, so its instances are found only with DiscoverInstances
	// and the Route 53 Resolver answers NXDOMAIN.
	CodeCloudMapHTTPNamespace = "ECS_CLOUD_MAP_HTTP_NAMESPACE"
	// CodeEndpointPolicyDenied: a VPC endpoint's policy does not allow a
	// request of the start path (the S3 gateway endpoint's policy and
	// ECR's layer bucket or the task's environment file): the connection
	// is made, the service answers 403 Forbidden.
	CodeEndpointPolicyDenied = "ECS_VPC_ENDPOINT_POLICY_DENIED"
	// CodeEndpointLegacyName (a note): the client calls an AWS service by
	// a legacy or global name (SQS's REGION.queue.amazonaws.com, STS's
	// sts.amazonaws.com) that the VPC's interface endpoint for the
	// service does not answer: only the Regional name resolves to the
	// endpoint, so the call goes to the public addresses.
	CodeEndpointLegacyName = "ECS_ENDPOINT_LEGACY_NAME"
	// CodeTasksStopped: the tasks a target group waits for stopped (with
	// their stoppedReason).
	CodeTasksStopped = "ECS_TASKS_STOPPED"
	// CodeKeepAliveShorterThanIdle: an Application Load Balancer's
	// target closes idle keep-alive connections sooner than the load
	// balancer's idle timeout: the load balancer sends a request on a
	// connection the target is closing, and answers 502 now and then
	// (informational on a probe that succeeds; a warning of lint).
	CodeKeepAliveShorterThanIdle = "ECS_TARGET_KEEPALIVE_SHORTER_THAN_LB_IDLE_TIMEOUT"
	// CodeTargetResponseSlow: the target takes longer to answer the
	// request than the load balancer's idle timeout (an Application or
	// Classic Load Balancer): the load balancer answers 504.
	CodeTargetResponseSlow = "ECS_TARGET_RESPONSE_SLOWER_THAN_LB_IDLE_TIMEOUT"
	// CodeSMTPPort25Restricted: a TCP connection to port 25 on the
	// internet from an instance or a task: EC2 restricts port 25 by
	// default, so it times out.
	CodeSMTPPort25Restricted = "ECS_SMTP_PORT_25_RESTRICTED"
	// CodeAPIGatewayPublicThroughEndpoint: a call of an API Gateway API's
	// default invoke name from a VPC whose execute-api interface endpoint
	// has private DNS goes through the endpoint, which answers a public
	// API's call with 403 Forbidden.
	CodeAPIGatewayPublicThroughEndpoint = "ECS_APIGW_PUBLIC_API_THROUGH_ENDPOINT"
	// CodeTaskStoppedBeforeReady: a service's application takes longer to
	// listen than its target group and health check grace period allow:
	// ECS stops each task before it listens ("Task failed ELB health
	// checks"), so connections are refused.
	CodeTaskStoppedBeforeReady = "ECS_TASK_STOPPED_BEFORE_APP_READY"
	// CodeALBIdPUnreachable: an ALB whose listener authenticates
	// (authenticate-oidc, authenticate-cognito) cannot reach the identity
	// provider's token endpoint from its nodes: the IdP's redirect back
	// (/oauth2/idpresponse) gets 500.
	CodeALBIdPUnreachable = "ECS_ALB_IDP_UNREACHABLE"
	// CodePrivateLinkSource: a connection through an interface endpoint
	// to an endpoint service of Network Load Balancers (AWS PrivateLink)
	// reaches the target from the load balancer's private address, not
	// the client's (informational).
	CodePrivateLinkSource = "ECS_PRIVATELINK_SOURCE_IS_NLB"
	// CodePrivateLinkNotAccepted (lint): an interface endpoint to an
	// endpoint service that waits for acceptance (pendingAcceptance) or
	// was rejected carries no connection.
	CodePrivateLinkNotAccepted = "ECS_PRIVATELINK_ENDPOINT_NOT_ACCEPTED"
	// CodePrivateLinkZoneNotServed (lint): an interface endpoint's
	// network interface is in a zone where no load balancer of its
	// endpoint service has a node.
	CodePrivateLinkZoneNotServed = "ECS_PRIVATELINK_ZONE_NOT_SERVED"
	// CodePrivateLinkEndpointClosed (lint): no security group of an
	// interface endpoint to an endpoint service admits the service's
	// listener port from any source.
	CodePrivateLinkEndpointClosed = "ECS_PRIVATELINK_ENDPOINT_SG_CLOSED"
	// CodePrivateLinkNLBClosed (lint): an endpoint service's Network
	// Load Balancer enforces its security groups on PrivateLink traffic
	// and they admit no address of a connected consumer's VPC.
	CodePrivateLinkNLBClosed = "ECS_PRIVATELINK_NLB_SG_BLOCKS_CONSUMERS"
)

// Instance metadata service (imds.go).
const (
	// CodeIMDSHopLimit: an IMDSv2 token request (PUT) from a client more
	// hops from the instance metadata service than the instance's
	// HttpPutResponseHopLimit (a bridge mode container: two) gets no
	// response: it is dropped on the way and the client times out.
	CodeIMDSHopLimit = "ECS_IMDS_HOP_LIMIT"
	// CodeIMDSUnavailable: nothing answers 169.254.169.254 for the
	// client: a Fargate task, an awsvpc task whose agent blocks IMDS
	// (ECS_AWSVPC_BLOCK_IMDS), or an instance whose metadata service is
	// turned off (HttpEndpoint disabled).
	CodeIMDSUnavailable = "ECS_IMDS_UNAVAILABLE"
	// CodeIMDSTokenRequired (a detail): a request without a session
	// token to an instance that requires IMDSv2 is answered 401.
	CodeIMDSTokenRequired = "ECS_IMDS_TOKEN_REQUIRED"
)

// The ECS task metadata and credentials endpoint (ecsagent.go).
const (
	// CodeLoopbackNotListening: a probe to localhost (127.0.0.0/8) finds
	// nothing listening in the source's own network namespace: a bridge
	// container's localhost is the container alone, not the instance
	// where a daemon publishes its host port, nor another container of
	// the task (awsvpc tasks share one namespace; host mode uses the
	// instance's).
	CodeLoopbackNotListening = "ECS_LOOPBACK_NOT_LISTENING"
	// CodeTaskMetadataUnavailable: nothing answers 169.254.170.2 for the
	// client: an instance without an ECS agent.
	CodeTaskMetadataUnavailable = "ECS_TASK_METADATA_UNAVAILABLE"
	// CodeAgentIntrospectionOffhost: a connection to a container
	// instance's ECS agent introspection API (tcp/51678) from another
	// host or from an awsvpc task, which the ECS-optimized AMI's ecs-init
	// drops unless ECS_ALLOW_OFFHOST_INTROSPECTION_ACCESS=true.
	CodeAgentIntrospectionOffhost = "ECS_AGENT_INTROSPECTION_OFFHOST_BLOCKED"
)
