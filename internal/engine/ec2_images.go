package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// Image is a public AMI as DescribeImages lists it. ecsnet's catalog holds
// the images its public SSM parameters point to (the ECS-optimized and
// Amazon Linux AMIs, ssm_public.go), with the same ids, so that a template
// or a Terraform configuration that looks an AMI up by parameter or by name
// pattern finds the same image either way.
type Image struct {
	ID, Name, Description string
	OwnerID               string
	Architecture          string // x86_64 or arm64
	Windows               bool
	RootDevice            string
	RootSizeGiB           int
	RootVolumeType        string
	SnapshotID            string
	BootMode              string
	ImdsSupport           string
	Created               time.Time
}

// Owner ids of Amazon's public images (their ImageOwnerAlias is "amazon").
const (
	amazonLinuxOwner = "137112412989"
	ecsImageOwner    = "591542846629"
	windowsOwner     = "801119661308"
	// bottlerocketOwner owns the Bottlerocket images ([choice]: the
	// account that publishes them is not documented).
	bottlerocketOwner = "092701018921"
)

// amazonLinuxImageNames gives each /aws/service/ami-amazon-linux-latest/
// parameter the image name AWS's image of that family carries (the
// release inserted where AWS puts it).
var amazonLinuxImageNames = map[string]string{
	"al2023-ami-kernel-default-x86_64":         "al2023-ami-2023.6." + publicRelease + ".0-kernel-default-x86_64",
	"al2023-ami-kernel-default-arm64":          "al2023-ami-2023.6." + publicRelease + ".0-kernel-default-arm64",
	"al2023-ami-kernel-6.1-x86_64":             "al2023-ami-2023.6." + publicRelease + ".0-kernel-6.1-x86_64",
	"al2023-ami-kernel-6.1-arm64":              "al2023-ami-2023.6." + publicRelease + ".0-kernel-6.1-arm64",
	"al2023-ami-kernel-6.12-x86_64":            "al2023-ami-2023.6." + publicRelease + ".0-kernel-6.12-x86_64",
	"al2023-ami-kernel-6.12-arm64":             "al2023-ami-2023.6." + publicRelease + ".0-kernel-6.12-arm64",
	"al2023-ami-minimal-kernel-default-x86_64": "al2023-ami-minimal-2023.6." + publicRelease + ".0-kernel-default-x86_64",
	"al2023-ami-minimal-kernel-default-arm64":  "al2023-ami-minimal-2023.6." + publicRelease + ".0-kernel-default-arm64",
	"amzn2-ami-hvm-x86_64-gp2":                 "amzn2-ami-hvm-2.0." + publicRelease + ".0-x86_64-gp2",
	"amzn2-ami-hvm-arm64-gp2":                  "amzn2-ami-hvm-2.0." + publicRelease + ".0-arm64-gp2",
	"amzn2-ami-hvm-x86_64-ebs":                 "amzn2-ami-hvm-2.0." + publicRelease + ".0-x86_64-ebs",
	"amzn2-ami-kernel-5.10-hvm-x86_64-gp2":     "amzn2-ami-kernel-5.10-hvm-2.0." + publicRelease + ".0-x86_64-gp2",
	"amzn2-ami-kernel-5.10-hvm-arm64-gp2":      "amzn2-ami-kernel-5.10-hvm-2.0." + publicRelease + ".0-arm64-gp2",
	"amzn2-ami-kernel-5.10-hvm-x86_64-ebs":     "amzn2-ami-kernel-5.10-hvm-2.0." + publicRelease + ".0-x86_64-ebs",
	"amzn2-ami-minimal-hvm-x86_64-ebs":         "amzn2-ami-minimal-hvm-2.0." + publicRelease + ".0-x86_64-ebs",
	"amzn2-ami-minimal-hvm-arm64-ebs":          "amzn2-ami-minimal-hvm-2.0." + publicRelease + ".0-arm64-ebs",
	"amzn-ami-hvm-x86_64-gp2":                  "amzn-ami-hvm-2018.03.0." + publicRelease + ".0-x86_64-gp2",
	"amzn-ami-hvm-x86_64-ebs":                  "amzn-ami-hvm-2018.03.0." + publicRelease + ".0-x86_64-ebs",
	"amzn-ami-minimal-hvm-x86_64-ebs":          "amzn-ami-minimal-hvm-2018.03.0." + publicRelease + ".0-x86_64-ebs",
}

func imageSnapshot(region, id string) string {
	sum := sha256.Sum256([]byte("ecsnet-snap|" + region + "|" + id))
	return "snap-0" + hex.EncodeToString(sum[:])[:16]
}

// PublicImages returns the region's public AMIs, sorted by id.
func PublicImages(region string) []Image {
	var out []Image
	created := publicModified()
	for _, img := range ecsImages() {
		im := Image{ID: fakeAMI(region, img.name), Name: img.name, OwnerID: ecsImageOwner, Architecture: "x86_64",
			RootDevice: "/dev/xvda", RootSizeGiB: 30, RootVolumeType: "gp2", BootMode: "legacy-bios", Created: created}
		if strings.Contains(img.name, "arm64") {
			im.Architecture = "arm64"
			im.BootMode = "uefi"
		}
		switch {
		case img.windows:
			im.OwnerID, im.Windows, im.RootDevice, im.RootSizeGiB = windowsOwner, true, "/dev/sda1", 30
			im.Description = "Microsoft " + img.os + " with Containers, ECS optimized"
		case strings.HasPrefix(img.name, "al2023"):
			im.Description = "Amazon Linux AMI 2023.0." + publicRelease + " x86_64 ECS HVM EBS"
			im.RootVolumeType, im.ImdsSupport = "gp3", "v2.0"
			if im.Architecture == "x86_64" {
				im.BootMode = "uefi-preferred"
			}
		default:
			im.Description = "Amazon Linux AMI 2.0." + publicRelease + " x86_64 ECS HVM GP2"
		}
		if im.Architecture == "arm64" {
			im.Description = strings.Replace(im.Description, "x86_64", "arm64", 1)
		}
		im.SnapshotID = imageSnapshot(region, im.ID)
		out = append(out, im)
	}
	for _, param := range amazonLinuxImages() {
		name := amazonLinuxImageNames[param]
		if name == "" {
			continue
		}
		im := Image{ID: fakeAMI(region, param), Name: name, OwnerID: amazonLinuxOwner, Architecture: "x86_64",
			RootDevice: "/dev/xvda", RootSizeGiB: 8, RootVolumeType: "gp2", BootMode: "legacy-bios", Created: created}
		if strings.Contains(param, "arm64") {
			im.Architecture, im.BootMode = "arm64", "uefi"
		}
		if strings.HasPrefix(param, "al2023") {
			im.Description = "Amazon Linux 2023 AMI 2023.6." + publicRelease + ".0 " + im.Architecture + " HVM kernel-6.1"
			im.RootVolumeType, im.ImdsSupport = "gp3", "v2.0"
			if im.Architecture == "x86_64" {
				im.BootMode = "uefi-preferred"
			}
			if strings.Contains(param, "kernel-6.1") {
				// The kernel-6.1 image is the newer of the two (a most_recent
				// lookup over "al2023-ami-2023.*" picks it, as on AWS).
				im.Created = created.Add(time.Minute)
			}
		} else if strings.HasPrefix(param, "amzn-") {
			im.Description = "Amazon Linux AMI 2018.03.0." + publicRelease + ".0 " + im.Architecture + " HVM " + param[strings.LastIndex(param, "-")+1:]
		} else {
			im.Description = "Amazon Linux 2 AMI 2.0." + publicRelease + ".0 " + im.Architecture + " HVM " + param[strings.LastIndex(param, "-")+1:]
		}
		im.SnapshotID = imageSnapshot(region, im.ID)
		out = append(out, im)
	}
	for _, b := range bottlerocketImages() {
		im := Image{ID: fakeAMI(region, b.name()), Name: b.name(), OwnerID: bottlerocketOwner, Architecture: b.arch,
			Description: "bottlerocket-" + b.variant + "-" + b.arch + "-v" + bottlerocketVersion,
			RootDevice:  "/dev/xvda", RootSizeGiB: 2, RootVolumeType: "gp2", BootMode: "uefi-preferred", ImdsSupport: "v2.0", Created: created}
		if b.arch == "arm64" {
			im.BootMode = "uefi"
		}
		im.SnapshotID = imageSnapshot(region, im.ID)
		out = append(out, im)
	}
	for _, m := range motoExampleImages {
		im := Image{ID: m.id, Name: m.name, Description: m.description, OwnerID: windowsOwner, Architecture: "x86_64", Windows: true,
			RootDevice: "/dev/sda1", RootSizeGiB: 30, RootVolumeType: "gp2", BootMode: "legacy-bios",
			Created: time.Date(2017, time.October, 13, 0, 0, 0, 0, time.UTC)}
		im.SnapshotID = imageSnapshot(region, im.ID)
		out = append(out, im)
	}
	slices.SortFunc(out, func(a, b Image) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// motoExampleImages are the two images moto's tests name EXAMPLE_AMI_ID
// and EXAMPLE_AMI_ID2 ("Sample pre-loaded Image Ids for use with tests",
// moto's tests/__init__.py), with the name and description moto's
// catalogue (moto/ec2/resources/amis.json) gives them: Amazon's Windows
// Server images of October 2017. Programs tested against moto launch
// them, so ecsnet knows them in every Region, as moto does [choice]; any
// other id that is no image is refused (InvalidAMIID.NotFound).
var motoExampleImages = [...]struct{ id, name, description string }{
	{"ami-12c6146b", "Windows_Server-2008-R2_SP1-English-64Bit-Base-2017.10.13",
		"Microsoft Windows Server 2008 R2 SP1 Datacenter 64-bit Locale English Base AMI provided by Amazon"},
	{"ami-03cf127a", "Windows_Server-2016-English-Nano-Base-2017.10.13",
		"Microsoft Windows Server 2016 Nano Locale English AMI provided by Amazon"},
}

// PublicImage returns the public image with the given id.
func PublicImage(region, id string) (Image, bool) {
	for _, im := range PublicImages(region) {
		if im.ID == id {
			return im, true
		}
	}
	return Image{}, false
}
