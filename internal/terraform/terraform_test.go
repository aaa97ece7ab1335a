package terraform_test

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

func repoFile(p string) string { return filepath.Join("..", "..", p) }

func load(t *testing.T, dir string, vars map[string]string) *terraform.Result {
	t.Helper()
	res, err := terraform.Load(dir, terraform.Options{Vars: vars, EngineOptions: []engine.Option{engine.WithStartCheck(reach.StartCheck)}})
	if err != nil {
		t.Fatalf("Load(%s): %v", dir, err)
	}
	return res
}

func probe(t *testing.T, e *engine.Engine, from, to string) *reach.Result {
	t.Helper()
	st, _ := e.Snapshot()
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, from, to, "tcp")
	if err != nil {
		t.Fatalf("query %s → %s: %v", from, to, err)
	}
	return reach.Probe(n, q)
}

// decisive is the first blocked hop: its component's type and the action.
func decisive(r *reach.Result) string {
	for _, h := range r.Forward {
		if h.Blocked {
			return string(h.Action) + " " + h.Component.Type + " " + h.Direction
		}
	}
	return ""
}

func kinds(fs []fix.Fix) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Kind)
	}
	return out
}

// TestArticleMatchesSeed: the article's system written as Terraform gives
// the same verdict, decisive hop and fixes as the scenario file.
func TestArticleMatchesSeed(t *testing.T) {
	res := load(t, repoFile("examples/terraform/article"), nil)
	sc, err := scenario.Load(repoFile("examples/seed/article.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	built, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	tfFixes, tfRes, err := fix.Find(res.Engine, "internet", "203.0.113.2:3000", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seedFixes, seedRes, err := fix.Find(built.Engine, "internet", "203.0.113.2:3000", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tfRes.Verdict != reach.Timeout || tfRes.Verdict != seedRes.Verdict {
		t.Errorf("verdict: terraform %s, scenario %s; want both timeout", tfRes.Verdict, seedRes.Verdict)
	}
	if d1, d2 := decisive(tfRes), decisive(seedRes); d1 == "" || d1 != d2 {
		t.Errorf("decisive hop: terraform %q, scenario %q", d1, d2)
	}
	if k1, k2 := kinds(tfFixes), kinds(seedFixes); len(k1) == 0 || !slices.Equal(k1, k2) {
		t.Errorf("fix kinds: terraform %v, scenario %v", k1, k2)
	}
	var codes1, codes2 []string
	for _, x := range tfRes.Explanations {
		codes1 = append(codes1, x.Code)
	}
	for _, x := range seedRes.Explanations {
		codes2 = append(codes2, x.Code)
	}
	if !slices.Equal(codes1, codes2) {
		t.Errorf("explanations: terraform %v, scenario %v", codes1, codes2)
	}
	if got := res.Outputs["service_arn"]; got != "arn:aws:ecs:us-east-1:123456789012:service/demo/web" {
		t.Errorf("service_arn output = %q", got)
	}
	if got := res.Names["aws_ecs_service.web"]; got != "arn:aws:ecs:us-east-1:123456789012:service/demo/web" {
		t.Errorf("Names[aws_ecs_service.web] = %q", got)
	}
	// The task, by the service's address, from the instance: connected.
	if r := probe(t, res.Engine, "ecs-asg/0", res.Names["aws_ecs_service.web"]+":3000"); r.Verdict != reach.Connected {
		t.Errorf("ecs-asg/0 → the service's task = %s: %s", r.Verdict, r.Summary)
	}
}

// TestArticleALB: the remedy, switched on by a variable, answers HTTP 200.
func TestArticleALB(t *testing.T) {
	res := load(t, repoFile("examples/terraform/article"), map[string]string{"enable_alb": "true"})
	lb := res.Names["aws_lb.web[0]"]
	if lb == "" {
		t.Fatalf("no aws_lb.web[0] among %v", res.Names)
	}
	r := probe(t, res.Engine, "internet", lb)
	if r.Verdict != reach.HTTP200 {
		t.Errorf("internet → the ALB = %s %d, want HTTP 200: %s", r.Verdict, r.HTTPStatus, r.Summary)
	}
}

func TestInstanceTypeValidation(t *testing.T) {
	_, err := terraform.Load(repoFile("examples/terraform/article"), terraform.Options{Vars: map[string]string{"instance_type": "t2.nano"}})
	var te *terraform.Error
	if !errors.As(err, &te) || !strings.HasSuffix(te.File, "variables.tf") || te.Line != 16 || !strings.Contains(te.Msg, "instance_type must be one of") {
		t.Errorf("err = %v, want variables.tf:16 with the validation's error_message", err)
	}
}

// TestNATInPrivateSubnet: a failure story as its author wrote it in
// Terraform (examples/terraform/nat-in-private-subnet): the NAT gateway in
// the private subnet leaves the tasks without their image (503, the image
// pull failure named); in a public subnet the service answers.
func TestNATInPrivateSubnet(t *testing.T) {
	for _, c := range []struct {
		public string
		want   reach.Verdict
		cause  string
	}{{"false", reach.HTTP503, reach.CodeImagePullFailed}, {"true", reach.HTTP200, ""}} {
		res := load(t, repoFile("examples/terraform/nat-in-private-subnet"), map[string]string{"nat_in_public": c.public})
		r := probe(t, res.Engine, "internet", res.Names["aws_lb.web"])
		if r.Verdict != c.want || (c.cause != "" && !r.HasCode(c.cause)) {
			t.Errorf("nat_in_public=%s: internet → the ALB = %s, want %s (%s): %s", c.public, r.Verdict, c.want, c.cause, r.Summary)
		}
	}
}
