package reach

import (
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// repoFile returns a path relative to the repository root.
func repoFile(rel string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", rel)
}

// build replays a scenario file through the engine with the start check
// installed, as the CLI does.
func build(t testing.TB, path string) *engine.Engine {
	t.Helper()
	return buildWith(t, path, engine.WithStartCheck(StartCheck))
}

// buildWith replays a scenario file with extra engine options.
func buildWith(t testing.TB, path string, opts ...engine.Option) *engine.Engine {
	t.Helper()
	sc, err := scenario.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return b.Engine
}

func article(t testing.TB) *engine.Engine { return build(t, repoFile("examples/seed/article.yaml")) }

// compileEngine compiles the engine's current state.
func compileEngine(e *engine.Engine, opts ...Option) *Network {
	st, _ := e.Snapshot()
	return Compile(st, opts...)
}

// probeSpec probes from → to over a protocol.
func probeSpec(t testing.TB, n *Network, from, to, protocol string) *Result {
	t.Helper()
	q, err := NewQuery(n, from, to, protocol)
	if err != nil {
		t.Fatalf("NewQuery(%q, %q): %v", from, to, err)
	}
	return Probe(n, q)
}

// check asserts a probe's verdict and that each code is among its blocking
// explanations; it returns the explanations by code.
func check(t testing.TB, r *Result, v Verdict, codes ...string) map[string]Explanation {
	t.Helper()
	if r.Verdict != v {
		t.Fatalf("verdict = %q, want %q\nsummary: %s\nexplanations: %s", r.Verdict, v, r.Summary, codeList(r))
	}
	got := map[string]Explanation{}
	for _, e := range r.Explanations {
		if _, ok := got[e.Code]; !ok {
			got[e.Code] = e
		}
	}
	for _, c := range codes {
		e, ok := got[c]
		if !ok || !e.Blocking {
			t.Fatalf("no blocking %s in %s\nsummary: %s", c, codeList(r), r.Summary)
		}
	}
	return got
}

// checkClean asserts a probe has no blocking explanation.
func checkClean(t testing.TB, r *Result, v Verdict) {
	t.Helper()
	check(t, r, v)
	if b := r.Blocking(); len(b) > 0 {
		t.Fatalf("unexpected blocking explanations %s\nsummary: %s", codeList(r), r.Summary)
	}
}

func codeList(r *Result) string {
	var s []string
	for _, e := range r.Explanations {
		x := e.Code
		if !e.Blocking {
			x += "(info)"
		}
		s = append(s, x+"@"+e.Path+"#"+strconv.Itoa(e.Hop))
	}
	return "[" + strings.Join(s, " ") + "]"
}

// groupID returns the id of the security group named name.
func groupID(t testing.TB, e *engine.Engine, name string) model.SecurityGroupID {
	t.Helper()
	var id model.SecurityGroupID
	e.Read(func(st *model.State) {
		for _, g := range st.SecurityGroups {
			if g.Name == name || g.Tags.Name() == name {
				id = g.ID
			}
		}
	})
	if id == "" {
		t.Fatalf("no security group %q", name)
	}
	return id
}

func intp(v int) *int { return &v }

// allow adds an ingress rule to a security group through the engine.
func allow(t testing.TB, e *engine.Engine, group, proto string, from, to int, cidr string) {
	t.Helper()
	_, err := e.AuthorizeSecurityGroup(groupID(t, e, group), false, []engine.IPPermission{{Protocol: proto, FromPort: intp(from), ToPort: intp(to),
		CIDRs: []engine.RuleSource{{Value: cidr}}}})
	if err != nil {
		t.Fatal(err)
	}
}

// hopOf returns the first hop of a path whose component has the type and,
// when name is not empty, the name.
func hopOf(t testing.TB, path []Hop, typ, name string) Hop {
	t.Helper()
	for _, h := range path {
		if h.Component != nil && h.Component.Type == typ && (name == "" || h.Component.Name == name) {
			return h
		}
	}
	t.Fatalf("no %s %s hop", typ, name)
	return Hop{}
}

// stateOf runs fn with the engine's state.
func stateOf(e *engine.Engine) *model.State {
	st, _ := e.Snapshot()
	return st
}

// loadScenario returns a scenario file's expectations.
func loadScenario(t testing.TB, path string) []scenario.Expectation {
	t.Helper()
	sc, err := scenario.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return sc.Expect
}

// editedStory builds the failure story at rel (a path from the repository's
// root) with each edit (old → new, in turn) applied to its text and its
// expect list left out.
func editedStory(t *testing.T, rel string, edits ...string) *Network {
	t.Helper()
	path := repoFile(rel)
	data := readFile(t, path)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(data, edits[i]) {
			t.Fatalf("edit %q: not in the story", edits[i])
		}
		data = strings.Replace(data, edits[i], edits[i+1], 1)
	}
	data = data[:strings.Index(data, "\nexpect:")]
	sc, err := scenario.Parse(path, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	return compileEngine(b.Engine)
}
