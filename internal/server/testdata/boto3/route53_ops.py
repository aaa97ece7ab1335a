"""Amazon Route 53 through boto3 (REST-XML): a public zone with its SOA and
NS records, record changes with AWS's InvalidChangeBatch texts (a batch is
all or nothing), the listing order and its pages with botocore's
paginator, a wildcard answered as \\052, the ResourceRecordSetsChanged
waiter, a private zone with VPC associations, tags, and the errors of
deleting what cannot be deleted."""
from common import client, fails, network

ec2, r53 = client("ec2"), client("route53")


def batch(*changes):
    return {"Changes": [{"Action": a, "ResourceRecordSet": {"Name": n, "Type": t, "TTL": 60,
                                                             "ResourceRecords": [{"Value": v} for v in vals]}}
                        for a, n, t, *vals in changes]}


z = r53.create_hosted_zone(Name="Boto.Example", CallerReference="boto-1")
zid = z["HostedZone"]["Id"]
assert zid.startswith("/hostedzone/Z") and z["HostedZone"]["Name"] == "boto.example.", z["HostedZone"]
assert len(z["DelegationSet"]["NameServers"]) == 4, z
assert z["ResponseMetadata"]["HTTPStatusCode"] == 201, z["ResponseMetadata"]
assert z["Location"] == "https://route53.amazonaws.com/2013-04-01" + zid, z["Location"]
fails("HostedZoneAlreadyExists", "A hosted zone has already been created with the specified caller reference.",
      r53.create_hosted_zone, Name="x.example", CallerReference="boto-1")

c = r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch=batch(("CREATE", "a.boto.example", "A", "10.1.1.1"),
                                                                         ("CREATE", "*.boto.example", "A", "10.1.1.9")))
r53.get_waiter("resource_record_sets_changed").wait(Id=c["ChangeInfo"]["Id"], WaiterConfig={"Delay": 1, "MaxAttempts": 3})
fails("InvalidChangeBatch", "[Tried to create resource record set [name='a.boto.example.', type='A'] but it already exists]",
      r53.change_resource_record_sets, HostedZoneId=zid, ChangeBatch=batch(("CREATE", "a.boto.example", "A", "10.1.1.2")))
fails("InvalidChangeBatch", "[Tried to delete resource record set [name='b.boto.example.', type='A'] but it was not found]",
      r53.change_resource_record_sets, HostedZoneId=zid, ChangeBatch=batch(("DELETE", "b.boto.example", "A", "10.1.1.2")))
fails("InvalidChangeBatch", None, r53.change_resource_record_sets, HostedZoneId=zid,
      ChangeBatch=batch(("CREATE", "c.boto.example", "A", "10.1.1.3"), ("CREATE", "a.boto.example", "A", "10.1.1.2")))
fails("InvalidChangeBatch", None, r53.change_resource_record_sets, HostedZoneId=zid,
      ChangeBatch=batch(("CREATE", "d.boto.example", "A", "not-an-address")))
fails("NoSuchHostedZone", "No hosted zone found with ID: ZNOPE", r53.get_hosted_zone, Id="ZNOPE")
r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch=batch(("UPSERT", "b.boto.example", "TXT", '"hello"'),
                                                                     ("UPSERT", "a.boto.example", "A", "10.1.1.5")))

pages = list(r53.get_paginator("list_resource_record_sets").paginate(HostedZoneId=zid, PaginationConfig={"PageSize": 2}))
assert len(pages) == 3, [len(p["ResourceRecordSets"]) for p in pages]
names = [(r["Name"], r["Type"]) for p in pages for r in p["ResourceRecordSets"]]
assert names == [("boto.example.", "NS"), ("boto.example.", "SOA"), ("\\052.boto.example.", "A"),
                 ("a.boto.example.", "A"), ("b.boto.example.", "TXT")], names
a = [r for p in pages for r in p["ResourceRecordSets"] if r["Name"] == "a.boto.example."][0]
assert a["ResourceRecords"] == [{"Value": "10.1.1.5"}] and a["TTL"] == 60, a
fails("HostedZoneNotEmpty", None, r53.delete_hosted_zone, Id=zid)

vpc, _ = network(ec2)
other = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
p = r53.create_hosted_zone(Name="svc.local", CallerReference="boto-2", VPC={"VPCRegion": "us-east-1", "VPCId": vpc},
                           HostedZoneConfig={"Comment": "private", "PrivateZone": True})
pid = p["HostedZone"]["Id"]
assert p["HostedZone"]["Config"] == {"Comment": "private", "PrivateZone": True} and "DelegationSet" not in p, p
r53.associate_vpc_with_hosted_zone(HostedZoneId=pid, VPC={"VPCRegion": "us-east-1", "VPCId": other})
assert sorted(v["VPCId"] for v in r53.get_hosted_zone(Id=pid)["VPCs"]) == sorted([vpc, other])
r53.disassociate_vpc_from_hosted_zone(HostedZoneId=pid, VPC={"VPCRegion": "us-east-1", "VPCId": other})
fails("LastVPCAssociation", None, r53.disassociate_vpc_from_hosted_zone, HostedZoneId=pid, VPC={"VPCRegion": "us-east-1", "VPCId": vpc})
fails("VPCAssociationNotFound", None, r53.disassociate_vpc_from_hosted_zone, HostedZoneId=pid, VPC={"VPCRegion": "us-east-1", "VPCId": other})
summ = r53.list_hosted_zones_by_vpc(VPCId=vpc, VPCRegion="us-east-1")["HostedZoneSummaries"]
assert [s["Name"] for s in summ] == ["svc.local."], summ

r53.change_tags_for_resource(ResourceType="hostedzone", ResourceId=pid.split("/")[-1], AddTags=[{"Key": "env", "Value": "dev"}])
tags = r53.list_tags_for_resource(ResourceType="hostedzone", ResourceId=pid.split("/")[-1])["ResourceTagSet"]["Tags"]
assert tags == [{"Key": "env", "Value": "dev"}], tags

assert r53.get_hosted_zone_count()["HostedZoneCount"] == 2
listed = r53.list_hosted_zones_by_name()["HostedZones"]
assert [h["Name"] for h in listed] == ["boto.example.", "svc.local."], listed
assert r53.list_hosted_zones(MaxItems="1")["IsTruncated"] is True
r53.delete_hosted_zone(Id=pid)
assert r53.get_hosted_zone_count()["HostedZoneCount"] == 1
# An operation ecsnet lacks answers NotImplemented (HTTP 501) in Route 53's
# ErrorResponse, which botocore parses.
err = fails("NotImplemented", None, r53.list_traffic_policies)
assert "ListTrafficPolicies" in err["Message"], err
print("ok")
