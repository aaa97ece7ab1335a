"""A service ecsnet does not emulate answers NotImplemented (HTTP 501) in
the shape its own client parses, so boto3 raises a ClientError that names
the service, whatever the protocol: AWS JSON 1.0 and 1.1 (dynamodb,
kinesis), Query (sns), REST-JSON (batch; lambda until round thirty-seven), REST-XML (cloudfront's <ErrorResponse>). Before, these were answered MissingAction in
Query XML, which the JSON clients could not parse. KMS, CloudWatch and
Route 53, once among them, are emulated since round twenty-two, S3 since
round twenty-three (s3_awscli.py), Lambda since round thirty-seven
(TestLambdaFunctions): they answer."""
from common import client, fails

calls = [
    ("dynamodb", "list_tables", {}, "dynamodb (ListTables)"),
    ("kinesis", "list_streams", {}, "kinesis (ListStreams)"),
    ("sns", "list_topics", {}, "sns (ListTopics)"),
    ("batch", "describe_compute_environments", {}, "batch;"),
    ("cloudfront", "list_distributions", {}, "cloudfront;"),
]
for service, op, kwargs, named in calls:
    c = client(service)
    err = fails("NotImplemented", "ecsnet does not emulate the AWS service …", getattr(c, op), **kwargs)
    assert named in err["Message"], (service, err)
    assert "ecs, elasticfilesystem, elasticloadbalancing" in err["Message"], (service, err)

# The services ecsnet emulates are unaffected.
assert client("ecs").list_clusters()["clusterArns"] == []
assert client("kms").list_keys()["Keys"] == []
assert client("cloudwatch").describe_alarms()["MetricAlarms"] == []
assert client("s3").list_buckets()["Buckets"] == []
assert client("lambda").list_functions()["Functions"] == []
