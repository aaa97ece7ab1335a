package api

import (
	"strconv"
	"testing"
)

// Items given in an order other than by key are paged whole, each once,
// in key order. Before round 26 a binary search over them by key could
// send a client back to an earlier page for ever (collect.sh's
// list-daemon-deployments loop).
func TestPaginateListOrder(t *testing.T) {
	var items []string
	for i := range 45 {
		items = append(items, "arn:x/"+strconv.Itoa((i*7919)%1000)) // not sorted
	}
	seen := map[string]bool{}
	token := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("more pages than items")
		}
		page, next, ok := Paginate(items, func(s string) string { return s }, token, 20)
		if !ok {
			t.Fatal("a token Paginate made is refused")
		}
		for _, it := range page {
			if seen[it] {
				t.Fatalf("%s on two pages", it)
			}
			seen[it] = true
		}
		if next == "" {
			break
		}
		token = next
	}
	if len(seen) != len(items) {
		t.Errorf("%d items paged, want %d", len(seen), len(items))
	}
}
