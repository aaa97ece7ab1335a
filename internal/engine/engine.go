// Package engine is ecsnet's control plane: the one place where AWS's rules
// for VPC networking, EC2, Auto Scaling, ECS and ELBv2 are enforced.
//
// Scenario files, the AWS-compatible API and the analyzer's what-if fixes all
// change the model through an Engine. Every operation validates its input
// completely, then applies its changes in a transaction: either every change
// lands (and is persisted, when the engine has a store) or none does, so a
// rejected request never leaves anything behind. Errors that AWS would send
// are *apierr.Error values with AWS's code and exact message.
//
// Resources in the state are immutable values: a transaction replaces a
// resource with a changed copy, which lets readers keep the pointers they got
// from Read without holding the lock.
package engine

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/store"
)

// Config holds the engine's tunables. The zero value of a field means its
// default.
type Config struct {
	Account string // default 123456789012
	Region  string // default us-east-1
	// ZoneLetters are the letters of the account's zones in its region
	// where they differ between accounts (us-west-1 offers two of a, b and
	// c: "ab", the default, or "bc"); "" keeps the region's default.
	ZoneLetters string
	// DynamicHostPorts is the range bridge-mode dynamic host ports come from
	// (default 32768-60999, the Linux kernel's ip_local_port_range).
	DynamicHostPorts model.PortRange
	// PublicIPPool is where auto-assigned public IPs, Elastic IPs and load
	// balancer node addresses come from (default: the region's, from
	// regionPublicPool; us-east-1's are 3.80.0.0/12 and 54.160.0.0/13).
	PublicIPPool []netip.Prefix
	// TaskStartDelay is how long a task stays in each transitional state
	// (PROVISIONING, PENDING, ACTIVATING, …) before Step advances it.
	TaskStartDelay time.Duration
	// RandomPrivateIPs picks private addresses at random (as AWS appears to)
	// instead of the lowest free one.
	RandomPrivateIPs bool
	// ServiceLaunchBatch is how many tasks a service starts, or stops, in
	// one Step (default 100): like ECS's service scheduler, a service
	// converges in batches, so one Step's work is bounded whatever the
	// desired count. The default is Fargate's documented task launch burst
	// (a bucket of 100 tokens; see docs/aws-behavior.md).
	ServiceLaunchBatch int
	// TaskTransitionsPerStep bounds how many task transitions (PROVISIONING
	// → PENDING → RUNNING, DEPROVISIONING → STOPPED, …) one Step makes
	// (default 1000); the rest happen in the next Step.
	TaskTransitionsPerStep int
	// StoppedTaskRetention is how long a STOPPED task stays visible
	// (DescribeTasks, ListTasks) before Step removes it (default one hour:
	// "stopped tasks appear in the returned results for at least one
	// hour", DescribeTasks; docs/aws-behavior.md). Negative keeps stopped
	// tasks for ever. Step removes at most TaskTransitionsPerStep of them.
	StoppedTaskRetention time.Duration
	// DefaultVPC gives the region the default VPC every AWS account has
	// (CreateDefaultVpc's): when the engine starts over an empty state, and
	// again after Reset.
	DefaultVPC bool
	// StackStabilizeTimeout is how long a CloudFormation create or update waits for
	// its ECS services to stabilize before it fails them (default three
	// hours, CloudFormation's; negative: it does not wait).
	StackStabilizeTimeout time.Duration
	// NoLaunchConfigurations makes the account one created after October
	// 1, 2024, which cannot create Auto Scaling launch configurations:
	// CreateLaunchConfiguration is refused (UnsupportedOperation), and so
	// are the templates and configurations that make one.
	NoLaunchConfigurations bool
	// CapacityWaitTimeout is how long a task waits in PROVISIONING for
	// the capacity its capacity provider's managed scaling launches before
	// it stops (default DefaultCapacityWaitTimeout, 30 minutes). It is
	// AWS's time: with ELBTimeScale the engine waits that much scaled, as
	// ELB's durations (30 minutes are 18 s at ecsnet serve's default 100 ms
	// step interval).
	CapacityWaitTimeout time.Duration
	// KnownImagesOnly refuses to launch (RunInstances, launch templates'
	// instances, CreateLaunchConfiguration) a well-formed AMI id that names
	// no image the account has nor a public one ecsnet knows, as EC2 does
	// (InvalidAMIID.NotFound): ecsnet serve --known-images-only. ecsnet
	// does not hold every AMI that exists (a template's or a Terraform
	// configuration's hard-coded ids, an analyzed source's real images),
	// so the default accepts them, as moto does unless its AMI validation
	// is on.
	KnownImagesOnly bool
	// EmulatedAccount says the engine is a whole emulated account (ecsnet
	// serve), which judges what an analyzed source does not hold, such as
	// its placement groups.
	EmulatedAccount bool
	// ProvisioningTasksPerCluster is ECS's quota of tasks waiting in
	// PROVISIONING for capacity in one cluster (default
	// DefaultProvisioningTasksPerCluster, 500): past it RunTask is refused
	// and a service starts no more tasks until some are placed.
	ProvisioningTasksPerCluster int
	// StepInterval is how often the caller steps the engine (ecsnet
	// serve's --step-interval); zero when it does not step on a clock.
	// With ELBTimeScale, a wait that ends in a failure (a task's capacity
	// wait) also lasts the number of steps its scaled time holds, so an
	// engine stepped late, on a loaded machine, does not fail it before
	// the capacity it waits for could come.
	StepInterval time.Duration
	// ELBTimeScale is the engine's time per second of Elastic Load
	// Balancing's own durations: health check intervals (a new target's
	// initial health checks) and deregistration delays (draining), as a
	// fraction (0.01: a 300 s delay takes 3 s). Zero, the default, takes
	// no time: targets settle at once and deregistered targets leave at
	// once (analyzed sources); ecsnet serve scales it with its step
	// interval. ECS's capacity wait (CapacityWaitTimeout) follows it too.
	ELBTimeScale float64
}

// Defaults of Config's batch sizes.
const (
	DefaultServiceLaunchBatch     = 100
	DefaultTaskTransitionsPerStep = 1000
	DefaultStoppedTaskRetention   = time.Hour
)

// DefaultAccount is the account of an engine whose Config names none.
const DefaultAccount = "123456789012"

func (c *Config) fill() {
	if c.Account == "" {
		c.Account = DefaultAccount
	}
	if c.Region == "" {
		c.Region = "us-east-1"
	}
	if c.DynamicHostPorts == (model.PortRange{}) {
		c.DynamicHostPorts = model.PortRange{First: 32768, Last: 60999}
	}
	if c.ServiceLaunchBatch <= 0 {
		c.ServiceLaunchBatch = DefaultServiceLaunchBatch
	}
	if c.StoppedTaskRetention == 0 {
		c.StoppedTaskRetention = DefaultStoppedTaskRetention
	}
	if c.CapacityWaitTimeout <= 0 {
		c.CapacityWaitTimeout = DefaultCapacityWaitTimeout
	}
	if c.ProvisioningTasksPerCluster <= 0 {
		c.ProvisioningTasksPerCluster = DefaultProvisioningTasksPerCluster
	}
	if c.TaskTransitionsPerStep <= 0 {
		c.TaskTransitionsPerStep = DefaultTaskTransitionsPerStep
	}
	if len(c.PublicIPPool) == 0 {
		c.PublicIPPool = regionPublicPool(c.Region)
	}
}

// Persister stores committed changes. store.Store satisfies it.
type Persister interface {
	Apply(changes []store.Change) error
}

// QueuedPersister is a Persister whose changes become durable after Apply
// returns (group commit): ApplyQueued queues them and returns their
// sequence number. The engine keeps the undo log of every such transaction
// until Durable says it is on disk; when a flush fails, Revert undoes the
// transactions that did not reach the disk, so memory never shows a change
// the disk does not have.
type QueuedPersister interface {
	Persister
	// ApplyQueued returns 0 for changes that are durable already.
	ApplyQueued(changes []store.Change) (seq uint64, err error)
}

// pendingTxn is a transaction queued for a QueuedPersister, not yet durable.
type pendingTxn struct {
	seq    uint64
	undo   []func()
	ticket *Ticket // of the request that wrote it, or nil
}

// Engine owns one account-region's state and applies AWS's rules to it.
// It is safe for concurrent use.
//
// Several Engine values may share one state: WithTicket returns one that
// also records, in a Ticket, the commits of the writes made through it.
type Engine struct {
	*core
	// ticket, when set, records the commit sequence numbers of the
	// transactions written through this Engine value (WithTicket).
	ticket *Ticket
	// dry, when set, makes this Engine value a dry run's (DryRun): it
	// runs with the write lock already held, and its writes are undone
	// when the dry run ends.
	dry *dryRun
	// bt, when set, makes this Engine value a composite operation's
	// (composite): it runs with the write lock held, and every operation
	// called through it writes into the one transaction bt.
	bt *txn
}

// dryRun is the undo log of a dry run's writes.
type dryRun struct{ undo [][]func() }

// DryRun calls fn with an Engine over the live state whose writes all
// happen, each validated as usual, and are all undone when fn returns:
// what fn's operations would do, without a trace (EC2's DryRun). It holds
// the write lock for fn's duration, so no one sees the changes; nothing
// is persisted and the version does not change. It copies nothing, so it
// costs what fn's operations cost, whatever the estate's size. fn must
// only call the given Engine's operations (not Step, DryRun or Durable).
func (e *Engine) DryRun(fn func(d *Engine) error) error {
	e.mu.Lock()
	ht := e.holds.startHold()
	d := &Engine{core: e.core, dry: &dryRun{}}
	defer func() {
		for i := len(d.dry.undo) - 1; i >= 0; i-- {
			u := d.dry.undo[i]
			for j := len(u) - 1; j >= 0; j-- {
				u[j]()
			}
		}
		e.holds.endHold(ht, "DryRun", 0, true)
		e.mu.Unlock()
	}()
	return fn(d)
}

// composite runs fn as one transaction: every operation fn calls on the
// Engine it is given (the public operations, each validated as usual)
// writes into it, and if fn fails every change is undone, so that an
// operation AWS builds from others (ECS Express Mode's service, load
// balancer and scaling) leaves nothing behind when a step is refused. fn
// must only call the given Engine's operations (not Step, DryRun or
// Durable).
func (e *Engine) composite(name string, fn func(b *Engine) error) error {
	if e.bt != nil {
		return fn(e)
	}
	return e.writeAs(name, 0, func(t *txn) error {
		return fn(&Engine{core: e.core, ticket: e.ticket, dry: e.dry, bt: t})
	})
}

// core is an engine's state, lock and configuration, shared by every
// Engine value over it.
type core struct {
	mu sync.RWMutex
	// stackOps serializes CloudFormation's stack operations (LockStacks).
	stackOps sync.Mutex
	st       *model.State
	cfg      Config
	ids      IDSource
	clock    func() time.Time
	persist  Persister
	version  uint64
	idx      indexes
	// startCheck, when set, decides whether tasks can start (see Step).
	startCheck StartCheck
	// logGroupCheck: tasks need their awslogs log group (WithLogGroupCheck).
	logGroupCheck bool
	// secretCheck: tasks need the secrets they name (WithSecretCheck).
	secretCheck StartCheck
	// signalCheck, when set, decides whether an instance's cfn-signal
	// reaches CloudFormation (WithSignalCheck).
	signalCheck InstanceCheck
	// envFileCheck: tasks need the S3 objects of their environmentFiles.
	envFileCheck EnvFileCheck
	// serviceTargetHealth: the ELB health checks of service tasks are
	// reported (WithServiceTargetHealth).
	serviceTargetHealth bool
	// codeDeployHookWait: CodeDeploy's AppSpec hooks wait for
	// PutLifecycleEventHookExecutionStatus (WithCodeDeployHookWait).
	codeDeployHookWait bool
	// registerCheck, when set, decides whether an instance's agent can
	// register with ECS (see Step).
	registerCheck RegisterCheck
	// declaredIAM: the instances it launches carry IAMDeclared
	// (WithDeclaredIAM).
	declaredIAM bool
	// iam finds the engine holding the account's IAM (WithIAM); nil: the
	// engine judges no agent's credentials itself.
	iam func() (*Engine, error)
	// tables are the state's resource maps by kind (persistence).
	tables map[model.Kind]table
	// maxHold is the longest any transaction held the lock (nanoseconds).
	maxHold atomic.Int64
	// holds are the lock hold times by operation (holds.go).
	holds holdStats
	// pending are the transactions queued for a QueuedPersister and not
	// yet durable, oldest first.
	pending []pendingTxn
	// retention is WithStoppedTaskRetention's value (0: none given).
	retention time.Duration
	// capacityWait is WithCapacityWaitTimeout's value (0: none given).
	capacityWait time.Duration
	// provisioningLimit is WithProvisioningTasksPerCluster's value (0:
	// none given).
	provisioningLimit int
	// region is WithRegion's region ("" for the configuration's).
	region string
	// regions finds the engine of another region of the account
	// (WithRegions): inter-Region VPC peering records a connection in
	// both regions. Nil: the engine knows no other region.
	regions func(name string) (*Engine, error)
	// shared is the copy of the state SharedSnapshot hands out, taken at
	// sharedAt (guarded by sharedMu, taken under the read lock).
	sharedMu sync.Mutex
	shared   *model.State
	sharedAt uint64
}

// Option configures an Engine.
type Option func(*Engine)

// WithConfig sets the engine's configuration.
func WithConfig(c Config) Option { return func(e *Engine) { e.cfg = c } }

// WithStoppedTaskRetention sets Config.StoppedTaskRetention, whatever
// other configuration the engine gets (WithConfig sets it whole).
func WithStoppedTaskRetention(d time.Duration) Option {
	return func(e *Engine) { e.retention = d }
}

// WithCapacityWaitTimeout sets Config.CapacityWaitTimeout, whatever
// other configuration the engine gets.
func WithCapacityWaitTimeout(d time.Duration) Option {
	return func(e *Engine) { e.capacityWait = d }
}

// WithProvisioningTasksPerCluster sets Config.ProvisioningTasksPerCluster,
// whatever other configuration the engine gets.
func WithProvisioningTasksPerCluster(n int) Option {
	return func(e *Engine) { e.provisioningLimit = n }
}

// WithRegion sets Config.Region, whatever other configuration the engine
// gets: an empty account of that region (its zones, public addresses,
// endpoints and public parameters).
func WithRegion(name string) Option { return func(e *Engine) { e.region = name } }

// WithIDs sets the source of resource identifiers (deterministic in tests
// and scenario files, random in the emulator).
func WithIDs(s IDSource) Option { return func(e *Engine) { e.ids = s } }

// WithClock sets the engine's clock.
func WithClock(now func() time.Time) Option { return func(e *Engine) { e.clock = now } }

// WithRegions lets the engine reach the account's other regions (an
// inter-Region VPC peering connection lives in both); find returns the
// engine of a region by name, or an error for a region it cannot serve.
func WithRegions(find func(name string) (*Engine, error)) Option {
	return func(e *Engine) { e.regions = find }
}

// WithPersister makes every committed transaction durable before the
// operation returns.
func WithPersister(p Persister) Option { return func(e *Engine) { e.persist = p } }

// New returns an engine over an empty state: an empty account, or, with
// Config.DefaultVPC, one holding the region's default VPC.
func New(opts ...Option) *Engine {
	e := newEngine(opts...)
	if e.cfg.DefaultVPC {
		e.mustSeedDefaultVpc()
	}
	return e
}

// mustSeedDefaultVpc creates the default VPC of a new account. It can fail
// only if persisting it does.
func (e *Engine) mustSeedDefaultVpc() {
	if err := e.write(func(t *txn) error { _, err := t.createDefaultVpc(); return err }); err != nil {
		panic("engine: creating the default VPC: " + err.Error())
	}
}

// newEngine returns an engine over an empty state, without a default VPC.
func newEngine(opts ...Option) *Engine {
	e := &Engine{core: &core{tables: tablesByKind()}}
	for _, o := range opts {
		o(e)
	}
	if e.retention != 0 {
		e.cfg.StoppedTaskRetention = e.retention
	}
	if e.capacityWait != 0 {
		e.cfg.CapacityWaitTimeout = e.capacityWait
	}
	if e.provisioningLimit != 0 {
		e.cfg.ProvisioningTasksPerCluster = e.provisioningLimit
	}
	if e.region != "" {
		e.cfg.Region = e.region
	}
	e.cfg.fill()
	if e.ids == nil {
		e.ids = RandomIDs()
	}
	if e.clock == nil {
		e.clock = time.Now
	}
	e.st = model.NewState(e.cfg.Account, e.cfg.Region)
	e.seedManaged()
	e.idx.rebuild(e.st)
	return e
}

// Config returns the engine's configuration.
func (e *Engine) Config() Config { return e.cfg }

// arn is the ARN of a resource of service in the engine's account and
// region, in the region's partition (model.ARN).
func (c *Config) arn(service, resource string) string {
	return model.ARN(c.Region, service, c.Account, resource)
}

// iamARN is the ARN of an IAM resource ("root", "role/NAME") of the
// engine's account, in its region's partition.
func (c *Config) iamARN(resource string) string {
	return model.GlobalARN(c.Region, "iam", c.Account, resource)
}

// Read calls fn with the current state under a read lock. fn must not change
// the state; the resources it sees stay valid after it returns.
func (e *Engine) Read(fn func(st *model.State)) {
	if e.dry != nil || e.bt != nil {
		fn(e.st)
		return
	}
	e.mu.RLock()
	ht := e.holds.startHold()
	defer func() {
		e.holds.endHold(ht, "", funcPC(fn), false)
		e.mu.RUnlock()
	}()
	fn(e.st)
}

// Snapshot returns a consistent copy of the state that later operations do
// not affect, and the version it was taken at.
func (e *Engine) Snapshot() (*model.State, uint64) {
	if e.dry != nil || e.bt != nil {
		return e.st.Clone(), e.version
	}
	e.mu.RLock()
	ht := e.holds.startHold()
	defer func() {
		e.holds.endHold(ht, "Snapshot", 0, false)
		e.mu.RUnlock()
	}()
	return e.st.Clone(), e.version
}

// SharedSnapshot is Snapshot for readers that never change the state it
// returns: every caller gets the same copy until the state changes, so
// that reads at one version (DescribeTargetHealth's, whose analyzer graph
// is cached per state) copy the state once, not once per request.
func (e *Engine) SharedSnapshot() (*model.State, uint64) {
	if e.dry != nil || e.bt != nil {
		return e.Snapshot()
	}
	e.mu.RLock()
	ht := e.holds.startHold()
	defer func() {
		e.holds.endHold(ht, "SharedSnapshot", 0, false)
		e.mu.RUnlock()
	}()
	e.sharedMu.Lock()
	defer e.sharedMu.Unlock()
	if e.shared == nil || e.sharedAt != e.version {
		e.shared, e.sharedAt = e.st.Clone(), e.version
	}
	return e.shared, e.sharedAt
}

// Version counts committed transactions; it changes whenever the state does.
func (e *Engine) Version() uint64 {
	if e.dry != nil || e.bt != nil {
		return e.version
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.version
}

// Clone returns an independent engine over a copy of the state, without a
// persister: the analyzer applies what-if fixes to a clone. It holds the
// write lock (forking the id source advances it) only to copy the state's
// tables; the clone's indexes are built after the lock is released.
func (e *Engine) Clone() *Engine {
	c := e.cloneCore()
	c.idx.rebuild(c.st)
	return c
}

// cloneCore is Clone without the indexes.
func (e *Engine) cloneCore() *Engine {
	if e.dry == nil {
		e.mu.Lock()
		ht := e.holds.startHold()
		defer func() {
			e.holds.endHold(ht, "Clone", 0, true)
			e.mu.Unlock()
		}()
	}
	return &Engine{core: &core{st: e.st.Clone(), cfg: e.cfg, ids: e.ids.Fork(), clock: e.clock, version: e.version, startCheck: e.startCheck, logGroupCheck: e.logGroupCheck, secretCheck: e.secretCheck, signalCheck: e.signalCheck, envFileCheck: e.envFileCheck, registerCheck: e.registerCheck, declaredIAM: e.declaredIAM, tables: e.tables}}
}

// Now returns the engine's current time.
func (e *Engine) Now() time.Time { return e.clock().UTC() }

// txn is one all-or-nothing change to the state.
type txn struct {
	e       *Engine
	st      *model.State
	now     time.Time
	undo    []func()
	changed map[changeKey]struct{}
	order   []changeKey
	// deregs are the targets this transaction deregistered, by target
	// group, and seqFloor the greatest sequence number it deregistered
	// from each (registerTarget).
	deregs   map[string]map[targetKey]deregistered
	seqFloor map[string]uint64
	// events are the events the transaction sends to event buses,
	// delivered to the rules when fn ends (deliverEvents); listening
	// caches eventRulesListen.
	events    []busEvent
	listening map[string]bool
}

type changeKey struct {
	kind model.Kind
	id   string
}

// write runs fn in a transaction under the write lock: if fn fails, or the
// persister does, every change fn made is undone.
func (e *Engine) write(fn func(t *txn) error) error { return e.writeAs("", funcPC(fn), fn) }

// writeAs is write with the transaction's kind for the lock hold
// statistics: name, or else the function at pc.
func (e *Engine) writeAs(name string, pc uintptr, fn func(t *txn) error) error {
	if e.bt != nil {
		// One step of a composite operation: its changes join the
		// composite's transaction; a failed step undoes its own.
		n := len(e.bt.undo)
		if err := fn(e.bt); err != nil {
			for i := len(e.bt.undo) - 1; i >= n; i-- {
				e.bt.undo[i]()
			}
			e.bt.undo = e.bt.undo[:n]
			return err
		}
		return nil
	}
	if e.dry != nil {
		t := &txn{e: e, st: e.st, now: e.clock().UTC()}
		if err := fn(t); err != nil {
			t.rollback()
			return err
		}
		e.dry.undo = append(e.dry.undo, t.undo)
		return nil
	}
	e.mu.Lock()
	ht := e.holds.startHold()
	defer func() {
		if d := e.holds.endHold(ht, name, pc, true); d > time.Duration(e.maxHold.Load()) {
			e.maxHold.Store(int64(d))
		}
		e.mu.Unlock()
	}()
	t := &txn{e: e, st: e.st, now: e.clock().UTC()}
	if err := fn(t); err != nil {
		t.rollback()
		return err
	}
	t.deliverEvents()
	if len(t.order) == 0 {
		return nil
	}
	if e.persist != nil {
		changes, err := t.records()
		if err == nil {
			if q, ok := e.persist.(QueuedPersister); ok {
				var seq uint64
				if seq, err = q.ApplyQueued(changes); err == nil && seq != 0 { // 0: durable already
					e.pending = append(e.pending, pendingTxn{seq: seq, undo: t.undo, ticket: e.ticket})
					e.ticket.note(seq)
				}
			} else {
				err = e.persist.Apply(changes)
			}
		}
		if err != nil {
			t.rollback()
			return &apierr.Error{Code: "ServiceUnavailable", Message: "The state could not be saved: " + err.Error()}
		}
	}
	e.version++
	return nil
}

// MaxWriteHold returns the longest time a transaction (an operation, or one
// of Step's) has held the engine's lock, and resets it.
func (e *Engine) MaxWriteHold() time.Duration { return time.Duration(e.maxHold.Swap(0)) }

// Ticket records the commits of the writes made through one Engine value
// (WithTicket): a server gives each request its own, so that it waits for
// its own writes to become durable, and answers by them alone.
type Ticket struct {
	seq      atomic.Uint64
	reverted atomic.Bool
}

// Reverted says whether Revert undid a transaction written through the
// ticket's Engine: its request must not be acknowledged, whatever the
// persister remembers of the failure.
func (t *Ticket) Reverted() bool { return t.reverted.Load() }

// Seq returns the sequence number (QueuedPersister.ApplyQueued's) of the
// latest transaction written through the ticket's Engine, or 0 when none
// was queued (nothing changed, or the persister made it durable at once).
func (t *Ticket) Seq() uint64 { return t.seq.Load() }

func (t *Ticket) note(seq uint64) {
	if t == nil {
		return
	}
	for {
		old := t.seq.Load()
		if seq <= old || t.seq.CompareAndSwap(old, seq) {
			return
		}
	}
}

// WithTicket returns an Engine over the same state as e whose writes also
// record their commit in t.
func (e *Engine) WithTicket(t *Ticket) *Engine { return &Engine{core: e.core, ticket: t, dry: e.dry} }

// Durable tells the engine that the transactions its QueuedPersister
// numbered up to seq are on disk: their undo logs are dropped.
func (e *Engine) Durable(seq uint64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	i := 0
	for i < len(e.pending) && e.pending[i].seq <= seq {
		i++
	}
	e.pending = slices.Delete(e.pending, 0, i)
}

// Revert undoes, newest first, every transaction queued for the engine's
// QueuedPersister that is not yet durable, up to seq: the flush that was to
// make them durable failed. It returns how many it undid.
func (e *Engine) Revert(seq uint64) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for i := len(e.pending) - 1; i >= 0; i-- {
		p := e.pending[i]
		if p.seq > seq {
			continue
		}
		for j := len(p.undo) - 1; j >= 0; j-- {
			p.undo[j]()
		}
		if p.ticket != nil {
			p.ticket.reverted.Store(true)
		}
		e.pending = slices.Delete(e.pending, i, i+1)
		n++
	}
	if n > 0 {
		e.version++
	}
	return n
}

func (t *txn) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
	t.undo = nil
}

func (t *txn) mark(kind model.Kind, id string) {
	k := changeKey{kind, id}
	if t.changed == nil {
		t.changed = map[changeKey]struct{}{}
	}
	if _, ok := t.changed[k]; ok {
		return
	}
	t.changed[k] = struct{}{}
	t.order = append(t.order, k)
}

func (t *txn) onUndo(f func()) { t.undo = append(t.undo, f) }

// records encodes every changed resource as it is now (nil when deleted).
func (t *txn) records() ([]store.Change, error) {
	out := make([]store.Change, 0, len(t.order))
	for _, k := range t.order {
		v := t.e.lookup(t.st, k.kind, k.id)
		c := store.Change{Kind: string(k.kind), ID: k.id}
		if v != nil {
			b, err := json.Marshal(v)
			if err != nil {
				return nil, fmt.Errorf("encode %s %s: %w", k.kind, k.id, err)
			}
			c.Data = b
		}
		out = append(out, c)
	}
	return out, nil
}

// put stores v under k in m, remembering how to undo it.
func put[K ~string, V any](t *txn, kind model.Kind, m map[K]*V, k K, v *V) {
	old, had := m[k]
	x := &t.e.idx
	t.onUndo(func() {
		if had {
			m[k] = old
			x.observe(v, old)
		} else {
			delete(m, k)
			x.observe(v, nil)
		}
	})
	m[k] = v
	if had {
		x.observe(old, v)
	} else {
		x.observe(nil, v)
	}
	t.mark(kind, string(k))
	if len(t.st.EventRules) > 0 {
		if had {
			t.noteECSChange(kind, old, v)
		} else {
			t.noteECSChange(kind, nil, v)
		}
	}
}

// del removes k from m, remembering how to undo it.
func del[K ~string, V any](t *txn, kind model.Kind, m map[K]*V, k K) {
	old, had := m[k]
	if !had {
		return
	}
	x := &t.e.idx
	t.onUndo(func() { m[k] = old; x.observe(nil, old) })
	delete(m, k)
	x.observe(old, nil)
	t.mark(kind, string(k))
}

// sortedKeys returns m's keys in order, for deterministic iteration.
func sortedKeys[K ~string, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// sortedValues returns m's values ordered by key.
func sortedValues[K ~string, V any](m map[K]*V) []*V {
	ks := sortedKeys(m)
	out := make([]*V, len(ks))
	for i, k := range ks {
		out[i] = m[k]
	}
	return out
}

// FromState returns an engine over st, a state built outside the engine
// (an imported AWS snapshot). The engine takes ownership of st; from then
// on only the engine changes it.
func FromState(st *model.State, opts ...Option) *Engine {
	e := newEngine(opts...)
	e.cfg.Account, e.cfg.Region = st.Account, st.Region
	e.st = st
	e.seedManaged()
	e.idx.rebuild(st)
	return e
}
