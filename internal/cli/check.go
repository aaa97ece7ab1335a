package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// checkOptions are ecsnet check's flags.
type checkOptions struct {
	Sources []string
	Output  string
	Strict  bool // warnings fail too
	// Accept are finding codes that pass wherever they are found
	// (--accept), as a scenario's known_findings.
	Accept      listFlag
	SourceFlags sourceFlags
}

func runCheck(stdio IO, args []string) int {
	fs := newFlags(stdio, "check", "check SOURCE... [--output text|json|sarif|junit|github] [--strict] [flags]")
	var o checkOptions
	fs.outputFlag(&o.Output, "text", "json", "sarif", "junit", "github")
	fs.BoolVar(&o.Strict, "strict", false, "fail on warning-level findings too")
	fs.Var(&o.Accept, "accept", "a finding code that does not fail the check wherever it is found (repeatable; for one resource, an "+ignoreMarker+" comment above it)")
	o.SourceFlags.add(fs.FlagSet)
	pos, ferr := fs.parse(args)
	if ferr != nil {
		return flagExit(ferr)
	}
	if len(pos) == 0 {
		return failAs(stdio, o.Output, errNoSource)
	}
	for _, p := range pos {
		// A folder of scenario files or templates is each of them.
		if files := folderFiles(p); len(files) > 0 {
			o.Sources = append(o.Sources, files...)
		} else {
			o.Sources = append(o.Sources, p)
		}
	}
	return check(stdio, o)
}

// expectationResult is one expect: entry and what the analyzer answered.
type expectationResult struct {
	// badName: the entry names what the system lacks (a typo), so it
	// was not probed: bad input, exit 2, as an unknown name is for probe.
	badName  bool
	From     string `json:"from"`
	To       string `json:"to"`
	Protocol string `json:"protocol"`
	Line     int    `json:"line"`
	Want     string `json:"want"`
	Cause    string `json:"cause,omitempty"`
	// DecidedBy and Rule are the deciding resource and rule the entry
	// expects; Fix part of the title of a fix that must be verified.
	DecidedBy string        `json:"decidedBy,omitempty"`
	Rule      string        `json:"rule,omitempty"`
	Fix       string        `json:"fix,omitempty"`
	Got       reach.Verdict `json:"got"`
	OK        bool          `json:"ok"`
	Summary   string        `json:"summary"`
	Error     string        `json:"error,omitempty"`
	// Fixes are the changes that give the expected verdict, each verified
	// on a copy of the system, when a probe expected to reach does not.
	Fixes []fix.Fix `json:"fixes,omitempty"`
}

// checkReport is one SOURCE's result.
type checkReport struct {
	Source       string              `json:"source"`
	Error        string              `json:"error,omitempty"`
	Expectations []expectationResult `json:"expectations"`
	// Expected are the codes of findings the source expects.
	Expected []string        `json:"expectedFindings,omitempty"`
	Findings []findingReport `json:"findings"`
	OK       bool            `json:"ok"`
	// Warnings are the source's: what could change a verdict, said
	// plainly (template resources not modelled, guessed values, …).
	Warnings []string `json:"warnings,omitempty"`
	// Snapshot is a snapshot SOURCE's age.
	Snapshot *snapshotAge `json:"snapshot,omitempty"`
	// labels names the instances of a Terraform configuration's groups
	// without a name by the groups' addresses (labels.go).
	labels *strings.Replacer
}

// findingReport is a lint finding with where the SOURCE defines the
// resource it is about.
type findingReport struct {
	reach.Finding
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// Expected: the SOURCE expects this finding, so it does not fail the
	// check (known_findings, an expect: entry's cause, an ecsnet:ignore
	// comment, --accept).
	Expected bool `json:"expected,omitempty"`
	// Fixes are the verified fixes of a scheduled task's finding (an
	// EventBridge rule's target).
	Fixes []fix.Fix `json:"fixes,omitempty"`
}

func check(stdio IO, o checkOptions) int {
	code := ExitOK
	var reports []checkReport
	perSource, err := sourceStackNames(o.Sources, o.SourceFlags.StackNames)
	if err != nil {
		return failAs(stdio, o.Output, err)
	}
	for i, path := range o.Sources {
		oi := o
		if perSource != nil {
			oi.SourceFlags.StackNames = perSource[i]
		}
		r := checkOne(path, oi)
		if r.Error != "" || slices.ContainsFunc(r.Expectations, func(x expectationResult) bool { return x.badName }) {
			code = ExitBadInput
		} else if !r.OK && code == ExitOK {
			code = ExitFailed
		}
		reports = append(reports, r)
	}
	if o.Output != "json" {
		for i := range reports {
			reports[i].relabel()
		}
	}
	switch o.Output {
	case "json":
		doc := struct {
			OK      bool          `json:"ok"`
			Sources []checkReport `json:"sources"`
		}{code == ExitOK, reports}
		if err := writeDoc(stdio.Out, "check", doc); err != nil {
			return fail(stdio, err)
		}
		return code
	case "sarif":
		if err := writeSARIF(stdio.Out, reports); err != nil {
			return fail(stdio, err)
		}
		return code
	case "junit":
		if err := writeJUnit(stdio.Out, reports, o.Strict); err != nil {
			return fail(stdio, err)
		}
		return code
	case "github":
		if err := writeGitHub(stdio.Out, reports, o.Strict, code); err != nil {
			return fail(stdio, err)
		}
		return code
	}
	for _, r := range reports {
		fmt.Fprintln(stdio.Out, stdio.paint("bold", r.Source))
		if r.Snapshot != nil {
			fmt.Fprintf(stdio.Out, "  %s\n", stdio.paint("dim", r.Snapshot.Note))
		}
		if r.Error != "" {
			// A Terraform configuration's errors, one a line, aligned.
			fmt.Fprintf(stdio.Out, "  %s %s\n", stdio.paint("red", "error:"), strings.ReplaceAll(r.Error, "\n", "\n         "))
			continue
		}
		for _, w := range r.Warnings {
			fmt.Fprintf(stdio.Out, "  %s %s\n", stdio.paint("yellow", "warning:"), w)
		}
		for _, x := range r.Expectations {
			mark := stdio.paint("green", "✓")
			if !x.OK {
				mark = stdio.paint("red", "✗")
			}
			got := string(x.Got)
			if got == "" {
				got = "not probed" // the entry names what the system lacks: its error follows
			}
			line := fmt.Sprintf("  %s %s → %s: %s", mark, x.From, x.To, got)
			if x.From == "build" {
				line = fmt.Sprintf("  %s AWS refuses the system (%s)", mark, strings.TrimPrefix(x.Want, "error "))
				if x.OK {
					line += ":\n" + wrap(x.Summary, 100, "    ")
				}
			}
			if x.Cause != "" {
				line += " (" + x.Cause + ")"
			}
			if x.DecidedBy != "" {
				line += " at " + x.DecidedBy
				if x.Rule != "" {
					line += " " + x.Rule
				}
			}
			if !x.OK && string(x.Got) != x.Want {
				line += fmt.Sprintf(" (line %d expects %s)", x.Line, x.Want)
			}
			fmt.Fprintln(stdio.Out, line)
			if x.Error != "" {
				fmt.Fprintf(stdio.Out, "    %s\n", x.Error)
			} else if !x.OK {
				fmt.Fprintln(stdio.Out, wrap(x.Summary, 100, "    "))
			}
			for _, f := range x.Fixes {
				fmt.Fprintln(stdio.Out, wrap(fmt.Sprintf("fix %d: %s (verified: %s → %s %s)", f.Rank, f.Title,
					f.Verification.From, f.Verification.To, f.Verification.Verdict), 100, "    "))
			}
		}
		for _, f := range r.Findings {
			sev := string(f.Severity)
			color := map[string]string{"error": "red", "warning": "yellow"}[sev]
			if f.Expected {
				sev, color = "expected "+sev, "green"
			}
			at := ""
			if f.File != "" && f.Line > 0 {
				// Where the SOURCE defines the resource, as SARIF and the
				// annotations say it: FILE:LINE, which editors open.
				at = fmt.Sprintf(" (%s:%d)", f.File, f.Line)
			}
			fmt.Fprintf(stdio.Out, "  %s %s %s%s\n", stdio.paint(color, sev+":"), f.Code, f.Resource.Label(), at)
			fmt.Fprintln(stdio.Out, wrap(f.Message, 100, "    "))
			if f.Fix != "" {
				fmt.Fprintln(stdio.Out, wrap("fix: "+f.Fix, 100, "    "))
			}
			for _, fx := range f.Fixes {
				fmt.Fprintln(stdio.Out, wrap(fmt.Sprintf("fix %d: %s (verified: %s → %s)", fx.Rank, fx.Title,
					fx.Verification.From, fx.Verification.To), 100, "    "))
			}
		}
	}
	verdict := stdio.paint("green", "ok")
	if code != ExitOK {
		verdict = stdio.paint("red", "FAILED")
	}
	fmt.Fprintf(stdio.Out, "\n%s: %s\n", verdict, checkTally(reports, o.Strict))
	return code
}

// checkTally is what the check's verdict rests on, in words: the
// expectations that hold and fail, the findings that fail the check and
// the sources with errors.
func checkTally(reports []checkReport, strict bool) string {
	held, failed, findings, errs, warnings := 0, 0, 0, 0, 0
	for _, r := range reports {
		if r.Error != "" {
			errs++
			continue
		}
		for _, x := range r.Expectations {
			if x.OK {
				held++
			} else {
				failed++
			}
		}
		for _, f := range r.Findings {
			switch {
			case f.Expected:
			case failsCheck(f.Finding, strict):
				findings++
			case failsCheck(f.Finding, true):
				warnings++
			}
		}
	}
	tally := fmt.Sprintf("%s, %d fail, %s the check, %s",
		counted(held, "expectation holds", "expectations hold"), failed,
		counted(findings, "finding fails", "findings fail"),
		counted(errs, "source with errors", "sources with errors"))
	if warnings > 0 {
		// The warnings printed above pass; say so, and how to make them
		// fail, so that a clean "ok" is not read as "nothing found".
		tally += "; " + counted(warnings, "warning-level finding passes", "warning-level findings pass") + " (--strict fails them)"
	}
	return tally
}

// counted is n and the singular or plural words that follow it: "1
// source with errors", "2 sources with errors".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// checkOne validates, lints and asserts one SOURCE.
func checkOne(path string, o checkOptions) checkReport {
	r := checkReport{Source: path, Expectations: []expectationResult{}, Findings: []findingReport{}}
	s, err := openSource(path, o.SourceFlags)
	refusal := "" // the error a scenario file expects its build to fail with (expect_error:)
	if be := (*buildError)(nil); errors.As(err, &be) {
		refusal = be.expect
	} else if err == nil && s.Scenario != nil {
		refusal = s.Scenario.ExpectError
	}
	if err != nil && refusal != "" {
		// The file's failure is AWS refusing a request: the build must
		// fail with that error.
		er := expectationResult{From: "build", To: path, Want: "error " + refusal, Got: "refused", Summary: err.Error(), OK: strings.Contains(err.Error(), refusal)}
		if !er.OK {
			er.Error = fmt.Sprintf("%s: expects AWS to refuse with %q; it refuses with: %v", path, refusal, err)
		}
		r.OK = er.OK
		r.Expectations = append(r.Expectations, er)
		return r
	}
	if err == nil && refusal != "" {
		r.Expectations = append(r.Expectations, expectationResult{From: "build", To: path, Want: "error " + refusal, Got: "built",
			Error: fmt.Sprintf("%s: expects AWS to refuse with %q; every request was accepted", path, refusal)})
		return r
	}
	if err != nil {
		r.Error = err.Error()
		var ce *cfn.Error
		if errors.As(err, &ce) && ce.MissingExport != "" && len(o.Sources) > 1 {
			// The templates of the system, when the others say which;
			// else the way to join them, not every file given (a folder's
			// unrelated templates).
			how := "join the templates of one system with commas (network.yaml,service.yaml)"
			if system, names := exportersOf(path, o.Sources); len(system) > 1 {
				how = "join the templates of one system with commas: ecsnet check " + strings.Join(system, ",")
				for _, n := range names {
					how += " --stack-name " + n
				}
			}
			r.Error += " (check reads each template as its own SOURCE: " + how + ")"
		}
		return r
	}
	// -q: no warnings about the SOURCE, in every output format, as the
	// other commands (the ignore comments' own warnings stay: they are
	// about the check's input, not the system).
	if !o.SourceFlags.Quiet {
		r.Warnings = s.Warnings
	}
	r.Snapshot = s.Snapshot
	r.labels = s.labels()
	if o.SourceFlags.Verbose {
		r.Warnings = append(r.Warnings, s.Details...)
	}
	st, _ := s.Engine.Snapshot()
	n := reach.Compile(st)
	r.OK = true
	var expects []scenario.Expectation
	if s.Scenario != nil {
		expects = s.Scenario.Expect
	}
	expected := map[string]bool{}
	for _, c := range o.Accept {
		expected[c] = true
	}
	if s.Scenario != nil {
		for _, c := range s.Scenario.KnownFindings {
			expected[c] = true
		}
	}
	for _, x := range expects {
		er := expectationResult{From: x.From, To: x.To, Protocol: x.Protocol, Line: x.Line, Want: x.Verdict, Cause: x.Cause,
			DecidedBy: x.DecidedBy, Rule: x.Rule, Fix: x.Fix}
		q, err := reach.NewQuery(n, x.From, x.To, x.Protocol)
		if err != nil {
			er.Error = fmt.Sprintf("%s:%d: %v", path, x.Line, err)
			er.badName = true
			r.OK = false
			r.Expectations = append(r.Expectations, er)
			continue
		}
		q.HTTPPath, q.HTTPHost, q.HTTPMethod, q.HTTPHeaders = x.Path, x.Host, x.Method, x.Header
		q.HTTPVersion, _ = reach.ParseHTTPVersion(x.HTTPVersion)
		q.PlainHTTP = x.PlainHTTP
		q.IPv6 = x.IPv6
		res := reach.Probe(n, q)
		er.Got, er.Summary = res.Verdict, res.Summary
		er.OK = string(res.Verdict) == er.Want
		if x.Cause != "" {
			expected[x.Cause] = true
			if !res.HasCode(x.Cause) {
				er.OK = false
				er.Error = fmt.Sprintf("%s:%d: expects the cause %s; the probe reports %s", path, x.Line, x.Cause, codeList(res))
			}
		}
		if er.Error == "" && x.DecidedBy != "" && !res.DecidedBy(x.DecidedBy, x.Cause) {
			er.OK = false
			er.Error = fmt.Sprintf("%s:%d: expects %s to decide the verdict; the probe reports %s", path, x.Line, x.DecidedBy, decidingList(res, x.Cause))
		}
		if er.Error == "" && x.Rule != "" && !res.DecidedByRule(x.Rule, x.Cause) {
			er.OK = false
			er.Error = fmt.Sprintf("%s:%d: expects the rule %s to decide the verdict; the probe reports %s", path, x.Line, x.Rule, decidingList(res, x.Cause))
		}
		request := fix.Options{Request: func(q *reach.Query) {
			q.HTTPPath, q.HTTPHost, q.HTTPMethod, q.HTTPHeaders = x.Path, x.Host, x.Method, x.Header
			q.HTTPVersion, _ = reach.ParseHTTPVersion(x.HTTPVersion)
			q.PlainHTTP = x.PlainHTTP
			q.IPv6 = x.IPv6
		}}
		if er.Error == "" && x.Fix != "" {
			// The file names the fix: it must be found and verified on a
			// copy of the system.
			fixes, _, err := fix.Find(s.Engine, x.From, x.To, x.Protocol, request)
			var titles []string
			for _, f := range fixes {
				if strings.Contains(f.Title, x.Fix) && f.Verification.Verdict != "" {
					er.Fixes = []fix.Fix{f}
					break
				}
				titles = append(titles, strconv.Quote(f.Title))
			}
			if len(er.Fixes) == 0 {
				er.OK = false
				if err != nil {
					titles = []string{err.Error()}
				} else if len(titles) == 0 {
					titles = []string{"none"}
				}
				er.Error = fmt.Sprintf("%s:%d: expects a verified fix %q; the analyzer finds %s", path, x.Line, x.Fix, strings.Join(titles, ", "))
			}
		}
		if !er.OK && er.Error == "" && reach.Verdict(er.Want).Reachable() && !res.Verdict.Reachable() {
			// Suggest what would make it reach, each fix verified.
			if fixes, _, err := fix.Find(s.Engine, x.From, x.To, x.Protocol, request); err == nil {
				er.Fixes = fixes
			}
		}
		r.OK = r.OK && er.OK
		r.Expectations = append(r.Expectations, er)
	}
	ignores := readIgnoreComments(s.sourceFiles())
	for _, f := range reach.Lint(n) {
		at := s.where(f.Resource)
		fr := findingReport{Finding: f, File: at.File, Line: at.Line}
		// The comment first, so that one --accept or known_findings also covers
		// is marked used, not reported as accepting nothing.
		fr.Expected = ignores.accepts(at, f.Code) || expected[f.Code]
		if f.Resource != nil && f.Resource.Type == "events-rule" {
			fr.Fixes, _ = fix.ScheduledRule(s.Engine, f.Resource.Name)
		}
		r.Findings = append(r.Findings, fr)
		if fr.Expected {
			// The file expects this failure (an expect: entry names it as
			// its cause, known_findings lists it, an ecsnet:ignore comment
			// above its resource, or --accept).
			if !slices.Contains(r.Expected, f.Code) {
				r.Expected = append(r.Expected, f.Code)
			}
			continue
		}
		if failsCheck(f, o.Strict) {
			r.OK = false
		}
	}
	r.Warnings = append(r.Warnings, ignores.unused()...)
	return r
}

// failsCheck reports whether a finding the file does not expect fails the
// check: an error, or with --strict a warning too.
func failsCheck(f reach.Finding, strict bool) bool {
	return f.Severity == reach.SeverityError || (strict && f.Severity == reach.SeverityWarning)
}

// codeList names a result's explanation codes.
func codeList(res *reach.Result) string {
	var codes []string
	for _, e := range res.Explanations {
		codes = append(codes, e.Code)
	}
	if len(codes) == 0 {
		return "none"
	}
	return strings.Join(codes, ", ")
}

// decidingList names what decided a probe's verdict: each deciding
// explanation's code and components, and its rule.
func decidingList(res *reach.Result, code string) string {
	var out []string
	for _, e := range res.Deciding(code) {
		var names []string
		for _, c := range append([]*reach.Component{e.Component, e.Decided, e.NetworkInterface}, e.SecurityGroups...) {
			if c != nil && !slices.Contains(names, c.Label()) {
				names = append(names, c.Label())
			}
		}
		s := e.Code + " (" + strings.Join(names, ", ")
		switch {
		case e.ACLRule != nil:
			s += "; rule " + strconv.Itoa(e.ACLRule.RuleNumber)
		case e.Route != nil && e.Route.DestinationCIDR.IsValid():
			s += "; route " + e.Route.DestinationCIDR.String()
		case e.Direction != "":
			s += "; " + e.Direction
		}
		out = append(out, s+")")
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

// sourceStackNames gives each of several SOURCEs its --stack-name values,
// as each SOURCE is its own system: FILE=NAME to the SOURCE that reads
// FILE; one plain name to every SOURCE; several plain names in order to
// the templates of the SOURCEs, one each. Nil for one SOURCE, which takes
// the values as given.
func sourceStackNames(sources, given []string) ([][]string, error) {
	plain := 0
	for _, g := range given {
		if !strings.Contains(g, "=") {
			plain++
		}
	}
	if len(sources) < 2 || len(given) == 0 {
		return nil, nil
	}
	out := make([][]string, len(sources))
	files := make([][]string, len(sources))
	templates := 0
	for i, src := range sources {
		for _, f := range splitSourceList(src) {
			if data, err := readSourceFile(f); err == nil && cfn.IsTemplate(data) {
				files[i] = append(files[i], f)
				templates++
			}
		}
	}
	if plain > 1 && plain != templates {
		return nil, fmt.Errorf("%d --stack-name values for %d templates (check reads each argument as its own SOURCE; the names go to the templates in order, or give FILE=NAME)", plain, templates)
	}
	k := 0 // the plain names given so far
	for _, g := range given {
		file, _, named := strings.Cut(g, "=")
		found := false
		t := 0 // the templates passed so far
		for i := range sources {
			for _, f := range files[i] {
				switch {
				case named && namesFile(f, file):
					out[i], found = append(out[i], g), true
				case !named && plain == 1 && f == files[i][0]:
					out[i], found = append(out[i], g), true // one name: each SOURCE's stack
				case !named && plain > 1 && t == k:
					out[i], found = append(out[i], f+"="+g), true
				}
				t++
			}
		}
		if !named {
			k++
		}
		if !found {
			return nil, fmt.Errorf("--stack-name %s: %s is not one of the templates given", g, file)
		}
	}
	return out, nil
}

// exportersOf returns the templates among sources that path's stack
// needs, with path last: those that export what it imports, and what they
// import in turn, each stack named after its file, as when joined. A
// template that exports an import's name under its own stack name
// (public-vpc:VPCId for production:VPCId) is one of them, deployed as
// the import's stack: names holds its --stack-name FILE=NAME.
func exportersOf(path string, sources []string) (out, names []string) {
	tpls := map[string]*cfn.Template{}
	for _, p := range sources {
		if strings.Contains(p, ",") {
			continue
		}
		data, err := readSourceFile(p)
		if err != nil || !cfn.IsTemplate(data) {
			continue
		}
		if t, err := cfn.ParseTemplate(p, data); err == nil {
			tpls[p] = t
		}
	}
	if tpls[path] == nil {
		return nil, nil
	}
	exporter := map[string]string{}
	for _, p := range sources {
		if t := tpls[p]; t != nil {
			for _, e := range t.ExportNames("") {
				if _, dup := exporter[e]; !dup {
					exporter[e] = p
				}
			}
		}
	}
	// byOwnName finds the template that exports an import under its own
	// stack name: the same name after the stack's ("-VpcId", ":VPCId").
	byOwnName := func(i string) (string, bool) {
		cut := strings.IndexAny(i, ":-")
		if cut <= 0 {
			return "", false
		}
		for _, p := range sources {
			if t := tpls[p]; t != nil {
				for _, e := range t.ExportNames("") {
					if len(e) > len(i)-cut && strings.HasSuffix(e, i[cut:]) {
						return p, true
					}
				}
			}
		}
		return "", false
	}
	seen := map[string]bool{}
	var visit func(p string)
	visit = func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		for _, i := range tpls[p].ImportNames("") {
			if q, ok := exporter[i]; ok && q != p {
				visit(q)
			} else if q, ok := byOwnName(i); ok && q != p && !seen[q] {
				names = append(names, filepath.Base(q)+"="+i[:strings.IndexAny(i, ":-")])
				visit(q)
			}
		}
		out = append(out, p) // after what it imports from
	}
	visit(path)
	return out, names
}
