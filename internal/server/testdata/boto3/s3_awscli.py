"""Amazon S3 through the aws CLI (`aws s3 mb/cp/ls/rm/rb`, `aws s3api`)
and boto3, path-style against the endpoint, as they send it: the CLI's
uploads (botocore's aws-chunked bodies with a CRC trailer, or a
Content-MD5), its listings with encoding-type=url, and AWS's error codes
(NoSuchBucket, NoSuchKey, BucketNotEmpty, MalformedPolicy)."""
import json
import os
import subprocess
import tempfile

import botocore.exceptions

from common import ENDPOINT, client

ENV = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret", AWS_DEFAULT_REGION="us-east-1",
           AWS_PAGER="", AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")


def aws(*args, ok=True):
    p = subprocess.run(["aws", "--endpoint-url", ENDPOINT, *args], env=ENV, capture_output=True, text=True, timeout=60)
    if ok and p.returncode != 0:
        raise AssertionError(f"aws {' '.join(args)}: {p.returncode} {p.stderr}")
    return p


aws("s3", "mb", "s3://cli-bucket")
with tempfile.TemporaryDirectory() as d:
    src = os.path.join(d, "app.env")
    with open(src, "w") as f:
        f.write("PORT=8080\nMODE=prod\n")
    aws("s3", "cp", src, "s3://cli-bucket/config/app.env")
    aws("s3", "cp", src, "s3://cli-bucket/config/sub dir/with space.env")
    back = os.path.join(d, "back.env")
    aws("s3", "cp", "s3://cli-bucket/config/app.env", back)
    assert open(back).read() == "PORT=8080\nMODE=prod\n", open(back).read()

out = aws("s3", "ls", "s3://cli-bucket/config/").stdout
assert "app.env" in out and "PRE sub dir/" in out, out
out = aws("s3", "ls", "s3://cli-bucket", "--recursive").stdout
assert "config/sub dir/with space.env" in out, out
out = aws("s3", "ls").stdout
assert "cli-bucket" in out, out

head = json.loads(aws("s3api", "head-object", "--bucket", "cli-bucket", "--key", "config/app.env").stdout)
assert head["ContentLength"] == 20, head
p = aws("s3api", "get-object", "--bucket", "cli-bucket", "--key", "nope", "/dev/null", ok=False)
assert p.returncode != 0 and "NoSuchKey" in p.stderr, p.stderr
p = aws("s3", "rb", "s3://cli-bucket", ok=False)
assert p.returncode != 0 and "BucketNotEmpty" in p.stderr, p.stderr
p = aws("s3api", "put-bucket-policy", "--bucket", "cli-bucket", "--policy", "not json", ok=False)
assert p.returncode != 0 and "MalformedPolicy" in p.stderr, p.stderr

s3 = client("s3")
s3.put_object(Bucket="cli-bucket", Key="b.txt", Body=b"boto3")
assert s3.get_object(Bucket="cli-bucket", Key="b.txt")["Body"].read() == b"boto3"
keys = [o["Key"] for o in s3.list_objects_v2(Bucket="cli-bucket")["Contents"]]
assert keys == ["b.txt", "config/app.env", "config/sub dir/with space.env"], keys
try:
    s3.get_bucket_cors(Bucket="cli-bucket")
    raise AssertionError("GetBucketCors of a bucket without CORS succeeded")
except botocore.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "NoSuchCORSConfiguration", e.response
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 404

aws("s3", "rb", "s3://cli-bucket", "--force")
try:
    s3.head_bucket(Bucket="cli-bucket")
    raise AssertionError("the bucket outlived aws s3 rb --force")
except botocore.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "404", e.response
print("ok")
