package reach

import (
	"strings"
	"testing"
)

// An awslogs-region that is not a Region's name (a website URL passed
// for the region) fails the awslogs driver before any connection, with
// aws-sdk-go's MissingEndpoint, not a dial timeout to a made-up host; the
// lint line asks for a Region's name, not for a NAT gateway.
func TestAwslogsRegionNotARegion(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/failures/analyzer-only/awslogs-region-not-a-region.yaml")))
	r := probeSpec(t, n, "internet", "wordpress:80", "tcp")
	found := false
	for _, x := range r.Explanations {
		if x.Code == CodeLogsUnreachable && strings.Contains(x.Message, "not an AWS Region name") && strings.Contains(x.Message, "set awslogs-region to a Region's name (us-east-1") {
			found = true
		}
		if strings.Contains(x.Message, "logs.http://") {
			t.Errorf("a host made of the URL: %s", x.Message)
		}
	}
	if !found {
		t.Errorf("no %s saying awslogs-region is not a Region: %+v", CodeLogsUnreachable, r.Explanations)
	}
	if !strings.Contains(r.Summary, "MissingEndpoint: 'Endpoint' configuration is required for this service") {
		t.Errorf("summary %q lacks the driver's MissingEndpoint", r.Summary)
	}
	for _, c := range []struct {
		name string
		ok   bool
	}{{"us-east-1", true}, {"ap-southeast-2", true}, {"us-gov-west-1", true}, {"http://x.s3-website-us-east-1.amazonaws.com", false}, {"us-east", false}, {"US-EAST-1", false}} {
		if regionName.MatchString(c.name) != c.ok {
			t.Errorf("regionName(%q) = %v, want %v", c.name, !c.ok, c.ok)
		}
	}
}
