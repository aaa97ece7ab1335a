package cli

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v2/sarif"
)

// The conventions of gh, kubectl, terraform and the aws CLI (issue 14).

func TestHelpOnStdoutWithExamples(t *testing.T) {
	for _, args := range [][]string{{"help", "probe"}, {"probe", "-h"}, {"probe", "--help"}} {
		code, out, errs := run(t, args...)
		if code != ExitOK || errs != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
		for _, want := range []string{"Usage: ecsnet probe", "--from string", "-o, --output string", "--expect string", "Examples:\n  ecsnet probe examples/seed/article.yaml"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: help lacks %q:\n%s", args, want, out)
			}
		}
		if strings.Contains(out, "\n  -from") {
			t.Errorf("%v: help lists -from instead of --from", args)
		}
	}
	code, out, _ := run(t, "help")
	if code != ExitOK || !strings.Contains(out, "Commands:") || !strings.Contains(out, "Exit codes:") {
		t.Errorf("help: exit %d\n%s", code, out)
	}
	for _, c := range commands() {
		if len(c.examples) == 0 {
			t.Errorf("%s has no examples in its help", c.name)
		}
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := run(t, args...)
		if code != ExitOK || !strings.HasPrefix(out, "ecsnet ") || !strings.Contains(out, "go1.") {
			t.Errorf("%v: exit %d %q", args, code, out)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"prboe"}, `unknown command "prboe" (did you mean probe?)`},
		{[]string{"help", "chek"}, `(did you mean check?)`},
		{[]string{"probe", "examples/seed/article.yaml", "--frm", "internet"}, "unknown flag --frm (did you mean --from?)"},
		{[]string{"check", "examples/seed/article.yaml", "--var", "a=b"}, "unknown flag --var (Terraform's -var is --param here)"},
		{[]string{"check", "examples/seed/article.yaml", "-var-file=x.tfvars"}, "unknown flag --var-file (Terraform's -var-file is --parameters here)"},
		{[]string{"show", "examples/seed/article.yaml", "-o", "jsn"}, `--output must be one of text, json, not "jsn" (did you mean json?)`},
		{[]string{"probe", "examples/seed/article.yaml", "--from", "internet", "--to", "ecs-asgg/0:80"}, `(did you mean "ecs-asg/0"?)`},
	} {
		code, _, errs := run(t, c.args...)
		if code != ExitBadInput || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, errs, c.want)
		}
	}
}

func TestPreciseEndpointErrors(t *testing.T) {
	for to, want := range map[string]string{
		"203.0.113.2:abc":           `port "abc" is not a number`,
		"203.0.113.2:":              "the port after ':' is missing",
		"http://203.0.113.2:3000/x": "is a URL: give HOST:PORT (e.g. 203.0.113.2:3000)",
		"https://web-alb.example/x": "(e.g. web-alb.example:443)",
		"203.0.113.2:99999999":      "is not between 0 and 65535",
	} {
		code, _, errs := run(t, "probe", "examples/seed/article.yaml", "--from", "internet", "--to", to)
		if code != ExitBadInput || !strings.Contains(errs, want) {
			t.Errorf("--to %s: exit %d, stderr %q, want %q", to, code, errs, want)
		}
	}
}

// probe is a CI gate: exit 1 when the verdict is not reachable, or not the
// one --expect names.
func TestProbeExitCodesAndExpect(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"--to", "203.0.113.2:3000"}, ExitFailed},                           // the article's timeout
		{[]string{"--to", "203.0.113.2:3000", "--expect", "timeout"}, ExitOK},        // expected
		{[]string{"--to", "203.0.113.2:3000", "--expect", "connected"}, ExitFailed},  // not expected
		{[]string{"--to", "203.0.113.2:3000", "--expect", "conected"}, ExitBadInput}, // not a verdict
	} {
		args := append([]string{"probe", "examples/seed/article.yaml", "--from", "internet", "--fixes=false"}, c.args...)
		if code, out, errs := run(t, args...); code != c.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", c.args, code, c.code, out, errs)
		}
	}
	if code, _, _ := run(t, "probe", "examples/seed/alb.yaml", "--from", "internet", "--to", "web-alb:80", "--fixes=false"); code != ExitOK {
		t.Errorf("HTTP 200 through the ALB: exit %d", code)
	}
	if code, _, _ := run(t, "probe", "examples/seed/alb.yaml", "--from", "internet", "--to", "web-alb:80", "--expect", "http 200", "--fixes=false"); code != ExitOK {
		t.Errorf("--expect 'http 200': exit %d", code)
	}
}

// Every JSON document carries schemaVersion and kind; errors in JSON mode
// are JSON on stdout.
func TestJSONSchemaVersionAndErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		kind string
	}{
		{[]string{"probe", "examples/seed/article.yaml", "--from", "internet", "--to", "203.0.113.2:3000", "-o", "json", "--fixes=false"}, "probe"},
		{[]string{"show", "examples/seed/article.yaml", "-o", "json"}, "system"},
		{[]string{"exposure", "examples/seed/article.yaml", "-o", "json"}, "exposure"},
		{[]string{"check", "examples/seed/article.yaml", "-o", "json"}, "check"},
		{[]string{"probe", "examples/seed/article.yaml", "--from", "internet", "--to", "nowhere:80", "-o", "json"}, "error"},
		{[]string{"show", "no-such-file.yaml", "-o", "json"}, "error"},
	} {
		_, out, _ := run(t, c.args...)
		var doc struct {
			SchemaVersion int    `json:"schemaVersion"`
			Kind          string `json:"kind"`
			Error         *struct {
				Message  string `json:"message"`
				ExitCode int    `json:"exitCode"`
			} `json:"error"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Errorf("%v: not JSON: %v\n%s", c.args, err, out)
			continue
		}
		if doc.SchemaVersion != SchemaVersion || doc.Kind != c.kind {
			t.Errorf("%v: schemaVersion %d kind %q, want %d %q", c.args, doc.SchemaVersion, doc.Kind, SchemaVersion, c.kind)
		}
		if c.kind == "error" && (doc.Error == nil || doc.Error.Message == "" || doc.Error.ExitCode != ExitBadInput) {
			t.Errorf("%v: error document %s", c.args, out)
		}
		if !strings.HasPrefix(out, "{\n  \"schemaVersion\": 1,\n  \"kind\":") {
			t.Errorf("%v: schemaVersion and kind do not come first:\n%.80s", c.args, out)
		}
	}
}

// failing copies the article's scenario with one expectation that fails.
func failing(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../examples/seed/article.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "    verdict: timeout\n", "    verdict: connected\n", 1)
	if s == string(b) {
		t.Fatal("no timeout expectation to change")
	}
	p := filepath.Join(t.TempDir(), "article-wrong.yaml")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// SARIF 2.1.0 for code scanning: decoded strictly into an independent
// implementation of the 2.1.0 object model (go-sarif), every result names
// a rule of the run and a file and line.
func TestCheckSARIF(t *testing.T) {
	bad := failing(t)
	code, out, errs := run(t, "check", bad, "examples/seed/alb.yaml", "--output", "sarif")
	if code != ExitFailed {
		t.Fatalf("exit %d: %s", code, errs)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var log sarif.Report
	if err := dec.Decode(&log); err != nil {
		t.Fatalf("not SARIF 2.1.0: %v\n%s", err, out)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "ecsnet" {
		t.Fatalf("log: version %s, %d runs", log.Version, len(log.Runs))
	}
	run0 := log.Runs[0]
	rules := map[string]bool{}
	for _, r := range run0.Tool.Driver.Rules {
		rules[r.ID] = true
	}
	sawExpectation := false
	for _, r := range run0.Results {
		if r.RuleID == nil || !rules[*r.RuleID] {
			t.Errorf("result without a known rule: %+v", r)
			continue
		}
		if r.Message.Text == nil || *r.Message.Text == "" || len(r.Locations) != 1 {
			t.Errorf("%s: no message or location", *r.RuleID)
			continue
		}
		loc := r.Locations[0].PhysicalLocation
		if loc.ArtifactLocation == nil || loc.ArtifactLocation.URI == nil || loc.Region == nil || loc.Region.StartLine == nil {
			t.Errorf("%s: no file and line", *r.RuleID)
			continue
		}
		if *r.RuleID == expectationRule {
			sawExpectation = true
			if *loc.ArtifactLocation.URI != filepath.ToSlash(bad) || *loc.Region.StartLine != 81 {
				t.Errorf("the failed expectation is at %s:%d, want %s:81", *loc.ArtifactLocation.URI, *loc.Region.StartLine, bad)
			}
			if *r.Level != "error" {
				t.Errorf("level %s", *r.Level)
			}
			// The fix, verified, is suggested with the finding.
			if !strings.Contains(*r.Message.Text, "Fix: ") || !strings.Contains(*r.Message.Text, "(verified: ") {
				t.Errorf("no verified fix in the message: %s", *r.Message.Text)
			}
			if fixes, ok := r.Properties["fixes"].([]any); !ok || len(fixes) == 0 {
				t.Errorf("no fixes in the properties: %+v", r.Properties)
			}
		}
	}
	if !sawExpectation {
		t.Errorf("no result for the failed expectation:\n%s", out)
	}
}

func TestCheckJUnit(t *testing.T) {
	bad := failing(t)
	code, out, _ := run(t, "check", bad, "examples/seed/alb.yaml", "-o", "junit")
	if code != ExitFailed {
		t.Fatalf("exit %d", code)
	}
	var doc junitSuites
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Suites) != 2 || doc.Failures != 1 || doc.Suites[0].Failures != 1 || doc.Suites[1].Failures != 0 {
		t.Fatalf("suites %d, failures %d:\n%s", len(doc.Suites), doc.Failures, out)
	}
	f := doc.Suites[0].Cases[0]
	if f.Failure == nil || f.Line != 81 || !strings.Contains(f.Failure.Message, "expected connected, got timeout") {
		t.Errorf("first case %+v", f)
	}
}

// Colour is decided per stream: warnings on a coloured stderr are
// painted even when stdout is not, and never the other way round.
func TestColorPerStream(t *testing.T) {
	var out, errb bytes.Buffer
	wd, _ := os.Getwd()
	os.Chdir("../..")
	defer os.Chdir(wd)
	code := Run(IO{Out: &out, Err: &errb, Color: false, ErrColor: true}, []string{"probe", "examples/seed/article.yaml", "--from", "internet", "--to", "nowhere:80"})
	if code != ExitBadInput {
		t.Fatalf("exit %d", code)
	}
	if strings.Contains(out.String(), "\x1b[") {
		t.Errorf("ANSI codes on a plain stdout: %q", out.String())
	}
	args, when, err := colorFlag([]string{"show", "--color=never", "x", "--color", "always"})
	if err != nil || when != "always" || strings.Join(args, " ") != "show x" {
		t.Errorf("colorFlag: %v %q %v", args, when, err)
	}
	if _, _, err := colorFlag([]string{"--color=sometimes"}); err == nil {
		t.Error("--color=sometimes accepted")
	}
}

// Warnings: a one-line summary by default, all with -v, none with -q.
func TestWarningsQuietVerbose(t *testing.T) {
	var warns []string
	for i := 0; i < 5; i++ {
		warns = append(warns, "w"+string(rune('0'+i)))
	}
	s := &source{Path: "x.yaml", Warnings: warns, Details: []string{"d"}}
	for _, c := range []struct {
		f    sourceFlags
		want int
	}{{sourceFlags{}, 2}, {sourceFlags{Verbose: true}, 6}, {sourceFlags{Quiet: true}, 0}} {
		var errb bytes.Buffer
		s.warn(IO{Out: &bytes.Buffer{}, Err: &errb}, c.f)
		if n := strings.Count(errb.String(), "\n"); n != c.want {
			t.Errorf("%+v: %d lines, want %d:\n%s", c.f, n, c.want, errb.String())
		}
	}
}
