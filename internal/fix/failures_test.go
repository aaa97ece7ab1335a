package fix_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// Every failure class of examples/failures: the probe its file expects
// fails with the expected verdict and root-cause code, and at least one
// fix of the expected kind is verified on a copy of the system.
func TestFailureExamples(t *testing.T) {
	cases := []struct {
		file     string
		cause    string
		fixKinds []string // a verified fix of one of these kinds must exist
	}{
		{"no-nat.yaml", reach.CodeImagePullFailed, []string{"nat-gateway"}},
		{"missing-ecr-endpoint.yaml", reach.CodeImagePullFailed, []string{"vpc-endpoints"}},
		{"missing-s3-gateway.yaml", reach.CodeImagePullFailed, []string{"vpc-endpoints"}},
		{"agent-no-path.yaml", reach.CodeAgentCannotRegister, []string{"nat-gateway"}},
		{"nlb-no-target-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"docker0-bip-without-restart.yaml", reach.CodeDocker0Overlap, []string{"user-data"}},
		{"docker0-asg-vpc-cidr-overlap.yaml", reach.CodeDocker0Overlap, []string{"user-data"}},
		{"old-agent-health-check.yaml", reach.CodePlacementMissingAttribute, []string{"user-data"}},
		{"old-agent-secrets-manager-env.yaml", reach.CodePlacementMissingAttribute, []string{"user-data"}},
		{"old-agent-firelens.yaml", reach.CodePlacementMissingAttribute, []string{"user-data"}},
		{"wrong-health-check-port.yaml", reach.CodeTargetUnhealthy, []string{"health-check"}},
		{"awsvpc-unmapped-health-port-sg.yaml", reach.CodeTargetUnhealthy, []string{"security-group"}},
		{"alb-health-one-node-subnet-missing.yaml", reach.CodeTargetUnhealthy, []string{"security-group"}},
		{"analyzer-only/alb-weighted-target-group-empty.yaml", reach.CodeNoRegisteredTargets, []string{"listener"}},
		{"app-loopback.yaml", reach.CodeAppBoundToLoopback, []string{"application"}},
		{"nacl-ephemeral.yaml", reach.CodeSubnetACLRestriction, []string{"network-acl"}},
		{"listener-rule-miss.yaml", reach.CodeNoRuleMatched, []string{"listener-rule"}},
		{"cloud-map-name.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		// Public failure stories (each file names its source).
		{"fargate-public-no-ip.yaml", reach.CodeImagePullFailed, []string{"fargate"}},
		{"secrets-no-endpoint.yaml", reach.CodeSecretsUnreachable, []string{"vpc-endpoints"}},
		{"health-check-404.yaml", reach.CodeTargetUnhealthy, []string{"health-check"}},
		{"task-sg-wrong-port.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"dynamic-ports-blocked.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"alb-private-subnets.yaml", reach.CodeReturnRouteMismatch, []string{"load-balancer"}},
		{"nat-in-private-subnet.yaml", reach.CodeImagePullFailed, []string{"nat-gateway"}},
		{"s3-prefix-egress.yaml", reach.CodeImagePullFailed, []string{"security-group"}},
		{"endpoint-private-dns-off.yaml", reach.CodeImagePullFailed, []string{"vpc-endpoints"}},
		{"alb-zone-missing.yaml", reach.CodeNoTargetsInAZ, []string{"load-balancer"}},
		{"task-public-ip-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"internal-alb-from-internet.yaml", reach.CodeInternalLB, []string{"load-balancer"}},
		// Round ten: AWS documentation and Knowledge Center classes.
		{"alb-sg-egress.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"alb-listener-port-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"health-check-port-sg.yaml", reach.CodeTargetUnhealthy, []string{"security-group"}},
		{"endpoint-sg-443.yaml", reach.CodeImagePullFailed, []string{"security-group"}},
		{"efs-mount-target-sg.yaml", reach.CodeEFSMountUnreachable, []string{"security-group"}},
		{"efs-no-mount-target-in-az.yaml", reach.CodeEFSNoMountTarget, []string{"efs"}},
		{"nat-blackhole.yaml", reach.CodeImagePullFailed, []string{"nat-gateway"}},
		{"public-subnet-no-igw-route.yaml", reach.CodeImagePullFailed, []string{"route"}},
		{"task-sg-no-egress.yaml", reach.CodeImagePullFailed, []string{"security-group"}},
		{"ipv6-alb-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"cloudfront-prefix-list.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"nlb-client-ip.yaml", reach.CodeSGRulesMismatch, []string{"target-group", "security-group"}},
		{"nlb-preserve-ip-fargate.yaml", reach.CodeSGRulesMismatch, []string{"target-group", "security-group"}},
		{"vpc-dns-off.yaml", reach.CodeImagePullFailed, []string{"vpc"}},
		{"ipv6-client-ipv4-alb.yaml", reach.CodeNoIPv6Address, []string{"load-balancer"}},
		// Round eleven: public failure classes.
		{"logs-no-endpoint.yaml", reach.CodeLogsUnreachable, []string{"vpc-endpoints"}},
		{"awsvpc-ec2-public-egress.yaml", reach.CodeIGWPublicIPEgress, []string{"subnets"}},
		{"nacl-nat-subnet.yaml", reach.CodeImagePullFailed, []string{"network-acl"}},
		{"private-nat-internet.yaml", reach.CodeImagePullFailed, []string{"nat-gateway"}},
		{"tgw-attachment-zone.yaml", reach.CodeTGWAttachAZRestriction, []string{"transit-gateway"}},
		{"tgw-return-route.yaml", reach.CodeReturnRouteMismatch, []string{"route"}},
		{"nlb-cross-zone-off.yaml", reach.CodeNoTargetsInAZ, []string{"load-balancer"}},
		{"alb-redirect-no-https-listener.yaml", reach.CodeListenerPortRestriction, []string{"listener"}},
		{"ecs-endpoint-missing.yaml", reach.CodeAgentCannotRegister, []string{"vpc-endpoints"}},
		{"ecs-instance-no-profile.yaml", reach.CodeAgentNoCredentials, []string{"iam"}},
		{"listener-wrong-target-group.yaml", reach.CodeNoRegisteredTargets, []string{"listener"}},
		{"nacl-deny-order.yaml", reach.CodeSubnetACLRestriction, []string{"network-acl"}},
		{"clb-cross-zone-off.yaml", reach.CodeNoTargetsInAZ, []string{"load-balancer"}},
		{"alb-client-ip-at-target.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"ecs-exec-no-ssmmessages.yaml", reach.CodeNoRouteToDestination, []string{"vpc-endpoints"}},
		// Round twelve.
		{"ecs-agent-endpoint-missing.yaml", reach.CodeAgentDisconnected, []string{"vpc-endpoints"}},
		{"cloud-map-other-vpc.yaml", reach.CodeCloudMapZoneNotAssociated, []string{"cloud-map"}},
		{"analyzer-only/service-connect-client-off.yaml", reach.CodeServiceConnectNoProxy, []string{"service-connect"}},
		{"health-check-302.yaml", reach.CodeTargetUnhealthy, []string{"health-check"}},
		{"s3-gateway-wrong-route-table.yaml", reach.CodeImagePullFailed, []string{"vpc-endpoints"}},
		{"trunking-unsupported-type.yaml", reach.CodeENICapacity, []string{"placement"}},
		{"private-task-to-public-alb.yaml", reach.CodeNoRouteToDestination, []string{"nat-gateway"}},
		{"alb-sg-vpc-cidr-via-nat.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"ipv6-no-default-route.yaml", reach.CodeNoRouteToDestination, []string{"route"}},
		// Round nineteen: a dualstack NLB over IPv6.
		{"analyzer-only/ipv6-nlb-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		// Placement: the probe reaches through the tasks that run.
		{"host-port-conflict.yaml", reach.CodePortConflict, []string{"placement"}},
		{"eni-limit.yaml", reach.CodeENICapacity, []string{"placement"}},
		{"host-mode-reserved-port.yaml", reach.CodePortConflict, []string{"placement"}},
		// An image that is not a reference (a Terraform sweep's finding).
		{"image-ecr-arn.yaml", reach.CodeImageRefInvalid, []string{"application"}},
		{"image-ecr-other-region.yaml", reach.CodeImagePullFailed, []string{"nat-gateway"}},
		// Round thirteen.
		{"nlb-hairpin.yaml", reach.CodeNLBHairpin, []string{"target-group"}},
		{"ssm-parameter-no-endpoint.yaml", reach.CodeSecretsUnreachable, []string{"vpc-endpoints"}},
		{"dockerhub-image-endpoints-only.yaml", reach.CodeImagePullFailed, []string{"nat-gateway"}},
		{"awsvpc-subnet-zone-no-instances.yaml", reach.CodePlacementZone, []string{"placement"}},
		{"peering-return-route.yaml", reach.CodeReturnRouteMismatch, []string{"route"}},
		{"peering-shared-nat.yaml", reach.CodeImagePullFailed, []string{"nat-gateway"}},
		{"subnet-main-route-table.yaml", reach.CodeImagePullFailed, []string{"route"}},
		{"secret-other-region.yaml", reach.CodeSecretsUnreachable, []string{"nat-gateway"}},
		{"logs-other-region.yaml", reach.CodeLogsUnreachable, []string{"task-definition"}},
		{"peering-not-accepted.yaml", reach.CodeBadStateRoute, []string{"vpc-peering"}},
		{"ipv6-egress-only-public.yaml", reach.CodeEgressOnlyInbound, []string{"route"}},
		{"service-desired-zero.yaml", reach.CodeDesiredCountZero, []string{"service"}},
		// Round fourteen.
		{"fargate-pv14-no-ecr-api.yaml", reach.CodeImagePullFailed, []string{"vpc-endpoints"}},
		{"ec2-public-subnet-no-public-ip.yaml", reach.CodeAgentCannotRegister, []string{"subnets"}},
		{"sg-no-self-reference.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"awsvpc-default-sg.yaml", reach.CodeSGRulesMismatch, []string{"service"}},
		{"tgw-no-propagation.yaml", reach.CodeTGWRTBCannotRoute, []string{"transit-gateway"}},
		{"endpoint-default-sg.yaml", reach.CodeImagePullFailed, []string{"security-group"}},
		{"endpoints-in-peered-vpc.yaml", reach.CodeImagePullFailed, []string{"vpc-endpoints"}},
		{"nlb-udp-health-check.yaml", reach.CodeTargetUnhealthy, []string{"health-check"}},
		{"s3-endpoint-policy-ecr-layers.yaml", reach.CodeImagePullFailed, []string{"vpc-endpoints"}},
		{"analyzer-only/service-connect-server-sg-alias-port.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		// Round fifteen.
		{"cloud-map-dns-hostnames-off.yaml", reach.CodePrivateZoneDNSOff, []string{"vpc"}},
		{"instance-sg-no-egress.yaml", reach.CodeAgentCannotRegister, []string{"security-group"}},
		{"runtask-migration-default-sg.yaml", reach.CodeSGRulesMismatch, []string{"task"}},
		{"nacl-task-subnet-pull.yaml", reach.CodeImagePullFailed, []string{"network-acl"}},
		{"tg-https-container-http.yaml", reach.CodeTargetTLSMismatch, []string{"target-group"}},
		{"agent-to-awsvpc-task.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"default-sg-no-rules.yaml", reach.CodeImagePullFailed, []string{"service"}},
		{"srv-only-a-lookup.yaml", reach.CodeCloudMapSRVOnly, []string{"application"}},
		{"tg-http-container-tls.yaml", reach.CodeTargetTLSMismatch, []string{"target-group"}},
		{"alb-plain-http-to-https-listener.yaml", reach.CodePlainHTTPToHTTPSListener, []string{"client-url"}},
		{"awsvpc-host-port-gone.yaml", reach.CodePortOnTaskENI, []string{"private-address"}},
		// VPC Block Public Access.
		{"bpa-fargate-public-ip.yaml", reach.CodeImagePullFailed, []string{"block-public-access"}},
		// Round sixteen.
		{"awsvpc-ec2-task-from-internet.yaml", reach.CodeAwsvpcNoPublicIP, []string{"load-balancer"}},
		{"fargate-task-no-public-ip-inbound.yaml", reach.CodeTaskNoPublicIP, []string{"fargate"}},
		{"nat-gateway-inbound.yaml", reach.CodeNATNoInbound, []string{"load-balancer"}},
		{"ping-load-balancer.yaml", reach.CodeLBNoICMP, []string{"probe"}},
		{"bridge-container-port-on-instance.yaml", reach.CodeNoHostPortBinding, []string{"host-port"}},
		{"clb-health-check-path.yaml", reach.CodeClassicNoInService, []string{"classic-health-check"}},
		{"awsvpc-db-sg-admits-instance-group.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"task-sg-egress-443-only.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"alb-subnet-nacl-outbound.yaml", reach.CodeSubnetACLRestriction, []string{"network-acl"}},
		{"https-listener-missing.yaml", reach.CodeListenerPortRestriction, []string{"listener"}},
		{"app-port-mismatch.yaml", reach.CodeAppPortMismatch, []string{"application"}},
		// Round seventeen.
		{"health-check-basic-auth.yaml", reach.CodeTargetUnhealthy, []string{"health-check"}},
		{"alb-path-prefix-not-stripped.yaml", reach.CodePathNotRewritten, []string{"application"}},
		{"alb-rule-catch-all-first.yaml", reach.CodeRuleShadowed, []string{"listener-rule"}},
		{"nlb-subnet-nacl-ephemeral.yaml", reach.CodeSubnetACLRestriction, []string{"network-acl"}},
		{"tgw-egress-no-default-route.yaml", reach.CodeImagePullFailed, []string{"transit-gateway"}},
		{"task-public-ip-nat-route.yaml", reach.CodeReturnRouteMismatch, []string{"load-balancer"}},
		// Round nineteen: a task role ECS cannot assume.
		{"task-role-trusts-ecs.yaml", reach.CodeTaskRoleUntrusted, []string{"iam"}},
		// Round nineteen: the article's trap on ECS Managed Instances.
		{"managed-instances-public-ip.yaml", reach.CodePortOnTaskENI, []string{"load-balancer"}},
		// Round twenty: new stories.
		{"efs-task-sg-egress.yaml", reach.CodeEFSMountUnreachable, []string{"security-group"}},
		{"secrets-endpoint-task-egress.yaml", reach.CodeSecretsUnreachable, []string{"security-group"}},
		{"logs-endpoint-private-dns-off.yaml", reach.CodeLogsUnreachable, []string{"vpc-endpoints"}},
		{"nlb-fargate-sg-no-ingress.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"private-subnet-az-no-nat-route.yaml", reach.CodeNoRouteToDestination, []string{"nat-gateway"}},
		{"dynamodb-prefix-list-egress.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"custom-dns-endpoints.yaml", reach.CodeImagePullFailed, []string{"vpc"}},
		{"efs-enterprise-dns.yaml", reach.CodeEFSNoMountTarget, []string{"vpc"}},
		{"cloud-map-ad-dns.yaml", reach.CodePrivateZoneCustomDNS, []string{"vpc"}},
		{"analyzer-only/awslogs-region-not-a-region.yaml", reach.CodeLogsUnreachable, []string{"task-definition"}},
		// Round twenty-one: public stories.
		{"tgw-blackhole-static-route.yaml", reach.CodeTGWRTBBadStateRoute, []string{"transit-gateway"}},
		{"peering-transitive.yaml", reach.CodePCXAddressNotInVpcCIDR, []string{"vpc-peering"}},
		{"endpoint-subnet-nacl.yaml", reach.CodeImagePullFailed, []string{"network-acl"}},
		{"nacl-s3-gateway-endpoint.yaml", reach.CodeImagePullFailed, []string{"network-acl"}},
		{"nlb-private-subnets.yaml", reach.CodeReturnRouteMismatch, []string{"load-balancer"}},
		{"ecr-endpoint-policy-deny-only.yaml", reach.CodeImagePullFailed, []string{"vpc-endpoints"}},
		// Round twenty-two: public stories.
		{"ssm-secrets-main-route-table.yaml", reach.CodeSecretsUnreachable, []string{"route"}},
		{"compose-sidecar-igw-no-route.yaml", reach.CodeImagePullFailed, []string{"route"}},
		{"health-check-override-port-sg.yaml", reach.CodeTargetUnhealthy, []string{"security-group"}},
		{"nlb-bastion-health-check-cidr.yaml", reach.CodeTargetUnhealthy, []string{"security-group"}},
		{"airflow-public-subnet-no-public-ip-secrets.yaml", reach.CodeSecretsUnreachable, []string{"fargate"}},
		{"env-files-default-vpc-no-public-ip.yaml", reach.CodeEnvFilesUnreachable, []string{"fargate"}},
		{"alb-sg-office-ip-nat-callers.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"fargate-service-sg-no-ingress.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"cdk-frontend-backend-cloud-map-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"rds-tunnel-db-subnet-nacl.yaml", reach.CodeSubnetACLRestriction, []string{"network-acl"}},
		{"cloudposse-web-app-default-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"cdk-nlb-added-sg-not-attached.yaml", reach.CodeSGRulesMismatch, []string{"service"}},
		{"analyzer-only/secrets-task-sg-egress-mysql-only.yaml", reach.CodeSecretsUnreachable, []string{"security-group"}},
		{"nlb-ip-targets-allowed-cidrs-only.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		// Round twenty-three: public stories.
		{"s3-gateway-one-zone-route-table.yaml", reach.CodeImagePullFailed, []string{"vpc-endpoints"}},
		{"nlb-udp-fargate-client-ip.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"ipv6-task-sg-ipv4-egress-only.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		// Round thirty-five: public stories.
		{"nlb-sg-no-egress.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"nat-eip-allowlist-one-zone.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"public-ecr-image-endpoints-only.yaml", reach.CodeImagePullFailed, []string{"nat-gateway"}},
		{"tgw-egress-nat-subnet-no-return-route.yaml", reach.CodeImagePullFailed, []string{"transit-gateway", "route"}},
		{"sns-publish-private-no-endpoint.yaml", reach.CodeNoRouteToDestination, []string{"vpc-endpoints", "nat-gateway"}},
		{"alb-path-rule-no-wildcard.yaml", reach.CodeNoRuleMatched, []string{"listener-rule"}},
		{"route53-private-zone-dns-hostnames-off.yaml", reach.CodePrivateZoneDNSOff, []string{"vpc"}},
		{"registry-port-5000-task-egress-443.yaml", reach.CodeImagePullFailed, []string{"security-group"}},
		{"alb-sg-egress-primary-cidr-secondary-targets.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"bridge-client-unused-task-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"analyzer-only/secrets-endpoint-private-dns-off.yaml", reach.CodeSecretsUnreachable, []string{"vpc-endpoints"}},
		{"alb-health-check-204-matcher-200.yaml", reach.CodeTargetUnhealthy, []string{"health-check"}},
		{"internal-alb-peered-vpc-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"alb-cloudfront-secret-header-direct.yaml", reach.CodeNoRuleMatched, []string{"client-request"}},
		{"host-mode-two-tasks-one-instance.yaml", reach.CodePortConflict, []string{"placement"}},
		{"tgw-attachment-no-association.yaml", reach.CodeTGWAttachNoRTB, []string{"transit-gateway"}},
		{"nacl-deny-all-private-subnets.yaml", reach.CodeSubnetACLRestriction, []string{"network-acl"}},
		{"alb-dualstack-without-public-ipv4-sg.yaml", reach.CodeLBNoPublicIPv4, []string{"load-balancer"}},
		{"sg-icmp-code-as-port.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"clb-instance-zone-not-enabled.yaml", reach.CodeNoTargetsInAZ, []string{"load-balancer"}},
		{"internal-nlb-peered-vpc-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"fargate-ipv6-egress-only-no-ipv4-pull.yaml", reach.CodeImagePullFailed, []string{"vpc-endpoints", "nat-gateway"}},
		{"secrets-endpoint-policy-other-account.yaml", reach.CodeSecretsUnreachable, []string{"vpc-endpoints"}},
		// Round twenty-five: public stories.
		{"nat-instance-sg-no-ingress.yaml", reach.CodeImagePullFailed, []string{"security-group"}},
		{"ecs-agent-ipv6-egress-only.yaml", reach.CodeAgentCannotRegister, []string{"nat-gateway"}},
		{"otel-collector-health-check-port-sg.yaml", reach.CodeTargetUnhealthy, []string{"security-group"}},
		{"eni-limit-service-discovery.yaml", reach.CodeENICapacity, []string{"placement", "capacity", "auto-scaling"}},
		{"alb-sg-egress-listener-port.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"cdk-bridge-ephemeral-ports.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"endpoint-zones-misnamed.yaml", reach.CodeImagePullFailed, []string{"vpc-endpoints"}},
		// Round twenty-six: public stories.
		{"efs-bridge-instance-sg.yaml", reach.CodeEFSMountUnreachable, []string{"security-group"}},
		{"peering-bridge-return-route.yaml", reach.CodeReturnRouteMismatch, []string{"route"}},
		{"ecs-exec-ec2-bridge-no-ssmmessages.yaml", reach.CodeNoRouteToDestination, []string{"vpc-endpoints"}},
		{"analyzer-only/teleport-db-service-private-subnets-no-nat.yaml", reach.CodeImagePullFailed, []string{"nat-gateway"}},
		{"preview-env-private-subnets-secrets.yaml", reach.CodeImagePullFailed, []string{"nat-gateway", "vpc-endpoints"}},
		{"analyzer-only/mesh-sg-no-egress-statsd.yaml", reach.CodeImagePullFailed, []string{"security-group"}},
		// Round twenty-seven: public stories.
		{"datadog-agent-host-port-awsvpc.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"endpoints-sg-task-group-ec2-agent.yaml", reach.CodeAgentCannotRegister, []string{"security-group"}},
		{"alb-sg-group-reference-via-nat.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"dynamic-ports-sg-49153.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"cloud-map-http-namespace-dns.yaml", reach.CodeCloudMapHTTPNamespace, []string{"application"}},
		{"tgw-attachment-subnet-nacl.yaml", reach.CodeSubnetACLRestriction, []string{"network-acl"}},
		{"alb-instance-targets-zone-not-enabled.yaml", reach.CodeNoTargetsInAZ, []string{"load-balancer"}},
		// Round twenty-eight: public stories.
		{"peering-public-dns-name-no-dns-resolution.yaml", reach.CodePeeringDNSPublicAddress, []string{"vpc-peering"}},
		{"copilot-db-in-default-vpc.yaml", reach.CodeNoRouteToDestination, []string{"vpc-peering"}},
		{"elastic-ip-same-vpc-group-reference.yaml", reach.CodeSGRulesMismatch, []string{"private-address"}},
		{"efs-peered-vpc-dns-name.yaml", reach.CodeEFSNoMountTarget, []string{"efs"}},
		{"public-record-instance-group-reference.yaml", reach.CodeSGRulesMismatch, []string{"route53", "private-address"}},
		{"peering-dns-resolution-wrong-side.yaml", reach.CodePeeringDNSPublicAddress, []string{"vpc-peering"}},
		{"alb-http2-target-group-http-listener.yaml", reach.CodeLBProtocolVersionMismatch, []string{"target-group"}},
		{"peering-dns-resolution-hostnames-off.yaml", reach.CodePeeringDNSPublicAddress, []string{"vpc"}},
		// Round thirty: failure stories.
		{"analyzer-only/imds-hop-limit-bridge-container.yaml", reach.CodeIMDSHopLimit, []string{"instance"}},
		{"ecs-instance-metadata-disabled.yaml", reach.CodeAgentNoCredentials, []string{"instance"}},
		// Round thirty-one.
		{"s3-endpoint-policy-env-file.yaml", reach.CodeEnvFilesUnreachable, []string{"vpc-endpoints"}},
		{"firelens-s3-config-endpoint-policy.yaml", reach.CodeFireLensConfigUnreachable, []string{"vpc-endpoints"}},
		{"splunk-log-driver-private-no-nat.yaml", reach.CodeLogDriverUnreachable, []string{"nat-gateway"}},
		{"splunk-hec-sg-task-group-ec2.yaml", reach.CodeLogDriverUnreachable, []string{"security-group"}},
		// Round thirty-two: failure stories.
		{"alb-slow-export-504.yaml", reach.CodeTargetResponseSlow, []string{"load-balancer"}},
		{"health-check-slow-endpoint-timeout.yaml", reach.CodeTargetUnhealthy, []string{"health-check"}},
		{"ses-smtp-endpoint-sg-https-only.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"custom-metrics-no-monitoring-endpoint.yaml", reach.CodeNoRouteToDestination, []string{"vpc-endpoints"}},
		{"ecs-telemetry-endpoint-missing.yaml", reach.CodeNoRouteToDestination, []string{"vpc-endpoints"}},
		{"smtp-port-25-from-fargate.yaml", reach.CodeSMTPPort25Restricted, []string{"client-port"}},
		{"bedrock-control-plane-endpoint-missing.yaml", reach.CodeNoRouteToDestination, []string{"vpc-endpoints"}},
		// Round thirty-three: failure stories.
		{"dogstatsd-awsvpc-instance-sg-udp.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"alb-grpc-target-group-http1.yaml", reach.CodeLBProtocolVersionMismatch, []string{"target-group"}},
		{"analyzer-only/service-connect-other-namespace.yaml", reach.CodeServiceConnectNoProxy, []string{"service-connect"}},
		{"analyzer-only/custom-dns-nacl-udp-replies.yaml", reach.CodeImagePullFailed, []string{"network-acl"}},
		// Round thirty-four.
		{"nlb-tls-target-group-plain-app.yaml", reach.CodeNLBTLSTargetHandshake, []string{"target-group"}},
		// Round thirty-four: failure stories.
		{"analyzer-only/apigw-execute-api-private-dns-public-api.yaml", reach.CodeAPIGatewayPublicThroughEndpoint, []string{"vpc-endpoints"}},
		{"private-registry-auth-secrets-endpoint-sg.yaml", reach.CodeSecretsUnreachable, []string{"security-group"}},
		{"docker0-peered-vpc-sftp.yaml", reach.CodeDocker0Overlap, []string{"user-data"}},
		{"ec2-awsvpc-private-task-no-nat.yaml", reach.CodeNoRouteToDestination, []string{"nat-gateway"}},
		{"fargate-dualstack-ipv6-setting-disabled.yaml", reach.CodeNoIPv6Address, []string{"ecs"}},
		{"analyzer-only/health-check-grace-period-slow-start.yaml", reach.CodeTaskStoppedBeforeReady, []string{"ecs"}},
		{"centralized-endpoints-zone-not-associated.yaml", reach.CodeImagePullFailed, []string{"route53"}},
		{"analyzer-only/alb-oidc-sg-egress-targets-only.yaml", reach.CodeALBIdPUnreachable, []string{"security-group"}},
		{"analyzer-only/alb-oidc-internal-no-nat.yaml", reach.CodeALBIdPUnreachable, []string{"nat-gateway"}},
		{"alb-ipv6-target-group-dualstack-setting-off.yaml", reach.CodeNoIPv6Address, []string{"ecs"}},
		{"private-registry-auth-secret-other-region.yaml", reach.CodeSecretsUnreachable, []string{"nat-gateway"}},
		{"analyzer-only/nlb-slow-start-grace-period.yaml", reach.CodeTaskStoppedBeforeReady, []string{"ecs"}},
		{"shared-endpoints-peering-zone-not-associated.yaml", reach.CodeImagePullFailed, []string{"route53"}},
		{"analyzer-only/bridge-slow-start-grace-period.yaml", reach.CodeTaskStoppedBeforeReady, []string{"ecs"}},
		{"analyzer-only/codedeploy-task-set-slow-start.yaml", reach.CodeTaskStoppedBeforeReady, []string{"ecs"}},
		{"analyzer-only/tgw-inspection-vpc-appliance-mode-off.yaml", reach.CodeApplianceAsymmetric, []string{"transit-gateway"}},
		{"analyzer-only/network-firewall-egress-allow-list-port.yaml", reach.CodeNetworkFirewallDrop, []string{"network-firewall"}},
		{"analyzer-only/network-firewall-domain-allowlist-ecr.yaml", reach.CodeImagePullFailed, []string{"network-firewall"}},
		{"analyzer-only/gwlb-ingress-routing-reply-bypass.yaml", reach.CodeIngressAsymmetric, []string{"route"}},
		{"peering-subnet-nacl-own-vpc-only.yaml", reach.CodeSubnetACLRestriction, []string{"network-acl"}},
		{"analyzer-only/grace-period-shorter-than-healthy-checks.yaml", reach.CodeTaskStoppedBeforeReady, []string{"ecs"}},
		{"analyzer-only/ipv6-only-endpoint-dns-records-ipv4.yaml", reach.CodeNoIPv6Address, []string{"vpc-endpoints"}},
		// Round thirty-four: an IPv6-only task pulls by ECR's IPv4-only name.
		{"analyzer-only/ipv6-only-ecr-ipv4-image-uri.yaml", reach.CodeImagePullFailed, []string{"task-definition"}},
		{"analyzer-only/ipv6-only-subnet-no-dns64.yaml", reach.CodeImagePullFailed, []string{"nat-gateway"}},
		// Round thirty-five: a regional NAT gateway's zones.
		{"analyzer-only/regional-nat-zone-not-listed.yaml", reach.CodeRegionalNATZoneNotServed, []string{"nat-gateway"}},
		// Round thirty-six: a NAT gateway forwarding into a transit gateway.
		{"private-nat-tgw-sg-task-range.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"nat-gateway-tgw-return-route.yaml", reach.CodeReturnRouteMismatch, []string{"route"}},
		{"tgw-egress-attachment-subnet-igw-route.yaml", reach.CodeIGWPublicIPEgress, []string{"nat-gateway"}},
		{"private-nat-subnet-nacl-replies.yaml", reach.CodeSubnetACLRestriction, []string{"network-acl"}},
		{"private-nat-tgw-no-propagation.yaml", reach.CodeTGWRTBCannotRoute, []string{"transit-gateway"}},
		{"nat-gateway-tgw-sg-private-subnets.yaml", reach.CodeSGRulesMismatch, []string{"route"}},
		{"tgw-egress-nat-subnet-nacl-own-vpc.yaml", reach.CodeSubnetACLRestriction, []string{"network-acl"}},
		{"nat-gateway-tgw-attachment-zone.yaml", reach.CodeTGWAttachAZRestriction, []string{"transit-gateway"}},
		{"route53-cname-old-nlb-name.yaml", reach.CodeDNSAliasDangling, []string{"route53"}},
		{"tgw-internal-alb-sg-own-vpc-only.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"analyzer-only/dual-stack-dns64-no-nat64-route.yaml", reach.CodeIPv6OnlyNoNAT64, []string{"nat-gateway"}},
		// Round thirty-nine: failure stories we had not seen.
		{"analyzer-only/alb-grpc-health-check-default-code-12.yaml", reach.CodeTargetUnhealthy, []string{"health-check"}},
		{"public-task-ip-bypasses-nat-allowlist.yaml", reach.CodeSGRulesMismatch, []string{"subnets"}},
		{"trunking-branch-limit-m5-large.yaml", reach.CodeENICapacity, []string{"placement"}},
		{"elasticache-sg-one-app-subnet.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"terraform-inline-and-rule-resources-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"copilot-from-tags-private-no-nat.yaml", reach.CodeImagePullFailed, []string{"nat-gateway"}},
		{"bridge-app-localhost-agent.yaml", reach.CodeLoopbackNotListening, []string{"client-url"}},
		{"awsvpc-task-localhost-host-daemon.yaml", reach.CodeLoopbackNotListening, []string{"client-url"}},
		{"route53-a-record-old-alb-node-ip.yaml", reach.CodeAddressNotAssigned, []string{"route53"}},
		// Round thirty-seven: failure stories we had not seen.
		{"analyzer-only/network-mode-none-worker.yaml", reach.CodeNetworkModeNone, []string{"task-definition"}},
		{"private-subnet-specific-route-igw.yaml", reach.CodeIGWPublicIPEgress, []string{"route"}},
		{"health-check-https-redirect-301.yaml", reach.CodeTargetUnhealthy, []string{"health-check"}},
		{"nlb-http-health-check-404.yaml", reach.CodeTargetUnhealthy, []string{"health-check"}},
		{"alb-https-target-health-check-http.yaml", reach.CodeTargetUnhealthy, []string{"health-check"}},
		{"nlb-passthrough-http-health-check-tls-port.yaml", reach.CodeTargetUnhealthy, []string{"health-check"}},
		{"nacl-app-subnets-container-port.yaml", reach.CodeSubnetACLRestriction, []string{"network-acl"}},
		{"task-subnet-nacl-egress-http-only.yaml", reach.CodeImagePullFailed, []string{"network-acl"}},
		{"service-second-target-group-port-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"analyzer-only/nlb-tls-listener-tcp-group-tls-app.yaml", reach.CodeNLBTLSListenerPlainToTLSTarget, []string{"target-group"}},
		{"peering-route-one-zone-table.yaml", reach.CodeNoRouteToDestination, []string{"route"}},
		{"endpoint-sg-admits-other-service-group.yaml", reach.CodeImagePullFailed, []string{"security-group"}},
		{"host-mode-instance-sg-app-port.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"prometheus-scrape-metrics-port-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		// Round thirty-eight: failure stories we had not seen.
		{"analyzer-only/service-connect-ingress-port-override-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"analyzer-only/service-connect-bridge-client-instance-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"analyzer-only/service-connect-peered-vpc-return-route.yaml", reach.CodeReturnRouteMismatch, []string{"route"}},
		{"analyzer-only/task-sg-egress-443-custom-dns.yaml", reach.CodeImagePullFailed, []string{"security-group"}},
		{"task-egress-group-ref-public-alb.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"analyzer-only/cloud-map-srv-bridge-dynamic-port-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"capacity-provider-asg-private-no-route.yaml", reach.CodeAgentCannotRegister, []string{"nat-gateway"}},
		{"nlb-public-preserve-ip-via-nat.yaml", reach.CodeSGRulesMismatch, []string{"security-group", "target-group"}},
		{"efs-data-subnet-nacl-mirrored-egress.yaml", reach.CodeEFSMountUnreachable, []string{"network-acl"}},
		{"efs-one-zone-service-other-zone.yaml", reach.CodeEFSNoMountTarget, []string{"efs"}},
		{"alb-sg-egress-container-port-bridge.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"alb-dualstack-subnet-nacl-ipv4-only.yaml", reach.CodeSubnetACLRestriction, []string{"network-acl"}},
		{"ecs-exec-awsvpc-ec2-public-instance.yaml", reach.CodeIGWPublicIPEgress, []string{"vpc-endpoints"}},
		{"bpa-block-ingress-fargate-public-ip.yaml", reach.CodeImagePullFailed, []string{"block-public-access"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			sc, err := scenario.Load(filepath.Join("../../examples/failures", c.file))
			if err != nil {
				t.Fatal(err)
			}
			b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
			if err != nil {
				t.Fatal(err)
			}
			var x *scenario.Expectation
			for i := range sc.Expect {
				if sc.Expect[i].Cause != "" {
					x = &sc.Expect[i]
				}
			}
			if x == nil || x.Cause != c.cause {
				t.Fatalf("the file's expectation names no cause %s: %+v", c.cause, sc.Expect)
			}
			req := func(q *reach.Query) {
				q.HTTPPath, q.HTTPHost, q.HTTPMethod, q.HTTPHeaders = x.Path, x.Host, x.Method, x.Header
				q.HTTPVersion, _ = reach.ParseHTTPVersion(x.HTTPVersion)
				q.PlainHTTP = x.PlainHTTP
				q.IPv6 = x.IPv6
			}
			fixes, res, err := fix.Find(b.Engine, x.From, x.To, x.Protocol, fix.Options{Request: req})
			if err != nil {
				t.Fatal(err)
			}
			if string(res.Verdict) != x.Verdict {
				t.Errorf("verdict %s, want %s: %s", res.Verdict, x.Verdict, res.Summary)
			}
			if !res.HasCode(c.cause) {
				t.Errorf("no %s in %+v", c.cause, res.Explanations)
			}
			found := false
			for _, f := range fixes {
				for _, k := range c.fixKinds {
					if f.Kind == k {
						found = true
						if f.Verification.Verdict == "" || len(f.Commands) == 0 || f.Scenario == "" {
							t.Errorf("fix %q lacks its verification, commands or scenario: %+v", f.Title, f)
						}
					}
				}
			}
			if !found {
				var titles []string
				for _, f := range fixes {
					titles = append(titles, f.Kind+": "+f.Title)
				}
				t.Errorf("no verified %v fix; got:\n%s", c.fixKinds, strings.Join(titles, "\n"))
			}
		})
	}
}

// The fix the story's engineer applied, not only one that works: the
// title of a verified fix names it.
func TestFailureStoryFixes(t *testing.T) {
	for _, c := range []struct{ file, title string }{
		// 7thzero: egress to the S3 prefix list, not 0.0.0.0/0.
		{"s3-prefix-egress.yaml", "prefix list com.amazonaws.us-east-1.s3 (pl-"},
		// The NLB's nodes in the VPC's secondary block: that block, not
		// the primary one (which the group admits already).
		{"nlb-secondary-cidr-sg.yaml", "Allow tcp/8080 from the VPC 10.1.0.0/16 on security group svc-sg"},
		// The tasks' zones added to the load balancer.
		{"alb-zone-missing.yaml", "add the subnets public-c, public-d"},
		// The container port from the load balancer's group.
		{"task-sg-wrong-port.yaml", "Allow tcp/8080 from security group alb-sg"},
		// The dynamic host port range from the load balancer's group.
		{"dynamic-ports-blocked.yaml", "Allow tcp/32768-65535 from security group alb-sg"},
		// A new internet-facing load balancer (the scheme is fixed).
		{"internal-alb-from-internet.yaml", "Create an internet-facing load balancer web-alb-public"},
		// Private DNS on the existing endpoints.
		{"endpoint-private-dns-off.yaml", "Enable private DNS on the VPC endpoints"},
		// The image by ECR's dual-stack registry name, no NAT gateway.
		{"analyzer-only/ipv6-only-ecr-ipv4-image-uri.yaml", "Pull api by ECR's dual-stack registry name (123456789012.dkr.ecr.us-east-1.amazonaws.com/api:7 → 123456789012.dkr-ecr.us-east-1.on.aws/api:7)"},
		// Round ten: each story's own remedy (the file's fix: names it too).
		{"alb-sg-egress.yaml", "Allow tcp/3000 to security group task-sg on security group alb-sg"},
		{"health-check-port-sg.yaml", "Allow tcp/8081 from security group alb-sg on security group task-sg"},
		{"endpoint-sg-443.yaml", "Allow tcp/443 from security group task-sg on security group endpoints-sg"},
		{"nat-blackhole.yaml", "route 0.0.0.0/0 to it from route table private"},
		{"public-subnet-no-igw-route.yaml", "Associate app-a, app-b with route table public"},
		{"nlb-client-ip.yaml", "Turn client IP preservation off on target group web-tg"},
		// Clients kept visible: the NLB's group referenced.
		{"nlb-preserve-ip-fargate.yaml", "Allow tcp/3000 from security group nlb-sg (the load balancer's) on security group task-sg"},
		{"host-port-conflict.yaml", "Use dynamic host ports (hostPort 0) for web:80 in web, and allow tcp/32768-65535 on instance-sg from alb-sg"},
		{"eni-limit.yaml", "Turn awsvpcTrunking on for the account and replace the instances of ecs-asg"},
		// Round twelve.
		{"ecs-agent-endpoint-missing.yaml", "Add the VPC endpoint ecs-agent"},
		{"cloud-map-other-vpc.yaml", "Associate the hosted zone of the Cloud Map namespace core.local with the VPC app"},
		{"analyzer-only/service-connect-client-off.yaml", "Enable Service Connect on the service orders in the namespace shop"},
		{"health-check-302.yaml", "Check the health of web-tg on /login"},
		// Round seventeen.
		{"health-check-basic-auth.yaml", "Accept 401 in the health check matcher of site-tg (200,401)"},
		{"alb-path-prefix-not-stripped.yaml", "Serve the routes of container api under /api too"},
		// Round nineteen: the ALB's url-rewrite transform (2025) strips it.
		{"alb-path-prefix-not-stripped.yaml", "Strip /api at the load balancer: a URL rewrite transform on listener rule 10 (path /api/*)"},
		{"alb-rule-catch-all-first.yaml", "Give listener rule 2 (path /api/*) priority 1, before rule 1 (path /*)"},
		{"nlb-subnet-nacl-ephemeral.yaml", "Add ingress rule 110 to network ACL edge: allow tcp 1024-65535 from 10.0.0.0/16"},
		{"task-public-ip-nat-route.yaml", "Put an internet-facing Application Load Balancer in front of service api (target type ip, port 8080)"},
		{"tgw-egress-no-default-route.yaml", "Add a static route 0.0.0.0/0 to the transit gateway attachment egress-att (the egress VPC, NAT gateway"},
		{"s3-gateway-wrong-route-table.yaml", "Associate route table private with the S3 gateway endpoint s3"},
		{"trunking-unsupported-type.yaml", "Change the instance type of launch template ecs-node from t3.medium to c5.large"},
		{"alb-sg-vpc-cidr-via-nat.yaml", "Allow tcp/80 from the NAT gateway nat's Elastic IP 54.160.0.10/32 on security group alb-sg"},
		// Round thirteen.
		{"nlb-hairpin.yaml", "Turn client IP preservation off on target group web-tg"},
		{"ssm-parameter-no-endpoint.yaml", "Add the VPC endpoint ssm"},
		{"awsvpc-subnet-zone-no-instances.yaml", "Run the service web in the subnets private-a, private-b"},
		{"peering-return-route.yaml", "Route 10.0.0.0/16 (the VPC app) to VPC peering connection app-shared in route table shared"},
		{"peering-shared-nat.yaml", "Add a NAT gateway in public-a"},
		// The existing NAT route table, not a new NAT gateway.
		{"subnet-main-route-table.yaml", "Associate private-a, private-b with route table private (0.0.0.0/0 to a NAT gateway)"},
		// The region corrected, not a NAT gateway.
		{"logs-other-region.yaml", "Set awslogs-region to us-east-1 (the VPC's region) for web in web and redeploy web"},
		{"peering-not-accepted.yaml", "Accept the VPC peering connection app-shared"},
		// Round fourteen.
		{"fargate-pv14-no-ecr-api.yaml", "Add the VPC endpoint ecr.api"},
		{"ec2-public-subnet-no-public-ip.yaml", "Turn on auto-assign public IPv4 (MapPublicIpOnLaunch) in subnet public-a, public-b and replace the instances of ecs-asg"},
		{"sg-no-self-reference.yaml", "Allow tcp/8080 from security group app-sg on security group app-sg"},
		{"awsvpc-default-sg.yaml", "Give the service web the security group web-sg"},
		{"tgw-no-propagation.yaml", "Propagate the routes of the transit gateway attachment shared-att to the transit gateway route table spokes"},
		{"endpoint-default-sg.yaml", "Allow tcp/443 from security group task-sg on security group default"},
		{"endpoints-in-peered-vpc.yaml", "Add the VPC endpoints ecr.api, ecr.dkr, logs"},
		{"nlb-udp-health-check.yaml", "Check the health of syslog-tg on tcp/8080"},
		{"s3-endpoint-policy-ecr-layers.yaml", "Allow s3:GetObject on arn:aws:s3:::prod-us-east-1-starport-layer-bucket/* in the policy of the S3 gateway endpoint s3"},
		{"analyzer-only/service-connect-server-sg-alias-port.yaml", "Allow tcp/8080 from security group client-sg on security group ledger-sg"},
		// Round fifteen.
		{"cloud-map-dns-hostnames-off.yaml", "Turn on enableDnsHostnames in the VPC main"},
		{"instance-sg-no-egress.yaml", "Allow tcp/443 to anywhere (0.0.0.0/0) on security group instance-sg"},
		{"runtask-migration-default-sg.yaml", "Run the task migrate again with the security group worker-sg"},
		{"tg-https-container-http.yaml", "Forward to a new target group web-tg-http of protocol HTTP instead of web-tg (HTTPS), and register the service web in it"},
		{"nlb-tls-target-group-plain-app.yaml", "Forward to a new target group api-tg-tcp of protocol TCP instead of api-tg (TLS), and register the service api in it"},
		{"nlb-tls-target-group-plain-app.yaml", "Make container api of api serve TLS on port 8080, and redeploy"},
		{"agent-to-awsvpc-task.yaml", "Allow tcp/8080 from security group instance-sg on security group app-sg"},
		{"default-sg-no-rules.yaml", "Give the service consul-ui the security group ui-sg"},
		{"srv-only-a-lookup.yaml", "Look peers.internal up as an SRV record"},
		// An HTTP answer (400) that is a failure: the fix must answer 2xx.
		{"tg-http-container-tls.yaml", "Forward to a new target group web-tg-https of protocol HTTPS instead of web-tg (HTTP)"},
		{"alb-plain-http-to-https-listener.yaml", "Call https://<DNS name of hooks-alb>/ instead of http://"},
		{"nacl-task-subnet-pull.yaml", "Add ingress rule 120 to network ACL web-acl: allow tcp 1024-65535 from 0.0.0.0/0"},
		// Round sixteen: each story's own remedy.
		{"awsvpc-ec2-task-from-internet.yaml", "Put an internet-facing Application Load Balancer in front of service api (target type ip, port 8080)"},
		{"fargate-task-no-public-ip-inbound.yaml", "Set assignPublicIp ENABLED on the Fargate service api"},
		{"nat-gateway-inbound.yaml", "Put an internet-facing Application Load Balancer in front of service api (target type ip, port 8080)"},
		{"ping-load-balancer.yaml", "Test the listener tcp/80 of web-alb instead of ping"},
		{"bridge-container-port-on-instance.yaml", "Connect to host port 32768 (the task's binding of container port 3000)"},
		{"opensearch-config-api-private-vpc-no-endpoint.yaml", "Add the VPC endpoint es with the security group endpoints-sg"},
		{"opensearch-client-port-9200.yaml", "Connect to port 443 (where the container opensearch of search/0 listens), not 9200"},
		{"bridge-consul-advertises-container-address.yaml", "Connect to 10.0.1.4:8300 (the instance's address and the task's host port for container port 8300), not the container's bridge address 172.17.0.2"},
		{"clb-health-check-path.yaml", "Check the health of the Classic Load Balancer web-elb on HTTP:8080/, which the application answers with 200"},
		{"clb-ssl-health-check-plain-port.yaml", "Check the health of the Classic Load Balancer web-elb on TCP:8080, without TLS"},
		{"awsvpc-db-sg-admits-instance-group.yaml", "Allow tcp/5432 from security group orders-sg on security group db-sg"},
		{"task-sg-egress-443-only.yaml", "Allow tcp/5432 to security group db-sg on security group api-sg"},
		// Every task's address: the VPC range, not the first task's /32.
		{"alb-subnet-nacl-outbound.yaml", "Add egress rule 120 to network ACL public-acl: allow tcp 80 to 10.0.0.0/16"},
		{"https-listener-missing.yaml", "Add a listener HTTP:443 to web-alb"},
		{"app-port-mismatch.yaml", "Make the application of container web listen on 80 (its containerPort), not 3000"},
		// Round nineteen: the load balancer, as for awsvpc tasks on EC2.
		{"managed-instances-public-ip.yaml", "Put an internet-facing Application Load Balancer in front of service api (target type ip, port 8080)"},
		// Round twenty: each story's own remedy.
		{"efs-task-sg-egress.yaml", "Allow tcp/2049 to the VPC 10.0.0.0/16 on security group task-sg"},
		{"secrets-endpoint-task-egress.yaml", "Allow tcp/443 to the VPC 10.0.0.0/16 on security group task-sg"},
		{"logs-endpoint-private-dns-off.yaml", "Enable private DNS on the VPC endpoint logs"},
		{"nlb-fargate-sg-no-ingress.yaml", "Allow tcp/80 from the VPC 10.0.0.0/16 on security group service-sg"},
		// The route to the NAT gateway the VPC has, not a new one.
		{"private-subnet-az-no-nat-route.yaml", "Route 0.0.0.0/0 to the NAT gateway nat-b (us-east-1b) from route table private-c"},
		// The gateway endpoint's prefix list, not anywhere.
		{"dynamodb-prefix-list-egress.yaml", "Allow tcp/443 to the prefix list com.amazonaws.us-east-1.dynamodb (pl-02cd2c6b"},
		// The Amazon-provided DNS server, not a NAT gateway around the endpoints.
		{"custom-dns-endpoints.yaml", "Use the Amazon-provided DNS server in the VPC main"},
		{"efs-enterprise-dns.yaml", "Use the Amazon-provided DNS server in the VPC main"},
		{"cloud-map-ad-dns.yaml", "Use the Amazon-provided DNS server in the VPC main"},
		{"analyzer-only/awslogs-region-not-a-region.yaml", "Set awslogs-region to us-east-1 (the VPC's region) for wordpress in wordpress"},
		// Round twenty-one: the blackhole deleted, so the propagated route
		// carries the traffic; a direct peering, not a route through the hub.
		{"tgw-blackhole-static-route.yaml", "Delete the blackhole route 10.1.0.0/16 from transit gateway route table spokes"},
		{"peering-transitive.yaml", "Peer the VPC app with the VPC data directly and route 10.2.0.0/16 and 10.0.0.0/16"},
		// The replies to every task of the VPC, not to the stopped first task's /32.
		{"endpoint-subnet-nacl.yaml", "Add egress rule 110 to network ACL endpoints: allow tcp 1024-65535 to 10.0.0.0/16"},
		// Both ECR endpoints' policies at once: fixing ecr.api alone fails at ecr.dkr.
		{"ecr-endpoint-policy-deny-only.yaml", "Allow the start path's calls in the policies of the endpoints ecr-api (ecr:GetAuthorizationToken on *), ecr-dkr"},
		// A Network Load Balancer keeps its subnets: a new one in the public subnets.
		{"nlb-private-subnets.yaml", "Create a Network Load Balancer web-nlb-public in the public subnets public-a, public-b to take the place of web-nlb"},
		// Subnets that route as the service's own, with room for every task.
		{"fargate-subnet-no-free-addresses.yaml", "Run the service media in the subnets app-a (250 free), app-b (251 free)"},
		// Network ACL entries take no prefix list: S3's ranges, here anywhere.
		{"nacl-s3-gateway-endpoint.yaml", "Add egress rule 110 to network ACL private-acl: allow tcp 443 to 0.0.0.0/0"},
		// Round twenty-two. An internet gateway no route table uses: the
		// route in the subnets' (main) table, which serves the tasks and
		// the load balancer alike.
		{"ssm-secrets-main-route-table.yaml", "Route 0.0.0.0/0 to internet gateway igw in route table rtb-049fa4256f350f9e6 (the VPC's main route table)"},
		{"compose-sidecar-igw-no-route.yaml", "Route 0.0.0.0/0 to internet gateway igw in route table rt"},
		// The health check port through both groups: neither rule alone passes.
		{"health-check-override-port-sg.yaml", "Allow tcp/5000 from security group lb-sg on security group service-sg, and tcp/5000 to security group service-sg on security group lb-sg (egress)"},
		{"nlb-bastion-health-check-cidr.yaml", "Allow tcp/22 from the VPC 10.0.0.0/16 on security group bastion-sg"},
		// Every NAT gateway's Elastic IP: each zone's tasks leave by their own.
		{"alb-sg-office-ip-nat-callers.yaml", "Allow tcp/80 from the Elastic IPs of every NAT gateway of the VPC (nat-2 198.51.100.22/32, nat-1 198.51.100.21/32) on security group lb-sg"},
		// The request and its reply: two entries in one fix.
		{"rds-tunnel-db-subnet-nacl.yaml", "Add ingress rule 110 to network ACL db-acl: allow tcp 3306 from 10.0.0.0/16, and add egress rule 110 to network ACL db-acl: allow tcp 1024-65535 to 10.0.0.0/16"},
		// The group written for the NLB, on the service, not a new rule.
		{"cdk-nlb-added-sg-not-attached.yaml", "Add the security group nlb-sg-not-added to the service web"},
		{"analyzer-only/secrets-task-sg-egress-mysql-only.yaml", "Allow tcp/443 to anywhere (0.0.0.0/0) on security group releem-agent-sg (egress, for the start path's secretsmanager)"},
		{"cdk-frontend-backend-cloud-map-sg.yaml", "Allow tcp/8080 from security group hello-service-sg on security group wegood-service-sg"},
		// Round twenty-three. The zone-b route table on the S3 gateway
		// endpoint, verified by every task running, not the ALB's answer
		// (the zone-a task answers all along).
		{"s3-gateway-one-zone-route-table.yaml", "Associate route table private-az2 with the S3 gateway endpoint s3"},
		// The request's entry and the reply's, found by starting the
		// task again: a deny-all ACL drops both.
		{"nacl-deny-all-private-subnets.yaml", "Add egress rule 99 to network ACL private-acl: allow tcp 443 to 0.0.0.0/0, and add ingress rule 99 to network ACL private-acl: allow tcp 1024-65535 from 0.0.0.0/0"},
		// Public IPv4 back on the load balancer, not an internet-facing twin.
		{"alb-dualstack-without-public-ipv4-sg.yaml", "Make the load balancer site-alb dualstack (public IPv4 addresses for IPv4 clients)"},
		// The echo request's own type, any code (the broken rule had code 8).
		{"sg-icmp-code-as-port.yaml", "Allow icmp echo request (type 8) from security group monitor-sg on security group instance-sg"},
		// A subnet of the instance's zone on the Classic Load Balancer.
		{"clb-instance-zone-not-enabled.yaml", "Attach the subnets public-b to the Classic Load Balancer web-elb (the zones us-east-1b of its registered instances)"},
		// The peer's group across the peering connection, not anywhere.
		{"internal-nlb-peered-vpc-sg.yaml", "Allow tcp/443 from security group report-sg of the peered VPC data on security group nlb-sg"},
		{"tgw-attachment-no-association.yaml", "Associate the transit gateway attachment app-att with the transit gateway route table spokes"},
		// The refused secret itself (another account's), not the account's secrets.
		{"secrets-endpoint-policy-other-account.yaml", "Allow secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:111122223333:secret:shared/processor-api-key-Xy12Ab in the policy of the Secrets Manager interface endpoint secretsmanager"},
		// Round twenty-five. The NAT instance's group admits the VPC's
		// range (every private subnet it serves), not the tasks' group.
		{"nat-instance-sg-no-ingress.yaml", "Allow tcp/443 from the VPC 10.0.0.0/16 on security group nat-sg (ingress, for the start path's ecr.api through the NAT instance nat-box)"},
		// A ::/0 route to an egress-only gateway is no IPv4 default route:
		// the NAT gateway's route is created, not replaced.
		{"ecs-agent-ipv6-egress-only.yaml", "Add a NAT gateway in public-a (with an Elastic IP) and route 0.0.0.0/0 to it from route table private"},
		// The target group's port out of the load balancer's group, not the listener's.
		{"alb-sg-egress-listener-port.yaml", "Allow tcp/80 to security group caddy-sg on security group alb-sg"},
		// The ephemeral range from the load balancer's group, not the container port.
		{"cdk-bridge-ephemeral-ports.yaml", "Allow tcp/32768-65535 from security group alb-sg on security group instance-sg"},
		// A second instance: a t3.micro has no trunking.
		{"eni-limit-service-discovery.yaml", "Scale the Auto Scaling group ecs-asg to 2 instances"},
		{"otel-collector-health-check-port-sg.yaml", "Allow tcp/13133 from security group lb-sg on security group service-sg, and tcp/13133 to security group service-sg on security group lb-sg (egress)"},
		// Round twenty-six. The missing endpoint joins the group of the
		// VPC's other endpoints (it admits the VPC on 443), not a new one.
		{"ecs-exec-ec2-bridge-no-ssmmessages.yaml", "Add the VPC endpoint ssmmessages with the security group endpoints-sg of the VPC's other endpoints"},
		{"efs-bridge-instance-sg.yaml", "Allow tcp/2049 from security group instance-sg on security group efs-sg"},
		{"peering-bridge-return-route.yaml", "Route 10.10.0.0/16 (the VPC platform) to VPC peering connection platform-data in route table data-rt"},
		// The group the tasks share gets the egress, as the report's fix did.
		{"analyzer-only/mesh-sg-no-egress-statsd.yaml", "Allow tcp/443 to anywhere (0.0.0.0/0) on security group mesh-ecs-service"},
		// Round twenty-seven: each story's own remedy.
		{"datadog-agent-host-port-awsvpc.yaml", "Allow tcp/8126 from security group api-sg on security group instance-sg"},
		{"endpoints-sg-task-group-ec2-agent.yaml", "Allow tcp/443 from security group instance-sg on security group endpoints-sg"},
		// The NAT gateway's address: no group reference can name it.
		{"alb-sg-group-reference-via-nat.yaml", "Allow tcp/80 from the NAT gateway nat's Elastic IP 54.160.0.10/32 on security group alb-sg"},
		// The whole range ECS draws from, not the fallback's 49153-65535.
		{"dynamic-ports-sg-49153.yaml", "Allow tcp/32768-65535 from security group alb-sg on security group instance-sg"},
		// The API lookup the namespace offers, connecting to a task it returns.
		{"cloud-map-http-namespace-dns.yaml", "Find the tasks of api with DiscoverInstances (namespace internal, service api) in the client and connect to an address it returns (api/0:8080)"},
		// The attachment subnet's own network ACL, opened for the replies to the VPC.
		{"tgw-attachment-subnet-nacl.yaml", "Add egress rule 110 to network ACL tgw-acl: allow tcp 1024-65535 to 10.0.0.0/16"},
		// The instances' zone added to the load balancer.
		{"alb-instance-targets-zone-not-enabled.yaml", "Enable the targets' zones on the load balancer web-alb: add the subnets public-c"},
		// Round twenty-eight: the peering connection's DNS option on the
		// database's side, not the NAT gateway's address in its group.
		{"peering-public-dns-name-no-dns-resolution.yaml", "Allow DNS resolution from the remote VPC on the accepter side (the VPC data) of the VPC peering connection app-data"},
		// Two VPCs that nothing joins: a peering connection and routes both ways.
		{"copilot-db-in-default-vpc.yaml", "Peer the VPC copilot-env with the default VPC (vpc-"},
		// The instance's public DNS name (private inside the VPC), not the
		// NAT gateway's address in the database's group.
		{"elastic-ip-same-vpc-group-reference.yaml", "Connect to db-host's public DNS name ec2-3-215-40-7.compute-1.amazonaws.com instead of its public address 3.215.40.7"},
		// The file system's name answered in the app VPC, not a mount
		// target there (its mount targets are one VPC's).
		{"efs-peered-vpc-dns-name.yaml", "Answer fs-"},
		// A private answer for the one name, not the NAT gateway's address
		// in the group (nor a private zone of the whole domain).
		{"public-record-instance-group-reference.yaml", "Answer consul.example.com with the private address 10.0.1.5 in the VPC main: a private hosted zone of that name"},
		// The side whose names are asked (the requester's here), not the
		// client's own.
		{"peering-dns-resolution-wrong-side.yaml", "Allow DNS resolution from the remote VPC on the requester side (the VPC data) of the VPC peering connection data-app"},
		// A copy of the group in protocol version HTTP1 (the version cannot be modified).
		{"alb-http2-target-group-http-listener.yaml", "Forward to a new target group api-tg-http1 of protocol version HTTP1 instead of api-tg (HTTP2)"},
		// The option is on already: DNS hostnames in the client's VPC.
		{"peering-dns-resolution-hostnames-off.yaml", "Turn on enableDnsHostnames in the VPC app"},
		// Round twenty-nine: the Regional name the endpoint answers, not a
		// NAT gateway (nor a second endpoint, which the legacy name misses too).
		{"sqs-legacy-endpoint-name.yaml", "Call sqs.us-east-1.amazonaws.com instead of us-east-1.queue.amazonaws.com"},
		{"sts-global-endpoint-private-subnet.yaml", "Call sts.us-east-1.amazonaws.com instead of sts.amazonaws.com"},
		// The endpoint of the service the name is (firehose.REGION is
		// kinesis-firehose's private DNS name), not a NAT gateway.
		{"firelens-firehose-no-endpoint.yaml", "Add the VPC endpoint kinesis-firehose"},
		{"xray-daemon-private-no-endpoint.yaml", "Add the VPC endpoint xray"},
		{"ecs-exec-kms-no-endpoint.yaml", "Add the VPC endpoint kms"},
		{"xray-daemon-service-sg-tcp-only.yaml", "Allow udp/2000 from security group app-sg on security group xray-sg"},
		// The endpoint, within the group's VPC-only egress, not 443 to the internet.
		{"ecs-exec-task-sg-egress-vpc-only.yaml", "Add the VPC endpoint ssmmessages"},
		{"endpoint-sg-primary-cidr-secondary-subnets.yaml", "Allow tcp/443 from security group reports-sg on security group endpoints-sg"},
		// DynamoDB's gateway endpoint on the route table, not an interface
		// endpoint (whose private DNS does not answer dynamodb.REGION).
		{"kcl-consumer-no-dynamodb-endpoint.yaml", "Add the VPC endpoint dynamodb (gateway)"},
		// A bucket of another Region: the NAT gateway, not an S3 endpoint.
		{"s3-gateway-bucket-other-region.yaml", "Add a NAT gateway in public-a"},
		// AWS PrivateLink to an NLB endpoint service: the consumers' range on
		// the NLB's group, the NLB's addresses on the target's, the
		// connection accepted by the service's owner.
		{"analyzer-only/privatelink-nlb-sg-client-cidr.yaml", "Allow tcp/8443 from the VPC orders-vpc 10.1.0.0/16 on security group ledger-nlb-sg"},
		{"analyzer-only/privatelink-nlb-sg-client-cidr.yaml", "Turn off inbound rule evaluation for PrivateLink traffic on Network Load Balancer ledger-nlb"},
		{"analyzer-only/privatelink-target-sg-consumer-cidr.yaml", "Allow tcp/8443 from the VPC 10.2.0.0/16 on security group ledger-task-sg"},
		{"analyzer-only/privatelink-pending-acceptance.yaml", "Accept the connection of interface endpoint ledger-endpoint to endpoint service vpce-svc-"},
		// Round thirty. The service's port on the endpoint's group (it
		// admitted the AWS services' 443); S3's Regional name, not its
		// global one (us-east-1's), from eu-west-1.
		{"analyzer-only/privatelink-endpoint-sg-https-only.yaml", "Allow tcp/8443 from security group orders-sg on security group ledger-endpoint-sg"},
		{"analyzer-only/s3-global-name-gateway-other-region.yaml", "Call s3.eu-west-1.amazonaws.com instead of s3.amazonaws.com: the global name is us-east-1's"},
		// The start path's lookups through the VPC's own DNS server: udp/53
		// from the tasks' group on the server's, verified by the tasks starting.
		{"analyzer-only/custom-dns-server-sg-task-subnets.yaml", "Allow udp/53 from security group task-sg on security group dns-sg (ingress, for the start path's lookups)"},
		// An env file's bucket of another Region: a NAT gateway, not an S3 endpoint.
		{"analyzer-only/env-files-bucket-other-region-gateway.yaml", "Add a NAT gateway in public-a"},
		// Round thirty: the hop limit of 2, on the group's instances and
		// in its launch template.
		{"analyzer-only/imds-hop-limit-bridge-container.yaml", "Set the instance metadata hop limit to 2 on the instances of ecs-asg and in a new default version of launch template ecs-node"},
		// The metadata service back on, not another instance profile.
		{"ecs-instance-metadata-disabled.yaml", "Turn the instance metadata service back on for the instances of ecs-asg and in a new default version of launch template ecs-node"},
		// Round thirty-one: the environment file's object in the S3 gateway
		// endpoint's policy, not ECR's layer bucket.
		{"s3-endpoint-policy-env-file.yaml", "Allow s3:GetObject on arn:aws:s3:::acme-service-config/orders/prod.env in the policy of the S3 gateway endpoint s3"},
		{"firelens-s3-config-endpoint-policy.yaml", "Allow s3:GetObject on arn:aws:s3:::acme-platform-logging/fluent-bit/extra.conf in the policy of the S3 gateway endpoint s3"},
		// The collector is on the internet: a NAT gateway, not an endpoint.
		{"splunk-log-driver-private-no-nat.yaml", "Add a NAT gateway in public-a"},
		// The container instances' group, from which the Docker daemon connects.
		{"splunk-hec-sg-task-group-ec2.yaml", "Allow tcp/8088 from security group instance-sg on security group splunk-sg"},
		// Round thirty-three: the DNS server's UDP answers, to the
		// client's ephemeral ports, not udp/53 again.
		{"analyzer-only/custom-dns-nacl-udp-replies.yaml", "Add ingress rule 130 to network ACL private-acl: allow udp 1024-65535 from 10.90.5.10/32"},
		{"dogstatsd-awsvpc-instance-sg-udp.yaml", "Allow udp/8125 from security group api-sg on security group instance-sg"},
		{"alb-grpc-target-group-http1.yaml", "Forward to a new target group inventory-tg-grpc of protocol version GRPC instead of inventory-tg (HTTP1)"},
		// Round thirty-seven: each story's own remedy.
		{"analyzer-only/network-mode-none-worker.yaml", "Register worker with network mode bridge instead of none, and redeploy worker"},
		{"private-subnet-specific-route-igw.yaml", "Route 100.20.0.0/16 to the NAT gateway nat-a, as 0.0.0.0/0 is, not the internet gateway, in route table private"},
		{"health-check-https-redirect-301.yaml", "Accept 301 in the health check matcher of web-tg (200,301)"},
		{"alb-https-target-health-check-http.yaml", "Check the health of web-tg over HTTPS"},
		{"nlb-passthrough-http-health-check-tls-port.yaml", "Check the health of api-tg over HTTPS"},
		{"analyzer-only/nlb-tls-listener-tcp-group-tls-app.yaml", "Forward to a new target group api-tg-tls of protocol TLS instead of api-tg (TCP)"},
		{"peering-route-one-zone-table.yaml", "Route 10.1.0.0/16 (the VPC data) to VPC peering connection app-data in route table private-b"},
		// Round thirty-eight: each story's own remedy.
		{"analyzer-only/service-connect-ingress-port-override-sg.yaml", "Allow tcp/15000 from security group client-sg on security group ledger-sg"},
		{"analyzer-only/service-connect-bridge-client-instance-sg.yaml", "Allow tcp/8080 from security group instance-sg on security group ledger-sg"},
		{"analyzer-only/cloud-map-srv-bridge-dynamic-port-sg.yaml", "Allow tcp/32768-65535 from security group instance-sg on security group instance-sg"},
		{"alb-sg-egress-container-port-bridge.yaml", "Allow tcp/32768-65535 to security group instance-sg on security group alb-sg"},
		{"efs-one-zone-service-other-zone.yaml", "Run the service web in the subnets public-a, in us-east-1a, the zone of the One Zone file system uploads"},
		{"nlb-public-preserve-ip-via-nat.yaml", "Allow tcp/8883 from the NAT gateway nat-a's Elastic IP"},
	} {
		t.Run(c.file, func(t *testing.T) {
			sc, err := scenario.Load(filepath.Join("../../examples/failures", c.file))
			if err != nil {
				t.Fatal(err)
			}
			b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
			if err != nil {
				t.Fatal(err)
			}
			x := sc.Expect[len(sc.Expect)-1]
			req := func(q *reach.Query) {
				q.HTTPPath, q.HTTPHost, q.HTTPMethod, q.HTTPHeaders = x.Path, x.Host, x.Method, x.Header
				q.HTTPVersion, _ = reach.ParseHTTPVersion(x.HTTPVersion)
				q.PlainHTTP = x.PlainHTTP
				q.IPv6 = x.IPv6
			}
			fixes, _, err := fix.Find(b.Engine, x.From, x.To, x.Protocol, fix.Options{Request: req})
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, f := range fixes {
				if strings.Contains(f.Title, c.title) && f.Verification.Verdict != "" {
					return
				}
				titles = append(titles, f.Title)
			}
			t.Errorf("no verified fix titled %q; got:\n%s", c.title, strings.Join(titles, "\n"))
		})
	}
}

// A rule never pins a task's address (its replacement gets another) nor
// states that a group with a timing-out health check has nothing
// listening: the frontend's call to the backend's Cloud Map name is fixed
// by the frontend's group or the VPC's range, never by the frontend task's
// /32; the health check fix of a port the groups drop says so.
func TestFixesDoNotPinTaskAddresses(t *testing.T) {
	for _, c := range []struct{ file, never string }{
		{"cdk-frontend-backend-cloud-map-sg.yaml", "/32"},
		{"health-check-override-port-sg.yaml", "where nothing answers"},
	} {
		t.Run(c.file, func(t *testing.T) {
			sc, err := scenario.Load(filepath.Join("../../examples/failures", c.file))
			if err != nil {
				t.Fatal(err)
			}
			b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
			if err != nil {
				t.Fatal(err)
			}
			x := sc.Expect[len(sc.Expect)-1]
			fixes, _, err := fix.Find(b.Engine, x.From, x.To, x.Protocol, fix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(fixes) == 0 {
				t.Fatal("no fix")
			}
			for _, f := range fixes {
				if strings.Contains(f.Title, c.never) {
					t.Errorf("fix %q names %q", f.Title, c.never)
				}
			}
		})
	}
}

// TestEndpointFixSharesEndpointGroup: a missing interface endpoint is
// added with the group the VPC's other endpoints use when it admits HTTPS
// from the VPC (no new group, the commands name it); without such a group
// the fix creates one, as before.
func TestEndpointFixSharesEndpointGroup(t *testing.T) {
	for _, shared := range []bool{true, false} {
		sc, err := scenario.Load("../../examples/failures/ecs-exec-ec2-bridge-no-ssmmessages.yaml")
		if err != nil {
			t.Fatal(err)
		}
		b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
		if err != nil {
			t.Fatal(err)
		}
		st, _ := b.Engine.Snapshot()
		var sg *model.SecurityGroup
		for _, g := range st.SecurityGroups {
			if g.Tags["Name"] == "endpoints-sg" {
				sg = g
			}
		}
		if sg == nil {
			t.Fatal("no endpoints-sg")
		}
		if !shared {
			// The group admits only the endpoints' own group: not the VPC.
			if _, err := b.Engine.RevokeSecurityGroup(sg.ID, false, nil, []model.SecurityGroupRuleID{sg.Ingress[0].ID}); err != nil {
				t.Fatal(err)
			}
		}
		fixes, _, err := fix.Find(b.Engine, "api", "ssmmessages:443", "tcp", fix.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var f *fix.Fix
		for i := range fixes {
			if fixes[i].Kind == "vpc-endpoints" {
				f = &fixes[i]
				break
			}
		}
		if f == nil || f.Verification.Verdict != "connected" {
			t.Fatalf("shared %v: no verified endpoint fix: %+v", shared, fixes)
		}
		cmds := strings.Join(f.Commands, "\n")
		creates := strings.Contains(cmds, "create-security-group")
		if creates == shared || strings.Contains(cmds, string(sg.ID)) != shared || strings.Contains(f.Title, "of the VPC's other endpoints") != shared {
			t.Errorf("shared %v: %s\n%s", shared, f.Title, cmds)
		}
	}
}
