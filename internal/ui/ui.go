// Package ui is ecsnet's web UI: the system drawn as the article drew it
// (VPC → Availability Zones → subnets → instances → ENIs → tasks), the path
// of a probe on that drawing with every hop marked passed or blocked and
// the rule that decided it, and the verified fixes, each of which can be
// tried on a what-if copy of the system.
//
// New returns an http.Handler that serves an embedded single page (plain
// HTML, CSS, JavaScript and SVG; no CDN, no build step) and a small JSON
// API under whatever prefix it is mounted at:
//
//	GET    /                    the page
//	GET    /static/…            its assets
//	GET    /api/topology        the system, laid out for drawing (?whatif=ID, ?expand=SUBNET,…)
//	GET    /api/resource?id=ID  one resource's details: rules, routes, ACL entries, target health (?whatif=ID)
//	POST   /api/probe           {from, to, port, protocol, whatif, fixes}: the verdict, both paths, the fixes
//	POST   /api/whatif          {from, to, port, protocol, fix, base}: apply a fix to a copy, probe again
//	DELETE /api/whatif/ID       drop a what-if copy
//	GET    /api/events          server-sent events: "version" whenever the engine's state (or its source's problem) changes
//	GET    /api/version         the engine's version (the fallback when events are unavailable)
//
// What-if copies live on the server (engine.Clone), at most
// Options.MaxWhatIfs of them, least recently used first out. Request bodies
// are bounded. Only loopback or allowed Host names are answered, and
// nothing a browser sends on behalf of another site (internal/webguard,
// docs/security.md). The handler keeps no package-level state: everything
// hangs off the value New returns.
package ui

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/webguard"
)

//go:embed static
var assets embed.FS

// Defaults of Options.
const (
	DefaultMaxWhatIfs   = 8
	DefaultPollInterval = 250 * time.Millisecond
	DefaultMaxBodyBytes = 64 << 10
	DefaultMaxStreams   = 32
	// DefaultCollapseAbove is the number of tasks above which subnets are
	// sent collapsed (counts only) until the page expands them.
	DefaultCollapseAbove = 64
)

// Probe is a suggested probe (a scenario's expect: entry), offered as a
// one-click example on the page.
type Probe struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Protocol string `json:"protocol,omitempty"`
	Verdict  string `json:"verdict,omitempty"` // the expected verdict, if any
	Note     string `json:"note,omitempty"`
}

// Options configures the UI. Engine is required; the zero value of every
// other field means its default.
type Options struct {
	// Engine returns the engine to show. It is called on every request, so
	// an emulator may hand out a region's engine lazily; nil means "not
	// ready" (the API answers 503).
	Engine func() *engine.Engine
	// Title names the system in the page header (a scenario's name).
	Title string
	// Examples are offered as one-click probes (a scenario's expect: list).
	// Without any, the page offers examples built from the state.
	Examples []Probe
	// Describe, when set, returns the title and examples of the system
	// Engine returns now, in place of Title and Examples (a SOURCE reloaded
	// on change).
	Describe func() (title string, examples []Probe)
	// Problem, when set, returns what is wrong with the system's source
	// now ("" when nothing): a SOURCE edited into one that no longer
	// loads, while the last good system is still shown. Event streams
	// carry it; the page shows it.
	Problem func() string
	// Locate, when set, returns where the SOURCE defines a finding's
	// resource (file and line; line 0 when unknown), as ecsnet check
	// prints it; the findings list shows it.
	Locate func(c *reach.Component) (file string, line int)
	// Reach are the analyzer options used for every probe.
	Reach []reach.Option
	// MaxWhatIfs bounds the what-if copies kept at once (default 8).
	MaxWhatIfs int
	// WhatIfTTL drops what-if copies unused for this long (default 30 min).
	WhatIfTTL time.Duration
	// PollInterval is how often event streams look at the engine's
	// version (default 250 ms; reading it is one atomic-ish lock).
	PollInterval time.Duration
	// MaxBodyBytes bounds a request body (default 64 KiB).
	MaxBodyBytes int64
	// MaxStreams bounds concurrent event streams (default 32).
	MaxStreams int
	// CollapseAbove is the task count above which subnets are collapsed
	// until expanded (default 64).
	CollapseAbove int
	// Logger gets errors (default: discarded).
	Logger *slog.Logger
	// AllowHosts are the Host names answered besides loopback ones (see
	// webguard.New). An entry that is not valid is logged and ignored.
	AllowHosts []string
	// Real, when set, sends a real packet for each probe of the system
	// itself (not of a what-if copy): the UI of a system `ecsnet up` runs
	// on the kernel. It says what a real client experienced, in the
	// analyzer's words; the page shows it beside the analyzer's verdict.
	Real func(ctx context.Context, from, to, protocol string) RealOutcome
}

// RealOutcome is what a real connection (or HTTP request, to a load
// balancer) experienced.
type RealOutcome struct {
	Verdict reach.Verdict `json:"verdict"`
	Detail  string        `json:"detail"`
	// Agree says whether it agrees with the analyzer's verdict (a real
	// timeout agrees with no-route: AWS drops silently).
	Agree bool `json:"agree"`
}

// handler is the UI. Create it with New.
type handler struct {
	opts   Options
	log    *slog.Logger
	guard  *webguard.Guard
	mux    *http.ServeMux
	page   *template.Template
	static map[string]asset
	boot   string // distinguishes this handler's ETags from another run's

	whatifs *whatifStore
	streams chan struct{} // a token per open event stream

	cacheMu sync.Mutex
	cache   topoCache
	gens    map[*engine.Engine]uint64
	nextGen uint64
	fixes   fixCache
}

type asset struct {
	body  []byte
	etag  string
	ctype string
}

// New returns the UI's handler. It serves everything relative to the path
// it sees, so it works at "/" and under a prefix with http.StripPrefix
// (either "/ui" or "/ui/" stripped).
func New(o Options) http.Handler {
	if o.MaxWhatIfs <= 0 {
		o.MaxWhatIfs = DefaultMaxWhatIfs
	}
	if o.WhatIfTTL <= 0 {
		o.WhatIfTTL = 30 * time.Minute
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxStreams <= 0 {
		o.MaxStreams = DefaultMaxStreams
	}
	if o.CollapseAbove <= 0 {
		o.CollapseAbove = DefaultCollapseAbove
	}
	if o.Title == "" {
		o.Title = "ecsnet"
	}
	h := &handler{
		opts:    o,
		log:     o.Logger,
		static:  map[string]asset{},
		boot:    randomID(4),
		whatifs: newWhatifStore(o.MaxWhatIfs, o.WhatIfTTL),
		streams: make(chan struct{}, o.MaxStreams),
		gens:    map[*engine.Engine]uint64{},
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	g, err := webguard.New(o.AllowHosts...)
	if err != nil {
		h.log.Error("ui: allowed hosts ignored", "err", err)
		g = nil // loopback names only
	}
	h.guard = g
	h.page = template.Must(template.ParseFS(assets, "static/index.html"))
	err = fs.WalkDir(assets, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "static/index.html" {
			return err
		}
		b, err := assets.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.static[strings.TrimPrefix(p, "static/")] = asset{body: b, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, ctype: ct}
		return nil
	})
	if err != nil {
		panic("ui: embedded assets: " + err.Error()) // the embed is part of the binary
	}
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", h.servePage)
	m.HandleFunc("GET /static/{file...}", h.serveStatic)
	m.HandleFunc("GET /api/topology", h.serveTopology)
	m.HandleFunc("GET /api/resource", h.serveResource)
	m.HandleFunc("GET /api/version", h.serveVersion)
	m.HandleFunc("GET /api/events", h.serveEvents)
	m.HandleFunc("POST /api/probe", h.serveProbe)
	m.HandleFunc("POST /api/whatif", h.serveWhatIf)
	m.HandleFunc("DELETE /api/whatif/{id}", h.serveDropWhatIf)
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API: "+r.Method+" "+r.URL.Path)
	})
	h.mux = m
	return h
}

// ServeHTTP serves one request: security headers, a normalized path, then
// the routes.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	// http.StripPrefix("/ui/") leaves "" or "api/…"; make it rooted.
	if !strings.HasPrefix(r.URL.Path, "/") {
		r2 := new(http.Request)
		*r2 = *r
		u := *r.URL
		u.Path = "/" + u.Path
		u.RawPath = ""
		r2.URL = &u
		r = r2
	}
	// Only loopback or allowed Host names (DNS rebinding), nothing a
	// browser sends on behalf of another site (webguard, docs/security.md).
	if err := h.guard.Check(r); err != nil {
		h.log.Warn("ui: request refused", "reason", err, "host", r.Host, "origin", r.Header.Get("Origin"), "remote", r.RemoteAddr)
		writeError(w, http.StatusForbidden, err.Error())
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && !jsonRequest(r) {
		writeError(w, http.StatusForbidden, "cross-origin request refused: a request that changes something must carry JSON")
		return
	}
	h.mux.ServeHTTP(w, r)
}

// jsonRequest reports whether a state-changing request carries JSON,
// which a cross-site form cannot send without a preflight (DELETE has no
// body, and cannot be sent cross-site without a preflight either).
func jsonRequest(r *http.Request) bool {
	if r.Method == http.MethodDelete {
		return true
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct == "application/json"
}

func (h *handler) servePage(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	if err := h.page.Execute(&b, struct {
		Title string
		Real  bool
	}{h.opts.Title, h.opts.Real != nil}); err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b.Bytes())
}

func (h *handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	a, ok := h.static[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.ctype)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", a.etag)
	if r.Header.Get("If-None-Match") == a.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(a.body)
}

// engine returns the engine a request is about: a what-if copy when the
// request names one, else the real one.
func (h *handler) engine(whatif string) (*engine.Engine, *whatif, error) {
	if whatif != "" {
		wi := h.whatifs.get(whatif)
		if wi == nil {
			return nil, nil, errWhatIfGone
		}
		return wi.engine, wi, nil
	}
	if h.opts.Engine == nil {
		return nil, nil, errNoEngine
	}
	e := h.opts.Engine()
	if e == nil {
		return nil, nil, errNoEngine
	}
	return e, nil, nil
}

var (
	errNoEngine   = errors.New("no system loaded yet")
	errWhatIfGone = errors.New("this what-if copy no longer exists (copies are bounded and expire); reset to the real system")
)

// status returns the HTTP status for an error of engine().
func status(err error) int {
	switch {
	case errors.Is(err, errWhatIfGone):
		return http.StatusNotFound
	case errors.Is(err, errNoEngine):
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}

func (h *handler) serveVersion(w http.ResponseWriter, r *http.Request) {
	e, _, err := h.engine("")
	if err != nil {
		writeError(w, status(err), err.Error())
		return
	}
	writeJSON(w, http.StatusOK, versionEvent{Version: e.Version(), Generation: h.generation(e), Problem: h.problem()})
}

// decode reads a bounded JSON body into v.
func (h *handler) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	r.Body = http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "request body larger than "+strconv.FormatInt(h.opts.MaxBodyBytes, 10)+" bytes")
			return false
		}
		writeError(w, http.StatusBadRequest, "bad JSON body: "+err.Error())
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		writeError(w, http.StatusBadRequest, "bad JSON body: more than one value")
		return false
	}
	return true
}

// apiError is the body of every error answer.
type apiError struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, apiError{Error: msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		code = http.StatusInternalServerError
		b, _ = json.Marshal(apiError{Error: "encode: " + err.Error()})
	}
	writeJSONBytes(w, code, b)
}

func writeJSONBytes(w http.ResponseWriter, code int, b []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(code)
	w.Write(b)
	w.Write([]byte("\n"))
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(apiError{Error: "encode: " + err.Error()})
	}
	return b
}

// randomID returns n random bytes in hex.
func randomID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
