package cli

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/snapshot"
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
	Warnings []string
	// Aliases maps names the source gives resources (Terraform addresses)
	// to names the analyzer resolves (ids, ARNs).
	Aliases map[string]string
	// undecided, for snapshots, returns why a probe's verdict cannot be
	// trusted: the facts about its path the snapshot lacks.
	undecided func(*reach.Result) []string
}

// sourceFlags are the flags every command reading a SOURCE takes.
type sourceFlags struct {
	Params paramFlag
	Region string
}

func (f *sourceFlags) add(fs *flag.FlagSet) {
	fs.Var(&f.Params, "param", "a CloudFormation parameter, Key=Value (repeatable)")
	fs.StringVar(&f.Region, "region", "", "the region of a multi-region snapshot to analyze")
}

// Undecided returns why r cannot be trusted (empty when it can).
func (s *source) Undecided(r *reach.Result) []string {
	if s.undecided == nil {
		return nil
	}
	return s.undecided(r)
}

// openSource loads a SOURCE: a folder is an AWS snapshot (aws_configs/
// <region>/*.json, or describe-* JSON files), a file holding a
// CloudFormation template is deployed as a stack, any other file is a
// scenario. Tasks start only if they can reach their image registry: the
// analyzer decides (reach.StartCheck).
func openSource(path string, sf sourceFlags, opts ...engine.Option) (*source, error) {
	params := sf.Params
	opts = append([]engine.Option{engine.WithStartCheck(reach.StartCheck)}, opts...)
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.IsDir() && terraform.IsConfigDir(path) {
		if sf.Region != "" {
			return nil, fmt.Errorf("--region applies to snapshots; a Terraform configuration's provider block sets its region (--param region=… if a variable does)")
		}
		res, err := terraform.Load(path, terraform.Options{Vars: params, EngineOptions: opts})
		return terraformSource(path, res, err)
	}
	if info.IsDir() {
		if len(params) > 0 {
			return nil, fmt.Errorf("--param applies to CloudFormation templates; %s is a snapshot folder", path)
		}
		sopts := []snapshot.Option{snapshot.WithEngineOptions(opts...)}
		if sf.Region != "" {
			sopts = append(sopts, snapshot.WithRegion(sf.Region))
		}
		res, err := snapshot.Load(path, sopts...)
		if err != nil {
			return nil, err
		}
		s := &source{Path: path, Name: path + " (" + res.Region + ")", Engine: res.Engine}
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
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if terraform.IsShowJSON(data) {
		if len(params) > 0 {
			return nil, fmt.Errorf("--param applies to templates and Terraform configurations; %s is terraform show -json output, whose values are fixed", path)
		}
		res, err := terraform.LoadJSON(path, terraform.Options{EngineOptions: opts})
		return terraformSource(path, res, err)
	}
	if cfn.IsTemplate(data) {
		res, err := cfn.Load(path, params, opts...)
		if err != nil {
			return nil, err
		}
		s := &source{Path: path, Name: res.StackName, Engine: res.Engine}
		for _, w := range res.Warnings {
			s.Warnings = append(s.Warnings, fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg))
		}
		for _, sk := range res.Skipped {
			s.Warnings = append(s.Warnings, fmt.Sprintf("%s:%d: %s (%s) skipped: %s", sk.File, sk.Line, sk.LogicalID, sk.Type, sk.Reason))
		}
		return s, nil
	}
	if len(params) > 0 {
		return nil, fmt.Errorf("--param applies to CloudFormation templates; %s is a scenario file", path)
	}
	if sf.Region != "" {
		return nil, fmt.Errorf("--region applies to snapshots; %s is a scenario file (it sets region: itself)", path)
	}
	sc, err := scenario.Parse(path, data)
	if err != nil {
		return nil, err
	}
	built, err := sc.Build(opts...)
	if err != nil {
		return nil, err
	}
	name := sc.Name
	if name == "" {
		name = path
	}
	return &source{Path: path, Name: name, Engine: built.Engine, Scenario: sc, Failures: built.Failures}, nil
}

// terraformSource wraps a Terraform configuration (or `terraform show
// -json` output) applied through the engine.
func terraformSource(path string, res *terraform.Result, err error) (*source, error) {
	if err != nil {
		return nil, err
	}
	s := &source{Path: path, Name: path, Engine: res.Engine, Aliases: res.Names}
	for _, w := range res.Warnings {
		s.Warnings = append(s.Warnings, w.String())
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
	base, suffix := name, ""
	if i := strings.LastIndexAny(name, ":/"); i > 0 && strings.Trim(name[i+1:], "0123456789") == "" {
		base, suffix = name[:i], name[i:]
	}
	if v, ok := s.Aliases[base]; ok {
		return v + suffix
	}
	return name
}

// warn prints a source's warnings on stderr.
func (s *source) warn(stdio IO) {
	for _, w := range s.Warnings {
		fmt.Fprintln(stdio.Err, stdio.paint("yellow", "warning:"), w)
	}
}

// paramFlag collects repeated --param Key=Value flags.
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
