package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sarifSchema is OASIS's SARIF 2.1.0 JSON schema (the final, rtm.5, text),
// as Microsoft ships it in the npm package @microsoft/jest-sarif
// (lib/schemas/sarif-2.1.0-rtm.5.json), which schemastore also serves as
// sarif-2.1.0.json.
const sarifSchema = "testdata/sarif-2.1.0-rtm.5.json"

// Every SARIF log `ecsnet check` writes for the examples — scenarios that
// pass, scenarios that fail, CloudFormation templates — is valid against
// the official 2.1.0 schema. The schema is checked to reject a log that
// is not SARIF, so the test cannot pass by validating nothing.
func TestCheckSARIFSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	f, err := os.Open(sarifSchema)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("sarif.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	validate := func(name, out string) {
		t.Helper()
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
		if err != nil {
			t.Fatalf("%s: not JSON: %v", name, err)
		}
		if err := schema.Validate(v); err != nil {
			t.Errorf("%s: not valid SARIF 2.1.0: %v", name, err)
		}
	}

	bad, err := jsonschema.UnmarshalJSON(strings.NewReader(`{"version":"2.1.0","runs":[{"results":[{"level":"fatal"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if schema.Validate(bad) == nil {
		t.Fatal("the schema accepts a log with no tool and a result with no message")
	}

	var sources []string
	for _, g := range []string{"examples/seed/*.yaml", "examples/failures/*.yaml", "examples/cfn/*.yaml", "examples/cfn/*.json", "examples/cfn/refused/*.yaml"} {
		m, _ := filepath.Glob(filepath.Join("..", "..", g))
		for _, p := range m {
			sources = append(sources, strings.TrimPrefix(filepath.ToSlash(p), "../../"))
		}
	}
	sources = append(sources, failing(t))
	results := 0
	for _, src := range sources {
		// A source check cannot read (examples/cfn/refused/assign-public-ip.yaml) is a result
		// too (ECSNET_SOURCE_ERROR), so every exit code gives a log.
		code, out, errs := run(t, "check", src, "--output", "sarif")
		if strings.TrimSpace(out) == "" {
			t.Errorf("%s: exit %d and no SARIF log: %s", src, code, errs)
			continue
		}
		validate(src, out)
		var log struct {
			Runs []struct {
				Results []json.RawMessage `json:"results"`
			} `json:"runs"`
		}
		if err := json.NewDecoder(bytes.NewReader([]byte(out))).Decode(&log); err == nil && len(log.Runs) == 1 {
			results += len(log.Runs[0].Results)
		}
	}
	if results == 0 {
		t.Fatal("no example gave a single SARIF result: the schema saw no results to check")
	}
}
