package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// readParameterFile reads a file of CloudFormation parameter values, in
// any of the shapes the tools around CloudFormation write:
//
//   - the CloudFormation CLI's JSON list (aws cloudformation create-stack
//     --parameters file://f.json):
//     [{"ParameterKey": "K", "ParameterValue": "V"}, …];
//   - aws cloudformation deploy's overrides (--parameter-overrides
//     file://f.json): a JSON list of "K=V" strings, or Key=Value lines
//     (blank lines and # comments ignored);
//   - the template configuration file of CodePipeline, which Copilot and
//     other pipelines write too: {"Parameters": {"K": "V"}, "Tags": …}.
//
// Errors name the file and line.
func readParameterFile(path string) (map[string]string, error) {
	data, err := readSourceFile(path)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return map[string]string{}, nil
	}
	switch trimmed[0] {
	case '[':
		return readParameterList(path, data)
	case '{':
		return readParameterObject(path, data)
	}
	return readParameterLines(path, data)
}

// lineAt returns the line of a byte offset.
func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// jsonErr turns a JSON decoding error into file:line.
func jsonErr(path string, data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%s:%d: not valid JSON: %v", path, lineAt(data, se.Offset), err)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%s:%d: %v", path, lineAt(data, te.Offset), err)
	}
	return fmt.Errorf("%s: %v", path, err)
}

// scalarText returns a JSON scalar's text as CloudFormation takes it: a
// string as is, a number or boolean as written.
func scalarText(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case '{', '[', 'n':
		return "", false
	}
	return string(raw), true
}

func readParameterList(path string, data []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var items []json.RawMessage
	if err := dec.Decode(&items); err != nil {
		return nil, jsonErr(path, data, err)
	}
	out := map[string]string{}
	// Offsets of the items, for lines in errors.
	offsets := itemOffsets(data)
	for i, raw := range items {
		line := 0
		if i < len(offsets) {
			line = lineAt(data, int64(offsets[i]))
		}
		if s, ok := scalarText(raw); ok && bytes.HasPrefix(bytes.TrimSpace(raw), []byte(`"`)) {
			k, v, found := strings.Cut(s, "=")
			if !found || k == "" {
				return nil, fmt.Errorf("%s:%d: %q is not Key=Value (aws cloudformation deploy's --parameter-overrides form)", path, line, s)
			}
			out[k] = v
			continue
		}
		var p struct {
			ParameterKey     *string         `json:"ParameterKey"`
			ParameterValue   json.RawMessage `json:"ParameterValue"`
			UsePreviousValue bool            `json:"UsePreviousValue"`
			ResolvedValue    string          `json:"ResolvedValue"`
		}
		if err := json.Unmarshal(raw, &p); err != nil || p.ParameterKey == nil || *p.ParameterKey == "" {
			return nil, fmt.Errorf("%s:%d: want {\"ParameterKey\": …, \"ParameterValue\": …} (the CloudFormation CLI's form) or a \"Key=Value\" string", path, line)
		}
		if p.UsePreviousValue {
			return nil, fmt.Errorf("%s:%d: %s: UsePreviousValue needs a previous stack, which a file does not have; give ParameterValue", path, line, *p.ParameterKey)
		}
		v, ok := scalarText(p.ParameterValue)
		if !ok {
			return nil, fmt.Errorf("%s:%d: %s: ParameterValue must be a string", path, line, *p.ParameterKey)
		}
		out[*p.ParameterKey] = v
	}
	return out, nil
}

// itemOffsets returns where each item of a top-level JSON array starts.
func itemOffsets(data []byte) []int {
	var out []int
	depth := 0
	inStr, esc := false, false
	expect := false
	for i, c := range data {
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		if expect && depth == 1 && c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != ']' {
			out = append(out, i)
			expect = false
		}
		switch c {
		case '"':
			inStr = true
		case '[', '{':
			depth++
			if depth == 1 {
				expect = true
			}
		case ']', '}':
			depth--
		case ',':
			if depth == 1 {
				expect = true
			}
		}
	}
	return out
}

func readParameterObject(path string, data []byte) (map[string]string, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonErr(path, data, err)
	}
	raw, ok := doc["Parameters"]
	if !ok {
		return nil, fmt.Errorf("%s:1: want {\"Parameters\": {\"Key\": \"Value\", …}} (CodePipeline's template configuration), a JSON list, or Key=Value lines", path)
	}
	var params map[string]json.RawMessage
	if err := json.Unmarshal(raw, &params); err != nil {
		return nil, fmt.Errorf("%s:%d: Parameters must be an object of \"Key\": \"Value\"", path, lineAt(data, int64(bytes.Index(data, []byte(`"Parameters"`)))))
	}
	out := map[string]string{}
	for k, v := range params {
		s, ok := scalarText(v)
		if !ok {
			return nil, fmt.Errorf("%s:%d: parameter %s must be a string", path, lineAt(data, int64(bytes.Index(data, []byte(strconv.Quote(k))))), k)
		}
		out[k] = s
	}
	return out, nil
}

func readParameterLines(path string, data []byte) (map[string]string, error) {
	out := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("%s:%d: want Key=Value, got %q", path, i+1, line)
		}
		out[k] = strings.TrimSpace(v)
	}
	return out, nil
}
