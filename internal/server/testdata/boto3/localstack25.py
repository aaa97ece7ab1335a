"""Answers as AWS recorded them in LocalStack's AWS-validated tests, round
twenty-five (docs/localstack-suite.md; localstack/localstack
tests/aws/services/...):

- EC2 CreateFlowLogs to an S3 bucket that does not exist: the request
  succeeds, each resource an Unsuccessful item with Code "400" and
  "LogDestination: BUCKET does not exist" (ec2/test_ec2.snapshot.json,
  test_ec2_flow_logs_s3_validation, 2024-09-24); a bucket that exists, with
  or without a folder, gets a flow log."""
from common import client

ec2 = client("ec2")
s3 = client("s3")
vpc = ec2.create_vpc(CidrBlock="10.0.0.0/24")["Vpc"]["VpcId"]

r = ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", LogDestinationType="s3",
                         LogDestination="arn:aws:s3:::no-such-bucket-ls25", TrafficType="ALL")
assert r["FlowLogIds"] == [], r
assert r["Unsuccessful"] == [{"ResourceId": vpc, "Error": {
    "Code": "400", "Message": "LogDestination: no-such-bucket-ls25 does not exist"}}], r
r = ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", LogDestinationType="s3",
                         LogDestination="arn:aws:s3:::no-such-bucket-ls25/sub/", TrafficType="ALL")
assert r["Unsuccessful"][0]["Error"]["Message"] == "LogDestination: no-such-bucket-ls25 does not exist", r
assert ec2.describe_flow_logs()["FlowLogs"] == []

s3.create_bucket(Bucket="flow-logs-ls25")
for dest in ["arn:aws:s3:::flow-logs-ls25", "arn:aws:s3:::flow-logs-ls25/subfolder/"]:
    r = ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", LogDestinationType="s3",
                             LogDestination=dest, TrafficType="ALL")
    assert r["Unsuccessful"] == [] and len(r["FlowLogIds"]) == 1, r
f = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc]}])["FlowLogs"]
assert sorted(x["LogDestination"] for x in f) == ["arn:aws:s3:::flow-logs-ls25",
                                                   "arn:aws:s3:::flow-logs-ls25/subfolder/"], f
