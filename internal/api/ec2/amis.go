package ec2

import (
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// The account's AMIs and the attributes of images and snapshots.
func registerAMIs(r *api.Registry) {
	add(r, "CreateImage", createImage)
	add(r, "RegisterImage", registerImage)
	add(r, "DeregisterImage", deregisterImage)
	add(r, "CopyImage", copyImage)
	add(r, "DescribeImageAttribute", describeImageAttribute)
	add(r, "ModifyImageAttribute", modifyImageAttribute)
	add(r, "ResetImageAttribute", resetImageAttribute)
	add(r, "EnableImageDeprecation", enableImageDeprecation)
	add(r, "DisableImageDeprecation", disableImageDeprecation)
	add(r, "EnableImageDeregistrationProtection", enableImageDeregistrationProtection)
	add(r, "DisableImageDeregistrationProtection", disableImageDeregistrationProtection)
	add(r, "CopySnapshot", copySnapshot)
	add(r, "DescribeSnapshotAttribute", describeSnapshotAttribute)
	add(r, "ModifySnapshotAttribute", modifySnapshotAttribute)
	add(r, "ResetSnapshotAttribute", resetSnapshotAttribute)
}

// imageBlockDevicesIn reads BlockDeviceMappings (CreateImage,
// RegisterImage): an EBS mapping deletes on termination unless told.
func imageBlockDevicesIn(in awsproto.Params) []model.ImageBlockDevice {
	var out []model.ImageBlockDevice
	for _, m := range in.Structs("BlockDeviceMappings") {
		b := model.ImageBlockDevice{Device: m.String("DeviceName"), VirtualName: m.String("VirtualName"), NoDevice: m.Has("NoDevice")}
		if m.Has("Ebs") {
			e := m.Struct("Ebs")
			b.SnapshotID = model.SnapshotID(e.String("SnapshotId"))
			b.SizeGiB = int(e.Int("VolumeSize"))
			b.Type = e.String("VolumeType")
			b.IOPS = int(e.Int("Iops"))
			b.Throughput = int(e.Int("Throughput"))
			b.Encrypted = e.Bool("Encrypted")
			b.DeleteOnTermination = !e.Has("DeleteOnTermination") || e.Bool("DeleteOnTermination")
		}
		out = append(out, b)
	}
	return out
}

func createImage(c *api.Call) (map[string]any, error) {
	imageTags, err := api.TagSpecs(c.In, "image", "snapshot")
	if err != nil {
		return nil, err
	}
	snapTags, err := api.TagSpecs(c.In, "snapshot", "image")
	if err != nil {
		return nil, err
	}
	im, err := c.Engine.CreateImage(engine.CreateImageInput{InstanceID: model.InstanceID(c.In.String("InstanceId")), Name: c.In.String("Name"),
		Description: c.In.String("Description"), NoReboot: c.In.Bool("NoReboot"), BlockDevices: imageBlockDevicesIn(c.In),
		ImageTags: imageTags, SnapshotTags: snapTags})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ImageId": im.ID}, nil
}

func registerImage(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "image")
	if err != nil {
		return nil, err
	}
	im, err := c.Engine.RegisterImage(engine.RegisterImageInput{Name: c.In.String("Name"), Description: c.In.String("Description"),
		ImageLocation: c.In.String("ImageLocation"), Architecture: c.In.String("Architecture"), RootDevice: c.In.String("RootDeviceName"),
		VirtualizationType: c.In.String("VirtualizationType"), KernelID: c.In.String("KernelId"), RamdiskID: c.In.String("RamdiskId"),
		EnaSupport: c.In.Bool("EnaSupport"), SriovNetSupport: c.In.String("SriovNetSupport"), BootMode: c.In.String("BootMode"),
		ImdsSupport: c.In.String("ImdsSupport"), TpmSupport: c.In.String("TpmSupport"), UefiData: c.In.String("UefiData"),
		BlockDevices: imageBlockDevicesIn(c.In), Tags: tags})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ImageId": im.ID}, nil
}

func deregisterImage(c *api.Call) (map[string]any, error) {
	if err := c.Engine.DeregisterImage(model.ImageID(c.In.String("ImageId")), c.In.Bool("DeleteAssociatedSnapshots")); err != nil {
		return nil, err
	}
	return map[string]any{"Return": true}, nil
}

func copyImage(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "image")
	if err != nil {
		return nil, err
	}
	im, err := c.Engine.CopyImage(engine.CopyImageInput{SourceRegion: c.In.String("SourceRegion"), SourceImageID: c.In.String("SourceImageId"),
		Name: c.In.String("Name"), Description: c.In.String("Description"), Encrypted: c.In.Bool("Encrypted"),
		CopyImageTags: c.In.Bool("CopyImageTags"), Tags: tags})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ImageId": im.ID}, nil
}

func attrValue(s string) map[string]any {
	if s == "" {
		return map[string]any{}
	}
	return map[string]any{"Value": s}
}

func launchPermissionsOut(ps []model.LaunchPermission) []any {
	out := make([]any, 0, len(ps))
	for _, p := range ps {
		switch {
		case p.Group != "":
			out = append(out, map[string]any{"Group": p.Group})
		case p.UserID != "":
			out = append(out, map[string]any{"UserId": p.UserID})
		case p.OrganizationARN != "":
			out = append(out, map[string]any{"OrganizationArn": p.OrganizationARN})
		default:
			out = append(out, map[string]any{"OrganizationalUnitArn": p.OrganizationalUnitARN})
		}
	}
	return out
}

// describeImageAttribute answers one attribute of an image: any of the
// account's own, and of a public image the attributes AWS shows to
// everyone (its launch permissions and block device mappings are its
// owner's business: AuthFailure).
func describeImageAttribute(c *api.Call) (map[string]any, error) {
	id := c.In.String("ImageId")
	attr := c.In.String("Attribute")
	if attr == "" {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter Attribute")
	}
	if !strings.HasPrefix(id, "ami-") {
		return nil, apierr.Newf("InvalidAMIID.Malformed", "Invalid id: \"%s\" (expecting \"ami-...\")", id)
	}
	var im *model.Image
	own := false
	c.Engine.Read(func(st *model.State) {
		if x := st.Images[model.ImageID(id)]; x != nil && x.State == "available" {
			im, own = x, true
		}
	})
	if im == nil {
		pub, ok := engine.PublicImage(c.Region, id)
		if !ok {
			return nil, apierr.Newf("InvalidAMIID.NotFound", "The image id '[%s]' does not exist", id)
		}
		im = pub.Model()
	}
	out := map[string]any{"ImageId": id}
	switch attr {
	case "description":
		out["Description"] = attrValue(im.Description)
	case "kernel":
		out["KernelId"] = attrValue(im.KernelID)
	case "ramdisk":
		out["RamdiskId"] = attrValue(im.RamdiskID)
	case "sriovNetSupport":
		out["SriovNetSupport"] = attrValue(im.SriovNetSupport)
	case "bootMode":
		out["BootMode"] = attrValue(im.BootMode)
	case "tpmSupport":
		out["TpmSupport"] = attrValue(im.TpmSupport)
	case "uefiData":
		out["UefiData"] = attrValue(im.UefiData)
	case "imdsSupport":
		out["ImdsSupport"] = attrValue(im.ImdsSupport)
	case "lastLaunchedTime":
		out["LastLaunchedTime"] = map[string]any{}
	case "productCodes":
		out["ProductCodes"] = []any{}
	case "deregistrationProtection":
		p := im.DeregistrationProtection
		if p == "" {
			p = "disabled"
		}
		out["DeregistrationProtection"] = attrValue(p)
	case "launchPermission", "blockDeviceMapping":
		if !own {
			return nil, apierr.New("AuthFailure", "Unauthorized attempt to access restricted resource")
		}
		if attr == "launchPermission" {
			out["LaunchPermissions"] = launchPermissionsOut(im.LaunchPermissions)
		} else {
			out["BlockDeviceMappings"] = imageBlockDevicesOut(im.BlockDevices)
		}
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", attr)
	}
	return out, nil
}

func permissionsIn(list []awsproto.Params) []model.LaunchPermission {
	var out []model.LaunchPermission
	for _, p := range list {
		out = append(out, model.LaunchPermission{Group: p.String("Group"), UserID: p.String("UserId"),
			OrganizationARN: p.String("OrganizationArn"), OrganizationalUnitARN: p.String("OrganizationalUnitArn")})
	}
	return out
}

// modifyImageAttribute changes the description, the IMDS support or the
// launch permissions of one of the account's images, given either as
// LaunchPermission {Add, Remove} or as Attribute, OperationType and the
// lists of users, groups, organizations and organizational units.
func modifyImageAttribute(c *api.Call) (map[string]any, error) {
	var ch engine.ImageChange
	attr := c.In.String("Attribute")
	switch {
	case c.In.Has("Description"):
		v := c.In.Struct("Description").String("Value")
		ch.Description = &v
	case attr == "description":
		v := c.In.String("Value")
		ch.Description = &v
	case c.In.Has("ImdsSupport"):
		v := c.In.Struct("ImdsSupport").String("Value")
		ch.ImdsSupport = &v
	case attr == "imdsSupport":
		v := c.In.String("Value")
		ch.ImdsSupport = &v
	case c.In.Has("LaunchPermission"):
		lp := c.In.Struct("LaunchPermission")
		ch.AddPermissions = permissionsIn(lp.Structs("Add"))
		ch.RemovePermissions = permissionsIn(lp.Structs("Remove"))
	case attr == "launchPermission" || attr == "":
		var ps []model.LaunchPermission
		for _, a := range c.In.Strings("OrganizationArns") {
			ps = append(ps, model.LaunchPermission{OrganizationARN: a})
		}
		for _, a := range c.In.Strings("OrganizationalUnitArns") {
			ps = append(ps, model.LaunchPermission{OrganizationalUnitARN: a})
		}
		for _, u := range c.In.Strings("UserIds") {
			ps = append(ps, model.LaunchPermission{UserID: u})
		}
		for _, g := range c.In.Strings("UserGroups") {
			ps = append(ps, model.LaunchPermission{Group: g})
		}
		if len(ps) == 0 {
			return nil, apierr.New("MissingParameter", "The request must contain the parameter Attribute")
		}
		switch c.In.String("OperationType") {
		case "add":
			ch.AddPermissions = ps
		case "remove":
			ch.RemovePermissions = ps
		case "":
			return nil, apierr.New("MissingParameter", "The request must contain the parameter OperationType")
		default:
			return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter operationType is invalid. Valid values are: add, remove.", c.In.String("OperationType"))
		}
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", attr)
	}
	if _, err := c.Engine.ModifyImage(model.ImageID(c.In.String("ImageId")), ch); err != nil {
		return nil, err
	}
	return nil, nil
}

func resetImageAttribute(c *api.Call) (map[string]any, error) {
	if a := c.In.String("Attribute"); a != "launchPermission" {
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", a)
	}
	_, err := c.Engine.ModifyImage(model.ImageID(c.In.String("ImageId")), engine.ImageChange{ResetPermissions: true})
	return nil, err
}

// enableImageDeprecation sets when an image is deprecated, rounded to
// the nearest minute (the engine checks the limits).
func enableImageDeprecation(c *api.Call) (map[string]any, error) {
	at := c.In.Time("DeprecateAt")
	if at.IsZero() {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter DeprecateAt")
	}
	at = at.Round(time.Minute).UTC()
	if _, err := c.Engine.ModifyImage(model.ImageID(c.In.String("ImageId")), engine.ImageChange{DeprecationTime: &at}); err != nil {
		return nil, err
	}
	return map[string]any{"Return": true}, nil
}

func disableImageDeprecation(c *api.Call) (map[string]any, error) {
	var zero time.Time
	if _, err := c.Engine.ModifyImage(model.ImageID(c.In.String("ImageId")), engine.ImageChange{DeprecationTime: &zero}); err != nil {
		return nil, err
	}
	return map[string]any{"Return": true}, nil
}

func enableImageDeregistrationProtection(c *api.Call) (map[string]any, error) {
	v := "enabled"
	if c.In.Bool("WithCooldown") {
		v = "enabled-with-cooldown"
	}
	if _, err := c.Engine.ModifyImage(model.ImageID(c.In.String("ImageId")), engine.ImageChange{DeregistrationProtection: &v}); err != nil {
		return nil, err
	}
	return map[string]any{"Return": v}, nil
}

func disableImageDeregistrationProtection(c *api.Call) (map[string]any, error) {
	v := ""
	if _, err := c.Engine.ModifyImage(model.ImageID(c.In.String("ImageId")), engine.ImageChange{DeregistrationProtection: &v}); err != nil {
		return nil, err
	}
	return map[string]any{"Return": "disabled"}, nil
}

func copySnapshot(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "snapshot")
	if err != nil {
		return nil, err
	}
	if d := c.In.String("DestinationRegion"); d != "" && d != c.Region {
		return nil, apierr.Newf("InvalidParameterValue", "The destination region %s does not match the region of the request, %s.", d, c.Region)
	}
	s, err := c.Engine.CopySnapshot(engine.CopySnapshotInput{SourceRegion: c.In.String("SourceRegion"),
		SourceSnapshot: model.SnapshotID(c.In.String("SourceSnapshotId")), Description: c.In.String("Description"),
		Encrypted: c.In.Bool("Encrypted"), Tags: tags})
	if err != nil {
		return nil, err
	}
	return map[string]any{"SnapshotId": s.ID, "Tags": api.EC2Tags(s.Tags)}, nil
}

func snapshotPermissionsOut(ps []model.CreateVolumePermission) []any {
	out := make([]any, 0, len(ps))
	for _, p := range ps {
		if p.Group != "" {
			out = append(out, map[string]any{"Group": p.Group})
		} else {
			out = append(out, map[string]any{"UserId": p.UserID})
		}
	}
	return out
}

func describeSnapshotAttribute(c *api.Call) (map[string]any, error) {
	id := model.SnapshotID(c.In.String("SnapshotId"))
	attr := c.In.String("Attribute")
	if attr != "createVolumePermission" && attr != "productCodes" {
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", attr)
	}
	if !strings.HasPrefix(string(id), "snap-") {
		return nil, apierr.Newf("InvalidSnapshotID.Malformed", "Invalid id: \"%s\" (expecting \"snap-...\")", id)
	}
	var s *model.Snapshot
	c.Engine.Read(func(st *model.State) { s = st.Snapshots[id] })
	if s == nil {
		return nil, apierr.Newf("InvalidSnapshot.NotFound", "The snapshot '%s' does not exist.", id)
	}
	out := map[string]any{"SnapshotId": s.ID}
	if attr == "productCodes" {
		out["ProductCodes"] = []any{}
	} else {
		out["CreateVolumePermissions"] = snapshotPermissionsOut(s.CreateVolumePermissions)
	}
	return out, nil
}

func volumePermissionsIn(list []awsproto.Params) []model.CreateVolumePermission {
	var out []model.CreateVolumePermission
	for _, p := range list {
		out = append(out, model.CreateVolumePermission{Group: p.String("Group"), UserID: p.String("UserId")})
	}
	return out
}

func modifySnapshotAttribute(c *api.Call) (map[string]any, error) {
	var ch engine.SnapshotPermissionChange
	if a := c.In.String("Attribute"); a != "" && a != "createVolumePermission" {
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", a)
	}
	if c.In.Has("CreateVolumePermission") {
		p := c.In.Struct("CreateVolumePermission")
		ch.Add, ch.Remove = volumePermissionsIn(p.Structs("Add")), volumePermissionsIn(p.Structs("Remove"))
	} else {
		var ps []model.CreateVolumePermission
		for _, u := range c.In.Strings("UserIds") {
			ps = append(ps, model.CreateVolumePermission{UserID: u})
		}
		for _, g := range c.In.Strings("GroupNames") {
			ps = append(ps, model.CreateVolumePermission{Group: g})
		}
		switch c.In.String("OperationType") {
		case "add":
			ch.Add = ps
		case "remove":
			ch.Remove = ps
		case "":
			return nil, apierr.New("MissingParameter", "The request must contain the parameter OperationType")
		default:
			return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter operationType is invalid. Valid values are: add, remove.", c.In.String("OperationType"))
		}
	}
	return nil, c.Engine.ModifySnapshotPermissions(model.SnapshotID(c.In.String("SnapshotId")), ch)
}

func resetSnapshotAttribute(c *api.Call) (map[string]any, error) {
	if a := c.In.String("Attribute"); a != "createVolumePermission" {
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", a)
	}
	return nil, c.Engine.ModifySnapshotPermissions(model.SnapshotID(c.In.String("SnapshotId")), engine.SnapshotPermissionChange{Reset: true})
}
