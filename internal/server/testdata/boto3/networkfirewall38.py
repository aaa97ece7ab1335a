"""AWS Network Firewall through boto3 (round thirty-eight): rule groups
(a stateful 5-tuple group, a stateless group, a Suricata string), a firewall
policy, a firewall in two subnets with one endpoint per zone, update tokens,
protections, logging, tags, and the errors the service answers."""
from common import client, network, fails

nf = client("network-firewall")
ec2 = client("ec2")
vpc, subnets = network(ec2)

# Rule groups: exactly one of Rules and RuleGroup.
fails("InvalidRequestException", "Exactly one of Rules or RuleGroup must be set",
      nf.create_rule_group, RuleGroupName="none", Type="STATEFUL", Capacity=10)
stateful = nf.create_rule_group(
    RuleGroupName="deny-db", Type="STATEFUL", Capacity=10, Tags=[{"Key": "team", "Value": "net"}],
    RuleGroup={"RulesSource": {"StatefulRules": [{
        "Action": "DROP",
        "Header": {"Protocol": "TCP", "Source": "10.0.1.0/24", "SourcePort": "ANY", "Direction": "FORWARD",
                   "Destination": "10.0.2.0/24", "DestinationPort": "5432"},
        "RuleOptions": [{"Keyword": "sid", "Settings": ["1"]}]}]}})
sg_arn = stateful["RuleGroupResponse"]["RuleGroupArn"]
assert sg_arn.endswith(":stateful-rulegroup/deny-db"), sg_arn
assert stateful["RuleGroupResponse"]["Capacity"] == 10
token = stateful["UpdateToken"]
d = nf.describe_rule_group(RuleGroupArn=sg_arn)
assert d["UpdateToken"] == token
rule = d["RuleGroup"]["RulesSource"]["StatefulRules"][0]
assert rule["Header"]["DestinationPort"] == "5432" and rule["Action"] == "DROP", rule
assert d["RuleGroupResponse"]["Tags"] == [{"Key": "team", "Value": "net"}]
# By name the type is needed.
assert nf.describe_rule_group(RuleGroupName="deny-db", Type="STATEFUL")["RuleGroupResponse"]["RuleGroupArn"] == sg_arn
fails("ResourceNotFoundException", None, nf.describe_rule_group, RuleGroupName="nope", Type="STATEFUL")

suricata = nf.create_rule_group(RuleGroupName="suricata", Type="STATEFUL", Capacity=5,
                                Rules='pass tcp any any -> any 443 (msg:"https"; sid:2;)')
d = nf.describe_rule_group(RuleGroupArn=suricata["RuleGroupResponse"]["RuleGroupArn"])
assert d["RuleGroup"]["RulesSource"]["RulesString"].startswith("pass tcp"), d["RuleGroup"]

stateless = nf.create_rule_group(RuleGroupName="fwd", Type="STATELESS", Capacity=20, RuleGroup={"RulesSource": {
    "StatelessRulesAndCustomActions": {"StatelessRules": [{"Priority": 1, "RuleDefinition": {
        "Actions": ["aws:forward_to_sfe"], "MatchAttributes": {"Protocols": [6], "DestinationPorts": [{"FromPort": 1, "ToPort": 65535}]}}}]}}})
sl_arn = stateless["RuleGroupResponse"]["RuleGroupArn"]
d = nf.describe_rule_group(RuleGroupArn=sl_arn)
assert d["RuleGroup"]["RulesSource"]["StatelessRulesAndCustomActions"]["StatelessRules"][0]["RuleDefinition"]["MatchAttributes"]["DestinationPorts"] == [{"FromPort": 1, "ToPort": 65535}]

# Update tokens: a stale one is refused.
up = nf.update_rule_group(RuleGroupArn=sg_arn, UpdateToken=token, Description="db", RuleGroup=d["RuleGroup"] if False else
                          nf.describe_rule_group(RuleGroupArn=sg_arn)["RuleGroup"])
assert up["UpdateToken"] != token
assert up["RuleGroupResponse"]["Description"] == "db"
fails("InvalidTokenException", None, nf.update_rule_group, RuleGroupArn=sg_arn, UpdateToken=token,
      RuleGroup=nf.describe_rule_group(RuleGroupArn=sg_arn)["RuleGroup"])

names = sorted(g["Name"] for g in nf.list_rule_groups()["RuleGroups"])
assert names == ["deny-db", "fwd", "suricata"], names
assert [g["Name"] for g in nf.list_rule_groups(Type="STATELESS")["RuleGroups"]] == ["fwd"]

# Policies: their rule groups must exist.
fails("InvalidRequestException", None, nf.create_firewall_policy, FirewallPolicyName="bad", FirewallPolicy={
    "StatelessDefaultActions": ["aws:forward_to_sfe"], "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"],
    "StatefulRuleGroupReferences": [{"ResourceArn": sg_arn.replace("deny-db", "missing")}]})
fails("InvalidRequestException", "Priority cannot be provided…", nf.create_firewall_policy, FirewallPolicyName="bad", FirewallPolicy={
    "StatelessDefaultActions": ["aws:forward_to_sfe"], "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"],
    "StatefulRuleGroupReferences": [{"ResourceArn": sg_arn, "Priority": 1}]})
pol = nf.create_firewall_policy(FirewallPolicyName="egress", FirewallPolicy={
    "StatelessDefaultActions": ["aws:forward_to_sfe"], "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"],
    "StatelessRuleGroupReferences": [{"ResourceArn": sl_arn, "Priority": 10}],
    "StatefulRuleGroupReferences": [{"ResourceArn": sg_arn}]})
pol_arn = pol["FirewallPolicyResponse"]["FirewallPolicyArn"]
assert pol_arn.endswith(":firewall-policy/egress")
dp = nf.describe_firewall_policy(FirewallPolicyName="egress")
assert dp["FirewallPolicy"]["StatelessRuleGroupReferences"] == [{"ResourceArn": sl_arn, "Priority": 10}], dp["FirewallPolicy"]
assert dp["FirewallPolicyResponse"]["ConsumedStatefulRuleCapacity"] == 10
# A rule group in use is not deleted.
fails("InvalidOperationException", "Unable to delete the object because it is still in use", nf.delete_rule_group, RuleGroupArn=sg_arn)
assert nf.describe_rule_group(RuleGroupArn=sg_arn)["RuleGroupResponse"]["NumberOfAssociations"] == 1

# A firewall in two subnets: one endpoint per zone.
fw = nf.create_firewall(FirewallName="edge", FirewallPolicyArn=pol_arn, VpcId=vpc,
                        SubnetMappings=[{"SubnetId": s} for s in subnets], DeleteProtection=True)
assert fw["FirewallStatus"]["Status"] == "PROVISIONING", fw["FirewallStatus"]
fw_arn = fw["Firewall"]["FirewallArn"]
d = nf.describe_firewall(FirewallArn=fw_arn)
st = d["FirewallStatus"]
assert st["Status"] == "READY" and st["ConfigurationSyncStateSummary"] == "IN_SYNC", st
assert sorted(st["SyncStates"]) == ["us-east-1a", "us-east-1b"], st
endpoints = {az: s["Attachment"]["EndpointId"] for az, s in st["SyncStates"].items()}
assert all(e.startswith("vpce-") for e in endpoints.values()), endpoints
assert {s["Attachment"]["SubnetId"] for s in st["SyncStates"].values()} == set(subnets)
assert d["Firewall"]["DeleteProtection"] is True
fails("InvalidRequestException", None, nf.create_firewall, FirewallName="edge2", FirewallPolicyArn=pol_arn, VpcId=vpc,
      SubnetMappings=[{"SubnetId": subnets[0]}, {"SubnetId": subnets[0]}])

# The endpoints are VPC endpoints of type GatewayLoadBalancer a route can name.
eps = ec2.describe_vpc_endpoints(VpcEndpointIds=list(endpoints.values()))["VpcEndpoints"]
assert {e["VpcEndpointType"] for e in eps} == {"GatewayLoadBalancer"}, eps
rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", VpcEndpointId=endpoints["us-east-1a"])

# The policy in use is not deleted; delete protection keeps the firewall.
fails("InvalidOperationException", "Unable to delete the object because it is still in use", nf.delete_firewall_policy, FirewallPolicyArn=pol_arn)
fails("InvalidOperationException", None, nf.delete_firewall, FirewallArn=fw_arn)
tok = d["UpdateToken"]
r = nf.update_firewall_delete_protection(FirewallArn=fw_arn, DeleteProtection=False, UpdateToken=tok)
assert r["DeleteProtection"] is False and r["UpdateToken"] != tok
fails("InvalidTokenException", None, nf.update_firewall_description, FirewallArn=fw_arn, UpdateToken=tok, Description="x")
nf.update_firewall_description(FirewallArn=fw_arn, Description="edge firewall")
assert nf.describe_firewall(FirewallName="edge")["Firewall"]["Description"] == "edge firewall"

# Subnets: disassociate one, associate it again.
r = nf.disassociate_subnets(FirewallArn=fw_arn, SubnetIds=[subnets[1]])
assert [m["SubnetId"] for m in r["SubnetMappings"]] == [subnets[0]], r
r = nf.associate_subnets(FirewallArn=fw_arn, SubnetMappings=[{"SubnetId": subnets[1]}])
assert sorted(m["SubnetId"] for m in r["SubnetMappings"]) == sorted(subnets), r

# Logging, tags, resource policy.
assert nf.describe_logging_configuration(FirewallArn=fw_arn)["LoggingConfiguration"] == {"LogDestinationConfigs": []}
lc = {"LogDestinationConfigs": [{"LogType": "FLOW", "LogDestinationType": "CloudWatchLogs", "LogDestination": {"logGroup": "fw"}}]}
nf.update_logging_configuration(FirewallArn=fw_arn, LoggingConfiguration=lc)
assert nf.describe_logging_configuration(FirewallArn=fw_arn)["LoggingConfiguration"] == lc
nf.tag_resource(ResourceArn=fw_arn, Tags=[{"Key": "env", "Value": "test"}])
assert nf.list_tags_for_resource(ResourceArn=fw_arn)["Tags"] == [{"Key": "env", "Value": "test"}]
nf.untag_resource(ResourceArn=fw_arn, TagKeys=["env"])
assert nf.list_tags_for_resource(ResourceArn=fw_arn)["Tags"] == []
fails("ResourceNotFoundException", None, nf.describe_resource_policy, ResourceArn=pol_arn)
assert [f["FirewallName"] for f in nf.list_firewalls(VpcIds=[vpc])["Firewalls"]] == ["edge"]

# Delete all, in order.
nf.delete_firewall(FirewallArn=fw_arn)
fails("ResourceNotFoundException", None, nf.describe_firewall, FirewallArn=fw_arn)
assert ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["VpcEndpoints"] == []
nf.delete_firewall_policy(FirewallPolicyArn=pol_arn)
for arn in [sg_arn, sl_arn, suricata["RuleGroupResponse"]["RuleGroupArn"]]:
    nf.delete_rule_group(RuleGroupArn=arn)
assert nf.list_rule_groups()["RuleGroups"] == []
print("ok")
