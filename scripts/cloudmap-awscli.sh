#!/usr/bin/env bash
# AWS Cloud Map (servicediscovery) through the aws CLI against an
# `ecsnet serve` endpoint: an HTTP namespace and a private DNS one, their
# operations, a service, an instance registered and discovered, errors,
# and cleanup (scripts/cloudmap_boto3.py goes through every operation).
#
#   ECSNET_ENDPOINT=http://127.0.0.1:4566 scripts/cloudmap-awscli.sh   # without it, one is started
#
# discover-instances goes to AWS's data endpoint: the CLI puts "data-" in
# front of the endpoint's host, which no resolver knows;
# AWS_DISABLE_HOST_PREFIX_INJECTION=true keeps the endpoint as given.
#
# Run by internal/server's TestCloudMapAWSCLI. Prints one "ok" line per
# check and exits non-zero on the first failure.
set -euo pipefail
. "$(dirname "$0")/awscli-lib.sh"
export AWS_DISABLE_HOST_PREFIX_INJECTION=true

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
error NamespaceAlreadyExists "a second HTTP namespace of the same name" servicediscovery create-http-namespace --name apis

VPC=$(q ec2 create-vpc --cidr-block 10.1.0.0/16 --query Vpc.VpcId)
OP=$(q servicediscovery create-private-dns-namespace --name corp.local --vpc "$VPC" --query OperationId)
operation "$OP" "create-private-dns-namespace's operation succeeds"
want "$(q servicediscovery list-namespaces --filters Name=TYPE,Values=DNS_PRIVATE,HTTP,Condition=IN --query 'Namespaces[].Type' | tr '\t' '\n' | sort | tr '\n' ' ')" \
	"DNS_PRIVATE HTTP " "list-namespaces"
DNSNS=$(q servicediscovery list-namespaces --filters Name=TYPE,Values=DNS_PRIVATE --query 'Namespaces[0].Id')

SVC=$(q servicediscovery create-service --name billing --namespace-id "$NS" --query Service.Id)
a servicediscovery register-instance --service-id "$SVC" --instance-id b-1 --attributes url=http://b1,stage=prod >/dev/null
want "$(q servicediscovery discover-instances --namespace-name apis --service-name billing --query 'Instances[0].[InstanceId,Attributes.url,HealthStatus]')" \
	$'b-1\thttp://b1\tUNKNOWN' "discover-instances on the data endpoint, through the one port"
error ResourceInUse "delete-service with an instance" servicediscovery delete-service --id "$SVC"
a servicediscovery deregister-instance --service-id "$SVC" --instance-id b-1 >/dev/null
a servicediscovery delete-service --id "$SVC"
error ServiceNotFound "get-service of a deleted service" servicediscovery get-service --id "$SVC"
for N in "$NS" "$DNSNS"; do
	a servicediscovery delete-namespace --id "$N" >/dev/null
done
want "$(q servicediscovery list-namespaces --query 'length(Namespaces)')" 0 "no namespace left"
echo PASS
