"""Auto Scaling launch sources through boto3: a launch configuration keeps
what it was given (Spot price, monitoring, EBS optimization, block device
mappings, metadata options), a launch configuration or group based on an
instance takes its AMI, type, key pair and security groups; a group names
its launch template by id and name, and its version only when one was
given; instances are launching when CreateAutoScalingGroup and
SetDesiredCapacity return. A key pair the region does not have is refused
by RunInstances (InvalidKeyPair.NotFound), CreateLaunchConfiguration and
CreateAutoScalingGroup (ValidationError)."""
import base64

from common import client, fails, network

ec2, asg = client("ec2"), client("autoscaling")
vpc, subnets = network(ec2)
sg = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]

asg.create_launch_configuration(
    LaunchConfigurationName="spot", ImageId="ami-12c6146b", InstanceType="t3.micro", SpotPrice="0.05",
    InstanceMonitoring={"Enabled": False}, EbsOptimized=True, UserData="boot",
    BlockDeviceMappings=[{"DeviceName": "/dev/xvdb", "VirtualName": "ephemeral0"},
                         {"DeviceName": "/dev/xvdh", "Ebs": {"VolumeType": "io1", "VolumeSize": 100, "Iops": 1000, "DeleteOnTermination": False}}],
    MetadataOptions={"HttpTokens": "required", "HttpPutResponseHopLimit": 2, "HttpEndpoint": "enabled"})
lc = asg.describe_launch_configurations(LaunchConfigurationNames=["spot"])["LaunchConfigurations"][0]
assert lc["SpotPrice"] == "0.05" and lc["InstanceMonitoring"] == {"Enabled": False} and lc["EbsOptimized"] is True, lc
assert base64.b64decode(lc["UserData"]) == b"boot", lc["UserData"]
assert lc["BlockDeviceMappings"] == [
    {"DeviceName": "/dev/xvdb", "VirtualName": "ephemeral0"},
    {"DeviceName": "/dev/xvdh", "Ebs": {"VolumeType": "io1", "VolumeSize": 100, "Iops": 1000, "DeleteOnTermination": False}}], lc["BlockDeviceMappings"]
assert lc["MetadataOptions"] == {"HttpTokens": "required", "HttpPutResponseHopLimit": 2, "HttpEndpoint": "enabled"}, lc
# Detailed monitoring is on unless the request turns it off.
asg.create_launch_configuration(LaunchConfigurationName="plain", ImageId="ami-12c6146b", InstanceType="t3.micro")
plain = asg.describe_launch_configurations(LaunchConfigurationNames=["plain"])["LaunchConfigurations"][0]
assert plain["InstanceMonitoring"] == {"Enabled": True} and plain["BlockDeviceMappings"] == [] and "SpotPrice" not in plain, plain

# Based on an instance. Its key pair must exist (Guimove/terraform-aws-bastion#173,
# magma/magma#929, QT-DevOps/DevOpsIssues#1008).
fails("InvalidKeyPair.NotFound", "The key pair 'ops' does not exist", ec2.run_instances, ImageId="ami-12c6146b",
      InstanceType="t3.small", MinCount=1, MaxCount=1, KeyName="ops", SubnetId=subnets[1])
fails("ValidationError", "The key pair 'ops' does not exist", asg.create_launch_configuration,
      LaunchConfigurationName="nokey", ImageId="ami-12c6146b", InstanceType="t3.micro", KeyName="ops")
nokey = ec2.create_launch_template(LaunchTemplateName="nokey", LaunchTemplateData={
    "ImageId": "ami-12c6146b", "InstanceType": "t3.micro", "KeyName": "ops"})["LaunchTemplate"]["LaunchTemplateId"]
fails("ValidationError", "You must use a valid fully-formed launch template. The key pair 'ops' does not exist",
      asg.create_auto_scaling_group, AutoScalingGroupName="nokey", LaunchTemplate={"LaunchTemplateId": nokey},
      MinSize=0, MaxSize=1, VPCZoneIdentifier=subnets[0])
ec2.create_key_pair(KeyName="ops")
asg.create_auto_scaling_group(AutoScalingGroupName="nokey", LaunchTemplate={"LaunchTemplateId": nokey},
                              MinSize=0, MaxSize=1, VPCZoneIdentifier=subnets[0])
inst = ec2.run_instances(ImageId="ami-12c6146b", InstanceType="t3.small", MinCount=1, MaxCount=1, KeyName="ops",
                         SubnetId=subnets[1], SecurityGroupIds=[sg])["Instances"][0]["InstanceId"]
asg.create_launch_configuration(LaunchConfigurationName="cloned", InstanceId=inst)
lc = asg.describe_launch_configurations(LaunchConfigurationNames=["cloned"])["LaunchConfigurations"][0]
assert (lc["ImageId"], lc["InstanceType"], lc["KeyName"], lc["SecurityGroups"]) == ("ami-12c6146b", "t3.small", "ops", [sg]), lc
asg.create_auto_scaling_group(AutoScalingGroupName="from-inst", InstanceId=inst, MinSize=1, MaxSize=2)
g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["from-inst"])["AutoScalingGroups"][0]
# The launch configuration is named after the group; the subnet is the instance's.
assert g["LaunchConfigurationName"] == "from-inst" and g["VPCZoneIdentifier"] == subnets[1], g
assert asg.describe_launch_configurations(LaunchConfigurationNames=["from-inst"])["LaunchConfigurations"][0]["InstanceType"] == "t3.small"
fails("ValidationError", "Instance [i-0123456789abcdef0] is invalid.", asg.create_auto_scaling_group,
      AutoScalingGroupName="bad", InstanceId="i-0123456789abcdef0", MinSize=1, MaxSize=1, VPCZoneIdentifier=subnets[0])
fails("ValidationError", "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.",
      asg.create_auto_scaling_group, AutoScalingGroupName="two", InstanceId=inst, LaunchConfigurationName="plain",
      MinSize=1, MaxSize=1, VPCZoneIdentifier=subnets[0])

# Launch templates: id and name both, the version only when given.
lt = ec2.create_launch_template(LaunchTemplateName="tpl", LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})["LaunchTemplate"]
asg.create_auto_scaling_group(AutoScalingGroupName="nover", LaunchTemplate={"LaunchTemplateName": "tpl"}, MinSize=0, MaxSize=1,
                              VPCZoneIdentifier=subnets[0])
g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["nover"])["AutoScalingGroups"][0]
assert g["LaunchTemplate"] == {"LaunchTemplateId": lt["LaunchTemplateId"], "LaunchTemplateName": "tpl"}, g["LaunchTemplate"]
# Instances are launching when the call returns.
asg.create_auto_scaling_group(AutoScalingGroupName="v1", LaunchTemplate={"LaunchTemplateId": lt["LaunchTemplateId"], "Version": "1"},
                              MinSize=0, MaxSize=6, DesiredCapacity=3, VPCZoneIdentifier=subnets[0])
g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["v1"])["AutoScalingGroups"][0]
assert g["LaunchTemplate"] == {"LaunchTemplateId": lt["LaunchTemplateId"], "LaunchTemplateName": "tpl", "Version": "1"}, g["LaunchTemplate"]
assert len(g["Instances"]) == 3, g["Instances"]
assert all(i["LaunchTemplate"] == g["LaunchTemplate"] for i in g["Instances"]), g["Instances"]
asg.set_desired_capacity(AutoScalingGroupName="v1", DesiredCapacity=5)
assert len(asg.describe_auto_scaling_instances()["AutoScalingInstances"]) == 5 + 1
print("ok")
