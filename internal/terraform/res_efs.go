package terraform

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Amazon EFS: file systems, mount targets and access points are created,
// because an ECS task's EFS volume mounts only through a mount target in
// the task's Availability Zone that admits NFS (internal/reach). The
// provider waits until each is available.

// aws_efs_file_system: id is the file system's id; arn, dns_name,
// number_of_mount_targets, owner_id and the settings are EFS's.
func createFileSystem(c *rctx) error {
	o := c.o
	token := o.str("creation_token")
	if token == "" {
		token = c.nameOr(64, "terraform-")
	}
	in := engine.CreateFileSystemInput{CreationToken: token, PerformanceMode: o.str("performance_mode"), ThroughputMode: o.str("throughput_mode"),
		Encrypted: o.flag("encrypted"), KMSKeyID: o.str("kms_key_id"), AvailabilityZone: o.str("availability_zone_name"),
		Tags: c.plainTags(), Available: true}
	if s := o.str("provisioned_throughput_in_mibps"); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return c.errf("provisioned_throughput_in_mibps", "provisioned_throughput_in_mibps %q is not a number", s)
		}
		in.ProvisionedThroughput = f
	}
	e := c.e()
	fs, err := e.CreateFileSystem(in)
	if err != nil {
		return c.fail("creation_token", err)
	}
	var policies []map[string]string
	for _, p := range o.blocks("lifecycle_policy") {
		m := map[string]string{}
		for tf, api := range map[string]string{"transition_to_ia": "TransitionToIA", "transition_to_primary_storage_class": "TransitionToPrimaryStorageClass",
			"transition_to_archive": "TransitionToArchive"} {
			if v := p.str(tf); v != "" {
				m[api] = v
			}
		}
		policies = append(policies, m)
	}
	if len(policies) > 0 {
		if _, err := e.PutLifecycleConfiguration(fs.ID, policies); err != nil {
			return c.fail("lifecycle_policy", err)
		}
	}
	cfg := e.Config()
	c.created(fs.ID, fs.Tags.Name())
	c.set("arn", engine.FileSystemARN(cfg.Region, cfg.Account, fs.ID))
	c.set("dns_name", fs.ID+".efs."+cfg.Region+".amazonaws.com")
	c.set("creation_token", token)
	c.set("owner_id", cfg.Account)
	c.set("performance_mode", fs.PerformanceMode)
	c.set("throughput_mode", fs.ThroughputMode)
	c.set("number_of_mount_targets", "0")
	if fs.KMSKeyID != "" {
		c.set("kms_key_id", fs.KMSKeyID)
	}
	return nil
}

// aws_efs_mount_target: id is the mount target's id; ip_address,
// network_interface_id, availability_zone_name, availability_zone_id,
// dns_name, mount_target_dns_name, file_system_arn and owner_id are EFS's.
func createMountTarget(c *rctx) error {
	fs, err := c.req("file_system_id")
	if err != nil {
		return err
	}
	subnet, err := c.req("subnet_id")
	if err != nil {
		return err
	}
	in := engine.CreateMountTargetInput{FileSystemID: fs, SubnetID: model.SubnetID(subnet), IP: c.o.str("ip_address"), Available: true}
	for _, g := range c.o.strs("security_groups") {
		in.SecurityGroups = append(in.SecurityGroups, model.SecurityGroupID(g))
	}
	e := c.e()
	mt, err := e.CreateMountTarget(in)
	if err != nil {
		return c.fail("subnet_id", err)
	}
	cfg := e.Config()
	c.created(mt.ID, "")
	c.set("ip_address", mt.IP.String())
	c.set("network_interface_id", string(mt.ENI))
	c.set("availability_zone_name", mt.AvailabilityZone)
	c.set("availability_zone_id", e.AZID(mt.AvailabilityZone))
	c.set("dns_name", fs+".efs."+cfg.Region+".amazonaws.com")
	c.set("mount_target_dns_name", mt.AvailabilityZone+"."+fs+".efs."+cfg.Region+".amazonaws.com")
	c.set("file_system_arn", engine.FileSystemARN(cfg.Region, cfg.Account, fs))
	c.set("owner_id", cfg.Account)
	return nil
}

// aws_efs_access_point: id is the access point's id; arn,
// file_system_arn and owner_id are EFS's.
func createAccessPoint(c *rctx) error {
	fs, err := c.req("file_system_id")
	if err != nil {
		return err
	}
	in := engine.CreateAccessPointInput{FileSystemID: fs, Tags: c.plainTags()}
	if u := c.o.block("posix_user"); u.has("uid") {
		pu := &model.PosixUser{}
		var err error
		if pu.UID, err = int64Of(c, u, "uid"); err != nil {
			return err
		}
		if pu.GID, err = int64Of(c, u, "gid"); err != nil {
			return err
		}
		for _, g := range u.strs("secondary_gids") {
			n, err := strconv.ParseInt(g, 10, 64)
			if err != nil {
				return c.errf("posix_user", "secondary_gids: %q is not a group id", g)
			}
			pu.SecondaryGIDs = append(pu.SecondaryGIDs, n)
		}
		in.PosixUser = pu
	}
	if rd := c.o.block("root_directory"); rd.has("path") || rd.has("creation_info") {
		in.RootPath = rd.str("path")
		if ci := rd.block("creation_info"); ci.has("owner_uid") {
			info := &model.RootCreationInfo{Permissions: ci.str("permissions")}
			var err error
			if info.OwnerUID, err = int64Of(c, ci, "owner_uid"); err != nil {
				return err
			}
			if info.OwnerGID, err = int64Of(c, ci, "owner_gid"); err != nil {
				return err
			}
			in.RootCreation = info
		}
	}
	e := c.e()
	ap, err := e.CreateAccessPoint(in)
	if err != nil {
		return c.fail("file_system_id", err)
	}
	cfg := e.Config()
	c.created(ap.ID, "")
	c.set("arn", engine.AccessPointARN(cfg.Region, cfg.Account, ap.ID))
	c.set("file_system_arn", engine.FileSystemARN(cfg.Region, cfg.Account, ap.FileSystemID))
	c.set("owner_id", cfg.Account)
	return nil
}

func int64Of(c *rctx, o obj, k string) (int64, error) {
	n, err := strconv.ParseInt(o.str(k), 10, 64)
	if err != nil {
		return 0, c.errf(k, "%s %q is not a POSIX id", k, o.str(k))
	}
	return n, nil
}

// aws_efs_file_system_policy: a file system's policy; id is the file
// system's id.
func createFileSystemPolicy(c *rctx) error {
	fs, err := c.req("file_system_id")
	if err != nil {
		return err
	}
	policy, err := c.req("policy")
	if err != nil {
		return err
	}
	if _, err := c.e().PutFileSystemPolicy(fs, policy); err != nil {
		return c.fail("policy", err)
	}
	c.created(fs, "")
	return nil
}

// aws_efs_backup_policy: a file system's automatic backups; id is the file
// system's id.
func createBackupPolicy(c *rctx) error {
	fs, err := c.req("file_system_id")
	if err != nil {
		return err
	}
	if _, err := c.e().PutBackupPolicy(fs, c.o.block("backup_policy").str("status")); err != nil {
		return c.fail("backup_policy", err)
	}
	c.created(fs, "")
	return nil
}
