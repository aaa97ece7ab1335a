#!/usr/bin/env bash
# collect.sh REGION OUTDIR: take a snapshot of one region that ecsnet reads
# (ecsnet probe OUTDIR …), with nothing but bash and the aws CLI (v1 or v2).
#
# It writes the same folder as `ecsnet collect --region REGION --out OUTDIR`:
# OUTDIR/aws_configs/REGION/<service>-<operation>.json, each file the output
# of one describe-* call as the aws CLI prints it (every page merged, as the
# CLI does by itself), and one elbv2-describe-target-health-<name>-<id>.json
# per target group, which adds the group's ARN beside the CLI's output
# (so do elbv2-describe-target-group-attributes-<name>-<id>.json and
# elbv2-describe-load-balancer-attributes-<type>-<name>-<id>.json)
# (and one servicediscovery-list-instances-<service id>.json per Cloud Map
# service, with the service's id beside the instances, and Route 53's
# route53-get-hosted-zone-<id>.json per private zone and
# route53-list-resource-record-sets-<id>.json per zone, with its id, and
# route53-list-health-checks.json (and route53-list-tags-for-resources-
# healthcheck.json, their tags), ecs-list-account-settings.json and
# ecs-list-account-settings-principals.json (the instance roles' own), the
# tags of each EventBridge rule, ECS Managed Daemon and ACM certificate
# (events-list-tags-for-resource-<bus>-<rule>.json,
# ecs-list-tags-for-resource-daemon-<cluster>-<name>.json,
# acm-list-tags-for-certificate-<id>.json), and
# ec2-describe-instance-attribute-userdata-<id>.json per instance: its user
# data, as describe-instance-attribute --attribute userData prints it;
# acm-describe-certificate-<id>.json per ACM certificate;
# events-list-targets-by-rule-<bus>-<rule>.json per EventBridge rule;
# ec2-describe-vpc-attribute-enablednssupport-<id>.json and
# ec2-describe-vpc-attribute-enablednshostnames-<id>.json per VPC;
# ec2-get-managed-prefix-list-entries-<id>.json per prefix list,
# ec2-describe-vpc-endpoint-service-permissions-<id>.json per endpoint
# service, and elb-describe-load-balancer-attributes-<name>.json and
# elb-describe-load-balancer-policies-<name>.json per Classic Load
# Balancer, and ec2-search-transit-gateway-routes-<id>.json,
# ec2-get-transit-gateway-route-table-associations-<id>.json and
# ec2-get-transit-gateway-route-table-propagations-<id>.json per transit
# gateway route table, each with the id or name beside the output).
# Calls per cluster, daemon, load balancer, listener or Cloud Map service are
# merged into one file, and so are every ECR repository's describe-images
# (ecr-describe-images.json) and get-repository-policy
# (ecr-get-repository-policy.json), and CodeDeploy's batch-get calls of the
# applications and of every application's deployment groups
# (codedeploy-batch-get-applications.json,
# codedeploy-batch-get-deployment-groups.json).
# Unlike ecsnet collect, it keeps no ECS "failures" (they are written empty)
# and its manifest (OUTDIR/ecsnet-collect.json) records when the collection
# started and the format version (snapshot.FormatVersion: the calls this
# script knows; raise it with ecsnet's when a call is added), not its calls; a call that fails is reported on stderr and its
# file left out, and the script goes on (exit status 1 at the end).
#
# Credentials, profile and endpoint come from the aws CLI's own settings
# (AWS_PROFILE, AWS_ENDPOINT_URL, …). See docs/import.md.
set -uo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 REGION OUTDIR" >&2
	exit 2
fi
REGION=$1
DIR="$2/aws_configs/$REGION"
# When the collection started (the snapshot's age, ecsnet check's header).
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
mkdir -p "$DIR"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILED=0

awsj() { aws --region "$REGION" --output json "$@"; }
awst() { aws --region "$REGION" --output text "$@" | tr '\t' '\n' | sed '/^None$/d;/^$/d'; }

# call FILE ARGS…: one call, written to FILE as the CLI prints it.
call() {
	local file=$1
	shift
	echo "$REGION $*" >&2
	if awsj "$@" >"$TMP/out.json"; then
		mv "$TMP/out.json" "$DIR/$file"
	else
		echo "FAILED: $REGION $*" >&2
		FAILED=1
	fi
}

# items FILE: the elements of the JSON array the CLI printed to FILE,
# without its brackets (nothing for an empty array).
items() { sed -e '1{/^\[\]$/d;s/^\[$//;}' -e '${s/^\]$//;}' "$1"; }

# merge KEY OUT EXTRA FILE…: {"KEY": [elements of every FILE]EXTRA} into OUT.
merge() {
	local key=$1 out=$2 extra=$3 sep="" f body
	shift 3
	{
		printf '{\n    "%s": [\n' "$key"
		for f in "$@"; do
			body=$(items "$f")
			if [ -n "$(printf '%s' "$body" | tr -d '[:space:]')" ]; then
				printf '%s%s\n' "$sep" "$body"
				sep=","
			fi
		done
		printf '    ]%s\n}\n' "$extra"
	} >"$DIR/$out"
}

# part ARGS…: one call's array (selected with --query) into a new part
# file; prints the file's name. The name comes from mktemp: part runs in
# a command substitution's subshell, where a counter would not last.
part() {
	local f
	f=$(mktemp "$TMP/part.XXXXXX") || return 1
	if ! awsj "$@" >"$f"; then
		echo "FAILED: $REGION $*" >&2
		return 1
	fi
	echo "$f"
}

# token_parts TOKEN KEY ARGS…: every page of a call that pages by TOKEN
# (NextToken or nextToken, the flag --next-token) but has no paginator in
# the CLI's model, so that the CLI answers one page only (ecs
# describe-capacity-providers, events list-event-buses, ec2
# describe-vpc-block-public-access-exclusions); each page's KEY array into
# a part file (as part writes one); prints the files' names, one a line.
# The query puts the token first: the CLI prints a multiselect hash's keys
# in the query's order.
token_parts() {
	local name=$1 key=$2 tok="" f
	shift 2
	while :; do
		f=$(mktemp "$TMP/part.XXXXXX") || return 1
		if ! awsj "$@" ${tok:+--next-token "$tok"} --query "{t: $name, i: $key}" >"$f.page"; then
			echo "FAILED: $REGION $*" >&2
			return 1
		fi
		tok=$(sed -n '2s/^    "t": "\(.*\)",\{0,1\}$/\1/p' "$f.page")
		sed -n -e '/^    "i": \[\]/{s/.*/[]/p;q;}' -e '/^    "i": \[$/,/^    \]/{s/^    "i": \[$/[/;s/^    \]$/]/;p;}' "$f.page" >"$f"
		echo "$f"
		[ -n "$tok" ] || return 0
	done
}

# tags_of ARN ARNMEMBER KEY ARGS…: one resource's list-tags output into
# the file ecsnet names after its ARN (snapshot.ResourceTagsFileName:
# <service>-list-tags-for-resource-<resource>.json, for ACM
# acm-list-tags-for-certificate-<id>.json), the ARN beside the tags.
tags_of() {
	local arn=$1 member=$2 key=$3 service res file
	shift 3
	service=$(printf '%s' "$arn" | cut -d: -f3)
	res=$(printf '%s' "$arn" | cut -d: -f6-)
	if [ "$service" = acm ]; then
		file="acm-list-tags-for-certificate-${res##*/}.json"
	else
		res=${res#rule/}
		file="$service-list-tags-for-resource-${res//\//-}.json"
	fi
	call "$file" "$@" --query "{$member: '$arn', $key: $key || \`[]\`}"
}

# ---- EC2 ----
call ec2-describe-vpcs.json ec2 describe-vpcs
# ec2-describe-vpc-attribute-<attribute>-<vpc id>.json: each VPC's DNS
# attributes, which describe-vpcs does not answer (one a call; the output
# names its VPC).
for vpc in $(awst ec2 describe-vpcs --query 'Vpcs[].VpcId'); do
	for attr in enableDnsSupport enableDnsHostnames; do
		lower=$(printf '%s' "$attr" | tr 'A-Z' 'a-z')
		call "ec2-describe-vpc-attribute-$lower-$vpc.json" ec2 describe-vpc-attribute --vpc-id "$vpc" --attribute "$attr"
	done
done
call ec2-describe-subnets.json ec2 describe-subnets
call ec2-describe-route-tables.json ec2 describe-route-tables
call ec2-describe-internet-gateways.json ec2 describe-internet-gateways
call ec2-describe-egress-only-internet-gateways.json ec2 describe-egress-only-internet-gateways
call ec2-describe-nat-gateways.json ec2 describe-nat-gateways
call ec2-describe-network-acls.json ec2 describe-network-acls
call ec2-describe-security-groups.json ec2 describe-security-groups
call ec2-describe-network-interfaces.json ec2 describe-network-interfaces
call ec2-describe-instances.json ec2 describe-instances
# ec2-describe-instance-attribute-userdata-<id>.json: each instance's user
# data, which describe-instances does not answer.
for id in $(awst ec2 describe-instances --filters Name=instance-state-name,Values=pending,running,shutting-down,stopping,stopped --query 'Reservations[].Instances[].InstanceId'); do
	call "ec2-describe-instance-attribute-userdata-$id.json" ec2 describe-instance-attribute --instance-id "$id" --attribute userData
done
call ec2-describe-addresses.json ec2 describe-addresses
call ec2-describe-vpc-endpoints.json ec2 describe-vpc-endpoints
call ec2-describe-dhcp-options.json ec2 describe-dhcp-options
call ec2-describe-vpc-peering-connections.json ec2 describe-vpc-peering-connections
call ec2-describe-vpc-endpoint-service-configurations.json ec2 describe-vpc-endpoint-service-configurations
# ec2-describe-vpc-endpoint-service-permissions-<service id>.json: each
# endpoint service's allowed principals, the service's id beside them.
for svc in $(awst ec2 describe-vpc-endpoint-service-configurations --query 'ServiceConfigurations[].ServiceId'); do
	call "ec2-describe-vpc-endpoint-service-permissions-$svc.json" ec2 describe-vpc-endpoint-service-permissions --service-id "$svc" \
		--query "{ServiceId: '$svc', AllowedPrincipals: AllowedPrincipals}"
done
call ec2-describe-vpc-endpoint-connections.json ec2 describe-vpc-endpoint-connections
call ec2-describe-prefix-lists.json ec2 describe-prefix-lists
# Every prefix list (AWS's and the account's), then
# ec2-get-managed-prefix-list-entries-<id>.json: the CIDRs of each list
# describe-prefix-lists did not answer, its id beside them (a list deleted
# a short while ago has none).
call ec2-describe-managed-prefix-lists.json ec2 describe-managed-prefix-lists
for pl in $(awst ec2 describe-managed-prefix-lists --query "PrefixLists[?State!='delete-complete'].PrefixListId"); do
	grep -q "\"PrefixListId\": \"$pl\"" "$DIR/ec2-describe-prefix-lists.json" 2>/dev/null && continue
	call "ec2-get-managed-prefix-list-entries-$pl.json" ec2 get-managed-prefix-list-entries --prefix-list-id "$pl" \
		--query "{PrefixListId: '$pl', Entries: Entries}"
done
call ec2-describe-vpc-block-public-access-options.json ec2 describe-vpc-block-public-access-options
if BPAX=$(token_parts NextToken VpcBlockPublicAccessExclusions ec2 describe-vpc-block-public-access-exclusions); then
	merge VpcBlockPublicAccessExclusions ec2-describe-vpc-block-public-access-exclusions.json "" $BPAX
else FAILED=1; fi
call ec2-describe-launch-templates.json ec2 describe-launch-templates
parts=()
ok=1
for lt in $(awst ec2 describe-launch-templates --query 'LaunchTemplates[].LaunchTemplateId'); do
	p=$(part ec2 describe-launch-template-versions --launch-template-id "$lt" --versions '$Default' '$Latest' --query LaunchTemplateVersions) || { ok=0; break; }
	parts+=("$p")
done
if [ $ok = 1 ]; then merge LaunchTemplateVersions ec2-describe-launch-template-versions.json "" ${parts[@]+"${parts[@]}"}; else FAILED=1; fi

# Transit gateways (round thirty-three): the gateways, their attachments
# (every kind, then VPC and peering ones), the route tables, then per live
# route table its static routes (search-transit-gateway-routes, filter
# type=static, every page as the CLI merges them, AdditionalRoutesAvailable
# beside them), associations and propagations, each written as
# ec2-<operation>-<tgw-rtb id>.json with the table's id beside the output.
call ec2-describe-transit-gateways.json ec2 describe-transit-gateways
call ec2-describe-transit-gateway-attachments.json ec2 describe-transit-gateway-attachments
call ec2-describe-transit-gateway-vpc-attachments.json ec2 describe-transit-gateway-vpc-attachments
call ec2-describe-transit-gateway-peering-attachments.json ec2 describe-transit-gateway-peering-attachments
call ec2-describe-transit-gateway-route-tables.json ec2 describe-transit-gateway-route-tables
for rtb in $(awst ec2 describe-transit-gateway-route-tables --query "TransitGatewayRouteTables[?State!='deleted' && State!='deleting'].TransitGatewayRouteTableId"); do
	call "ec2-search-transit-gateway-routes-$rtb.json" ec2 search-transit-gateway-routes --transit-gateway-route-table-id "$rtb" \
		--filters Name=type,Values=static \
		--query "{TransitGatewayRouteTableId: '$rtb', Routes: Routes, AdditionalRoutesAvailable: AdditionalRoutesAvailable}"
	call "ec2-get-transit-gateway-route-table-associations-$rtb.json" ec2 get-transit-gateway-route-table-associations \
		--transit-gateway-route-table-id "$rtb" --query "{TransitGatewayRouteTableId: '$rtb', Associations: Associations}"
	call "ec2-get-transit-gateway-route-table-propagations-$rtb.json" ec2 get-transit-gateway-route-table-propagations \
		--transit-gateway-route-table-id "$rtb" --query "{TransitGatewayRouteTableId: '$rtb', TransitGatewayRouteTablePropagations: TransitGatewayRouteTablePropagations}"
done

# ---- Auto Scaling ----
call autoscaling-describe-auto-scaling-groups.json autoscaling describe-auto-scaling-groups
call autoscaling-describe-launch-configurations.json autoscaling describe-launch-configurations

# ---- ECS: list, then describe in batches (10 services, 100 of the rest) ----
# describe_all OUTFILE KEY BATCH LIST-OP DESCRIBE-OP ID-FLAG [EXTRA…]: for
# every cluster, list the resources and describe them in batches.
mapfile -t CLUSTERS < <(awst ecs list-clusters --query 'clusterArns[]')
describe_all() {
	local out=$1 key=$2 batch=$3 list=$4 describe=$5 flag=$6 cl i ok=1
	shift 6
	local parts=()
	for cl in ${CLUSTERS[@]+"${CLUSTERS[@]}"}; do
		local ids=()
		mapfile -t ids < <(awst ecs "$list" --cluster "$cl" --query "${key%s}Arns[]")
		for ((i = 0; i < ${#ids[@]}; i += batch)); do
			p=$(part ecs "$describe" --cluster "$cl" "$flag" "${ids[@]:i:batch}" "$@" --query "$key") || { ok=0; break 2; }
			parts+=("$p")
		done
	done
	if [ $ok = 1 ]; then merge "$key" "$out" ',
    "failures": []' ${parts[@]+"${parts[@]}"}; else FAILED=1; fi
}
parts=()
ok=1
for ((i = 0; i < ${#CLUSTERS[@]}; i += 100)); do
	p=$(part ecs describe-clusters --clusters "${CLUSTERS[@]:i:100}" --include SETTINGS TAGS --query clusters) || { ok=0; break; }
	parts+=("$p")
done
if [ $ok = 1 ]; then merge clusters ecs-describe-clusters.json ',
    "failures": []' ${parts[@]+"${parts[@]}"}; else FAILED=1; fi
# Without names, describe-capacity-providers answers 10 providers a page
# (FARGATE and FARGATE_SPOT among them) and a nextToken.
if CPS=$(token_parts nextToken capacityProviders ecs describe-capacity-providers --include TAGS); then
	merge capacityProviders ecs-describe-capacity-providers.json ',
    "failures": []' $CPS
else FAILED=1; fi
# The account settings, effective for the caller (its own, else the
# account default, else ECS's): awsvpcTrunking, containerInsights, …
call ecs-list-account-settings.json ecs list-account-settings --effective-settings --query '{settings: settings}'
# The own settings of the roles of the instance profiles the region's
# instances name (format thirty-six): a container instance registers with
# its role's settings. iam get-instance-profile for each profile's roles,
# then list-account-settings --principal-arn for each role (every page;
# without --effective-settings, the role's own only), merged under
# "principalSettings".
if PROFILES=$(awst ec2 describe-instances --filters Name=instance-state-name,Values=pending,running,shutting-down,stopping,stopped --query 'Reservations[].Instances[].IamInstanceProfile.Arn'); then
	parts=()
	ok=1
	ROLES=""
	for profile in $(printf '%s\n' "$PROFILES" | sort -u); do
		if r=$(aws --output text iam get-instance-profile --instance-profile-name "${profile##*/}" --query 'InstanceProfile.Roles[].Arn' 2>"$TMP/err.txt"); then
			ROLES="$ROLES $(printf '%s' "$r" | tr '\t' ' ')"
		elif grep -q NoSuchEntity "$TMP/err.txt"; then
			: # a profile deleted since the instance started: no role
		else
			cat "$TMP/err.txt" >&2
			echo "FAILED: $REGION iam get-instance-profile ${profile##*/}" >&2
			ok=0
			break
		fi
	done
	if [ $ok = 1 ]; then
		for role in $(printf '%s\n' $ROLES | sed '/^None$/d;/^$/d' | sort -u); do
			p=$(part ecs list-account-settings --principal-arn "$role" --query settings) || { ok=0; break; }
			parts+=("$p")
		done
	fi
	if [ $ok = 1 ]; then merge principalSettings ecs-list-account-settings-principals.json "" ${parts[@]+"${parts[@]}"}; else FAILED=1; fi
else
	echo "FAILED: $REGION ec2 describe-instances (instance profiles)" >&2
	FAILED=1
fi
describe_all ecs-describe-container-instances.json containerInstances 100 list-container-instances describe-container-instances --container-instances --include TAGS
describe_all ecs-describe-services.json services 10 list-services describe-services --services --include TAGS
# The task sets of each service that has any (the EXTERNAL and CODE_DEPLOY
# controllers), with their tags, which describe-services' taskSets lack
# (round thirty-seven): describe-task-sets --include TAGS, merged under
# "taskSets".
parts=()
ok=1
for cl in ${CLUSTERS[@]+"${CLUSTERS[@]}"}; do
	mapfile -t ids < <(awst ecs list-services --cluster "$cl" --query 'serviceArns[]')
	for ((i = 0; i < ${#ids[@]}; i += 10)); do
		for svc in $(awst ecs describe-services --cluster "$cl" --services "${ids[@]:i:10}" --query 'services[?taskSets].serviceArn'); do
			p=$(part ecs describe-task-sets --cluster "$cl" --service "$svc" --include TAGS --query taskSets) || { ok=0; break 3; }
			parts+=("$p")
		done
	done
done
if [ $ok = 1 ]; then merge taskSets ecs-describe-task-sets.json ',
    "failures": []' ${parts[@]+"${parts[@]}"}; else FAILED=1; fi
describe_all ecs-describe-tasks.json tasks 100 list-tasks describe-tasks --tasks --include TAGS

# ECS Managed Daemons (round thirty-four): every daemon of every cluster
# (list-daemons, describe-daemon each, merged under "daemons"), every
# deployment of each (list-daemon-deployments, then
# describe-daemon-deployments 20 at a time), and every revision a daemon
# or a deployment names (describe-daemon-revisions, 20 at a time). The
# list calls have no paginator in the CLI's model: their pages are
# followed here, by nextToken.
# token_pages ARGS…: the ARNs (lines "arn:…") of every page of a list
# call whose --query is {nextToken: nextToken, arns: …}; fails with it.
token_pages() {
	local tok="" out
	while :; do
		out=$(awsj "$@" ${tok:+--next-token "$tok"}) || { echo "FAILED: $REGION $*" >&2; return 1; }
		printf '%s\n' "$out" | sed -n 's/^ *"\(arn:[^"]*\)",\{0,1\}$/\1/p'
		tok=$(printf '%s\n' "$out" | sed -n 's/^ *"nextToken": "\(.*\)",\{0,1\}$/\1/p')
		[ -n "$tok" ] || return 0
	done
}
# describe_arns OUTFILE KEY OPERATION FLAG ARN…: describe ARNs 20 at a time
# into OUTFILE ({"KEY": […], "failures": []}).
describe_arns() {
	local out=$1 key=$2 op=$3 flag=$4 i ok=1
	shift 4
	local arns=("$@") parts=()
	for ((i = 0; i < ${#arns[@]}; i += 20)); do
		p=$(part ecs "$op" "$flag" "${arns[@]:i:20}" --query "$key") || { ok=0; break; }
		parts+=("$p")
	done
	if [ $ok = 1 ]; then merge "$key" "$out" ',
    "failures": []' ${parts[@]+"${parts[@]}"}; else FAILED=1; fi
}
if DAEMONS=$(token_pages ecs list-daemons --query '{nextToken: nextToken, arns: daemonSummariesList[].daemonArn}'); then
	parts=()
	ok=1
	for d in $DAEMONS; do
		p=$(part ecs describe-daemon --daemon-arn "$d" --query '[daemon]') || { ok=0; break; }
		parts+=("$p")
	done
	if [ $ok = 1 ]; then merge daemons ecs-describe-daemon.json "" ${parts[@]+"${parts[@]}"}; else FAILED=1; fi
	# ecs-list-tags-for-resource-daemon-<cluster>-<name>.json: each
	# daemon's tags (describe-daemon answers none), its ARN beside them.
	for d in $DAEMONS; do
		tags_of "$d" resourceArn tags ecs list-tags-for-resource --resource-arn "$d"
	done
	DEPS=()
	ok=1
	for d in $DAEMONS; do
		l=$(token_pages ecs list-daemon-deployments --daemon-arn "$d" --query '{nextToken: nextToken, arns: daemonDeployments[].daemonDeploymentArn}') || { ok=0; break; }
		for a in $l; do DEPS+=("$a"); done
	done
	if [ $ok = 1 ]; then
		describe_arns ecs-describe-daemon-deployments.json daemonDeployments describe-daemon-deployments --daemon-deployment-arns ${DEPS[@]+"${DEPS[@]}"}
	else FAILED=1; fi
	mapfile -t REVS < <(cat "$DIR/ecs-describe-daemon.json" "$DIR/ecs-describe-daemon-deployments.json" 2>/dev/null |
		sed -n 's/^.*"\(arn:[^"]*:daemon-revision\/[^"]*\)",\{0,1\}$/\1/p' | sort -u)
	describe_arns ecs-describe-daemon-revisions.json daemonRevisions describe-daemon-revisions --daemon-revision-arns ${REVS[@]+"${REVS[@]}"}
else
	FAILED=1
fi

# ---- EventBridge ----
# Every event bus's rules merged (events-list-rules.json, under "Rules"),
# then events-list-targets-by-rule-<bus>-<rule>.json per rule: its
# targets, the bus and rule beside them.
parts=()
ok=1
# list-event-buses has no paginator in the CLI's model: its pages are
# followed by NextToken.
BUSES=$(token_parts NextToken 'EventBuses[].Name' events list-event-buses | while read -r f; do
	sed -n 's/^ *"\(.*\)",\{0,1\}$/\1/p' "$f"
done; exit "${PIPESTATUS[0]}") || ok=0
for bus in $BUSES; do
	p=$(part events list-rules --event-bus-name "$bus" --query Rules) || { ok=0; break; }
	parts+=("$p")
done
if [ $ok = 1 ]; then merge Rules events-list-rules.json "" ${parts[@]+"${parts[@]}"}; else FAILED=1; fi
for bus in $BUSES; do
	for rule in $(awst events list-rules --event-bus-name "$bus" --query 'Rules[].Name'); do
		call "events-list-targets-by-rule-${bus//\//-}-$rule.json" events list-targets-by-rule --event-bus-name "$bus" --rule "$rule" \
			--query "{EventBusName: '$bus', Rule: '$rule', Targets: Targets}"
	done
	# events-list-tags-for-resource-<bus>-<rule>.json: each rule's tags.
	for arn in $(awst events list-rules --event-bus-name "$bus" --query 'Rules[].Arn'); do
		tags_of "$arn" ResourceARN Tags events list-tags-for-resource --resource-arn "$arn"
	done
done

# Task definitions the services (and their deployments) and tasks run, the
# EventBridge rules' ECS targets name, and
# the daemon task definitions of the daemons' revisions.
mapfile -t TDS < <(
	{
		sed -n 's/^ *"taskDefinition": "\(.*\)",\{0,1\}$/\1/p' "$DIR/ecs-describe-services.json" 2>/dev/null
		sed -n 's/^ *"taskDefinitionArn": "\(.*\)",\{0,1\}$/\1/p' "$DIR/ecs-describe-tasks.json" 2>/dev/null
		sed -n 's/^ *"daemonTaskDefinitionArn": "\(.*\)",\{0,1\}$/\1/p' "$DIR/ecs-describe-daemon-revisions.json" 2>/dev/null
		cat "$DIR"/events-list-targets-by-rule-*.json 2>/dev/null | sed -n 's/^ *"TaskDefinitionArn": "\(.*\)",\{0,1\}$/\1/p'
	} | sort -u
)
# A daemon task runs a daemon task definition, which only
# describe-daemon-task-definition knows.
parts=()
dparts=()
ok=1
for td in ${TDS[@]+"${TDS[@]}"}; do
	case $td in
	*:daemon-task-definition/*)
		p=$(part ecs describe-daemon-task-definition --daemon-task-definition "$td" --query '[daemonTaskDefinition]') || { ok=0; break; }
		dparts+=("$p")
		;;
	*)
		p=$(part ecs describe-task-definition --task-definition "$td" --query '[taskDefinition]') || { ok=0; break; }
		parts+=("$p")
		;;
	esac
done
if [ $ok = 1 ]; then
	merge taskDefinitions ecs-describe-task-definition.json "" ${parts[@]+"${parts[@]}"}
	merge daemonTaskDefinitions ecs-describe-daemon-task-definition.json "" ${dparts[@]+"${dparts[@]}"}
else FAILED=1; fi

# ---- ELBv2 ----
call elbv2-describe-load-balancers.json elbv2 describe-load-balancers
parts=()
ok=1
for lb in $(awst elbv2 describe-load-balancers --query 'LoadBalancers[].LoadBalancerArn'); do
	p=$(part elbv2 describe-listeners --load-balancer-arn "$lb" --query Listeners) || { ok=0; break; }
	parts+=("$p")
done
if [ $ok = 1 ]; then merge Listeners elbv2-describe-listeners.json "" ${parts[@]+"${parts[@]}"}; else FAILED=1; fi
rules=()
ok=1
for l in $(sed -n 's/^ *"ListenerArn": "\(.*\)",\{0,1\}$/\1/p' "$DIR/elbv2-describe-listeners.json" 2>/dev/null | sort -u); do
	p=$(part elbv2 describe-rules --listener-arn "$l" --query Rules) || { ok=0; break; }
	rules+=("$p")
done
if [ $ok = 1 ]; then merge Rules elbv2-describe-rules.json "" ${rules[@]+"${rules[@]}"}; else FAILED=1; fi
call elbv2-describe-target-groups.json elbv2 describe-target-groups
for tg in $(awst elbv2 describe-target-groups --query 'TargetGroups[].TargetGroupArn'); do
	# elbv2-describe-target-health-<name>-<id>.json: the output with the
	# group's ARN beside it (JMESPath raw string literal).
	name=${tg#*:targetgroup/}
	call "elbv2-describe-target-health-${name//\//-}.json" elbv2 describe-target-health --target-group-arn "$tg" \
		--query "{TargetGroupArn: '$tg', TargetHealthDescriptions: TargetHealthDescriptions}"
	# elbv2-describe-target-group-attributes-<name>-<id>.json, the same way.
	call "elbv2-describe-target-group-attributes-${name//\//-}.json" elbv2 describe-target-group-attributes --target-group-arn "$tg" \
		--query "{TargetGroupArn: '$tg', Attributes: Attributes}"
done
for lb in $(awst elbv2 describe-load-balancers --query 'LoadBalancers[].LoadBalancerArn'); do
	# elbv2-describe-load-balancer-attributes-<type>-<name>-<id>.json.
	name=${lb#*:loadbalancer/}
	call "elbv2-describe-load-balancer-attributes-${name//\//-}.json" elbv2 describe-load-balancer-attributes --load-balancer-arn "$lb" \
		--query "{LoadBalancerArn: '$lb', Attributes: Attributes}"
done
# Classic Load Balancers (Elastic Load Balancing API 2012-06-01), then
# elb-describe-load-balancer-attributes-<name>.json and
# elb-describe-load-balancer-policies-<name>.json: each one's attributes
# (cross-zone, connection draining, idle timeout) and policies (proxy
# protocol, stickiness), its name beside them.
call elb-describe-load-balancers.json elb describe-load-balancers
for clb in $(awst elb describe-load-balancers --query 'LoadBalancerDescriptions[].LoadBalancerName'); do
	call "elb-describe-load-balancer-attributes-$clb.json" elb describe-load-balancer-attributes --load-balancer-name "$clb" \
		--query "{LoadBalancerName: '$clb', LoadBalancerAttributes: LoadBalancerAttributes}"
	call "elb-describe-load-balancer-policies-$clb.json" elb describe-load-balancer-policies --load-balancer-name "$clb" \
		--query "{LoadBalancerName: '$clb', PolicyDescriptions: PolicyDescriptions}"
done

# ---- Cloud Map: namespaces, every service (get-service: list-services'
# summaries do not name the namespace), each service's instances ----
call servicediscovery-list-namespaces.json servicediscovery list-namespaces
if SDS=$(aws --region "$REGION" --output text servicediscovery list-services --query 'Services[].Id'); then
	SDS=$(printf '%s\n' "$SDS" | tr '\t' '\n' | sed '/^None$/d;/^$/d')
	parts=()
	ok=1
	for id in $SDS; do
		p=$(part servicediscovery get-service --id "$id" --query '[Service]') || { ok=0; break; }
		parts+=("$p")
	done
	if [ $ok = 1 ]; then merge Services servicediscovery-get-service.json "" ${parts[@]+"${parts[@]}"}; else FAILED=1; fi
	for id in $SDS; do
		call "servicediscovery-list-instances-${id//\//-}.json" servicediscovery list-instances --service-id "$id" \
			--query "{ServiceId: '$id', Instances: Instances}"
	done
else
	echo "FAILED: $REGION servicediscovery list-services" >&2
	FAILED=1
fi

# ---- Amazon EFS (round thirty-four): the file systems, every file
# system's mount targets (merged under "MountTargets"; their security
# groups are their ENIs') and the access points ----
call efs-describe-file-systems.json efs describe-file-systems
if FSS=$(aws --region "$REGION" --output text efs describe-file-systems --query 'FileSystems[].FileSystemId'); then
	parts=()
	ok=1
	for fs in $(printf '%s\n' "$FSS" | tr '\t' '\n' | sed '/^None$/d;/^$/d'); do
		p=$(part efs describe-mount-targets --file-system-id "$fs" --query MountTargets) || { ok=0; break; }
		parts+=("$p")
	done
	if [ $ok = 1 ]; then merge MountTargets efs-describe-mount-targets.json "" ${parts[@]+"${parts[@]}"}; else FAILED=1; fi
else
	echo "FAILED: $REGION efs describe-file-systems" >&2
	FAILED=1
fi
call efs-describe-access-points.json efs describe-access-points

# ---- ACM ----
# Every key type: without --includes, list-certificates answers RSA_1024
# and RSA_2048 certificates only. acm-describe-certificate-<id>.json: each
# certificate's describe-certificate output.
KEYTYPES=keyTypes=RSA_1024,RSA_2048,RSA_3072,RSA_4096,EC_prime256v1,EC_secp384r1,EC_secp521r1
call acm-list-certificates.json acm list-certificates --includes "$KEYTYPES"
for arn in $(awst acm list-certificates --includes "$KEYTYPES" --query 'CertificateSummaryList[].CertificateArn'); do
	call "acm-describe-certificate-${arn##*/}.json" acm describe-certificate --certificate-arn "$arn"
	tags_of "$arn" CertificateArn Tags acm list-tags-for-certificate --certificate-arn "$arn"
done

# ---- Route 53 (global; round twenty-two): the zones, each private zone's
# get-hosted-zone (its VPCs), each zone's record sets with its id beside
# them ----
call route53-list-hosted-zones.json route53 list-hosted-zones
for z in $(awst route53 list-hosted-zones --query 'HostedZones[?Config.PrivateZone].Id'); do
	z=${z#/hostedzone/}
	call "route53-get-hosted-zone-$z.json" route53 get-hosted-zone --id "$z"
done
for z in $(awst route53 list-hosted-zones --query 'HostedZones[].Id'); do
	z=${z#/hostedzone/}
	call "route53-list-resource-record-sets-$z.json" route53 list-resource-record-sets --hosted-zone-id "$z" \
		--query "{HostedZoneId: '$z', ResourceRecordSets: ResourceRecordSets}"
done

# The health checks record sets name (failover, weighted, latency and
# multivalue answers follow them).
call route53-list-health-checks.json route53 list-health-checks --query '{HealthChecks: HealthChecks}'
# Their tags (format thirty-six): list-tags-for-resources takes at most 10
# ids a call; every call's ResourceTagSets merged.
if awst route53 list-health-checks --query 'HealthChecks[].Id' >"$TMP/checks"; then
	mapfile -t checks <"$TMP/checks"
	parts=()
	ok=1
	i=0
	while [ $i -lt ${#checks[@]} ]; do
		p=$(part route53 list-tags-for-resources --resource-type healthcheck --resource-ids "${checks[@]:i:10}" --query ResourceTagSets) || { ok=0; break; }
		parts+=("$p")
		i=$((i + 10))
	done
	if [ $ok = 1 ]; then merge ResourceTagSets route53-list-tags-for-resources-healthcheck.json "" ${parts[@]+"${parts[@]}"}; else FAILED=1; fi
else
	echo "FAILED: $REGION route53 list-health-checks" >&2
	FAILED=1
fi

# ---- Amazon ECR (format thirty-six): the repositories and every
# repository's images (merged under "imageDetails"; each names its
# repository) ----
# The registry's pull through cache rules (format thirty-eight): an image
# of a repository under a rule's prefix is pulled through ECR.
call ecr-describe-pull-through-cache-rules.json ecr describe-pull-through-cache-rules
call ecr-describe-repositories.json ecr describe-repositories
if REPOS=$(aws --region "$REGION" --output text ecr describe-repositories --query 'repositories[].repositoryName'); then
	parts=()
	ok=1
	for repo in $(printf '%s\n' "$REPOS" | tr '\t' '\n' | sed '/^None$/d;/^$/d'); do
		p=$(part ecr describe-images --repository-name "$repo" --query imageDetails) || { ok=0; break; }
		parts+=("$p")
	done
	if [ $ok = 1 ]; then merge imageDetails ecr-describe-images.json "" ${parts[@]+"${parts[@]}"}; else FAILED=1; fi
	# Every repository's policy (ecr-get-repository-policy.json, merged
	# under "repositoryPolicies"); a repository without one answers
	# RepositoryPolicyNotFoundException and is left out.
	parts=()
	ok=1
	for repo in $(printf '%s\n' "$REPOS" | tr '\t' '\n' | sed '/^None$/d;/^$/d'); do
		echo "$REGION ecr get-repository-policy --repository-name $repo" >&2
		f=$(mktemp "$TMP/part.XXXXXX")
		if awsj ecr get-repository-policy --repository-name "$repo" >"$f" 2>"$TMP/err.txt"; then
			printf '[\n%s\n]\n' "$(cat "$f")" >"$f.list"
			parts+=("$f.list")
		elif ! grep -q RepositoryPolicyNotFoundException "$TMP/err.txt"; then
			cat "$TMP/err.txt" >&2
			echo "FAILED: $REGION ecr get-repository-policy --repository-name $repo" >&2
			ok=0
			break
		fi
	done
	if [ $ok = 1 ]; then merge repositoryPolicies ecr-get-repository-policy.json "" ${parts[@]+"${parts[@]}"}; else FAILED=1; fi
else
	echo "FAILED: $REGION ecr describe-repositories" >&2
	FAILED=1
fi

# ---- AWS CodeDeploy (format thirty-six): the applications and every
# application's deployment groups, each through batch-get (at most 100
# names a call), merged under "applicationsInfo" and
# "deploymentGroupsInfo" ----
# batch_parts KEY NAMESFLAG FILE ARGS…: batch-get of the names in FILE
# (one a line), 100 a call, each answer's KEY array into a part file;
# prints the files' names, one a line.
batch_parts() {
	local key=$1 flag=$2 list=$3 f
	shift 3
	local names=()
	mapfile -t names <"$list"
	local i=0
	while [ $i -lt ${#names[@]} ]; do
		f=$(part "$@" "$flag" "${names[@]:i:100}" --query "$key") || return 1
		echo "$f"
		i=$((i + 100))
	done
}
if awst deploy list-applications --query 'applications[]' >"$TMP/apps"; then
	if parts=$(batch_parts applicationsInfo --application-names "$TMP/apps" deploy batch-get-applications); then
		mapfile -t parts < <(printf '%s' "$parts" | sed '/^$/d')
		merge applicationsInfo codedeploy-batch-get-applications.json "" ${parts[@]+"${parts[@]}"}
	else
		FAILED=1
	fi
	gparts=()
	ok=1
	while IFS= read -r app; do
		[ -n "$app" ] || continue
		awst deploy list-deployment-groups --application-name "$app" --query 'deploymentGroups[]' >"$TMP/groups" || { ok=0; break; }
		p=$(batch_parts deploymentGroupsInfo --deployment-group-names "$TMP/groups" deploy batch-get-deployment-groups --application-name "$app") || { ok=0; break; }
		while IFS= read -r f; do [ -n "$f" ] && gparts+=("$f"); done <<<"$p"
	done <"$TMP/apps"
	if [ $ok = 1 ]; then merge deploymentGroupsInfo codedeploy-batch-get-deployment-groups.json "" ${gparts[@]+"${gparts[@]}"}; else
		echo "FAILED: $REGION deploy batch-get-deployment-groups" >&2
		FAILED=1
	fi
else
	echo "FAILED: $REGION deploy list-applications" >&2
	FAILED=1
fi

# ---- AWS Network Firewall (round thirty-seven): each firewall's
# describe-firewall (its endpoints by zone in FirewallStatus.SyncStates),
# its policy's describe-firewall-policy and the policy's rule groups'
# describe-rule-group, one file each, named after the ARN's resource
# (network-firewall-describe-firewall-<name>.json,
# network-firewall-describe-firewall-policy-<name>.json,
# network-firewall-describe-rule-group-<stateful|stateless>-<name>.json).
# Optional: an endpoint or CLI without the service (an error such as 501,
# an unknown command) skips them without failing the collection; AWS
# managed rule groups (account aws-managed) are not described (ecsnet does
# not apply them). ecsnet collect does not make these calls. ----
if awst network-firewall list-firewalls --query 'Firewalls[].FirewallArn' >"$TMP/firewalls" 2>"$TMP/nf.err"; then
	: >"$TMP/nfpolicies"
	while IFS= read -r arn; do
		[ -n "$arn" ] || continue
		call "network-firewall-describe-firewall-${arn##*:firewall/}.json" network-firewall describe-firewall --firewall-arn "$arn"
		awst network-firewall describe-firewall --firewall-arn "$arn" --query 'Firewall.FirewallPolicyArn' >>"$TMP/nfpolicies" || FAILED=1
	done <"$TMP/firewalls"
	: >"$TMP/nfgroups"
	while IFS= read -r arn; do
		[ -n "$arn" ] || continue
		call "network-firewall-describe-firewall-policy-${arn##*:firewall-policy/}.json" network-firewall describe-firewall-policy --firewall-policy-arn "$arn"
		awst network-firewall describe-firewall-policy --firewall-policy-arn "$arn" \
			--query 'FirewallPolicy.[StatelessRuleGroupReferences[].ResourceArn, StatefulRuleGroupReferences[].ResourceArn][]' >>"$TMP/nfgroups" || FAILED=1
	done < <(sort -u "$TMP/nfpolicies")
	while IFS= read -r arn; do
		case "$arn" in "" | *:aws-managed:*) continue ;; esac
		res=${arn##*:}
		kind=${res%%-rulegroup/*}
		call "network-firewall-describe-rule-group-$kind-${res#*-rulegroup/}.json" network-firewall describe-rule-group --rule-group-arn "$arn"
	done < <(sort -u "$TMP/nfgroups")
else
	echo "$REGION network-firewall list-firewalls: skipped ($(head -c 200 "$TMP/nf.err" | tr '\n' ' '))" >&2
fi

# The manifest ecsnet reads beside aws_configs: the tool, when it started
# and the regions. A run of another region into a folder that has a
# manifest adds its region and keeps the earlier start (the snapshot is as
# old as its oldest region); a run of a region the manifest names is a new
# collection of it and starts the manifest again.
MANIFEST="$2/ecsnet-collect.json"
REGIONS=("$REGION")
if [ -f "$MANIFEST" ]; then
	mapfile -t prev < <(sed -n '/"regions": \[/,/\]/s/^ *"\([a-z0-9-]*\)",\{0,1\}$/\1/p' "$MANIFEST")
	case " ${prev[*]-} " in
	*" $REGION "*) ;;
	*)
		REGIONS=(${prev[@]+"${prev[@]}"} "$REGION")
		was=$(sed -n 's/^ *"startedAt": "\([^"]*\)",\{0,1\}$/\1/p' "$MANIFEST" | head -n 1)
		if [ -n "$was" ] && [[ $was < $STARTED ]]; then STARTED=$was; fi
		;;
	esac
fi
{
	printf '{\n    "tool": "scripts/collect.sh",\n    "format": 38,\n    "startedAt": "%s",\n    "regions": [' "$STARTED"
	sep=""
	for r in "${REGIONS[@]}"; do
		printf '%s\n        "%s"' "$sep" "$r"
		sep=","
	done
	printf '\n    ],\n    "calls": []\n}\n'
} >"$MANIFEST"

exit $FAILED
