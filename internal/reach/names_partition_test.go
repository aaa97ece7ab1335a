package reach

import "testing"

// An AWS service's DNS name is its region's: amazonaws.com.cn in the China
// regions (endpoints.json's dnsSuffix), so there "….amazonaws.com" names no
// service of the region.
func TestAWSServiceNameOfThePartition(t *testing.T) {
	for _, c := range []struct{ name, region, want string }{
		{"api.ecr.us-east-1.amazonaws.com", "us-east-1", "ecr.api"},
		{"api.ecr.cn-north-1.amazonaws.com.cn", "cn-north-1", "ecr.api"},
		{"logs.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1", "logs"},
		{"api.ecr.cn-north-1.amazonaws.com", "cn-north-1", ""},
		{"ecs", "cn-north-1", "ecs"},
	} {
		if got := awsServiceName(c.name, c.region); got != c.want {
			t.Errorf("awsServiceName(%q, %q) = %q, want %q", c.name, c.region, got, c.want)
		}
	}
	if h := serviceHost("ecr.api", "cn-north-1"); h != "api.ecr.cn-north-1.amazonaws.com.cn" {
		t.Errorf("serviceHost(ecr.api, cn-north-1) = %q", h)
	}
}
