package cfn_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

const capacityProviderTemplate = `
Parameters:
  AssignPublicIp: {Type: String, Default: DISABLED, AllowedValues: [ENABLED, DISABLED]}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""]}
  Cluster:
    Type: AWS::ECS::Cluster
  LaunchTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-0123456789abcdef0
        InstanceType: m5.large
        UserData: !Base64 {"Fn::Sub": "echo ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config"}
  Asg:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchTemplate: {LaunchTemplateName: !Sub "${AWS::StackName}-LaunchTemplate-x", Version: "$Latest"}
      VPCZoneIdentifier: [!Ref Subnet]
      MinSize: 1
      MaxSize: 1
      NewInstancesProtectedFromScaleIn: true
  Provider:
    Type: AWS::ECS::CapacityProvider
    Properties:
      AutoScalingGroupProvider:
        AutoScalingGroupArn: !Ref Asg
        ManagedScaling: {Status: ENABLED, TargetCapacity: 100}
        ManagedTerminationProtection: ENABLED
  Association:
    Type: AWS::ECS::ClusterCapacityProviderAssociations
    Properties:
      Cluster: !Ref Cluster
      CapacityProviders: [!Ref Provider]
      DefaultCapacityProviderStrategy: [{CapacityProvider: !Ref Provider, Weight: 1}]
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      NetworkMode: awsvpc
      ContainerDefinitions: [{Name: web, Image: nginx, Memory: 256, PortMappings: [{ContainerPort: 80}]}]
  Service:
    Type: AWS::ECS::Service
    DependsOn: Association
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref TaskDefinition
      CapacityProviderStrategy: [{CapacityProvider: !Ref Provider, Weight: 1}]
      NetworkConfiguration:
        AwsvpcConfiguration:
          Subnets: [!Ref Subnet]
          AssignPublicIp: !Ref AssignPublicIp
`

// TestCapacityProviders checks an EC2 capacity provider built from an
// Auto Scaling group (referenced by name, as !Ref gives it), associated
// with the cluster, and a service placed through it; and that
// AssignPublicIp ENABLED with an EC2 capacity provider fails as on AWS.
func TestCapacityProviders(t *testing.T) {
	tmpl := strings.Replace(capacityProviderTemplate, `LaunchTemplateName: !Sub "${AWS::StackName}-LaunchTemplate-x"`, "LaunchTemplateId: !Ref LaunchTemplate", 1)
	res := loadText(t, "cp.yaml", tmpl, nil)
	provider := res.PhysicalIDs["Provider"]
	if !strings.HasPrefix(provider, "cp-Provider-") {
		t.Errorf("generated capacity provider name = %q, want cp-Provider-…", provider)
	}
	res.Engine.Read(func(st *model.State) {
		var running []*model.Task
		for _, tk := range st.Tasks {
			if tk.LastStatus == model.TaskRunning {
				running = append(running, tk)
			}
		}
		if len(running) != 1 || running[0].CapacityProvider != provider {
			t.Errorf("running tasks = %d; want one placed by %s", len(running), provider)
		}
		cl := st.Clusters[res.PhysicalIDs["Service"][:strings.Index(res.PhysicalIDs["Service"], ":service/")]+":cluster/"+res.PhysicalIDs["Cluster"]]
		if cl == nil || len(cl.CapacityProviders) != 1 || cl.CapacityProviders[0] != provider {
			t.Errorf("cluster capacity providers = %+v", cl)
		}
	})

	path := filepath.Join(t.TempDir(), "cp.yaml")
	if err := os.WriteFile(path, []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := cfn.Load(path, map[string]string{"AssignPublicIp": "ENABLED"})
	want := path + ":56: Service (AWS::ECS::Service): InvalidParameterException: Assign public IP is not supported for this launch type."
	if err == nil || err.Error() != want || !apierr.HasCode(err, "InvalidParameterException") {
		t.Errorf("AssignPublicIp ENABLED with an EC2 capacity provider: error =\n%v\nwant\n%s", err, want)
	}

	// A launch template name that does not exist fails the group with the
	// Auto Scaling error, at the LaunchTemplate property.
	_, err = cfn.Load(writeTemp(t, "cp.yaml", capacityProviderTemplate), nil)
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Resource != "Asg" || ce.Line != 23 || ce.Err == nil {
		t.Errorf("missing launch template: error = %v (%+v), want one at Asg's LaunchTemplate (line 23)", err, ce)
	}
}

func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const aclTemplate = `
Parameters:
  UseAcl: {Type: String, Default: "yes"}
Conditions:
  Acl: !Equals [!Ref UseAcl, "yes"]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Gateway:
    Type: AWS::EC2::InternetGateway
  Attachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Gateway}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}
  Routes:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  Default:
    Type: AWS::EC2::Route
    DependsOn: Attachment
    Properties: {RouteTableId: !Ref Routes, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Gateway}
  SubnetRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Subnet, RouteTableId: !Ref Routes}
  Acl:
    Type: AWS::EC2::NetworkAcl
    Condition: Acl
    Properties: {VpcId: !Ref Vpc}
  AclInHttps:
    Type: AWS::EC2::NetworkAclEntry
    Condition: Acl
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: 6, RuleAction: allow, CidrBlock: 0.0.0.0/0, PortRange: {From: 443, To: 443}}
  AclOut:
    Type: AWS::EC2::NetworkAclEntry
    Condition: Acl
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: -1, Egress: true, RuleAction: allow, CidrBlock: 0.0.0.0/0}
  AclSubnet:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Condition: Acl
    Properties: {SubnetId: !Ref Subnet, NetworkAclId: !Ref Acl}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh and https
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
  Web:
    Type: AWS::EC2::Instance
    DependsOn: Default
    Properties:
      ImageId: ami-0123456789abcdef0
      InstanceType: t3.micro
      SubnetId: !Ref Subnet
      SecurityGroupIds: [!Ref Group]
  Address:
    Type: AWS::EC2::EIP
    DependsOn: Attachment
    Metadata:
      ecsnet: {PublicIp: 203.0.113.10}
    Properties:
      InstanceId: !Ref Web
Outputs:
  Ip: {Value: !Ref Address}
  Private: {Value: !GetAtt Web.PrivateIp}
`

// TestInstanceAndNetworkACL checks an instance with an Elastic IP behind a
// custom network ACL that admits only 443: ssh times out at the ACL,
// 443 reaches the host (nothing listens: refused); without the ACL, ssh
// connects.
func TestInstanceAndNetworkACL(t *testing.T) {
	res := loadText(t, "acl.yaml", aclTemplate, nil)
	if res.Outputs["Ip"] != "203.0.113.10" || !strings.HasPrefix(res.Outputs["Private"], "10.0.1.") {
		t.Fatalf("outputs = %v", res.Outputs)
	}
	for port, want := range map[string]reach.Verdict{"22": reach.Timeout, "443": reach.Refused} {
		if r := probe(t, res, "internet", "203.0.113.10:"+port); r.Verdict != want {
			t.Errorf("with the ACL: internet → 203.0.113.10:%s = %s, want %s: %s", port, r.Verdict, want, r.Summary)
		}
	}
	open := loadText(t, "acl.yaml", aclTemplate, map[string]string{"UseAcl": "no"})
	if r := probe(t, open, "internet", "203.0.113.10:22"); r.Verdict != reach.Connected {
		t.Errorf("without the ACL: internet → 203.0.113.10:22 = %s, want connected: %s", r.Verdict, r.Summary)
	}
}

// TestNestedErrors checks that errors in nested stacks name the nested
// template's file and line and the stack that includes it, and that bad
// parameters passed down blame the parent's Stack resource.
func TestNestedErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	child := write("child.yaml", "Parameters:\n  Cidr: {Type: String}\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Ref Cidr\n")
	parent := func(params string) string {
		return write("parent.yaml", "Resources:\n  Network:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./child.yaml\n"+params)
	}
	cases := []struct {
		params string
		want   string
	}{
		{"      Parameters: {Cidr: 10.0.0.0/33}\n",
			child + ":7: Vpc (AWS::EC2::VPC): InvalidParameterValue: Value (10.0.0.0/33) for parameter cidrBlock is invalid. This is not a valid CIDR block. [in nested stack Network (" + filepath.Join(dir, "parent.yaml") + ":2)]"},
		{"", filepath.Join(dir, "parent.yaml") + ":2: Network (AWS::CloudFormation::Stack): Parameters: [Cidr] must have values"},
		{"      Parameters: {Cidr: 10.0.0.0/16, Extra: x}\n", filepath.Join(dir, "parent.yaml") + ":2: Network (AWS::CloudFormation::Stack): Parameters: [Extra] do not exist in the template"},
		{"      Parameters: {Cidr: [10.0.0.0/16]}\n", filepath.Join(dir, "parent.yaml") + ":6: Network (AWS::CloudFormation::Stack): Properties validation failed for resource Network with message: #/Parameters/Cidr: Value of property Parameters must be an object with String (or simple type) properties"},
	}
	for _, c := range cases {
		_, err := cfn.Load(parent(c.params), nil)
		if err == nil || err.Error() != c.want {
			t.Errorf("parameters %q: error =\n%v\nwant\n%s", c.params, err, c.want)
		}
	}
	res, err := cfn.Load(parent("      Parameters: {Cidr: 10.9.0.0/16}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.PhysicalIDs["Network/Vpc"]; !ok {
		t.Errorf("physical ids = %v, want Network/Vpc", res.PhysicalIDs)
	}
}

// TestPropertyWarnings checks that a misspelled property is reported with
// a suggestion, and that the service-stability warning names the service.
func TestPropertyWarnings(t *testing.T) {
	res := loadText(t, "typo.yaml", `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      EnableDnsHostname: true
  Cluster:
    Type: AWS::ECS::Cluster
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: [{Name: web, Image: nginx, Memory: 128}]
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task
      LaunchType: EC2
`, nil)
	var msgs []string
	for _, w := range res.Warnings {
		msgs = append(msgs, w.String())
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, ":7: Vpc (AWS::EC2::VPC): EnableDnsHostname is not a property of AWS::EC2::VPC (did you mean EnableDnsHostnames?)") {
		t.Errorf("no typo warning in:\n%s", all)
	}
	if !strings.Contains(all, ":14: Service (AWS::ECS::Service): 0 of 1 tasks running; CloudFormation would wait for the service to stabilize and fail the stack") {
		t.Errorf("no stability warning in:\n%s", all)
	}
}

func TestIsTemplate(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"AWSTemplateFormatVersion: '2010-09-09'\n", true},
		{"# comment\nDescription: x\nResources:\n  A: {Type: AWS::SNS::Topic}\n", true},
		{`{"Resources": {}}`, true},
		{"name: article\nvpcs:\n  main: {cidr: 10.0.0.0/16}\n", false},
		{"vpcs:\n  Resources: {}\n", false},
		{"", false},
	} {
		if got := cfn.IsTemplate([]byte(c.text)); got != c.want {
			t.Errorf("IsTemplate(%q) = %v, want %v", c.text, got, c.want)
		}
	}
	for _, f := range []string{"examples/cfn/article.yaml", "examples/cfn/fargate.json", "examples/cfn/nested.yaml", "internal/cfn/testdata/bad/truncated.json"} {
		b, err := os.ReadFile(repoFile(f))
		if err != nil || !cfn.IsTemplate(b) {
			t.Errorf("IsTemplate(%s) = false", f)
		}
	}
	if b, err := os.ReadFile(repoFile("examples/seed/article.yaml")); err != nil || cfn.IsTemplate(b) {
		t.Error("IsTemplate(examples/seed/article.yaml) = true, want false (a scenario file)")
	}
}

// TestMissingDependsOn checks the classic race: a route to an internet
// gateway created before the gateway is attached fails on AWS with "belong
// to different networks" (which is why AWS's samples give the route
// DependsOn: the attachment). Resources that are ready together are
// created in template order, so the route written first fails every time;
// with DependsOn it succeeds.
func TestMissingDependsOn(t *testing.T) {
	tmpl := `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Gateway:
    Type: AWS::EC2::InternetGateway
  Routes:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  Default:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Routes
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Gateway
  Attachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Gateway}
`
	path := writeTemp(t, "race.yaml", tmpl)
	_, err := cfn.Load(path, nil)
	if err == nil || !strings.HasPrefix(err.Error(), path+":15: Default (AWS::EC2::Route): InvalidParameterValue: route table rtb-") ||
		!strings.HasSuffix(err.Error(), "belong to different networks") {
		t.Errorf("error = %v, want the route to fail at GatewayId (line 15): belong to different networks", err)
	}
	fixed := strings.Replace(tmpl, "    Type: AWS::EC2::Route\n", "    Type: AWS::EC2::Route\n    DependsOn: Attachment\n", 1)
	loadText(t, "race.yaml", fixed, nil)
}
