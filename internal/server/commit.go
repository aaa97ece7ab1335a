package server

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/store"
)

// committer makes engine writes durable. Each region's engine hands its
// committed changes to Apply; the server acknowledges a write to its client
// only after Sync returns, so every acknowledged write survives kill -9.
//
// With group commit (the default) Apply only queues the changes: the
// engine's lock is released at once, and a background flusher writes
// everything queued in one store transaction (one fsync) while more writes
// arrive. Sync waits for the flush that covers everything queued before it
// was called. Changes are flushed in the order they were queued, so a write
// that depends on another is never durable without it.
//
// Without group commit Apply writes through to the store, under the
// engine's lock, and Sync has nothing to wait for; a failed write is undone
// by the engine at once.
//
// If a flush fails (a full disk), nothing of it is on disk, and the
// committer makes memory agree: it stops taking writes, drops what is
// queued, and has every engine undo the transactions that were not yet
// durable (engine.Revert), newest first; their Syncs report the error, so
// their clients get ServiceUnavailable and a retry starts from a clean
// state. Then it takes writes again: the next flush tries the store again,
// so the emulator recovers when the disk does.
type committer struct {
	st    store.Store
	group bool

	mu        sync.Mutex
	cond      *sync.Cond
	queue     []store.Change
	queued    uint64 // batches queued so far
	durable   uint64 // batches flushed (or failed and undone)
	failed    []failedRange
	reverting bool
	closed    bool
	finished  chan struct{}
	// engines are told what became durable, and what to undo.
	engines map[string]*engine.Engine // by region
	// lastErr and lastErrAt describe the latest failed flush, lastOK the
	// latest good one (health).
	lastErr         error
	lastErrAt       time.Time
	lastOK          time.Time
	flushing        bool
	flushStartedAt  time.Time
	consecutiveFail int
}

// failedRange is a run of batches (from, to] whose flush failed and which
// were undone.
type failedRange struct {
	from, to uint64
	err      error
}

// errReverting is what writes get while a failed flush is being undone.
var errReverting = errors.New("persist: a failed write is being undone")

func newCommitter(st store.Store, group bool) *committer {
	c := &committer{st: st, group: group, finished: make(chan struct{})}
	c.cond = sync.NewCond(&c.mu)
	if group {
		go c.flusher()
	} else {
		close(c.finished)
	}
	return c
}

// watch has the committer tell a region's engine what became durable and
// what to undo.
func (c *committer) watch(region string, e *engine.Engine) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.engines == nil {
		c.engines = map[string]*engine.Engine{}
	}
	c.engines[region] = e
}

// apply queues (group commit) or writes changes whose kinds carry a region
// prefix. It returns the batch's sequence number.
func (c *committer) apply(changes []store.Change) (uint64, error) {
	if err := store.Validate(changes); err != nil {
		return 0, err
	}
	if !c.group {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.closed {
			return 0, store.ErrClosed
		}
		err := c.st.Apply(changes)
		c.noteFlush(err)
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reverting {
		return 0, errReverting
	}
	if c.closed {
		return 0, store.ErrClosed
	}
	c.queue = append(c.queue, changes...)
	c.queued++
	c.cond.Broadcast()
	return c.queued, nil
}

// noteFlush records a flush's outcome for health; c.mu is held.
func (c *committer) noteFlush(err error) {
	if err != nil {
		c.lastErr, c.lastErrAt = err, time.Now()
		c.consecutiveFail++
		return
	}
	c.lastOK = time.Now()
	c.consecutiveFail = 0
}

// sync waits until everything queued before the call is durable, or
// reports the error of a failed flush that covered some of it.
func (c *committer) sync() error {
	if !c.group {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	from, want := c.durable, c.queued
	for c.durable < want {
		c.cond.Wait()
	}
	for _, f := range c.failed {
		if f.from < want && f.to > from {
			return f.err
		}
	}
	return nil
}

// A request learns which batch its own writes went into from the
// engine: the server runs its handler on an engine.Engine carrying an
// engine.Ticket (Engine.WithTicket), in which every write records the
// sequence number apply returned, so the request answers by its own batch
// alone.

// syncSeq waits until batch seq is durable and reports the error of the
// flush that failed it, if one did.
func (c *committer) syncSeq(seq uint64) error {
	if !c.group || seq == 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.durable < seq {
		c.cond.Wait()
	}
	for _, f := range c.failed {
		if f.from < seq && seq <= f.to {
			return f.err
		}
	}
	return nil
}

// maxFailedRanges bounds the runs of failed flushes the committer
// remembers for Syncs still waiting. A request that wrote does not depend
// on it: Engine.Revert marks its ticket (Server.run checks both).
const maxFailedRanges = 64

func (c *committer) flusher() {
	defer close(c.finished)
	c.mu.Lock()
	for {
		for len(c.queue) == 0 && !c.closed {
			c.cond.Wait()
		}
		if len(c.queue) == 0 {
			c.mu.Unlock()
			return
		}
		batch, upto, from := c.queue, c.queued, c.durable
		c.queue = nil
		c.flushing, c.flushStartedAt = true, time.Now()
		c.mu.Unlock()
		err := c.st.Apply(batch)
		c.mu.Lock()
		c.flushing = false
		c.noteFlush(err)
		engines := make([]*engine.Engine, 0, len(c.engines))
		for _, e := range c.engines {
			engines = append(engines, e)
		}
		if err == nil {
			c.durable = upto
			c.mu.Unlock()
			for _, e := range engines {
				e.Durable(upto)
			}
			c.mu.Lock()
			c.cond.Broadcast()
			continue
		}
		// Nothing of the batch is on disk. Undo it in memory, with what
		// was queued since (it may depend on it): no new write until done.
		err = fmt.Errorf("persist: %w", err)
		c.reverting = true
		upto = c.queued
		c.queue = nil
		c.mu.Unlock()
		for _, e := range engines {
			e.Revert(upto)
		}
		c.mu.Lock()
		c.reverting = false
		if n := len(c.failed); n > 0 && c.failed[n-1].to == from {
			// Flushes failing one after another: one range.
			c.failed[n-1].to, c.failed[n-1].err = upto, err
		} else {
			c.failed = append(c.failed, failedRange{from: from, to: upto, err: err})
		}
		if len(c.failed) > maxFailedRanges {
			c.failed = c.failed[len(c.failed)-maxFailedRanges:]
		}
		c.durable = upto
		c.cond.Broadcast()
	}
}

// storeHealth says whether the store takes writes: the last flush failed,
// or one has been running for longer than stall.
func (c *committer) storeHealth(stall time.Duration) (ok bool, detail string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.consecutiveFail > 0:
		return false, fmt.Sprintf("the last write to the state file failed at %s: %v", c.lastErrAt.UTC().Format(time.RFC3339), c.lastErr)
	case c.flushing && time.Since(c.flushStartedAt) > stall:
		return false, fmt.Sprintf("a write to the state file has been running for %s", time.Since(c.flushStartedAt).Round(time.Millisecond))
	}
	return true, ""
}

// close flushes what is queued and stops the flusher; the store stays open.
func (c *committer) close() error {
	c.mu.Lock()
	c.closed = true
	c.cond.Broadcast()
	c.mu.Unlock()
	<-c.finished
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.consecutiveFail > 0 {
		return c.lastErr
	}
	return nil
}

// regionStore is the store.Store one region's engine sees: the shared store
// with every kind prefixed by "<region>/", so all regions live in one file
// and one group commit.
type regionStore struct {
	region string
	c      *committer
}

var _ store.Store = regionStore{}

func (r regionStore) prefix() string { return r.region + "/" }

func (r regionStore) Apply(changes []store.Change) error {
	_, err := r.ApplyQueued(changes)
	return err
}

// ApplyQueued implements engine.QueuedPersister: with group commit the
// changes are durable only once the committer's flush succeeds.
func (r regionStore) ApplyQueued(changes []store.Change) (uint64, error) {
	out := make([]store.Change, len(changes))
	p := r.prefix()
	for i, ch := range changes {
		out[i] = store.Change{Kind: p + ch.Kind, ID: ch.ID, Data: ch.Data}
	}
	return r.c.apply(out)
}

func (r regionStore) Load(fn func(kind, id string, data []byte) error) error {
	p := r.prefix()
	return r.c.st.Load(func(kind, id string, data []byte) error {
		if rest, ok := strings.CutPrefix(kind, p); ok {
			return fn(rest, id, data)
		}
		return nil
	})
}

// Reset deletes the region's records.
func (r regionStore) Reset() error {
	var dels []store.Change
	p := r.prefix()
	err := r.c.st.Load(func(kind, id string, _ []byte) error {
		if strings.HasPrefix(kind, p) {
			dels = append(dels, store.Change{Kind: kind, ID: id})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := r.c.apply(dels); err != nil {
		return err
	}
	return r.c.sync()
}

// Close does nothing: the server closes the shared store.
func (r regionStore) Close() error { return nil }

// storedRegions returns the regions that have records in st.
func storedRegions(st store.Store) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	err := st.Load(func(kind, _ string, _ []byte) error {
		region, _, ok := strings.Cut(kind, "/")
		if !ok {
			return errors.New("state file has a record outside any region: kind " + kind)
		}
		if !seen[region] {
			seen[region] = true
			out = append(out, region)
		}
		return nil
	})
	return out, err
}
