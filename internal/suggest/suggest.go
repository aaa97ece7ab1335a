// Package suggest finds the known word nearest to a mistyped one, for the
// "did you mean" of ecsnet's errors (commands, flags, resource names,
// template properties).
package suggest

import "strings"

// Distance is the edit distance between a and b: insertions, deletions,
// substitutions and swaps of two adjacent letters (the optimal string
// alignment distance), so that "tpc" is one edit from "tcp", as people
// mistype.
func Distance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// Closest returns the known word nearest to s, ignoring case, and whether
// it is near enough to suggest: at most a third of s's length away in
// edits (one at least), or s is the start of it (three letters or more).
// A word equal to s, or of one letter, is never suggested.
func Closest(s string, known []string) (string, bool) {
	best, bestD := "", 0
	ls := strings.ToLower(s)
	for _, k := range known {
		if len(k) < 2 {
			continue
		}
		lk := strings.ToLower(k)
		d := Distance(ls, lk)
		if d > 0 && len(s) >= 3 && strings.HasPrefix(lk, ls) {
			d = 1
		}
		if best == "" || d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" || bestD == 0 || bestD > max(1, (len(s)+2)/3) {
		return "", false
	}
	return best, true
}
