"""EC2 instances through boto3 (issue 10, round 8): detailed monitoring
(RunInstances Monitoring, MonitorInstances, UnmonitorInstances and the
monitoring-state filter, launch templates' Monitoring); a launch on a Dedicated Host that does not exist;
a launch with an existing network interface as the primary one."""
from common import client, eventually, fails

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

# A launch template's Monitoring is kept as given, inherited by a version
# made from it, and applied at launch unless RunInstances says otherwise.
lt = ec2.create_launch_template(LaunchTemplateName="round8-monitored",
                                LaunchTemplateData={"ImageId": AMI, "Monitoring": {"Enabled": True}})["LaunchTemplate"]
v2 = ec2.create_launch_template_version(LaunchTemplateId=lt["LaunchTemplateId"], SourceVersion="1",
                                        LaunchTemplateData={"InstanceType": "t3.micro"})["LaunchTemplateVersion"]
assert v2["LaunchTemplateData"]["Monitoring"] == {"Enabled": True}, v2["LaunchTemplateData"]
got = ec2.describe_launch_template_versions(LaunchTemplateId=lt["LaunchTemplateId"], Versions=["1"])["LaunchTemplateVersions"]
assert got[0]["LaunchTemplateData"]["Monitoring"] == {"Enabled": True}, got[0]["LaunchTemplateData"]
from_lt = ec2.run_instances(MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateId": lt["LaunchTemplateId"]})["Instances"][0]
assert from_lt["Monitoring"] == {"State": "enabled"}, from_lt["Monitoring"]
over = ec2.run_instances(MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateId": lt["LaunchTemplateId"]},
                         Monitoring={"Enabled": False})["Instances"][0]
assert over["Monitoring"] == {"State": "disabled"}, over["Monitoring"]
ec2.terminate_instances(InstanceIds=[from_lt["InstanceId"], over["InstanceId"]])

# Placement.HostId: ecsnet has no Dedicated Hosts, so no launch lands on
# one; a malformed id is refused as such. Nothing is launched.
before = len(ec2.describe_instances()["Reservations"])
fails("InvalidHostID.NotFound", "The host ID 'h-0123456789abcdef0' does not exist",
      ec2.run_instances, ImageId=AMI, MinCount=1, MaxCount=1, Placement={"HostId": "h-0123456789abcdef0"})
fails("InvalidHostId.Malformed", 'Invalid id: "host-1" (expecting "h-...")',
      ec2.run_instances, ImageId=AMI, MinCount=1, MaxCount=1, Placement={"HostId": "host-1"})
assert len(ec2.describe_instances()["Reservations"]) == before

# NetworkInterfaces with an existing interface at device index 0: the
# instance takes the interface's subnet, groups and address; the interface
# is in use, so a second launch with it fails; terminating the instance
# leaves it available (DeleteOnTermination is false for an existing one).
vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.8.1.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
sg = ec2.create_security_group(GroupName="round8", Description="round 8", VpcId=vpc)["GroupId"]
eni = ec2.create_network_interface(SubnetId=subnet, Groups=[sg], PrivateIpAddress="10.8.1.20")["NetworkInterface"]["NetworkInterfaceId"]
inst = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1,
                         NetworkInterfaces=[{"DeviceIndex": 0, "NetworkInterfaceId": eni}])["Instances"][0]
assert inst["SubnetId"] == subnet and inst["VpcId"] == vpc, inst
assert inst["PrivateIpAddress"] == "10.8.1.20", inst["PrivateIpAddress"]
assert inst["Placement"]["AvailabilityZone"] == "us-east-1b", inst["Placement"]
assert [g["GroupId"] for g in inst["SecurityGroups"]] == [sg], inst["SecurityGroups"]
assert [n["NetworkInterfaceId"] for n in inst["NetworkInterfaces"]] == [eni], inst["NetworkInterfaces"]
got = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"][0]
assert got["Status"] == "in-use" and got["Attachment"]["InstanceId"] == inst["InstanceId"], got
assert got["Attachment"]["DeviceIndex"] == 0 and got["Attachment"]["DeleteOnTermination"] is False, got["Attachment"]
fails("InvalidNetworkInterface.InUse", f"Interface: [{eni}] in use.",
      ec2.run_instances, ImageId=AMI, MinCount=1, MaxCount=1, NetworkInterfaces=[{"DeviceIndex": 0, "NetworkInterfaceId": eni}])
ec2.terminate_instances(InstanceIds=[inst["InstanceId"]])
eventually("the interface detached", lambda: ec2.describe_network_interfaces(
    NetworkInterfaceIds=[eni])["NetworkInterfaces"][0]["Status"] == "available")
free = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
fails("InvalidParameterValue", "Value (2) for parameter maxCount is invalid. Only one instance can be launched with an existing network interface.",
      ec2.run_instances, ImageId=AMI, MinCount=2, MaxCount=2, NetworkInterfaces=[{"DeviceIndex": 0, "NetworkInterfaceId": free}])
fails("InvalidNetworkInterfaceID.NotFound", None,
      ec2.run_instances, ImageId=AMI, MinCount=1, MaxCount=1, NetworkInterfaces=[{"DeviceIndex": 0, "NetworkInterfaceId": "eni-0123456789abcdef0"}])

# A launch template is not fully validated at creation: a group that does
# not exist is refused by the launch that uses it.
lt = ec2.create_launch_template(LaunchTemplateName="missing-sg", LaunchTemplateData={
    "ImageId": AMI, "SecurityGroupIds": ["sg-0123456789abcdef0"]})["LaunchTemplate"]["LaunchTemplateId"]
fails("InvalidGroup.NotFound", None,
      ec2.run_instances, MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateId": lt})

print("ok")
