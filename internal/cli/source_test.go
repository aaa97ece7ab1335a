package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

const stacks = "examples/cfn/stacks/"

// Three templates, given in any order, are one system: deployed in the
// order their exports require.
func TestSeveralStacksOneSystem(t *testing.T) {
	for _, args := range [][]string{
		{"show", stacks + "service.yaml", stacks + "cluster.yaml", stacks + "network.yaml"},
		{"show", stacks + "service.yaml," + stacks + "network.yaml," + stacks + "cluster.yaml"},
		{"show", stacks + "*.yaml", "--param", "app-on-vpc/VpcId=vpc-x"},
	} {
		if strings.Contains(args[1], "*") {
			continue // app-on-vpc.yaml needs --base; the glob form is tested below
		}
		code, out, errs := run(t, args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if !strings.HasPrefix(out, "network+cluster+service") || !strings.Contains(out, "web (cluster cluster-ecs) ACTIVE, 1/1 running") {
			t.Errorf("%v:\n%s", args, out)
		}
	}
	dir := t.TempDir()
	for _, f := range []string{"network.yaml", "cluster.yaml", "service.yaml"} {
		data, _ := os.ReadFile(filepath.Join("..", "..", stacks, f))
		os.WriteFile(filepath.Join(dir, f), data, 0o644)
	}
	code, out, errs := run(t, "show", filepath.Join(dir, "*.yaml"))
	if code != ExitOK || !strings.HasPrefix(out, "network+cluster+service") {
		t.Errorf("glob: exit %d: %s%s", code, out, errs)
	}
}

// A missing import names the stack that would export it and the flag.
func TestMissingImport(t *testing.T) {
	code, _, errs := run(t, "show", stacks+"network.yaml", stacks+"service.yaml")
	if code != ExitBadInput {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"service.yaml:", "No export named cluster-", "a stack named cluster", "--import cluster-"} {
		if !strings.Contains(errs, want) {
			t.Errorf("error lacks %q:\n%s", want, errs)
		}
	}
}

// --import supplies the exports of stacks not given; --base is the
// system they describe.
func TestImportFlagOnBase(t *testing.T) {
	code, out, errs := run(t, "show", stacks+"cluster.yaml", "--base", "examples/snapshots/shared-vpc",
		"--import", "network-VpcId=vpc-f3879236d10a70784",
		"--import", "network-PublicSubnets=subnet-5085d8d53a8a5848d,subnet-c30cae8e4f85fec97")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "cluster on examples/snapshots/shared-vpc") || !strings.Contains(out, "load balancer cluster-LoadBalance") {
		t.Errorf("output:\n%s", out)
	}
	_, _, errs = run(t, "show", stacks+"cluster.yaml", "--base", "examples/snapshots/shared-vpc",
		"--import", "network-VpcId=vpc-f3879236d10a70784",
		"--import", "network-PublicSubnets=subnet-5085d8d53a8a5848d,subnet-c30cae8e4f85fec97", "--import", "network-vpcid=x")
	if !strings.Contains(errs, "warning: --import: no template imports network-vpcid") {
		t.Errorf("an unused --import is not said:\n%s", errs)
	}
}

// --stack-name feeds AWS::StackName, and so the export names.
func TestStackNames(t *testing.T) {
	code, out, errs := run(t, "show", stacks+"network.yaml", stacks+"cluster.yaml",
		"--stack-name", "network.yaml=net", "--param", "NetworkStack=net")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "net+cluster") {
		t.Errorf("output:\n%s", out)
	}
	code, _, errs = run(t, "show", stacks+"network.yaml", "--stack-name", "9lives")
	if code != ExitBadInput || !strings.Contains(errs, "Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*") {
		t.Errorf("bad stack name: exit %d: %s", code, errs)
	}
}

// check reads each argument as its own SOURCE: several --stack-name values
// go to the templates in order, FILE=NAME to the SOURCE reading FILE.
func TestCheckStackNamesPerSource(t *testing.T) {
	net, vpc := stacks+"network.yaml", "examples/cfn/vpc.yaml"
	reports := func(args ...string) (int, map[string]string) {
		t.Helper()
		code, out, errs := run(t, append([]string{"check", "-o", "json"}, args...)...)
		var doc struct {
			Sources []struct{ Source, Error string }
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%v: exit %d, %v: %s%s", args, code, err, out, errs)
		}
		m := map[string]string{}
		for _, s := range doc.Sources {
			m[s.Source] = s.Error
		}
		return code, m
	}
	const bad = "Value '9lives' at 'stackName' failed to satisfy constraint"
	_, m := reports(net, vpc, "--stack-name", "net", "--stack-name", "9lives")
	if m[net] != "" || !strings.Contains(m[vpc], bad) {
		t.Errorf("names in order: %q", m)
	}
	_, m = reports(net, vpc, "--stack-name", "network.yaml=9lives")
	if m[vpc] != "" || !strings.Contains(m[net], bad) {
		t.Errorf("FILE=NAME: %q", m)
	}
	_, m = reports(net, vpc, "--stack-name", "9lives")
	if !strings.Contains(m[net], bad) || !strings.Contains(m[vpc], bad) {
		t.Errorf("one name for each SOURCE: %q", m)
	}
	code, _, errs := run(t, "check", net, vpc, "--stack-name", "a", "--stack-name", "b", "--stack-name", "c")
	if code != ExitBadInput || !strings.Contains(errs, "3 --stack-name values for 2 templates") {
		t.Errorf("too many names: exit %d: %s", code, errs)
	}
}

// Each parameter file format gives the same system.
func TestParameterFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"cli.json":       `[{"ParameterKey": "VpcId", "ParameterValue": "vpc-f3879236d10a70784"}, {"ParameterKey": "Subnets", "ParameterValue": "subnet-5085d8d53a8a5848d,subnet-c30cae8e4f85fec97"}]`,
		"deploy.json":    `["VpcId=vpc-f3879236d10a70784", "Subnets=subnet-5085d8d53a8a5848d,subnet-c30cae8e4f85fec97"]`,
		"deploy.txt":     "# aws cloudformation deploy --parameter-overrides\nVpcId=vpc-f3879236d10a70784\n\nSubnets=subnet-5085d8d53a8a5848d,subnet-c30cae8e4f85fec97\n",
		"pipeline.json":  `{"Parameters": {"VpcId": "vpc-f3879236d10a70784", "Subnets": "subnet-5085d8d53a8a5848d,subnet-c30cae8e4f85fec97"}, "Tags": {"team": "web"}}`,
		"bad-list.json":  "[\n  {\"ParameterKey\": \"VpcId\", \"ParameterValue\": \"vpc-1\"},\n  {\"Key\": \"Subnets\"}\n]",
		"bad-lines.txt":  "VpcId=vpc-1\nSubnets\n",
		"bad-json.json":  "{\"Parameters\": {\n  \"VpcId\": \"vpc-1\",\n}}",
		"bad-shape.json": `{"VpcId": "vpc-1"}`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var first string
	for _, name := range []string{"cli.json", "deploy.json", "deploy.txt", "pipeline.json"} {
		code, out, errs := run(t, "show", stacks+"app-on-vpc.yaml", "--base", "examples/snapshots/shared-vpc", "--parameters", filepath.Join(dir, name))
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", name, code, errs)
		}
		if first == "" {
			first = out
		} else if out != first {
			t.Errorf("%s gives another system:\n%s\nthan cli.json:\n%s", name, out, first)
		}
	}
	if !strings.Contains(first, "api (cluster app) ACTIVE, 1/1 running") {
		t.Errorf("system:\n%s", first)
	}
	for name, want := range map[string]string{
		"bad-list.json":  "bad-list.json:3: want {\"ParameterKey\"",
		"bad-lines.txt":  "bad-lines.txt:2: want Key=Value",
		"bad-json.json":  "bad-json.json:3: not valid JSON",
		"bad-shape.json": "bad-shape.json:1: want {\"Parameters\"",
	} {
		code, _, errs := run(t, "show", stacks+"app-on-vpc.yaml", "--base", "examples/snapshots/shared-vpc", "--parameters", filepath.Join(dir, name))
		if code != ExitBadInput || !strings.Contains(errs, want) {
			t.Errorf("%s: exit %d: %s, want %q", name, code, errs, want)
		}
	}
	// --param wins over the file.
	code, _, errs := run(t, "show", stacks+"app-on-vpc.yaml", "--base", "examples/snapshots/shared-vpc", "--parameters", filepath.Join(dir, "cli.json"),
		"--param", "VpcId=vpc-0000000000000000")
	if code != ExitBadInput || !strings.Contains(errs, "Parameter validation failed: parameter value vpc-0000000000000000 for parameter name VpcId does not exist") {
		t.Errorf("--param over the file: exit %d: %s", code, errs)
	}
}

// --base: the template's AWS-specific parameters resolve against the
// base system, by id or (with a warning) by Name tag.
func TestBaseScenarioByName(t *testing.T) {
	code, out, errs := run(t, "probe", stacks+"app-on-vpc.yaml", "--base", "examples/seed/article.yaml",
		"--param", "VpcId=main", "--param", "Subnets=public-a,public-c", "--from", "internet", "--to", "LoadBalancer:80", "--output", "json")
	if code != ExitOK && code != ExitFailed {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, `parameter VpcId: "main" is not an id; it is the name of vpc-`) {
		t.Errorf("stderr lacks the Name tag warning:\n%s", errs)
	}
	var rep probeReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Result.Verdict != "http 504" || rep.Result.To.Spec != "LoadBalancer:80" {
		t.Errorf("verdict %s to %+v", rep.Result.Verdict, rep.Result.To)
	}
	if len(rep.TemplateChanges) == 0 || rep.TemplateChanges[0].Resource != "HostSecurityGroup" || rep.TemplateChanges[0].Line != 32 ||
		!strings.Contains(rep.TemplateChanges[0].Snippet, "SourceSecurityGroupId: !Ref LbSecurityGroup") {
		t.Errorf("template changes: %+v", rep.TemplateChanges)
	}
	code, _, errs = run(t, "show", stacks+"app-on-vpc.yaml", "--base", "examples/seed/article.yaml", "--param", "VpcId=vpc-0123456789abcdef0", "--param", "Subnets=public-a")
	if code != ExitBadInput || !strings.Contains(errs, "app-on-vpc.yaml:11: Parameter validation failed: parameter value vpc-0123456789abcdef0 for parameter name VpcId does not exist") {
		t.Errorf("unknown VPC: exit %d: %s", code, errs)
	}
	code, _, errs = run(t, "show", stacks+"app-on-vpc.yaml", "--base", "examples/seed/article.yaml", "--param", "VpcId=main", "--param", "Subnets=subnet-1,public-a,subnet-2")
	if code != ExitBadInput || !strings.Contains(errs, "Parameter validation failed: parameter value subnet-1 for parameter name Subnets does not exist, parameter value subnet-2 for parameter name Subnets does not exist") {
		t.Errorf("two unknown subnets: exit %d: %s", code, errs)
	}
}

// --base URL reads a running ecsnet serve.
func TestBaseURL(t *testing.T) {
	endpoint, e := startEmulator(t)
	vpc, err := e.CreateVpc(engine.CreateVpcInput{CIDR: "10.9.0.0/16", Tags: model.Tags{"Name": "lab"}})
	if err != nil {
		t.Fatal(err)
	}
	igw, err := e.CreateInternetGateway(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.AttachInternetGateway(igw.ID, vpc.ID); err != nil {
		t.Fatal(err)
	}
	for i, cidr := range []string{"10.9.1.0/24", "10.9.2.0/24"} {
		if _, err := e.CreateSubnet(engine.CreateSubnetInput{VpcID: vpc.ID, CIDR: cidr, AvailabilityZone: "us-east-1" + string(rune('a'+i)),
			Tags: model.Tags{"Name": "lab-" + string(rune('a'+i))}}); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := run(t, "show", stacks+"app-on-vpc.yaml", "--base", endpoint, "--param", "VpcId="+string(vpc.ID), "--param", "Subnets=lab-a,lab-b")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "VPC lab "+string(vpc.ID)) || !strings.Contains(out, "api (cluster app)") {
		t.Errorf("output:\n%s", out)
	}
	// The endpoint itself is a SOURCE too.
	code, out, errs = run(t, "show", endpoint)
	if code != ExitOK || !strings.Contains(out, "VPC lab "+string(vpc.ID)) {
		t.Errorf("show URL: exit %d: %s%s", code, out, errs)
	}
}

// --param works on show; flags for templates are refused on other sources.
func TestParamEverywhere(t *testing.T) {
	code, out, errs := run(t, "show", "examples/cfn/article.yaml", "--param", "ClusterName=other")
	if code != ExitOK || !strings.Contains(out, "(cluster other)") {
		t.Errorf("show --param: exit %d: %s%s", code, out, errs)
	}
	code, _, errs = run(t, "show", "examples/seed/article.yaml", "--param", "A=b")
	if code != ExitBadInput || !strings.Contains(errs, "--param applies to CloudFormation templates") {
		t.Errorf("scenario --param: exit %d: %s", code, errs)
	}
	code, _, errs = run(t, "show", stacks+"network.yaml", stacks+"cluster.yaml", "--param", "Nope=1")
	if code != ExitBadInput || !strings.Contains(errs, "Parameters: [Nope] do not exist in any of the templates") {
		t.Errorf("unknown param: exit %d: %s", code, errs)
	}
}

// Warnings people can read: one summary line for resources that cannot
// change a verdict, -v lists them; duplicate keys are warned at file:line.
func TestWarningsReadable(t *testing.T) {
	code, _, errs := run(t, "show", "internal/cfn/testdata/real/cdk-fargate.json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// The CDK's AWS::Lambda::Function is a function of the engine's
	// Lambda (round thirty-seven): no longer among them.
	if !strings.Contains(errs, "warning: 3 resources not modelled, of types that do not change how packets flow (-v lists them): 2 AWS::IAM::Role, 1 AWS::CDK::Metadata") {
		t.Errorf("no summary line:\n%s", errs)
	}
	// The CDK's Custom::VpcRestrictDefaultSG is modelled (round
	// thirty-six): no warning of its own.
	if strings.Contains(errs, "Custom::VpcRestrictDefaultSG") {
		t.Errorf("the CDK's default-group custom resource is warned about:\n%s", errs)
	}
	if strings.Contains(errs, "note:") || strings.Count(errs, "\n") != 1 {
		t.Errorf("without -v, one line:\n%s", errs)
	}
	_, _, verbose := run(t, "show", "internal/cfn/testdata/real/cdk-fargate.json", "-v")
	if !strings.Contains(verbose, "note: internal/cfn/testdata/real/cdk-fargate.json:96: ServiceTaskDefTaskRole0CFE2F57 (AWS::IAM::Role) not modelled") {
		t.Errorf("-v does not list them:\n%s", verbose)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "dup.yaml")
	os.WriteFile(path, []byte("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.1.0.0/16\n      CidrBlock: 10.2.0.0/16\n"), 0o644)
	code, out, errs := run(t, "show", path)
	if code != ExitOK || !strings.Contains(errs, path+":6: duplicate key \"CidrBlock\" (first at line 5): CloudFormation uses this last value") ||
		!strings.Contains(out, "10.2.0.0/16") {
		t.Errorf("duplicate key: exit %d: %s%s", code, out, errs)
	}
}

// --from and --to take logical ids, of several stacks too.
func TestLogicalIDs(t *testing.T) {
	code, out, errs := run(t, "probe", stacks+"network.yaml", stacks+"cluster.yaml", stacks+"service.yaml",
		"--from", "internet", "--to", "cluster/LoadBalancer:80")
	if code != ExitFailed { // HTTP 504 fails the probe
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "→ cluster/LoadBalancer:80 (load balancer cluster-LoadBalance-") || !strings.Contains(out, "HTTP 504") {
		t.Errorf("output:\n%s", out)
	}
	if !strings.Contains(out, "fix 1: examples/cfn/stacks/service.yaml:27: ServiceSecurityGroup (AWS::EC2::SecurityGroup)") ||
		!strings.Contains(out, "SourceSecurityGroupId: !ImportValue cluster-LbSecurityGroup") {
		t.Errorf("no template change:\n%s", out)
	}
	code, out, errs = run(t, "probe", "examples/cfn/nested.yaml", "--from", "VPC/NatGateway1", "--to", "internet:203.0.113.9:443", "--fixes=false")
	if code != ExitOK || !strings.HasPrefix(out, "VPC/NatGateway1 (ENI eni-") {
		t.Errorf("nested logical id: exit %d: %s%s", code, out, errs)
	}
	code, out, errs = run(t, "probe", stacks+"network.yaml", stacks+"cluster.yaml", stacks+"service.yaml",
		"--from", "WebService/0", "--to", "internet:203.0.113.9:443", "--fixes=false")
	if code != ExitOK || !strings.HasPrefix(out, "WebService/0 (task web/0) → ") {
		t.Errorf("exit %d: %s%s", code, out, errs)
	}
	code, out, errs = run(t, "probe", stacks+"network.yaml", stacks+"cluster.yaml", stacks+"service.yaml",
		"--from", "web/0", "--to", "internet:203.0.113.9:443", "--fixes=false")
	if code != ExitOK || !strings.HasPrefix(out, "web/0 (service/WebService/0, task web/0) → ") {
		t.Errorf("exit %d: %s%s", code, out, errs)
	}
}

// A two-stack cluster+service pair with <StackName>:<Name> exports: the
// hint says how to tie them when the stack names do not match.
func TestClusterServicePair(t *testing.T) {
	const dir = "internal/cfn/testdata/real/"
	code, _, errs := run(t, "show", dir+"public-service.yml", dir+"public-vpc.yml")
	if code != ExitBadInput || !strings.Contains(errs, "No export named production:VPCId found; internal/cfn/testdata/real/public-vpc.yml, deployed as stack public-vpc, exports public-vpc:VPCId: deploy it as stack production (--stack-name public-vpc.yml=production)") {
		t.Errorf("exit %d: %s", code, errs)
	}
	for _, extra := range [][]string{{"--stack-name", "public-vpc.yml=production"}, {"--param", "StackName=public-vpc"}} {
		args := append([]string{"probe", dir + "public-service.yml", dir + "public-vpc.yml", "--from", "internet", "--to", "PublicLoadBalancer:80"}, extra...)
		code, out, errs := run(t, args...)
		if code != ExitOK || !strings.Contains(out, "HTTP 200") {
			t.Errorf("%v: exit %d: %s%s", extra, code, out, errs)
		}
	}
}

// --region deploys templates into an empty account of that region: its
// zones, addresses and load balancer names. Without it, a template naming
// another region's zones is refused as EC2 refuses it in us-east-1, with
// the flag to give; a mistyped region is refused with the nearest name.
func TestTemplateRegion(t *testing.T) {
	dir := t.TempDir()
	tpl := filepath.Join(dir, "lb.yaml")
	if err := os.WriteFile(tpl, []byte(`Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  A:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VPC, CidrBlock: 10.0.1.0/24, AvailabilityZone: ap-northeast-1a}
  C:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VPC, CidrBlock: 10.0.2.0/24, AvailabilityZone: ap-northeast-1c}
  LB:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal, Subnets: [!Ref A, !Ref C]}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, "show", tpl)
	if code != ExitBadInput || !strings.Contains(errs, "Value (ap-northeast-1a) for parameter availabilityZone is invalid") ||
		!strings.Contains(errs, "give --region ap-northeast-1") {
		t.Errorf("no --region: exit %d:\n%s", code, errs)
	}
	code, out, errs := run(t, "show", "--region", "ap-northeast-1", tpl)
	if code != ExitOK || !strings.Contains(out, "(ap-northeast-1, account") || !strings.Contains(out, ".ap-northeast-1.elb.amazonaws.com") {
		t.Errorf("--region ap-northeast-1: exit %d:\n%s%s", code, out, errs)
	}
	code, _, errs = run(t, "show", "--region", "ap-northeast1", tpl)
	if code != ExitBadInput || !strings.Contains(errs, "did you mean ap-northeast-1?") {
		t.Errorf("mistyped region: exit %d:\n%s", code, errs)
	}
}
