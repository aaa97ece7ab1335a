package cfn_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// loadALBWithLogs is the ALB sample whose load balancer writes its access
// logs to a template bucket (prefix "alb"), with the policy given
// (appended after the load balancer: without DependsOn it comes later);
// dependsOn makes the load balancer wait for it.
func loadALBWithLogs(t *testing.T, policy string, dependsOn bool) (*cfn.Result, error) {
	t.Helper()
	b, err := os.ReadFile(repoFile("examples/cfn/alb.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := string(b)
	lb := "  LoadBalancer:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n"
	if !strings.Contains(tmpl, lb) {
		t.Fatal("alb.yaml's load balancer moved")
	}
	with := lb
	if dependsOn {
		with += "    DependsOn: LogsPolicy\n"
	}
	tmpl = strings.Replace(tmpl, lb, with, 1)
	tmpl = strings.Replace(tmpl, "        - Key: idle_timeout.timeout_seconds\n", `        - {Key: access_logs.s3.enabled, Value: "true"}
        - {Key: access_logs.s3.bucket, Value: !Ref LogsBucket}
        - {Key: access_logs.s3.prefix, Value: alb}
        - Key: idle_timeout.timeout_seconds
`, 1)
	i := strings.Index(tmpl, "\nOutputs:")
	extra := `
  LogsBucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: {Status: Enabled}
      Tags: [{Key: team, Value: web}]
`
	if policy != "" {
		extra += `  LogsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref LogsBucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
` + policy
	}
	tmpl = tmpl[:i] + extra + tmpl[i:]
	path := filepath.Join(t.TempDir(), "alb-logs.yaml")
	if err := os.WriteFile(path, []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfn.Load(path, nil, engine.WithStartCheck(reach.StartCheck))
}

// An ALB's access logs to a template's bucket: ELB checks the bucket's
// policy when the attribute is set, so the load balancer fails unless the
// policy, created before it, lets the region's ELB account or the log
// delivery service write there, its conditions holding.
func TestS3BucketAccessLogPolicy(t *testing.T) {
	const denied = "Access Denied for bucket: "
	elbAccount := `          - Effect: Allow
            Principal: {AWS: "arn:aws:iam::127311923021:root"}
            Action: s3:PutObject
            Resource: !Sub "arn:aws:s3:::${LogsBucket}/alb/AWSLogs/${AWS::AccountId}/*"
`
	service := func(cond string) string {
		return `          - Effect: Allow
            Principal: {Service: logdelivery.elasticloadbalancing.amazonaws.com}
            Action: s3:PutObject
            Resource: !Sub "${LogsBucket.Arn}/alb/AWSLogs/${AWS::AccountId}/*"
` + cond
	}
	cases := []struct {
		name, policy string
		dependsOn    bool
		fails        bool
	}{
		{"no policy", "", false, true},
		{"the ELB account, after the load balancer", elbAccount, false, true},
		{"the ELB account", elbAccount, true, false},
		{"the service principal", service(""), true, false},
		{"the service principal, for this account", service(`            Condition:
              StringEquals: {"aws:SourceAccount": !Ref "AWS::AccountId"}
              ArnLike: {"aws:SourceArn": !Sub "arn:aws:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:loadbalancer/*"}
`), true, false},
		{"the service principal, for another account", service(`            Condition:
              StringEquals: {"aws:SourceAccount": "111122223333"}
`), true, true},
		{"the ELB account, with a source account condition it does not carry", strings.Replace(elbAccount, "            Action:", `            Condition: {StringEquals: {"aws:SourceAccount": !Ref "AWS::AccountId"}}
            Action:`, 1), true, true},
		{"the wrong prefix", strings.Replace(elbAccount, "/alb/", "/other/", 1), true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := loadALBWithLogs(t, tc.policy, tc.dependsOn)
			if tc.fails {
				var ce *cfn.Error
				if err == nil || !strings.Contains(err.Error(), denied) || !errors.As(err, &ce) || ce.Resource != "LoadBalancer" {
					t.Fatalf("got %v, want LoadBalancer to fail with %q", err, denied)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var b *model.Bucket
			res.Engine.Read(func(st *model.State) {
				for _, x := range st.Buckets {
					b = x
				}
			})
			if b == nil || b.Name != res.PhysicalIDs["LogsBucket"] || !strings.Contains(b.Name, "-logsbucket-") || b.Versioning != "Enabled" ||
				b.Tags["team"] != "web" || b.Name != strings.ToLower(b.Name) || len(b.Name) > 63 {
				t.Errorf("bucket %+v", b)
			}
		})
	}
}
