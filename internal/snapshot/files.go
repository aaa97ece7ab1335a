package snapshot

import "strings"

// Call is one describe-* call of a snapshot: the aws CLI command, the file
// ecsnet collect, scripts/collect.sh and Write put its output in (under
// aws_configs/<region>/), and the top-level key Load recognizes it by.
type Call struct {
	Service   string // aws CLI service name: ec2, ecs, elbv2, elb, autoscaling, servicediscovery
	Operation string // aws CLI operation: describe-vpcs, …
	// File is the file name; "" for describe-target-health (one file per
	// target group, see TargetHealthFileName) and Cloud Map's
	// list-instances (one per service, see ServiceInstancesFileName) and
	// describe-instance-attribute --attribute userData (one per instance,
	// see UserDataFileName), and elbv2's describe-target-group-attributes
	// and describe-load-balancer-attributes (one per group and load
	// balancer, see TargetGroupAttributesFileName and
	// LoadBalancerAttributesFileName; both outputs' key is Attributes, told
	// apart by the ARN beside it).
	// events list-rules' file holds every event bus's rules under "Rules"
	// (the key elbv2 describe-rules answers under: its seen key is
	// "EventRules"); list-targets-by-rule is one file per rule, its bus
	// and name beside the targets (EventTargetsFileName).
	// acm describe-certificate is one file per certificate
	// (ACMCertificateFileName), its output as the aws CLI prints it.
	// ec2 describe-vpc-attribute is one file per VPC and attribute
	// (enableDnsSupport, enableDnsHostnames; VPCAttributeFileName), its
	// output as the aws CLI prints it (the VPC's id beside the value).
	// ec2 search-transit-gateway-routes and
	// get-transit-gateway-route-table-associations and -propagations are
	// one file per transit gateway route table (TGWRoutesFileName,
	// TGWAssociationsFileName, TGWPropagationsFileName).
	// ec2 get-managed-prefix-list-entries and
	// describe-vpc-endpoint-service-permissions and elb's
	// describe-load-balancer-attributes and describe-load-balancer-policies
	// are one file per prefix list, endpoint service and Classic Load
	// Balancer, the id or name beside the output
	// (ManagedPrefixListEntriesFileName, EndpointServicePermissionsFileName,
	// ClassicAttributesFileName, ClassicPoliciesFileName).
	// Cloud Map's get-service file holds every service's get-service
	// output merged, under "Services".
	// ECS's describe-daemon file holds every daemon's describe-daemon
	// output merged, under "daemons" (as describe-task-definition's, under
	// "taskDefinitions").
	File string
	Key  string // top-level key of the output
}

// Command returns "ec2 describe-vpcs".
func (c Call) Command() string { return c.Service + " " + c.Operation }

// Calls returns the describe-* calls a full snapshot holds, in the order
// the collectors make them.
func Calls() []Call {
	return []Call{
		{"ec2", "describe-vpcs", "ec2-describe-vpcs.json", "Vpcs"},
		{"ec2", "describe-vpc-attribute", "", "EnableDnsSupport"},
		{"ec2", "describe-subnets", "ec2-describe-subnets.json", "Subnets"},
		{"ec2", "describe-route-tables", "ec2-describe-route-tables.json", "RouteTables"},
		{"ec2", "describe-internet-gateways", "ec2-describe-internet-gateways.json", "InternetGateways"},
		{"ec2", "describe-egress-only-internet-gateways", "ec2-describe-egress-only-internet-gateways.json", "EgressOnlyInternetGateways"},
		{"ec2", "describe-nat-gateways", "ec2-describe-nat-gateways.json", "NatGateways"},
		{"ec2", "describe-network-acls", "ec2-describe-network-acls.json", "NetworkAcls"},
		{"ec2", "describe-security-groups", "ec2-describe-security-groups.json", "SecurityGroups"},
		{"ec2", "describe-network-interfaces", "ec2-describe-network-interfaces.json", "NetworkInterfaces"},
		{"ec2", "describe-instances", "ec2-describe-instances.json", "Reservations"},
		{"ec2", "describe-instance-attribute", "", "UserData"},
		{"ec2", "describe-addresses", "ec2-describe-addresses.json", "Addresses"},
		{"ec2", "describe-vpc-endpoints", "ec2-describe-vpc-endpoints.json", "VpcEndpoints"},
		{"ec2", "describe-dhcp-options", "ec2-describe-dhcp-options.json", "DhcpOptions"},
		{"ec2", "describe-vpc-endpoint-service-configurations", "ec2-describe-vpc-endpoint-service-configurations.json", "ServiceConfigurations"},
		{"ec2", "describe-vpc-endpoint-service-permissions", "", "AllowedPrincipals"},
		{"ec2", "describe-vpc-endpoint-connections", "ec2-describe-vpc-endpoint-connections.json", "VpcEndpointConnections"},
		{"ec2", "describe-prefix-lists", "ec2-describe-prefix-lists.json", "PrefixLists"},
		{"ec2", "describe-managed-prefix-lists", "ec2-describe-managed-prefix-lists.json", "PrefixLists"},
		{"ec2", "get-managed-prefix-list-entries", "", "Entries"},
		{"ec2", "describe-vpc-block-public-access-options", "ec2-describe-vpc-block-public-access-options.json", "VpcBlockPublicAccessOptions"},
		{"ec2", "describe-vpc-block-public-access-exclusions", "ec2-describe-vpc-block-public-access-exclusions.json", "VpcBlockPublicAccessExclusions"},
		{"ec2", "describe-vpc-peering-connections", "ec2-describe-vpc-peering-connections.json", "VpcPeeringConnections"},
		{"ec2", "describe-transit-gateways", "ec2-describe-transit-gateways.json", "TransitGateways"},
		{"ec2", "describe-transit-gateway-attachments", "ec2-describe-transit-gateway-attachments.json", "TransitGatewayAttachments"},
		{"ec2", "describe-transit-gateway-vpc-attachments", "ec2-describe-transit-gateway-vpc-attachments.json", "TransitGatewayVpcAttachments"},
		{"ec2", "describe-transit-gateway-peering-attachments", "ec2-describe-transit-gateway-peering-attachments.json", "TransitGatewayPeeringAttachments"},
		{"ec2", "describe-transit-gateway-route-tables", "ec2-describe-transit-gateway-route-tables.json", "TransitGatewayRouteTables"},
		{"ec2", "search-transit-gateway-routes", "", "Routes"},
		{"ec2", "get-transit-gateway-route-table-associations", "", "Associations"},
		{"ec2", "get-transit-gateway-route-table-propagations", "", "TransitGatewayRouteTablePropagations"},
		{"ec2", "describe-launch-templates", "ec2-describe-launch-templates.json", "LaunchTemplates"},
		{"ec2", "describe-launch-template-versions", "ec2-describe-launch-template-versions.json", "LaunchTemplateVersions"},
		{"autoscaling", "describe-auto-scaling-groups", "autoscaling-describe-auto-scaling-groups.json", "AutoScalingGroups"},
		{"autoscaling", "describe-launch-configurations", "autoscaling-describe-launch-configurations.json", "LaunchConfigurations"},
		{"ecs", "describe-clusters", "ecs-describe-clusters.json", "clusters"},
		{"ecs", "describe-capacity-providers", "ecs-describe-capacity-providers.json", "capacityProviders"},
		{"ecs", "describe-container-instances", "ecs-describe-container-instances.json", "containerInstances"},
		{"ecs", "describe-services", "ecs-describe-services.json", "services"},
		{"ecs", "describe-tasks", "ecs-describe-tasks.json", "tasks"},
		{"ecs", "describe-task-definition", "ecs-describe-task-definition.json", "taskDefinitions"},
		{"ecs", "describe-daemon", "ecs-describe-daemon.json", "daemons"},
		{"ecs", "describe-daemon-deployments", "ecs-describe-daemon-deployments.json", "daemonDeployments"},
		{"ecs", "describe-daemon-revisions", "ecs-describe-daemon-revisions.json", "daemonRevisions"},
		{"ecs", "describe-daemon-task-definition", "ecs-describe-daemon-task-definition.json", "daemonTaskDefinitions"},
		{"efs", "describe-file-systems", "efs-describe-file-systems.json", "FileSystems"},
		{"efs", "describe-mount-targets", "efs-describe-mount-targets.json", "MountTargets"},
		{"efs", "describe-access-points", "efs-describe-access-points.json", "AccessPoints"},
		{"events", "list-rules", "events-list-rules.json", "EventRules"},
		{"events", "list-targets-by-rule", "", "Targets"},
		{"acm", "list-certificates", "acm-list-certificates.json", "CertificateSummaryList"},
		{"acm", "describe-certificate", "", "Certificate"},
		{"elbv2", "describe-load-balancers", "elbv2-describe-load-balancers.json", "LoadBalancers"},
		{"elbv2", "describe-listeners", "elbv2-describe-listeners.json", "Listeners"},
		{"elbv2", "describe-rules", "elbv2-describe-rules.json", "Rules"},
		{"elbv2", "describe-target-groups", "elbv2-describe-target-groups.json", "TargetGroups"},
		{"elbv2", "describe-target-health", "", "TargetHealthDescriptions"},
		{"elbv2", "describe-target-group-attributes", "", "Attributes"},
		{"elbv2", "describe-load-balancer-attributes", "", "Attributes"},
		{"elb", "describe-load-balancers", "elb-describe-load-balancers.json", "LoadBalancerDescriptions"},
		{"elb", "describe-load-balancer-attributes", "", "LoadBalancerAttributes"},
		{"elb", "describe-load-balancer-policies", "", "PolicyDescriptions"},
		{"servicediscovery", "list-namespaces", "servicediscovery-list-namespaces.json", "Namespaces"},
		{"servicediscovery", "get-service", "servicediscovery-get-service.json", "Services"},
		{"servicediscovery", "list-instances", "", "Instances"},
	}
}

// UserDataFileName is the file name ecsnet collect and scripts/collect.sh
// give one instance's describe-instance-attribute --attribute userData
// output ({"InstanceId": …, "UserData": {"Value": base64}}): describe-instances
// answers no user data, and what an instance's user data starts (the ECS
// agent's cluster, a web server) is what the analyzer needs of it.
func UserDataFileName(instanceID string) string {
	return "ec2-describe-instance-attribute-userdata-" + instanceID + ".json"
}

// ServiceInstancesFileName is the file name ecsnet collect and
// scripts/collect.sh give one Cloud Map service's list-instances output,
// with the service's id beside it ({"ServiceId": …, "Instances": […]}):
// servicediscovery-list-instances-<service id>.json.
func ServiceInstancesFileName(serviceID string) string {
	return "servicediscovery-list-instances-" + strings.ReplaceAll(serviceID, "/", "-") + ".json"
}

// ManagedPrefixListEntriesFileName is the file name ecsnet collect and
// scripts/collect.sh give one prefix list's get-managed-prefix-list-entries
// output, with the list's id beside it ({"PrefixListId": …, "Entries":
// […]}): describe-managed-prefix-lists names the lists, not their CIDRs.
func ManagedPrefixListEntriesFileName(prefixListID string) string {
	return "ec2-get-managed-prefix-list-entries-" + prefixListID + ".json"
}

// EndpointServicePermissionsFileName is the file name of one endpoint
// service's describe-vpc-endpoint-service-permissions output, with the
// service's id beside it ({"ServiceId": …, "AllowedPrincipals": […]}).
func EndpointServicePermissionsFileName(serviceID string) string {
	return "ec2-describe-vpc-endpoint-service-permissions-" + serviceID + ".json"
}

// ClassicAttributesFileName is the file name of one Classic Load
// Balancer's describe-load-balancer-attributes output, with its name
// beside it ({"LoadBalancerName": …, "LoadBalancerAttributes": {…}}).
func ClassicAttributesFileName(name string) string {
	return "elb-describe-load-balancer-attributes-" + name + ".json"
}

// ClassicPoliciesFileName is the file name of one Classic Load Balancer's
// describe-load-balancer-policies output, with its name beside it
// ({"LoadBalancerName": …, "PolicyDescriptions": […]}).
func ClassicPoliciesFileName(name string) string {
	return "elb-describe-load-balancer-policies-" + name + ".json"
}

// VPCAttributeFileName is the file name ecsnet collect and
// scripts/collect.sh give one VPC's describe-vpc-attribute output for one
// attribute (enableDnsSupport, enableDnsHostnames):
// ec2-describe-vpc-attribute-<attribute lower-cased>-<vpc id>.json. The
// output names its VPC ({"VpcId": …, "EnableDnsSupport": {"Value": true}}).
func VPCAttributeFileName(vpcID, attribute string) string {
	return "ec2-describe-vpc-attribute-" + strings.ToLower(attribute) + "-" + vpcID + ".json"
}
