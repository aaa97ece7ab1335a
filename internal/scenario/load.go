package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/suggest"
	"github.com/ecsnet/ecsnet/internal/yamlpos"
)

// Error is a problem in a scenario file, at a line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Scenario is a parsed scenario file.
type Scenario struct {
	File        string
	Name        string
	Description string
	Region      string
	Account     string
	Expect      []Expectation

	spec fileSpec
	// KnownFindings are the lint codes the file expects.
	KnownFindings []string
	// ExpectError is part of the error the file's build must fail with.
	ExpectError string
}

// Expectation is one probe of the expect: list with its expected verdict.
type Expectation struct {
	From     string
	To       string
	Protocol string
	// Verdict is normalized (NormalizeVerdict): "connected", "http 503", …
	Verdict string
	Note    string
	Line    int
	// Path, Host, Method and Header describe the HTTP request (ALB rules).
	Path, Host, Method string
	Header             map[string]string
	// HTTPVersion is the client's protocol through an ALB, normalized
	// (NormalizeHTTPVersion): "1.1", "2" or "grpc"; "" for the default.
	HTTPVersion string
	// PlainHTTP: the client sends plain HTTP even to an HTTPS listener.
	PlainHTTP bool
	// Cause is an explanation code the probe must report.
	Cause string
	// IPv6 probes over IPv6.
	IPv6 bool
	// DecidedBy names the resource that decided the verdict; Rule is the
	// deciding rule (reach.Result.DecidedBy).
	DecidedBy, Rule string
	// Fix is part of the title of a fix that must be found and verified.
	Fix string
}

// NormalizeHTTPVersion turns what people write for a client's HTTP
// version (1.1, 1, http1, HTTP/1.1; 2, http2, HTTP/2, h2; grpc) into
// "1.1", "2" or "grpc" (reach's HTTPVersion1, HTTPVersion2,
// HTTPVersionGRPC).
func NormalizeHTTPVersion(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1.1", "1", "http1", "http1.1", "http/1.1":
		return "1.1", true
	case "2", "2.0", "http2", "http/2", "h2":
		return "2", true
	case "grpc":
		return "grpc", true
	}
	return "", false
}

// NormalizeVerdict turns what people write ("HTTP 200", "200", "no route")
// into a verdict, or reports that it is none.
func NormalizeVerdict(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "_", "-")
	switch {
	case s == "no route":
		s = "no-route"
	case len(s) == 3 && s[0] >= '1' && s[0] <= '5':
		s = "http " + s
	case strings.HasPrefix(s, "http") && !strings.HasPrefix(s, "http "):
		s = "http " + strings.TrimSpace(strings.TrimPrefix(s, "http"))
	}
	switch s {
	case "connected", "refused", "timeout", "no-route", "nxdomain", "unknown":
		return s, true
	}
	if len(s) == 8 && strings.HasPrefix(s, "http ") {
		n, err := strconv.Atoi(s[5:])
		if err == nil && n >= 100 && n <= 599 {
			return s, true
		}
	}
	return s, false
}

// maxFileSize bounds what Load reads.
const maxFileSize = 8 << 20

// Load reads and parses a scenario file.
func Load(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(f, maxFileSize+1)); err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	if buf.Len() > maxFileSize {
		return nil, &Error{File: path, Msg: fmt.Sprintf("file is larger than %d bytes", maxFileSize)}
	}
	return Parse(path, buf.Bytes())
}

// Parse parses scenario data; name is used in error messages.
func Parse(name string, data []byte) (*Scenario, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		if line, msg, ok := yamlpos.Locate(data, err); ok {
			// The line at fault, not the start of its block.
			return nil, tabHint(data, &Error{File: name, Line: line, Msg: msg})
		}
		return nil, tabHint(data, yamlError(name, err))
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: name, Msg: "empty scenario"}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: root.Line, Msg: "a scenario is a mapping of sections (vpcs:, subnets:, …)"}
	}
	if err := checkKnown(root, reflect.TypeOf(fileSpec{})); err != nil {
		return nil, withFile(name, err)
	}
	var spec fileSpec
	if err := root.Decode(&spec); err != nil {
		return nil, withFile(name, yamlError(name, err))
	}
	s := &Scenario{File: name, Name: spec.Name, Description: spec.Description, Region: spec.Region, Account: spec.Account, spec: spec}
	if s.Region == "" {
		s.Region = "us-east-1"
	}
	if s.Account == "" {
		s.Account = "123456789012"
	}
	s.KnownFindings = spec.KnownFindings
	s.ExpectError = spec.ExpectError
	expectLines := sequenceLines(root, "expect")
	for i, x := range spec.Expect {
		line := 0
		if i < len(expectLines) {
			line = expectLines[i]
		}
		if x.From == "" || x.To == "" || x.Verdict == "" {
			return nil, &Error{File: name, Line: line, Msg: "an expectation needs from:, to: and verdict:"}
		}
		v, ok := NormalizeVerdict(x.Verdict)
		if !ok {
			hint := ""
			if best, ok := suggest.Closest(x.Verdict, []string{"connected", "refused", "timeout", "no-route", "nxdomain"}); ok {
				hint = fmt.Sprintf(" (did you mean %s?)", best)
			}
			return nil, &Error{File: name, Line: line, Msg: fmt.Sprintf("verdict %q is not a verdict%s (want connected, refused, timeout, no-route, nxdomain or http NNN, e.g. http 503)", x.Verdict, hint)}
		}
		if x.Cause != "" && strings.ToUpper(x.Cause) != x.Cause {
			return nil, &Error{File: name, Line: line, Msg: fmt.Sprintf("cause %q is not an explanation code (codes are upper case, e.g. ECS_IMAGE_PULL_FAILED)", x.Cause)}
		}
		hv := ""
		if x.HTTPVersion != "" {
			if hv, ok = NormalizeHTTPVersion(x.HTTPVersion); !ok {
				return nil, &Error{File: name, Line: line, Msg: fmt.Sprintf("http_version %q: want 1.1, 2 or grpc", x.HTTPVersion)}
			}
		}
		s.Expect = append(s.Expect, Expectation{From: x.From, To: x.To, Protocol: x.Protocol, Verdict: v, Note: x.Note, Line: line,
			Path: x.Path, Host: x.Host, Method: x.Method, Header: x.Header, HTTPVersion: hv, PlainHTTP: x.PlainHTTP, Cause: x.Cause, IPv6: x.IPv6,
			DecidedBy: x.DecidedBy, Rule: x.Rule, Fix: x.Fix})
	}
	return s, nil
}

func sequenceLines(root *yaml.Node, key string) []int {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == key && root.Content[i+1].Kind == yaml.SequenceNode {
			var out []int
			for _, n := range root.Content[i+1].Content {
				out = append(out, n.Line)
			}
			return out
		}
	}
	return nil
}

// yamlError turns a YAML library error into a file:line Error.
func yamlError(file string, err error) error {
	var se *Error
	if errors.As(err, &se) {
		return se
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		if n, text, ok := yamlpos.Split(te.Errors[0]); ok {
			return &Error{File: file, Line: n, Msg: plainTypeError(text)}
		}
		return &Error{File: file, Msg: plainTypeError(te.Errors[0])}
	}
	msg := err.Error()
	if n, text, ok := yamlpos.Split(msg); ok {
		return &Error{File: file, Line: n, Msg: text}
	}
	return &Error{File: file, Msg: strings.TrimPrefix(msg, "yaml: ")}
}

// tabHint adds to a YAML syntax error at a line indented with a tab
// what the YAML library does not say: YAML indents with spaces only.
func tabHint(data []byte, err error) error {
	var se *Error
	if !errors.As(err, &se) || se.Line < 1 {
		return err
	}
	lines := bytes.Split(data, []byte("\n"))
	if se.Line > len(lines) {
		return err
	}
	line := lines[se.Line-1]
	indent := line[:len(line)-len(bytes.TrimLeft(line, " \t"))]
	if bytes.IndexByte(indent, '\t') >= 0 {
		se.Msg += " (a tab in the indentation: YAML indents with spaces only)"
	}
	return err
}

// unmarshalRE is the YAML library's type error: cannot unmarshal !!seq
// into string, cannot unmarshal !!str `abc` into int.
var unmarshalRE = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `([^`]*)`)? into (\\S+)$")

// plainTypeError says a YAML type error in the scenario's words: "expected
// a string, found a list". Other messages are returned as they are.
func plainTypeError(msg string) string {
	m := unmarshalRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	found := map[string]string{"seq": "a list", "map": "a mapping", "str": "a string", "int": "a number",
		"float": "a number", "bool": "true or false", "null": "nothing"}[m[1]]
	if found == "" {
		found = "a " + m[1]
	}
	if m[2] != "" {
		found += " (" + m[2] + ")"
	}
	var want string
	switch t := m[3]; {
	case t == "string":
		want = "a string"
	case t == "bool":
		want = "true or false"
	case strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint") || strings.HasPrefix(t, "float"):
		want = "a number"
	case strings.HasPrefix(t, "[]"):
		want = "a list"
	case strings.HasPrefix(t, "map["):
		want = "a mapping"
	default:
		return msg
	}
	return "expected " + want + ", found " + found
}

func withFile(file string, err error) error {
	var se *Error
	if errors.As(err, &se) && se.File == "" {
		se.File = file
	}
	return err
}

// entry is one named resource of a section, in file order.
type entry[T any] struct {
	Name  string
	Line  int
	Value T
	node  *yaml.Node
}

// yamlMap is a YAML mapping of names to specs that keeps file order and
// lines, and rejects unknown fields.
type yamlMap[T any] []entry[T]

// UnmarshalYAML implements yaml.Unmarshaler.
func (m *yamlMap[T]) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return &Error{Line: n.Line, Msg: "expected a mapping of names to definitions"}
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if prev, dup := seen[k.Value]; dup {
			return &Error{Line: k.Line, Msg: fmt.Sprintf("%q is defined twice (first at line %d)", k.Value, prev)}
		}
		seen[k.Value] = k.Line
		var zero T
		if err := checkKnown(v, reflect.TypeOf(zero)); err != nil {
			return err
		}
		var val T
		if v.Kind != yaml.ScalarNode || v.Tag != "!!null" {
			if err := v.Decode(&val); err != nil {
				return yamlError("", err)
			}
		}
		*m = append(*m, entry[T]{Name: k.Value, Line: k.Line, Value: val, node: v})
	}
	return nil
}

// line returns the line of field key inside an entry (the entry's line
// when absent).
// has reports whether the entry's mapping has the key.
func (e entry[T]) has(key string) bool {
	if e.node != nil && e.node.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(e.node.Content); i += 2 {
			if e.node.Content[i].Value == key {
				return true
			}
		}
	}
	return false
}

func (e entry[T]) line(key string) int {
	if e.node != nil && e.node.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(e.node.Content); i += 2 {
			if e.node.Content[i].Value == key {
				return e.node.Content[i].Line
			}
		}
	}
	return e.Line
}

// checkKnown rejects mapping keys that t (a struct, or slices and maps of
// structs) does not declare, naming the known ones.
func checkKnown(n *yaml.Node, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Slice && !strings.HasPrefix(t.Name(), "yamlMap") {
		if n.Kind == yaml.SequenceNode {
			for _, c := range n.Content {
				if err := checkKnown(c, t.Elem()); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if t.Kind() != reflect.Struct || n.Kind != yaml.MappingNode {
		return nil
	}
	fields := map[string]reflect.Type{}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		fields[tag] = f.Type
		names = append(names, tag)
	}
	sort.Strings(names)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		ft, ok := fields[k.Value]
		if !ok {
			hint := ""
			if best, ok := suggest.Closest(k.Value, names); ok {
				hint = fmt.Sprintf(" (did you mean %s?)", best)
			}
			return &Error{Line: k.Line, Msg: fmt.Sprintf("unknown field %q%s (known: %s)", k.Value, hint, strings.Join(names, ", "))}
		}
		if strings.HasPrefix(ft.Name(), "yamlMap") {
			continue // checked by its own UnmarshalYAML
		}
		if err := checkKnown(n.Content[i+1], ft); err != nil {
			return err
		}
	}
	return nil
}

// UnmarshalYAML lets a forward action be written as a target group's name
// or as a mapping of weighted target groups.
func (f *forwardSpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		type plain forwardSpec
		if err := checkKnown(n, reflect.TypeOf(plain{})); err != nil {
			return err
		}
		return n.Decode((*plain)(f))
	}
	if n.Kind != yaml.ScalarNode {
		return &Error{Line: n.Line, Msg: "forward: want a target group's name or a mapping (target_groups: [{name, weight}])"}
	}
	f.TargetGroup = n.Value
	return nil
}

// UnmarshalYAML lets service_connect be written `true` (enabled, the
// cluster's default namespace, no endpoints) or as a mapping.
func (c *serviceConnectSpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		type plain serviceConnectSpec
		if err := checkKnown(n, reflect.TypeOf(plain{})); err != nil {
			return err
		}
		return n.Decode((*plain)(c))
	}
	var on bool
	if err := n.Decode(&on); err != nil {
		return &Error{Line: n.Line, Msg: fmt.Sprintf("service_connect %q: want true, false or a mapping (namespace, services)", n.Value)}
	}
	c.Enabled = &on
	return nil
}

// UnmarshalYAML lets a port be written "3000", "8080:3000" (host:container)
// or "3000/udp", as well as as a mapping.
func (p *portSpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		type plain portSpec
		if err := checkKnown(n, reflect.TypeOf(plain{})); err != nil {
			return err
		}
		if err := n.Decode((*plain)(p)); err != nil {
			return err
		}
		if p.Range == "" {
			return nil
		}
		if p.Container != 0 || p.Host != 0 {
			return &Error{Line: n.Line, Msg: fmt.Sprintf("port range %q: give range alone, without container or host (ECS maps a range's ports itself)", p.Range)}
		}
		return p.parseRange(n, p.Range)
	}
	s := n.Value
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s, p.Protocol = s[:i], s[i+1:]
	}
	host, cont, hasHost := strings.Cut(s, ":")
	if !hasHost {
		cont, host = host, ""
	}
	if strings.Contains(cont, "-") {
		if hasHost {
			return &Error{Line: n.Line, Msg: fmt.Sprintf("port %q: a port range takes no host port (awsvpc maps each port at the same port, bridge to dynamic host ports)", n.Value)}
		}
		p.Range = cont
		return p.parseRange(n, cont)
	}
	c, err := strconv.Atoi(cont)
	if err != nil || c < 1 || c > 65535 {
		return &Error{Line: n.Line, Msg: fmt.Sprintf("port %q: want a container port (3000), host:container (8080:3000), a range (8000-8009) or port/protocol (53/udp)", n.Value)}
	}
	p.Container = c
	if hasHost {
		h, err := strconv.Atoi(host)
		if err != nil || h < 0 || h > 65535 {
			return &Error{Line: n.Line, Msg: fmt.Sprintf("port %q: bad host port", n.Value)}
		}
		p.Host = h
	}
	return nil
}

// parseRange parses a containerPortRange ("8000-8009") into p.rng.
func (p *portSpec) parseRange(n *yaml.Node, s string) error {
	r, err := model.ParsePortRange(s)
	if err != nil {
		return &Error{Line: n.Line, Msg: fmt.Sprintf("port range %q: want first-last, ports from 1 to 65535, the first less than the last (8000-8009)", s)}
	}
	p.rng = r
	return nil
}

// Lines returns the line where each named resource of the file is
// defined (tasks of a counted entry, name/0 … name/n, share its line).
func (s *Scenario) Lines() map[string]int {
	out := map[string]int{}
	v := reflect.ValueOf(s.spec)
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if f.Kind() != reflect.Slice || f.Type().Elem().Kind() != reflect.Struct {
			continue
		}
		for j := 0; j < f.Len(); j++ {
			e := f.Index(j)
			name, line := e.FieldByName("Name"), e.FieldByName("Line")
			if name.IsValid() && line.IsValid() && name.Kind() == reflect.String && line.Kind() == reflect.Int {
				if _, dup := out[name.String()]; !dup {
					out[name.String()] = int(line.Int())
				}
			}
		}
	}
	return out
}
