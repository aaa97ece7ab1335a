"""Amazon S3's multipart upload through the aws CLI and boto3 (round
twenty-four): `aws s3 cp` of a 20 MiB file (the CLI uploads it in 8 MiB
parts from 8 MiB: CreateMultipartUpload, UploadPart, CompleteMultipartUpload)
round-trips byte for byte (md5sum of the download), its ETag is S3's
multipart ETag (MD5 of the parts' MD5s, "-3"); `aws s3api
list-multipart-uploads` and `abort-multipart-upload`; and a bucket of another
region: boto3 and the CLI follow S3's 301 PermanentRedirect
(x-amz-bucket-region) by signing again for the bucket's region."""
import hashlib
import json
import os
import subprocess
import tempfile

import boto3

from common import ENDPOINT


def client(name, region_name="us-east-1"):
    return boto3.client(name, endpoint_url=ENDPOINT, region_name=region_name,
                        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")

ENV = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret", AWS_DEFAULT_REGION="us-east-1",
           AWS_PAGER="", AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")


def aws(*args, ok=True, region="us-east-1"):
    env = dict(ENV, AWS_DEFAULT_REGION=region)
    p = subprocess.run(["aws", "--endpoint-url", ENDPOINT, *args], env=env, capture_output=True, text=True, timeout=300)
    if ok and p.returncode != 0:
        raise AssertionError(f"aws {' '.join(args)}: {p.returncode} {p.stderr}")
    return p


def md5sum(path):
    return subprocess.run(["md5sum", path], capture_output=True, text=True, check=True).stdout.split()[0]


aws("s3", "mb", "s3://big-bucket")
with tempfile.TemporaryDirectory() as d:
    src = os.path.join(d, "big.bin")
    with open(src, "wb") as f:
        f.write(os.urandom(20 << 20))
    aws("s3", "cp", src, "s3://big-bucket/data/big.bin")
    back = os.path.join(d, "back.bin")
    aws("s3", "cp", "s3://big-bucket/data/big.bin", back)
    assert md5sum(src) == md5sum(back), (md5sum(src), md5sum(back))
    data = open(src, "rb").read()
    part = 8 << 20
    sums = b"".join(hashlib.md5(data[i:i + part]).digest() for i in range(0, len(data), part))
    want = '"%s-3"' % hashlib.md5(sums).hexdigest()
    head = json.loads(aws("s3api", "head-object", "--bucket", "big-bucket", "--key", "data/big.bin").stdout)
    assert head["ETag"] == want and head["ContentLength"] == 20 << 20, (head, want)

up = json.loads(aws("s3api", "create-multipart-upload", "--bucket", "big-bucket", "--key", "pending.bin").stdout)
ls = json.loads(aws("s3api", "list-multipart-uploads", "--bucket", "big-bucket").stdout)
assert [u["UploadId"] for u in ls["Uploads"]] == [up["UploadId"]], ls
aws("s3api", "abort-multipart-upload", "--bucket", "big-bucket", "--key", "pending.bin", "--upload-id", up["UploadId"])
p = aws("s3api", "list-parts", "--bucket", "big-bucket", "--key", "pending.bin", "--upload-id", up["UploadId"], ok=False)
assert p.returncode != 0 and "NoSuchUpload" in p.stderr, p.stderr

# A bucket of eu-west-1 asked through us-east-1: S3 answers 301
# PermanentRedirect with x-amz-bucket-region, and botocore signs again for
# eu-west-1.
eu = client("s3", region_name="eu-west-1")
eu.create_bucket(Bucket="eu-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
eu.put_object(Bucket="eu-bucket", Key="k", Body=b"from europe")
us = client("s3", region_name="us-east-1")
assert us.get_object(Bucket="eu-bucket", Key="k")["Body"].read() == b"from europe"
out = aws("s3", "ls", "s3://eu-bucket").stdout
assert " k" in out, out
aws("s3", "rb", "s3://big-bucket", "--force")

# `aws s3 rb --force` removes the current objects only: a versioned
# bucket keeps their versions and delete markers, so S3 refuses to delete
# it, as on AWS.
aws("s3", "mb", "s3://kept-versions")
aws("s3api", "put-bucket-versioning", "--bucket", "kept-versions", "--versioning-configuration", "Status=Enabled")
us.put_object(Bucket="kept-versions", Key="a", Body=b"1")
us.put_object(Bucket="kept-versions", Key="a", Body=b"2")
p = aws("s3", "rb", "s3://kept-versions", "--force", ok=False)
assert p.returncode != 0 and "BucketNotEmpty" in p.stderr, p.stderr
vs = us.list_object_versions(Bucket="kept-versions")
assert len(vs["Versions"]) == 2 and len(vs["DeleteMarkers"]) == 1, vs
print("ok")
