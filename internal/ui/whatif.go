package ui

import (
	"sync"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// whatif is a copy of the system with one or more fixes applied.
type whatif struct {
	ID string `json:"id"`
	// Fixes are the titles of the fixes applied, in order.
	Fixes []string `json:"fixes"`
	// BaseVersion is the real engine's version the copy was taken from.
	BaseVersion uint64 `json:"baseVersion"`

	engine *engine.Engine
	used   time.Time
}

// whatifStore keeps at most max what-if copies, dropping the least
// recently used one (and any unused for ttl) to make room.
type whatifStore struct {
	mu  sync.Mutex
	max int
	ttl time.Duration
	m   map[string]*whatif
	now func() time.Time
}

func newWhatifStore(max int, ttl time.Duration) *whatifStore {
	return &whatifStore{max: max, ttl: ttl, m: map[string]*whatif{}, now: time.Now}
}

// get returns a what-if and marks it used, or nil.
func (s *whatifStore) get(id string) *whatif {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire()
	w := s.m[id]
	if w != nil {
		w.used = s.now()
	}
	return w
}

// add stores w under a new id, evicting as needed.
func (s *whatifStore) add(w *whatif) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire()
	for len(s.m) >= s.max {
		var oldest *whatif
		for _, x := range s.m {
			if oldest == nil || x.used.Before(oldest.used) {
				oldest = x
			}
		}
		delete(s.m, oldest.ID)
	}
	w.ID = randomID(8)
	w.used = s.now()
	s.m[w.ID] = w
}

// drop removes a what-if; it reports whether it existed.
func (s *whatifStore) drop(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.m[id]
	delete(s.m, id)
	return ok
}

// len returns how many copies are kept.
func (s *whatifStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

func (s *whatifStore) expire() {
	cut := s.now().Add(-s.ttl)
	for id, w := range s.m {
		if w.used.Before(cut) {
			delete(s.m, id)
		}
	}
}
