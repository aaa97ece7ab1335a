"""Secrets Manager and KMS through boto3 (AWS JSON 1.1): a binary secret
round-trips (base64 on the wire); the partial ARN finds the secret;
UpdateSecret with a value moves AWSCURRENT and AWSPREVIOUS; DeleteSecret's
recovery window and RestoreSecret; a KMS key by its alias, its default
policy and rotation; the error codes and texts AWS gives."""
from common import client, fails

sm, kms = client("secretsmanager"), client("kms")
key = kms.create_key(Description="secrets")["KeyMetadata"]
kms.create_alias(AliasName="alias/secrets", TargetKeyId=key["KeyId"])
assert kms.describe_key(KeyId="alias/secrets")["KeyMetadata"]["Arn"] == key["Arn"]
assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is False
kms.enable_key_rotation(KeyId=key["KeyId"], RotationPeriodInDays=180)
assert kms.get_key_rotation_status(KeyId=key["KeyId"])["RotationPeriodInDays"] == 180
fails("NotAuthorizedException", "Cannot create alias with prefix 'alias/aws/'", kms.create_alias, AliasName="alias/aws/x", TargetKeyId=key["KeyId"])

blob = bytes(range(256))
arn = sm.create_secret(Name="bin", SecretBinary=blob, KmsKeyId="alias/secrets")["ARN"]
got = sm.get_secret_value(SecretId=arn[:-7])
assert got["SecretBinary"] == blob and "SecretString" not in got, got
assert sm.describe_secret(SecretId="bin")["KmsKeyId"] == "alias/secrets"

first = sm.create_secret(Name="txt", SecretString="one")["VersionId"]
second = sm.update_secret(SecretId="txt", SecretString="two", Description="d")["VersionId"]
stages = sm.describe_secret(SecretId="txt")["VersionIdsToStages"]
assert stages == {first: ["AWSPREVIOUS"], second: ["AWSCURRENT"]}, stages
assert sm.get_secret_value(SecretId="txt", VersionId=first)["SecretString"] == "one"
fails("InvalidRequestException", "You provided a VersionStage that is not associated to the provided VersionId.",
      sm.get_secret_value, SecretId="txt", VersionId=first, VersionStage="AWSCURRENT")

d = sm.delete_secret(SecretId="txt")
assert (d["DeletionDate"] - sm.describe_secret(SecretId="txt")["DeletedDate"]).days == 30, d
fails("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.",
      sm.put_secret_value, SecretId="txt", SecretString="three")
sm.restore_secret(SecretId="txt")
assert sm.get_secret_value(SecretId="txt")["SecretString"] == "two"
fails("ResourceNotFoundException", "Secrets Manager can't find the specified secret.", sm.describe_secret, SecretId="nope")
