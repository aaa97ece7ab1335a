package elbproxy

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Relay copies bytes between a client's connection and a node's
// connection to its target, as a load balancer node that terminates
// TCP passes them: a Classic Load Balancer's TCP listener (proxyTCP) and
// a Network Load Balancer's translated listener (the data plane's
// relay). A side that ends its half (FIN) has the node end the same half
// towards the other, which may go on sending (TCP half-close); a side
// that resets or fails has both closed, the other with a reset; a
// connection idle in both directions for Idle is closed both ways, with a
// FIN to each, or with a reset when IdleReset.
type Relay struct {
	client, target net.Conn
	// Idle is how long the connection may stay idle both ways.
	Idle time.Duration
	// IdleReset resets both sides of an idle connection instead of
	// closing them.
	IdleReset bool

	last atomic.Int64 // the last byte's time, either way (unix ns)
	once sync.Once
	stop chan struct{}
}

// NewRelay is the relay between client and target, not yet running.
func NewRelay(client, target net.Conn, idle time.Duration) *Relay {
	return &Relay{client: client, target: target, Idle: idle, stop: make(chan struct{})}
}

// Abort ends the relay's connections both ways: with a reset to each
// side when reset, else with a close.
func (r *Relay) Abort(reset bool) {
	r.once.Do(func() {
		if reset {
			resetConn(r.client)
			resetConn(r.target)
		}
		r.client.Close()
		r.target.Close()
		close(r.stop)
	})
}

// Run copies until both halves have ended, either side fails, the
// connection idles out or Abort is called; then both connections are
// closed.
func (r *Relay) Run() {
	r.last.Store(time.Now().UnixNano())
	done := make(chan struct{}, 2)
	go r.pipe(r.target, r.client, done)
	go r.pipe(r.client, r.target, done)
	tick := time.NewTicker(max(r.Idle/10, 10*time.Millisecond))
	defer tick.Stop()
	stop := r.stop
	for ended := 0; ended < 2; {
		select {
		case <-done:
			ended++
		case <-tick.C:
			if time.Since(time.Unix(0, r.last.Load())) >= r.Idle {
				r.Abort(r.IdleReset) // "the load balancer closes the connection"
			}
		case <-stop:
			stop = nil // both pipes end now that both sides are closed
		}
	}
	r.Abort(false)
}

// pipe copies src to dst.
func (r *Relay) pipe(dst, src net.Conn, done chan<- struct{}) {
	defer func() { done <- struct{}{} }()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			r.last.Store(time.Now().UnixNano())
			if _, werr := dst.Write(buf[:n]); werr != nil {
				r.Abort(true)
				return
			}
		}
		if errors.Is(err, io.EOF) {
			// The peer ended its half: end the same half towards the
			// other side, which may still answer.
			if hc, ok := dst.(interface{ CloseWrite() error }); ok {
				hc.CloseWrite()
			}
			return
		}
		if err != nil {
			r.Abort(!errors.Is(err, net.ErrClosed))
			return
		}
	}
}

// ResetConn makes a connection's close a reset (RST), not a FIN, the TCP
// connection underneath one wrapped in TLS (a node that ends TLS resets
// its client).
func ResetConn(c net.Conn) { resetConn(c) }

// resetConn makes a TCP connection's close a reset (RST), not a FIN.
// A connection wrapped in TLS (or read ahead) is reset underneath.
func resetConn(c net.Conn) {
	for {
		w, ok := c.(interface{ NetConn() net.Conn })
		if !ok {
			break
		}
		c = w.NetConn()
	}
	if tc, ok := c.(interface{ SetLinger(int) error }); ok {
		tc.SetLinger(0)
	}
}
