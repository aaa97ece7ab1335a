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

// apply makes a plan real. Every namespace is recorded before it is
// created; everything else lives inside those namespaces.
func apply(p *Plan, opt Options, rec *record) error {
	paths := map[string]string{}
	for _, ns := range p.Namespaces {
		path := filepath.Join(opt.NetnsDir, ns.Name)
		if err := rec.add("netns", path); err != nil {
			return err
		}
		if err := createNetns(path); err != nil {
			return fmt.Errorf("namespace %s: %w", ns.Name, err)
		}
		paths[ns.Name] = path
	}
	handles := map[string]*netlink.Handle{}
	fds := map[string]netns.NsHandle{}
	defer func() {
		for _, h := range handles {
			h.Close()
		}
		for _, f := range fds {
			f.Close()
		}
	}()
	handle := func(ns string) (*netlink.Handle, error) {
		if h, ok := handles[ns]; ok {
			return h, nil
		}
		fd, err := netns.GetFromPath(paths[ns])
		if err != nil {
			return nil, fmt.Errorf("namespace %s: %w", ns, err)
		}
		fds[ns] = fd
		h, err := netlink.NewHandleAt(fd, unix.NETLINK_ROUTE)
		if err != nil {
			return nil, err
		}
		handles[ns] = h
		return h, nil
	}
	link := func(ns, name string) (*netlink.Handle, netlink.Link, error) {
		h, err := handle(ns)
		if err != nil {
			return nil, nil, err
		}
		l, err := h.LinkByName(name)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: link %s: %w", ns, name, err)
		}
		return h, l, nil
	}
	for _, ns := range p.Namespaces {
		h, l, err := link(ns.Name, "lo")
		if err != nil {
			return err
		}
		if err := h.LinkSetUp(l); err != nil {
			return err
		}
	}
	// Sysctls first: forwarding must be on before routes need it.
	bySysNS := map[string][]Sysctl{}
	var sysOrder []string
	for _, s := range p.Sysctls {
		if _, ok := bySysNS[s.NS]; !ok {
			sysOrder = append(sysOrder, s.NS)
		}
		bySysNS[s.NS] = append(bySysNS[s.NS], s)
	}
	for _, ns := range sysOrder {
		err := inNetns(paths[ns], func() error {
			for _, s := range bySysNS[ns] {
				if err := writeSysctl(s.Key, s.Value); err != nil && !s.Optional {
					return fmt.Errorf("%s: sysctl %s: %w", ns, s.Key, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, b := range p.Bridges {
		h, err := handle(b.NS)
		if err != nil {
			return err
		}
		var l netlink.Link
		switch b.Kind {
		case "bridge":
			l = &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: b.Name}}
		default:
			// A bridge with no port and no ARP: what is routed to it
			// vanishes silently (the kernel may lack the dummy driver).
			l = &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: b.Name}}
		}
		if err := h.LinkAdd(l); err != nil {
			return fmt.Errorf("%s: add %s %s: %w", b.NS, b.Kind, b.Name, err)
		}
		if b.Kind != "bridge" {
			if err := h.LinkSetARPOff(l); err != nil {
				return err
			}
		}
		if err := h.LinkSetUp(l); err != nil {
			return err
		}
	}
	for _, v := range p.Veths {
		h, err := handle(v.NS)
		if err != nil {
			return err
		}
		if _, err := handle(v.PeerNS); err != nil {
			return err
		}
		attrs := netlink.LinkAttrs{Name: v.Name}
		if v.Master != "" {
			_, br, err := link(v.NS, v.Master)
			if err != nil {
				return err
			}
			attrs.MasterIndex = br.Attrs().Index
		}
		ve := &netlink.Veth{LinkAttrs: attrs, PeerName: v.PeerName, PeerNamespace: netlink.NsFd(int(fds[v.PeerNS]))}
		if err := h.LinkAdd(ve); err != nil {
			return fmt.Errorf("%s: veth %s to %s/%s: %w", v.NS, v.Name, v.PeerNS, v.PeerName, err)
		}
		if err := h.LinkSetUp(ve); err != nil {
			return err
		}
		ph, pl, err := link(v.PeerNS, v.PeerName)
		if err != nil {
			return err
		}
		if err := ph.LinkSetUp(pl); err != nil {
			return err
		}
	}
	for _, a := range p.Addrs {
		h, l, err := link(a.NS, a.Link)
		if err != nil {
			return err
		}
		if err := h.AddrAdd(l, &netlink.Addr{IPNet: ipnet(a.Prefix)}); err != nil {
			return fmt.Errorf("%s: address %s on %s: %w", a.NS, a.Prefix, a.Link, err)
		}
	}
	for _, r := range p.Routes {
		h, err := handle(r.NS)
		if err != nil {
			return err
		}
		rt := &netlink.Route{Dst: ipnet(r.Dst), Table: r.Table, Family: unix.AF_INET}
		switch {
		case r.Blackhole:
			rt.Type = unix.RTN_BLACKHOLE
		default:
			_, l, err := link(r.NS, r.Dev)
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
	}
	for _, r := range p.Rules {
		h, err := handle(r.NS)
		if err != nil {
			return err
		}
		x := netlink.NewRule()
		x.Family = unix.AF_INET
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
			return fmt.Errorf("%s: rule %d: %w", r.NS, r.Priority, err)
		}
	}
	byTableNS := map[string][]Table{}
	var tableOrder []string
	for _, t := range p.Tables {
		if _, ok := byTableNS[t.NS]; !ok {
			tableOrder = append(tableOrder, t.NS)
		}
		byTableNS[t.NS] = append(byTableNS[t.NS], t)
	}
	for _, ns := range tableOrder {
		if _, err := handle(ns); err != nil {
			return err
		}
		c, err := nftables.New(nftables.WithNetNSFd(int(fds[ns])))
		if err != nil {
			return err
		}
		for _, t := range byTableNS[ns] {
			if err := addTable(c, t); err != nil {
				return fmt.Errorf("%s: %w", ns, err)
			}
		}
		if err := c.Flush(); err != nil {
			return fmt.Errorf("%s: nftables: %w", ns, err)
		}
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
