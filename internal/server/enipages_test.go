package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/server"
)

// TestDescribeNetworkInterfacesPages: DescribeNetworkInterfaces makes its
// items as it encodes them and cuts a page without sorting every ENI; the
// AWS SDK for Go v2, boto3 and the aws CLI read the same ENIs, field for
// field, whole and in pages (with and without a filter), in id order.
func TestDescribeNetworkInterfacesPages(t *testing.T) {
	t.Parallel()
	srv, err := server.New(server.Options{Registry: services.Registry(), Models: testModels})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	c := sdkClients(hs.URL).ec2
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i)), AvailabilityZone: aws.String(az)})
		must(t, err)
		subnets = append(subnets, *s.Subnet.SubnetId)
	}
	sg, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web"), VpcId: vpc.Vpc.VpcId})
	must(t, err)
	for i := range 40 {
		in := &ec2.CreateNetworkInterfaceInput{SubnetId: aws.String(subnets[i%2]), Description: aws.String(fmt.Sprintf("eni <%d> & co", i))}
		if i%3 == 0 {
			in.Groups = []string{*sg.GroupId}
			in.TagSpecifications = []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeNetworkInterface,
				Tags: []ec2types.Tag{{Key: aws.String("n"), Value: aws.String(fmt.Sprint(i))}}}}
		}
		_, err := c.CreateNetworkInterface(ctx, in)
		must(t, err)
	}
	// Instance ENIs: attached, with a public address.
	_, err = c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(3), MaxCount: aws.Int32(3), NetworkInterfaces: []ec2types.InstanceNetworkInterfaceSpecification{{
			DeviceIndex: aws.Int32(0), SubnetId: aws.String(subnets[1]), AssociatePublicIpAddress: aws.Bool(true)}}})
	must(t, err)

	whole, err := c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{})
	must(t, err)
	if len(whole.NetworkInterfaces) != 43 || whole.NextToken != nil {
		t.Fatalf("%d ENIs (next token %v), want 43 in one answer", len(whole.NetworkInterfaces), whole.NextToken)
	}
	ids := func(l []ec2types.NetworkInterface) []string {
		var out []string
		for _, n := range l {
			out = append(out, *n.NetworkInterfaceId)
		}
		return out
	}
	if !slices.IsSorted(ids(whole.NetworkInterfaces)) {
		t.Errorf("not in id order: %v", ids(whole.NetworkInterfaces))
	}
	attached := 0
	for _, n := range whole.NetworkInterfaces {
		if n.Attachment != nil && n.Association != nil && n.Association.PublicIp != nil {
			attached++
		}
	}
	if attached != 3 {
		t.Errorf("%d ENIs attached with a public address, want 3", attached)
	}
	pages := func(in *ec2.DescribeNetworkInterfacesInput) ([]ec2types.NetworkInterface, int) {
		var all []ec2types.NetworkInterface
		n := 0
		p := ec2.NewDescribeNetworkInterfacesPaginator(c, in)
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			must(t, err)
			if len(out.NetworkInterfaces) > int(*in.MaxResults) {
				t.Fatalf("page of %d, more than MaxResults %d", len(out.NetworkInterfaces), *in.MaxResults)
			}
			all = append(all, out.NetworkInterfaces...)
			n++
		}
		return all, n
	}
	paged, n := pages(&ec2.DescribeNetworkInterfacesInput{MaxResults: aws.Int32(7)})
	if n != 7 || !reflect.DeepEqual(paged, whole.NetworkInterfaces) {
		t.Errorf("%d pages of 7 read %v, want the whole answer's %v", n, ids(paged), ids(whole.NetworkInterfaces))
	}
	var second []ec2types.NetworkInterface
	for _, x := range whole.NetworkInterfaces {
		if *x.SubnetId == subnets[1] {
			second = append(second, x)
		}
	}
	filtered, _ := pages(&ec2.DescribeNetworkInterfacesInput{MaxResults: aws.Int32(5),
		Filters: []ec2types.Filter{{Name: aws.String("subnet-id"), Values: []string{subnets[1]}}}})
	if !reflect.DeepEqual(filtered, second) {
		t.Errorf("filtered pages read %v, want %v", ids(filtered), ids(second))
	}

	// boto3's paginator and the aws CLI, whole and in pages.
	requireTool(t, "aws", "--version")
	requireTool(t, "python3", "-c", "import boto3")
	env := append(os.Environ(), "AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	run := func(name string, args ...string) []byte {
		t.Helper()
		cctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(cctx, name, args...)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s %v: %v", name, args, err)
		}
		return out
	}
	py := `
import boto3, json, sys
ec2 = boto3.client("ec2", endpoint_url=sys.argv[1])
whole = ec2.describe_network_interfaces()["NetworkInterfaces"]
paged = [n for p in ec2.get_paginator("describe_network_interfaces").paginate(PaginationConfig={"PageSize": 6}) for n in p["NetworkInterfaces"]]
assert paged == whole, "boto3: the pages differ from the whole answer"
print(json.dumps([n["NetworkInterfaceId"] for n in whole]))
`
	var boto []string
	if err := json.Unmarshal(run("python3", "-c", py, hs.URL), &boto); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(boto, ids(whole.NetworkInterfaces)) {
		t.Errorf("boto3 read %v, want %v", boto, ids(whole.NetworkInterfaces))
	}
	cli := func(args ...string) string {
		return string(run("aws", append([]string{"--endpoint-url", hs.URL, "ec2", "describe-network-interfaces", "--output", "json"}, args...)...))
	}
	if a, b := cli("--no-paginate"), cli("--page-size", "8"); a != b || !strings.Contains(a, ids(whole.NetworkInterfaces)[42]) {
		t.Errorf("aws CLI: the pages of 8 differ from one answer:\n%s\n%s", b, a)
	}
}
