"""EC2 instances through boto3 (issue 10, round 8): detailed monitoring
(RunInstances Monitoring, MonitorInstances, UnmonitorInstances and the
monitoring-state filter); a launch on a Dedicated Host that does not exist."""
from common import client, fails

ec2 = client("ec2")
AMI = "ami-12c6146b"

on = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, Monitoring={"Enabled": True})["Instances"][0]
assert on["Monitoring"] == {"State": "enabled"}, on["Monitoring"]
off = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)["Instances"][0]
assert off["Monitoring"] == {"State": "disabled"}, off["Monitoring"]


def state(iid):
    return ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["Monitoring"]["State"]


def with_state(s):
    got = ec2.describe_instances(Filters=[{"Name": "monitoring-state", "Values": [s]}])["Reservations"]
    return {i["InstanceId"] for r in got for i in r["Instances"]}


assert state(on["InstanceId"]) == "enabled"
assert with_state("enabled") == {on["InstanceId"]}, with_state("enabled")
assert with_state("disabled") == {off["InstanceId"]}, with_state("disabled")

# MonitorInstances answers the transition ("pending"); the instance is
# then monitored.
got = ec2.monitor_instances(InstanceIds=[off["InstanceId"]])["InstanceMonitorings"]
assert got == [{"InstanceId": off["InstanceId"], "Monitoring": {"State": "pending"}}], got
assert state(off["InstanceId"]) == "enabled"
got = ec2.unmonitor_instances(InstanceIds=[on["InstanceId"], off["InstanceId"]])["InstanceMonitorings"]
assert [m["Monitoring"]["State"] for m in got] == ["disabling", "disabling"], got
assert with_state("enabled") == set(), with_state("enabled")

fails("InvalidInstanceID.NotFound", "The instance ID 'i-0123456789abcdef0' does not exist",
      ec2.monitor_instances, InstanceIds=["i-0123456789abcdef0"])

# Placement.HostId: ecsnet has no Dedicated Hosts, so no launch lands on
# one; a malformed id is refused as such. Nothing is launched.
before = len(ec2.describe_instances()["Reservations"])
fails("InvalidHostID.NotFound", "The host ID 'h-0123456789abcdef0' does not exist",
      ec2.run_instances, ImageId=AMI, MinCount=1, MaxCount=1, Placement={"HostId": "h-0123456789abcdef0"})
fails("InvalidHostId.Malformed", 'Invalid id: "host-1" (expecting "h-...")',
      ec2.run_instances, ImageId=AMI, MinCount=1, MaxCount=1, Placement={"HostId": "host-1"})
assert len(ec2.describe_instances()["Reservations"]) == before

print("ok")
