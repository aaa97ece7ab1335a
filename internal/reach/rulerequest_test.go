package reach

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestRuleRequestPath: the request exposure sends for a rule's path
// pattern is a path a client can send, starting with "/", that the
// pattern matches.
func TestRuleRequestPath(t *testing.T) {
	for pattern, want := range map[string]string{"*": "/", "*.jpg": "/.jpg", "/api/*": "/api/x", "/x?": "/xx"} {
		r := &model.ListenerRule{Conditions: []model.RuleCondition{{Field: "path-pattern", Values: []string{pattern}}}}
		if path, _, _, _ := ruleRequest(r); path != want || !globMatch(pattern, path) {
			t.Errorf("pattern %q: request path %q, want %q (matched by the pattern)", pattern, path, want)
		}
	}
}
