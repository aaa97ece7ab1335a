package engine

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// The public parameters AWS publishes under /aws/service/ in every region,
// as far as templates and tools read them: the ECS-optimized AMIs, the
// Amazon Linux AMIs and the region list. Their values are ecsnet's
// stand-ins, stable per region (docs/aws-behavior.md): AMI ids are "ami-0"
// and 16 hex digits derived from the region and the image name, and image
// names carry the release date below.

// publicRelease is the release the stand-in images are named after.
const publicRelease = "20250102"

// publicModified is the LastModifiedDate of every public parameter.
func publicModified() time.Time { return time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC) }

// ecsImage is one family of ECS-optimized AMIs.
type ecsImage struct {
	path       string // under /aws/service/ecs/optimized-ami/
	name       string // image_name
	os         string
	sourceName string
	windows    bool
}

func ecsImages() []ecsImage {
	al2 := "amzn2-ami-minimal-hvm-2.0." + publicRelease + "-x86_64-ebs"
	al2023 := "al2023-ami-minimal-2023.6." + publicRelease + "-kernel-6.1-x86_64"
	return []ecsImage{
		{"amazon-linux-2", "amzn2-ami-ecs-hvm-2.0." + publicRelease + "-x86_64-ebs", "Amazon Linux 2", al2, false},
		{"amazon-linux-2/kernel-5.10", "amzn2-ami-ecs-kernel-5.10-hvm-2.0." + publicRelease + "-x86_64-ebs", "Amazon Linux 2", al2, false},
		{"amazon-linux-2/arm64", "amzn2-ami-ecs-hvm-2.0." + publicRelease + "-arm64-ebs", "Amazon Linux 2", strings.Replace(al2, "x86_64", "arm64", 1), false},
		{"amazon-linux-2/kernel-5.10/arm64", "amzn2-ami-ecs-kernel-5.10-hvm-2.0." + publicRelease + "-arm64-ebs", "Amazon Linux 2", strings.Replace(al2, "x86_64", "arm64", 1), false},
		{"amazon-linux-2/gpu", "amzn2-ami-ecs-gpu-hvm-2.0." + publicRelease + "-x86_64-ebs", "Amazon Linux 2", al2, false},
		{"amazon-linux-2/inf", "amzn2-ami-ecs-inf-hvm-2.0." + publicRelease + "-x86_64-ebs", "Amazon Linux 2", al2, false},
		{"amazon-linux-2023", "al2023-ami-ecs-hvm-2023.0." + publicRelease + "-kernel-6.1-x86_64", "Amazon Linux 2023", al2023, false},
		{"amazon-linux-2023/arm64", "al2023-ami-ecs-hvm-2023.0." + publicRelease + "-kernel-6.1-arm64", "Amazon Linux 2023", strings.Replace(al2023, "x86_64", "arm64", 1), false},
		{"amazon-linux-2023/gpu", "al2023-ami-ecs-gpu-hvm-2023.0." + publicRelease + "-kernel-6.1-x86_64", "Amazon Linux 2023", al2023, false},
		{"amazon-linux-2023/neuron", "al2023-ami-ecs-neuron-hvm-2023.0." + publicRelease + "-kernel-6.1-x86_64", "Amazon Linux 2023", al2023, false},
		{"amazon-linux", "amzn-ami-2018.03.20240131-amazon-ecs-optimized", "Amazon Linux", "amzn-ami-minimal-hvm-2018.03.0.20240131-x86_64-ebs", false},
		{"windows_server/2022/english/full", "Windows_Server-2022-English-Full-ECS_Optimized-2025.01.02", "Windows Server 2022 English", "Windows_Server-2022-English-Full-Base-2025.01.02", true},
		{"windows_server/2022/english/core", "Windows_Server-2022-English-Core-ECS_Optimized-2025.01.02", "Windows Server 2022 English", "Windows_Server-2022-English-Core-Base-2025.01.02", true},
		{"windows_server/2019/english/full", "Windows_Server-2019-English-Full-ECS_Optimized-2025.01.02", "Windows Server 2019 English", "Windows_Server-2019-English-Full-Base-2025.01.02", true},
		{"windows_server/2019/english/core", "Windows_Server-2019-English-Core-ECS_Optimized-2025.01.02", "Windows Server 2019 English", "Windows_Server-2019-English-Core-Base-2025.01.02", true},
	}
}

// amazonLinuxImages are the /aws/service/ami-amazon-linux-latest/
// parameters (their names are the image name patterns).
func amazonLinuxImages() []string {
	return []string{
		"al2023-ami-kernel-default-x86_64", "al2023-ami-kernel-default-arm64",
		"al2023-ami-kernel-6.1-x86_64", "al2023-ami-kernel-6.1-arm64",
		"al2023-ami-kernel-6.12-x86_64", "al2023-ami-kernel-6.12-arm64",
		"al2023-ami-minimal-kernel-default-x86_64", "al2023-ami-minimal-kernel-default-arm64",
		"amzn2-ami-hvm-x86_64-gp2", "amzn2-ami-hvm-arm64-gp2", "amzn2-ami-hvm-x86_64-ebs",
		"amzn2-ami-kernel-5.10-hvm-x86_64-gp2", "amzn2-ami-kernel-5.10-hvm-arm64-gp2", "amzn2-ami-kernel-5.10-hvm-x86_64-ebs",
		"amzn2-ami-minimal-hvm-x86_64-ebs", "amzn2-ami-minimal-hvm-arm64-ebs",
		// Amazon Linux 1 (AWS still publishes them; the CDK's
		// MachineImage.latestAmazonLinux() reads amzn-ami-hvm-x86_64-gp2).
		"amzn-ami-hvm-x86_64-gp2", "amzn-ami-hvm-x86_64-ebs", "amzn-ami-minimal-hvm-x86_64-ebs",
	}
}

// bottlerocketVersion is the Bottlerocket release the stand-in images
// are named after.
const bottlerocketVersion = "1.29.0-f6b5d5d8"

// bottlerocketImage is one Bottlerocket variant for ECS on one
// architecture: /aws/service/bottlerocket/VARIANT/ARCH/latest/.
type bottlerocketImage struct{ variant, arch string }

func (b bottlerocketImage) param() string { return brAMIPrefix + b.variant + "/" + b.arch + "/latest" }

// name is the image's name ("bottlerocket-aws-ecs-2-x86_64-v1.29.0-f6b5d5d8").
func (b bottlerocketImage) name() string {
	return "bottlerocket-" + b.variant + "-" + b.arch + "-v" + bottlerocketVersion
}

func bottlerocketImages() []bottlerocketImage {
	var out []bottlerocketImage
	for _, v := range []string{"aws-ecs-1", "aws-ecs-1-nvidia", "aws-ecs-2", "aws-ecs-2-nvidia"} {
		for _, a := range []string{"x86_64", "arm64"} {
			out = append(out, bottlerocketImage{v, a})
		}
	}
	return out
}

// bottlerocketParams returns one Bottlerocket image's parameters.
func bottlerocketParams(region string, b bottlerocketImage) []*model.Parameter {
	return []*model.Parameter{
		publicParam(b.param()+"/image_id", fakeAMI(region, b.name())),
		publicParam(b.param()+"/image_version", bottlerocketVersion),
	}
}

// publicRegions are the regions /aws/service/global-infrastructure/regions
// lists in region's partition (each partition publishes its own), with
// their long names.
func publicRegions(region string) [][2]string {
	var out [][2]string
	for _, r := range model.Regions(model.Partition(region)) {
		out = append(out, [2]string{r, model.RegionLongName(r)})
	}
	return out
}

const (
	ecsAMIPrefix  = "/aws/service/ecs/optimized-ami/"
	alAMIPrefix   = "/aws/service/ami-amazon-linux-latest/"
	brAMIPrefix   = "/aws/service/bottlerocket/"
	regionsPrefix = "/aws/service/global-infrastructure/regions/"
	fluentPrefix  = "/aws/service/aws-for-fluent-bit/"
)

// fluentBitRegistry is the ECR registry of AWS for Fluent Bit's images
// in a region, "" where aws/aws-for-fluent-bit's README lists none
// (ecsnet then publishes no /aws/service/aws-for-fluent-bit/ parameter
// there [choice]).
func fluentBitRegistry(region string) string {
	switch region {
	case "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
		"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
		"ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1":
		return "906394416424"
	case "ap-east-1":
		return "449074385750"
	case "cn-north-1", "cn-northwest-1":
		return "128054284489"
	case "us-gov-east-1", "us-gov-west-1":
		return "161423150738"
	}
	return ""
}

// fluentBitParams are the /aws/service/aws-for-fluent-bit/ parameters of
// a region: each tag's image URI in the region's registry (what a
// FireLens log router's Image takes, as the CDK's
// `obtainDefaultFluentBitECRImage` reads /aws/service/aws-for-fluent-bit/latest).
func fluentBitParams(region string) []*model.Parameter {
	reg := fluentBitRegistry(region)
	if reg == "" {
		return nil
	}
	var out []*model.Parameter
	for _, tag := range []string{"latest", "stable"} {
		out = append(out, publicParam(fluentPrefix+tag, reg+".dkr.ecr."+region+"."+model.DNSSuffix(region)+"/aws-for-fluent-bit:"+tag))
	}
	return out
}

func publicParam(name, value string) *model.Parameter {
	return &model.Parameter{Name: name, Type: "String", Value: value, Version: 1, Tier: "Standard",
		DataType: "text", LastModified: publicModified()}
}

// ecsImageParams returns the parameters of one ECS-optimized AMI family.
func ecsImageParams(region string, img ecsImage) []*model.Parameter {
	base := ecsAMIPrefix + img.path + "/recommended"
	id := fakeAMI(region, img.name)
	runtime := "Docker version 25.0.6"
	if img.windows {
		runtime = "Docker (CE) version 25.0.6"
	}
	rec := map[string]any{
		"ecs_agent_version": latestAgentVersion, "ecs_runtime_version": runtime, "image_id": id, "image_name": img.name,
		"os": img.os, "schema_version": 1, "source_image_name": img.sourceName,
	}
	value, _ := json.Marshal(rec)
	return []*model.Parameter{
		publicParam(base, string(value)),
		publicParam(base+"/image_id", id),
		publicParam(base+"/image_name", img.name),
		publicParam(base+"/os", img.os),
		publicParam(base+"/schema_version", "1"),
		publicParam(base+"/ecs_agent_version", latestAgentVersion),
		publicParam(base+"/ecs_runtime_version", runtime),
		publicParam(base+"/source_image_name", img.sourceName),
	}
}

// regionParams returns a region's global-infrastructure parameters.
func regionParams(r [2]string) []*model.Parameter {
	base := regionsPrefix + r[0]
	return []*model.Parameter{
		publicParam(base, r[0]),
		publicParam(base+"/longName", r[1]),
		publicParam(base+"/partition", model.Partition(r[0])),
		publicParam(base+"/domain", model.DNSSuffix(r[0])),
	}
}

// PublicParameters returns every public parameter ecsnet publishes in a
// region, sorted by name.
func PublicParameters(region string) []*model.Parameter {
	var out []*model.Parameter
	for _, img := range ecsImages() {
		out = append(out, ecsImageParams(region, img)...)
	}
	for _, name := range amazonLinuxImages() {
		out = append(out, publicParam(alAMIPrefix+name, fakeAMI(region, name)))
	}
	for _, b := range bottlerocketImages() {
		out = append(out, bottlerocketParams(region, b)...)
	}
	for _, r := range publicRegions(region) {
		out = append(out, regionParams(r)...)
	}
	out = append(out, fluentBitParams(region)...)
	slices.SortFunc(out, func(a, b *model.Parameter) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// PublicParameter returns one public parameter, or nil. It builds only
// the family the name belongs to.
func PublicParameter(region, name string) *model.Parameter {
	var family []*model.Parameter
	switch {
	case strings.HasPrefix(name, ecsAMIPrefix):
		rest := strings.TrimPrefix(name, ecsAMIPrefix)
		for _, img := range ecsImages() {
			if r, ok := strings.CutPrefix(rest, img.path+"/recommended"); ok && (r == "" || r[0] == '/') {
				family = ecsImageParams(region, img)
			}
		}
	case strings.HasPrefix(name, alAMIPrefix):
		img := strings.TrimPrefix(name, alAMIPrefix)
		if slices.Contains(amazonLinuxImages(), img) {
			return publicParam(name, fakeAMI(region, img))
		}
	case strings.HasPrefix(name, brAMIPrefix):
		for _, b := range bottlerocketImages() {
			if strings.HasPrefix(name, b.param()+"/") {
				family = bottlerocketParams(region, b)
			}
		}
	case strings.HasPrefix(name, fluentPrefix):
		family = fluentBitParams(region)
	case strings.HasPrefix(name, regionsPrefix):
		code, _, _ := strings.Cut(strings.TrimPrefix(name, regionsPrefix), "/")
		for _, r := range publicRegions(region) {
			if r[0] == code {
				family = regionParams(r)
			}
		}
	}
	for _, p := range family {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// IsAWSRegion reports whether a name is a region of AWS's partitions as
// the AWS SDKs' endpoint models list them (the Terraform provider refuses
// any other name unless told to skip the check).
func IsAWSRegion(name string) bool {
	return model.RegionLongName(name) != ""
}
