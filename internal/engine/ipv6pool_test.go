package engine_test

import (
	"net/netip"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// An Amazon-provided VPC IPv6 block is a /56 of the region's own EC2
// range (ip-ranges.json), not us-east-1's in every region.
func TestAmazonIPv6BlockOfTheRegion(t *testing.T) {
	for region, pool := range map[string]string{
		"us-east-1":      "2600:1f18::/32",
		"ap-northeast-1": "2406:da14::/36",
		"ap-southeast-2": "2406:da1c::/36",
		"eu-west-1":      "2a05:d018::/35",
		"me-south-1":     "2600:1f18::/32", // not listed: us-east-1's
	} {
		e := engine.New(engine.WithRegion(region), engine.WithIDs(engine.SeededIDs(7)))
		seen := map[netip.Prefix]bool{}
		for range 20 {
			v, err := e.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16", AmazonIPv6: true})
			if err != nil {
				t.Fatal(err)
			}
			b := v.IPv6[0].CIDR
			if b.Bits() != 56 || !netip.MustParsePrefix(pool).Contains(b.Addr()) || seen[b] {
				t.Errorf("%s: block %s, want a new /56 of %s", region, b, pool)
			}
			seen[b] = true
		}
	}
}
