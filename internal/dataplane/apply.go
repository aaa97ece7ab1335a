package dataplane

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/nftables"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// Files of a system's state directory (StateDir/<Name>/).
const (
	recordFile = "record"    // write-ahead log: one line per object, written before it is made
	planFile   = "plan.json" // the plan, for exec and connect from another process
	hostsFile  = "hosts"     // /etc/hosts for ecsnet exec
)

// record is the write-ahead log of what a system creates: Down undoes
// it, even after a crash halfway through Up.
type record struct {
	f *os.File
}

func openRecord(dir string) (*record, error) {
	f, err := os.OpenFile(filepath.Join(dir, recordFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	return &record{f: f}, nil
}

// add writes "kind value" and syncs it to disk before the caller creates
// the object.
func (r *record) add(kind, value string) error {
	if _, err := fmt.Fprintf(r.f, "%s %s\n", kind, value); err != nil {
		return err
	}
	return r.f.Sync()
}

// addAll writes "kind value" for each value and syncs once.
func (r *record) addAll(kind string, values []string) error {
	var b strings.Builder
	for _, v := range values {
		fmt.Fprintf(&b, "%s %s\n", kind, v)
	}
	if _, err := r.f.WriteString(b.String()); err != nil {
		return err
	}
	return r.f.Sync()
}

func (r *record) close() error { return r.f.Close() }

// readRecord returns the record's entries, in order.
func readRecord(dir string) ([][2]string, error) {
	f, err := os.Open(filepath.Join(dir, recordFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out [][2]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), " ")
		if ok {
			out = append(out, [2]string{k, v})
		}
	}
	return out, sc.Err()
}

// workers is how many namespaces apply works on at once: most of the
// time goes to the kernel's namespace and device setup, which waits more
// than it computes.
const workers = 8

// nsCache holds one worker's netlink handles, by namespace.
type nsCache struct {
	fds map[string]netns.NsHandle // shared, read-only
	h   map[string]*netlink.Handle
}

func (c *nsCache) handle(ns string) (*netlink.Handle, error) {
	if h, ok := c.h[ns]; ok {
		return h, nil
	}
	fd, ok := c.fds[ns]
	if !ok {
		return nil, fmt.Errorf("namespace %s is not in the plan", ns)
	}
	h, err := netlink.NewHandleAt(fd, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("namespace %s: %w", ns, err)
	}
	c.h[ns] = h
	return h, nil
}

func (c *nsCache) link(ns, name string) (*netlink.Handle, netlink.Link, error) {
	h, err := c.handle(ns)
	if err != nil {
		return nil, nil, err
	}
	l, err := h.LinkByName(name)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: link %s: %w", ns, name, err)
	}
	return h, l, nil
}

func (c *nsCache) close() {
	for _, h := range c.h {
		h.Close()
	}
}

// parallel runs f on items 0..n-1 with a few workers, each with its own
// handles, and returns the first error.
func parallel(fds map[string]netns.NsHandle, n int, f func(c *nsCache, i int) error) error {
	var (
		mu   sync.Mutex
		next int
		errs []error
		wg   sync.WaitGroup
	)
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &nsCache{fds: fds, h: map[string]*netlink.Handle{}}
			defer c.close()
			for {
				mu.Lock()
				i := next
				next++
				stop := len(errs) > 0
				mu.Unlock()
				if i >= n || stop {
					return
				}
				if err := f(c, i); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// groupByNS returns the indexes of items per namespace, in first-seen
// order, so that a worker handles one namespace's items in plan order.
func groupByNS(n int, ns func(i int) string) [][]int {
	idx := map[string]int{}
	var out [][]int
	for i := range n {
		k := ns(i)
		j, ok := idx[k]
		if !ok {
			j = len(out)
			idx[k] = j
			out = append(out, nil)
		}
		out[j] = append(out[j], i)
	}
	return out
}

// apply makes a plan real. Every namespace is recorded before it is
// created; everything else lives inside those namespaces.
func apply(p *Plan, opt Options, rec *record) error {
	paths := map[string]string{}
	var all []string
	for _, ns := range p.Namespaces {
		path := filepath.Join(opt.NetnsDir, ns.Name)
		all = append(all, path)
		paths[ns.Name] = path
	}
	// Every namespace is on disk before the first is created.
	if err := rec.addAll("netns", all); err != nil {
		return err
	}
	if err := parallel(nil, len(p.Namespaces), func(_ *nsCache, i int) error {
		ns := p.Namespaces[i]
		if err := createNetns(paths[ns.Name]); err != nil {
			return fmt.Errorf("namespace %s: %w", ns.Name, err)
		}
		return nil
	}); err != nil {
		return err
	}
	fds := map[string]netns.NsHandle{}
	defer func() {
		for _, f := range fds {
			f.Close()
		}
	}()
	for _, ns := range p.Namespaces {
		fd, err := netns.GetFromPath(paths[ns.Name])
		if err != nil {
			return fmt.Errorf("namespace %s: %w", ns.Name, err)
		}
		fds[ns.Name] = fd
	}
	// Loopback and sysctls first: forwarding must be on before routes
	// need it, and interfaces created later take the defaults.
	sysctls := groupByNS(len(p.Sysctls), func(i int) string { return p.Sysctls[i].NS })
	bySys := map[string][]int{}
	for _, g := range sysctls {
		bySys[p.Sysctls[g[0]].NS] = g
	}
	if err := parallel(fds, len(p.Namespaces), func(c *nsCache, i int) error {
		ns := p.Namespaces[i].Name
		h, l, err := c.link(ns, "lo")
		if err != nil {
			return err
		}
		if err := h.LinkSetUp(l); err != nil {
			return err
		}
		if len(bySys[ns]) == 0 {
			return nil
		}
		return inNetns(paths[ns], func() error {
			for _, j := range bySys[ns] {
				s := p.Sysctls[j]
				if err := writeSysctl(s.Key, s.Value); err != nil && !s.Optional {
					return fmt.Errorf("%s: sysctl %s: %w", ns, s.Key, err)
				}
			}
			return nil
		})
	}); err != nil {
		return err
	}
	if err := parallel(fds, len(p.Bridges), func(c *nsCache, i int) error {
		b := p.Bridges[i]
		h, err := c.handle(b.NS)
		if err != nil {
			return err
		}
		if b.Kind == "tun" {
			// A NAT gateway's NAT64 device (nat64.go), kept for the
			// system's process to read.
			f, err := openTUN(filepath.Join(opt.NetnsDir, b.NS), b.Name, true)
			if err != nil {
				return fmt.Errorf("%s: add tun %s: %w", b.NS, b.Name, err)
			}
			f.Close()
			_, l, err := c.link(b.NS, b.Name)
			if err != nil {
				return err
			}
			return h.LinkSetUp(l)
		}
		// A dummy is a bridge with no port and no ARP: what is routed to
		// it vanishes silently (the kernel may lack the dummy driver).
		// No multicast snooping: IPv6 neighbour solicitations go to
		// every port, whatever multicast listener reports the filters
		// let through.
		snoop := false
		l := &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: b.Name}, MulticastSnooping: &snoop}
		if b.MAC != "" {
			mac, err := net.ParseMAC(b.MAC)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", b.NS, b.Name, err)
			}
			l.HardwareAddr = mac
		}
		if err := h.LinkAdd(l); err != nil {
			return fmt.Errorf("%s: add %s %s: %w", b.NS, b.Kind, b.Name, err)
		}
		if b.Kind != "bridge" {
			if err := h.LinkSetARPOff(l); err != nil {
				return err
			}
		}
		return h.LinkSetUp(l)
	}); err != nil {
		return err
	}
	if err := parallel(fds, len(p.Veths), func(c *nsCache, i int) error {
		v := p.Veths[i]
		h, err := c.handle(v.NS)
		if err != nil {
			return err
		}
		attrs := netlink.LinkAttrs{Name: v.Name}
		if v.Master != "" {
			_, br, err := c.link(v.NS, v.Master)
			if err != nil {
				return err
			}
			attrs.MasterIndex = br.Attrs().Index
		}
		ve := &netlink.Veth{LinkAttrs: attrs, PeerName: v.PeerName, PeerNamespace: netlink.NsFd(int(fds[v.PeerNS]))}
		if v.PeerMAC != "" {
			mac, err := net.ParseMAC(v.PeerMAC)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", v.PeerNS, v.PeerName, err)
			}
			ve.PeerHardwareAddr = mac
		}
		if err := h.LinkAdd(ve); err != nil {
			return fmt.Errorf("%s: veth %s to %s/%s: %w", v.NS, v.Name, v.PeerNS, v.PeerName, err)
		}
		if err := h.LinkSetUp(ve); err != nil {
			return err
		}
		ph, pl, err := c.link(v.PeerNS, v.PeerName)
		if err != nil {
			return err
		}
		return ph.LinkSetUp(pl)
	}); err != nil {
		return err
	}
	// Addresses, routes and rules, one namespace per worker at a time,
	// in plan order within it.
	addrs := groupByNS(len(p.Addrs), func(i int) string { return p.Addrs[i].NS })
	if err := parallel(fds, len(addrs), func(c *nsCache, g int) error {
		for _, i := range addrs[g] {
			a := p.Addrs[i]
			h, l, err := c.link(a.NS, a.Link)
			if err != nil {
				return err
			}
			na := &netlink.Addr{IPNet: ipnet(a.Prefix)}
			if a.Prefix.Addr().Is6() {
				na.Flags = unix.IFA_F_NODAD // usable at once
			}
			if err := h.AddrAdd(l, na); err != nil {
				return fmt.Errorf("%s: address %s on %s: %w", a.NS, a.Prefix, a.Link, err)
			}
		}
		return nil
	}); err != nil {
		return err
	}
	routes := groupByNS(len(p.Routes), func(i int) string { return p.Routes[i].NS })
	if err := parallel(fds, len(routes), func(c *nsCache, g int) error {
		for _, i := range routes[g] {
			if err := addRoute(c, p.Routes[i]); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	rules := groupByNS(len(p.Rules), func(i int) string { return p.Rules[i].NS })
	if err := parallel(fds, len(rules), func(c *nsCache, g int) error {
		for _, i := range rules[g] {
			if err := addRule(c, p.Rules[i]); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	tables := groupByNS(len(p.Tables), func(i int) string { return p.Tables[i].NS })
	if err := parallel(fds, len(tables), func(_ *nsCache, g int) error {
		ns := p.Tables[tables[g][0]].NS
		c, err := nftables.New(nftables.WithNetNSFd(int(fds[ns])))
		if err != nil {
			return err
		}
		defer c.CloseLasting()
		for _, i := range tables[g] {
			if err := addTable(c, p.Tables[i]); err != nil {
				return fmt.Errorf("%s: %w", ns, err)
			}
		}
		if err := c.Flush(); err != nil {
			return fmt.Errorf("%s: nftables: %w", ns, err)
		}
		return nil
	}); err != nil {
		return err
	}
	return waitUp(p, fds)
}

// waitUp waits until the kernel has activated every veth end (its
// operational state is up): until then a device drops what it is given,
// and the first connection of a fresh system would time out.
func waitUp(p *Plan, fds map[string]netns.NsHandle) error {
	want := map[string][]string{}
	for _, v := range p.Veths {
		want[v.NS] = append(want[v.NS], v.Name)
		want[v.PeerNS] = append(want[v.PeerNS], v.PeerName)
	}
	var nss []string
	for ns := range want {
		nss = append(nss, ns)
	}
	return parallel(fds, len(nss), func(c *nsCache, i int) error {
		ns := nss[i]
		h, err := c.handle(ns)
		if err != nil {
			return err
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			links, err := h.LinkList()
			if err != nil {
				return err
			}
			up := map[string]bool{}
			for _, l := range links {
				up[l.Attrs().Name] = l.Attrs().OperState == netlink.OperUp
			}
			ready := true
			for _, name := range want[ns] {
				if !up[name] {
					ready = false
				}
			}
			if ready {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%s: links not up after 10 s", ns)
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

func addRoute(c *nsCache, r Route) error {
	h, err := c.handle(r.NS)
	if err != nil {
		return err
	}
	rt := &netlink.Route{Dst: ipnet(r.Dst), Table: r.Table, Family: unix.AF_INET}
	if r.Dst.Addr().Is6() {
		rt.Family = unix.AF_INET6
	}
	if r.Blackhole {
		rt.Type = unix.RTN_BLACKHOLE
	} else if r.Local {
		_, l, err := c.link(r.NS, "lo")
		if err != nil {
			return err
		}
		rt.LinkIndex = l.Attrs().Index
		rt.Type = unix.RTN_LOCAL
		rt.Scope = netlink.SCOPE_HOST
	} else {
		_, l, err := c.link(r.NS, r.Dev)
		if err != nil {
			return err
		}
		rt.LinkIndex = l.Attrs().Index
		if r.Src.IsValid() {
			rt.Src = net.IP(r.Src.AsSlice())
		}
		if r.Via.IsValid() {
			rt.Gw = net.IP(r.Via.AsSlice())
			rt.Flags = int(netlink.FLAG_ONLINK)
		} else {
			rt.Scope = netlink.SCOPE_LINK
		}
	}
	if err := h.RouteReplace(rt); err != nil {
		return fmt.Errorf("%s: route %s table %d: %w", r.NS, r.Dst, r.Table, err)
	}
	return nil
}

func addRule(c *nsCache, r PolicyRule) error {
	h, err := c.handle(r.NS)
	if err != nil {
		return err
	}
	x := netlink.NewRule()
	x.Family = unix.AF_INET
	if r.V6 || (r.Src.IsValid() && r.Src.Addr().Is6()) {
		x.Family = unix.AF_INET6
	}
	x.Priority = r.Priority
	x.IifName = r.IIf
	x.Table = r.Table
	if r.Mark != 0 {
		x.Mark = r.Mark
	}
	if r.Src.IsValid() {
		x.Src = ipnet(r.Src)
	}
	if r.Blackhole {
		x.Table = 0
		x.Type = unix.FR_ACT_BLACKHOLE
	}
	if err := h.RuleAdd(x); err != nil {
		return fmt.Errorf("%s: rule %d (family %d): %w", r.NS, r.Priority, x.Family, err)
	}
	return nil
}

func ipnet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: net.IP(p.Addr().AsSlice()), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}

// down removes what a record names: it stops the recorded server
// process, then unmounts and removes every namespace.
func down(dir string) error {
	entries, err := readRecord(dir)
	if errors.Is(err, os.ErrNotExist) {
		entries = nil
	} else if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if e[0] == "pid" {
			stopServer(e[1])
		}
	}
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i][0] == "netns" {
			if err := deleteNetns(entries[i][1]); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return nil
}

// stopServer ends a recorded `ecsnet dataplane-serve` process, if it
// still runs and is one (a reused pid is left alone).
func stopServer(pidText string) {
	pid, err := strconv.Atoi(pidText)
	if err != nil || pid <= 1 || pid == os.Getpid() {
		return
	}
	cmdline, err := os.ReadFile("/proc/" + pidText + "/cmdline")
	if err != nil || !strings.Contains(string(cmdline), ServeCommand) {
		return
	}
	_ = unix.Kill(pid, unix.SIGTERM)
	for range 50 {
		if unix.Kill(pid, 0) != nil {
			return
		}
		sleepMS(20)
	}
	_ = unix.Kill(pid, unix.SIGKILL)
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}
