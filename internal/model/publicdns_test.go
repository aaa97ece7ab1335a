package model

import (
	"net/netip"
	"testing"
)

// TestPublicDNSNameOfPartition: EC2's public names are compute-1 in
// us-east-1, <region>.compute elsewhere, under the partition's domain
// (amazonaws.com.cn in the China regions), as the AWS provider's
// EC2PublicDNSNameForIP builds them.
func TestPublicDNSNameOfPartition(t *testing.T) {
	a := netip.MustParseAddr("52.80.1.2")
	for region, want := range map[string]string{
		"us-east-1":     "ec2-52-80-1-2.compute-1.amazonaws.com",
		"eu-west-2":     "ec2-52-80-1-2.eu-west-2.compute.amazonaws.com",
		"cn-north-1":    "ec2-52-80-1-2.cn-north-1.compute.amazonaws.com.cn",
		"us-gov-west-1": "ec2-52-80-1-2.us-gov-west-1.compute.amazonaws.com",
	} {
		if got := PublicDNSName(region, a); got != want {
			t.Errorf("%s: got %q, want %q", region, got, want)
		}
	}
}
