// Package mem is a store.Store that keeps records in memory. It has the
// same semantics as the persistent stores, minus the persistence, and is
// meant for tests and for running ecsnet without a state file.
package mem

import (
	"fmt"
	"slices"
	"sync"

	"github.com/ecsnet/ecsnet/internal/store"
)

var _ store.Store = (*Store)(nil)

// Store is an in-memory store.Store. The zero value is not usable; call New.
type Store struct {
	mu     sync.RWMutex
	kinds  map[string]map[string][]byte // kind → id → data; no empty inner maps
	closed bool
}

// New returns an empty Store.
func New() *Store {
	return &Store{kinds: make(map[string]map[string][]byte)}
}

// Apply implements store.Store. It validates the whole batch before it
// changes anything, so a batch either applies whole or not at all.
func (s *Store) Apply(changes []store.Change) error {
	if err := store.Validate(changes); err != nil {
		return fmt.Errorf("mem store: apply: %w", err)
	}
	// Copy outside the lock; stored slices are never modified afterwards, so
	// Load can hand them out.
	data := make([][]byte, len(changes))
	for i, c := range changes {
		if c.Data != nil {
			data[i] = append(make([]byte, 0, len(c.Data)), c.Data...)
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("mem store: apply: %w", store.ErrClosed)
	}
	for i, c := range changes {
		ids := s.kinds[c.Kind]
		if data[i] == nil {
			delete(ids, c.ID)
			if len(ids) == 0 {
				delete(s.kinds, c.Kind)
			}
			continue
		}
		if ids == nil {
			ids = make(map[string][]byte)
			s.kinds[c.Kind] = ids
		}
		ids[c.ID] = data[i]
	}
	return nil
}

// Load implements store.Store.
func (s *Store) Load(fn func(kind, id string, data []byte) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return fmt.Errorf("mem store: load: %w", store.ErrClosed)
	}
	kinds := make([]string, 0, len(s.kinds))
	for k := range s.kinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	var ids []string
	for _, kind := range kinds {
		records := s.kinds[kind]
		ids = ids[:0]
		for id := range records {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			if err := fn(kind, id, records[id]); err != nil {
				return err
			}
		}
	}
	return nil
}

// Reset implements store.Store.
func (s *Store) Reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("mem store: reset: %w", store.ErrClosed)
	}
	clear(s.kinds)
	return nil
}

// Close implements store.Store. It drops every record.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.kinds = nil
	return nil
}
