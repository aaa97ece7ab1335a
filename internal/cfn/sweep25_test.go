package cfn_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

func sweep25(file string) string { return repoFile("internal/cfn/testdata/sweep25/" + file) }

// sweep25Variant writes the sweep25 file with each replacement made (old,
// new pairs, each of which must occur) to a temporary file.
func sweep25Variant(t *testing.T, file string, pairs ...string) string {
	t.Helper()
	body, err := os.ReadFile(sweep25(file))
	if err != nil {
		t.Fatal(err)
	}
	text := string(body)
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(text, pairs[i]) {
			t.Fatalf("%s has no %q", file, pairs[i])
		}
		text = strings.ReplaceAll(text, pairs[i], pairs[i+1])
	}
	path := t.TempDir() + "/" + file
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// clbVerdicts returns the exposure verdicts of a system's load balancers.
func clbVerdicts(t *testing.T, res *cfn.Result) []string {
	t.Helper()
	st, _ := res.Engine.Snapshot()
	var got []string
	for _, e := range reach.Exposure(reach.Compile(st)).Entries {
		if e.Kind == "load-balancer" {
			got = append(got, string(e.Verdict))
		}
	}
	return got
}

// TestSweep25CfnInitWebServer: aws-cloudformation-templates'
// ELB_Access_Logs_And_Connection_Draining installs Apache httpd through
// cfn-init (packages: yum: httpd, an index page in /var/www/html, and
// services: sysvinit: httpd: ensureRunning), not in the user data itself.
// On AWS the group's two instances serve the page and the Classic Load
// Balancer's HTTP:80/ health check finds them InService: HTTP 200 through
// it. Before round twenty-five ecsnet applied only a cfn-init's ECS agent
// settings: nothing listened on port 80 and the load balancer answered
// 503. Without ensureRunning (enabled alone starts httpd at the next
// boot) nothing listens, as before; without the index page httpd answers
// its welcome page's 403, which the health check does not take.
func TestSweep25CfnInitWebServer(t *testing.T) {
	load := func(path string) []string {
		t.Helper()
		res, err := cfn.LoadStacks([]cfn.StackInput{{Path: path, Name: "elb-access-logs", Parameters: map[string]string{"KeyName": "k1"}}}, cfn.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return clbVerdicts(t, res)
	}
	if got := load(sweep25("elb-access-logs.yaml")); len(got) != 1 || got[0] != "http 200" {
		t.Errorf("as published: load balancer verdicts %q, want http 200", got)
	}
	notRunning := sweep25Variant(t, "elb-access-logs.yaml", "              httpd:\n                enabled: \"true\"\n                ensureRunning: \"true\"\n",
		"              httpd:\n                enabled: \"true\"\n")
	if got := load(notRunning); len(got) != 1 || got[0] != "http 503" {
		t.Errorf("httpd not ensureRunning: load balancer verdicts %q, want http 503", got)
	}
	noIndex := sweep25Variant(t, "elb-access-logs.yaml", "            /var/www/html/index.html:", "            /var/www/html/about.html:")
	if got := load(noIndex); len(got) != 1 || got[0] != "http 503" {
		t.Errorf("no index page: load balancer verdicts %q, want http 503 (httpd's 403 welcome page fails the check)", got)
	}
}

// TestSweep25ShebangLineSwallowsScript: aws-cloudformation-templates'
// ELBGuidedAutoScalingRollingUpgrade joins its user data with "" and no
// newline: the script is one line, "#!/bin/bash -xe yum update -y
// aws-cfn-bootstrap /opt/aws/bin/cfn-init … cfn-signal …". Linux passes
// the rest of a #! line to the interpreter as one argument, bash refuses
// it as an option, and nothing runs: no cfn-init, no httpd, no cfn-signal.
// CloudFormation fails WebServerGroup when its CreationPolicy's timeout
// runs out. Before round twenty-five ecsnet took the signals as sent and
// created the stack (and, with the cfn-init fix alone, would have served
// the page). With the newlines the JSON original has, the stack is
// created and the page served.
func TestSweep25ShebangLineSwallowsScript(t *testing.T) {
	_, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep25("elb-rolling.yaml"), Name: "elb-rolling", Parameters: map[string]string{"KeyName": "k1"}}}, cfn.LoadOptions{})
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Resource != "WebServerGroup" ||
		!strings.Contains(ce.Msg, "Received 0 SUCCESS signal(s) out of 2. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement") ||
		!strings.Contains(ce.Hint, `the user data's first line, "#!/bin/bash -xe yum update -y aws-cfn-bootstrap`) {
		t.Fatalf("as published: %v, want WebServerGroup failed for want of signals, the first line named", err)
	}
	fixed := sweep25Variant(t, "elb-rolling.yaml",
		"          - - '#!/bin/bash -xe '\n            - 'yum update -y aws-cfn-bootstrap '\n",
		"          - - \"#!/bin/bash -xe\\n\"\n            - \"yum update -y aws-cfn-bootstrap\\n\"\n",
		"            - ' '\n            - '/opt/aws/bin/cfn-signal -e $? '",
		"            - \"\\n\"\n            - '/opt/aws/bin/cfn-signal -e $? '")
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: fixed, Name: "elb-rolling", Parameters: map[string]string{"KeyName": "k1"}}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatalf("with newlines: %v", err)
	}
	if got := clbVerdicts(t, res); len(got) != 1 || got[0] != "http 200" {
		t.Errorf("with newlines: load balancer verdicts %q, want http 200", got)
	}
}

// TestSweep25NoSignalFails: an instance whose CreationPolicy waits for a
// signal its user data never sends fails as CloudFormation fails it when
// the timeout runs out, "Failed to receive 1 resource signal(s) within
// the specified duration" (before round twenty-five: a warning, and the
// stack created). cfn-signal run by a cfn-init command counts as sent;
// a template with a function of its own calling SignalResource is only
// warned about.
func TestSweep25NoSignalFails(t *testing.T) {
	body := `Parameters:
  Ami: {Type: String, Default: ami-12345678}
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Sub: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}
  Host:
    Type: AWS::EC2::Instance
    CreationPolicy:
      ResourceSignal: {Timeout: PT5M}
    Metadata:
      AWS::CloudFormation::Init:
        config:
          commands:
            a: {command: echo hello}
    Properties:
      ImageId: !Ref Ami
      InstanceType: t3.micro
      SubnetId: !Ref Sub
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          /opt/aws/bin/cfn-init -v --stack ${AWS::StackName} --resource Host --region ${AWS::Region}
`
	deploy := func(text string) error {
		t.Helper()
		path := t.TempDir() + "/signal.yaml"
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		tpl, err := cfn.ReadTemplate(path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{})
		return err
	}
	var ce *cfn.Error
	if err := deploy(body); !errors.As(err, &ce) || ce.Resource != "Host" ||
		!strings.Contains(ce.Msg, "Failed to receive 1 resource signal(s) within the specified duration") ||
		!strings.Contains(ce.Hint, "never runs cfn-signal") {
		t.Fatalf("no cfn-signal: %v, want Host failed for want of its signal", err)
	}
	viaInit := strings.Replace(body, "command: echo hello", "command: /opt/aws/bin/cfn-signal -e 0 --stack x --resource Host", 1)
	if err := deploy(viaInit); err != nil {
		t.Errorf("cfn-signal in a cfn-init command: %v, want the stack created", err)
	}
	ownFunction := body + "Outputs:\n  Note: {Value: SignalResource}\n"
	if err := deploy(ownFunction); err != nil {
		t.Errorf("a template mentioning SignalResource: %v, want the stack created (warned only)", err)
	}
}

// TestSweep25ScalableTargetOfNoService: container-patterns'
// scale-service-by-cpu registers a scalable target for the service
// default/nginx, which another stack must have created. Deployed where no
// such service exists, Application Auto Scaling refuses the target ("ECS
// service doesn't exist: service/default/nginx") and CloudFormation fails
// it; before round twenty-five the endpoint skipped it and created the
// stack. The analyzer, which may not be given the service's stack, still
// skips it with a warning.
func TestSweep25ScalableTargetOfNoService(t *testing.T) {
	tpl, err := cfn.ReadTemplate(sweep25("scale-by-cpu.yml"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{ScalableTargets: true})
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Resource != "ScalableTarget" || !strings.Contains(ce.Msg, "ECS service doesn't exist: service/default/nginx") {
		t.Fatalf("with ScalableTargets: %v, want ScalableTarget failed, ECS service doesn't exist", err)
	}
	st, err := cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{})
	if err != nil {
		t.Fatalf("analyzer: %v, want the target skipped", err)
	}
	skipped := false
	for _, s := range st.Skipped {
		skipped = skipped || s.LogicalID == "ScalableTarget" && strings.Contains(s.Reason, "its ECS service service/default/nginx is not in this system")
	}
	if !skipped {
		t.Errorf("analyzer skipped %v, want the target skipped for want of its service", st.Skipped)
	}
}

// TestSweep25LBSecurityGroupClosesListener: two CDK integration tests, as
// synthesized, give an internet-facing load balancer a security group
// that admits nothing on its listener's port: nlb-sg's NLB group opens
// only tcp/32768-65535 in front of a TCP:80 listener, and
// canary-deployment-strategy's ALB group has no inbound rule at all.
// Both stacks are created and the targets are healthy (the health checks
// leave through the groups' outbound rules), but every client times out.
// Before round twenty-five exposure showed the timeout while check said
// nothing; now check warns, ECS_LB_SG_CLOSES_LISTENER. With the port
// opened the warning goes.
func TestSweep25LBSecurityGroupClosesListener(t *testing.T) {
	findings := func(path, name string) []reach.Finding {
		t.Helper()
		res, err := cfn.LoadStacks([]cfn.StackInput{{Path: path, Name: name}}, cfn.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		st, _ := res.Engine.Snapshot()
		var out []reach.Finding
		for _, f := range reach.Lint(reach.Compile(st)) {
			if f.Code == reach.CodeLBListenerClosed {
				out = append(out, f)
			}
		}
		return out
	}
	for _, c := range []struct{ file, group string }{
		{"c1-nlb-sg.json", "SecurityGroupNlbFA132873"},
		{"c2-canary.json", "LBSecurityGroup4464B654"},
	} {
		fs := findings(sweep25(c.file), strings.TrimSuffix(c.file, ".json"))
		if len(fs) != 1 || !strings.Contains(fs[0].Message, "("+c.group+") admits tcp/80,") {
			t.Errorf("%s: %v, want one ECS_LB_SG_CLOSES_LISTENER naming %s and tcp/80", c.file, fs, c.group)
		}
	}
	opened := sweep25Variant(t, "c1-nlb-sg.json", `"FromPort": 32768`, `"FromPort": 80`)
	if fs := findings(opened, "c1-nlb-sg"); len(fs) != 0 {
		t.Errorf("port 80 admitted: %v, want no finding", fs)
	}
}

// TestSweep25Verdicts: what ecsnet says of each of round twenty-five's
// templates that a test above does not already judge, as AWS answers:
// the multi-address ENI keeps both addresses and its EIP on the primary;
// the stickiness sample (its instances in a default subnet, the second
// running cfn-init for the first's metadata) serves HTTP 200 through its
// Classic Load Balancer; the NLB security-group stack, the NLB that
// enforces its groups on PrivateLink traffic and the ALB security-group
// stack deploy, the last with its three load balancers answering 503 (no
// targets registered); sam-fargate (its VPC a local AWS::Serverless::Application)
// runs its task on a public IP whose group lets the internet past the ALB.
func TestSweep25Verdicts(t *testing.T) {
	e := cfn.NewEngine()
	vpc, err := e.CreateDefaultVpc()
	if err != nil {
		t.Fatal(err)
	}
	var subnet string
	e.Read(func(st *model.State) {
		for _, s := range st.Subnets {
			if s.VpcID == vpc.ID && s.AvailabilityZone == "us-east-1a" {
				subnet = string(s.ID)
			}
		}
	})
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep25("multi-ip.yaml"), Name: "multi-ip", Parameters: map[string]string{
		"KeyName": "k1", "VpcId": string(vpc.ID), "SubnetId": subnet, "PrimaryIPAddress": "172.31.0.10", "SecondaryIPAddress": "172.31.0.11"}}}, cfn.LoadOptions{Engine: e})
	if err != nil {
		t.Fatalf("multi-ip: %v", err)
	}
	res.Engine.Read(func(st *model.State) {
		found := false
		for _, eni := range st.NetworkInterfaces {
			if eni.Description != "eth0" {
				continue
			}
			found = true
			var addrs []string
			for _, a := range eni.PrivateIPs {
				addrs = append(addrs, a.Addr.String())
			}
			if pub, ok := eni.PublicIP(); strings.Join(addrs, ",") != "172.31.0.10,172.31.0.11" || !ok || !pub.IsValid() {
				t.Errorf("multi-ip: eth0 addresses %v, public %v, want 172.31.0.10 (with the EIP) and 172.31.0.11", addrs, pub)
			}
		}
		if !found {
			t.Error("multi-ip: no eth0")
		}
	})

	res, err = cfn.LoadStacks([]cfn.StackInput{{Path: sweep25("elb-stickiness.yaml"), Name: "elb-stickiness", Parameters: map[string]string{
		"KeyName": "k1", "SubnetId": subnet}}}, cfn.LoadOptions{Engine: e})
	if err != nil {
		t.Fatalf("elb-stickiness: %v", err)
	}
	if got := clbVerdicts(t, res); len(got) != 1 || got[0] != "http 200" {
		t.Errorf("elb-stickiness: load balancer verdicts %q, want http 200", got)
	}

	res, err = cfn.LoadStacks([]cfn.StackInput{{Path: sweep25("sam/template.yml"), Name: "sam-fargate"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatalf("sam/template.yml: %v", err)
	}
	st, _ := res.Engine.Snapshot()
	bypassed := false
	for _, f := range reach.Lint(reach.Compile(st)) {
		bypassed = bypassed || f.Code == reach.CodeLBBypass
	}
	if !bypassed {
		t.Error("sam/template.yml: want ECS_LB_BYPASSED (the task's group opens tcp/3000 to the internet on its public IP)")
	}

	for _, c := range []struct {
		file string
		want []string
	}{
		{"e1-nlb-security-group.json", nil},
		{"e2-enforce-sg-inbound.json", nil},
		{"e3-alb-security-groups.json", []string{"http 503", "http 503"}},
	} {
		res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep25(c.file), Name: strings.TrimSuffix(c.file, ".json")}}, cfn.LoadOptions{})
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if got := clbVerdicts(t, res); strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: internet-facing load balancer verdicts %q, want %q", c.file, got, c.want)
		}
	}
}
