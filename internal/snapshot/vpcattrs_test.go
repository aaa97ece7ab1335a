package snapshot_test

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// vpcsFile is describe-vpcs of a default VPC and two nondefault ones.
const vpcsFile = `{"Vpcs": [
 {"VpcId": "vpc-default", "CidrBlock": "172.31.0.0/16", "IsDefault": true, "State": "available"},
 {"VpcId": "vpc-app", "CidrBlock": "10.0.0.0/16", "IsDefault": false, "State": "available"},
 {"VpcId": "vpc-db", "CidrBlock": "10.1.0.0/16", "IsDefault": false, "State": "available"}
]}
`

func vpcDNS(t *testing.T, res *snapshot.Result) map[string][2]bool {
	t.Helper()
	st, _ := res.Engine.Snapshot()
	out := map[string][2]bool{}
	for id, v := range st.VPCs {
		out[string(id)] = [2]bool{v.EnableDNSSupport, v.EnableDNSHostnames}
	}
	return out
}

// describe-vpc-attribute's outputs, as the aws CLI prints them, set the
// VPCs' DNS attributes; a VPC without them keeps AWS's defaults with a
// warning naming it; without any, one warning names the call. A bad file
// is a warning at its line and column.
func TestVPCAttributes(t *testing.T) {
	t.Run("read", func(t *testing.T) {
		dir := t.TempDir()
		region := filepath.Join(dir, "aws_configs", "us-east-1")
		writeFile(t, filepath.Join(region, "ec2-describe-vpcs.json"), vpcsFile)
		for _, f := range []struct{ vpc, attr, key, value string }{
			{"vpc-default", "enableDnsSupport", "EnableDnsSupport", "true"},
			{"vpc-default", "enableDnsHostnames", "EnableDnsHostnames", "false"},
			{"vpc-app", "enableDnsSupport", "EnableDnsSupport", "true"},
			{"vpc-app", "enableDnsHostnames", "EnableDnsHostnames", "true"},
			{"vpc-db", "enableDnsSupport", "EnableDnsSupport", "false"},
		} {
			writeFile(t, filepath.Join(region, snapshot.VPCAttributeFileName(f.vpc, f.attr)),
				"{\n    \"VpcId\": \""+f.vpc+"\",\n    \""+f.key+"\": {\n        \"Value\": "+f.value+"\n    }\n}\n")
		}
		res := load(t, dir)
		want := map[string][2]bool{"vpc-default": {true, false}, "vpc-app": {true, true}, "vpc-db": {false, false}}
		if got := vpcDNS(t, res); got["vpc-default"] != want["vpc-default"] || got["vpc-app"] != want["vpc-app"] || got["vpc-db"] != want["vpc-db"] {
			t.Errorf("DNS (support, hostnames): %v, want %v", got, want)
		}
		var missing []string
		for _, w := range res.Warnings {
			if !strings.Contains(w.Message, "describe-vpc-attribute") && !strings.Contains(w.Message, "Dns") {
				continue // the calls this test leaves out
			}
			if w.Code == snapshot.CodeMissing {
				missing = append(missing, w.Resource+": "+w.Message)
				continue
			}
			t.Errorf("warning: %s", w)
		}
		if len(missing) != 1 || !strings.HasPrefix(missing[0], "vpc-db: VPC vpc-db has no ec2 describe-vpc-attribute --attribute enableDnsHostnames output: taken as AWS's default (off") {
			t.Errorf("missing warnings: %q", missing)
		}
	})
	t.Run("defaults", func(t *testing.T) {
		dir := t.TempDir()
		region := filepath.Join(dir, "aws_configs", "us-east-1")
		writeFile(t, filepath.Join(region, "ec2-describe-vpcs.json"), vpcsFile)
		res := load(t, dir)
		want := map[string][2]bool{"vpc-default": {true, true}, "vpc-app": {true, false}, "vpc-db": {true, false}}
		if got := vpcDNS(t, res); got["vpc-default"] != want["vpc-default"] || got["vpc-app"] != want["vpc-app"] || got["vpc-db"] != want["vpc-db"] {
			t.Errorf("DNS (support, hostnames): %v, want %v", got, want)
		}
		n := 0
		for _, w := range res.Warnings {
			if strings.HasPrefix(w.Message, "no ec2 describe-vpc-attribute output: VPCs' DNS attributes are unknown: taken as AWS's defaults") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d warnings name the missing call: %v", n, res.Warnings)
		}
	})
	t.Run("bad files", func(t *testing.T) {
		dir := t.TempDir()
		region := filepath.Join(dir, "aws_configs", "us-east-1")
		writeFile(t, filepath.Join(region, "ec2-describe-vpcs.json"), vpcsFile)
		writeFile(t, filepath.Join(region, "a.json"), "{\n  \"EnableDnsHostnames\": {\"Value\": true}\n}\n")
		writeFile(t, filepath.Join(region, "b.json"), "{\n  \"VpcId\": \"vpc-app\",\n  \"EnableDnsSupport\": {\"Value\": \"yes\"}\n}\n")
		writeFile(t, filepath.Join(region, "c.json"), "{\"VpcId\": \"vpc-gone\", \"EnableDnsSupport\": {\"Value\": false}}\n")
		res := load(t, dir)
		want := map[string]string{
			"a.json:2:25": "EnableDnsHostnames skipped: the file does not say which VPC it belongs to",
			"b.json:3:24": "EnableDnsSupport skipped: field Value",
			"c.json:1:43": "EnableDnsSupport of vpc-gone skipped: the VPC is not in describe-vpcs",
		}
		for _, w := range res.Warnings {
			at := fmt.Sprintf("%s:%d:%d", filepath.Base(w.File), w.Line, w.Column)
			if m, ok := want[at]; ok && strings.HasPrefix(w.Message, m) {
				delete(want, at)
			}
		}
		if len(want) != 0 {
			t.Errorf("warnings not given: %v\namong %v", want, res.Warnings)
		}
		if got := vpcDNS(t, res); !got["vpc-app"][0] {
			t.Errorf("vpc-app's DNS support taken from a bad value: %v", got)
		}
	})
	t.Run("Write", func(t *testing.T) {
		st := model.NewState("111122223333", "us-east-1")
		st.VPCs["vpc-app"] = &model.VPC{ID: "vpc-app", EnableDNSSupport: true, EnableDNSHostnames: true}
		st.VPCs["vpc-db"] = &model.VPC{ID: "vpc-db", EnableDNSSupport: false}
		for _, v := range st.VPCs {
			v.CIDR = netip.MustParsePrefix(map[model.VpcID]string{"vpc-app": "10.0.0.0/16", "vpc-db": "10.1.0.0/16"}[v.ID])
		}
		dir, _ := writeSnapshot(t, st)
		got := vpcDNS(t, load(t, dir))
		if got["vpc-app"] != [2]bool{true, true} || got["vpc-db"] != [2]bool{false, false} {
			t.Errorf("written and read: %v", got)
		}
	})
}
