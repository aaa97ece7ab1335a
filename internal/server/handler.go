package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
)

// Paths the server serves besides the AWS APIs.
const (
	HealthPath = "/_ecsnet/health"
	ResetPath  = "/moto-api/reset"
)

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	for _, m := range s.mounts {
		if strings.HasPrefix(r.URL.Path, m.prefix) {
			m.h.ServeHTTP(rw, r)
			return
		}
		if r.URL.Path+"/" == m.prefix && r.Method == http.MethodGet {
			http.Redirect(rw, r, m.prefix, http.StatusMovedPermanently)
			return
		}
	}
	start := time.Now()
	w := &statusWriter{ResponseWriter: rw}
	switch r.URL.Path {
	case HealthPath:
		s.serveHealth(w)
		return
	case ResetPath:
		s.serveReset(w, r)
		return
	}
	reqID := requestID()
	var svcName, opName, regionName string
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("handler panicked", "service", svcName, "op", opName, "request_id", reqID, "panic", p, "stack", string(debug.Stack()))
			if w.status == 0 {
				(*awsproto.Service)(nil).WriteError(w, reqID, apierr.Internal())
			}
		}
		level := slog.LevelInfo
		if w.status >= 500 && w.status != http.StatusNotImplemented {
			level = slog.LevelError
		}
		if s.log.Enabled(r.Context(), level) {
			s.log.Log(r.Context(), level, "request", "service", svcName, "op", opName, "region", regionName,
				"status", w.status, "dur", time.Since(start), "request_id", reqID)
		}
	}()
	svc, op, region, err := s.serve(w, r, reqID)
	if svc != nil {
		svcName = svc.Name
	}
	if op != nil {
		opName = op.Name
	}
	regionName = region
	if err != nil {
		svc.WriteError(w, reqID, err)
	}
}

// serve handles an AWS API request; an error is written by the caller in
// svc's protocol (svc may be nil).
func (s *Server) serve(w http.ResponseWriter, r *http.Request, reqID string) (*awsproto.Service, *awsproto.Operation, string, error) {
	models, err := s.Models()
	if err != nil {
		return nil, nil, "", &apierr.Error{Code: "ServiceUnavailable", Message: "The service models could not be loaded."}
	}
	buf, _ := s.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer func() {
		if buf.Cap() <= 1<<20 {
			buf.Reset()
			s.bufs.Put(buf)
		}
	}()
	buf.Reset()
	n, rerr := buf.ReadFrom(io.LimitReader(r.Body, s.opts.MaxBodyBytes+1))
	if n > s.opts.MaxBodyBytes {
		return serviceOf(models, r), nil, "", tooLarge(s.opts.MaxBodyBytes)
	}
	if rerr != nil {
		return serviceOf(models, r), nil, "", apierr.New("IncompleteBody", "The request body could not be read.")
	}
	body := buf.Bytes()
	target, err := models.Identify(r, body)
	if err != nil {
		return target.Service, target.Operation, target.Region, err
	}
	regionName := target.Region
	if regionName == "" {
		regionName = s.opts.Region
	}
	h := s.opts.Registry.Lookup(target.Service.Name, target.Operation.Name)
	if h == nil {
		return target.Service, target.Operation, regionName, api.NotImplemented(target.Service.ServiceID, target.Operation.Name)
	}
	reg, err := s.region(regionName)
	if err != nil {
		s.log.Error("opening a region failed", "region", regionName, "err", err)
		return target.Service, target.Operation, regionName, &apierr.Error{Code: "ServiceUnavailable", Message: "The region's state could not be loaded."}
	}
	regionName = reg.name
	// STS answers depend on the caller's credentials, which the cache key
	// does not hold.
	cacheable := !s.opts.NoReadCache && api.ReadOnly(target.Operation.Name) && target.Service.Name != "sts"
	var key string
	var version uint64
	if cacheable {
		key = readKey(target.Service.Name, target.Operation.Name, r.Header.Get("Content-Type"), r.URL.RawQuery, body)
		version = reg.engine.Version()
		if e := reg.reads.get(key, version); e != nil {
			e.write(w, reqID)
			return target.Service, target.Operation, regionName, nil
		}
	}
	in, err := target.Decode()
	if err != nil {
		return target.Service, target.Operation, regionName, err
	}
	call := &api.Call{
		Ctx: r.Context(), Op: target.Operation, In: in, Engine: reg.engine,
		Region: reg.name, Account: s.opts.Account, RequestID: reqID, Analyzer: s.opts.Analyzer,
		SecurityToken: securityToken(r),
	}
	out, err := s.call(reg, call, h)
	if err != nil {
		return target.Service, target.Operation, regionName, err
	}
	if cacheable && reg.engine.Version() == version {
		cb, ct, err := target.Operation.MarshalResponse(placeholderID, out)
		if err == nil {
			if e := reg.reads.put(key, version, cb, ct); e != nil {
				e.write(w, reqID)
				return target.Service, target.Operation, regionName, nil
			}
		}
	}
	if err := target.Operation.WriteResponse(w, reqID, out); err != nil {
		s.log.Error("handler output does not fit the model", "err", err)
	}
	return target.Service, target.Operation, regionName, nil
}

// call runs a handler with DryRun, client-token idempotency and
// durability around it.
func (s *Server) call(reg *region, c *api.Call, h api.Handler) (map[string]any, error) {
	if c.In.DryRun() {
		// Validate against a copy of the state: whatever the handler would
		// change, changes the copy only.
		dry := *c
		dry.Engine = c.Engine.Clone()
		if _, err := h(&dry); err != nil {
			return nil, err
		}
		return nil, awsproto.DryRunOperation()
	}
	if tok := tokenMember(c.Op); tok != "" && c.In.String(tok) != "" {
		key := c.Op.Name + "\x00" + c.In.String(tok)
		replay, finish, err := reg.idem.begin(key, paramsHash(c.In, tok), c.Op.Service, time.Now())
		if err != nil {
			return nil, err
		}
		if finish == nil {
			return replay, nil
		}
		out, err := s.run(c, h)
		finish(out, err)
		return out, err
	}
	return s.run(c, h)
}

// run runs a handler and, after a write, waits until it is durable.
func (s *Server) run(c *api.Call, h api.Handler) (map[string]any, error) {
	write := !api.ReadOnly(c.Op.Name) && s.commit != nil
	var gid uint64
	if write {
		gid = s.commit.track()
	}
	out, err := h(c)
	var seq uint64
	if write {
		seq = s.commit.takeSeq(gid)
	}
	if err != nil {
		return nil, err
	}
	if write {
		// Wait for the request's own batch (and so every batch before it,
		// which it may depend on).
		// A write that queued nothing (a replay, a no-op) may still have
		// answered with what others wrote: wait for everything queued.
		sync := func() error { return s.commit.syncSeq(seq) }
		if seq == 0 {
			sync = s.commit.sync
		}
		if err := sync(); err != nil {
			s.log.Error("a write could not be made durable", "op", c.Op.Name, "err", err)
			return nil, &apierr.Error{Code: "ServiceUnavailable", Message: "The state could not be saved."}
		}
	}
	return out, nil
}

// securityToken returns the session token a request is signed with
// (header, or query string when presigned).
func securityToken(r *http.Request) string {
	if t := r.Header.Get("X-Amz-Security-Token"); t != "" {
		return t
	}
	if r.URL != nil && r.URL.RawQuery != "" {
		return r.URL.Query().Get("X-Amz-Security-Token")
	}
	return ""
}

// serviceOf tells the service of a request from its headers alone, to
// report an error before the body is read (nil when it cannot be told).
func serviceOf(models *awsproto.Models, r *http.Request) *awsproto.Service {
	auth := r.Header.Get("Authorization")
	if i := strings.Index(auth, "Credential="); i >= 0 {
		parts := strings.Split(strings.SplitN(auth[i+len("Credential="):], ",", 2)[0], "/")
		if len(parts) == 5 {
			for _, svc := range models.Services() {
				if svc.SigningName == parts[3] {
					return svc
				}
			}
		}
	}
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		for _, svc := range models.Services() {
			if svc.TargetPrefix != "" && strings.HasPrefix(t, svc.TargetPrefix+".") {
				return svc
			}
		}
	}
	return nil
}

// tooLarge is the error for a body over the limit: HTTP 413, the status
// AWS's front ends use for an oversized request.
func tooLarge(limit int64) *apierr.Error {
	return &apierr.Error{Code: "RequestEntityTooLarge", HTTPStatus: http.StatusRequestEntityTooLarge,
		Message: "Request size exceeds the limit of " + strconv.FormatInt(limit, 10) + " bytes."}
}

// requestID returns a random UUID, as AWS request ids are.
func requestID() string {
	a, b := rand.Uint64(), rand.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xfff, (b>>48)&0x3fff|0x8000, b&0xffffffffffff)
}

// serveHealth answers GET /_ecsnet/health: 200 with "status":"ok", or 503
// with "status":"unhealthy" and the problems: the last write to the state
// file failed, a write has been running for too long, or the step loop has
// not completed a pass recently.
func (s *Server) serveHealth(w http.ResponseWriter) {
	ready := "loading"
	select {
	case <-s.modelsReady:
		ready = "ready"
		if s.modelsErr != nil {
			ready = "failed"
		}
	default:
	}
	problems := []string{}
	stall := s.stallAfter()
	if s.commit != nil {
		if ok, detail := s.commit.storeHealth(stall); !ok {
			problems = append(problems, detail)
		}
	}
	if detail := s.stepHealth(stall); detail != "" {
		problems = append(problems, detail)
	}
	status := "ok"
	w.Header().Set("Content-Type", "application/json")
	if len(problems) > 0 {
		status = "unhealthy"
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	b, _ := json.Marshal(struct {
		Status     string   `json:"status"`
		Models     string   `json:"models"`
		Persistent bool     `json:"persistent"`
		Problems   []string `json:"problems,omitempty"`
	}{status, ready, s.commit != nil, problems})
	w.Write(append(b, '\n'))
}

func (s *Server) serveReset(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "use POST", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := s.Reset(); err != nil {
		s.log.Error("reset failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, `{"status":"error"}`)
		return
	}
	s.log.Info("state reset")
	fmt.Fprintln(w, `{"status":"ok"}`)
}
