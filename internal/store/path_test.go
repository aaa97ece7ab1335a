package store

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestDefaultPath(t *testing.T) {
	tests := []struct {
		name string
		goos string
		env  map[string]string
		home string
		want string
	}{
		{"linux", "linux", nil, "/home/u", "/home/u/.local/share/ecsnet/state.db"},
		{"linux xdg", "linux", map[string]string{"XDG_DATA_HOME": "/data"}, "/home/u", "/data/ecsnet/state.db"},
		{"linux relative xdg ignored", "linux", map[string]string{"XDG_DATA_HOME": "data"}, "/home/u", "/home/u/.local/share/ecsnet/state.db"},
		{"darwin", "darwin", nil, "/Users/u", "/Users/u/Library/Application Support/ecsnet/state.db"},
		{"darwin xdg", "darwin", map[string]string{"XDG_DATA_HOME": "/x"}, "/Users/u", "/x/ecsnet/state.db"},
		{"windows", "windows", map[string]string{"LocalAppData": "/appdata"}, "/home/u", "/appdata/ecsnet/state.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			home := func() (string, error) { return tt.home, nil }
			got, err := defaultPath(tt.goos, getenv, home)
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.FromSlash(tt.want); got != want {
				t.Errorf("defaultPath = %q, want %q", got, want)
			}
		})
	}

	t.Run("no home", func(t *testing.T) {
		home := func() (string, error) { return "", errors.New("$HOME is not defined") }
		if got, err := defaultPath("linux", func(string) string { return "" }, home); err == nil {
			t.Errorf("defaultPath = %q, want an error", got)
		}
	})

	t.Run("real", func(t *testing.T) {
		got, err := DefaultPath()
		if err != nil {
			t.Skipf("no home directory here: %v", err)
		}
		if !filepath.IsAbs(got) || filepath.Base(got) != "state.db" {
			t.Errorf("DefaultPath = %q, want an absolute path to state.db", got)
		}
	})
}

func TestPlan(t *testing.T) {
	nop := func(Tx) error { return nil }
	ms := []Migration{{From: 2, Migrate: nop}, {From: 0, Migrate: nop}, {From: 1, Migrate: nop}}
	plan, err := Plan(ms, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range plan {
		if m.From != i {
			t.Errorf("plan[%d].From = %d, want %d", i, m.From, i)
		}
	}
	if plan, err := Plan(ms, 3, 3); err != nil || len(plan) != 0 {
		t.Errorf("Plan(3, 3) = %v, %v; want nothing to do", plan, err)
	}
	if _, err := Plan(ms, 4, 3); !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("Plan(4, 3) error = %v, want ErrSchemaTooNew", err)
	}
	if _, err := Plan(ms[:2], 0, 3); err == nil {
		t.Error("Plan with a missing step succeeded")
	}
	if _, err := Plan(append(ms, Migration{From: 1, Migrate: nop}), 0, 3); err == nil {
		t.Error("Plan with two migrations from 1 succeeded")
	}
	if _, err := Plan([]Migration{{From: 0}}, 0, 1); err == nil {
		t.Error("Plan with a nil Migrate succeeded")
	}
}

func TestValidate(t *testing.T) {
	long := string(make([]byte, MaxKeyLen+1))
	bad := []Change{
		{Kind: "", ID: "a", Data: []byte("x")},
		{Kind: "vpc", ID: "", Data: []byte("x")},
		{Kind: "vpc", ID: ""},
		{Kind: long, ID: "a"},
		{Kind: "vpc", ID: long},
	}
	for _, c := range bad {
		if err := Validate([]Change{{Kind: "vpc", ID: "ok"}, c}); !errors.Is(err, ErrInvalidChange) {
			t.Errorf("Validate(%.20q/%.20q) = %v, want ErrInvalidChange", c.Kind, c.ID, err)
		}
	}
	if err := Validate([]Change{{Kind: "vpc", ID: "a"}, {Kind: "k", ID: string(make([]byte, MaxKeyLen)), Data: []byte{}}}); err != nil {
		t.Errorf("Validate(valid) = %v", err)
	}
}
