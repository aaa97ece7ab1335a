package api

import (
	"container/heap"
	"encoding/base64"
	"slices"
	"strings"
)

// Paginate is PaginateOrdered for the operations that list their items in
// the byte order of their keys.
func Paginate[T any](items []T, key func(T) string, token string, limit int) (page []T, next string, ok bool) {
	return PaginateOrdered(items, key, strings.Compare, token, limit)
}

// Descending orders keys backwards: the order of the operations that list
// their items newest first by a key that starts with the time.
func Descending(a, b string) int { return strings.Compare(b, a) }

// PaginateOrdered returns the page of items that starts at token and holds
// at most limit items (limit <= 0: all of them), and the token of the next
// page ("" on the last page). ok is false when token is not one
// PaginateOrdered made.
//
// The operation lists its items in the order compare gives their keys, so
// a key must place its item in that order by itself (a list newest first
// keys by the time, and compares backwards). A token is the key of the
// first item of its page, and a page starts at the first item whose key
// is not before the token's: pages stay stable while other items come
// and go, even when the token's own item is gone (deleted, or trimmed
// from a list kept to its newest items). Keys should be unique; items with
// equal keys keep their order in items.
//
// items may come in any order, and are not reordered: the page is the
// limit least items from token on, found with a heap of limit+1 items
// (about one comparison per item), or by binary search when items are
// already in order.
func PaginateOrdered[T any](items []T, key func(T) string, compare func(a, b string) int, token string, limit int) (page []T, next string, ok bool) {
	var from string
	if token != "" {
		k, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || len(k) == 0 {
			return nil, "", false
		}
		from = string(k)
	}
	keyed := make([]keyedItem[T], len(items))
	for i, it := range items {
		keyed[i] = keyedItem[T]{key(it), it}
	}
	byKey := func(a, b keyedItem[T]) int { return compare(a.key, b.key) }
	var rest []keyedItem[T]
	if slices.IsSortedFunc(keyed, byKey) {
		start := 0
		if token != "" {
			start, _ = slices.BinarySearchFunc(keyed, from, func(it keyedItem[T], k string) int { return compare(it.key, k) })
		}
		rest = keyed[start:]
		if limit > 0 && len(rest) > limit {
			rest = rest[:limit+1]
		}
	} else {
		rest = keyed[:0]
		for _, it := range keyed {
			if token == "" || compare(it.key, from) >= 0 {
				rest = append(rest, it)
			}
		}
		if limit > 0 && len(rest) > limit {
			rest = leastOf(rest, limit+1, byKey)
		}
		slices.SortStableFunc(rest, byKey)
	}
	if limit > 0 && len(rest) > limit {
		next = base64.RawURLEncoding.EncodeToString([]byte(rest[limit].key))
		rest = rest[:limit]
	}
	if items == nil {
		return nil, next, true // as the caller's: some answers omit a nil list
	}
	page = make([]T, len(rest))
	for i, it := range rest {
		page[i] = it.item
	}
	return page, next, true
}

// SortBy sorts items by key, in place, and returns them.
func SortBy[T any](items []T, key func(T) string) []T {
	slices.SortStableFunc(items, func(a, b T) int { return strings.Compare(key(a), key(b)) })
	return items
}

type keyedItem[T any] struct {
	key  string
	item T
}

// leastOf returns the n least of items by compare (in no order), with a
// max-heap of n items.
func leastOf[T any](items []T, n int, compare func(a, b T) int) []T {
	h := &maxHeap[T]{items: make([]T, 0, n), compare: compare}
	for _, it := range items {
		if len(h.items) < n {
			heap.Push(h, it)
		} else if compare(it, h.items[0]) < 0 {
			h.items[0] = it
			heap.Fix(h, 0)
		}
	}
	return h.items
}

// maxHeap is a max-heap of items by compare.
type maxHeap[T any] struct {
	items   []T
	compare func(a, b T) int
}

func (h *maxHeap[T]) Len() int           { return len(h.items) }
func (h *maxHeap[T]) Less(i, j int) bool { return h.compare(h.items[i], h.items[j]) > 0 }
func (h *maxHeap[T]) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *maxHeap[T]) Push(x any)         { h.items = append(h.items, x.(T)) }
func (h *maxHeap[T]) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}
