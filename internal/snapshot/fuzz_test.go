package snapshot

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// FuzzRead feeds arbitrary bytes to the reader as one file of a region,
// then ties the region together, hands it to an engine and compiles it
// for the analyzer. Nothing may panic; bad JSON must be a *SyntaxError.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		`{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`,
		`{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.5", "Primary": true}], "Groups": [{"GroupId": "sg-1"}], "Attachment": {"InstanceId": "i-1", "DeviceIndex": 1}}]}`,
		`{"tasks": [{"taskArn": "arn:aws:ecs:us-east-1:1:task/c/t", "clusterArn": "arn:aws:ecs:us-east-1:1:cluster/c", "lastStatus": "RUNNING", "createdAt": 1700000000.5, "attachments": [{"id": "a", "type": "ElasticNetworkInterface", "details": [{"name": "privateIPv4Address", "value": "10.0.1.9"}, {"name": "subnetId", "value": "subnet-1"}]}], "containers": [{"name": "web", "cpu": 0, "networkBindings": [{"containerPort": 80, "hostPort": "32768"}]}]}]}`,
		`{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "TransitGatewayId": "tgw-1"}], "Associations": [{"Main": true}]}]}`,
		`{"TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/0123", "TargetHealthDescriptions": [{"Target": {"Id": "10.0.1.9", "Port": 80}}]}`,
		`{"PrefixListId": "pl-1", "Entries": [{"Cidr": "198.51.100.0/24", "Description": "x"}, {"Cidr": "2001:db8::/32"}]}`,
		`{"PrefixLists": [{"PrefixListId": "pl-1", "PrefixListName": "p", "OwnerId": "111122223333", "MaxEntries": 5, "Version": 2, "AddressFamily": "IPv4"}]}`,
		`{"ServiceId": "vpce-svc-1", "AllowedPrincipals": [{"Principal": "*", "ServicePermissionId": "vpce-svc-perm-1"}]}`,
		`{"VpcEndpointConnections": [{"ServiceId": "vpce-svc-1", "VpcEndpointId": "vpce-1", "VpcEndpointOwner": "111122223333", "VpcEndpointState": "pendingAcceptance"}]}`,
		`{"LoadBalancerName": "web", "LoadBalancerAttributes": {"CrossZoneLoadBalancing": {"Enabled": true}, "ConnectionSettings": {"IdleTimeout": 120}}}`,
		`{"LoadBalancerName": "web", "PolicyDescriptions": [{"PolicyName": "p", "PolicyTypeName": "ProxyProtocolPolicyType", "PolicyAttributeDescriptions": [{"AttributeName": "ProxyProtocol", "AttributeValue": "true"}]}]}`,
		`{"TransitGateways": [{"TransitGatewayId": "tgw-1", "State": "available", "Options": {"AmazonSideAsn": 64512, "AssociationDefaultRouteTableId": "tgw-rtb-1"}}], "TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": "tgw-rtb-1", "TransitGatewayId": "tgw-1", "State": "available"}]}`,
		`{"TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1", "TransitGatewayId": "tgw-1", "ResourceType": "vpc", "ResourceId": "vpc-1", "State": "available", "Association": {"TransitGatewayRouteTableId": "tgw-rtb-1", "State": "associated"}}]}`,
		`{"TransitGatewayRouteTableId": "tgw-rtb-1", "Routes": [{"DestinationCidrBlock": "10.0.0.0/8", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1"}], "Type": "static", "State": "active"}], "AdditionalRoutesAvailable": false}`,
		`{"TransitGatewayPropagations": [{"TransitGatewayRouteTableId": "tgw-rtb-1", "TransitGatewayRouteTablePropagations": [{"TransitGatewayAttachmentId": "tgw-attach-1", "State": "enabled"}]}]}`,
		`{"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-1", "RequesterVpcInfo": {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}, "AccepterVpcInfo": {"VpcId": "vpc-2", "CidrBlockSet": [{"CidrBlock": "10.1.0.0/16"}]}, "Status": {"Code": "active"}}]}`,
		`{"daemons": [{"daemonArn": "arn:aws:ecs:us-east-1:1:daemon/c/logs", "clusterArn": "arn:aws:ecs:us-east-1:1:cluster/c", "status": "ACTIVE", "currentRevisions": [{"arn": "arn:aws:ecs:us-east-1:1:daemon-revision/c/logs/1", "capacityProviders": [{"arn": "arn:aws:ecs:us-east-1:1:capacity-provider/mi", "runningCount": 1}], "totalRunningCount": 1}], "deploymentArn": "arn:aws:ecs:us-east-1:1:daemon-deployment/c/logs/ab", "createdAt": 1700000000.5}], "daemonRevisions": [{"daemonRevisionArn": "arn:aws:ecs:us-east-1:1:daemon-revision/c/logs/1", "daemonArn": "arn:aws:ecs:us-east-1:1:daemon/c/logs", "daemonTaskDefinitionArn": "arn:aws:ecs:us-east-1:1:daemon-task-definition/log:1", "containerImages": [{"containerName": "a", "image": "x"}]}], "daemonTaskDefinitions": [{"daemonTaskDefinitionArn": "arn:aws:ecs:us-east-1:1:daemon-task-definition/log:1", "family": "log", "revision": 1, "containerDefinitions": [{"name": "a", "image": "x", "memory": 64}]}]}`,
		`{"daemonDeployments": [{"daemonDeploymentArn": "arn:aws:ecs:us-east-1:1:daemon-deployment/c/logs/ab", "status": "IN_PROGRESS", "targetDaemonRevision": {"arn": "arn:aws:ecs:us-east-1:1:daemon-revision/c/logs/1", "capacityProviders": [{"arn": "cp"}]}, "sourceDaemonRevisions": [], "circuitBreaker": {"failureCount": 2}, "rollback": {"rollbackTargetDaemonRevisionArn": "r0", "rollbackCapacityProviders": ["cp"]}, "deploymentConfiguration": {"drainPercent": 25.5, "bakeTimeInMinutes": "3"}}], "failures": []}`,
		`{"daemon": {"daemonArn": "arn:aws:ecs:us-east-1:1:daemon/c/logs", "currentRevisions": [{"arn": 7}]}}`,
		`{"FileSystems": [{"FileSystemId": "fs-1", "LifeCycleState": "available", "CreationTime": 1700000000, "Tags": [{"Key": "Name", "Value": "u"}]}], "MountTargets": [{"MountTargetId": "fsmt-1", "FileSystemId": "fs-1", "SubnetId": "subnet-1", "IpAddress": "10.0.1.5", "NetworkInterfaceId": "eni-1", "AvailabilityZoneName": "us-east-1a", "VpcId": "vpc-1"}]}`,
		`{"AccessPoints": [{"AccessPointId": "fsap-1", "FileSystemId": "fs-1", "PosixUser": {"Uid": 1000, "Gid": 1000, "SecondaryGids": [1]}, "RootDirectory": {"Path": "/data", "CreationInfo": {"OwnerUid": 1, "OwnerGid": 1, "Permissions": "755"}}}], "MountTargets": [{"MountTargetId": 5}]}`,
		`{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "Description": "EFS mount target for fs-0abc (fsmt-0def)", "PrivateIpAddress": "10.0.1.5"}]}`,
		`{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}], "VpcId": "vpc-1", "EnableDnsHostnames": {"Value": true}}`,
		`{"VpcId": "vpc-1", "EnableDnsSupport": {"Value": "no"}, "EnableNetworkAddressUsageMetrics": {}}`,
		`{"EnableDnsHostnames": [true], "VpcId": 7}`,
		`{"CertificateSummaryList": [{"CertificateArn": "arn:aws:acm:us-east-1:1:certificate/abc", "DomainName": "a.example.com", "Status": "ISSUED", "KeyAlgorithm": "EC-prime256v1", "KeyUsages": ["DIGITAL_SIGNATURE"]}]}`,
		`{"Certificate": {"CertificateArn": "arn:aws:acm:us-east-1:1:certificate/abc", "SubjectAlternativeNames": ["a.example.com"], "CreatedAt": 1700000000.5, "KeyUsages": [{"Name": "DIGITAL_SIGNATURE"}], "DomainValidationOptions": [{"DomainName": "a.example.com", "ValidationStatus": "SUCCESS"}]}}`,
		`{"Certificate": "-----BEGIN CERTIFICATE-----", "CertificateChain": "x"}`, `{"Certificate": {"CertificateArn": 5}}`,
		`{"Rules": [{"Name": "nightly", "Arn": "arn:aws:events:us-east-1:1:rule/nightly", "ScheduleExpression": "rate(1 day)", "State": "ENABLED", "EventBusName": "default"}, {"RuleArn": "arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/a/1/2/3", "Priority": "1"}]}`,
		`{"EventBusName": "default", "Rule": "nightly", "Targets": [{"Id": "1", "Arn": "arn:aws:ecs:us-east-1:1:cluster/c", "EcsParameters": {"TaskDefinitionArn": "arn:aws:ecs:us-east-1:1:task-definition/j:1", "TaskCount": 2, "NetworkConfiguration": {"awsvpcConfiguration": {"Subnets": ["subnet-1"], "AssignPublicIp": "ENABLED"}}}}]}`,
		`{"Targets": [{"Id": 1}], "Rule": 5}`,
		`{"HealthChecks": [{"Id": "hc-1", "CallerReference": "r", "HealthCheckConfig": {"Type": "CALCULATED", "HealthThreshold": 1, "ChildHealthChecks": ["hc-2"], "Inverted": true}, "HealthCheckVersion": 2}, {"Id": "hc-2", "HealthCheckConfig": {"Type": "TCP", "IPAddress": "192.0.2.1", "Port": "5432", "RequestInterval": 10, "FailureThreshold": 2, "Regions": ["us-east-1"], "AlarmIdentifier": {"Name": "a", "Region": "us-east-1"}}}], "IsTruncated": false, "MaxItems": "100", "Marker": ""}`,
		`{"HealthChecks": [{"Id": 5}, {"HealthCheckConfig": {"Type": "HTTP"}}, {"Id": "hc-3", "HealthCheckConfig": {"Type": "CALCULATED", "ChildHealthChecks": ["hc-3"], "HealthThreshold": 1}}], "HostedZones": [{"Id": "/hostedzone/Z1", "Name": "a.", "Config": {"PrivateZone": false}}]}`,
		`{"settings": [{"name": "awsvpcTrunking", "value": "enabled", "principalArn": "arn:aws:iam::1:root", "type": "user"}, {"name": "containerInsights", "value": "enhanced", "principalArn": "arn:aws:iam::1:role/r"}, {"name": "", "value": "x"}], "nextToken": "t"}`,
		`{"settings": {"name": 1}}`,
		`{"ResourceTagSets": [{"ResourceType": "healthcheck", "ResourceId": "hc-1", "Tags": [{"Key": "team", "Value": "edge"}]}, {"ResourceType": "hostedzone", "ResourceId": "Z1", "Tags": null}], "HealthChecks": [{"Id": "hc-1", "HealthCheckConfig": {"Type": "TCP", "IPAddress": "192.0.2.1", "Port": 80}}]}`,
		`{"ResourceTagSets": {"ResourceId": 3}}`,
		`{"repositories": [{"repositoryArn": "arn:aws:ecr:us-east-1:1:repository/web", "registryId": "1", "repositoryName": "web", "createdAt": 1700000000.5, "imageTagMutability": "IMMUTABLE_WITH_EXCLUSION", "imageTagMutabilityExclusionFilters": [{"filterType": "WILDCARD", "filter": "dev*"}], "imageScanningConfiguration": {"scanOnPush": true}, "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": "k"}}, {"repositoryName": ""}], "imageDetails": [{"repositoryName": "web", "imageDigest": "sha256:ab", "imageTags": ["v1", "latest"], "imageSizeInBytes": 12, "imagePushedAt": "2024-01-01T00:00:00Z"}, {"repositoryName": "gone", "imageDigest": "sha256:cd"}]}`,
		`{"repositories": {"repositoryName": 5}, "imageDetails": [{"imageTags": "v1"}]}`,
		`{"applicationsInfo": [{"applicationId": "a-1", "applicationName": "app", "computePlatform": "ECS", "createTime": 1700000000}], "deploymentGroupsInfo": [{"applicationName": "app", "deploymentGroupName": "dg", "deploymentStyle": {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"}, "ecsServices": [{"serviceName": "s", "clusterName": "c"}], "loadBalancerInfo": {"targetGroupPairInfoList": [{"targetGroups": [{"name": "blue"}, {"name": "green"}], "prodTrafficRoute": {"listenerArns": ["l"]}}]}, "blueGreenDeploymentConfiguration": {"terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": "5"}}, "alarmConfiguration": {"enabled": false}}, {"applicationName": "orphan", "deploymentGroupName": ""}]}`,
		`{"deploymentGroupsInfo": [{"applicationName": "a", "deploymentGroupName": "g", "loadBalancerInfo": {"targetGroupPairInfoList": [{"targetGroups": null}]}, "ecsServices": 3}], "applicationsInfo": [null]}`,
		`{"services": [{"serviceArn": "arn:aws:ecs:us-east-1:1:service/c/s", "deploymentController": {"type": "CODE_DEPLOY"}}, {"serviceArn": "arn:aws:ecs:us-east-1:1:service/c/t", "deploymentController": {"type": 5}}]}`,
		`{"ResourceARN": "arn:aws:events:us-east-1:1:rule/nightly", "Tags": [{"Key": "team", "Value": "batch"}, {"Key": ""}]}`,
		`{"resourceArn": "arn:aws:ecs:us-east-1:1:daemon/c/logs", "tags": [{"key": "team", "value": "p"}], "CertificateArn": 5}`,
		`{"CertificateArn": "arn:aws:acm:us-east-1:1:certificate/abc", "Tags": {"Key": "x"}}`,
		`{"EventBusName": "default", "Rule": "nightly", "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:1:q", "RetryPolicy": {"MaximumRetryAttempts": 4, "MaximumEventAgeInSeconds": 6.5e2}, "DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:1:dlq"}, "InputTransformer": {"InputPathsMap": {"t": "$.time"}, "InputTemplate": "{}"}, "SqsParameters": null}]}`,
		`[1, 2]`, `{"Vpcs": {}}`, `{"Vpcs": [`, ``, `null`, `{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "icmp", "FromPort": -1}]}]}`,
	} {
		f.Add([]byte(s))
	}
	// Every file of a real snapshot, too.
	if sc, err := scenario.Load("../../examples/seed/alb.yaml"); err == nil {
		if built, err := sc.Build(); err == nil {
			st, _ := built.Engine.Snapshot()
			dir := f.TempDir()
			if err := Write(dir, st); err == nil {
				region := filepath.Join(dir, "aws_configs", st.Region)
				entries, _ := os.ReadDir(region)
				for _, e := range entries {
					if b, err := os.ReadFile(filepath.Join(region, e.Name())); err == nil {
						f.Add(b)
					}
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := &regionData{}
		if err := rd.readData("fuzz.json", data); err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		st, _, _ := rd.build("us-east-1", "")
		e := engine.FromState(st)
		s, _ := e.Snapshot()
		reach.Compile(s)
	})
}
