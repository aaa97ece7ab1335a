package terraform_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/terraform"
)

// loadErrs loads a configuration that must fail and returns its errors.
func loadErrs(t *testing.T, dir string) terraform.Errors {
	t.Helper()
	_, err := terraform.Load(dir, terraform.Options{})
	var es terraform.Errors
	if !errors.As(err, &es) {
		var e *terraform.Error
		if !errors.As(err, &e) {
			t.Fatalf("Load(%s): err = %v, want configuration errors", dir, err)
		}
		es = terraform.Errors{e}
	}
	return es
}

// TestSweep20ObjectForString: `subnet_id = aws_subnet.x` (the `.id`
// forgotten) is an object where the provider's schema takes a string;
// Terraform refuses it with "Incorrect attribute value type". ecsnet read
// it as an absent argument ("Missing required argument").
func TestSweep20ObjectForString(t *testing.T) {
	es := loadErrs(t, "testdata/sweep20-object-string")
	want := `main.tf:28: aws_nat_gateway.nat: Incorrect attribute value type: Inappropriate value for attribute "subnet_id": string required.`
	if len(es) != 1 || !strings.HasSuffix(es[0].Error(), want) {
		t.Fatalf("errors %v\nwant %s", es, want)
	}
}

// TestSweep20ECSPinnedV5: the ECS module pinned to 5.11.3 declares neither
// capacity_providers nor default_capacity_provider_strategy (v2–v3 and v6
// do); Terraform refuses each. ecsnet's stand-in, which takes the
// variables of every release, read them.
func TestSweep20ECSPinnedV5(t *testing.T) {
	es := loadErrs(t, "testdata/sweep20-ecs-v5-args")
	if len(es) != 2 {
		t.Fatalf("errors %v, want 2", es)
	}
	for i, w := range []string{`main.tf:14: module.ecs_cluster: Unsupported argument: An argument named "capacity_providers"`,
		`main.tf:15: module.ecs_cluster: Unsupported argument: An argument named "default_capacity_provider_strategy"`} {
		if !strings.Contains(es[i].Error(), w) || !strings.Contains(es[i].Error(), `(v5)`) {
			t.Errorf("error %d = %s\nwant %s", i, es[i], w)
		}
	}
}

// TestSweep20ContainerJSONShape: container_definitions whose JSON does not
// decode into the SDK's ContainerDefinition (environment a string, a port
// mapping's protocol a list, a port a string) are refused at plan, as the
// provider's validation refuses them; ecsnet registered them, dropping the
// value (or reading the string as a number).
func TestSweep20ContainerJSONShape(t *testing.T) {
	es := loadErrs(t, "testdata/sweep20-container-json")
	want := []string{
		`main.tf:14: aws_ecs_task_definition.this: ECS Task Definition container_definitions is invalid: decoding JSON: json: cannot unmarshal string into Go struct field ContainerDefinition.Environment of type []types.KeyValuePair`,
		`main.tf:35: aws_ecs_task_definition.nested: ECS Task Definition container_definitions is invalid: decoding JSON: json: cannot unmarshal array into Go struct field PortMapping.PortMappings.Protocol of type types.TransportProtocol`,
		`main.tf:53: aws_ecs_task_definition.quoted: ECS Task Definition container_definitions is invalid: decoding JSON: json: cannot unmarshal string into Go struct field PortMapping.PortMappings.ContainerPort of type int32`,
	}
	if len(es) != len(want) {
		t.Fatalf("errors %v, want %d", es, len(want))
	}
	for i, w := range want {
		if !strings.HasSuffix(es[i].Error(), w) {
			t.Errorf("error %d = %s\nwant %s", i, es[i], w)
		}
	}
}

// TestSweep20DiscoveryHealthConfig: an aws_service_discovery_service's
// health_check_custom_config makes a custom-health service (ECS reports
// its tasks' health), as the CloudFormation reader does; ecsnet dropped
// it with a warning. A health_check_config (Route 53 checks) in a private
// namespace is refused, as Cloud Map refuses it.
func TestSweep20DiscoveryHealthConfig(t *testing.T) {
	res := load(t, "testdata/sweep20-sd-health", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "health_check_custom_config") {
			t.Errorf("warning: %s", w)
		}
	}
	st, _ := res.Engine.Snapshot()
	found := false
	for _, s := range st.DiscoveryServices {
		if s.Name == "service-b" {
			found = true
			if !s.CustomHealth || s.CustomThreshold != 1 {
				t.Errorf("service-b: custom health %v threshold %d, want true 1", s.CustomHealth, s.CustomThreshold)
			}
		}
	}
	if !found {
		t.Fatal("no Cloud Map service service-b")
	}
	_, err := terraform.Load("testdata/sweep20-sd-health", terraform.Options{Vars: map[string]string{"route53_check": "true"}})
	if err == nil || !strings.Contains(err.Error(), "aws_service_discovery_service.checked") {
		t.Errorf("health_check_config in a private namespace: err = %v, want Cloud Map's refusal", err)
	}
}

// TestSweep20ProviderWithoutRegion: a provider block without region takes
// AWS_REGION (or AWS_DEFAULT_REGION), as the provider does; without
// either, ecsnet reads the configuration in us-east-1 with a warning, and
// when AWS then refuses something (the subnet's eu-central-1a) the note
// comes with the refusal. Before, us-east-1 was taken unsaid.
func TestSweep20ProviderWithoutRegion(t *testing.T) {
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none")) // no profile region
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "eu-central-1")
	res := load(t, "testdata/sweep20-no-region", nil)
	if res.Region != "eu-central-1" {
		t.Errorf("region %s, want AWS_REGION's eu-central-1", res.Region)
	}
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "eu-central-1")
	if res := load(t, "testdata/sweep20-no-region", nil); res.Region != "eu-central-1" {
		t.Errorf("region %s, want AWS_DEFAULT_REGION's eu-central-1", res.Region)
	}
	// No provider block at all: the provider's region comes from the
	// environment all the same.
	dir := t.TempDir()
	src, _ := os.ReadFile("testdata/sweep20-no-region/main.tf")
	noBlock := regexp.MustCompile(`(?s)provider "aws" \{.*?\n\}\n`).ReplaceAllString(string(src), "")
	if noBlock == string(src) {
		t.Fatal("the configuration has no provider block to take out")
	}
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(noBlock), 0o644)
	if res := load(t, dir, nil); res.Region != "eu-central-1" {
		t.Errorf("no provider block: region %s, want AWS_DEFAULT_REGION's eu-central-1", res.Region)
	}
	t.Setenv("AWS_DEFAULT_REGION", "")
	es := loadErrs(t, "testdata/sweep20-no-region")
	if len(es) != 2 || !strings.Contains(es[1].Error(), "eu-central-1a") ||
		!strings.HasSuffix(es[0].File, "main.tf") || es[0].Line != 4 || !strings.Contains(es[0].Msg, `provider "aws" sets no region`) {
		t.Errorf("errors %v, want the subnet's refusal and the provider's note", es)
	}
}

// TestProviderRegionFromProfile: a provider block without region, with no
// AWS_REGION or AWS_DEFAULT_REGION, takes the region of its profile in the
// shared config file, as the provider does: the profile argument, else
// AWS_PROFILE, else default; the file shared_config_files names, else
// AWS_CONFIG_FILE. Before round twenty-one ecsnet read such a
// configuration in us-east-1 with a warning.
func TestProviderRegionFromProfile(t *testing.T) {
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_PROFILE", "")
	dir := t.TempDir()
	conf := filepath.Join(dir, "config")
	os.WriteFile(conf, []byte("# shared config\n[default]\nregion = eu-central-1\n\n[profile prod]\noutput = json\nregion=eu-west-1\n[sso-session x]\nregion = ap-south-1\n"), 0o644)
	t.Setenv("AWS_CONFIG_FILE", conf)
	res := load(t, "testdata/sweep20-no-region", nil)
	if res.Region != "eu-central-1" || len(res.Warnings) != 0 {
		t.Errorf("region %s (warnings %v), want the default profile's eu-central-1", res.Region, res.Warnings)
	}
	// prod's eu-west-1 has no zone eu-central-1a: EC2 refuses the subnet
	// there, naming the region's zones.
	inWest1 := func(what, dir string) {
		t.Helper()
		if es := loadErrs(t, dir); len(es) != 1 || !strings.Contains(es[0].Msg, "availability zones: eu-west-1a") {
			t.Errorf("%s: errors %v, want the subnet refused in eu-west-1", what, es)
		}
	}
	t.Setenv("AWS_PROFILE", "prod")
	inWest1("AWS_PROFILE=prod", "testdata/sweep20-no-region")
	// The provider's own profile and shared_config_files.
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "none"))
	src, _ := os.ReadFile("testdata/sweep20-no-region/main.tf")
	withProfile := strings.Replace(string(src), `provider "aws" {`, `provider "aws" {
  profile             = "prod"
  shared_config_files = ["`+conf+`"]`, 1)
	if withProfile == string(src) {
		t.Fatal("no provider block to give a profile")
	}
	cfgDir := t.TempDir()
	os.WriteFile(filepath.Join(cfgDir, "main.tf"), []byte(withProfile), 0o644)
	inWest1("the profile argument", cfgDir)
	// A profile without a region: us-east-1 and the note, as before.
	t.Setenv("AWS_CONFIG_FILE", conf)
	t.Setenv("AWS_PROFILE", "none")
	if es := loadErrs(t, "testdata/sweep20-no-region"); len(es) != 2 || !strings.Contains(es[0].Msg, `provider "aws" sets no region`) {
		t.Errorf("a profile without region: errors %v, want the note and the refusal", es)
	}
}

// TestSweep20VPCModuleProviderConstraint: the VPC module without a
// version is v6, which requires hashicorp/aws >= 6.0; with the provider
// pinned to 4.17.1, terraform init finds no release. ecsnet's stand-in
// brought no constraint, and the configuration was read.
func TestSweep20VPCModuleProviderConstraint(t *testing.T) {
	es := loadErrs(t, "testdata/sweep20-vpc-provider")
	if len(es) != 1 || !strings.Contains(es[0].Msg, "no available releases match the given constraints 4.17.1, >= 6.0") ||
		!strings.Contains(es[0].Msg, "terraform-aws-modules/vpc/aws v6") {
		t.Fatalf("errors %v", es)
	}
	// Pinned to v3, whose constraint ecsnet does not list: read.
	dir := t.TempDir()
	src, _ := os.ReadFile("testdata/sweep20-vpc-provider/main.tf")
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(strings.Replace(string(src), `source  = "terraform-aws-modules/vpc/aws"`, `source  = "terraform-aws-modules/vpc/aws"
  version = "3.19.0"`, 1)), 0o644)
	load(t, dir, nil)
}

// TestSweep20AMIArchitecture: aws_ami answers the catalogue's image its
// name filter selects, with its architecture, so that an x86_64 image on
// a Graviton type (or arm64 on x86_64) fails as on AWS: EC2 refuses the
// launch, the group's scaling activity says so, and the provider's
// capacity waiter fails the apply. Before, every aws_ami query answered
// one placeholder image of no architecture, and the group stayed empty
// unsaid.
func TestSweep20AMIArchitecture(t *testing.T) {
	res := load(t, "testdata/sweep20-ami-arch", nil)
	if !strings.HasSuffix(res.Outputs["ami"], "-arm64-ebs arm64") {
		t.Errorf("ami %q, want the arm64 ECS image", res.Outputs["ami"])
	}
	st, _ := res.Engine.Snapshot()
	if len(st.Instances) != 1 {
		t.Errorf("%d instances, want 1 on t4g.small", len(st.Instances))
	}
	for _, c := range []map[string]string{{"arch": "x86_64"}, {"instance_type": "t3.small"}} {
		_, err := terraform.Load("testdata/sweep20-ami-arch", terraform.Options{Vars: c})
		if err == nil || !strings.Contains(err.Error(), "aws_autoscaling_group.ecs: waiting for Auto Scaling Group (ds2-dev-ecs-asg) capacity satisfied: scaling activity (") ||
			!strings.Contains(err.Error(), "does not match the architecture") {
			t.Errorf("%v: err = %v, want the capacity waiter's failure", c, err)
		}
	}
}

// TestSweep20StandInListenerRace: the listener race through the ALB
// stand-in names the module call ("the listeners of module.alb"), not the
// stand-in's own blocks (module.alb.aws_lb_listener.this and .v8, one of
// them with no instance); the fix is depends_on = [module.alb].
func TestSweep20StandInListenerRace(t *testing.T) {
	es := loadErrs(t, "testdata/sweep20-module-listener")
	if len(es) != 1 || !strings.Contains(es[0].Msg, "(the listeners of module.alb put the target group behind the load balancer") ||
		!strings.Contains(es[0].Msg, `add depends_on = [module.alb] to module "ecs_service"`) || strings.Contains(es[0].Msg, "aws_lb_listener") {
		t.Fatalf("errors %v", es)
	}
}

// TestSweep20ServiceBeforeNAT: a service Terraform creates before the NAT
// gateway its private subnet needs (nothing orders them) fails its first
// starts; ECS keeps retrying with back-off, so after apply its tasks run.
// ecsnet's scheduler stopped after three failures and reported the
// service never steady. Without any NAT gateway the image pull still
// fails.
func TestSweep20ServiceBeforeNAT(t *testing.T) {
	res := load(t, "testdata/sweep20-service-before-nat", nil)
	st, _ := res.Engine.Snapshot()
	running := 0
	for _, tk := range st.Tasks {
		if tk.LastStatus == "RUNNING" {
			running++
		}
	}
	if running != 2 {
		t.Errorf("%d tasks running, want 2", running)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "0 of 2 tasks running") {
			t.Errorf("warning: %s", w)
		}
	}
	res = load(t, "testdata/sweep20-service-before-nat", map[string]string{"nat": "false"})
	st, _ = res.Engine.Snapshot()
	for _, tk := range st.Tasks {
		if tk.LastStatus == "RUNNING" {
			t.Errorf("task %s running without a NAT gateway", tk.ARN)
		}
	}
}
