package cli

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// githubAnnotation is one workflow command of check -o github, parsed
// the way the Actions runner parses it: ::KIND k=v,k=v::MESSAGE, with
// the values and the message unescaped.
type githubAnnotation struct {
	Kind, Message string
	Props         map[string]string
}

var githubCommandRE = regexp.MustCompile(`^::(error|warning|notice)(?: ([^:]*))?::(.*)$`)

func parseGitHub(t *testing.T, out string) (anns []githubAnnotation, summary string) {
	t.Helper()
	unescape := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%")
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !strings.HasPrefix(l, "::") {
			if summary != "" {
				t.Errorf("two lines that are no workflow command: %q, %q", summary, l)
			}
			summary = l
			continue
		}
		m := githubCommandRE.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("not a workflow command: %q", l)
			continue
		}
		a := githubAnnotation{Kind: m[1], Message: unescape.Replace(m[3]), Props: map[string]string{}}
		if m[2] != "" {
			for _, kv := range strings.Split(m[2], ",") {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || (k != "file" && k != "line" && k != "title") {
					t.Errorf("property %q of %q", kv, l)
				}
				a.Props[k] = unescape.Replace(v)
			}
		}
		anns = append(anns, a)
	}
	return anns, summary
}

// check -o github prints GitHub Actions annotations: an ::error at the
// file and line of each failed expectation, error-level finding and
// SOURCE that cannot be read, as many as SARIF's unsuppressed errors and
// JUnit's failures and errors, and the exit code agrees; --strict makes
// warnings errors in all three.
func TestCheckGitHubAnnotations(t *testing.T) {
	bad := failing(t)
	broken := filepath.Join(t.TempDir(), "broken.yaml")
	if err := os.WriteFile(broken, []byte("name: x\nvpcs:\n  main:\n    cidr: 10.0.0.0/16\n   dns_hostnames: true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, strict := range []bool{false, true} {
		args := []string{"check", bad, "examples/seed/alb.yaml", "examples/failures/nacl-ephemeral.yaml", broken}
		if strict {
			args = append(args, "--strict")
		}
		code, out, errs := run(t, append(args, "-o", "github")...)
		if code != ExitBadInput {
			t.Fatalf("strict %v: exit %d, want 2 (a SOURCE cannot be read): %s", strict, code, errs)
		}
		anns, summary := parseGitHub(t, out)
		if !strings.HasPrefix(summary, "ecsnet check: FAILED: ") {
			t.Errorf("summary %q", summary)
		}
		kinds := map[string]int{}
		sawExpectation, sawBroken, sawExpected := false, false, false
		for _, a := range anns {
			kinds[a.Kind]++
			if strings.Contains(a.Props["title"], "ECSNET_EXPECTATION") {
				sawExpectation = true
				if a.Kind != "error" || a.Props["file"] != filepath.ToSlash(bad) || a.Props["line"] != "81" {
					t.Errorf("the failed expectation: %+v", a)
				}
				if a.Props["title"] != "ECSNET_EXPECTATION: internet → 203.0.113.2:3000 expects connected, got timeout" {
					t.Errorf("title %q", a.Props["title"])
				}
				if !strings.Contains(a.Message, "\nfix 1: ") || !strings.Contains(a.Message, "(verified: ") {
					t.Errorf("no verified fix on a line of its own: %q", a.Message)
				}
			}
			if strings.HasPrefix(a.Props["title"], "ECSNET_SOURCE_ERROR") {
				sawBroken = true
				// The line at fault (5), not its block's start.
				if a.Kind != "error" || a.Props["file"] != filepath.ToSlash(broken) || a.Props["line"] != "5" {
					t.Errorf("the SOURCE that cannot be read: %+v", a)
				}
			}
			if strings.HasSuffix(a.Props["title"], "(expected)") {
				sawExpected = true
				if a.Kind != "notice" {
					t.Errorf("a finding the SOURCE expects is an %s: %+v", a.Kind, a)
				}
			}
			if a.Kind == "warning" && strict {
				t.Errorf("a warning with --strict: %+v", a)
			}
		}
		if !sawExpectation || !sawBroken || !sawExpected {
			t.Errorf("strict %v: expectation %v, broken SOURCE %v, expected finding %v:\n%s", strict, sawExpectation, sawBroken, sawExpected, out)
		}
		if !strict && kinds["warning"] == 0 {
			t.Errorf("no warning-level finding as a ::warning:\n%s", out)
		}

		// The same failures in SARIF (unsuppressed errors; with --strict
		// the warnings too) and in JUnit (failures and errors).
		_, sout, _ := run(t, append(args, "-o", "sarif")...)
		var log struct {
			Runs []struct {
				Results []struct {
					Level        string `json:"level"`
					Suppressions []any  `json:"suppressions"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(sout), &log); err != nil {
			t.Fatal(err)
		}
		sarifFails := 0
		for _, r := range log.Runs[0].Results {
			if len(r.Suppressions) == 0 && (r.Level == "error" || strict && r.Level == "warning") {
				sarifFails++
			}
		}
		_, jout, _ := run(t, append(args, "-o", "junit")...)
		var doc junitSuites
		if err := xml.Unmarshal([]byte(jout), &doc); err != nil {
			t.Fatal(err)
		}
		if kinds["error"] != sarifFails || kinds["error"] != doc.Failures+doc.Errors {
			t.Errorf("strict %v: %d ::error, SARIF %d failing results, JUnit %d failures + %d errors", strict, kinds["error"], sarifFails, doc.Failures, doc.Errors)
		}
	}

	// Nothing fails: no ::error, exit 0.
	code, out, _ := run(t, "check", "examples/seed/alb.yaml", "examples/failures/nacl-ephemeral.yaml", "-o", "github")
	anns, summary := parseGitHub(t, out)
	for _, a := range anns {
		if a.Kind == "error" {
			t.Errorf("an ::error when nothing fails: %+v", a)
		}
	}
	if code != ExitOK || !strings.HasPrefix(summary, "ecsnet check: ok: ") {
		t.Errorf("exit %d, summary %q", code, summary)
	}
}

// Workflow commands escape as GitHub's toolkit does: %, CR and LF in the
// message; also : and , in a property, where they delimit. A path given
// absolute inside $GITHUB_WORKSPACE is named relative to it, as GitHub
// matches annotations against the repository's files.
func TestGitHubEscaping(t *testing.T) {
	if got, want := githubData("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if got, want := githubProperty("50% a:b,c\r\nd"), "50%25 a%3Ab%2Cc%0D%0Ad"; got != want {
		t.Errorf("property %q, want %q", got, want)
	}
	t.Setenv("GITHUB_WORKSPACE", "/home/runner/work/repo/repo")
	got := githubCommand("error", "/home/runner/work/repo/repo/ecs/a,b.yaml", 7, "T: x", "line 1\nline 2")
	if want := "::error file=ecs/a%2Cb.yaml,line=7,title=T%3A x::line 1%0Aline 2"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := githubCommand("warning", "/elsewhere/a.yaml", 0, "", "m"); got != "::warning file=/elsewhere/a.yaml::m" {
		t.Errorf("outside the workspace: %s", got)
	}
}

// Bad input with -o github is an ::error too, so the run's summary says
// why the step failed; exit 2.
func TestCheckGitHubBadInput(t *testing.T) {
	code, out, _ := run(t, "check", "-o", "github")
	anns, _ := parseGitHub(t, out)
	if code != ExitBadInput || len(anns) != 1 || anns[0].Kind != "error" || !strings.HasPrefix(anns[0].Message, "no SOURCE given") {
		t.Errorf("exit %d: %+v\n%s", code, anns, out)
	}
}

// A Terraform configuration with two errors is an annotation (and a
// SARIF result) at each error's file and line, not both at the first.
func TestSourceErrorsEachAtItsLine(t *testing.T) {
	dir := t.TempDir()
	tf := "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n  enable_dns_hostnames = tru\n}\noutput \"x\" { value = aws_vpc.mian.id }\n"
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o600); err != nil {
		t.Fatal(err)
	}
	main := filepath.ToSlash(filepath.Join(dir, "main.tf"))
	code, out, _ := run(t, "check", dir, "-o", "github")
	anns, _ := parseGitHub(t, out)
	var at []string
	for _, a := range anns {
		at = append(at, a.Props["file"]+":"+a.Props["line"])
	}
	if code != ExitBadInput || strings.Join(at, " ") != main+":3 "+main+":5" {
		t.Errorf("exit %d, annotations at %v, want %s:3 and :5\n%s", code, at, main, out)
	}
	_, out, _ = run(t, "check", dir, "-o", "sarif")
	if n := strings.Count(out, `"ruleId": "ECSNET_SOURCE_ERROR"`); n != 2 || !strings.Contains(out, `"startLine": 5`) {
		t.Errorf("%d SARIF results:\n%s", n, out)
	}
}

// A warning about the SOURCE that names its file and line (a service of
// a template that would not stabilize) is annotated at that line, not on
// the file as a whole.
func TestGitHubWarningAtItsLine(t *testing.T) {
	t.Setenv("GITHUB_WORKSPACE", "")
	f := filepath.Join(t.TempDir(), "alb.yaml")
	if err := os.WriteFile(f, []byte("Resources: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := checkReport{Source: f, OK: true, Warnings: []string{
		f + ":12: Service (AWS::ECS::Service): 0 of 2 tasks running",
		"1 resource not modelled",
	}}
	var out bytes.Buffer
	if err := writeGitHub(&out, []checkReport{r}, false, ExitOK); err != nil {
		t.Fatal(err)
	}
	file := githubProperty(githubFile(f))
	for _, want := range []string{
		"::warning file=" + file + ",line=12,title=",
		"::warning file=" + file + ",title=",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in\n%s", want, out.String())
		}
	}
}

// A SARIF rule's description is its code in words, the same whichever
// resource's finding comes first: code scanning shows it atop every alert
// of the rule (it was the first finding's message, naming that finding's
// service on the alerts of the others). Each result keeps its message.
func TestSARIFRuleDescribesTheCode(t *testing.T) {
	reports := []checkReport{{Source: "a.yaml", Findings: []findingReport{
		{Finding: reach.Finding{Severity: reach.SeverityError, Code: "ECS_IMAGE_PULL_FAILED", Message: "tasks of the service api cannot start. They stop."}},
		{Finding: reach.Finding{Severity: reach.SeverityError, Code: "ECS_IMAGE_PULL_FAILED", Message: "tasks of the service worker cannot start. They stop."}},
		{Finding: reach.Finding{Severity: reach.SeverityWarning, Code: "ENI_SG_RULES_MISMATCH", Message: "x"}},
	}}}
	var out bytes.Buffer
	if err := writeSARIF(&out, reports); err != nil {
		t.Fatal(err)
	}
	var doc sarifLog
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	rules := doc.Runs[0].Tool.Driver.Rules
	got := map[string]string{}
	for _, r := range rules {
		got[r.ID] = r.ShortDescription.Text
	}
	if got["ECS_IMAGE_PULL_FAILED"] != "ECS image pull failed" || got["ENI_SG_RULES_MISMATCH"] != "ENI SG rules mismatch" {
		t.Errorf("rules %v", got)
	}
	if res := doc.Runs[0].Results; len(res) != 3 || !strings.Contains(res[1].Message.Text, "service worker") {
		t.Errorf("results %+v", res)
	}
}

// The count of resources not modelled, of types that do not shape the
// network, is a notice, not one of the step's ten warnings; a warning about
// a Terraform configuration's folder names no file (GitHub annotates files).
func TestGitHubNoticeOfResourcesNotModelled(t *testing.T) {
	t.Setenv("GITHUB_WORKSPACE", "")
	dir := t.TempDir()
	r := checkReport{Source: dir, OK: true, Warnings: []string{
		skippedSummary([]cfn.Skipped{{Type: "AWS::IAM::Role"}, {Type: "AWS::IAM::Role"}}),
		"the provider's region is taken from AWS_REGION",
	}}
	var out bytes.Buffer
	if err := writeGitHub(&out, []checkReport{r}, false, ExitOK); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "::notice title=") || !strings.Contains(got, "2 resources not modelled, of types that do not change how packets flow") {
		t.Errorf("the count of resources not modelled is not a notice:\n%s", got)
	}
	if !strings.Contains(got, "::warning title=") || strings.Contains(got, "file=") {
		t.Errorf("a folder's warning names a file, or is not a warning:\n%s", got)
	}
}
