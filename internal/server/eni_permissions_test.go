package server_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// CreateNetworkInterfacePermission grants an account INSTANCE-ATTACH or
// EIP-ASSOCIATE on an interface (granted at once);
// DescribeNetworkInterfacePermissions lists them by id, filter and page
// (50 a page by default); DeleteNetworkInterfacePermission removes one (an
// unknown id is InvalidNetworkInterfacePermissionID.NotFound, which
// Terraform waits for), and needs Force while the interface is attached
// to an instance of the grantee; deleting the interface deletes its
// permissions.
func TestNetworkInterfacePermissions(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	newENI := func() (string, string) {
		t.Helper()
		n, err := e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: s.Subnet.SubnetId})
		must(t, err)
		return aws.ToString(n.NetworkInterface.NetworkInterfaceId), aws.ToString(n.NetworkInterface.OwnerId)
	}
	eni1, owner := newENI()
	eni2, _ := newENI()

	c, err := e.CreateNetworkInterfacePermission(ctx, &ec2.CreateNetworkInterfacePermissionInput{NetworkInterfaceId: aws.String(eni1),
		AwsAccountId: aws.String("111122223333"), Permission: ec2types.InterfacePermissionTypeInstanceAttach})
	must(t, err)
	p := c.InterfacePermission
	if p == nil || aws.ToString(p.NetworkInterfaceId) != eni1 || aws.ToString(p.AwsAccountId) != "111122223333" ||
		p.Permission != ec2types.InterfacePermissionTypeInstanceAttach || p.PermissionState == nil ||
		p.PermissionState.State != ec2types.NetworkInterfacePermissionStateCodeGranted || len(aws.ToString(p.NetworkInterfacePermissionId)) < len("eni-perm-") {
		t.Fatalf("CreateNetworkInterfacePermission: %+v", p)
	}
	first := aws.ToString(p.NetworkInterfacePermissionId)
	_, err = e.CreateNetworkInterfacePermission(ctx, &ec2.CreateNetworkInterfacePermissionInput{NetworkInterfaceId: aws.String(eni2),
		AwsAccountId: aws.String("444455556666"), Permission: ec2types.InterfacePermissionTypeEipAssociate})
	must(t, err)

	ids := func(in *ec2.DescribeNetworkInterfacePermissionsInput) []string {
		t.Helper()
		d, err := e.DescribeNetworkInterfacePermissions(ctx, in)
		must(t, err)
		var out []string
		for _, p := range d.NetworkInterfacePermissions {
			out = append(out, aws.ToString(p.NetworkInterfaceId)+"/"+string(p.Permission))
		}
		return out
	}
	if got := ids(&ec2.DescribeNetworkInterfacePermissionsInput{}); len(got) != 2 {
		t.Errorf("all permissions: %v", got)
	}
	if got := ids(&ec2.DescribeNetworkInterfacePermissionsInput{NetworkInterfacePermissionIds: []string{first}}); len(got) != 1 || got[0] != eni1+"/INSTANCE-ATTACH" {
		t.Errorf("by id: %v", got)
	}
	for name, want := range map[string][]string{
		"network-interface-permission.network-interface-permission-id": {first, eni1 + "/INSTANCE-ATTACH"},
		"network-interface-permission.network-interface-id":            {eni2, eni2 + "/EIP-ASSOCIATE"},
		"network-interface-permission.aws-account-id":                  {"444455556666", eni2 + "/EIP-ASSOCIATE"},
		"network-interface-permission.permission":                      {"INSTANCE-ATTACH", eni1 + "/INSTANCE-ATTACH"},
	} {
		got := ids(&ec2.DescribeNetworkInterfacePermissionsInput{Filters: []ec2types.Filter{{Name: aws.String(name), Values: want[:1]}}})
		if len(got) != 1 || got[0] != want[1] {
			t.Errorf("filter %s=%s: %v, want %s", name, want[0], got, want[1])
		}
	}
	_, err = e.DescribeNetworkInterfacePermissions(ctx, &ec2.DescribeNetworkInterfacePermissionsInput{Filters: []ec2types.Filter{{Name: aws.String("group-id"), Values: []string{"x"}}}})
	wantAPIError(t, err, "InvalidParameterValue", "The filter 'group-id' is invalid")

	// Pages: 55 more permissions on eni2, 50 a page without MaxResults.
	for i := 0; i < 55; i++ {
		_, err := e.CreateNetworkInterfacePermission(ctx, &ec2.CreateNetworkInterfacePermissionInput{NetworkInterfaceId: aws.String(eni2),
			AwsAccountId: aws.String(fmt.Sprintf("%012d", 100000+i)), Permission: ec2types.InterfacePermissionTypeInstanceAttach})
		must(t, err)
	}
	d, err := e.DescribeNetworkInterfacePermissions(ctx, &ec2.DescribeNetworkInterfacePermissionsInput{})
	must(t, err)
	if len(d.NetworkInterfacePermissions) != 50 || d.NextToken == nil {
		t.Errorf("first default page: %d permissions, next %v", len(d.NetworkInterfacePermissions), d.NextToken)
	}
	n := 0
	pg := ec2.NewDescribeNetworkInterfacePermissionsPaginator(e, &ec2.DescribeNetworkInterfacePermissionsInput{MaxResults: aws.Int32(5)})
	for pg.HasMorePages() {
		out, err := pg.NextPage(ctx)
		must(t, err)
		if len(out.NetworkInterfacePermissions) > 5 {
			t.Fatalf("a page of %d with MaxResults 5", len(out.NetworkInterfacePermissions))
		}
		n += len(out.NetworkInterfacePermissions)
	}
	if n != 57 {
		t.Errorf("paged through %d permissions, want 57", n)
	}
	_, err = e.DescribeNetworkInterfacePermissions(ctx, &ec2.DescribeNetworkInterfacePermissionsInput{MaxResults: aws.Int32(256)})
	wantAPIError(t, err, "InvalidParameterValue", "Value ( 256 ) for parameter maxResults is invalid. Expecting a value less than or equal to 255.")

	// Refusals.
	for _, c := range []struct {
		in         ec2.CreateNetworkInterfacePermissionInput
		code, text string
	}{
		{ec2.CreateNetworkInterfacePermissionInput{NetworkInterfaceId: aws.String(eni1), AwsAccountId: aws.String("1234"), Permission: "INSTANCE-ATTACH"},
			"InvalidParameterValue", "Value (1234) for parameter awsAccountId is invalid. It must be a 12-digit account ID."},
		{ec2.CreateNetworkInterfacePermissionInput{NetworkInterfaceId: aws.String(eni1), AwsAccountId: aws.String("111122223333"), Permission: "ATTACH"},
			"InvalidParameterValue", "Value (ATTACH) for parameter permission is invalid. Valid values: INSTANCE-ATTACH, EIP-ASSOCIATE"},
		{ec2.CreateNetworkInterfacePermissionInput{NetworkInterfaceId: aws.String(eni1), Permission: "INSTANCE-ATTACH"},
			"MissingParameter", "The request must contain the parameter awsAccountId"},
		{ec2.CreateNetworkInterfacePermissionInput{NetworkInterfaceId: aws.String(eni1), AwsService: aws.String("ec2.amazonaws.com"), Permission: "INSTANCE-ATTACH"},
			"InvalidParameterValue", "The parameter awsService is not supported. Grant the permission to an account (awsAccountId)."},
		{ec2.CreateNetworkInterfacePermissionInput{NetworkInterfaceId: aws.String("eni-12345678"), AwsAccountId: aws.String("111122223333"), Permission: "INSTANCE-ATTACH"},
			"InvalidNetworkInterfaceID.NotFound", "The networkInterface ID 'eni-12345678' does not exist"},
	} {
		_, err := e.CreateNetworkInterfacePermission(ctx, &c.in)
		wantAPIError(t, err, c.code, c.text)
	}

	// Delete, then the id is unknown.
	del, err := e.DeleteNetworkInterfacePermission(ctx, &ec2.DeleteNetworkInterfacePermissionInput{NetworkInterfacePermissionId: aws.String(first)})
	must(t, err)
	if !aws.ToBool(del.Return) {
		t.Errorf("DeleteNetworkInterfacePermission returned %v", del.Return)
	}
	_, err = e.DescribeNetworkInterfacePermissions(ctx, &ec2.DescribeNetworkInterfacePermissionsInput{NetworkInterfacePermissionIds: []string{first}})
	wantAPIError(t, err, "InvalidNetworkInterfacePermissionID.NotFound", "The network interface permission ID '"+first+"' does not exist")
	_, err = e.DeleteNetworkInterfacePermission(ctx, &ec2.DeleteNetworkInterfacePermissionInput{NetworkInterfacePermissionId: aws.String(first)})
	wantAPIError(t, err, "InvalidNetworkInterfacePermissionID.NotFound", "The network interface permission ID '"+first+"' does not exist")

	// Deleting the interface deletes its permissions.
	_, err = e.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: aws.String(eni2)})
	must(t, err)
	if got := ids(&ec2.DescribeNetworkInterfacePermissionsInput{}); len(got) != 0 {
		t.Errorf("after deleting %s: %v", eni2, got)
	}

	// Force: an interface attached to an instance of the grantee.
	eni3, _ := newENI()
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		InstanceType: ec2types.InstanceTypeT3Micro, SubnetId: s.Subnet.SubnetId})
	must(t, err)
	_, err = e.AttachNetworkInterface(ctx, &ec2.AttachNetworkInterfaceInput{NetworkInterfaceId: aws.String(eni3), InstanceId: r.Instances[0].InstanceId, DeviceIndex: aws.Int32(1)})
	must(t, err)
	c, err = e.CreateNetworkInterfacePermission(ctx, &ec2.CreateNetworkInterfacePermissionInput{NetworkInterfaceId: aws.String(eni3),
		AwsAccountId: aws.String(owner), Permission: ec2types.InterfacePermissionTypeInstanceAttach})
	must(t, err)
	pid := c.InterfacePermission.NetworkInterfacePermissionId
	_, err = e.DeleteNetworkInterfacePermission(ctx, &ec2.DeleteNetworkInterfacePermissionInput{NetworkInterfacePermissionId: pid})
	wantAPIError(t, err, "IncorrectState", "The network interface "+eni3+" is attached to an instance of account "+owner+". Specify force to remove the permission.")
	_, err = e.DeleteNetworkInterfacePermission(ctx, &ec2.DeleteNetworkInterfacePermissionInput{NetworkInterfacePermissionId: pid, Force: aws.Bool(true)})
	must(t, err)
}

// AWS::EC2::NetworkInterfacePermission creates a permission (Ref and
// GetAtt Id: its id); deleting the stack deletes it.
func TestCloudFormationNetworkInterfacePermission(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	e := sdkClients(em.URL).ec2
	tmpl := `{"Resources": {
  "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
  "Sub": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.1.0/24"}},
  "Eni": {"Type": "AWS::EC2::NetworkInterface", "Properties": {"SubnetId": {"Ref": "Sub"}}},
  "Perm": {"Type": "AWS::EC2::NetworkInterfacePermission",
           "Properties": {"AwsAccountId": "111122223333", "NetworkInterfaceId": {"Ref": "Eni"}, "Permission": "EIP-ASSOCIATE"}}},
 "Outputs": {"Ref": {"Value": {"Ref": "Perm"}}, "Id": {"Value": {"Fn::GetAtt": ["Perm", "Id"]}}}}`
	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("perm"), TemplateBody: aws.String(tmpl)})
	must(t, err)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("perm")})
	must(t, err)
	st := ds.Stacks[0]
	if st.StackStatus != cftypes.StackStatusCreateComplete {
		t.Fatalf("stack %s: %s", st.StackStatus, aws.ToString(st.StackStatusReason))
	}
	outs := map[string]string{}
	for _, o := range st.Outputs {
		outs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	d, err := e.DescribeNetworkInterfacePermissions(ctx, &ec2.DescribeNetworkInterfacePermissionsInput{})
	must(t, err)
	if len(d.NetworkInterfacePermissions) != 1 || aws.ToString(d.NetworkInterfacePermissions[0].NetworkInterfacePermissionId) != outs["Ref"] ||
		outs["Id"] != outs["Ref"] || d.NetworkInterfacePermissions[0].Permission != ec2types.InterfacePermissionTypeEipAssociate {
		t.Fatalf("permissions %+v, outputs %v", d.NetworkInterfacePermissions, outs)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("perm")})
	must(t, err)
	_, err = e.DescribeNetworkInterfacePermissions(ctx, &ec2.DescribeNetworkInterfacePermissionsInput{NetworkInterfacePermissionIds: []string{outs["Ref"]}})
	wantAPIError(t, err, "InvalidNetworkInterfacePermissionID.NotFound", "The network interface permission ID '"+outs["Ref"]+"' does not exist")
}
