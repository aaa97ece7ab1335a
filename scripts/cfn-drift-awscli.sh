#!/usr/bin/env bash
# CloudFormation drift detection through the aws CLI against an
# `ecsnet serve` endpoint: a stack IN_SYNC, a security group rule added
# out of band, the stack DRIFTED with the rule as an ADD, one resource
# checked on its own, and ContinueUpdateRollback refused on a stack that
# did not fail its rollback.
#
#   ECSNET_ENDPOINT=http://127.0.0.1:4566 scripts/cfn-drift-awscli.sh   # without it, one is started
#
# Run by internal/server's TestCloudFormationDriftAWSCLI. Prints one "ok"
# line per check and exits non-zero on the first failure.
set -euo pipefail
. "$(dirname "$0")/awscli-lib.sh"

TEMPLATE=$(mktemp)
trap 'rm -f "$TEMPLATE"; [[ -z "${_ecsnet_server:-}" ]] || kill "$_ecsnet_server" 2>/dev/null || true' EXIT # and the server awscli-lib.sh started, if it did
cat > "$TEMPLATE" <<'YAML'
Resources:
  Net:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.77.0.0/16}
  Front:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: front door
      VpcId: !Ref Net
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]
YAML
a cloudformation create-stack --stack-name driftcli --template-body "file://$TEMPLATE" > /dev/null
a cloudformation wait stack-create-complete --stack-name driftcli
ok "stack created"

detect() {
	local id
	id=$(q cloudformation detect-stack-drift --stack-name driftcli --query StackDriftDetectionId)
	q cloudformation describe-stack-drift-detection-status --stack-drift-detection-id "$id" --query '[DetectionStatus,StackDriftStatus,DriftedStackResourceCount]'
}
want "$(detect)" "DETECTION_COMPLETE	IN_SYNC	0" "a fresh stack is IN_SYNC"

SG=$(q cloudformation describe-stack-resource --stack-name driftcli --logical-resource-id Front --query StackResourceDetail.PhysicalResourceId)
a ec2 authorize-security-group-ingress --group-id "$SG" --protocol tcp --port 22 --cidr 10.0.0.0/8 > /dev/null
want "$(detect)" "DETECTION_COMPLETE	DRIFTED	1" "a rule added out of band: DRIFTED"
want "$(q cloudformation describe-stack-resource-drifts --stack-name driftcli --stack-resource-drift-status-filters MODIFIED \
	--query 'StackResourceDrifts[0].PropertyDifferences[0].[DifferenceType,PropertyPath,ActualValue]')" \
	'ADD	/SecurityGroupIngress/1	{"CidrIp":"10.0.0.0/8","FromPort":22,"IpProtocol":"tcp","ToPort":22}' "the rule is an ADD"
want "$(q cloudformation describe-stacks --stack-name driftcli --query 'Stacks[0].DriftInformation.StackDriftStatus')" DRIFTED "describe-stacks shows DRIFTED"
want "$(q cloudformation detect-stack-resource-drift --stack-name driftcli --logical-resource-id Net --query StackResourceDrift.StackResourceDriftStatus)" \
	IN_SYNC "the VPC alone is IN_SYNC"
error ValidationError "continue-update-rollback of a CREATE_COMPLETE stack" cloudformation continue-update-rollback --stack-name driftcli
a cloudformation delete-stack --stack-name driftcli
ok "stack deleted"
