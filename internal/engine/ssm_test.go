package engine_test

import (
	"regexp"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func TestPublicParametersAreStableAndPerRegion(t *testing.T) {
	ami := regexp.MustCompile(`^ami-0[0-9a-f]{16}$`)
	all := engine.PublicParameters("eu-west-1")
	if len(all) < 100 {
		t.Fatalf("only %d public parameters", len(all))
	}
	for _, p := range all {
		one := engine.PublicParameter("eu-west-1", p.Name)
		if one == nil || one.Value != p.Value {
			t.Errorf("%s: lookup %v, list %q", p.Name, one, p.Value)
		}
	}
	name := "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
	eu, us := engine.PublicParameter("eu-west-1", name), engine.PublicParameter("us-east-1", name)
	if !ami.MatchString(eu.Value) || !ami.MatchString(us.Value) || eu.Value == us.Value {
		t.Errorf("AMI ids %s (eu-west-1), %s (us-east-1)", eu.Value, us.Value)
	}
	for _, n := range []string{"/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/nope",
		"/aws/service/ecs/optimized-ami/amazon-linux-2/recommendedx", "/aws/service/nope", "/app/x"} {
		if engine.PublicParameter("eu-west-1", n) != nil {
			t.Errorf("%s exists", n)
		}
	}
}

func TestParameterVersionsAndLabels(t *testing.T) {
	e := engine.New()
	put := func(v string, overwrite bool) (*model.Parameter, error) {
		return e.PutParameter(engine.ParameterInput{Name: "/app/v", Type: "String", Value: v, Overwrite: overwrite})
	}
	if _, err := put("one", false); err != nil {
		t.Fatal(err)
	}
	if _, err := put("two", false); err == nil {
		t.Fatal("a second put without Overwrite succeeded")
	}
	p, err := put("two", true)
	if err != nil || p.Version != 2 {
		t.Fatalf("overwrite: %+v %v", p, err)
	}
	invalid, v, err := e.LabelParameterVersion("/app/v", 1, []string{"stable", "aws-bad", "1bad"})
	if err != nil || v != 1 || len(invalid) != 2 {
		t.Fatalf("label: %v %d %v", invalid, v, err)
	}
	// Moving the label to version 2 takes it off version 1.
	if _, _, err := e.LabelParameterVersion("/app/v", 0, []string{"stable"}); err != nil {
		t.Fatal(err)
	}
	var got *model.Parameter
	e.Read(func(st *model.State) { got, err = e.GetParameter(st, "/app/v:stable") })
	if err != nil || got.Value != "two" {
		t.Fatalf("label stable: %v %v", got, err)
	}
	e.Read(func(st *model.State) { got, err = e.GetParameter(st, "/app/v:1") })
	if err != nil || got.Value != "one" || len(got.Labels) != 0 {
		t.Fatalf("version 1: %+v %v", got, err)
	}
	deleted, missing, err := e.DeleteParameters([]string{"/app/v", "/app/none"})
	if err != nil || len(deleted) != 1 || len(missing) != 1 {
		t.Fatalf("delete: %v %v %v", deleted, missing, err)
	}
}
