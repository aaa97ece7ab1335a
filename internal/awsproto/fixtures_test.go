package awsproto_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

// Canned outputs, shared by the SDK for Go and boto3 round trips.

var created = time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC)

type vpcID string // a named string type, as the domain model uses

func describeVpcsOutput() map[string]any {
	return map[string]any{
		"Vpcs": []any{
			map[string]any{
				"VpcId":           vpcID("vpc-0a1b2c3d"),
				"CidrBlock":       netip.MustParsePrefix("10.0.0.0/16"),
				"State":           "available",
				"IsDefault":       true,
				"OwnerId":         "123456789012",
				"InstanceTenancy": "default",
				"DhcpOptionsId":   "dopt-1",
				"CidrBlockAssociationSet": []map[string]any{{
					"AssociationId":  "vpc-cidr-assoc-1",
					"CidrBlock":      "10.0.0.0/16",
					"CidrBlockState": map[string]any{"State": "associated"},
				}},
				"Tags": []any{
					map[string]any{"Key": "Name", "Value": `main & <"prod">`},
					map[string]any{"Key": "empty", "Value": ""},
				},
			},
			map[string]any{"VpcId": "vpc-2", "IsDefault": false, "Tags": []any{}},
		},
		"NextToken": nil,
	}
}

func networkInterface(i int) map[string]any {
	return map[string]any{
		"NetworkInterfaceId": fmt.Sprintf("eni-%08x", i),
		"SubnetId":           "subnet-1",
		"VpcId":              "vpc-1",
		"AvailabilityZone":   "us-east-1a",
		"Description":        "arn:aws:ecs:us-east-1:123456789012:attachment/1",
		"InterfaceType":      "interface",
		"MacAddress":         "02:00:00:00:00:01",
		"OwnerId":            "123456789012",
		"PrivateIpAddress":   fmt.Sprintf("10.0.%d.%d", i/256, i%256),
		"PrivateDnsName":     "ip-10-0-0-1.ec2.internal",
		"RequesterManaged":   true,
		"SourceDestCheck":    true,
		"Status":             "in-use",
		"Association": map[string]any{
			"IpOwnerId":     "amazon",
			"PublicIp":      "54.0.0.1",
			"PublicDnsName": "ec2-54-0-0-1.compute-1.amazonaws.com",
		},
		"Attachment": map[string]any{
			"AttachTime":          created,
			"AttachmentId":        "eni-attach-1",
			"DeleteOnTermination": false,
			"DeviceIndex":         1,
			"NetworkCardIndex":    0,
			"InstanceOwnerId":     "amazon-aws",
			"Status":              "attached",
		},
		"Groups": []any{
			map[string]any{"GroupId": "sg-1", "GroupName": "web"},
			map[string]any{"GroupId": "sg-2", "GroupName": "db"},
		},
		"PrivateIpAddresses": []any{
			map[string]any{
				"Primary":          true,
				"PrivateIpAddress": "10.0.0.1",
				"PrivateDnsName":   "ip-10-0-0-1.ec2.internal",
				"Association":      map[string]any{"PublicIp": "54.0.0.1", "IpOwnerId": "amazon"},
			},
			map[string]any{"Primary": false, "PrivateIpAddress": "10.0.0.2"},
		},
		"Ipv6Addresses": []any{},
		"TagSet":        []any{map[string]any{"Key": "aws:ecs:clusterName", "Value": "prod"}},
	}
}

func describeNetworkInterfacesOutput(n int) map[string]any {
	enis := make([]any, n)
	for i := range enis {
		enis[i] = networkInterface(i)
	}
	return map[string]any{"NetworkInterfaces": enis}
}

func createNetworkInsightsPathOutput() map[string]any {
	return map[string]any{
		"NetworkInsightsPath": map[string]any{
			"NetworkInsightsPathId":  "nip-1",
			"NetworkInsightsPathArn": "arn:aws:ec2:us-east-1:123456789012:network-insights-path/nip-1",
			"CreatedDate":            created,
			"Source":                 "eni-1",
			"Destination":            "igw-1",
			"Protocol":               "tcp",
			"DestinationPort":        443,
			"FilterAtSource": map[string]any{
				"SourceAddress":        "10.0.0.1",
				"DestinationPortRange": map[string]any{"FromPort": 443, "ToPort": 443},
			},
			"Tags": []any{map[string]any{"Key": "k", "Value": "v"}},
		},
	}
}

func runTaskOutput() map[string]any {
	return map[string]any{
		"tasks": []any{map[string]any{
			"taskArn":           "arn:aws:ecs:us-east-1:123456789012:task/prod/abc",
			"clusterArn":        "arn:aws:ecs:us-east-1:123456789012:cluster/prod",
			"taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3",
			"lastStatus":        "PROVISIONING",
			"desiredStatus":     "RUNNING",
			"launchType":        "FARGATE",
			"createdAt":         created,
			"version":           int64(1),
			"cpu":               "256",
			"memory":            "512",
			"attachments": []any{map[string]any{
				"id":     "att-1",
				"type":   "ElasticNetworkInterface",
				"status": "PRECREATED",
				"details": []any{
					map[string]any{"name": "subnetId", "value": "subnet-1"},
					map[string]any{"name": "networkInterfaceId", "value": "eni-1"},
					map[string]any{"name": "privateIPv4Address", "value": "10.0.1.5"},
				},
			}},
			"containers": []any{map[string]any{
				"name": "web", "lastStatus": "PENDING", "exitCode": nil,
				"networkInterfaces": []any{map[string]any{"attachmentId": "att-1", "privateIpv4Address": "10.0.1.5"}},
			}},
			"tags": []any{map[string]any{"key": "team", "value": "net"}},
		}},
		"failures": []any{map[string]any{
			"arn": "arn:aws:ecs:us-east-1:123456789012:container-instance/x", "reason": "RESOURCE:ENI", "detail": "no ENI capacity",
		}},
	}
}

func describeTargetHealthOutput() map[string]any {
	return map[string]any{
		"TargetHealthDescriptions": []any{
			map[string]any{
				"Target":          map[string]any{"Id": "10.0.1.5", "Port": 8080, "AvailabilityZone": "us-east-1a"},
				"HealthCheckPort": "8080",
				"TargetHealth":    map[string]any{"State": "healthy"},
			},
			map[string]any{
				"Target": map[string]any{"Id": "10.0.2.7", "Port": 8080},
				"TargetHealth": map[string]any{
					"State": "unhealthy", "Reason": "Target.Timeout", "Description": "Request timed out",
				},
			},
		},
	}
}

func createLoadBalancerOutput() map[string]any {
	return map[string]any{
		"LoadBalancers": []any{map[string]any{
			"LoadBalancerArn":       "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1",
			"DNSName":               "web-1.us-east-1.elb.amazonaws.com",
			"CanonicalHostedZoneId": "Z35SXDOTRQ7X7K",
			"CreatedTime":           created,
			"LoadBalancerName":      "web",
			"Scheme":                "internet-facing",
			"VpcId":                 "vpc-1",
			"State":                 map[string]any{"Code": "provisioning"},
			"Type":                  "application",
			"AvailabilityZones": []any{
				map[string]any{"ZoneName": "us-east-1a", "SubnetId": "subnet-1"},
				map[string]any{"ZoneName": "us-east-1b", "SubnetId": "subnet-2"},
			},
			"SecurityGroups": []string{"sg-1"},
			"IpAddressType":  "ipv4",
		}},
	}
}

func describeAutoScalingGroupsOutput() map[string]any {
	return map[string]any{
		"AutoScalingGroups": []any{map[string]any{
			"AutoScalingGroupName":             "asg-1",
			"AutoScalingGroupARN":              "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/asg-1",
			"MinSize":                          1,
			"MaxSize":                          3,
			"DesiredCapacity":                  2,
			"DefaultCooldown":                  300,
			"AvailabilityZones":                []string{"us-east-1a"},
			"HealthCheckType":                  "EC2",
			"CreatedTime":                      created,
			"VPCZoneIdentifier":                "subnet-1,subnet-2",
			"NewInstancesProtectedFromScaleIn": false,
			"Instances": []any{map[string]any{
				"InstanceId": "i-1", "AvailabilityZone": "us-east-1a", "LifecycleState": "InService",
				"HealthStatus": "Healthy", "ProtectedFromScaleIn": false,
			}},
			"Tags": []any{map[string]any{
				"ResourceId": "asg-1", "ResourceType": "auto-scaling-group", "Key": "env", "Value": "prod", "PropagateAtLaunch": true,
			}},
		}},
	}
}

var (
	errVpcNotFound  = apierr.New("InvalidVpcID.NotFound", "The vpc ID 'vpc-404' does not exist")
	errECSInvalid   = apierr.New("InvalidParameterException", "Network Configuration must be provided when networkMode 'awsvpc' is specified.")
	errDuplicateLB  = apierr.New("DuplicateLoadBalancerName", "A load balancer with the same name 'web' exists, but with different settings")
	errInternalOops = fmt.Errorf("database exploded at /secret/path")
)

var (
	errSGNotFound = apierr.New("InvalidGroup.NotFound", "The security group 'sg-404' does not exist")
	errLBNotFound = apierr.New("LoadBalancerNotFound", "One or more load balancers not found")
)
