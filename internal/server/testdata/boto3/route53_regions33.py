"""Route 53 is global: a private hosted zone of an eu-west-1 VPC, made by a
Route 53 client of eu-west-1 (with an endpoint URL, botocore signs for the
client's region; without one, for us-east-1), is the same zone to a client
of us-east-1: get, list by VPC, records, a second VPC of us-west-2, and
delete. An unknown VPCRegion's VPC is refused."""
import boto3
from common import ENDPOINT, fails


def regional(name, region):
    return boto3.client(name, endpoint_url=ENDPOINT, region_name=region,
                        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")


west_ec2, oregon_ec2 = regional("ec2", "eu-west-1"), regional("ec2", "us-west-2")
r53_west, r53_east = regional("route53", "eu-west-1"), regional("route53", "us-east-1")
west = west_ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
oregon = oregon_ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]

made = r53_west.create_hosted_zone(Name="corp.example", CallerReference="regions33",
                                   VPC={"VPCRegion": "eu-west-1", "VPCId": west})
zone = made["HostedZone"]["Id"]
assert made["VPC"] == {"VPCRegion": "eu-west-1", "VPCId": west}, made["VPC"]
got = r53_east.get_hosted_zone(Id=zone)
assert got["VPCs"] == [{"VPCRegion": "eu-west-1", "VPCId": west}], got["VPCs"]
r53_east.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": {
    "Name": "git.corp.example", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.8.0.7"}]}}]})
names = [r["Name"] for r in r53_west.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]]
assert "git.corp.example." in names, names
by_vpc = r53_east.list_hosted_zones_by_vpc(VPCId=west, VPCRegion="eu-west-1")["HostedZoneSummaries"]
assert [s["HostedZoneId"] for s in by_vpc] == [zone.split("/")[-1]], by_vpc

r53_east.associate_vpc_with_hosted_zone(HostedZoneId=zone, VPC={"VPCRegion": "us-west-2", "VPCId": oregon})
vpcs = sorted((v["VPCRegion"], v["VPCId"]) for v in r53_west.get_hosted_zone(Id=zone)["VPCs"])
assert vpcs == [("eu-west-1", west), ("us-west-2", oregon)], vpcs
fails("InvalidVPCId", None, r53_east.associate_vpc_with_hosted_zone, HostedZoneId=zone,
      VPC={"VPCRegion": "us-west-2", "VPCId": west})
zones = [z["Id"] for z in r53_east.list_hosted_zones()["HostedZones"]]
assert zones.count(zone) == 1, zones

r53_west.disassociate_vpc_from_hosted_zone(HostedZoneId=zone, VPC={"VPCRegion": "us-west-2", "VPCId": oregon})
r53_east.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": {
    "Name": "git.corp.example", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.8.0.7"}]}}]})
r53_east.delete_hosted_zone(Id=zone)
fails("NoSuchHostedZone", None, r53_west.get_hosted_zone, Id=zone)
