package cfn_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

const transformsTemplate = `
Parameters:
  Step: {Type: String, Default: one}
Conditions:
  IsTwo: !Equals [!Ref Step, two]
  IsThree: !Equals [!Ref Step, three]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.9.0.0/16}
  A:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.9.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""]}
  B:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.9.2.0/24, AvailabilityZone: !Select [1, !GetAZs ""]}
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Name: web-lb, Scheme: internal, Subnets: [!Ref A, !Ref B]}
  Tg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {VpcId: !Ref Vpc, Port: 80, Protocol: HTTP, TargetType: ip}
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Lb
      Port: 80
      Protocol: HTTP
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Tg}]
  Rule:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref Http
      Priority: 10
      Conditions: [{Field: path-pattern, PathPatternConfig: {Values: [/api/*]}}]
      Actions: [{Type: forward, TargetGroupArn: !Ref Tg}]
      Transforms: !If
        - IsThree
        - !Ref AWS::NoValue
        - - Type: url-rewrite
            UrlRewriteConfig:
              Rewrites: [{Regex: "^/api/(.*)$", Replace: !If [IsTwo, "/v2/$1", "/$1"]}]
          - Type: host-header-rewrite
            HostHeaderRewriteConfig:
              Rewrites: [{Regex: "^(.+)$", Replace: api.internal}]
`

// An AWS::ElasticLoadBalancingV2::ListenerRule's Transforms reach the rule;
// an update changes them in place (ModifyRule), and removing them resets
// them (ResetTransforms).
func TestListenerRuleTransforms(t *testing.T) {
	tpl, err := cfn.ParseTemplate("tr.yaml", []byte(transformsTemplate))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	rule := func(s *cfn.Stack) *model.ListenerRule {
		t.Helper()
		var r *model.ListenerRule
		e.Read(func(st *model.State) { r = st.ListenerRules[s.PhysicalIDs["Rule"]] })
		if r == nil {
			t.Fatal("no rule")
		}
		return r
	}
	first, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "tr"})
	if err != nil {
		t.Fatal(err)
	}
	want := []model.RuleTransform{{Type: "url-rewrite", Regex: "^/api/(.*)$", Replace: "/$1"}, {Type: "host-header-rewrite", Regex: "^(.+)$", Replace: "api.internal"}}
	if got := rule(first).Transforms; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("transforms %+v, want %+v", got, want)
	}
	second, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "tr", Existing: existingOf(first), Parameters: map[string]string{"Step": "two"}})
	if err != nil {
		t.Fatal(err)
	}
	if r := rule(second); r.ARN != first.PhysicalIDs["Rule"] || len(r.Transforms) != 2 || r.Transforms[0].Replace != "/v2/$1" {
		t.Fatalf("updated transforms %+v", r.Transforms)
	}
	third, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "tr", Existing: existingOf(second), Parameters: map[string]string{"Step": "three"}})
	if err != nil {
		t.Fatal(err)
	}
	if r := rule(third); len(r.Transforms) != 0 {
		t.Fatalf("removed transforms left %+v", r.Transforms)
	}

	// Two url-rewrites: the ELB API's refusal, at the property.
	bad := strings.Replace(transformsTemplate, "- Type: host-header-rewrite\n            HostHeaderRewriteConfig:", "- Type: url-rewrite\n            UrlRewriteConfig:", 1)
	tpl, err = cfn.ParseTemplate("bad.yaml", []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfn.Deploy(cfn.NewEngine(), tpl, cfn.DeployOptions{StackName: "bad"})
	if err == nil || !strings.Contains(err.Error(), "A rule can have only one 'url-rewrite' transform") {
		t.Fatalf("two url-rewrites: %v", err)
	}
}
