// Package server is ecsnet's AWS-compatible endpoint: one http.Handler for
// EC2, ECS, Elastic Load Balancing v2 and Auto Scaling (and Network
// Insights, part of EC2), CloudFormation, SSM Parameter Store and STS, as
// the aws CLI, boto3 and the AWS SDKs call them.
//
// A request is identified and decoded by internal/awsproto, served by a
// handler of internal/api on the engine of its region (the SigV4 credential
// scope's region, else the server's default; engines are created on
// demand), and answered in the service's protocol. Any credentials are
// accepted. Bodies are bounded; every failure is an AWS-shaped error, never
// a bare 500. A background loop steps every engine (instances boot, tasks
// move through their lifecycle, services converge) and completes Network
// Insights analyses.
//
// With a state file, every write is durable before it is acknowledged (see
// committer); all regions share one bbolt file.
//
// Besides the AWS APIs it serves GET /_ecsnet/health and POST
// /moto-api/reset (returns every region to a new account's state, as test
// suites written for moto expect).
//
// Web pages cannot drive it (docs/security.md): every path answers only
// loopback or allowed Host names and refuses what a browser sends on
// behalf of another site (internal/webguard); a call that changes state
// must be a POST signed with SigV4 (any credentials), which a page can
// only send with a CORS preflight, and the server grants none.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/store"
	"github.com/ecsnet/ecsnet/internal/webguard"
)

// Defaults.
const (
	DefaultAddr         = "127.0.0.1:4566"
	DefaultRegion       = "us-east-1"
	DefaultAccount      = "123456789012"
	DefaultMaxBodyBytes = 10 << 20
	// DefaultMaxS3Bytes bounds what S3's objects and parts hold in all.
	DefaultMaxS3Bytes   = 512 << 20
	DefaultStepInterval = 100 * time.Millisecond
)

// Options configures a Server. The zero value of a field means its default.
type Options struct {
	// Region is the region of requests whose credential scope names none.
	Region  string
	Account string
	// Store persists every region's state (nil: memory only). The server
	// does not close it.
	Store store.Store
	// SyncCommit writes each change to the store under the engine's lock
	// instead of grouping concurrent writes into one commit.
	SyncCommit bool
	// Logger gets one line per request (Info), and errors.
	Logger *slog.Logger
	// MaxBodyBytes bounds a request body (default 10 MiB).
	MaxBodyBytes int64
	// MaxS3Bytes bounds the bytes S3's objects and multipart upload
	// parts hold together, in memory and in the store (default 512 MiB);
	// a write beyond it is refused with EntityTooLarge.
	MaxS3Bytes int64
	// StepInterval is how often the engines step (default 100 ms).
	StepInterval time.Duration
	// Registry holds the operation handlers (required).
	Registry *api.Registry
	// Analyzer answers Network Insights and target health (default: one
	// that reports the analyzer as unavailable).
	Analyzer api.Analyzer
	// EngineOptions are added to every region's engine (a start check, a
	// task start delay, …).
	EngineOptions []engine.Option
	// Models are the service models; nil loads them in the background, so
	// the server answers its first request sooner.
	Models *awsproto.Models
	// NoReadCache turns off the cache of read-only responses (readCache).
	NoReadCache bool
	// DefaultVPC gives every region the default VPC a new AWS account has,
	// when the region is first used and after Reset (ecsnet serve does;
	// --no-default-vpc turns it off).
	DefaultVPC bool
	// NoLaunchConfigurations makes every region's account one created
	// after October 1, 2024: CreateLaunchConfiguration is refused
	// (engine.Config.NoLaunchConfigurations; --no-launch-configurations).
	NoLaunchConfigurations bool
	// KnownImagesOnly refuses to launch a well-formed AMI id that names no
	// image the account has nor a public one ecsnet knows
	// (engine.Config.KnownImagesOnly; --known-images-only).
	KnownImagesOnly bool
	// AllowHosts are the Host names answered besides loopback ones (see
	// webguard.New: names, addresses, *.DOMAIN, *).
	AllowHosts []string
	// ReadCacheBytes is the read cache's budget per region (default
	// DefaultReadCacheBytes, 64 MiB).
	ReadCacheBytes int64
	// Timeouts bound how long Serve waits for a client: to send its
	// headers (default 10 s), its whole request (default 60 s), and its
	// next request on a kept-alive connection (default 120 s).
	ReadHeaderTimeout, ReadTimeout, IdleTimeout time.Duration
	// StackStabilizeTimeout is how long a CloudFormation create or update waits for
	// its ECS services to stabilize (engine.Config; 0: three hours, as
	// CloudFormation; negative: no wait).
	StackStabilizeTimeout time.Duration
	// CapacityWaitTimeout is how long a task waits in PROVISIONING for
	// capacity, in AWS's time (engine.Config; 0: 30 minutes), which the
	// engines scale as ELB's durations: at the default step interval 30
	// minutes take 18 s.
	CapacityWaitTimeout time.Duration
}

// Default timeouts of Serve (see Options).
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 60 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
)

// Server serves the AWS APIs. Create it with New, serve it with Serve or
// use it as an http.Handler (then call Step yourself, or run StepLoop), and
// Close it.
type Server struct {
	opts  Options
	log   *slog.Logger
	guard *webguard.Guard

	modelsReady chan struct{}
	models      *awsproto.Models
	modelsErr   error

	commit *committer // nil without a store
	bufs   sync.Pool  // request body buffers
	// bigBodies holds a token for each request being served whose body
	// may exceed MaxBodyBytes (bigBodiesAtOnce at most).
	bigBodies chan struct{}

	mu      sync.Mutex
	regions map[string]*region

	closeOnce   sync.Once
	stop        chan struct{}
	loopStarted atomic.Bool
	loopDone    chan struct{}
	// stepStart and stepEnd are when the step loop's current pass started
	// and its last one ended (unix nanoseconds; health).
	stepStart, stepEnd atomic.Int64
	stepErr            atomic.Pointer[string]

	// mounts are handlers served under a path prefix instead of the AWS
	// APIs (the web UI at /ui/). Set before Serve, read-only after.
	mounts []mount
}

type mount struct {
	prefix string
	h      http.Handler
}

// Mount serves h for every path under prefix (which must end in "/"), with
// the prefix stripped, instead of the AWS APIs; the prefix without its
// slash redirects to it. Call it before Serve.
func (s *Server) Mount(prefix string, h http.Handler) {
	s.mounts = append(s.mounts, mount{prefix: prefix, h: http.StripPrefix(strings.TrimSuffix(prefix, "/"), h)})
}

// New returns a server over the state in opts.Store (every region found
// there is opened at once).
func New(opts Options) (*Server, error) {
	if opts.Registry == nil {
		return nil, errors.New("server: no registry")
	}
	if opts.Region == "" {
		opts.Region = DefaultRegion
	}
	if opts.Account == "" {
		opts.Account = DefaultAccount
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxS3Bytes <= 0 {
		opts.MaxS3Bytes = DefaultMaxS3Bytes
	}
	if opts.StepInterval <= 0 {
		opts.StepInterval = DefaultStepInterval
	}
	if opts.ReadCacheBytes <= 0 {
		opts.ReadCacheBytes = DefaultReadCacheBytes
	}
	if opts.ReadHeaderTimeout <= 0 {
		opts.ReadHeaderTimeout = DefaultReadHeaderTimeout
	}
	if opts.ReadTimeout <= 0 {
		opts.ReadTimeout = DefaultReadTimeout
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Analyzer == nil {
		opts.Analyzer = unavailableAnalyzer{}
	}
	guard, err := webguard.New(opts.AllowHosts...)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s := &Server{
		guard:       guard,
		opts:        opts,
		log:         opts.Logger,
		modelsReady: make(chan struct{}),
		regions:     map[string]*region{},
		stop:        make(chan struct{}),
		loopDone:    make(chan struct{}),
		bigBodies:   make(chan struct{}, bigBodiesAtOnce),
	}
	if opts.Models != nil {
		s.models = opts.Models
		close(s.modelsReady)
	} else {
		go func() {
			s.models, s.modelsErr = awsproto.LoadModels()
			close(s.modelsReady)
		}()
	}
	if opts.Store != nil {
		s.commit = newCommitter(opts.Store, !opts.SyncCommit)
		names, err := storedRegions(opts.Store)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, name := range names {
			if _, err := s.openLocked(name); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// Models waits for the service models and returns them.
func (s *Server) Models() (*awsproto.Models, error) {
	<-s.modelsReady
	return s.models, s.modelsErr
}

// Empty reports whether no region holds any state yet (a fresh state file).
func (s *Server) Empty() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.regions) == 0
}

// region returns the region's state, opening its engine on first use ("":
// the default region). Only AWS's regions, the default region and the
// regions the state already holds are served: any other name is an
// *unknownRegionError, so a typo never creates an engine (and its
// background work) of its own, nor falls back to another region.
func (s *Server) region(name string) (*region, error) {
	if name == "" {
		name = s.opts.Region
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.regions[name]; r != nil {
		return r, nil
	}
	if name != s.opts.Region && !slices.Contains(model.Regions(model.Partition(s.opts.Region)), name) {
		return nil, &unknownRegionError{name: name}
	}
	return s.openLocked(name)
}

// openLocked opens a region's engine; s.mu is held.
func (s *Server) openLocked(name string) (*region, error) {
	opts := s.regionOptions(name)
	var e *engine.Engine
	if s.commit != nil {
		var err error
		if e, err = engine.Open(regionStore{region: name, c: s.commit}, opts...); err != nil {
			return nil, fmt.Errorf("open region %s: %w", name, err)
		}
		s.commit.watch(name, e)
	} else {
		e = engine.New(opts...)
	}
	r := &region{name: name, engine: e, idem: newIdemCache(), reads: newReadCache(s.opts.ReadCacheBytes)}
	s.regions[name] = r
	return r, nil
}

// regionOptions are the options of a region's engine: its configuration,
// the account's other regions and IAM (the partition's IAM region holds
// it), and the server's options.
func (s *Server) regionOptions(name string) []engine.Option {
	iam := iamRegion(name)
	return append([]engine.Option{engine.WithConfig(s.engineConfig(name)), engine.WithRegions(s.Engine),
		engine.WithIAM(func() (*engine.Engine, error) { return s.Engine(iam) })}, s.opts.EngineOptions...)
}

// Engine returns the engine of a region, creating it if needed.
func (s *Server) Engine(region string) (*engine.Engine, error) {
	r, err := s.region(region)
	if err != nil {
		return nil, err
	}
	return r.engine, nil
}

// RegionStore returns the store.Store of a region's records (nil without a
// store): a scenario builds into it before the region is opened.
func (s *Server) RegionStore(region string) store.Store {
	if s.commit == nil {
		return nil
	}
	return regionStore{region: region, c: s.commit}
}

// Sync waits until every write so far is durable.
func (s *Server) Sync() error {
	if s.commit == nil {
		return nil
	}
	return s.commit.sync()
}

func (s *Server) sortedRegions() []*region {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*region, 0, len(s.regions))
	for _, r := range s.regions {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// regionNames names the regions whose engines are open (every region
// that holds state), sorted.
func (s *Server) regionNames() []string {
	rs := s.sortedRegions()
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.name
	}
	return out
}

// Reset returns every region to a new account's state (POST
// /moto-api/reset), durably: empty, or holding a new default VPC.
func (s *Server) Reset() error {
	for _, r := range s.sortedRegions() {
		if err := r.engine.Reset(); err != nil {
			return err
		}
		r.idem.reset()
		r.reads.reset()
	}
	return s.Sync()
}

// Step runs one pass of every region's asynchronous side, completes the
// Network Insights analyses that are running and runs Auto Scaling's and
// ECS services' ELB health checks (checkGroupHealth, checkServiceHealth).
func (s *Server) Step() {
	s.stepStart.Store(time.Now().UnixNano())
	var failed *string
	for _, r := range s.sortedRegions() {
		if _, err := r.engine.Step(); err != nil {
			s.log.Error("engine step failed", "region", r.name, "err", err)
			msg := fmt.Sprintf("the step of region %s failed: %v", r.name, err)
			failed = &msg
		}
		s.completeAnalyses(r)
		s.checkGroupHealth(r)
		s.checkServiceHealth(r)
		s.runSteps(r)
	}
	s.stepErr.Store(failed)
	s.stepEnd.Store(time.Now().UnixNano())
}

// engineConfig is the configuration of the engine serving a region, on
// the step loop's clock (opened empty, from the state file, or from a
// scenario).
func (s *Server) engineConfig(region string) engine.Config {
	return engine.Config{Account: s.opts.Account, Region: region, DefaultVPC: s.opts.DefaultVPC, NoLaunchConfigurations: s.opts.NoLaunchConfigurations,
		KnownImagesOnly: s.opts.KnownImagesOnly, EmulatedAccount: true, StackStabilizeTimeout: s.opts.StackStabilizeTimeout, CapacityWaitTimeout: s.opts.CapacityWaitTimeout,
		ELBTimeScale: s.elbTimeScale(), StepInterval: s.opts.StepInterval}
}

// elbSecondsPerStep is how many seconds of Elastic Load Balancing's time
// (health check intervals, deregistration delays) pass in one step
// interval: at the default 100 ms a new ALB target is healthy after 0.3 s
// (one 30 s interval) and a deregistered one drains for 3 s (300 s).
const elbSecondsPerStep = 10

// elbTimeScale is the engines' engine.Config.ELBTimeScale: the step
// interval per elbSecondsPerStep seconds.
func (s *Server) elbTimeScale() float64 {
	return s.opts.StepInterval.Seconds() / elbSecondsPerStep
}

// stallAfter is how long a step or a write may take before health calls
// it stalled: 50 step intervals, at least 5 s.
func (s *Server) stallAfter() time.Duration {
	return max(50*s.opts.StepInterval, 5*time.Second)
}

// stepHealth describes what is wrong with the step loop ("" when nothing
// is): a pass running or a loop silent for longer than stall, or a failed
// pass.
func (s *Server) stepHealth(stall time.Duration) string {
	if !s.loopStarted.Load() {
		return ""
	}
	start, end := s.stepStart.Load(), s.stepEnd.Load()
	now := time.Now()
	switch {
	case start > end && now.Sub(time.Unix(0, start)) > stall:
		return fmt.Sprintf("the step loop has been in one pass for %s", now.Sub(time.Unix(0, start)).Round(time.Millisecond))
	case end != 0 && start <= end && now.Sub(time.Unix(0, end)) > stall:
		return fmt.Sprintf("the step loop has not run for %s", now.Sub(time.Unix(0, end)).Round(time.Millisecond))
	}
	if msg := s.stepErr.Load(); msg != nil {
		return *msg
	}
	return ""
}

// StepLoop steps every StepInterval until Close.
func (s *Server) StepLoop() {
	if s.loopStarted.Swap(true) {
		return
	}
	defer close(s.loopDone)
	s.stepEnd.Store(time.Now().UnixNano())
	t := time.NewTicker(s.opts.StepInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.Step()
		}
	}
}

// Serve accepts connections on ln until ctx is done, then shuts down
// gracefully: it stops accepting, lets requests in flight finish (up to
// 10 s), stops the step loop and flushes pending writes.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	// A slow or stalled client holds a connection and a goroutine for
	// ReadTimeout at most (5,000 of them a few hundred MB at worst, for a
	// minute); a response is not bounded in time, as a large describe to
	// a slow reader may take long.
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.opts.ReadHeaderTimeout,
		ReadTimeout:       s.opts.ReadTimeout,
		IdleTimeout:       s.opts.IdleTimeout,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	go s.StepLoop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// Close stops the step loop (if running) and flushes pending writes. It
// does not close the store.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.stop)
		if s.loopStarted.Load() {
			<-s.loopDone
		}
		if s.commit != nil {
			err = s.commit.close()
		}
	})
	return err
}
