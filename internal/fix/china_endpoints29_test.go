package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestChinaEndpointFix29: the private Fargate service without an ecr.api
// endpoint, in cn-north-1: the scenario's short endpoint names become
// China's (cn.com.amazonaws.cn-north-1.ecr.dkr; logs and S3's gateway keep
// com.amazonaws), the analyzer finds the pull through them, and the
// verified fix creates cn.com.amazonaws.cn-north-1.ecr.api, the name EC2
// takes there.
func TestChinaEndpointFix29(t *testing.T) {
	e := load(t, "../../examples/failures/fargate-pv14-no-ecr-api.yaml", func(s string) string {
		return "region: cn-north-1\n" + strings.ReplaceAll(strings.ReplaceAll(s, "us-east-1", "cn-north-1"), "amazonaws.com/", "amazonaws.com.cn/")
	})
	names := map[string]string{}
	e.Read(func(st *model.State) {
		for _, ep := range st.VpcEndpoints {
			names[ep.Tags.Name()] = ep.ServiceName
		}
	})
	for name, want := range map[string]string{"ecr-dkr": "cn.com.amazonaws.cn-north-1.ecr.dkr", "logs": "com.amazonaws.cn-north-1.logs", "s3": "com.amazonaws.cn-north-1.s3"} {
		if names[name] != want {
			t.Errorf("endpoint %s: service %q, want %q", name, names[name], want)
		}
	}
	fixes, res, err := fix.Find(e, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.HTTP503 || !res.HasCode(reach.CodeImagePullFailed) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	for _, f := range fixes {
		if strings.HasPrefix(f.Title, "Add the VPC endpoint ecr.api") {
			if f.Verification.Verdict != reach.HTTP200 || !strings.Contains(strings.Join(f.Commands, "\n"), "--service-name cn.com.amazonaws.cn-north-1.ecr.api ") {
				t.Errorf("fix %q: verified %s, commands %q", f.Title, f.Verification.Verdict, f.Commands)
			}
			return
		}
	}
	t.Errorf("no ecr.api endpoint fix in %+v", fixes)
}
