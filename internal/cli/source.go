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
	opts = append([]engine.Option{engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck)}, opts...)
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
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
