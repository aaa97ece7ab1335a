package cfn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/ecsnet/ecsnet/internal/yamlpos"
)

// maxTemplateSize bounds what ecsnet reads. CloudFormation's own limit is
// 1 MB for a template in S3 (51,200 bytes inline).
const maxTemplateSize = 8 << 20

// maxDepth bounds how deeply values nest, so hostile input cannot exhaust
// the stack.
const maxDepth = 500

// parseTemplate parses a template's text, YAML or JSON, into a node tree.
// JSON is recognized by its first character, "{"; everything else is read
// as YAML (JSON is YAML too, but CloudFormation reports JSON errors as
// JSON errors).
//
// A key written twice in one mapping is not an error, as in CloudFormation:
// the last value wins (at the first key's place), and a warning says so.
func parseTemplate(data []byte) (*node, []parseWarning, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(data) > maxTemplateSize {
		return nil, nil, formatErr(0, "template is larger than %d bytes", maxTemplateSize)
	}
	if !utf8.Valid(data) {
		return nil, nil, formatErr(0, "template is not UTF-8 text")
	}
	var warns []parseWarning
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		n, err := parseJSON(data, &warns)
		return n, warns, err
	}
	n, err := parseYAML(data, &warns)
	return n, warns, err
}

// parseWarning is something the parser accepted but a reader should know.
type parseWarning struct {
	line int
	msg  string
}

// addField adds a key to a map node; a key already there keeps its place
// and takes the new value (CloudFormation's last-wins), with a warning.
func addField(out *node, seen map[string]int, f field, warns *[]parseWarning) {
	if prev, dup := seen[f.key]; dup {
		*warns = append(*warns, parseWarning{line: f.line, msg: fmt.Sprintf(
			"duplicate key %q (first at line %d): CloudFormation uses this last value and ignores the earlier one", f.key, out.fields[prev].line)})
		out.fields[prev].val = f.val
		return
	}
	seen[f.key] = len(out.fields)
	out.fields = append(out.fields, f)
}

// ---- YAML ----

func parseYAML(data []byte, warns *[]parseWarning) (*node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := err.Error()
		if line, text, ok := yamlpos.Split(msg); ok {
			// The line at fault, as CloudFormation's parser names it, not
			// the start of its block (the library's line); the library's
			// own words.
			if at, _, ok := yamlpos.Locate(data, err); ok {
				line = at
			}
			if col := yamlpos.Column(data, line, text); col > 0 {
				return nil, formatErr(line, "YAML not well-formed. (line %d, column %d) %s", line, col, text)
			}
			return nil, formatErr(line, "YAML not well-formed. (line %d) %s", line, text)
		}
		return nil, formatErr(0, "YAML not well-formed. %s", strings.TrimPrefix(msg, "yaml: "))
	}
	if len(doc.Content) == 0 {
		return nil, formatErr(0, "At least one Resources member must be defined.")
	}
	return fromYAML(doc.Content[0], 0, warns)
}

// shortForm returns the long-form key of a YAML short-form tag.
func shortForm(tag string) (string, bool) {
	switch tag {
	case "!Ref":
		return "Ref", true
	case "!Condition":
		return "Condition", true
	case "!GetAtt", "!Sub", "!Join", "!Select", "!Split", "!If", "!Equals", "!And", "!Or", "!Not", "!FindInMap",
		"!GetAZs", "!ImportValue", "!Base64", "!Cidr", "!Transform", "!Length", "!ToJsonString":
		return "Fn::" + tag[1:], true
	case "!Contains":
		// The rule function's short form: CloudFormation's reference
		// documents Rules functions in JSON only, but takes !Contains
		// (AWS Quick Start templates assert with it; their maintainers
		// point to Service Catalog's constraint rules for its syntax).
		return "Fn::Contains", true
	}
	return "", false
}

func fromYAML(y *yaml.Node, depth int, warns *[]parseWarning) (*node, error) {
	if depth > maxDepth {
		return nil, formatErr(y.Line, "values nest more than %d levels deep", maxDepth)
	}
	var out *node
	switch y.Kind {
	case yaml.AliasNode:
		return nil, formatErr(y.Line, "YAML aliases (*%s) are not supported by CloudFormation", y.Value)
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return &node{line: y.Line, col: y.Column}, nil
		}
		return fromYAML(y.Content[0], depth+1, warns)
	case yaml.ScalarNode:
		out = &node{kind: scalarNode, str: y.Value, line: y.Line, col: y.Column}
		if y.Tag == "!!null" {
			out = &node{kind: nullNode, line: y.Line, col: y.Column}
		}
	case yaml.SequenceNode:
		out = &node{kind: listNode, line: y.Line, col: y.Column}
		for _, c := range y.Content {
			v, err := fromYAML(c, depth+1, warns)
			if err != nil {
				return nil, err
			}
			out.items = append(out.items, v)
		}
	case yaml.MappingNode:
		out = &node{kind: mapNode, line: y.Line, col: y.Column}
		seen := map[string]int{}
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, formatErr(k.Line, "a mapping key must be a string")
			}
			if k.Value == "<<" && k.Tag == "!!merge" {
				return nil, formatErr(k.Line, "YAML merge keys (<<) are not supported by CloudFormation")
			}
			val, err := fromYAML(v, depth+1, warns)
			if err != nil {
				return nil, err
			}
			addField(out, seen, field{key: k.Value, line: k.Line, val: val}, warns)
		}
	default:
		return nil, formatErr(y.Line, "unexpected YAML node")
	}
	if strings.HasPrefix(y.Tag, "!") && !strings.HasPrefix(y.Tag, "!!") {
		key, ok := shortForm(y.Tag)
		if !ok {
			return nil, formatErr(y.Line, "unknown tag %s (CloudFormation knows %s)", y.Tag, knownTags())
		}
		if out.kind == nullNode {
			out = &node{kind: scalarNode, line: y.Line, col: y.Column}
		}
		out = &node{kind: mapNode, line: y.Line, col: y.Column, fields: []field{{key: key, line: y.Line, val: out}}}
	}
	return out, nil
}

func knownTags() string {
	return "!Ref, !GetAtt, !Sub, !Join, !Select, !Split, !If, !Equals, !And, !Or, !Not, !FindInMap, " +
		"!GetAZs, !ImportValue, !Base64, !Cidr, !Condition, !Transform, !Length, !ToJsonString, !Contains"
}

// ---- JSON ----

// jsonParser is a small JSON reader that keeps lines and columns, so that
// errors say where (CloudFormation: "JSON not well-formed. (line 11,
// column 8)") and every value knows its line.
type jsonParser struct {
	data      []byte
	pos       int
	line, col int
	warns     *[]parseWarning
}

var errJSONDepth = errors.New("too deep")

func parseJSON(data []byte, warns *[]parseWarning) (*node, error) {
	p := &jsonParser{data: data, line: 1, col: 1, warns: warns}
	p.space()
	v, err := p.value(0)
	if err == nil {
		p.space()
		if p.pos < len(p.data) {
			err = p.fail()
		}
	}
	if err != nil {
		var te *templateError
		if errors.As(err, &te) {
			return nil, te
		}
		if errors.Is(err, errJSONDepth) {
			return nil, formatErr(p.line, "values nest more than %d levels deep", maxDepth)
		}
		// CloudFormation's parser (Jackson) names the column after the
		// character it could not take ('{"a"=1}': column 6, the '=' being
		// the fifth; "column 25" for the 24th in LocalStack's recording of
		// ValidateTemplate, test_templates.snapshot.json), and the column
		// after the last character at the end of the input.
		col := p.col
		if p.pos < len(p.data) {
			col++
		}
		return nil, formatErr(p.line, "JSON not well-formed. (line %d, column %d)", p.line, col)
	}
	return v, nil
}

// fail reports a syntax error at the current position.
func (p *jsonParser) fail() error { return fmt.Errorf("syntax error at %d:%d", p.line, p.col) }

func (p *jsonParser) advance(n int) {
	for i := 0; i < n && p.pos < len(p.data); i++ {
		if p.data[p.pos] == '\n' {
			p.line++
			p.col = 1
		} else if p.data[p.pos]&0xc0 != 0x80 {
			p.col++
		}
		p.pos++
	}
}

func (p *jsonParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.advance(1)
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (*node, error) {
	if depth > maxDepth {
		return nil, errJSONDepth
	}
	if p.pos >= len(p.data) {
		return nil, p.fail()
	}
	line, col := p.line, p.col
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, err := p.string()
		if err != nil {
			return nil, err
		}
		return &node{kind: scalarNode, str: s, line: line, col: col}, nil
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if bytes.HasPrefix(p.data[p.pos:], []byte(lit)) {
				p.advance(len(lit))
				if lit == "null" {
					return &node{kind: nullNode, line: line, col: col}, nil
				}
				return &node{kind: scalarNode, str: lit, line: line, col: col}, nil
			}
		}
		return nil, p.fail()
	case c == '-' || c >= '0' && c <= '9':
		start := p.pos
		end := numberEnd(p.data, start)
		if end < 0 {
			return nil, p.fail()
		}
		p.advance(end - start)
		return &node{kind: scalarNode, str: string(p.data[start:end]), line: line, col: col}, nil
	}
	return nil, p.fail()
}

// numberEnd returns where a JSON number starting at i ends, or -1.
func numberEnd(b []byte, i int) int {
	digits := func() bool {
		s := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i > s
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if !digits() {
		return -1
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return -1
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return -1
		}
	}
	return i
}

func (p *jsonParser) string() (string, error) {
	start := p.pos
	i := p.pos + 1
	for i < len(p.data) {
		switch c := p.data[i]; {
		case c == '"':
			var s string
			if err := json.Unmarshal(p.data[start:i+1], &s); err != nil {
				return "", p.fail()
			}
			p.advance(i + 1 - start)
			return s, nil
		case c == '\\':
			i += 2
		case c < 0x20:
			p.advance(i - start)
			return "", p.fail()
		default:
			i++
		}
	}
	p.advance(len(p.data) - start)
	return "", p.fail()
}

func (p *jsonParser) object(depth int) (*node, error) {
	out := &node{kind: mapNode, line: p.line, col: p.col}
	p.advance(1)
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.advance(1)
		return out, nil
	}
	seen := map[string]int{}
	for {
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.fail()
		}
		keyLine := p.line
		k, err := p.string()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.fail()
		}
		p.advance(1)
		p.space()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		addField(out, seen, field{key: k, line: keyLine, val: v}, p.warns)
		p.space()
		if p.pos >= len(p.data) {
			return nil, p.fail()
		}
		switch p.data[p.pos] {
		case ',':
			p.advance(1)
		case '}':
			p.advance(1)
			return out, nil
		default:
			return nil, p.fail()
		}
	}
}

func (p *jsonParser) array(depth int) (*node, error) {
	out := &node{kind: listNode, line: p.line, col: p.col}
	p.advance(1)
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.advance(1)
		return out, nil
	}
	for {
		p.space()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		out.items = append(out.items, v)
		p.space()
		if p.pos >= len(p.data) {
			return nil, p.fail()
		}
		switch p.data[p.pos] {
		case ',':
			p.advance(1)
		case ']':
			p.advance(1)
			return out, nil
		default:
			return nil, p.fail()
		}
	}
}

// IsTemplate reports whether data looks like a CloudFormation template
// rather than an ecsnet scenario file: a JSON or YAML document with a
// top-level AWSTemplateFormatVersion, Resources or Transform key. It does
// not check the template (Load does), so a broken template is still
// recognized as one and gets CloudFormation's errors.
func IsTemplate(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return bytes.Contains(data, []byte(`"Resources"`)) || bytes.Contains(data, []byte(`"AWSTemplateFormatVersion"`))
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if len(line) == 0 || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == '-' {
			continue
		}
		key, _, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		switch string(bytes.Trim(bytes.TrimSpace(key), `"'`)) {
		case "AWSTemplateFormatVersion", "Resources", "Transform":
			return true
		}
	}
	return false
}
