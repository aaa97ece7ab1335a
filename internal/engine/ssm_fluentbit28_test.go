package engine_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// TestPublicFluentBitParameters: /aws/service/aws-for-fluent-bit/latest
// and /stable hold the image URI of AWS for Fluent Bit in the region's
// registry (aws/aws-for-fluent-bit's README: 906394416424 in most
// regions, 449074385750 in ap-east-1, 128054284489 in China with its DNS
// suffix, 161423150738 in GovCloud); a region the README lists no
// registry for publishes none. Before round twenty-eight none existed, and
// a FireLens log router whose Image reads the parameter (the CDK's
// default) could not be deployed ("Unable to fetch parameters").
func TestPublicFluentBitParameters(t *testing.T) {
	for _, c := range []struct{ region, name, want string }{
		{"us-east-1", "/aws/service/aws-for-fluent-bit/latest", "906394416424.dkr.ecr.us-east-1.amazonaws.com/aws-for-fluent-bit:latest"},
		{"eu-west-1", "/aws/service/aws-for-fluent-bit/stable", "906394416424.dkr.ecr.eu-west-1.amazonaws.com/aws-for-fluent-bit:stable"},
		{"ap-east-1", "/aws/service/aws-for-fluent-bit/latest", "449074385750.dkr.ecr.ap-east-1.amazonaws.com/aws-for-fluent-bit:latest"},
		{"cn-north-1", "/aws/service/aws-for-fluent-bit/latest", "128054284489.dkr.ecr.cn-north-1.amazonaws.com.cn/aws-for-fluent-bit:latest"},
		{"us-gov-west-1", "/aws/service/aws-for-fluent-bit/stable", "161423150738.dkr.ecr.us-gov-west-1.amazonaws.com/aws-for-fluent-bit:stable"},
		{"eu-south-1", "/aws/service/aws-for-fluent-bit/latest", ""},
		{"us-east-1", "/aws/service/aws-for-fluent-bit/2.0.0", ""},
	} {
		p := engine.PublicParameter(c.region, c.name)
		switch {
		case c.want == "" && p != nil:
			t.Errorf("%s %s = %q, want none", c.region, c.name, p.Value)
		case c.want != "" && (p == nil || p.Value != c.want):
			t.Errorf("%s %s = %v, want %q", c.region, c.name, p, c.want)
		}
	}
	found := false
	for _, p := range engine.PublicParameters("us-east-1") {
		found = found || p.Name == "/aws/service/aws-for-fluent-bit/latest"
	}
	if !found {
		t.Error("PublicParameters lists no /aws/service/aws-for-fluent-bit/latest")
	}
}
