package cfn_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
)

// pinnedLaunchTemplate is an instance launched from a launch template whose
// only interface fixes its addresses: a primary and a secondary private
// IPv4 address and one IPv6 address in a dual-stack subnet.
const pinnedLaunchTemplate = `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.41.0.0/16}}
  V6: {Type: AWS::EC2::VPCCidrBlock, Properties: {VpcId: !Ref Vpc, AmazonProvidedIpv6CidrBlock: true}}
  Net:
    Type: AWS::EC2::Subnet
    DependsOn: V6
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.41.3.0/24
      AvailabilityZone: us-east-1a
      Ipv6CidrBlock: !Select [0, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 1, 64]]
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-0abcdef1234567890
        InstanceType: t3.small
        NetworkInterfaces:
          - DeviceIndex: 0
            SubnetId: !Ref Net
            PrivateIpAddresses:
              - {PrivateIpAddress: 10.41.3.20, Primary: true}
              - {PrivateIpAddress: 10.41.3.21, Primary: false}
            V6ADDRS
  Box:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {LaunchTemplateId: !Ref Template, Version: !GetAtt Template.LatestVersionNumber}
`

// A launch template interface's PrivateIpAddresses and Ipv6Addresses are
// the addresses of the instances launched from it; Ipv6Addresses beside
// Ipv6AddressCount fails as CreateLaunchTemplate refuses it.
func TestLaunchTemplateFixedAddresses(t *testing.T) {
	// the subnet's first /64 and ::2a in it
	const v6Fixed = `Ipv6Addresses: [{Ipv6Address: !Join ["", [!Select [0, !Split ["::/", !Select [0, !GetAtt Net.Ipv6CidrBlocks]]], "::2a"]]}]`
	text := strings.Replace(pinnedLaunchTemplate, "V6ADDRS", v6Fixed, 1)
	res := loadText(t, "pinned.yaml", text, nil)
	st, _ := res.Engine.Snapshot()
	if len(st.Instances) != 1 {
		t.Fatalf("%d instances", len(st.Instances))
	}
	for _, i := range st.Instances {
		eni := st.NetworkInterfaces[i.PrimaryENI]
		if eni == nil {
			t.Fatal("no primary interface")
		}
		var v4 []string
		for _, p := range eni.PrivateIPs {
			v4 = append(v4, p.Addr.String())
		}
		if strings.Join(v4, ",") != "10.41.3.20,10.41.3.21" {
			t.Errorf("private addresses %v, want 10.41.3.20 then 10.41.3.21", v4)
		}
		sub := st.Subnets[eni.SubnetID]
		if len(sub.IPv6) != 1 {
			t.Fatalf("subnet IPv6 %v", sub.IPv6)
		}
		b := sub.IPv6[0].CIDR.Addr().As16()
		b[15] = 0x2a
		if want := netip.AddrFrom16(b); len(eni.IPv6) != 1 || eni.IPv6[0] != want {
			t.Errorf("IPv6 addresses %v, want %s", eni.IPv6, want)
		}
	}
	for name, v6 := range map[string]string{
		"both.yaml":      v6Fixed + "\n            Ipv6AddressCount: 1",
		"primaries.yaml": "PrivateIpAddress: 10.41.3.22",
	} {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, []byte(strings.Replace(pinnedLaunchTemplate, "V6ADDRS", v6, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"both.yaml": "IPv6 addresses and IPv6 address count may not be specified on the same request",
			"primaries.yaml": "Only one primary private IP address can be specified."}[name]
		if _, err := cfn.Load(path, nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
}
