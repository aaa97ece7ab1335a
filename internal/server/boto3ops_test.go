package server_test

import (
	"path/filepath"
	"testing"
)

// The operations and behaviours of issue 10 through boto3: each script in
// testdata/boto3 (but common.py, their helpers) runs against its own
// in-process server, whose regions start as a new AWS account's (with the
// default VPC), and asserts what AWS answers (see the scripts' docstrings).
func TestBoto3Ops(t *testing.T) {
	scripts, err := filepath.Glob(filepath.Join("testdata", "boto3", "*.py"))
	if err != nil || len(scripts) < 20 {
		t.Fatalf("scripts: %v %v", scripts, err)
	}
	for _, script := range scripts {
		if filepath.Base(script) == "common.py" {
			continue
		}
		t.Run(filepath.Base(script), func(t *testing.T) {
			requireTool(t, "python3", "-c", "import boto3")
			em := newAccount(t, nil)
			runScript(t, em.URL, "python3", script)
		})
	}
}
