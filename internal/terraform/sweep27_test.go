package terraform_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestSweep27ContainerKeySwaps: a container definition key with two pairs
// of letters swapped ("essnetail") is four edits from "essential" by
// plain edit distance, so ecsnet named no key it is near; internal/suggest's
// distance counts a swap as one edit, as everywhere else in ecsnet.
func TestSweep27ContainerKeySwaps(t *testing.T) {
	_, warnings, err := loadWarnings("testdata/sweep27/container-key-swaps")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{`"essnetail", which is not a key of an ECS container definition (essential?)`: false,
		`"portMpapigns", which is not a key of an ECS container definition (portMappings?)`: false}
	for _, w := range warnings {
		for k := range want {
			if strings.Contains(w.Msg, k) {
				want[k] = true
			}
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("no warning %s in %v", k, warnings)
		}
	}
}

// loadWarnings loads a root module and returns its warnings, whether it
// loaded or was refused.
func loadWarnings(dir string) (*terraform.Result, []terraform.Warning, error) {
	r, err := terraform.Load(dir, terraform.Options{})
	var le *terraform.LoadError
	if errors.As(err, &le) {
		return nil, le.Warnings, err
	}
	if err != nil {
		return nil, nil, err
	}
	return r, r.Warnings, nil
}
