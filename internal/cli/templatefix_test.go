package cli

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
)

// The fixes' aws CLI commands as template changes, for each kind.
func TestTemplateChangeKinds(t *testing.T) {
	s := &source{Stacks: &cfn.Result{
		Stacks: []*cfn.Stack{{Name: "net"}},
		Resources: []cfn.Resource{
			{LogicalID: "Acl", Type: "AWS::EC2::NetworkAcl", PhysicalID: "acl-1", File: "net.yaml", Line: 40},
			{LogicalID: "PublicRoutes", Type: "AWS::EC2::RouteTable", PhysicalID: "rtb-1", File: "net.yaml", Line: 30},
			{LogicalID: "Igw", Type: "AWS::EC2::InternetGateway", PhysicalID: "igw-1", File: "net.yaml", Line: 20},
			{LogicalID: "App/Web", Type: "AWS::EC2::SecurityGroup", PhysicalID: "sg-1", File: "app.yaml", Line: 12},
			{LogicalID: "App/Lb", Type: "AWS::EC2::SecurityGroup", PhysicalID: "sg-2", File: "app.yaml", Line: 5},
			{LogicalID: "Web", Type: "AWS::ECS::Service", PhysicalID: "arn:aws:ecs:us-east-1:123456789012:service/c/web", File: "svc.yaml", Line: 50},
		}}}
	for cmd, want := range map[string][]string{
		"aws ec2 create-network-acl-entry --network-acl-id acl-1 --egress --rule-number 110 --protocol tcp --port-range From=1024,To=65535 --cidr-block 0.0.0.0/0 --rule-action allow": {
			"net.yaml:40 Acl", "Type: AWS::EC2::NetworkAclEntry", "NetworkAclId: !Ref Acl", "Protocol: 6", "Egress: true", "PortRange: {From: 1024, To: 65535}"},
		"aws ec2 create-route --route-table-id rtb-1 --destination-cidr-block 0.0.0.0/0 --gateway-id igw-1": {
			"net.yaml:30 PublicRoutes", "Type: AWS::EC2::Route", "RouteTableId: !Ref PublicRoutes", "GatewayId: !Ref Igw"},
		"aws ec2 authorize-security-group-egress --group-id sg-1 --protocol tcp --port 443 --cidr 0.0.0.0/0": {
			"app.yaml:12 App/Web", "SecurityGroupEgress:", "CidrIp: 0.0.0.0/0"},
		"aws ec2 authorize-security-group-ingress --group-id sg-1 --protocol tcp --port 80 --source-group sg-2": {
			"app.yaml:12 App/Web", "SecurityGroupIngress:", "SourceSecurityGroupId: !Ref Lb"},
		"aws ec2 create-network-acl-entry --network-acl-id acl-1 --egress --rule-number 110 --protocol icmp --icmp-type-code Type=0,Code=-1 --cidr-block 0.0.0.0/0 --rule-action allow": {
			"net.yaml:40 Acl", "Protocol: 1", "Egress: true", "Icmp: {Type: 0, Code: -1}"},
		"aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions 'IpProtocol=icmp,FromPort=8,ToPort=-1,UserIdGroupPairs=[{GroupId=sg-2}]'": {
			"app.yaml:12 App/Web", "IpProtocol: icmp", "FromPort: 8", "ToPort: -1", "SourceSecurityGroupId: !Ref Lb"},
		"aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions 'IpProtocol=icmp,FromPort=8,ToPort=-1,IpRanges=[{CidrIp=10.0.0.0/16}]'": {
			"IpProtocol: icmp", "FromPort: 8", "CidrIp: 10.0.0.0/16"},
		"aws ecs update-service --cluster c --service web --network-configuration 'awsvpcConfiguration={subnets=[s],securityGroups=[g],assignPublicIp=ENABLED}'": {
			"svc.yaml:50 Web", "AssignPublicIp: ENABLED"},
	} {
		c, ok := s.templateChange(cmd)
		if !ok {
			t.Errorf("%s: no template change", cmd)
			continue
		}
		got := c.File + ":" + strconv.Itoa(c.Line) + " " + c.Resource + "\n" + c.Snippet
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s:\n%s\nlacks %q", cmd, got, w)
			}
		}
	}
	if _, ok := s.templateChange("aws ec2 authorize-security-group-ingress --group-id sg-9 --protocol tcp --port 80 --cidr 1.2.3.4/32"); ok {
		t.Error("a group the templates did not create has no template change")
	}
}
