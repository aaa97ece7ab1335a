package snapshot

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Code classifies a Warning.
type Code string

// Warning codes.
const (
	// CodeUnknownKey: a top-level key ecsnet does not know; the key's value
	// is skipped.
	CodeUnknownKey Code = "unknown-key"
	// CodeNotModelled: a top-level key of a resource type ecsnet knows of
	// but does not model (transit gateways, VPN, RDS, …); skipped.
	CodeNotModelled Code = "not-modelled"
	// CodeNotAnObject: valid JSON whose top level is not an object of
	// describe-* output (an array, a string, …); the file is skipped.
	CodeNotAnObject Code = "not-an-object"
	// CodeBadValue: a value of the wrong type or format (a CIDR that does
	// not parse, a string where a list belongs); the resource, or the part
	// of it, is skipped.
	CodeBadValue Code = "bad-value"
	// CodeMissing: a describe-* call is absent from the snapshot; what it
	// would have told is unknown.
	CodeMissing Code = "missing"
	// CodeDangling: a resource refers to another that is not in the
	// snapshot.
	CodeDangling Code = "dangling-reference"
	// CodePlaceholder: ecsnet stands in for a resource the snapshot lacks
	// (a security group without rules); probes it decides are undecidable.
	CodePlaceholder Code = "placeholder"
	// CodeInconsistent: resources that contradict each other or AWS's
	// rules (an address outside its subnet, a task ENI not attached to the
	// task's instance), as emulators such as moto produce.
	CodeInconsistent Code = "inconsistent"
	// CodeUnsupported: a feature inside a known resource that ecsnet does
	// not model (IPv6 rules and routes, transit gateway routes, …).
	CodeUnsupported Code = "unsupported"
	// CodeLayout: something about the folder layout (a region guessed, a
	// folder skipped, several regions).
	CodeLayout Code = "layout"
	// CodeCollect: the collector recorded a call that failed.
	CodeCollect Code = "collect"
)

// Warning is something a snapshot did not say, or said in a way ecsnet
// could not use. The rest of the snapshot still loads.
type Warning struct {
	Code Code
	// File is the file the warning is about, as a path under the folder
	// given to Load; empty for warnings about the snapshot as a whole.
	File string
	// Line and Column locate the value in File (1-based; 0 when unknown).
	Line, Column int
	Region       string
	// Resource is the id or ARN of the resource concerned, if any.
	Resource string
	Message  string
}

// String formats w as "file:line:col: message" (as much of the location as
// is known).
func (w Warning) String() string {
	var b strings.Builder
	if w.File != "" {
		b.WriteString(w.File)
		if w.Line > 0 {
			b.WriteString(":" + strconv.Itoa(w.Line) + ":" + strconv.Itoa(w.Column))
		}
		b.WriteString(": ")
	} else if w.Region != "" {
		b.WriteString(w.Region + ": ")
	}
	b.WriteString(w.Message)
	return b.String()
}

// SyntaxError is JSON that cannot be parsed (truncated, invalid). It names
// the file and the line and column of the offending byte.
type SyntaxError struct {
	File         string
	Line, Column int
	Offset       int64
	Msg          string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d:%d: invalid JSON: %s", e.File, e.Line, e.Column, e.Msg)
}

// lineIndex maps byte offsets of one file to lines and columns.
type lineIndex []int // offsets where lines start

func newLineIndex(data []byte) lineIndex {
	idx := lineIndex{0}
	for i, c := range data {
		if c == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

// position returns the 1-based line and column (in bytes) of offset.
func (x lineIndex) position(offset int) (line, col int) {
	i := sort.Search(len(x), func(i int) bool { return x[i] > offset }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, offset - x[i] + 1
}
