// Package efs serves Amazon Elastic File System (REST-JSON) as far as ECS
// task volumes use it: file systems, mount targets (an ENI each, in one
// subnet per Availability Zone), their security groups, access points,
// tags, lifecycle, backup and file system policies. A task whose EFS volume
// cannot be mounted stops with ResourceInitializationError (internal/reach's
// start check).
package efs

import (
	"net/http"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the EFS handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("efs", op, h) }
	add("CreateFileSystem", createFileSystem)
	add("DescribeFileSystems", describeFileSystems)
	add("DeleteFileSystem", deleteFileSystem)
	add("UpdateFileSystem", updateFileSystem)
	add("CreateMountTarget", createMountTarget)
	add("DescribeMountTargets", describeMountTargets)
	add("DeleteMountTarget", deleteMountTarget)
	add("DescribeMountTargetSecurityGroups", describeMountTargetSecurityGroups)
	add("ModifyMountTargetSecurityGroups", modifyMountTargetSecurityGroups)
	add("CreateAccessPoint", createAccessPoint)
	add("DescribeAccessPoints", describeAccessPoints)
	add("DeleteAccessPoint", deleteAccessPoint)
	add("TagResource", tagResource)
	add("UntagResource", untagResource)
	add("ListTagsForResource", listTagsForResource)
	add("CreateTags", createTags)
	add("DeleteTags", deleteTags)
	add("DescribeTags", describeTags)
	add("PutLifecycleConfiguration", putLifecycleConfiguration)
	add("DescribeLifecycleConfiguration", describeLifecycleConfiguration)
	add("PutBackupPolicy", putBackupPolicy)
	add("DescribeBackupPolicy", describeBackupPolicy)
	add("PutFileSystemPolicy", putFileSystemPolicy)
	add("DescribeFileSystemPolicy", describeFileSystemPolicy)
	add("DeleteFileSystemPolicy", deleteFileSystemPolicy)
}

func badRequest(msg string) error {
	return &apierr.Error{Code: "BadRequest", Message: msg, HTTPStatus: http.StatusBadRequest, Fields: map[string]string{"ErrorCode": "BadRequest"}}
}

func tagsIn(c *api.Call) model.Tags { return api.KeyValues(c.In.Structs("Tags"), "Key", "Value") }

func tagsOut(tags model.Tags) []map[string]any {
	out := api.TagList(tags, "Key", "Value")
	if out == nil {
		out = []map[string]any{}
	}
	return out
}

func fsOut(c *api.Call, st *model.State, fs *model.FileSystem) map[string]any {
	n := 0
	for _, mt := range st.MountTargets {
		if mt.FileSystemID == fs.ID {
			n++
		}
	}
	out := map[string]any{
		"OwnerId": c.Account, "CreationToken": fs.CreationToken, "FileSystemId": fs.ID,
		"FileSystemArn": engine.FileSystemARN(c.Region, c.Account, fs.ID), "CreationTime": fs.Created.UTC(),
		"LifeCycleState": fs.LifeCycleState, "NumberOfMountTargets": n,
		"SizeInBytes":     map[string]any{"Value": 6144, "ValueInStandard": 6144, "ValueInIA": 0, "ValueInArchive": 0},
		"PerformanceMode": fs.PerformanceMode, "Encrypted": fs.Encrypted, "ThroughputMode": fs.ThroughputMode,
		"Tags":                 tagsOut(fs.Tags),
		"FileSystemProtection": map[string]any{"ReplicationOverwriteProtection": fs.ReplicationProtection},
	}
	if name := fs.Name(); name != "" {
		out["Name"] = name
	}
	if fs.KMSKeyID != "" {
		out["KmsKeyId"] = fs.KMSKeyID
	}
	if fs.ThroughputMode == "provisioned" {
		out["ProvisionedThroughputInMibps"] = fs.ProvisionedThroughput
	}
	if fs.AvailabilityZone != "" {
		out["AvailabilityZoneName"] = fs.AvailabilityZone
		out["AvailabilityZoneId"] = c.Engine.AZID(fs.AvailabilityZone)
	}
	return out
}

func createFileSystem(c *api.Call) (map[string]any, error) {
	fs, err := c.Engine.CreateFileSystem(engine.CreateFileSystemInput{
		CreationToken: c.In.String("CreationToken"), PerformanceMode: c.In.String("PerformanceMode"),
		ThroughputMode: c.In.String("ThroughputMode"), ProvisionedThroughput: c.In.Float("ProvisionedThroughputInMibps"),
		Encrypted: c.In.Bool("Encrypted"), KMSKeyID: c.In.String("KmsKeyId"), AvailabilityZone: c.In.String("AvailabilityZoneName"),
		Backup: c.In.Bool("Backup"), Tags: tagsIn(c),
	})
	if err != nil {
		return nil, err
	}
	return c.View(func(st *model.State) map[string]any { return fsOut(c, st, fs) }), nil
}

// maxItems reads a MaxItems or MaxResults page size (at least 1; EFS's
// default is 100).
func maxItems(c *api.Call, name string) (int, error) {
	if !c.In.Has(name) {
		return 100, nil
	}
	n := c.In.Int(name)
	if n < 1 {
		return 0, badRequest("1 validation error detected: Value '" + strconv.FormatInt(n, 10) + "' at '" + lowerFirst(name) + "' failed to satisfy constraint: Member must have value greater than or equal to 1")
	}
	return int(min(n, 1000)), nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

func invalidMarker() error { return badRequest("Invalid pagination marker.") }

func describeFileSystems(c *api.Call) (map[string]any, error) {
	limit, err := maxItems(c, "MaxItems")
	if err != nil {
		return nil, err
	}
	id, token := c.In.String("FileSystemId"), c.In.String("CreationToken")
	if id != "" && token != "" {
		return nil, badRequest("Only one of FileSystemId and CreationToken may be given.")
	}
	var res map[string]any
	c.Engine.Read(func(st *model.State) {
		var list []*model.FileSystem
		switch {
		case id != "":
			fs, e := c.Engine.FileSystem(st, id)
			if e != nil {
				err = e
				return
			}
			list = append(list, fs)
		default:
			for _, fs := range st.FileSystems {
				if token == "" || fs.CreationToken == token {
					list = append(list, fs)
				}
			}
		}
		page, next, ok := api.Paginate(list, func(f *model.FileSystem) string { return f.ID }, c.In.String("Marker"), limit)
		if !ok {
			err = invalidMarker()
			return
		}
		out := make([]map[string]any, len(page))
		for i, fs := range page {
			out[i] = fsOut(c, st, fs)
		}
		res = map[string]any{"FileSystems": out}
		if m := c.In.String("Marker"); m != "" {
			res["Marker"] = m
		}
		if next != "" {
			res["NextMarker"] = next
		}
	})
	return res, err
}

func deleteFileSystem(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteFileSystem(c.In.String("FileSystemId"))
}

func updateFileSystem(c *api.Call) (map[string]any, error) {
	fs, err := c.Engine.UpdateFileSystem(c.In.String("FileSystemId"), c.In.String("ThroughputMode"), c.In.Float("ProvisionedThroughputInMibps"))
	if err != nil {
		return nil, err
	}
	return c.View(func(st *model.State) map[string]any { return fsOut(c, st, fs) }), nil
}

func mtOut(c *api.Call, mt *model.MountTarget) map[string]any {
	return map[string]any{
		"OwnerId": c.Account, "MountTargetId": mt.ID, "FileSystemId": mt.FileSystemID, "SubnetId": string(mt.SubnetID),
		"LifeCycleState": mt.LifeCycleState, "IpAddress": mt.IP.String(), "NetworkInterfaceId": string(mt.ENI),
		"AvailabilityZoneId": c.Engine.AZID(mt.AvailabilityZone), "AvailabilityZoneName": mt.AvailabilityZone, "VpcId": string(mt.VpcID),
	}
}

func groupsIn(c *api.Call) []model.SecurityGroupID {
	var out []model.SecurityGroupID
	for _, g := range c.In.Strings("SecurityGroups") {
		out = append(out, model.SecurityGroupID(g))
	}
	return out
}

func createMountTarget(c *api.Call) (map[string]any, error) {
	mt, err := c.Engine.CreateMountTarget(engine.CreateMountTargetInput{
		FileSystemID: c.In.String("FileSystemId"), SubnetID: model.SubnetID(c.In.String("SubnetId")),
		IP: c.In.String("IpAddress"), SecurityGroups: groupsIn(c),
	})
	if err != nil {
		return nil, err
	}
	return mtOut(c, mt), nil
}

func describeMountTargets(c *api.Call) (map[string]any, error) {
	limit, err := maxItems(c, "MaxItems")
	if err != nil {
		return nil, err
	}
	fsID, mtID, apID := c.In.String("FileSystemId"), c.In.String("MountTargetId"), c.In.String("AccessPointId")
	given := 0
	for _, s := range []string{fsID, mtID, apID} {
		if s != "" {
			given++
		}
	}
	if given != 1 {
		return nil, badRequest("Exactly one of FileSystemId, MountTargetId and AccessPointId must be given.")
	}
	var res map[string]any
	c.Engine.Read(func(st *model.State) {
		var list []*model.MountTarget
		switch {
		case mtID != "":
			mt, e := c.Engine.MountTarget(st, mtID)
			if e != nil {
				err = e
				return
			}
			list = append(list, mt)
		default:
			if apID != "" {
				ap, e := c.Engine.AccessPoint(st, apID)
				if e != nil {
					err = e
					return
				}
				fsID = ap.FileSystemID
			}
			fs, e := c.Engine.FileSystem(st, fsID)
			if e != nil {
				err = e
				return
			}
			list = engine.MountTargetsOf(st, fs.ID)
		}
		page, next, ok := api.Paginate(list, func(m *model.MountTarget) string { return m.ID }, c.In.String("Marker"), limit)
		if !ok {
			err = invalidMarker()
			return
		}
		out := make([]map[string]any, len(page))
		for i, mt := range page {
			out[i] = mtOut(c, mt)
		}
		res = map[string]any{"MountTargets": out}
		if m := c.In.String("Marker"); m != "" {
			res["Marker"] = m
		}
		if next != "" {
			res["NextMarker"] = next
		}
	})
	return res, err
}

func deleteMountTarget(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteMountTarget(c.In.String("MountTargetId"))
}

func describeMountTargetSecurityGroups(c *api.Call) (map[string]any, error) {
	var res map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		mt, e := c.Engine.MountTarget(st, c.In.String("MountTargetId"))
		if e != nil {
			err = e
			return
		}
		if mt.LifeCycleState != "available" {
			err = &apierr.Error{Code: "IncorrectMountTargetState", HTTPStatus: http.StatusConflict, Fields: map[string]string{"ErrorCode": "IncorrectMountTargetState"},
				Message: "Mount target '" + mt.ID + "' is in the '" + mt.LifeCycleState + "' state; it must be 'available'."}
			return
		}
		groups := []string{}
		if n := st.NetworkInterfaces[mt.ENI]; n != nil {
			groups = api.Strs(n.SecurityGroups)
		}
		res = map[string]any{"SecurityGroups": groups}
	})
	return res, err
}

func modifyMountTargetSecurityGroups(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.ModifyMountTargetSecurityGroups(c.In.String("MountTargetId"), groupsIn(c))
}

func apOut(c *api.Call, ap *model.AccessPoint) map[string]any {
	root := map[string]any{"Path": ap.RootPath}
	if ci := ap.RootCreation; ci != nil {
		root["CreationInfo"] = map[string]any{"OwnerUid": ci.OwnerUID, "OwnerGid": ci.OwnerGID, "Permissions": ci.Permissions}
	}
	out := map[string]any{
		"ClientToken": ap.ClientToken, "Tags": tagsOut(ap.Tags), "AccessPointId": ap.ID,
		"AccessPointArn": engine.AccessPointARN(c.Region, c.Account, ap.ID), "FileSystemId": ap.FileSystemID,
		"RootDirectory": root, "OwnerId": c.Account, "LifeCycleState": ap.LifeCycleState,
	}
	if name := ap.Tags["Name"]; name != "" {
		out["Name"] = name
	}
	if u := ap.PosixUser; u != nil {
		pu := map[string]any{"Uid": u.UID, "Gid": u.GID}
		if len(u.SecondaryGIDs) > 0 {
			pu["SecondaryGids"] = u.SecondaryGIDs
		}
		out["PosixUser"] = pu
	}
	return out
}

func int64s(list []any) []int64 {
	out := make([]int64, 0, len(list))
	for _, v := range list {
		if n, ok := v.(int64); ok {
			out = append(out, n)
		}
	}
	return out
}

func createAccessPoint(c *api.Call) (map[string]any, error) {
	in := engine.CreateAccessPointInput{ClientToken: c.In.String("ClientToken"), FileSystemID: c.In.String("FileSystemId"), Tags: tagsIn(c)}
	if c.In.Has("PosixUser") {
		pu := c.In.Struct("PosixUser")
		in.PosixUser = &model.PosixUser{UID: pu.Int("Uid"), GID: pu.Int("Gid"), SecondaryGIDs: int64s(pu.List("SecondaryGids"))}
	}
	if c.In.Has("RootDirectory") {
		rd := c.In.Struct("RootDirectory")
		in.RootPath = rd.String("Path")
		if rd.Has("CreationInfo") {
			ci := rd.Struct("CreationInfo")
			in.RootCreation = &model.RootCreationInfo{OwnerUID: ci.Int("OwnerUid"), OwnerGID: ci.Int("OwnerGid"), Permissions: ci.String("Permissions")}
		}
	}
	ap, err := c.Engine.CreateAccessPoint(in)
	if err != nil {
		return nil, err
	}
	return apOut(c, ap), nil
}

func describeAccessPoints(c *api.Call) (map[string]any, error) {
	limit, err := maxItems(c, "MaxResults")
	if err != nil {
		return nil, err
	}
	apID, fsID := c.In.String("AccessPointId"), c.In.String("FileSystemId")
	if apID != "" && fsID != "" {
		return nil, badRequest("Only one of AccessPointId and FileSystemId may be given.")
	}
	var res map[string]any
	c.Engine.Read(func(st *model.State) {
		var list []*model.AccessPoint
		switch {
		case apID != "":
			ap, e := c.Engine.AccessPoint(st, apID)
			if e != nil {
				err = e
				return
			}
			list = append(list, ap)
		default:
			if fsID != "" {
				fs, e := c.Engine.FileSystem(st, fsID)
				if e != nil {
					err = e
					return
				}
				fsID = fs.ID
			}
			for _, ap := range st.AccessPoints {
				if fsID == "" || ap.FileSystemID == fsID {
					list = append(list, ap)
				}
			}
		}
		page, next, ok := api.Paginate(list, func(a *model.AccessPoint) string { return a.ID }, c.In.String("NextToken"), limit)
		if !ok {
			err = invalidMarker()
			return
		}
		out := make([]map[string]any, len(page))
		for i, ap := range page {
			out[i] = apOut(c, ap)
		}
		res = map[string]any{"AccessPoints": out}
		if next != "" {
			res["NextToken"] = next
		}
	})
	return res, err
}

func deleteAccessPoint(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteAccessPoint(c.In.String("AccessPointId"))
}

func tagResource(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.TagEFSResource(c.In.String("ResourceId"), tagsIn(c), nil)
}

func untagResource(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.TagEFSResource(c.In.String("ResourceId"), nil, c.In.Strings("TagKeys"))
}

func createTags(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.TagEFSResource(c.In.String("FileSystemId"), tagsIn(c), nil)
}

func deleteTags(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.TagEFSResource(c.In.String("FileSystemId"), nil, c.In.Strings("TagKeys"))
}

// resourceTags returns the tags of a file system or access point.
func resourceTags(c *api.Call, id string) (model.Tags, error) {
	var tags model.Tags
	var err error
	c.Engine.Read(func(st *model.State) {
		id = engine.EFSResourceID(id)
		if len(id) > 5 && id[:5] == "fsap-" {
			ap, e := c.Engine.AccessPoint(st, id)
			if e == nil {
				tags = ap.Tags
			}
			err = e
			return
		}
		fs, e := c.Engine.FileSystem(st, id)
		if e == nil {
			tags = fs.Tags
		}
		err = e
	})
	return tags, err
}

func pageTags(c *api.Call, tags model.Tags, tokenName, limitName, nextName string) (map[string]any, error) {
	limit, err := maxItems(c, limitName)
	if err != nil {
		return nil, err
	}
	list := tagsOut(tags)
	page, next, ok := api.Paginate(list, func(m map[string]any) string { return m["Key"].(string) }, c.In.String(tokenName), limit)
	if !ok {
		return nil, invalidMarker()
	}
	res := map[string]any{"Tags": page}
	if next != "" {
		res[nextName] = next
	}
	return res, nil
}

func listTagsForResource(c *api.Call) (map[string]any, error) {
	tags, err := resourceTags(c, c.In.String("ResourceId"))
	if err != nil {
		return nil, err
	}
	return pageTags(c, tags, "NextToken", "MaxResults", "NextToken")
}

func describeTags(c *api.Call) (map[string]any, error) {
	tags, err := resourceTags(c, c.In.String("FileSystemId"))
	if err != nil {
		return nil, err
	}
	res, err := pageTags(c, tags, "Marker", "MaxItems", "NextMarker")
	if err == nil && c.In.String("Marker") != "" {
		res["Marker"] = c.In.String("Marker")
	}
	return res, err
}

func lifecycleOut(fs *model.FileSystem) map[string]any {
	list := make([]map[string]any, 0, len(fs.LifecyclePolicies))
	for _, p := range fs.LifecyclePolicies {
		m := map[string]any{}
		for k, v := range p {
			m[k] = v
		}
		list = append(list, m)
	}
	return map[string]any{"LifecyclePolicies": list}
}

func putLifecycleConfiguration(c *api.Call) (map[string]any, error) {
	var policies []map[string]string
	for _, p := range c.In.Structs("LifecyclePolicies") {
		m := map[string]string{}
		for k := range p {
			m[k] = p.String(k)
		}
		policies = append(policies, m)
	}
	fs, err := c.Engine.PutLifecycleConfiguration(c.In.String("FileSystemId"), policies)
	if err != nil {
		return nil, err
	}
	return lifecycleOut(fs), nil
}

// readFS returns the file system a request names.
func readFS(c *api.Call) (*model.FileSystem, error) {
	var fs *model.FileSystem
	var err error
	c.Engine.Read(func(st *model.State) { fs, err = c.Engine.FileSystem(st, c.In.String("FileSystemId")) })
	return fs, err
}

func describeLifecycleConfiguration(c *api.Call) (map[string]any, error) {
	fs, err := readFS(c)
	if err != nil {
		return nil, err
	}
	return lifecycleOut(fs), nil
}

func putBackupPolicy(c *api.Call) (map[string]any, error) {
	fs, err := c.Engine.PutBackupPolicy(c.In.String("FileSystemId"), c.In.Struct("BackupPolicy").String("Status"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"BackupPolicy": map[string]any{"Status": fs.BackupStatus}}, nil
}

func describeBackupPolicy(c *api.Call) (map[string]any, error) {
	fs, err := readFS(c)
	if err != nil {
		return nil, err
	}
	return map[string]any{"BackupPolicy": map[string]any{"Status": fs.BackupStatus}}, nil
}

func policyNotFound(id string) error {
	return &apierr.Error{Code: "PolicyNotFound", HTTPStatus: http.StatusNotFound, Fields: map[string]string{"ErrorCode": "PolicyNotFound"},
		Message: "File System: " + id + " does not have a policy"}
}

func putFileSystemPolicy(c *api.Call) (map[string]any, error) {
	fs, err := c.Engine.PutFileSystemPolicy(c.In.String("FileSystemId"), c.In.String("Policy"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"FileSystemId": fs.ID, "Policy": fs.Policy}, nil
}

func describeFileSystemPolicy(c *api.Call) (map[string]any, error) {
	fs, err := readFS(c)
	if err != nil {
		return nil, err
	}
	if fs.Policy == "" {
		return nil, policyNotFound(fs.ID)
	}
	return map[string]any{"FileSystemId": fs.ID, "Policy": fs.Policy}, nil
}

func deleteFileSystemPolicy(c *api.Call) (map[string]any, error) {
	_, err := c.Engine.PutFileSystemPolicy(c.In.String("FileSystemId"), "")
	return nil, err
}
