package collect

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/google/go-cmp/cmp"

	"github.com/ecsnet/ecsnet/internal/awsproto"
)

// The aws CLI prints a response's botocore member names. The SDK's fields
// carry the same names in PascalCase, so CLIValue's keys must be exactly
// the members of the botocore shapes (botocore 1.43.11, the version of the
// aws CLI on the machine, embedded in internal/awsproto), for every shape
// reachable from the output of every call the collector makes.
func TestCLIKeyNames(t *testing.T) {
	models, err := awsproto.LoadModels()
	if err != nil {
		t.Fatal(err)
	}
	ops := []struct {
		service, op string
		output      any
		style       KeyStyle
	}{
		{"ec2", "DescribeVpcs", ec2.DescribeVpcsOutput{}, Pascal},
		{"ec2", "DescribeSubnets", ec2.DescribeSubnetsOutput{}, Pascal},
		{"ec2", "DescribeRouteTables", ec2.DescribeRouteTablesOutput{}, Pascal},
		{"ec2", "DescribeInternetGateways", ec2.DescribeInternetGatewaysOutput{}, Pascal},
		{"ec2", "DescribeNatGateways", ec2.DescribeNatGatewaysOutput{}, Pascal},
		{"ec2", "DescribeNetworkAcls", ec2.DescribeNetworkAclsOutput{}, Pascal},
		{"ec2", "DescribeSecurityGroups", ec2.DescribeSecurityGroupsOutput{}, Pascal},
		{"ec2", "DescribeNetworkInterfaces", ec2.DescribeNetworkInterfacesOutput{}, Pascal},
		{"ec2", "DescribeInstances", ec2.DescribeInstancesOutput{}, Pascal},
		{"ec2", "DescribeAddresses", ec2.DescribeAddressesOutput{}, Pascal},
		{"ec2", "DescribeVpcEndpoints", ec2.DescribeVpcEndpointsOutput{}, Pascal},
		{"ec2", "DescribePrefixLists", ec2.DescribePrefixListsOutput{}, Pascal},
		{"ec2", "DescribeLaunchTemplates", ec2.DescribeLaunchTemplatesOutput{}, Pascal},
		{"ec2", "DescribeLaunchTemplateVersions", ec2.DescribeLaunchTemplateVersionsOutput{}, Pascal},
		{"autoscaling", "DescribeAutoScalingGroups", autoscaling.DescribeAutoScalingGroupsOutput{}, Pascal},
		{"autoscaling", "DescribeLaunchConfigurations", autoscaling.DescribeLaunchConfigurationsOutput{}, Pascal},
		{"ecs", "DescribeClusters", ecs.DescribeClustersOutput{}, Camel},
		{"ecs", "DescribeContainerInstances", ecs.DescribeContainerInstancesOutput{}, Camel},
		{"ecs", "DescribeServices", ecs.DescribeServicesOutput{}, Camel},
		{"ecs", "DescribeTasks", ecs.DescribeTasksOutput{}, Camel},
		{"ecs", "DescribeTaskDefinition", ecs.DescribeTaskDefinitionOutput{}, Camel},
		{"elbv2", "DescribeLoadBalancers", elbv2.DescribeLoadBalancersOutput{}, Pascal},
		{"elbv2", "DescribeListeners", elbv2.DescribeListenersOutput{}, Pascal},
		{"elbv2", "DescribeRules", elbv2.DescribeRulesOutput{}, Pascal},
		{"elbv2", "DescribeTargetGroups", elbv2.DescribeTargetGroupsOutput{}, Pascal},
		{"elbv2", "DescribeTargetHealth", elbv2.DescribeTargetHealthOutput{}, Pascal},
	}
	checked := 0
	for _, o := range ops {
		svc := models.Service(o.service)
		if svc == nil {
			t.Fatalf("no %s model", o.service)
		}
		op := svc.Operation(o.op)
		if op == nil || op.Output == nil {
			t.Logf("%s %s: not in ecsnet's trimmed model; its shapes are checked where other operations reach them", o.service, o.op)
			continue
		}
		w := &shapeWalker{t: t, style: o.style, seen: map[string]bool{}}
		w.walk(o.service+" "+o.op, reflect.TypeOf(o.output), op.Output)
		checked += w.fields
	}
	if checked < 500 {
		t.Errorf("only %d fields checked against the models", checked)
	}
	t.Logf("%d SDK fields checked against botocore member names", checked)
}

type shapeWalker struct {
	t      *testing.T
	style  KeyStyle
	seen   map[string]bool
	fields int
}

func (w *shapeWalker) walk(path string, typ reflect.Type, shape *awsproto.Shape) {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if shape == nil || typ == timeType {
		return
	}
	switch typ.Kind() {
	case reflect.Slice:
		if shape.Member != nil && typ != byteType {
			w.walk(path+"[]", typ.Elem(), shape.Member.Shape)
		}
		return
	case reflect.Map:
		if shape.Value != nil {
			w.walk(path+"{}", typ.Elem(), shape.Value.Shape)
		}
		return
	case reflect.Struct:
	default:
		return
	}
	key := typ.String() + "/" + shape.Name
	if w.seen[key] {
		return
	}
	w.seen[key] = true
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if !f.IsExported() || skippedField(f.Name) {
			continue
		}
		name := w.style.keyName(f.Name)
		m := shape.MemberByName(name)
		if m == nil {
			for _, x := range shape.Members {
				if strings.EqualFold(x.Name, name) {
					w.t.Errorf("%s.%s: the CLI prints %q, CLIValue would print %q", path, f.Name, x.Name, name)
				}
			}
			// Otherwise a member newer than botocore 1.43.11.
			continue
		}
		w.fields++
		w.walk(path+"."+name, f.Type, m.Shape)
	}
}

// CLIValue prints what the aws CLI prints for the same values: here a task
// as the ECS describe-tasks example of the aws CLI's documentation shows it
// (awscli/examples/ecs/describe-tasks.rst), and an ENI as EC2's.
func TestCLIValueShapes(t *testing.T) {
	created := time.Date(2021, 8, 11, 16, 21, 26, 681000000, time.UTC)
	task := ecstypes.Task{
		TaskArn:              aws.String("arn:aws:ecs:us-east-1:123456789012:task/MyCluster/4d590253bb114126b7afa7b58eea9221"),
		LastStatus:           aws.String("RUNNING"),
		CreatedAt:            &created,
		Version:              2,
		Cpu:                  aws.String("10"),
		LaunchType:           ecstypes.LaunchTypeEc2,
		Attachments:          []ecstypes.Attachment{{Id: aws.String("d9e7735a"), Type: aws.String("ElasticNetworkInterface"), Details: []ecstypes.KeyValuePair{{Name: aws.String("privateIPv4Address"), Value: aws.String("10.0.1.184")}}}},
		Containers:           []ecstypes.Container{{Name: aws.String("web"), NetworkBindings: []ecstypes.NetworkBinding{{BindIP: aws.String("0.0.0.0"), ContainerPort: aws.Int32(80), HostPort: aws.Int32(80), Protocol: ecstypes.TransportProtocolTcp}}}},
		EnableExecuteCommand: false,
	}
	want := map[string]any{
		"taskArn": "arn:aws:ecs:us-east-1:123456789012:task/MyCluster/4d590253bb114126b7afa7b58eea9221", "lastStatus": "RUNNING",
		"createdAt": "2021-08-11T16:21:26.681000+00:00", "version": int64(2), "cpu": "10", "launchType": "EC2", "enableExecuteCommand": false,
		"attachments": []any{map[string]any{"id": "d9e7735a", "type": "ElasticNetworkInterface",
			"details": []any{map[string]any{"name": "privateIPv4Address", "value": "10.0.1.184"}}}},
		"containers": []any{map[string]any{"name": "web", "networkBindings": []any{map[string]any{"bindIP": "0.0.0.0", "containerPort": int64(80), "hostPort": int64(80), "protocol": "tcp"}}}},
	}
	if diff := cmp.Diff(want, CLIValue(task, Camel)); diff != "" {
		t.Errorf("task (-want +got):\n%s", diff)
	}
	eni := ec2types.NetworkInterface{NetworkInterfaceId: aws.String("eni-0fa40520aeEXAMPLE"), RequesterManaged: aws.Bool(true),
		Groups:             []ec2types.GroupIdentifier{{GroupId: aws.String("sg-1"), GroupName: aws.String("web")}},
		PrivateIpAddresses: []ec2types.NetworkInterfacePrivateIpAddress{{Primary: aws.Bool(true), PrivateIpAddress: aws.String("10.0.1.184")}},
		Attachment:         &ec2types.NetworkInterfaceAttachment{DeviceIndex: aws.Int32(1), InstanceOwnerId: aws.String("amazon-aws")}}
	wantENI := map[string]any{"NetworkInterfaceId": "eni-0fa40520aeEXAMPLE", "RequesterManaged": true,
		"Groups":             []any{map[string]any{"GroupId": "sg-1", "GroupName": "web"}},
		"PrivateIpAddresses": []any{map[string]any{"Primary": true, "PrivateIpAddress": "10.0.1.184"}},
		"Attachment":         map[string]any{"DeviceIndex": int64(1), "InstanceOwnerId": "amazon-aws"}}
	if diff := cmp.Diff(wantENI, CLIValue(eni, Pascal)); diff != "" {
		t.Errorf("ENI (-want +got):\n%s", diff)
	}
	// Pagination tokens and middleware metadata are not output.
	out := CLIValue(ec2.DescribeVpcsOutput{NextToken: aws.String("x"), Vpcs: []ec2types.Vpc{}}, Pascal).(map[string]any)
	if len(out) != 1 || out["Vpcs"] == nil {
		t.Errorf("DescribeVpcsOutput = %v, want only Vpcs", out)
	}
}
