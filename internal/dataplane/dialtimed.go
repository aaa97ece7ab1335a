package dataplane

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// dialTimed is a load balancer node's TCP connection to a target (its
// traffic and its health checks), from the namespace at path, timed by
// the kernel: the connect timeout (ctx's deadline, as the node sets it)
// runs from the SYN, and the connection counts as timed out only if no
// answer (SYN-ACK or reset) arrived within it, whenever this process
// gets to look. A node's scaled connect timeout (200 ms in the tests) is
// shorter than the pauses of a process starved of CPU on a loaded
// machine: timed by Go's scheduler, a handshake the kernel completed at
// once could be reported as a timeout, and the node answered 504 where
// the analyzer says 200 (the differential test's seed 810, reproduced by
// running it in a cgroup with a 10 % CPU quota). A UDP dial, or one
// without a deadline, is dialIn's.
func dialTimed(ctx context.Context, path, network, addr string) (net.Conn, error) {
	deadline, ok := ctx.Deadline()
	ap, err := netip.ParseAddrPort(addr)
	if !ok || network != "tcp" || err != nil || !ap.Addr().Is4() {
		return dialIn(ctx, path, network, netip.Addr{}, 0, addr)
	}
	budget := time.Until(deadline)
	if budget <= 0 {
		return nil, &net.OpError{Op: "dial", Net: network, Addr: net.TCPAddrFromAddrPort(ap), Err: os.ErrDeadlineExceeded}
	}
	var c net.Conn
	err = inNetns(path, func() error {
		var e error
		c, e = connectTimed(ctx, ap, budget)
		return e
	})
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Addr: net.TCPAddrFromAddrPort(ap), Err: err}
	}
	return c, nil
}

// connectTimed connects a new socket of the calling thread's namespace
// to ap and waits for the handshake's answer at most budget of the
// kernel's time after the SYN: poll reports the socket writable if the
// answer came within it, however late this thread runs. Cancelling ctx
// (a node that closes) ends the wait at once; its deadline does not (the
// budget is that deadline, timed by the kernel).
func connectTimed(ctx context.Context, ap netip.AddrPort, budget time.Duration) (net.Conn, error) {
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return nil, os.NewSyscallError("eventfd", err)
	}
	var mu sync.Mutex
	closed := false
	stop := context.AfterFunc(ctx, func() {
		if !errors.Is(ctx.Err(), context.Canceled) {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if !closed {
			unix.Write(efd, []byte{1, 0, 0, 0, 0, 0, 0, 0})
		}
	})
	defer func() {
		stop()
		mu.Lock()
		closed = true
		unix.Close(efd)
		mu.Unlock()
	}()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	keep := false
	defer func() {
		if !keep {
			unix.Close(fd)
		}
	}()
	sa := &unix.SockaddrInet4{Port: int(ap.Port()), Addr: ap.Addr().As4()}
	switch err := unix.Connect(fd, sa); err {
	case nil, unix.EINPROGRESS:
	default:
		return nil, os.NewSyscallError("connect", err)
	}
	start := time.Now()
	for {
		left := budget - time.Since(start)
		ms := int(left.Milliseconds())
		if left > 0 && ms == 0 {
			ms = 1
		}
		if ms < 0 {
			ms = 0
		}
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}, {Fd: int32(efd), Events: unix.POLLIN}}
		n, err := unix.Poll(pfd, ms)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, os.NewSyscallError("poll", err)
		}
		if pfd[0].Revents == 0 && pfd[1].Revents != 0 {
			return nil, context.Canceled
		}
		if n == 0 {
			// Nothing came back within the budget: the target (or
			// something on the way) dropped the SYN.
			return nil, os.ErrDeadlineExceeded
		}
		break
	}
	soerr, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err != nil {
		return nil, os.NewSyscallError("getsockopt", err)
	}
	if soerr != 0 {
		return nil, os.NewSyscallError("connect", syscall.Errno(soerr))
	}
	f := os.NewFile(uintptr(fd), "tcp "+ap.String())
	keep = true
	c, err := net.FileConn(f) // a dup, in Go's poller
	f.Close()
	return c, err
}
