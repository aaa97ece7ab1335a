package reach

import (
	"strings"
	"testing"
)

// RESOURCE:ENI on container instances that already use ENI trunking: the
// hint names their trunking task limit and asks for capacity, not for the
// account setting; without trunking it still asks for the setting.
func TestENICapacityHint(t *testing.T) {
	for _, c := range []struct{ story, want, not string }{
		{"trunking-branch-limit-m5-large.yaml", "already use ENI trunking (m5.large: 10 tasks each", "put-account-setting-default"},
		{"eni-limit.yaml", "enable awsvpcTrunking", "already use ENI trunking"},
	} {
		n := buildStory(t, c.story)
		found := false
		for _, f := range Lint(n) {
			if f.Code != CodeENICapacity {
				continue
			}
			found = true
			if !strings.Contains(f.Fix, c.want) || strings.Contains(f.Fix, c.not) {
				t.Errorf("%s: hint %q", c.story, f.Fix)
			}
		}
		if !found {
			t.Errorf("%s: no %s finding", c.story, CodeENICapacity)
		}
	}
}
