package cfn

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Amazon EFS: a file system, its mount targets and access points are
// created, because an ECS task's EFS volume mounts only through a mount
// target in the task's Availability Zone that admits NFS (internal/reach).
// CloudFormation waits until each is available. Ref: the file system's,
// mount target's and access point's id; Fn::GetAtt FileSystemId and Arn
// (file system), Id and IpAddress (mount target), AccessPointId and Arn
// (access point).
const (
	typeFileSystem  = "AWS::EFS::FileSystem"
	typeMountTarget = "AWS::EFS::MountTarget"
	typeAccessPoint = "AWS::EFS::AccessPoint"
)

// efsTags reads a tag list property ([{Key, Value}]: FileSystemTags,
// AccessPointTags) with CloudFormation's own tags added.
func (o obj) efsTags(key string) (model.Tags, error) {
	out, err := o.tagListOf(key)
	if err != nil {
		return nil, err
	}
	o.c.stackTags(out)
	o.c.nameTag(out)
	return out, nil
}

func createFileSystem(c *rctx) error {
	p := c.p
	var in engine.CreateFileSystemInput
	var err error
	if in.PerformanceMode, err = p.str("PerformanceMode"); err != nil {
		return err
	}
	if in.ThroughputMode, err = p.str("ThroughputMode"); err != nil {
		return err
	}
	if p.has("ProvisionedThroughputInMibps") {
		if in.ProvisionedThroughput, err = p.number("ProvisionedThroughputInMibps"); err != nil {
			return err
		}
	}
	if b, err := p.boolean("Encrypted"); err != nil {
		return err
	} else if b != nil {
		in.Encrypted = *b
	}
	if in.KMSKeyID, err = p.str("KmsKeyId"); err != nil {
		return err
	}
	if in.AvailabilityZone, err = p.str("AvailabilityZoneName"); err != nil {
		return err
	}
	if in.Tags, err = p.efsTags("FileSystemTags"); err != nil {
		return err
	}
	backup, err := p.object("BackupPolicy")
	if err != nil {
		return err
	}
	status, err := backup.str("Status")
	if err != nil {
		return err
	}
	policy, err := p.policyDocument("FileSystemPolicy", false)
	if err != nil {
		return err
	}
	lifecycle, err := p.objects("LifecyclePolicies")
	if err != nil {
		return err
	}
	var policies []map[string]string
	for _, l := range lifecycle {
		m := map[string]string{}
		for _, k := range []string{"TransitionToIA", "TransitionToPrimaryStorageClass", "TransitionToArchive"} {
			v, err := l.str(k)
			if err != nil {
				return err
			}
			if v != "" {
				m[k] = v
			}
		}
		policies = append(policies, m)
	}
	in.CreationToken = c.s.physicalName(c.r.def.name, 64)
	in.Available = true
	e := c.e()
	fs, err := e.CreateFileSystem(in)
	if err != nil {
		return p.at("PerformanceMode", err)
	}
	undo := func(key string, err error) error {
		_ = e.DeleteFileSystem(fs.ID)
		return p.at(key, err)
	}
	if status != "" {
		if _, err := e.PutBackupPolicy(fs.ID, status); err != nil {
			return undo("BackupPolicy", err)
		}
	}
	if policy != "" {
		if _, err := e.PutFileSystemPolicy(fs.ID, policy); err != nil {
			return undo("FileSystemPolicy", err)
		}
	}
	if len(policies) > 0 {
		if _, err := e.PutLifecycleConfiguration(fs.ID, policies); err != nil {
			return undo("LifecyclePolicies", err)
		}
	}
	cfg := e.Config()
	c.setRef(fs.ID)
	c.set("FileSystemId", fs.ID)
	c.set("Arn", engine.FileSystemARN(cfg.Region, cfg.Account, fs.ID))
	return nil
}

func createMountTarget(c *rctx) error {
	p := c.p
	fs, err := p.req("FileSystemId")
	if err != nil {
		return err
	}
	subnet, err := p.req("SubnetId")
	if err != nil {
		return err
	}
	groups, err := p.strs("SecurityGroups")
	if err != nil {
		return err
	}
	if len(groups) == 0 {
		return p.missing("SecurityGroups")
	}
	ip, err := p.str("IpAddress")
	if err != nil {
		return err
	}
	in := engine.CreateMountTargetInput{FileSystemID: fs, SubnetID: model.SubnetID(subnet), IP: ip, Available: true}
	for _, g := range groups {
		in.SecurityGroups = append(in.SecurityGroups, model.SecurityGroupID(g))
	}
	mt, err := c.e().CreateMountTarget(in)
	if err != nil {
		return p.at("SubnetId", err)
	}
	c.setRef(mt.ID)
	c.set("Id", mt.ID)
	c.set("IpAddress", mt.IP.String())
	return nil
}

// posixID reads a POSIX user or group id, which the resource writes as a
// string ("1000").
func posixID(o obj, key string) (int64, error) {
	s, err := o.req(key)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, o.invalid(key, "expected a POSIX id (0 or more), found %q", s)
	}
	return n, nil
}

func createAccessPoint(c *rctx) error {
	p := c.p
	fs, err := p.req("FileSystemId")
	if err != nil {
		return err
	}
	in := engine.CreateAccessPointInput{FileSystemID: fs}
	if in.ClientToken, err = p.str("ClientToken"); err != nil {
		return err
	}
	if in.Tags, err = p.efsTags("AccessPointTags"); err != nil {
		return err
	}
	if p.has("PosixUser") {
		u, err := p.object("PosixUser")
		if err != nil {
			return err
		}
		pu := &model.PosixUser{}
		if pu.UID, err = posixID(u, "Uid"); err != nil {
			return err
		}
		if pu.GID, err = posixID(u, "Gid"); err != nil {
			return err
		}
		gids, err := u.strs("SecondaryGids")
		if err != nil {
			return err
		}
		for _, g := range gids {
			n, err := strconv.ParseInt(g, 10, 64)
			if err != nil {
				return u.invalid("SecondaryGids", "expected POSIX group ids, found %q", g)
			}
			pu.SecondaryGIDs = append(pu.SecondaryGIDs, n)
		}
		in.PosixUser = pu
	}
	if p.has("RootDirectory") {
		rd, err := p.object("RootDirectory")
		if err != nil {
			return err
		}
		if in.RootPath, err = rd.str("Path"); err != nil {
			return err
		}
		if rd.has("CreationInfo") {
			ci, err := rd.object("CreationInfo")
			if err != nil {
				return err
			}
			info := &model.RootCreationInfo{}
			if info.OwnerUID, err = posixID(ci, "OwnerUid"); err != nil {
				return err
			}
			if info.OwnerGID, err = posixID(ci, "OwnerGid"); err != nil {
				return err
			}
			if info.Permissions, err = ci.req("Permissions"); err != nil {
				return err
			}
			in.RootCreation = info
		}
	}
	e := c.e()
	ap, err := e.CreateAccessPoint(in)
	if err != nil {
		return p.at("FileSystemId", err)
	}
	cfg := e.Config()
	c.setRef(ap.ID)
	c.set("AccessPointId", ap.ID)
	c.set("Arn", engine.AccessPointARN(cfg.Region, cfg.Account, ap.ID))
	return nil
}

// deleteEFS deletes an EFS resource of the stack; one deleted outside the
// stack is gone already.
func deleteEFS(e *engine.Engine, typ, id string) error {
	var err error
	switch typ {
	case typeFileSystem:
		err = e.DeleteFileSystem(id)
	case typeMountTarget:
		err = e.DeleteMountTarget(id)
		if err == nil {
			// CloudFormation waits until the mount target is gone, so the
			// file system can be deleted next.
			err = e.ForgetMountTarget(id)
		}
	case typeAccessPoint:
		err = e.DeleteAccessPoint(id)
	}
	if apierr.HasCode(err, "FileSystemNotFound") || apierr.HasCode(err, "MountTargetNotFound") || apierr.HasCode(err, "AccessPointNotFound") {
		return nil
	}
	return err
}
