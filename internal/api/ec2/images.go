package ec2

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerImages(r *api.Registry) {
	add(r, "DescribeImages", describeImages)
	registerAMIs(r)
}

// imageRow is an image as DescribeImages sees it: the account's own or a
// public one of Amazon's catalog, with its owner.
type imageRow struct {
	im    *model.Image
	owner string
	alias string // "amazon" for Amazon's public images
}

func (r imageRow) platformDetails() (string, string) {
	if r.im.Platform == "windows" {
		return "Windows", "RunInstances:0002"
	}
	return "Linux/UNIX", "RunInstances"
}

func imageBlockDevicesOut(bs []model.ImageBlockDevice) []any {
	out := make([]any, 0, len(bs))
	for _, b := range bs {
		m := map[string]any{"DeviceName": b.Device}
		switch {
		case b.NoDevice:
			m["NoDevice"] = ""
		case b.VirtualName != "":
			m["VirtualName"] = b.VirtualName
		default:
			ebs := map[string]any{"DeleteOnTermination": b.DeleteOnTermination, "SnapshotId": api.Str(b.SnapshotID),
				"VolumeSize": b.SizeGiB, "VolumeType": b.Type, "Encrypted": b.Encrypted}
			if b.IOPS > 0 && b.Type != "gp2" {
				ebs["Iops"] = b.IOPS
			}
			if b.Throughput > 0 {
				ebs["Throughput"] = b.Throughput
			}
			m["Ebs"] = ebs
		}
		out = append(out, m)
	}
	return out
}

func imageOut(r imageRow) map[string]any {
	im := r.im
	details, usage := r.platformDetails()
	location := im.ImageLocation
	if location == "" {
		location = r.owner + "/" + im.Name
	}
	protection := "disabled"
	if im.DeregistrationProtection != "" {
		protection = im.DeregistrationProtection
	}
	out := map[string]any{
		"ImageId": im.ID, "Name": im.Name, "Description": api.Str(im.Description), "OwnerId": r.owner, "ImageOwnerAlias": api.Str(r.alias),
		"ImageLocation": location, "ImageType": "machine", "Public": im.Public(), "State": im.State,
		"Architecture": im.Architecture, "CreationDate": im.Created.UTC().Format("2006-01-02T15:04:05.000Z"),
		"EnaSupport": im.EnaSupport, "Hypervisor": "xen", "RootDeviceName": api.Str(im.RootDevice), "RootDeviceType": im.RootDeviceType,
		"SriovNetSupport": api.Str(im.SriovNetSupport), "VirtualizationType": im.VirtualizationType, "PlatformDetails": details,
		"UsageOperation": usage, "BlockDeviceMappings": imageBlockDevicesOut(im.BlockDevices), "Tags": api.EC2Tags(im.Tags),
		"KernelId": api.Str(im.KernelID), "RamdiskId": api.Str(im.RamdiskID), "Platform": api.Str(im.Platform),
		"BootMode": api.Str(im.BootMode), "ImdsSupport": api.Str(im.ImdsSupport), "TpmSupport": api.Str(im.TpmSupport),
		"SourceInstanceId": api.Str(im.SourceInstance), "SourceImageId": api.Str(im.SourceImageID),
		"SourceImageRegion": api.Str(im.SourceRegion), "DeregistrationProtection": protection,
	}
	if !im.DeprecationTime.IsZero() {
		out["DeprecationTime"] = im.DeprecationTime.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return out
}

// imageRows returns the images the account sees: its own registered ones
// and Amazon's public ones.
func imageRows(c *api.Call) []imageRow {
	var rows []imageRow
	c.Engine.Read(func(st *model.State) {
		for _, im := range st.Images {
			if im.State == "available" {
				rows = append(rows, imageRow{im: im, owner: c.Account})
			}
		}
	})
	for _, pub := range engine.PublicImages(c.Region) {
		rows = append(rows, imageRow{im: pub.Model(), owner: pub.OwnerID, alias: "amazon"})
	}
	return rows
}

// canLaunch reports whether an image's launch permissions name a user
// explicitly (DescribeImages' ExecutableUsers): an account id or "self"
// (the caller's account) matches the images shared with that account by
// id, "all" the public images. ecsnet has no organizations, so images
// shared with an organization or OU match no one.
func canLaunch(im *model.Image, user, account string) bool {
	if user == "self" {
		user = account
	}
	for _, p := range im.LaunchPermissions {
		if (user == "all" && p.Group == "all") || (user != "all" && p.UserID == user) {
			return true
		}
	}
	return false
}

// describeImages lists the account's images and Amazon's public ones:
// ImageIds, Owners (self, amazon, an account id) and ExecutableUsers
// narrow them, then the filters. A deregistered image's id returns
// nothing (AWS: "recently deregistered images ... return empty results").
func describeImages(c *api.Call) (map[string]any, error) {
	rows := imageRows(c)
	if ids := c.In.Strings("ImageIds"); len(ids) > 0 {
		byID := map[model.ImageID]imageRow{}
		for _, r := range rows {
			byID[r.im.ID] = r
		}
		var gone map[model.ImageID]bool
		c.Engine.Read(func(st *model.State) {
			for _, id := range ids {
				if im := st.Images[model.ImageID(id)]; im != nil && im.State != "available" {
					if gone == nil {
						gone = map[model.ImageID]bool{}
					}
					gone[im.ID] = true
				}
			}
		})
		var kept []imageRow
		seen := map[string]bool{}
		for _, id := range ids {
			if !strings.HasPrefix(id, "ami-") {
				return nil, apierr.Newf("InvalidAMIID.Malformed", "Invalid id: \"%s\" (expecting \"ami-...\")", id)
			}
			r, ok := byID[model.ImageID(id)]
			switch {
			case ok && !seen[id]:
				kept = append(kept, r)
				seen[id] = true
			case ok, gone[model.ImageID(id)]:
			default:
				return nil, apierr.Newf("InvalidAMIID.NotFound", "The image id '[%s]' does not exist", id)
			}
		}
		rows = kept
	}
	if owners := c.In.Strings("Owners"); len(owners) > 0 {
		rows = slices.DeleteFunc(rows, func(r imageRow) bool {
			for _, o := range owners {
				if (o == "self" && r.owner == c.Account) || (o != "self" && (o == r.owner || o == r.alias)) {
					return false
				}
			}
			return true
		})
	}
	if users := c.In.Strings("ExecutableUsers"); len(users) > 0 {
		rows = slices.DeleteFunc(rows, func(r imageRow) bool {
			for _, u := range users {
				if canLaunch(r.im, u, c.Account) {
					return false
				}
			}
			return true
		})
	}
	type R = imageRow
	one := func(f func(R) string) func(R) []string { return func(r R) []string { return api.One(f(r)) } }
	bdm := func(f func(model.ImageBlockDevice) string) func(R) []string {
		return func(r R) []string {
			var out []string
			for _, b := range r.im.BlockDevices {
				if v := f(b); v != "" {
					out = append(out, v)
				}
			}
			return out
		}
	}
	fs := api.FilterSet[R]{
		Tags: func(r R) model.Tags { return r.im.Tags },
		Attrs: map[string]func(R) []string{
			"image-id":            one(func(r R) string { return string(r.im.ID) }),
			"name":                one(func(r R) string { return r.im.Name }),
			"description":         one(func(r R) string { return r.im.Description }),
			"architecture":        one(func(r R) string { return r.im.Architecture }),
			"owner-id":            one(func(r R) string { return r.owner }),
			"owner-alias":         one(func(r R) string { return r.alias }),
			"state":               one(func(r R) string { return r.im.State }),
			"is-public":           func(r R) []string { return api.Bool(r.im.Public()) },
			"image-type":          one(func(R) string { return "machine" }),
			"virtualization-type": one(func(r R) string { return r.im.VirtualizationType }),
			"hypervisor":          one(func(R) string { return "xen" }),
			"root-device-type":    one(func(r R) string { return r.im.RootDeviceType }),
			"root-device-name":    one(func(r R) string { return r.im.RootDevice }),
			"ena-support":         func(r R) []string { return api.Bool(r.im.EnaSupport) },
			"sriov-net-support":   one(func(r R) string { return r.im.SriovNetSupport }),
			"kernel-id":           one(func(r R) string { return r.im.KernelID }),
			"ramdisk-id":          one(func(r R) string { return r.im.RamdiskID }),
			"platform":            one(func(r R) string { return r.im.Platform }),
			// No Allowed AMIs settings are modelled, so every image is
			// allowed; Free Tier eligibility is not modelled.
			"image-allowed":                    func(R) []string { return api.Bool(true) },
			"free-tier-eligible":               func(R) []string { return nil },
			"platform-details":                 one(func(r R) string { d, _ := r.platformDetails(); return d }),
			"usage-operation":                  one(func(r R) string { _, u := r.platformDetails(); return u }),
			"creation-date":                    one(func(r R) string { return r.im.Created.UTC().Format("2006-01-02T15:04:05.000Z") }),
			"manifest-location":                one(func(r R) string { return r.im.ImageLocation }),
			"source-instance-id":               one(func(r R) string { return string(r.im.SourceInstance) }),
			"source-image-id":                  one(func(r R) string { return r.im.SourceImageID }),
			"source-image-region":              one(func(r R) string { return r.im.SourceRegion }),
			"imds-support":                     one(func(r R) string { return r.im.ImdsSupport }),
			"boot-mode":                        one(func(r R) string { return r.im.BootMode }),
			"tpm-support":                      one(func(r R) string { return r.im.TpmSupport }),
			"product-code":                     func(R) []string { return nil },
			"product-code.type":                func(R) []string { return nil },
			"state-reason-code":                func(R) []string { return nil },
			"state-reason-message":             func(R) []string { return nil },
			"block-device-mapping.device-name": bdm(func(b model.ImageBlockDevice) string { return b.Device }),
			"block-device-mapping.snapshot-id": bdm(func(b model.ImageBlockDevice) string { return string(b.SnapshotID) }),
			"block-device-mapping.volume-size": bdm(func(b model.ImageBlockDevice) string {
				if b.SizeGiB == 0 {
					return ""
				}
				return strconv.Itoa(b.SizeGiB)
			}),
			"block-device-mapping.volume-type": bdm(func(b model.ImageBlockDevice) string { return b.Type }),
			"block-device-mapping.encrypted": bdm(func(b model.ImageBlockDevice) string {
				if b.VirtualName != "" || b.NoDevice {
					return ""
				}
				return strconv.FormatBool(b.Encrypted)
			}),
			"block-device-mapping.delete-on-termination": bdm(func(b model.ImageBlockDevice) string {
				if b.VirtualName != "" || b.NoDevice {
					return ""
				}
				return strconv.FormatBool(b.DeleteOnTermination)
			}),
		},
	}
	rows, err := fs.Apply(rows, api.Filters(c.In))
	if err != nil {
		return nil, err
	}
	key := func(r R) string { return string(r.im.ID) }
	rows, next, err := page(c.In, rows, key, 1, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = imageOut(r)
	}
	return map[string]any{"Images": out, "NextToken": next}, nil
}
