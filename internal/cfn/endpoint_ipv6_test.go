package cfn_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestVPCEndpointIPv6: AWS::EC2::VPCEndpoint's IpAddressType and
// DnsOptions.DnsRecordIpType (CloudFormation resource reference) reach
// CreateVpcEndpoint: a dualstack endpoint in a dual-stack subnet, its
// records of type ipv4, and an interface with an IPv6 address.
func TestVPCEndpointIPv6(t *testing.T) {
	res := loadText(t, "v6.yaml", `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16, EnableDnsHostnames: true, EnableDnsSupport: true}
  V6:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, AmazonProvidedIpv6CidrBlock: true}
  Sub:
    Type: AWS::EC2::Subnet
    DependsOn: V6
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
      Ipv6CidrBlock: !Select [0, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 4, 64]]
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: com.amazonaws.us-east-1.ecr.api
      VpcEndpointType: Interface
      SubnetIds: [!Ref Sub]
      PrivateDnsEnabled: true
      IpAddressType: dualstack
      DnsOptions: {DnsRecordIpType: ipv4}
`, nil)
	st, _ := res.Engine.Snapshot()
	var ep *model.VpcEndpoint
	for _, x := range st.VpcEndpoints {
		ep = x
	}
	if ep == nil || ep.AddressType() != "dualstack" || ep.RecordType() != "ipv4" {
		t.Fatalf("endpoint %+v, want dualstack with ipv4 records", ep)
	}
	n := st.NetworkInterfaces[ep.NetworkInterfaces[0]]
	if n == nil || !n.PrimaryIP().Is4() || len(n.IPv6) != 1 {
		t.Errorf("the endpoint's interface %+v, want an IPv4 and an IPv6 address", n)
	}
}
