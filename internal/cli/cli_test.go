package cli

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// run runs ecsnet with args from the repository root and returns the exit
// code, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(filepath.Join(wd, "..", "..")); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var out, errb bytes.Buffer
	code := Run(IO{Out: &out, Err: &errb}, args)
	return code, out.String(), errb.String()
}

// The must-show: the instance's primary ENI (device index 0, public
// IP 203.0.113.2) and a separate task ENI (device index >= 1, a private
// address in the subnet, no public IP).
func TestShowJSONArticle(t *testing.T) {
	code, out, errs := run(t, "show", "examples/seed/article.yaml", "--output", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc systemDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var primary, task *eniDoc
	var subnetCIDR string
	for _, v := range doc.VPCs {
		for _, s := range v.Subnets {
			for _, inst := range s.Instances {
				for i, e := range inst.Interfaces {
					if e.DeviceIndex != nil && *e.DeviceIndex == 0 {
						primary = &inst.Interfaces[i]
					} else if strings.HasPrefix(e.Owner, "task ") {
						task = &inst.Interfaces[i]
						subnetCIDR = s.CIDR
					}
				}
			}
		}
	}
	if primary == nil || primary.PublicIP != "203.0.113.2" {
		t.Fatalf("primary ENI = %+v, want device 0 with 203.0.113.2", primary)
	}
	if task == nil || task.DeviceIndex == nil || *task.DeviceIndex < 1 || task.PublicIP != "" {
		t.Fatalf("task ENI = %+v, want device >= 1 without a public IP", task)
	}
	if !netip.MustParsePrefix(subnetCIDR).Contains(netip.MustParseAddr(task.PrivateIP)) || task.ID == primary.ID {
		t.Errorf("task ENI %s %s not a separate address of %s", task.ID, task.PrivateIP, subnetCIDR)
	}
}

func TestBadScenarioExits2(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("vpcs:\n  main: {cidr: 10.0.0.0/33}\n"), 0o600)
	code, _, errs := run(t, "show", bad)
	if code != ExitBadInput || !strings.Contains(errs, bad+":2: vpc \"main\": InvalidParameterValue") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

// The must-show: probe --output json gives the verdict timeout with
// the path and the blocking rule.
func TestProbeJSONArticle(t *testing.T) {
	code, out, errs := run(t, "probe", "examples/seed/article.yaml", "--from", "internet", "--to", "203.0.113.2:3000", "--output", "json")
	if code != ExitFailed { // a timeout fails the probe
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep struct {
		Result struct {
			Verdict      string                   `json:"verdict"`
			Forward      []struct{ Blocked bool } `json:"forwardPath"`
			Explanations []struct {
				Code      string `json:"code"`
				Blocking  bool   `json:"blocking"`
				Component *struct{ Name string }
			} `json:"explanations"`
		} `json:"result"`
		Fixes []struct {
			Kind         string
			Verification struct{ Verdict string }
		} `json:"fixes"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Result.Verdict != "timeout" || len(rep.Result.Forward) < 3 {
		t.Fatalf("verdict %s, %d hops", rep.Result.Verdict, len(rep.Result.Forward))
	}
	blocked := false
	for _, h := range rep.Result.Forward {
		blocked = blocked || h.Blocked
	}
	var codes []string
	for _, x := range rep.Result.Explanations {
		if x.Blocking {
			codes = append(codes, x.Code)
		}
	}
	if !blocked || !strings.Contains(strings.Join(codes, ","), "ENI_SG_RULES_MISMATCH") || !strings.Contains(strings.Join(codes, ","), "ECS_PORT_ON_TASK_ENI") {
		t.Errorf("blocked hop %v, blocking codes %v", blocked, codes)
	}
	kinds := map[string]string{}
	for _, f := range rep.Fixes {
		kinds[f.Kind] = f.Verification.Verdict
	}
	want := map[string]string{"load-balancer": "http 200", "private-address": "connected", "network-mode": "connected", "fargate": "connected"}
	for k, v := range want {
		if kinds[k] != v {
			t.Errorf("fix %s verified as %q, want %q (fixes %v)", k, kinds[k], v, kinds)
		}
	}
}

func TestCheckExamples(t *testing.T) {
	code, out, errs := run(t, "check", "examples/seed/article.yaml", "examples/seed/alb.yaml", "examples/seed/bridge.yaml", "examples/seed/fargate.yaml")
	if code != ExitOK || !strings.Contains(out, "7 expectations hold, 0 fail") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

func TestCheckFailingExpectation(t *testing.T) {
	data, _ := os.ReadFile("../../examples/seed/article.yaml")
	f := filepath.Join(t.TempDir(), "wrong.yaml")
	os.WriteFile(f, bytes.Replace(data, []byte("verdict: timeout"), []byte("verdict: connected"), 1), 0o600)
	code, out, _ := run(t, "check", f)
	if code != ExitFailed || !strings.Contains(out, "expects connected") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestDemo(t *testing.T) {
	code, out, errs := run(t, "demo")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"TIMEOUT", "REFUSED", "Application Load Balancer", "private address", "bridge network mode", "Fargate", "✓ fargate.yaml"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if strings.Contains(out, "✗ expected") {
		t.Errorf("an example expectation failed:\n%s", out)
	}
}

func TestUsage(t *testing.T) {
	if code, _, errs := run(t, "nope"); code != ExitBadInput || !strings.Contains(errs, "unknown command") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if code, _, errs := run(t, "probe", "examples/seed/article.yaml", "--from", "internet"); code != ExitBadInput || !strings.Contains(errs, "--to") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if code, _, errs := run(t, "probe", "examples/seed/article.yaml", "--from", "nobody", "--to", "web/0"); code != ExitBadInput || !strings.Contains(errs, "nobody") {
		t.Errorf("exit %d: %s", code, errs)
	}
}

// ecsnet show lists a listener's rules under its default action: in
// examples/cfn/alb.yaml the default answers 404 and rule 1 forwards every
// path to the service's tasks.
func TestShowListenerRules(t *testing.T) {
	code, out, errs := run(t, "show", "examples/cfn/alb.yaml", "--output", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc systemDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var tasks []string
	var ls []listenerDoc
	for _, v := range doc.VPCs {
		for _, s := range v.Subnets {
			for _, inst := range s.Instances {
				for _, tk := range inst.Tasks {
					tasks = append(tasks, tk.PrivateIP+":3000")
				}
			}
		}
		for _, lb := range v.LoadBalancers {
			ls = append(ls, lb.Listeners...)
		}
	}
	if len(ls) != 1 || ls[0].Fixed != "404" || len(ls[0].Rules) != 1 {
		t.Fatalf("listeners = %+v, want one answering 404 with one rule", ls)
	}
	r := ls[0].Rules[0]
	slices.Sort(tasks)
	got := slices.Sorted(slices.Values(r.Targets))
	if r.Priority != 1 || !slices.Equal(r.Conditions, []string{"path-pattern /*"}) || len(tasks) == 0 || !slices.Equal(got, tasks) {
		t.Errorf("rule = %+v, want priority 1, path-pattern /*, forwarding to the tasks %v", r, tasks)
	}
	code, text, _ := run(t, "show", "examples/cfn/alb.yaml")
	if code != ExitOK || !strings.Contains(text, "rule 1 if path-pattern /*: forward → target group ") {
		t.Errorf("text output lacks the rule:\n%s", text)
	}
	// A rule's transforms are shown with it.
	code, text, _ = run(t, "show", "internal/reach/testdata/alb-url-rewrite.yaml")
	if code != ExitOK || !strings.Contains(text, "rule 10 if path-pattern /api/* (host-header-rewrite ^.*$ → api.internal, url-rewrite ^/api/(.*)$ → /$1): forward → target group api-tg") {
		t.Errorf("text output lacks the rule's transforms:\n%s", text)
	}
}

func TestDescribeRedirect(t *testing.T) {
	for _, c := range []struct {
		in   map[string]string
		want string
	}{
		{map[string]string{"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}, "301 https://#{host}:443/#{path}?#{query}"},
		{map[string]string{"Host": "example.com", "Path": "/new", "StatusCode": "HTTP_302"}, "302 #{protocol}://example.com:#{port}/new?#{query}"},
	} {
		if got := describeRedirect(c.in); got != c.want {
			t.Errorf("describeRedirect(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// A finding the file does not expect fails the check, and the summary
// counts it: a check that fails with every expectation holding says why.
func TestCheckCountsFailingFindings(t *testing.T) {
	data, err := os.ReadFile("../../examples/failures/nacl-ephemeral.yaml")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^known_findings:.*\n`)
	if !re.Match(data) {
		t.Fatal("no known_findings line to remove")
	}
	f := filepath.Join(t.TempDir(), "unexpected.yaml")
	if err := os.WriteFile(f, re.ReplaceAll(data, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, "check", f)
	if code != ExitFailed || !regexp.MustCompile(`FAILED: \d+ expectations? holds?, 0 fail, [1-9]\d* findings? fails? the check`).MatchString(out) {
		t.Errorf("exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "check", "examples/failures/nacl-ephemeral.yaml")
	if code != ExitOK || !strings.Contains(out, ", 0 findings fail the check,") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

// A folder of scenario files is each of them to check, and an error naming
// them to the commands that take one SOURCE.
func TestFolderOfScenarios(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"article.yaml", "bridge.yaml"} {
		data, err := os.ReadFile(filepath.Join("../../examples/seed", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := run(t, "check", dir)
	// Each file's heading (its findings name their lines in it too).
	if code != ExitOK || len(regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(dir)).FindAllString(out, -1)) != 2 || !strings.Contains(out, "0 sources with errors") {
		t.Errorf("check: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, "show", dir)
	if code != ExitBadInput || !strings.Contains(out+errs, "a folder of 2 SOURCEs (scenario files, templates or Terraform configurations), not a snapshot") {
		t.Errorf("show: exit %d\n%s%s", code, out, errs)
	}
}

// An expectation's decided_by, rule and fix are checked: the story's own
// values hold, and a wrong resource, rule or fix title fails the check
// with what the analyzer reports instead.
func TestCheckDecidedByAndFix(t *testing.T) {
	const story = "examples/failures/alb-sg-egress.yaml"
	code, out, errs := run(t, "check", story)
	if code != ExitOK || !strings.Contains(out, "at alb-sg egress") || !strings.Contains(out, "fix 1: Allow tcp/3000 to security group task-sg on security group alb-sg") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	data, _ := os.ReadFile("../../" + story)
	for _, c := range []struct{ old, new, want string }{
		{"decided_by: alb-sg", "decided_by: task-sg", "expects task-sg to decide the verdict; the probe reports ENI_SG_RULES_MISMATCH (alb-sg"},
		{"rule: egress", "rule: ingress", "expects the rule ingress to decide the verdict"},
		{"fix: Allow tcp/3000 to security group task-sg", "fix: Open the door", "expects a verified fix \"Open the door on security group alb-sg\"; the analyzer finds \"Allow tcp/3000"},
	} {
		f := filepath.Join(t.TempDir(), "wrong.yaml")
		os.WriteFile(f, bytes.Replace(data, []byte(c.old), []byte(c.new), 1), 0o600)
		code, out, _ := run(t, "check", f)
		if code != ExitFailed || !strings.Contains(out, c.want) {
			t.Errorf("%s → %s: exit %d\n%s", c.old, c.new, code, out)
		}
	}
}

// A story whose failure is AWS refusing a request (expect_error:) holds
// when the build fails with that error, and fails the check when the
// build is refused otherwise or accepted.
func TestCheckExpectError(t *testing.T) {
	const story = "examples/failures/refused/awsvpc-instance-target-group.yaml"
	code, out, errs := run(t, "check", story)
	if code != ExitOK || !strings.Contains(out, "✓ AWS refuses the system") || !strings.Contains(out, "InvalidParameterException") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	data, _ := os.ReadFile("../../" + story)
	for _, c := range []struct{ old, new, want string }{
		{"expect_error: has target type instance", "expect_error: TargetGroupNotFound", "expects AWS to refuse with \"TargetGroupNotFound"},
		{"web-tg: {vpc: main, port: 3000}", "web-tg: {vpc: main, port: 3000, target_type: ip}", "every request was accepted"},
	} {
		f := filepath.Join(t.TempDir(), "wrong.yaml")
		os.WriteFile(f, bytes.Replace(data, []byte(c.old), []byte(c.new), 1), 0o600)
		code, out, _ := run(t, "check", f)
		if code != ExitFailed || !strings.Contains(out, c.want) {
			t.Errorf("%s → %s: exit %d\n%s", c.old, c.new, code, out)
		}
	}
}

// A Terraform service with desired_count 0 under a scalable target of
// min_capacity 2 shows 2 of 2 running and its scaling range; the template
// twin of it (a CloudFormation ScalableTarget) checks clean.
func TestShowAutoScaling(t *testing.T) {
	code, out, errs := run(t, "show", "internal/terraform/testdata/appscaling", "--output", "json", "-q")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc systemDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Services) != 1 || doc.Services[0].Desired != 2 || doc.Services[0].Running != 2 ||
		doc.Services[0].AutoScaling == nil || *doc.Services[0].AutoScaling != (scalingDoc{Min: 2, Max: 6}) {
		t.Fatalf("services %+v", doc.Services)
	}
	if code, out, errs := run(t, "check", "internal/cfn/testdata/appscaling.yaml", "-q"); code != ExitOK {
		t.Errorf("check: exit %d: %s%s", code, out, errs)
	}
}

// show names the Block Public Access mode in force: on the VPC, and on a
// subnet whose exclusion changes it; nothing when the account's mode is
// off.
func TestShowBlockPublicAccess(t *testing.T) {
	code, out, errs := run(t, "show", "examples/failures/bpa-fargate-public-ip.yaml", "--output", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc systemDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	modes := map[string]string{}
	for _, v := range doc.VPCs {
		modes[v.Name] = v.BlockPublicAccess
		for _, s := range v.Subnets {
			modes[s.Name] = s.BlockPublicAccess
		}
	}
	want := map[string]string{"main": "block-bidirectional", "lb-a": "off", "lb-b": "off", "app-a": "block-bidirectional"}
	for k, w := range want {
		if modes[k] != w {
			t.Errorf("%s: Block Public Access %q, want %q (all: %v)", k, modes[k], w, modes)
		}
	}
	_, out, _ = run(t, "show", "examples/seed/article.yaml")
	if strings.Contains(out, "Block Public Access") {
		t.Errorf("the article's account has Block Public Access off, show says:\n%s", out)
	}
}
