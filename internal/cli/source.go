package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
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
}

// openSource loads a SOURCE. Tasks start only if they can reach their
// image registry: the analyzer decides (reach.StartCheck).
func openSource(path string, params paramFlag, opts ...engine.Option) (*source, error) {
	opts = append([]engine.Option{engine.WithStartCheck(reach.StartCheck)}, opts...)
	sc, err := scenario.Load(path)
	if err != nil {
		return nil, err
	}
	if len(params) > 0 {
		return nil, fmt.Errorf("--param applies to CloudFormation templates; %s is a scenario file", path)
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
