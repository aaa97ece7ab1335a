package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// probeRequest is the body of POST api/probe.
type probeRequest struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Port     int    `json:"port,omitempty"` // overrides a ":PORT" in To
	Protocol string `json:"protocol,omitempty"`
	WhatIf   string `json:"whatif,omitempty"`
	// Fixes asks for verified fixes when the probe fails (default true).
	Fixes *bool `json:"fixes,omitempty"`
}

// whatifRequest is the body of POST api/whatif: apply the fix titled Fix,
// found for the probe From → To, to a copy of Base (a what-if id, or the
// real system when empty), and probe again.
type whatifRequest struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Port     int    `json:"port,omitempty"`
	Protocol string `json:"protocol,omitempty"`
	Fix      string `json:"fix"`
	Base     string `json:"base,omitempty"`
}

// query is a probe as the analyzer takes it.
type query struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Protocol string `json:"protocol"`
}

// probeResponse answers api/probe and api/whatif.
type probeResponse struct {
	Version uint64        `json:"version"`
	WhatIf  *whatif       `json:"whatIf,omitempty"`
	Query   query         `json:"query"`
	Result  *reach.Result `json:"result"`
	Fixes   []fix.Fix     `json:"fixes"`
	// Applied is the fix a what-if applied; Verified says that the probe
	// shown is the fix's verification probe (it differs from the one
	// asked when the fix changes how the service is reached).
	Applied  *fix.Fix `json:"applied,omitempty"`
	Verified bool     `json:"verified,omitempty"`
	// Real is what a real packet experienced (Options.Real).
	Real *RealOutcome `json:"real,omitempty"`
}

const maxSpec = 512

// makeQuery validates a probe's fields and folds the port into To.
func makeQuery(from, to string, port int, protocol string) (query, error) {
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	switch {
	case from == "":
		return query{}, errors.New("from: pick a source (internet, an address, an instance, a task, a service or a load balancer)")
	case to == "":
		return query{}, errors.New("to: pick a destination")
	case len(from) > maxSpec || len(to) > maxSpec:
		return query{}, errors.New("from and to are limited to 512 characters")
	case port < 0 || port > 65535:
		return query{}, errors.New("port: want 1 to 65535")
	}
	protocol = strings.ToLower(strings.TrimSpace(protocol))
	if protocol == "" {
		protocol = "tcp"
	}
	switch protocol {
	case "tcp", "udp":
	case "icmp":
		// A ping has no port: the port field is ignored, and a port
		// written into the destination is dropped.
		if i := strings.LastIndexByte(to, ':'); i > 0 && allDigits(to[i+1:]) && !strings.Contains(to[:i], ":") {
			to = to[:i]
		}
		return query{From: from, To: to, Protocol: protocol}, nil
	default:
		return query{}, errors.New("protocol: want tcp, udp or icmp")
	}
	if port > 0 {
		if i := strings.LastIndexByte(to, ':'); i > 0 && allDigits(to[i+1:]) {
			to = to[:i]
		}
		to += ":" + strconv.Itoa(port)
	}
	return query{From: from, To: to, Protocol: protocol}, nil
}

func allDigits(s string) bool {
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

func (h *handler) serveProbe(w http.ResponseWriter, r *http.Request) {
	var req probeRequest
	if !h.decode(w, r, &req) {
		return
	}
	q, err := makeQuery(req.From, req.To, req.Port, req.Protocol)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	e, wi, err := h.engine(req.WhatIf)
	if err != nil {
		writeError(w, status(err), err.Error())
		return
	}
	resp, err := h.probe(e, q, req.Fixes == nil || *req.Fixes)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if h.opts.Real != nil && req.WhatIf == "" && resp.Result != nil {
		// The prober bounds the packet itself (a dropped SYN times out as
		// it should; a request through an ALB waits for its 504).
		out := h.opts.Real(r.Context(), q.From, q.To, q.Protocol)
		out.Agree = out.Verdict == resp.Result.Verdict || (resp.Result.Verdict == reach.NoRoute && out.Verdict == reach.Timeout)
		resp.Real = &out
	}
	resp.WhatIf = wi
	writeJSON(w, http.StatusOK, resp)
}

// probe runs q on e, with its fixes when asked and the probe fails.
func (h *handler) probe(e *engine.Engine, q query, withFixes bool) (*probeResponse, error) {
	resp := &probeResponse{Query: q, Fixes: []fix.Fix{}}
	if withFixes {
		v := e.Version()
		fixes, res, err := h.fixes.find(e, q, fix.Options{Reach: h.opts.Reach})
		if err != nil {
			return nil, err
		}
		resp.Version, resp.Result = v, res
		if fixes != nil {
			resp.Fixes = fixes
		}
		return resp, nil
	}
	st, v := e.Snapshot()
	n := reach.Compile(st, h.opts.Reach...)
	rq, err := reach.NewQuery(n, q.From, q.To, q.Protocol)
	if err != nil {
		return nil, err
	}
	resp.Version, resp.Result = v, reach.Probe(n, rq)
	return resp, nil
}

func (h *handler) serveWhatIf(w http.ResponseWriter, r *http.Request) {
	var req whatifRequest
	if !h.decode(w, r, &req) {
		return
	}
	q, err := makeQuery(req.From, req.To, req.Port, req.Protocol)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if req.Fix == "" || len(req.Fix) > 1024 {
		writeError(w, http.StatusBadRequest, "fix: give the title of one of the probe's fixes")
		return
	}
	base, baseWI, err := h.engine(req.Base)
	if err != nil {
		writeError(w, status(err), err.Error())
		return
	}
	fixes, _, err := h.fixes.find(base, q, fix.Options{Reach: h.opts.Reach})
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var chosen *fix.Fix
	for i := range fixes {
		if fixes[i].Title == req.Fix {
			chosen = &fixes[i]
			break
		}
	}
	if chosen == nil {
		writeError(w, http.StatusConflict, "no fix titled "+strconv.Quote(req.Fix)+" for this probe any more: the system changed; run the probe again")
		return
	}
	clone := base.Clone()
	if err := chosen.Apply(clone); err != nil {
		writeError(w, http.StatusConflict, "applying the fix failed: "+err.Error())
		return
	}
	wi := &whatif{engine: clone, Fixes: []string{chosen.Title}}
	if baseWI != nil {
		wi.Fixes = append(append([]string{}, baseWI.Fixes...), chosen.Title)
		wi.BaseVersion = baseWI.BaseVersion
	} else {
		wi.BaseVersion = base.Version()
	}
	h.whatifs.add(wi)
	v := chosen.Verification
	vq := query{From: v.From, To: v.To, Protocol: v.Protocol}
	if vq.From == "" {
		vq = q
	}
	if vq.Protocol == "" {
		vq.Protocol = q.Protocol
	}
	resp, err := h.probe(clone, vq, true)
	if err != nil {
		h.log.Error("ui: verification probe of a what-if failed", "fix", chosen.Title, "err", err)
		writeError(w, http.StatusInternalServerError, "the verification probe failed: "+err.Error())
		return
	}
	resp.WhatIf, resp.Applied, resp.Verified = wi, chosen, true
	writeJSON(w, http.StatusCreated, resp)
}

func (h *handler) serveDropWhatIf(w http.ResponseWriter, r *http.Request) {
	if !h.whatifs.drop(r.PathValue("id")) {
		writeError(w, http.StatusNotFound, "no what-if "+r.PathValue("id"))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// fixCache remembers the fixes of recent probes by engine, version and
// query, so "try it" right after a probe does not search again.
type fixCache struct {
	mu sync.Mutex
	m  map[fixKey]fixEntry
}

type fixKey struct {
	e       *engine.Engine
	version uint64
	q       query
}

type fixEntry struct {
	fixes []fix.Fix
	res   *reach.Result
}

const maxFixCache = 16

func (c *fixCache) find(e *engine.Engine, q query, o fix.Options) ([]fix.Fix, *reach.Result, error) {
	k := fixKey{e: e, version: e.Version(), q: q}
	c.mu.Lock()
	ent, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return ent.fixes, ent.res, nil
	}
	fixes, res, err := fix.Find(e, q.From, q.To, q.Protocol, o)
	if err != nil {
		return nil, nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxFixCache {
		c.m = map[fixKey]fixEntry{}
	}
	c.m[k] = fixEntry{fixes: fixes, res: res}
	c.mu.Unlock()
	return fixes, res, nil
}
