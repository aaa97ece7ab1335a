package model

import "strings"

// chinaInterfaceEndpoint reports whether an AWS service's interface
// endpoint service in region is named cn.com.amazonaws.<region>.<svc>
// rather than com.amazonaws.<region>.<svc>: in the two China regions, for
// the services DescribeVpcEndpointServices lists so there (aws-cdk's
// InterfaceVpcEndpointAwsService exceptions, from that call). Gateway
// endpoint services (S3, DynamoDB) keep com.amazonaws.
func chinaInterfaceEndpoint(region, svc string) bool {
	if region != "cn-north-1" && region != "cn-northwest-1" {
		return false
	}
	switch svc {
	case "application-autoscaling", "athena", "autoscaling", "backup", "batch", "cloudformation", "ebs", "ec2",
		"ecr.api", "ecr.dkr", "eks", "elasticache", "elasticbeanstalk", "elasticfilesystem", "execute-api", "fsx",
		"kinesis-streams", "lambda", "monitoring", "rds", "redshift", "s3", "sagemaker.api", "sagemaker.runtime",
		"securityhub", "servicecatalog", "sqs", "states", "sts", "transfer", "xray":
		return true
	}
	return false
}

// EndpointServiceName is the name of an AWS service's VPC endpoint service
// of the given type ("Interface" or "Gateway") in region:
// com.amazonaws.<region>.<svc>, or cn.com.amazonaws.<region>.<svc> for the
// interface endpoints of most services in China (chinaInterfaceEndpoint).
func EndpointServiceName(region, svc, endpointType string) string {
	if endpointType != "Gateway" && chinaInterfaceEndpoint(region, svc) {
		return "cn.com.amazonaws." + region + "." + svc
	}
	return "com.amazonaws." + region + "." + svc
}

// EndpointServiceOf returns the AWS service of an endpoint service name of
// region ("ecr.api" of com.amazonaws.us-east-1.ecr.api or of
// cn.com.amazonaws.cn-north-1.ecr.api) and whether the name is the one
// EndpointServiceName gives for it with the type: chinese reports the
// cn.com.amazonaws form. ok is false for any other name.
func EndpointServiceOf(region, name string) (svc string, chinese, ok bool) {
	rest, chinese := strings.CutPrefix(name, "cn.")
	rest, ok = strings.CutPrefix(rest, "com.amazonaws.")
	if !ok {
		return "", false, false
	}
	rest, ok = strings.CutPrefix(rest, region)
	if !ok || len(rest) < 2 || rest[0] != '.' {
		return "", false, false
	}
	svc = rest[1:]
	if chinese && !chinaInterfaceEndpoint(region, svc) {
		return "", false, false
	}
	return svc, chinese, true
}

// VpceServiceName is the name of an account's endpoint service (a
// PrivateLink service of Network or Gateway Load Balancers):
// com.amazonaws.vpce.<region>.<id>.
func VpceServiceName(region string, id EndpointServiceID) string {
	return "com.amazonaws.vpce." + region + "." + string(id)
}

// VpceServiceID returns the id in an account's endpoint service name of
// region (VpceServiceName's inverse); ok false for any other name.
func VpceServiceID(region, name string) (EndpointServiceID, bool) {
	id, ok := strings.CutPrefix(name, "com.amazonaws.vpce."+region+".")
	return EndpointServiceID(id), ok
}

// InterfaceEndpointPorts are the TCP ports an interface endpoint of AWS
// service svc (as EndpointServiceOf names it) answers on: HTTPS (443)
// for every service but SES's SMTP interface (email-smtp), whose
// endpoint serves SMTP instead, STARTTLS on 25, 587 and 2587 and TLS
// Wrapper on 465 and 2465 (SES Developer Guide, "Connecting to an Amazon
// SES SMTP endpoint"; "Setting up VPC endpoints with Amazon SES").
func InterfaceEndpointPorts(svc string) []uint16 {
	if svc == "email-smtp" {
		return []uint16{25, 465, 587, 2465, 2587}
	}
	return []uint16{443}
}
