package cli

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/ecsnet/ecsnet/internal/suggest"
)

// ignoreMarker starts a comment that accepts lint findings of the
// resource it annotates: `# ecsnet:ignore CODE[,CODE…] [why]` (`//` in
// Terraform too), on the resource's first line or on the comment lines
// right above it, as tfsec's `tfsec:ignore:` and checkov's `checkov:skip=`
// annotate a block.
const ignoreMarker = "ecsnet:ignore"

// ignoreComment is one ecsnet:ignore comment: where it is and the codes it
// accepts.
type ignoreComment struct {
	File  string
	Line  int
	Codes []string
	used  map[string]bool
	// near are the codes of the findings of the resource the comment
	// annotates, for a did-you-mean.
	near []string
}

// ignoreComments are the ecsnet:ignore comments of a SOURCE's files, by
// file and line.
type ignoreComments struct {
	lines map[string][]string // each file's lines
	at    map[location]*ignoreComment
}

// readIgnoreComments reads the comments of the files that define the
// SOURCE's resources. A file that cannot be read has none.
func readIgnoreComments(files []string) *ignoreComments {
	ic := &ignoreComments{lines: map[string][]string{}, at: map[location]*ignoreComment{}}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil || !strings.Contains(string(b), ignoreMarker) {
			continue
		}
		lines := strings.Split(string(b), "\n")
		ic.lines[f] = lines
		for i, l := range lines {
			if codes, ok := parseIgnore(l); ok {
				ic.at[location{File: f, Line: i + 1}] = &ignoreComment{File: f, Line: i + 1, Codes: codes, used: map[string]bool{}}
			}
		}
	}
	return ic
}

// parseIgnore returns the codes of an ecsnet:ignore comment on line: the
// words after the marker (`ecsnet:ignore:CODE` as tfsec writes it, too),
// separated by commas or spaces, up to the first word that is not a code
// (the reason).
func parseIgnore(line string) ([]string, bool) {
	i := strings.Index(line, ignoreMarker)
	if i < 0 || !isComment(line[:i]) {
		return nil, false
	}
	rest := strings.TrimPrefix(line[i+len(ignoreMarker):], ":")
	var codes []string
	for _, w := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if !isCode(w) {
			break
		}
		codes = append(codes, w)
	}
	return codes, true
}

// isComment reports whether what precedes the marker on its line opens a
// comment (YAML's and HCL's `#`, HCL's `//` and `/*`).
func isComment(before string) bool {
	for _, open := range []string{"#", "//", "/*"} {
		if strings.Contains(before, open) {
			return true
		}
	}
	return false
}

// isCode reports whether w looks like a finding's code
// (ECS_AWSVPC_PUBLIC_INSTANCE, ENI_SG_RULES_MISMATCH).
func isCode(w string) bool {
	if len(w) < 2 {
		return false
	}
	for _, r := range w {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// accepts reports whether an ecsnet:ignore comment accepts the finding
// code of the resource defined at at: on its line, or on the run of
// comment lines right above it.
func (ic *ignoreComments) accepts(at location, code string) bool {
	lines := ic.lines[at.File]
	if at.Line <= 0 || at.Line > len(lines) {
		return false
	}
	for n := at.Line; n >= 1; n-- {
		if n < at.Line {
			t := strings.TrimSpace(lines[n-1])
			if !strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "//") && !strings.HasPrefix(t, "/*") {
				return false
			}
		}
		c := ic.at[location{File: at.File, Line: n}]
		if c == nil {
			continue
		}
		if slices.Contains(c.Codes, code) {
			c.used[code] = true
			return true
		}
		if !slices.Contains(c.near, code) {
			c.near = append(c.near, code)
		}
	}
	return false
}

// unused returns a warning for each code of an ecsnet:ignore comment that
// accepted no finding: a typo, a comment away from its resource, or a
// failure since fixed.
func (ic *ignoreComments) unused() []string {
	var at []*ignoreComment
	for _, c := range ic.at {
		at = append(at, c)
	}
	sort.Slice(at, func(i, j int) bool {
		if at[i].File != at[j].File {
			return at[i].File < at[j].File
		}
		return at[i].Line < at[j].Line
	})
	var out []string
	for _, c := range at {
		if len(c.Codes) == 0 {
			out = append(out, fmt.Sprintf("%s:%d: %s names no code (write %s CODE[,CODE…] right above the resource)", c.File, c.Line, ignoreMarker, ignoreMarker))
			continue
		}
		for _, code := range c.Codes {
			if c.used[code] {
				continue
			}
			why := "a typo, a comment not right above its resource, or fixed since"
			if near, ok := suggest.Closest(code, c.near); ok {
				why = "did you mean " + near + "?"
			}
			out = append(out, fmt.Sprintf("%s:%d: %s %s accepts no finding: the resource below it has no %s finding (%s)",
				c.File, c.Line, ignoreMarker, code, code, why))
		}
	}
	return out
}

// sourceFiles returns the files that define a SOURCE's resources.
func (s *source) sourceFiles() []string {
	files := map[string]bool{}
	for _, l := range s.locations {
		if l.File != "" {
			files[l.File] = true
		}
	}
	return slices.Sorted(maps.Keys(files))
}
