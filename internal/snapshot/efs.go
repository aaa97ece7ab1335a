package snapshot

import (
	"cmp"
	"regexp"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Amazon EFS (round thirty-four): efs describe-file-systems,
// describe-mount-targets (every file system's, merged under
// "MountTargets") and describe-access-points. A task definition's EFS
// volume is mounted through the file system's mount target in the task's
// zone, over NFS (TCP 2049) through the mount target's security groups
// (its ENI's, in describe-network-interfaces): without the file systems a
// snapshot's task that mounts one fails to start for a file system that
// "does not exist".

// efsData is what a region's files hold of Amazon EFS.
type efsData struct {
	fileSystems  []item[efsFileSystem]
	mountTargets []item[efsMountTarget]
	accessPoints []item[efsAccessPoint]
}

func (d *efsData) merge(o *efsData) {
	d.fileSystems = append(d.fileSystems, o.fileSystems...)
	d.mountTargets = append(d.mountTargets, o.mountTargets...)
	d.accessPoints = append(d.accessPoints, o.accessPoints...)
}

// efsFileSystem is describe-file-systems' FileSystemDescription.
type efsFileSystem struct {
	FileSystemId                 string   `json:"FileSystemId"`
	CreationToken                string   `json:"CreationToken,omitempty"`
	CreationTime                 awsTime  `json:"CreationTime"`
	LifeCycleState               string   `json:"LifeCycleState,omitempty"`
	PerformanceMode              string   `json:"PerformanceMode,omitempty"`
	ThroughputMode               string   `json:"ThroughputMode,omitempty"`
	ProvisionedThroughputInMibps float64  `json:"ProvisionedThroughputInMibps,omitempty"`
	Encrypted                    bool     `json:"Encrypted"`
	KmsKeyId                     string   `json:"KmsKeyId,omitempty"`
	AvailabilityZoneName         string   `json:"AvailabilityZoneName,omitempty"`
	Tags                         []ec2Tag `json:"Tags"`
	FileSystemProtection         *struct {
		ReplicationOverwriteProtection string `json:"ReplicationOverwriteProtection,omitempty"`
	} `json:"FileSystemProtection,omitempty"`
}

// efsMountTarget is describe-mount-targets' MountTargetDescription.
type efsMountTarget struct {
	MountTargetId        string `json:"MountTargetId"`
	FileSystemId         string `json:"FileSystemId"`
	SubnetId             string `json:"SubnetId,omitempty"`
	LifeCycleState       string `json:"LifeCycleState,omitempty"`
	IpAddress            string `json:"IpAddress,omitempty"`
	NetworkInterfaceId   string `json:"NetworkInterfaceId,omitempty"`
	AvailabilityZoneName string `json:"AvailabilityZoneName,omitempty"`
	VpcId                string `json:"VpcId,omitempty"`
}

// efsAccessPoint is describe-access-points' AccessPointDescription.
type efsAccessPoint struct {
	AccessPointId  string   `json:"AccessPointId"`
	FileSystemId   string   `json:"FileSystemId"`
	ClientToken    string   `json:"ClientToken,omitempty"`
	LifeCycleState string   `json:"LifeCycleState,omitempty"`
	Tags           []ec2Tag `json:"Tags"`
	PosixUser      *struct {
		Uid           int64   `json:"Uid"`
		Gid           int64   `json:"Gid"`
		SecondaryGids []int64 `json:"SecondaryGids,omitempty"`
	} `json:"PosixUser,omitempty"`
	RootDirectory *struct {
		Path         string `json:"Path,omitempty"`
		CreationInfo *struct {
			OwnerUid    int64  `json:"OwnerUid"`
			OwnerGid    int64  `json:"OwnerGid"`
			Permissions string `json:"Permissions"`
		} `json:"CreationInfo,omitempty"`
	} `json:"RootDirectory,omitempty"`
}

// dispatchEFS files away an EFS output's top-level member; handled is
// false for a key that is not one.
func (rd *regionData) dispatchEFS(f *fileInfo, data []byte, m member) (ok, handled bool) {
	d := &rd.efs
	switch m.key {
	case "FileSystems":
		return decodeList(rd, f, data, m, &d.fileSystems), true
	case "MountTargets":
		return decodeList(rd, f, data, m, &d.mountTargets), true
	case "AccessPoints":
		return decodeList(rd, f, data, m, &d.accessPoints), true
	}
	return false, false
}

// efsENIDesc is an EFS mount target's ENI's description.
var efsENIDesc = regexp.MustCompile(`^EFS mount target for (fs-[0-9a-f]+) \((fsmt-[0-9a-f]+)\)$`)

// efs builds the file systems, their mount targets (their ENIs marked as
// the mount targets') and access points.
func (b *builder) efs() {
	d := &b.rd.efs
	for _, it := range d.fileSystems {
		x := it.v
		if x.FileSystemId == "" {
			continue
		}
		fs := &model.FileSystem{ID: x.FileSystemId, CreationToken: x.CreationToken, Created: x.CreationTime.Time, LifeCycleState: cmp.Or(x.LifeCycleState, "available"),
			PerformanceMode: x.PerformanceMode, ThroughputMode: x.ThroughputMode, ProvisionedThroughput: x.ProvisionedThroughputInMibps, Encrypted: x.Encrypted,
			KMSKeyID: x.KmsKeyId, AvailabilityZone: x.AvailabilityZoneName, Tags: ec2Tags(x.Tags)}
		if p := x.FileSystemProtection; p != nil {
			fs.ReplicationProtection = p.ReplicationOverwriteProtection
		}
		b.st.FileSystems[fs.ID] = fs
	}
	for _, it := range d.mountTargets {
		x := it.v
		if x.MountTargetId == "" {
			continue
		}
		mt := &model.MountTarget{ID: x.MountTargetId, FileSystemID: x.FileSystemId, SubnetID: model.SubnetID(x.SubnetId), VpcID: model.VpcID(x.VpcId),
			AvailabilityZone: x.AvailabilityZoneName, ENI: model.NetworkInterfaceID(x.NetworkInterfaceId), LifeCycleState: cmp.Or(x.LifeCycleState, "available")}
		if a, ok := addr(x.IpAddress); ok {
			mt.IP = a
		}
		if sub := b.st.Subnets[mt.SubnetID]; sub != nil {
			mt.VpcID = cmp.Or(mt.VpcID, sub.VpcID)
			mt.AvailabilityZone = cmp.Or(mt.AvailabilityZone, sub.AvailabilityZone)
		}
		if b.st.FileSystems[mt.FileSystemID] == nil {
			b.rd.warn(it.at.warning(CodeDangling, mt.ID, "mount target "+mt.ID+" of file system "+mt.FileSystemID+
				", which the snapshot does not hold (efs describe-file-systems)"))
		}
		if n := b.st.NetworkInterfaces[mt.ENI]; n != nil {
			n.OwnerKind, n.ManagedBy = model.OwnedByEFSMountTarget, mt.ID
		} else if mt.ENI != "" && !b.missing("NetworkInterfaces") {
			b.rd.warn(it.at.warning(CodeDangling, mt.ID, "mount target "+mt.ID+"'s ENI "+string(mt.ENI)+
				" is not in ec2 describe-network-interfaces: its security groups are unknown, and NFS to it is refused"))
		}
		b.st.MountTargets[mt.ID] = mt
	}
	for _, it := range d.accessPoints {
		x := it.v
		if x.AccessPointId == "" {
			continue
		}
		ap := &model.AccessPoint{ID: x.AccessPointId, FileSystemID: x.FileSystemId, ClientToken: x.ClientToken, Tags: ec2Tags(x.Tags),
			LifeCycleState: cmp.Or(x.LifeCycleState, "available"), RootPath: "/"}
		if u := x.PosixUser; u != nil {
			ap.PosixUser = &model.PosixUser{UID: u.Uid, GID: u.Gid, SecondaryGIDs: u.SecondaryGids}
		}
		if r := x.RootDirectory; r != nil {
			ap.RootPath = cmp.Or(r.Path, "/")
			if c := r.CreationInfo; c != nil {
				ap.RootCreation = &model.RootCreationInfo{OwnerUID: c.OwnerUid, OwnerGID: c.OwnerGid, Permissions: c.Permissions}
			}
		}
		b.st.AccessPoints[ap.ID] = ap
	}
	b.efsMissing()
}

// efsMissing warns, when the snapshot has no efs describe-file-systems
// output, of each task definition that mounts an EFS volume: its file
// system reads as one that does not exist.
func (b *builder) efsMissing() {
	if b.rd.seen["FileSystems"] {
		return
	}
	for _, td := range sortedValues(b.st.TaskDefinitions) {
		vols, _ := td.Raw["volumes"].([]any)
		for _, v := range vols {
			if m, _ := v.(map[string]any); m != nil && m["efsVolumeConfiguration"] != nil {
				b.rd.warn(Warning{Code: CodeMissing, Resource: td.ARN, Message: "no efs describe-file-systems output: the EFS file systems task definitions mount (" + td.Family +
					"'s, …) are unknown: their tasks' mounts are reported as failing (the file system does not exist)"})
				return
			}
		}
	}
}

// efsFiles adds the EFS outputs to a snapshot's files, when the state
// has file systems.
func (w *writer) efsFiles(files map[string]any) {
	st := w.st
	if len(st.FileSystems) == 0 {
		return
	}
	fss := []efsFileSystem{}
	for _, k := range sortedKeys(st.FileSystems) {
		fs := st.FileSystems[k]
		x := efsFileSystem{FileSystemId: fs.ID, CreationToken: fs.CreationToken, CreationTime: awsTime{fs.Created}, LifeCycleState: fs.LifeCycleState,
			PerformanceMode: fs.PerformanceMode, ThroughputMode: fs.ThroughputMode, ProvisionedThroughputInMibps: fs.ProvisionedThroughput, Encrypted: fs.Encrypted,
			KmsKeyId: fs.KMSKeyID, AvailabilityZoneName: fs.AvailabilityZone, Tags: tagsOut(fs.Tags)}
		if fs.ReplicationProtection != "" {
			x.FileSystemProtection = &struct {
				ReplicationOverwriteProtection string `json:"ReplicationOverwriteProtection,omitempty"`
			}{fs.ReplicationProtection}
		}
		fss = append(fss, x)
	}
	mts := []efsMountTarget{}
	for _, k := range sortedKeys(st.MountTargets) {
		mt := st.MountTargets[k]
		x := efsMountTarget{MountTargetId: mt.ID, FileSystemId: mt.FileSystemID, SubnetId: string(mt.SubnetID), LifeCycleState: mt.LifeCycleState,
			NetworkInterfaceId: string(mt.ENI), AvailabilityZoneName: mt.AvailabilityZone, VpcId: string(mt.VpcID)}
		if mt.IP.IsValid() {
			x.IpAddress = mt.IP.String()
		}
		mts = append(mts, x)
	}
	aps := []efsAccessPoint{}
	for _, k := range sortedKeys(st.AccessPoints) {
		ap := st.AccessPoints[k]
		x := efsAccessPoint{AccessPointId: ap.ID, FileSystemId: ap.FileSystemID, ClientToken: ap.ClientToken, LifeCycleState: ap.LifeCycleState, Tags: tagsOut(ap.Tags)}
		if u := ap.PosixUser; u != nil {
			x.PosixUser = &struct {
				Uid           int64   `json:"Uid"`
				Gid           int64   `json:"Gid"`
				SecondaryGids []int64 `json:"SecondaryGids,omitempty"`
			}{u.UID, u.GID, u.SecondaryGIDs}
		}
		x.RootDirectory = &struct {
			Path         string `json:"Path,omitempty"`
			CreationInfo *struct {
				OwnerUid    int64  `json:"OwnerUid"`
				OwnerGid    int64  `json:"OwnerGid"`
				Permissions string `json:"Permissions"`
			} `json:"CreationInfo,omitempty"`
		}{Path: ap.RootPath}
		if c := ap.RootCreation; c != nil {
			x.RootDirectory.CreationInfo = &struct {
				OwnerUid    int64  `json:"OwnerUid"`
				OwnerGid    int64  `json:"OwnerGid"`
				Permissions string `json:"Permissions"`
			}{c.OwnerUID, c.OwnerGID, c.Permissions}
		}
		aps = append(aps, x)
	}
	files["efs-describe-file-systems.json"] = map[string]any{"FileSystems": fss}
	files["efs-describe-mount-targets.json"] = map[string]any{"MountTargets": mts}
	files["efs-describe-access-points.json"] = map[string]any{"AccessPoints": aps}
}
