package server

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"net/http"
	"strconv"
	"sync"
)

// readCache keeps the encoded responses of read-only calls (Describe*,
// List*, Get*) per region, keyed by a hash of the request and valid for
// one state version: any committed change (a write, an engine step that
// moved something) bumps the engine's version and makes every entry stale.
// A repeated identical read between two changes — a client polling a task,
// a waiter, a dashboard — gets the same bytes, with its own request id,
// without decoding, reading the state or encoding again.
//
// Only successful responses are kept, within a byte budget per region
// (Options.ReadCacheBytes), least recently used out first; a response
// larger than a quarter of the budget is not kept. Keys are SHA-256 sums
// of the request (32 bytes), so a large request costs no more than a
// small one.
type readCache struct {
	mu      sync.Mutex
	budget  int64
	used    int64
	entries map[readKeyT]*list.Element // of *cachedRead
	lru     list.List                  // front: most recently used
}

// readKeyT is the SHA-256 of everything a request's decoded parameters
// depend on.
type readKeyT [sha256.Size]byte

type cachedRead struct {
	key     readKeyT
	version uint64
	body    []byte
	ct      string
	idAt    int // offset of the request id in body, -1 when absent (JSON)
	status  int // the HTTP status (REST operations); 0 is 200
}

// cost is what an entry counts against the budget.
func (e *cachedRead) cost() int64 { return int64(len(e.body)+len(e.ct)) + 128 }

const (
	// DefaultReadCacheBytes is the read cache's budget per region.
	DefaultReadCacheBytes = 64 << 20
	// placeholderID stands for the request id in a cached body; it has the
	// length of the ids requestID makes.
	placeholderID = "00000000-0000-4000-8000-00000000c0de"
)

func newReadCache(budget int64) *readCache {
	return &readCache{budget: budget, entries: map[readKeyT]*list.Element{}}
}

// readKey identifies a request: everything its decoded parameters depend
// on, hashed.
func readKey(service, op, contentType, rawQuery, sessionToken string, body []byte) readKeyT {
	h := sha256.New()
	for _, s := range []string{service, op, contentType, rawQuery, sessionToken} {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{0})
		h.Write([]byte(s))
	}
	h.Write(body)
	var k readKeyT
	h.Sum(k[:0])
	return k
}

// get returns the entry for key if it is valid at version.
func (c *readCache) get(key readKeyT, version uint64) *cachedRead {
	c.mu.Lock()
	defer c.mu.Unlock()
	el := c.entries[key]
	if el == nil {
		return nil
	}
	e := el.Value.(*cachedRead)
	if e.version != version {
		return nil
	}
	c.lru.MoveToFront(el)
	return e
}

// fits reports whether a body of n bytes may be cached.
func (c *readCache) fits(n int) bool { return int64(n) <= c.budget/4 }

// put stores a body marshalled with placeholderID and returns its entry,
// or nil when the body cannot be cached.
func (c *readCache) put(key readKeyT, version uint64, body []byte, ct string) *cachedRead {
	if !c.fits(len(body)) {
		return nil
	}
	idAt := bytes.Index(body, []byte(placeholderID))
	if idAt >= 0 && bytes.Count(body, []byte(placeholderID)) != 1 {
		return nil
	}
	e := &cachedRead{key: key, version: version, body: body, ct: ct, idAt: idAt}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.entries[key]; old != nil {
		c.used -= old.Value.(*cachedRead).cost()
		c.lru.Remove(old)
	}
	c.entries[key] = c.lru.PushFront(e)
	c.used += e.cost()
	for c.used > c.budget {
		last := c.lru.Back()
		le := last.Value.(*cachedRead)
		c.lru.Remove(last)
		delete(c.entries, le.key)
		c.used -= le.cost()
	}
	return e
}

// stats returns the number of entries and the bytes they count.
func (c *readCache) stats() (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries), c.used
}

func (c *readCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = map[readKeyT]*list.Element{}
	c.lru.Init()
	c.used = 0
}

// write sends a cached response with requestID in place of the
// placeholder. An error means the client is gone.
func (e *cachedRead) write(w http.ResponseWriter, requestID string) error {
	status := http.StatusOK
	if e.status != 0 {
		status = e.status
	}
	h := w.Header()
	h.Set("Content-Type", e.ct)
	h.Set("X-Amzn-Requestid", requestID)
	smithyProtocol(h, e.ct)
	if e.idAt < 0 {
		h.Set("Content-Length", strconv.Itoa(len(e.body)))
		w.WriteHeader(status)
		_, err := w.Write(e.body)
		return err
	}
	h.Set("Content-Length", strconv.Itoa(len(e.body)-len(placeholderID)+len(requestID)))
	w.WriteHeader(http.StatusOK)
	for _, part := range [][]byte{e.body[:e.idAt], []byte(requestID), e.body[e.idAt+len(placeholderID):]} {
		if _, err := w.Write(part); err != nil {
			return err
		}
	}
	return nil
}

// smithyProtocol sets the header an RPC v2 CBOR response carries (the
// Smithy clients check it).
func smithyProtocol(h http.Header, contentType string) {
	if contentType == "application/cbor" {
		h.Set("Smithy-Protocol", "rpc-v2-cbor")
	}
}
