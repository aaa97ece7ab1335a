package server

import (
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// LoadScenario replaces the state of the scenario's region (the server's
// default region when the scenario names none) with the system the
// scenario builds, durably when the server has a store.
func (s *Server) LoadScenario(sc *scenario.Scenario) error {
	name := sc.Region
	if name == "" {
		name = s.opts.Region
	}
	opts := s.regionOptions(name)
	if s.commit != nil {
		if r, err := s.region(name); err == nil && r.name == name {
			if err := r.engine.Clear(); err != nil {
				return err
			}
		}
		if _, err := sc.BuildAccount(append(s.opts.EngineOptions, engine.WithPersister(s.RegionStore(name)))...); err != nil {
			return err
		}
		if err := s.Sync(); err != nil {
			return err
		}
		e, err := engine.Open(regionStore{region: name, c: s.commit}, opts...)
		if err != nil {
			return err
		}
		s.install(name, e)
		return nil
	}
	built, err := sc.BuildAccount(s.opts.EngineOptions...)
	if err != nil {
		return err
	}
	st, _ := built.Engine.Snapshot()
	s.install(name, engine.FromState(st, opts...))
	return nil
}

// install makes e the engine of a region.
func (s *Server) install(name string, e *engine.Engine) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.regions[name] = &region{name: name, engine: e, idem: newIdemCache(), reads: newReadCache(s.opts.ReadCacheBytes)}
	if s.commit != nil {
		s.commit.watch(name, e)
	}
}
