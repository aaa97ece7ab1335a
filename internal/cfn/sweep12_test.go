package cfn_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// deploySweep deploys a template of testdata/sweep into a new engine.
func deploySweep(t *testing.T, name string, params map[string]string) (*cfn.Stack, *model.State, error) {
	t.Helper()
	tpl, err := cfn.ReadTemplate("testdata/sweep/" + name)
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	s, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "sweep", Parameters: params})
	st, _ := e.Snapshot()
	return s, st, err
}

func output(t *testing.T, s *cfn.Stack, name string) string {
	t.Helper()
	v, ok := s.Output(name)
	if !ok {
		t.Fatalf("no output %s", name)
	}
	return v
}

// TestSweepEFSVolume: a task definition's EFS volume reaches ECS under the
// API's names (efsVolumeConfiguration, fileSystemId, iam), with the file
// system's and access point's ids in their shapes (fs-…, fsap-…).
func TestSweepEFSVolume(t *testing.T) {
	s, st, err := deploySweep(t, "efs-volume.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	fs, ap := output(t, s, "FileSystemId"), output(t, s, "AccessPointId")
	if !regexp.MustCompile(`^fs-[0-9a-f]{17}$`).MatchString(fs) || !regexp.MustCompile(`^fsap-[0-9a-f]{17}$`).MatchString(ap) {
		t.Errorf("Ref of the file system = %q, of the access point = %q, want fs-… and fsap-… ids", fs, ap)
	}
	if arn := output(t, s, "FileSystemArn"); arn != "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/"+fs {
		t.Errorf("FileSystem.Arn = %q", arn)
	}
	var td *model.TaskDefinition
	for _, d := range st.TaskDefinitions {
		if d.Family == "efs-task" {
			td = d
		}
	}
	if td == nil {
		t.Fatal("no task definition efs-task")
	}
	vols, _ := td.Raw["volumes"].([]any)
	if len(vols) != 1 {
		t.Fatalf("volumes = %v", td.Raw["volumes"])
	}
	efs, _ := vols[0].(map[string]any)["efsVolumeConfiguration"].(map[string]any)
	auth, _ := efs["authorizationConfig"].(map[string]any)
	if efs["fileSystemId"] != fs || efs["transitEncryption"] != "ENABLED" || auth["iam"] != "ENABLED" || auth["accessPointId"] != ap {
		t.Errorf("volume = %v, want efsVolumeConfiguration with fileSystemId %s, transitEncryption and authorizationConfig.iam ENABLED, accessPointId %s", vols[0], fs, ap)
	}
}

// TestSweepPlaceholderShapes: what Ref and Fn::GetAtt return for
// resources ecsnet does not model has the shape AWS gives it.
func TestSweepPlaceholderShapes(t *testing.T) {
	s, _, err := deploySweep(t, "placeholders.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	api := output(t, s, "ApiId")
	for name, re := range map[string]string{
		"ApiId":        `^[0-9a-z]{10}$`,
		"ApiEndpoint":  `^https://` + regexp.QuoteMeta(api) + `\.execute-api\.us-east-1\.amazonaws\.com$`,
		"VpcLinkId":    `^[0-9a-z]{6}$`,
		"TargetId":     `^service/production/nginx\|ecs:service:DesiredCount\|ecs$`,
		"PolicyArn":    `^arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:[0-9a-f-]{36}:resource/ecs/service/production/nginx:policyName/scale/production/nginx/up$`,
		"FunctionName": `^sweep-[A-Za-z0-9]+-[0-9A-F]{12}$`,
		"FunctionArn":  `^arn:aws:lambda:us-east-1:123456789012:function:sweep-`,
	} {
		if v := output(t, s, name); !regexp.MustCompile(re).MatchString(v) {
			t.Errorf("%s = %q, want %s", name, v, re)
		}
	}
	if n := output(t, s, "FunctionName"); len(n) > 64 {
		t.Errorf("function name %q is %d characters, Lambda's limit is 64", n, len(n))
	}
}

// TestSweepCloudMapHealth: a Cloud Map service keeps its custom health
// check's FailureThreshold; a Route 53 health check in a private
// namespace fails the service as Cloud Map refuses it.
func TestSweepCloudMapHealth(t *testing.T) {
	s, st, err := deploySweep(t, "cloudmap-health.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	d := st.DiscoveryServices[output(t, s, "ServiceId")]
	if d == nil || !d.CustomHealth || d.CustomThreshold != 1 || d.HealthCheck != nil {
		t.Errorf("discovery service = %+v, want a custom health check with FailureThreshold 1", d)
	}
	_, _, err = deploySweep(t, "cloudmap-health.yaml", map[string]string{"Route53": "yes"})
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Resource != "Frontend" || !strings.Contains(ce.Msg, "HealthCheckConfig is only supported for services in public DNS namespaces and HTTP namespaces.") {
		t.Errorf("with a Route 53 health check: %v, want Frontend failed with Cloud Map's refusal", err)
	}
}
