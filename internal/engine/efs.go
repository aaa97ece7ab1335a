package engine

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Amazon EFS: file systems, their mount targets (one per Availability
// Zone, all in one VPC, each an ENI in its subnet) and access points. The
// ECS start check (internal/reach) mounts a task's EFS volumes through the
// mount target in the task's zone on TCP 2049.

// efsErr is an EFS error: the code in X-Amzn-ErrorType and in the body's
// ErrorCode member, with the HTTP status the EFS API reference gives it.
func efsErr(status int, code, format string, args ...any) error {
	e := apierr.Newf(code, format, args...)
	e.HTTPStatus = status
	e.Fields = map[string]string{"ErrorCode": code}
	return e
}

func efsBadRequest(format string, args ...any) error {
	return efsErr(http.StatusBadRequest, "BadRequest", format, args...)
}

func fileSystemNotFound(id string) error {
	return efsErr(http.StatusNotFound, "FileSystemNotFound", "File system '%s' does not exist.", id)
}

func mountTargetNotFound(id string) error {
	return efsErr(http.StatusNotFound, "MountTargetNotFound", "Mount target '%s' does not exist.", id)
}

func accessPointNotFound(id string) error {
	return efsErr(http.StatusNotFound, "AccessPointNotFound", "Access point '%s' does not exist.", id)
}

// FileSystemARN is a file system's ARN.
func FileSystemARN(region, account, id string) string {
	return "arn:" + model.Partition(region) + ":elasticfilesystem:" + region + ":" + account + ":file-system/" + id
}

// AccessPointARN is an access point's ARN.
func AccessPointARN(region, account, id string) string {
	return "arn:" + model.Partition(region) + ":elasticfilesystem:" + region + ":" + account + ":access-point/" + id
}

// EFSResourceID returns the id an EFS operation names a resource by: the
// id itself or the id of its ARN.
func EFSResourceID(s string) string {
	if strings.HasPrefix(s, "arn:") {
		if i := strings.LastIndexByte(s, '/'); i >= 0 {
			return s[i+1:]
		}
	}
	return s
}

// AZID is the zone id of one of the region's Availability Zones ("" when
// it is not one).
func (e *Engine) AZID(name string) string {
	id, _ := e.azID(name)
	return id
}

// FileSystem returns a file system by id or ARN.
func (e *Engine) FileSystem(st *model.State, id string) (*model.FileSystem, error) {
	id = EFSResourceID(id)
	fs := st.FileSystems[id]
	if fs == nil {
		return nil, fileSystemNotFound(id)
	}
	return fs, nil
}

// MountTarget returns a mount target by id.
func (e *Engine) MountTarget(st *model.State, id string) (*model.MountTarget, error) {
	mt := st.MountTargets[id]
	if mt == nil {
		return nil, mountTargetNotFound(id)
	}
	return mt, nil
}

// AccessPoint returns an access point by id or ARN.
func (e *Engine) AccessPoint(st *model.State, id string) (*model.AccessPoint, error) {
	id = EFSResourceID(id)
	ap := st.AccessPoints[id]
	if ap == nil {
		return nil, accessPointNotFound(id)
	}
	return ap, nil
}

// MountTargetsOf returns a file system's mount targets, by id.
func MountTargetsOf(st *model.State, fsID string) []*model.MountTarget {
	var out []*model.MountTarget
	for _, mt := range st.MountTargets {
		if mt.FileSystemID == fsID {
			out = append(out, mt)
		}
	}
	slices.SortFunc(out, func(a, b *model.MountTarget) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// CreateFileSystemInput is CreateFileSystem's input.
type CreateFileSystemInput struct {
	CreationToken         string
	PerformanceMode       string
	ThroughputMode        string
	ProvisionedThroughput float64
	Encrypted             bool
	KMSKeyID              string
	AvailabilityZone      string
	Backup                bool
	Tags                  model.Tags
	// Available creates it available at once: CloudFormation and
	// Terraform wait until it is before they go on.
	Available bool
}

// CreateFileSystem creates a file system in the creating state; it becomes
// available at a later Step. A creation token already used answers
// FileSystemAlreadyExists with the existing file system's id.
func (e *Engine) CreateFileSystem(in CreateFileSystemInput) (*model.FileSystem, error) {
	if in.CreationToken == "" || len(in.CreationToken) > 64 {
		return nil, efsBadRequest("1 validation error detected: Value '%s' at 'creationToken' failed to satisfy constraint: Member must have length between 1 and 64", in.CreationToken)
	}
	in.PerformanceMode = cmp.Or(in.PerformanceMode, "generalPurpose")
	in.ThroughputMode = cmp.Or(in.ThroughputMode, "bursting")
	switch in.PerformanceMode {
	case "generalPurpose", "maxIO":
	default:
		return nil, efsBadRequest("Invalid performance mode '%s'", in.PerformanceMode)
	}
	switch in.ThroughputMode {
	case "bursting", "elastic":
		if in.ProvisionedThroughput != 0 {
			return nil, efsBadRequest("ProvisionedThroughputInMibps may only be specified when ThroughputMode is provisioned")
		}
	case "provisioned":
		if in.ProvisionedThroughput < 1 {
			return nil, efsBadRequest("ProvisionedThroughputInMibps is required when ThroughputMode is provisioned")
		}
	default:
		return nil, efsBadRequest("Invalid throughput mode '%s'", in.ThroughputMode)
	}
	if in.AvailabilityZone != "" {
		if _, ok := e.azID(in.AvailabilityZone); !ok {
			return nil, efsBadRequest("Availability Zone '%s' is not valid in this Region.", in.AvailabilityZone)
		}
		if in.PerformanceMode == "maxIO" {
			return nil, efsBadRequest("One Zone file systems support only the General Purpose performance mode.")
		}
	}
	if in.KMSKeyID != "" && !in.Encrypted {
		return nil, efsBadRequest("KmsKeyId can only be specified when Encrypted is true.")
	}
	if err := checkEFSTags(in.Tags); err != nil {
		return nil, err
	}
	var out *model.FileSystem
	err := e.write(func(t *txn) error {
		for _, fs := range t.st.FileSystems {
			if fs.CreationToken == in.CreationToken {
				err := efsErr(http.StatusConflict, "FileSystemAlreadyExists", "File system '%s' already exists with creation token '%s'", fs.ID, in.CreationToken)
				err.(*apierr.Error).Fields["FileSystemId"] = fs.ID
				return err
			}
		}
		if in.Encrypted && in.KMSKeyID == "" {
			// The account's AWS managed key for EFS, by its key ARN (as
			// DescribeFileSystems answers it), created on first use.
			in.KMSKeyID = t.awsManagedKMSKey("aws/elasticfilesystem")
		}
		backup := "DISABLED"
		if in.Backup {
			backup = "ENABLED"
		}
		out = &model.FileSystem{
			ID: t.newID("fs"), CreationToken: in.CreationToken, Created: t.now, LifeCycleState: lifeCycle(in.Available),
			PerformanceMode: in.PerformanceMode, ThroughputMode: in.ThroughputMode, ProvisionedThroughput: in.ProvisionedThroughput,
			Encrypted: in.Encrypted, KMSKeyID: in.KMSKeyID, AvailabilityZone: in.AvailabilityZone, Tags: in.Tags.Clone(),
			BackupStatus: backup, ReplicationProtection: "ENABLED",
		}
		put(t, model.KindFileSystem, t.st.FileSystems, out.ID, out)
		return nil
	})
	return out, err
}

func checkEFSTags(tags model.Tags) error {
	if len(tags) > MaxTagsPerResource {
		return efsBadRequest("Tag limit exceeded: a resource can have at most 50 tags.")
	}
	for k, v := range tags {
		if k == "" || len(k) > MaxTagKeyLen || len(v) > MaxTagValueLen {
			return efsBadRequest("Invalid tag: keys must be 1 to 128 characters long and values at most 256.")
		}
	}
	return nil
}

// changeFileSystem applies fn to a copy of a file system and stores it.
func (e *Engine) changeFileSystem(id string, fn func(t *txn, fs *model.FileSystem) error) (*model.FileSystem, error) {
	var out *model.FileSystem
	err := e.write(func(t *txn) error {
		old, err := e.FileSystem(t.st, id)
		if err != nil {
			return err
		}
		fs := *old
		fs.Tags = old.Tags.Clone()
		fs.LifecyclePolicies = slices.Clone(old.LifecyclePolicies)
		if err := fn(t, &fs); err != nil {
			return err
		}
		put(t, model.KindFileSystem, t.st.FileSystems, fs.ID, &fs)
		out = &fs
		return nil
	})
	return out, err
}

// DeleteFileSystem deletes a file system without mount targets: it is
// deleting until the next Step removes it, with its access points.
func (e *Engine) DeleteFileSystem(id string) error {
	_, err := e.changeFileSystem(id, func(t *txn, fs *model.FileSystem) error {
		if len(MountTargetsOf(t.st, fs.ID)) > 0 {
			return efsErr(http.StatusConflict, "FileSystemInUse", "File system '%s' has mount targets created in it and cannot be deleted.", fs.ID)
		}
		fs.LifeCycleState = "deleting"
		return nil
	})
	return err
}

// UpdateFileSystem changes a file system's throughput mode.
func (e *Engine) UpdateFileSystem(id, mode string, provisioned float64) (*model.FileSystem, error) {
	return e.changeFileSystem(id, func(t *txn, fs *model.FileSystem) error {
		if fs.LifeCycleState != "available" {
			return incorrectFSState(fs)
		}
		if mode != "" {
			fs.ThroughputMode = mode
		}
		if provisioned != 0 {
			fs.ProvisionedThroughput = provisioned
		}
		return nil
	})
}

func incorrectFSState(fs *model.FileSystem) error {
	return efsErr(http.StatusConflict, "IncorrectFileSystemLifeCycleState", "File system '%s' is in the '%s' state; it must be 'available'.", fs.ID, fs.LifeCycleState)
}

// PutLifecycleConfiguration replaces a file system's lifecycle policies.
func (e *Engine) PutLifecycleConfiguration(id string, policies []map[string]string) (*model.FileSystem, error) {
	for _, p := range policies {
		if len(p) != 1 {
			return nil, efsBadRequest("Each LifecyclePolicy must contain exactly one transition.")
		}
	}
	return e.changeFileSystem(id, func(t *txn, fs *model.FileSystem) error {
		fs.LifecyclePolicies = slices.Clone(policies)
		return nil
	})
}

// PutBackupPolicy turns a file system's automatic backups on or off.
func (e *Engine) PutBackupPolicy(id, status string) (*model.FileSystem, error) {
	if status != "ENABLED" && status != "DISABLED" {
		return nil, efsBadRequest("Invalid backup policy status '%s': it must be ENABLED or DISABLED.", status)
	}
	return e.changeFileSystem(id, func(t *txn, fs *model.FileSystem) error {
		fs.BackupStatus = status
		return nil
	})
}

// PutFileSystemPolicy sets a file system's resource policy ("" deletes
// it: the default policy applies again).
func (e *Engine) PutFileSystemPolicy(id, policy string) (*model.FileSystem, error) {
	if policy != "" {
		var doc struct {
			Statement json.RawMessage
		}
		if err := json.Unmarshal([]byte(policy), &doc); err != nil || len(doc.Statement) == 0 {
			return nil, efsErr(http.StatusBadRequest, "InvalidPolicyException", "Policy is not a valid JSON policy document.")
		}
	}
	return e.changeFileSystem(id, func(t *txn, fs *model.FileSystem) error {
		fs.Policy = policy
		return nil
	})
}

// TagEFSResource adds and removes tags of a file system or access point.
func (e *Engine) TagEFSResource(id string, add model.Tags, remove []string) error {
	id = EFSResourceID(id)
	if err := checkEFSTags(add); err != nil {
		return err
	}
	return e.write(func(t *txn) error {
		apply := func(tags model.Tags) model.Tags { return changeTags(tags.Clone(), add, remove) }
		if strings.HasPrefix(id, "fsap-") {
			old, err := e.AccessPoint(t.st, id)
			if err != nil {
				return err
			}
			ap := *old
			ap.Tags = apply(old.Tags)
			put(t, model.KindAccessPoint, t.st.AccessPoints, ap.ID, &ap)
			return nil
		}
		old, err := e.FileSystem(t.st, id)
		if err != nil {
			return err
		}
		fs := *old
		fs.Tags = apply(old.Tags)
		if len(fs.Tags) > MaxTagsPerResource {
			return efsBadRequest("Tag limit exceeded: a resource can have at most 50 tags.")
		}
		put(t, model.KindFileSystem, t.st.FileSystems, fs.ID, &fs)
		return nil
	})
}

// CreateMountTargetInput is CreateMountTarget's input.
type CreateMountTargetInput struct {
	FileSystemID   string
	SubnetID       model.SubnetID
	IP             string
	SecurityGroups []model.SecurityGroupID
	// Available creates it available at once (see CreateFileSystemInput).
	Available bool
}

func lifeCycle(available bool) string {
	if available {
		return "available"
	}
	return "creating"
}

// CreateMountTarget creates a file system's mount target in a subnet: an
// ENI of the subnet (requester-managed, "EFS mount target for fs-… (fsmt-…)")
// with the given security groups (the VPC's default group when none). The
// file system must be available; it has at most one mount target per
// Availability Zone, all in one VPC (MountTargetConflict); a One Zone file
// system only in its own zone.
func (e *Engine) CreateMountTarget(in CreateMountTargetInput) (*model.MountTarget, error) {
	var want netip.Addr
	if in.IP != "" {
		a, err := netip.ParseAddr(in.IP)
		if err != nil || !a.Is4() {
			return nil, efsBadRequest("Invalid IP address '%s'.", in.IP)
		}
		want = a
	}
	if len(in.SecurityGroups) > 5 {
		return nil, efsErr(http.StatusBadRequest, "SecurityGroupLimitExceeded", "A mount target can have at most 5 security groups.")
	}
	var out *model.MountTarget
	err := e.write(func(t *txn) error {
		fs, err := e.FileSystem(t.st, in.FileSystemID)
		if err != nil {
			return err
		}
		if fs.LifeCycleState != "available" {
			return incorrectFSState(fs)
		}
		sub := t.st.Subnets[in.SubnetID]
		if sub == nil {
			return efsErr(http.StatusBadRequest, "SubnetNotFound", "The subnet ID '%s' does not exist", in.SubnetID)
		}
		if fs.AvailabilityZone != "" && sub.AvailabilityZone != fs.AvailabilityZone {
			return efsErr(http.StatusBadRequest, "AvailabilityZonesMismatch",
				"The Availability Zone of subnet '%s' (%s) is not the One Zone file system's (%s).", sub.ID, sub.AvailabilityZone, fs.AvailabilityZone)
		}
		for _, mt := range MountTargetsOf(t.st, fs.ID) {
			if mt.VpcID != sub.VpcID {
				return efsErr(http.StatusConflict, "MountTargetConflict", "Mount targets of file system '%s' must all be in VPC '%s'.", fs.ID, mt.VpcID)
			}
			if mt.AvailabilityZone == sub.AvailabilityZone {
				return efsErr(http.StatusConflict, "MountTargetConflict", "mount target already exists in this AZ")
			}
		}
		for _, g := range in.SecurityGroups {
			sg := t.st.SecurityGroups[g]
			if sg == nil {
				return efsErr(http.StatusBadRequest, "SecurityGroupNotFound", "The security group '%s' does not exist", g)
			}
			if sg.VpcID != sub.VpcID {
				return efsErr(http.StatusBadRequest, "SecurityGroupNotFound", "The security group '%s' does not exist in VPC '%s'", g, sub.VpcID)
			}
		}
		id := t.newID("fsmt")
		n, err := t.newENI(eniSpec{subnet: sub, privateIP: want, groups: in.SecurityGroups,
			description: "EFS mount target for " + fs.ID + " (" + id + ")", ownerKind: model.OwnedByEFSMountTarget,
			managedBy: id, requester: efsRequesterID})
		if err != nil {
			if ae := apierr.As(err); ae.Code == "InvalidIPAddress.InUse" {
				return efsErr(http.StatusConflict, "IpAddressInUse", "Address %s is in use.", want)
			} else if strings.Contains(ae.Code, "InsufficientFreeAddresses") {
				return efsErr(http.StatusConflict, "NoFreeAddressesInSubnet", "The subnet '%s' has no free addresses.", sub.ID)
			} else if ae.Code == "InvalidParameterValue" {
				return efsBadRequest("%s", ae.Message)
			}
			return err
		}
		out = &model.MountTarget{ID: id, FileSystemID: fs.ID, SubnetID: sub.ID, VpcID: sub.VpcID, AvailabilityZone: sub.AvailabilityZone,
			IP: n.PrimaryIP(), ENI: n.ID, LifeCycleState: lifeCycle(in.Available), Created: t.now}
		put(t, model.KindMountTarget, t.st.MountTargets, out.ID, out)
		return nil
	})
	return out, err
}

// efsRequesterID is the RequesterId of a mount target's ENI [choice: the
// id of the EFS service principal's account is not documented].
const efsRequesterID = "641247547298"

// DeleteMountTarget deletes a mount target: deleting until the next Step
// removes it and its ENI.
func (e *Engine) DeleteMountTarget(id string) error {
	return e.write(func(t *txn) error {
		old, err := e.MountTarget(t.st, id)
		if err != nil {
			return err
		}
		if old.LifeCycleState == "deleting" {
			return nil
		}
		mt := *old
		mt.LifeCycleState = "deleting"
		put(t, model.KindMountTarget, t.st.MountTargets, mt.ID, &mt)
		return nil
	})
}

// ModifyMountTargetSecurityGroups replaces a mount target's security
// groups (its ENI's).
func (e *Engine) ModifyMountTargetSecurityGroups(id string, groups []model.SecurityGroupID) error {
	if len(groups) > 5 {
		return efsErr(http.StatusBadRequest, "SecurityGroupLimitExceeded", "A mount target can have at most 5 security groups.")
	}
	return e.write(func(t *txn) error {
		mt, err := e.MountTarget(t.st, id)
		if err != nil {
			return err
		}
		if mt.LifeCycleState != "available" {
			return efsErr(http.StatusConflict, "IncorrectMountTargetState", "Mount target '%s' is in the '%s' state; it must be 'available'.", mt.ID, mt.LifeCycleState)
		}
		for _, g := range groups {
			if sg := t.st.SecurityGroups[g]; sg == nil || sg.VpcID != mt.VpcID {
				return efsErr(http.StatusBadRequest, "SecurityGroupNotFound", "The security group '%s' does not exist in VPC '%s'", g, mt.VpcID)
			}
		}
		old := t.st.NetworkInterfaces[mt.ENI]
		if old == nil {
			return nil
		}
		n := cloneENI(old)
		n.SecurityGroups = slices.Clone(groups)
		if len(n.SecurityGroups) == 0 {
			n.SecurityGroups = []model.SecurityGroupID{t.st.VPCs[mt.VpcID].DefaultSecurityGroup}
		}
		t.putENI(n)
		return nil
	})
}

// CreateAccessPointInput is CreateAccessPoint's input.
type CreateAccessPointInput struct {
	ClientToken  string
	FileSystemID string
	PosixUser    *model.PosixUser
	RootPath     string
	RootCreation *model.RootCreationInfo
	Tags         model.Tags
}

// maxAccessPoints is EFS's limit of access points per file system.
const maxAccessPoints = 10000

// CreateAccessPoint creates an access point of an available file system;
// a client token already used answers AccessPointAlreadyExists.
func (e *Engine) CreateAccessPoint(in CreateAccessPointInput) (*model.AccessPoint, error) {
	if in.RootPath == "" {
		in.RootPath = "/"
	}
	if !strings.HasPrefix(in.RootPath, "/") || len(in.RootPath) > 100 {
		return nil, efsBadRequest("Invalid root directory path '%s': it must be an absolute path of at most 100 characters.", in.RootPath)
	}
	if err := checkEFSTags(in.Tags); err != nil {
		return nil, err
	}
	var out *model.AccessPoint
	err := e.write(func(t *txn) error {
		fs, err := e.FileSystem(t.st, in.FileSystemID)
		if err != nil {
			return err
		}
		if fs.LifeCycleState != "available" {
			return incorrectFSState(fs)
		}
		n := 0
		for _, ap := range t.st.AccessPoints {
			if ap.ClientToken == in.ClientToken && in.ClientToken != "" {
				err := efsErr(http.StatusConflict, "AccessPointAlreadyExists", "Access point '%s' already exists with client token '%s'.", ap.ID, in.ClientToken)
				err.(*apierr.Error).Fields["AccessPointId"] = ap.ID
				return err
			}
			if ap.FileSystemID == fs.ID {
				n++
			}
		}
		if n >= maxAccessPoints {
			return efsErr(http.StatusForbidden, "AccessPointLimitExceeded", "File system '%s' already has %d access points.", fs.ID, n)
		}
		out = &model.AccessPoint{ID: t.newID("fsap"), FileSystemID: fs.ID, ClientToken: in.ClientToken, Tags: in.Tags.Clone(),
			LifeCycleState: "available", PosixUser: in.PosixUser, RootPath: in.RootPath, RootCreation: in.RootCreation}
		put(t, model.KindAccessPoint, t.st.AccessPoints, out.ID, out)
		return nil
	})
	return out, err
}

// DeleteAccessPoint deletes an access point.
func (e *Engine) DeleteAccessPoint(id string) error {
	return e.write(func(t *txn) error {
		ap, err := e.AccessPoint(t.st, id)
		if err != nil {
			return err
		}
		del(t, model.KindAccessPoint, t.st.AccessPoints, ap.ID)
		return nil
	})
}

// stepEFS moves file systems and mount targets on: creating → available
// once due (Config.TaskStartDelay after creation), deleting → gone.
func (t *txn) stepEFS() {
	if len(t.st.FileSystems) == 0 {
		return
	}
	delay := t.e.cfg.TaskStartDelay
	for _, id := range sortedKeys(t.st.MountTargets) {
		mt := t.st.MountTargets[id]
		switch {
		case mt.LifeCycleState == "creating" && t.due(mt.Created.Add(delay)):
			c := *mt
			c.LifeCycleState = "available"
			put(t, model.KindMountTarget, t.st.MountTargets, c.ID, &c)
		case mt.LifeCycleState == "deleting":
			if t.st.NetworkInterfaces[mt.ENI] != nil {
				t.deleteENI(mt.ENI)
			}
			del(t, model.KindMountTarget, t.st.MountTargets, mt.ID)
		}
	}
	for _, id := range sortedKeys(t.st.FileSystems) {
		fs := t.st.FileSystems[id]
		switch {
		case fs.LifeCycleState == "creating" && t.due(fs.Created.Add(delay)):
			c := *fs
			c.LifeCycleState = "available"
			put(t, model.KindFileSystem, t.st.FileSystems, c.ID, &c)
		case fs.LifeCycleState == "deleting":
			for _, apID := range sortedKeys(t.st.AccessPoints) {
				if t.st.AccessPoints[apID].FileSystemID == fs.ID {
					del(t, model.KindAccessPoint, t.st.AccessPoints, apID)
				}
			}
			del(t, model.KindFileSystem, t.st.FileSystems, fs.ID)
		}
	}
}

// ForgetMountTarget removes a deleting mount target and its ENI at once:
// what a client that waits for the deletion (CloudFormation, Terraform)
// sees before it goes on.
func (e *Engine) ForgetMountTarget(id string) error {
	return e.write(func(t *txn) error {
		mt := t.st.MountTargets[id]
		if mt == nil {
			return nil
		}
		if t.st.NetworkInterfaces[mt.ENI] != nil {
			t.deleteENI(mt.ENI)
		}
		del(t, model.KindMountTarget, t.st.MountTargets, mt.ID)
		return nil
	})
}
