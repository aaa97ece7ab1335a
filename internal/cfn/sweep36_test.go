package cfn_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

func sweep36(name string) string { return filepath.Join("testdata", "sweep36", name) }

// cdkBootstrapped is the Parameter Store value `cdk bootstrap` leaves in
// an account: the version CDK's CheckBootstrapVersion rule reads.
var cdkBootstrapped = map[string]string{"/cdk-bootstrap/hnb659fds/version": "21"}

// defaultGroupOf returns the default security group of the VPC whose
// physical id is vpc.
func defaultGroupOf(e *engine.Engine, vpc string) (g model.SecurityGroup, ok bool) {
	e.Read(func(st *model.State) {
		for _, sg := range st.SecurityGroups {
			if string(sg.VpcID) == vpc && sg.Name == "default" {
				g, ok = *sg, true
			}
		}
	})
	return g, ok
}

// TestSweep36 reads the round's templates as their users deploy them
// (CDK output with its bootstrap version in Parameter Store; Copilot's
// environment stack with the parameters Copilot passes): each loads, with
// the resources it declares.
func TestSweep36(t *testing.T) {
	copilotEnv := map[string]string{"AppName": "demo", "EnvironmentName": "test", "ALBWorkloads": "frontend",
		"InternalALBWorkloads": "api", "EFSWorkloads": "api", "NATWorkloads": "api", "AppRunnerPrivateWorkloads": "",
		"ToolsAccountPrincipalARN": "arn:aws:iam::123456789012:root", "AppDNSName": "", "AppDNSDelegationRole": "", "Aliases": "",
		"CreateHTTPSListener": "false", "CreateInternalHTTPSListener": "false", "ServiceDiscoveryEndpoint": "test.demo.local"}
	cases := []struct {
		file, stack string
		params      map[string]string
		want        []string // logical ids that must be created
	}{
		{"cdk-managed-draining.json", "integ-ec2-capacity-provider-managed-draining", nil,
			[]string{"EC2CapacityProvider5A2E35CD", "EC2CPCluster4CFED4DD", "ASGLifecycleHookDrainHookFE4AFEBE", "EC2Service5392EF94"}},
		{"cdk-orphaned-lb-cleanup.json", "OrphanedLoadBalancerCleanupStack", nil,
			[]string{"VpcRestrictDefaultSecurityGroupCustomResourceC73DA2BE", "LB8A12904C", "ServiceD69D759B"}},
		{"cdk-asset-image.json", "aws-ecs-integ-fargate-image", nil,
			[]string{"FargateServiceTaskDef940E3A80", "FargateServiceECC8084D", "FargateServiceLBPublicListener4B4929CA"}},
		{"cdk-circuit-breaker.json", "aws-ecs-integ-circuit-breaker", nil,
			[]string{"myServiceB0B6FAA0", "myServiceLBPublicListenerC78AE8A0"}},
		{"cdk-deployment-alarms.json", "integ-deployment-alarms", nil,
			[]string{"EC2Service5392EF94", "MyMetricAlarmF8571CCA", "ASGLaunchConfigC00AF12B"}},
		{"cdk-bootstrap.yaml", "CDKToolkit", nil,
			[]string{"StagingBucket", "ContainerAssetsRepository", "CdkBootstrapVersion", "FileAssetsBucketEncryptionKey"}},
		{"awss-clock-accuracy.yaml", "clock-accuracy", nil,
			[]string{"ECSCluster", "ECRRepository", "TaskDefinition"}},
		{"copilot-env-basic.yml", "demo-test", copilotEnv,
			[]string{"PublicLoadBalancer", "InternalLoadBalancer", "ServiceDiscoveryNamespace", "NatGateway2", "MountTarget2", "InternalWorkloadsHostedZone"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep36(c.file), Name: c.stack, Parameters: c.params}},
				cfn.LoadOptions{SSM: cdkBootstrapped})
			if err != nil {
				t.Fatal(err)
			}
			var created []string
			for _, r := range res.Resources {
				created = append(created, r.LogicalID)
			}
			for _, id := range c.want {
				if !slices.Contains(created, id) {
					t.Errorf("%s not created (created: %v)", id, created)
				}
			}
		})
	}
	// CDK's CheckBootstrapVersion with an old bootstrap stack refuses the
	// template with the rule's AssertDescription, as CloudFormation does.
	_, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep36("cdk-asset-image.json")}},
		cfn.LoadOptions{SSM: map[string]string{"/cdk-bootstrap/hnb659fds/version": "5"}})
	if err == nil || !strings.Contains(err.Error(), "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.") {
		t.Errorf("bootstrap version 5: %v, want the rule's AssertDescription", err)
	}
}

// TestSweep36RestrictDefaultSG: the CDK's Custom::VpcRestrictDefaultSG
// removes the VPC default security group's two rules (all traffic from
// itself in, all traffic to 0.0.0.0/0 out), as the function the CDK ships
// does on Create, and deleting it puts them back (its Delete). Before round
// thirty-six the custom resource was skipped and the default group kept
// both rules.
func TestSweep36RestrictDefaultSG(t *testing.T) {
	tpl, err := cfn.ReadTemplate(sweep36("cdk-orphaned-lb-cleanup.json"))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	res, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "orphaned", SSM: cdkBootstrapped})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, r := range res.Resources {
		ids[r.LogicalID] = r.PhysicalID
	}
	vpc := ids["Vpc8378EB38"]
	g, ok := defaultGroupOf(e, vpc)
	if !ok {
		t.Fatalf("no default security group in %s", vpc)
	}
	if len(g.Ingress) != 0 || len(g.Egress) != 0 {
		t.Errorf("default group %s after the create: ingress %+v, egress %+v, want none", g.ID, g.Ingress, g.Egress)
	}
	if p := ids["VpcRestrictDefaultSecurityGroupCustomResourceC73DA2BE"]; len(p) != 36 || strings.Count(p, "-") != 4 {
		t.Errorf("physical id %q, want a request id (UUID)", p)
	}

	// An update that changes a property but not the group (here Account)
	// is sent to the function, which leaves the group as it is: the
	// resource is modified in place, not replaced (a replacement would
	// put the rules back when the old one is deleted).
	body := strings.Replace(string(mustReadFile(t, sweep36("cdk-orphaned-lb-cleanup.json"))), `"Account": {
     "Ref": "AWS::AccountId"
    }`, `"Account": "111111111111"`, 1)
	changed, err := cfn.ParseTemplate("changed.json", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	res, err = cfn.Deploy(e, changed, cfn.DeployOptions{StackName: "orphaned", SSM: cdkBootstrapped, Existing: existingOf(res)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Resources {
		if r.Type == "Custom::VpcRestrictDefaultSG" && (r.Change != cfn.ChangeModify || r.PhysicalID != ids[r.LogicalID]) {
			t.Errorf("%s after changing Account: %q %s, want Modify of %s", r.LogicalID, r.Change, r.PhysicalID, ids[r.LogicalID])
		}
	}
	if g, _ = defaultGroupOf(e, vpc); len(g.Ingress) != 0 || len(g.Egress) != 0 {
		t.Errorf("default group after the update: ingress %+v, egress %+v, want none", g.Ingress, g.Egress)
	}

	// Delete only the custom resource (the CDK's feature flag turned
	// off): the rules come back, as AWS gives them to a default group.
	var custom []cfn.Resource
	for _, r := range res.Resources {
		if r.Type == "Custom::VpcRestrictDefaultSG" {
			custom = append(custom, r)
		}
	}
	if len(custom) != 1 {
		t.Fatalf("%d Custom::VpcRestrictDefaultSG resources created, want 1", len(custom))
	}
	if err := cfn.DeleteResources(e, custom); err != nil {
		t.Fatal(err)
	}
	g, _ = defaultGroupOf(e, vpc)
	if len(g.Ingress) != 1 || g.Ingress[0].Group != g.ID || g.Ingress[0].Protocol != model.AllProtocols ||
		len(g.Egress) != 1 || g.Egress[0].CIDR.String() != "0.0.0.0/0" || g.Egress[0].Protocol != model.AllProtocols {
		t.Errorf("default group after the delete: ingress %+v, egress %+v, want self in and 0.0.0.0/0 out", g.Ingress, g.Egress)
	}
	rest := slices.DeleteFunc(slices.Clone(res.Resources), func(r cfn.Resource) bool { return r.Type == "Custom::VpcRestrictDefaultSG" })
	if err := cfn.DeleteResources(e, rest); err != nil {
		t.Fatal(err)
	}
	if _, ok := defaultGroupOf(e, vpc); ok {
		t.Errorf("the default group outlived its VPC")
	}
}

// TestSweep36RestrictedDefaultGroupBlocksPulls: tasks given no security
// group run in the VPC's default group; with the CDK's
// Custom::VpcRestrictDefaultSG that group has no rules, so the tasks cannot
// reach the ECR interface endpoints (in the same group) and their image
// pulls fail (ECS_IMAGE_PULL_FAILED). Without the custom resource the
// group's self-reference admits them. Before round thirty-six the custom
// resource was skipped and the check passed.
func TestSweep36RestrictedDefaultGroupBlocksPulls(t *testing.T) {
	for _, c := range []struct {
		closed string
		want   bool
	}{{"true", true}, {"false", false}} {
		res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep36("restrict-default-sg-endpoints.yaml"), Parameters: map[string]string{"Closed": c.closed}}},
			cfn.LoadOptions{EngineOptions: []engine.Option{engine.WithStartCheck(reach.StartCheck)}})
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, f := range reach.Lint(reach.Compile(state(res))) {
			if f.Code == "ECS_IMAGE_PULL_FAILED" {
				got = true
			}
		}
		if got != c.want {
			t.Errorf("Closed=%s: ECS_IMAGE_PULL_FAILED %v, want %v", c.closed, got, c.want)
		}
	}
}

// TestSweep36CopilotEnvAndService: Copilot's own environment stack (the
// workload already in ALBWorkloads, as its environment controller leaves
// it) under round seventeen's Copilot Windows web service: the service's
// imports and its environment controller's attributes are the
// environment's exports and outputs, and its listener rule lands on the
// environment's HTTP listener.
func TestSweep36CopilotEnvAndService(t *testing.T) {
	env := map[string]string{"AppName": "my-app", "EnvironmentName": "test", "ALBWorkloads": "fe",
		"InternalALBWorkloads": "", "EFSWorkloads": "", "NATWorkloads": "", "AppRunnerPrivateWorkloads": "",
		"ToolsAccountPrincipalARN": "arn:aws:iam::123456789012:root", "AppDNSName": "", "AppDNSDelegationRole": "", "Aliases": "",
		"CreateHTTPSListener": "false", "CreateInternalHTTPSListener": "false", "ServiceDiscoveryEndpoint": "test.my-app.local"}
	res, err := cfn.LoadStacks([]cfn.StackInput{
		{Path: sweep36("copilot-env-basic.yml"), Name: "my-app-test", Parameters: env},
		{Path: filepath.Join("testdata", "sweep17", "cp-windows.yml"), Name: "my-app-test-fe", Parameters: copilotWindowsParams}},
		cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var rules int
	res.Engine.Read(func(st *model.State) {
		for _, r := range st.ListenerRules {
			if l := st.Listeners[r.ListenerARN]; l != nil && l.Port == 80 {
				rules++
			}
		}
	})
	if rules != 1 {
		t.Errorf("%d rules on the environment's HTTP listener, want the service's 1", rules)
	}
}
