package dataplane

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// TestDialTimed checks the kernel-timed connect of the load balancer
// nodes in a namespace of its own (loopback only): a listener
// connects, a closed port is refused, and a listener whose accept queue
// is full (listen backlog 0, one connection waiting) drops the SYN, which
// is a timeout after the budget and not before.
func TestDialTimed(t *testing.T) {
	isolated(t)
	path := filepath.Join(t.TempDir(), "ns")
	if err := createNetns(path); err != nil {
		t.Fatal(err)
	}
	defer deleteNetns(path)
	if err := inNetns(path, func() error {
		lo, err := netlink.LinkByName("lo")
		if err != nil {
			return err
		}
		return netlink.LinkSetUp(lo)
	}); err != nil {
		t.Fatal(err)
	}
	ln, _, err := listenIn(path, "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx := func(d time.Duration) context.Context {
		c, cancel := context.WithTimeout(context.Background(), d)
		t.Cleanup(cancel)
		return c
	}
	c, err := dialTimed(ctx(time.Second), path, "tcp", ln.Addr().String())
	if err != nil {
		t.Fatalf("to a listener: %v", err)
	}
	c.Close()
	closed := ln.Addr().(*net.TCPAddr).AddrPort()
	ln2, _, _ := listenIn(path, "tcp", "127.0.0.1:0")
	port := ln2.Addr().(*net.TCPAddr).Port
	ln2.Close()
	closed = netip.AddrPortFrom(closed.Addr(), uint16(port))
	if _, err := dialTimed(ctx(time.Second), path, "tcp", closed.String()); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("to a closed port: %v, want connection refused", err)
	}

	// A listener that accepts nothing, with a backlog of 0: the first
	// connection fills its queue, the next SYN is dropped.
	var fd int
	var sa unix.Sockaddr
	if err := inNetns(path, func() error {
		var err error
		if fd, err = unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0); err != nil {
			return err
		}
		if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
			return err
		}
		if err := unix.Listen(fd, 0); err != nil {
			return err
		}
		sa, err = unix.Getsockname(fd)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	full := netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(sa.(*unix.SockaddrInet4).Port))
	first, err := dialTimed(ctx(time.Second), path, "tcp", full.String())
	if err != nil {
		t.Fatalf("the first connection to a full listener: %v", err)
	}
	defer first.Close()
	start := time.Now()
	_, err = dialTimed(ctx(300*time.Millisecond), path, "tcp", full.String())
	took := time.Since(start)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("to a listener that drops the SYN: %v, want a timeout", err)
	}
	if took < 250*time.Millisecond {
		t.Errorf("the dropped SYN timed out after %s, before its budget of 300 ms", took)
	}
	t.Logf("dropped SYN: %v after %s", err, took.Round(time.Millisecond))

	// A node that closes cancels its checks: the wait ends at once.
	cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	time.AfterFunc(100*time.Millisecond, cancel)
	start = time.Now()
	_, err = dialTimed(cctx, path, "tcp", full.String())
	if took := time.Since(start); !errors.Is(err, context.Canceled) || took > 5*time.Second {
		t.Errorf("cancelled after 100 ms: %v after %s, want context.Canceled at once", err, took)
	}
}
