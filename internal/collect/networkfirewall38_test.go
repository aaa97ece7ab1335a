package collect_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/internal/collect"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// TestCollectNetworkFirewallFromServe collects a firewall made through
// the Network Firewall API (the aws CLI) on ecsnet serve: the snapshot
// holds the firewall, its endpoints by zone and its policy's drop rule.
func TestCollectNetworkFirewallFromServe(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the aws CLI is not installed")
	}
	srv, url := startServe(t)
	ctx := context.Background()
	e := ec2.NewFromConfig(sdkConfig(t, url))
	vpc := must[*ec2.CreateVpcOutput](t)(e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})).Vpc.VpcId
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s := must[*ec2.CreateSubnetOutput](t)(e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String([]string{"10.0.1.0/24", "10.0.2.0/24"}[i]),
			AvailabilityZone: aws.String(az)})).Subnet.SubnetId
		subnets = append(subnets, *s)
	}
	for _, kv := range []string{"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PROFILE="} {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	os.Unsetenv("AWS_PROFILE")
	cli := func(args ...string) map[string]any {
		t.Helper()
		out, err := exec.Command("aws", append([]string{"network-firewall", "--endpoint-url", url, "--region", "us-east-1", "--output", "json"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("aws %v: %v\n%s", args, err, out)
		}
		var v map[string]any
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("aws %v: %v\n%s", args, err, out)
		}
		return v
	}
	g := cli("create-rule-group", "--rule-group-name", "deny-db", "--type", "STATEFUL", "--capacity", "10", "--rule-group",
		`{"RulesSource":{"StatefulRules":[{"Action":"DROP","Header":{"Protocol":"TCP","Source":"ANY","SourcePort":"ANY","Direction":"FORWARD","Destination":"10.0.20.0/24","DestinationPort":"5432"},"RuleOptions":[{"Keyword":"sid","Settings":["1"]}]}]}}`)
	gARN := g["RuleGroupResponse"].(map[string]any)["RuleGroupArn"].(string)
	p := cli("create-firewall-policy", "--firewall-policy-name", "egress", "--firewall-policy",
		`{"StatelessDefaultActions":["aws:forward_to_sfe"],"StatelessFragmentDefaultActions":["aws:forward_to_sfe"],"StatefulRuleGroupReferences":[{"ResourceArn":"`+gARN+`"}]}`)
	pARN := p["FirewallPolicyResponse"].(map[string]any)["FirewallPolicyArn"].(string)
	f := cli("create-firewall", "--firewall-name", "edge", "--firewall-policy-arn", pARN, "--vpc-id", *vpc,
		"--subnet-mappings", "SubnetId="+subnets[0], "SubnetId="+subnets[1])
	fARN := f["Firewall"].(map[string]any)["FirewallArn"].(string)
	endpoint := cli("describe-firewall", "--firewall-arn", fARN)["FirewallStatus"].(map[string]any)["SyncStates"].(map[string]any)["us-east-1a"].(map[string]any)["Attachment"].(map[string]any)["EndpointId"].(string)

	// An application subnet and a database subnet in us-east-1a that send
	// each other's traffic through the firewall endpoint of the zone, and
	// an instance in each.
	var instances, addrs []string
	for _, x := range []struct{ cidr, peer string }{{"10.0.10.0/24", "10.0.20.0/24"}, {"10.0.20.0/24", "10.0.10.0/24"}} {
		sub := must[*ec2.CreateSubnetOutput](t)(e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String(x.cidr), AvailabilityZone: aws.String("us-east-1a")})).Subnet.SubnetId
		rt := must[*ec2.CreateRouteTableOutput](t)(e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc})).RouteTable.RouteTableId
		must[*ec2.CreateRouteOutput](t)(e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rt, DestinationCidrBlock: aws.String(x.peer), VpcEndpointId: aws.String(endpoint)}))
		must[*ec2.AssociateRouteTableOutput](t)(e.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: rt, SubnetId: sub}))
		inst := must[*ec2.RunInstancesOutput](t)(e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(ecsOptimizedAMI()),
			InstanceType: ec2types.InstanceTypeT3Micro, MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: sub})).Instances[0]
		instances = append(instances, aws.ToString(inst.InstanceId))
		addrs = append(addrs, aws.ToString(inst.PrivateIpAddress))
	}

	out := t.TempDir()
	m, err := collect.Run(ctx, collect.Options{Regions: []string{"us-east-1"}, EndpointURL: url, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range m.Calls {
		if c.Error != "" {
			t.Errorf("%s: %s", c.Call, c.Error)
		}
	}
	res, err := snapshot.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	st, _ := res.Engine.Snapshot()
	fw := st.NetworkFirewalls[fARN]
	if fw == nil {
		t.Fatalf("no firewall %s in the snapshot: %v", fARN, st.NetworkFirewalls)
	}
	if len(fw.Endpoints) != 2 || st.VpcEndpoints[fw.Endpoints["us-east-1a"]] == nil || st.VpcEndpoints[fw.Endpoints["us-east-1b"]] == nil {
		t.Errorf("endpoints %v", fw.Endpoints)
	}
	if len(fw.Policy.StatefulRules) != 1 || fw.Policy.StatefulRules[0].Action != "drop" || fw.Policy.StatefulRules[0].Match.FromPort != 5432 {
		t.Errorf("policy %+v", fw.Policy)
	}

	// The analyzer, on the live state and on the snapshot: the firewall
	// drops the database port, not another one.
	srvEngine, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	live, _ := srvEngine.Snapshot()
	for _, p := range []struct {
		port string
		drop bool
	}{{"5432", true}, {"5433", false}} {
		for name, state := range map[string]*model.State{"live": live, "snapshot": st} {
			r := probeState(t, state, instances[0], addrs[1]+":"+p.port)
			if r.HasCode("ECS_NETWORK_FIREWALL_DROP") != p.drop || p.drop && r.Verdict != reach.Timeout {
				t.Errorf("%s: %s → %s:%s: %s %s, want the firewall's drop %v", name, instances[0], addrs[1], p.port, r.Verdict, r.Summary, p.drop)
			}
		}
	}
}
