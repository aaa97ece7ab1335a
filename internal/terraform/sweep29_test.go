package terraform_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestSweep29EIPPublicDNSOfTheRegion: the provider writes an aws_eip's
// public_dns itself, "ec2-" and the dashed address under the region's
// public suffix (compute-1 in us-east-1 only, <region>.compute elsewhere),
// whatever the VPC's DNS host names; an instance's public_dns is
// DescribeInstances' PublicDnsName, empty without DNS host names, and its
// private_dns the region's ip-….<region>.compute.internal. ecsnet wrote
// every EIP in the us-east-1 form and no instance names at all.
func TestSweep29EIPPublicDNSOfTheRegion(t *testing.T) {
	for _, hostnames := range []string{"true", "false"} {
		res := load(t, "testdata/sweep29/eip-dns", map[string]string{"dns_hostnames": hostnames})
		eip := netip.MustParseAddr(res.Outputs["eip_ip"])
		if got, want := res.Outputs["eip_dns"], model.PublicDNSName("eu-west-2", eip); got != want || want == "" {
			t.Errorf("dns_hostnames=%s: eip public_dns = %q, want %q", hostnames, got, want)
		}
		inst := netip.MustParseAddr(res.Outputs["instance_ip"])
		want := ""
		if hostnames == "true" {
			want = "ec2-" + dashedAddr(inst) + ".eu-west-2.compute.amazonaws.com"
		}
		if got := res.Outputs["instance_dns"]; got != want {
			t.Errorf("dns_hostnames=%s: instance public_dns = %q, want %q", hostnames, got, want)
		}
		priv := netip.MustParseAddr(res.Outputs["instance_private_ip"])
		if got, want := res.Outputs["instance_private_dns"], "ip-"+dashedAddr(priv)+".eu-west-2.compute.internal"; got != want {
			t.Errorf("instance private_dns = %q, want %q", got, want)
		}
	}
}

func dashedAddr(a netip.Addr) string { return strings.ReplaceAll(a.String(), ".", "-") }
