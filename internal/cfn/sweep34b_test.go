package cfn_test

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

func sweep34b(name string) string { return filepath.Join("testdata", "sweep34b", name) }

// TestSweep34bNatGatewaySecondaryAddresses: AWS::EC2::NatGateway's
// SecondaryAllocationIds, SecondaryPrivateIpAddresses and
// SecondaryPrivateIpAddressCount give the gateway's interface its
// secondary addresses, a public gateway's secondary Elastic IP associated
// with the address named. Before the second sweep of round thirty-four the
// reader skipped the three properties: each gateway had its primary
// address only, and a count on a public gateway was not refused.
func TestSweep34bNatGatewaySecondaryAddresses(t *testing.T) {
	res, err := cfn.Load(sweep34b("nat-secondary.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := netip.MustParseAddr("10.34.0.20")
	res.Engine.Read(func(st *model.State) {
		var public, private *model.NatGateway
		for _, ng := range st.NatGateways {
			if ng.ConnectivityType == "public" {
				public = ng
			} else {
				private = ng
			}
		}
		if public == nil || private == nil {
			t.Fatalf("NAT gateways %v, want a public and a private one", st.NatGateways)
		}
		pub := st.NetworkInterfaces[public.NetworkInterface]
		if len(pub.PrivateIPs) != 2 || pub.PrivateIPs[1].Addr != want {
			t.Errorf("the public gateway's addresses %+v, want its primary one and %s", pub.PrivateIPs, want)
		}
		var associated int
		for _, a := range st.Addresses {
			if a.NetworkInterfaceID == pub.ID && a.PrivateIP == want {
				associated++
			}
		}
		if associated != 1 {
			t.Errorf("%d Elastic IPs on %s, want the secondary one", associated, want)
		}
		if n := len(st.NetworkInterfaces[private.NetworkInterface].PrivateIPs); n != 3 {
			t.Errorf("the private gateway has %d addresses, want its primary one and SecondaryPrivateIpAddressCount 2", n)
		}
	})

	_, err = cfn.Load(sweep34b("nat-secondary.yaml"), map[string]string{"PrivateCount": "8"})
	if err == nil {
		t.Error("SecondaryPrivateIpAddressCount 8: no error, want the gateway's limit of 8 addresses")
	}
	_, err = cfn.Load(sweep34b("nat-secondary.yaml"), map[string]string{"PublicSecondaryIp": "10.34.9.9"})
	if err == nil || !strings.Contains(err.Error(), "PublicNat") {
		t.Errorf("a secondary address outside the subnet: %v, want PublicNat refused", err)
	}
}

// TestSweep34bRegionalNatGateway: a regional NAT gateway (AvailabilityMode
// regional, VpcId and AvailabilityZoneAddresses, no SubnetId) is valid on
// AWS and deploys since round thirty-five: one gateway of the VPC with the
// Elastic IP in the first zone. Before the second sweep of round
// thirty-four the reader called the template invalid ("The property
// {/SubnetId} is required"); until round thirty-five it refused it as
// what ecsnet did not model.
func TestSweep34bRegionalNatGateway(t *testing.T) {
	res, err := cfn.Load(sweep34b("regional-nat.yaml"), nil)
	if err != nil {
		t.Fatalf("a regional NAT gateway: %v", err)
	}
	res.Engine.Read(func(st *model.State) {
		ng := st.NatGateways[model.NatGatewayID(res.PhysicalIDs["Nat"])]
		if ng == nil || !ng.Regional() || ng.State != "available" || len(ng.ZoneAddresses) != 1 ||
			ng.ZoneAddresses[0].PublicIP.String() != res.PhysicalIDs["Eip"] || ng.ZoneAddresses[0].Zone != "us-east-1a" {
			t.Errorf("the regional NAT gateway: %+v", ng)
		}
	})
}

// TestSweep34bEndpointIpAddressType: an interface endpoint's
// IpAddressType and DnsOptions.DnsRecordIpType reach CreateVpcEndpoint
// (not-specified is no value), which refuses a dual-stack endpoint on
// subnets without IPv6 and service-defined records on an IPv4 one; a value
// outside the property's enum is refused. Before the second sweep of round
// thirty-four the reader skipped both properties: a dual-stack endpoint
// was read as an IPv4 one.
func TestSweep34bEndpointIpAddressType(t *testing.T) {
	for _, tc := range []struct {
		params map[string]string
		want   string
	}{
		{nil, ""},
		{map[string]string{"IpAddressType": "not-specified", "DnsRecordIpType": "not-specified"}, ""},
		{map[string]string{"IpAddressType": "dualstack"}, "does not have both IPv4 and IPv6 address ranges"},
		{map[string]string{"DnsRecordIpType": "service-defined"}, "DnsRecordIpType service-defined is not supported for VPC endpoints of IP address type ipv4"},
		{map[string]string{"IpAddressType": "ipv5"}, "ipv5 is not a valid enum value"},
	} {
		_, err := cfn.Load(sweep34b("endpoint-ip-type.yaml"), tc.params)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v, want the endpoint created", tc.params, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: %v, want %q", tc.params, err, tc.want)
		}
	}
}
