package terraform_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestSweep21RouteTables: data "aws_route_tables" answers the ids of the
// VPC's route tables that match (none is an empty list), so a gateway
// endpoint on them routes S3's prefix list from the main table. ecsnet
// did not model the data source: its ids were unknown, the endpoint got
// no route table, and S3 went out through the internet gateway.
func TestSweep21RouteTables(t *testing.T) {
	res := load(t, "testdata/sweep21-route-tables", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "aws_route_tables") {
			t.Errorf("warning: %s", w)
		}
	}
	if res.Outputs["tables"] != "1" || res.Outputs["not_main"] != "0" {
		t.Errorf("outputs %v, want 1 table and 0 not main", res.Outputs)
	}
	st, _ := res.Engine.Snapshot()
	routed := false
	for _, rt := range st.RouteTables {
		for _, r := range rt.Routes {
			if rt.IsMain() && r.DestinationPrefixList != "" && r.Target == model.TargetVpcEndpoint {
				routed = true
			}
		}
	}
	if !routed {
		t.Error("the main route table has no route to the S3 gateway endpoint")
	}
}

// TestSweep21AllowedAccounts: the provider's allowed_account_ids (and
// forbidden_account_ids) are checked against the credentials' account
// before anything is planned: "AWS account ID not allowed: <account>".
// ecsnet ignored both: the configuration was read in 123456789012 unsaid,
// and on a --base of another account it was applied where Terraform
// refuses. Without a base, the first allowed account is the one emulated.
func TestSweep21AllowedAccounts(t *testing.T) {
	const dir = "testdata/sweep21-allowed-account"
	res := load(t, dir, nil)
	if res.Outputs["account"] != "988857891049" || !strings.Contains(res.Outputs["vpc_arn"], ":988857891049:vpc/") {
		t.Errorf("outputs %v, want account 988857891049", res.Outputs)
	}
	_, err := terraform.Load(dir, terraform.Options{Base: engine.New()})
	if err == nil || !strings.Contains(err.Error(), "main.tf:5: AWS account ID not allowed: 123456789012") {
		t.Errorf("on a base of 123456789012: err = %v, want the provider's refusal", err)
	}
	_, err = terraform.Load(dir, terraform.Options{Vars: map[string]string{"forbid": "true"}})
	if err == nil || !strings.Contains(err.Error(), "AWS account ID not allowed: 123456789012") {
		t.Errorf("forbidden 123456789012: err = %v, want the provider's refusal", err)
	}
}

// TestSweep21EndpointSchema: an argument aws_vpc_endpoint has in no
// provider release (name, as a tag would be) is Terraform's "Unsupported
// argument" at validate. ecsnet warned that it did not read it and
// created the endpoint.
func TestSweep21EndpointSchema(t *testing.T) {
	es := loadErrs(t, "testdata/sweep21-endpoint-name")
	want := `main.tf:20: aws_vpc_endpoint.ecs: Unsupported argument: An argument named "name" is not expected here.`
	if len(es) != 1 || !strings.HasSuffix(es[0].Error(), want) {
		t.Fatalf("errors %v\nwant %s", es, want)
	}
}

// TestSweep21GatewayEndpointSubnets: an S3 Gateway endpoint given
// subnet_ids is refused by EC2 (the provider sends them whatever the
// type): "Subnet IDs are only supported for Interface and
// GatewayLoadBalancer type VPC Endpoints." ecsnet created it, the subnets
// ignored. With route tables instead, it is made.
func TestSweep21GatewayEndpointSubnets(t *testing.T) {
	const dir = "testdata/sweep21-gateway-subnets"
	es := loadErrs(t, dir)
	if len(es) != 1 || !strings.Contains(es[0].Error(), "aws_vpc_endpoint.s3: InvalidParameter: Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints.") {
		t.Fatalf("errors %v", es)
	}
	load(t, dir, map[string]string{"s3_subnets": "false"})
}

// TestSweep21ECRRepositoryData: data "aws_ecr_repository" reads the
// repository back (its URL and ARN are the resource's); one that does not
// exist fails the read with ECR's RepositoryNotFoundException. ecsnet did
// not model the data source: placeholders and "not modeled".
func TestSweep21ECRRepositoryData(t *testing.T) {
	const dir = "testdata/sweep21-ecr-data"
	res := load(t, dir, nil)
	if res.Outputs["url"] != "123456789012.dkr.ecr.us-east-1.amazonaws.com/softserv_app" || res.Outputs["same"] != "true" {
		t.Errorf("outputs %v", res.Outputs)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "aws_ecr_repository") {
			t.Errorf("warning: %s", w)
		}
	}
	es := loadErrsVars(t, dir, map[string]string{"lookup": "other"})
	want := `main.tf:18: data.aws_ecr_repository.default: reading ECR Repository (other): RepositoryNotFoundException: The repository with name 'other' does not exist in the registry with id '123456789012'`
	if len(es) != 1 || !strings.HasSuffix(es[0].Error(), want) {
		t.Errorf("errors %v\nwant %s", es, want)
	}
}

// loadErrsVars loads a configuration with variables that must fail.
func loadErrsVars(t *testing.T, dir string, vars map[string]string) terraform.Errors {
	t.Helper()
	_, err := terraform.Load(dir, terraform.Options{Vars: vars})
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

// TestSweep21ECSContainerSpelling: the ECS service module without a
// version is v6, whose container_definitions is a map of objects of ECS's
// camelCase keys; Terraform's conversion drops v5's snake_case
// port_mappings without a word, the task definition has no port 8080, and
// ECS refuses the load balancer: "The container nginx did not have a
// container port 8080 defined." Pinned to v5 the snake_case keys are read
// (and camelCase portMappings is the one lost, v5 reading only its
// container-definition variables). ecsnet's stand-in read both spellings
// in every release.
func TestSweep21ECSContainerSpelling(t *testing.T) {
	const dir = "testdata/sweep21-ecs-v6-snake"
	want := "module.ecs_service.aws_ecs_service.this[0]: InvalidParameterException: The container nginx did not have a container port 8080 defined."
	es := loadErrs(t, dir)
	if len(es) != 1 || !strings.HasSuffix(es[0].Error(), want) {
		t.Fatalf("v6: errors %v\nwant %s", es, want)
	}
	src, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(s string) string {
		d := t.TempDir()
		if err := os.WriteFile(filepath.Join(d, "main.tf"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return d
	}
	v5 := strings.Replace(string(src), `  name   = "pub-core"`, `  version = "~> 5.0"
  name    = "pub-core"`, 1)
	if v5 == string(src) {
		t.Fatal("no name line to pin the version at")
	}
	res := load(t, write(v5), nil)
	st, _ := res.Engine.Snapshot()
	running := 0
	for _, task := range st.Tasks {
		if task.LastStatus == "RUNNING" {
			running++
		}
	}
	if running != 1 {
		t.Errorf("v5: %d tasks running, want 1", running)
	}
	es = loadErrs(t, write(strings.Replace(v5, "port_mappings = [{", "portMappings = [{", 1)))
	if len(es) != 1 || !strings.HasSuffix(es[0].Error(), want) {
		t.Errorf("v5 with portMappings: errors %v\nwant %s", es, want)
	}
	// v6 with its own spelling for the ports: the v5 key left is lost,
	// and said.
	res = load(t, write(strings.Replace(string(src), "port_mappings = [{", "portMappings = [{", 1)), nil)
	said := false
	for _, w := range res.Warnings {
		said = said || strings.Contains(w.Msg, `container_definitions["nginx"].readonly_root_filesystem (v6 spells it readonlyRootFilesystem)`)
	}
	if !said {
		t.Errorf("v6: no warning of the lost readonly_root_filesystem: %v", res.Warnings)
	}
}

// TestSweep21RouteInstanceID: hashicorp/aws v5.0.0 made aws_route_table's
// route.*.instance_id (and aws_route's instance_id) read-only; setting it
// is Terraform's "Value for unconfigurable attribute". Under v4 the route
// to the NAT instance is made. ecsnet took the argument in every release.
func TestSweep21RouteInstanceID(t *testing.T) {
	const dir = "testdata/sweep21-route-instance"
	es := loadErrs(t, dir)
	want := `main.tf:68: aws_route_table.private: Value for unconfigurable attribute: Can't configure a value for "instance_id": its value will be decided automatically based on the result of applying this configuration: the configuration requires hashicorp/aws "~> 5.0"; v5.0.0 made it read-only`
	if len(es) != 1 || !strings.Contains(es[0].Error(), want) {
		t.Fatalf("errors %v\nwant %s", es, want)
	}
	src, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	d := t.TempDir()
	if err := os.WriteFile(filepath.Join(d, "main.tf"), []byte(strings.Replace(string(src), `"~> 5.0"`, `"~> 4.0"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	res := load(t, d, nil)
	st, _ := res.Engine.Snapshot()
	routed := false
	for _, rt := range st.RouteTables {
		for _, r := range rt.Routes {
			routed = routed || r.Destination.String() == "0.0.0.0/0" && (r.Target == model.TargetInstance || r.Target == model.TargetNetworkInterface)
		}
	}
	if !routed {
		t.Error("v4: no default route to the NAT instance")
	}
}
