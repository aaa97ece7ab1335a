package server_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// VPC flow logs through the AWS SDK for Go v2: create to CloudWatch Logs
// and S3, the validation EC2 does first, duplicates, unknown resources as
// unsuccessful items, filters, tags, and delete with unknown ids.
func TestFlowLogsAPI(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	vpc := aws.ToString(v.Vpc.VpcId)
	role := "arn:aws:iam::123456789012:role/flow"
	// The S3 destinations must exist (a missing bucket is an unsuccessful
	// item, localstack25.py).
	_, err = s3Client(em.URL, "us-east-1", true).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bucket")})
	must(t, err)

	bad := []struct {
		in   ec2.CreateFlowLogsInput
		code string
		msg  string
	}{
		{ec2.CreateFlowLogsInput{LogDestinationType: "s3", LogDestination: aws.String("arn:aws:s3:::b"), MaxAggregationInterval: aws.Int32(10)},
			"InvalidParameter", "Invalid Flow Log Max Aggregation Interval"},
		{ec2.CreateFlowLogsInput{LogDestinationType: "s3"}, "InvalidParameter", "LogDestination can't be empty if LogGroupName is not provided."},
		{ec2.CreateFlowLogsInput{LogDestinationType: "s3", LogGroupName: aws.String("g")}, "InvalidParameter", "LogDestination type must be cloud-watch-logs if LogGroupName is provided."},
		// Both a group and a destination, with the s3 type: the first check
		// (localstack/localstack test_ec2_flow_logs_s3_validation, AWS's answer).
		{ec2.CreateFlowLogsInput{LogDestinationType: "s3", LogDestination: aws.String("arn:aws:s3:::b"), LogGroupName: aws.String("g")},
			"InvalidParameter", "Please only provide LogGroupName or only provide LogDestination."},
		{ec2.CreateFlowLogsInput{LogGroupName: aws.String("g")}, "InvalidParameter", "DeliverLogsPermissionArn can't be empty if LogDestinationType is cloud-watch-logs."},
		{ec2.CreateFlowLogsInput{LogDestinationType: "s3", LogDestination: aws.String("arn:aws:s3:::b"), DeliverLogsPermissionArn: aws.String(role)},
			"InvalidParameter", "DeliverLogsPermissionArn is not applicable for s3 delivery"},
		{ec2.CreateFlowLogsInput{LogDestination: aws.String("arn:aws:logs:eu-west-1:123456789012:log-group:g"), DeliverLogsPermissionArn: aws.String(role)},
			"InvalidParameter", "LogDestination must be in the same region as the API caller."},
	}
	for _, b := range bad {
		in := b.in
		in.ResourceType, in.ResourceIds, in.TrafficType = ec2types.FlowLogsResourceTypeVpc, []string{vpc}, ec2types.TrafficTypeAll
		_, err := e.CreateFlowLogs(ctx, &in)
		wantAPIError(t, err, b.code, b.msg)
	}

	cw, err := e.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{ResourceType: ec2types.FlowLogsResourceTypeVpc, ResourceIds: []string{vpc, "vpc-0000000000000dead"},
		TrafficType: ec2types.TrafficTypeReject, LogGroupName: aws.String("flows"), DeliverLogsPermissionArn: aws.String(role)})
	must(t, err)
	if len(cw.FlowLogIds) != 1 || len(cw.Unsuccessful) != 1 || aws.ToString(cw.Unsuccessful[0].ResourceId) != "vpc-0000000000000dead" ||
		aws.ToString(cw.Unsuccessful[0].Error.Code) != "InvalidVpcID.NotFound" {
		t.Fatalf("CreateFlowLogs with an unknown VPC: %+v %+v", cw.FlowLogIds, cw.Unsuccessful)
	}
	s3, err := e.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{ResourceType: ec2types.FlowLogsResourceTypeVpc, ResourceIds: []string{vpc},
		TrafficType: ec2types.TrafficTypeAll, LogDestinationType: ec2types.LogDestinationTypeS3, LogDestination: aws.String("arn:aws:s3:::bucket"),
		MaxAggregationInterval: aws.Int32(60),
		TagSpecifications:      []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpcFlowLog, Tags: []ec2types.Tag{{Key: aws.String("team"), Value: aws.String("net")}}}}})
	must(t, err)
	_, err = e.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{ResourceType: ec2types.FlowLogsResourceTypeVpc, ResourceIds: []string{vpc},
		TrafficType: ec2types.TrafficTypeAll, LogDestinationType: ec2types.LogDestinationTypeS3, LogDestination: aws.String("arn:aws:s3:::bucket")})
	wantAPIError(t, err, "FlowLogAlreadyExists", "Error. There is an existing Flow Log with the same configuration and log destination.")

	d, err := e.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{FlowLogIds: cw.FlowLogIds})
	must(t, err)
	if len(d.FlowLogs) != 1 {
		t.Fatalf("DescribeFlowLogs by id: %+v", d.FlowLogs)
	}
	f := d.FlowLogs[0]
	if aws.ToString(f.LogGroupName) != "flows" || aws.ToString(f.LogDestination) != "arn:aws:logs:us-east-1:123456789012:log-group:flows" ||
		f.LogDestinationType != ec2types.LogDestinationTypeCloudWatchLogs || aws.ToInt32(f.MaxAggregationInterval) != 600 ||
		aws.ToString(f.LogFormat) != "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}" ||
		aws.ToString(f.DeliverLogsStatus) != "SUCCESS" || aws.ToString(f.FlowLogStatus) != "ACTIVE" || f.CreationTime == nil {
		t.Errorf("CloudWatch flow log: %+v", f)
	}
	d, err = e.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{Filter: []ec2types.Filter{filter("tag:team", "net"), filter("log-destination-type", "s3")}})
	must(t, err)
	if len(d.FlowLogs) != 1 || aws.ToString(d.FlowLogs[0].FlowLogId) != s3.FlowLogIds[0] || aws.ToInt32(d.FlowLogs[0].MaxAggregationInterval) != 60 ||
		d.FlowLogs[0].DestinationOptions == nil || d.FlowLogs[0].DestinationOptions.FileFormat != ec2types.DestinationFileFormatPlainText {
		t.Errorf("DescribeFlowLogs by tag and destination type: %+v", d.FlowLogs)
	}

	_, err = e.DeleteFlowLogs(ctx, &ec2.DeleteFlowLogsInput{FlowLogIds: []string{cw.FlowLogIds[0], "fl-1a2b3c4d", "fl-2b3c4d5e"}})
	wantAPIError(t, err, "InvalidFlowLogId.NotFound", "These flow log ids in the input list are not found: [TotalCount: 2] fl-1a2b3c4d fl-2b3c4d5e")
	_, err = e.DeleteFlowLogs(ctx, &ec2.DeleteFlowLogsInput{FlowLogIds: cw.FlowLogIds})
	must(t, err)
	d, err = e.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{})
	must(t, err)
	if len(d.FlowLogs) != 1 || aws.ToString(d.FlowLogs[0].FlowLogId) != s3.FlowLogIds[0] {
		t.Errorf("after delete: %+v", d.FlowLogs)
	}

	// A deleted VPC's flow logs go with it.
	_, err = e.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: &vpc})
	must(t, err)
	d, err = e.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{})
	must(t, err)
	if len(d.FlowLogs) != 0 {
		t.Errorf("flow logs of a deleted VPC: %+v", d.FlowLogs)
	}
}

// Carrier gateways through the AWS SDK for Go v2.
func TestCarrierGatewaysAPI(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	_, err = e.CreateCarrierGateway(ctx, &ec2.CreateCarrierGatewayInput{VpcId: aws.String("vpc-0000000000000dead")})
	wantAPIError(t, err, "InvalidVpcID.NotFound", "The vpc ID 'vpc-0000000000000dead' does not exist")
	c, err := e.CreateCarrierGateway(ctx, &ec2.CreateCarrierGatewayInput{VpcId: v.Vpc.VpcId,
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeCarrierGateway, Tags: []ec2types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}}})
	must(t, err)
	g := c.CarrierGateway
	if g.State != ec2types.CarrierGatewayStateAvailable || aws.ToString(g.OwnerId) != "123456789012" || len(g.Tags) != 1 {
		t.Errorf("CreateCarrierGateway: %+v", g)
	}
	d, err := e.DescribeCarrierGateways(ctx, &ec2.DescribeCarrierGatewaysInput{Filters: []ec2types.Filter{filter("vpc-id", aws.ToString(v.Vpc.VpcId))}})
	must(t, err)
	if len(d.CarrierGateways) != 1 || aws.ToString(d.CarrierGateways[0].CarrierGatewayId) != aws.ToString(g.CarrierGatewayId) {
		t.Errorf("DescribeCarrierGateways: %+v", d.CarrierGateways)
	}
	del, err := e.DeleteCarrierGateway(ctx, &ec2.DeleteCarrierGatewayInput{CarrierGatewayId: g.CarrierGatewayId})
	must(t, err)
	if del.CarrierGateway.State != ec2types.CarrierGatewayStateDeleting {
		t.Errorf("DeleteCarrierGateway state %s", del.CarrierGateway.State)
	}
	_, err = e.DeleteCarrierGateway(ctx, &ec2.DeleteCarrierGatewayInput{CarrierGatewayId: g.CarrierGatewayId})
	wantAPIError(t, err, "InvalidCarrierGatewayID.NotFound", "The CarrierGateway ID '"+aws.ToString(g.CarrierGatewayId)+"' does not exist")
	d, err = e.DescribeCarrierGateways(ctx, &ec2.DescribeCarrierGatewaysInput{})
	must(t, err)
	if slices.ContainsFunc(d.CarrierGateways, func(x ec2types.CarrierGateway) bool {
		return aws.ToString(x.CarrierGatewayId) == aws.ToString(g.CarrierGatewayId)
	}) {
		t.Error("a deleted carrier gateway is still described")
	}
}
