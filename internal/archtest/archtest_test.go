package archtest

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

type pkg struct {
	ImportPath string
	Doc        string
	Imports    []string
	Name       string
}

func packages(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", "github.com/ecsnet/ecsnet/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var ps []pkg
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

const mod = "github.com/ecsnet/ecsnet/"

// allowed lists, for the packages whose place matters, the project packages
// they may import (prefixes).
var allowed = map[string][]string{
	"internal/model":     {},
	"internal/apierr":    {},
	"internal/store":     {},
	"internal/suggest":   {},
	"internal/yamlpos":   {},
	"internal/reach":     {"internal/model", "internal/suggest"},
	"internal/engine":    {"internal/model", "internal/apierr", "internal/store"},
	"internal/awsproto":  {"internal/apierr", "internal/awsproto/"},
	"internal/fix":       {"internal/engine", "internal/model", "internal/reach"},
	"internal/scenario":  {"internal/engine", "internal/model", "internal/apierr", "internal/suggest", "internal/yamlpos"},
	"internal/cfn":       {"internal/engine", "internal/model", "internal/apierr", "internal/suggest", "internal/yamlpos"},
	"internal/terraform": {"internal/engine", "internal/model", "internal/apierr", "internal/suggest"},
	// The differential test builds scenarios, asks the analyzer and the
	// data plane, and compares.
	"internal/dataplane/difftest": {"internal/scenario", "internal/engine", "internal/model", "internal/reach", "internal/dataplane", "internal/cfn"},
	// The data plane builds kernel objects from the model; it uses the
	// analyzer to name nodes as probes do and for the answers of each
	// VPC's Resolver, runs load balancers with elbproxy and speaks DNS
	// with dnsmsg.
	"internal/dataplane": {"internal/model", "internal/reach", "internal/dataplane/elbproxy", "internal/dataplane/dnsmsg"},
	// The load balancer data plane sees the model only: an independent
	// second implementation of what the analyzer decides.
	"internal/dataplane/elbproxy": {"internal/model"},
	// The DNS wire format imports nothing of ours.
	"internal/dataplane/dnsmsg": {},
	// The kernel tests' isolation imports nothing of ours.
	"internal/dataplane/nstest": {},
	// Benchmarks' CPU time imports nothing of ours.
	"internal/benchcpu": {},
}

func TestImportsFlowOneWay(t *testing.T) {
	for _, p := range packages(t) {
		rel := strings.TrimPrefix(p.ImportPath, mod)
		rules, ok := allowed[rel]
		if !ok {
			continue
		}
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, mod) {
				continue
			}
			dep := strings.TrimPrefix(imp, mod)
			fine := false
			for _, a := range rules {
				fine = fine || dep == a || (strings.HasSuffix(a, "/") && strings.HasPrefix(dep, a))
			}
			if !fine {
				t.Errorf("%s imports %s: not allowed (may import %v)", rel, dep, rules)
			}
		}
	}
}

func TestEveryPackageHasADocComment(t *testing.T) {
	for _, p := range packages(t) {
		if p.Doc == "" {
			t.Errorf("%s has no package doc comment", p.ImportPath)
		}
	}
}

// The AWS SDK stays in tests and in the code that talks to real AWS.
func TestSDKOnlyInCollect(t *testing.T) {
	for _, p := range packages(t) {
		rel := strings.TrimPrefix(p.ImportPath, mod)
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, "github.com/aws/aws-sdk-go-v2") && rel != "internal/collect" {
				t.Errorf("%s imports %s: the AWS SDK belongs in tests and internal/collect only", rel, imp)
			}
		}
	}
}
