package server

import (
	"sort"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// region is one account-region: its engine and its client tokens.
type region struct {
	name   string
	engine *engine.Engine
	idem   *idemCache
	reads  *readCache
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

func (unavailableAnalyzer) TargetHealth(st *model.State, _ uint64, tgARN string) map[api.TargetKey]api.TargetHealth {
	out := map[api.TargetKey]api.TargetHealth{}
	if tg := st.TargetGroups[tgARN]; tg != nil {
		for _, t := range tg.Targets {
			out[api.TargetKey{ID: t.ID, Port: t.Port}] = api.TargetHealth{State: "unavailable", Reason: "Elb.InternalError",
				Description: "Health checks need the reachability analyzer, which this build of ecsnet lacks."}
		}
	}
	return out
}
