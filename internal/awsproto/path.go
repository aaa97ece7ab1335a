package awsproto

import (
	"strconv"
	"strings"
)

// pathStack tracks where a decoder is in the input, to name a member in
// an error message without building strings on the happy path.
type pathStack []pathElem

type pathElem struct {
	member *Member // a structure member, or nil for a list index or map key
	index  int     // 1-based list index
	key    string  // map key
	isKey  bool
}

func (p *pathStack) pushMember(m *Member) { *p = append(*p, pathElem{member: m}) }
func (p *pathStack) pushIndex(i int)      { *p = append(*p, pathElem{index: i}) }
func (p *pathStack) pushKey(k string)     { *p = append(*p, pathElem{key: k, isKey: true}) }
func (p *pathStack) pop()                 { *p = (*p)[:len(*p)-1] }

// coral formats the path as AWS's Coral validation messages do:
// member names with a lower-case first letter, list elements as
// "N.member": 'tags.1.member.key'.
func (p pathStack) coral() string {
	var b strings.Builder
	for _, e := range p {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		switch {
		case e.member != nil:
			b.WriteString(lowerFirst(e.member.Name))
		case e.isKey:
			b.WriteString(e.key)
		default:
			b.WriteString(strconv.Itoa(e.index))
			b.WriteString(".member")
		}
	}
	return b.String()
}

// wire formats the path with EC2's serialized names: 'Filter.1.Name'.
func (p pathStack) wire() string {
	var b strings.Builder
	for _, e := range p {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		switch {
		case e.member != nil:
			b.WriteString(e.member.wire)
		case e.isKey:
			b.WriteString(e.key)
		default:
			b.WriteString(strconv.Itoa(e.index))
		}
	}
	return b.String()
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+('a'-'A')) + s[1:]
}
