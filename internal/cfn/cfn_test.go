package cfn_test

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// repoFile returns a path relative to the repository root.
func repoFile(rel string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", filepath.FromSlash(rel))
}

// load deploys a template with the analyzer's start check installed, as
// the CLI does.
func load(t *testing.T, rel string, params map[string]string) *cfn.Result {
	t.Helper()
	res, err := cfn.Load(repoFile(rel), params, engine.WithStartCheck(reach.StartCheck))
	if err != nil {
		t.Fatalf("Load(%s): %v", rel, err)
	}
	return res
}

func state(res *cfn.Result) *model.State {
	st, _ := res.Engine.Snapshot()
	return st
}

// probe answers "from → to" on the template's system.
func probe(t *testing.T, res *cfn.Result, from, to string) *reach.Result {
	t.Helper()
	n := reach.Compile(state(res))
	q, err := reach.NewQuery(n, from, to, "tcp")
	if err != nil {
		t.Fatalf("NewQuery(%q, %q): %v", from, to, err)
	}
	return reach.Probe(n, q)
}

// runningTasks returns the running tasks of a service.
func runningTasks(st *model.State, service string) []*model.Task {
	var out []*model.Task
	for _, tk := range st.Tasks {
		if tk.ServiceName == service && tk.LastStatus == model.TaskRunning {
			out = append(out, tk)
		}
	}
	slices.SortFunc(out, func(a, b *model.Task) int { return strings.Compare(a.ARN, b.ARN) })
	return out
}

// TestExamplesDeploy loads every example template (the table the CLI's
// SOURCE detection can reuse) and checks that loading is deterministic.
func TestExamplesDeploy(t *testing.T) {
	cases := []struct {
		file    string
		params  map[string]string
		skipped []string // types listed as skipped
	}{
		{"examples/cfn/article.yaml", nil, []string{"AWS::IAM::Role", "AWS::IAM::InstanceProfile"}},
		{"examples/cfn/alb.yaml", nil, []string{"AWS::IAM::Role", "AWS::IAM::InstanceProfile"}},
		{"examples/cfn/alb.yaml", map[string]string{"HighlyAvailableNat": "false", "ClusterSize": "1"}, []string{"AWS::IAM::Role", "AWS::IAM::InstanceProfile"}},
		{"examples/cfn/fargate.json", nil, []string{"AWS::IAM::Role"}},
		{"examples/cfn/fargate.json", map[string]string{"PublicTasks": "false"}, []string{"AWS::IAM::Role"}},
		{"examples/cfn/vpc.yaml", nil, nil},
		{"examples/cfn/nested.yaml", nil, nil},
		{"examples/cfn/dual-stack.yaml", nil, nil},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.file)+paramsName(c.params), func(t *testing.T) {
			res := load(t, c.file, c.params)
			var skipped []string
			for _, s := range res.Skipped {
				skipped = append(skipped, s.Type)
			}
			if !reflect.DeepEqual(skipped, c.skipped) {
				t.Errorf("skipped types = %v, want %v", skipped, c.skipped)
			}
			if len(res.Resources) == 0 || len(res.PhysicalIDs) != len(res.Resources)+len(res.Skipped) {
				t.Errorf("%d resources, %d skipped, %d physical ids", len(res.Resources), len(res.Skipped), len(res.PhysicalIDs))
			}
			again := load(t, c.file, c.params)
			if !reflect.DeepEqual(res.PhysicalIDs, again.PhysicalIDs) || !reflect.DeepEqual(res.Outputs, again.Outputs) {
				t.Error("loading the same template twice gave different ids")
			}
			for _, w := range res.Warnings {
				if strings.Contains(w.Msg, "tasks running") {
					t.Errorf("a service did not stabilize: %s", w)
				}
			}
		})
	}
}

func paramsName(p map[string]string) string {
	var parts []string
	for k, v := range p {
		parts = append(parts, k+"="+v)
	}
	slices.Sort(parts)
	if len(parts) == 0 {
		return ""
	}
	return "/" + strings.Join(parts, ",")
}

// TestArticle checks the article's system written as a template: the
// instance's public IP is on its primary ENI, the task has its own ENI with
// a private address only, and curl to the public IP on 3000 times out.
func TestArticle(t *testing.T) {
	res := load(t, "examples/cfn/article.yaml", nil)
	st := state(res)
	var inst *model.Instance
	for _, i := range st.Instances {
		inst = i
	}
	if len(st.Instances) != 1 || inst.AutoScalingGroup != "ecs-asg" || inst.Type != "m5.large" {
		t.Fatalf("want one m5.large instance of ecs-asg, got %d (%+v)", len(st.Instances), inst)
	}
	primary := st.NetworkInterfaces[inst.PrimaryENI]
	pub, ok := primary.PublicIP()
	if !ok || pub != netip.MustParseAddr("203.0.113.2") || primary.Attachment.DeviceIndex != 0 {
		t.Errorf("primary ENI: public %v (%v), device %d; want 203.0.113.2 at device 0", pub, ok, primary.Attachment.DeviceIndex)
	}
	if got := st.SecurityGroups[primary.SecurityGroups[0]].Name; got != "instance-sg" {
		t.Errorf("instance security group = %s, want instance-sg", got)
	}
	tasks := runningTasks(st, "web")
	if len(tasks) != 1 {
		t.Fatalf("running web tasks = %d, want 1", len(tasks))
	}
	eni := st.NetworkInterfaces[tasks[0].ENI()]
	if eni == nil || eni.Attachment == nil || eni.Attachment.DeviceIndex < 1 || eni.Attachment.InstanceID != inst.ID {
		t.Fatalf("task ENI = %+v, want one attached to %s at device index >= 1", eni, inst.ID)
	}
	if _, hasPublic := eni.PublicIP(); hasPublic {
		t.Error("the task ENI has a public IP; EC2-launch awsvpc task ENIs never do")
	}
	if !st.Subnets[eni.SubnetID].CIDR.Contains(eni.PrimaryIP()) {
		t.Errorf("task address %v is not in its subnet", eni.PrimaryIP())
	}
	// The cluster name came from a parameter through !Sub into the user
	// data; the instance registered with it.
	if len(st.ContainerInstances) != 1 {
		t.Errorf("container instances = %d, want 1", len(st.ContainerInstances))
	}
	if got := res.Outputs["ServiceArn"]; got != "arn:aws:ecs:us-east-1:123456789012:service/demo/web" {
		t.Errorf("ServiceArn output = %q", got)
	}

	r := probe(t, res, "internet", "203.0.113.2:3000")
	if r.Verdict != reach.Timeout {
		t.Errorf("internet → 203.0.113.2:3000 = %s, want timeout: %s", r.Verdict, r.Summary)
	}
	if r := probe(t, res, "ecs-asg/0", eni.PrimaryIP().String()+":3000"); r.Verdict != reach.Connected {
		t.Errorf("instance → task %s:3000 = %s, want connected: %s", eni.PrimaryIP(), r.Verdict, r.Summary)
	}
}

// TestALB checks the ALB sample: NAT routes in the private route tables,
// an ip target group with the tasks registered by ENI address and
// container port, and HTTP 200 from the internet through the ALB.
func TestALB(t *testing.T) {
	res := load(t, "examples/cfn/alb.yaml", nil)
	st := state(res)
	for _, name := range []string{"PrivateRouteTable1", "PrivateRouteTable2"} {
		rt := st.RouteTables[model.RouteTableID(res.PhysicalIDs[name])]
		if rt == nil || !hasRoute(rt, "0.0.0.0/0", model.TargetNatGateway) {
			t.Errorf("%s has no 0.0.0.0/0 route to a NAT gateway: %+v", name, rt)
		}
	}
	if rt := st.RouteTables[model.RouteTableID(res.PhysicalIDs["PublicRouteTable"])]; !hasRoute(rt, "0.0.0.0/0", model.TargetInternetGateway) {
		t.Error("the public route table has no route to the internet gateway")
	}
	nat1, nat2 := res.PhysicalIDs["NatGateway1"], res.PhysicalIDs["NatGateway2"]
	if routeTarget(st, res.PhysicalIDs["PrivateRouteTable2"]) != nat2 || nat1 == nat2 {
		t.Errorf("private route table 2 should use NatGateway2 (%s)", nat2)
	}

	tg := st.TargetGroups[res.PhysicalIDs["TargetGroup"]]
	if tg == nil || tg.TargetType != "ip" || tg.Port != 3000 || tg.HealthCheck.Matcher != "200-299" {
		t.Fatalf("target group = %+v, want type ip, port 3000, matcher 200-299", tg)
	}
	tasks := runningTasks(st, "web")
	if len(tasks) != 2 {
		t.Fatalf("running web tasks = %d, want 2", len(tasks))
	}
	var want, got []string
	for _, tk := range tasks {
		want = append(want, st.NetworkInterfaces[tk.ENI()].PrimaryIP().String()+":3000")
	}
	for _, x := range tg.Targets.All() {
		got = append(got, x.ID+":"+itoa(int(x.Port)))
	}
	slices.Sort(want)
	slices.Sort(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("targets = %v, want the task ENIs' addresses with the container port %v", got, want)
	}
	lb := st.LoadBalancers[res.PhysicalIDs["LoadBalancer"]]
	if lb == nil || lb.Scheme != "internet-facing" || len(lb.Nodes) != 2 {
		t.Fatalf("load balancer = %+v", lb)
	}
	if res.Outputs["LoadBalancerUrl"] != "http://"+lb.DNSName {
		t.Errorf("LoadBalancerUrl = %q, want http://%s", res.Outputs["LoadBalancerUrl"], lb.DNSName)
	}
	if r := probe(t, res, "internet", lb.DNSName+":80"); r.Verdict != reach.HTTP200 {
		t.Errorf("internet → %s:80 = %s, want http 200: %s", lb.DNSName, r.Verdict, r.Summary)
	}
	// The tasks' group admits the load balancer only.
	if r := probe(t, res, "internet", want[0]); r.Reachable {
		t.Errorf("internet → task %s = %s, want unreachable", want[0], r.Verdict)
	}

	// One NAT gateway: the condition drops NatGateway2 and Fn::If sends
	// both private route tables to NatGateway1.
	one := load(t, "examples/cfn/alb.yaml", map[string]string{"HighlyAvailableNat": "false"})
	ost := state(one)
	if _, ok := one.PhysicalIDs["NatGateway2"]; ok || len(ost.NatGateways) != 1 {
		t.Errorf("with HighlyAvailableNat=false: NatGateway2 created, %d NAT gateways", len(ost.NatGateways))
	}
	if a, b := routeTarget(ost, one.PhysicalIDs["PrivateRouteTable1"]), routeTarget(ost, one.PhysicalIDs["PrivateRouteTable2"]); a != b || a != one.PhysicalIDs["NatGateway1"] {
		t.Errorf("private routes go to %s and %s, want both to NatGateway1", a, b)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func hasRoute(rt *model.RouteTable, dest string, kind model.RouteTargetKind) bool {
	if rt == nil {
		return false
	}
	for _, r := range rt.Routes {
		if r.Destination == netip.MustParsePrefix(dest) && r.Target == kind {
			return true
		}
	}
	return false
}

// routeTarget returns the target of a route table's default route.
func routeTarget(st *model.State, rtb string) string {
	rt := st.RouteTables[model.RouteTableID(rtb)]
	if rt == nil {
		return ""
	}
	for _, r := range rt.Routes {
		if r.Destination == netip.MustParsePrefix("0.0.0.0/0") {
			return r.TargetID
		}
	}
	return ""
}

// TestFargate checks the Fargate sample: with AssignPublicIp ENABLED the
// task ENI has a public IP that answers on 3000; in private subnets it has
// none and the private route table goes through the NAT gateway.
func TestFargate(t *testing.T) {
	res := load(t, "examples/cfn/fargate.json", nil)
	st := state(res)
	tasks := runningTasks(st, "web")
	if len(tasks) != 1 || tasks[0].LaunchType != model.LaunchFargate {
		t.Fatalf("want one running Fargate task, got %d", len(tasks))
	}
	eni := st.NetworkInterfaces[tasks[0].ENI()]
	pub, ok := eni.PublicIP()
	if !ok {
		t.Fatal("the Fargate task ENI has no public IP with AssignPublicIp ENABLED")
	}
	if eni.SubnetID != model.SubnetID(res.PhysicalIDs["PublicSubnetOne"]) {
		t.Errorf("task subnet = %s, want PublicSubnetOne", eni.SubnetID)
	}
	if r := probe(t, res, "internet", pub.String()+":3000"); r.Verdict != reach.Connected {
		t.Errorf("internet → task %s:3000 = %s, want connected: %s", pub, r.Verdict, r.Summary)
	}
	if _, ok := res.PhysicalIDs["NatGateway"]; ok {
		t.Error("the NAT gateway's condition is false; it should not exist")
	}

	priv := load(t, "examples/cfn/fargate.json", map[string]string{"PublicTasks": "false"})
	pst := state(priv)
	tasks = runningTasks(pst, "web")
	if len(tasks) != 1 {
		t.Fatalf("private: running tasks = %d, want 1 (the image is pulled through the NAT gateway)", len(tasks))
	}
	eni = pst.NetworkInterfaces[tasks[0].ENI()]
	if _, ok := eni.PublicIP(); ok {
		t.Error("private: the task ENI has a public IP with AssignPublicIp DISABLED")
	}
	if rt := pst.SubnetRouteTable(eni.SubnetID); routeTarget(pst, string(rt.ID)) != priv.PhysicalIDs["NatGateway"] {
		t.Errorf("private: the task subnet's default route does not go to the NAT gateway")
	}
	if priv.Outputs["NatGateway"] == "" || !strings.Contains(priv.Outputs["TaskSubnets"], ",") {
		t.Errorf("private outputs = %v", priv.Outputs)
	}
}

// TestNested checks the nested-stack sample: a local TemplateURL, an S3
// URL found next to the parent, parameters passed down and outputs read
// back with Fn::GetAtt Stack.Outputs.X.
func TestNested(t *testing.T) {
	res := load(t, "examples/cfn/nested.yaml", nil)
	st := state(res)
	vpc := st.VPCs[model.VpcID(res.PhysicalIDs["VPC/VPC"])]
	if vpc == nil || vpc.CIDR != netip.MustParsePrefix("10.180.0.0/16") || vpc.Tags.Name() != "nested" {
		t.Fatalf("nested VPC = %+v, want 10.180.0.0/16 named after the parent stack", vpc)
	}
	if !strings.HasPrefix(res.PhysicalIDs["VPC"], "arn:aws:cloudformation:us-east-1:123456789012:stack/nested-VPC-") {
		t.Errorf("Ref VPC = %s, want the nested stack's ARN", res.PhysicalIDs["VPC"])
	}
	lb := st.LoadBalancers[res.PhysicalIDs["LoadBalancer"]]
	var subnets []string
	for _, n := range lb.Nodes {
		subnets = append(subnets, string(n.SubnetID))
	}
	if want := []string{res.PhysicalIDs["VPC/PublicSubnet1"], res.PhysicalIDs["VPC/PublicSubnet2"]}; !reflect.DeepEqual(subnets, want) {
		t.Errorf("load balancer subnets = %v, want the nested stack's public subnets %v", subnets, want)
	}
	if got := lb.SecurityGroups; len(got) != 1 || string(got[0]) != res.PhysicalIDs["SecurityGroups/LoadBalancerSecurityGroup"] {
		t.Errorf("load balancer groups = %v", got)
	}
	tasks := runningTasks(st, "web")
	if len(tasks) != 2 {
		t.Fatalf("running web tasks = %d, want 2", len(tasks))
	}
	for _, tk := range tasks {
		eni := st.NetworkInterfaces[tk.ENI()]
		if _, ok := eni.PublicIP(); ok || !strings.HasPrefix(string(eni.SubnetID), "subnet-") ||
			(string(eni.SubnetID) != res.PhysicalIDs["VPC/PrivateSubnet1"] && string(eni.SubnetID) != res.PhysicalIDs["VPC/PrivateSubnet2"]) {
			t.Errorf("task ENI %s in %s: want a private subnet and no public IP", eni.ID, eni.SubnetID)
		}
	}
	if r := probe(t, res, "internet", lb.DNSName+":80"); r.Verdict != reach.HTTP200 {
		t.Errorf("internet → %s:80 = %s, want http 200: %s", lb.DNSName, r.Verdict, r.Summary)
	}
	found := false
	for _, w := range res.Warnings {
		found = found || strings.Contains(w.Msg, "TemplateURL https://s3.amazonaws.com/ecsnet-examples/cfn/security-groups.yaml read from the local file")
	}
	if !found {
		t.Errorf("no warning about the S3 TemplateURL: %v", res.Warnings)
	}
}

// TestBadInput checks that each mistake is one clear error naming the
// file, the line and (for resources) the logical id, with
// CloudFormation's or AWS's message.
func TestBadInput(t *testing.T) {
	cases := []struct {
		file string
		line int
		want string
		code string // the AWS error code, for service errors
	}{
		{"internal/cfn/testdata/bad/unknown-ref.yaml", 20,
			"Association (AWS::EC2::SubnetRouteTableAssociation): Template format error: Unresolved resource dependencies [PublicSubnetB] in the Resources block of the template", ""},
		{"internal/cfn/testdata/bad/cycle.yaml", 9,
			"Template format error: Circular dependency between resources: [WebGroup, AppGroup]: WebGroup (line 9) refers to AppGroup at line 18; AppGroup (line 19) refers to WebGroup at line 28", ""},
		{"internal/cfn/testdata/bad/truncated.json", 14,
			"Template format error: JSON not well-formed. (line 14, column 16)", ""},
		{"internal/cfn/testdata/bad/bad-select.yaml", 11,
			"Subnet (AWS::EC2::Subnet): Template error: Fn::Select cannot select nonexistent value at index 5", ""},
		{"examples/cfn/refused/assign-public-ip.yaml", 96,
			"Service (AWS::ECS::Service): InvalidParameterException: Assign public IP is not supported for this launch type.", "InvalidParameterException"},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			path := repoFile(c.file)
			_, err := cfn.Load(path, nil)
			var ce *cfn.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Load = %v, want a *cfn.Error", err)
			}
			want := path + ":" + itoa(c.line) + ": " + c.want
			if err.Error() != want {
				t.Errorf("error =\n%s\nwant\n%s", err, want)
			}
			if c.code != "" && !apierr.HasCode(err, c.code) {
				t.Errorf("error code: want %s in %v", c.code, err)
			}
		})
	}
}

// TestTemplateErrors checks more mistakes, each written to a file.
func TestTemplateErrors(t *testing.T) {
	const vpc = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n"
	cases := []struct {
		name   string
		tmpl   string
		params map[string]string
		want   string // the error after "file:"
	}{
		{"yaml syntax", "Resources:\n  Vpc:\n    Type: [\n", nil, "3: Template format error: YAML not well-formed. (line 3, column 5) did not find expected node content"},
		// The line at fault, not the start of the block around it (the
		// YAML library's line: 6 here, the subnet's).
		{"yaml indentation", vpc + "  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n     CidrBlock: 10.0.1.0/24\n", nil,
			"10: Template format error: YAML not well-formed. (line 10, column 6) did not find expected key"},
		{"no resources", "Parameters: {}\n", nil, "0: Template format error: At least one Resources member must be defined."},
		{"resources not an object", "Resources: []\n", nil, "1: Template format error: Any Resources member must be an object."},
		{"unknown section", "Resource:\n  X: {Type: AWS::SNS::Topic}\n", nil, "1: Template format error: Invalid template property or properties [Resource]"},
		{"no type", "Resources:\n  X:\n    Properties: {}\n", nil, "2: Template format error: [/Resources/X] Every Resources object must contain a Type member."},
		{"misspelled attribute", "Resources:\n  X:\n    Type: AWS::SNS::Topic\n    Propertes: {}\n", nil, "4: Invalid template resource property 'Propertes'"},
		{"unknown tag", vpc + "  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Reff Vpc\n", nil, "9: Template format error: unknown tag !Reff (CloudFormation knows !Ref, !GetAtt, !Sub, !Join, !Select, !Split, !If, !Equals, !And, !Or, !Not, !FindInMap, !GetAZs, !ImportValue, !Base64, !Cidr, !Condition, !Transform, !Length, !ToJsonString, !Contains)"},
		{"alias", "Resources:\n  A: &x\n    Type: AWS::SNS::Topic\n  B: *x\n", nil, "4: Template format error: YAML aliases (*x) are not supported by CloudFormation"},
		{"missing parameter", "Parameters:\n  Name: {Type: String}\n  Size: {Type: Number}\n" + vpc, nil, "2: Parameters: [Name, Size] must have values"},
		{"unknown override", vpc, map[string]string{"Nope": "1"}, "0: Parameters: [Nope] do not exist in the template"},
		{"allowed values", "Parameters:\n  Env:\n    Type: String\n    Default: dev\n    AllowedValues: [dev, prod]\n" + vpc, map[string]string{"Env": "test"}, "2: Parameter 'Env' must be one of AllowedValues"},
		{"constraint description", "Parameters:\n  Env:\n    Type: String\n    AllowedPattern: '[a-z]+'\n    ConstraintDescription: lowercase only\n    Default: Dev\n" + vpc, nil, "6: Parameter Env failed to satisfy constraint: lowercase only"},
		{"number", "Parameters:\n  N: {Type: Number, Default: x}\n" + vpc, nil, "2: Parameter 'N' must be a number"},
		{"unknown parameter type", "Parameters:\n  N: {Type: Strin}\n" + vpc, nil, "2: Template format error: Unrecognized parameter type: Strin"},
		{"vpc id that does not exist", "Parameters:\n  V: {Type: 'AWS::EC2::VPC::Id', Default: vpc-0123456789abcdef0}\n" + vpc, nil,
			"2: Parameter validation failed: parameter value vpc-0123456789abcdef0 for parameter name V does not exist"},
		{"getatt unknown attribute", vpc + "Outputs:\n  X:\n    Value: !GetAtt Vpc.Nope\n", nil, "8: Template error: resource Vpc does not support attribute type Nope in Fn::GetAtt"},
		{"unrecognized types", vpc + "  S:\n    Type: AWS::EC2::Subnett\n  F:\n    Type: AWS::Foo::Bar\n  M:\n    Type: MongoDB::Atlas::Cluster\n  F2:\n    Type: AWS::Foo::Bar\n  K:\n    Type: AWS::KMS::Key\n  C:\n    Type: Custom::Thing\n  V:\n    Type: AWS::EC2::VPC CidrBlock\n  E:\n    Type: AWS::EC2\n", nil,
			"7: Template format error: Unrecognized resource types: [AWS::EC2::Subnett, AWS::Foo::Bar, MongoDB::Atlas::Cluster, AWS::EC2::VPC CidrBlock, AWS::EC2]"},
		{"sam type without the transform", "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n", nil,
			"3: Template format error: Unrecognized resource types: [AWS::Serverless::Function]"},
		// Found from the type's schema before anything is created: the
		// subnet after the VPC would fail (its block is outside the
		// VPC's), and a bucket is not modeled.
		{"getatt unknown attribute before a failure", vpc + "  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.9.0.0/24\n" +
			"  B:\n    Type: AWS::S3::Bucket\nOutputs:\n  X:\n    Value: !GetAtt B.BucketName\n", nil,
			"15: Template error: resource B does not support attribute type BucketName in Fn::GetAtt"},
		{"sub unknown attribute", vpc + "  P:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: !Sub '${Vpc.Nope}'\n", nil,
			"10: P (AWS::SSM::Parameter): Template error: resource Vpc does not support attribute type Nope in Fn::GetAtt"},
		{"getatt undefined resource", vpc + "Outputs:\n  X:\n    Value: !GetAtt Nope.Arn\n", nil, "8: Template error: instance of Fn::GetAtt references undefined resource Nope"},
		{"ref in outputs", vpc + "Outputs:\n  X:\n    Value: !Ref Nope\n", nil, "8: Template format error: Unresolved resource dependencies [Nope] in the Outputs block of the template"},
		{"sub variable", vpc + "  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: !Sub '${Prefix}.1.0/24'\n", nil,
			"10: S (AWS::EC2::Subnet): Template format error: Unresolved resource dependencies [Prefix] in the Resources block of the template"},
		{"depends on nothing", vpc + "    DependsOn: Gateway\n", nil, "6: Vpc (AWS::EC2::VPC): Template format error: Unresolved resource dependencies [Gateway] in the Resources block of the template"},
		{"self reference", "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Ref G\n", nil,
			"2: Template format error: Circular dependency between resources: [G]: G (line 2) refers to G at line 5"},
		{"conditional resource referenced", "Conditions:\n  No: !Equals [a, b]\n" + vpc + "    Condition: No\n  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n", nil,
			"12: S (AWS::EC2::Subnet): Template format error: Unresolved resource dependencies [Vpc] in the Resources block of the template"},
		{"resource in condition", "Conditions:\n  C: !Equals [!Ref Vpc, x]\n" + vpc, nil,
			"2: Template format error: Unresolved dependencies [Vpc]. Cannot reference resources in the Conditions block of the template"},
		{"import value", vpc + "  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !ImportValue shared-vpc\n", nil,
			"9: S (AWS::EC2::Subnet): No export named shared-vpc found; it looks like an export of a stack named shared: give that stack's template too (its file name or --stack-name must make it shared), or supply the value with --import shared-vpc=VALUE"},
		{"find in map", "Mappings:\n  M:\n    us-west-2: {Ami: ami-1}\n" + vpc + "Outputs:\n  X:\n    Value: !FindInMap [M, !Ref 'AWS::Region', Ami]\n", nil,
			"11: Template error: Unable to get mapping for M::us-east-1::Ami"},
		{"required property", "Resources:\n  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      CidrBlock: 10.0.0.0/24\n", nil,
			"2: S (AWS::EC2::Subnet): Property validation failure: [The property {/VpcId} is required]"},
		{"required nested property", "Resources:\n  L:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/a/1\n      Port: 80\n      Protocol: HTTP\n      DefaultActions:\n        - TargetGroupArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1\n", nil,
			"9: L (AWS::ElasticLoadBalancingV2::Listener): Property validation failure: [The property {/DefaultActions/0/Type} is required]"},
		{"bad cidr", "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/33\n", nil,
			"5: Vpc (AWS::EC2::VPC): InvalidParameterValue: Value (10.0.0.0/33) for parameter cidrBlock is invalid. This is not a valid CIDR block."},
		{"transform", "Transform: AWS::Include-Macro-Example\n" + vpc, nil,
			"1: Template format error: Transform AWS::Include-Macro-Example is not supported: ecsnet reads templates as written; expand macros and transforms first (for example with sam build or aws cloudformation package, then get-template --template-stage Processed)"},
		{"nested file missing", "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: child.yaml\n", nil,
			"5: Child (AWS::CloudFormation::Stack): nested stack template DIR/child.yaml: file does not exist"},
		{"nested includes itself", "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: t.yaml\n", nil,
			": nested stack includes its own template: DIR/t.yaml → DIR/t.yaml [in nested stack Child (DIR/t.yaml:2)]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "t.yaml")
			if err := os.WriteFile(path, []byte(c.tmpl), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := cfn.Load(path, c.params)
			var ce *cfn.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Load = %v, want a *cfn.Error", err)
			}
			want := path + ":" + strings.ReplaceAll(c.want, "DIR", dir)
			if strings.HasPrefix(c.want, "0: ") {
				want = path + ": " + strings.TrimPrefix(c.want, "0: ")
			}
			if strings.HasPrefix(c.want, ": ") {
				want = path + strings.ReplaceAll(c.want, "DIR", dir)
			}
			if err.Error() != want {
				t.Errorf("error =\n%s\nwant\n%s", err, want)
			}
		})
	}
}
