package terraform_test

import (
	"os"
	"path/filepath"
	"testing"
)

// TestVPCEndpointIPv6: aws_vpc_endpoint's ip_address_type, dns_options'
// dns_record_ip_type and subnet_configuration's ipv6 (provider docs,
// resources/vpc_endpoint) reach CreateVpcEndpoint: a dualstack endpoint
// with records of type dualstack, its interface at the configured IPv4
// and IPv6 addresses. (The reader's aws_subnet needs cidr_block, so an
// ipv6 endpoint's IPv6-only subnet is not written here.)
func TestVPCEndpointIPv6(t *testing.T) {
	dir := t.TempDir()
	err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "us-west-2"
}

resource "aws_vpc" "main" {
  cidr_block                       = "10.20.0.0/16"
  enable_dns_support               = true
  enable_dns_hostnames             = true
  assign_generated_ipv6_cidr_block = true
}

resource "aws_subnet" "v6" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.1.0/24"
  ipv6_cidr_block   = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
  availability_zone = "us-west-2a"
}

resource "aws_vpc_endpoint" "logs" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-west-2.logs"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  ip_address_type     = "dualstack"
  dns_options {
    dns_record_ip_type = "dualstack"
  }
  subnet_configuration {
    subnet_id = aws_subnet.v6.id
    ipv4      = "10.20.1.100"
    ipv6      = cidrhost(aws_subnet.v6.ipv6_cidr_block, 100)
  }
}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	if len(st.VpcEndpoints) != 1 {
		t.Fatalf("%d endpoints", len(st.VpcEndpoints))
	}
	for _, ep := range st.VpcEndpoints {
		if ep.AddressType() != "dualstack" || ep.RecordType() != "dualstack" || len(ep.NetworkInterfaces) != 1 {
			t.Fatalf("endpoint %+v, want dualstack with one interface", ep)
		}
		n := st.NetworkInterfaces[ep.NetworkInterfaces[0]]
		for _, s := range st.Subnets {
			if len(s.IPv6) > 0 {
				a := s.IPv6[0].CIDR.Addr().As16()
				a[15] = 100
				if len(n.IPv6) != 1 || n.IPv6[0].As16() != a {
					t.Errorf("the interface's IPv6 addresses %v, want ::64 of %s", n.IPv6, s.IPv6[0].CIDR)
				}
			}
		}
		if n.PrimaryIP().String() != "10.20.1.100" {
			t.Errorf("the interface's IPv4 address %s, want 10.20.1.100", n.PrimaryIP())
		}
	}
}
