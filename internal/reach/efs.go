package reach

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Amazon EFS volumes on a task's start path. The ECS agent (Fargate: the
// platform's agent, from the task ENI; EC2: the agent on the instance,
// from the task ENI in awsvpc mode, else from the instance's primary ENI)
// mounts each efsVolumeConfiguration with efs-utils before the containers
// start: it resolves fs-ID.efs.REGION.amazonaws.com, which the VPC's
// Amazon-provided DNS answers with the file system's mount target in the
// same Availability Zone (only when the VPC has DNS resolution and DNS
// hostnames on), and connects to it on TCP 2049 (NFS; with
// transitEncryption through a local TLS tunnel, to the same port).
// Security groups and network ACLs apply both ways, as for any
// connection. A task whose mount fails stops with
// ResourceInitializationError and the efs-utils output.

// NFSPort is the port an EFS mount target serves NFS on.
const NFSPort = 2049

const efsReasonPrefix = "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: "

// efsVolume is one EFS volume of a task definition.
type efsVolume struct {
	name, fileSystem, accessPoint string
}

// taskEFSVolumes reads a task definition's EFS volumes from its raw
// members (volumes[].efsVolumeConfiguration).
func taskEFSVolumes(td *model.TaskDefinition) []efsVolume {
	if td == nil {
		return nil
	}
	var out []efsVolume
	for _, v := range rawList(td.Raw, "volumes") {
		m, _ := v.(map[string]any)
		cfg, _ := m["efsVolumeConfiguration"].(map[string]any)
		if cfg == nil {
			continue
		}
		vol := efsVolume{name: model.RawString(m, "name"), fileSystem: model.RawString(cfg, "fileSystemId")}
		if auth, _ := cfg["authorizationConfig"].(map[string]any); auth != nil {
			vol.accessPoint = model.RawString(auth, "accessPointId")
		}
		out = append(out, vol)
	}
	return out
}

// efsHost is a file system's DNS name.
func efsHost(fs, region string) string {
	return fs + ".efs." + region + "." + model.DNSSuffix(region)
}

// efsResolveReason is efs-utils' output when the file system's name does
// not resolve (no mount target in the zone, a VPC without DNS, no such
// file system); the agent has no botocore to fall back on.
func efsResolveReason(fs, region string) string {
	return efsReasonPrefix + "Failed to resolve \"" + efsHost(fs, region) + "\" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target for this file system ID. " +
		"See https://docs.aws.amazon.com/console/efs/mount-dns-name for more detail. Attempting to lookup mount target ip address using botocore. " +
		"Failed to import necessary dependency botocore, please install botocore first. : unsuccessful EFS utils command execution; code: 1"
}

// efsMountFailure checks the EFS volumes of a task definition from the
// check's ENI, in the definition's order, and returns the first that
// cannot be mounted, or nil.
func (c *pullCheck) efsMountFailure(td *model.TaskDefinition) *StartFailure {
	vols := taskEFSVolumes(td)
	if len(vols) == 0 {
		return nil
	}
	n, src := c.n, c.src
	st := n.st
	region := st.Region
	fail := func(code, reason, why string, v Verdict) *StartFailure {
		f := c.failure(code, "efs", v, why)
		f.Reason, f.StopCode = reason, "TaskFailedToStart"
		f.Needs = nil
		return f
	}
	for _, vol := range vols {
		fs := st.FileSystems[vol.fileSystem]
		if fs == nil || fs.LifeCycleState == "deleting" || fs.LifeCycleState == "deleted" {
			f := fail(CodeEFSNoMountTarget, efsResolveReason(vol.fileSystem, region),
				"the volume "+vol.name+" names the EFS file system "+vol.fileSystem+", which does not exist in "+region+": "+efsHost(vol.fileSystem, region)+" does not resolve", Timeout)
			f.FileSystem = vol.fileSystem
			return f
		}
		if v := st.VPCs[src.eni.VpcID]; v != nil && (n.dnsOff(v) || !v.EnableDNSHostnames) {
			what := "DNS hostnames off (enableDnsHostnames false)"
			if n.dnsOff(v) {
				what = "DNS resolution off (enableDnsSupport false)"
			}
			f := fail(CodeEFSNoMountTarget, efsResolveReason(fs.ID, region),
				"the VPC "+n.vpcName(v.ID)+" has "+what+": the Amazon-provided DNS does not answer "+efsHost(fs.ID, region)+" (EFS needs both DNS resolution and DNS hostnames)", Timeout)
			f.FileSystem, f.AvailabilityZone = fs.ID, src.eni.AvailabilityZone
			return f
		}
		if o := n.privateZonesHidden(src.eni.VpcID); o != nil {
			// The file system's name is answered by the Route 53 Resolver
			// only (Amazon EFS User Guide, "Mounting on Amazon EC2 with a
			// DNS name": a custom DNS server needs a conditional forwarder
			// for the EFS names to the Amazon DNS server).
			f := fail(CodeEFSNoMountTarget, efsResolveReason(fs.ID, region),
				"the VPC's DHCP options set "+o.Tags.NameOr(string(o.ID))+" ("+string(o.ID)+") gives its own DNS servers ("+strings.Join(o.Options["domain-name-servers"], ", ")+")"+
					CustomDNSMarker+", which do not forward to the Route 53 Resolver: "+efsHost(fs.ID, region)+" does not resolve", Timeout)
			f.FileSystem, f.AvailabilityZone = fs.ID, src.eni.AvailabilityZone
			return f
		}
		mt, zoneWhy := n.efsZoneMountTarget(fs, src)
		if zoneWhy != "" {
			f := fail(CodeEFSNoMountTarget, efsResolveReason(fs.ID, region), zoneWhy, Timeout)
			f.FileSystem, f.AvailabilityZone = fs.ID, src.eni.AvailabilityZone
			return f
		}
		var others []string
		otherHere := false
		for _, m := range st.MountTargets {
			if mt != nil {
				break
			}
			if m.FileSystemID != fs.ID || m.LifeCycleState == "deleting" {
				continue
			}
			if m.VpcID == src.eni.VpcID && m.AvailabilityZone == src.eni.AvailabilityZone && m.LifeCycleState == "available" {
				mt = m
				break
			}
			others = append(others, m.AvailabilityZone+" ("+string(m.VpcID)+")")
			otherHere = otherHere || m.VpcID == src.eni.VpcID
		}
		if mt == nil {
			slices.Sort(others)
			why := "the EFS file system " + fs.ID + " has no available mount target in " + src.eni.AvailabilityZone + " of the VPC " + n.vpcName(src.eni.VpcID) +
				", so " + efsHost(fs.ID, region) + " does not resolve there"
			if fs.LifeCycleState != "available" {
				why = "the EFS file system " + fs.ID + " is " + fs.LifeCycleState + ", not available: " + efsHost(fs.ID, region) + " does not resolve yet"
			} else if len(others) > 0 {
				why += " (its mount targets: " + strings.Join(others, ", ") + ")"
				if !otherHere {
					why += efsOtherVPCMarker
				} else if fs.AvailabilityZone != "" && fs.AvailabilityZone != src.eni.AvailabilityZone {
					why += efsOneZoneMarker + fs.AvailabilityZone
				}
			}
			f := fail(CodeEFSNoMountTarget, efsResolveReason(fs.ID, region), why, Timeout)
			f.FileSystem, f.AvailabilityZone = fs.ID, src.eni.AvailabilityZone
			return f
		}
		if vol.accessPoint != "" {
			if ap := st.AccessPoints[vol.accessPoint]; ap == nil || ap.FileSystemID != fs.ID {
				why := "the access point " + vol.accessPoint + " does not exist"
				if ap != nil {
					why = "the access point " + vol.accessPoint + " belongs to the file system " + ap.FileSystemID + ", not to " + fs.ID
				}
				f := fail(CodeEFSAccessPointMismatch, efsReasonPrefix+"b'mount.nfs4: access denied by server while mounting 127.0.0.1:/' : unsuccessful EFS utils command execution; code: 32", why, Refused)
				f.FileSystem, f.MountTarget, f.AccessPoint = fs.ID, mt.ID, vol.accessPoint
				return f
			}
		}
		dst := n.eni(mt.ENI)
		if dst == nil {
			continue
		}
		fl := flow{srcENI: src, src: src.primary, srcRef: src, sport: DefaultClientPort, dst: dst.primary, dport: NFSPort, dstHint: dst}
		v, why := c.connect(fl)
		if v == Connected {
			continue
		}
		tail := "Connection timed out"
		if v == Refused {
			tail = "Connection refused"
		}
		f := fail(CodeEFSMountUnreachable, efsReasonPrefix+"b'mount.nfs4: "+tail+"' : unsuccessful EFS utils command execution; code: 32",
			why+" (on the way to the mount target "+mt.ID+" of "+fs.ID+" at "+mt.IP.String()+":2049)", v)
		f.FileSystem, f.MountTarget, f.AvailabilityZone = fs.ID, mt.ID, mt.AvailabilityZone
		return f
	}
	return nil
}

// efsFixHint is the hint for an EFS volume that cannot be mounted, "" for
// other failures.
func efsFixHint(f *StartFailure) string {
	switch f.Code {
	case CodeEFSMountUnreachable:
		// In bridge and host mode the agent mounts from the container
		// instance's primary network interface: the mount target's group
		// must admit the instances' group, not a group of the tasks'.
		who, between := "the tasks' security group", "the tasks"
		if f.Pulls == "instance" {
			who, between = "the container instances' security group (bridge and host mode tasks mount from the instance's primary network interface)", "the container instances"
		}
		if x := f.Blocked; x != nil && x.Code == CodeSGRulesMismatch && x.Component != nil && x.Direction != "egress" {
			return "allow inbound tcp/2049 (NFS) from " + who + " on security group " + x.Component.Label() + " (the mount target's: aws efs describe-mount-target-security-groups --mount-target-id " + f.MountTarget + ")"
		}
		if x := f.Blocked; x != nil && x.Code == CodeSGRulesMismatch && x.Component != nil {
			return "allow outbound tcp/2049 (NFS) on security group " + x.Component.Label() + " to the mount target's group or the VPC's CIDR"
		}
		if x := f.Blocked; x != nil && x.Code == CodeSubnetACLRestriction && x.Component != nil {
			return "add entries to network ACL " + x.Component.Label() + " that allow tcp/2049 to the mount target and the replies to ephemeral ports (network ACLs are stateless)"
		}
		return "allow tcp/2049 (NFS) between " + between + " and the mount target " + f.MountTarget + " (security groups and network ACLs)"
	case CodeEFSNoMountTarget:
		if strings.Contains(f.Why, CustomDNSMarker) {
			return "give the VPC a DHCP options set whose domain-name-servers is AmazonProvidedDNS, or have your DNS servers forward the EFS names (efs." +
				f.VpcRegion() + ".amazonaws.com) to the Route 53 Resolver (a conditional forwarder to a Resolver inbound endpoint)"
		}
		if strings.Contains(f.Why, "enableDns") {
			return "turn on DNS resolution and DNS hostnames in the VPC (aws ec2 modify-vpc-attribute --vpc-id " + string(f.VpcID) + " --enable-dns-hostnames '{\"Value\":true}')"
		}
		if strings.Contains(f.Why, efsOtherVPCMarker) || strings.Contains(f.Why, "the private hosted zone ") {
			return "give " + efsHost(f.FileSystem, f.VpcRegion()) + " an A record to a reachable mount target in a Route 53 private hosted zone of that name associated with the VPC " + string(f.VpcID) +
				" (ECS mounts by the file system's DNS name, which resolves only in the VPC of its mount targets), and join the VPCs (a peering connection or transit gateway) with NFS (tcp/2049) allowed"
		}
		if strings.Contains(f.Why, efsOneZoneMarker) {
			return "run the tasks only in subnets of " + f.FileSystem + "'s zone (a One Zone file system has its one mount target there, and none can be created in " + f.AvailabilityZone + "), or use a Regional file system with a mount target in each zone"
		}
		if f.AvailabilityZone != "" {
			return "create a mount target of " + f.FileSystem + " in " + f.AvailabilityZone + " (aws efs create-mount-target --file-system-id " + f.FileSystem + " --subnet-id " + string(f.Subnet) + " --security-groups …), or run the tasks only in zones that have one"
		}
		return "name an EFS file system that exists in the task's Region, with a mount target in each zone the tasks run in"
	case CodeEFSAccessPointMismatch:
		return "name an access point of the file system " + f.FileSystem + " (aws efs describe-access-points --file-system-id " + f.FileSystem + ")"
	}
	return ""
}

// efsOneZoneMarker, then the zone, ends the why of a One Zone file
// system asked from another zone: its single mount target is in its own
// zone, and CreateMountTarget refuses any other (Amazon EFS User Guide,
// "Managing mount targets").
const efsOneZoneMarker = "; it is a One Zone file system, whose only mount target can be in "

// efsOtherVPCMarker ends the why of a file system whose mount targets are
// all in another VPC.
const efsOtherVPCMarker = ": all in another VPC, where its DNS name resolves"

// efsZoneMountTarget resolves a file system's DNS name from a VPC that
// has none of its mount targets through a Route 53 private hosted zone of
// that name associated with the VPC: the way to mount a file system of a
// peered VPC (or another account's) by its DNS name, as ECS does (Amazon
// EFS User Guide, "Mounting EFS file systems from another AWS account or
// VPC": the file system's DNS name resolves only in the VPC of its mount
// targets; a private hosted zone in the client's VPC answers it). The
// record's address must be a mount target of the file system; the
// Resolver answers from the zone alone (a zone without the record is
// NXDOMAIN, its why). Without such a zone, mt and why are empty.
func (n *Network) efsZoneMountTarget(fs *model.FileSystem, src *eniNode) (mt *model.MountTarget, why string) {
	st := n.st
	for _, m := range st.MountTargets {
		if m.FileSystemID == fs.ID && m.VpcID == src.eni.VpcID {
			return nil, "" // EFS answers its own name in this VPC [choice]
		}
	}
	name := efsHost(fs.ID, st.Region)
	_, private, _ := n.zonesFor(name, src.eni.VpcID, true)
	if private == nil {
		return nil, ""
	}
	zone := private.Name + " (" + string(private.ID) + ")"
	recs := addressRecords(private.Lookup(name))
	for _, r := range recs {
		for _, v := range r.Values {
			a, err := netip.ParseAddr(v)
			if err != nil {
				continue
			}
			for _, m := range st.MountTargets {
				if m.FileSystemID == fs.ID && m.IP == a && m.LifeCycleState == "available" {
					return m, ""
				}
			}
			return nil, "the private hosted zone " + zone + " answers " + name + " with " + a.String() + ", which is no available mount target of " + fs.ID
		}
	}
	return nil, "the private hosted zone " + zone + ", associated with the VPC " + n.vpcName(src.eni.VpcID) + ", has no address record for " + name + ", so it does not resolve"
}
