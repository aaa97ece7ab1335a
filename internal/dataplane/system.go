package dataplane

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// ServeCommand is the hidden CLI subcommand that holds a system's
// listeners in the background; Down stops only a process running it.
const ServeCommand = "dataplane-serve"

// Options say where a system lives.
type Options struct {
	// Name is the system's name, "ecsnet" by default; namespaces are
	// named "<Name>-<tag><n>". At most 20 characters.
	Name string
	// StateDir holds each system's record, plan and hosts file
	// (default /run/ecsnet).
	StateDir string
	// NetnsDir is where namespaces are bind-mounted (default /run/netns,
	// so `ip netns` lists them).
	NetnsDir string
	// Timeout is Connect's and HTTP's timeout when ctx has none (1 s).
	Timeout time.Duration
	// LoadBalancer starts a load balancer node's listeners (nil:
	// ALBRunner(LBTimeScale)).
	LoadBalancer LBRunner
	// LBTimeScale scales ELB's health check timing for the default
	// runner (0: 1, AWS's timing).
	LBTimeScale float64
}

// LBRunner starts one load balancer node: listen opens a TCP listener
// on the node (inside its namespace), dial connects from the node to a
// target. It returns what stops the node.
type LBRunner func(ctx context.Context, st *model.State, node LBNode, listen func(port uint16) (net.Listener, error), dial func(ctx context.Context, network, addr string) (net.Conn, error)) (io.Closer, error)

func (o Options) withDefaults() Options {
	if o.Name == "" {
		o.Name = "ecsnet"
	}
	if o.StateDir == "" {
		o.StateDir = "/run/ecsnet"
	}
	if o.NetnsDir == "" {
		o.NetnsDir = "/run/netns"
	}
	if o.LoadBalancer == nil {
		scale := o.LBTimeScale
		if scale == 0 {
			scale = 1
		}
		o.LoadBalancer = ALBRunner(scale)
	}
	if o.Timeout == 0 {
		o.Timeout = time.Second
	}
	return o
}

func (o Options) dir() string { return filepath.Join(o.StateDir, o.Name) }

// System is a data plane that is up.
type System struct {
	opt   Options
	plan  *Plan
	st    *model.State
	net   *reach.Network
	alias map[string]string

	mu      sync.Mutex
	closers []io.Closer
	// listening holds the open listener of each of the plan's Listeners,
	// by index.
	listening map[int]io.Closer
	// nlbNodes are the Network Load Balancer nodes that keep choosing a
	// target by their health checks (nlbhealth.go).
	nlbNodes []*nlbNode
	// xlat are the translated listeners of dualstack NLB nodes as they
	// are (nlbxlat.go).
	xlat map[xlatKey]*xlatState
	// followers are the load balancer nodes LoadBalancer started that
	// follow their targets (Retarget).
	followers []targetFollower
	wg        sync.WaitGroup
	// pings numbers Ping's echo requests (their identifier).
	pings atomic.Uint32
	// clock scales the containers' slow answers (slow.go).
	clock *responseClock
	// containerCert is the certificate of the containers that speak TLS,
	// generated for the first one (conn.go), under mu.
	containerCert *tls.Certificate
}

// ErrPrivileges is returned when the process cannot create namespaces.
var ErrPrivileges = errors.New("ecsnet up needs CAP_NET_ADMIN and CAP_SYS_ADMIN (run it as root): it creates network namespaces")

// Privileged reports whether the process may build a data plane.
func Privileged() bool {
	var caps [2]unix.CapUserData
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	if err := unix.Capget(&hdr, &caps[0]); err != nil {
		return false
	}
	has := func(c uint) bool { return caps[c/32].Effective&(1<<(c%32)) != 0 }
	return has(unix.CAP_NET_ADMIN) && has(unix.CAP_SYS_ADMIN)
}

// Up builds the data plane of a converged state and starts its
// listeners in this process (until Close). On failure it removes what it
// made.
func Up(ctx context.Context, st *model.State, opt Options) (*System, error) {
	opt = opt.withDefaults()
	if !Privileged() {
		return nil, ErrPrivileges
	}
	p, err := MakePlan(st, opt.Name)
	if err != nil {
		return nil, err
	}
	dir := opt.dir()
	if _, err := os.Stat(filepath.Join(dir, recordFile)); err == nil {
		return nil, fmt.Errorf("a system named %s is already up (%s): take it down first (ecsnet down --name %s), or give this one another --name", opt.Name, dir, opt.Name)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opt.NetnsDir, 0o755); err != nil {
		return nil, err
	}
	rec, err := openRecord(dir)
	if err != nil {
		return nil, err
	}
	defer rec.close()
	if err := writeJSON(filepath.Join(dir, planFile), p); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, hostsFile), []byte(p.HostsFile()), 0o644); err != nil {
		return nil, err
	}
	if err := p.writeResolvConfs(filepath.Join(dir, resolvDir)); err != nil { // dns.go
		return nil, err
	}
	fail := func(err error) (*System, error) {
		return nil, errors.Join(err, down(dir))
	}
	if err := apply(p, opt, rec); err != nil {
		return fail(err)
	}
	s := &System{opt: opt, plan: p, st: st, net: reach.Compile(st), alias: p.Aliases, clock: newResponseClock(st, opt.LBTimeScale)}
	if err := s.startListeners(ctx); err != nil {
		s.Close()
		return fail(err)
	}
	if err := s.startNAT64(); err != nil { // nat64.go
		s.Close()
		return fail(err)
	}
	changed, err := s.nlbHealth(ctx)
	if err == nil {
		err = s.nlbTranslate(ctx) // nlbxlat.go
	}
	if err == nil {
		err = s.gwlbHealth(ctx) // gwlb.go
	}
	if err == nil && changed {
		err = writeJSON(filepath.Join(dir, planFile), p)
	}
	if err != nil {
		s.Close()
		return fail(err)
	}
	return s, nil
}

// nameFlag is the --name flag that names a system other than the
// default one, for a command to suggest.
func nameFlag(name string) string {
	if name == "" || name == "ecsnet" {
		return ""
	}
	return " --name " + name
}

// Attach opens a system that another process brought up, for Exec,
// Connect and HTTP (no listeners).
func Attach(opt Options) (*System, error) {
	opt = opt.withDefaults()
	b, err := os.ReadFile(filepath.Join(opt.dir(), planFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no system named %s is up (no %s): bring one up first with ecsnet up SOURCE%s", opt.Name, filepath.Join(opt.dir(), planFile), nameFlag(opt.Name))
	}
	if err != nil {
		return nil, err
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(opt.dir(), planFile), err)
	}
	return &System{opt: opt, plan: &p}, nil
}

// AttachState is Attach with the state the system was built from, so
// that Probe (the analyzer beside a real connection) and node names work
// as in the process that brought it up: for a UI or a CLI that opened the
// same SOURCE. A state that differs from the one brought up gives real
// results for the old system.
func AttachState(opt Options, st *model.State) (*System, error) {
	s, err := Attach(opt)
	if err != nil {
		return nil, err
	}
	s.st, s.net = st, reach.Compile(st)
	return s, nil
}

// RecordServer notes the pid of the process holding the listeners, so
// Down stops it.
func RecordServer(opt Options, pid int) error {
	opt = opt.withDefaults()
	rec, err := openRecord(opt.dir())
	if err != nil {
		return err
	}
	defer rec.close()
	return rec.add("pid", fmt.Sprint(pid))
}

// Down removes a system from its record: idempotent, and it works after
// a crash at any point of Up.
func Down(ctx context.Context, opt Options) error {
	opt = opt.withDefaults()
	return down(opt.dir())
}

// Close stops the listeners this process holds. It does not remove the
// namespaces (Down does).
func (s *System) Close() error {
	s.mu.Lock()
	cs := s.closers
	s.closers = nil
	s.mu.Unlock()
	var errs []error
	for _, c := range cs {
		if err := c.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	s.wg.Wait()
	return errors.Join(errs...)
}

// Plan returns the system's plan.
func (s *System) Plan() *Plan { return s.plan }

// Nodes returns the names a node may be given by: "internet", instance
// ids and names, task ids, ARNs and names, ENI ids, load balancer names.
func (s *System) Nodes() []string {
	var out []string
	for k := range s.plan.Aliases {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// nsPath returns the namespace file a node spec starts in, and the
// source address it binds to (invalid: the kernel chooses).
func (s *System) node(spec string) (string, netip.Addr, error) {
	spec = strings.TrimSpace(spec)
	if s.net != nil {
		ep, err := reach.Resolve(s.net, spec)
		if err != nil {
			return "", netip.Addr{}, err
		}
		var key string
		var src netip.Addr
		switch ep.Kind {
		case reach.KindInternet:
			key = "internet"
			src = ep.Address
		case reach.KindInstance, reach.KindENI:
			key = ep.ID
		case reach.KindTask, reach.KindService:
			key = s.taskKey(ep)
		case reach.KindLoadBalancer:
			key = ep.ARN
		case reach.KindAddress:
			key = ep.ID
			src = ep.Address
			if key == "" {
				return "", src, fmt.Errorf("%s: no ENI of the system holds %s", spec, ep.Address)
			}
		default:
			return "", src, fmt.Errorf("%s is not a node of the system (an %s)", spec, ep.Kind)
		}
		if ep.Kind == reach.KindENI {
			if e := s.st.NetworkInterfaces[model.NetworkInterfaceID(ep.ID)]; e != nil {
				src = e.PrimaryIP()
			}
		}
		ns, ok := s.plan.Nodes[key]
		if !ok {
			return "", src, fmt.Errorf("%s has no namespace (not running, or no network interface)", spec)
		}
		return filepath.Join(s.opt.NetnsDir, ns), src, nil
	}
	ns, ok := s.plan.Aliases[spec]
	if !ok {
		if strings.HasPrefix(spec, "internet:") {
			a, err := parseAddr(strings.TrimPrefix(spec, "internet:"))
			if err != nil {
				return "", netip.Addr{}, err
			}
			return filepath.Join(s.opt.NetnsDir, s.plan.Nodes["internet"]), a, nil
		}
		var known []string
		for _, n := range s.Nodes() {
			// People's names: not ARNs, not 32-digit task ids.
			if !strings.HasPrefix(n, "arn:") && !(len(n) == 32 && strings.Trim(n, "0123456789abcdef") == "") {
				known = append(known, n)
			}
		}
		return "", netip.Addr{}, fmt.Errorf("no node is named %q; known: %s (and ids, ARNs, load balancer DNS names)", spec, strings.Join(known, ", "))
	}
	return filepath.Join(s.opt.NetnsDir, ns), netip.Addr{}, nil
}

func (s *System) taskKey(ep reach.Endpoint) string {
	if ep.Kind == reach.KindTask {
		return ep.ARN
	}
	// A service: its task as Resolve chose it (by name).
	for _, t := range s.st.Tasks {
		if s.st.TaskName(t) == ep.Name || t.ServiceName == ep.ID && t.LastStatus == model.TaskRunning {
			return t.ARN
		}
	}
	return ""
}

// aliases maps every name a node goes by to its namespace.
func (p *Plan) aliases(st *model.State) map[string]string {
	a := map[string]string{}
	add := func(name, key string) {
		if ns, ok := p.Nodes[key]; ok && name != "" {
			if _, dup := a[name]; !dup {
				a[name] = ns
			}
		}
	}
	add("internet", "internet")
	for _, i := range st.Instances {
		add(string(i.ID), string(i.ID))
		add(st.InstanceName(i), string(i.ID))
	}
	for _, t := range st.Tasks {
		add(t.ARN, t.ARN)
		add(t.ARN[strings.LastIndexByte(t.ARN, '/')+1:], t.ARN)
		add(st.TaskName(t), t.ARN)
	}
	for _, e := range st.NetworkInterfaces {
		add(string(e.ID), string(e.ID))
	}
	for _, g := range st.NatGateways {
		add(string(g.ID), string(g.ID))
	}
	for _, lb := range st.LoadBalancers {
		add(lb.Name, lb.ARN)
		add(lb.ARN, lb.ARN)
		add(strings.ToLower(lb.DNSName), lb.ARN)
		// Each node by its zone, as the console lists them: web-alb/us-east-1b.
		for _, n := range lb.Nodes {
			if n.AvailabilityZone != "" {
				add(lb.Name+"/"+n.AvailabilityZone, string(n.ENI))
			}
		}
	}
	for _, c := range st.ClassicLoadBalancers {
		arn := reach.ClassicLoadBalancerARN(st, c.Name)
		add(c.Name, arn)
		add(arn, arn)
		add(strings.ToLower(c.DNSName), arn)
		for _, n := range c.Nodes {
			if n.AvailabilityZone != "" {
				add(c.Name+"/"+n.AvailabilityZone, string(n.ENI))
			}
		}
	}
	p.Aliases = a
	return a
}

// HostsFile returns the /etc/hosts ecsnet exec gives commands: load
// balancer DNS names resolve to their nodes.
func (p *Plan) HostsFile() string {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost\n")
	hs := slices.Clone(p.Hosts)
	slices.SortStableFunc(hs, func(x, y HostEntry) int { return strings.Compare(x.Name, y.Name) })
	for _, h := range hs {
		fmt.Fprintf(&b, "%s\t%s\n", h.Addr, h.Name)
	}
	return b.String()
}
