package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/ui"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/server"
	"github.com/ecsnet/ecsnet/internal/store"
	"github.com/ecsnet/ecsnet/internal/store/bolt"
	"github.com/ecsnet/ecsnet/internal/terraform"
	"github.com/ecsnet/ecsnet/internal/webguard"
)

// serveOptions are ecsnet serve's flags.
type serveOptions struct {
	Addr       string
	State      string
	Ephemeral  bool
	Scenario   string
	Region     string
	Account    string
	LogLevel   string
	SyncCommit bool
	Step       time.Duration
	ReadCache  bool
	CacheMiB   int
	AllowHosts hostsFlag
	// Recover is the way out of a damaged state file: "" (stop with an
	// error), "move-aside" or "salvage".
	Recover string
	// NoDefaultVPC starts regions as blank accounts.
	NoDefaultVPC bool
	// NoLaunchConfigurations refuses launch configurations, as accounts
	// created since October 2024 do.
	NoLaunchConfigurations bool
	// KnownImagesOnly refuses to launch AMI ids that name no image ecsnet
	// holds (InvalidAMIID.NotFound).
	KnownImagesOnly bool
	// StabilizeTimeout is how long a stack's create waits for its ECS
	// services to stabilize (0: no wait).
	StabilizeTimeout time.Duration
	// CapacityWait is how long a task waits in PROVISIONING for capacity,
	// in AWS's time (engine.Config.CapacityWaitTimeout).
	CapacityWait time.Duration
	// CodeDeployHookWait makes CodeDeploy's AppSpec hooks wait for
	// PutLifecycleEventHookExecutionStatus (engine.WithCodeDeployHookWait).
	CodeDeployHookWait bool
}

func runServe(stdio IO, args []string) int {
	fs := newFlags(stdio, "serve", "serve [--addr 127.0.0.1:4566] [--state PATH | --ephemeral] [--scenario FILE] [--region us-east-1] [--account 123456789012] [--allow-host NAME] [--log-level info]")
	var o serveOptions
	fs.StringVar(&o.Addr, "addr", server.DefaultAddr, "address to listen on (loopback by default)")
	fs.StringVar(&o.State, "state", "", "state file, or a folder to keep it in as state.db (default: "+defaultStateHint()+")")
	fs.BoolVar(&o.Ephemeral, "ephemeral", false, "keep the state in memory only")
	fs.StringVar(&o.Scenario, "scenario", "", "scenario file to preload (with --state: only into an empty state)")
	fs.StringVar(&o.Region, "region", server.DefaultRegion, "region of requests that name none")
	fs.StringVar(&o.Account, "account", server.DefaultAccount, "AWS account id the emulator pretends to be")
	fs.StringVar(&o.LogLevel, "log-level", "info", "log level: debug, info, warn or error (one line per request at info)")
	fs.BoolVar(&o.SyncCommit, "sync-commit", false, "fsync each write under the engine lock instead of group commit")
	fs.DurationVar(&o.Step, "step-interval", server.DefaultStepInterval, "how often instances, tasks and services move on; each interval is ten seconds of ELB health checks and deregistration delays, and of a task's wait for capacity")
	fs.DurationVar(&o.StabilizeTimeout, "stack-stabilize-timeout", 3*time.Hour, "how long a CloudFormation create or update waits for its ECS services to reach a steady state before it fails them, as CloudFormation does after three hours (0: no wait)")
	fs.DurationVar(&o.CapacityWait, "capacity-wait-timeout", engine.DefaultCapacityWaitTimeout, "how long a task waits in PROVISIONING for the capacity its capacity provider's managed scaling launches before it stops, as ECS does after up to 30 minutes; AWS's time, scaled as ELB's by --step-interval (30m: 18 s at 100 ms)")
	fs.BoolVar(&o.NoDefaultVPC, "no-default-vpc", false, "start regions without the default VPC every AWS account has (a blank account)")
	fs.BoolVar(&o.KnownImagesOnly, "known-images-only", false, "refuse to launch an AMI id that names no image ecsnet holds (InvalidAMIID.NotFound, as EC2 answers an id that does not exist); off by default, as moto's AMI validation: ecsnet holds the account's images, Amazon's public ECS-optimized ones and moto's example images, not every AMI that exists")
	fs.BoolVar(&o.NoLaunchConfigurations, "no-launch-configurations", false, "refuse CreateLaunchConfiguration, as AWS does in accounts created since October 1, 2024 (UnsupportedOperation)")
	fs.BoolVar(&o.CodeDeployHookWait, "codedeploy-hook-wait", false, "make the Lambda hooks of CodeDeploy's ECS deployments wait, as AWS's do, for PutLifecycleEventHookExecutionStatus (the hook execution id is in the lifecycle event's diagnostics; Failed, or no report within an hour, fails the deployment); by default ecsnet, which runs no Lambda function, takes each hook as Succeeded")
	fs.BoolVar(&o.ReadCache, "read-cache", true, "reuse the encoded response of an identical read while the state is unchanged")
	fs.IntVar(&o.CacheMiB, "read-cache-mib", server.DefaultReadCacheBytes>>20, "the read cache's budget per region, in MiB")
	fs.Var(&o.AllowHosts, "allow-host", allowHostUsage)
	fs.StringVar(&o.Recover, "state-recover", "", "if the state file is damaged: move-aside (keep it as FILE.damaged-TIME, start empty) or salvage (the same, starting from the records that can still be read)")
	// The flags of moto_server and LocalStack, as their users type them.
	fs.elsewhere = map[string]string{
		"port":     "give the port in --addr: --addr 127.0.0.1:PORT",
		"p":        "give the port in --addr: --addr 127.0.0.1:PORT",
		"host":     "give the host in --addr: --addr HOST:4566",
		"H":        "give the host in --addr: --addr HOST:4566",
		"data-dir": "ecsnet keeps its state in one file: --state FILE, or --state FOLDER for FOLDER/state.db",
	}
	pos, ferr := fs.parse(args)
	if ferr != nil {
		return flagExit(ferr)
	}
	if len(pos) > 0 {
		return fail(stdio, fmt.Errorf("serve takes no arguments, got %s", strings.Join(pos, " ")))
	}
	if err := servedRegion(o.Region); err != nil {
		fmt.Fprintln(stdio.Err, "ecsnet serve:", err)
		return ExitBadInput
	}
	if o.Ephemeral && o.State != "" {
		return fail(stdio, errors.New("--state and --ephemeral exclude each other"))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, stdio, o, nil); err != nil {
		fmt.Fprintln(stdio.Err, "ecsnet serve:", err)
		var stopped *servingError
		if errors.As(err, &stopped) {
			return ExitFailed
		}
		return ExitBadInput // it could not start: docs/cli.md
	}
	return ExitOK
}

// servingError is an error that stopped serve after it started serving;
// any other error of serve kept it from starting (a port in use, a
// damaged state file, a bad flag value).
type servingError struct{ err error }

func (e *servingError) Error() string { return e.err.Error() }
func (e *servingError) Unwrap() error { return e.err }

// openState opens the state file; when it is damaged it stops with an
// error that names the ways out, or takes the one asked for.
func openState(log *slog.Logger, path, recoverMode string) (*bolt.Store, error) {
	b, err := bolt.Open(path, bolt.Options{})
	if err == nil || !errors.Is(err, store.ErrDamaged) {
		return b, err
	}
	if recoverMode == "" {
		return nil, damagedError(err, path)
	}
	return recoverState(log, path, recoverMode, err)
}

// recoverState moves a damaged state file aside, salvaging what it can
// when asked, and opens the fresh one.
func recoverState(log *slog.Logger, path, recoverMode string, damage error) (*bolt.Store, error) {
	res, err := bolt.Recover(path, bolt.RecoverMode(recoverMode), time.Now(), func(_, _ string, data []byte) bool { return json.Valid(data) })
	if err != nil {
		return nil, fmt.Errorf("%v; --state-recover=%s failed: %w", damage, recoverMode, err)
	}
	log.Warn("the state file was damaged and has been moved aside", "damage", damage.Error(), "moved_to", res.MovedTo,
		"recover", recoverMode, "salvaged_records", res.Salvaged, "lost", res.Lost)
	return bolt.Open(path, bolt.Options{})
}

// damagedError says what is damaged and how to go on.
func damagedError(err error, path string) error {
	return fmt.Errorf("%w\nThe state file cannot be used as it is. To go on, start again with\n"+
		"  --state-recover=move-aside  to keep it as %s.damaged-TIME and start with an empty state, or\n"+
		"  --state-recover=salvage     to keep it the same way and start from the records that can still be read", err, path)
}

func defaultStateHint() string {
	if p, err := store.DefaultPath(); err == nil {
		return p
	}
	return "the user's data directory"
}

// serve runs the emulator until ctx is done. ready, when not nil, gets the
// listening address once the server accepts connections.
func serve(ctx context.Context, stdio IO, o serveOptions, ready chan<- string) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.LogLevel)); err != nil {
		return fmt.Errorf("--log-level %q: want debug, info, warn or error", o.LogLevel)
	}
	log := slog.New(slog.NewTextHandler(stdio.Err, &slog.HandlerOptions{Level: level}))
	allow, err := allowedHosts(o.AllowHosts, o.Addr)
	if err != nil {
		return err
	}
	// Listen first: the port is taken before anything slow happens, and
	// the service models load while the state opens.
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return portInUse(o.Addr, err)
		}
		return err
	}
	defer ln.Close()
	var st store.Store
	if !o.Ephemeral {
		path := o.State
		if path == "" {
			if path, err = store.DefaultPath(); err != nil {
				return err
			}
		} else if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			path = filepath.Join(path, stateFileName) // a data folder, as LocalStack and moto users give one
		}
		if o.Recover != "" && o.Recover != string(bolt.MoveAside) && o.Recover != string(bolt.Salvage) {
			return fmt.Errorf("--state-recover %q: want %s or %s", o.Recover, bolt.MoveAside, bolt.Salvage)
		}
		b, err := openState(log, path, o.Recover)
		if err != nil {
			return err
		}
		defer func() { st.Close() }() // st may be replaced by a recovered store below
		st = b
		o.State = path
	}
	engineOptions := services.EngineOptions()
	if o.CodeDeployHookWait {
		engineOptions = append(engineOptions, engine.WithCodeDeployHookWait())
	}
	newServer := func() (*server.Server, error) {
		return server.New(server.Options{
			Region: o.Region, Account: o.Account, Store: st, SyncCommit: o.SyncCommit,
			Logger: log, StepInterval: o.Step, Registry: services.Registry(), Analyzer: services.Analyzer(),
			EngineOptions: engineOptions, NoReadCache: !o.ReadCache || o.CacheMiB <= 0, DefaultVPC: !o.NoDefaultVPC, NoLaunchConfigurations: o.NoLaunchConfigurations, KnownImagesOnly: o.KnownImagesOnly,
			StackStabilizeTimeout: stabilizeOption(o.StabilizeTimeout), CapacityWaitTimeout: o.CapacityWait,
			AllowHosts: allow, ReadCacheBytes: int64(o.CacheMiB) << 20,
		})
	}
	srv, err := newServer()
	if err != nil && st != nil {
		// The file is sound but a record in it is not (it does not
		// decode): as damaged as a broken page.
		err = fmt.Errorf("%w: %s: %v", store.ErrDamaged, o.State, err)
		if o.Recover == "" {
			return damagedError(err, o.State)
		}
		st.Close()
		b, rerr := recoverState(log, o.State, o.Recover, err)
		if rerr != nil {
			return rerr
		}
		st = b
		srv, err = newServer()
	}
	if err != nil {
		return err
	}
	if o.Scenario != "" {
		if st == nil || srv.Empty() {
			if err := notAScenario(o.Scenario, ln.Addr()); err != nil {
				srv.Close()
				return err
			}
			sc, err := scenario.Load(o.Scenario)
			if err != nil {
				srv.Close()
				return err
			}
			if err := srv.LoadScenario(sc); err != nil {
				srv.Close()
				return fmt.Errorf("scenario %s: %w", o.Scenario, err)
			}
			log.Info("scenario loaded", "file", o.Scenario)
		} else {
			log.Info("state is not empty: scenario not loaded", "file", o.Scenario, "state", o.State)
		}
	}
	srv.Mount(server.UIPrefix, ui.New(ui.Options{
		Engine: func() *engine.Engine {
			e, err := srv.Engine("")
			if err != nil {
				return nil
			}
			return e
		},
		Title:      "ecsnet serve",
		Logger:     log,
		AllowHosts: allow,
	}))
	go func() {
		// Decode the service models while nobody waits on them.
		if m, err := srv.Models(); err == nil {
			m.Warm()
		}
	}()
	where := "memory (--ephemeral)"
	if st != nil {
		where = o.State
	}
	url := "http://" + reachableAddr(ln.Addr())
	log.Info("ecsnet serve listening", "addr", url, "ui", url+server.UIPrefix, "health", url+server.HealthPath, "state", where, "region", o.Region)
	if level <= slog.LevelInfo {
		serveBanner(stdio.Err, url, o, st != nil)
	}
	switch ap, _ := netip.ParseAddrPort(ln.Addr().String()); {
	case wildcard(ln.Addr()):
		log.Warn("listening on every interface: other machines can reach the emulator, and are trusted (docs/security.md); "+
			"it answers only requests for loopback names and the --allow-host ones: give --allow-host NAME for each name its clients use (this machine's address, a container name)",
			"bind", ln.Addr().String(), "allow_host", strings.Join(o.AllowHosts, ","))
	case !ap.Addr().Unmap().IsLoopback():
		log.Warn("listening on a non-loopback address: other machines that reach it can use the emulator, and are trusted (docs/security.md)", "bind", ln.Addr().String())
	}
	if ready != nil {
		ready <- ln.Addr().String()
	}
	err = srv.Serve(ctx, ln)
	if err != nil {
		log.Error("ecsnet serve stopped", "err", err)
		return &servingError{err}
	}
	log.Info("ecsnet serve stopped", "addr", url, "state", where)
	return nil
}

// serveBanner tells a newcomer, under the log line, how to use the
// emulator that now listens at url: the environment that sends the aws
// CLI, boto3, the SDKs and Terraform there, the web UI, the analyzer on
// it, where the state is kept and how to reset it.
func serveBanner(w io.Writer, url string, o serveOptions, persistent bool) {
	state := "in memory (--ephemeral): it is gone when ecsnet serve stops"
	if persistent {
		state = o.State + ", kept across restarts (--ephemeral keeps it in memory only)"
	}
	fmt.Fprintf(w, `
The AWS APIs (EC2, ECS, ELB, CloudFormation, …: docs/coverage.md) answer at %[1]s, region %[2]s, account %[3]s.
  aws CLI, boto3, the SDKs, Terraform:  export AWS_ENDPOINT_URL=%[1]s AWS_DEFAULT_REGION=%[2]s AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
  one command:                          aws --endpoint-url %[1]s ecs list-clusters
  web UI:                               %[1]s/ui/
  analyze what you built:               ecsnet probe %[1]s --from X --to Y   (also check, exposure, show)
  state:                                %[4]s
  empty every region:                   curl -X POST %[1]s/moto-api/reset
Stop with Ctrl-C.

`, url, o.Region, o.Account, state)
}

// notAScenario explains a --scenario that names another kind of SOURCE:
// a CloudFormation template or a Terraform configuration is deployed
// through the endpoint, as on AWS, and a folder is not a scenario file.
func notAScenario(path string, addr net.Addr) error {
	fi, err := os.Stat(path)
	if err != nil {
		return nil // scenario.Load says what is wrong
	}
	url := "http://" + reachableAddr(addr)
	if fi.IsDir() {
		if terraform.IsConfigDir(path) {
			return fmt.Errorf("--scenario %s: a Terraform configuration, not a scenario file: start ecsnet serve without it, then apply it against %s with terraform (AWS_ENDPOINT_URL=%s; the provider block: README.md, \"The emulator\")", path, url, url)
		}
		return fmt.Errorf("--scenario %s: a folder; --scenario takes one scenario file (docs/scenario.md)", path)
	}
	data, err := os.ReadFile(path)
	if err == nil && cfn.IsTemplate(data) {
		return fmt.Errorf("--scenario %s: a CloudFormation template, not a scenario file: start ecsnet serve without it, then deploy it as on AWS: "+
			"aws --endpoint-url %s cloudformation deploy --template-file %s --stack-name NAME --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM", path, url, path)
	}
	return nil
}

// stateFileName is the state file's name in a folder given to --state.
const stateFileName = "state.db"

// portInUse says that the address is taken, and by an ecsnet serve when
// one answers its health check there.
func portInUse(addr string, err error) error {
	msg := addr + " is in use"
	c := http.Client{Timeout: 500 * time.Millisecond}
	if resp, herr := c.Get("http://" + dialable(addr) + server.HealthPath); herr == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK && strings.Contains(resp.Header.Get("Content-Type"), "json") {
			msg += " by another ecsnet serve (its web UI: http://" + dialable(addr) + server.UIPrefix + ")"
		}
	}
	host, port, _ := net.SplitHostPort(addr)
	next := "4567"
	if n, perr := strconv.Atoi(port); perr == nil && n > 0 && n < 65535 {
		next = strconv.Itoa(n + 1)
	}
	return fmt.Errorf("%s: stop what listens there, or serve on another port: --addr %s (%w)", msg, net.JoinHostPort(host, next), err)
}

// dialable turns a listening address into one to connect to: a wildcard
// or empty host becomes 127.0.0.1.
func dialable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip, perr := netip.ParseAddr(host); host == "" || (perr == nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// wildcard reports whether a listener takes connections on every
// interface (0.0.0.0, ::).
func wildcard(a net.Addr) bool {
	ap, err := netip.ParseAddrPort(a.String())
	return err == nil && ap.Addr().IsUnspecified()
}

// reachableAddr is the address to give clients of a listener: its own,
// or 127.0.0.1 with its port when it listens on every interface (where
// http://[::]:4566 would take a browser nowhere).
func reachableAddr(a net.Addr) string { return dialable(a.String()) }

// servedRegion checks --region: a region of AWS's partitions ecsnet
// serves (model.Regions), so a typo does not start an account whose
// region no client asks for.
func servedRegion(name string) error {
	var known []string
	for _, p := range []string{"aws", "aws-cn", "aws-us-gov"} {
		known = append(known, model.Regions(p)...)
	}
	if slices.Contains(known, name) {
		return nil
	}
	return fmt.Errorf("--region %q is not an AWS region ecsnet serves%s", name, didYouMean(name, known))
}

const allowHostUsage = "also answer requests for this Host: a name, an address, *.DOMAIN or * (repeatable, or a comma list); " +
	"loopback names and the --addr host are always answered (docs/security.md)"

// hostsFlag collects a repeatable flag whose values may be comma lists.
type hostsFlag []string

func (l *hostsFlag) String() string { return strings.Join(*l, ",") }

func (l *hostsFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

// allowedHosts returns the --allow-host list plus the host --addr binds
// to (unless a wildcard), checked.
func allowedHosts(flag hostsFlag, addr string) ([]string, error) {
	allow := append([]string(nil), flag...)
	if h := webguard.BoundHost(addr); h != "" {
		allow = append(allow, h)
	}
	if _, err := webguard.New(allow...); err != nil {
		return nil, fmt.Errorf("--allow-host: %w", err)
	}
	return allow, nil
}

// stabilizeOption maps --stack-stabilize-timeout to the server's option:
// 0 there means no wait, which the server spells negative.
func stabilizeOption(d time.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return d
}
