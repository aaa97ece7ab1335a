package server

import (
	"bytes"
	"fmt"
	"testing"
)

// The cache stays within its byte budget whatever the requests weigh,
// evicting the least recently used entry first (issue 12: 100 different
// large reads once took RSS from 26 MB to 1.6 GB, as whole request bodies
// were the keys).
func TestReadCacheBudget(t *testing.T) {
	const budget = 64 << 10
	c := newReadCache(budget)
	bigRequest := bytes.Repeat([]byte("x"), 64<<10)
	body := func(i int) []byte {
		return []byte(fmt.Sprintf("<r>%s%0200d</r>", placeholderID, i))
	}
	keys := make([]readKeyT, 0, 2000)
	for i := range 2000 {
		req := append(bigRequest[:len(bigRequest):len(bigRequest)], fmt.Sprint(i)...)
		k := readKey("ec2", "DescribeVpcs", "application/x-www-form-urlencoded", "", "", req)
		keys = append(keys, k)
		if c.put(k, 1, body(i), "text/xml") == nil {
			t.Fatalf("entry %d not cached", i)
		}
		// Keep the first entry in use: LRU must spare it.
		if c.get(keys[0], 1) == nil {
			t.Fatalf("after %d puts the most recently used entry is gone", i)
		}
		if n, used := c.stats(); used > budget || n == 0 {
			t.Fatalf("after %d puts: %d entries, %d bytes, budget %d", i, n, used, budget)
		}
	}
	if c.get(keys[1], 1) != nil {
		t.Error("the least recently used entry was kept")
	}
	if c.get(keys[len(keys)-1], 1) == nil {
		t.Error("the newest entry is gone")
	}
	if c.get(keys[len(keys)-1], 2) != nil {
		t.Error("an entry answered for another state version")
	}
	if c.put(readKey("ec2", "DescribeVpcs", "", "", "", nil), 1, make([]byte, budget/4+1), "text/xml") != nil {
		t.Error("a body over a quarter of the budget was cached")
	}
	// Keys depend on every part of the request, not on where parts end.
	if readKey("a", "bc", "", "", "", nil) == readKey("ab", "c", "", "", "", nil) ||
		readKey("ec2", "DescribeVpcs", "", "x=1", "", nil) == readKey("ec2", "DescribeVpcs", "", "", "", []byte("x=1")) {
		t.Error("different requests share a key")
	}
	c.reset()
	if n, used := c.stats(); n != 0 || used != 0 {
		t.Errorf("after reset: %d entries, %d bytes", n, used)
	}
}
