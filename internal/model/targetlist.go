package model

import (
	"encoding/json"
	"iter"
)

// TargetList is a target group's registered targets, in the order they
// were registered. It is a persistent sequence: a list is never changed in
// place; Append, Delete and Set return a new list that shares all but
// O(log n) of its nodes with the old one. A target group of 50,000 targets
// thus changes one target at the cost of one target, and every older
// version (held by a reader) stays as it was.
//
// Each entry has a sequence number, increasing in registration order,
// which names it for Delete, Set and Get. The zero value is the empty list.
// It encodes to JSON as an array of targets.
type TargetList struct{ root *targetNode }

// targetNode is a node of a treap keyed by seq. Its priority is a hash of
// seq, so the tree's shape depends only on the sequence numbers it holds:
// two lists of the same entries are equal (reflect.DeepEqual).
type targetNode struct {
	seq         uint64
	size        int
	t           Target
	left, right *targetNode
}

// NewTargetList returns a list of ts, in order, numbered 1, 2, ….
func NewTargetList(ts ...Target) TargetList {
	var l TargetList
	for _, t := range ts {
		l, _ = l.Append(t)
	}
	return l
}

// prio is a node's treap priority (splitmix64 of its sequence number).
func prio(seq uint64) uint64 {
	z := seq + 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func size(n *targetNode) int {
	if n == nil {
		return 0
	}
	return n.size
}

func mk(seq uint64, t Target, l, r *targetNode) *targetNode {
	return &targetNode{seq: seq, t: t, left: l, right: r, size: 1 + size(l) + size(r)}
}

// Len returns how many targets the list holds.
func (l TargetList) Len() int { return size(l.root) }

// LastSeq returns the greatest sequence number in the list, 0 when empty.
func (l TargetList) LastSeq() uint64 {
	n := l.root
	if n == nil {
		return 0
	}
	for n.right != nil {
		n = n.right
	}
	return n.seq
}

// Append returns the list with t added at the end, and t's sequence
// number (one more than the greatest in the list).
func (l TargetList) Append(t Target) (TargetList, uint64) {
	seq := l.LastSeq() + 1
	return l.Insert(seq, t), seq
}

// Insert returns the list with t at sequence number seq, replacing the
// entry that has it. (Loading a saved list uses it.)
func (l TargetList) Insert(seq uint64, t Target) TargetList {
	return TargetList{insert(l.root, seq, prio(seq), t)}
}

func insert(n *targetNode, seq, p uint64, t Target) *targetNode {
	if n == nil {
		return mk(seq, t, nil, nil)
	}
	if seq == n.seq {
		return mk(seq, t, n.left, n.right)
	}
	if p > prio(n.seq) {
		a, b := split(n, seq)
		return mk(seq, t, a, b)
	}
	if seq < n.seq {
		return mk(n.seq, n.t, insert(n.left, seq, p, t), n.right)
	}
	return mk(n.seq, n.t, n.left, insert(n.right, seq, p, t))
}

// split returns the entries of n below seq and above it (seq itself is
// not in n).
func split(n *targetNode, seq uint64) (*targetNode, *targetNode) {
	if n == nil {
		return nil, nil
	}
	if n.seq < seq {
		a, b := split(n.right, seq)
		return mk(n.seq, n.t, n.left, a), b
	}
	a, b := split(n.left, seq)
	return a, mk(n.seq, n.t, b, n.right)
}

// merge joins a and b, every entry of a being before every entry of b.
func merge(a, b *targetNode) *targetNode {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case prio(a.seq) > prio(b.seq):
		return mk(a.seq, a.t, a.left, merge(a.right, b))
	default:
		return mk(b.seq, b.t, merge(a, b.left), b.right)
	}
}

// Delete returns the list without the entry seq (the list itself when it
// has none).
func (l TargetList) Delete(seq uint64) TargetList {
	if _, ok := l.Get(seq); !ok {
		return l
	}
	return TargetList{del(l.root, seq)}
}

func del(n *targetNode, seq uint64) *targetNode {
	switch {
	case seq == n.seq:
		return merge(n.left, n.right)
	case seq < n.seq:
		return mk(n.seq, n.t, del(n.left, seq), n.right)
	default:
		return mk(n.seq, n.t, n.left, del(n.right, seq))
	}
}

// Get returns the target of entry seq.
func (l TargetList) Get(seq uint64) (Target, bool) {
	for n := l.root; n != nil; {
		switch {
		case seq == n.seq:
			return n.t, true
		case seq < n.seq:
			n = n.left
		default:
			n = n.right
		}
	}
	return Target{}, false
}

// Set returns the list with entry seq's target replaced by t (the list
// itself when it has no entry seq).
func (l TargetList) Set(seq uint64, t Target) TargetList {
	if _, ok := l.Get(seq); !ok {
		return l
	}
	return l.Insert(seq, t)
}

// At returns the i-th target (0 ≤ i < Len()).
func (l TargetList) At(i int) Target {
	n := l.root
	for n != nil {
		switch k := size(n.left); {
		case i < k:
			n = n.left
		case i == k:
			return n.t
		default:
			i -= k + 1
			n = n.right
		}
	}
	panic("model: TargetList index out of range")
}

// All yields the targets in order, with their positions (0, 1, …).
func (l TargetList) All() iter.Seq2[int, Target] {
	return func(yield func(int, Target) bool) {
		i := 0
		walk(l.root, func(n *targetNode) bool {
			ok := yield(i, n.t)
			i++
			return ok
		})
	}
}

// Entries yields the targets in order, with their sequence numbers.
func (l TargetList) Entries() iter.Seq2[uint64, Target] {
	return func(yield func(uint64, Target) bool) {
		walk(l.root, func(n *targetNode) bool { return yield(n.seq, n.t) })
	}
}

func walk(n *targetNode, fn func(*targetNode) bool) bool {
	for n != nil {
		if !walk(n.left, fn) || !fn(n) {
			return false
		}
		n = n.right
	}
	return true
}

// Slice returns the targets in order, in a new slice.
func (l TargetList) Slice() []Target {
	out := make([]Target, 0, l.Len())
	for _, t := range l.All() {
		out = append(out, t)
	}
	return out
}

// IsZero reports whether the list is empty.
func (l TargetList) IsZero() bool { return l.root == nil }

// MarshalJSON encodes the list as an array of its targets.
func (l TargetList) MarshalJSON() ([]byte, error) { return json.Marshal(l.Slice()) }

// UnmarshalJSON decodes an array of targets, numbering them 1, 2, ….
func (l *TargetList) UnmarshalJSON(b []byte) error {
	var ts []Target
	if err := json.Unmarshal(b, &ts); err != nil {
		return err
	}
	*l = NewTargetList(ts...)
	return nil
}
