package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// The wire types below are the parts of the aws CLI's describe-* output
// that ecsnet reads, with the CLI's key names: PascalCase for EC2, ELBv2
// and Auto Scaling, camelCase for ECS (botocore member names, which is what
// the CLI prints). encoding/json matches keys case-insensitively when
// reading, so hand-edited files with other casing still load; Write prints
// the exact names. Every other key of an object is ignored.

// awsTime is a timestamp as the aws CLI prints it: an ISO 8601 string
// (CLI v2, and v1 for XML services) or seconds since the epoch as a number
// (CLI v1 for JSON services such as ECS). A value that is neither reads as
// the zero time: timestamps never decide reachability.
type awsTime struct{ time.Time }

// cliTimeLayout is how the aws CLI v2 prints a timestamp (Python's
// datetime.isoformat with an explicit UTC offset).
const cliTimeLayout = "2006-01-02T15:04:05.000000-07:00"

func (t awsTime) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	u := t.UTC()
	layout := "2006-01-02T15:04:05-07:00"
	if u.Nanosecond() != 0 {
		layout = cliTimeLayout
	}
	return []byte(`"` + u.Format(layout) + `"`), nil
}

func (t *awsTime) UnmarshalJSON(b []byte) error {
	t.Time = time.Time{}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] == 'n' {
		return nil
	}
	if b[0] == '"' {
		var s string
		if json.Unmarshal(b, &s) != nil {
			return nil
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999-0700", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999"} {
			if v, err := time.Parse(layout, s); err == nil {
				t.Time = v.UTC()
				return nil
			}
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			t.Time = epoch(f)
		}
		return nil
	}
	if f, err := strconv.ParseFloat(string(b), 64); err == nil {
		t.Time = epoch(f)
	}
	return nil
}

func epoch(f float64) time.Time {
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1e11 {
		return time.Time{}
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC()
}

// flexInt is an integer that may be written as a JSON number or a string
// (ECS prints some numbers as strings; hand-written files mix them up).
type flexInt struct {
	V   int64
	Set bool
}

func (n flexInt) MarshalJSON() ([]byte, error) { return []byte(strconv.FormatInt(n.V, 10)), nil }

func (n *flexInt) UnmarshalJSON(b []byte) error {
	*n = flexInt{}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] == 'n' {
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f > math.MaxInt64 || f < math.MinInt64 {
		return fmt.Errorf("%s is not an integer", b)
	}
	*n = flexInt{V: int64(f), Set: true}
	return nil
}

func intOf(v int64) flexInt { return flexInt{V: v, Set: true} }

// flexString is a string that may be written as a JSON number (ECS's cpu
// and memory are strings; emulators send numbers).
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || b[0] == 'n':
		*s = ""
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*s = flexString(b)
	default:
		return fmt.Errorf("%s is not a string", b)
	}
	return nil
}

// ec2Tag is a tag of an EC2, ELBv2 or Auto Scaling resource.
type ec2Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
	// Auto Scaling only.
	ResourceID        string `json:"ResourceId,omitempty"`
	ResourceType      string `json:"ResourceType,omitempty"`
	PropagateAtLaunch *bool  `json:"PropagateAtLaunch,omitempty"`
}

// ecsTag is a tag of an ECS resource.
type ecsTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ---- EC2 ----

type ec2Vpc struct {
	VpcID                   string             `json:"VpcId"`
	OwnerID                 string             `json:"OwnerId,omitempty"`
	CidrBlock               string             `json:"CidrBlock"`
	CidrBlockAssociationSet []ec2CidrBlockAssn `json:"CidrBlockAssociationSet,omitempty"`
	Ipv6CidrBlockAssnSet    []ec2Ipv6BlockAssn `json:"Ipv6CidrBlockAssociationSet,omitempty"`
	IsDefault               bool               `json:"IsDefault"`
	DhcpOptionsID           string             `json:"DhcpOptionsId,omitempty"`
	InstanceTenancy         string             `json:"InstanceTenancy,omitempty"`
	State                   string             `json:"State,omitempty"`
	Tags                    []ec2Tag           `json:"Tags,omitempty"`
}

// ec2DhcpOptions is a DHCP options set of describe-dhcp-options: each
// option's key and its values.
type ec2DhcpOptions struct {
	DhcpOptionsID      string          `json:"DhcpOptionsId"`
	OwnerID            string          `json:"OwnerId,omitempty"`
	DhcpConfigurations []ec2DhcpConfig `json:"DhcpConfigurations"`
	Tags               []ec2Tag        `json:"Tags,omitempty"`
}

// ec2DhcpConfig is one option of a DHCP options set.
type ec2DhcpConfig struct {
	Key    string         `json:"Key"`
	Values []ec2DhcpValue `json:"Values"`
}

type ec2DhcpValue struct {
	Value string `json:"Value"`
}

type ec2CidrBlockAssn struct {
	AssociationID  string `json:"AssociationId,omitempty"`
	CidrBlock      string `json:"CidrBlock"`
	CidrBlockState *struct {
		State string `json:"State"`
	} `json:"CidrBlockState,omitempty"`
}

// ec2Ipv6BlockAssn is an IPv6 block of a VPC or subnet.
type ec2Ipv6BlockAssn struct {
	AssociationID string `json:"AssociationId,omitempty"`
	Ipv6CidrBlock string `json:"Ipv6CidrBlock"`
	Ipv6Pool      string `json:"Ipv6Pool,omitempty"`
	State         *struct {
		State string `json:"State"`
	} `json:"Ipv6CidrBlockState,omitempty"`
}

// associated reports whether the block is in use (no state: yes).
func (a ec2Ipv6BlockAssn) associated() bool { return a.State == nil || a.State.State == "associated" }

// ec2BPAOptions is describe-vpc-block-public-access-options' answer (an
// object, not a list).
type ec2BPAOptions struct {
	InternetGatewayBlockMode string `json:"InternetGatewayBlockMode"`
	State                    string `json:"State,omitempty"`
}

// ec2BPAExclusion is a VPC Block Public Access exclusion.
type ec2BPAExclusion struct {
	ExclusionID                  string   `json:"ExclusionId"`
	InternetGatewayExclusionMode string   `json:"InternetGatewayExclusionMode"`
	ResourceArn                  string   `json:"ResourceArn"`
	State                        string   `json:"State"`
	Tags                         []ec2Tag `json:"Tags,omitempty"`
}

// ec2EgressOnlyIGW is an egress-only internet gateway.
type ec2EgressOnlyIGW struct {
	EgressOnlyInternetGatewayID string `json:"EgressOnlyInternetGatewayId"`
	Attachments                 []struct {
		State string `json:"State"`
		VpcID string `json:"VpcId"`
	} `json:"Attachments"`
	Tags []ec2Tag `json:"Tags,omitempty"`
}

// ec2IPv6Addr is an item of an interface's Ipv6Addresses.
type ec2IPv6Addr struct {
	Ipv6Address   string `json:"Ipv6Address"`
	IsPrimaryIpv6 bool   `json:"IsPrimaryIpv6"`
}

type ec2Subnet struct {
	SubnetID                    string             `json:"SubnetId"`
	VpcID                       string             `json:"VpcId"`
	CidrBlock                   string             `json:"CidrBlock"`
	AvailabilityZone            string             `json:"AvailabilityZone"`
	AvailabilityZoneID          string             `json:"AvailabilityZoneId,omitempty"`
	MapPublicIPOnLaunch         bool               `json:"MapPublicIpOnLaunch"`
	DefaultForAz                bool               `json:"DefaultForAz"`
	Ipv6CidrBlockAssnSet        []ec2Ipv6BlockAssn `json:"Ipv6CidrBlockAssociationSet,omitempty"`
	AssignIpv6AddressOnCreation bool               `json:"AssignIpv6AddressOnCreation,omitempty"`
	EnableDns64                 bool               `json:"EnableDns64"`
	Ipv6Native                  bool               `json:"Ipv6Native,omitempty"`
	State                       string             `json:"State,omitempty"`
	OwnerID                     string             `json:"OwnerId,omitempty"`
	Tags                        []ec2Tag           `json:"Tags,omitempty"`
}

type ec2RouteTable struct {
	RouteTableID string           `json:"RouteTableId"`
	VpcID        string           `json:"VpcId"`
	OwnerID      string           `json:"OwnerId,omitempty"`
	Routes       []ec2Route       `json:"Routes"`
	Associations []ec2RouteTAssoc `json:"Associations"`
	// PropagatingVgws are the virtual private gateways that propagate
	// routes to the table (their routes are among Routes).
	PropagatingVgws []ec2PropagatingVgw `json:"PropagatingVgws,omitempty"`
	Tags            []ec2Tag            `json:"Tags,omitempty"`
}

type ec2PropagatingVgw struct {
	GatewayID string `json:"GatewayId"`
}

type ec2Route struct {
	DestinationCidrBlock        string `json:"DestinationCidrBlock,omitempty"`
	DestinationIpv6CidrBlock    string `json:"DestinationIpv6CidrBlock,omitempty"`
	DestinationPrefixListID     string `json:"DestinationPrefixListId,omitempty"`
	GatewayID                   string `json:"GatewayId,omitempty"`
	NatGatewayID                string `json:"NatGatewayId,omitempty"`
	NetworkInterfaceID          string `json:"NetworkInterfaceId,omitempty"`
	InstanceID                  string `json:"InstanceId,omitempty"`
	TransitGatewayID            string `json:"TransitGatewayId,omitempty"`
	VpcPeeringConnectionID      string `json:"VpcPeeringConnectionId,omitempty"`
	EgressOnlyInternetGatewayID string `json:"EgressOnlyInternetGatewayId,omitempty"`
	LocalGatewayID              string `json:"LocalGatewayId,omitempty"`
	CarrierGatewayID            string `json:"CarrierGatewayId,omitempty"`
	CoreNetworkArn              string `json:"CoreNetworkArn,omitempty"`
	Origin                      string `json:"Origin,omitempty"`
	State                       string `json:"State,omitempty"`
}

type ec2RouteTAssoc struct {
	Main                    bool   `json:"Main"`
	RouteTableAssociationID string `json:"RouteTableAssociationId,omitempty"`
	RouteTableID            string `json:"RouteTableId,omitempty"`
	SubnetID                string `json:"SubnetId,omitempty"`
	GatewayID               string `json:"GatewayId,omitempty"`
	AssociationState        *struct {
		State string `json:"State"`
	} `json:"AssociationState,omitempty"`
}

type ec2InternetGateway struct {
	InternetGatewayID string `json:"InternetGatewayId"`
	OwnerID           string `json:"OwnerId,omitempty"`
	Attachments       []struct {
		State string `json:"State"`
		VpcID string `json:"VpcId"`
	} `json:"Attachments"`
	Tags []ec2Tag `json:"Tags,omitempty"`
}

type ec2NatGateway struct {
	NatGatewayID        string              `json:"NatGatewayId"`
	VpcID               string              `json:"VpcId"`
	SubnetID            string              `json:"SubnetId"`
	State               string              `json:"State"`
	ConnectivityType    string              `json:"ConnectivityType,omitempty"`
	CreateTime          awsTime             `json:"CreateTime"`
	FailureCode         string              `json:"FailureCode,omitempty"`
	FailureMessage      string              `json:"FailureMessage,omitempty"`
	NatGatewayAddresses []ec2NatGatewayAddr `json:"NatGatewayAddresses"`
	Tags                []ec2Tag            `json:"Tags,omitempty"`
	// A regional NAT gateway's (AvailabilityMode regional): no SubnetId,
	// its addresses by zone.
	AvailabilityMode   string `json:"AvailabilityMode,omitempty"`
	AutoProvisionZones string `json:"AutoProvisionZones,omitempty"`
	AutoScalingIps     string `json:"AutoScalingIps,omitempty"`
}

type ec2NatGatewayAddr struct {
	AllocationID       string `json:"AllocationId,omitempty"`
	NetworkInterfaceID string `json:"NetworkInterfaceId,omitempty"`
	PrivateIP          string `json:"PrivateIp,omitempty"`
	PublicIP           string `json:"PublicIp,omitempty"`
	IsPrimary          *bool  `json:"IsPrimary,omitempty"`
	Status             string `json:"Status,omitempty"`
	AssociationID      string `json:"AssociationId,omitempty"`
	AvailabilityZone   string `json:"AvailabilityZone,omitempty"`
	AvailabilityZoneID string `json:"AvailabilityZoneId,omitempty"`
}

type ec2NetworkACL struct {
	NetworkACLID string        `json:"NetworkAclId"`
	VpcID        string        `json:"VpcId"`
	IsDefault    bool          `json:"IsDefault"`
	OwnerID      string        `json:"OwnerId,omitempty"`
	Entries      []ec2ACLEntry `json:"Entries"`
	Associations []ec2ACLAssoc `json:"Associations"`
	Tags         []ec2Tag      `json:"Tags,omitempty"`
}

type ec2ACLEntry struct {
	RuleNumber    int64  `json:"RuleNumber"`
	Protocol      string `json:"Protocol"`
	RuleAction    string `json:"RuleAction"`
	Egress        bool   `json:"Egress"`
	CidrBlock     string `json:"CidrBlock,omitempty"`
	Ipv6CidrBlock string `json:"Ipv6CidrBlock,omitempty"`
	PortRange     *struct {
		From flexInt `json:"From"`
		To   flexInt `json:"To"`
	} `json:"PortRange,omitempty"`
	IcmpTypeCode *struct {
		Code flexInt `json:"Code"`
		Type flexInt `json:"Type"`
	} `json:"IcmpTypeCode,omitempty"`
}

type ec2ACLAssoc struct {
	NetworkACLAssociationID string `json:"NetworkAclAssociationId"`
	NetworkACLID            string `json:"NetworkAclId"`
	SubnetID                string `json:"SubnetId"`
}

type ec2SecurityGroup struct {
	GroupID             string          `json:"GroupId"`
	GroupName           string          `json:"GroupName"`
	Description         string          `json:"Description"`
	VpcID               string          `json:"VpcId"`
	OwnerID             string          `json:"OwnerId,omitempty"`
	IPPermissions       []ec2Permission `json:"IpPermissions"`
	IPPermissionsEgress []ec2Permission `json:"IpPermissionsEgress"`
	Tags                []ec2Tag        `json:"Tags,omitempty"`
}

type ec2Permission struct {
	IPProtocol string `json:"IpProtocol"`
	FromPort   *int64 `json:"FromPort,omitempty"`
	ToPort     *int64 `json:"ToPort,omitempty"`
	IPRanges   []struct {
		CidrIP      string `json:"CidrIp"`
		Description string `json:"Description,omitempty"`
	} `json:"IpRanges"`
	Ipv6Ranges []struct {
		CidrIpv6    string `json:"CidrIpv6"`
		Description string `json:"Description,omitempty"`
	} `json:"Ipv6Ranges"`
	PrefixListIDs []struct {
		PrefixListID string `json:"PrefixListId"`
		Description  string `json:"Description,omitempty"`
	} `json:"PrefixListIds"`
	UserIDGroupPairs []ec2GroupPair `json:"UserIdGroupPairs"`
}

type ec2GroupPair struct {
	GroupID                string `json:"GroupId"`
	UserID                 string `json:"UserId,omitempty"`
	VpcID                  string `json:"VpcId,omitempty"`
	VpcPeeringConnectionID string `json:"VpcPeeringConnectionId,omitempty"`
	Description            string `json:"Description,omitempty"`
}

type ec2NetworkInterface struct {
	NetworkInterfaceID string          `json:"NetworkInterfaceId"`
	SubnetID           string          `json:"SubnetId"`
	VpcID              string          `json:"VpcId"`
	AvailabilityZone   string          `json:"AvailabilityZone"`
	Description        string          `json:"Description"`
	InterfaceType      string          `json:"InterfaceType"`
	MacAddress         string          `json:"MacAddress,omitempty"`
	OwnerID            string          `json:"OwnerId,omitempty"`
	PrivateIPAddress   string          `json:"PrivateIpAddress,omitempty"`
	PrivateDNSName     string          `json:"PrivateDnsName,omitempty"`
	PrivateIPAddresses []ec2PrivateIP  `json:"PrivateIpAddresses"`
	Association        *ec2IPAssoc     `json:"Association,omitempty"`
	Attachment         *ec2ENIAttach   `json:"Attachment,omitempty"`
	Groups             []ec2GroupIdent `json:"Groups"`
	RequesterID        string          `json:"RequesterId,omitempty"`
	RequesterManaged   bool            `json:"RequesterManaged"`
	SourceDestCheck    *bool           `json:"SourceDestCheck,omitempty"`
	Status             string          `json:"Status,omitempty"`
	TagSet             []ec2Tag        `json:"TagSet,omitempty"`
	Tags               []ec2Tag        `json:"Tags,omitempty"` // Batfish fixtures and some tools use Tags
	Ipv6Addresses      []ec2IPv6Addr   `json:"Ipv6Addresses,omitempty"`
}

type ec2PrivateIP struct {
	Primary          bool        `json:"Primary"`
	PrivateIPAddress string      `json:"PrivateIpAddress"`
	PrivateDNSName   string      `json:"PrivateDnsName,omitempty"`
	Association      *ec2IPAssoc `json:"Association,omitempty"`
}

type ec2IPAssoc struct {
	AllocationID  string `json:"AllocationId,omitempty"`
	AssociationID string `json:"AssociationId,omitempty"`
	IPOwnerID     string `json:"IpOwnerId,omitempty"`
	PublicDNSName string `json:"PublicDnsName,omitempty"`
	PublicIP      string `json:"PublicIp"`
}

type ec2ENIAttach struct {
	AttachmentID        string  `json:"AttachmentId,omitempty"`
	AttachTime          awsTime `json:"AttachTime"`
	DeleteOnTermination bool    `json:"DeleteOnTermination"`
	DeviceIndex         flexInt `json:"DeviceIndex"`
	InstanceID          string  `json:"InstanceId,omitempty"`
	InstanceOwnerID     string  `json:"InstanceOwnerId,omitempty"`
	Status              string  `json:"Status,omitempty"`
}

type ec2GroupIdent struct {
	GroupID   string `json:"GroupId"`
	GroupName string `json:"GroupName,omitempty"`
}

type ec2Reservation struct {
	ReservationID string        `json:"ReservationId"`
	OwnerID       string        `json:"OwnerId,omitempty"`
	Instances     []ec2Instance `json:"Instances"`
}

// ec2UserData is describe-instance-attribute --attribute userData's
// output: the instance and its user data, base64 (no Value when it has
// none).
type ec2UserData struct {
	InstanceID string `json:"InstanceId"`
	UserData   struct {
		Value string `json:"Value,omitempty"`
	} `json:"UserData"`
}

type ec2Instance struct {
	InstanceID       string  `json:"InstanceId"`
	InstanceType     string  `json:"InstanceType"`
	ImageID          string  `json:"ImageId,omitempty"`
	KeyName          string  `json:"KeyName,omitempty"`
	LaunchTime       awsTime `json:"LaunchTime"`
	PrivateIPAddress string  `json:"PrivateIpAddress,omitempty"`
	PublicIPAddress  string  `json:"PublicIpAddress,omitempty"`
	SubnetID         string  `json:"SubnetId,omitempty"`
	VpcID            string  `json:"VpcId,omitempty"`
	ClientToken      string  `json:"ClientToken,omitempty"`
	Placement        *struct {
		AvailabilityZone string `json:"AvailabilityZone"`
	} `json:"Placement,omitempty"`
	State *struct {
		Code flexInt `json:"Code"`
		Name string  `json:"Name"`
	} `json:"State,omitempty"`
	StateReason *struct {
		Code    string `json:"Code,omitempty"`
		Message string `json:"Message,omitempty"`
	} `json:"StateReason,omitempty"`
	IamInstanceProfile *struct {
		Arn string `json:"Arn"`
		ID  string `json:"Id,omitempty"`
	} `json:"IamInstanceProfile,omitempty"`
	SecurityGroups    []ec2GroupIdent  `json:"SecurityGroups,omitempty"`
	NetworkInterfaces []ec2InstanceENI `json:"NetworkInterfaces,omitempty"`
	Tags              []ec2Tag         `json:"Tags,omitempty"`
	SourceDestCheck   *bool            `json:"SourceDestCheck,omitempty"`
	// MetadataOptions are the instance metadata service's options
	// (IMDSv2 required, hop limit, endpoint on or off).
	MetadataOptions *ec2MetadataOptions `json:"MetadataOptions,omitempty"`
}

// ec2MetadataOptions is describe-instances' InstanceMetadataOptionsResponse.
type ec2MetadataOptions struct {
	State                   string  `json:"State,omitempty"`
	HTTPTokens              string  `json:"HttpTokens,omitempty"`
	HTTPPutResponseHopLimit flexInt `json:"HttpPutResponseHopLimit"`
	HTTPEndpoint            string  `json:"HttpEndpoint,omitempty"`
	HTTPProtocolIpv6        string  `json:"HttpProtocolIpv6,omitempty"`
	InstanceMetadataTags    string  `json:"InstanceMetadataTags,omitempty"`
}

// ec2InstanceENI is an ENI as DescribeInstances nests it (no subnet AZ, no
// interface type on older outputs).
type ec2InstanceENI struct {
	NetworkInterfaceID string          `json:"NetworkInterfaceId"`
	SubnetID           string          `json:"SubnetId"`
	VpcID              string          `json:"VpcId"`
	Description        string          `json:"Description"`
	InterfaceType      string          `json:"InterfaceType,omitempty"`
	MacAddress         string          `json:"MacAddress,omitempty"`
	OwnerID            string          `json:"OwnerId,omitempty"`
	PrivateIPAddress   string          `json:"PrivateIpAddress,omitempty"`
	PrivateIPAddresses []ec2PrivateIP  `json:"PrivateIpAddresses"`
	Association        *ec2IPAssoc     `json:"Association,omitempty"`
	Attachment         *ec2ENIAttach   `json:"Attachment,omitempty"`
	Groups             []ec2GroupIdent `json:"Groups"`
	SourceDestCheck    *bool           `json:"SourceDestCheck,omitempty"`
	Status             string          `json:"Status,omitempty"`
	Ipv6Addresses      []ec2IPv6Addr   `json:"Ipv6Addresses,omitempty"`
}

type ec2Address struct {
	AllocationID       string   `json:"AllocationId,omitempty"`
	AssociationID      string   `json:"AssociationId,omitempty"`
	Domain             string   `json:"Domain,omitempty"`
	InstanceID         string   `json:"InstanceId,omitempty"`
	NetworkInterfaceID string   `json:"NetworkInterfaceId,omitempty"`
	PrivateIPAddress   string   `json:"PrivateIpAddress,omitempty"`
	PublicIP           string   `json:"PublicIp"`
	Tags               []ec2Tag `json:"Tags,omitempty"`
}

// ec2ServiceConfiguration is one describe-vpc-endpoint-service-configurations
// item: an endpoint service the account provides (for a Gateway Load
// Balancer endpoint, which GWLB it leads to).
type ec2ServiceConfiguration struct {
	ServiceID               string           `json:"ServiceId"`
	ServiceType             []ec2ServiceType `json:"ServiceType"`
	NetworkLoadBalancerArns []string         `json:"NetworkLoadBalancerArns,omitempty"`
	GatewayLoadBalancerArns []string         `json:"GatewayLoadBalancerArns,omitempty"`
	AvailabilityZones       []string         `json:"AvailabilityZones"`
	AcceptanceRequired      bool             `json:"AcceptanceRequired"`
	PrivateDNSName          string           `json:"PrivateDnsName,omitempty"`
	Tags                    []ec2Tag         `json:"Tags,omitempty"`
}

type ec2ServiceType struct {
	ServiceType string `json:"ServiceType"`
}

type ec2VpcEndpoint struct {
	VpcEndpointID     string          `json:"VpcEndpointId"`
	VpcEndpointType   string          `json:"VpcEndpointType"`
	VpcID             string          `json:"VpcId"`
	ServiceName       string          `json:"ServiceName"`
	State             string          `json:"State,omitempty"`
	PolicyDocument    string          `json:"PolicyDocument,omitempty"`
	RouteTableIDs     []string        `json:"RouteTableIds"`
	SubnetIDs         []string        `json:"SubnetIds"`
	Groups            []ec2GroupIdent `json:"Groups"`
	PrivateDNSEnabled bool            `json:"PrivateDnsEnabled"`
	// IPAddressType and DNSOptions: an interface endpoint's (ipv4,
	// dualstack, ipv6; the DNS record IP type).
	IPAddressType       string         `json:"IpAddressType,omitempty"`
	DNSOptions          *ec2DNSOptions `json:"DnsOptions,omitempty"`
	NetworkInterfaceIDs []string       `json:"NetworkInterfaceIds"`
	CreationTimestamp   awsTime        `json:"CreationTimestamp"`
	Tags                []ec2Tag       `json:"Tags,omitempty"`
	OwnerID             string         `json:"OwnerId,omitempty"`
}

// ec2DNSOptions is an endpoint's DnsOptions.
type ec2DNSOptions struct {
	DNSRecordIPType string `json:"DnsRecordIpType,omitempty"`
}

// ec2PrefixList is an entry of describe-prefix-lists (with Cidrs) or of
// describe-managed-prefix-lists (without, but with the owner, the address
// family and the version); both print "PrefixLists".
type ec2PrefixList struct {
	PrefixListID   string   `json:"PrefixListId"`
	PrefixListName string   `json:"PrefixListName"`
	Cidrs          []string `json:"Cidrs,omitempty"`
	// describe-managed-prefix-lists' members: OwnerId is "AWS" for AWS's
	// lists, the account for a customer-managed one.
	AddressFamily string   `json:"AddressFamily,omitempty"`
	State         string   `json:"State,omitempty"`
	MaxEntries    *flexInt `json:"MaxEntries,omitempty"`
	Version       *flexInt `json:"Version,omitempty"`
	OwnerID       string   `json:"OwnerId,omitempty"`
	Tags          []ec2Tag `json:"Tags,omitempty"`
}

// ec2PrefixListEntries is one list's get-managed-prefix-list-entries
// output with its id beside it (ManagedPrefixListEntriesFileName): the
// output itself does not name the list.
type ec2PrefixListEntries struct {
	PrefixListID string               `json:"PrefixListId"`
	Entries      []ec2PrefixListEntry `json:"Entries"`
}

type ec2PrefixListEntry struct {
	Cidr        string `json:"Cidr"`
	Description string `json:"Description,omitempty"`
}

// ec2AllowedPrincipal is an element of
// describe-vpc-endpoint-service-permissions (each names its service).
type ec2AllowedPrincipal struct {
	PrincipalType       string `json:"PrincipalType,omitempty"`
	Principal           string `json:"Principal"`
	ServicePermissionID string `json:"ServicePermissionId,omitempty"`
	ServiceID           string `json:"ServiceId,omitempty"`
}

// ec2ServicePermissions is one endpoint service's
// describe-vpc-endpoint-service-permissions output with its id beside it
// (EndpointServicePermissionsFileName).
type ec2ServicePermissions struct {
	ServiceID  string                `json:"ServiceId"`
	Principals []ec2AllowedPrincipal `json:"AllowedPrincipals"`
}

// ec2EndpointConnection is an element of describe-vpc-endpoint-connections:
// an interface endpoint to one of the account's endpoint services, of this
// account or another.
type ec2EndpointConnection struct {
	ServiceID        string  `json:"ServiceId"`
	VpcEndpointID    string  `json:"VpcEndpointId"`
	VpcEndpointOwner string  `json:"VpcEndpointOwner,omitempty"`
	VpcEndpointState string  `json:"VpcEndpointState,omitempty"`
	CreationTime     awsTime `json:"CreationTimestamp"`
}

type ec2LaunchTemplate struct {
	LaunchTemplateID     string   `json:"LaunchTemplateId"`
	LaunchTemplateName   string   `json:"LaunchTemplateName"`
	CreateTime           awsTime  `json:"CreateTime"`
	DefaultVersionNumber flexInt  `json:"DefaultVersionNumber"`
	LatestVersionNumber  flexInt  `json:"LatestVersionNumber"`
	Tags                 []ec2Tag `json:"Tags,omitempty"`
}

type ec2LaunchTemplateVersion struct {
	LaunchTemplateID   string           `json:"LaunchTemplateId"`
	LaunchTemplateName string           `json:"LaunchTemplateName"`
	VersionNumber      flexInt          `json:"VersionNumber"`
	VersionDescription string           `json:"VersionDescription,omitempty"`
	DefaultVersion     bool             `json:"DefaultVersion"`
	CreateTime         awsTime          `json:"CreateTime"`
	LaunchTemplateData ec2LaunchTmplDat `json:"LaunchTemplateData"`
}

type ec2LaunchTmplDat struct {
	ImageID            string `json:"ImageId,omitempty"`
	InstanceType       string `json:"InstanceType,omitempty"`
	KeyName            string `json:"KeyName,omitempty"`
	UserData           string `json:"UserData,omitempty"`
	IamInstanceProfile *struct {
		Arn  string `json:"Arn,omitempty"`
		Name string `json:"Name,omitempty"`
	} `json:"IamInstanceProfile,omitempty"`
	SecurityGroupIDs  []string `json:"SecurityGroupIds,omitempty"`
	NetworkInterfaces []struct {
		DeviceIndex              flexInt  `json:"DeviceIndex"`
		AssociatePublicIPAddress *bool    `json:"AssociatePublicIpAddress,omitempty"`
		SubnetID                 string   `json:"SubnetId,omitempty"`
		Groups                   []string `json:"Groups,omitempty"`
		DeleteOnTermination      *bool    `json:"DeleteOnTermination,omitempty"`
	} `json:"NetworkInterfaces,omitempty"`
	// MetadataOptions are the IMDS options as given (absent ones left out).
	MetadataOptions *ec2LTMetadataOptions `json:"MetadataOptions,omitempty"`
}

// ec2LTMetadataOptions is LaunchTemplateInstanceMetadataOptions.
type ec2LTMetadataOptions struct {
	HTTPTokens              string `json:"HttpTokens,omitempty"`
	HTTPPutResponseHopLimit *int   `json:"HttpPutResponseHopLimit,omitempty"`
	HTTPEndpoint            string `json:"HttpEndpoint,omitempty"`
	HTTPProtocolIpv6        string `json:"HttpProtocolIpv6,omitempty"`
	InstanceMetadataTags    string `json:"InstanceMetadataTags,omitempty"`
}

type ec2LaunchTmplRef struct {
	LaunchTemplateID   string `json:"LaunchTemplateId,omitempty"`
	LaunchTemplateName string `json:"LaunchTemplateName,omitempty"`
	Version            string `json:"Version,omitempty"`
}

// ---- Auto Scaling ----

type asgGroup struct {
	AutoScalingGroupName    string            `json:"AutoScalingGroupName"`
	AutoScalingGroupARN     string            `json:"AutoScalingGroupARN"`
	LaunchConfigurationName string            `json:"LaunchConfigurationName,omitempty"`
	LaunchTemplate          *ec2LaunchTmplRef `json:"LaunchTemplate,omitempty"`
	MixedInstancesPolicy    *struct {
		LaunchTemplate struct {
			LaunchTemplateSpecification *ec2LaunchTmplRef `json:"LaunchTemplateSpecification,omitempty"`
		} `json:"LaunchTemplate"`
	} `json:"MixedInstancesPolicy,omitempty"`
	MinSize                          flexInt   `json:"MinSize"`
	MaxSize                          flexInt   `json:"MaxSize"`
	DesiredCapacity                  flexInt   `json:"DesiredCapacity"`
	DefaultCooldown                  flexInt   `json:"DefaultCooldown"`
	AvailabilityZones                []string  `json:"AvailabilityZones"`
	TargetGroupARNs                  []string  `json:"TargetGroupARNs"`
	HealthCheckType                  string    `json:"HealthCheckType"`
	HealthCheckGracePeriod           flexInt   `json:"HealthCheckGracePeriod"`
	Instances                        []asgInst `json:"Instances"`
	CreatedTime                      awsTime   `json:"CreatedTime"`
	VPCZoneIdentifier                string    `json:"VPCZoneIdentifier"`
	Status                           string    `json:"Status,omitempty"`
	Tags                             []ec2Tag  `json:"Tags"`
	NewInstancesProtectedFromScaleIn bool      `json:"NewInstancesProtectedFromScaleIn"`
	CapacityRebalance                bool      `json:"CapacityRebalance"`
}

type asgInst struct {
	InstanceID       string `json:"InstanceId"`
	InstanceType     string `json:"InstanceType,omitempty"`
	AvailabilityZone string `json:"AvailabilityZone"`
	LifecycleState   string `json:"LifecycleState"`
	HealthStatus     string `json:"HealthStatus"`
}

type asgLaunchConfig struct {
	LaunchConfigurationName  string   `json:"LaunchConfigurationName"`
	LaunchConfigurationARN   string   `json:"LaunchConfigurationARN"`
	ImageID                  string   `json:"ImageId"`
	InstanceType             string   `json:"InstanceType"`
	KeyName                  string   `json:"KeyName,omitempty"`
	SecurityGroups           []string `json:"SecurityGroups"`
	UserData                 string   `json:"UserData,omitempty"`
	IamInstanceProfile       string   `json:"IamInstanceProfile,omitempty"`
	AssociatePublicIPAddress *bool    `json:"AssociatePublicIpAddress,omitempty"`
	CreatedTime              awsTime  `json:"CreatedTime"`
}

// ---- ECS ----

type ecsCluster struct {
	ClusterArn                      string           `json:"clusterArn"`
	ClusterName                     string           `json:"clusterName"`
	Status                          string           `json:"status"`
	CapacityProviders               []string         `json:"capacityProviders"`
	DefaultCapacityProviderStrategy []ecsCPStrategy  `json:"defaultCapacityProviderStrategy"`
	Settings                        []ecsKeyValueSet `json:"settings,omitempty"`
	Tags                            []ecsTag         `json:"tags,omitempty"`
}

// ecsCapacityProvider is an element of ecs describe-capacity-providers.
type ecsCapacityProvider struct {
	CapacityProviderArn      string          `json:"capacityProviderArn"`
	Name                     string          `json:"name"`
	Status                   string          `json:"status"`
	UpdateStatus             string          `json:"updateStatus,omitempty"`
	AutoScalingGroupProvider *ecsASGProvider `json:"autoScalingGroupProvider,omitempty"`
	Tags                     []ecsTag        `json:"tags,omitempty"`
	// Type, Cluster and ManagedInstancesProvider: an ECS Managed Instances
	// provider (type MANAGED_INSTANCES, of one cluster).
	Type                     string         `json:"type,omitempty"`
	Cluster                  string         `json:"cluster,omitempty"`
	ManagedInstancesProvider *ecsMIProvider `json:"managedInstancesProvider,omitempty"`
}

type ecsMIProvider struct {
	InfrastructureRoleArn  string `json:"infrastructureRoleArn"`
	PropagateTags          string `json:"propagateTags,omitempty"`
	InstanceLaunchTemplate struct {
		Ec2InstanceProfileArn string `json:"ec2InstanceProfileArn"`
		NetworkConfiguration  struct {
			Subnets        []string `json:"subnets"`
			SecurityGroups []string `json:"securityGroups,omitempty"`
		} `json:"networkConfiguration"`
		Monitoring           string `json:"monitoring,omitempty"`
		CapacityOptionType   string `json:"capacityOptionType,omitempty"`
		InstanceRequirements *struct {
			AllowedInstanceTypes []string `json:"allowedInstanceTypes,omitempty"`
		} `json:"instanceRequirements,omitempty"`
	} `json:"instanceLaunchTemplate"`
}

type ecsASGProvider struct {
	AutoScalingGroupArn          string             `json:"autoScalingGroupArn"`
	ManagedScaling               *ecsManagedScaling `json:"managedScaling,omitempty"`
	ManagedTerminationProtection string             `json:"managedTerminationProtection,omitempty"`
	ManagedDraining              string             `json:"managedDraining,omitempty"`
}

type ecsManagedScaling struct {
	Status                 string  `json:"status"`
	TargetCapacity         flexInt `json:"targetCapacity"`
	MinimumScalingStepSize flexInt `json:"minimumScalingStepSize"`
	MaximumScalingStepSize flexInt `json:"maximumScalingStepSize"`
	InstanceWarmupPeriod   flexInt `json:"instanceWarmupPeriod"`
}

type ecsKeyValueSet struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type ecsCPStrategy struct {
	CapacityProvider string  `json:"capacityProvider"`
	Weight           flexInt `json:"weight"`
	Base             flexInt `json:"base"`
}

type ecsContainerInstance struct {
	ContainerInstanceArn string `json:"containerInstanceArn"`
	Ec2InstanceID        string `json:"ec2InstanceId"`
	CapacityProviderName string `json:"capacityProviderName,omitempty"`
	Version              int64  `json:"version"`
	VersionInfo          *struct {
		AgentVersion string `json:"agentVersion,omitempty"`
	} `json:"versionInfo,omitempty"`
	Status              string        `json:"status"`
	StatusReason        string        `json:"statusReason,omitempty"`
	AgentConnected      bool          `json:"agentConnected"`
	RegisteredResources []ecsResource `json:"registeredResources"`
	RemainingResources  []ecsResource `json:"remainingResources,omitempty"`
	Attributes          []ecsAttr     `json:"attributes"`
	RegisteredAt        awsTime       `json:"registeredAt"`
	Tags                []ecsTag      `json:"tags,omitempty"`
	// ClusterArn is not part of the AWS output (the cluster is a request
	// parameter); tools that add it are believed.
	ClusterArn string `json:"clusterArn,omitempty"`
}

type ecsResource struct {
	Name           string   `json:"name"`
	Type           string   `json:"type"`
	IntegerValue   flexInt  `json:"integerValue"`
	StringSetValue []string `json:"stringSetValue,omitempty"`
}

type ecsAttr struct {
	Name  string `json:"name"`
	Value string `json:"value,omitempty"`
}

type ecsAwsvpcConfig struct {
	Subnets        []string `json:"subnets"`
	SecurityGroups []string `json:"securityGroups,omitempty"`
	AssignPublicIP string   `json:"assignPublicIp,omitempty"`
}

type ecsNetworkConfig struct {
	AwsvpcConfiguration *ecsAwsvpcConfig `json:"awsvpcConfiguration,omitempty"`
}

type ecsService struct {
	ServiceArn                    string            `json:"serviceArn"`
	ServiceName                   string            `json:"serviceName"`
	ClusterArn                    string            `json:"clusterArn"`
	TaskDefinition                string            `json:"taskDefinition"`
	DesiredCount                  flexInt           `json:"desiredCount"`
	RunningCount                  flexInt           `json:"runningCount"`
	PendingCount                  flexInt           `json:"pendingCount"`
	LaunchType                    string            `json:"launchType,omitempty"`
	CapacityProviderStrategy      []ecsCPStrategy   `json:"capacityProviderStrategy,omitempty"`
	PlatformVersion               string            `json:"platformVersion,omitempty"`
	NetworkConfiguration          *ecsNetworkConfig `json:"networkConfiguration,omitempty"`
	LoadBalancers                 []ecsServiceLB    `json:"loadBalancers"`
	ServiceRegistries             []ecsRegistry     `json:"serviceRegistries,omitempty"`
	SchedulingStrategy            string            `json:"schedulingStrategy,omitempty"`
	Status                        string            `json:"status"`
	HealthCheckGracePeriodSeconds flexInt           `json:"healthCheckGracePeriodSeconds"`
	Deployments                   []ecsDeployment   `json:"deployments,omitempty"`
	CreatedAt                     awsTime           `json:"createdAt"`
	CreatedBy                     string            `json:"createdBy,omitempty"`
	PropagateTags                 string            `json:"propagateTags,omitempty"`
	EnableECSManagedTags          bool              `json:"enableECSManagedTags"`
	Tags                          []ecsTag          `json:"tags,omitempty"`
	RoleArn                       string            `json:"roleArn,omitempty"`
	EnableExecuteCommand          bool              `json:"enableExecuteCommand"`
	AvailabilityZoneRebalancing   string            `json:"availabilityZoneRebalancing,omitempty"`
	DeploymentConfiguration       *ecsDeployConfig  `json:"deploymentConfiguration,omitempty"`
	// DeploymentController is ECS (the default, also when absent),
	// CODE_DEPLOY or EXTERNAL.
	DeploymentController *struct {
		Type string `json:"type"`
	} `json:"deploymentController,omitempty"`
	// TaskSets are an EXTERNAL or CODE_DEPLOY service's (tasksets.go).
	TaskSets []ecsTaskSet `json:"taskSets,omitempty"`
}

// ecsDeployConfig is a service's deploymentConfiguration.
type ecsDeployConfig struct {
	MaximumPercent           flexInt `json:"maximumPercent"`
	MinimumHealthyPercent    flexInt `json:"minimumHealthyPercent"`
	DeploymentCircuitBreaker *struct {
		Enable   bool `json:"enable"`
		Rollback bool `json:"rollback"`
	} `json:"deploymentCircuitBreaker,omitempty"`
	Alarms *ecsDeployAlarms `json:"alarms,omitempty"`
	// Strategy and BakeTimeInMinutes are an ECS blue/green service's.
	Strategy          string   `json:"strategy,omitempty"`
	BakeTimeInMinutes *flexInt `json:"bakeTimeInMinutes,omitempty"`
}

type ecsDeployAlarms struct {
	AlarmNames []string `json:"alarmNames"`
	Enable     bool     `json:"enable"`
	Rollback   bool     `json:"rollback"`
}

type ecsServiceLB struct {
	TargetGroupArn   string  `json:"targetGroupArn,omitempty"`
	LoadBalancerName string  `json:"loadBalancerName,omitempty"`
	ContainerName    string  `json:"containerName"`
	ContainerPort    flexInt `json:"containerPort"`
	// AdvancedConfiguration is a blue/green service's second target
	// group and listener rules.
	AdvancedConfiguration *ecsAdvancedConfig `json:"advancedConfiguration,omitempty"`
}

type ecsAdvancedConfig struct {
	AlternateTargetGroupArn string `json:"alternateTargetGroupArn"`
	ProductionListenerRule  string `json:"productionListenerRule,omitempty"`
	TestListenerRule        string `json:"testListenerRule,omitempty"`
	RoleArn                 string `json:"roleArn,omitempty"`
}

// ecsRegistry is an item of a service's serviceRegistries (Cloud Map).
type ecsRegistry struct {
	RegistryArn   string   `json:"registryArn"`
	Port          *flexInt `json:"port,omitempty"`
	ContainerName string   `json:"containerName,omitempty"`
	ContainerPort *flexInt `json:"containerPort,omitempty"`
}

type ecsDeployment struct {
	ID             string  `json:"id"`
	Status         string  `json:"status"`
	TaskDefinition string  `json:"taskDefinition"`
	DesiredCount   flexInt `json:"desiredCount"`
	CreatedAt      awsTime `json:"createdAt"`
	UpdatedAt      awsTime `json:"updatedAt"`
	RolloutState   string  `json:"rolloutState,omitempty"`
	// NetworkConfiguration is the awsvpc configuration the deployment's
	// tasks run with.
	NetworkConfiguration *ecsNetworkConfig `json:"networkConfiguration,omitempty"`
	// ServiceConnectConfiguration and ServiceConnectResources are the
	// deployment's Service Connect configuration and the Cloud Map
	// services ECS made for it.
	ServiceConnectConfiguration *ecsServiceConnect `json:"serviceConnectConfiguration,omitempty"`
	ServiceConnectResources     []ecsSCResource    `json:"serviceConnectResources,omitempty"`
}

type ecsServiceConnect struct {
	Enabled   bool            `json:"enabled"`
	Namespace string          `json:"namespace,omitempty"`
	Services  []ecsSCService  `json:"services,omitempty"`
	LogConfig *ecsSCLogConfig `json:"logConfiguration,omitempty"`
}

type ecsSCLogConfig struct {
	LogDriver string            `json:"logDriver,omitempty"`
	Options   map[string]string `json:"options,omitempty"`
}

type ecsSCService struct {
	PortName            string       `json:"portName"`
	DiscoveryName       string       `json:"discoveryName,omitempty"`
	IngressPortOverride *flexInt     `json:"ingressPortOverride,omitempty"`
	ClientAliases       []ecsSCAlias `json:"clientAliases,omitempty"`
}

type ecsSCAlias struct {
	Port    flexInt `json:"port"`
	DNSName string  `json:"dnsName,omitempty"`
}

type ecsSCResource struct {
	DiscoveryName string `json:"discoveryName,omitempty"`
	DiscoveryArn  string `json:"discoveryArn,omitempty"`
}

type ecsTask struct {
	TaskArn              string          `json:"taskArn"`
	ClusterArn           string          `json:"clusterArn"`
	TaskDefinitionArn    string          `json:"taskDefinitionArn"`
	ContainerInstanceArn string          `json:"containerInstanceArn,omitempty"`
	LaunchType           string          `json:"launchType,omitempty"`
	CapacityProviderName string          `json:"capacityProviderName,omitempty"`
	PlatformVersion      string          `json:"platformVersion,omitempty"`
	PlatformFamily       string          `json:"platformFamily,omitempty"`
	LastStatus           string          `json:"lastStatus"`
	DesiredStatus        string          `json:"desiredStatus"`
	CPU                  flexString      `json:"cpu,omitempty"`
	Memory               flexString      `json:"memory,omitempty"`
	AvailabilityZone     string          `json:"availabilityZone,omitempty"`
	Group                string          `json:"group,omitempty"`
	StartedBy            string          `json:"startedBy,omitempty"`
	Attachments          []ecsAttachment `json:"attachments"`
	Containers           []ecsContainer  `json:"containers"`
	StopCode             string          `json:"stopCode,omitempty"`
	StoppedReason        string          `json:"stoppedReason,omitempty"`
	Connectivity         string          `json:"connectivity,omitempty"`
	ConnectivityAt       awsTime         `json:"connectivityAt"`
	CreatedAt            awsTime         `json:"createdAt"`
	PullStartedAt        awsTime         `json:"pullStartedAt"`
	StartedAt            awsTime         `json:"startedAt"`
	StoppingAt           awsTime         `json:"stoppingAt"`
	StoppedAt            awsTime         `json:"stoppedAt"`
	Version              int64           `json:"version"`
	Tags                 []ecsTag        `json:"tags,omitempty"`
}

type ecsAttachment struct {
	ID      string           `json:"id"`
	Type    string           `json:"type"`
	Status  string           `json:"status"`
	Details []ecsKeyValueSet `json:"details"`
}

type ecsContainer struct {
	ContainerArn      string           `json:"containerArn,omitempty"`
	TaskArn           string           `json:"taskArn,omitempty"`
	Name              string           `json:"name"`
	Image             string           `json:"image,omitempty"`
	LastStatus        string           `json:"lastStatus,omitempty"`
	ExitCode          *int             `json:"exitCode,omitempty"`
	Reason            string           `json:"reason,omitempty"`
	NetworkBindings   []ecsBinding     `json:"networkBindings"`
	NetworkInterfaces []ecsContainerNI `json:"networkInterfaces"`
	CPU               flexString       `json:"cpu,omitempty"`
	Memory            flexString       `json:"memory,omitempty"`
}

type ecsBinding struct {
	BindIP             string  `json:"bindIP,omitempty"`
	ContainerPort      flexInt `json:"containerPort,omitzero"`
	HostPort           flexInt `json:"hostPort,omitzero"`
	Protocol           string  `json:"protocol,omitempty"`
	ContainerPortRange string  `json:"containerPortRange,omitempty"`
	HostPortRange      string  `json:"hostPortRange,omitempty"`
}

type ecsContainerNI struct {
	AttachmentID       string `json:"attachmentId,omitempty"`
	PrivateIpv4Address string `json:"privateIpv4Address,omitempty"`
	Ipv6Address        string `json:"ipv6Address,omitempty"`
}

// ecsDaemonTaskDefinition is describe-daemon-task-definition's
// daemonTaskDefinition (the containers' definitions kept whole, as
// RegisterDaemonTaskDefinition took them).
type ecsDaemonTaskDefinition struct {
	DaemonTaskDefinitionArn string            `json:"daemonTaskDefinitionArn"`
	Family                  string            `json:"family"`
	Revision                flexInt           `json:"revision"`
	Status                  string            `json:"status,omitempty"`
	ContainerDefinitions    []json.RawMessage `json:"containerDefinitions"`
	Volumes                 []ecsDaemonVolume `json:"volumes,omitempty"`
	CPU                     flexString        `json:"cpu,omitempty"`
	Memory                  flexString        `json:"memory,omitempty"`
	TaskRoleArn             string            `json:"taskRoleArn,omitempty"`
	ExecutionRoleArn        string            `json:"executionRoleArn,omitempty"`
	RegisteredBy            string            `json:"registeredBy,omitempty"`
	RegisteredAt            awsTime           `json:"registeredAt"`
	DeleteRequestedAt       awsTime           `json:"deleteRequestedAt"`
}

// ecsDaemonVolume is a daemon task definition's volume.
type ecsDaemonVolume struct {
	Name string         `json:"name"`
	Host *ecsDaemonHost `json:"host,omitempty"`
}

type ecsDaemonHost struct {
	SourcePath string `json:"sourcePath,omitempty"`
}

type ecsTaskDefinition struct {
	TaskDefinitionArn       string            `json:"taskDefinitionArn"`
	Family                  string            `json:"family"`
	Revision                flexInt           `json:"revision"`
	Status                  string            `json:"status,omitempty"`
	NetworkMode             string            `json:"networkMode,omitempty"`
	ContainerDefinitions    []ecsContainerDef `json:"containerDefinitions"`
	RequiresCompatibilities []string          `json:"requiresCompatibilities,omitempty"`
	Compatibilities         []string          `json:"compatibilities,omitempty"`
	CPU                     flexString        `json:"cpu,omitempty"`
	Memory                  flexString        `json:"memory,omitempty"`
	TaskRoleArn             string            `json:"taskRoleArn,omitempty"`
	ExecutionRoleArn        string            `json:"executionRoleArn,omitempty"`
	PidMode                 string            `json:"pidMode,omitempty"`
	IpcMode                 string            `json:"ipcMode,omitempty"`
	RequiresAttributes      []ecsAttr         `json:"requiresAttributes,omitempty"`
	RegisteredAt            awsTime           `json:"registeredAt"`
	DeregisteredAt          awsTime           `json:"deregisteredAt"`
	RegisteredBy            string            `json:"registeredBy,omitempty"`
	PlacementConstraints    []ecsConstraint   `json:"placementConstraints,omitempty"`
	RuntimePlatform         *ecsRuntimePlat   `json:"runtimePlatform,omitempty"`
	// Raw is every other member (volumes, …): rawdef.go.
	Raw map[string]any `json:"-"`
}

// ecsConstraint is a task definition's placement constraint (memberOf and
// its cluster query language expression).
type ecsConstraint struct {
	Type       string `json:"type"`
	Expression string `json:"expression,omitempty"`
}

// ecsRuntimePlat is a task definition's runtimePlatform.
type ecsRuntimePlat struct {
	CPUArchitecture       string `json:"cpuArchitecture,omitempty"`
	OperatingSystemFamily string `json:"operatingSystemFamily,omitempty"`
}

type ecsContainerDef struct {
	Name              string            `json:"name"`
	Image             string            `json:"image"`
	CPU               flexInt           `json:"cpu"`
	Memory            flexInt           `json:"memory"`
	MemoryReservation flexInt           `json:"memoryReservation"`
	Essential         *bool             `json:"essential,omitempty"`
	PortMappings      []ecsPortMapping  `json:"portMappings"`
	Environment       []ecsKeyValueSet  `json:"environment,omitempty"`
	Command           []string          `json:"command,omitempty"`
	EntryPoint        []string          `json:"entryPoint,omitempty"`
	DockerLabels      map[string]string `json:"dockerLabels,omitempty"`
	Links             []string          `json:"links,omitempty"`
	// Raw is every other member (logConfiguration, …): rawdef.go.
	Raw map[string]any `json:"-"`
}

type ecsPortMapping struct {
	ContainerPort      flexInt `json:"containerPort,omitzero"`
	ContainerPortRange string  `json:"containerPortRange,omitempty"`
	HostPort           flexInt `json:"hostPort,omitzero"`
	Protocol           string  `json:"protocol,omitempty"`
	Name               string  `json:"name,omitempty"`
	AppProtocol        string  `json:"appProtocol,omitempty"`
}

// ---- ELBv2 ----

type elbLoadBalancer struct {
	LoadBalancerArn       string  `json:"LoadBalancerArn"`
	DNSName               string  `json:"DNSName"`
	CanonicalHostedZoneID string  `json:"CanonicalHostedZoneId,omitempty"`
	CreatedTime           awsTime `json:"CreatedTime"`
	LoadBalancerName      string  `json:"LoadBalancerName"`
	Scheme                string  `json:"Scheme"`
	VpcID                 string  `json:"VpcId"`
	State                 *struct {
		Code   string `json:"Code"`
		Reason string `json:"Reason,omitempty"`
	} `json:"State,omitempty"`
	Type              string    `json:"Type"`
	AvailabilityZones []elbZone `json:"AvailabilityZones"`
	SecurityGroups    []string  `json:"SecurityGroups,omitempty"`
	IPAddressType     string    `json:"IpAddressType,omitempty"`
}

// elbClassic is one of elb describe-load-balancers' LoadBalancerDescriptions
// (Elastic Load Balancing API 2012-06-01).
// elbClassicAttributes is one Classic Load Balancer's
// describe-load-balancer-attributes output with its name beside it
// (ClassicAttributesFileName).
type elbClassicAttributes struct {
	LoadBalancerName       string `json:"LoadBalancerName"`
	LoadBalancerAttributes struct {
		CrossZoneLoadBalancing *struct {
			Enabled bool `json:"Enabled"`
		} `json:"CrossZoneLoadBalancing,omitempty"`
		AccessLog *struct {
			Enabled        bool     `json:"Enabled"`
			S3BucketName   string   `json:"S3BucketName,omitempty"`
			S3BucketPrefix string   `json:"S3BucketPrefix,omitempty"`
			EmitInterval   *flexInt `json:"EmitInterval,omitempty"`
		} `json:"AccessLog,omitempty"`
		ConnectionDraining *struct {
			Enabled bool     `json:"Enabled"`
			Timeout *flexInt `json:"Timeout,omitempty"`
		} `json:"ConnectionDraining,omitempty"`
		ConnectionSettings *struct {
			IdleTimeout *flexInt `json:"IdleTimeout,omitempty"`
		} `json:"ConnectionSettings,omitempty"`
		AdditionalAttributes []struct {
			Key   string `json:"Key"`
			Value string `json:"Value"`
		} `json:"AdditionalAttributes,omitempty"`
	} `json:"LoadBalancerAttributes"`
}

// elbClassicPolicies is one Classic Load Balancer's
// describe-load-balancer-policies output with its name beside it
// (ClassicPoliciesFileName).
type elbClassicPolicies struct {
	LoadBalancerName   string                 `json:"LoadBalancerName"`
	PolicyDescriptions []elbPolicyDescription `json:"PolicyDescriptions"`
}

type elbPolicyDescription struct {
	PolicyName                  string `json:"PolicyName"`
	PolicyTypeName              string `json:"PolicyTypeName"`
	PolicyAttributeDescriptions []struct {
		AttributeName  string `json:"AttributeName"`
		AttributeValue string `json:"AttributeValue"`
	} `json:"PolicyAttributeDescriptions"`
}

type elbClassic struct {
	LoadBalancerName     string                   `json:"LoadBalancerName"`
	DNSName              string                   `json:"DNSName"`
	Scheme               string                   `json:"Scheme"`
	VPCId                string                   `json:"VPCId"`
	Subnets              []string                 `json:"Subnets"`
	AvailabilityZones    []string                 `json:"AvailabilityZones"`
	SecurityGroups       []string                 `json:"SecurityGroups"`
	CreatedTime          awsTime                  `json:"CreatedTime"`
	ListenerDescriptions []elbClassicListenerDesc `json:"ListenerDescriptions"`
	HealthCheck          struct {
		Target             string  `json:"Target"`
		Interval           flexInt `json:"Interval"`
		Timeout            flexInt `json:"Timeout"`
		UnhealthyThreshold flexInt `json:"UnhealthyThreshold"`
		HealthyThreshold   flexInt `json:"HealthyThreshold"`
	} `json:"HealthCheck"`
	Instances []struct {
		InstanceID string `json:"InstanceId"`
	} `json:"Instances"`
	// The policies of each listener and each instance port (by name; the
	// policies themselves are describe-load-balancer-policies').
	BackendServerDescriptions []elbBackendDesc `json:"BackendServerDescriptions,omitempty"`
}

type elbClassicListenerDesc struct {
	Listener struct {
		Protocol         string  `json:"Protocol"`
		LoadBalancerPort flexInt `json:"LoadBalancerPort"`
		InstanceProtocol string  `json:"InstanceProtocol"`
		InstancePort     flexInt `json:"InstancePort"`
		SSLCertificateID string  `json:"SSLCertificateId,omitempty"`
	} `json:"Listener"`
	PolicyNames []string `json:"PolicyNames"`
}

type elbBackendDesc struct {
	InstancePort flexInt  `json:"InstancePort"`
	PolicyNames  []string `json:"PolicyNames"`
}

type elbZone struct {
	ZoneName              string       `json:"ZoneName"`
	SubnetID              string       `json:"SubnetId"`
	LoadBalancerAddresses []elbAddress `json:"LoadBalancerAddresses"`
}

// elbAddress is one of a load balancer zone's LoadBalancerAddresses.
type elbAddress struct {
	IPAddress          string `json:"IpAddress,omitempty"`
	AllocationID       string `json:"AllocationId,omitempty"`
	PrivateIPv4Address string `json:"PrivateIPv4Address,omitempty"`
	IPv6Address        string `json:"IPv6Address,omitempty"`
}

type elbListener struct {
	ListenerArn     string      `json:"ListenerArn"`
	LoadBalancerArn string      `json:"LoadBalancerArn"`
	Port            flexInt     `json:"Port"`
	Protocol        string      `json:"Protocol"`
	SSLPolicy       string      `json:"SslPolicy,omitempty"`
	Certificates    []elbCert   `json:"Certificates,omitempty"`
	DefaultActions  []elbAction `json:"DefaultActions"`
}

type elbCert struct {
	CertificateArn string `json:"CertificateArn"`
}

type elbAction struct {
	Type           string  `json:"Type"`
	TargetGroupArn string  `json:"TargetGroupArn,omitempty"`
	Order          flexInt `json:"Order,omitzero"` // absent unless the action was given one
	ForwardConfig  *struct {
		TargetGroups []struct {
			TargetGroupArn string  `json:"TargetGroupArn"`
			Weight         flexInt `json:"Weight"`
		} `json:"TargetGroups"`
	} `json:"ForwardConfig,omitempty"`
	FixedResponseConfig *struct {
		StatusCode  string `json:"StatusCode"`
		ContentType string `json:"ContentType,omitempty"`
		MessageBody string `json:"MessageBody,omitempty"`
	} `json:"FixedResponseConfig,omitempty"`
	RedirectConfig map[string]any `json:"RedirectConfig,omitempty"`
}

type elbRule struct {
	RuleArn    string         `json:"RuleArn"`
	Priority   string         `json:"Priority"`
	Conditions []elbCondition `json:"Conditions"`
	Actions    []elbAction    `json:"Actions"`
	IsDefault  bool           `json:"IsDefault"`
	// ListenerArn is not in AWS's output (the rule ARN encodes it); tools
	// that add it are believed.
	ListenerArn string         `json:"ListenerArn,omitempty"`
	Transforms  []elbTransform `json:"Transforms,omitempty"`
}

// elbTransform is a rule transform (RuleTransform): one rewrite in the
// config of its type.
type elbTransform struct {
	Type                    string       `json:"Type"`
	HostHeaderRewriteConfig *elbRewrites `json:"HostHeaderRewriteConfig,omitempty"`
	UrlRewriteConfig        *elbRewrites `json:"UrlRewriteConfig,omitempty"`
}

type elbRewrites struct {
	Rewrites []elbRewrite `json:"Rewrites"`
}

type elbRewrite struct {
	Regex   string `json:"Regex"`
	Replace string `json:"Replace"`
}

type elbCondition struct {
	Field  string   `json:"Field"`
	Values []string `json:"Values,omitempty"`
	// The typed configs carry the values on newer outputs.
	HostHeaderConfig        *elbValues       `json:"HostHeaderConfig,omitempty"`
	PathPatternConfig       *elbValues       `json:"PathPatternConfig,omitempty"`
	HTTPRequestMethodConfig *elbValues       `json:"HttpRequestMethodConfig,omitempty"`
	SourceIPConfig          *elbValues       `json:"SourceIpConfig,omitempty"`
	HTTPHeaderConfig        *elbValues       `json:"HttpHeaderConfig,omitempty"`
	QueryStringConfig       *elbQueryStrings `json:"QueryStringConfig,omitempty"`
	// RegexValues beside Field (host-header, path-pattern, http-header);
	// describe-rules answers them in the config.
	RegexValues []string `json:"RegexValues,omitempty"`
}

type elbQueryStrings struct {
	Values []elbKeyValue `json:"Values"`
}

// elbKeyValue is a query-string condition's pair (no Key: any key).
type elbKeyValue struct {
	Key   string `json:"Key,omitempty"`
	Value string `json:"Value"`
}

type elbValues struct {
	HTTPHeaderName string   `json:"HttpHeaderName,omitempty"`
	Values         []string `json:"Values,omitempty"`
	RegexValues    []string `json:"RegexValues,omitempty"`
}

type elbTargetGroup struct {
	TargetGroupArn             string  `json:"TargetGroupArn"`
	TargetGroupName            string  `json:"TargetGroupName"`
	Protocol                   string  `json:"Protocol,omitempty"`
	ProtocolVersion            string  `json:"ProtocolVersion,omitempty"`
	Port                       flexInt `json:"Port"`
	VpcID                      string  `json:"VpcId,omitempty"`
	HealthCheckProtocol        string  `json:"HealthCheckProtocol,omitempty"`
	HealthCheckPort            string  `json:"HealthCheckPort,omitempty"`
	HealthCheckEnabled         bool    `json:"HealthCheckEnabled"`
	HealthCheckIntervalSeconds flexInt `json:"HealthCheckIntervalSeconds"`
	HealthCheckTimeoutSeconds  flexInt `json:"HealthCheckTimeoutSeconds"`
	HealthyThresholdCount      flexInt `json:"HealthyThresholdCount"`
	UnhealthyThresholdCount    flexInt `json:"UnhealthyThresholdCount"`
	HealthCheckPath            string  `json:"HealthCheckPath,omitempty"`
	Matcher                    *struct {
		HTTPCode string `json:"HttpCode,omitempty"`
		GrpcCode string `json:"GrpcCode,omitempty"`
	} `json:"Matcher,omitempty"`
	LoadBalancerArns []string `json:"LoadBalancerArns"`
	TargetType       string   `json:"TargetType"`
	IPAddressType    string   `json:"IpAddressType,omitempty"`
}

type elbTargetHealthDesc struct {
	Target struct {
		ID               string  `json:"Id"`
		Port             flexInt `json:"Port"`
		AvailabilityZone string  `json:"AvailabilityZone,omitempty"`
	} `json:"Target"`
	HealthCheckPort string `json:"HealthCheckPort,omitempty"`
	TargetHealth    struct {
		State       string `json:"State"`
		Reason      string `json:"Reason,omitempty"`
		Description string `json:"Description,omitempty"`
	} `json:"TargetHealth"`
}

// elbTargetHealth is one target group's describe-target-health output with
// the group's ARN beside it: the wrapper ecsnet collect and
// scripts/collect.sh write, and the element of Batfish's
// LoadBalancerTargetHealth list.
type elbTargetHealth struct {
	TargetGroupArn           string                `json:"TargetGroupArn"`
	TargetHealthDescriptions []elbTargetHealthDesc `json:"TargetHealthDescriptions"`
}

// elbListenerSet is the element of Batfish's LoadBalancerListeners list.
type elbListenerSet struct {
	LoadBalancerArn string        `json:"LoadBalancerArn"`
	Listeners       []elbListener `json:"Listeners"`
}

// ---- Cloud Map (servicediscovery) ----

// sdNamespace is an item of servicediscovery list-namespaces (or the
// Namespace of get-namespace).
type sdNamespace struct {
	ID          string `json:"Id"`
	Arn         string `json:"Arn"`
	Name        string `json:"Name"`
	Type        string `json:"Type"`
	Description string `json:"Description,omitempty"`
	Properties  struct {
		DNSProperties *struct {
			HostedZoneID string `json:"HostedZoneId"`
			SOA          *struct {
				TTL flexInt `json:"TTL"`
			} `json:"SOA,omitempty"`
		} `json:"DnsProperties,omitempty"`
		HTTPProperties *struct {
			HTTPName string `json:"HttpName"`
		} `json:"HttpProperties,omitempty"`
	} `json:"Properties"`
	CreatorRequestID string  `json:"CreatorRequestId,omitempty"`
	CreateDate       awsTime `json:"CreateDate"`
}

// sdDNSRecord is an item of a Cloud Map service's DnsConfig.DnsRecords.
type sdDNSRecord struct {
	Type string  `json:"Type"`
	TTL  flexInt `json:"TTL"`
}

// sdService is the Service of servicediscovery get-service (an item of
// list-services has no NamespaceId outside its deprecated
// DnsConfig.NamespaceId).
type sdService struct {
	ID          string `json:"Id"`
	Arn         string `json:"Arn"`
	Name        string `json:"Name"`
	NamespaceID string `json:"NamespaceId,omitempty"`
	Description string `json:"Description,omitempty"`
	Type        string `json:"Type,omitempty"`
	DNSConfig   *struct {
		NamespaceID   string        `json:"NamespaceId,omitempty"`
		RoutingPolicy string        `json:"RoutingPolicy,omitempty"`
		DNSRecords    []sdDNSRecord `json:"DnsRecords"`
	} `json:"DnsConfig,omitempty"`
	HealthCheckConfig *struct {
		Type             string  `json:"Type"`
		ResourcePath     string  `json:"ResourcePath,omitempty"`
		FailureThreshold flexInt `json:"FailureThreshold"`
	} `json:"HealthCheckConfig,omitempty"`
	HealthCheckCustomConfig *struct {
		FailureThreshold *flexInt `json:"FailureThreshold,omitempty"`
	} `json:"HealthCheckCustomConfig,omitempty"`
	CreatorRequestID string  `json:"CreatorRequestId,omitempty"`
	CreateDate       awsTime `json:"CreateDate"`
}

// sdInstance is an item of servicediscovery list-instances.
type sdInstance struct {
	ID         string            `json:"Id"`
	Attributes map[string]string `json:"Attributes"`
}

// sdServiceInstances is one Cloud Map service's list-instances output with
// the service's id beside it (ServiceInstancesFileName).
type sdServiceInstances struct {
	ServiceID string       `json:"ServiceId"`
	Instances []sdInstance `json:"Instances"`
}

// elbAttribute is one Key/Value of elbv2 describe-target-group-attributes
// or describe-load-balancer-attributes.
type elbAttribute struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// elbAttributes is one target group's or load balancer's attributes
// output with its ARN beside it (TargetGroupAttributesFileName,
// LoadBalancerAttributesFileName): the output itself names neither.
type elbAttributes struct {
	TargetGroupArn  string         `json:"TargetGroupArn,omitempty"`
	LoadBalancerArn string         `json:"LoadBalancerArn,omitempty"`
	Attributes      []elbAttribute `json:"Attributes"`
}
