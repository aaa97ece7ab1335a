// Package yamlpos finds the line a YAML syntax error is about.
//
// go.yaml.in/yaml/v3 names, in a syntax error, the line where the block
// or flow collection around the problem starts (its "context mark"), or
// the line above it, not the line it could not parse: a key indented one
// space too little on line 40 of a section that starts on line 12 is
// reported at line 12 ("did not find expected key"). The library keeps
// the problem's own position to itself, so Locate finds it: the first
// prefix of the file, in whole lines, that fails with the same error ends
// at the line at fault, since the parser reads the file in order.
package yamlpos

import (
	"bytes"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// lineRE is the library's syntax error: "yaml: line N: MESSAGE".
var lineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// Split splits one of the library's messages, "yaml: line N: MESSAGE"
// (or "line N: MESSAGE", as a TypeError lists them), into N and MESSAGE;
// ok is false when it names no line.
func Split(msg string) (line int, text string, ok bool) {
	m := lineRE.FindStringSubmatch(msg)
	if m == nil {
		return 0, "", false
	}
	line, _ = strconv.Atoi(m[1])
	return line, m[2], true
}

// Locate returns the line (1-based) of the YAML syntax error err, which
// yaml.Unmarshal returned for data, and the library's message, with a
// hint when the line's indentation lines up with nothing above it or the
// line before it lacks its colon. ok is false when err names no line.
func Locate(data []byte, err error) (line int, msg string, ok bool) {
	reported, msg, ok := Split(err.Error())
	if !ok {
		return 0, "", false
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	lo := max(reported, 1)
	same := func(e error) bool { return e.Error() == err.Error() }
	if msg == "found unexpected end of stream" {
		// A quoted scalar not closed. Opened on the first line, its
		// context mark is line 0, which the library takes for none and
		// names the end of the file instead: the line number changes
		// with the prefix, so only the words are compared, from line 1.
		lo = 1
		same = func(e error) bool {
			_, text, ok := Split(e.Error())
			return ok && text == msg
		}
	}
	fails := func(k int) bool {
		var n yaml.Node
		e := yaml.Unmarshal(bytes.Join(lines[:k], nil), &n)
		return e != nil && same(e)
	}
	line = reported
	// The whole file fails as err says (lines joined are data): the
	// smallest k in [lo, len(lines)] whose prefix fails as the file does.
	if n := len(lines); lo <= n {
		line = lo + sort.Search(n-lo, func(i int) bool { return fails(lo + i) })
	}
	return line, msg + hint(lines, line, msg), true
}

// hint says, in the file's terms, what the library's message means when
// it can tell: a line indented to none of the depths above it, or a key
// whose colon is missing (its text runs on into the next line, where the
// colon the parser then finds is "not allowed in this context").
func hint(lines [][]byte, line int, msg string) string {
	if line < 1 || line > len(lines) {
		return ""
	}
	text := strings.TrimRight(string(lines[line-1]), "\r\n")
	ind := indent(text)
	if ind < 0 || strings.Contains(text[:ind], "\t") {
		return "" // blank, or tabs (said elsewhere)
	}
	// The depths a line may take after the lines above it: each enclosing
	// line's indentation (and its key's, after a "- "), and deeper after
	// a line that ends with a colon.
	var depths []int
	deeper := false
	limit := -1
	for i := line - 2; i >= 0 && limit != 0; i-- {
		t := strings.TrimRight(string(lines[i]), "\r\n")
		d := indent(t)
		if d < 0 || strings.HasPrefix(strings.TrimSpace(t), "#") || strings.HasPrefix(t, "---") {
			continue
		}
		if limit >= 0 && d >= limit {
			continue
		}
		if limit < 0 {
			body := strings.TrimSpace(stripComment(t))
			deeper = strings.HasSuffix(body, ":") || strings.HasSuffix(body, "|") || strings.HasSuffix(body, ">") || body == "-"
		}
		if strings.HasPrefix(strings.TrimSpace(t), "- ") {
			depths = append(depths, d+2) // the keys of the entry's mapping
		}
		depths = append(depths, d)
		limit = d
	}
	slices.Sort(depths)
	depths = slices.Compact(depths)
	if len(depths) > 0 && !slices.Contains(depths, ind) && !(deeper && ind > depths[len(depths)-1]) {
		var s []string
		for _, d := range depths {
			s = append(s, strconv.Itoa(d))
		}
		spaces := " spaces"
		if ind == 1 {
			spaces = " space"
		}
		return " (line " + strconv.Itoa(line) + " is indented " + strconv.Itoa(ind) + spaces + "; the lines it can follow are indented " +
			orList(s) + ")"
	}
	if msg == "found unexpected end of stream" && strings.ContainsAny(text, `"'`) {
		return " (a quoted string that starts on line " + strconv.Itoa(line) + " is not closed)"
	}
	for _, c := range []string{"}", "]"} {
		if msg == "did not find expected ',' or '"+c+"'" {
			return " (a comma between entries, or the closing " + c + ", is missing)"
		}
	}
	if strings.HasPrefix(msg, "mapping values are not allowed") {
		for i := line - 2; i >= 0; i-- {
			t := strings.TrimRight(string(lines[i]), "\r\n")
			if indent(t) < 0 || strings.HasPrefix(strings.TrimSpace(t), "#") {
				continue
			}
			body := strings.TrimSpace(stripComment(t))
			if indent(t) == ind && !strings.Contains(body, ":") && !strings.HasPrefix(body, "-") {
				return " (line " + strconv.Itoa(i+1) + ", " + strconv.Quote(body) + ", has no colon: is it a key without its \": \"?)"
			}
			break
		}
	}
	return ""
}

// indent is a line's indentation in characters, or -1 for a blank line.
func indent(s string) int {
	t := strings.TrimLeft(s, " \t")
	if strings.TrimSpace(t) == "" {
		return -1
	}
	return len(s) - len(t)
}

// stripComment drops a trailing " # comment" (a rough cut: a # in a
// quoted string is cut too, which only weakens a hint).
func stripComment(s string) string {
	if i := strings.Index(s, " #"); i >= 0 {
		return s[:i]
	}
	return s
}

// orList joins "0", "2", "4" as "0, 2 or 4".
func orList(s []string) string {
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// Column returns the column (1-based, in characters) of the problem on
// line (as Locate found it) of the YAML syntax error msg (the library's
// words, without the line), for CloudFormation's "YAML not well-formed.
// (line N, column M)": the colon a "mapping values are not allowed" error
// is about (the first on the line that makes the lines up to it fail so),
// the character that "cannot start any token" or the tab that breaks the
// indentation, the quote that opens a
// string left unclosed, and otherwise the line's first character, where
// the token the parser did not expect starts. 0 when line is not in data.
func Column(data []byte, line int, msg string) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	if line < 1 || line > len(lines) {
		return 0
	}
	text := strings.TrimRight(string(lines[line-1]), "\r\n")
	col := func(i int) int { return utf8.RuneCountInString(text[:i]) + 1 }
	first := max(indent(text), 0)
	switch {
	case strings.HasPrefix(msg, "mapping values are not allowed"):
		head := bytes.Join(lines[:line-1], nil)
		for i := first; i < len(text); i++ {
			if text[i] != ':' || i+1 < len(text) && text[i+1] != ' ' && text[i+1] != '\t' {
				continue
			}
			var n yaml.Node
			e := yaml.Unmarshal(append(append(slices.Clip(head), text[:i+1]...), '\n'), &n)
			if e != nil {
				if _, got, ok := Split(e.Error()); ok && got == msg {
					return col(i)
				}
			}
		}
	case strings.Contains(msg, "tab character"):
		if i := strings.IndexByte(text, '\t'); i >= 0 {
			return col(i)
		}
	case msg == "found character that cannot start any token":
		if i := strings.IndexAny(text[first:], "\t@`"); i >= 0 {
			return col(first + i)
		}
		if i := strings.IndexByte(text, '\t'); i >= 0 {
			return col(i)
		}
	case msg == "found unexpected end of stream":
		if i := strings.IndexAny(text[first:], `"'`); i >= 0 {
			return col(first + i)
		}
	}
	return col(first)
}
