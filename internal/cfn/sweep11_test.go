package cfn_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestSweepRules: the Rules section is evaluated with the stack's
// parameters before anything is created. A failed assertion is the
// deploy's error, its AssertDescription word for word (CDK's
// CheckBootstrapVersion with a version below 6 among them); a rule whose
// RuleCondition does not hold is not checked; without the Parameter Store
// value the analyzer leaves CDK's rule out with a note.
func TestSweepRules(t *testing.T) {
	base := `Resources:
  A: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16}}
  B: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.2.0.0/16}}
  SubA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref A, CidrBlock: 10.1.0.0/24}}
  SubB: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref B, CidrBlock: 10.2.0.0/24}}
`
	path := filepath.Join(t.TempDir(), "base.yaml")
	if err := os.WriteFile(path, []byte(base), 0o644); err != nil {
		t.Fatal(err)
	}
	bt, err := cfn.ReadTemplate(path)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := cfn.ReadTemplate("testdata/sweep/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	deploy := func(params map[string]string, version string) (*cfn.Stack, map[string]string, error) {
		e := cfn.NewEngine()
		b, err := cfn.Deploy(e, bt, cfn.DeployOptions{StackName: "base"})
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{}
		for _, r := range b.Resources {
			ids[r.LogicalID] = r.PhysicalID
		}
		p := map[string]string{}
		for k, v := range params {
			p[k] = os.Expand(v, func(n string) string { return ids[n] })
		}
		var ssm map[string]string
		if version != "" {
			ssm = map[string]string{"/cdk-bootstrap/hnb659fds/version": version}
		}
		s, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "rules", Parameters: p, SSM: ssm})
		return s, ids, err
	}
	ok := map[string]string{"VpcId": "$A", "Subnets": "$SubA"}
	if _, _, err := deploy(ok, "21"); err != nil {
		t.Fatalf("subnets in the VPC, bootstrap 21: %v", err)
	}
	for _, c := range []struct {
		name    string
		params  map[string]string
		version string
		want    string
	}{
		{"a subnet of another VPC", map[string]string{"VpcId": "$A", "Subnets": "$SubA,$SubB"}, "21", "All subnets must be in the VPC"},
		{"prod and small", map[string]string{"VpcId": "$A", "Subnets": "$SubA", "Env": "prod"}, "21", "A prod stack needs a large or xlarge Size"},
		{"bootstrap 5", ok, "5", "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI."},
	} {
		_, _, err := deploy(c.params, c.version)
		var ce *cfn.Error
		if !errors.As(err, &ce) || ce.Msg != c.want || ce.Resource != "" {
			t.Errorf("%s: %v, want the template error %q", c.name, err, c.want)
		}
	}
	prod := map[string]string{"VpcId": "$A", "Subnets": "$SubA", "Env": "prod", "Size": "xlarge"}
	if _, _, err := deploy(prod, "21"); err != nil {
		t.Errorf("prod and xlarge: %v", err)
	}

	// The analyzer without the Parameter Store value: CDK's rule is left
	// out, with a note; nothing was created for the failed rules above.
	e := cfn.NewEngine()
	b, err := cfn.Deploy(e, bt, cfn.DeployOptions{StackName: "base"})
	if err != nil {
		t.Fatal(err)
	}
	var vpc, sub string
	for _, r := range b.Resources {
		switch r.LogicalID {
		case "A":
			vpc = r.PhysicalID
		case "SubA":
			sub = r.PhysicalID
		}
	}
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: repoFile("internal/cfn/testdata/sweep/rules.yaml"),
		Parameters: map[string]string{"VpcId": vpc, "Subnets": sub}}}, cfn.LoadOptions{Engine: e})
	if err != nil {
		t.Fatalf("analyzer: %v", err)
	}
	noted := false
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "rule CheckBootstrapVersion (CDK's) is not evaluated") && w.Detail {
			noted = true
		}
	}
	if !noted {
		t.Errorf("warnings = %+v, want a note that CDK's rule is not evaluated", res.Warnings)
	}
	groups := 0
	res.Engine.Read(func(st *model.State) {
		for _, g := range st.SecurityGroups {
			if g.Description == "rules" {
				groups++
			}
		}
	})
	if groups != 1 {
		t.Errorf("%d groups from rules.yaml, want 1", groups)
	}
}

// TestSweepSpreadProviders: a service's tasks are spread over the
// providers of its capacity provider strategy as ECS spreads them: the
// base on its provider, the rest by weight (FARGATE 2, FARGATE_SPOT 3 of
// 5 with base 1 and weights 1:3); and 6 tasks of a cluster's default
// strategy over three zonal providers of weight 1 go 2 to each, every
// group grown by its own provider's managed scaling.
func TestSweepSpreadProviders(t *testing.T) {
	res := load(t, "internal/cfn/testdata/sweep/spread-providers.yaml", nil)
	st := state(res)
	count := func(service string) map[string]int {
		out := map[string]int{}
		for _, tk := range runningTasks(st, service) {
			out[tk.CapacityProvider]++
		}
		return out
	}
	if got := count("mixed"); got["FARGATE"] != 2 || got["FARGATE_SPOT"] != 3 {
		t.Errorf("mixed: running tasks by provider = %v, want FARGATE 2, FARGATE_SPOT 3", got)
	}
	if got := count("zonal"); got["zone-a"] != 2 || got["zone-b"] != 2 || got["zone-c"] != 2 {
		t.Errorf("zonal: running tasks by provider = %v, want 2 on each zone", got)
	}
	zones := map[string]int{}
	for _, in := range st.Instances {
		if in.AutoScalingGroup != "" {
			zones[in.AvailabilityZone]++
		}
	}
	if len(zones) != 3 {
		t.Errorf("instances by zone = %v, want instances in the three zones", zones)
	}
}
