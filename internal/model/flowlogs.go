package model

import "time"

// FlowLogID is a VPC flow log id (fl-…).
type FlowLogID string

// CarrierGatewayID is a carrier gateway id (cagw-…).
type CarrierGatewayID string

// FlowLog is a VPC flow log: it records the traffic of a VPC, subnet or
// network interface to CloudWatch Logs, S3 or Firehose (flow-logs.md).
// ecsnet stores it and answers for it; it does not write records.
type FlowLog struct {
	ID                 FlowLogID
	ResourceID         string // vpc-…, subnet-… or eni-…
	ResourceType       string // VPC, Subnet, NetworkInterface
	TrafficType        string // ACCEPT, REJECT or ALL
	DestinationType    string // cloud-watch-logs, s3 or kinesis-data-firehose
	Destination        string // the destination's ARN
	LogGroupName       string // for cloud-watch-logs
	PermissionARN      string // DeliverLogsPermissionArn
	CrossAccountRole   string // DeliverCrossAccountRole
	Format             string
	AggregationSeconds int // MaxAggregationInterval: 60 or 600
	// S3 destination options.
	FileFormat       string
	HiveCompatible   bool
	PerHourPartition bool
	Created          time.Time
	Tags             Tags
}

// CarrierGateway is a carrier gateway: a VPC's gateway to a telecom
// carrier's network from its Wavelength Zone subnets. ecsnet stores it;
// the analyzer has no carrier network to reach through it.
type CarrierGateway struct {
	ID    CarrierGatewayID
	VpcID VpcID
	Owner string
	Tags  Tags
}

// EndpointServiceID is a VPC endpoint service id (vpce-svc-…).
type EndpointServiceID string

// EndpointServiceConfig is an endpoint service of the account's own
// (PrivateLink): Network Load Balancers (or Gateway Load Balancers) that
// other VPCs reach through interface endpoints. ecsnet stores it; the
// analyzer does not follow endpoints to it.
type EndpointServiceConfig struct {
	ID                 EndpointServiceID
	Type               string // Interface (NLBs) or GatewayLoadBalancer (GWLBs)
	NetworkLBs         []string
	GatewayLBs         []string
	Zones              []string
	AcceptanceRequired bool
	PrivateDNSName     string
	// DNSVerification is the TXT record's name and value that prove the
	// private DNS name's domain.
	DNSVerificationName  string
	DNSVerificationValue string
	Principals           []EndpointServicePrincipal
	Tags                 Tags
}

// EndpointServicePrincipal is a principal allowed to create endpoints to
// an endpoint service.
type EndpointServicePrincipal struct {
	ARN          string // or "*"
	PermissionID string // vpce-svc-perm-…
}
