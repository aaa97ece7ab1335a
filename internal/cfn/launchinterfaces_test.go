package cfn_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
)

const twoInterfaces = `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.7.0.0/16}}
  Front:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.7.1.0/24, AvailabilityZone: us-east-1a, MapPublicIpOnLaunch: true}
  Back:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.7.2.0/24, AvailabilityZone: us-east-1a}
  Proxy:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0abcdef1234567890
      InstanceType: m5.large
      NetworkInterfaces:
        - {DeviceIndex: "0", SubnetId: !Ref Front PUBLIC}
        - {DeviceIndex: "1", SubnetId: !Ref Back}
`

// An AWS::EC2::Instance with a second network interface in its
// NetworkInterfaces: both are created and attached, and the instance gets
// no public IPv4 address (the subnet's MapPublicIpOnLaunch applies only to
// an instance launched with one interface); AssociatePublicIpAddress true
// fails the stack as EC2 refuses it.
func TestInstanceSecondInterface(t *testing.T) {
	res := loadText(t, "two.yaml", strings.Replace(twoInterfaces, " PUBLIC", "", 1), nil)
	st, _ := res.Engine.Snapshot()
	if len(st.Instances) != 1 {
		t.Fatalf("%d instances", len(st.Instances))
	}
	for _, i := range st.Instances {
		var devices []int
		for _, n := range st.NetworkInterfaces {
			if n.Attachment != nil && n.Attachment.InstanceID == i.ID {
				devices = append(devices, n.Attachment.DeviceIndex)
				if _, ok := n.PublicIP(); ok {
					t.Errorf("device %d has a public IPv4 address", n.Attachment.DeviceIndex)
				}
			}
		}
		if len(devices) != 2 {
			t.Errorf("interfaces at devices %v, want 0 and 1", devices)
		}
	}
	path := filepath.Join(t.TempDir(), "pub.yaml")
	if err := os.WriteFile(path, []byte(strings.Replace(twoInterfaces, " PUBLIC}", ", AssociatePublicIpAddress: true}", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := cfn.Load(path, nil); err == nil || !strings.Contains(err.Error(), "cannot be specified when launching with multiple network interfaces") {
		t.Errorf("AssociatePublicIpAddress with two interfaces: %v", err)
	}
}
