package api

import (
	"container/heap"
	"encoding/base64"
	"slices"
	"sort"
)

// Paginate returns the page of items that starts at token and holds at
// most limit items (limit <= 0: all of them), and the token of the next
// page ("" on the last page). A token is the key of the first item of its
// page, so pages stay stable while other items come and go; items may be
// in any order the operation lists them in (an order other than by key
// once sent a client back to an earlier page for ever), and when the
// token's item is gone the page starts at the first key after it, which
// is right for items sorted by key. ok is false when token is not one
// Paginate made.
func Paginate[T any](items []T, key func(T) string, token string, limit int) (page []T, next string, ok bool) {
	start := 0
	if token != "" {
		k, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || len(k) == 0 {
			return nil, "", false
		}
		// The token names the first item of its page: looked for in key
		// order (a list sorted by key finds it so, or the first key after
		// an item gone since), else where it is, whatever order the list
		// is in (newest first, by family and revision).
		start = sort.Search(len(items), func(i int) bool { return key(items[i]) >= string(k) })
		if start == len(items) || key(items[start]) != string(k) {
			if i := slices.IndexFunc(items, func(it T) bool { return key(it) == string(k) }); i >= 0 {
				start = i
			}
		}
	}
	rest := items[start:]
	if limit <= 0 || len(rest) <= limit {
		return rest, "", true
	}
	return rest[:limit], base64.RawURLEncoding.EncodeToString([]byte(key(rest[limit]))), true
}

// SortBy sorts items by key, in place, and returns them.
func SortBy[T any](items []T, key func(T) string) []T {
	sort.SliceStable(items, func(i, j int) bool { return key(items[i]) < key(items[j]) })
	return items
}

// PaginateUnsorted is Paginate over items in any order: it sorts only what
// the page needs. A page of limit items out of n costs about n key
// comparisons and a sort of the page (a heap of limit+1 items), where
// sorting them all first costs n·log n; without a limit it sorts every
// item from token on. items is reordered.
func PaginateUnsorted[T any](items []T, key func(T) string, token string, limit int) (page []T, next string, ok bool) {
	rest := items[:0]
	if token != "" {
		k, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || len(k) == 0 {
			return nil, "", false
		}
		for _, it := range items {
			if key(it) >= string(k) {
				rest = append(rest, it)
			}
		}
	} else {
		rest = items
	}
	if limit <= 0 || len(rest) <= limit {
		return SortBy(rest, key), "", true
	}
	// The limit+1 least items, in a max-heap by key.
	h := &keyHeap[T]{key: key}
	for _, it := range rest {
		if len(h.items) <= limit {
			heap.Push(h, it)
		} else if key(it) < key(h.items[0]) {
			h.items[0] = it
			heap.Fix(h, 0)
		}
	}
	least := SortBy(h.items, key)
	return least[:limit], base64.RawURLEncoding.EncodeToString([]byte(key(least[limit]))), true
}

// keyHeap is a max-heap of items by key.
type keyHeap[T any] struct {
	items []T
	key   func(T) string
}

func (h *keyHeap[T]) Len() int           { return len(h.items) }
func (h *keyHeap[T]) Less(i, j int) bool { return h.key(h.items[i]) > h.key(h.items[j]) }
func (h *keyHeap[T]) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *keyHeap[T]) Push(x any)         { h.items = append(h.items, x.(T)) }
func (h *keyHeap[T]) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}
