package cfn_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
)

// TestFixes27FractionalSeconds: a CreationPolicy ResourceSignal Timeout
// or a rolling update's PauseTime whose seconds have a fraction (PT30.5S,
// what the CDK's Duration.toIsoString writes for milliseconds) is taken;
// a fraction of minutes or hours (PT1.5M) is still refused at its line.
func TestFixes27FractionalSeconds(t *testing.T) {
	body, err := os.ReadFile("testdata/signal/private-asg.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const timeout = "        Timeout: PT15M\n"
	const policy = "    CreationPolicy:\n"
	if !strings.Contains(string(body), timeout) || !strings.Contains(string(body), policy) {
		t.Fatal("fixture changed")
	}
	with := func(timeoutValue, pause string) string {
		s := strings.Replace(string(body), timeout, "        Timeout: "+timeoutValue+"\n", 1)
		return strings.Replace(s, policy, "    UpdatePolicy:\n      AutoScalingRollingUpdate:\n        WaitOnResourceSignals: true\n        PauseTime: "+pause+"\n"+policy, 1)
	}
	for _, c := range []struct{ name, tmpl, want, at string }{
		{"fractional seconds", with("PT14M30.5S", "PT0.25S"), "", ""},
		{"comma fraction", with("PT90,125S", "PT5M"), "", ""},
		{"fractional minutes", with("PT1.5M", "PT5M"),
			`HostGroup (AWS::AutoScaling::AutoScalingGroup): Invalid CreationPolicy ResourceSignal Timeout "PT1.5M": it must be an ISO 8601 duration of the form PT#H#M#S`, "Timeout: PT1.5M"},
		{"fractional hours", with("PT15M", "PT0.5H"),
			`HostGroup (AWS::AutoScaling::AutoScalingGroup): Invalid UpdatePolicy AutoScalingRollingUpdate PauseTime "PT0.5H": it must be an ISO 8601 duration of the form PT#H#M#S`, "PauseTime: PT0.5H"},
		{"ten fraction digits", with("PT1.0000000001S", "PT5M"),
			`Invalid CreationPolicy ResourceSignal Timeout "PT1.0000000001S": it must be an ISO 8601 duration of the form PT#H#M#S`, "Timeout: PT1.0"},
		{"over 12 hours by a fraction", with("PT43200.5S", "PT5M"),
			`Invalid CreationPolicy ResourceSignal Timeout "PT43200.5S": the maximum is 12 hours (PT12H)`, "Timeout: PT43200.5S"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.yaml")
			if err := os.WriteFile(path, []byte(c.tmpl), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := cfn.Load(path, map[string]string{"Egress": "nat"})
			if c.want == "" {
				if err != nil {
					t.Fatalf("Load = %v, want the stack", err)
				}
				return
			}
			var ce *cfn.Error
			if !errors.As(err, &ce) || !strings.HasSuffix(err.Error(), c.want) {
				t.Fatalf("Load = %v, want %s", err, c.want)
			}
			if line := strings.Count(c.tmpl[:strings.Index(c.tmpl, c.at)], "\n") + 1; ce.Line != line {
				t.Errorf("line %d, want the attribute's (%d)", ce.Line, line)
			}
		})
	}
}
