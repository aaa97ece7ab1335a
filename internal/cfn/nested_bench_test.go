package cfn_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
)

// chain writes n templates, each including the next one twice: the
// system has 2^n - 1 stacks.
func chain(t testing.TB, n int) string {
	dir := t.TempDir()
	for i := 0; i < n; i++ {
		var b strings.Builder
		b.WriteString("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n")
		if i+1 < n {
			for _, name := range []string{"A", "B"} {
				fmt.Fprintf(&b, "  %s:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: t%d.yaml\n", name, i+1)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("t%d.yaml", i)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "t0.yaml")
}

// Each nested template is read once, however many stacks use it; a
// system of more stacks than CloudFormation's quota is its error, not
// an exponential wait.
func TestNestedTemplatesReadOnce(t *testing.T) {
	res, err := cfn.Load(chain(t, 9), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(res.Skipped); got != 511 {
		t.Errorf("%d topics, want 511 (one per stack)", got)
	}
	_, err = cfn.Load(chain(t, 16), nil)
	if err == nil || !strings.Contains(err.Error(), "LimitExceededException") {
		t.Errorf("16 levels: %v, want the stack quota's error", err)
	}
}

func BenchmarkNestedChain(b *testing.B) {
	path := chain(b, 9)
	for b.Loop() {
		if _, err := cfn.Load(path, nil); err != nil {
			b.Fatal(err)
		}
	}
}
