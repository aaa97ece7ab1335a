package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParameterFile: any bytes give parameters or an error naming the
// file, never a panic.
func FuzzParameterFile(f *testing.F) {
	for _, s := range []string{
		`[{"ParameterKey": "A", "ParameterValue": "1"}]`,
		`["A=1", "B=x,y"]`,
		"A=1\n# c\nB = 2\n",
		`{"Parameters": {"A": 1, "B": true}, "Tags": {}}`,
		"[\n{\"ParameterKey\": \"A\"}, \"x\"]",
		`{"Parameters": []}`,
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "p.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := readParameterFile(path)
		if err == nil && m == nil {
			t.Fatal("no parameters and no error")
		}
	})
}
