package cfn_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestRound38RuntimeUpdateRefused: a stack update that changes a
// function's runtime to one past its "block function update" date fails
// the function with Lambda's words, and the function keeps its runtime;
// an update to a current runtime goes through.
func TestRound38RuntimeUpdateRefused(t *testing.T) {
	base := strings.Replace(lambdaTemplate, "SUBNET", "!Ref Subnet", 1)
	parse := func(text string) *cfn.Template {
		tpl, err := cfn.ParseTemplate("fn.yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return tpl
	}
	e := cfn.NewEngine()
	names := engine.SeededIDs(38)
	first, err := cfn.Deploy(e, parse(base), cfn.DeployOptions{StackName: "fns", Names: names})
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range []string{"nodejs16.x", "python3.9"} {
		old := strings.Replace(base, "Runtime: nodejs22.x", "Runtime: "+rt, 1)
		_, err = cfn.Deploy(e, parse(old), cfn.DeployOptions{StackName: "fns", Names: names, Existing: existingOf(first)})
		var ce *cfn.Error
		want := "The runtime parameter of " + rt + " is no longer supported for creating or updating AWS Lambda functions."
		if err == nil || !strings.Contains(err.Error(), want) || !errors.As(err, &ce) || ce.Resource != "Fn" {
			t.Fatalf("update to %s: err %v, want Fn's failure %q", rt, err, want)
		}
		e.Read(func(st *model.State) {
			if got := st.LambdaFunctions["orders"].Config.Runtime; got != "nodejs22.x" {
				t.Errorf("after the refused update the runtime is %s", got)
			}
		})
	}
	current := strings.Replace(base, "Runtime: nodejs22.x", "Runtime: nodejs24.x", 1)
	if _, err := cfn.Deploy(e, parse(current), cfn.DeployOptions{StackName: "fns", Names: names, Existing: existingOf(first)}); err != nil {
		t.Fatalf("update to nodejs24.x: %v", err)
	}
}
