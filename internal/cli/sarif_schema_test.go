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
	page, err := os.ReadFile("../../docs/codes.md")
	if err != nil {
		t.Fatal(err)
	}
	codesPage := string(page)
	results, rules := 0, 0
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
				Tool struct {
					Driver struct {
						Rules []struct {
							ID              string `json:"id"`
							FullDescription struct {
								Text string `json:"text"`
							} `json:"fullDescription"`
							Help struct {
								Text     string `json:"text"`
								Markdown string `json:"markdown"`
							} `json:"help"`
							HelpURI string `json:"helpUri"`
						} `json:"rules"`
					} `json:"driver"`
				} `json:"tool"`
				Results []json.RawMessage `json:"results"`
			} `json:"runs"`
		}
		if err := json.NewDecoder(bytes.NewReader([]byte(out))).Decode(&log); err == nil && len(log.Runs) == 1 {
			results += len(log.Runs[0].Results)
			// Every rule carries its code's help from the table, and its
			// helpUri a section docs/codes.md has.
			for _, r := range log.Runs[0].Tool.Driver.Rules {
				rules++
				if _, ok := codeHelpOf(r.ID); !ok {
					t.Errorf("%s: rule %s is not in the table of codes (run go run ./internal/cli/gencodes)", src, r.ID)
				}
				if r.FullDescription.Text == "" || !strings.Contains(r.Help.Text, "How to fix: ") || !strings.Contains(r.Help.Markdown, "**How to fix.**") {
					t.Errorf("%s: rule %s has no help: %+v", src, r.ID, r)
				}
				anchor, ok := strings.CutPrefix(r.HelpURI, codesDoc+"#")
				if !ok || !strings.Contains(codesPage, "\n## "+strings.ToUpper(anchor)+"\n") || anchor != strings.ToLower(r.ID) {
					t.Errorf("%s: rule %s's helpUri %q names no section of docs/codes.md", src, r.ID, r.HelpURI)
				}
			}
		}
	}
	if results == 0 || rules == 0 {
		t.Fatal("no example gave a single SARIF result: the schema saw no results to check")
	}
}

// A code internal/reach added after codes_gen.go was generated still gets
// help: its name in words and the generic fix, with a link to the page.
func TestHelpOfCodeNotInTable(t *testing.T) {
	if _, ok := codeHelpOf("ECS_SOMETHING_NEW"); ok {
		t.Fatal("the table knows a code no one declared")
	}
	h := helpOf("ECS_SOMETHING_NEW")
	if h.What != "ECS something new." || h.Fix != genericFix {
		t.Errorf("help of an unknown code: %+v", h)
	}
	if got := h.markdown("ECS_SOMETHING_NEW"); !strings.Contains(got, "(https://github.com/ecsnet/ecsnet/blob/main/docs/codes.md#ecs_something_new)") {
		t.Errorf("markdown: %s", got)
	}
	if got := helpOf("ECS_NO_LISTENER"); !strings.HasPrefix(got.What, "Nothing listens on the destination port") || got.Fix == genericFix {
		t.Errorf("ECS_NO_LISTENER: %+v", got)
	}
	if got := escapeMarkdown("ECS_NO_LISTENER on <port> `ecsnet probe a_b`"); got != "ECS\\_NO\\_LISTENER on &lt;port&gt; `ecsnet probe a_b`" {
		t.Errorf("escapeMarkdown: %s", got)
	}
}
