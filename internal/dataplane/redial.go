package dataplane

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// redialIn is dialIn for a client that binds a fixed source port (HTTP
// probes use the analyzer's client port): the previous probe's socket on
// the same four-tuple may still be closing (the HTTP client closes its
// connection in a goroutine of its own after the response), and the
// kernel answers EADDRNOTAVAIL or EADDRINUSE until it is gone. It retries
// for up to 200 ms.
func redialIn(ctx context.Context, path, network string, src netip.Addr, sport uint16, addr string) (net.Conn, error) {
	deadline := time.Now().Add(200 * time.Millisecond)
	for {
		c, err := dialIn(ctx, path, network, src, sport, addr)
		if err == nil || sport == 0 || time.Now().After(deadline) || ctx.Err() != nil ||
			!(errors.Is(err, syscall.EADDRNOTAVAIL) || errors.Is(err, syscall.EADDRINUSE)) {
			return c, err
		}
		time.Sleep(2 * time.Millisecond)
	}
}
