package terraform_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// aws_lb_listener_rule's condition blocks take regex_values in host_header,
// path_pattern and http_header (provider 6): they reach the rule's
// conditions as RegexValues; values beside regex_values are refused, as
// CreateRule refuses them.
func TestListenerRuleRegexValues(t *testing.T) {
	regexTF := strings.Replace(transformTF, `  condition {
    path_pattern {
      values = ["/api/*"]
    }
  }`, `  condition {
    path_pattern {
      regex_values = ["^/api/v[0-9]+/"]
    }
  }
  condition {
    host_header {
      regex_values = ["^api\\.example\\.com(:[0-9]+)?$"]
    }
  }
  condition {
    http_header {
      http_header_name = "User-Agent"
      regex_values     = ["(?i)mobile"]
    }
  }`, 1)
	if regexTF == transformTF {
		t.Fatal("the condition block to replace is gone")
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": strings.Replace(regexTF, "%s", "api.internal", 1)})
	st, _ := load(t, dir, nil).Engine.Snapshot()
	var r *model.ListenerRule
	for _, x := range st.ListenerRules {
		r = x
	}
	if r == nil {
		t.Fatal("no rule")
	}
	got := map[string]model.RuleCondition{}
	for _, c := range r.Conditions {
		got[c.Field] = c
	}
	for field, want := range map[string]model.RuleCondition{
		"path-pattern": {Field: "path-pattern", RegexValues: []string{"^/api/v[0-9]+/"}},
		"host-header":  {Field: "host-header", RegexValues: []string{`^api\.example\.com(:[0-9]+)?$`}},
		"http-header":  {Field: "http-header", HeaderName: "User-Agent", RegexValues: []string{"(?i)mobile"}},
	} {
		if !reflect.DeepEqual(got[field], want) {
			t.Errorf("%s condition: %+v, want %+v", field, got[field], want)
		}
	}

	both := strings.Replace(regexTF, `regex_values = ["^/api/v[0-9]+/"]`, `regex_values = ["^/api/v[0-9]+/"]
      values       = ["/api/*"]`, 1)
	dir = t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": strings.Replace(both, "%s", "x", 1)})
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "You cannot specify both 'Values' and 'RegexValues' in a 'path-pattern' condition") {
		t.Fatalf("values with regex_values: %v", err)
	}
}
