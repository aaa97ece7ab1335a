package scenario

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// fileSystemSpec is an Amazon EFS file system with its mount targets.
type fileSystemSpec struct {
	Encrypted    bool              `yaml:"encrypted"`
	OneZone      string            `yaml:"one_zone"` // a One Zone file system's Availability Zone
	MountTargets []mountTargetSpec `yaml:"mount_targets"`
	Tags         map[string]string `yaml:"tags"`
}

// mountTargetSpec is one mount target: a subnet and its security groups
// (the VPC's default group when none).
type mountTargetSpec struct {
	Subnet         string   `yaml:"subnet"`
	SecurityGroups []string `yaml:"security_groups"`
	IP             string   `yaml:"ip"`
}

// accessPointSpec is an EFS access point.
type accessPointSpec struct {
	FileSystem string `yaml:"file_system"`
	Path       string `yaml:"path"`
	UID        *int64 `yaml:"uid"`
	GID        *int64 `yaml:"gid"`
}

// volumeSpec is a task definition volume: an EFS volume when file_system
// is set (efsVolumeConfiguration), else a bind mount.
type volumeSpec struct {
	FileSystem        string `yaml:"file_system"`
	RootDirectory     string `yaml:"root_directory"`
	AccessPoint       string `yaml:"access_point"`
	TransitEncryption bool   `yaml:"transit_encryption"`
	IAM               bool   `yaml:"iam"`
}

// fileSystems creates the file systems, makes them available (one Step),
// then their mount targets and the access points.
func (b *builder) fileSystems(sp *fileSpec) error {
	if len(sp.FileSystems) == 0 && len(sp.AccessPoints) == 0 {
		return nil
	}
	for _, f := range sp.FileSystems {
		owner := "file system " + strconv.Quote(f.Name)
		fs, err := b.e.CreateFileSystem(engine.CreateFileSystemInput{CreationToken: b.s.spec.Name + "/" + f.Name, Encrypted: f.Value.Encrypted,
			AvailabilityZone: f.Value.OneZone, Tags: tags(f.Name, f.Value.Tags)})
		if err != nil {
			return b.fail(f.Line, owner, err)
		}
		b.set("file system", f.Name, fs.ID)
	}
	if err := b.e.Converge(); err != nil {
		return err
	}
	for _, f := range sp.FileSystems {
		owner := "file system " + strconv.Quote(f.Name)
		for _, m := range f.Value.MountTargets {
			line := f.line("mount_targets")
			sub, err := b.ref("subnet", m.Subnet, line, owner)
			if err != nil {
				return err
			}
			groups, err := b.groupIDs(m.SecurityGroups, line, owner)
			if err != nil {
				return err
			}
			if _, err := b.e.CreateMountTarget(engine.CreateMountTargetInput{FileSystemID: b.names["file system"][f.Name],
				SubnetID: model.SubnetID(sub), SecurityGroups: groups, IP: m.IP}); err != nil {
				return b.fail(line, owner+": mount target in "+m.Subnet, err)
			}
		}
	}
	for _, a := range sp.AccessPoints {
		owner := "access point " + strconv.Quote(a.Name)
		fs, err := b.ref("file system", a.Value.FileSystem, a.Line, owner)
		if err != nil {
			return err
		}
		in := engine.CreateAccessPointInput{ClientToken: a.Name, FileSystemID: fs, RootPath: a.Value.Path, Tags: tags(a.Name, nil)}
		if a.Value.UID != nil || a.Value.GID != nil {
			in.PosixUser = &model.PosixUser{}
			if a.Value.UID != nil {
				in.PosixUser.UID = *a.Value.UID
			}
			if a.Value.GID != nil {
				in.PosixUser.GID = *a.Value.GID
			}
		}
		ap, err := b.e.CreateAccessPoint(in)
		if err != nil {
			return b.fail(a.Line, owner, err)
		}
		b.set("access point", a.Name, ap.ID)
	}
	return b.e.Converge()
}

// taskVolumes returns a task definition's volumes as RegisterTaskDefinition
// takes them (its raw "volumes" member).
func (b *builder) taskVolumes(d entry[tdSpec], owner string) ([]any, error) {
	var out []any
	for _, v := range d.Value.Volumes {
		vol := map[string]any{"name": v.Name}
		if v.Value.FileSystem != "" {
			fs, err := b.ref("file system", v.Value.FileSystem, v.Line, owner+": volume "+strconv.Quote(v.Name))
			if err != nil {
				return nil, err
			}
			cfg := map[string]any{"fileSystemId": fs}
			if v.Value.RootDirectory != "" {
				cfg["rootDirectory"] = v.Value.RootDirectory
			}
			if v.Value.TransitEncryption {
				cfg["transitEncryption"] = "ENABLED"
			}
			auth := map[string]any{}
			if v.Value.AccessPoint != "" {
				ap, err := b.ref("access point", v.Value.AccessPoint, v.Line, owner+": volume "+strconv.Quote(v.Name))
				if err != nil {
					return nil, err
				}
				auth["accessPointId"] = ap
			}
			if v.Value.IAM {
				auth["iam"] = "ENABLED"
			}
			if len(auth) > 0 {
				cfg["authorizationConfig"] = auth
			}
			vol["efsVolumeConfiguration"] = cfg
		}
		out = append(out, vol)
	}
	return out, nil
}
