package cfn_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
)

// TestFixes26PolicyTimes: a CreationPolicy ResourceSignal Timeout over 12
// hours or not an ISO 8601 duration, and an AutoScalingRollingUpdate
// PauseTime over one hour, fail the resource at the attribute's line
// (what `ecsnet check` prints); before, the malformed Timeout was read as
// PT5M and the long ones were taken. PT12H and PT1H are taken.
func TestFixes26PolicyTimes(t *testing.T) {
	body, err := os.ReadFile("testdata/signal/private-asg.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const timeout = "        Timeout: PT15M\n"
	const policy = "    CreationPolicy:\n"
	if !strings.Contains(string(body), timeout) || !strings.Contains(string(body), policy) {
		t.Fatal("fixture changed")
	}
	rolling := func(pause string) string {
		return strings.Replace(string(body), policy, "    UpdatePolicy:\n      AutoScalingRollingUpdate:\n        WaitOnResourceSignals: true\n        PauseTime: "+pause+"\n"+policy, 1)
	}
	for _, c := range []struct{ name, tmpl, want, at string }{
		{"timeout 13h", strings.Replace(string(body), timeout, "        Timeout: PT13H\n", 1),
			`HostGroup (AWS::AutoScaling::AutoScalingGroup): Invalid CreationPolicy ResourceSignal Timeout "PT13H": the maximum is 12 hours (PT12H)`, "Timeout: PT13H"},
		{"timeout malformed", strings.Replace(string(body), timeout, "        Timeout: PT15\n", 1),
			`HostGroup (AWS::AutoScaling::AutoScalingGroup): Invalid CreationPolicy ResourceSignal Timeout "PT15": it must be an ISO 8601 duration of the form PT#H#M#S`, "Timeout: PT15\n"},
		{"pause 2h", rolling("PT2H"),
			`HostGroup (AWS::AutoScaling::AutoScalingGroup): Invalid UpdatePolicy AutoScalingRollingUpdate PauseTime "PT2H": the maximum is one hour (PT1H)`, "PauseTime: PT2H"},
		{"timeout 12h, pause 1h", strings.Replace(rolling("PT1H"), timeout, "        Timeout: PT12H\n", 1), "", ""},
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
			if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), path+":") || ce.Msg == "" || !strings.HasSuffix(err.Error(), c.want) {
				t.Fatalf("Load = %v, want %s", err, c.want)
			}
			if line := strings.Count(c.tmpl[:strings.Index(c.tmpl, c.at)], "\n") + 1; ce.Line != line {
				t.Errorf("line %d, want the attribute's (%d)", ce.Line, line)
			}
		})
	}
}

// TestFixes26WaitConditionTimeout: a wait condition's Timeout over 43200
// seconds (12 hours) fails it, "Value for Timeout property must be less
// than 43200", at the property's line; 43200 is taken (the analyzer then
// fails it as nothing signals it, as before).
func TestFixes26WaitConditionTimeout(t *testing.T) {
	const tmpl = "Resources:\n  Handle:\n    Type: AWS::CloudFormation::WaitConditionHandle\n  Wait:\n    Type: AWS::CloudFormation::WaitCondition\n" +
		"    Properties:\n      Handle: !Ref Handle\n      Timeout: "
	for _, c := range []struct{ timeout, want string }{
		{"43201", ":8: Wait (AWS::CloudFormation::WaitCondition): Value for Timeout property must be less than 43200"},
		{"43200", "WaitCondition timed out. Received 0 conditions when expecting 1"},
	} {
		path := filepath.Join(t.TempDir(), "t.yaml")
		if err := os.WriteFile(path, []byte(tmpl+c.timeout+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := cfn.Load(path, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Timeout %s: Load = %v, want %s", c.timeout, err, c.want)
		}
	}
}
