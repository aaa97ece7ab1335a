package cfn

import "testing"

// TestRegionCode: ElastiCache endpoints name their region by its short
// code (use1.cache.amazonaws.com).
func TestRegionCode(t *testing.T) {
	for region, want := range map[string]string{"us-east-1": "use1", "eu-west-2": "euw2", "ap-southeast-1": "apse1",
		"ap-northeast-3": "apne3", "eu-central-1": "euc1", "ca-central-1": "cac1", "local": "local"} {
		if got := regionCode(region); got != want {
			t.Errorf("regionCode(%s) = %s, want %s", region, got, want)
		}
	}
}
