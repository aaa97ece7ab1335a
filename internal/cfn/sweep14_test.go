package cfn_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
)

// TestSweepCustomResourceStackOutput: Fn::GetAtt of a custom resource
// (its function not run) whose property names a stack deployed in the
// same run is that stack's output of the attribute's name: the listener
// rule of a Copilot-shaped workload lands on the environment's listener,
// where before it failed on a placeholder ARN.
func TestSweepCustomResourceStackOutput(t *testing.T) {
	res, err := cfn.LoadStacks([]cfn.StackInput{
		{Path: repoFile("internal/cfn/testdata/sweep/round14-env.yaml"), Name: "round14-env"},
		{Path: repoFile("internal/cfn/testdata/sweep/round14-custom.yaml"), Name: "round14-api"},
	}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.PhysicalIDs["round14-api/Rule"] == "" {
		t.Fatalf("the listener rule was not created: %v", res.PhysicalIDs)
	}
	var noted bool
	for _, w := range res.Warnings {
		noted = noted || strings.Contains(w.Msg, "Fn::GetAtt Controller.HTTPListenerArn") && strings.Contains(w.Msg, "the output HTTPListenerArn of the stack round14-env")
	}
	if !noted {
		t.Errorf("warnings %v, want a note that the attribute came from round14-env's output", res.Warnings)
	}

	// A stack the property does not name: the placeholder, refused as a
	// listener ARN, as before.
	_, err = cfn.LoadStacks([]cfn.StackInput{
		{Path: repoFile("internal/cfn/testdata/sweep/round14-env.yaml"), Name: "round14-env"},
		{Path: repoFile("internal/cfn/testdata/sweep/round14-custom.yaml"), Name: "round14-api", Parameters: map[string]string{"Env": "other"}},
	}, cfn.LoadOptions{})
	if err == nil {
		t.Fatal("a custom resource naming no stack: deployed, want the placeholder refused")
	}
}
