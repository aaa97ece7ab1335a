package cfn_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS::EC2::FlowLog is created, not skipped: to CloudWatch Logs by log
// group name and to S3 with destination options; a bad one fails at its
// line with EC2's text.
func TestFlowLogResource(t *testing.T) {
	res := loadText(t, "flow.yaml", `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  ToLogs:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !Ref Vpc
      ResourceType: VPC
      TrafficType: REJECT
      LogGroupName: flows
      DeliverLogsPermissionArn: arn:aws:iam::123456789012:role/flows
  ToS3:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !Ref Vpc
      ResourceType: VPC
      TrafficType: ALL
      LogDestinationType: s3
      LogDestination: arn:aws:s3:::flow-bucket
      MaxAggregationInterval: 60
      DestinationOptions: {FileFormat: parquet, PerHourPartition: true}
      Tags: [{Key: team, Value: net}]
Outputs:
  Id:
    Value: !GetAtt ToS3.Id
`, nil)
	for _, s := range res.Skipped {
		t.Errorf("skipped %s: %s", s.LogicalID, s.Reason)
	}
	res.Engine.Read(func(st *model.State) {
		if len(st.FlowLogs) != 2 {
			t.Fatalf("%d flow logs", len(st.FlowLogs))
		}
		s3 := st.FlowLogs[model.FlowLogID(res.PhysicalIDs["ToS3"])]
		if s3 == nil || s3.AggregationSeconds != 60 || s3.FileFormat != "parquet" || !s3.PerHourPartition || s3.Tags["team"] != "net" ||
			res.Outputs["Id"] != string(s3.ID) {
			t.Errorf("S3 flow log %+v, outputs %v", s3, res.Outputs)
		}
		cw := st.FlowLogs[model.FlowLogID(res.PhysicalIDs["ToLogs"])]
		if cw == nil || cw.LogGroupName != "flows" || cw.TrafficType != "REJECT" || cw.AggregationSeconds != 600 {
			t.Errorf("CloudWatch flow log %+v", cw)
		}
	})

	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte(`Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Bad:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !Ref Vpc
      ResourceType: VPC
      TrafficType: ALL
      LogDestinationType: s3
      LogDestination: arn:aws:s3:::b
      DeliverLogsPermissionArn: arn:aws:iam::123456789012:role/flows
`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := cfn.Load(path, nil)
	if err == nil || !strings.Contains(err.Error(), "DeliverLogsPermissionArn is not applicable for s3 delivery") {
		t.Errorf("bad flow log: %v", err)
	}
}

// AWS::EC2::VPCEndpointService on an NLB: acceptance required by default.
func TestEndpointServiceResource(t *testing.T) {
	res := loadText(t, "svc.yaml", `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network, Scheme: internal, Subnets: [!Ref Subnet]}
  Svc:
    Type: AWS::EC2::VPCEndpointService
    Properties:
      NetworkLoadBalancerArns: [!Ref Nlb]
Outputs:
  Id:
    Value: !GetAtt Svc.ServiceId
`, nil)
	res.Engine.Read(func(st *model.State) {
		s := st.EndpointServices[model.EndpointServiceID(res.PhysicalIDs["Svc"])]
		if s == nil || !s.AcceptanceRequired || len(s.NetworkLBs) != 1 || res.Outputs["Id"] != string(s.ID) {
			t.Errorf("endpoint service %+v, outputs %v", s, res.Outputs)
		}
	})
}

// Where S3's buckets are known (a deploy with the global engine, as on
// `ecsnet serve`), AWS::EC2::FlowLog to a bucket that does not exist
// fails with EC2's unsuccessful item; one to the template's own bucket
// (after it, by its Arn) is created. The analyzer, which knows no other
// buckets, takes an outside bucket to exist (TestFlowLogResource).
func TestFlowLogMissingBucket(t *testing.T) {
	const tpl = `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Flows:
    Type: AWS::S3::Bucket
    Properties: {BucketName: own-flow-bucket}
  Own:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !Ref Vpc
      ResourceType: VPC
      TrafficType: ALL
      LogDestinationType: s3
      LogDestination: !GetAtt Flows.Arn
%s`
	const outside = `  Outside:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !Ref Vpc
      ResourceType: VPC
      TrafficType: ALL
      LogDestinationType: s3
      LogDestination: arn:aws:s3:::no-such-flow-bucket/logs/
`
	for _, tc := range []struct {
		name, extra, want string
	}{
		{"own bucket", "", ""},
		{"missing bucket", outside, "LogDestination: no-such-flow-bucket does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := cfn.ParseTemplate("flow.yaml", []byte(strings.Replace(tpl, "%s", tc.extra, 1)))
			if err != nil {
				t.Fatal(err)
			}
			// The buckets live in the global engine, not the stack's.
			e, global := cfn.NewEngine(), cfn.NewEngine()
			_, err = cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "flows", IAM: global})
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				st, _ := e.Snapshot()
				if len(st.FlowLogs) != 1 {
					t.Errorf("%d flow logs, want 1", len(st.FlowLogs))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), "flow.yaml:") {
				t.Errorf("err %v names no template line", err)
			}
			var ce *cfn.Error
			if !errors.As(err, &ce) || ce.HandlerCode != "GeneralServiceException" {
				t.Errorf("err %#v, want the handler's own failure (GeneralServiceException)", err)
			}
			st, _ := e.Snapshot()
			if len(st.FlowLogs) != 0 {
				t.Errorf("%d flow logs after a failed deploy", len(st.FlowLogs))
			}
		})
	}
}
