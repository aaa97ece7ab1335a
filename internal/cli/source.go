package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/collect"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/snapshot"
	"github.com/ecsnet/ecsnet/internal/suggest"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// source is a loaded SOURCE: a system in an engine, and the scenario it
// came from (nil for sources that are not scenario files).
type source struct {
	Path     string
	Name     string
	Engine   *engine.Engine
	Scenario *scenario.Scenario
	Failures []scenario.PlacementFailure
	// Warnings are said on every run; Details only with -v.
	Warnings []string
	Details  []string
	// Stacks are the CloudFormation stacks deployed (template sources).
	Stacks *cfn.Result
	// Exports are the CloudFormation exports of a system read from an
	// endpoint (an ecsnet serve URL), for templates deployed on it.
	Exports map[string]string
	// Aliases maps names the source gives resources (Terraform addresses)
	// to names the analyzer resolves (ids, ARNs).
	Aliases map[string]string
	// Terraform is the configuration applied (Terraform sources).
	Terraform *terraform.Result
	// locations maps resource ids, ARNs and names to where the SOURCE
	// defines them (templates, Terraform files, scenario files).
	locations map[string]location
	// undecided, for snapshots, returns why a probe's verdict cannot be
	// trusted: the facts about its path the snapshot lacks.
	undecided func(*reach.Result) []string
	// Snapshot is a snapshot SOURCE's age (nil for other SOURCEs), set by
	// openSource from takenAt and takenBy, the collector's manifest's.
	Snapshot *snapshotAge
	snapshot bool
	takenAt  time.Time
	takenBy  string
}

// sourceFlags are the flags every command reading a SOURCE takes.
type sourceFlags struct {
	Params     paramFlag
	ParamFiles listFlag
	Imports    paramFlag
	StackNames listFlag
	SSM        paramFlag
	Base       string
	Region     string
	Verbose    bool
	Quiet      bool
	// MaxAge is how old a snapshot SOURCE may be before a warning.
	MaxAge ageFlag
}

func (f *sourceFlags) add(fs *flag.FlagSet) {
	fs.Var(&f.Params, "param", "a CloudFormation parameter or Terraform variable, Key=Value; Stack/Key=Value for one of several templates (repeatable)")
	fs.Var(&f.ParamFiles, "parameters", "a parameter file: the CloudFormation CLI's JSON list, Key=Value lines or a JSON list of them, {\"Parameters\": {...}}, or a Terraform .tfvars (repeatable)")
	fs.Var(&f.Imports, "import", "an export of a stack not given, Name=Value, for Fn::ImportValue (repeatable)")
	fs.Var(&f.StackNames, "stack-name", "the stack name (AWS::StackName); for several templates repeat it in their order, or give FILE=NAME")
	fs.Var(&f.SSM, "ssm", "a Parameter Store value for AWS::SSM::Parameter::Value<…> parameters, /name=value (repeatable)")
	fs.StringVar(&f.Base, "base", "", "deploy the templates into this system: a snapshot folder, a scenario, a template, or an ecsnet serve URL")
	fs.StringVar(&f.Region, "region", "", "the region of a multi-region snapshot (or of an ecsnet serve URL) to analyze, or the region templates deploy into (default us-east-1)")
	fs.BoolVar(&f.Verbose, "v", false, "verbose: every warning about the SOURCE, every resource not modelled and every detail of the import")
	fs.BoolVar(&f.Quiet, "q", false, "quiet: no warnings about the SOURCE")
	fs.Var(&f.MaxAge, "max-age", "warn when a snapshot SOURCE is older than this: days (7d) or a duration (36h); 0 never warns")
}

// Undecided returns why r cannot be trusted (empty when it can).
func (s *source) Undecided(r *reach.Result) []string {
	if s.undecided == nil {
		return nil
	}
	return s.undecided(r)
}

// templateOnly reports the flags that apply to templates only, when set.
func (f sourceFlags) templateOnly() string {
	switch {
	case len(f.Params) > 0:
		return "--param"
	case len(f.ParamFiles) > 0:
		return "--parameters"
	case len(f.Imports) > 0:
		return "--import"
	case len(f.StackNames) > 0:
		return "--stack-name"
	case len(f.SSM) > 0:
		return "--ssm"
	case f.Base != "":
		return "--base"
	}
	return ""
}

// splitSourceList splits a SOURCE at its commas, and expands a shell's
// brace list the shell left as it was (sh has none):
// stacks/{network,cluster}.yaml is stacks/network.yaml and
// stacks/cluster.yaml.
func splitSourceList(spec string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range spec {
		switch {
		case c == '{':
			depth++
		case c == '}' && depth > 0:
			depth--
		case c == ',' && depth == 0:
			out = append(out, expandBraces(spec[start:i])...)
			start = i + 1
		}
	}
	return append(out, expandBraces(spec[start:])...)
}

// expandBraces expands the first {a,b,…} of s, and the rest recursively.
func expandBraces(s string) []string {
	open := strings.IndexByte(s, '{')
	if open < 0 {
		return []string{s}
	}
	end := strings.IndexByte(s[open:], '}')
	if end < 0 || !strings.Contains(s[open:open+end], ",") {
		return []string{s}
	}
	end += open
	var out []string
	for _, alt := range strings.Split(s[open+1:end], ",") {
		out = append(out, expandBraces(s[:open]+alt+s[end+1:])...)
	}
	return out
}

// sourceParts splits a SOURCE into its parts: several templates are
// joined with commas (net.yaml,cluster.yaml), and a part may be a glob
// pattern (stacks/*.yaml).
func sourceParts(spec string) ([]string, error) {
	if _, err := os.Stat(spec); err == nil || strings.HasPrefix(spec, "http://") || strings.HasPrefix(spec, "https://") {
		return []string{spec}, nil // a path with a comma in it, or a URL
	}
	var out []string
	for _, p := range splitSourceList(spec) {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err != nil && strings.ContainsAny(p, "*?[") {
			m, gerr := filepath.Glob(p)
			if gerr != nil {
				return nil, fmt.Errorf("%s: %v", p, gerr)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("%s: no file matches", p)
			}
			out = append(out, m...)
			continue
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, errNoSource
	}
	return out, nil
}

// openSource loads a SOURCE: a folder is an AWS snapshot (aws_configs/
// <region>/*.json, or describe-* JSON files), a file holding a
// CloudFormation template is deployed as a stack (several templates, joined
// with commas, as several stacks of one system), any other file is a
// scenario. Tasks start only if they can reach their image registry: the
// analyzer decides (reach.StartCheck).
func openSource(spec string, sf sourceFlags, opts ...engine.Option) (*source, error) {
	opts = append([]engine.Option{engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck), engine.WithSignalCheck(reach.SignalCheck)}, opts...)
	parts, err := sourceParts(spec)
	if err != nil {
		return nil, err
	}
	if len(parts) == 1 && (strings.HasPrefix(parts[0], "http://") || strings.HasPrefix(parts[0], "https://")) {
		if flagName := sf.templateOnly(); flagName != "" {
			return nil, fmt.Errorf("%s applies to CloudFormation templates; %s is a running endpoint", flagName, parts[0])
		}
		return openSystem(parts[0], sf.Region, opts)
	}
	var templates []string
	var datas [][]byte
	for _, p := range parts {
		info, err := os.Stat(p)
		if err != nil {
			return nil, statError(p, err)
		}
		if info.IsDir() {
			if len(parts) > 1 {
				return nil, fmt.Errorf("%s is a snapshot folder: only templates can be joined into one SOURCE; give the snapshot with --base", p)
			}
			break
		}
		data, err := readSourceFile(p)
		if err != nil {
			return nil, err
		}
		if !cfn.IsTemplate(data) {
			if len(parts) > 1 && len(templates) == 0 {
				// probe examples/seed/*.yaml: several systems, not one.
				return nil, fmt.Errorf("%d SOURCEs given (%s, …), and %s is not a CloudFormation template: only the templates of one system can be given together; give one SOURCE, or run ecsnet check with them all to check each",
					len(parts), parts[0], p)
			}
			if len(parts) > 1 {
				return nil, fmt.Errorf("%s is not a CloudFormation template: only templates can be joined into one SOURCE; give a scenario with --base", p)
			}
			break
		}
		templates = append(templates, p)
		datas = append(datas, data)
	}
	if len(templates) > 0 {
		s, err := openTemplates(templates, datas, sf, opts)
		return s, typeTypoHint(err)
	}
	path := parts[0]
	if info, err := os.Stat(path); err == nil && info.IsDir() && terraform.IsConfigDir(path) {
		return openTerraform(path, sf, opts)
	}
	if err := terraformFileGiven(path); err != nil {
		return nil, err
	}
	if flagName := sf.templateOnly(); flagName != "" {
		return nil, fmt.Errorf("%s applies to CloudFormation templates; %s is %s", flagName, path, describePath(path))
	}
	s, err := openSystem(path, sf.Region, opts)
	if err != nil {
		return nil, err
	}
	s.dateSnapshot(sf.MaxAge.maxAge(), time.Now())
	return s, nil
}

// terraformFileGiven says what to give instead of one file of a
// Terraform configuration, which Terraform reads whole, from its root
// module's folder (a .tf file read as a scenario said "a scenario is a
// mapping of sections").
func terraformFileGiven(path string) error {
	name := strings.ToLower(filepath.Base(path))
	dir := filepath.Dir(path)
	switch {
	case strings.HasSuffix(name, ".tf"), strings.HasSuffix(name, ".tf.json"):
		return fmt.Errorf("%s is a file of a Terraform configuration, which is read whole: give its root module's folder, %s", path, dir)
	case name == "terraform.tfvars", name == "terraform.tfvars.json", strings.HasSuffix(name, ".auto.tfvars"), strings.HasSuffix(name, ".auto.tfvars.json"):
		return fmt.Errorf("%s is a Terraform variables file: give the configuration's folder, %s, whose %s is read as Terraform reads it", path, dir, filepath.Base(path))
	case strings.HasSuffix(name, ".tfvars"), strings.HasSuffix(name, ".tfvars.json"):
		return fmt.Errorf("%s is a Terraform variables file: give the configuration's folder, %s, and this file with --parameters %s", path, dir, path)
	}
	return nil
}

// folderFiles returns the SOURCEs a folder of them holds: its scenario
// files and templates (*.yaml, *.yml, *.template, and *.json templates or
// terraform show -json output), and its subfolders that are Terraform
// configurations. nil for a folder that holds other JSON or a snapshot's
// region folders (a snapshot), for a Terraform configuration,
// and for a folder without scenario files, templates or Terraform
// configurations.
func folderFiles(dir string) []string {
	if terraform.IsConfigDir(dir) {
		// A root module is one SOURCE; CloudFormation templates beside
		// its .tf files are SOURCEs of their own, which check reads too.
		if tpls := templatesBeside(dir); len(tpls) > 0 {
			return append([]string{dir}, tpls...)
		}
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var files, modules []string
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(dir, name)
		switch {
		case e.IsDir() && (name == "aws_configs" || snapshotRegion.MatchString(name)):
			return nil
		case e.IsDir():
			if terraform.IsConfigDir(path) {
				modules = append(modules, path)
			}
		case strings.EqualFold(filepath.Ext(name), ".json"):
			// A CloudFormation template or terraform show -json output
			// is a SOURCE of its own; any other JSON is a snapshot's.
			data, err := readSourceFile(path)
			if err != nil || !cfn.IsTemplate(data) && !terraform.IsShowJSON(data) {
				return nil
			}
			files = append(files, path)
		default:
			switch strings.ToLower(filepath.Ext(name)) {
			case ".yaml", ".yml", ".template":
				files = append(files, path)
			}
		}
	}
	if len(files) == 0 && len(modules) == 0 {
		return nil
	}
	return append(withoutNested(files), modules...) // os.ReadDir sorts by name
}

// unrecognizedTypes is CloudFormation's error for resource types it does
// not have, and the types.
var unrecognizedTypes = regexp.MustCompile(`Unrecognized resource types: \[([^\]]*)\]`)

// typeTypoHint adds to CloudFormation's "Unrecognized resource types"
// error the type each was probably meant to be, among those ecsnet models
// (AWS::EC2::Subnett: did you mean AWS::EC2::Subnet?).
func typeTypoHint(err error) error {
	if err == nil {
		return nil
	}
	m := unrecognizedTypes.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	var hints []string
	for _, typ := range strings.Split(m[1], ", ") {
		// Two edits at most: a typo, not a real type that is missing from
		// the region (the same error) and resembles a modelled one.
		if near, ok := suggest.Closest(typ, cfn.SupportedTypes()); ok && suggest.Distance(strings.ToLower(typ), strings.ToLower(near)) <= 2 {
			hints = append(hints, typ+": did you mean "+near+"?")
		}
	}
	if len(hints) == 0 {
		return err
	}
	return fmt.Errorf("%w (%s)", err, strings.Join(hints, "; "))
}

// templatesBeside are the CloudFormation templates in a Terraform root
// module's folder (without those another of them nests), which the
// configuration does not read.
func templatesBeside(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".yaml", ".yml", ".json", ".template":
			path := filepath.Join(dir, e.Name())
			if data, err := readSourceFile(path); !e.IsDir() && err == nil && cfn.IsTemplate(data) {
				out = append(out, path)
			}
		}
	}
	return withoutNested(out)
}

// withoutNested drops the templates that another template among files
// nests (AWS::CloudFormation::Stack with its TemplateURL): each is checked
// as part of its parent's stack, with the parameters the parent passes,
// not alone, where its parameters would have no values.
func withoutNested(files []string) []string {
	nested := map[string]bool{}
	for _, p := range files {
		data, err := readSourceFile(p)
		if err != nil || !cfn.IsTemplate(data) {
			continue
		}
		if t, err := cfn.ParseTemplate(p, data); err == nil {
			for _, n := range t.NestedFiles() {
				if abs, err := filepath.Abs(n); err == nil {
					nested[abs] = true
				}
			}
		}
	}
	return slices.DeleteFunc(files, func(p string) bool {
		abs, err := filepath.Abs(p)
		return err == nil && nested[abs]
	})
}

// sourceFolders are the subfolders of dir that hold SOURCEs (scenario
// files, templates, Terraform root modules) when dir holds no file of
// its own that a SOURCE is made of: ecsnet check examples. nil for a
// snapshot (its region folders hold JSON only).
func sourceFolders(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var subs []string
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".json", ".yaml", ".yml", ".template", ".tf":
			if !e.IsDir() {
				return nil
			}
		}
		if e.IsDir() && e.Name() != "aws_configs" {
			sub := filepath.Join(dir, e.Name())
			if len(folderFiles(sub)) > 0 || terraform.IsConfigDir(sub) || isDir(filepath.Join(sub, "aws_configs")) {
				subs = append(subs, sub)
			}
		}
	}
	return subs
}

// isDir reports whether path is a folder.
func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// noSources reports whether a folder holds nothing a SOURCE is made of:
// no subfolder and no JSON, YAML, template or Terraform file.
func noSources(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".json", ".yaml", ".yml", ".template", ".tf", ".tfvars":
			return false
		}
		if e.IsDir() {
			return false
		}
	}
	return true
}

// statError says that a SOURCE path does not exist as a user reads it,
// with the closest name in its folder: "examples/seed/artcle.yaml: no
// such file or folder (did you mean examples/seed/article.yaml?)". Other
// errors are returned as they are.
func statError(path string, err error) error {
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	dir := filepath.Dir(path)
	var names []string
	if entries, rerr := os.ReadDir(dir); rerr == nil {
		for _, e := range entries {
			names = append(names, e.Name())
		}
	}
	hint := ""
	if best, ok := suggest.Closest(filepath.Base(path), names); ok {
		hint = fmt.Sprintf(" (did you mean %s?)", filepath.Join(dir, best))
	}
	return fmt.Errorf("%s: no such file or folder%s", path, hint)
}

// snapshotRegion is the name of a snapshot's region folder (us-east-1).
var snapshotRegion = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$`)

func describePath(path string) string {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return "a snapshot folder"
	}
	return "a scenario file"
}

// readSourceFile reads a SOURCE file: a regular file, at most 64 MiB.
func readSourceFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if info.Size() > 64<<20 {
		return nil, fmt.Errorf("%s is larger than 64 MiB", path)
	}
	return os.ReadFile(path)
}

// openSystem loads a snapshot folder, a scenario file or an ecsnet serve
// URL.
func openSystem(path, region string, opts []engine.Option) (*source, error) {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return openURL(path, region, opts)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.IsDir() && terraform.IsConfigDir(path) {
		res, err := terraform.Load(path, terraform.Options{EngineOptions: opts})
		return terraformSource(path, res, err)
	}
	if info.IsDir() {
		if files := folderFiles(path); len(files) > 0 {
			return nil, fmt.Errorf("%s is a folder of %d SOURCEs (scenario files, templates or Terraform configurations), not a snapshot: give one of them (%s), or run ecsnet check %s to check each",
				path, len(files), files[0], path)
		}
		if subs := sourceFolders(path); len(subs) > 0 {
			return nil, fmt.Errorf("%s holds no SOURCE of its own, but folders of them: give one, or check each with ecsnet check %s",
				path, strings.Join(subs, " "))
		}
		if noSources(path) {
			return nil, fmt.Errorf("%s: no SOURCE in this folder: no scenario file or template (*.yaml, *.yml, *.template, *.json), no Terraform configuration (*.tf) and no snapshot (aws_configs/<region>/*.json or describe-* JSON files)", path)
		}
		return openSnapshot(path, path, region, opts)
	}
	if region != "" {
		return nil, fmt.Errorf("--region applies to snapshots; %s is a scenario file (it sets region: itself)", path)
	}
	data, err := readSourceFile(path)
	if err != nil {
		return nil, err
	}
	if terraform.IsShowJSON(data) {
		res, err := terraform.LoadJSON(path, terraform.Options{EngineOptions: opts})
		return terraformSource(path, res, err)
	}
	if cfn.IsTemplate(data) {
		return openTemplates([]string{path}, [][]byte{data}, sourceFlags{}, opts)
	}
	sc, err := scenario.Parse(path, data)
	if err != nil {
		return nil, err
	}
	built, err := sc.Build(opts...)
	if err != nil {
		return nil, &buildError{err: err, expect: sc.ExpectError}
	}
	name := sc.Name
	if name == "" {
		name = path
	}
	src := &source{Path: path, Name: name, Engine: built.Engine, Scenario: sc, Failures: built.Failures}
	for n, line := range sc.Lines() {
		src.locate(n, path, line)
	}
	return src, nil
}

// buildError is a scenario file's build failing (AWS refusing one of its
// requests), with the error the file expects it to fail with
// (expect_error:, "" for none).
type buildError struct {
	err    error
	expect string
}

func (e *buildError) Error() string { return e.err.Error() }
func (e *buildError) Unwrap() error { return e.err }

func openSnapshot(path, name, region string, opts []engine.Option) (*source, error) {
	sopts := []snapshot.Option{snapshot.WithEngineOptions(opts...)}
	if region != "" {
		sopts = append(sopts, snapshot.WithRegion(region))
	}
	res, err := snapshot.Load(path, sopts...)
	if err != nil {
		return nil, err
	}
	s := &source{Path: path, Name: name + " (" + res.Region + ")", Engine: res.Engine, snapshot: true, takenAt: res.TakenAt, takenBy: res.TakenBy}
	s.undecided = func(r *reach.Result) []string {
		var out []string
		for _, w := range res.UndecidedBy(r) {
			out = append(out, w.String())
		}
		return out
	}
	for _, w := range res.Warnings {
		s.Warnings = append(s.Warnings, w.String())
	}
	return s, nil
}

// openTerraform applies a Terraform root module: --param and --parameters
// are its -var and -var-file, and --base the system it is applied on.
func openTerraform(path string, sf sourceFlags, opts []engine.Option) (*source, error) {
	switch {
	case len(sf.Imports) > 0:
		return nil, fmt.Errorf("--import applies to CloudFormation templates; %s is a Terraform configuration", path)
	case len(sf.StackNames) > 0:
		return nil, fmt.Errorf("--stack-name applies to CloudFormation templates; %s is a Terraform configuration", path)
	case len(sf.SSM) > 0:
		return nil, fmt.Errorf("--ssm applies to CloudFormation templates; %s is a Terraform configuration", path)
	}
	// A configuration lists its log groups (aws_cloudwatch_log_group): a
	// task whose awslogs group none creates stops, as on AWS.
	to := terraform.Options{Vars: sf.Params, VarFiles: sf.ParamFiles, EngineOptions: append(slices.Clip(opts), engine.WithLogGroupCheck())}
	var base *source
	if sf.Base != "" {
		var err error
		if base, err = openSystem(sf.Base, sf.Region, baseOptions(sf.Base, opts)); err != nil {
			return nil, fmt.Errorf("--base %s: %w", sf.Base, err)
		}
		to.Base = base.Engine
	} else if sf.Region != "" {
		return nil, fmt.Errorf("--region applies to snapshots; %s is a Terraform configuration (its provider sets the region)", path)
	}
	res, err := terraform.Load(path, to)
	s, err := terraformSource(path, res, err)
	if err != nil {
		return nil, err
	}
	for _, t := range templatesBeside(path) {
		s.Warnings = append(s.Warnings, fmt.Sprintf("%s is a CloudFormation template beside the Terraform configuration %s, which does not read it: it is a SOURCE of its own (ecsnet check %s checks it too; give it alone to show or probe it)", t, path, path))
	}
	s.dateBase(base, sf.MaxAge.maxAge(), time.Now())
	return s, nil
}

// terraformSource wraps a Terraform configuration (or `terraform show
// -json` output) applied through the engine.
func terraformSource(path string, res *terraform.Result, err error) (*source, error) {
	if err != nil {
		return nil, err
	}
	s := &source{Path: path, Name: path, Engine: res.Engine, Aliases: res.Names, Terraform: res}
	for _, r := range res.Resources {
		file, line := r.File, r.Line
		if r.CallFile != "" {
			// Made in a stand-in of a registry module: at the module
			// block that calls it, a line the user has.
			file, line = r.CallFile, r.CallLine
		}
		s.locate(r.ID, file, line)
		s.locate(r.Address, file, line)
	}
	for _, w := range res.Warnings {
		s.Warnings = append(s.Warnings, w.String())
	}
	for _, r := range res.Skipped {
		s.Details = append(s.Details, fmt.Sprintf("%s:%d: %s (%s) not created: %s", r.File, r.Line, r.Address, r.Type, r.Reason))
	}
	for _, n := range res.Versions {
		s.Details = append(s.Details, n.String())
	}
	for _, n := range res.Notes {
		s.Details = append(s.Details, n.String())
	}
	return s, nil
}

// alias resolves a --from/--to name the source gives (a Terraform
// address, with an optional /N instance or :PORT suffix) to one the
// analyzer knows.
func (s *source) alias(name string) string {
	if len(s.Aliases) == 0 {
		return name
	}
	// ADDRESS, ADDRESS:PORT, ADDRESS/N or ADDRESS/N:PORT.
	base := name
	cut := func(sep string) string {
		if i := strings.LastIndex(base, sep); i > 0 && base[i+1:] != "" && strings.Trim(base[i+1:], "0123456789") == "" {
			tail := base[i:]
			base = base[:i]
			return tail
		}
		return ""
	}
	port := cut(":")
	inst := cut("/")
	v, ok := s.Aliases[base]
	if !ok {
		return name
	}
	// A task of a service, SERVICE/N: the analyzer names tasks by the
	// service's name, not its ARN.
	if inst != "" && strings.HasPrefix(v, "arn:") && strings.Contains(v, ":service/") {
		v = v[strings.LastIndex(v, "/")+1:]
	}
	return v + inst + port
}

// openURL reads the state of a running ecsnet serve (or any endpoint
// speaking the AWS APIs) through ecsnet collect, into a temporary
// snapshot.
func openURL(url, region string, opts []engine.Option) (*source, error) {
	if region == "" {
		region = "us-east-1"
	}
	dir, err := os.MkdirTemp("", "ecsnet-base-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	exports := map[string]string{}
	m, err := collect.Run(context.Background(), collect.Options{Regions: []string{region}, EndpointURL: url, Out: dir, MaxAttempts: 2,
		TestCredentials: true, Exports: exports})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", url, err)
	}
	for _, c := range m.Calls {
		if c.Error != "" {
			return nil, fmt.Errorf("reading %s: %s: %s", url, c.Call, c.Error)
		}
	}
	s, err := openSnapshot(dir, url, region, opts)
	if err != nil {
		return nil, err
	}
	s.Exports = exports
	return s, nil
}

// openTemplates deploys one or several templates, on --base or on an
// empty account.
func openTemplates(paths []string, datas [][]byte, sf sourceFlags, opts []engine.Option) (*source, error) {
	// A stack lists its log groups (AWS::Logs::LogGroup): a task whose
	// awslogs group none creates stops, as on AWS.
	lo := cfn.LoadOptions{EngineOptions: append(slices.Clip(opts), engine.WithLogGroupCheck()), Imports: sf.Imports, SSM: sf.SSM}
	var base *source
	if sf.Base != "" {
		var err error
		// Ids of what the templates create are seeded, as on an empty
		// account, so the output is the same on every run.
		if base, err = openSystem(sf.Base, sf.Region, baseOptions(sf.Base, opts)); err != nil {
			return nil, fmt.Errorf("--base %s: %w", sf.Base, err)
		}
		lo.Engine = base.Engine
		lo.BaseExports = base.Exports
	} else if sf.Region != "" {
		if err := knownRegion(sf.Region); err != nil {
			return nil, err
		}
		lo.EngineOptions = append(lo.EngineOptions, engine.WithRegion(sf.Region))
	}
	tpls := make([]*cfn.Template, len(paths))
	for i, p := range paths {
		t, err := cfn.ParseTemplate(p, datas[i])
		if err != nil {
			return nil, err
		}
		tpls[i] = t
	}
	names, err := stackNames(paths, sf.StackNames)
	if err != nil {
		return nil, err
	}
	values := map[string]string{}
	for _, f := range sf.ParamFiles {
		m, err := readParameterFile(f)
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			values[k] = v
		}
	}
	for k, v := range sf.Params {
		values[k] = v
	}
	perStack, err := distributeParams(tpls, names, values)
	if err != nil {
		return nil, err
	}
	in := make([]cfn.StackInput, len(paths))
	for i := range paths {
		in[i] = cfn.StackInput{Template: tpls[i], Name: names[i], Parameters: perStack[i]}
	}
	res, err := cfn.LoadStacks(in, lo)
	if err != nil {
		var ce *cfn.Error
		if errors.As(err, &ce) && sf.Region == "" && sf.Base == "" {
			if r := zoneRegion(ce.Msg); r != "" {
				hinted := *ce
				hinted.Msg += " (the template names a zone of " + r + ": give --region " + r + ")"
				return nil, &hinted
			}
		}
		if errors.As(err, &ce) && strings.HasPrefix(ce.Msg, "Parameters: [") && strings.HasSuffix(ce.Msg, "] must have values") && ce.Resource == "" {
			hinted := *ce
			hinted.Msg += " (give them with --param KEY=VALUE or --parameters FILE)"
			return nil, &hinted
		}
		if errors.As(err, &ce) && ce.Resource == "" {
			if list, ok := strings.CutPrefix(ce.Msg, "Parameters: ["); ok {
				if list, ok := strings.CutSuffix(list, "] do not exist in the template"); ok {
					hinted := *ce
					of := tpls
					if i := slices.Index(paths, ce.File); i >= 0 {
						of = tpls[i : i+1] // the template the error names
					}
					hinted.Msg += unknownParamHint(of, strings.Split(list, ", "))
					return nil, &hinted
				}
			}
		}
		return nil, err
	}
	var stackNames []string
	for _, st := range res.Stacks {
		stackNames = append(stackNames, st.Name)
	}
	s := &source{Path: strings.Join(paths, ","), Name: strings.Join(stackNames, "+"), Engine: res.Engine, Stacks: res}
	for _, r := range res.Resources {
		s.locate(r.PhysicalID, r.File, r.Line)
		s.locate(r.LogicalID, r.File, r.Line)
	}
	if base != nil {
		s.Name += " on " + base.Name
		s.Warnings = append(s.Warnings, base.Warnings...)
		s.undecided = base.undecided
		s.Scenario = nil
	}
	for _, w := range res.Warnings {
		if w.Detail {
			s.Details = append(s.Details, w.String())
		} else {
			s.Warnings = append(s.Warnings, w.String())
		}
	}
	var quiet []cfn.Skipped
	for _, sk := range res.Skipped {
		if sk.MayShapeNetwork {
			// It could change a verdict: said on every run.
			why := ""
			if reason := strings.TrimPrefix(sk.Reason, "not modeled by ecsnet; "); reason != "not modeled by ecsnet" {
				why = " (" + reason + ")"
			}
			s.Warnings = append(s.Warnings, fmt.Sprintf("%s:%d: %s (%s) is not modelled%s: what it does to the network is not in the verdicts",
				sk.File, sk.Line, sk.LogicalID, sk.Type, why))
			continue
		}
		quiet = append(quiet, sk)
		s.Details = append(s.Details, fmt.Sprintf("%s:%d: %s (%s) not modelled: %s", sk.File, sk.Line, sk.LogicalID, sk.Type, sk.Reason))
	}
	if len(quiet) > 0 {
		s.Warnings = append(s.Warnings, skippedSummary(quiet))
	}
	s.dateBase(base, sf.MaxAge.maxAge(), time.Now())
	return s, nil
}

// skippedSummary is the one line that counts resources not modelled, by
// type.
func skippedSummary(sk []cfn.Skipped) string {
	by := map[string]int{}
	for _, s := range sk {
		by[s.Type]++
	}
	types := make([]string, 0, len(by))
	for t := range by {
		types = append(types, t)
	}
	sort.Slice(types, func(i, j int) bool {
		if by[types[i]] != by[types[j]] {
			return by[types[i]] > by[types[j]]
		}
		return types[i] < types[j]
	})
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = fmt.Sprintf("%d %s", by[t], t)
	}
	word := "resources"
	if len(sk) == 1 {
		word = "resource"
	}
	return fmt.Sprintf("%d %s not modelled, %s (-v lists them): %s", len(sk), word, packetNeutral, strings.Join(parts, ", "))
}

// packetNeutral is what skippedSummary says of the resources it counts:
// the line informs, and -o github gives it as a notice, not a warning.
const packetNeutral = "of types that do not change how packets flow"

// stackNames returns each template's stack name: from --stack-name (in
// order, or FILE=NAME), else from the file name.
func stackNames(paths []string, given []string) ([]string, error) {
	out := make([]string, len(paths))
	var ordered []string
	for _, g := range given {
		if file, name, ok := strings.Cut(g, "="); ok {
			found := false
			for i, p := range paths {
				if namesFile(p, file) {
					out[i], found = name, true
				}
			}
			if !found {
				return nil, fmt.Errorf("--stack-name %s: %s is not one of the templates given", g, file)
			}
			continue
		}
		ordered = append(ordered, g)
	}
	j := 0
	for i := range out {
		if out[i] == "" && j < len(ordered) {
			out[i] = ordered[j]
			j++
		}
	}
	if j < len(ordered) {
		return nil, fmt.Errorf("%d --stack-name values for %d templates", len(given), len(paths))
	}
	for _, n := range out {
		if n != "" && !validStackName(n) {
			return nil, fmt.Errorf("--stack-name %s: 1 validation error detected: Value '%s' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*", n, n)
		}
	}
	return out, nil
}

// namesFile reports whether FILE of a --stack-name FILE=NAME is the
// template at path p: its path as given or cleaned, or its base name.
func namesFile(p, file string) bool {
	return p == file || filepath.Base(p) == file || filepath.Clean(p) == filepath.Clean(file)
}

// validStackName is CloudFormation's rule for stack names.
func validStackName(n string) bool {
	if len(n) == 0 || len(n) > 128 || !(n[0] >= 'a' && n[0] <= 'z' || n[0] >= 'A' && n[0] <= 'Z') {
		return false
	}
	for _, c := range n {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// distributeParams gives each template the parameters it declares.
// "Stack/Key" names one stack's parameter; a plain key goes to every
// template that declares it, and a key no template declares is
// CloudFormation's error.
func distributeParams(tpls []*cfn.Template, names []string, values map[string]string) ([]map[string]string, error) {
	out := make([]map[string]string, len(tpls))
	declared := make([]map[string]bool, len(tpls))
	stackName := func(i int) string {
		if names[i] != "" {
			return names[i]
		}
		return strings.TrimSuffix(filepath.Base(tpls[i].File), filepath.Ext(tpls[i].File))
	}
	for i, t := range tpls {
		out[i] = map[string]string{}
		declared[i] = map[string]bool{}
		for _, p := range t.Parameters() {
			declared[i][p.Name] = true
		}
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var unknown []string
	for _, k := range keys {
		v := values[k]
		if st, key, ok := strings.Cut(k, "/"); ok {
			found := false
			for i := range tpls {
				if stackName(i) == st {
					found = true
					out[i][key] = v // the stack's own error if it does not declare it
				}
			}
			if !found {
				return nil, fmt.Errorf("--param %s: no stack named %s (stacks: %s)", k, st, strings.Join(allNames(len(tpls), stackName), ", "))
			}
			continue
		}
		used := false
		for i := range tpls {
			if declared[i][k] || len(tpls) == 1 {
				out[i][k] = v
				used = true
			}
		}
		if !used {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("Parameters: [%s] do not exist in any of the templates (%s)", strings.Join(unknown, ", "), strings.Join(allNames(len(tpls), func(i int) string { return tpls[i].File }), ", "))
	}
	return out, nil
}

func allNames(n int, name func(int) string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = name(i)
	}
	return out
}

// warnSummaryAbove is how many warnings are said one by one before they
// are summed up in one line (-v says them all).
const warnSummaryAbove = 3

// warn prints a source's warnings on stderr: each of them when there are
// few, else the first and a count; with verbose every one and the
// details; with quiet nothing.
func (s *source) warn(stdio IO, f sourceFlags) {
	if f.Quiet {
		return
	}
	e := stdio.errIO()
	label := e.paint("yellow", "warning:")
	if !f.Verbose && len(s.Warnings) > warnSummaryAbove {
		fmt.Fprintln(stdio.Err, label, s.Warnings[0])
		fmt.Fprintf(stdio.Err, "%s %d more warnings about %s (-v lists them, -q hides them)\n", label, len(s.Warnings)-1, s.Path)
		return
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(stdio.Err, label, w)
	}
	if f.Verbose {
		for _, d := range s.Details {
			fmt.Fprintln(stdio.Err, e.paint("dim", "note:"), d)
		}
	}
}

// paramFlag collects repeated Key=Value flags.
type paramFlag map[string]string

func (p *paramFlag) String() string {
	var parts []string
	for k, v := range *p {
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

func (p *paramFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want Key=Value, got %q", s)
	}
	if *p == nil {
		*p = paramFlag{}
	}
	(*p)[k] = v
	return nil
}

// listFlag collects a repeated flag's values in order.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	if s == "" {
		return errors.New("empty value")
	}
	*l = append(*l, s)
	return nil
}

// templateSpec turns a probe endpoint written in the template's language
// into one the analyzer resolves: a logical id ("WebService"), a nested
// stack's ("Parent/Child/LogicalId"), one of several stacks'
// ("service/WebService", needed only when the id is in several), each
// optionally with "/N" (the Nth task of a service, the Nth instance of an
// Auto Scaling group) and ":PORT". Anything else is returned unchanged.
func (s *source) templateSpec(spec string) (string, error) {
	if s.Stacks == nil || spec == "" {
		return spec, nil
	}
	base, port := spec, ""
	if i := strings.LastIndexByte(spec, ':'); i > 0 && allDigitsCLI(spec[i+1:]) {
		base, port = spec[:i], spec[i:]
	}
	res, idx := s.findLogical(base)
	if res == nil {
		// "<logical id>/N": a service's task or a group's instance.
		if i := strings.LastIndexByte(base, '/'); i > 0 && allDigitsCLI(base[i+1:]) {
			if r, _ := s.findLogical(base[:i]); r != nil {
				switch r.Type {
				case "AWS::ECS::Service":
					name := r.PhysicalID[strings.LastIndexByte(r.PhysicalID, '/')+1:]
					return name + base[i:] + port, nil
				case "AWS::AutoScaling::AutoScalingGroup":
					return r.PhysicalID + base[i:] + port, nil
				}
			}
		}
		return spec, nil
	}
	if idx > 1 {
		return "", fmt.Errorf("%s is a logical id in %d stacks: write STACK/%s", base, idx, base)
	}
	return res.PhysicalID + port, nil
}

// ownNames are the names the SOURCE gives resources that the analyzer
// does not know by: Terraform addresses and templates' logical ids.
func (s *source) ownNames() []string {
	var names []string
	for n := range s.Aliases {
		names = append(names, n)
	}
	if s.Stacks != nil {
		for _, r := range s.Stacks.Resources {
			names = append(names, r.LogicalID)
		}
	}
	sort.Strings(names)
	return names
}

// endpointOwnNames are the SOURCE's own names (a template's logical ids,
// a Terraform configuration's addresses) of what --from and --to take:
// services, load balancers, instances, Auto Scaling groups (written
// NAME/N, one of its instances) and network interfaces.
func (s *source) endpointOwnNames() []string {
	var names []string
	add := func(name, kind string) {
		switch kind {
		case "AWS::AutoScaling::AutoScalingGroup", "aws_autoscaling_group":
			names = append(names, name+"/N")
		case "AWS::ECS::Service", "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer",
			"AWS::EC2::Instance", "AWS::EC2::NetworkInterface",
			"aws_ecs_service", "aws_lb", "aws_alb", "aws_elb", "aws_instance", "aws_network_interface":
			names = append(names, name)
		}
	}
	for n := range s.Aliases {
		typ, _, _ := strings.Cut(strings.TrimPrefix(n, "data."), ".")
		if i := strings.LastIndex(n, ".aws_"); i > 0 && strings.HasPrefix(n, "module.") {
			typ, _, _ = strings.Cut(n[i+1:], ".")
		}
		add(n, typ)
	}
	if s.Stacks != nil {
		// A logical id alone, unless several stacks have it (STACK/ID).
		stacksOf := map[string]int{}
		for _, r := range s.Stacks.Resources {
			stacksOf[r.LogicalID]++
		}
		for _, r := range s.Stacks.Resources {
			name := r.LogicalID
			if stacksOf[name] > 1 && r.Stack != "" {
				name = r.Stack + "/" + name
			}
			add(name, r.Type)
		}
	}
	sort.Strings(names)
	return slices.Compact(names)
}

// unknownNameRE is the analyzer's error for a name nothing has.
var unknownNameRE = regexp.MustCompile(`is named "([^"]*)"( \(did you mean "[^"]*"\?\))?; known: `)

// suggestOwnName adds to the analyzer's "no … is named X" the closest of
// the SOURCE's own names (a Terraform address, a logical id) when the
// analyzer had none to suggest: aws_ecs_servic.web → aws_ecs_service.web.
//
// typed maps a name the analyzer was given to the one the user wrote
// (a logical id or Terraform address it was translated from): the error
// then says the user's name, and its suggestions in the user's terms. The
// known list ends with the SOURCE's own names of what --from and --to
// take, which the user is likelier to write than generated names.
func (s *source) suggestOwnName(err error, typed map[string]string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	m := unknownNameRE.FindStringSubmatchIndex(msg)
	if m == nil {
		return err
	}
	name := msg[m[2]:m[3]]
	if own := s.endpointOwnNames(); len(own) > 0 {
		const most = 20
		if len(own) > most {
			own = append(own[:most:most], "… ("+strconv.Itoa(len(own)-most)+" more)")
		}
		what := "the template's logical ids"
		if s.Stacks == nil {
			what = "the configuration's addresses"
		}
		msg += "; " + what + ": " + strings.Join(own, ", ")
	}
	if orig, ok := typed[name]; ok && orig != name {
		// "terraform-2026…" → "aws_autoscaling_group.ecs" (terraform-2026…),
		// and a suggestion of one of its instances in the user's terms.
		head := msg[:m[2]-1] + strconv.Quote(orig) + " (" + name + ")"
		rest := strings.Replace(msg[m[3]+1:], "(did you mean \""+name+"/", "(did you mean \""+orig+"/", 1)
		return errors.New(head + rest)
	}
	at := m[3] + 1 // after the closing quote
	if m[4] >= 0 {
		return errors.New(msg) // the analyzer has suggested a name
	}
	own := s.ownNames()
	best, ok := suggest.Closest(name, own)
	if !ok {
		// A Terraform address of a type the configuration has none of
		// (aws_instance.web where an Auto Scaling group launches the
		// instances), or whose names are all far from it: say which of
		// that type there are.
		typ, _, isAddr := strings.Cut(name, ".")
		if s.Terraform == nil || !isAddr || !strings.HasPrefix(typ, "aws_") || strings.Contains(msg[:m[3]], "(did you mean") {
			return errors.New(msg)
		}
		var same []string
		for _, n := range own {
			if strings.HasPrefix(n, typ+".") {
				same = append(same, n)
			}
		}
		hint := " (the configuration has no " + typ + ")"
		if len(same) > 0 {
			hint = " (the configuration's " + typ + ": " + strings.Join(same, ", ") + ")"
		}
		return errors.New(msg[:at] + hint + msg[at:])
	}
	return errors.New(msg[:at] + " (did you mean " + strconv.Quote(best) + "?)" + msg[at:])
}

// findLogical finds a created resource by logical id path; it returns how
// many resources matched when the path is ambiguous.
func (s *source) findLogical(path string) (*cfn.Resource, int) {
	var found *cfn.Resource
	n := 0
	for i := range s.Stacks.Resources {
		r := &s.Stacks.Resources[i]
		full := r.LogicalID
		if r.Stack != "" && len(s.Stacks.Stacks) > 1 {
			full = r.Stack + "/" + r.LogicalID
		}
		if full == path || r.LogicalID == path {
			if found == nil || found.PhysicalID != r.PhysicalID {
				n++
			}
			found = r
			if full == path && r.LogicalID != path {
				return r, 1
			}
		}
	}
	return found, n
}

func allDigitsCLI(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// logicalName returns "LogicalId" (with the stack, when several) of the
// resource whose physical id is id, or "".
func (s *source) logicalName(id string) string {
	if s.Terraform != nil && id != "" {
		for _, r := range s.Terraform.Resources {
			if r.ID == id {
				return r.Address
			}
		}
		return ""
	}
	if s.Stacks == nil || id == "" {
		return ""
	}
	for _, r := range s.Stacks.Resources {
		if r.PhysicalID == id {
			if r.Stack != "" && len(s.Stacks.Stacks) > 1 {
				return r.Stack + "/" + r.LogicalID
			}
			return r.LogicalID
		}
	}
	return ""
}

// nameEndpoint writes a probe endpoint in the template's language: what
// the user wrote (a logical id) and what it is ("WebService (task
// web/0)"); an endpoint given otherwise gets its logical id added.
func (s *source) nameEndpoint(ep *reach.Endpoint, wrote string) {
	if ep == nil || s.Stacks == nil && s.Terraform == nil {
		return
	}
	kind := strings.ReplaceAll(string(ep.Kind), "-", " ")
	if kind == "network interface" {
		kind = "ENI"
	}
	if wrote != ep.Spec {
		ep.Spec = wrote
		if ep.Name != "" {
			ep.Name = kind + " " + ep.Name
		}
		return
	}
	if ep.Kind == reach.KindTask && s.Stacks != nil {
		// A service's task: named after the service's logical id.
		if svc, n, ok := strings.Cut(ep.Name, "/"); ok {
			for _, r := range s.Stacks.Resources {
				if r.Type == "AWS::ECS::Service" && strings.HasSuffix(r.PhysicalID, "/"+svc) {
					l := s.logicalName(r.PhysicalID)
					if l+"/"+n != ep.Spec {
						ep.Name = l + "/" + n + ", task " + ep.Name
					}
					return
				}
			}
		}
	}
	for _, id := range []string{ep.ARN, ep.ID} {
		if l := s.logicalName(id); l != "" && l != ep.Spec {
			if ep.Name == "" {
				ep.Name = l
			} else {
				ep.Name = l + ", " + kind + " " + ep.Name
			}
			return
		}
	}
}

// location is where a SOURCE defines a resource.
type location struct {
	File string
	Line int
}

// locate records where the resource known as key is defined.
func (s *source) locate(key, file string, line int) {
	if key == "" || file == "" {
		return
	}
	if s.locations == nil {
		s.locations = map[string]location{}
	}
	if _, ok := s.locations[key]; !ok {
		s.locations[key] = location{file, line}
	}
}

// where returns where the SOURCE defines a resource on a path or in a
// finding, by its id, ARN or name (a counted task's name/N by its entry);
// the SOURCE itself, at no line, when it is not known.
func (s *source) where(c *reach.Component) location {
	if c != nil && c.Type == "task" {
		// A service's task in a template or a Terraform configuration:
		// where its service is defined.
		if arn, ok := taskServiceARN(c); ok {
			if l, ok := s.locations[arn]; ok {
				return l
			}
		}
	}
	if c != nil {
		// The ARN first: it is unique, where an id may be a name that
		// other kinds of resource share (a log group, a repository and a
		// service all named "net").
		for _, k := range []string{c.ARN, c.ID, c.Name} {
			if l, ok := s.locations[k]; ok && k != "" {
				return l
			}
			if i := strings.LastIndexByte(k, '/'); i > 0 {
				if l, ok := s.locations[k[:i]]; ok {
					return l
				}
			}
		}
	}
	return location{File: strings.Split(s.Path, ",")[0]}
}

// taskServiceARN returns the ARN of the service that started a service's
// task (named SERVICE/N): arn:…:service/CLUSTER/SERVICE, the task's being
// arn:…:task/CLUSTER/ID.
func taskServiceARN(c *reach.Component) (string, bool) {
	svc, _, ok := strings.Cut(c.Name, "/")
	i := strings.Index(c.ARN, ":task/")
	if !ok || i <= 0 {
		return "", false
	}
	cluster, _, ok := strings.Cut(c.ARN[i+len(":task/"):], "/")
	if !ok {
		return "", false
	}
	return c.ARN[:i] + ":service/" + cluster + "/" + svc, true
}

// baseOptions are the engine options of a --base system. A snapshot or an
// ecsnet serve URL brings its own ids, and what is created on top of it
// gets seeded ones, so the output is the same on every run. A scenario,
// a template or a Terraform configuration seeds its own ids: given as
// --base it keeps them, the ids `ecsnet show` gives of it read alone.
func baseOptions(path string, opts []engine.Option) []engine.Option {
	if !strings.HasPrefix(path, "http://") && !strings.HasPrefix(path, "https://") {
		if info, err := os.Stat(path); err == nil && (!info.IsDir() || terraform.IsConfigDir(path)) {
			return opts
		}
	}
	return append([]engine.Option{engine.WithIDs(engine.SeededIDs(1))}, opts...)
}

// unknownParamHint says, after CloudFormation's "Parameters: [X] do not
// exist in the template", which parameter a misspelt --param meant and
// which the templates have.
func unknownParamHint(tpls []*cfn.Template, unknown []string) string {
	var names []string
	for _, t := range tpls {
		for _, p := range t.Parameters() {
			if !slices.Contains(names, p.Name) {
				names = append(names, p.Name)
			}
		}
	}
	if len(names) == 0 {
		return " (the template has no Parameters)"
	}
	var hints []string
	for _, u := range unknown {
		if stack, key, ok := strings.Cut(u, "/"); ok && stack != "" {
			u = key // Stack/Key
		}
		best, ok := suggest.Closest(u, names)
		if !ok {
			// A part of the name (Cidr for VpcCidr), when only one has it.
			var has []string
			for _, n := range names {
				if strings.Contains(strings.ToLower(n), strings.ToLower(u)) {
					has = append(has, n)
				}
			}
			best, ok = strings.Join(has, ""), len(has) == 1
		}
		if ok {
			hints = append(hints, "did you mean "+best+"?")
		}
	}
	if len(hints) == 0 {
		return " (the template's parameters: " + strings.Join(names, ", ") + ")"
	}
	return " (" + strings.Join(hints, " ") + " The template's parameters: " + strings.Join(names, ", ") + ")"
}

// knownRegion checks a --region that names the region templates deploy
// into: a region of its partition (model.Regions), with the nearest name
// when it is not.
func knownRegion(name string) error {
	known := model.Regions(model.Partition(name))
	if slices.Contains(known, name) {
		return nil
	}
	all := slices.Concat(model.Regions("aws"), model.Regions("aws-cn"), model.Regions("aws-us-gov"))
	if near, ok := suggest.Closest(name, all); ok {
		return fmt.Errorf("--region %s is not a region (did you mean %s?)", name, near)
	}
	return fmt.Errorf("--region %s is not a region (regions are named like us-east-1)", name)
}

// zoneOutOfRegion is the zone of EC2's refusal of a zone outside the
// region ("Value (ap-northeast-1a) for parameter availabilityZone is
// invalid.").
var zoneOutOfRegion = regexp.MustCompile(`Value \(([a-z0-9-]+?)[a-z]\) for parameter availabilityZone is invalid`)

// zoneRegion is the region of the zone a template names outside the region
// it deploys into, from the error EC2 refuses it with; "" when the error is
// not that one or the zone's region is not a region.
func zoneRegion(msg string) string {
	m := zoneOutOfRegion.FindStringSubmatch(msg)
	if m == nil || knownRegion(m[1]) != nil {
		return ""
	}
	return m[1]
}
