#!/usr/bin/env bash
# Builds the article's system from nothing with the aws CLI against an
# `ecsnet serve` endpoint, then checks that ecsnet answers as AWS does:
# the task's ENI, the instance's ENIs, the assignPublicIp error, RESOURCE:ENI
# and two Network Insights analyses.
#
#   scripts/article-awscli.sh                     # starts `ecsnet serve --ephemeral` itself
#   ECSNET_ENDPOINT=http://127.0.0.1:4566 scripts/article-awscli.sh
#
# Run by internal/server's TestArticleAWSCLI (go test ./...). Prints one
# "ok" line per check and exits non-zero on the first failure.
set -euo pipefail
. "$(dirname "$0")/awscli-lib.sh"

# poll CMD... : runs CMD until it prints "yes" (at most 15 s).
poll() {
	local what=$1; shift
	for _ in $(seq 1 75); do
		if [[ "$("$@")" == yes ]]; then ok "$what"; return; fi
		sleep 0.2
	done
	fail "$what: timed out"
}

# The network: a VPC with DNS hostnames, a public subnet routed to an
# internet gateway, two security groups.
VPC=$(q ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
a ec2 modify-vpc-attribute --vpc-id "$VPC" --enable-dns-hostnames '{"Value":true}'
SUBNET=$(q ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.0.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
a ec2 modify-subnet-attribute --subnet-id "$SUBNET" --map-public-ip-on-launch
IGW=$(q ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)
a ec2 attach-internet-gateway --internet-gateway-id "$IGW" --vpc-id "$VPC"
RTB=$(q ec2 create-route-table --vpc-id "$VPC" --query RouteTable.RouteTableId)
a ec2 create-route --route-table-id "$RTB" --destination-cidr-block 0.0.0.0/0 --gateway-id "$IGW" >/dev/null
a ec2 associate-route-table --route-table-id "$RTB" --subnet-id "$SUBNET" >/dev/null
INSTANCE_SG=$(q ec2 create-security-group --group-name instance-sg --description "ECS container instances" --vpc-id "$VPC" --query GroupId)
a ec2 authorize-security-group-ingress --group-id "$INSTANCE_SG" --protocol tcp --port 22 --cidr 0.0.0.0/0 >/dev/null
TASK_SG=$(q ec2 create-security-group --group-name task-sg --description "the web task" --vpc-id "$VPC" --query GroupId)
a ec2 authorize-security-group-ingress --group-id "$TASK_SG" --protocol tcp --port 3000 --cidr 0.0.0.0/0 >/dev/null
ok "network built ($VPC, $SUBNET, $IGW)"

# The instance profile the ECS agent's credentials come from (the ECS
# console's ecsInstanceRole): without it the instance never registers.
a iam create-role --role-name ecsInstanceRole \
	--assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}' >/dev/null
a iam attach-role-policy --role-name ecsInstanceRole --policy-arn arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role
a iam create-instance-profile --instance-profile-name ecsInstanceRole >/dev/null
a iam add-role-to-instance-profile --instance-profile-name ecsInstanceRole --role-name ecsInstanceRole

# The cluster and one m5.large whose user data joins it.
a ecs create-cluster --cluster-name demo >/dev/null
# The ECS-optimized AMI, from its public parameter (EC2 refuses an id that
# names no image).
AMI=$(q ssm get-parameter --name /aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id --query Parameter.Value)
INSTANCE=$(q ec2 run-instances --image-id "$AMI" --instance-type m5.large --subnet-id "$SUBNET" \
	--iam-instance-profile Name=ecsInstanceRole \
	--security-group-ids "$INSTANCE_SG" --user-data $'#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config' \
	--query 'Instances[0].InstanceId')
registered() { [[ "$(q ecs list-container-instances --cluster demo --query 'length(containerInstanceArns)')" == 1 ]] && echo yes || true; }
poll "instance $INSTANCE registered as a container instance of demo" registered

# The awsvpc task definition and the service on EC2.
a ecs register-task-definition --family web --network-mode awsvpc --requires-compatibilities EC2 \
	--container-definitions '[{"name":"web","image":"public.ecr.aws/docker/library/node:20","memory":512,"portMappings":[{"containerPort":3000}]}]' >/dev/null
a ecs create-service --cluster demo --service-name web --task-definition web --desired-count 1 --launch-type EC2 \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET],securityGroups=[$TASK_SG]}" >/dev/null
running() {
	local t
	t=$(q ecs list-tasks --cluster demo --service-name web --query 'taskArns[0]')
	[[ "$t" != None && "$(q ecs describe-tasks --cluster demo --tasks "$t" --query 'tasks[0].lastStatus')" == RUNNING ]] && echo yes || true
}
poll "the service's task is RUNNING" running
TASK=$(q ecs list-tasks --cluster demo --service-name web --query 'taskArns[0]')

# describe-tasks: the ENI attachment with a private address in the subnet.
read -r ATT_TYPE ENI IP <<<"$(q ecs describe-tasks --cluster demo --tasks "$TASK" --query \
	"tasks[0].[attachments[0].type, attachments[0].details[?name=='networkInterfaceId'].value | [0], attachments[0].details[?name=='privateIPv4Address'].value | [0]]")"
want "$ATT_TYPE" ElasticNetworkInterface "describe-tasks: the task has an ElasticNetworkInterface attachment"
[[ "$IP" == 10.0.1.* ]] || fail "task address $IP is not in 10.0.1.0/24"
ok "describe-tasks: the task's private address $IP is in the subnet 10.0.1.0/24"
want "$(q ecs describe-tasks --cluster demo --tasks "$TASK" --query 'tasks[0].containers[0].networkInterfaces[0].privateIpv4Address')" "$IP" \
	"describe-tasks: containers[0].networkInterfaces[0].privateIpv4Address"

# describe-network-interfaces: the task ENI on the instance at device index
# >= 1 without a public IP; the primary ENI with the public IP.
read -r ATT_INSTANCE DEVICE PUBLIC MANAGED <<<"$(q ec2 describe-network-interfaces --network-interface-ids "$ENI" \
	--query 'NetworkInterfaces[0].[Attachment.InstanceId, Attachment.DeviceIndex, Association.PublicIp, RequesterManaged]')"
want "$ATT_INSTANCE" "$INSTANCE" "describe-network-interfaces: the task ENI is attached to the instance"
[[ "$DEVICE" -ge 1 ]] || fail "task ENI at device index $DEVICE"
ok "describe-network-interfaces: the task ENI is at device index $DEVICE (>= 1)"
want "$PUBLIC" None "describe-network-interfaces: the task ENI has no public IP"
want "$MANAGED" True "describe-network-interfaces: the task ENI is requester-managed"
PRIMARY_PUBLIC=$(q ec2 describe-network-interfaces --filters "Name=attachment.instance-id,Values=$INSTANCE" "Name=attachment.device-index,Values=0" \
	--query 'NetworkInterfaces[0].Association.PublicIp')
[[ "$PRIMARY_PUBLIC" != None && -n "$PRIMARY_PUBLIC" ]] || fail "the primary ENI has no public IP"
ok "describe-network-interfaces: the instance's primary ENI (device index 0) has the public IP $PRIMARY_PUBLIC"
want "$(q ec2 describe-instances --instance-ids "$INSTANCE" --query 'Reservations[0].Instances[0].PublicIpAddress')" "$PRIMARY_PUBLIC" \
	"describe-instances: the instance's public IP is the primary ENI's"

# run-task with assignPublicIp=ENABLED on EC2: AWS's exact error, nothing left behind.
snapshot() {
	q ec2 describe-network-interfaces --query 'NetworkInterfaces[].[NetworkInterfaceId,Status]' | sort
	q ecs list-tasks --cluster demo --query 'taskArns' | tr '\t' '\n' | sort
	q ecs list-tasks --cluster demo --desired-status STOPPED --query 'taskArns' | tr '\t' '\n' | sort
}
BEFORE=$(snapshot)
if ERR=$(a ecs run-task --cluster demo --task-definition web --launch-type EC2 \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET],securityGroups=[$TASK_SG],assignPublicIp=ENABLED}" 2>&1); then
	fail "run-task with assignPublicIp=ENABLED on EC2 succeeded"
fi
[[ "$ERR" == *"(InvalidParameterException)"*"Assign public IP is not supported for this launch type." ]] || fail "run-task error: $ERR"
ok "run-task assignPublicIp=ENABLED on EC2: InvalidParameterException: Assign public IP is not supported for this launch type."
want "$(snapshot)" "$BEFORE" "the failed run-task left nothing behind (ENIs and tasks unchanged)"

# m5.large: 3 ENIs, the primary and two task ENIs. The second awsvpc task
# fits; the third fails with RESOURCE:ENI.
run() { q ecs run-task --cluster demo --task-definition web --launch-type EC2 \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET],securityGroups=[$TASK_SG]}" --query "$1"; }
want "$(run 'length(tasks)')" 1 "run-task: a second awsvpc task fits on the m5.large"
want "$(run '[length(tasks), failures[0].reason]' | tr '\t' ' ')" "0 RESOURCE:ENI" "run-task: a third awsvpc task fails with RESOURCE:ENI"

# Network Insights: from the internet gateway to the instance on 3000, and
# to the task's ENI.
analyze() { # source destination -> analysis id, after checking it starts "running"
	local path an
	path=$(q ec2 create-network-insights-path --source "$1" --destination "$2" --destination-port 3000 --protocol tcp \
		--query NetworkInsightsPath.NetworkInsightsPathId)
	read -r an st <<<"$(q ec2 start-network-insights-analysis --network-insights-path-id "$path" \
		--query 'NetworkInsightsAnalysis.[NetworkInsightsAnalysisId,Status]')"
	[[ "$st" == running ]] || fail "start-network-insights-analysis answered $st, want running"
	echo "$an"
}
succeeded() { [[ "$(q ec2 describe-network-insights-analyses --network-insights-analysis-ids "$1" --query 'NetworkInsightsAnalyses[0].Status')" == succeeded ]] && echo yes || true; }

AN1=$(analyze "$IGW" "$INSTANCE")
poll "analysis $AN1 (internet gateway -> instance:3000) succeeded" succeeded "$AN1"
want "$(q ec2 describe-network-insights-analyses --network-insights-analysis-ids "$AN1" --query 'NetworkInsightsAnalyses[0].NetworkPathFound')" False \
	"internet gateway -> instance:3000: NetworkPathFound is false"
want "$(q ec2 describe-network-insights-analyses --network-insights-analysis-ids "$AN1" \
	--query "NetworkInsightsAnalyses[0].Explanations[?ExplanationCode=='ENI_SG_RULES_MISMATCH'].SecurityGroups[].Id | [0]")" "$INSTANCE_SG" \
	"internet gateway -> instance:3000: ENI_SG_RULES_MISMATCH names the instance's security group"

AN2=$(analyze "$IGW" "$ENI")
poll "analysis $AN2 (internet gateway -> task ENI:3000) succeeded" succeeded "$AN2"
want "$(q ec2 describe-network-insights-analyses --network-insights-analysis-ids "$AN2" \
	--query "NetworkInsightsAnalyses[0].[NetworkPathFound, length(Explanations[?ExplanationCode=='IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS'])]" | tr '\t' ' ')" "False 1" \
	"internet gateway -> task ENI:3000: not found, IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS (the ENI has no public IP)"
echo "PASS: the article's system, built with the aws CLI, behaves as on AWS"
