package terraform_test

import (
	"os"
	"path/filepath"
	"testing"
)

// aws_launch_template's disable_api_termination reaches the template's
// data as the provider sends it: only when true.
func TestLaunchTemplateDisableAPITermination(t *testing.T) {
	dir := t.TempDir()
	err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "eu-west-1"
}

resource "aws_launch_template" "on" {
  name                    = "guarded"
  image_id                = "ami-0c1f2a3b4d5e6f708"
  instance_type           = "t3.small"
  disable_api_termination = true
}

resource "aws_launch_template" "off" {
  name                    = "open"
  image_id                = "ami-0c1f2a3b4d5e6f708"
  instance_type           = "t3.small"
  disable_api_termination = false
}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	got := map[string]*bool{}
	for _, lt := range st.LaunchTemplates {
		got[lt.Name] = lt.Versions[len(lt.Versions)-1].Data.DisableAPITermination
	}
	if b := got["guarded"]; b == nil || !*b {
		t.Errorf("guarded: DisableApiTermination %v, want true", b)
	}
	if b := got["open"]; b != nil {
		t.Errorf("open: DisableApiTermination %v, want unset (the provider leaves false out)", *b)
	}
}
