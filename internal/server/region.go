package server

import (
	"context"
	"net/http"
	"sort"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// region is one account-region: its engine and its client tokens.
type region struct {
	name   string
	engine *engine.Engine
	idem   *idemCache
	reads  *readCache
	health healthPoll[model.InstanceID] // the last ELB health check of its Auto Scaling groups
	tasks  healthPoll[string]           // the last ELB health check of its ECS services' tasks
}

// completeAnalyses runs the analyzer on every Network Insights analysis
// that is "running" and records the results. Analyses complete here, in
// the background, never when they are read.
func (s *Server) completeAnalyses(r *region) {
	var running []model.NetworkInsightsAnalysisID
	r.engine.Read(func(st *model.State) {
		for id, a := range st.InsightsAnalyses {
			if a.Status == "running" {
				running = append(running, id)
			}
		}
	})
	if len(running) == 0 {
		return
	}
	sort.Slice(running, func(i, j int) bool { return running[i] < running[j] })
	st, _ := r.engine.Snapshot()
	for _, id := range running {
		a := st.InsightsAnalyses[id]
		path := st.InsightsPaths[a.PathID]
		var res api.Analysis
		if path == nil {
			res = api.Analysis{Status: "failed", StatusMessage: "The network insights path " + string(a.PathID) + " no longer exists."}
		} else {
			res = s.analyze(st, path, a)
		}
		if _, err := r.engine.CompleteNetworkInsightsAnalysis(id, engine.AnalysisResult(res)); err != nil {
			s.log.Error("recording a network insights analysis failed", "region", r.name, "analysis", id, "err", err)
		}
	}
}

// analyze runs the analyzer, turning a panic into a failed analysis.
func (s *Server) analyze(st *model.State, path *model.NetworkInsightsPath, a *model.NetworkInsightsAnalysis) (res api.Analysis) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("network insights analysis panicked", "analysis", a.ID, "panic", p)
			res = api.Analysis{Status: "failed", StatusMessage: "The analysis failed because of an internal error."}
		}
	}()
	return s.opts.Analyzer.Analyze(st, path, a)
}

// unavailableAnalyzer is the Analyzer of a server built without one.
type unavailableAnalyzer struct{}

func (unavailableAnalyzer) Analyze(*model.State, *model.NetworkInsightsPath, *model.NetworkInsightsAnalysis) api.Analysis {
	return api.Analysis{Status: "failed", StatusMessage: "The reachability analyzer is not available in this build of ecsnet."}
}

func (unavailableAnalyzer) ClassicInstanceHealth(*model.State, uint64, string) map[model.InstanceID]api.TargetHealth {
	return nil // the engine's view: running instances are InService
}

func (unavailableAnalyzer) TargetHealth(st *model.State, _ uint64, tgARN string) map[api.TargetKey]api.TargetHealth {
	out := map[api.TargetKey]api.TargetHealth{}
	if tg := st.TargetGroups[tgARN]; tg != nil {
		for _, t := range tg.Targets.All() {
			out[api.TargetKey{ID: t.ID, Port: t.Port}] = api.TargetHealth{State: "unavailable", Reason: "Elb.InternalError",
				Description: "Health checks need the reachability analyzer, which this build of ecsnet lacks."}
		}
	}
	return out
}

// unknownRegionError is a request for a region ecsnet does not serve.
type unknownRegionError struct{ name string }

func (e *unknownRegionError) Error() string { return "unknown region " + e.name }

// invalidRegion is AWS's answer to a request signed for a region that does
// not exist: "Credential should be scoped to a valid region, not 'x'.",
// with the code each protocol uses for a bad signature.
func invalidRegion(svc *awsproto.Service, name string) *apierr.Error {
	code, status := "SignatureDoesNotMatch", http.StatusForbidden
	if svc != nil {
		switch svc.Protocol {
		case awsproto.ProtocolEC2:
			code, status = "AuthFailure", http.StatusUnauthorized
		case awsproto.ProtocolJSON:
			code = "InvalidSignatureException"
		}
	}
	return &apierr.Error{Code: code, HTTPStatus: status, Message: "Credential should be scoped to a valid region, not '" + name + "'."}
}

// runSteps runs the services' background steps (api.Registry.AddStep) on
// a region.
func (s *Server) runSteps(r *region) {
	steps := s.opts.Registry.Steps()
	if len(steps) == 0 {
		return
	}
	call := &api.Call{Ctx: context.Background(), Engine: r.engine, Region: r.name, Account: s.opts.Account, Analyzer: s.opts.Analyzer,
		GlobalIAM: func() (*engine.Engine, error) { return s.Engine(iamRegion(r.name)) }}
	for _, step := range steps {
		if err := step(call); err != nil {
			s.log.Error("a background step failed", "region", r.name, "err", err)
		}
	}
}
