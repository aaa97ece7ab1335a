package cli

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An aws_autoscaling_group without a name gets the provider's generated
// one; its instances are named by the group's address in the human
// outputs (check's text, SARIF, JUnit and annotations, show, probe), and
// keep the generated name in JSON, as AWS's describe calls would show it.
func TestTerraformGroupWithoutNameLabelledByAddress(t *testing.T) {
	const dir = "internal/terraform/testdata/sweep13-userdata-b64"
	const generated = "terraform-20260101000000000000000002/0"
	for _, out := range []string{"text", "sarif", "junit", "github"} {
		_, stdout, _ := run(t, "check", "-q", dir, "-o", out)
		if !strings.Contains(stdout, "aws_autoscaling_group.text/0") || strings.Contains(stdout, generated) {
			t.Errorf("check -o %s names the instance by the generated name:\n%s", out, stdout)
		}
	}
	_, stdout, _ := run(t, "check", "-q", dir, "-o", "json")
	if !strings.Contains(stdout, `"name": "`+generated+`"`) {
		t.Errorf("check -o json lost the generated name:\n%s", stdout)
	}
	_, stdout, _ = run(t, "show", "-q", dir)
	if !strings.Contains(stdout, "instance aws_autoscaling_group.text/0 i-") || strings.Contains(stdout, generated) {
		t.Errorf("show:\n%s", stdout)
	}
	_, stdout, _ = run(t, "probe", "-q", dir, "--from", "aws_autoscaling_group.text/0", "--to", "internet:443", "--fixes=false")
	if !strings.Contains(stdout, "the instance aws_autoscaling_group.text/0 reaches the internet") || strings.Contains(stdout, generated) {
		t.Errorf("probe:\n%s", stdout)
	}
	// The analyzer's own name still works, and a group with a name keeps it.
	if code, _, errs := run(t, "probe", "-q", dir, "--from", generated, "--to", "internet:443", "--fixes=false"); code != ExitOK {
		t.Errorf("probe --from %s: exit %d: %s", generated, code, errs)
	}
	_, _, errs := run(t, "probe", "-q", dir, "--from", "internet", "--to", "nosuch:80")
	if !strings.Contains(errs, "known: aws_instance.encoded, aws_autoscaling_group.text/0;") {
		t.Errorf("an unknown name's list of known ones: %s", errs)
	}
	if s := (&source{}).labels(); s != nil {
		t.Error("a source without Terraform relabels")
	}
}

// exposure's table is scannable: a way in that works is one short line
// (or its line and an indented arrow line), without the verdict and the
// address said again; the JSON document keeps each entry's whole summary.
func TestExposureLinesScannable(t *testing.T) {
	for _, tc := range []struct{ src, line string }{
		{"examples/seed/article.yaml", "203.0.113.2     tcp/22  CONNECTED instance ecs-asg/0 → sshd; open to 0.0.0.0/0 by instance-sg"},
		{"examples/seed/alb.yaml", "    → web/0 at 10.0.1.6:3000 (target group web-tg)"},
		{"internal/terraform/testdata/kitchen", "    → nothing listens (the host answers with a reset); open to 0.0.0.0/0 by aws_security_group.web"},
	} {
		code, out, errs := run(t, "exposure", "-q", tc.src)
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", tc.src, code, errs)
		}
		if !strings.Contains(out, tc.line+"\n") {
			t.Errorf("%s: no line %q:\n%s", tc.src, tc.line, out)
		}
		table, _, _ := strings.Cut(out, "internet-facing entry points that fail:")
		for _, l := range strings.Split(table, "\n") {
			if len([]rune(l)) > 100 {
				t.Errorf("%s: a line of %d characters: %s", tc.src, len([]rune(l)), l)
			}
			if strings.Contains(l, "connected: ") || strings.Contains(l, "http 200: ") {
				t.Errorf("%s: the verdict said twice: %s", tc.src, l)
			}
		}
	}
	_, out, _ := run(t, "exposure", "-q", "examples/seed/article.yaml", "-o", "json")
	if !strings.Contains(out, `"summary": "connected: 203.0.113.2 tcp/22 reaches sshd; security group instance-sg allows tcp/22 from 0.0.0.0/0"`) {
		t.Errorf("exposure -o json changed its entries' summaries:\n%s", out)
	}
}

// check of a folder whose stack imports an export a template of the folder
// makes under its own stack name (public-vpc:VPCId for production:VPCId)
// suggests those two templates and the stack name that ties them, not
// every template of the folder; the suggested command runs clean. Without
// an exporter it says how to join, naming no unrelated files.
func TestCheckSuggestsStackNameThatTiesExports(t *testing.T) {
	_, out, _ := run(t, "check", "internal/cfn/testdata/real", "-q")
	want := "(check reads each template as its own SOURCE: join the templates of one system with commas: ecsnet check internal/cfn/testdata/real/public-vpc.yml,internal/cfn/testdata/real/public-service.yml --stack-name public-vpc.yml=production)"
	if !strings.Contains(out, want) {
		t.Fatalf("no %q in\n%s", want, out)
	}
	args := strings.Fields(strings.TrimSuffix(want[strings.Index(want, "ecsnet check ")+len("ecsnet "):], ")"))
	code, out, errs := run(t, append(args, "-q")...)
	if code != ExitOK || !strings.Contains(out, "0 sources with errors") {
		t.Errorf("the suggested command: exit %d\n%s%s", code, out, errs)
	}
	_, out, _ = run(t, "check", "internal/cfn/testdata/real/public-service.yml", "internal/cfn/testdata/real/cdk-fargate.json", "-q")
	if !strings.Contains(out, "(check reads each template as its own SOURCE: join the templates of one system with commas (network.yaml,service.yaml))") ||
		strings.Contains(out, "cdk-fargate.json,") {
		t.Errorf("without an exporter:\n%s", out)
	}
}

// Every command's help fits a terminal of 100 columns above its examples
// (which run as written, so they stay whole): a flag's words wrap under
// the words' column.
func TestHelpFlagsFit100Columns(t *testing.T) {
	for _, c := range []string{"check", "probe", "exposure", "show", "demo", "serve", "ui", "collect", "up", "down", "exec"} {
		code, out, errs := run(t, c, "--help")
		if code != ExitOK {
			t.Fatalf("%s --help: exit %d: %s", c, code, errs)
		}
		flagsPart, _, _ := strings.Cut(out, "\nExamples:")
		for _, l := range strings.Split(flagsPart, "\n") {
			if strings.HasPrefix(l, "Usage: ") {
				continue
			}
			if n := len([]rune(l)); n > 100 {
				t.Errorf("%s --help: a line of %d columns: %s", c, n, l)
			}
		}
	}
	_, out, _ := run(t, "probe", "--help")
	if !strings.Contains(out, "  --from string          where the packet starts: internet, internet:ADDR, an IP, or an ENI,\n                         instance,") {
		t.Errorf("probe --help does not wrap --from under its words:\n%s", out)
	}
}

// A Terraform root module's folder that also holds a CloudFormation
// template: check reads both (the template was silently left out), and
// the other commands, which read the configuration, say the template is
// not part of it.
func TestTerraformFolderWithTemplateBeside(t *testing.T) {
	dir := t.TempDir()
	for src, dst := range map[string]string{"../terraform/testdata/kitchen/main.tf": "main.tf", "../../examples/cfn/alb.yaml": "alb.yaml"} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Not a template: a compose file beside the configuration stays out.
	if err := os.WriteFile(filepath.Join(dir, "docker-compose.yml"), []byte("services:\n  web:\n    image: nginx\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := run(t, "check", dir, "-o", "json")
	var doc struct {
		Sources []struct {
			Source string `json:"source"`
			Error  string `json:"error"`
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got []string
	for _, s := range doc.Sources {
		got = append(got, filepath.Base(s.Source))
		if s.Error != "" {
			t.Errorf("%s: %s", s.Source, s.Error)
		}
	}
	if strings.Join(got, " ") != filepath.Base(dir)+" alb.yaml" {
		t.Errorf("check of the folder read %v, want the configuration and alb.yaml", got)
	}
	_, _, errs := run(t, "show", "-v", dir)
	if !strings.Contains(errs, "alb.yaml is a CloudFormation template beside the Terraform configuration") {
		t.Errorf("show says nothing of the template it does not read:\n%s", errs)
	}
}

// A misspelt resource type gets CloudFormation's error and the type it
// was probably meant to be; a type far from any ecsnet models gets none.
func TestTypeTypoHint(t *testing.T) {
	for in, want := range map[string]string{
		"t.yaml:3: Template format error: Unrecognized resource types: [AWS::EC2::VPCC, AWS::EC2::VPCCGatewayAttachment]": "t.yaml:3: Template format error: Unrecognized resource types: [AWS::EC2::VPCC, AWS::EC2::VPCCGatewayAttachment] (AWS::EC2::VPCC: did you mean AWS::EC2::VPC?; AWS::EC2::VPCCGatewayAttachment: did you mean AWS::EC2::VPCGatewayAttachment?)",
		"t.yaml:3: Template format error: Unrecognized resource types: [Custom::Thing]":                                   "t.yaml:3: Template format error: Unrecognized resource types: [Custom::Thing]",
		"t.yaml:3: Template format error: Unrecognized resource types: [AWS::Foo::Service]":                               "t.yaml:3: Template format error: Unrecognized resource types: [AWS::Foo::Service]",
	} {
		if got := typeTypoHint(errors.New(in)).Error(); got != want {
			t.Errorf("typeTypoHint(%q) = %q, want %q", in, got, want)
		}
	}
	if typeTypoHint(nil) != nil {
		t.Error("a nil error got a hint")
	}
}

// A JUnit failure of a finding ends with the link to its code's section
// of docs/codes.md, as SARIF's rule has it.
func TestJUnitFindingLinksItsCode(t *testing.T) {
	_, out, _ := run(t, "check", "-q", "internal/terraform/testdata/sweep13-userdata-b64", "-o", "junit")
	if !strings.Contains(out, "help: https://github.com/ecsnet/ecsnet/blob/main/docs/codes.md#ecs_agent_no_credentials") {
		t.Errorf("no help link in the failure:\n%s", out)
	}
}

// The demo ends with the reader's next step: their own system, checked.
func TestDemoEndsWithOwnSystem(t *testing.T) {
	code, out, errs := run(t, "demo")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasSuffix(out, "Next, your own system (a CloudFormation template, a Terraform folder, a snapshot, or a folder of them):\n"+
		"   ecsnet check SOURCE · ecsnet exposure SOURCE · ecsnet probe SOURCE --from X --to Y · in CI: docs/ci.md\n") {
		t.Errorf("the demo's last lines:\n%s", out[max(0, len(out)-400):])
	}
}
