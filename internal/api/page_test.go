package api

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestPaginateAnyOrder: cutting pages from unsorted items gives the
// pages, and tokens, that cutting them from the sorted items gives, for
// every page size, from every token.
func TestPaginateAnyOrder(t *testing.T) {
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
				p, next, ok := Paginate(shuffled, key, token, limit)
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
	if _, _, ok := Paginate([]string{"a"}, key, "!!not base64", 1); ok {
		t.Error("a bad token was accepted")
	}
}

// TestPaginateTokenItemGone: a token whose own item is gone before the
// next page goes on from the first item after it in the list's order, in
// either direction, whatever order the items come in: none is skipped or
// answered twice.
func TestPaginateTokenItemGone(t *testing.T) {
	key := func(s string) string { return s }
	for _, tc := range []struct {
		name    string
		compare func(a, b string) int
		items   []string
		want    []string // the second page, after "c" is gone
	}{
		{"ascending", strings.Compare, []string{"e", "a", "c", "b", "d"}, []string{"d", "e"}},
		{"descending", Descending, []string{"e", "a", "c", "b", "d"}, []string{"b", "a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first, next, ok := PaginateOrdered(tc.items, key, tc.compare, "", 2)
			if !ok || len(first) != 2 || next == "" {
				t.Fatalf("first page %v, token %q", first, next)
			}
			items := slices.DeleteFunc(slices.Clone(tc.items), func(s string) bool { return s == "c" })
			second, _, ok := PaginateOrdered(items, key, tc.compare, next, 2)
			if !ok || !slices.Equal(second, tc.want) {
				t.Errorf("first page %v; second page, after the token's item is gone: %v, want %v", first, second, tc.want)
			}
		})
	}
}

// TestPaginateLeavesItems: Paginate does not reorder the items it is
// given (they may be a model's own slice).
func TestPaginateLeavesItems(t *testing.T) {
	items := []string{"c", "a", "b"}
	if p, _, _ := Paginate(items, func(s string) string { return s }, "", 2); !slices.Equal(p, []string{"a", "b"}) {
		t.Errorf("page %v, want [a b]", p)
	}
	if !slices.Equal(items, []string{"c", "a", "b"}) {
		t.Errorf("items reordered to %v", items)
	}
}
