#!/usr/bin/env bash
# AWS Cloud Map (servicediscovery) through the aws CLI against an
# `ecsnet serve` endpoint: an HTTP namespace and a private DNS one, their
# operations, a service, instances registered and discovered, errors, and
# cleanup.
#
#   ECSNET_ENDPOINT=http://127.0.0.1:4566 scripts/cloudmap-awscli.sh
#
# discover-instances goes to AWS's data endpoint: the CLI puts "data-" in
# front of the endpoint's host, which no resolver knows;
# AWS_DISABLE_HOST_PREFIX_INJECTION=true keeps the endpoint as given.
#
# Run by internal/server's TestCloudMapAWSCLI. Prints one "ok" line per
# check and exits non-zero on the first failure.
set -euo pipefail
: "${ECSNET_ENDPOINT:?set ECSNET_ENDPOINT to the ecsnet serve URL}"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_MAX_ATTEMPTS=1
export AWS_DISABLE_HOST_PREFIX_INJECTION=true

a() { aws --endpoint-url "$ECSNET_ENDPOINT" "$@"; }
q() { a "$@" --output text; }
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
want() { [[ "$1" == "$2" ]] || fail "$3: got '$1', want '$2'"; ok "$3"; }
# error CODE WHAT CMD...: CMD fails with the AWS error code CODE.
error() {
	local code=$1 what=$2; shift 2
	local out
	if out=$(a "$@" 2>&1); then fail "$what: no error, want $code"; fi
	[[ "$out" == *"($code)"* ]] || fail "$what: $out"
	ok "$what"
}
# operation ID WHAT: waits for the operation to succeed.
operation() {
	for _ in $(seq 1 75); do
		if [[ "$(q servicediscovery get-operation --operation-id "$1" --query Operation.Status)" == SUCCESS ]]; then ok "$2"; return; fi
		sleep 0.2
	done
	fail "$2: timed out"
}

OP=$(q servicediscovery create-http-namespace --name apis --query OperationId)
operation "$OP" "create-http-namespace's operation succeeds"
NS=$(q servicediscovery get-operation --operation-id "$OP" --query Operation.Targets.NAMESPACE)
want "$(q servicediscovery get-namespace --id "$NS" --query Namespace.[Type,Properties.HttpProperties.HttpName])" $'HTTP\tapis' "get-namespace"
error NamespaceAlreadyExists "a second HTTP namespace of the same name" servicediscovery create-http-namespace --name apis

VPC=$(q ec2 create-vpc --cidr-block 10.1.0.0/16 --query Vpc.VpcId)
OP=$(q servicediscovery create-private-dns-namespace --name corp.local --vpc "$VPC" --query OperationId)
operation "$OP" "create-private-dns-namespace's operation succeeds"
DNSNS=$(q servicediscovery get-operation --operation-id "$OP" --query Operation.Targets.NAMESPACE)
want "$(q servicediscovery list-namespaces --filters Name=TYPE,Values=DNS_PRIVATE,HTTP,Condition=IN --query 'length(Namespaces)')" 2 "list-namespaces"
OP=$(q servicediscovery update-private-dns-namespace --id "$DNSNS" --namespace 'Description=internal,Properties={DnsProperties={SOA={TTL=100}}}' --query OperationId)
operation "$OP" "update-private-dns-namespace"
want "$(q servicediscovery get-namespace --id "$DNSNS" --query Namespace.Properties.DnsProperties.SOA.TTL)" 100 "the SOA TTL changed"

SVC=$(q servicediscovery create-service --name billing --namespace-id "$NS" --query Service.Id)
want "$(q servicediscovery get-service --id "$SVC" --query Service.Type)" HTTP "an HTTP namespace's service has type HTTP"
error InvalidInput "DNS records in an HTTP namespace" servicediscovery create-service --name x --namespace-id "$NS" \
	--dns-config 'DnsRecords=[{Type=A,TTL=60}]'
OP=$(q servicediscovery register-instance --service-id "$SVC" --instance-id b-1 --attributes url=http://b1,stage=prod --query OperationId)
operation "$OP" "register-instance"
want "$(q servicediscovery discover-instances --namespace-name apis --service-name billing --query 'Instances[0].[InstanceId,Attributes.url]')" \
	$'b-1\thttp://b1' "discover-instances on the data endpoint, through the one port"
want "$(q servicediscovery get-instances-health-status --service-id "$SVC" --query Status.\"b-1\")" UNKNOWN "no health check: UNKNOWN"
error CustomHealthNotFound "custom health without a custom health check" servicediscovery update-instance-custom-health-status \
	--service-id "$SVC" --instance-id b-1 --status HEALTHY
error ServiceNotFound "get-service of a missing service" servicediscovery get-service --id srv-0000000000000000
error InstanceNotFound "deregister-instance of a missing instance" servicediscovery deregister-instance --service-id "$SVC" --instance-id nope
error OperationNotFound "get-operation of a missing operation" servicediscovery get-operation --operation-id nope
error ResourceInUse "delete-service with an instance" servicediscovery delete-service --id "$SVC"

OP=$(q servicediscovery deregister-instance --service-id "$SVC" --instance-id b-1 --query OperationId)
operation "$OP" "deregister-instance"
a servicediscovery delete-service --id "$SVC"
for N in "$NS" "$DNSNS"; do
	operation "$(q servicediscovery delete-namespace --id "$N" --query OperationId)" "delete-namespace $N"
done
want "$(q servicediscovery list-namespaces --query 'length(Namespaces)')" 0 "no namespace left"
echo PASS
