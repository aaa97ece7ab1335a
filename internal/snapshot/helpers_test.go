package snapshot_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// seedState builds one of examples/seed's scenarios.
func seedState(t testing.TB, name string) *model.State {
	t.Helper()
	return scenarioState(t, "../../examples/seed/"+name+".yaml")
}

// scenarioState builds the scenario file at path.
func scenarioState(t testing.TB, path string) *model.State {
	t.Helper()
	sc, err := scenario.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	built, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := built.Engine.Snapshot()
	return st
}

// writeSnapshot writes st under a new folder and returns the folder and
// its region folder.
func writeSnapshot(t testing.TB, st *model.State) (dir, region string) {
	t.Helper()
	dir = t.TempDir()
	if err := snapshot.Write(dir, st); err != nil {
		t.Fatal(err)
	}
	return dir, filepath.Join(dir, "aws_configs", st.Region)
}

func load(t testing.TB, dir string, opts ...snapshot.Option) *snapshot.Result {
	t.Helper()
	res, err := snapshot.Load(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// probe runs one probe on a state.
func probe(t testing.TB, st *model.State, from, to string) *reach.Result {
	t.Helper()
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, from, to, "tcp")
	if err != nil {
		t.Fatalf("probe %s → %s: %v", from, to, err)
	}
	return reach.Probe(n, q)
}

func state(res *snapshot.Result) *model.State {
	st, _ := res.Engine.Snapshot()
	return st
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// codes returns the warnings' codes, counted.
func codes(ws []snapshot.Warning) map[snapshot.Code]int {
	m := map[snapshot.Code]int{}
	for _, w := range ws {
		m[w.Code]++
	}
	return m
}
