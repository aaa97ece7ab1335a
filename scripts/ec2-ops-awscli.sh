#!/usr/bin/env bash
# The EC2 operations real tools call, through the aws CLI against an
# `ecsnet serve` endpoint whose region starts as a new account's (with the
# default VPC): stop/start/reboot, instance attributes, credit
# specifications, volumes, DHCP options, VPC peering, managed prefix lists,
# VPC and subnet CIDR blocks, subnet CIDR reservations and
# ModifySecurityGroupRules. One call per operation, where it can.
#
#   ECSNET_ENDPOINT=http://127.0.0.1:4566 scripts/ec2-ops-awscli.sh   # without it, one is started
#
# Run by internal/server's TestEC2OpsAWSCLI. Prints one "ok" line per
# check and exits non-zero on the first failure.
set -euo pipefail
. "$(dirname "$0")/awscli-lib.sh"

# poll WHAT WANT CMD...: runs CMD until it prints WANT (at most 15 s).
poll() {
	local what=$1 expect=$2; shift 2
	for _ in $(seq 1 75); do
		if [[ "$("$@")" == "$expect" ]]; then ok "$what"; return; fi
		sleep 0.2
	done
	fail "$what: timed out"
}

# Instances.
AMI=$(q ssm get-parameter --name /aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id --query Parameter.Value)
I=$(q ec2 run-instances --image-id "$AMI" --instance-type t3.micro --placement AvailabilityZone=us-east-1a --query 'Instances[0].InstanceId')
want "$(q ec2 describe-instance-credit-specifications --instance-ids "$I" --query 'InstanceCreditSpecifications[0].CpuCredits')" unlimited \
	"describe-instance-credit-specifications"
poll "the instance runs" running q ec2 describe-instances --instance-ids "$I" --query 'Reservations[0].Instances[0].State.Name'
want "$(q ec2 stop-instances --instance-ids "$I" --query 'StoppingInstances[0].[PreviousState.Name,CurrentState.Name]')" $'running\tstopping' "stop-instances"
poll "the instance stops" stopped q ec2 describe-instances --instance-ids "$I" --query 'Reservations[0].Instances[0].State.Name'
error IncorrectInstanceState "reboot-instances of a stopped instance" ec2 reboot-instances --instance-ids "$I"
a ec2 modify-instance-attribute --instance-id "$I" --instance-type '{"Value":"m5.large"}'
want "$(q ec2 start-instances --instance-ids "$I" --query 'StartingInstances[0].CurrentState.Name')" pending "start-instances"
poll "the instance runs again, an m5.large (modify-instance-attribute)" $'running\tm5.large' \
	q ec2 describe-instances --instance-ids "$I" --query 'Reservations[0].Instances[0].[State.Name,InstanceType]'
a ec2 reboot-instances --instance-ids "$I"
ok "reboot-instances"

# Volumes.
V=$(q ec2 create-volume --availability-zone us-east-1a --size 10 --query VolumeId)
want "$(q ec2 attach-volume --volume-id "$V" --instance-id "$I" --device /dev/sdf --query State)" attaching "attach-volume"
want "$(q ec2 detach-volume --volume-id "$V" --query State)" detaching "detach-volume"
poll "the volume is available" available q ec2 describe-volumes --volume-ids "$V" --query 'Volumes[0].State'
a ec2 delete-volume --volume-id "$V"
ok "delete-volume"

# DHCP options.
VPC=$(q ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
D=$(q ec2 create-dhcp-options --dhcp-configurations Key=domain-name,Values=corp.example Key=domain-name-servers,Values=10.0.0.2 \
	--query DhcpOptions.DhcpOptionsId)
a ec2 associate-dhcp-options --dhcp-options-id "$D" --vpc-id "$VPC"
error DependencyViolation "delete-dhcp-options in use" ec2 delete-dhcp-options --dhcp-options-id "$D"
a ec2 associate-dhcp-options --dhcp-options-id default --vpc-id "$VPC"
a ec2 delete-dhcp-options --dhcp-options-id "$D"

# VPC peering.
PEER=$(q ec2 create-vpc --cidr-block 10.1.0.0/16 --query Vpc.VpcId)
PCX=$(q ec2 create-vpc-peering-connection --vpc-id "$VPC" --peer-vpc-id "$PEER" --query VpcPeeringConnection.VpcPeeringConnectionId)
want "$(q ec2 accept-vpc-peering-connection --vpc-peering-connection-id "$PCX" --query VpcPeeringConnection.Status.Code)" active \
	"accept-vpc-peering-connection"
want "$(q ec2 delete-vpc-peering-connection --vpc-peering-connection-id "$PCX" --query Return)" True "delete-vpc-peering-connection"

# Managed prefix lists.
PL=$(q ec2 create-managed-prefix-list --prefix-list-name office --address-family IPv4 --max-entries 3 \
	--entries Cidr=203.0.113.0/24,Description=HQ --query PrefixList.PrefixListId)
want "$(q ec2 modify-managed-prefix-list --prefix-list-id "$PL" --current-version 1 --add-entries Cidr=198.51.100.0/24 --query PrefixList.Version)" 2 \
	"modify-managed-prefix-list"
error PrefixListVersionMismatch "modify-managed-prefix-list with a stale version" ec2 modify-managed-prefix-list --prefix-list-id "$PL" \
	--current-version 1 --remove-entries Cidr=198.51.100.0/24
want "$(q ec2 get-managed-prefix-list-entries --prefix-list-id "$PL" --query 'length(Entries)')" 2 "get-managed-prefix-list-entries"

# ModifySecurityGroupRules.
SG=$(q ec2 create-security-group --group-name web --description web --vpc-id "$VPC" --query GroupId)
R=$(q ec2 authorize-security-group-ingress --group-id "$SG" --protocol tcp --port 80 --cidr 0.0.0.0/0 --query 'SecurityGroupRules[0].SecurityGroupRuleId')
a ec2 modify-security-group-rules --group-id "$SG" --security-group-rules \
	"SecurityGroupRuleId=$R,SecurityGroupRule={IpProtocol=tcp,FromPort=8080,ToPort=8080,PrefixListId=$PL}" >/dev/null
want "$(q ec2 describe-security-group-rules --security-group-rule-ids "$R" --query 'SecurityGroupRules[0].[FromPort,PrefixListId]')" $'8080\t'"$PL" \
	"modify-security-group-rules"
want "$(q ec2 delete-managed-prefix-list --prefix-list-id "$PL" --query PrefixList.State)" delete-in-progress "delete-managed-prefix-list in use"
want "$(q ec2 describe-managed-prefix-lists --prefix-list-ids "$PL" --query 'PrefixLists[0].State')" delete-failed "a referenced list is delete-failed"
a ec2 delete-security-group --group-id "$SG" >/dev/null
a ec2 delete-managed-prefix-list --prefix-list-id "$PL" >/dev/null
ok "delete-managed-prefix-list"

# VPC and subnet CIDR blocks, subnet CIDR reservations.
ASSOC=$(q ec2 associate-vpc-cidr-block --vpc-id "$VPC" --cidr-block 10.2.0.0/16 --query CidrBlockAssociation.AssociationId)
SUB=$(q ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.2.1.0/24 --query Subnet.SubnetId)
error InvalidCidrBlock.InUse "disassociate-vpc-cidr-block with a subnet in it" ec2 disassociate-vpc-cidr-block --association-id "$ASSOC"
a ec2 associate-vpc-cidr-block --vpc-id "$VPC" --amazon-provided-ipv6-cidr-block >/dev/null
V6=$(q ec2 describe-vpcs --vpc-ids "$VPC" --query 'Vpcs[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock')
SUB64=$(python3 -c "import ipaddress,sys;print(next(ipaddress.ip_network(sys.argv[1]).subnets(new_prefix=64)))" "$V6")
S6=$(q ec2 associate-subnet-cidr-block --subnet-id "$SUB" --ipv6-cidr-block "$SUB64" --query Ipv6CidrBlockAssociation.AssociationId)
want "$(q ec2 describe-subnets --subnet-ids "$SUB" --query 'Subnets[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock')" "$SUB64" "associate-subnet-cidr-block"
a ec2 disassociate-subnet-cidr-block --association-id "$S6" >/dev/null
ok "disassociate-subnet-cidr-block"
RES=$(q ec2 create-subnet-cidr-reservation --subnet-id "$SUB" --cidr 10.2.1.0/28 --reservation-type explicit \
	--query SubnetCidrReservation.SubnetCidrReservationId)
want "$(q ec2 create-network-interface --subnet-id "$SUB" --query NetworkInterface.PrivateIpAddress)" 10.2.1.16 \
	"no address from a reserved block"
want "$(q ec2 get-subnet-cidr-reservations --subnet-id "$SUB" --query 'SubnetIpv4CidrReservations[0].Cidr')" 10.2.1.0/28 "get-subnet-cidr-reservations"
a ec2 delete-subnet-cidr-reservation --subnet-cidr-reservation-id "$RES" >/dev/null
ok "delete-subnet-cidr-reservation"
echo PASS
