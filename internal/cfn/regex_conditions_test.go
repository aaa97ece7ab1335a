package cfn_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// An AWS::ElasticLoadBalancingV2::ListenerRule's conditions take
// RegexValues in HostHeaderConfig, PathPatternConfig and HttpHeaderConfig
// (with its HttpHeaderName): they reach the rule; an expression the ELB
// API refuses fails the resource with its text.
func TestListenerRuleRegexConditions(t *testing.T) {
	tplText := strings.Replace(transformsTemplate,
		"Conditions: [{Field: path-pattern, PathPatternConfig: {Values: [/api/*]}}]",
		`Conditions:
        - {Field: path-pattern, PathPatternConfig: {RegexValues: ["^/api/v[0-9]+/"]}}
        - {Field: host-header, HostHeaderConfig: {RegexValues: ['^api\.example\.com$']}}
        - {Field: http-header, HttpHeaderConfig: {HttpHeaderName: User-Agent, RegexValues: ["(?i)mobile"]}}`, 1)
	if tplText == transformsTemplate {
		t.Fatal("the conditions to replace are gone")
	}
	tpl, err := cfn.ParseTemplate("re.yaml", []byte(tplText))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	s, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "re"})
	if err != nil {
		t.Fatal(err)
	}
	var r *model.ListenerRule
	e.Read(func(st *model.State) { r = st.ListenerRules[s.PhysicalIDs["Rule"]] })
	if r == nil {
		t.Fatal("no rule")
	}
	want := []model.RuleCondition{
		{Field: "path-pattern", RegexValues: []string{"^/api/v[0-9]+/"}},
		{Field: "host-header", RegexValues: []string{`^api\.example\.com$`}},
		{Field: "http-header", HeaderName: "User-Agent", RegexValues: []string{"(?i)mobile"}},
	}
	if !reflect.DeepEqual(r.Conditions, want) {
		t.Fatalf("conditions %+v, want %+v", r.Conditions, want)
	}

	bad := strings.Replace(tplText, `"(?i)mobile"`, `"(?=m)obile"`, 1)
	tpl, err = cfn.ParseTemplate("bad.yaml", []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{StackName: "bad"})
	if err == nil || !strings.Contains(err.Error(), "The regular expression '(?=m)obile' is not valid") {
		t.Fatalf("a lookahead: %v", err)
	}
}
