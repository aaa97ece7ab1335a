package cli

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// A check that passes with warnings says so in its last line, and how to
// make them fail: "ok" above six warnings is not "nothing found". With
// --strict the warnings are failing findings, counted as such.
func TestCheckTallyCountsPassingWarnings(t *testing.T) {
	code, out, _ := run(t, "check", "examples/seed/article.yaml")
	if code != ExitOK || !strings.Contains(out, "; 2 warning-level findings pass (--strict fails them)") {
		t.Errorf("exit %d, want 0 and the warnings counted\n%s", code, out)
	}
	code, out, _ = run(t, "check", "examples/seed/article.yaml", "--strict")
	if code != ExitFailed || !strings.Contains(out, "2 findings fail the check") || strings.Contains(out, "findings pass") {
		t.Errorf("--strict: exit %d, want 1 and the warnings as failing findings\n%s", code, out)
	}
	code, out, _ = run(t, "check", "examples/seed/fargate.yaml")
	if code != ExitOK || strings.Contains(out, "warning") {
		t.Errorf("a clean file: exit %d\n%s", code, out)
	}
}

// exposure's next step names a probe for each entry point that fails, and
// one for a listener rule sends the request that rule matches: the probe
// of the address alone shows only the default action's failure.
func TestExposureNextStepPerFailingRule(t *testing.T) {
	src := "internal/terraform/testdata/kitchen"
	code, out, errs := run(t, "exposure", src, "-q")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	cmds := regexp.MustCompile(`(?m)^  ecsnet (probe .*)$`).FindAllStringSubmatch(out, -1)
	if len(cmds) != 2 {
		t.Fatalf("want two probes, one per failing entry point:\n%s", out)
	}
	for i, want := range []string{"HTTP 503", "HTTP 504"} {
		args := strings.Fields(cmds[i][1])
		code, pout, perrs := run(t, append(args, "--fixes=false")...)
		if code != ExitFailed || !strings.Contains(pout, want) {
			t.Errorf("%s: exit %d, want 1 and %s\n%s%s", cmds[i][1], code, want, pout, perrs)
		}
	}
	if !strings.Contains(cmds[1][1], "--host www.example.com") {
		t.Errorf("the rule's probe lacks its host: %s", cmds[1][1])
	}
}

// show names a VPC or subnet without a Name tag (a snapshot's, a live
// endpoint's) by its id once, not "VPC vpc-0abc vpc-0abc".
func TestShowUnnamedResourceIDOnce(t *testing.T) {
	sc, err := scenario.Load("../../examples/seed/article.yaml")
	if err != nil {
		t.Fatal(err)
	}
	built, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := built.Engine.Snapshot()
	var ids []string
	for _, v := range st.VPCs {
		delete(v.Tags, "Name")
		ids = append(ids, string(v.ID))
	}
	for _, s := range st.Subnets {
		delete(s.Tags, "Name")
		ids = append(ids, string(s.ID))
	}
	dir := t.TempDir()
	if err := snapshot.Write(dir, st); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "show", dir, "-q")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	for _, id := range ids {
		if !strings.Contains(out, id) || strings.Contains(out, id+" "+id) {
			t.Errorf("%s is not said once:\n%s", id, out)
		}
	}
}

// A probe for which no single change works says where to go next: the
// causes under "why", and, from the internet, the exposure report of the
// ways in that work (a command that runs).
func TestProbeNoFixSaysNextStep(t *testing.T) {
	src := "examples/terraform/nat-in-private-subnet"
	code, out, _ := run(t, "probe", src, "-q", "--from", "internet", "--to", "web:80")
	if code != ExitFailed || !strings.Contains(out, "no single change found") {
		t.Fatalf("exit %d, want 1 and no fix\n%s", code, out)
	}
	m := regexp.MustCompile(`the ways in from the internet that work: ecsnet (exposure \S+)\n`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, `what to change is in "why" above`) {
		t.Fatalf("no next step:\n%s", out)
	}
	if code, eout, errs := run(t, append(strings.Fields(m[1]), "-q")...); code != ExitOK || !strings.Contains(eout, "way") {
		t.Errorf("%s: exit %d\n%s%s", m[1], code, eout, errs)
	}
}

// A template fix never writes a shell variable into the template: the
// load balancer fix's rule admits "$ALB_SG", a group the fix's own
// commands create, which a template cannot name (`SourceSecurityGroupId:
// "$ALB_SG"` was printed as the change). The rules that name what the
// template holds are still written.
func TestTemplateChangesWithoutShellVariables(t *testing.T) {
	code, out, errs := run(t, "probe", "examples/cfn/article.yaml", "-q", "--from", "internet", "--to", "203.0.113.2:3000")
	if code != ExitFailed {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	_, changes, ok := strings.Cut(out, "\nin the template\n")
	if !ok {
		t.Fatalf("no template changes:\n%s", out)
	}
	if strings.Contains(changes, "$") {
		t.Errorf("a template change holds a shell variable:\n%s", changes)
	}
	if !strings.Contains(changes, "InstanceSecurityGroup") {
		t.Errorf("the instance group's rule is gone:\n%s", changes)
	}
}

// A fix's aws CLI commands paste into a shell as printed: no "$ " prompt
// before them (it made every pasted line "$: command not found").
func TestFixCommandsPasteAsPrinted(t *testing.T) {
	_, out, _ := run(t, "probe", "examples/seed/article.yaml", "--from", "internet", "--to", "203.0.113.2:3000")
	if strings.Contains(out, "$ aws ") || strings.Contains(out, "$ ALB_SG=") {
		t.Errorf("a command has a prompt:\n%s", out)
	}
	if !regexp.MustCompile(`(?m)^       aws ec2 authorize-security-group-ingress `).MatchString(out) {
		t.Errorf("no command on a line of its own:\n%s", out)
	}
}

// A warning-level finding is a skipped JUnit test case that says why it
// was skipped (a reporter showed an empty reason).
func TestJUnitSkippedSaysWhy(t *testing.T) {
	_, out, _ := run(t, "check", "examples/seed/article.yaml", "-o", "junit")
	if strings.Contains(out, "<skipped></skipped>") || !strings.Contains(out, `<skipped message="warning, which fails the check only with --strict: the instance ecs-asg/0`) {
		t.Errorf("a skipped case without its reason:\n%s", out)
	}
}

// A probe's first line says an address given with its port once:
// "→ 203.0.113.2:3000, tcp/3000", not "→ 203.0.113.2:3000 (203.0.113.2)";
// a name keeps what it resolved to.
func TestProbeHeaderAddressOnce(t *testing.T) {
	_, out, _ := run(t, "probe", "examples/seed/article.yaml", "--from", "internet", "--to", "203.0.113.2:3000", "--fixes=false")
	if first, _, _ := strings.Cut(out, "\n"); first != "internet (198.51.100.7) → 203.0.113.2:3000, tcp/3000: TIMEOUT" {
		t.Errorf("first line %q", first)
	}
	_, out, _ = run(t, "probe", "examples/seed/article.yaml", "--from", "ecs-asg/0", "--to", "10.0.1.5:3000", "--fixes=false")
	if first, _, _ := strings.Cut(out, "\n"); !strings.Contains(first, "→ 10.0.1.5:3000,") {
		t.Errorf("first line %q", first)
	}
}
