#!/usr/bin/env bash
# The article's system deployed with `aws cloudformation deploy` against
# `ecsnet serve`, then the same timeout from the Network Insights API:
# the instance's public IP does not answer on 3000 (its security group does
# not open it, and nothing listens there), and the task's ENI, where the
# container listens, has no public IP.
#
#   scripts/cfn-deploy-article.sh                 # starts `ecsnet serve --ephemeral` itself
#   ECSNET_ENDPOINT=http://127.0.0.1:4566 scripts/cfn-deploy-article.sh
#
# Without ECSNET_ENDPOINT it starts `ecsnet serve --ephemeral` on a free
# port (the ecsnet on PATH, else one built from this checkout) and stops it at the
# end. Run by internal/server's TestCloudFormationDeployArticle. Prints one
# "ok" line per check and exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/awscli-lib.sh

poll() {
	local what=$1; shift
	for _ in $(seq 1 75); do
		if [[ "$("$@")" == yes ]]; then ok "$what"; return; fi
		sleep 0.2
	done
	fail "$what: timed out"
}

# Who am I, and which AMI will the template get from Parameter Store?
want "$(q sts get-caller-identity --query Account)" 123456789012 "sts get-caller-identity: account 123456789012"
AMI=$(q ssm get-parameter --name /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id --query Parameter.Value)
[[ "$AMI" == ami-* ]] || fail "ssm get-parameter: $AMI"
ok "ssm get-parameter: the ECS-optimized Amazon Linux 2023 AMI is $AMI"

# A template with IAM resources needs CAPABILITY_IAM, as on AWS.
if ERR=$(a cloudformation deploy --template-file examples/cfn/article.yaml --stack-name article 2>&1); then
	fail "deploy without --capabilities succeeded"
fi
[[ "$ERR" == *"InsufficientCapabilitiesException"*"Requires capabilities : [CAPABILITY_IAM]"* ]] || fail "deploy without capabilities: $ERR"
ok "deploy without --capabilities: InsufficientCapabilitiesException: Requires capabilities : [CAPABILITY_IAM]"

# The deploy: a change set, executed, waited for, as on AWS.
a cloudformation deploy --template-file examples/cfn/article.yaml --stack-name article --capabilities CAPABILITY_IAM
want "$(q cloudformation describe-stacks --stack-name article --query 'Stacks[0].StackStatus')" CREATE_COMPLETE "the stack is CREATE_COMPLETE"
read -r EVENTS RESOURCES <<<"$(q cloudformation describe-stack-events --stack-name article \
	--query "[length(StackEvents[?ResourceStatus=='CREATE_COMPLETE']), length(StackEvents[?ResourceStatus=='CREATE_IN_PROGRESS' && ResourceStatusReason==null && ResourceType!='AWS::CloudFormation::Stack'])]")"
want "$EVENTS" "$((RESOURCES + 1))" "describe-stack-events: one CREATE_COMPLETE per resource ($RESOURCES), and the stack's"
# The stack's resources, logical id -> physical id.
declare -A PHYS
while read -r logical physical; do PHYS[$logical]=$physical; done < <(q cloudformation describe-stack-resources --stack-name article \
	--query 'StackResources[].[LogicalResourceId, PhysicalResourceId]')
# The IAM role and instance profile are real IAM entities (IAM is global).
want "$(q iam list-attached-role-policies --role-name "${PHYS[InstanceRole]}" --query 'AttachedPolicies[0].PolicyName')" \
	AmazonEC2ContainerServiceforEC2Role "the stack's IAM role exists, with its managed policy attached"
want "$(q iam get-instance-profile --instance-profile-name "${PHYS[InstanceProfile]}" --query 'InstanceProfile.Roles[0].RoleName')" \
	"${PHYS[InstanceRole]}" "the stack's instance profile holds the role"
IGW=${PHYS[InternetGateway]} INSTANCE_SG=${PHYS[InstanceSecurityGroup]} VPC=${PHYS[Vpc]}
want "$(q ec2 describe-launch-template-versions --launch-template-id "${PHYS[LaunchTemplate]}" --query 'LaunchTemplateVersions[0].LaunchTemplateData.ImageId')" "$AMI" \
	"the launch template's ImageId is the AMI from Parameter Store"

# The Auto Scaling group's instance joins the cluster; the service's task runs.
instance() { q autoscaling describe-auto-scaling-groups --auto-scaling-group-names "${PHYS[AutoScalingGroup]}" --query 'AutoScalingGroups[0].Instances[0].InstanceId'; }
registered() { [[ "$(q ecs list-container-instances --cluster demo --query 'length(containerInstanceArns)')" == 1 ]] && echo yes || true; }
poll "the Auto Scaling group's instance registered with the cluster demo" registered
INSTANCE=$(instance)
running() {
	local t
	t=$(q ecs list-tasks --cluster demo --service-name web --query 'taskArns[0]')
	[[ "$t" != None && "$(q ecs describe-tasks --cluster demo --tasks "$t" --query 'tasks[0].lastStatus')" == RUNNING ]] && echo yes || true
}
poll "the service's task is RUNNING" running
TASK=$(q ecs list-tasks --cluster demo --service-name web --query 'taskArns[0]')
ENI=$(q ecs describe-tasks --cluster demo --tasks "$TASK" --query "tasks[0].attachments[0].details[?name=='networkInterfaceId'].value | [0]")
PUBLIC=$(q ec2 describe-instances --instance-ids "$INSTANCE" --query 'Reservations[0].Instances[0].PublicIpAddress')
[[ "$PUBLIC" != None ]] || fail "the instance has no public IP"
ok "curl http://$PUBLIC:3000 is the article's request: the instance $INSTANCE has the public IP, the task's ENI $ENI does not"

# Network Insights: the timeout, and why.
analyze() {
	local path
	path=$(q ec2 create-network-insights-path --source "$1" --destination "$2" --destination-port 3000 --protocol tcp \
		--query NetworkInsightsPath.NetworkInsightsPathId)
	q ec2 start-network-insights-analysis --network-insights-path-id "$path" --query NetworkInsightsAnalysis.NetworkInsightsAnalysisId
}
succeeded() { [[ "$(q ec2 describe-network-insights-analyses --network-insights-analysis-ids "$1" --query 'NetworkInsightsAnalyses[0].Status')" == succeeded ]] && echo yes || true; }
AN1=$(analyze "$IGW" "$INSTANCE")
poll "analysis $AN1 (internet gateway -> instance:3000) succeeded" succeeded "$AN1"
want "$(q ec2 describe-network-insights-analyses --network-insights-analysis-ids "$AN1" \
	--query "NetworkInsightsAnalyses[0].[NetworkPathFound, Explanations[?ExplanationCode=='ENI_SG_RULES_MISMATCH'].SecurityGroups[].Id | [0]]" | tr '\t' ' ')" \
	"False $INSTANCE_SG" "internet gateway -> instance:3000: no path; ENI_SG_RULES_MISMATCH names the stack's InstanceSecurityGroup (the timeout)"
AN2=$(analyze "$IGW" "$ENI")
poll "analysis $AN2 (internet gateway -> task ENI:3000) succeeded" succeeded "$AN2"
want "$(q ec2 describe-network-insights-analyses --network-insights-analysis-ids "$AN2" \
	--query "NetworkInsightsAnalyses[0].[NetworkPathFound, length(Explanations[?ExplanationCode=='IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS'])]" | tr '\t' ' ')" \
	"False 1" "internet gateway -> task ENI:3000: no path; IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS (the task's ENI has no public IP)"

# Deleting the stack deletes what it built, in reverse order.
a cloudformation delete-stack --stack-name article
a cloudformation wait stack-delete-complete --stack-name article
ok "delete-stack: stack-delete-complete"
want "$(q ec2 describe-vpcs --filters "Name=vpc-id,Values=$VPC" --query 'length(Vpcs)')" 0 "the stack's VPC is gone"
echo "PASS: the article's system, deployed with aws cloudformation deploy, times out as on AWS, and Network Insights says why"
