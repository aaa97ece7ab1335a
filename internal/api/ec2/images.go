package ec2

import (
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
)

func registerImages(r *api.Registry) {
	add(r, "DescribeImages", describeImages)
}

func imageOut(im engine.Image) map[string]any {
	out := map[string]any{
		"ImageId": im.ID, "Name": im.Name, "Description": im.Description, "OwnerId": im.OwnerID, "ImageOwnerAlias": "amazon",
		"ImageLocation": "amazon/" + im.Name, "ImageType": "machine", "Public": true, "State": "available",
		"Architecture": im.Architecture, "CreationDate": im.Created.UTC().Format("2006-01-02T15:04:05.000Z"),
		"DeprecationTime": im.Created.AddDate(2, 0, 0).UTC().Format("2006-01-02T15:04:05.000Z"),
		"EnaSupport":      true, "Hypervisor": "xen", "RootDeviceName": im.RootDevice, "RootDeviceType": "ebs",
		"SriovNetSupport": "simple", "VirtualizationType": "hvm", "PlatformDetails": "Linux/UNIX", "UsageOperation": "RunInstances",
		"BlockDeviceMappings": []any{map[string]any{"DeviceName": im.RootDevice, "Ebs": map[string]any{
			"DeleteOnTermination": true, "SnapshotId": im.SnapshotID, "VolumeSize": im.RootSizeGiB,
			"VolumeType": im.RootVolumeType, "Encrypted": false}}},
	}
	if im.Windows {
		out["Platform"], out["PlatformDetails"], out["UsageOperation"] = "windows", "Windows", "RunInstances:0002"
	}
	if im.BootMode != "" {
		out["BootMode"] = im.BootMode
	}
	if im.ImdsSupport != "" {
		out["ImdsSupport"] = im.ImdsSupport
	}
	return out
}

// describeImages lists the region's public images (ecsnet keeps no images
// of the account's own: "self" finds none).
func describeImages(c *api.Call) (map[string]any, error) {
	all := engine.PublicImages(c.Region)
	var items []engine.Image
	if ids := c.In.Strings("ImageIds"); len(ids) > 0 {
		for _, id := range ids {
			if !strings.HasPrefix(id, "ami-") {
				return nil, apierr.Newf("InvalidAMIID.Malformed", "Invalid id: \"%s\" (expecting \"ami-...\")", id)
			}
			im, ok := engine.PublicImage(c.Region, id)
			if !ok {
				return nil, apierr.Newf("InvalidAMIID.NotFound", "The image id '[%s]' does not exist", id)
			}
			items = append(items, im)
		}
	} else {
		items = all
	}
	if owners := c.In.Strings("Owners"); len(owners) > 0 {
		var kept []engine.Image
		for _, im := range items {
			for _, o := range owners {
				if o == "amazon" || o == im.OwnerID {
					kept = append(kept, im)
					break
				}
			}
		}
		items = kept
	}
	type I = engine.Image
	one := func(f func(I) string) func(I) []string { return func(i I) []string { return []string{f(i)} } }
	fs := api.FilterSet[I]{
		Attrs: map[string]func(I) []string{
			"image-id":            one(func(i I) string { return i.ID }),
			"name":                one(func(i I) string { return i.Name }),
			"description":         one(func(i I) string { return i.Description }),
			"architecture":        one(func(i I) string { return i.Architecture }),
			"owner-id":            one(func(i I) string { return i.OwnerID }),
			"owner-alias":         one(func(I) string { return "amazon" }),
			"state":               one(func(I) string { return "available" }),
			"is-public":           one(func(I) string { return "true" }),
			"image-type":          one(func(I) string { return "machine" }),
			"virtualization-type": one(func(I) string { return "hvm" }),
			"hypervisor":          one(func(I) string { return "xen" }),
			"root-device-type":    one(func(I) string { return "ebs" }),
			"root-device-name":    one(func(i I) string { return i.RootDevice }),
			"ena-support":         one(func(I) string { return "true" }),
			"platform": func(i I) []string {
				if i.Windows {
					return []string{"windows"}
				}
				return nil
			},
			"platform-details":                           one(func(i I) string { return imageOut(i)["PlatformDetails"].(string) }),
			"block-device-mapping.device-name":           one(func(i I) string { return i.RootDevice }),
			"block-device-mapping.snapshot-id":           one(func(i I) string { return i.SnapshotID }),
			"block-device-mapping.volume-size":           one(func(i I) string { return strconv.Itoa(i.RootSizeGiB) }),
			"block-device-mapping.volume-type":           one(func(i I) string { return i.RootVolumeType }),
			"block-device-mapping.encrypted":             one(func(I) string { return "false" }),
			"block-device-mapping.delete-on-termination": one(func(I) string { return "true" }),
		},
	}
	items, err := fs.Apply(items, api.Filters(c.In))
	if err != nil {
		return nil, err
	}
	key := func(i I) string { return i.ID }
	items, next, err := page(c.In, api.SortBy(items, key), key, 1, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, im := range items {
		out[i] = imageOut(im)
	}
	return map[string]any{"Images": out, "NextToken": next}, nil
}
