package scenario_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/scenario"
)

// A YAML syntax error names the line at fault, not the start of the
// block around it (which go.yaml.in/yaml/v3 reports for a line
// indented to no depth above it, or an unclosed flow mapping), and says
// what is wrong in the file's terms.
func TestMalformedYAMLLines(t *testing.T) {
	cases := []struct {
		name, yaml string
		line       int
		hint       string // in the message
	}{
		{"key indented less than its siblings",
			"name: b\nvpcs:\n  main:\n    cidr: 10.0.0.0/16\nsubnets:\n  public-a:\n    vpc: main\n    cidr: 10.0.1.0/24\n   az: us-east-1a\n",
			9, "line 9 is indented 3 spaces; the lines it can follow are indented 0, 2 or 4"},
		{"key indented less, deep in a long section",
			"name: x\nsecurity_groups:\n  a:\n    vpc: main\n    description: a\n  b:\n    vpc: main\n    description: b\n  c:\n    vpc: main\n     description: c\n",
			11, "indented 5 spaces"},
		{"list entry indented less than the list",
			"name: c\nroute_tables:\n  public:\n    vpc: main\n    routes:\n      - {destination: 0.0.0.0/0, target: igw}\n     - {destination: 10.0.0.0/8, target: local}\n",
			7, "line 7 is indented 5 spaces"},
		{"key indented more than its siblings",
			"name: a\nvpcs:\n  main:\n    cidr: 10.0.0.0/16\n     dns_hostnames: true\n    internet_gateway: igw\n",
			5, "line 5 is indented 5 spaces; the lines it can follow are indented 0, 2 or 4"},
		{"key in a list entry's mapping indented more",
			"name: g\nsecurity_groups:\n  sg:\n    vpc: main\n    ingress:\n      - protocol: tcp\n        ports: 22\n         cidr: 0.0.0.0/0\n",
			8, "indented 9 spaces"},
		{"flow mapping not closed",
			"name: e\nsubnets:\n  public-a: {vpc: main, cidr: 10.0.1.0/24\n  public-b: {vpc: main}\n",
			3, "the closing }, is missing"},
		{"key without its colon",
			"name: f\nvpcs:\n  main:\n    cidr 10.0.0.0/16\n    dns_hostnames: true\n",
			5, `line 4, "cidr 10.0.0.0/16", has no colon`},
		{"quote not closed",
			"name: q\nvpcs:\n  main:\n    cidr: \"10.0.0.0/16\n    dns_hostnames: true\nsubnets: {}\n",
			4, "a quoted string that starts on line 4 is not closed"},
		// Opened on line 1, the library names the end of the file.
		{"quote not closed on the first line",
			"name: \"q\nvpcs:\n  main:\n    cidr: 10.0.0.0/16\n",
			1, "a quoted string that starts on line 1 is not closed"},
		{"top-level key indented",
			"name: h\nvpcs:\n  main: {cidr: 10.0.0.0/16}\n subnets:\n  a: {vpc: main, cidr: 10.0.1.0/24}\n",
			4, "line 4 is indented 1 space;"},
	}
	for _, c := range cases {
		_, err := scenario.Parse("bad.yaml", []byte(c.yaml))
		var se *scenario.Error
		if err == nil || !asError(err, &se) {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if se.Line != c.line || !strings.Contains(se.Msg, c.hint) {
			t.Errorf("%s: %v; want line %d with %q", c.name, err, c.line, c.hint)
		}
	}
}

func asError(err error, se **scenario.Error) bool {
	e, ok := err.(*scenario.Error)
	*se = e
	return ok
}
