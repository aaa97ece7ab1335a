package terraform_test

import (
	"strings"
	"testing"
)

// Round thirty-eight (docs/terraform-acceptance.md, "Round thirty-eight"):
// Terraform as users write it.

// Instances of a type ecsnet does not model get placeholder ids of their
// own, stable per address, as AWS gives each its own id: a map keyed by
// them (a for_each's attachments, count's queues, a module called with
// count) is not refused as "Duplicate object key".
func TestTF38PlaceholderIdsDistinct(t *testing.T) {
	res := load(t, "testdata/tf38-placeholder-ids", nil)
	for k, want := range map[string]string{"attachments": "2", "queues": "6", "modules": "2"} {
		if got := res.Outputs[k]; got != want {
			t.Errorf("output %s = %q, want %q", k, got, want)
		}
	}
	again := load(t, "testdata/tf38-placeholder-ids", nil)
	if ids := res.Outputs["queue_ids"]; ids != again.Outputs["queue_ids"] || strings.Count(ids, ",") != 4 {
		t.Errorf("queue ids %q then %q, want five, the same for the same addresses", ids, again.Outputs["queue_ids"])
	}
}
