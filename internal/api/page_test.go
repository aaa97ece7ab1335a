package api

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPaginateUnsortedMatchesPaginate: cutting pages from unsorted items
// gives the pages, and tokens, that cutting them from the sorted items
// gives, for every page size, from every token.
func TestPaginateUnsortedMatchesPaginate(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	key := func(s string) string { return s }
	for _, n := range []int{0, 1, 2, 7, 50, 333} {
		items := make([]string, n)
		for i := range items {
			items[i] = fmt.Sprintf("eni-%017x", r.Uint64()>>4)
		}
		sorted := slices.Sorted(slices.Values(items))
		for _, limit := range []int{0, 1, 5, 6, 49, 1000} {
			var got, want []string
			token := ""
			for pages := 0; ; pages++ {
				shuffled := slices.Clone(items)
				r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
				p, next, ok := PaginateUnsorted(shuffled, key, token, limit)
				wp, wnext, wok := Paginate(sorted, key, token, limit)
				if ok != wok || next != wnext || !slices.Equal(p, wp) {
					t.Fatalf("n=%d limit=%d token %q: got %v %q %v, want %v %q %v", n, limit, token, p, next, ok, wp, wnext, wok)
				}
				got, want = append(got, p...), append(want, wp...)
				if next == "" || pages > n {
					break
				}
				token = next
			}
			if !slices.Equal(got, sorted) {
				t.Fatalf("n=%d limit=%d: pages read %d items, want all %d in order", n, limit, len(got), n)
			}
		}
	}
	if _, _, ok := PaginateUnsorted([]string{"a"}, key, "!!not base64", 1); ok {
		t.Error("a bad token was accepted")
	}
}
