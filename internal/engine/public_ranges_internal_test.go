package engine

import (
	"net/netip"
	"slices"
	"testing"
)

// TestRegionPublicPools: every region ecsnet serves (DescribeRegions'
// list) has public blocks of its own, overlapping no other region's.
func TestRegionPublicPools(t *testing.T) {
	regions := []string{"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1",
		"eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
		"il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
		"us-east-1", "us-east-2", "us-west-1", "us-west-2"}
	owner := map[string]string{}
	useast := regionPublicPool("us-east-1")
	for _, r := range regions {
		pool := regionPublicPool(r)
		if r != "us-east-1" && slices.Equal(pool, useast) {
			t.Errorf("%s has us-east-1's blocks", r)
		}
		for _, p := range pool {
			if p.Addr().IsPrivate() || !p.Addr().Is4() || p.Masked() != p {
				t.Errorf("%s: %s", r, p)
			}
			for q, o := range owner {
				if o != r && (p.Contains(parsePrefix(q).Addr()) || parsePrefix(q).Contains(p.Addr())) {
					t.Errorf("%s's %s overlaps %s's %s", r, p, o, q)
				}
			}
			owner[p.String()] = r
		}
	}
}

func parsePrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }
