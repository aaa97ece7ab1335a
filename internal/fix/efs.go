package fix

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// efs proposes fixes for a task whose EFS volume cannot be mounted: the
// NFS rule on the mount target's security group (from the tasks' group),
// the network ACL entry, or a mount target in the tasks' Availability
// Zone.
func (f *finder) efs(x reach.Explanation) []Fix {
	if x.Tasks == nil || x.Tasks.Failure == nil {
		return nil
	}
	sf := x.Tasks.Failure
	var out []Fix
	switch sf.Code {
	case reach.CodeEFSMountUnreachable:
		if fx, ok := f.startSecurityGroup(sf); ok {
			fx.Detail = "EFS mount targets serve NFS on TCP 2049; security groups are stateful, so one inbound rule on the mount target's group is enough."
			out = append(out, fx)
		}
		if b := sf.Blocked; b != nil && b.Code == reach.CodeSubnetACLRestriction {
			for _, fx := range f.networkACL(*b) {
				fx.score = 15
				fx.Detail += " Here the entry carries the NFS mount of the task's EFS volume (TCP 2049)."
				out = append(out, fx)
			}
		}
	case reach.CodeEFSNoMountTarget:
		if strings.Contains(sf.Why, reach.CustomDNSMarker) {
			if fx, ok := f.amazonDNS(sf.VpcID); ok {
				out = append(out, fx)
			}
		}
		if fx, ok := f.efsMountTarget(sf); ok {
			out = append(out, fx)
		}
		if fx, ok := f.efsOneZoneSubnets(x, sf); ok {
			out = append(out, fx)
		}
		if fx, ok := f.efsPeerZone(sf); ok {
			out = append(out, fx)
		}
	}
	f.restartStarts(x, out)
	return out
}

// efsMountTarget creates the file system's mount target in the failing
// task's Availability Zone: in the task's subnet, with the security groups
// of the file system's other mount targets (the VPC's default group when it
// has none).
func (f *finder) efsMountTarget(sf *reach.StartFailure) (Fix, bool) {
	fs := f.st.FileSystems[sf.FileSystem]
	sub := f.st.Subnets[sf.Subnet]
	if fs == nil || fs.LifeCycleState != "available" || sub == nil {
		return Fix{}, false
	}
	var groups []model.SecurityGroupID
	for _, mt := range engine.MountTargetsOf(f.st, fs.ID) {
		if mt.AvailabilityZone == sub.AvailabilityZone || mt.VpcID != sub.VpcID {
			// One per zone, all in one VPC: a mount target here is not
			// the missing piece (its state or the VPC's DNS is).
			return Fix{}, false
		}
		if n := f.st.NetworkInterfaces[mt.ENI]; n != nil && groups == nil {
			groups = slices.Clone(n.SecurityGroups)
		}
	}
	if v := f.st.VPCs[sub.VpcID]; v == nil || !v.EnableDNSSupport || !v.EnableDNSHostnames {
		return Fix{}, false
	}
	cmd := fmt.Sprintf("aws efs create-mount-target --file-system-id %s --subnet-id %s", fs.ID, sub.ID)
	names := ""
	if len(groups) > 0 {
		cmd += " --security-groups"
		for i, g := range groups {
			cmd += " " + string(g)
			if i > 0 {
				names += ", "
			}
			names += f.groupName(g)
		}
	}
	fsName := fs.Tags.NameOr(fs.ID)
	title := fmt.Sprintf("Create a mount target of the EFS file system %s in %s (subnet %s)", fsName, sub.AvailabilityZone, f.subnetName(sub.ID))
	scenario := fmt.Sprintf("file_systems:\n  %s:\n    mount_targets:\n      - {subnet: %s", fsName, f.subnetName(sub.ID))
	if names != "" {
		scenario += ", security_groups: [" + names + "]"
	}
	scenario += "}\n"
	return Fix{
		score: 15, Kind: "efs",
		Title:    title,
		Detail:   "A file system's DNS name resolves, in each Availability Zone, to its mount target in that zone: a task in a zone without one cannot mount the volume. Each zone that runs tasks needs a mount target (one per zone).",
		Commands: []string{cmd},
		Scenario: scenario,
		apply: func(e *engine.Engine) error {
			_, err := e.CreateMountTarget(engine.CreateMountTargetInput{FileSystemID: fs.ID, SubnetID: sub.ID, SecurityGroups: groups})
			return err
		},
	}, true
}

// efsPeerZone: the file system's mount targets are all in another VPC, so
// its DNS name does not resolve in the task's VPC; ECS mounts by that
// name only. A Route 53 private hosted zone of the name, associated with
// the task's VPC, with an A record to a mount target (the one in the
// task's zone when there is one), answers it there (Amazon EFS User
// Guide, "Mounting EFS file systems from another AWS account or VPC").
// The verification probe says whether the mount target is reachable (a
// peering connection or transit gateway, routes, security groups).
func (f *finder) efsPeerZone(sf *reach.StartFailure) (Fix, bool) {
	fs := f.st.FileSystems[sf.FileSystem]
	sub := f.st.Subnets[sf.Subnet]
	if fs == nil || fs.LifeCycleState != "available" || sub == nil {
		return Fix{}, false
	}
	var pick *model.MountTarget
	for _, mt := range engine.MountTargetsOf(f.st, fs.ID) {
		if mt.VpcID == sub.VpcID {
			return Fix{}, false
		}
		if mt.LifeCycleState != "available" {
			continue
		}
		if pick == nil || mt.AvailabilityZone == sub.AvailabilityZone && pick.AvailabilityZone != sub.AvailabilityZone {
			pick = mt
		}
	}
	if pick == nil {
		return Fix{}, false
	}
	name := fs.ID + ".efs." + f.st.Region + ".amazonaws.com"
	if model.Partition(f.st.Region) == "aws-cn" {
		name += ".cn"
	}
	for _, z := range f.st.HostedZones {
		if z.Private && z.Covers(name) && z.AssociatedWith(sub.VpcID) {
			return Fix{}, false // a zone answers already: its record is the fault
		}
	}
	vpc, ip := sub.VpcID, pick.IP.String()
	vpcName := string(vpc)
	if v := f.st.VPCs[vpc]; v != nil {
		vpcName = v.Tags.NameOr(string(vpc))
	}
	return Fix{
		score: 20, Kind: "efs",
		Title:  fmt.Sprintf("Answer %s in %s: a private hosted zone of that name with an A record to the mount target %s (%s, %s)", name, vpcPhrase(f.st, vpc), pick.ID, ip, pick.AvailabilityZone),
		Detail: "A file system's DNS name resolves only in the VPC of its mount targets, and ECS mounts a volume by that name. A Route 53 private hosted zone of the name, associated with the tasks' VPC, answers it there with a mount target's address; the mount target must be reachable (a peering connection or transit gateway with routes both ways, and its security group admitting NFS from the tasks).",
		Commands: []string{
			fmt.Sprintf("aws route53 create-hosted-zone --name %s --vpc VPCRegion=%s,VPCId=%s --caller-reference efs-%s    # → HostedZone.Id", name, f.st.Region, vpc, fs.ID),
			fmt.Sprintf(`aws route53 change-resource-record-sets --hosted-zone-id <HostedZoneId> --change-batch '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"%s","Type":"A","TTL":60,"ResourceRecords":[{"Value":"%s"}]}}]}'`, name, ip),
		},
		Scenario: fmt.Sprintf("hosted_zones:\n  %s:\n    vpcs: [%s]\n    records:\n      \"@\": {values: [%s], ttl: 60}\n", name, vpcName, ip),
		apply: func(e *engine.Engine) error {
			z, err := e.CreateHostedZone(engine.CreateHostedZoneInput{Name: name, Private: true, VPCs: []model.VpcID{vpc}})
			if err != nil {
				return err
			}
			return e.UpsertRecordSet(string(z.ID), engine.RecordSetInput{Name: name, Type: "A", TTL: 60, Values: []string{ip}})
		},
	}, true
}
