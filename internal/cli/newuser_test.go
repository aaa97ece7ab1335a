package cli

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A new user's first mistakes get one plain line each, exit 2: a
// misspelt SOURCE names the close file, an empty folder says what a
// SOURCE folder holds, a bool flag given a wrong value says what it
// takes (spelt --name, as help spells it).
func TestNewUserMistakes(t *testing.T) {
	empty := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
		not  string
	}{
		{[]string{"probe", "examples/seed/artcle.yaml", "--from", "internet", "--to", "203.0.113.2:3000"},
			"examples/seed/artcle.yaml: no such file or folder (did you mean examples/seed/article.yaml?)", "stat "},
		{[]string{"check", "examples/seed/artcle.yaml"},
			"examples/seed/artcle.yaml: no such file or folder (did you mean examples/seed/article.yaml?)", "stat "},
		{[]string{"show", empty}, "no SOURCE in this folder", "no JSON files"},
		{[]string{"check", empty}, "no SOURCE in this folder", "no JSON files"},
		{[]string{"check", "examples/seed/article.yaml", "--strict=maybe"},
			`--strict takes true or false, not "maybe"`, "for -strict"},
	} {
		code, out, errs := run(t, tc.args...)
		if code != ExitBadInput || !strings.Contains(out+errs, tc.want) || strings.Contains(out+errs, tc.not) {
			t.Errorf("ecsnet %s: exit %d, want 2 and %q\n%s%s", strings.Join(tc.args, " "), code, tc.want, out, errs)
		}
	}
}

// A folder of templates that holds a JSON template is a folder of
// SOURCEs, each checked on its own, not a snapshot.
func TestFolderWithJSONTemplate(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"fargate.json", "vpc.yaml"} {
		data, err := os.ReadFile(filepath.Join("../../examples/cfn", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := run(t, "check", dir)
	if code != ExitOK || !strings.Contains(out, filepath.Join(dir, "fargate.json")) || !strings.Contains(out, filepath.Join(dir, "vpc.yaml")) {
		t.Errorf("check: exit %d\n%s%s", code, out, errs)
	}
}

// The summary counts in words that agree with the number: "1 source
// with errors", "1 expectation holds".
func TestCheckSummarySingular(t *testing.T) {
	code, out, _ := run(t, "check", "nope.yaml")
	if code != ExitBadInput || !strings.Contains(out, "FAILED: 0 expectations hold, 0 fail, 0 findings fail the check, 1 source with errors") {
		t.Errorf("exit %d\n%s", code, out)
	}
	f := filepath.Join(t.TempDir(), "one.yaml")
	data, err := os.ReadFile("../../examples/seed/bridge.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, "check", f)
	if code != ExitOK || !strings.Contains(out, "ok: 1 expectation holds, 0 fail") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

// ecsnet help --help is ecsnet's help, as every other command's --help
// is that command's.
func TestHelpHelp(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		code, out, errs := run(t, "help", arg)
		if code != ExitOK || !strings.Contains(out, "Usage: ecsnet <command>") || errs != "" {
			t.Errorf("ecsnet help %s: exit %d\n%s%s", arg, code, out, errs)
		}
	}
}

// A scenario with a YAML error is marked at its file and line in SARIF
// (region.startLine) and JUnit (line=), not only in the message text.
func TestSourceErrorLineInSARIFAndJUnit(t *testing.T) {
	f := filepath.Join(t.TempDir(), "broken.yaml")
	if err := os.WriteFile(f, []byte("name: x\nvpcs:\n  main:\n    cidr: 10.0.0.0/16\n   subnets: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, "check", f, "-o", "sarif")
	if code != ExitBadInput || !strings.Contains(out, `"ECSNET_SOURCE_ERROR"`) || !regexp.MustCompile(`"startLine": [1-9]`).MatchString(out) {
		t.Errorf("sarif: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "check", f, "-o", "junit")
	if code != ExitBadInput || !regexp.MustCompile(`<testcase name="load [^"]*" classname="[^"]*" file="[^"]*broken.yaml" line="[1-9]`).MatchString(out) {
		t.Errorf("junit: exit %d\n%s", code, out)
	}
}

// probe's endpoint mistakes name the flag as typed (--to, --from), a
// typo of internet or of a verdict gets its suggestion, and a probe
// given only one end says which is missing.
func TestProbeEndpointMistakes(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--from", "internt", "--to", "web-alb:80"}, `--from: no instance, task, service, load balancer or ENI is named "internt" (did you mean "internet"?)`},
		{[]string{"--from", "internet", "--to", "web-albb:80"}, `--to: no instance, task, service, load balancer or ENI is named "web-albb" (did you mean "web-alb"?)`},
		{[]string{"--from", "internet", "--to", "web-alb:80", "--expect", "tiemout"}, `--expect "tiemout" is not a verdict (did you mean timeout?)`},
		{[]string{"--from", "internet", "--to", "web-alb:80", "--protocol", "tpc"}, `--protocol "tpc": want tcp, udp or icmp (did you mean tcp?)`},
		{[]string{"--from", "internet"}, "probe needs --to too"},
		{[]string{"--to", "web-alb:80"}, "probe needs --from too"},
	} {
		args := append([]string{"probe", "examples/seed/alb.yaml"}, tc.args...)
		code, out, errs := run(t, args...)
		if code != ExitBadInput || !strings.Contains(errs, tc.want) {
			t.Errorf("ecsnet %s: exit %d, want 2 and %q\n%s%s", strings.Join(args, " "), code, tc.want, out, errs)
		}
	}
}

// A folder whose subfolders are Terraform root modules (and a README)
// is each of them to check, as docs/ci.md says of a folder of SOURCEs.
func TestCheckFolderOfTerraformModules(t *testing.T) {
	code, out, errs := run(t, "check", "examples/terraform")
	if code == ExitBadInput || !strings.Contains(out, "examples/terraform/article\n") || !strings.Contains(out, "examples/terraform/nat-in-private-subnet\n") ||
		!strings.Contains(out, "0 sources with errors") {
		t.Errorf("check: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, "show", "examples/terraform")
	if code != ExitBadInput || !strings.Contains(errs, "is a folder of 2 SOURCEs") {
		t.Errorf("show: exit %d\n%s%s", code, out, errs)
	}
}

// A scenario's YAML mistakes are said at file:line in the scenario's
// words: a tab in the indentation, a list or a word where a string or a
// bool goes (not the YAML library's "cannot unmarshal !!seq").
func TestScenarioYAMLMistakes(t *testing.T) {
	data, err := os.ReadFile("../../examples/seed/article.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		old, new, want string
	}{
		{"    cidr: 10.0.0.0/16", "\tcidr: 10.0.0.0/16", ".yaml:14: found character that cannot start any token (a tab in the indentation: YAML indents with spaces only)"},
		{"    cidr: 10.0.0.0/16", "    cidr: [1, 2]", ".yaml:14: expected a string, found a list"},
		{"dns_hostnames: true", "dns_hostnames: yes please", ".yaml:15: expected true or false, found a string (yes please)"},
		{"\nsubnets:", "\nsubnet:", `.yaml:18: unknown field "subnet" (did you mean subnets?) (known: `},
		{"    verdict: timeout", "    verdit: timeout", `.yaml:83: unknown field "verdit" (did you mean verdict?) (known: `},
		{"    verdict: timeout", "    verdict: timout", `.yaml:81: verdict "timout" is not a verdict (did you mean timeout?)`},
	} {
		if !strings.Contains(string(data), tc.old) {
			t.Fatalf("article.yaml has no %q", tc.old)
		}
		f := filepath.Join(dir, "s.yaml") // the error reads s.yaml:LINE: …
		if err := os.WriteFile(f, []byte(strings.Replace(string(data), tc.old, tc.new, 1)), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errs := run(t, "check", f)
		if code != ExitBadInput || !strings.Contains(out, f+strings.TrimPrefix(tc.want, ".yaml")) || strings.Contains(out, "unmarshal") {
			t.Errorf("%q: exit %d, want %q\n%s%s", tc.new, code, tc.want, out, errs)
		}
	}
}

// A finding the scenario expects (known_findings) passes check, so it
// passes in JUnit too (no <failure>, which would fail a CI test
// reporter while ecsnet exits 0), and SARIF marks it suppressed in
// source; an unexpected one still fails in both.
func TestExpectedFindingsInJUnitAndSARIF(t *testing.T) {
	code, out, _ := run(t, "check", "examples/failures/nacl-ephemeral.yaml", "-o", "junit")
	if code != ExitOK || !strings.Contains(out, `failures="0"`) || !strings.Contains(out, "ECS_TARGET_UNHEALTHY web-tg (expected)") || strings.Contains(out, "<failure") {
		t.Errorf("junit: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "check", "examples/failures/nacl-ephemeral.yaml", "-o", "sarif")
	if code != ExitOK || !strings.Contains(out, `"suppressions": [`) || !strings.Contains(out, `"kind": "inSource"`) {
		t.Errorf("sarif: exit %d\n%s", code, out)
	}
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
	code, out, _ = run(t, "check", f, "-o", "junit")
	if code != ExitFailed || !strings.Contains(out, "<failure") {
		t.Errorf("junit, unexpected finding: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "check", f, "-o", "sarif")
	if code != ExitFailed || strings.Contains(out, `"suppressions"`) {
		t.Errorf("sarif, unexpected finding: exit %d\n%s", code, out)
	}
}

// serve that cannot start exits 2, as docs/cli.md says: a port in use,
// an address that is none.
func TestServeCannotStartExit2(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, addr := range []string{ln.Addr().String(), "127.0.0.1:99999"} {
		code, _, errs := run(t, "serve", "--ephemeral", "--addr", addr)
		if code != ExitBadInput || !strings.HasPrefix(errs, "ecsnet serve: ") || !strings.Contains(errs, "listen tcp") {
			t.Errorf("serve --addr %s: exit %d, want 2\n%s", addr, code, errs)
		}
	}
}

// An unknown short flag is named as typed (-o), not as --o.
func TestUnknownShortFlag(t *testing.T) {
	code, _, errs := run(t, "demo", "-o", "json")
	if code != ExitBadInput || !strings.Contains(errs, "ecsnet demo: unknown flag -o\n") {
		t.Errorf("exit %d\n%s", code, errs)
	}
}

// A load balancer DNS name in a command's help examples is the one the
// example's system has (examples/seed/alb.yaml's web-alb), so the
// example runs as written.
func TestHelpExampleDNSNames(t *testing.T) {
	code, show, _ := run(t, "show", "examples/seed/alb.yaml", "-o", "json")
	if code != ExitOK {
		t.Fatalf("show: exit %d", code)
	}
	dns := regexp.MustCompile(`[a-z0-9-]+\.[a-z0-9-]+\.elb\.amazonaws\.com`)
	seen := 0
	for _, c := range commands() {
		for _, ex := range c.examples {
			for _, name := range dns.FindAllString(ex, -1) {
				seen++
				if !strings.Contains(show, `"`+name+`"`) {
					t.Errorf("ecsnet help %s: example names %s, which examples/seed/alb.yaml does not have", c.name, name)
				}
			}
		}
	}
	if seen == 0 {
		t.Error("no help example names a load balancer DNS name")
	}
}

// version and demo take no arguments, and say so with the one given
// (version printed its line and ignored it).
func TestNoArgumentCommands(t *testing.T) {
	for _, cmd := range []string{"version", "demo"} {
		code, out, errs := run(t, cmd, "examples/seed/article.yaml")
		if code != ExitBadInput || out != "" || !strings.Contains(errs, cmd+" takes no arguments, got examples/seed/article.yaml") {
			t.Errorf("%s: exit %d\n%s%s", cmd, code, out, errs)
		}
	}
}

// probe given several scenario files (a shell glob) says that it takes
// one SOURCE and that check takes them all, instead of "alb.yaml is not
// a CloudFormation template".
func TestProbeSeveralScenarios(t *testing.T) {
	code, _, errs := run(t, "probe", "examples/seed/alb.yaml", "examples/seed/article.yaml", "--from", "internet", "--to", "web/0:3000")
	if code != ExitBadInput || !strings.Contains(errs, "2 SOURCEs given (examples/seed/alb.yaml, …)") || !strings.Contains(errs, "give one SOURCE, or run ecsnet check") {
		t.Errorf("exit %d\n%s", code, errs)
	}
}

// A misspelt Terraform address or logical id gets the SOURCE's close
// name, which the analyzer's own list of names does not hold.
func TestProbeSuggestsSourceNames(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"examples/terraform/article", "--to", "aws_ecs_servic.web:3000"}, `is named "aws_ecs_servic.web" (did you mean "aws_ecs_service.web"?); known: `},
		{[]string{"examples/cfn/alb.yaml", "--param", "EnvironmentName=p", "--to", "LoadBalancr:80"}, `is named "LoadBalancr" (did you mean "LoadBalancer"?); known: `},
	} {
		args := append([]string{"probe", "-q", "--from", "internet"}, tc.args...)
		code, out, errs := run(t, args...)
		if code != ExitBadInput || !strings.Contains(errs, tc.want) {
			t.Errorf("ecsnet %s: exit %d, want %q\n%s%s", strings.Join(args, " "), code, tc.want, out, errs)
		}
	}
}

// An expect: entry that names nothing the system has says "not probed"
// where the verdict goes (it said "→ 10.0.1.5:3000:  (line …"), and its
// error at file:line with the close name; an unknown name is bad input
// (exit 2, docs/cli.md), as for probe.
func TestCheckEntryNotProbed(t *testing.T) {
	data, err := os.ReadFile("../../examples/seed/article.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "x.yaml")
	if err := os.WriteFile(f, []byte(strings.Replace(string(data), "from: ecs-asg/0", "from: ecs-asg/9", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, "check", f)
	if code != ExitBadInput || !regexp.MustCompile(`✗ ecs-asg/9 → 10\.0\.1\.5:3000: not probed \(line \d+ expects connected\)`).MatchString(out) ||
		!strings.Contains(out, `is named "ecs-asg/9" (did you mean "ecs-asg/0"?)`) {
		t.Errorf("exit %d\n%s", code, out)
	}
}

// A flag before any command says that flags follow the command, not
// `unknown command "-v"`; --help and --version still work there.
func TestFlagBeforeCommand(t *testing.T) {
	code, _, errs := run(t, "-v", "probe")
	if code != ExitBadInput || !strings.Contains(errs, "ecsnet: -v is not a command: flags follow the command") || strings.Contains(errs, "unknown command") {
		t.Errorf("exit %d\n%s", code, errs)
	}
	for _, arg := range []string{"--help", "--version"} {
		if code, _, errs := run(t, arg); code != ExitOK {
			t.Errorf("%s: exit %d\n%s", arg, code, errs)
		}
	}
}

// A command run without its SOURCE names every kind of SOURCE it takes.
func TestNoSourceNamesEveryKind(t *testing.T) {
	for _, cmd := range []string{"show", "check", "exposure", "probe"} {
		code, _, errs := run(t, cmd)
		if code != ExitBadInput || !strings.Contains(errs, "no SOURCE given: pass a scenario file (e.g. examples/seed/article.yaml), a CloudFormation template, a Terraform folder, a snapshot folder or an ecsnet serve URL") {
			t.Errorf("%s: exit %d\n%s", cmd, code, errs)
		}
	}
}

// exec with no system up says how to bring one up, with the --name it
// was given.
func TestExecNothingUp(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := run(t, "exec", "--name", "nu25", "--state-dir", dir, "--netns-dir", dir, "internet", "--", "true")
	if code != ExitBadInput || !strings.Contains(errs, "no system named nu25 is up") || !strings.Contains(errs, "bring one up first with ecsnet up SOURCE --name nu25") {
		t.Errorf("exit %d\n%s", code, errs)
	}
}

// README's stacks/{network,cluster,service}.yaml works from sh too,
// which leaves the braces to ecsnet: they list the stacks of one SOURCE.
func TestSourceBraceList(t *testing.T) {
	for _, spec := range []string{
		"examples/cfn/stacks/{network,cluster,service}.yaml",
		"examples/cfn/stacks/network.yaml,examples/cfn/stacks/{cluster,service}.yaml",
	} {
		code, out, errs := run(t, "probe", spec, "--from", "internet", "--to", "LoadBalancer:80", "--fixes=false")
		if code != ExitFailed || !strings.Contains(out, "HTTP 504") {
			t.Errorf("%s: exit %d\n%s%s", spec, code, out, errs)
		}
	}
	if got := expandBraces("a/{b,c}/{d,e}.yaml"); strings.Join(got, " ") != "a/b/d.yaml a/b/e.yaml a/c/d.yaml a/c/e.yaml" {
		t.Errorf("expandBraces = %q", got)
	}
	if got := splitSourceList("x{1}.yaml,y.yaml"); strings.Join(got, " ") != "x{1}.yaml y.yaml" {
		t.Errorf("splitSourceList = %q", got)
	}
}

// check with several SOURCEs exits with the worst: 2 when one cannot be
// read, though another fails (1), and it still reports both.
func TestCheckWorstExit(t *testing.T) {
	data, err := os.ReadFile("../../examples/seed/article.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "fail.yaml")
	if err := os.WriteFile(f, []byte(strings.Replace(string(data), "verdict: timeout", "verdict: connected", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := run(t, "check", f); code != ExitFailed {
		t.Fatalf("one failing source: exit %d\n%s", code, out)
	}
	code, out, _ := run(t, "check", f, "nope.yaml")
	if code != ExitBadInput || !strings.Contains(out, "1 fail") || !strings.Contains(out, "1 source with errors") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

// A folder of SOURCE folders (ecsnet check examples) names them and the
// command that checks each, instead of "no JSON files: a snapshot holds …".
func TestFolderOfSourceFolders(t *testing.T) {
	code, out, errs := run(t, "check", "examples")
	if code != ExitBadInput || !strings.Contains(out, "examples holds no SOURCE of its own, but folders of them: give one, or check each with ecsnet check examples/cfn examples/classic examples/failures") ||
		strings.Contains(out, "no JSON files") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
	// A folder of snapshot folders (each with aws_configs/) likewise.
	code, out, errs = run(t, "check", "examples/snapshots")
	if code != ExitBadInput || !strings.Contains(out, "examples/snapshots holds no SOURCE of its own, but folders of them: give one, or check each with ecsnet check examples/snapshots/shared-vpc") ||
		strings.Contains(out, "no JSON files") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

// check's text names where the SOURCE defines each finding's resource,
// FILE:LINE as SARIF and the annotations do, so that a reader can open
// it; a service's task in a template or a Terraform configuration is at
// its service's definition, as in a scenario.
func TestCheckFindingsSayWhere(t *testing.T) {
	for _, c := range []struct{ source, at string }{
		{"examples/seed/article.yaml", "examples/seed/article.yaml:62"},
		{"examples/cfn/article.yaml", "examples/cfn/article.yaml:199"},
		{"examples/terraform/article", "examples/terraform/article/main.tf:188"},
	} {
		_, out, _ := run(t, "check", c.source)
		if want := "warning: ECS_AWSVPC_PUBLIC_INSTANCE web/0 (" + c.at + ")"; !strings.Contains(out, want) {
			t.Errorf("%s: no %q in\n%s", c.source, want, out)
		}
		_, out, _ = run(t, "check", c.source, "-o", "github")
		if want := "::warning file=" + strings.Replace(c.at, ":", ",line=", 1) + ",title=ECS_AWSVPC_PUBLIC_INSTANCE"; !strings.Contains(out, want) {
			t.Errorf("%s: no %q in\n%s", c.source, want, out)
		}
	}
}

// A --param the template does not have keeps CloudFormation's words and
// says which parameter was meant (a misspelling, or a part of the name)
// and which parameters the template named in the error has.
func TestUnknownParamSaysWhichExist(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"show", "examples/cfn/vpc.yaml", "--param", "EnvironmentNam=x"},
			"examples/cfn/vpc.yaml: Parameters: [EnvironmentNam] do not exist in the template (did you mean EnvironmentName? The template's parameters: EnvironmentName, VpcCIDR,"},
		{[]string{"show", "examples/cfn/stacks/network.yaml,examples/cfn/stacks/cluster.yaml,examples/cfn/stacks/service.yaml", "--param", "network/Cidr=10.9.0.0/16"},
			"examples/cfn/stacks/network.yaml: Parameters: [Cidr] do not exist in the template (did you mean VpcCidr? The template's parameters: VpcCidr)"},
	} {
		code, out, errs := run(t, append(c.args, "-q")...)
		if code != ExitBadInput || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, want %q\n%s%s", c.args, code, c.want, out, errs)
		}
	}
}

// -o without a value is named as help names it, --output, with the
// formats it takes; a snapshot's tree says its region once.
func TestOutputNeedsValueAndSnapshotHeader(t *testing.T) {
	code, _, errs := run(t, "check", "examples/seed/article.yaml", "-o")
	if want := "flag --output needs a value (text, json, sarif, junit, github)"; code != ExitBadInput || !strings.Contains(errs, want) {
		t.Errorf("exit %d, want %q: %s", code, want, errs)
	}
	code, out, errs := run(t, "show", "examples/snapshots/shared-vpc", "-q")
	if first, _, _ := strings.Cut(out, "\n"); code != ExitOK || first != "examples/snapshots/shared-vpc  (us-east-1, account 123456789012)" {
		t.Errorf("exit %d, first line %q%s", code, first, errs)
	}
}

// The ends of a probe given as arguments instead of flags (probe FILE
// internet 203.0.113.2:3000) are shown as the flags they were meant as.
func TestProbeEndsAsArguments(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"examples/seed/article.yaml", "internet", "203.0.113.2:3000"}, "probe needs --from and --to (did you mean --from internet --to 203.0.113.2:3000?)"},
		{[]string{"examples/seed/article.yaml", "--from", "internet", "203.0.113.2:3000"}, "probe needs --to too (did you mean --to 203.0.113.2:3000?)"},
		{[]string{"examples/seed/article.yaml", "--to", "web/0", "ecs-asg/0"}, "probe needs --from too (did you mean --from ecs-asg/0?)"},
		{[]string{"examples/seed/article.yaml", "--to", "web/0"}, "probe needs --from too (e.g. --from internet --to 203.0.113.2:22, a way in that ecsnet exposure lists)"},
		// The example is the SOURCE's own (it was the article's address
		// for every SOURCE), and runs.
		{[]string{"examples/cfn/alb.yaml", "--param", "EnvironmentName=p", "-q"}, "probe needs --from and --to (e.g. --from internet --to 54.165.132.124:80, a way in that ecsnet exposure lists)"},
		{[]string{"examples/failures/internal-alb-from-internet.yaml"}, "probe needs --from and --to (e.g. --from internet --to ADDRESS:PORT, or --from and --to an instance, task, service or load balancer by name)"},
	} {
		code, _, errs := run(t, append([]string{"probe"}, c.args...)...)
		if code != ExitBadInput || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, want %q: %s", c.args, code, c.want, errs)
		}
	}
	if code, out, errs := run(t, "probe", "examples/cfn/alb.yaml", "--param", "EnvironmentName=p", "-q", "--from", "internet", "--to", "54.165.132.124:80", "--fixes=false"); code != ExitOK {
		t.Errorf("the example: exit %d\n%s%s", code, out, errs)
	}
}

// A Terraform address of a type the configuration has none of says so,
// rather than only listing the analyzer's names.
func TestTerraformAddressOfAbsentType(t *testing.T) {
	code, _, errs := run(t, "probe", "examples/terraform/article", "--from", "internet", "--to", "aws_instance.web:80", "-q")
	if want := `is named "aws_instance.web" (the configuration has no aws_instance); known: `; code != ExitBadInput || !strings.Contains(errs, want) {
		t.Errorf("exit %d, want %q: %s", code, want, errs)
	}
}

// check of a folder of stacks that import each other's exports suggests,
// for each stack that misses one, the templates of its own system (those
// exporting what it imports, and what they import), not every file of
// the folder: app-on-vpc.yaml is another system. The suggestion runs.
func TestCheckStacksSuggestsTheirSystem(t *testing.T) {
	_, out, _ := run(t, "check", "examples/cfn/stacks", "-q")
	for _, want := range []string{
		"join the templates of one system with commas: ecsnet check examples/cfn/stacks/network.yaml,examples/cfn/stacks/cluster.yaml)",
		"join the templates of one system with commas: ecsnet check examples/cfn/stacks/network.yaml,examples/cfn/stacks/cluster.yaml,examples/cfn/stacks/service.yaml)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	code, out, errs := run(t, "check", "examples/cfn/stacks/network.yaml,examples/cfn/stacks/cluster.yaml,examples/cfn/stacks/service.yaml", "-q")
	if code == ExitBadInput || !strings.Contains(out, "0 sources with errors") {
		t.Errorf("the suggested join: exit %d\n%s%s", code, out, errs)
	}
}

// A folder whose template nests another (a nested stack's TemplateURL
// naming a file next to it) checks the nested one through its parent,
// with the parameters the parent passes: alone, its parameter without a
// default would have no value, and the folder would fail on a template
// that deploys.
func TestCheckFolderNestedTemplates(t *testing.T) {
	dir := t.TempDir()
	child := `Parameters:
  Port:
    Type: Number
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
`
	parent := `Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://s3.amazonaws.com/bucket/child.yaml
      Parameters:
        Port: 80
`
	for name, body := range map[string]string{"child.yaml": child, "parent.yaml": parent} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := run(t, "check", dir)
	if code != ExitOK || strings.Contains(out, "child.yaml\n") || !strings.Contains(out, "parent.yaml") {
		t.Errorf("check of the folder: exit %d, want 0 with parent.yaml only\n%s%s", code, out, errs)
	}
	// Named on its own, the nested template is a SOURCE like any other.
	if code, out, errs := run(t, "check", filepath.Join(dir, "child.yaml")); code != ExitBadInput || !strings.Contains(out+errs, "[Port] must have values") {
		t.Errorf("check of child.yaml: exit %d, want 2 and its missing parameter\n%s%s", code, out, errs)
	}
}

// check -q hides the warnings about the SOURCE, as probe, show and
// exposure do (the pre-commit hook of docs/ci.md runs check -q): a
// template's resource not modelled is said without -q, not with it, in
// the text and the JSON alike.
func TestCheckQuietHidesSourceWarnings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vpc.yaml")
	tpl := `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: ecs-tasks.amazonaws.com}
            Action: sts:AssumeRole
`
	if err := os.WriteFile(path, []byte(tpl), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "check", path)
	if code != ExitOK || !strings.Contains(out, "warning:") || !strings.Contains(out, "AWS::IAM::Role") {
		t.Fatalf("without -q: exit %d, want the warning about the IAM role:\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, "check", path, "-q")
	if code != ExitOK || strings.Contains(out+errs, "warning") {
		t.Errorf("with -q: exit %d, want no warning:\n%s%s", code, out, errs)
	}
	_, out, _ = run(t, "check", path, "-q", "-o", "json")
	if strings.Contains(out, `"warnings"`) {
		t.Errorf("with -q -o json: warnings kept:\n%s", out)
	}
}

// A --from or --to that names nothing lists, after the analyzer's names
// (generated ones, for a template or a configuration), the SOURCE's own
// names of what a probe takes: the logical ids or Terraform addresses the
// user wrote. An Auto Scaling group's address without /N is said as the
// user wrote it, and the suggestion too, not by the group's name.
func TestProbeUnknownNameListsSourceNames(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"examples/cfn/alb.yaml", "--param", "EnvironmentName=p", "--to", "Nope:80"},
			`is named "Nope"; known: p, p ECS host, web, web/0, web/1; the template's logical ids: ECSAutoScalingGroup/N, LoadBalancer, Service`},
		{[]string{"examples/terraform/article", "--to", "nope:80"},
			`; the configuration's addresses: aws_autoscaling_group.ecs/N, aws_ecs_service.web`},
		{[]string{"examples/terraform/article", "--to", "aws_autoscaling_group.ecs:22"},
			`is named "aws_autoscaling_group.ecs" (ecs-asg) (did you mean "aws_autoscaling_group.ecs/0"?); known: `},
		{[]string{"examples/cfn/stacks/network.yaml,examples/cfn/stacks/cluster.yaml,examples/cfn/stacks/service.yaml", "--to", "Nope:80"},
			`; the template's logical ids: LoadBalancer, WebService`},
	} {
		args := append([]string{"probe", "-q", "--fixes=false", "--from", "internet"}, tc.args...)
		code, out, errs := run(t, args...)
		if code != ExitBadInput || !strings.Contains(errs, tc.want) {
			t.Errorf("ecsnet %s: exit %d, want %q\n%s%s", strings.Join(args, " "), code, tc.want, out, errs)
		}
	}
	// A scenario's names are the analyzer's: nothing is added.
	_, _, errs := run(t, "probe", "-q", "examples/seed/article.yaml", "--from", "internet", "--to", "nope:80")
	if !strings.HasSuffix(strings.TrimSpace(errs), "known: ecs-asg/0, web, web/0") {
		t.Errorf("scenario: %s", errs)
	}
}

// One file of a Terraform configuration given as the SOURCE says to give
// its folder (it was read as a scenario: "a scenario is a mapping of
// sections"); a variables file says to give the folder and, unless
// Terraform reads it by itself, the file with --parameters.
func TestTerraformFileGivenSaysFolder(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "main.tf")
	prod := filepath.Join(dir, "prod.tfvars")
	auto := filepath.Join(dir, "terraform.tfvars")
	for f, text := range map[string]string{main: "variable \"port\" {}\n", prod: "port = 1\n", auto: "port = 2\n"} {
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ path, want string }{
		{main, main + " is a file of a Terraform configuration, which is read whole: give its root module's folder, " + dir},
		{prod, "give the configuration's folder, " + dir + ", and this file with --parameters " + prod},
		{auto, "give the configuration's folder, " + dir + ", whose terraform.tfvars is read as Terraform reads it"},
	} {
		code, out, errs := run(t, "check", tc.path)
		if code != ExitBadInput || !strings.Contains(out, tc.want) || strings.Contains(out, "scenario") {
			t.Errorf("check %s: exit %d, want %q\n%s%s", tc.path, code, tc.want, out, errs)
		}
		code, _, errs = run(t, "show", tc.path)
		if code != ExitBadInput || !strings.Contains(errs, tc.want) {
			t.Errorf("show %s: exit %d, want %q\n%s", tc.path, code, tc.want, errs)
		}
	}
	// The folder itself is read.
	if code, out, errs := run(t, "check", dir, "--param", "port=3"); code != ExitOK {
		t.Errorf("check %s: exit %d\n%s%s", dir, code, out, errs)
	}
}

// exposure says an entry point that fails once, in full, under "entry
// points that fail" (its summary was printed twice, the table's on one
// line of several hundred characters), and ends with the next step: the
// probe of it, with the command's SOURCE and flags but not --output. The
// suggested probe runs and gives the same verdict.
func TestExposureFailingOnceAndNextStep(t *testing.T) {
	src := "examples/failures/agent-no-path.yaml"
	code, out, errs := run(t, "exposure", src, "-q", "-o", "text")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if n := strings.Count(out, "no route"); n > 1 {
		t.Errorf("the failing entry's summary said %d times:\n%s", n, out)
	}
	if !strings.Contains(out, "load-balancer web-alb → fails: see below") {
		t.Errorf("the table's line does not point below:\n%s", out)
	}
	m := regexp.MustCompile(`(?m)^the path hop by hop and verified fixes: ecsnet (probe \S+ -q --from internet --to (\S+))$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no next step:\n%s", out)
	}
	code, pout, perrs := run(t, append(strings.Fields(m[1]), "--fixes=false")...)
	if code != ExitFailed || !strings.Contains(pout, "HTTP 503") {
		t.Errorf("%s: exit %d\n%s%s", m[1], code, pout, perrs)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"x.yaml", "-o", "json", "--param", "A=b c"}, "x.yaml --param 'A=b c'"},
		{[]string{"--output=text", "it's.yaml"}, `'it'\''s.yaml'`},
	} {
		if got := probeArgs(tc.args); got != tc.want {
			t.Errorf("probeArgs(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

// A finding's resource is found by its ARN before its id: a Terraform log
// group, repository and ECS service all named "net" (the log group first)
// put the service's finding at the service, not at the log group whose id
// is the name (thebolaji/auth-infra, round thirty-nine).
func TestCheckFindingAtServiceNotSameNamedLogGroup(t *testing.T) {
	dir := t.TempDir()
	cfg := `resource "aws_cloudwatch_log_group" "net" {
  name = "net"
}
resource "aws_ecr_repository" "net" {
  name = "net"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.1.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_security_group" "net" {
  name   = "net"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_ecs_cluster" "net" {
  name = "net"
}
resource "aws_ecs_task_definition" "net" {
  family                   = "net"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name      = "net"
    image     = "${aws_ecr_repository.net.arn}:latest"
    essential = true
  }])
}
resource "aws_ecs_service" "net" {
  name            = "net"
  cluster         = aws_ecs_cluster.net.id
  task_definition = aws_ecs_task_definition.net.arn
  launch_type     = "FARGATE"
  desired_count   = 1
  network_configuration {
    subnets          = [aws_subnet.public.id]
    security_groups  = [aws_security_group.net.id]
    assign_public_ip = true
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := run(t, "check", dir)
	want := "error: ECS_IMAGE_REFERENCE_INVALID net (" + filepath.Join(dir, "main.tf") + ":55)"
	if !strings.Contains(out, want) {
		t.Errorf("no %q in\n%s", want, out)
	}
}

// A finding on a resource a stand-in of a registry module makes is at
// the module block that calls it, a line the user has, not in the
// stand-in's own file (round thirty-nine: terraform-aws-modules/ecs's
// examples/multy-tg put its findings at ecsnet-standin:…).
func TestCheckFindingInStandinAtModuleCall(t *testing.T) {
	_, out, _ := run(t, "check", "internal/terraform/testdata/tf38-ecs-service-log")
	want := "error: ECS_IMAGE_PULL_FAILED logs (internal/terraform/testdata/tf38-ecs-service-log/main.tf:23)"
	if !strings.Contains(out, want) || strings.Contains(out, "ecsnet-standin:ecs-service") {
		t.Errorf("no %q in\n%s", want, out)
	}
}
