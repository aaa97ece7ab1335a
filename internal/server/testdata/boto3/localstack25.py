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

# STS (sts/test_sts.snapshot.json, test_get_federation_token and
# test_assume_role, 2024-06-05): GetFederationToken answers the federated
# user and PackedPolicySize 0; its credentials are that user's; an
# AssumeRole without session policy or tags has no PackedPolicySize.
import json  # noqa: E402

import boto3  # noqa: E402

from common import ENDPOINT, fails  # noqa: E402

sts = client("sts")
account = sts.get_caller_identity()["Account"]
r = sts.get_federation_token(Name="TestNameab12", DurationSeconds=900)
assert r["FederatedUser"] == {"FederatedUserId": f"{account}:TestNameab12",
                              "Arn": f"arn:aws:sts::{account}:federated-user/TestNameab12"}, r
assert r["PackedPolicySize"] == 0, r
c = r["Credentials"]
assert c["AccessKeyId"].startswith("ASIA") and c["SessionToken"] and c["Expiration"], c
fed = boto3.client("sts", endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id=c["AccessKeyId"],
                   aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
who = fed.get_caller_identity()
assert who["Arn"] == f"arn:aws:sts::{account}:federated-user/TestNameab12" and who["UserId"] == f"{account}:TestNameab12", who
fails("AccessDenied", "Cannot call GetFederationToken with session credentials", fed.get_federation_token, Name="again")

iam = client("iam")
trust = {"Version": "2012-10-17", "Statement": [{"Action": "sts:AssumeRole", "Principal": {"AWS": account}, "Effect": "Allow"}]}
role = iam.create_role(RoleName="ls25-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
r = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="ls25-session")
assert "PackedPolicySize" not in r, r
assert r["AssumedRoleUser"]["AssumedRoleId"] == role["RoleId"] + ":ls25-session", r

# Secrets Manager ListSecrets filters (secretsmanager/test_secretsmanager.py,
# test_list_secrets_filtering, validated): a description filter matches
# words, each word of the value starting a word of the description, in any
# case and order; name matches the start of the name; ! negates.
sm = client("secretsmanager")
names = {"testing1/one-ls25": "a secret", "/testing2/two-ls25": "an secret",
         "testing3/three-ls25": "asecret", "/testing4/four-ls25": "thesecret",
         "ls25-docs": "Description of my secret"}
for n, d in names.items():
    sm.create_secret(Name=n, SecretString="secret", Description=d)


def listed(*filters):
    got = {s["Name"] for s in sm.list_secrets(Filters=list(filters))["SecretList"]}
    return got & set(names)


n1, n2, n3, n4, n5 = names
assert listed({"Key": "name", "Values": ["/"]}) == {n2, n4}
assert listed({"Key": "name", "Values": ["!/"]}) == {n1, n3, n5}
assert listed({"Key": "name", "Values": ["testing1 one"]}) == set()
assert listed({"Key": "description", "Values": ["a"]}) == {n1, n2, n3}
assert listed({"Key": "description", "Values": ["!a"]}) == {n4, n5}
assert listed({"Key": "description", "Values": ["a secret"]}) == {n1, n2}
assert listed({"Key": "description", "Values": ["My Description"]}) == {n5}
assert listed({"Key": "description", "Values": ["a"]}, {"Key": "name", "Values": ["an"]}) == set()
assert listed({"Key": "description", "Values": ["!c"]}) == {n1, n2, n3, n4, n5}
# all: any word of the value, at the start of a word of any attribute.
assert listed({"Key": "all", "Values": ["Four_Docs"]}) == {n4, n5}

# Secrets Manager versions (test_secretsmanager.snapshot.json,
# test_update_secret_version_stages_current_pending and _cycle_custom_stages_1,
# test_non_versioning_version_stages_replacement, test_create_and_update_secret):
# labels are listed sorted; versions oldest first, each with KmsKeyIds
# ["DefaultEncryptionKey"] and, once read, LastAccessedDate (the day);
# moving AWSCURRENT labels the version it left AWSPREVIOUS, which loses
# AWSPENDING.
import datetime  # noqa: E402

n = "ls25-stages"
v1 = sm.create_secret(Name=n, SecretString="S1")["VersionId"]
assert "LastAccessedDate" not in sm.describe_secret(SecretId=n)
r = sm.put_secret_value(SecretId=n, SecretString="S2", VersionStages=["PUT1", "AWSPENDING", "AWSSOMETHING"])
assert r["VersionStages"] == ["AWSPENDING", "AWSSOMETHING", "PUT1"], r
v2 = r["VersionId"]
sm.get_secret_value(SecretId=n)
sm.update_secret_version_stage(SecretId=n, VersionStage="AWSCURRENT", MoveToVersionId=v2, RemoveFromVersionId=v1)
vs = sm.list_secret_version_ids(SecretId=n)["Versions"]
assert [(v["VersionId"], v["VersionStages"]) for v in vs] == [
    (v1, ["AWSPREVIOUS"]), (v2, ["AWSCURRENT", "AWSPENDING", "AWSSOMETHING", "PUT1"])], vs
assert all(v["KmsKeyIds"] == ["DefaultEncryptionKey"] for v in vs), vs
today = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
assert vs[0]["LastAccessedDate"] == today and "LastAccessedDate" not in vs[1], vs
assert sm.describe_secret(SecretId=n)["LastAccessedDate"] == today
v3 = sm.put_secret_value(SecretId=n, SecretString="S3")["VersionId"]
stages = sm.describe_secret(SecretId=n)["VersionIdsToStages"]
assert stages == {v2: ["AWSPREVIOUS", "AWSSOMETHING", "PUT1"], v3: ["AWSCURRENT"]}, stages

# KMS (kms/test_kms.snapshot.json, recorded 2023-04 to 2024-04:
# test_get_key_does_not_exist, test_get_key_invalid_uuid,
# test_get_key_in_different_region, test_hmac_create_key,
# test_hmac_create_key_invalid_operations).
import uuid  # noqa: E402

from botocore.config import Config  # noqa: E402

kms = client("kms")
raw = boto3.client("kms", endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id="AKIDEXAMPLE",
                   aws_secret_access_key="secret", config=Config(parameter_validation=False))
prefix = f"arn:aws:kms:us-east-1:{account}:"
u = str(uuid.uuid4())
fails("NotFoundException", f"Key '{prefix}key/{u}' does not exist", kms.describe_key, KeyId=u)
fails("NotFoundException", f"Key '{prefix}key/{u}' does not exist", kms.describe_key, KeyId=f"{prefix}key/{u}")
mrk = "mrk-d3b95762d3b95762d3b95762d3b95762"
fails("NotFoundException", f"Key '{prefix}key/{mrk}' does not exist", kms.describe_key, KeyId=mrk)
for bad in ["fake-key-id", "134f2428cec14b25a1ae9048164dba47", "mrk-fake-key-id"]:
    fails("NotFoundException", f"Invalid keyId '{bad}'", kms.describe_key, KeyId=bad)
fails("NotFoundException", f"Alias {prefix}alias/ls25-none is not found.", kms.describe_key, KeyId="alias/ls25-none")
other = boto3.client("kms", endpoint_url=ENDPOINT, region_name="ap-southeast-1", aws_access_key_id="AKIDEXAMPLE",
                     aws_secret_access_key="secret").create_key(Description="test key 123")["KeyMetadata"]
fails("NotFoundException", "Invalid arn ap-southeast-1", kms.describe_key, KeyId=other["Arn"])
fails("NotFoundException", f"Key '{prefix}key/{other['KeyId']}' does not exist", kms.describe_key, KeyId=other["KeyId"])

fails("ValidationException", "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.",
      kms.create_key, KeySpec="HMAC_256")
fails("ValidationException", "1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: "
      "Member must satisfy enum value set: [RSA_2048, ECC_NIST_P384, ECC_NIST_P256, ECC_NIST_P521, HMAC_384, RSA_3072, "
      "ECC_SECG_P256K1, RSA_4096, SYMMETRIC_DEFAULT, HMAC_256, HMAC_224, HMAC_512, …",
      raw.create_key, KeySpec="HMAC_random", KeyUsage="GENERATE_VERIFY_MAC")
fails("ValidationException", "1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: "
      "Member must satisfy enum value set: [ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC…",
      raw.create_key, KeySpec="HMAC_256", KeyUsage="RANDOM")
h = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC", Description="test key")["KeyMetadata"]
assert h["MacAlgorithms"] == ["HMAC_SHA_256"] and "EncryptionAlgorithms" not in h, h
e = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
assert e["SigningAlgorithms"] == ["ECDSA_SHA_256"] and "EncryptionAlgorithms" not in e, e
s = kms.describe_key(KeyId=kms.create_key()["KeyMetadata"]["KeyId"])["KeyMetadata"]
assert s["EncryptionAlgorithms"] == ["SYMMETRIC_DEFAULT"] and s["KeyUsage"] == "ENCRYPT_DECRYPT", s

# EC2 endpoint services (ec2/test_ec2.py test_describe_vpc_endpoints_with_filter,
# its AWS assertions): Gateway lists exactly dynamodb and s3; Interface has
# s3 and kinesis-firehose (private DNS firehose.REGION.amazonaws.com); an
# unknown service-type lists none.
def service_names(kind):
    return ec2.describe_vpc_endpoint_services(Filters=[{"Name": "service-type", "Values": [kind]}])["ServiceNames"]


assert sorted(service_names("Gateway")) == ["com.amazonaws.us-east-1.dynamodb", "com.amazonaws.us-east-1.s3"]
iface = service_names("Interface")
assert "com.amazonaws.us-east-1.s3" in iface and "com.amazonaws.us-east-1.kinesis-firehose" in iface, iface
assert service_names("fake") == []
d = ec2.describe_vpc_endpoint_services(ServiceNames=["com.amazonaws.us-east-1.kinesis-firehose"])["ServiceDetails"][0]
assert d["PrivateDnsName"] == "firehose.us-east-1.amazonaws.com", d

# Secrets Manager: a SecretId no secret could be named is refused as
# CreateSecret refuses the name, by every operation (test_invalid_secret_name).
bad = " Inv *?!]Name\\-"
invalid = "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!"
fails("ValidationException", invalid, sm.create_secret, Name=bad, SecretString="MySecretString")
fails("ValidationException", invalid, sm.describe_secret, SecretId=bad)
fails("ValidationException", invalid, sm.get_secret_value, SecretId=bad)
fails("ValidationException", invalid, sm.delete_secret, SecretId=bad, ForceDeleteWithoutRecovery=True)
fails("ValidationException", invalid, sm.tag_resource, SecretId=bad, Tags=[{"Key": "FirstTag", "Value": "SomeValue"}])
fails("ResourceNotFoundException", "Secrets Manager can't find the specified secret.", sm.describe_secret, SecretId="ls25-missing")
