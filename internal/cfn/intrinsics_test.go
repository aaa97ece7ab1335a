package cfn_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// loadText writes a template to a file named name and loads it.
func loadText(t *testing.T, name, text string, params map[string]string) *cfn.Result {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := cfn.Load(path, params)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return res
}

// TestIntrinsics evaluates every supported intrinsic function through
// Outputs, in YAML short form, and checks CloudFormation's results.
func TestIntrinsics(t *testing.T) {
	tmpl := `
Parameters:
  Env: {Type: String, Default: prod, AllowedValues: [dev, prod]}
  Subnets: {Type: CommaDelimitedList, Default: "a, b ,c"}
  Ports: {Type: List<Number>, Default: "80,443"}
  Count: {Type: Number, Default: 3}
Mappings:
  Sizes:
    prod: {Instance: m5.large, Azs: [x, y]}
    dev: {Instance: t3.micro, Azs: [z]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [!Ref Count, "3"]]
  Either: !Or [!Condition IsDev, !Equals [a, b]]
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: alerts
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.1.0.0/16
      Tags:
        - Key: Name
          Value: !If [IsProd, prod-vpc, !Ref AWS::NoValue]
        - Key: Owner
          Value: !Sub "${AWS::AccountId}/${AWS::Region}"
Outputs:
  Sub: {Value: !Sub "${AWS::StackName}-${Env}-${Vpc}-${Vpc.CidrBlock}-${!Literal}"}
  SubMap: {Value: !Sub ["${A}.${B}", {A: !Ref Env, B: !Select [1, !Ref Subnets]}]}
  Join: {Value: !Join [":", [a, !Ref Env, !Select [0, !Ref Ports]]]}
  JoinList: {Value: !Join [",", !Ref Subnets]}
  Select: {Value: !Select ["2", !Split ["/", "a/b/c"]]}
  AZs: {Value: !Join [",", !GetAZs ""]}
  AZsRegion: {Value: !Select [0, !GetAZs {Ref: "AWS::Region"}]}
  FindInMap: {Value: !FindInMap [Sizes, !Ref Env, Instance]}
  FindInMapList: {Value: !Join ["+", !FindInMap [Sizes, !Ref Env, Azs]]}
  If: {Value: !If [IsDev, dev-only, not-dev]}
  Both: {Value: !If [Both, yes, no]}
  Either: {Value: !If [Either, yes, no]}
  Base64: {Value: !Base64 "ECS_CLUSTER=demo"}
  Cidr: {Value: !Join [" ", !Cidr ["10.0.0.0/16", 3, 8]]}
  Cidr6: {Value: !Select [1, !Cidr ["2600:1f14::/56", 2, 64]]}
  GetAttList: {Value: !Join [",", !GetAtt [Vpc, CidrBlockAssociations]]}
  Pseudo: {Value: !Join ["|", [!Ref AWS::Partition, !Ref AWS::URLSuffix, !Ref AWS::StackId]]}
  Skipped: {Value: !Join ["|", [!Ref Topic, !GetAtt Topic.TopicName]]}
  DevOnly: {Condition: IsDev, Value: never}
`
	res := loadText(t, "intrinsics.yaml", tmpl, nil)
	var vpc *model.VPC
	res.Engine.Read(func(st *model.State) { vpc = st.VPCs[model.VpcID(res.PhysicalIDs["Vpc"])] })
	want := map[string]string{
		"Sub":           "intrinsics-prod-" + string(vpc.ID) + "-10.1.0.0/16-${Literal}",
		"SubMap":        "prod.b",
		"Join":          "a:prod:80",
		"JoinList":      "a,b,c",
		"Select":        "c",
		"AZs":           "us-east-1a,us-east-1b,us-east-1c,us-east-1d,us-east-1e,us-east-1f",
		"AZsRegion":     "us-east-1a",
		"FindInMap":     "m5.large",
		"FindInMapList": "x+y",
		"If":            "not-dev",
		"Both":          "yes",
		"Either":        "no",
		"Base64":        "RUNTX0NMVVNURVI9ZGVtbw==",
		"Cidr":          "10.0.0.0/24 10.0.1.0/24 10.0.2.0/24",
		"Cidr6":         "2600:1f14:0:1::/64",
		"GetAttList":    strings.Join(vpc.CIDRAssociationIDs, ","),
		"Pseudo":        "aws|amazonaws.com|" + res.StackID,
		"Skipped":       "arn:aws:sns:us-east-1:123456789012:alerts|alerts",
	}
	if !reflect.DeepEqual(res.Outputs, want) {
		for k, v := range want {
			if res.Outputs[k] != v {
				t.Errorf("output %s = %q, want %q", k, res.Outputs[k], v)
			}
		}
		for k := range res.Outputs {
			if _, ok := want[k]; !ok {
				t.Errorf("unexpected output %s", k)
			}
		}
	}
	if vpc.Tags["Name"] != "prod-vpc" || vpc.Tags["Owner"] != "123456789012/us-east-1" || vpc.Tags["aws:cloudformation:logical-id"] != "Vpc" {
		t.Errorf("VPC tags = %v", vpc.Tags)
	}

	dev := loadText(t, "intrinsics.yaml", tmpl, map[string]string{"Env": "dev"})
	if dev.Outputs["If"] != "dev-only" || dev.Outputs["DevOnly"] != "never" || dev.Outputs["Either"] != "yes" || dev.Outputs["FindInMapList"] != "z" {
		t.Errorf("with Env=dev: outputs = %v", dev.Outputs)
	}
	dev.Engine.Read(func(st *model.State) {
		// Name is AWS::NoValue in dev: the tag is absent, and ecsnet names
		// the VPC after its logical id.
		if v := st.VPCs[model.VpcID(dev.PhysicalIDs["Vpc"])]; v.Tags["Name"] != "Vpc" {
			t.Errorf("with Env=dev: Name tag = %q, want the logical id", v.Tags["Name"])
		}
	})
}

// TestSkippedPlaceholders checks that references to resources ecsnet does
// not model resolve to values of the right shape, with warnings.
func TestSkippedPlaceholders(t *testing.T) {
	res := loadText(t, "skip.yaml", `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: task-role
  Logs:
    Type: AWS::Logs::LogGroup
  Queue:
    Type: AWS::SQS::Queue
  Custom:
    Type: Custom::Thing
Outputs:
  RoleRef: {Value: !Ref Role}
  RoleArn: {Value: !GetAtt Role.Arn}
  LogsArn: {Value: !GetAtt Logs.Arn}
  Queue: {Value: !Ref Queue}
  Custom: {Value: !GetAtt Custom.Anything}
`, nil)
	o := res.Outputs
	checks := map[string]string{
		"RoleRef": "task-role",
		"RoleArn": "arn:aws:iam::123456789012:role/task-role",
		"LogsArn": "arn:aws:logs:us-east-1:123456789012:log-group:skip-Logs-",
		"Queue":   "https://sqs.us-east-1.amazonaws.com/123456789012/skip-Queue-",
		"Custom":  "skip-Custom-",
	}
	for k, prefix := range checks {
		if !strings.HasPrefix(o[k], prefix) {
			t.Errorf("%s = %q, want prefix %q", k, o[k], prefix)
		}
	}
	if len(res.Skipped) != 3 || res.Skipped[2].Reason != "custom resources run code ecsnet does not run" {
		t.Errorf("skipped = %+v", res.Skipped)
	}
	// The log group is created (not a placeholder): its Arn warns nothing.
	if len(res.Warnings) != 4 {
		t.Errorf("want one warning per placeholder reference, got %v", res.Warnings)
	}
}

// TestCfnInit checks that ECS_CLUSTER set by cfn-init from
// AWS::CloudFormation::Init metadata (as in ecs-refarch-cloudformation)
// registers the instances.
func TestCfnInit(t *testing.T) {
	res := loadText(t, "init.yaml", `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}
  Cluster:
    Type: AWS::ECS::Cluster
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: hosts, VpcId: !Ref Vpc}
  LaunchConfiguration:
    Type: AWS::AutoScaling::LaunchConfiguration
    Metadata:
      AWS::CloudFormation::Init:
        config:
          commands:
            01_add_instance_to_cluster:
              command: !Sub echo ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config
    Properties:
      ImageId: ami-0123456789abcdef0
      InstanceType: c5.large
      SecurityGroups: [!Ref Group]
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          /opt/aws/bin/cfn-init -v --region ${AWS::Region} --stack ${AWS::StackName} --resource LaunchConfiguration
  Hosts:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      VPCZoneIdentifier: [!Ref Subnet]
      LaunchConfigurationName: !Ref LaunchConfiguration
      MinSize: 2
      MaxSize: 2
`, nil)
	res.Engine.Read(func(st *model.State) {
		if len(st.ContainerInstances) != 2 {
			t.Errorf("container instances = %d, want 2 registered through cfn-init's ECS_CLUSTER", len(st.ContainerInstances))
		}
	})
}
