package cfn_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS::EC2::NetworkInterface keeps PrivateIpAddresses (the Primary one is
// the primary address) and SecondaryPrivateIpAddressCount; both were
// accepted and dropped.
func TestNetworkInterfaceSecondaryAddresses(t *testing.T) {
	res := loadText(t, "eni.yaml", `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}
  Listed:
    Type: AWS::EC2::NetworkInterface
    Properties:
      SubnetId: !Ref Subnet
      PrivateIpAddresses:
        - {PrivateIpAddress: 10.0.1.11, Primary: false}
        - {PrivateIpAddress: 10.0.1.10, Primary: true}
  Counted:
    Type: AWS::EC2::NetworkInterface
    Properties: {SubnetId: !Ref Subnet, PrivateIpAddress: 10.0.1.20, SecondaryPrivateIpAddressCount: 2}
Outputs:
  Secondary:
    Value: !Select [0, !GetAtt Listed.SecondaryPrivateIpAddresses]
`, nil)
	for _, s := range res.Skipped {
		t.Errorf("skipped %s: %s", s.LogicalID, s.Reason)
	}
	res.Engine.Read(func(st *model.State) {
		listed := st.NetworkInterfaces[model.NetworkInterfaceID(res.PhysicalIDs["Listed"])]
		if listed == nil || listed.PrimaryIP().String() != "10.0.1.10" || len(listed.PrivateIPs) != 2 || listed.PrivateIPs[1].Addr.String() != "10.0.1.11" {
			t.Errorf("Listed: %+v", listed)
		}
		counted := st.NetworkInterfaces[model.NetworkInterfaceID(res.PhysicalIDs["Counted"])]
		if counted == nil || counted.PrimaryIP().String() != "10.0.1.20" || len(counted.PrivateIPs) != 3 {
			t.Errorf("Counted: %+v", counted)
		}
	})
}
