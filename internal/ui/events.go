package ui

import (
	"fmt"
	"net/http"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// heartbeat is how often an idle event stream sends a comment, so proxies
// and browsers keep it open.
const heartbeat = 15 * time.Second

// versionEvent is the data of a "version" event and the answer of
// api/version.
type versionEvent struct {
	Version    uint64 `json:"version"`
	Generation uint64 `json:"generation"`
	Problem    string `json:"problem,omitempty"`
}

// problem returns Options.Problem's answer, "" without one.
func (h *handler) problem() string {
	if h.opts.Problem == nil {
		return ""
	}
	return h.opts.Problem()
}

// serveEvents streams server-sent events: "version" with {"version": N,
// "generation": G, "problem": P} when the stream opens and whenever the
// engine's state changes (any write through the API, a step of the
// emulator, a reloaded SOURCE) or its source's problem does. It polls the engine's
// version, which costs a read lock, every Options.PollInterval.
func (h *handler) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	select {
	case h.streams <- struct{}{}:
		defer func() { <-h.streams }()
	default:
		writeError(w, http.StatusServiceUnavailable, "too many open event streams")
		return
	}
	// Event streams outlive any write deadline the server set.
	_ = rc.SetWriteDeadline(time.Time{})
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	if err := rc.Flush(); err != nil {
		// The ResponseWriter cannot flush (a wrapper without Unwrap): say
		// so before anything is written; the page then polls api/version.
		h.log.Warn("ui: event stream cannot flush; the page will poll api/version", "err", err)
		w.Header().Del("X-Accel-Buffering")
		writeError(w, http.StatusNotImplemented, "event streams are not available here; poll api/version")
		return
	}
	if _, err := fmt.Fprint(w, "retry: 2000\n\n"); err != nil {
		return
	}
	var last *engine.Engine
	var lastVersion uint64
	lastProblem := "\x00"
	send := func() error {
		e := h.opts.Engine
		if e == nil {
			return nil
		}
		eng := e()
		if eng == nil {
			return nil
		}
		v, p := eng.Version(), h.problem()
		if eng == last && v == lastVersion && p == lastProblem {
			return nil
		}
		last, lastVersion, lastProblem = eng, v, p
		if _, err := fmt.Fprintf(w, "event: version\ndata: %s\n\n", mustJSON(versionEvent{Version: v, Generation: h.generation(eng), Problem: p})); err != nil {
			return err
		}
		return rc.Flush()
	}
	if send() != nil {
		return
	}
	tick := time.NewTicker(h.opts.PollInterval)
	defer tick.Stop()
	beat := time.NewTicker(heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			if send() != nil {
				return
			}
		case <-beat.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
			if rc.Flush() != nil {
				return
			}
		}
	}
}
