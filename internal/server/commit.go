package server

import (
	"errors"
	"fmt"
	"strings"
	"sync"

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
// engine's lock, and Sync has nothing to wait for.
//
// If a flush fails the committer stops: the failed changes are visible in
// memory but not on disk, so every later Apply fails (the engine rolls the
// write back) and every Sync reports the error; the state on disk is the
// last one acknowledged, which a restart reloads.
type committer struct {
	st    store.Store
	group bool

	mu       sync.Mutex
	cond     *sync.Cond
	queue    []store.Change
	queued   uint64 // batches queued so far
	durable  uint64 // batches flushed
	err      error
	closed   bool
	finished chan struct{}
}

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

// apply queues (group commit) or writes changes whose kinds carry a region
// prefix.
func (c *committer) apply(changes []store.Change) error {
	if err := store.Validate(changes); err != nil {
		return err
	}
	if !c.group {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.err != nil {
			return c.err
		}
		if c.closed {
			return store.ErrClosed
		}
		return c.st.Apply(changes)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	if c.closed {
		return store.ErrClosed
	}
	c.queue = append(c.queue, changes...)
	c.queued++
	c.cond.Broadcast()
	return nil
}

// sync waits until everything queued before the call is durable.
func (c *committer) sync() error {
	if !c.group {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	want := c.queued
	for c.durable < want && c.err == nil {
		c.cond.Wait()
	}
	return c.err
}

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
		batch, upto := c.queue, c.queued
		c.queue = nil
		c.mu.Unlock()
		err := c.st.Apply(batch)
		c.mu.Lock()
		if err != nil && c.err == nil {
			c.err = fmt.Errorf("persist: %w", err)
		}
		c.durable = upto
		c.cond.Broadcast()
	}
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
	return c.err
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
	if err := r.c.apply(dels); err != nil {
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
