package terraform

import (
	"bytes"
	"encoding/json"
)

// IsShowJSON reports whether data is `terraform show -json` output (a plan
// or a state): a JSON object with format_version and terraform_version.
func IsShowJSON(data []byte) bool {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return false
	}
	var head struct {
		FormatVersion    *string `json:"format_version"`
		TerraformVersion *string `json:"terraform_version"`
	}
	if json.Unmarshal(data, &head) != nil {
		return false
	}
	return head.FormatVersion != nil && head.TerraformVersion != nil
}

// LoadJSON is a stub until the plan/state reader lands.
func LoadJSON(path string, opts Options) (*Result, error) { return nil, nil }
