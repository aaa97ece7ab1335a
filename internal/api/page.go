package api

import (
	"encoding/base64"
	"sort"
)

// Paginate returns the page of items (sorted by key) that starts at token
// and holds at most limit items (limit <= 0: all of them), and the token of
// the next page ("" on the last page). A token is the key of the first item
// of its page, so pages stay stable while other items come and go. ok is
// false when token is not one Paginate made.
func Paginate[T any](items []T, key func(T) string, token string, limit int) (page []T, next string, ok bool) {
	start := 0
	if token != "" {
		k, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || len(k) == 0 {
			return nil, "", false
		}
		start = sort.Search(len(items), func(i int) bool { return key(items[i]) >= string(k) })
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
