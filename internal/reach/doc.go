// Package reach is ecsnet's analyzer: it says whether a packet gets from a
// source to a destination in an AWS network with ECS on it, what the
// client experiences (connected, refused, timeout, no route, the HTTP
// status a load balancer returns), and why, hop by hop, naming every
// component that blocks the path. It also computes target health, checks
// whether tasks can pull their images, lists what the internet can reach,
// and lints for the usual ECS networking pitfalls.
//
// References in comments: "reference §n" is
// /work/shared/reference/aws-ecs-networking.md, "RA" AWS VPC Reachability
// Analyzer (reachability-analyzers.md §1).
//
// # Stages
//
// As in Batfish, the model is compiled once and queries only read the
// result:
//
//  1. Compile(st) normalizes a model.State into an immutable Network: per
//     VPC an address → ENI index, a public IP → ENI index, every subnet's
//     route table (routes sorted for longest-prefix match, prefix lists
//     expanded into one route per CIDR, blackholes marked) and network ACL
//     (entries per direction in rule-number order, ending with the "*"
//     deny), every ENI's security groups as one union (interned, so ENIs
//     with the same groups share it), instances with their host ENIs and
//     host sockets (sshd, bridge and host ports), tasks with their ENI,
//     host and listening sockets, services with their tasks, load
//     balancers with nodes, listeners, rules, target groups and targets,
//     NAT gateways and VPC endpoints, and a name index for Resolve.
//     VPC peering connections are followed where a route names one: the
//     packet crosses an active connection to the ENI of the peer VPC that
//     holds its destination (which must be in a CIDR block of the peer VPC:
//     no transitive routing), the reply must route back through the same
//     connection, and security group rules may reference the peer VPC's
//     groups. A route to a virtual private gateway (static, or propagated
//     from its VPN connections' static routes) sends the packet out of the
//     VPC to the on-premises network, where it leaves the modelled network
//     (vpn.go); nothing from the internet enters through one. A gateway
//     route table (edge association) routes what enters through its
//     internet gateway: the local route delivers it, a route to an
//     appliance leaves the probe undecided.
//  2. Queries: Probe, TargetHealth, Exposure, Lint. They never write to the
//     Network, so one Network serves concurrent queries.
//
// StartCheck is the exception: the engine calls it for every task that
// starts, with its live state, so it compiles on demand only what the
// task's pull path touches (its ENI, that ENI's subnet, route table,
// network ACL and groups, the NAT gateways and endpoints on the way).
//
// # Verdicts
//
// A probe's Verdict is what the client sees, decided by the first blocking
// finding on the client's connection (or, through an ALB, on the ALB's
// connection to the target):
//
//   - connected: the packet reaches a socket that accepts it (a container
//     port, a Docker host port, a host-mode port, sshd, an interface
//     endpoint on 443, a load balancer listener) or leaves the modelled
//     network towards an internet host or an AWS service, and the reply
//     gets back to the client.
//   - refused: the packet reaches a host or task where nothing accepts it:
//     no socket on that address and port, an application bound to
//     127.0.0.1, a task that is not RUNNING. The host answers with a TCP
//     reset (RFC 9293 §3.10.7.1; for UDP, ICMP port unreachable). The
//     reset is a reply like any other: when a network ACL or a route
//     drops it on the way back, the client times out instead.
//   - timeout: something drops the packet or its reply without answering:
//     a security group, a network ACL (either direction), an internet
//     gateway without a mapping (no public IP on the sender, no ENI for the
//     public address), a NAT gateway addressed from outside, a load
//     balancer without a listener on the port, a reply routed away from
//     the way the request came, an address no ENI holds.
//   - no-route: the packet has nowhere to go: no route matches, the route
//     is a blackhole, the internet addresses a private address, an
//     internal load balancer is addressed from the internet, a task has
//     network mode none. (A client sees a timeout too: VPCs send no ICMP
//     unreachable; the verdict names the cause.)
//   - nxdomain: the destination is a name that does not resolve from the
//     source's VPC (a Cloud Map private namespace whose hosted zone is
//     not associated with it: the Route 53 Resolver answers NXDOMAIN; or
//     a Cloud Map service none of whose tasks runs, which has no record:
//     ECS_CLOUD_MAP_NO_INSTANCE, then why the tasks stop), so no packet is
//     sent; the client's lookup fails ("Could not resolve host").
//   - http NNN (ALB listeners only): the status the load balancer returns
//     to a client whose connection to the ALB works: 200 when the chosen
//     target accepts the ALB's connection, 502 when it refuses it, 504
//     when it times out, 503 when the target group has no registered
//     target (or none in a zone the ALB serves), the fixed-response status,
//     301/302 for a redirect; when the target accepts, the status the
//     container serves for the request's path (ContainerDefinition.Serves;
//     200 when the scenario says nothing); 504 when the container takes
//     the load balancer's idle timeout or longer to answer the path
//     (ContainerDefinition.ResponseSeconds, ECS_TARGET_RESPONSE_SLOWER_THAN_LB_IDLE_TIMEOUT;
//     Classic Load Balancers' HTTP listeners alike), and a health check
//     path it answers no sooner than the check's timeout fails with
//     Target.Timeout. An NLB's verdicts are TCP/UDP
//     verdicts, never HTTP statuses.
//   - unknown: the query cannot be walked (its summary says why: a source
//     task with no network interface, a load balancer without nodes, an
//     address no ENI holds as a source) or the path goes through something
//     ecsnet does not model (UNSUPPORTED_COMPONENT names it). A route to an
//     instance for an internet destination goes through it as a NAT
//     instance (natinstance.go); for a private destination, as an
//     appliance that forwards it (inspection.go).
//
// Paths: a path stops at the hop that dropped the packet; the walk goes
// on past it only to find the other blocking components, which the
// explanations list (with the packet they are about). A return path is
// shown only when the request arrived (reached a socket, was refused, or
// a load balancer answered).
//
// # Semantics
//
// Each rule cites its source; UNVERIFIED marks a choice where AWS
// documents nothing.
//
//   - Security groups (reference §8): stateful allow-lists; the union of an
//     ENI's groups; egress checked at the source ENI, ingress at the
//     destination ENI; replies pass by state. A group reference matches
//     the private addresses of ENIs in the referenced group only: ecsnet
//     checks that the packet's source is the private address of an ENI in
//     that group, which is the same as expanding the group to its members'
//     addresses. Traffic that came through an internet gateway or NAT
//     gateway has a public source and never matches. ENIs without groups
//     (NAT gateways, NLBs created without them) filter nothing.
//   - Network ACLs (reference §8): stateless; rule-number order, first
//     match wins, final "*" deny; checked when a packet leaves a subnet and
//     when it enters one, not within a subnet. The port is always the
//     packet's destination port: replies go to the client's ephemeral port
//     (Query.ClientPort, default 49152, inside the Linux, Windows, ELB and
//     NAT ranges). A refused UDP datagram's answer is an ICMP port
//     unreachable message, which the network ACLs see as ICMP (VPC User
//     Guide, "Path MTU Discovery": ICMP errors need ACL rules of their
//     own).
//   - Routing (reference §8): the source subnet's route table (explicit
//     association, else the main table); longest prefix wins; on a tie a
//     CIDR route beats a prefix-list route (VPC User Guide, "Route
//     priority"). A blackhole route is selected and drops. Replies use the
//     destination subnet's table: through the internet gateway for a
//     public source, the local route for a private one.
//   - Internet gateway (reference §8): 1:1 NAT between a public IP and the
//     private address it is associated with (the primary address for
//     auto-assigned IPs). Outbound, the sender needs a public IP
//     (IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS). Inbound, an address no ENI
//     holds (or an unassociated Elastic IP, or a detached ENI's) is
//     dropped (IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS). Traffic from a VPC
//     to a public IP of the same VPC leaves and comes back in through the
//     gateway with the sender's public IP as its source.
//   - VPC Block Public Access (security-vpc-bpa.html, bpa.go): in
//     block-bidirectional mode the internet gateway drops every
//     connection to or from the internet (an ENI's public IP or IPv6
//     address, a NAT gateway's traffic, load balancer nodes) and the
//     egress-only gateway drops IPv6 out; in block-ingress mode only what
//     leaves through a NAT gateway or an egress-only gateway gets out and
//     nothing gets in. An exclusion of the subnet the gateway sees (the
//     ENI's own, the NAT gateway's), else of its VPC, lifts the block:
//     allow-bidirectional entirely, allow-egress for connections started
//     inside and in block-bidirectional mode only. The drop is
//     VPC_BLOCK_PUBLIC_ACCESS, a timeout; its component is that subnet.
//   - IPv6 (vpc-migrate-ipv6.md, egress-only-internet-gateway.md): an
//     ENI's IPv6 addresses are global unicast addresses of its subnet's
//     /64, the same inside the VPC (the local route of the VPC's /56) and
//     from the internet. The internet gateway forwards IPv6 untranslated:
//     no public IP is needed either way, so an awsvpc task on EC2 is
//     reachable from the internet over IPv6 when its subnet routes ::/0 to
//     the gateway and its groups and network ACL admit the client. An
//     egress-only internet gateway carries IPv6 out and the replies back,
//     and no connection the internet starts (ECS_EGRESS_ONLY_IGW_INBOUND;
//     UNVERIFIED where AWS drops it: ecsnet drops the reply at the
//     gateway), except a UDP datagram's answer, which to the gateway is a
//     datagram going out. A bridge mode task has no IPv6 (Docker's bridge
//     network has none): ECS_NO_IPV6_ADDRESS. An unheld address of a
//     VPC's IPv6 block is no internet host (a timeout). A probe is over IPv6 when Query.IPv6 is set or an
//     endpoint is an IPv6 address; an endpoint without an IPv6 address
//     fails at once (ECS_NO_IPV6_ADDRESS). The internet client is
//     2001:db8::7. Security group and network ACL rules match by address
//     family (a 0.0.0.0/0 rule never admits IPv6). A load balancer of ip
//     address type dualstack (or dualstack-without-public-ipv4) is reached
//     over IPv6 at its nodes' IPv6 addresses; an ALB then opens its own
//     IPv4 connection to the target from the node's private address. A
//     dualstack NLB's groups judge the IPv6 source; it passes the client
//     over IPv6 to an ipv6 target group (its own address kept when the
//     group preserves client IPs) and translates it for an ipv4 one: the
//     target sees the node's private IPv4 address whatever client IP
//     preservation says (an IPv4 client of an ipv6 group, the node's IPv6
//     address). UDP over IPv6 through an NLB (a source NAT prefix) is not
//     followed (the query is refused). An ipv4 load balancer has no AAAA
//     record; dualstack-without-public-ipv4 (ALBs only) nodes have no
//     public IPv4 address.
//   - NAT gateways: egress only: source rewritten to the gateway's private
//     address, then by the gateway's subnet's route to the internet
//     gateway to its public IP; the gateway's subnet's network ACL applies
//     both ways. Nothing enters through one (a probe to its address is
//     dropped; UNVERIFIED whether it resets instead). A private NAT gateway
//     cannot reach the internet.
//   - VPC endpoints: gateway endpoints are prefix-list routes; the packet
//     leaves to the service. Interface endpoints are ENIs with security
//     groups that accept tcp/443 (other ports are dropped, UNVERIFIED);
//     with private DNS on, the service's name resolves to them (StartCheck).
//   - Load balancers (reference §5): the client reaches a node (internet-
//     facing: its public IP; from the VPC: its private address), the
//     node's security groups apply, then the listener for the protocol and
//     port. No listener: the packet is dropped (documented for NLBs,
//     "Network Load Balancers drop unintended traffic"; UNVERIFIED for
//     ALBs, where the client also times out). ALB: the first rule, by
//     priority, whose conditions all match the request (Query.HTTPMethod,
//     default GET; Query.HTTPPath with its query string, default "/";
//     Query.HTTPHost, default the DNS name; Query.HTTPHeaders) — path-pattern
//     (case-sensitive), host-header, http-header, http-request-method,
//     query-string and source-ip (ALB User Guide, "Listener rules"; the
//     first three by value or by regular expression, RegexValues, compiled
//     with the network) — else the default action; the matched rule is named (ECS_LB_RULE_MATCHED),
//     and a request no rule matches that the default action answers with
//     4xx/5xx is flagged (ECS_LB_NO_RULE_MATCHED); a 404 the target answers
//     is explained by a later rule that matches too and forwards elsewhere
//     (ECS_LB_RULE_SHADOWED) or by a path-pattern prefix the application
//     does not serve (ECS_LB_PATH_NOT_REWRITTEN: the path is forwarded as
//     it came, unless the rule's url-rewrite transform rewrites it: the
//     target's routes answer the rewritten path, ALB User Guide,
//     "Transforms for listener rules"; a rewrite into no valid request, a
//     URL without its leading / or an empty host, is the load balancer's
//     own 500: ECS_LB_TRANSFORM_FAILED); a weighted forward is probed
//     through the target group with the largest share (the first of
//     equals), and the result notes the others' shares. The ALB opens a new
//     connection from the node's private address with its own groups (its
//     egress, the target's ingress). An NLB keeps the client's address for
//     instance targets and UDP, uses its own for ip targets over TCP/TLS
//     (NLB "Client IP preservation" defaults); a target group that
//     references the NLB's security group admits its traffic even then
//     (NLB "security groups"); a target sent its own connection with its
//     own address as the source drops it: a timeout (ECS_NLB_HAIRPIN, NLB
//     troubleshooting, "Requests from a target to its load balancer time
//     out"); replies of preserved connections return
//     through the NLB whatever the target subnet's routes say
//     (UNVERIFIED), its network ACL still applies. Each node sends only to
//     targets in zones the load balancer serves (and, for an NLB without
//     cross-zone load balancing, in its own zone) that pass its own health
//     checks; if none passes, to all of them (fail-open: ALB User Guide,
//     "If a target group contains only unhealthy registered targets, the
//     load balancer nodes route requests across its unhealthy targets").
//     The reported path goes to the first candidate in registration order;
//     Result.Targets lists every target. An NLB with no target drops the
//     connection (UNVERIFIED). A probe to a load balancer walks through its
//     first node by zone; when another node gives another verdict, a note
//     says so.
//   - Classic Load Balancers (reference §5a, clb.go): compiled as a load
//     balancer of type "classic" with the same nodes, groups and scheme;
//     a listener (HTTP, HTTPS, TCP, SSL) forwards to its one instance port
//     on a registered instance's primary private address, from the node's
//     private address. Instances are InService when the health check
//     target (TCP:port; SSL:port, a TLS handshake a port without TLS
//     fails; HTTP:port/path or HTTPS:port/path answering 200) passes from
//     the node; a node sends to the InService instances of the zones the load
//     balancer serves (its own zone without cross-zone load balancing),
//     the first in registration order. With none it does not fail open:
//     HTTP and HTTPS listeners answer 503 (ECS_CLB_NO_INSTANCE_IN_SERVICE),
//     TCP and SSL listeners close the connection (refused, UNVERIFIED); a
//     health check the network drops is walked hop by hop so the blocking
//     rule is reported. A bridge task behind it on a dynamic host port is
//     named (ECS_CLB_DYNAMIC_HOST_PORT); Lint reports that and instance
//     security groups that drop the load balancer. ClassicInstanceHealth
//     is DescribeInstanceHealth's view.
//   - Host side (reference §7): awsvpc: the container ports exist only on
//     the task ENI's address; an instance address has nothing there, so a
//     SYN the groups admit gets a reset (refused: ECS_PORT_ON_TASK_ENI
//     names the task and its ENI), one they drop times out (the packet is
//     walked on past the drop, so both findings are reported). bridge:
//     host ports from the tasks' networkBindings on every address of the
//     instance (bindIP 0.0.0.0). host: container ports on the instance's
//     addresses. none: no address at all. An application bound to
//     127.0.0.1 (ContainerDefinition.ListenAddress) refuses connections
//     from outside (for bridge, docker-proxy may accept then close;
//     ecsnet reports refused), and so does a mapping whose container port
//     is not among the application's ports (ContainerDefinition.AppPorts:
//     ECS_APP_PORT_MISMATCH). Only RUNNING tasks listen; a task whose ENI
//     exists but that is not RUNNING refuses (UNVERIFIED). Instances run
//     sshd on 22 (ECS-optimized AMIs; WithSSHD(false) turns it off), and
//     a container instance whose agent is connected answers HTTP 200 on
//     tcp/51678, the ECS agent's introspection API (ECSAgentPort), to
//     the instance itself and its bridge containers only: ecs-init drops
//     the others (other hosts, awsvpc tasks) unless its ecs.config sets
//     ECS_ALLOW_OFFHOST_INTROSPECTION_ACCESS=true
//     (ECS_AGENT_INTROSPECTION_OFFHOST_BLOCKED); a stopped instance drops. A packet to the sender's own address never
//     leaves the host: no group, ACL or route applies.
//   - The internet: a client at 198.51.100.7 (TEST-NET-2) unless the probe
//     says "internet:ADDR"; an internet host that a packet reaches accepts
//     it.
//
// # Explanation codes
//
// Reachability Analyzer's codes, used with RA's meaning:
// ENI_SG_RULES_MISMATCH, SUBNET_ACL_RESTRICTION, NO_ROUTE_TO_DESTINATION,
// BAD_STATE_ROUTE, BAD_STATE, CANNOT_ROUTE,
// IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS, IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS,
// ELBV2_LISTENER_HAS_NO_TG, ELBV2_LISTENER_PORT_RESTRICTION,
// ELBV2_NO_TARGETS_IN_AZ, UNSUPPORTED_COMPONENT,
// PCX_REQUIRES_ADDRESS_IN_VPC_CIDR, and, as non-blocking
// details, TARGET_PORT_RESTRICTION, REMAP_EPHEMERAL_PORT,
// ASSUMPTION_PRESERVE_CLIENT_IP_IS_ENABLED and
// ASSUMPTION_PRESERVE_CLIENT_IP_IS_DISABLED.
//
// ecsnet's own codes, for what RA cannot see (it stops at the ENI):
// ECS_PORT_ON_TASK_ENI, ECS_NO_HOST_PORT_BINDING, ECS_APP_BOUND_TO_LOOPBACK,
// ECS_TASK_NOT_RUNNING, ECS_NO_LISTENER, ECS_AWSVPC_EC2_NO_PUBLIC_IP,
// ECS_ASSIGN_PUBLIC_IP_DISABLED, ECS_TASK_PRIVATE_ADDRESS, ECS_NETWORK_MODE_NONE,
// ECS_ADDRESS_NOT_ASSIGNED, ECS_DOCKER0_CIDR_OVERLAP, ECS_NO_REGISTERED_TARGETS, ECS_SERVICE_DESIRED_COUNT_ZERO,
// ECS_NAT_GATEWAY_NO_INBOUND, ECS_LB_INTERNAL, ECS_LB_NO_PUBLIC_IPV4, ECS_RETURN_ROUTE_MISMATCH, ECS_LB_RULE_SHADOWED, ECS_LB_PATH_NOT_REWRITTEN, ECS_LB_TRANSFORM_FAILED,
// ECS_ENDPOINT_PORT, ECS_PRIVATE_ZONE_CUSTOM_DNS, ECS_CLB_NO_INSTANCE_IN_SERVICE, ECS_GWLB_NO_HEALTHY_TARGETS, ECS_GWLB_GENEVE_BLOCKED, ECS_APPLIANCE_ASYMMETRIC_ROUTING, and the start-path causes ECS_IMAGE_REFERENCE_INVALID, ECS_IMAGE_PULL_FAILED,
// ECS_IMAGE_REPOSITORY_NOT_FOUND, ECS_IMAGE_TAG_NOT_FOUND, ECS_SECRETS_UNREACHABLE, ECS_SECRET_NOT_FOUND, ECS_ENV_FILES_UNREACHABLE, ECS_FIRELENS_CONFIG_UNREACHABLE,
// ECS_LOGS_UNREACHABLE, ECS_LOG_DRIVER_UNREACHABLE, ECS_LOG_GROUP_NOT_FOUND, ECS_LOG_GROUP_CREATE_DENIED, ECS_AGENT_CANNOT_REGISTER,
// ECS_AGENT_NO_CREDENTIALS, ECS_AGENT_DISCONNECTED and ECS_TASKS_STOPPED (with, for what dropped the start path, ECS_VPC_DNS_RESOLUTION_OFF and
// ECS_VPC_ENDPOINT_POLICY_DENIED); details ECS_LB_FAIL_OPEN, ECS_LB_FIXED_RESPONSE,
// ECS_ENDPOINT_LEGACY_NAME (a service called by a legacy or global name, SQS's
// REGION.queue.amazonaws.com or STS's sts.amazonaws.com, that the VPC's
// interface endpoint does not answer: only the Regional name resolves to it),
// ECS_LB_RULE_MATCHED, ECS_LB_NO_RULE_MATCHED, ECS_TARGET_UNHEALTHY,
// ECS_CLB_DYNAMIC_HOST_PORT and ECS_GWLB_INSPECTED. Round 31 adds
// ECS_NLB_PROXY_PROTOCOL_MISMATCH (an NLB target group's proxy protocol v2
// and its application's disagree: 400, or a connection closed unanswered),
// ECS_IPV6_ONLY_NO_NAT64 (an IPv6-only subnet calls an IPv4-only address
// without DNS64 or a 64:ff9b::/96 route to a NAT gateway) and the detail
// ECS_NAT64; an NLB's alb-type target group is followed through the ALB.
// Round 32: an NLB's health checks of an Application Load Balancer target go
// to the ALB's listener on the health check port from the NLB's nodes (the
// ALB's security groups must admit them), are answered by the ALB's rules and
// targets, and pass on 200-399 (ECS_TARGET_UNHEALTHY when they do not).
// ECS_CLB_PROXY_PROTOCOL_MISMATCH: a Classic Load Balancer's proxy protocol v1
// (a ProxyProtocolPolicyType policy on the instance port, TCP and SSL back
// ends) and its application's disagree: 400, a connection closed (502
// behind an HTTP listener); HTTP(S) health checks never carry the line.
// Round 35: a route to a regional NAT gateway (natregional.go) is followed
// from a subnet of any zone: the gateway translates the zone's traffic to
// its address in that zone and sends it to the VPC's internet gateway;
// ECS_REGIONAL_NAT_ZONE_NOT_SERVED: the gateway has no address in the
// source's zone (manual mode, the zone not among its
// AvailabilityZoneAddresses), so it translates nothing from there.
// Round 34: ECS_NLB_TLS_TARGET_HANDSHAKE: an NLB's target group of protocol
// TLS opens TLS to a target whose application does not speak TLS (plain
// HTTP, sshd): the handshake fails and the client's connection is reset
// (refused, nlbtls.go), while the default TCP health check keeps it healthy.
// A log collector named in a hosted zone (splunk-url, fluentd-address,
// syslog-address) is looked up through the private zones of the task's VPC
// as other names are; a name no zone covers stays on the internet.
// ECS_PLACEMENT_MISSING_ATTRIBUTE: ECS places no task of a service on
// instances lacking an attribute its task definition requires (a task role
// in the host network mode: ecs.capability.task-iam-role-network-host).
// Names of Route 53 hosted zones (route53.go) add the NXDOMAIN reasons
// ECS_PRIVATE_ZONE_NOT_ASSOCIATED, ECS_PRIVATE_ZONE_SPLIT_HORIZON,
// ECS_DNS_RECORD_MISSING, ECS_DNS_NO_ADDRESS_RECORD (NODATA: the name
// exists without an A, AAAA or CNAME record) and ECS_DNS_ALIAS_TARGET_MISSING (and
// ECS_PRIVATE_ZONE_VPC_DNS_OFF, ECS_PRIVATE_ZONE_CUSTOM_DNS, and ECS_DNS_SERVER_UNREACHABLE: the
// VPC's own DNS servers, which the client cannot reach on udp/53), and the detail
// ECS_DNS_PUBLIC_RECORD_PRIVATE_TARGET. A weighted record set is probed
// once per record a lookup may get, and the worst answer is the result.
// An instance's public DNS name (ec2dns.go) resolves to its private
// address from its own VPC and from a peer VPC whose peering connection
// allows DNS resolution from the remote VPC on the instance's side, else
// to its public address; a failed probe it sent to the public address for
// want of that option adds the detail ECS_PEERING_DNS_PUBLIC_ADDRESS.
// The instance metadata service (imds.go; "imds" or 169.254.169.254:80)
// is answered by the source's own instance, past no security group,
// network ACL or route: an IMDSv2 token request (PUT) from a client more
// hops away than HttpPutResponseHopLimit (a bridge mode container: two)
// times out (ECS_IMDS_HOP_LIMIT); a GET without a token to an instance
// that requires IMDSv2 is answered 401 (the detail ECS_IMDS_TOKEN_REQUIRED);
// a Fargate task, an awsvpc task whose agent blocks IMDS
// (ECS_AWSVPC_BLOCK_IMDS) and an instance whose metadata service is off
// get no answer (ECS_IMDS_UNAVAILABLE). The ECS task metadata and
// credentials endpoint (ecsagent.go; "task-metadata" or 169.254.170.2:80)
// is answered for a task by its instance's ECS agent or by Fargate, and
// for a container instance's own processes by its agent; an instance
// without an agent gets no answer (ECS_TASK_METADATA_UNAVAILABLE).
// An HTTP listener forwarding to a target group of protocol version HTTP2
// or GRPC answers 464 (ECS_LB_PROTOCOL_VERSION_MISMATCH): its clients'
// requests are HTTP/1.1.
// Service Connect names add ECS_SERVICE_CONNECT_CLIENT_NOT_IN_NAMESPACE and
// ECS_SERVICE_CONNECT_DISCOVERY_NAME (a discovery name asked where client
// aliases name the endpoint).
// Lint adds ECS_AWSVPC_PUBLIC_INSTANCE, ECS_IMAGE_REFERENCE_INVALID, ECS_IMAGE_PULL_FAILED,
// ECS_IMAGE_REPOSITORY_NOT_FOUND, ECS_IMAGE_TAG_NOT_FOUND, ECS_SECRETS_UNREACHABLE, ECS_SECRET_NOT_FOUND,
// ECS_ENV_FILES_UNREACHABLE, ECS_FIRELENS_CONFIG_UNREACHABLE, ECS_LOGS_UNREACHABLE, ECS_LOG_DRIVER_UNREACHABLE, ECS_AGENT_CANNOT_REGISTER, ECS_AGENT_NO_CREDENTIALS, ECS_AGENT_DISCONNECTED,
// ECS_PUBLIC_SUBNET_NO_PUBLIC_IP, ECS_TASK_SG_BLOCKS_LB,
// ECS_DYNAMIC_PORTS_BLOCKED, ECS_TARGET_TYPE_MISMATCH,
// ECS_NACL_EPHEMERAL_RETURN, ECS_ENI_CAPACITY, ECS_HOST_PORT_CONFLICT, ECS_NO_INSTANCE_IN_SUBNET_ZONE,
// ECS_SUBNET_NO_FREE_ADDRESSES,
// ECS_TRUNKING_UNSUPPORTED, ECS_TARGET_UNHEALTHY,
// ECS_NLB_CLIENT_IP_NOT_ALLOWED, the AWS PrivateLink checks (ECS_PRIVATELINK_ENDPOINT_NOT_ACCEPTED,
// ECS_PRIVATELINK_ZONE_NOT_SERVED, ECS_PRIVATELINK_ENDPOINT_SG_CLOSED,
// ECS_PRIVATELINK_NLB_SG_BLOCKS_CONSUMERS: privatelinklint.go), ECS_LB_SG_CLOSES_LISTENER (or, when a rule
// whose source is unknown at analysis time may admit the port,
// ECS_LB_SG_LISTENER_UNDECIDED; a probe such a rule may admit ends unknown,
// ECS_SG_RULE_SOURCE_UNKNOWN), ELBV2_INTERNET_FACING_PRIVATE_SUBNET,
// ECS_CLB_DYNAMIC_HOST_PORT, ECS_LB_BYPASSED (a task behind a load balancer
// that the internet also reaches on its public IP), ECS_TASK_ROLE_UNTRUSTED
// (a service whose task role or execution role ECS cannot assume) (and RA's ELBV2_NO_TARGETS_IN_AZ,
// TARGET_PORT_RESTRICTION, ECS_APP_BOUND_TO_LOOPBACK), and last
// ECS_SERVICE_NOT_STEADY: a service stuck below its desired count (a
// placement failure, tasks stopped before they ran, a capacity provider
// whose group cannot launch, or one whose group is at its maximum size
// with none of its instances able to take the waiting tasks) for a reason
// no error above names.
//
// Blocked paths: like RA's blocked-path analysis, a probe walks on past a
// drop as far as it means something (past a security group or network ACL
// drop to the host and back; not past a missing route or a gateway that
// cannot translate), so a result lists every component that would have
// to change. Explanation.Blocking marks them; the first one on the
// client's connection decides the verdict.
//
// # Target health
//
// TargetHealth reports the state health checks settle on (reference §5):
// healthy; unhealthy with Target.Timeout ("Request timed out") when a
// check is dropped or Target.FailedHealthChecks ("Health checks failed")
// when it is refused; unused with Target.NotInUse when no listener uses
// the target group or the target's zone is not served, Target.InvalidState
// for a stopped or terminated instance, Target.NotRegistered; draining;
// unavailable when checks are off. Checks run from every node that would
// route to the target, to the health check port ("traffic-port" is the
// registered port); one failing node makes the target unhealthy
// (UNVERIFIED: AWS does not say how nodes' views combine). The initial
// states (Elb.RegistrationInProgress, Elb.InitialHealthChecking) are not
// modelled. HTTP and HTTPS checks that connect ask the health check path
// and compare the container's status with the matcher:
// Target.ResponseCodeMismatch.
//
// # Image pulls
//
// StartCheck (see its doc) follows the pull path from the task ENI
// (Fargate) or the host's primary ENI (EC2). Registries are modelled by
// one address each (TEST-NET-1: Docker Hub 192.0.2.10, public.ecr.aws
// 192.0.2.20, api.ecr 192.0.2.30, the ECR registry 192.0.2.40, others
// 192.0.2.50; S3 by an address of its prefix list), which appears in the
// error text where AWS shows the resolved address. Texts: Fargate 1.4.0's
// ResourceInitializationError and CannotPullContainerError (reference §4,
// observed), the Docker-era form for EC2 and Fargate 1.3.0
// (task_cannot_pull_image.md); the S3 layer text is UNVERIFIED. Once the
// registry answers, an image naming a repository of the state's own
// account and region that the state does not hold, in a state that holds
// repositories, is not found (ECS_IMAGE_REPOSITORY_NOT_FOUND: the emulator's account
// once it has any, a template or configuration that manages them); an
// image whose repository records images (PutImage), none with its tag or
// digest, is not found either (ECS_IMAGE_TAG_NOT_FOUND). Secrets
// (Secrets Manager, SSM) and the awslogs log stream are checked after the
// registry auth and the image, in the agent's order (TaskStartFailure);
// RegisterCheck follows the ECS agent's path to the ecs and ecs-agent
// endpoints: an instance without one never registers, and neither does
// one whose agent has no credentials (credentials.go). A 503 from an empty
// target group names the stopped tasks and the start-path cause
// (ServiceDiagnosis).
//
// # Names outside the model
//
// AWS services ("ecr", "logs", "s3", "api.ecr.<region>.amazonaws.com", …)
// resolve, per source VPC, to the ENI of their interface endpoint with
// private DNS, else to a public stand-in address (S3: an address of its
// prefix list); registries and hosts on public suffixes ("docker.io",
// "public.ecr.aws") to a stand-in public address. Cloud Map names
// (<service>.<namespace>) resolve to the RUNNING tasks of the ECS services
// registered with them, only from inside the namespace's VPC.
//
// # Exposure
//
// Exposure intersects, per ENI with a public IP, the port ranges its
// security group rules admit from internet sources (each rule's source
// range tested with one representative address) after the subnet's
// network ACL (both ways) and return route, with the sockets listening
// there; open ranges where nothing listens are reported as refused. Load
// balancer listeners are probed from the internet.
//
// Transit gateways are followed between VPCs (tgw.go): the sender's
// attachment subnet in its zone, the attachment's associated route table
// (longest prefix, static before propagated, blackholes), the chosen VPC
// attachment into the destination VPC, and the same way back.
//
// A route (or an internet gateway's edge route) to a Gateway Load Balancer
// endpoint is a bump in the wire (gwlb.go): the packet passes the GWLB's
// first healthy appliance (a health check from the GWLB node in the
// endpoint's zone) and the endpoint's subnet routes it on; with no healthy
// appliance it is dropped (ECS_GWLB_NO_HEALTHY_TARGETS, a [choice]: AWS
// fails open to appliances that fail their health checks).
//
// Inspection VPCs (inspection.go): a transit gateway that hands a packet
// to a VPC that does not hold its destination, whose attachment subnet
// (in the sender's zone) routes it to a GWLB endpoint, an AWS Network
// Firewall endpoint (its rules pass [choice]) or an appliance instance
// (source/destination check off), passes it through and on by the route
// table of the subnet it comes back in, back to the gateway. The reply
// enters the inspection VPC in the replying side's zone, or with appliance
// mode on its attachment in the request's: a reply that meets another
// inspection point than its request is dropped
// (ECS_APPLIANCE_ASYMMETRIC_ROUTING).
//
// Pings (icmp.go): a query of protocol ICMP is an echo request, type 8
// (over IPv6 an ICMPv6 echo request, type 128), with no ports. Security
// groups admit it by an icmp (icmpv6) rule whose type and code cover it,
// or an all-protocols rule, and let its echo reply (type 0; 129) back by
// state; network ACLs check the request and, on the way back, the reply,
// each by its own type (stateless). Route tables, internet gateways, NAT
// gateways (which translate ICMP: nat-gateway-basics.md), peering and
// transit gateways carry it as any packet. A running instance or task
// answers (Linux answers echo requests by default; Fargate UNVERIFIED);
// nothing refuses a ping, so what would be a reset is a timeout. A load
// balancer's node answers none and forwards none (ECS_LB_NO_ICMP: its
// listeners take TCP, UDP, HTTP and TLS only; the drop itself is
// UNVERIFIED), an interface endpoint serves tcp/443 only, a NAT gateway
// accepts nothing; an internet host answers.
//
// Not modelled: IPv6 clients of Network Load Balancers, transit
// gateway peering and paths through an inspection VPC behind a transit
// gateway (an egress VPC's attachment subnet route to a NAT gateway is
// followed: tgw.go, reply.go), Network Firewall, what a Gateway Load Balancer's appliance
// does to a packet (it returns it unchanged), source/dest check and traffic through appliance ENIs, Service
// Connect's proxy, DNS beyond load balancer and Cloud Map names, endpoint
// private DNS.
package reach
