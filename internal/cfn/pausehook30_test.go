package cfn_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestBlueGreenPauseHookBuilt: a service whose lifecycle hook is a PAUSE
// hook (TargetType PAUSE, no HookTargetArn nor RoleArn) with a
// TimeoutConfiguration is built with the hook's type and timeout; a
// TimeoutInMinutes above 20160 fails the stack.
func TestBlueGreenPauseHookBuilt(t *testing.T) {
	body, err := os.ReadFile(repoFile("internal/cfn/testdata/sweep/round15-blue-green.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	lambda := `          - HookTargetArn: !Sub arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:hook
            RoleArn: !Sub arn:aws:iam::${AWS::AccountId}:role/hook
            LifecycleStages: [PRE_SCALE_UP]`
	if !strings.Contains(string(body), lambda) {
		t.Fatal("the template's lifecycle hook changed")
	}
	load := func(minutes string) (*cfn.Result, error) {
		pause := "          - TargetType: PAUSE\n            LifecycleStages: [POST_TEST_TRAFFIC_SHIFT]\n" +
			"            TimeoutConfiguration: {TimeoutInMinutes: " + minutes + ", Action: CONTINUE}"
		path := filepath.Join(t.TempDir(), "pause.yaml")
		if err := os.WriteFile(path, []byte(strings.Replace(string(body), lambda, pause, 1)), 0o600); err != nil {
			t.Fatal(err)
		}
		return cfn.LoadStacks([]cfn.StackInput{{Path: path, Name: "pause"}}, cfn.LoadOptions{})
	}
	res, err := load("30")
	if err != nil {
		t.Fatal(err)
	}
	res.Engine.Read(func(st *model.State) {
		dc := st.Services[res.PhysicalIDs["Service"]].DeploymentConfig
		if dc == nil || len(dc.LifecycleHooks) != 1 {
			t.Fatalf("deployment configuration %+v", dc)
		}
		if h := dc.LifecycleHooks[0]; h.TargetType != "PAUSE" || h.TimeoutMinutes != 30 || h.TimeoutAction != "CONTINUE" || h.HookTargetARN != "" {
			t.Errorf("the hook: %+v", h)
		}
	})
	if _, err := load("20161"); err == nil || !strings.Contains(err.Error(), "timeoutInMinutes") {
		t.Errorf("TimeoutInMinutes 20161: %v, want the timeout refused", err)
	}
}
