package cli

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/reach"
)

// ecsnet check's reports for CI: SARIF 2.1.0 for code scanning (findings
// and failed expectations as results at the file and line that define
// them), and JUnit XML for test reporters (one test case per expectation
// and per finding).

// expectationRule is the SARIF rule of a failed expect: entry.
const expectationRule = "ECSNET_EXPECTATION"

type (
	sarifLog struct {
		Version string     `json:"version"`
		Schema  string     `json:"$schema"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool    sarifTool     `json:"tool"`
		Results []sarifResult `json:"results"`
		// Invocations carry notes about the run that are not results: a
		// snapshot SOURCE's age (a warning when it is stale).
		Invocations []sarifInvocation `json:"invocations,omitempty"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
	}
	sarifNotification struct {
		Level      string          `json:"level"`
		Message    sarifMessage    `json:"message"`
		Locations  []sarifLocation `json:"locations,omitempty"`
		Properties map[string]any  `json:"properties,omitempty"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string       `json:"id"`
		ShortDescription sarifMessage `json:"shortDescription"`
		// FullDescription, Help and HelpURI come from the table of codes
		// (codehelp.go): what fails and how to fix it, which code
		// scanning shows under each alert of the rule.
		FullDescription      sarifMessage  `json:"fullDescription"`
		Help                 sarifMarkdown `json:"help"`
		HelpURI              string        `json:"helpUri"`
		DefaultConfiguration struct {
			Level string `json:"level"`
		} `json:"defaultConfiguration"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	// sarifMarkdown is a multiformatMessageString with its Markdown.
	sarifMarkdown struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   sarifMessage    `json:"message"`
		Locations []sarifLocation `json:"locations"`
		// Properties carry the fixes, for tools that show them: "fix"
		// (a finding's, in words) or "fixes" (an expectation's, each
		// verified: title, aws CLI commands, scenario snippet).
		Properties map[string]any `json:"properties,omitempty"`
		// Suppressions mark a finding the SOURCE expects (its
		// known_findings, or an expect: entry's cause): it does not fail
		// the check.
		Suppressions []sarifSuppression `json:"suppressions,omitempty"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region *sarifRegion `json:"region,omitempty"`
		} `json:"physicalLocation"`
	}
	sarifRegion struct {
		StartLine int `json:"startLine"`
	}
)

// sarifLevel maps a finding's severity to SARIF's levels.
func sarifLevel(s reach.Severity) string {
	switch s {
	case reach.SeverityError:
		return "error"
	case reach.SeverityWarning:
		return "warning"
	}
	return "note"
}

func sarifAt(file string, line int) []sarifLocation {
	var l sarifLocation
	l.PhysicalLocation.ArtifactLocation.URI = filepath.ToSlash(file)
	if line > 0 {
		l.PhysicalLocation.Region = &sarifRegion{StartLine: line}
	}
	return []sarifLocation{l}
}

// expectedFinding says why a finding the SOURCE expects does not fail
// the check.
const expectedFinding = "the SOURCE expects this finding (known_findings, the cause of an expect: entry, an ecsnet:ignore comment, or --accept)"

// errorAt is the FILE:LINE: an error message of a scenario, template or
// Terraform file starts with.
var errorAt = regexp.MustCompile(`^(.+?):([0-9]+): `)

// sourceErrorAt is the file and line a SOURCE's error msg names
// ("stack.yaml:12: …"), so that code scanning and test reporters mark
// that line; else the SOURCE, line 0.
func sourceErrorAt(source, msg string) (string, int) {
	if m := errorAt.FindStringSubmatch(msg); m != nil {
		if line, err := strconv.Atoi(m[2]); err == nil && line > 0 {
			if info, err := os.Stat(m[1]); err == nil && info.Mode().IsRegular() {
				return m[1], line
			}
		}
	}
	return source, 0
}

// sourceError is one error of a SOURCE that cannot be read, at the file
// and line it names.
type sourceError struct {
	File string
	Line int
	Msg  string
}

// sourceErrors splits a SOURCE's error into its errors, one a line when
// each names its own file and line (a Terraform configuration's: "a.tf:3:
// …\nb.tf:9: …"), so that each is marked where it is; else the whole
// error at the line it names first.
func sourceErrors(r checkReport) []sourceError {
	lines := strings.Split(r.Error, "\n")
	if len(lines) > 1 {
		var out []sourceError
		for _, l := range lines {
			file, line := sourceErrorAt(r.Source, l)
			if line == 0 {
				out = nil
				break
			}
			out = append(out, sourceError{file, line, l})
		}
		if out != nil {
			return out
		}
	}
	file, line := sourceErrorAt(r.Source, r.Error)
	return []sourceError{{file, line, r.Error}}
}

// writeSARIF prints the reports as one SARIF 2.1.0 run.
func writeSARIF(w io.Writer, reports []checkReport) error {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "ecsnet", Version: strings.TrimPrefix(versionLine(), "ecsnet "),
		InformationURI: "https://github.com/ecsnet/ecsnet", Rules: []sarifRule{}}}, Results: []sarifResult{}}
	ruleIndex := map[string]int{}
	rule := func(id, desc, level string) int {
		if i, ok := ruleIndex[id]; ok {
			return i
		}
		h := helpOf(id)
		r := sarifRule{ID: id, ShortDescription: sarifMessage{Text: desc}, FullDescription: sarifMessage{Text: h.What},
			Help: sarifMarkdown{Text: h.text(), Markdown: h.markdown(id)}, HelpURI: helpURI(id)}
		r.DefaultConfiguration.Level = level
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, r)
		ruleIndex[id] = len(run.Tool.Driver.Rules) - 1
		return ruleIndex[id]
	}
	var notes []sarifNotification
	for _, r := range reports {
		if a := r.Snapshot; a != nil {
			n := sarifNotification{Level: "note", Message: sarifMessage{Text: r.Source + ": " + a.Note}, Locations: sarifAt(r.Source, 0),
				Properties: map[string]any{"snapshot": a}}
			if a.Stale {
				n.Level, n.Message.Text = "warning", r.Source+": "+a.warning()
			}
			notes = append(notes, n)
		}
		if r.Error != "" {
			i := rule("ECSNET_SOURCE_ERROR", "the SOURCE could not be read", "error")
			for _, e := range sourceErrors(r) {
				run.Results = append(run.Results, sarifResult{RuleID: "ECSNET_SOURCE_ERROR", RuleIndex: i, Level: "error",
					Message: sarifMessage{Text: e.Msg}, Locations: sarifAt(e.File, e.Line)})
			}
			continue
		}
		for _, x := range r.Expectations {
			if x.OK {
				continue
			}
			i := rule(expectationRule, "a probe of the expect: list does not give the verdict it expects", "error")
			msg := fmt.Sprintf("%s → %s: expected %s, got %s. %s", x.From, x.To, x.Want, x.Got, x.Summary)
			if x.Error != "" {
				msg = x.Error
			}
			res := sarifResult{RuleID: expectationRule, RuleIndex: i, Level: "error",
				Message: sarifMessage{Text: msg}, Locations: sarifAt(r.Source, x.Line)}
			if len(x.Fixes) > 0 {
				f := x.Fixes[0]
				res.Message.Text += fmt.Sprintf(" Fix: %s (verified: %s → %s %s).", f.Title, f.Verification.From, f.Verification.To, f.Verification.Verdict)
				if len(x.Fixes) > 1 {
					res.Message.Text += fmt.Sprintf(" %d more fixes in properties.fixes.", len(x.Fixes)-1)
				}
				res.Properties = map[string]any{"fixes": x.Fixes}
			}
			run.Results = append(run.Results, res)
		}
		for _, f := range r.Findings {
			level := sarifLevel(f.Severity)
			i := rule(f.Code, ruleDescription(f.Code), level)
			res := sarifResult{RuleID: f.Code, RuleIndex: i, Level: level, Locations: sarifAt(f.File, f.Line)}
			res.Message.Text = f.Message
			if f.Fix != "" {
				res.Message.Text += " Fix: " + f.Fix
				res.Properties = map[string]any{"fix": f.Fix}
			}
			if f.Expected {
				res.Suppressions = []sarifSuppression{{Kind: "inSource", Justification: expectedFinding}}
			}
			run.Results = append(run.Results, res)
		}
	}
	if len(notes) > 0 {
		run.Invocations = []sarifInvocation{{ExecutionSuccessful: true, ToolExecutionNotifications: notes}}
	}
	return writeJSON(w, sarifLog{Version: "2.1.0", Schema: "https://json.schemastore.org/sarif-2.1.0.json", Runs: []sarifRun{run}})
}

// ruleDescription is a finding code's SARIF rule description, the code
// in words ("ECS_IMAGE_PULL_FAILED": "ECS image pull failed"): code
// scanning shows it atop every alert of the rule, so it names no
// resource (it was the first result's message, which the alerts of other
// resources then carried); each result's message says what and where.
func ruleDescription(code string) string {
	words := strings.Split(code, "_")
	for i, w := range words {
		if !isRuleAcronym(w) {
			words[i] = strings.ToLower(w)
		}
	}
	text := strings.Join(words, " ")
	if text == "" {
		return code
	}
	return strings.ToUpper(text[:1]) + text[1:]
}

// isRuleAcronym says whether a word of a finding code stays in capitals.
func isRuleAcronym(w string) bool {
	switch w {
	case "ECS", "ENI", "SG", "ACL", "IGW", "ALB", "NLB", "ELB", "ELBV2", "TG", "AZ", "IP", "IPV4", "IPV6", "DNS", "NAT",
		"VPC", "PCX", "TGW", "RTB", "CIDR", "HTTP", "HTTPS", "ECR", "SSM", "IAM", "S3", "KMS", "TLS", "EC2", "BPA", "CFN",
		"API", "ARN", "AMI", "EIP", "ICMP", "TCP", "UDP", "GRPC", "ASG", "RDS", "EFS":
		return true
	}
	return false
}

type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		// Properties say a snapshot SOURCE's age (snapshot.takenAt,
		// snapshot.ageSeconds, snapshot.stale, snapshot.note).
		Properties *junitProperties `xml:"properties,omitempty"`
		Cases      []junitCase      `xml:"testcase"`
	}
	junitProperties struct {
		Property []junitProperty `xml:"property"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		ClassName string        `xml:"classname,attr"`
		File      string        `xml:"file,attr,omitempty"`
		Line      int           `xml:"line,attr,omitempty"`
		Failure   *junitProblem `xml:"failure,omitempty"`
		Error     *junitProblem `xml:"error,omitempty"`
		Skipped   *junitSkipped `xml:"skipped,omitempty"`
	}
	// junitSkipped is a warning-level finding, which passes without
	// --strict: its message says what it is and why it was skipped, as
	// test reporters show a skipped case's reason.
	junitSkipped struct {
		Message string `xml:"message,attr,omitempty"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

// writeJUnit prints the reports as JUnit XML: a suite per SOURCE, a case
// per expectation (failed when the verdict differs) and per finding
// (failed when it fails the check: errors, or warnings with --strict).
func writeJUnit(w io.Writer, reports []checkReport, strict bool) error {
	out := junitSuites{Name: "ecsnet check"}
	for _, r := range reports {
		s := junitSuite{Name: r.Source}
		if a := r.Snapshot; a != nil {
			s.Properties = &junitProperties{}
			add := func(name, value string) {
				s.Properties.Property = append(s.Properties.Property, junitProperty{Name: "snapshot." + name, Value: value})
			}
			if a.TakenAt != "" {
				add("takenAt", a.TakenAt)
			}
			if a.AgeSeconds != nil {
				add("ageSeconds", strconv.FormatInt(*a.AgeSeconds, 10))
			}
			add("stale", strconv.FormatBool(a.Stale))
			add("note", a.Note)
		}
		if r.Error != "" {
			file, line := sourceErrorAt(r.Source, r.Error)
			s.Cases = append(s.Cases, junitCase{Name: "load " + r.Source, ClassName: r.Source, File: file, Line: line,
				Error: &junitProblem{Message: r.Error, Type: "ECSNET_SOURCE_ERROR", Text: r.Error}})
			s.Errors++
		}
		for _, x := range r.Expectations {
			c := junitCase{Name: fmt.Sprintf("%s → %s is %s", x.From, x.To, x.Want), ClassName: r.Source + ".expect", File: r.Source, Line: x.Line}
			if !x.OK {
				msg := fmt.Sprintf("expected %s, got %s", x.Want, x.Got)
				text := x.Summary
				if x.Error != "" {
					msg, text = x.Error, x.Error
				}
				for _, f := range x.Fixes {
					text += fmt.Sprintf("\nfix %d: %s (verified: %s → %s %s)", f.Rank, f.Title, f.Verification.From, f.Verification.To, f.Verification.Verdict)
				}
				c.Failure = &junitProblem{Message: msg, Type: expectationRule, Text: text}
				s.Failures++
			}
			s.Cases = append(s.Cases, c)
		}
		for _, f := range r.Findings {
			c := junitCase{Name: f.Code + " " + f.Resource.Label(), ClassName: r.Source + ".lint", File: f.File, Line: f.Line}
			if f.Expected {
				c.Name += " (expected)" // passes, as in check's text and exit code
			} else if failsCheck(f.Finding, strict) {
				text := f.Message
				if f.Fix != "" {
					text += "\nfix: " + f.Fix
				}
				text += "\nhelp: " + helpURI(f.Code) // what the code means, as SARIF's helpUri
				c.Failure = &junitProblem{Message: f.Message, Type: f.Code, Text: text}
				s.Failures++
			} else {
				c.Skipped = &junitSkipped{Message: "warning, which fails the check only with --strict: " + f.Message}
			}
			s.Cases = append(s.Cases, c)
		}
		sort.SliceStable(s.Cases, func(i, j int) bool { return s.Cases[i].Failure != nil && s.Cases[j].Failure == nil })
		s.Tests = len(s.Cases)
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Suites = append(out.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// GitHub Actions annotations: workflow commands on stdout, which the
// runner turns into annotations on the pull request's files
// (https://docs.github.com/actions/reference/workflow-commands-for-github-actions).
// ::error marks exactly what fails the check (and the exit code, and
// SARIF's unsuppressed error results, and JUnit's failures and errors);
// ::warning a warning-level finding without --strict, or a warning about
// the SOURCE; ::notice an info-level finding, or one the SOURCE expects.

// githubData escapes a workflow command's message as the Actions toolkit
// does (escapeData in @actions/core's command.ts): %, CR and LF.
func githubData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// githubProperty escapes a property's value (file=, title=): as a
// message, and also the delimiters of properties, : and , (escapeProperty).
func githubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// githubFile is the path an annotation names: relative to the workspace,
// as GitHub matches it against the repository's files, when ecsnet was
// given an absolute path inside $GITHUB_WORKSPACE.
func githubFile(file string) string {
	if ws := os.Getenv("GITHUB_WORKSPACE"); ws != "" && filepath.IsAbs(file) {
		if rel, err := filepath.Rel(ws, file); err == nil && !strings.HasPrefix(rel, "..") {
			file = rel
		}
	}
	return filepath.ToSlash(file)
}

// githubCommand formats one annotation: ::error file=F,line=L,title=T::MESSAGE.
func githubCommand(kind, file string, line int, title, msg string) string {
	var props []string
	if file != "" {
		props = append(props, "file="+githubProperty(githubFile(file)))
		if line > 0 {
			props = append(props, "line="+strconv.Itoa(line))
		}
	}
	if title != "" {
		props = append(props, "title="+githubProperty(title))
	}
	cmd := "::" + kind
	if len(props) > 0 {
		cmd += " " + strings.Join(props, ",")
	}
	return cmd + "::" + githubData(msg)
}

// writeGitHub prints the reports as GitHub Actions annotations, one a
// line, then the check's verdict in words.
func writeGitHub(w io.Writer, reports []checkReport, strict bool, code int) error {
	var lines []string
	for _, r := range reports {
		if r.Error != "" {
			for _, e := range sourceErrors(r) {
				lines = append(lines, githubCommand("error", e.File, e.Line, "ECSNET_SOURCE_ERROR: "+r.Source+" could not be read", e.Msg))
			}
			continue
		}
		for _, x := range r.Expectations {
			if x.OK {
				continue
			}
			title := fmt.Sprintf("%s: %s → %s expects %s, got %s", expectationRule, x.From, x.To, x.Want, x.Got)
			if x.Got == "" {
				title = fmt.Sprintf("%s: %s → %s was not probed", expectationRule, x.From, x.To)
			}
			msg := x.Summary
			if x.Error != "" {
				msg = x.Error
			}
			for _, f := range x.Fixes {
				msg += fmt.Sprintf("\nfix %d: %s (verified: %s → %s %s)", f.Rank, f.Title, f.Verification.From, f.Verification.To, f.Verification.Verdict)
			}
			lines = append(lines, githubCommand("error", r.Source, x.Line, title, msg))
		}
		for _, f := range r.Findings {
			kind := "notice"
			title := fmt.Sprintf("%s: %s %s", f.Code, f.Severity, f.Resource.Label())
			switch {
			case f.Expected:
				title += " (expected)"
			case failsCheck(f.Finding, strict):
				kind = "error"
			case f.Severity == reach.SeverityWarning:
				kind = "warning"
			}
			msg := f.Message
			if f.Fix != "" {
				msg += "\nfix: " + f.Fix
			}
			for _, fx := range f.Fixes {
				msg += fmt.Sprintf("\nfix %d: %s (verified: %s → %s)", fx.Rank, fx.Title, fx.Verification.From, fx.Verification.To)
			}
			lines = append(lines, githubCommand(kind, f.File, f.Line, title, msg))
		}
		if a := r.Snapshot; a != nil {
			lines = append(lines, githubCommand("notice", r.Source, 0, "ecsnet: the snapshot's age", a.Note))
		}
		for _, warn := range r.Warnings {
			// At the file and line the warning names, when it names one
			// ("a.yaml:136: Service (AWS::ECS::Service): 0 of 2 tasks
			// running"), as a SOURCE's errors are.
			file, line := sourceErrorAt(r.Source, warn)
			if info, err := os.Stat(file); err == nil && info.IsDir() {
				file = "" // a folder (a Terraform configuration) is no file GitHub can annotate
			}
			kind := "warning"
			if strings.Contains(warn, packetNeutral) {
				// Resources of types that do not shape the network: a
				// notice, so that it takes none of the step's ten warnings.
				kind = "notice"
			}
			lines = append(lines, githubCommand(kind, file, line, "ecsnet: a warning about "+r.Source, warn))
		}
	}
	verdict := "ok"
	if code != ExitOK {
		verdict = "FAILED"
	}
	lines = append(lines, "ecsnet check: "+verdict+": "+checkTally(reports, strict))
	_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
	return err
}
