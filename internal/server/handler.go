package server

import (
	"bytes"
	"encoding/json"
	"errors"
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
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/webguard"
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
	// A refused request is answered in the shape of the path it asked
	// for: JSON for the UI, health and reset, the service's protocol for
	// the AWS APIs (serve).
	refusal := s.guard.Check(r)
	if refusal != nil {
		s.log.Warn("request refused", "reason", refusal, "host", r.Host, "origin", r.Header.Get("Origin"),
			"sec_fetch_site", r.Header.Get("Sec-Fetch-Site"), "remote", r.RemoteAddr)
	}
	if refusal == nil && browsesRoot(r) {
		for _, m := range s.mounts {
			if m.prefix == UIPrefix {
				// A person who opens the emulator's address in a browser
				// gets its page, not an AWS error for a request with no
				// Action; an SDK's or the aws CLI's GET / (S3's
				// ListBuckets) is signed and asks for no HTML.
				http.Redirect(rw, r, UIPrefix, http.StatusFound)
				return
			}
		}
	}
	if refusal == nil && bareRoot(r) {
		// curl http://127.0.0.1:4566/: what an AWS JSON endpoint answers
		// an unsigned GET / (DynamoDB's "healthy: dynamodb.REGION.amazonaws.com ",
		// the trailing space included), not an AWS error for a request
		// with no Action.
		body := "healthy: ecs." + s.opts.Region + ".amazonaws.com "
		rw.Header().Set("Content-Type", "text/plain")
		rw.Header().Set("Content-Length", strconv.Itoa(len(body)))
		rw.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			io.WriteString(rw, body)
		}
		return
	}
	for _, m := range s.mounts {
		if strings.HasPrefix(r.URL.Path, m.prefix) || r.URL.Path+"/" == m.prefix {
			if refusal != nil {
				writeRefusal(rw, refusal)
				return
			}
		}
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
	case HealthPath, ResetPath:
		if refusal != nil {
			writeRefusal(w, refusal)
		} else if r.URL.Path == HealthPath {
			s.serveHealth(w)
		} else {
			s.serveReset(w, r)
		}
		return
	}
	reqID := requestID()
	var svcName, opName, regionName string
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p) // a response cut short on purpose: net/http breaks the connection
			}
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
	if isS3(r) {
		svcName, regionName = "s3", iamRegion(s.opts.Region)
		opName = s.serveS3(w, r, reqID, refusal)
		return
	}
	svc, op, region, err := s.serve(w, r, reqID, refusal)
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
// svc's protocol (svc may be nil). A refusal (webguard) is reported once
// the request's service is known, so it comes in that service's shape.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, reqID string, refusal error) (*awsproto.Service, *awsproto.Operation, string, error) {
	models, err := s.Models()
	if err != nil {
		return nil, nil, "", &apierr.Error{Code: "ServiceUnavailable", Message: "The service models could not be loaded."}
	}
	bl := api.BodyLimit{Bytes: s.opts.MaxBodyBytes, Err: func() *apierr.Error { return tooLarge(s.opts.MaxBodyBytes) }}
	if refusal == nil {
		bl = s.bodyLimit(models, r)
	}
	limit, overLimit := bl.Bytes, bl.Err
	if refusal == nil && r.ContentLength > limit {
		// Refused before a byte of it is read.
		return serviceOf(models, r), nil, "", overLimit()
	}
	if limit > s.opts.MaxBodyBytes {
		// An operation whose requests may be larger than the server's
		// limit (Lambda's deployment packages, 67 MB): a few such bodies
		// are held at once, the others wait.
		select {
		case s.bigBodies <- struct{}{}:
			defer func() { <-s.bigBodies }()
		case <-r.Context().Done():
			return serviceOf(models, r), nil, "", apierr.New("IncompleteBody", "The request body could not be read.")
		}
	}
	buf := s.getBuf()
	defer s.putBuf(buf)
	n, rerr := buf.ReadFrom(io.LimitReader(r.Body, limit+1))
	if refusal != nil && (n > limit || rerr != nil) {
		return serviceOf(models, r), nil, "", refused(serviceOf(models, r), refusal)
	}
	if n > limit {
		return serviceOf(models, r), nil, "", overLimit()
	}
	if rerr != nil {
		return serviceOf(models, r), nil, "", apierr.New("IncompleteBody", "The request body could not be read.")
	}
	if bl.Check != nil && refusal == nil {
		if err := bl.Check(r.Header, int(n)); err != nil {
			return serviceOf(models, r), nil, "", err
		}
	}
	body := buf.Bytes()
	target, err := models.Identify(r, body)
	if refusal == nil && err == nil {
		refusal = stateChangeRefusal(r, target.Operation)
		if refusal != nil {
			s.log.Warn("request refused", "reason", refusal, "op", target.Operation.Name, "remote", r.RemoteAddr)
		}
	}
	if refusal != nil {
		return target.Service, target.Operation, target.Region, refused(target.Service, refusal)
	}
	if err != nil {
		return target.Service, target.Operation, target.Region, err
	}
	regionName := target.Region
	if regionName == "" {
		regionName = s.opts.Region
	}
	if target.Service.Name == "iam" {
		// IAM is global: whatever region a client signs for (the SDKs sign
		// for us-east-1 unless an endpoint override makes them use the
		// client's region), its resources are the same ones.
		regionName = iamRegion(regionName)
	}
	h := s.opts.Registry.Lookup(target.Service.Name, target.Operation.Name)
	if h == nil {
		return target.Service, target.Operation, regionName, api.NotImplemented(target.Service.ServiceID, target.Operation.Name)
	}
	reg, err := s.region(regionName)
	var unknown *unknownRegionError
	if errors.As(err, &unknown) {
		return target.Service, target.Operation, regionName, invalidRegion(target.Service, unknown.name)
	}
	if err != nil {
		s.log.Error("opening a region failed", "region", regionName, "err", err)
		return target.Service, target.Operation, regionName, &apierr.Error{Code: "ServiceUnavailable", Message: "The region's state could not be loaded."}
	}
	regionName = reg.name
	// STS answers depend on the caller's credentials, which the cache key
	// does not hold; of the caller it holds the session token, since some
	// answers depend on who asks (an assumed role's own ECS account
	// settings).
	// Route 53's answers read every region's engine (its zones sit with
	// their VPCs' regions), whose versions the key does not hold.
	cacheable := !s.opts.NoReadCache && api.ReadOnly(target.Operation.Name) && target.Service.Name != "sts" && target.Service.Name != "route53" &&
		!api.ClockDependent(target.Service.Name, target.Operation.Name)
	var key readKeyT
	var version uint64
	if cacheable {
		query := r.URL.RawQuery
		if target.Service.Protocol == awsproto.ProtocolRESTJSON || target.Service.Protocol == awsproto.ProtocolRESTXML {
			// A REST request's path names what it reads.
			query = r.URL.EscapedPath() + "?" + query
		}
		key = readKey(target.Service.Name, target.Operation.Name, r.Header.Get("Content-Type"), query, r.Header.Get("X-Amz-Security-Token"), body)
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
		SecurityToken: securityToken(r), AccessKeyID: accessKeyID(r),
		GlobalIAM: func() (*engine.Engine, error) { return s.Engine(iamRegion(reg.name)) },
		Regions:   s.Engine, OpenRegions: s.regionNames,
	}
	out, err := s.call(reg, call, h)
	if err != nil {
		return target.Service, target.Operation, regionName, err
	}
	// Encode once, into a pooled buffer: the bytes go to the cache when
	// they may, and to the client either way. A response larger than
	// streamAt (a describe of many thousands of resources) is sent as it
	// is encoded, never built whole, and not cached.
	// A REST operation's header members (CreateHostedZone's Location)
	// go in headers, not the body; such answers are not cached.
	hdrs, out := target.Operation.SplitHeaders(out)
	for k, v := range hdrs {
		w.Header().Set(k, v)
	}
	cacheable = cacheable && len(hdrs) == 0
	// An output member bound to the HTTP status (Lambda's Invoke: 202
	// for an Event, 204 for a DryRun) overrides the operation's status;
	// a 204 has no body.
	status, out := target.Operation.SplitStatus(out)
	switch {
	case status == 0:
		status = target.Operation.StatusCode()
	case status == http.StatusNoContent:
		w.Header().Set("X-Amzn-Requestid", reqID)
		w.WriteHeader(status)
		return target.Service, target.Operation, regionName, nil
	default:
		cacheable = false
	}
	ob := s.getBuf()
	defer s.putBuf(ob)
	ct := target.Operation.ContentType()
	var werr error
	started := false
	streamed, err := target.Operation.StreamResponse(ob, placeholderID, out, streamAt, func(chunk []byte) error {
		if werr != nil {
			return werr
		}
		if !started {
			started = true
			h := w.Header()
			h.Set("Content-Type", ct)
			h.Set("X-Amzn-Requestid", reqID)
			smithyProtocol(h, ct)
			w.WriteHeader(status)
		}
		// The request id is written outside any list, so a chunk holds
		// all of the placeholder or none; both have the same length.
		if i := bytes.Index(chunk, []byte(placeholderID)); i >= 0 {
			copy(chunk[i:], reqID)
		}
		_, werr = w.Write(chunk)
		return werr
	})
	switch {
	case err != nil && werr != nil:
		// The client hung up (or timed out) while reading: nothing to
		// answer, and no fault of the handler's.
		s.log.Debug("client went away during the response", "op", target.Operation.Name, "request_id", reqID, "err", werr)
		return target.Service, target.Operation, regionName, nil
	case err != nil:
		s.log.Error("handler output does not fit the model", "service", target.Service.Name, "op", target.Operation.Name, "err", err)
		if streamed {
			panic(http.ErrAbortHandler) // half a response was sent: break it, do not complete it
		}
		return target.Service, target.Operation, regionName, apierr.Internal()
	case streamed:
		return target.Service, target.Operation, regionName, nil
	}
	cb := ob.Bytes()
	e := &cachedRead{body: cb, ct: ct, idAt: placeholderAt(cb), status: status}
	if cacheable && reg.engine.Version() == version && reg.reads.fits(len(cb)) {
		if c := reg.reads.put(key, version, bytes.Clone(cb), ct); c != nil {
			e = c
		}
	}
	if err := e.write(w, reqID); err != nil {
		s.log.Debug("client went away during the response", "op", target.Operation.Name, "request_id", reqID, "err", err)
	}
	return target.Service, target.Operation, regionName, nil
}

// streamAt is the size above which a response is sent as it is encoded.
const streamAt = 1 << 20

// placeholderAt returns the offset of placeholderID in an encoded body, or
// -1 when it is absent (JSON bodies carry no request id).
func placeholderAt(b []byte) int {
	i := bytes.Index(b, []byte(placeholderID))
	if i >= 0 && bytes.Index(b[i+len(placeholderID):], []byte(placeholderID)) >= 0 {
		// The id also appears in the data (it cannot: ids are random):
		// give up replacing it.
		return -1
	}
	return i
}

// call runs a handler with DryRun, client-token idempotency and
// durability around it.
func (s *Server) call(reg *region, c *api.Call, h api.Handler) (map[string]any, error) {
	if c.In.DryRun() {
		// Validate against the live state, under the engine's lock:
		// whatever the handler changes is undone when it returns
		// (engine.DryRun copies nothing, whatever the estate's size).
		err := c.Engine.DryRun(func(d *engine.Engine) error {
			dry := *c
			dry.Engine = d
			_, err := h(&dry)
			return err
		})
		if err != nil {
			return nil, err
		}
		return nil, awsproto.DryRunOperation()
	}
	// Cloud Map's CreatorRequestId is the engine's: a reused one answers
	// with the resource it made (NamespaceAlreadyExists names it).
	if tok := tokenMember(c.Op); tok != "" && c.In.String(tok) != "" && c.Op.Service.Name != "servicediscovery" {
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
	var ticket engine.Ticket
	if write {
		// The handler's writes record their batch in the ticket.
		tc := *c
		tc.Engine = c.Engine.WithTicket(&ticket)
		c = &tc
	}
	out, err := h(c)
	if err != nil {
		return nil, err
	}
	if write {
		// Wait for the request's own batch (and so every batch before it,
		// which it may depend on).
		// A write that queued nothing (a replay, a no-op) may still have
		// answered with what others wrote: wait for everything queued.
		seq := ticket.Seq()
		sync := func() error { return s.commit.syncSeq(seq) }
		// Route 53's writes may reach other regions' engines (a private
		// zone's copies), which the ticket does not follow: wait for all.
		if seq == 0 || c.Op.Service.Name == "route53" {
			sync = s.commit.sync
		}
		err := sync()
		if err == nil && ticket.Reverted() {
			// The flush failed and the write was undone, though the
			// committer no longer remembers that flush.
			err = errors.New("persist: the write was undone after a failed flush")
		}
		if err != nil {
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

// accessKeyID returns the access key that signed a request: the first part
// of SigV4's Credential (header or presigned query), "" when unsigned.
func accessKeyID(r *http.Request) string {
	cred := ""
	if auth := r.Header.Get("Authorization"); auth != "" {
		if i := strings.Index(auth, "Credential="); i >= 0 {
			cred = strings.SplitN(auth[i+len("Credential="):], ",", 2)[0]
		}
	} else if r.URL != nil && r.URL.RawQuery != "" {
		cred = r.URL.Query().Get("X-Amz-Credential")
	}
	id, _, _ := strings.Cut(cred, "/")
	return id
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

// bodyLimit returns the largest body the request's operation takes and the
// error for a larger one: the server's MaxBodyBytes, or the operation's own
// limit (api.Registry.SetBodyLimit), which only a request whose service
// and operation are told by its method, path and headers (REST) can have.
func (s *Server) bodyLimit(models *awsproto.Models, r *http.Request) api.BodyLimit {
	def := api.BodyLimit{Bytes: s.opts.MaxBodyBytes, Err: func() *apierr.Error { return tooLarge(s.opts.MaxBodyBytes) }}
	scope, _ := awsproto.CredentialScope(r)
	if scope == "" || !s.opts.Registry.HasBodyLimits(scope) {
		return def
	}
	t, err := models.Identify(r, nil)
	if err != nil || t.Operation == nil || t.Service.Protocol != awsproto.ProtocolRESTJSON && t.Service.Protocol != awsproto.ProtocolRESTXML {
		return def
	}
	if l, ok := s.opts.Registry.BodyLimit(t.Service.Name, t.Operation.Name); ok {
		return l
	}
	return def
}

// bigBodiesAtOnce is how many requests over the server's body limit (but
// within their operation's) are read and served at once.
const bigBodiesAtOnce = 2

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

// stateChangeRefusal returns why a call that changes state cannot be served as
// it came (nil when it can): it must be a POST (a GET is what an <img> or a
// link sends) signed with SigV4, which a web page cannot send to another
// origin without a CORS preflight (the server answers none). Read-only
// calls (Describe*, List*, Get*) need neither: a page cannot read the
// answer of another origin, and Host checks stop DNS rebinding.
func stateChangeRefusal(r *http.Request, op *awsproto.Operation) error {
	if api.ReadOnly(op.Name) {
		return nil
	}
	if op.Service.Name == "sts" && (op.Name == "AssumeRoleWithWebIdentity" || op.Name == "AssumeRoleWithSAML") {
		// Unsigned by design (botocore: "authtype": "none"): the token is
		// the credential. They change no state here.
		return nil
	}
	// A REST operation is served only with its own method (PUT, DELETE),
	// which a web page cannot send to another origin without a preflight.
	rest := op.Service.Protocol == awsproto.ProtocolRESTJSON || op.Service.Protocol == awsproto.ProtocolRESTXML
	if r.Method != http.MethodPost && (!rest || r.Method != op.HTTPMethod) {
		return &webguard.Refusal{Reason: op.Name + " changes state: ecsnet serves it only as a POST, never as a " + r.Method + " (docs/security.md)"}
	}
	if !signedV4(r) {
		return &webguard.Refusal{Reason: op.Name + " changes state: ecsnet serves it only when the request is signed with AWS Signature Version 4 (any credentials; the aws CLI, boto3 and the SDKs sign every call). An unsigned request is what a web page could send (docs/security.md)"}
	}
	return nil
}

// signedV4 reports whether the request carries a SigV4 (or SigV4a)
// Authorization header. The signature is not verified: any credentials
// are accepted, but a browser cannot attach this header to a request to
// another origin without a preflight.
func signedV4(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	scheme, rest, _ := strings.Cut(auth, " ")
	return (scheme == "AWS4-HMAC-SHA256" || scheme == "AWS4-ECDSA-P256-SHA256") && strings.Contains(rest, "Credential=")
}

// refused is a refusal in the shape of svc's protocol: HTTP 403 with the
// code each service uses to deny access.
func refused(svc *awsproto.Service, refusal error) *apierr.Error {
	code, msg := "AccessDenied", refusal.Error()
	if svc != nil {
		switch svc.Protocol {
		case awsproto.ProtocolEC2:
			code, msg = "UnauthorizedOperation", "You are not authorized to perform this operation. "+msg
		case awsproto.ProtocolJSON, awsproto.ProtocolRESTJSON:
			// Lambda's and EFS's denial, as their JSON peers'.
			code = "AccessDeniedException"
		}
	}
	return &apierr.Error{Code: code, Message: msg, HTTPStatus: http.StatusForbidden}
}

// writeRefusal answers a refused request to a path outside the AWS APIs
// (the UI, health, reset) with HTTP 403 and a JSON body, as the UI
// answers its errors.
func writeRefusal(w http.ResponseWriter, refusal error) {
	b, _ := json.Marshal(map[string]string{"error": refusal.Error()})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write(append(b, '\n'))
}

// getBuf returns a pooled buffer, empty.
func (s *Server) getBuf() *bytes.Buffer {
	buf, _ := s.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	return buf
}

// putBuf returns a buffer to the pool unless it grew large.
func (s *Server) putBuf(buf *bytes.Buffer) {
	if buf.Cap() <= 4<<20 {
		buf.Reset()
		s.bufs.Put(buf)
	}
}

// iamRegion is the region whose state holds a partition's IAM: the region
// IAM requests are signed for (us-east-1, cn-north-1, us-gov-west-1).
func iamRegion(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "cn-north-1"
	case strings.HasPrefix(region, "us-gov-"):
		return "us-gov-west-1"
	}
	return "us-east-1"
}

// UIPrefix is where ecsnet serve mounts the web UI.
const UIPrefix = "/ui/"

// bareRoot reports whether r is an unsigned GET (or HEAD) of the server's
// root with no query and no body: curl's, a load balancer's or a
// container's health check, not an AWS client's request (the SDKs and the
// aws CLI sign theirs; S3's ListBuckets is a signed GET /).
func bareRoot(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead || r.URL.Path != "/" || r.URL.RawQuery != "" || r.Header.Get("Authorization") != "" || r.ContentLength > 0 {
		return false
	}
	for h := range r.Header {
		if strings.HasPrefix(strings.ToLower(h), "x-amz-") {
			return false
		}
	}
	return !hostIsVirtual(r)
}

// browsesRoot reports whether r is a browser opening the server's root:
// an unsigned GET / with no query that accepts HTML.
func browsesRoot(r *http.Request) bool {
	if r.Method != http.MethodGet || r.URL.Path != "/" || r.URL.RawQuery != "" || r.Header.Get("Authorization") != "" {
		return false
	}
	for h := range r.Header {
		if strings.HasPrefix(strings.ToLower(h), "x-amz-") {
			return false
		}
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}
