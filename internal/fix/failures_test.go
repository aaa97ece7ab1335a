package fix_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// Every failure class of examples/failures: the probe its file expects
// fails with the expected verdict and root-cause code, and at least one
// fix of the expected kind is verified on a copy of the system.
func TestFailureExamples(t *testing.T) {
	cases := []struct {
		file     string
		cause    string
		fixKinds []string // a verified fix of one of these kinds must exist
	}{
		{"no-nat.yaml", reach.CodeImagePullFailed, []string{"nat-gateway"}},
		{"missing-ecr-endpoint.yaml", reach.CodeImagePullFailed, []string{"vpc-endpoints"}},
		{"missing-s3-gateway.yaml", reach.CodeImagePullFailed, []string{"vpc-endpoints"}},
		{"agent-no-path.yaml", reach.CodeAgentCannotRegister, []string{"nat-gateway"}},
		{"nlb-no-target-sg.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
		{"wrong-health-check-port.yaml", reach.CodeTargetUnhealthy, []string{"health-check"}},
		{"app-loopback.yaml", reach.CodeAppBoundToLoopback, []string{"application"}},
		{"nacl-ephemeral.yaml", reach.CodeSubnetACLRestriction, []string{"network-acl"}},
		{"listener-rule-miss.yaml", reach.CodeNoRuleMatched, []string{"listener-rule"}},
		{"cloud-map-name.yaml", reach.CodeSGRulesMismatch, []string{"security-group"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			sc, err := scenario.Load(filepath.Join("../../examples/failures", c.file))
			if err != nil {
				t.Fatal(err)
			}
			b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
			if err != nil {
				t.Fatal(err)
			}
			var x *scenario.Expectation
			for i := range sc.Expect {
				if sc.Expect[i].Cause != "" {
					x = &sc.Expect[i]
				}
			}
			if x == nil || x.Cause != c.cause {
				t.Fatalf("the file's expectation names no cause %s: %+v", c.cause, sc.Expect)
			}
			req := func(q *reach.Query) {
				q.HTTPPath, q.HTTPHost, q.HTTPMethod, q.HTTPHeaders = x.Path, x.Host, x.Method, x.Header
			}
			fixes, res, err := fix.Find(b.Engine, x.From, x.To, x.Protocol, fix.Options{Request: req})
			if err != nil {
				t.Fatal(err)
			}
			if string(res.Verdict) != x.Verdict {
				t.Errorf("verdict %s, want %s: %s", res.Verdict, x.Verdict, res.Summary)
			}
			if !res.HasCode(c.cause) {
				t.Errorf("no %s in %+v", c.cause, res.Explanations)
			}
			found := false
			for _, f := range fixes {
				for _, k := range c.fixKinds {
					if f.Kind == k {
						found = true
						if f.Verification.Verdict == "" || len(f.Commands) == 0 || f.Scenario == "" {
							t.Errorf("fix %q lacks its verification, commands or scenario: %+v", f.Title, f)
						}
					}
				}
			}
			if !found {
				var titles []string
				for _, f := range fixes {
					titles = append(titles, f.Kind+": "+f.Title)
				}
				t.Errorf("no verified %v fix; got:\n%s", c.fixKinds, strings.Join(titles, "\n"))
			}
		})
	}
}
