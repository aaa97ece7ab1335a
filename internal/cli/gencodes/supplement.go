package main

// words are a code's words the table takes from here: what fails, for a
// code whose declaration has no comment (Reachability Analyzer's meanings
// paraphrase https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html
// and additional-detail-codes.html), and how to fix it.
type words struct{ what, fix string }

// supplement is the words of a code ("" where the declaration says what
// fails, or where the finding's own fix is the only one).
func supplement(code string) words {
	switch code {
	// ecsnet check's own rules.
	case "ECSNET_EXPECTATION":
		return words{"A probe of the SOURCE's expect: list (a scenario file's, or --expect) does not give the verdict the entry expects: the system does not behave as its authors say it must.",
			"The alert names the probe, the verdict it got and why, hop by hop, and the fixes ecsnet verified on a copy of the system (properties.fixes in SARIF). Change the system (or, if the new verdict is the intended one, the expect: entry)."}
	case "ECSNET_SOURCE_ERROR":
		return words{"The SOURCE could not be read: a YAML or HCL syntax error, a template or configuration AWS (or Terraform) would refuse, a file that does not exist. Nothing of it was checked.",
			"The alert's message names the file and line and the error, in AWS's or Terraform's words where they have one; correct it and run `ecsnet check` again."}

	// Reachability Analyzer's codes.
	case "ENI_SG_RULES_MISMATCH":
		return words{"The security groups of a network interface have no rule that allows the traffic (inbound on the destination's interface, outbound on the source's).",
			"Add a rule to one of the interface's security groups that admits the protocol and port from the source (a security group reference for traffic inside the VPC), or send from an address a rule already admits."}
	case "SUBNET_ACL_RESTRICTION":
		return words{"The network ACL of a subnet the packet enters or leaves has no rule that allows it before a deny (network ACLs are stateless: the reply to the ephemeral port needs its own rule).",
			"Add an allow rule with a lower rule number than the deny to the subnet's network ACL, for the request's port in one direction and the ephemeral ports (1024-65535) of the reply in the other."}
	case "NO_ROUTE_TO_DESTINATION":
		return words{"The route table of the source's subnet has no route whose destination covers the packet's destination address.",
			"Add a route for the destination (0.0.0.0/0 to an internet gateway or a NAT gateway, a peer's CIDR to the peering connection or transit gateway) to the subnet's route table, or associate the subnet with a table that has one."}
	case "BAD_STATE_ROUTE":
		return words{"The route that matches the destination is not in a functional state (blackhole: its target, a NAT gateway or interface, is gone).",
			"Point the route at a target that exists (replace the route), or delete it so that another route matches."}
	case "BAD_STATE":
		return words{"A component on the path is not in a functional state (stopped, pending, deleted).",
			"Start or replace the component, or take the path through one that is available."}
	case "CANNOT_ROUTE":
		return words{"A route cannot carry the traffic: its destination CIDR or prefix list does not match the packet's destination address.",
			"Add a route whose destination covers the address, to a target that can carry it."}
	case "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS":
		return words{"Traffic from the internet gateway is addressed to a private address: the internet reaches an interface only at its public (or Elastic) IP address.",
			"Address the interface by its public IP, give it one (a public IP on launch, an Elastic IP), or put an internet-facing load balancer in front of it."}
	case "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS":
		return words{"Traffic leaves by an internet gateway from an interface without a public IP address: the internet gateway translates only addresses that have one, so it drops the packet.",
			"Give the interface a public IP (assignPublicIp ENABLED for a Fargate task, a public IP on launch, an Elastic IP), or route the subnet's 0.0.0.0/0 to a NAT gateway in a public subnet instead."}
	case "ELBV2_LISTENER_HAS_NO_TG":
		return words{"The load balancer's listener has no target group to forward the traffic to.",
			"Give the listener a forward action (or a rule) to a target group."}
	case "ELBV2_LISTENER_PORT_RESTRICTION":
		return words{"The load balancer has no listener on the destination port: it accepts only traffic to its listeners' ports.",
			"Address a port the load balancer listens on, or add a listener on this one."}
	case "ELBV2_NO_TARGETS_IN_AZ":
		return words{"The load balancer can send traffic only to targets in the Availability Zones enabled for it, and the targets are in other zones (or a zone of the targets has no subnet of the load balancer).",
			"Add a subnet of the targets' zone to the load balancer, or run the targets in the zones it has, or turn cross-zone load balancing on where the load balancer type allows."}
	case "TARGET_PORT_RESTRICTION":
		return words{what: "The target group sends traffic to its targets only on their registered port (a detail of the path)."}
	case "UNSUPPORTED_COMPONENT":
		return words{"A component on the path is of a kind the analysis does not follow.",
			"Probe to or from the component's neighbours instead."}
	case "REMAP_EPHEMERAL_PORT":
		return words{what: "A component on the path (a NAT gateway, a load balancer) replaced the packet's source port with an ephemeral port of its own (a detail of the path)."}
	case "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR":
		return words{"Traffic over a VPC peering connection must come from and go to addresses in the two VPCs' CIDR blocks: a peering connection carries no traffic of other addresses (no transitive routing through a NAT gateway, an internet gateway or a third VPC).",
			"Send from an address of the peer VPC itself, or connect the networks with a transit gateway."}
	case "TGW_ATTACH_VPC_AZ_RESTRICTION":
		return words{"The transit gateway's VPC attachment has no subnet in the sender's Availability Zone: traffic from that zone does not reach the transit gateway.",
			"Add a subnet of that zone to the VPC attachment."}
	case "TGW_RTB_CANNOT_ROUTE":
		return words{"The transit gateway route table of the attachment the packet came in by has no route for its destination.",
			"Add a static route, or propagate the destination attachment's routes, into the route table associated with the source's attachment."}
	case "TGW_RTB_BAD_STATE_ROUTE":
		return words{"The transit gateway route that matches the destination is a blackhole.",
			"Replace the blackhole route with one to the destination's attachment."}
	case "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION":
		return words{"The transit gateway attachment the packet comes in by is associated with no transit gateway route table, so the transit gateway routes nothing it sends.",
			"Associate the attachment with a transit gateway route table that routes the destination."}
	case "ASSUMPTION_PRESERVE_CLIENT_IP_IS_ENABLED":
		return words{what: "The path assumes that client IP preservation is enabled on the target group: targets see the client's address as the source (a detail to verify)."}
	case "ASSUMPTION_PRESERVE_CLIENT_IP_IS_DISABLED":
		return words{what: "The path assumes that client IP preservation is disabled on the target group: targets see the load balancer's address as the source (a detail to verify)."}

	// ecsnet's lint codes without a comment of their own.
	case "ECS_AWSVPC_PUBLIC_INSTANCE":
		return words{"An awsvpc task runs on a container instance that has a public IP address: the task has its own network interface, which never gets a public IP on EC2, so the internet does not reach the task at the instance's address, and the task reaches the internet only through a NAT gateway.",
			"Put an internet-facing load balancer in front of the service (its targets of type ip), and route the task's subnet's 0.0.0.0/0 to a NAT gateway for its own outbound calls; or use the bridge network mode to share the instance's address."}
	case "ECS_PUBLIC_SUBNET_NO_PUBLIC_IP":
		return words{"A task in a public subnet (its default route is an internet gateway) has no public IP address: it cannot reach the internet, so it cannot pull its image, fetch its secrets or send its logs, and it stops (CannotPullContainerError, ResourceInitializationError).",
			"Set assignPublicIp ENABLED in the service's awsvpcConfiguration, or run the tasks in private subnets whose default route is a NAT gateway, or add VPC endpoints for ECR (api, dkr), S3, CloudWatch Logs and the secrets' service."}
	case "ECS_TASK_SG_BLOCKS_LB":
		return words{"The security groups of the tasks behind a load balancer do not admit the load balancer's nodes on the container port: health checks fail, the targets are unhealthy, and the load balancer answers 502 or 503.",
			"Add an inbound rule to the tasks' security group for the container port (the target port) whose source is the load balancer's security group."}
	case "ECS_DYNAMIC_PORTS_BLOCKED":
		return words{"Bridge tasks with dynamic host ports (hostPort 0) behind a load balancer: the container instances' security groups do not admit the load balancer on the ephemeral port range the ports come from (32768-65535 on the ECS-optimized AMI), so health checks fail.",
			"Add an inbound rule to the instances' security group for TCP 32768-65535 (or the range in /proc/sys/net/ipv4/ip_local_port_range) whose source is the load balancer's security group."}
	case "ECS_NACL_EPHEMERAL_RETURN":
		return words{"A network ACL does not allow the replies on the ephemeral ports (1024-65535): network ACLs are stateless, so the request passes and its reply is dropped.",
			"Add an allow rule for TCP 1024-65535 to the subnet's network ACL in the replies' direction (outbound for a server's subnet, inbound for a client's), numbered before any deny."}
	case "ECS_ENI_CAPACITY":
		return words{"The container instances have no network interface left for another awsvpc task: each awsvpc task takes an interface of its instance, and the instance type allows a few (the primary one included) without ENI trunking.",
			"Turn on the awsvpcTrunking account setting and use an instance type that supports trunking, use a larger instance type, add instances, or run fewer awsvpc tasks per instance."}
	case "ECS_HOST_PORT_CONFLICT":
		return words{"Two tasks on one container instance want the same static host port (bridge or host network mode): ECS does not place the second (RESOURCE:PORTS).",
			"Use dynamic host ports (hostPort 0) behind a load balancer, or the awsvpc network mode, or add instances so each task has one to itself (a distinctInstance placement constraint)."}
	case "ECS_TRUNKING_UNSUPPORTED":
		return words{"ENI trunking is asked for (the awsvpcTrunking account setting) but the instance type does not support it: the instance has no trunk interface, and its awsvpc tasks are limited by its own interfaces.",
			"Use an instance type that supports ENI trunking (most current Nitro types: m5, c5, r5 and their successors), launched after the setting is on."}
	case "ECS_TARGET_UNHEALTHY":
		return words{"The load balancer's health checks of a target fail (the target's reason: Target.Timeout, Target.FailedHealthChecks, Target.ResponseCodeMismatch): the load balancer sends it no traffic, or fails open when every target is unhealthy, and ECS replaces the tasks.",
			"Make the health check's port, path and success codes match what the application answers, and admit the load balancer's nodes on the health check port in the targets' security groups and network ACLs."}
	case "ECS_NLB_CLIENT_IP_NOT_ALLOWED":
		return words{"A Network Load Balancer preserves the client's IP address, and the targets' security groups admit the load balancer's addresses but not the clients': the targets drop the clients' connections.",
			"Admit the clients' addresses (0.0.0.0/0 for an internet-facing one) on the target port in the targets' security group, or reference the NLB's security group there, or turn client IP preservation off on the target group."}

	// Codes whose declaration says what fails, with a fix to say.
	case "ECS_IMAGE_PULL_FAILED":
		return words{fix: "Give the tasks' subnets a path to the registry: a NAT gateway route (private subnets), a public IP (assignPublicIp ENABLED in a public subnet), or for ECR the VPC endpoints ecr.api, ecr.dkr (interface, private DNS on) and S3 (gateway, in the subnets' route tables), with security groups admitting HTTPS from the tasks."}
	case "ECS_SECRETS_UNREACHABLE":
		return words{fix: "Give the tasks' subnets a path to Secrets Manager or Systems Manager: a NAT gateway, a public IP in a public subnet, or an interface VPC endpoint of the service (private DNS on) whose security group admits HTTPS from the tasks."}
	case "ECS_LOGS_UNREACHABLE":
		return words{fix: "Give the tasks' subnets a path to CloudWatch Logs: a NAT gateway, a public IP in a public subnet, or the logs interface VPC endpoint (private DNS on) whose security group admits HTTPS from the tasks."}
	case "ECS_AGENT_CANNOT_REGISTER":
		return words{fix: "Give the container instances a path to ECS: a NAT gateway route or a public IP, or the interface VPC endpoints ecs, ecs-agent and ecs-telemetry (private DNS on) whose security groups admit HTTPS from the instances."}
	case "ECS_AGENT_NO_CREDENTIALS":
		return words{fix: "Give the instances an IAM instance profile whose role has the AWS managed policy AmazonEC2ContainerServiceforEC2Role (in the launch template or launch configuration), and replace the instances."}
	case "ECS_AGENT_DISCONNECTED":
		return words{fix: "Let the instances reach the ecs-agent endpoint (ACS) as well as ecs: the NAT gateway route or public IP they use for ecs, or an ecs-agent interface VPC endpoint beside the ecs one."}
	case "ECS_NO_LISTENER":
		return words{fix: "Make the application listen on the port probed (its port mappings, its PORT setting), or probe the port it listens on."}
	case "ECS_APP_BOUND_TO_LOOPBACK":
		return words{fix: "Make the application listen on 0.0.0.0 (or ::), not 127.0.0.1: other containers, the instance and load balancers reach it only on its interface's address."}
	case "ECS_APP_PORT_MISMATCH":
		return words{fix: "Make the port mapping's containerPort the port the application listens on (or the application listen on containerPort), and the target group's port with it."}
	case "ECS_ASSIGN_PUBLIC_IP_DISABLED":
		return words{fix: "Put an internet-facing load balancer in front of the service, or set assignPublicIp ENABLED in a public subnet for a task the internet must reach directly."}
	case "ECS_AWSVPC_EC2_NO_PUBLIC_IP":
		return words{fix: "Put an internet-facing load balancer (targets of type ip) in front of the service: an awsvpc task's interface on EC2 never has a public IP."}
	case "ECS_NO_REGISTERED_TARGETS":
		return words{fix: "Attach the service to the target group (its loadBalancers), make its tasks run (see the other findings), and the load balancer answers them."}
	case "ECS_SERVICE_DESIRED_COUNT_ZERO":
		return words{fix: "Set the service's desiredCount above 0 (or its Application Auto Scaling minimum capacity)."}
	case "ECS_LB_SG_CLOSES_LISTENER":
		return words{fix: "Add an inbound rule for the listener's port to the load balancer's security group, from the clients (0.0.0.0/0 and ::/0 for an internet-facing one)."}
	case "ELBV2_INTERNET_FACING_PRIVATE_SUBNET":
		return words{fix: "Give the internet-facing load balancer public subnets (a default route to an internet gateway), one per zone of its targets; the targets may stay in private subnets."}
	case "ECS_LB_BYPASSED":
		return words{fix: "Take the tasks' public IPs away (assignPublicIp DISABLED, private subnets with a NAT gateway), or admit only the load balancer's security group in the tasks' security group."}
	case "ECS_DOCKER0_CIDR_OVERLAP":
		return words{fix: "Set Docker's bridge to another range in the instances' user data (\"bip\" in /etc/docker/daemon.json, from a cloud boothook), or use the awsvpc network mode."}
	case "ECS_TASK_ROLE_UNTRUSTED":
		return words{fix: "Create the role, or give its trust policy the principal ecs-tasks.amazonaws.com (sts:AssumeRole)."}
	case "ECS_LOG_GROUP_NOT_FOUND":
		return words{fix: "Create the log group (aws_cloudwatch_log_group, AWS::Logs::LogGroup), or name one that exists in awslogs-group."}
	case "ECS_LOG_GROUP_CREATE_DENIED":
		return words{fix: "Allow logs:CreateLogGroup to the task execution role, or create the log group beforehand and remove awslogs-create-group."}
	case "ECS_IMAGE_REFERENCE_INVALID":
		return words{fix: "Write the image as REGISTRY/REPOSITORY:TAG (or @sha256:DIGEST), in lower case; an ECR image is ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY:TAG, not the repository's ARN."}
	case "ECS_IMAGE_REPOSITORY_NOT_FOUND":
		return words{fix: "Create the repository (and push the image), or name the repository that holds it."}
	case "ECS_IMAGE_TAG_NOT_FOUND":
		return words{fix: "Push the image with that tag, or name a tag (or digest) the repository has."}
	case "ECS_VPC_DNS_RESOLUTION_OFF":
		return words{fix: "Turn the VPC's enableDnsSupport on (and enableDnsHostnames, for interface endpoints' private DNS)."}
	case "ECS_EFS_MOUNT_UNREACHABLE":
		return words{fix: "Admit TCP 2049 from the tasks (or instances) in the mount targets' security group, and allow it both ways in the subnets' network ACLs."}
	case "ECS_EFS_NO_MOUNT_TARGET":
		return words{fix: "Create a mount target of the file system in each Availability Zone of the tasks' subnets, and turn the VPC's DNS support and DNS hostnames on."}
	case "ECS_SUBNET_NO_FREE_ADDRESSES":
		return words{fix: "Give the service larger subnets, or more of them, or free addresses in them."}
	case "ECS_NO_INSTANCE_IN_SUBNET_ZONE":
		return words{fix: "Launch container instances in the zones of the service's subnets (the Auto Scaling group's subnets), or give the service subnets of the instances' zones."}
	case "ECS_SERVICE_NOT_STEADY":
		return words{fix: "The finding names why the service's tasks do not run (its events, its tasks' stoppedReason); fix that, and ECS reaches the desired count."}
	case "ECS_IMDS_HOP_LIMIT":
		return words{fix: "Set the instances' metadata options HttpPutResponseHopLimit to 2 (in the launch template), and replace the instances."}
	case "ECS_SMTP_PORT_25_RESTRICTED":
		return words{fix: "Send mail on port 587 (submission), or ask AWS to remove the port 25 restriction of the account."}
	case "ECS_PLAIN_HTTP_TO_HTTPS_LISTENER":
		return words{fix: "Call the listener with https://, or add an HTTP listener (redirecting to HTTPS)."}
	case "ECS_TARGET_TLS_MISMATCH":
		return words{fix: "Make the target group's protocol the one the application speaks (HTTP for plain HTTP, HTTPS for TLS)."}
	case "ECS_NLB_PROXY_PROTOCOL_MISMATCH":
		return words{fix: "Turn proxy_protocol_v2.enabled on the target group and the application's proxy protocol support on or off together."}
	case "ECS_NLB_TLS_OFFLOAD_TO_TLS_TARGET":
		return words{fix: "Forward the TLS listener to a target group of protocol TLS (a copy of the TCP one: a target group's protocol cannot be changed), or serve plain HTTP on the target port."}
	case "ECS_NETWORK_MODE_NONE":
		return words{fix: "Register the task definition with network mode bridge or awsvpc (none gives the containers a loopback interface only) and redeploy."}
	case "ECS_TASK_STOPPED_BEFORE_APP_READY":
		return words{fix: "Give the service a health check grace period longer than the application's start, or make the target group's health checks more patient."}
	case "ECS_TARGET_RESPONSE_SLOWER_THAN_LB_IDLE_TIMEOUT":
		return words{fix: "Raise the load balancer's idle timeout above the target's response time, or answer sooner."}
	case "ECS_TARGET_KEEPALIVE_SHORTER_THAN_LB_IDLE_TIMEOUT":
		return words{fix: "Make the application's keep-alive timeout longer than the load balancer's idle timeout (60 seconds by default)."}
	case "ECS_IPV6_ONLY_NO_NAT64":
		return words{fix: "Turn DNS64 on in the IPv6-only subnet and route 64:ff9b::/96 to a NAT gateway, or give the subnet IPv4."}
	case "ECS_APPLIANCE_ASYMMETRIC_ROUTING":
		return words{fix: "Turn appliance mode on for the inspection VPC's transit gateway attachment (ApplianceModeSupport=enable), and route both directions of the flow through the inspection VPC."}
	case "ECS_PRIVATELINK_ENDPOINT_NOT_ACCEPTED":
		return words{fix: "Accept the endpoint connection in the endpoint service (or turn its acceptance requirement off)."}
	}
	return words{}
}
