package awsproto_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedModelsUpToDate regenerates the trimmed models from the
// machine's botocore and compares them with the committed ones. It skips
// without python3 and botocore, and when the installed botocore is another
// release than the committed models (regenerate with go generate).
func TestGeneratedModelsUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates the models")
	}
	out, err := exec.Command("python3", "-c", "import botocore,os;print(os.path.dirname(botocore.__file__));print(botocore.__version__)").Output()
	if err != nil {
		t.Skipf("python3 with botocore is not available: %v", err)
	}
	lines := strings.Fields(string(out))
	if len(lines) != 2 {
		t.Fatalf("unexpected python3 output %q", out)
	}
	dir, version := lines[0], lines[1]
	if have := loadModels(t).BotocoreVersion(); have != version {
		t.Skipf("committed models are from botocore %s, the machine has %s", have, version)
	}
	tmp := t.TempDir()
	cmd := exec.Command("go", "run", "./gen", "-botocore", dir, "-out", tmp)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./gen: %v\n%s", err, msg)
	}
	committed, err := filepath.Glob("models/*.json.gz")
	generated, gerr := filepath.Glob(filepath.Join(tmp, "*.json.gz"))
	if err != nil || gerr != nil || len(committed) == 0 || len(committed) != len(generated) {
		t.Fatalf("committed models %v, generated %v (%v, %v): run go generate ./internal/awsproto", committed, generated, err, gerr)
	}
	for _, path := range committed {
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(tmp, filepath.Base(path)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./internal/awsproto", path)
		}
	}
}
