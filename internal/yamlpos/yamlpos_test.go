package yamlpos

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Locate names the line at fault, not the start of its block, with the
// hints it documents.
func TestLocate(t *testing.T) {
	for _, c := range []struct {
		name, data string
		line       int
		hint       string
	}{
		{"key under-indented", "a:\n  b: 1\n  c: 2\n  d:\n    e: 1\n   f: 2\n", 6, "indented 3 spaces"},
		{"list entry under-indented", "a:\n  - x: 1\n  - y: 2\n - z: 3\n", 4, ""},
		{"missing colon", "a:\n  b 1\n  c: 2\n", 3, ""},
		{"unclosed quote on line 1", "a: \"x\nb: 2\nc: 3\n", 1, ""},
		{"unclosed flow", "a: [1, 2\nb: 3\n", 0, ""},
	} {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(c.data), &n)
		if err == nil {
			t.Fatalf("%s: parses", c.name)
		}
		line, msg, ok := Locate([]byte(c.data), err)
		if !ok {
			t.Errorf("%s: %v names no line", c.name, err)
			continue
		}
		if c.line != 0 && line != c.line {
			t.Errorf("%s: line %d (%s), want %d (the library said %v)", c.name, line, msg, c.line, err)
		}
		if c.hint != "" && !strings.Contains(msg, c.hint) {
			t.Errorf("%s: %q lacks the hint %q", c.name, msg, c.hint)
		}
	}
}

// FuzzLocate: for any input the library refuses with a line, Locate
// answers a line of the file (or the one the library named), never
// panics, and the file cut after that line still fails.
func FuzzLocate(f *testing.F) {
	f.Add([]byte("a:\n  b: 1\n c: 2\n"))
	f.Add([]byte("a: \"x\nb: 2\n"))
	f.Add([]byte("a: [1, 2\nb: 3\n"))
	f.Add([]byte("- a\n b: 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				panic(fmt.Sprintf("Locate hangs on %q", data))
			}
		}()
		var n yaml.Node
		err := yaml.Unmarshal(data, &n)
		if err == nil {
			return
		}
		line, _, ok := Locate(data, err)
		if !ok {
			return
		}
		lines := bytes.SplitAfter(data, []byte("\n"))
		m := lineRE.FindStringSubmatch(err.Error())
		if line < 1 && m[1] != "0" {
			t.Fatalf("line %d for %q (%v)", line, data, err)
		}
		if line > len(lines) && m[1] != "" && line != atoi(m[1]) {
			t.Fatalf("line %d past the file's %d lines for %q (%v)", line, len(lines), data, err)
		}
		if line >= 1 && line <= len(lines) {
			if e := yaml.Unmarshal(bytes.Join(lines[:line], nil), &n); e == nil {
				t.Fatalf("the first %d lines of %q parse; the error %v is after them", line, data, err)
			}
		}
	})
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// TestColumn: the column of CloudFormation's "YAML not well-formed. (line
// N, column M)": the colon a "mapping values are not allowed" error is
// about (the second of a line, or the first when the line above lacks
// its colon), a tab, the quote of a string left open, else where the
// line's text starts (a key indented to no depth above it).
func TestColumn(t *testing.T) {
	for _, c := range []struct{ name, doc, at string }{
		{"value with a colon", "Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: a: b\n", ": b"},
		{"colon missing above", "Resources:\n  A:\n    Type AWS::EC2::VPC\n    Properties: {}\n", ": {}"},
		{"tab", "Resources:\n  A:\n    Type: AWS::EC2::VPC\n\tProperties: {}\n", "\tProperties"},
		{"quote left open", "Resources:\n  A:\n    Type: \"AWS::EC2::VPC\n", "\"AWS"},
		{"indented to no depth", "Resources:\n  A:\n    Type: AWS::EC2::VPC\n   Properties: {}\n", "Properties"},
		{"after a multibyte character", "Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Description: é: x\n", ": x"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var n yaml.Node
			err := yaml.Unmarshal([]byte(c.doc), &n)
			if err == nil {
				t.Fatal("the document parses")
			}
			line, _, ok := Locate([]byte(c.doc), err)
			if !ok {
				t.Fatalf("no line in %v", err)
			}
			_, msg, _ := Split(err.Error())
			i := strings.Index(c.doc, c.at)
			wantLine := strings.Count(c.doc[:i], "\n") + 1
			wantCol := utf8.RuneCountInString(c.doc[strings.LastIndex(c.doc[:i], "\n")+1:i]) + 1
			if line != wantLine {
				t.Fatalf("line %d, want %d (%v)", line, wantLine, err)
			}
			if got := Column([]byte(c.doc), line, msg); got != wantCol {
				t.Errorf("%s: column %d, want %d", msg, got, wantCol)
			}
		})
	}
}
