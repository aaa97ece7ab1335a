package snapshot_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// events list-rules answers under "Rules", as elbv2 describe-rules does:
// the reader tells them apart by content (an events rule's Name and Arn,
// an elbv2 rule's RuleArn), and a snapshot with the events rules only
// still says elbv2 describe-rules is missing. list-targets-by-rule's
// targets join their rule by the bus and name beside them; targets that
// do not say their rule, or whose rule is not listed, are warnings at
// their line.
func TestEventRules(t *testing.T) {
	dir := t.TempDir()
	region := filepath.Join(dir, "aws_configs", "us-east-1")
	writeFile(t, filepath.Join(region, "ec2-describe-vpcs.json"), `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`)
	writeFile(t, filepath.Join(region, "elbv2-describe-load-balancers.json"), `{"LoadBalancers": [{"LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/0123456789abcdef", "LoadBalancerName": "web", "Type": "application", "VpcId": "vpc-1"}]}`)
	writeFile(t, filepath.Join(region, "elbv2-describe-listeners.json"), `{"Listeners": [{"ListenerArn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/web/0123456789abcdef/fedcba9876543210", "LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/0123456789abcdef", "Port": 80, "Protocol": "HTTP", "DefaultActions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}]}]}`)
	writeFile(t, filepath.Join(region, "events-list-rules.json"), `{
    "Rules": [
        {"Name": "nightly", "Arn": "arn:aws:events:us-east-1:111122223333:rule/nightly", "State": "ENABLED", "ScheduleExpression": "cron(0 3 * * ? *)", "EventBusName": "default"},
        {"Name": "orders", "Arn": "arn:aws:events:us-east-1:111122223333:rule/shop/orders", "State": "DISABLED", "EventPattern": "{\"source\":[\"shop\"]}", "EventBusName": "shop"}
    ]
}
`)
	writeFile(t, filepath.Join(region, snapshot.EventTargetsFileName("default", "nightly")), `{"EventBusName": "default", "Rule": "nightly", "Targets": [
 {"Id": "job", "Arn": "arn:aws:ecs:us-east-1:111122223333:cluster/demo", "RoleArn": "arn:aws:iam::111122223333:role/events",
  "EcsParameters": {"TaskDefinitionArn": "arn:aws:ecs:us-east-1:111122223333:task-definition/job:3", "TaskCount": 2, "LaunchType": "FARGATE",
   "NetworkConfiguration": {"awsvpcConfiguration": {"Subnets": ["subnet-1"], "SecurityGroups": ["sg-1"], "AssignPublicIp": "DISABLED"}}}}]}
`)
	writeFile(t, filepath.Join(region, "orphans.json"), "{\n  \"Targets\": [{\"Id\": \"x\", \"Arn\": \"arn:aws:sqs:us-east-1:111122223333:q\"}]\n}\n")
	writeFile(t, filepath.Join(region, "gone.json"), "{\"Rule\": \"gone\", \"Targets\": []}\n")
	res := load(t, dir)
	st, _ := res.Engine.Snapshot()
	n, o := st.EventRules[model.EventRuleKey("default", "nightly")], st.EventRules[model.EventRuleKey("shop", "orders")]
	if n == nil || o == nil || len(st.EventRules) != 2 {
		t.Fatalf("rules: %v", st.EventRules)
	}
	if n.State != "ENABLED" || n.ScheduleExpression != "cron(0 3 * * ? *)" || len(n.Targets) != 1 || n.Targets[0].ECS == nil {
		t.Fatalf("nightly: %+v", n)
	}
	e := n.Targets[0].ECS
	if e.TaskCount != 2 || e.LaunchType != model.LaunchFargate || e.Network == nil || len(e.Network.Subnets) != 1 || e.Network.AssignPublicIP || n.Targets[0].RoleARN == "" {
		t.Errorf("nightly's target: %+v %+v", n.Targets[0], e)
	}
	if o.EventBus != "shop" || o.State != "DISABLED" || len(o.Targets) != 0 {
		t.Errorf("orders: %+v", o)
	}
	want := map[string]bool{"elbv2 describe-rules": false, "orphans.json:2": false, "gone.json:1": false}
	for _, w := range res.Warnings {
		switch {
		case w.Code == snapshot.CodeMissing && strings.Contains(w.Message, "no elbv2 describe-rules output"):
			want["elbv2 describe-rules"] = true
		case strings.HasSuffix(w.File, "orphans.json") && w.Line == 2 && strings.Contains(w.Message, "Targets skipped: the file does not say which EventBridge rule"):
			want["orphans.json:2"] = true
		case strings.HasSuffix(w.File, "gone.json") && w.Line == 1 && w.Code == snapshot.CodeDangling:
			want["gone.json:1"] = true
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("no warning for %s among %v", k, res.Warnings)
		}
	}
	if len(st.ListenerRules) != 0 {
		t.Errorf("events rules read as listener rules: %v", st.ListenerRules)
	}
}
