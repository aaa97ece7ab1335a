#!/usr/bin/env python3
"""Run the aws CLI's own examples against `ecsnet serve` and compare shapes.

The aws CLI ships, for each command, examples written from real AWS
answers (aws/aws-cli, awscli/examples/<service>/<command>.rst): a command
and the output AWS gave. This runner takes each example of the services
ecsnet emulates, starts a fresh `ecsnet serve --ephemeral`, creates what the
command names (clusters, task definitions, VPCs, subnets, load balancers...)
with botocore, replaces the example's ids, ARNs and names by the real ones,
runs the command through the aws CLI (in this process, --endpoint-url, fake
credentials) and compares the SHAPE of the answer with the recorded one:

* the key paths present (list positions collapsed to []), both ways;
* enum-like values (status strings, types, booleans) at the paths both have.

Ids, ARNs, names, timestamps, account numbers and counts are not compared.
An example whose prerequisites ecsnet cannot create, or whose operation
ecsnet does not emulate, is "not run", with the reason.

Usage: scripts/awscli-examples/run.py [--ecsnet BIN] [--port 4880]
           [--service ecs ...] [--only SUBSTRING] [--json OUT] [-v]

Needs only Python 3 and the aws CLI v1 (awscli, botocore).
"""

import argparse
import contextlib
import io
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import traceback

import awscli
import botocore.session
from botocore.config import Config
from awscli.clidriver import create_clidriver

EXAMPLES = os.path.join(os.path.dirname(awscli.__file__), "examples")
REGION = "us-east-1"
ACCOUNT = "123456789012"

# The EC2 commands of the networking and compute surface ecsnet models.
EC2_COMMANDS = re.compile(
    r"^(create|delete|describe|modify|associate|disassociate|attach|detach|replace|"
    r"authorize|revoke|assign|unassign|allocate|release|run|terminate|start|stop|"
    r"update)-(vpcs?|subnets?|security-groups?|security-group-rules?|"
    r"security-group-egress|security-group-ingress|route-tables?|route|routes|"
    r"network-acls?|network-acl-entry|network-acl-association|route-table-association|"
    r"internet-gateways?|nat-gateways?|network-interfaces?|network-interface-attribute|"
    r"instances|launch-templates?|launch-template-versions|vpc-attribute|subnet-attribute|"
    r"addresses|address|private-ip-addresses|egress-only-internet-gateways?|"
    r"vpc-cidr-block|subnet-cidr-block|instance-attribute|"
    r"security-group-rule-descriptions-egress|security-group-rule-descriptions-ingress)$"
)

SERVICES = ["ecs", "elbv2", "autoscaling", "ec2", "servicediscovery",
            "application-autoscaling"]

ENUM_RE = re.compile(r"^([A-Z][A-Z0-9_]*|[a-z][a-z0-9]*(-[a-z0-9]+)*)$")
# Strings that look like enums but are free values (names, ids, versions).
NOT_ENUM_KEYS = re.compile(
    r"(?i)(name|id|arn|key|value|description|message|reason|family|image|"
    r"cidr|address|dns|zone|hostname|path|token|version|owner|group|command|"
    r"entrypoint|source|container|cluster|service|policy|rule|requester|"
    r"instance|type$|sslpolicy|clientalias|label)"
)
ENUM_KEYS = re.compile(
    r"(?i)(status|state|launchtype|protocol|networkmode|schedulingstrategy|"
    r"propagatetags|assignpublicip|ipaddresstype|scheme|targettype|"
    r"healthstatus|lifecyclestate|deploymentcontroller|tenancy|monitoring|"
    r"compatibilit|domain|interfacetype|hostnametype|rolloutstate|"
    r"action|effect|platformfamily|cpuarchitecture|ruleaction|egress|"
    r"isdefault|default|enabled|enable|ipv6native|public|main|"
    r"deleteontermination|sourcedestcheck|requestercheck|managed|"
    r"protection|essential|readonly|healthcheckenabled)"
)


# ----- the examples -----------------------------------------------------


def parse_rst(path):
    """Return [(title, command_text, output_text_or_None, files)]."""
    lines = open(path, encoding="utf-8").read().split("\n")
    blocks = []  # (intro, text)
    i = 0
    para = []
    while i < len(lines):
        line = lines[i]
        if line.rstrip().endswith("::"):
            intro = " ".join(para + [line])
            j = i + 1
            body = []
            while j < len(lines) and (lines[j].strip() == "" or lines[j].startswith((" ", "\t"))):
                body.append(lines[j])
                j += 1
            text = dedent("\n".join(body)).strip("\n")
            blocks.append((intro, text, j))
            para = []
            i = j
            continue
        if line.strip() == "":
            para = []
        else:
            para.append(line.strip())
        i += 1
    out = []
    title = ""
    files = {}
    for k, (intro, text, _) in enumerate(blocks):
        m = re.search(r"``([^`]+\.(json|txt|yaml|yml))``", intro)
        if m and not text.lstrip().startswith("aws "):
            files[m.group(1)] = text
    cmds = [k for k, b in enumerate(blocks) if b[1].lstrip().startswith("aws ")]
    for n, k in enumerate(cmds):
        intro, text, start = blocks[k]
        m = re.findall(r"\*\*(.+?)\*\*", intro)
        title = m[-1] if m else title
        end = cmds[n + 1] if n + 1 < len(cmds) else len(blocks)
        output = None
        for b in blocks[k + 1:end]:
            if re.search(r"Output\s*::\s*$", b[0]):
                output = b[1]
                break
        if output is None:
            stop = blocks[end][2] if end < len(blocks) else len(lines)
            after = " ".join(lines[start:stop])
            if re.search(r"produces no output|returns no output|no output", after, re.I):
                output = ""
        out.append((title, text, output, files))
    return out


def dedent(s):
    ls = [l for l in s.split("\n") if l.strip()]
    if not ls:
        return s
    n = min(len(l) - len(l.lstrip()) for l in ls)
    return "\n".join(l[n:] for l in s.split("\n"))


def loads_lenient(text):
    try:
        return json.loads(text)
    except ValueError:
        pass
    t = re.sub(r"//[^\n\"]*$", "", text, flags=re.M)
    t = re.sub(r",(\s*[}\]])", r"\1", t)
    t = re.sub(r"'([^'\n]*)'", r'"\1"', t)
    t = re.sub(r"^\s*\.\.\.\s*,?\s*$", "", t, flags=re.M)
    t = re.sub(r",(\s*[}\]])", r"\1", t)
    try:
        return json.loads(t)
    except ValueError:
        return None


# ----- shapes ------------------------------------------------------------

FREE_MAPS = re.compile(r"(?i)(^|\.)(options|dockerlabels|attributes|tags|parameters|"
                       r"systemcontrols|secretoptions|labels|environment|ulimits|"
                       r"resourcerequirements|settings|properties|metadata)$")


def shape(doc, path="", paths=None, enums=None):
    if paths is None:
        paths, enums = set(), {}
    if isinstance(doc, dict):
        free = bool(FREE_MAPS.search(path))
        for k, v in doc.items():
            if free and not isinstance(v, (dict, list)):
                # a user map (docker labels, log options...): its keys are data
                p = path + ".*"
            else:
                p = (path + "." if path else "") + k
            paths.add(p)
            shape(v, p, paths, enums)
    elif isinstance(doc, list):
        for v in doc:
            shape(v, path + "[]", paths, enums)
    else:
        key = re.sub(r"\[\]$", "", path).rsplit(".", 1)[-1]
        if isinstance(doc, bool):
            enums.setdefault(path, set()).add(doc)
        elif isinstance(doc, str) and ENUM_KEYS.search(key) and not NOT_ENUM_KEYS.search(key) \
                and ENUM_RE.match(doc) and len(doc) < 40:
            enums.setdefault(path, set()).add(doc)
    return paths, enums


def compare(aws, ours):
    ap, ae = shape(aws)
    op, oe = shape(ours)
    missing = sorted(ap - op)
    extra = sorted(op - ap)
    # a missing parent hides its children: report only the topmost
    missing = [p for p in missing if not any(p != q and p.startswith(q + ".") or p.startswith(q + "[]") and p != q for q in missing)]
    extra = [p for p in extra if not any(p != q and (p.startswith(q + ".") or p.startswith(q + "[]")) for q in extra)]
    values = []
    for p in sorted(set(ae) & set(oe)):
        # the accounts hold different resources: only values AWS never gave are differences
        if not (ae[p] & oe[p]):
            values.append("%s: AWS %s, ecsnet %s" % (p, fmt(ae[p]), fmt(oe[p])))
    return missing, extra, values


def fmt(s):
    return "/".join(sorted(json.dumps(v) for v in s))


# ----- the server ----------------------------------------------------------


class Server:
    def __init__(self, binary, port):
        self.binary, self.port = binary, port
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--addr", "127.0.0.1:%d" % self.port, "--ephemeral",
             "--log-level", "error", "--region", REGION, "--account", ACCOUNT],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.1).close()
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("ecsnet serve did not start")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait()
            self.proc = None


# ----- prerequisites ------------------------------------------------------


class NotRun(Exception):
    pass


class World:
    """What an example's command names, created on demand on a fresh server."""

    def __init__(self, endpoint):
        s = botocore.session.get_session()
        self.endpoint = endpoint
        self.cfg = Config(retries={"max_attempts": 1})
        self.s = s
        self._c = {}
        self.map = {}  # example literal -> real value
        self.cache = {}

    def c(self, name):
        if name not in self._c:
            self._c[name] = self.s.create_client(
                name, region_name=REGION, endpoint_url=self.endpoint,
                aws_access_key_id="test", aws_secret_access_key="test", config=self.cfg)
        return self._c[name]

    def once(self, key, fn):
        if key not in self.cache:
            self.cache[key] = fn()
        return self.cache[key]

    # --- EC2 networking
    def vpc(self):
        def mk():
            ec2 = self.c("ec2")
            v = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
            ec2.modify_vpc_attribute(VpcId=v, EnableDnsHostnames={"Value": True})
            # public: tasks pull their images from the internet
            g = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
            ec2.attach_internet_gateway(InternetGatewayId=g, VpcId=v)
            rt = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [v]}])["RouteTables"][0]
            ec2.create_route(RouteTableId=rt["RouteTableId"], DestinationCidrBlock="0.0.0.0/0", GatewayId=g)
            self.cache["igw0"] = g
            return v
        return self.once("vpc", mk)

    def subnet(self, i=0):
        def mk():
            sn = self.c("ec2").create_subnet(
                VpcId=self.vpc(), CidrBlock="10.0.%d.0/24" % i,
                AvailabilityZone=REGION + "abcdef"[i % 6])["Subnet"]["SubnetId"]
            self.c("ec2").modify_subnet_attribute(SubnetId=sn, MapPublicIpOnLaunch={"Value": True})
            return sn
        return self.once("subnet%d" % i, mk)

    def sg(self, i=0):
        return self.once("sg%d" % i, lambda: self.c("ec2").create_security_group(
            GroupName="example-sg-%d" % i, Description="example", VpcId=self.vpc())["GroupId"])

    def igw(self, i=0):
        def mk():
            g = self.c("ec2").create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
            if i == 0:
                self.c("ec2").attach_internet_gateway(InternetGatewayId=g, VpcId=self.vpc())
            return g
        return self.once("igw%d" % i, mk)

    def rtb(self, i=0):
        return self.once("rtb%d" % i, lambda: self.c("ec2").create_route_table(
            VpcId=self.vpc())["RouteTable"]["RouteTableId"])

    def rtbassoc(self, i=0):
        return self.once("rtbassoc%d" % i, lambda: self.c("ec2").associate_route_table(
            RouteTableId=self.rtb(0), SubnetId=self.subnet(i))["AssociationId"])

    def acl(self, i=0):
        return self.once("acl%d" % i, lambda: self.c("ec2").create_network_acl(
            VpcId=self.vpc())["NetworkAcl"]["NetworkAclId"])

    def aclassoc(self, i=0):
        def mk():
            self.subnet(i)
            acls = self.c("ec2").describe_network_acls(
                Filters=[{"Name": "association.subnet-id", "Values": [self.subnet(i)]}])["NetworkAcls"]
            for a in acls[0]["Associations"]:
                if a["SubnetId"] == self.subnet(i):
                    return a["NetworkAclAssociationId"]
        return self.once("aclassoc%d" % i, mk)

    def eipalloc(self, i=0):
        return self.once("eip%d" % i, lambda: self.c("ec2").allocate_address(Domain="vpc")["AllocationId"])

    def eipassoc(self, i=0):
        return self.once("eipassoc%d" % i, lambda: self.c("ec2").associate_address(
            AllocationId=self.eipalloc(i), InstanceId=self.instance(i))["AssociationId"])

    def nat(self, i=0):
        def mk():
            self.igw(0)
            n = self.c("ec2").create_nat_gateway(SubnetId=self.subnet(i), AllocationId=self.eipalloc(10 + i))
            return n["NatGateway"]["NatGatewayId"]
        return self.once("nat%d" % i, mk)

    def eni(self, i=0):
        return self.once("eni%d" % i, lambda: self.c("ec2").create_network_interface(
            SubnetId=self.subnet(0), Groups=[self.sg(0)])["NetworkInterface"]["NetworkInterfaceId"])

    def eniattach(self, i=0):
        return self.once("eniattach%d" % i, lambda: self.c("ec2").attach_network_interface(
            NetworkInterfaceId=self.eni(i), InstanceId=self.instance(0), DeviceIndex=1)["AttachmentId"])

    def ami(self):
        def mk():
            imgs = self.c("ec2").describe_images(Owners=["amazon"], Filters=[
                {"Name": "architecture", "Values": ["x86_64"]}])["Images"]
            return imgs[0]["ImageId"] if imgs else "ami-12c6146b"
        return self.once("ami", mk)

    def instance(self, i=0, cluster=None):
        def mk():
            kw = {}
            if cluster:
                kw["UserData"] = "#!/bin/bash\necho ECS_CLUSTER=%s >> /etc/ecs/ecs.config\n" % cluster
                # The agent registers with the credentials of the
                # instance's profile (docs/aws-behavior.md).
                kw["IamInstanceProfile"] = {"Name": self.ecs_instance_profile()}
            r = self.c("ec2").run_instances(ImageId=self.ami(), InstanceType="t3.medium", MinCount=1,
                                            MaxCount=1, SubnetId=self.subnet(0),
                                            SecurityGroupIds=[self.sg(0)], **kw)
            return r["Instances"][0]["InstanceId"]
        return self.once("instance%d%s" % (i, cluster or ""), mk)

    def ecs_instance_profile(self):
        """The instance profile the ECS console makes: ecsInstanceRole with
        AmazonEC2ContainerServiceforEC2Role."""
        def mk():
            iam = self.c("iam")
            trust = json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
            iam.create_role(RoleName="ecsInstanceRole", AssumeRolePolicyDocument=trust)
            iam.attach_role_policy(RoleName="ecsInstanceRole",
                                   PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")
            iam.create_instance_profile(InstanceProfileName="ecsInstanceRole")
            iam.add_role_to_instance_profile(InstanceProfileName="ecsInstanceRole", RoleName="ecsInstanceRole")
            return "ecsInstanceRole"
        return self.once("profile:ecsInstanceRole", mk)

    def lt(self, name="my-template"):
        def mk():
            return self.c("ec2").create_launch_template(
                LaunchTemplateName=name,
                LaunchTemplateData={"ImageId": self.ami(), "InstanceType": "t3.micro",
                                    "SecurityGroupIds": [self.sg(0)]})["LaunchTemplate"]
        return self.once("lt:" + name, mk)

    def lt_by_id(self, i=0):
        return self.lt("template-%d" % i)["LaunchTemplateId"]

    # --- ECS
    def cluster(self, name):
        def mk():
            return self.c("ecs").create_cluster(clusterName=name)["cluster"]["clusterArn"]
        return self.once("cluster:" + name, mk)

    def taskdef(self, family, rev=1, awsvpc=True):
        have = self.cache.get("td:" + family, 0)
        kw = dict(networkMode="awsvpc", requiresCompatibilities=["EC2", "FARGATE"], cpu="256",
                  memory="512") if awsvpc else dict(networkMode="bridge", memory="128")
        while have < rev:
            self.c("ecs").register_task_definition(
                family=family, **kw,
                containerDefinitions=[{"name": "web", "image": "nginx", "essential": True,
                                       "portMappings": [{"containerPort": 80, "protocol": "tcp"}]}],
            )["taskDefinition"]["taskDefinitionArn"]
            have += 1
            self.cache["td:" + family] = have
        return "%s:%d" % (family, rev)

    def service(self, cluster, name, external=False):
        def mk():
            self.cluster(cluster)
            kw = dict(cluster=cluster, serviceName=name, taskDefinition=self.taskdef("example-td"),
                      desiredCount=1,
                      networkConfiguration={"awsvpcConfiguration": {
                          "subnets": [self.subnet(0)], "securityGroups": [self.sg(0)], "assignPublicIp": "ENABLED"}})
            if external:
                kw["deploymentController"] = {"type": "EXTERNAL"}
                del kw["taskDefinition"]
                del kw["networkConfiguration"]
            else:
                kw["launchType"] = "FARGATE"
            return self.c("ecs").create_service(**kw)["service"]["serviceArn"]
        return self.once("service:%s/%s" % (cluster, name), mk)

    def task(self, cluster, i=0):
        """A task of a service (task protection is for service tasks)."""
        def mk():
            self.service(cluster, "example-tasks")
            for _ in range(200):
                arns = self.c("ecs").list_tasks(cluster=cluster, serviceName="example-tasks")["taskArns"]
                if len(arns) > i:
                    return arns[i]
                if len(arns) == i and i > 0:
                    self.c("ecs").update_service(cluster=cluster, service="example-tasks", desiredCount=i + 1)
                time.sleep(0.05)
            raise NotRun("the service started no task")
        return self.once("task:%s/%d" % (cluster, i), mk)

    def container_instance(self, cluster, i=0):
        def mk():
            self.cluster(cluster)
            self.instance(100 + i, cluster=cluster)
            for _ in range(100):
                arns = self.c("ecs").list_container_instances(cluster=cluster)["containerInstanceArns"]
                if len(arns) > i:
                    return arns[i]
                time.sleep(0.05)
            raise NotRun("no container instance registered")
        return self.once("ci:%s/%d" % (cluster, i), mk)

    def asg(self, name):
        def mk():
            self.c("autoscaling").create_auto_scaling_group(
                AutoScalingGroupName=name, MinSize=1, MaxSize=3, DesiredCapacity=1,
                LaunchTemplate={"LaunchTemplateId": self.lt("asg-template")["LaunchTemplateId"]},
                VPCZoneIdentifier=self.subnet(0) + "," + self.subnet(1))
            return self.c("autoscaling").describe_auto_scaling_groups(
                AutoScalingGroupNames=[name])["AutoScalingGroups"][0]["AutoScalingGroupARN"]
        return self.once("asg:" + name, mk)

    def launch_config(self, name):
        def mk():
            self.c("autoscaling").create_launch_configuration(
                LaunchConfigurationName=name, ImageId=self.ami(), InstanceType="t3.micro")
            return name
        return self.once("lc:" + name, mk)

    def capacity_provider(self, name, managed=False):
        def mk():
            p = {"autoScalingGroupArn": self.asg("cp-asg-" + name)}
            if managed:
                p["managedScaling"] = {"status": "ENABLED", "targetCapacity": 100}
            return self.c("ecs").create_capacity_provider(
                name=name, autoScalingGroupProvider=p)["capacityProvider"]["capacityProviderArn"]
        return self.once("cp:" + name, mk)

    # --- ELBv2
    def lb(self, name, kind="app"):
        def mk():
            kw = dict(Name=name, Subnets=[self.subnet(0), self.subnet(1)],
                      Type={"app": "application", "net": "network", "gwy": "gateway"}[kind])
            if kind == "app":
                kw["SecurityGroups"] = [self.sg(0)]
            self.igw(0)
            return self.c("elbv2").create_load_balancer(**kw)["LoadBalancers"][0]["LoadBalancerArn"]
        return self.once("lb:" + name, mk)

    def lambda_fn(self, name):
        # A function Elastic Load Balancing may invoke (register-targets of
        # a lambda target group needs the permission), on a role Lambda may
        # assume, its code a zip of one handler.
        def mk():
            import zipfile
            trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                                "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
            role = self.once("role:lambda", lambda: self.c("iam").create_role(
                RoleName="awscli-examples-lambda", AssumeRolePolicyDocument=trust)["Role"]["Arn"])
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as z:
                z.writestr("index.py", "def handler(event, context):\n    return {}\n")
            lam = self.c("lambda")
            arn = lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler",
                                      Code={"ZipFile": buf.getvalue()})["FunctionArn"]
            lam.add_permission(FunctionName=name, StatementId="elb", Action="lambda:InvokeFunction",
                               Principal="elasticloadbalancing.amazonaws.com")
            lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
            return arn
        return self.once("fn:" + name, mk)

    def tg(self, name, proto="HTTP"):
        return self.once("tg:" + name, lambda: self.c("elbv2").create_target_group(
            Name=name, Protocol=proto, Port=80, VpcId=self.vpc())["TargetGroups"][0]["TargetGroupArn"])

    def listener(self, lbname, kind, i):
        def mk():
            lb = self.lb(lbname, kind)
            proto = "HTTP" if kind == "app" else "TCP"
            tg = self.tg("tg-%s-%d" % (kind, i), proto)
            return self.c("elbv2").create_listener(
                LoadBalancerArn=lb, Protocol=proto, Port=80 + i,
                DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])["Listeners"][0]["ListenerArn"]
        return self.once("listener:%s/%d" % (lbname, i), mk)

    def rule(self, lbname, kind, li, i):
        def mk():
            l = self.listener(lbname, kind, li)
            return self.c("elbv2").create_rule(
                ListenerArn=l, Priority=10 + i,
                Conditions=[{"Field": "path-pattern", "Values": ["/r%d/*" % i]}],
                Actions=[{"Type": "forward", "TargetGroupArn": self.tg("tg-app-%d" % li)}])["Rules"][0]["RuleArn"]
        return self.once("rule:%s/%d/%d" % (lbname, li, i), mk)

    # --- certificates
    def cert(self, i=0):
        # Issued, as a listener needs (ELB refuses a certificate pending
        # validation): its validation records written into a public zone.
        def mk():
            acm, r53 = self.c("acm"), self.c("route53")
            arn = acm.request_certificate(DomainName="www%d.example.com" % i, ValidationMethod="DNS")["CertificateArn"]
            zone = self.once("zone:example.com", lambda: r53.create_hosted_zone(
                Name="example.com", CallerReference="awscli-examples-certs")["HostedZone"]["Id"])
            for o in acm.describe_certificate(CertificateArn=arn)["Certificate"]["DomainValidationOptions"]:
                rr = o["ResourceRecord"]
                r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {
                    "Name": rr["Name"], "Type": rr["Type"], "TTL": 300, "ResourceRecords": [{"Value": rr["Value"]}]}}]})
            acm.get_waiter("certificate_validated").wait(CertificateArn=arn, WaiterConfig={"Delay": 1, "MaxAttempts": 20})
            return arn
        return self.once("cert%d" % i, mk)

    def server_cert(self, name):
        def mk():
            d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "internal", "server",
                             "testdata", "certs")
            return self.c("iam").upload_server_certificate(
                ServerCertificateName=name, CertificateBody=open(os.path.join(d, "cert1.pem")).read(),
                PrivateKey=open(os.path.join(d, "key1.pem")).read())["ServerCertificateMetadata"]["Arn"]
        return self.once("scert:" + name, mk)

    # --- Cloud Map
    ns_kind = "private"
    sd_custom_health = False

    def namespace(self, i=0):
        def mk():
            sd = self.c("servicediscovery")
            if self.ns_kind == "http":
                op = sd.create_http_namespace(Name="example%d" % i)["OperationId"]
            elif self.ns_kind == "public":
                op = sd.create_public_dns_namespace(Name="example%d.com" % i)["OperationId"]
            else:
                op = sd.create_private_dns_namespace(Name="example%d.local" % i, Vpc=self.vpc())["OperationId"]
            for _ in range(100):
                o = sd.get_operation(OperationId=op)["Operation"]
                if o["Status"] == "SUCCESS":
                    return o["Targets"]["NAMESPACE"]
                time.sleep(0.05)
            raise NotRun("namespace not created")
        return self.once("ns%d" % i, mk)

    def sd_service(self, i=0):
        kw = {}
        if self.ns_kind != "http":
            kw["DnsConfig"] = {"DnsRecords": [{"Type": "A", "TTL": 60}]}
        if self.sd_custom_health:
            kw["HealthCheckCustomConfig"] = {"FailureThreshold": 1}
        return self.once("srv%d" % i, lambda: self.c("servicediscovery").create_service(
            Name="svc%d" % i, NamespaceId=self.namespace(0), **kw)["Service"]["Id"])

    def sd_instance(self, i=0):
        def mk():
            self.c("servicediscovery").register_instance(
                ServiceId=self.sd_service(0), InstanceId="inst-%d" % i,
                Attributes={"AWS_INSTANCE_IPV4": "10.0.0.%d" % (10 + i)})
            return "inst-%d" % i
        return self.once("sdinst%d" % i, mk)

    def sd_operation(self, i=0):
        return self.once("op%d" % i, lambda: self.c("servicediscovery").create_http_namespace(
            Name="op%d" % i)["OperationId"])


# ----- substitution -------------------------------------------------------

ARN_RE = re.compile(r"arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12}|\*)?:([^\s,'\"\]\}]+)")
EC2_ID_RE = re.compile(r"(?<![-\w])(eni-attach|vpc|subnet|sg|rtb|acl|igw|nat|eni|i|lt|eipalloc|eipassoc|rtbassoc|"
                       r"aclassoc|ami)-[0-9a-zA-Z]{4,}\b")
CREATE_VERBS = ("create", "register", "run", "allocate", "start", "put", "submit", "attach")


def substitute(world, service, command, args, output, verb):
    """Create what args (and, for reads, the recorded output) name; return new args."""
    counters = {}

    def nth(kind, lit):
        key = (kind, lit)
        if key not in counters:
            counters[key] = len([k for k in counters if k[0] == kind])
        return counters[key]

    ecs_cluster = [None]
    awsvpc = any(a == "--network-configuration" or a == "FARGATE" or "awsvpc" in a for a in args) \
        or "fargate" in " ".join(args).lower() \
        or verb == "update-service"  # the runner's services are Fargate services

    def ec2_id(m):
        lit = m.group(0)
        kind = m.group(1)
        n = nth(kind, lit)
        fn = {"vpc": lambda: world.vpc() if n == 0 else world.once("vpc%d" % n, lambda: world.c("ec2").create_vpc(
                  CidrBlock="10.%d.0.0/16" % (n + 1))["Vpc"]["VpcId"]),
              "subnet": lambda: world.subnet(n), "sg": lambda: world.sg(n), "rtb": lambda: world.rtb(n),
              "acl": lambda: world.acl(n), "igw": lambda: world.igw(n), "nat": lambda: world.nat(n),
              "eni": lambda: world.eni(n), "i": lambda: world.instance(n), "lt": lambda: world.lt_by_id(n),
              "eipalloc": lambda: world.eipalloc(n), "eipassoc": lambda: world.eipassoc(n),
              "rtbassoc": lambda: world.rtbassoc(n), "aclassoc": lambda: world.aclassoc(n),
              "eni-attach": lambda: world.eniattach(n), "ami": world.ami}[kind]
        return fn()

    def arn(m):
        svc, region, acct, res = m.group(1), m.group(2), m.group(3), m.group(4)
        lit = m.group(0)
        if svc == "ecs":
            parts = res.split("/")
            t = parts[0]
            if t == "cluster":
                return world.cluster(parts[1])
            if t == "service":
                cl = parts[1] if len(parts) > 2 else (ecs_cluster[0] or "default")
                return world.service(cl, parts[-1])
            if t == "task-definition":
                fam, _, rev = parts[1].partition(":")
                world.taskdef(fam, int(rev or 1), awsvpc)
                return "arn:aws:ecs:%s:%s:task-definition/%s:%s" % (REGION, ACCOUNT, fam, rev or 1)
            if t == "task":
                cl = parts[1] if len(parts) > 2 else (ecs_cluster[0] or "default")
                return world.task(cl, nth("task", lit))
            if t == "container-instance":
                cl = parts[1] if len(parts) > 2 else (ecs_cluster[0] or "default")
                return world.container_instance(cl, nth("ci", lit))
            if t == "capacity-provider":
                if parts[1] in ("FARGATE", "FARGATE_SPOT"):
                    return lit.replace(region, REGION).replace(acct, ACCOUNT)
                return world.capacity_provider(parts[1])
            raise NotRun("ECS resource %s not created by the runner" % t)
        if svc == "elasticloadbalancing":
            parts = res.split("/")
            t = parts[0]
            if t == "loadbalancer" and len(parts) >= 4:
                return world.lb(parts[2], parts[1])
            if t == "targetgroup":
                return world.tg(parts[1], "TCP" if "tcp" in parts[1] or "net" in parts[1] else "HTTP")
            if t == "listener" and len(parts) >= 5:
                world.lb(parts[2], parts[1])
                return world.listener(parts[2], parts[1], nth("listener", "/".join(parts[:5])))
            if t == "listener-rule" and len(parts) >= 6:
                li = nth("listener", "/".join(["listener"] + parts[1:5]))
                return world.rule(parts[2], parts[1], li, nth("rule", lit))
            raise NotRun("ELB resource %s not created by the runner" % res)
        if svc == "autoscaling":
            mm = re.search(r"autoScalingGroupName/([^\s,]+)", res)
            if mm:
                return world.asg(mm.group(1))
            return lit
        if svc == "ec2":
            return re.sub(r"^arn:aws:ec2:[^:]*:\d*:", "arn:aws:ec2:%s:%s:" % (REGION, ACCOUNT),
                          EC2_ID_RE.sub(ec2_id, lit))
        if svc == "acm" and res.startswith("certificate/"):
            return world.cert(nth("cert", lit))
        if svc == "iam" and res.startswith("server-certificate/"):
            return world.server_cert(res.split("/")[-1])
        if svc == "lambda":
            mm = re.match(r"function:([^:]+)(:[^:]+)?$", res)
            if not mm:
                raise NotRun("Lambda resource %s not created by the runner" % res)
            fn = world.lambda_fn(mm.group(1))
            if mm.group(2):
                # A qualified ARN (an alias, a version): a published
                # version of the function stands for it.
                fn = world.once("fnv:" + res, lambda: world.c("lambda").publish_version(
                    FunctionName=mm.group(1))["FunctionArn"])
            return fn
        if svc in ("iam", "acm", "sns", "sqs", "logs", "servicediscovery", "kms", "s3", "lambda",
                   "secretsmanager", "ssm", "cloudwatch", "elasticloadbalancing", "events"):
            return lit.replace(region, REGION).replace(acct or ACCOUNT, ACCOUNT) if region else lit
        return lit

    def sub_text(text):
        text = ARN_RE.sub(arn, text)
        text = re.sub(r"(?<![\w-])(us|eu|ap|sa|ca|me|af)-[a-z]+-\d(?=[a-f]?\b)", REGION, text)
        return EC2_ID_RE.sub(lambda m: ec2_id(m) if not m.group(0).startswith("arn") else m.group(0), text)

    # parameter-driven names
    def opt(name):
        for k, a in enumerate(args):
            if a == name and k + 1 < len(args):
                vals = []
                for b in args[k + 1:]:
                    if b.startswith("--"):
                        break
                    vals.append(b)
                return vals
        return None

    creating = verb.split("-")[0] in CREATE_VERBS
    cl = opt("--cluster")
    if service == "ecs":
        if cl:
            ecs_cluster[0] = cl[0] if not cl[0].startswith("arn:") else cl[0].split("/")[-1]
        if not cl and verb not in ("create-cluster", "list-clusters", "describe-clusters"):
            world.cluster("default")
        if cl and not (verb == "create-cluster"):
            if not cl[0].startswith("arn:"):
                world.cluster(cl[0])
        for name in (opt("--clusters") or []):
            if not name.startswith("arn:") and verb != "create-cluster":
                world.cluster(name)
        td = opt("--task-definition")
        if td and not td[0].startswith("arn:") and verb != "register-task-definition":
            fam, _, rev = td[0].partition(":")
            world.taskdef(fam, int(rev or 1), awsvpc)
        svcs = (opt("--services") or []) + (opt("--service") or [])
        if verb not in ("create-service",):
            for s in svcs:
                if not s.startswith("arn:"):
                    world.service(ecs_cluster[0] or "default", s,
                                  external=verb.endswith("task-set") or verb.endswith("task-sets")
                                  or verb == "update-service-primary-task-set")
        new = list(args)
        for k, a in enumerate(args):
            if a in ("--task", "--tasks", "--container-instance", "--container-instances") and k + 1 < len(args):
                for j in range(k + 1, len(args)):
                    if args[j].startswith("--"):
                        break
                    if len(args[j]) >= 20 and re.match(r"^[0-9a-f-]+(EXAMPLE)?$", args[j]):
                        c = ecs_cluster[0] or "default"
                        if "task" in a:
                            new[j] = world.task(c, nth("task", args[j]))
                        else:
                            new[j] = world.container_instance(c, nth("ci", args[j]))
        args = new
        # The recorded clusters: the providers an as_policy attachment
        # names had managed scaling; a cluster read or updated held its
        # providers and default Service Connect namespace before the command.
        rec = loads_lenient(output) if output and output.strip() else None
        rec_clusters = []
        if isinstance(rec, dict):
            rec_clusters = ([rec["cluster"]] if isinstance(rec.get("cluster"), dict) else []) + \
                [c for c in rec.get("clusters") or [] if isinstance(c, dict)]
        managed = {d.get("value") for c in rec_clusters for a in c.get("attachments") or []
                   if a.get("type") in ("as_policy", "asp") for d in a.get("details") or []
                   if d.get("name") == "capacityProviderName"}
        for cp in (opt("--capacity-providers") or []) + (opt("--capacity-provider") or []):
            if cp not in ("FARGATE", "FARGATE_SPOT") and not cp.startswith("arn:") and verb != "create-capacity-provider":
                world.capacity_provider(cp, cp in managed)
        if verb in ("describe-clusters", "update-cluster", "update-cluster-settings"):
            names = (opt("--clusters") or []) + (cl or [])
            for c in rec_clusters:
                if len(names) != 1 or names[0].startswith("arn:"):
                    break
                cps = [p for p in c.get("capacityProviders") or [] if p not in ("FARGATE", "FARGATE_SPOT")]
                for p in cps:
                    world.capacity_provider(p, p in managed)
                if cps:
                    world.c("ecs").put_cluster_capacity_providers(
                        cluster=names[0], capacityProviders=c["capacityProviders"],
                        defaultCapacityProviderStrategy=[s for s in c.get("defaultCapacityProviderStrategy") or []
                                                         if s.get("capacityProvider") in c["capacityProviders"]])
                if (c.get("serviceConnectDefaults") or {}).get("namespace") and not opt("--service-connect-defaults"):
                    world.c("ecs").update_cluster(cluster=names[0], serviceConnectDefaults={"namespace": "recorded-ns"})
        if verb in ("list-clusters",) or verb.startswith("list-") or verb.startswith("describe-"):
            world.cluster("default")
    elif service == "autoscaling":
        asg = (opt("--auto-scaling-group-name") or [""])[0]
        a = world.c("autoscaling")
        if asg and verb in ("delete-lifecycle-hook", "complete-lifecycle-action", "record-lifecycle-action-heartbeat"):
            world.asg(asg)
            a.put_lifecycle_hook(AutoScalingGroupName=asg, LifecycleHookName=opt("--lifecycle-hook-name")[0],
                                 LifecycleTransition="autoscaling:EC2_INSTANCE_LAUNCHING")
        if asg and verb in ("delete-policy", "execute-policy") and opt("--policy-name"):
            world.asg(asg)
            a.put_scaling_policy(AutoScalingGroupName=asg, PolicyName=opt("--policy-name")[0],
                                 AdjustmentType="ChangeInCapacity", ScalingAdjustment=1)
        if asg and verb == "delete-scheduled-action":
            world.asg(asg)
            a.put_scheduled_update_group_action(AutoScalingGroupName=asg, Recurrence="0 9 * * *", DesiredCapacity=1,
                                                ScheduledActionName=opt("--scheduled-action-name")[0])
        if asg and verb == "delete-warm-pool":
            world.asg(asg)
            a.put_warm_pool(AutoScalingGroupName=asg)
        if asg and verb in ("cancel-instance-refresh", "rollback-instance-refresh"):
            world.asg(asg)
            a.start_instance_refresh(AutoScalingGroupName=asg)
        for n in (opt("--auto-scaling-group-name") or []) + (opt("--auto-scaling-group-names") or []):
            if verb != "create-auto-scaling-group":
                world.asg(n)
        for n in (opt("--launch-configuration-name") or []) + (opt("--launch-configuration-names") or []):
            if verb != "create-launch-configuration":
                world.launch_config(n)
        for a in args:
            mm = re.search(r"LaunchTemplateName=([^,\s]+)", a)
            if mm:
                world.lt(mm.group(1))
    elif service == "elbv2":
        proto = (opt("--protocol") or [""])[0]
        if proto:
            tgproto = {"HTTPS": "HTTP", "TLS": "TCP"}.get(proto, proto)
            for a in args:
                for mm in re.finditer(r"targetgroup/([^/\s,]+)/", a):
                    world.tg(mm.group(1), tgproto)
        if verb in ("register-targets", "deregister-targets", "describe-target-health"):
            ids = re.findall(r"Id=([^,\s]+)", " ".join(args))
            if any(x.startswith("arn:aws:lambda:") for x in ids):
                for a in args:
                    for mm in re.finditer(r"targetgroup/([^/\s,]+)/", a):
                        world.once("tg:" + mm.group(1), lambda: world.c("elbv2").create_target_group(
                            Name=mm.group(1), TargetType="lambda")["TargetGroups"][0]["TargetGroupArn"])
            if any(re.match(r"^\d+\.\d+\.\d+\.\d+$", x) for x in ids):
                for a in args:
                    for mm in re.finditer(r"targetgroup/([^/\s,]+)/", a):
                        world.once("tg:" + mm.group(1), lambda: world.c("elbv2").create_target_group(
                            Name=mm.group(1), Protocol="HTTP", Port=80, VpcId=world.vpc(),
                            TargetType="ip")["TargetGroups"][0]["TargetGroupArn"])
                args = [re.sub(r"Id=10\.0\.", "Id=10.0.", a) for a in args]
        if verb == "describe-load-balancers":
            for n in opt("--names") or []:
                world.lb(n)
        if verb == "describe-target-groups":
            for n in opt("--names") or []:
                world.tg(n)
    elif service == "ec2":
        if verb == "delete-security-group" and opt("--group-name"):
            world.c("ec2").create_security_group(GroupName=opt("--group-name")[0], Description="example")
        for k, a in enumerate(args):
            if "LaunchTemplateName=" in a:
                mm = re.search(r"LaunchTemplateName=([^,\s]+)", a)
                if not (verb == "create-launch-template"):
                    world.lt(mm.group(1))
        ltn = opt("--launch-template-name")
        if ltn and verb != "create-launch-template":
            world.lt(ltn[0])
    elif service == "application-autoscaling":
        ns = opt("--service-namespace")
        if ns and ns[0] != "ecs":
            raise NotRun("Application Auto Scaling of %s (ecsnet scales ECS services only)" % ns[0])
        rid = opt("--resource-id")
        if not rid and verb.startswith("describe-") and ns and ns[0] == "ecs":
            aas = world.c("application-autoscaling")
            rid0 = "service/default/web-app"
            world.service("default", "web-app")
            aas.register_scalable_target(ServiceNamespace="ecs", ResourceId=rid0,
                                         ScalableDimension="ecs:service:DesiredCount", MinCapacity=1, MaxCapacity=10)
            aas.put_scaling_policy(
                PolicyName="web-app-cpu-gt-75", ServiceNamespace="ecs", ResourceId=rid0,
                ScalableDimension="ecs:service:DesiredCount", PolicyType="StepScaling",
                StepScalingPolicyConfiguration={"AdjustmentType": "PercentChangeInCapacity", "Cooldown": 60,
                                                "StepAdjustments": [{"MetricIntervalLowerBound": 0,
                                                                     "ScalingAdjustment": 200}]})
            aas.register_scalable_target(ServiceNamespace="ecs", ResourceId=rid0,
                                         ScalableDimension="ecs:service:DesiredCount", MinCapacity=2, MaxCapacity=10)
        if rid:
            parts = rid[0].split("/")
            if len(parts) == 3 and parts[0] == "service":
                world.service(parts[1], parts[2])
                if verb not in ("register-scalable-target",):
                    world.c("application-autoscaling").register_scalable_target(
                        ServiceNamespace="ecs", ResourceId=rid[0],
                        ScalableDimension="ecs:service:DesiredCount", MinCapacity=1, MaxCapacity=10)
                if verb in ("delete-scaling-policy",) and opt("--policy-name"):
                    world.c("application-autoscaling").put_scaling_policy(
                        PolicyName=opt("--policy-name")[0], ServiceNamespace="ecs", ResourceId=rid[0],
                        ScalableDimension="ecs:service:DesiredCount", PolicyType="TargetTrackingScaling",
                        TargetTrackingScalingPolicyConfiguration={"TargetValue": 50, "PredefinedMetricSpecification": {
                            "PredefinedMetricType": "ECSServiceAverageCPUUtilization"}})
                if verb == "delete-scheduled-action" and opt("--scheduled-action-name"):
                    world.c("application-autoscaling").put_scheduled_action(
                        ServiceNamespace="ecs", ResourceId=rid[0], ScalableDimension="ecs:service:DesiredCount",
                        ScheduledActionName=opt("--scheduled-action-name")[0], Schedule="rate(1 day)",
                        ScalableTargetAction={"MinCapacity": 1})
    elif service == "servicediscovery":
        if "http" in verb:
            world.ns_kind = "http"
        elif "public" in verb or (verb == "update-service" and "HealthCheckConfig" in " ".join(args)):
            world.ns_kind = "public"
        world.sd_custom_health = "custom-health" in verb
        subs = {"--namespace-id": world.namespace, "--service-id": world.sd_service,
                "--id": None, "--operation-id": world.sd_operation, "--instance-id": world.sd_instance}
        new = list(args)
        for k, a in enumerate(args[:-1]):
            if a in subs and subs[a]:
                if a == "--instance-id" and verb == "register-instance":
                    world.sd_service(0)
                    continue
                new[k + 1] = subs[a](nth(a, args[k + 1]))
            elif a == "--id":
                v = args[k + 1]
                new[k + 1] = world.namespace(0) if v.startswith("ns-") or "namespace" in verb else world.sd_service(0)
        args = new
        if verb.startswith("list-") or verb.startswith("discover"):
            world.sd_instance(0)

    args = [sub_text(a) for a in args]
    # state the example's resource had before the command
    if verb == "delete-task-definitions" and service == "ecs":
        for a in opt("--task-definitions") or []:
            world.c("ecs").deregister_task_definition(taskDefinition=a)
    if verb == "list-tags-for-resource" and service in ("ecs", "servicediscovery") and output:
        doc = loads_lenient(output) or {}
        arn_ = (opt("--resource-arn") or [""])[0]
        arn_ = sub_text(arn_)
        if service == "ecs" and doc.get("tags"):
            world.c("ecs").tag_resource(resourceArn=arn_, tags=doc["tags"])
        if service == "servicediscovery" and doc.get("Tags"):
            world.c("servicediscovery").tag_resource(ResourceARN=arn_, Tags=doc["Tags"])
    # file:// inputs
    if output and not creating:
        # resources the recorded output names exist before the read
        sub_text(output)
    return args


# ----- running ----------------------------------------------------------


def split_command(text):
    # one command a block; some examples forget a line's trailing backslash
    lines = [l for l in text.strip().split("\n") if l.strip() and not l.strip().startswith("#")]
    line = " ".join(l.strip().rstrip("\\").strip() for l in lines)
    return shlex.split(line)


def run_cli(args, endpoint):
    out, err = io.StringIO(), io.StringIO()
    driver = create_clidriver()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = driver.main(args + ["--endpoint-url", endpoint, "--output", "json", "--region", REGION])
        except SystemExit as e:
            rc = e.code
    return rc, out.getvalue(), err.getvalue()


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--ecsnet", default=os.path.join(here, "..", "..", "ecsnet"))
    ap.add_argument("--port", type=int, default=4880)
    ap.add_argument("--service", action="append")
    ap.add_argument("--only")
    ap.add_argument("--json")
    ap.add_argument("-v", action="store_true")
    o = ap.parse_args()
    os.environ.update({"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                       "AWS_MAX_ATTEMPTS": "1", "AWS_RETRY_MODE": "standard",
                       "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"})
    os.environ.pop("AWS_PROFILE", None)
    endpoint = "http://127.0.0.1:%d" % o.port
    services = o.service or SERVICES
    results = []
    tmp = tempfile.mkdtemp(prefix="awscli-examples-")
    for service in services:
        d = os.path.join(EXAMPLES, service)
        for fn in sorted(os.listdir(d)):
            if not fn.endswith(".rst"):
                continue
            verb = fn[:-4]
            if service == "ec2" and not EC2_COMMANDS.match(verb):
                continue
            if o.only and o.only not in "%s/%s" % (service, verb):
                continue
            for k, (title, cmd, output, files) in enumerate(parse_rst(os.path.join(d, fn))):
                r = {"service": service, "file": "%s/%s" % (service, fn), "example": k + 1, "title": title}
                results.append(r)
                run_one(r, o, endpoint, service, verb, cmd, output, files, tmp)
                if o.v:
                    print(json.dumps(r), file=sys.stderr)
    report(results)
    if o.json:
        with open(o.json, "w") as f:
            json.dump(results, f, indent=1)


def run_one(r, o, endpoint, service, verb, cmd, output, files, tmp):
    try:
        args = split_command(cmd)
    except ValueError as e:
        r.update(status="not run", reason="command does not parse: %s" % e)
        return
    if args[:1] != ["aws"] or len(args) < 3 or args[1] != service or args[2] != verb:
        r.update(status="not run", reason="not a %s %s command" % (service, verb))
        return
    expected = None
    if output and output.strip():
        expected = loads_lenient(output)
        if expected is None:
            r.update(status="not run", reason="recorded output is not JSON")
            return
    args = args[1:]
    if service == "servicediscovery" and verb.startswith("discover-"):
        r.update(status="not run", reason="the CLI sends it to the data-<endpoint> host prefix, which no local address resolves")
        return
    if any(a in ("--generate-cli-skeleton",) for a in args):
        r.update(status="not run", reason="client-side only")
        return
    srv = Server(o.ecsnet, o.port)
    srv.start()
    try:
        world = World(endpoint)
        try:
            args = substitute(world, service, None, args, output, verb)
            for k, a in enumerate(args):
                if a.startswith("file://"):
                    name = a[len("file://"):]
                    if os.path.basename(name) not in files:
                        raise NotRun("the example's file %s is not shown" % name)
                    text = re.sub(r"\s*//[^\n\"]*$", "", files[os.path.basename(name)], flags=re.M)
                    text = substitute(world, service, None, [text], output, verb)[0]
                    p = os.path.join(tmp, os.path.basename(name))
                    open(p, "w").write(text)
                    args[k] = "file://" + p
        except NotRun as e:
            r.update(status="not run", reason=str(e))
            return
        except Exception as e:  # a prerequisite ecsnet refused
            r.update(status="not run", reason="prerequisite failed: %s" % str(e).split("\n")[0][:200])
            return
        rc, out, err = run_cli(args, endpoint)
        r["args"] = args
        if rc != 0:
            msg = err.strip().split("\n")[-1][:300]
            if "InvalidAction" in msg or "UnknownOperation" in msg or "NotImplemented" in msg \
                    or "not implemented" in msg.lower() or "UnrecognizedClientException" in msg:
                r.update(status="not run", reason="operation not emulated: " + msg)
            else:
                r.update(status="error", error=msg)
            return
        got = json.loads(out) if out.strip() else None
        r["got"] = got
        if output is None:
            r.update(status="accepted")
            return
        if expected is None or got is None:
            ok = (expected in (None, {}) and got in (None, {}))
            r.update(status="equal" if ok else "different",
                     missing=[] if ok else ["(AWS answered %s, ecsnet %s)" % (
                         "nothing" if expected is None else "a document",
                         "nothing" if got is None else "a document")], extra=[], values=[])
            return
        missing, extra, values = compare(expected, got)
        r.update(missing=missing, extra=extra, values=values,
                 status="equal" if not (missing or values) else "different")
    finally:
        srv.stop()


def report(results):
    cols = ["examples", "run", "equal", "accepted", "different", "error", "not run"]
    by = {}
    for r in results:
        s = by.setdefault(r["service"], dict.fromkeys(cols, 0))
        s["examples"] += 1
        s[r["status"]] += 1
        if r["status"] != "not run":
            s["run"] += 1
    print("| service | examples | run | shape-equal | ran (no output recorded) | different | error | not run |")
    print("|---|---|---|---|---|---|---|---|")
    tot = dict.fromkeys(cols, 0)
    for svc, s in by.items():
        print("| %s | " % svc + " | ".join(str(s[c]) for c in cols) + " |")
        for c in cols:
            tot[c] += s[c]
    print("| total | " + " | ".join(str(tot[c]) for c in cols) + " |")
    print()
    for r in results:
        if r["status"] in ("different", "error"):
            print("- %s #%d (%s): %s" % (r["file"], r["example"], r["title"], r["status"]))
            if r["status"] == "error":
                print("    error: " + r["error"])
            for m in r.get("missing", []):
                print("    missing: " + m)
            for v in r.get("values", []):
                print("    value: " + v)
            for x in r.get("extra", [])[:8]:
                print("    extra: " + x)
    print()
    for r in results:
        if r["status"] == "not run":
            print("- not run: %s #%d: %s" % (r["file"], r["example"], r["reason"]))


if __name__ == "__main__":
    main()
