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
