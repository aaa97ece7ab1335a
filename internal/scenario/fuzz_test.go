package scenario_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/scenario"
)

// FuzzLoad feeds arbitrary bytes to the scenario loader as a file, and
// builds what parses through a real engine: nothing may panic or hang,
// and every error names the file.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"article.yaml", "alb.yaml"} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "examples", "seed", name)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("vpcs:\n  main: {cidr: 10.0.0.0/16}\nsubnets:\n  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, public: true}\n"))
	f.Add([]byte("vpcs: [\n"))
	dir := f.TempDir()
	path := filepath.Join(dir, "fuzz.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				panic("scenario load and build hang on: " + string(data))
			}
		}()
		sc, err := scenario.Load(path)
		if err == nil {
			_, err = sc.Build()
		}
		if err != nil && !strings.HasPrefix(err.Error(), path) {
			t.Errorf("error without the file name: %v", err)
		}
	})
}
