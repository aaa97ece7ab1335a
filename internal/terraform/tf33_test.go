package terraform_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// A launch template interface's fixed addresses (private_ip_address,
// ipv4_addresses, ipv6_addresses) and counts (ipv4_address_count,
// ipv6_address_count) reach the template as the provider sends them, and
// an instance launched from it takes them.
func TestLaunchTemplateInterfaceAddresses(t *testing.T) {
	dir := t.TempDir()
	err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "main" {
  cidr_block                       = "10.8.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.8.1.0/24"
  ipv6_cidr_block   = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
  availability_zone = "eu-west-1a"
}

resource "aws_launch_template" "fixed" {
  name          = "fixed"
  image_id      = "ami-0c1f2a3b4d5e6f708"
  instance_type = "t3.small"
  network_interfaces {
    subnet_id      = aws_subnet.a.id
    ipv4_addresses = ["10.8.1.20", "10.8.1.21"]
    ipv6_addresses = [cidrhost(aws_subnet.a.ipv6_cidr_block, 32)]
  }
}

resource "aws_launch_template" "counted" {
  name          = "counted"
  image_id      = "ami-0c1f2a3b4d5e6f708"
  instance_type = "t3.small"
  network_interfaces {
    subnet_id          = aws_subnet.a.id
    private_ip_address = "10.8.1.30"
    ipv4_address_count = 2
    ipv6_address_count = 1
  }
}

resource "aws_instance" "fixed" {
  launch_template {
    id = aws_launch_template.fixed.id
  }
}

resource "aws_instance" "counted" {
  launch_template {
    id = aws_launch_template.counted.id
  }
}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	lts := map[string]model.LaunchTemplateNetworkInterface{}
	for _, lt := range st.LaunchTemplates {
		lts[lt.Name] = lt.Versions[len(lt.Versions)-1].Data.NetworkInterfaces[0]
	}
	if f := lts["fixed"]; len(f.PrivateIPAddresses) != 2 || f.PrivateIPAddresses[0].Address != "10.8.1.20" || len(f.IPv6Addresses) != 1 {
		t.Errorf("fixed: PrivateIpAddresses %v, Ipv6Addresses %v, want 10.8.1.20 and .21 and one IPv6 address", f.PrivateIPAddresses, f.IPv6Addresses)
	}
	if c := lts["counted"]; c.PrivateIPAddress != "10.8.1.30" || c.SecondaryPrivateIPAddressCount != 2 || c.IPv6AddressCount != 1 {
		t.Errorf("counted: PrivateIpAddress %q, SecondaryPrivateIpAddressCount %d, Ipv6AddressCount %d, want 10.8.1.30, 2, 1",
			c.PrivateIPAddress, c.SecondaryPrivateIPAddressCount, c.IPv6AddressCount)
	}
	enis := map[string]*model.NetworkInterface{}
	for _, i := range st.Instances {
		for _, n := range st.NetworkInterfaces {
			if n.Attachment != nil && n.Attachment.InstanceID == i.ID {
				enis[i.LaunchTemplate.Name] = n
			}
		}
	}
	if n := enis["fixed"]; n == nil || n.PrimaryIP() != netip.MustParseAddr("10.8.1.20") || len(n.PrivateIPs) != 2 || len(n.IPv6) != 1 {
		t.Errorf("the instance of fixed: %+v, want 10.8.1.20 and .21 and one IPv6 address", n)
	}
	if n := enis["counted"]; n == nil || n.PrimaryIP() != netip.MustParseAddr("10.8.1.30") || len(n.PrivateIPs) != 3 || len(n.IPv6) != 1 {
		t.Errorf("the instance of counted: %+v, want 10.8.1.30, two secondary addresses and one IPv6 address", n)
	}
}

// An address of a launch template interface that is not one is refused
// at its argument's line, as the provider refuses it at plan.
func TestLaunchTemplateInterfaceBadAddress(t *testing.T) {
	dir := t.TempDir()
	err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "eu-west-1"
}

resource "aws_launch_template" "bad" {
  name          = "bad"
  image_id      = "ami-0c1f2a3b4d5e6f708"
  instance_type = "t3.small"
  network_interfaces {
    device_index   = 0
    ipv4_addresses = ["10.8.1.300"]
  }
}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	errs := loadErrs(t, dir)
	if len(errs) != 1 || errs[0].Line != 11 || !strings.Contains(errs[0].Msg, "expected network_interfaces.0.ipv4_addresses to contain a valid IPv4 address, got: 10.8.1.300") {
		t.Errorf("errors %v, want one at main.tf:11 naming ipv4_addresses", errs)
	}
}
