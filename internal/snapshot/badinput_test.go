package snapshot_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/snapshot"
)

const vpcsJSON = `{
    "Vpcs": [
        {
            "VpcId": "vpc-0a1b2c3d4e5f60718",
            "CidrBlock": "10.0.0.0/16",
            "IsDefault": false
        }
    ]
}
`

const subnetsJSON = `{
    "Subnets": [
        {
            "SubnetId": "subnet-0123456789abcdef0",
            "VpcId": "vpc-0a1b2c3d4e5f60718",
            "CidrBlock": "10.0.1.0/24",
            "AvailabilityZone": "eu-west-1a",
            "MapPublicIpOnLaunch": true
        }
    ]
}
`

// A truncated file is one error naming the file, and the line and column
// where the JSON stops.
func TestTruncatedJSON(t *testing.T) {
	dir := t.TempDir()
	region := filepath.Join(dir, "aws_configs", "eu-west-1")
	writeFile(t, filepath.Join(region, "vpcs.json"), vpcsJSON)
	writeFile(t, filepath.Join(region, "subnets.json"), subnetsJSON[:len(subnetsJSON)-40])
	_, err := snapshot.Load(dir)
	var se *snapshot.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Load = %v, want a *SyntaxError", err)
	}
	want := filepath.Base(dir) + "/aws_configs/eu-west-1/subnets.json:8:19: invalid JSON: unexpected end of JSON input (the file is truncated)"
	if err.Error() != want {
		t.Errorf("error =\n%s\nwant\n%s", err, want)
	}
}

// Invalid JSON in the middle of a file points at the offending byte.
func TestInvalidJSON(t *testing.T) {
	dir := t.TempDir()
	bad := strings.Replace(subnetsJSON, `"VpcId": "vpc-0a1b2c3d4e5f60718",`, `"VpcId": "vpc-0a1b2c3d4e5f60718"`, 1)
	writeFile(t, filepath.Join(dir, "subnets.json"), bad)
	_, err := snapshot.Load(dir, snapshot.WithRegion("eu-west-1"))
	var se *snapshot.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Load = %v, want a *SyntaxError", err)
	}
	if se.Line != 6 || se.Column != 13 || se.File != filepath.Base(dir)+"/subnets.json" || !strings.Contains(se.Msg, "after object key:value pair") {
		t.Errorf("error = %v (line %d, column %d)", err, se.Line, se.Column)
	}
}

// Valid JSON that is not a describe-* output is a warning each, with the
// file and location; everything else still loads.
func TestUnderstoodOrWarned(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "vpcs.json"), vpcsJSON)
	writeFile(t, filepath.Join(dir, "subnets.json"), subnetsJSON)
	writeFile(t, filepath.Join(dir, "array.json"), `[{"GroupId": "sg-1"}]`)
	writeFile(t, filepath.Join(dir, "unknown.json"), "{\n  \"Buckets\": [],\n  \"VpnConnections\": []\n}")
	writeFile(t, filepath.Join(dir, "wrong.json"), "{\n  \"NatGateways\": {\"NatGatewayId\": \"nat-1\"},\n  \"SecurityGroups\": [\n    {\"GroupId\": \"sg-1\", \"IpPermissions\": \"all\"},\n    {\"GroupId\": \"sg-2\", \"VpcId\": \"vpc-0a1b2c3d4e5f60718\"}\n  ]\n}")
	writeFile(t, filepath.Join(dir, "health.json"), `{"TargetHealthDescriptions": []}`)
	res := load(t, dir)
	base := filepath.Base(dir)
	want := []string{
		base + "/array.json:1:1: file skipped: its top-level JSON is an array, not an object of describe-* output (was it written with --query? keep the call's whole output, e.g. {\"SecurityGroups\": [...]})",
		base + "/health.json:1:30: TargetHealthDescriptions skipped: the file does not say which target group they belong to; name it after the group (elbv2-describe-target-health-<name>-<id>.json, the id being the last part of the group's ARN) or add \"TargetGroupArn\" beside the list",
		base + "/unknown.json:2:14: unknown key \"Buckets\" skipped: not the output of a describe-* call ecsnet reads",
		base + "/unknown.json:3:21: VpnConnections skipped: ecsnet does not model VPN connections",
		base + "/wrong.json:2:18: NatGateways skipped: expected a list, found an object",
		base + "/wrong.json:4:25: an element of SecurityGroups skipped: field IpPermissions: string where another type belongs",
	}
	var got []string
	for _, w := range res.Warnings {
		if w.Code != snapshot.CodeMissing && w.Code != snapshot.CodeLayout {
			got = append(got, w.String())
		}
	}
	slices.Sort(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	st := state(res)
	if len(st.VPCs) != 1 || len(st.Subnets) != 1 || len(st.SecurityGroups) != 1 || res.Region != "eu-west-1" {
		t.Errorf("loaded %d VPCs, %d subnets, %d groups in %s", len(st.VPCs), len(st.Subnets), len(st.SecurityGroups), res.Region)
	}
}

func TestNotAFolder(t *testing.T) {
	dir := t.TempDir()
	if _, err := snapshot.Load(dir); err == nil || !strings.Contains(err.Error(), "no JSON files") {
		t.Errorf("empty folder: %v", err)
	}
	path := filepath.Join(dir, "x.json")
	writeFile(t, path, vpcsJSON)
	if _, err := snapshot.Load(path); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("a file: %v", err)
	}
	if _, err := snapshot.Load(filepath.Join(dir, "nope")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

// Invalid JSON anywhere in a file is an error, wherever the reader would
// otherwise skip or decode: inside a list element, under a key it does
// not read, after the top-level object.
func TestInvalidJSONEverywhere(t *testing.T) {
	for _, c := range []struct{ name, content, where string }{
		{"element", "{\"Vpcs\": [\n  {\"VpcId\": \"vpc-1\",}\n]}", ":2:21:"},
		{"unknown key", "{\"Buckets\": [1, 2,, 3],\n \"Vpcs\": []}", ":1:19:"},
		{"trailing", "{\"Vpcs\": []} x", ":1:14:"},
		{"unterminated string", "{\"Vpcs\": [{\"VpcId\": \"vpc-1}]}", ":1:30:"},
		{"empty", "", ":1:1:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "us-east-1", "f.json"), c.content)
			_, err := snapshot.Load(dir)
			var se *snapshot.SyntaxError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), "us-east-1/f.json"+c.where) {
				t.Errorf("Load = %v, want a syntax error at f.json%s", err, c.where)
			}
		})
	}
}
