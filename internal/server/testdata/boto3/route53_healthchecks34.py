"""Route 53's health checks are the account's, like its zones: a check made
by a Route 53 client of eu-west-1 is got, listed, counted, updated and
deleted by one of us-west-2; a failover record of a zone kept in eu-west-1
names it; a change batch refused in one change leaves every record as it
was, read back from either region."""
import boto3
from common import ENDPOINT, fails


def regional(name, region):
    return boto3.client(name, endpoint_url=ENDPOINT, region_name=region,
                        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")


r53_west, r53_oregon = regional("route53", "eu-west-1"), regional("route53", "us-west-2")
west = regional("ec2", "eu-west-1").create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
zone = r53_oregon.create_hosted_zone(Name="hc.example", CallerReference="hc34",
                                     VPC={"VPCRegion": "eu-west-1", "VPCId": west})["HostedZone"]["Id"]

check = r53_west.create_health_check(CallerReference="hc34-1", HealthCheckConfig={
    "Type": "TCP", "IPAddress": "192.0.2.7", "Port": 5432})["HealthCheck"]
got = r53_oregon.get_health_check(HealthCheckId=check["Id"])["HealthCheck"]
assert got["Id"] == check["Id"] and got["HealthCheckConfig"]["Port"] == 5432, got
ids = [h["Id"] for h in r53_oregon.list_health_checks()["HealthChecks"]]
assert ids == [check["Id"]], ids
assert r53_oregon.get_health_check_count()["HealthCheckCount"] == 1

primary = {"Name": "db.hc.example", "Type": "A", "TTL": 60, "SetIdentifier": "primary", "Failover": "PRIMARY",
           "HealthCheckId": check["Id"], "ResourceRecords": [{"Value": "10.8.0.5"}]}
r53_oregon.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [
    {"Action": "CREATE", "ResourceRecordSet": primary}]})
# A batch whose second change is refused (a CNAME beside the A record)
# changes nothing.
fails("InvalidChangeBatch", None, r53_west.change_resource_record_sets, HostedZoneId=zone, ChangeBatch={"Changes": [
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "web.hc.example", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.8.0.6"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "db.hc.example", "Type": "CNAME", "TTL": 60, "ResourceRecords": [{"Value": "x.hc.example"}]}}]})
for client in (r53_west, r53_oregon):
    names = [r["Name"] for r in client.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]]
    assert "web.hc.example." not in names and "db.hc.example." in names, names

up = r53_oregon.update_health_check(HealthCheckId=check["Id"], HealthCheckVersion=got["HealthCheckVersion"], Inverted=True)
assert up["HealthCheck"]["HealthCheckConfig"]["Inverted"] is True, up
assert r53_west.get_health_check(HealthCheckId=check["Id"])["HealthCheck"]["HealthCheckConfig"]["Inverted"] is True

r53_west.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [
    {"Action": "DELETE", "ResourceRecordSet": primary}]})
r53_oregon.delete_health_check(HealthCheckId=check["Id"])
fails("NoSuchHealthCheck", None, r53_west.get_health_check, HealthCheckId=check["Id"])
r53_west.delete_hosted_zone(Id=zone)
