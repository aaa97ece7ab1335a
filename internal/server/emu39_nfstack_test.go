package server_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

const nfStackTemplate = `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  FirewallSubnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/28, AvailabilityZone: us-east-1a}
  HttpsOnly:
    Type: AWS::NetworkFirewall::RuleGroup
    Properties:
      RuleGroupName: https-only
      Type: STATEFUL
      Capacity: 10
      Description: web only
      RuleGroup:
        StatefulRuleOptions: {RuleOrder: STRICT_ORDER}
        RulesSource:
          StatefulRules:
            - Action: PASS
              Header: {Protocol: TCP, Source: 10.0.0.0/16, SourcePort: ANY, Direction: FORWARD, Destination: ANY, DestinationPort: "443"}
              RuleOptions: [{Keyword: "sid", Settings: ["1"]}]
  Policy:
    Type: AWS::NetworkFirewall::FirewallPolicy
    Properties:
      FirewallPolicyName: egress
      FirewallPolicy:
        StatelessDefaultActions: [aws:forward_to_sfe]
        StatelessFragmentDefaultActions: [aws:forward_to_sfe]
        StatefulEngineOptions: {RuleOrder: STRICT_ORDER}
        StatefulDefaultActions: [aws:drop_strict]
        StatefulRuleGroupReferences: [{ResourceArn: !Ref HttpsOnly, Priority: 1}]
  Firewall:
    Type: AWS::NetworkFirewall::Firewall
    Properties:
      FirewallName: egress-fw
      FirewallPolicyArn: !Ref Policy
      VpcId: !Ref Vpc
      SubnetMappings: [{SubnetId: !Ref FirewallSubnet}]
Outputs:
  PolicyArn: {Value: !Ref Policy}
  GroupId: {Value: !GetAtt HttpsOnly.RuleGroupId}
`

// A stack's Network Firewall rule group, firewall policy and firewall are
// the Network Firewall API's (aws CLI): DescribeFirewall answers the
// stack's policy ARN, DescribeFirewallPolicy and DescribeRuleGroup find
// them as the template wrote them (GetAtt RuleGroupId is the group's id);
// a stack update of the rules updates the group in place; deleting the
// stack deletes all three.
func TestNetworkFirewallStackResourcesInTheAPI(t *testing.T) {
	requireTool(t, "aws", "--version")
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	cli := func(args ...string) (map[string]any, error) {
		t.Helper()
		cmd := exec.Command("aws", append([]string{"--endpoint-url", em.URL, "--output", "json"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
			"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return nil, &cliError{string(out)}
		}
		var v map[string]any
		must(t, json.Unmarshal(out, &v))
		return v, nil
	}
	s, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("nf"), TemplateBody: aws.String(nfStackTemplate)})
	must(t, err)
	waitStack(t, cf, aws.ToString(s.StackId), cfntypes.StackStatusCreateComplete)
	outs := stackOutputs(t, cf, "nf")

	fw, err := cli("network-firewall", "describe-firewall", "--firewall-name", "egress-fw")
	must(t, err)
	if got := fw["Firewall"].(map[string]any)["FirewallPolicyArn"]; got != outs["PolicyArn"] || !strings.HasSuffix(outs["PolicyArn"], ":firewall-policy/egress") {
		t.Errorf("DescribeFirewall FirewallPolicyArn = %v, want the stack's %s", got, outs["PolicyArn"])
	}
	pol, err := cli("network-firewall", "describe-firewall-policy", "--firewall-policy-arn", outs["PolicyArn"])
	must(t, err)
	refs := pol["FirewallPolicy"].(map[string]any)["StatefulRuleGroupReferences"].([]any)
	groupARN := refs[0].(map[string]any)["ResourceArn"].(string)
	if !strings.HasSuffix(groupARN, ":stateful-rulegroup/https-only") {
		t.Errorf("the policy's reference: %v", refs)
	}
	g, err := cli("network-firewall", "describe-rule-group", "--rule-group-name", "https-only", "--type", "STATEFUL")
	must(t, err)
	resp := g["RuleGroupResponse"].(map[string]any)
	rules := g["RuleGroup"].(map[string]any)["RulesSource"].(map[string]any)["StatefulRules"].([]any)
	if resp["RuleGroupArn"] != groupARN || resp["RuleGroupId"] != outs["GroupId"] || resp["Capacity"] != float64(10) || resp["Description"] != "web only" ||
		len(rules) != 1 || rules[0].(map[string]any)["Action"] != "PASS" {
		t.Errorf("DescribeRuleGroup: %v", g)
	}

	// A stack update that changes the group's rules updates it in place
	// (UpdateRuleGroup: "Update requires: No interruption").
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("nf"),
		TemplateBody: aws.String(strings.Replace(nfStackTemplate, `DestinationPort: "443"`, `DestinationPort: "8443"`, 1))})
	must(t, err)
	waitStack(t, cf, aws.ToString(s.StackId), cfntypes.StackStatusUpdateComplete)
	g2, err := cli("network-firewall", "describe-rule-group", "--rule-group-arn", groupARN)
	must(t, err)
	hdr := g2["RuleGroup"].(map[string]any)["RulesSource"].(map[string]any)["StatefulRules"].([]any)[0].(map[string]any)["Header"].(map[string]any)
	if hdr["DestinationPort"] != "8443" || g2["UpdateToken"] == g["UpdateToken"] || g2["RuleGroupResponse"].(map[string]any)["RuleGroupId"] != outs["GroupId"] {
		t.Errorf("after the update: %v", g2)
	}

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("nf")})
	must(t, err)
	waitStack(t, cf, aws.ToString(s.StackId), cfntypes.StackStatusDeleteComplete)
	for _, args := range [][]string{
		{"network-firewall", "describe-rule-group", "--rule-group-arn", groupARN},
		{"network-firewall", "describe-firewall-policy", "--firewall-policy-arn", outs["PolicyArn"]},
		{"network-firewall", "describe-firewall", "--firewall-name", "egress-fw"},
	} {
		if _, err := cli(args...); err == nil || !strings.Contains(err.Error(), "ResourceNotFoundException") {
			t.Errorf("%v after the stack's deletion: %v, want ResourceNotFoundException", args[1], err)
		}
	}
}

type cliError struct{ out string }

func (e *cliError) Error() string { return e.out }
