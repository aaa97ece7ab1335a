package cli

import (
	"github.com/ecsnet/ecsnet/internal/engine"
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
}

// openSource loads a SOURCE. Scenario files are the only kind so far.
func openSource(path string, opts ...engine.Option) (*source, error) {
	sc, err := scenario.Load(path)
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
