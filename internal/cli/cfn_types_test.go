package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckUnrecognizedType: `ecsnet check` on a template with a resource
// type CloudFormation does not have fails at the type's line with AWS's
// text, as CreateStack refuses it.
func TestCheckUnrecognizedType(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.yaml")
	body := "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n  Sub:\n    Type: AWS::EC2::Subnett\n    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "check", path)
	want := path + ":6: Template format error: Unrecognized resource types: [AWS::EC2::Subnett] (AWS::EC2::Subnett: did you mean AWS::EC2::Subnet?)"
	if code == ExitOK || !strings.Contains(out+errs, want) {
		t.Errorf("exit %d, output:\n%s%s\nwant a failure with %q", code, out, errs, want)
	}
}
