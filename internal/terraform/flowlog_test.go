package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// aws_flow_log is created, not skipped, with destinations from resources
// ecsnet does not model (an S3 bucket, a log group) given their ARNs'
// real shapes.
func TestFlowLogResource(t *testing.T) {
	dir := t.TempDir()
	err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_s3_bucket" "flows" {
  bucket = "flow-bucket"
}
resource "aws_cloudwatch_log_group" "flows" {
  name = "flows"
}
resource "aws_iam_role" "flows" {
  name               = "flows"
  assume_role_policy = "{}"
}
resource "aws_flow_log" "s3" {
  vpc_id                   = aws_vpc.main.id
  traffic_type             = "ALL"
  log_destination_type     = "s3"
  log_destination          = aws_s3_bucket.flows.arn
  max_aggregation_interval = 60
  destination_options {
    file_format        = "parquet"
    per_hour_partition = true
  }
  tags = { team = "net" }
}
resource "aws_flow_log" "logs" {
  vpc_id          = aws_vpc.main.id
  traffic_type    = "REJECT"
  log_destination = aws_cloudwatch_log_group.flows.arn
  iam_role_arn    = aws_iam_role.flows.arn
}
output "flow" {
  value = aws_flow_log.s3.id
}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	res, err := terraform.Load(dir, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Skipped {
		if s.Type == "aws_flow_log" {
			t.Errorf("skipped %s: %s", s.Address, s.Reason)
		}
	}
	st, _ := res.Engine.Snapshot()
	if len(st.FlowLogs) != 2 {
		t.Fatalf("%d flow logs", len(st.FlowLogs))
	}
	s3 := st.FlowLogs[model.FlowLogID(res.Outputs["flow"])]
	if s3 == nil || s3.Destination != "arn:aws:s3:::flow-bucket" || s3.AggregationSeconds != 60 || s3.FileFormat != "parquet" ||
		!s3.PerHourPartition || s3.Tags["team"] != "net" {
		t.Errorf("S3 flow log %+v", s3)
	}
	for _, f := range st.FlowLogs {
		if f.DestinationType == "cloud-watch-logs" && (f.LogGroupName != "flows" || f.TrafficType != "REJECT" || f.PermissionARN == "") {
			t.Errorf("CloudWatch flow log %+v", f)
		}
	}
}

// aws_vpc_endpoint_service on an NLB, with allowed principals.
func TestEndpointServiceResource(t *testing.T) {
	dir := t.TempDir()
	err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_lb" "nlb" {
  name               = "svc"
  internal           = true
  load_balancer_type = "network"
  subnets            = [aws_subnet.a.id]
}
resource "aws_vpc_endpoint_service" "svc" {
  acceptance_required        = false
  network_load_balancer_arns = [aws_lb.nlb.arn]
  allowed_principals         = ["arn:aws:iam::111122223333:root"]
}
output "name" {
  value = aws_vpc_endpoint_service.svc.service_name
}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	res, err := terraform.Load(dir, terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	if len(st.EndpointServices) != 1 {
		t.Fatalf("%d endpoint services; skipped %+v", len(st.EndpointServices), res.Skipped)
	}
	for _, s := range st.EndpointServices {
		if s.AcceptanceRequired || len(s.Principals) != 1 || len(s.Zones) != 1 || s.Zones[0] != "us-east-1a" ||
			res.Outputs["name"] != "com.amazonaws.vpce.us-east-1."+string(s.ID) {
			t.Errorf("endpoint service %+v, outputs %v", s, res.Outputs)
		}
	}
}

// aws_flow_log fails as the provider reports CreateFlowLogs' unsuccessful
// items ("creating Flow Log (R): R: api error CODE: MESSAGE"), and one to
// an S3 bucket the configuration does not manage is created: ecsnet knows
// no outside buckets, so it takes it to exist, as for other outside
// resources (on `ecsnet serve` EC2 itself answers "LogDestination: B does
// not exist").
func TestFlowLogUnsuccessfulItem(t *testing.T) {
	for _, tc := range []struct{ name, vpc, want string }{
		{"outside bucket", "aws_vpc.main.id", ""},
		{"missing vpc", `"vpc-0123456789abcdef0"`, "main.tf:9: aws_flow_log.s3: creating Flow Log (vpc-0123456789abcdef0): vpc-0123456789abcdef0: api error InvalidVpcID.NotFound: The vpc ID 'vpc-0123456789abcdef0' does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_flow_log" "s3" {
  traffic_type         = "ALL"
  vpc_id               = `+tc.vpc+`
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::bucket-made-elsewhere"
}
`), 0o644)
			if err != nil {
				t.Fatal(err)
			}
			res, err := terraform.Load(dir, terraform.Options{})
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if st, _ := res.Engine.Snapshot(); len(st.FlowLogs) != 1 {
					t.Errorf("%d flow logs, want 1", len(st.FlowLogs))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}
