package terraform_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestSweepLaunchTemplateTagsAndPrefixLists: a launch template's
// tag_specifications name the instances an Auto Scaling group launches
// from it, and aws_ec2_managed_prefix_list / aws_prefix_list find AWS's
// lists (CloudFront's origin-facing one, S3's), whose ids security group
// rules can then use.
func TestSweepLaunchTemplateTagsAndPrefixLists(t *testing.T) {
	res := load(t, "testdata/sweep", nil)
	if got := res.Outputs["s3_list"]; got != "pl-63a5400a" {
		t.Errorf("s3_list = %s, want S3's list", got)
	}
	if got := res.Outputs["cloudfront_entries"]; got == "" || got == "0" {
		t.Errorf("cloudfront_entries = %q, want the list's entries", got)
	}
	st, _ := res.Engine.Snapshot()
	n := 0
	for _, in := range st.Instances {
		n++
		if in.Tags["Name"] != "ecs-host" || in.Tags["Team"] != "web" {
			t.Errorf("instance %s tags = %v, want the launch template's Name=ecs-host, Team=web", in.ID, in.Tags)
		}
	}
	if n != 1 {
		t.Errorf("%d instances, want 1", n)
	}
	for _, g := range st.SecurityGroups {
		if g.Name != "hosts" {
			continue
		}
		if len(g.Ingress) != 1 || g.Ingress[0].PrefixList != model.PrefixListID("pl-3b927c52") {
			t.Errorf("hosts ingress = %+v, want CloudFront's prefix list", g.Ingress)
		}
	}
}
