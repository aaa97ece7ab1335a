package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// efsTemplate is a Fargate service whose task definition mounts an EFS
// file system through an access point; the mount targets' security group
// admits NFS from the tasks only when the NFS rule's port is 2049.
const efsTemplate = `Parameters:
  NfsPort: {Type: Number, Default: 2049}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.7.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true}
  Igw: {Type: AWS::EC2::InternetGateway}
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  Rt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  Default:
    Type: AWS::EC2::Route
    DependsOn: Attach
    Properties: {RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.7.1.0/24, AvailabilityZone: us-east-1a}
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.7.2.0/24, AvailabilityZone: us-east-1b}
  AssocA:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref SubnetA, RouteTableId: !Ref Rt}
  AssocB:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref SubnetB, RouteTableId: !Ref Rt}
  TaskSg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: tasks, VpcId: !Ref Vpc}
  EfsSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: efs
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: !Ref NfsPort, ToPort: !Ref NfsPort, SourceSecurityGroupId: !Ref TaskSg}
  Files:
    Type: AWS::EFS::FileSystem
    Properties:
      Encrypted: true
      BackupPolicy: {Status: ENABLED}
      LifecyclePolicies: [{TransitionToIA: AFTER_30_DAYS}]
      FileSystemTags: [{Key: Name, Value: shared}]
  TargetA:
    Type: AWS::EFS::MountTarget
    Properties: {FileSystemId: !Ref Files, SubnetId: !Ref SubnetA, SecurityGroups: [!Ref EfsSg]}
  TargetB:
    Type: AWS::EFS::MountTarget
    Properties: {FileSystemId: !Ref Files, SubnetId: !Ref SubnetB, SecurityGroups: [!Ref EfsSg]}
  Point:
    Type: AWS::EFS::AccessPoint
    Properties:
      FileSystemId: !Ref Files
      PosixUser: {Uid: "1000", Gid: "1000"}
      RootDirectory: {Path: /app, CreationInfo: {OwnerUid: "1000", OwnerGid: "1000", Permissions: "0755"}}
  Cluster: {Type: AWS::ECS::Cluster}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: files
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      Cpu: "256"
      Memory: "512"
      Volumes:
        - Name: data
          EFSVolumeConfiguration:
            FilesystemId: !Ref Files
            TransitEncryption: ENABLED
            AuthorizationConfig: {AccessPointId: !Ref Point, IAM: DISABLED}
      ContainerDefinitions:
        - Name: app
          Image: public.ecr.aws/nginx/nginx:1.27
          MountPoints: [{SourceVolume: data, ContainerPath: /data}]
  Service:
    Type: AWS::ECS::Service
    DependsOn: [TargetA, TargetB, Default, AssocA, AssocB]
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task
      DesiredCount: 2
      LaunchType: FARGATE
      NetworkConfiguration:
        AwsvpcConfiguration: {Subnets: [!Ref SubnetA, !Ref SubnetB], SecurityGroups: [!Ref TaskSg], AssignPublicIp: ENABLED}
Outputs:
  FileSystem: {Value: !Ref Files}
  FileSystemId: {Value: !GetAtt Files.FileSystemId}
  FileSystemArn: {Value: !GetAtt Files.Arn}
  TargetA: {Value: !Ref TargetA}
  TargetAId: {Value: !GetAtt TargetA.Id}
  TargetAIp: {Value: !GetAtt TargetA.IpAddress}
  Point: {Value: !Ref Point}
  PointArn: {Value: !GetAtt Point.Arn}
  Cluster: {Value: !Ref Cluster}
`

// TestCloudFormationEFS deploys AWS::EFS::FileSystem, MountTarget and
// AccessPoint as real resources: Ref and GetAtt answer as AWS documents, the
// mount targets are ENIs of their subnets, and the service's tasks mount the
// file system (they run); with the NFS rule on the wrong port they stop with
// the agent's ResourceInitializationError. Deleting the stack deletes the
// mount targets before the file system.
func TestCloudFormationEFS(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	ec := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	ecsc := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) })
	var stackID string
	deploy := func(name, port string) map[string]string {
		t.Helper()
		cs, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(efsTemplate),
			Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("NfsPort"), ParameterValue: aws.String(port)}}})
		must(t, err)
		stackID = aws.ToString(cs.StackId)
		waitStack(t, cf, name, cfntypes.StackStatusCreateComplete)
		return stackOutputs(t, cf, name)
	}
	tasks := func(cluster string, status ecstypes.DesiredStatus) []ecstypes.Task {
		t.Helper()
		l, err := ecsc.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String(cluster), DesiredStatus: status})
		must(t, err)
		if len(l.TaskArns) == 0 {
			return nil
		}
		d, err := ecsc.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: l.TaskArns})
		must(t, err)
		return d.Tasks
	}

	out := deploy("files", "2049")
	fs := out["FileSystem"]
	if !strings.HasPrefix(fs, "fs-") || out["FileSystemId"] != fs || out["FileSystemArn"] != "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/"+fs {
		t.Fatalf("file system outputs %v", out)
	}
	if !strings.HasPrefix(out["TargetA"], "fsmt-") || out["TargetAId"] != out["TargetA"] || !strings.HasPrefix(out["TargetAIp"], "10.7.1.") {
		t.Fatalf("mount target outputs %v", out)
	}
	if !strings.HasPrefix(out["Point"], "fsap-") || out["PointArn"] != "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/"+out["Point"] {
		t.Fatalf("access point outputs %v", out)
	}
	enis, err := ec.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []ec2types.Filter{filter("addresses.private-ip-address", out["TargetAIp"])}})
	must(t, err)
	if len(enis.NetworkInterfaces) != 1 || aws.ToString(enis.NetworkInterfaces[0].Description) != "EFS mount target for "+fs+" ("+out["TargetA"]+")" {
		t.Fatalf("mount target ENI %+v", enis.NetworkInterfaces)
	}
	eventually(t, "the service's tasks run", func() bool { return len(tasks(out["Cluster"], ecstypes.DesiredStatusRunning)) == 2 })
	for _, tk := range tasks(out["Cluster"], ecstypes.DesiredStatusRunning) {
		if aws.ToString(tk.LastStatus) == "STOPPED" {
			t.Fatalf("task stopped: %s", aws.ToString(tk.StoppedReason))
		}
	}

	// With the rule on another port the service never stabilizes (the
	// stack stays CREATE_IN_PROGRESS, as on AWS): its tasks stop.
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("files-bad"), TemplateBody: aws.String(efsTemplate),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("NfsPort"), ParameterValue: aws.String("2050")}}})
	must(t, err)
	var badCluster string
	eventually(t, "the bad stack's cluster", func() bool {
		r, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String("files-bad"), LogicalResourceId: aws.String("Cluster")})
		if err != nil || r.StackResourceDetail == nil {
			return false
		}
		badCluster = aws.ToString(r.StackResourceDetail.PhysicalResourceId)
		return badCluster != ""
	})
	eventually(t, "a task fails to mount", func() bool { return len(tasks(badCluster, ecstypes.DesiredStatusStopped)) > 0 })
	tk := tasks(badCluster, ecstypes.DesiredStatusStopped)[0]
	want := "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: Connection timed out' : unsuccessful EFS utils command execution; code: 32"
	if tk.StopCode != ecstypes.TaskStopCodeTaskFailedToStart || aws.ToString(tk.StoppedReason) != want {
		t.Fatalf("stopped task: %s %q, want %q", tk.StopCode, aws.ToString(tk.StoppedReason), want)
	}

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("files")})
	must(t, err)
	waitStack(t, cf, stackID, cfntypes.StackStatusDeleteComplete)
	left, err := ec.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []ec2types.Filter{filter("description", "EFS mount target for "+fs+" *")}})
	must(t, err)
	if len(left.NetworkInterfaces) != 0 {
		t.Fatalf("%d mount target ENIs left after the stacks' deletion", len(left.NetworkInterfaces))
	}
}
