package bolt

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/store"
	"github.com/ecsnet/ecsnet/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite testdata/v1.db")

// v1Records is what testdata/v1.db holds: records at schema version 1, in
// the engine's encoding of that version.
var v1Records = []storetest.Record{
	{Kind: "legacy", ID: "x", Data: `{"obsolete":true}`},
	{Kind: "subnet", ID: "subnet-1", Data: `{"id":"subnet-1","vpc":"vpc-1","cidr":"10.0.1.0/24"}`},
	{Kind: "vpc", ID: "vpc-1", Data: `{"id":"vpc-1","cidr":"10.0.0.0/16"}`},
	{Kind: "vpc", ID: "vpc-2", Data: `{"id":"vpc-2","cidr":"10.1.0.0/16"}`},
}

// v2Records is what a version 2 reads after migrateV1: "cidr" became
// "cidrBlock" and the legacy kind is gone.
var v2Records = []storetest.Record{
	{Kind: "subnet", ID: "subnet-1", Data: `{"cidrBlock":"10.0.1.0/24","id":"subnet-1","vpc":"vpc-1"}`},
	{Kind: "vpc", ID: "vpc-1", Data: `{"cidrBlock":"10.0.0.0/16","id":"vpc-1"}`},
	{Kind: "vpc", ID: "vpc-2", Data: `{"cidrBlock":"10.1.0.0/16","id":"vpc-2"}`},
}

// migrateV1 is a fake migration from version 1 to 2, written as the engine
// would write a real one.
var migrateV1 = store.Migration{From: 1, Migrate: func(tx store.Tx) error {
	var changes []store.Change
	err := tx.Load(func(kind, id string, data []byte) error {
		if kind == "legacy" {
			changes = append(changes, store.Change{Kind: kind, ID: id})
			return nil
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			return fmt.Errorf("%s/%s: %w", kind, id, err)
		}
		m["cidrBlock"] = m["cidr"]
		delete(m, "cidr")
		out, err := json.Marshal(m)
		if err != nil {
			return err
		}
		changes = append(changes, store.Change{Kind: kind, ID: id, Data: out})
		return nil
	})
	if err != nil {
		return err
	}
	return tx.Apply(changes)
}}

// copyFixture copies testdata/name to a new temporary file, so tests never
// write to the fixture.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	src, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	path := filepath.Join(t.TempDir(), name)
	dst, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func reopen(t *testing.T, s *Store, opts Options) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return open(t, s.Path(), opts)
}

func checkRecords(t *testing.T, s *Store, want []storetest.Record) {
	t.Helper()
	if got := storetest.Dump(t, s); !slices.Equal(got, want) {
		t.Errorf("records:\n got %q\nwant %q", got, want)
	}
}

// TestFixtureV1 checks that this build still reads a file that schema
// version 1 wrote; with -update it rewrites that file.
func TestFixtureV1(t *testing.T) {
	fixture := filepath.Join("testdata", "v1.db")
	if *update {
		os.Remove(fixture)
		s := open(t, fixture, Options{SchemaVersion: 1})
		var changes []store.Change
		for _, r := range v1Records {
			changes = append(changes, store.Change{Kind: r.Kind, ID: r.ID, Data: []byte(r.Data)})
		}
		if err := s.Apply(changes); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	s := open(t, copyFixture(t, "v1.db"), Options{SchemaVersion: 1})
	checkFile(t, s)
	if got := fileVersion(t, s); got != "1" {
		t.Errorf("fixture has schema version %q, want 1", got)
	}
	checkRecords(t, s, v1Records)
}

func TestMigrate(t *testing.T) {
	s := open(t, copyFixture(t, "v1.db"), Options{SchemaVersion: 2, Migrations: []store.Migration{migrateV1}})
	checkFile(t, s)
	if got := fileVersion(t, s); got != "2" {
		t.Errorf("schema version after migration = %q, want 2", got)
	}
	checkRecords(t, s, v2Records)

	// Once migrated, the file opens at version 2 without migrations, and
	// they would not run again.
	s = reopen(t, s, Options{SchemaVersion: 2})
	checkRecords(t, s, v2Records)

	// A build that only knows version 1 refuses the file, and says why.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := Open(s.Path(), Options{SchemaVersion: 1})
	if !errors.Is(err, store.ErrSchemaTooNew) {
		t.Fatalf("Open of a v2 file at v1: %v, want ErrSchemaTooNew", err)
	}
	for _, want := range []string{s.Path(), "newer ecsnet", "schema version 2", "up to 1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	t.Logf("too new: %v", err)
}

func TestMigrateChain(t *testing.T) {
	var ran []int
	step := func(from int) store.Migration {
		return store.Migration{From: from, Migrate: func(tx store.Tx) error {
			ran = append(ran, from)
			return tx.Apply([]store.Change{{Kind: "steps", ID: fmt.Sprint(from), Data: []byte("done")}})
		}}
	}
	s := open(t, copyFixture(t, "v1.db"), Options{SchemaVersion: 4, Migrations: []store.Migration{step(3), step(1), step(2)}})
	if !slices.Equal(ran, []int{1, 2, 3}) {
		t.Errorf("migrations ran in order %v, want [1 2 3]", ran)
	}
	if got := fileVersion(t, s); got != "4" {
		t.Errorf("schema version = %q, want 4", got)
	}
	want := append(slices.Clone(v1Records),
		storetest.Record{Kind: "steps", ID: "1", Data: "done"},
		storetest.Record{Kind: "steps", ID: "2", Data: "done"},
		storetest.Record{Kind: "steps", ID: "3", Data: "done"})
	checkRecords(t, s, storetest.Want(want...))
}

// TestMigrateRekey moves every record to a new kind, reusing one buffer for
// all the data it writes, as a migration may.
func TestMigrateRekey(t *testing.T) {
	rekey := store.Migration{From: 1, Migrate: func(tx store.Tx) error {
		var changes []store.Change
		var keep [][]byte
		err := tx.Load(func(kind, id string, data []byte) error {
			changes = append(changes, store.Change{Kind: kind, ID: id}, store.Change{Kind: "v2-" + kind, ID: id})
			keep = append(keep, bytes.Clone(data)) // data is only valid during fn
			return nil
		})
		if err != nil {
			return err
		}
		var buf []byte
		for i := range keep {
			buf = append(buf[:0], keep[i]...)
			changes[2*i+1].Data = buf
			if err := tx.Apply(changes[2*i : 2*i+2]); err != nil {
				return err
			}
		}
		return nil
	}}
	s := open(t, copyFixture(t, "v1.db"), Options{SchemaVersion: 2, Migrations: []store.Migration{rekey}})
	var want []storetest.Record
	for _, r := range v1Records {
		want = append(want, storetest.Record{Kind: "v2-" + r.Kind, ID: r.ID, Data: r.Data})
	}
	checkFile(t, s)
	checkRecords(t, s, storetest.Want(want...))
	s = reopen(t, s, Options{SchemaVersion: 2})
	checkRecords(t, s, storetest.Want(want...))
}

// TestMigrateAtomic checks that a failed upgrade leaves the file as it was.
func TestMigrateAtomic(t *testing.T) {
	path := copyFixture(t, "v1.db")
	boom := errors.New("boom")
	for _, tt := range []struct {
		name string
		opts Options
	}{
		{"missing step", Options{SchemaVersion: 3, Migrations: []store.Migration{migrateV1}}},
		{"failing step", Options{SchemaVersion: 3, Migrations: []store.Migration{migrateV1,
			{From: 2, Migrate: func(store.Tx) error { return boom }}}}},
		{"apply inside load", Options{SchemaVersion: 2, Migrations: []store.Migration{{From: 1, Migrate: func(tx store.Tx) error {
			return tx.Load(func(kind, id string, _ []byte) error {
				return tx.Apply([]store.Change{{Kind: kind, ID: id}})
			})
		}}}}},
		{"invalid change", Options{SchemaVersion: 2, Migrations: []store.Migration{{From: 1, Migrate: func(tx store.Tx) error {
			if err := tx.Apply([]store.Change{{Kind: "vpc", ID: "vpc-1"}}); err != nil {
				return err
			}
			return tx.Apply([]store.Change{{Kind: "vpc", ID: ""}})
		}}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(path, tt.opts)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			t.Logf("Open: %v", err)
			if tt.name == "failing step" && !errors.Is(err, boom) {
				t.Errorf("Open: %v, want the migration's error", err)
			}
			s = open(t, path, Options{SchemaVersion: 1})
			if got := fileVersion(t, s); got != "1" {
				t.Errorf("schema version = %q, want 1", got)
			}
			checkRecords(t, s, v1Records)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestResetKeepsVersion checks that Reset drops records but not the schema
// version.
func TestResetKeepsVersion(t *testing.T) {
	s := open(t, copyFixture(t, "v1.db"), Options{SchemaVersion: 2, Migrations: []store.Migration{migrateV1}})
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, Options{SchemaVersion: 2})
	if got := fileVersion(t, s); got != "2" {
		t.Errorf("schema version after Reset = %q, want 2", got)
	}
	checkRecords(t, s, nil)
}
