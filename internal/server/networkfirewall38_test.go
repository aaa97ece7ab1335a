package server_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ecsnet/ecsnet/internal/store/bolt"
)

// TestTerraformNetworkFirewall applies AWS Network Firewall through the
// real AWS provider: a stateful 5-tuple rule group and a domain list, a
// firewall policy, a firewall in two subnets and routes to its endpoints
// by zone (firewall_status's sync_states); apply, a second plan without
// changes, destroy.
func TestTerraformNetworkFirewall(t *testing.T) {
	terraformApply(t, "testdata/terraform/networkfirewall38", "us-east-1", "")
}

// Network Firewall's rule groups, policies and firewalls are records of
// the store: after a restart they are described as given (numbers too),
// their update tokens still current, the firewall's endpoints in place.
func TestNetworkFirewallPersists(t *testing.T) {
	requireTool(t, "aws", "--version")
	path := filepath.Join(t.TempDir(), "state.db")
	b, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	srv, url := startOn(t, b, false)
	cli := func(url string, args ...string) map[string]any {
		t.Helper()
		cmd := exec.Command("aws", append([]string{"--endpoint-url", url, "--output", "json"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
			"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("aws %v: %v\n%s", args, err, out)
		}
		var v map[string]any
		if len(out) > 0 {
			must(t, json.Unmarshal(out, &v))
		}
		return v
	}
	vpc := cli(url, "ec2", "create-vpc", "--cidr-block", "10.0.0.0/16")["Vpc"].(map[string]any)["VpcId"].(string)
	subnet := cli(url, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.0.1.0/24", "--availability-zone", "us-east-1a")["Subnet"].(map[string]any)["SubnetId"].(string)
	g := cli(url, "network-firewall", "create-rule-group", "--rule-group-name", "fwd", "--type", "STATELESS", "--capacity", "7", "--rule-group",
		`{"RulesSource":{"StatelessRulesAndCustomActions":{"StatelessRules":[{"Priority":3,"RuleDefinition":{"Actions":["aws:drop"],"MatchAttributes":{"Protocols":[17],"DestinationPorts":[{"FromPort":53,"ToPort":53}]}}}]}}}`)
	gARN := g["RuleGroupResponse"].(map[string]any)["RuleGroupArn"].(string)
	p := cli(url, "network-firewall", "create-firewall-policy", "--firewall-policy-name", "p", "--firewall-policy",
		`{"StatelessDefaultActions":["aws:pass"],"StatelessFragmentDefaultActions":["aws:pass"],"StatelessRuleGroupReferences":[{"ResourceArn":"`+gARN+`","Priority":5}]}`)
	pARN := p["FirewallPolicyResponse"].(map[string]any)["FirewallPolicyArn"].(string)
	cli(url, "network-firewall", "create-firewall", "--firewall-name", "fw", "--firewall-policy-arn", pARN, "--vpc-id", vpc, "--subnet-mappings", "SubnetId="+subnet)
	srv.Close()
	must(t, b.Close())

	b2, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	t.Cleanup(func() { b2.Close() })
	_, url = startOn(t, b2, false)
	d := cli(url, "network-firewall", "describe-rule-group", "--rule-group-arn", gARN)
	rule := d["RuleGroup"].(map[string]any)["RulesSource"].(map[string]any)["StatelessRulesAndCustomActions"].(map[string]any)["StatelessRules"].([]any)[0].(map[string]any)
	if rule["Priority"] != float64(3) || d["RuleGroupResponse"].(map[string]any)["Capacity"] != float64(7) {
		t.Errorf("the rule group after restart: %v", d)
	}
	cli(url, "network-firewall", "update-rule-group", "--rule-group-arn", gARN, "--update-token", d["UpdateToken"].(string), "--rules", "pass ip any any -> any any (sid:1;)")
	f := cli(url, "network-firewall", "describe-firewall", "--firewall-name", "fw")
	sync := f["FirewallStatus"].(map[string]any)["SyncStates"].(map[string]any)["us-east-1a"].(map[string]any)["Attachment"].(map[string]any)
	if sync["SubnetId"] != subnet || sync["Status"] != "READY" {
		t.Errorf("the firewall after restart: %v", f)
	}
	eps := cli(url, "ec2", "describe-vpc-endpoints", "--vpc-endpoint-ids", sync["EndpointId"].(string))["VpcEndpoints"].([]any)
	if len(eps) != 1 {
		t.Errorf("the firewall's endpoint after restart: %v", eps)
	}
}
