package model

import (
	"path"
	"slices"
	"sort"
	"strings"
)

// instanceTypes is read-only data: EC2 instance types ecsnet knows, sorted by
// name (c4 and m4 are there for the older templates that use them; ECS
// trunking does not support them; a1 and t4g are Graviton, arm64; t1 and m1
// are previous generation, and so are c3, m3, r3 and i2, which the older ECS
// samples use; p3, g4ad, g4dn and g5 carry GPUs (g4dn and g5, which the
// ECS GPU blueprints use, given no trunking [choice] as p3 and g4ad); inf1 and inf2 carry AWS
// Inferentia chips, which the ECS inf AMIs and the Neuron samples use, and
// are given no trunking [choice]; c6g, c7g, m6g, m7g and r6g are
// Graviton too, and their medium sizes are given no trunking [choice]). Sources: EC2 User Guide, "Maximum IP addresses per network interface"
// (using-eni.md#AvailableIpPerENI) for vCPUs, memory, ENIs and IPv4 per ENI;
// ECS Developer Guide, "Elastic network interface trunking"
// (container-instance-eni.md) for the task limits with trunking. See
// docs/aws-behavior.md.
var instanceTypes = []InstanceType{
	{"a1.2xlarge", 8, 16384, 4, 15, 0},
	{"a1.4xlarge", 16, 32768, 8, 30, 0},
	{"a1.large", 2, 4096, 3, 10, 0},
	{"a1.medium", 1, 2048, 2, 4, 0},
	{"a1.metal", 16, 32768, 8, 30, 0},
	{"a1.xlarge", 4, 8192, 4, 15, 0},
	{"c3.2xlarge", 8, 15360, 4, 15, 0},
	{"c3.4xlarge", 16, 30720, 8, 30, 0},
	{"c3.8xlarge", 32, 61440, 8, 30, 0},
	{"c3.large", 2, 3840, 3, 10, 0},
	{"c3.xlarge", 4, 7680, 4, 15, 0},
	{"c4.2xlarge", 8, 15360, 4, 15, 0},
	{"c4.4xlarge", 16, 30720, 8, 30, 0},
	{"c4.8xlarge", 36, 61440, 8, 30, 0},
	{"c4.large", 2, 3840, 3, 10, 0},
	{"c4.xlarge", 4, 7680, 4, 15, 0},
	{"c5.12xlarge", 48, 98304, 8, 30, 60},
	{"c5.18xlarge", 72, 147456, 15, 50, 120},
	{"c5.24xlarge", 96, 196608, 15, 50, 120},
	{"c5.2xlarge", 8, 16384, 4, 15, 40},
	{"c5.4xlarge", 16, 32768, 8, 30, 60},
	{"c5.9xlarge", 36, 73728, 8, 30, 60},
	{"c5.large", 2, 4096, 3, 10, 10},
	{"c5.metal", 96, 196608, 15, 50, 0},
	{"c5.xlarge", 4, 8192, 4, 15, 20},
	{"c5a.large", 2, 4096, 3, 10, 10},
	{"c5a.xlarge", 4, 8192, 4, 15, 20},
	{"c5n.large", 2, 5376, 3, 10, 10},
	{"c6a.2xlarge", 8, 16384, 4, 15, 40},
	{"c6a.4xlarge", 16, 32768, 8, 30, 60},
	{"c6a.large", 2, 4096, 3, 10, 10},
	{"c6a.xlarge", 4, 8192, 4, 15, 20},
	{"c6g.2xlarge", 8, 16384, 4, 15, 40},
	{"c6g.large", 2, 4096, 3, 10, 10},
	{"c6g.medium", 1, 2048, 2, 4, 0},
	{"c6g.xlarge", 4, 8192, 4, 15, 20},
	{"c6i.2xlarge", 8, 16384, 4, 15, 40},
	{"c6i.large", 2, 4096, 3, 10, 10},
	{"c6i.xlarge", 4, 8192, 4, 15, 20},
	{"c7g.2xlarge", 8, 16384, 4, 15, 40},
	{"c7g.large", 2, 4096, 3, 10, 10},
	{"c7g.medium", 1, 2048, 2, 4, 0},
	{"c7g.xlarge", 4, 8192, 4, 15, 20},
	{"c7i.2xlarge", 8, 16384, 4, 15, 40},
	{"c7i.large", 2, 4096, 3, 10, 10},
	{"c7i.xlarge", 4, 8192, 4, 15, 20},
	{"g4ad.8xlarge", 32, 131072, 4, 15, 0},
	{"g4dn.12xlarge", 48, 196608, 8, 30, 0},
	{"g4dn.16xlarge", 64, 262144, 4, 15, 0},
	{"g4dn.2xlarge", 8, 32768, 3, 10, 0},
	{"g4dn.4xlarge", 16, 65536, 3, 10, 0},
	{"g4dn.8xlarge", 32, 131072, 4, 15, 0},
	{"g4dn.metal", 96, 393216, 15, 50, 0},
	{"g4dn.xlarge", 4, 16384, 3, 10, 0},
	{"g5.12xlarge", 48, 196608, 15, 50, 0},
	{"g5.16xlarge", 64, 262144, 8, 30, 0},
	{"g5.24xlarge", 96, 393216, 15, 50, 0},
	{"g5.2xlarge", 8, 32768, 4, 15, 0},
	{"g5.48xlarge", 192, 786432, 7, 50, 0},
	{"g5.4xlarge", 16, 65536, 8, 30, 0},
	{"g5.8xlarge", 32, 131072, 8, 30, 0},
	{"g5.xlarge", 4, 16384, 4, 15, 0},
	{"i2.2xlarge", 8, 62464, 4, 15, 0},
	{"i2.4xlarge", 16, 124928, 8, 30, 0},
	{"i2.8xlarge", 32, 249856, 8, 30, 0},
	{"i2.xlarge", 4, 31232, 4, 15, 0},
	{"inf1.24xlarge", 96, 196608, 11, 30, 0},
	{"inf1.2xlarge", 8, 16384, 4, 10, 0},
	{"inf1.6xlarge", 24, 49152, 8, 30, 0},
	{"inf1.xlarge", 4, 8192, 4, 10, 0},
	{"inf2.24xlarge", 96, 393216, 8, 30, 0},
	{"inf2.48xlarge", 192, 786432, 8, 30, 0},
	{"inf2.8xlarge", 32, 131072, 4, 30, 0},
	{"inf2.xlarge", 4, 16384, 4, 15, 0},
	{"m1.medium", 1, 3840, 2, 6, 0},
	{"m1.small", 1, 1740, 2, 4, 0},
	{"m3.2xlarge", 8, 30720, 4, 30, 0},
	{"m3.large", 2, 7680, 3, 10, 0},
	{"m3.medium", 1, 3840, 2, 6, 0},
	{"m3.xlarge", 4, 15360, 4, 15, 0},
	{"m4.10xlarge", 40, 163840, 8, 30, 0},
	{"m4.16xlarge", 64, 262144, 8, 30, 0},
	{"m4.2xlarge", 8, 32768, 4, 15, 0},
	{"m4.4xlarge", 16, 65536, 8, 30, 0},
	{"m4.large", 2, 8192, 2, 10, 0},
	{"m4.xlarge", 4, 16384, 4, 15, 0},
	{"m5.12xlarge", 48, 196608, 8, 30, 60},
	{"m5.16xlarge", 64, 262144, 15, 50, 120},
	{"m5.24xlarge", 96, 393216, 15, 50, 120},
	{"m5.2xlarge", 8, 32768, 4, 15, 40},
	{"m5.4xlarge", 16, 65536, 8, 30, 60},
	{"m5.8xlarge", 32, 131072, 8, 30, 60},
	{"m5.large", 2, 8192, 3, 10, 10},
	{"m5.metal", 96, 393216, 15, 50, 0},
	{"m5.xlarge", 4, 16384, 4, 15, 20},
	{"m5a.2xlarge", 8, 32768, 4, 15, 40},
	{"m5a.large", 2, 8192, 3, 10, 10},
	{"m5a.xlarge", 4, 16384, 4, 15, 20},
	{"m6a.large", 2, 8192, 3, 10, 10},
	{"m6a.xlarge", 4, 16384, 4, 15, 20},
	{"m6g.2xlarge", 8, 32768, 4, 15, 40},
	{"m6g.large", 2, 8192, 3, 10, 10},
	{"m6g.medium", 1, 4096, 2, 4, 0},
	{"m6g.xlarge", 4, 16384, 4, 15, 20},
	{"m6i.12xlarge", 48, 196608, 8, 30, 120},
	{"m6i.16xlarge", 64, 262144, 15, 50, 120},
	{"m6i.24xlarge", 96, 393216, 15, 50, 120},
	{"m6i.2xlarge", 8, 32768, 4, 15, 40},
	{"m6i.32xlarge", 128, 524288, 15, 50, 120},
	{"m6i.4xlarge", 16, 65536, 8, 30, 60},
	{"m6i.8xlarge", 32, 131072, 8, 30, 90},
	{"m6i.large", 2, 8192, 3, 10, 10},
	{"m6i.metal", 128, 524288, 15, 50, 120},
	{"m6i.xlarge", 4, 16384, 4, 15, 20},
	{"m7g.2xlarge", 8, 32768, 4, 15, 40},
	{"m7g.large", 2, 8192, 3, 10, 10},
	{"m7g.medium", 1, 4096, 2, 4, 0},
	{"m7g.xlarge", 4, 16384, 4, 15, 20},
	{"m7i.2xlarge", 8, 32768, 4, 15, 40},
	{"m7i.large", 2, 8192, 3, 10, 10},
	{"m7i.xlarge", 4, 16384, 4, 15, 20},
	{"p3.2xlarge", 8, 62464, 4, 15, 0},
	{"r3.2xlarge", 8, 62464, 4, 15, 0},
	{"r3.4xlarge", 16, 124928, 8, 30, 0},
	{"r3.8xlarge", 32, 249856, 8, 30, 0},
	{"r3.large", 2, 15616, 3, 10, 0},
	{"r3.xlarge", 4, 31232, 4, 15, 0},
	{"r5.12xlarge", 48, 393216, 8, 30, 60},
	{"r5.16xlarge", 64, 524288, 15, 50, 120},
	{"r5.24xlarge", 96, 786432, 15, 50, 120},
	{"r5.2xlarge", 8, 65536, 4, 15, 40},
	{"r5.4xlarge", 16, 131072, 8, 30, 60},
	{"r5.8xlarge", 32, 262144, 8, 30, 0},
	{"r5.large", 2, 16384, 3, 10, 10},
	{"r5.metal", 96, 786432, 15, 50, 0},
	{"r5.xlarge", 4, 32768, 4, 15, 20},
	{"r6g.large", 2, 16384, 3, 10, 10},
	{"r6g.medium", 1, 8192, 2, 4, 0},
	{"r6g.xlarge", 4, 32768, 4, 15, 20},
	{"r6i.large", 2, 16384, 3, 10, 10},
	{"r6i.xlarge", 4, 32768, 4, 15, 20},
	{"t1.micro", 1, 627, 2, 2, 0},
	{"t2.2xlarge", 8, 32768, 3, 15, 0},
	{"t2.large", 2, 8192, 3, 12, 0},
	{"t2.medium", 2, 4096, 3, 6, 0},
	{"t2.micro", 1, 1024, 2, 2, 0},
	{"t2.nano", 1, 512, 2, 2, 0},
	{"t2.small", 1, 2048, 3, 4, 0},
	{"t2.xlarge", 4, 16384, 3, 15, 0},
	{"t3.2xlarge", 8, 32768, 4, 15, 0},
	{"t3.large", 2, 8192, 3, 12, 0},
	{"t3.medium", 2, 4096, 3, 6, 0},
	{"t3.micro", 2, 1024, 2, 2, 0},
	{"t3.nano", 2, 512, 2, 2, 0},
	{"t3.small", 2, 2048, 3, 4, 0},
	{"t3.xlarge", 4, 16384, 4, 15, 0},
	{"t3a.2xlarge", 8, 32768, 4, 15, 0},
	{"t3a.large", 2, 8192, 3, 12, 0},
	{"t3a.medium", 2, 4096, 3, 6, 0},
	{"t3a.micro", 2, 1024, 2, 2, 0},
	{"t3a.nano", 2, 512, 2, 2, 0},
	{"t3a.small", 2, 2048, 2, 4, 0},
	{"t3a.xlarge", 4, 16384, 4, 15, 0},
	{"t4g.2xlarge", 8, 32768, 4, 15, 0},
	{"t4g.large", 2, 8192, 3, 12, 0},
	{"t4g.medium", 2, 4096, 3, 6, 0},
	{"t4g.micro", 2, 1024, 2, 2, 0},
	{"t4g.nano", 2, 512, 2, 2, 0},
	{"t4g.small", 2, 2048, 3, 4, 0},
	{"t4g.xlarge", 4, 16384, 4, 15, 0},
}

// LookupInstanceType returns the limits of the named instance type.
func LookupInstanceType(name string) (InstanceType, bool) {
	i := sort.Search(len(instanceTypes), func(i int) bool { return instanceTypes[i].Name >= name })
	if i < len(instanceTypes) && instanceTypes[i].Name == name {
		return instanceTypes[i], true
	}
	return InstanceType{}, false
}

// InstanceTypes returns every known instance type, sorted by name.
func InstanceTypes() []InstanceType {
	return append([]InstanceType(nil), instanceTypes...)
}

// previousGenerations are the families DescribeInstanceTypes reports with
// CurrentGeneration false among the types ecsnet knows [choice: the EC2
// User Guide's "Previous generation instances"].
var previousGenerations = []string{"c1", "c3", "cr1", "g2", "hs1", "i2", "m1", "m2", "m3", "r3", "t1"}

// instanceFamily is the part of an instance type's name before the dot.
func instanceFamily(name string) string {
	f, _, _ := strings.Cut(name, ".")
	return f
}

// cpuManufacturer is the maker of an instance type's processor, read from
// its family's name as EC2 names them: Graviton ("a1", a "g" after the
// generation: c6g, t4g) is amazon-web-services, an "a" after the
// generation (m5a, c6a, g4ad) is amd, the rest intel.
func cpuManufacturer(name string) string {
	f := instanceFamily(name)
	switch f {
	case "a1":
		return "amazon-web-services"
	case "g5":
		// AMD EPYC, though its name carries no "a".
		return "amd"
	}
	i := strings.IndexFunc(f, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 {
		return "intel"
	}
	rest := strings.TrimLeft(f[i:], "0123456789")
	switch {
	case strings.HasPrefix(rest, "g"):
		return "amazon-web-services"
	case strings.HasPrefix(rest, "a"):
		return "amd"
	}
	return "intel"
}

// InstanceArchitecture is the CPU architecture of an instance type, as
// EC2's ProcessorInfo.SupportedArchitectures and the ECS agent's
// ecs.cpu-architecture attribute name it: "arm64" for the Graviton
// families (cpuManufacturer amazon-web-services), "x86_64" for the rest,
// including types ecsnet does not know.
func InstanceArchitecture(name string) string {
	if cpuManufacturer(name) == "amazon-web-services" {
		return "arm64"
	}
	return "x86_64"
}

// Matches reports whether instance type t has the attributes r asks for.
func (r *InstanceRequirements) Matches(t InstanceType) bool {
	if t.VCPUs < r.VCPUMin || r.VCPUMax > 0 && t.VCPUs > r.VCPUMax ||
		t.MemoryMiB < r.MemoryMiBMin || r.MemoryMiBMax > 0 && t.MemoryMiB > r.MemoryMiBMax {
		return false
	}
	burstable := strings.HasPrefix(t.Name, "t")
	switch r.BurstablePerformance {
	case "excluded":
		if burstable {
			return false
		}
	case "required":
		if !burstable {
			return false
		}
	}
	if len(r.CPUManufacturers) > 0 && !slices.Contains(r.CPUManufacturers, cpuManufacturer(t.Name)) {
		return false
	}
	gen := "current"
	if slices.Contains(previousGenerations, instanceFamily(t.Name)) {
		gen = "previous"
	}
	if len(r.InstanceGenerations) > 0 && !slices.Contains(r.InstanceGenerations, gen) {
		return false
	}
	match := func(patterns []string) bool {
		for _, p := range patterns {
			if ok, _ := path.Match(p, t.Name); ok {
				return true
			}
		}
		return false
	}
	if match(r.ExcludedInstanceTypes) || len(r.AllowedInstanceTypes) > 0 && !match(r.AllowedInstanceTypes) {
		return false
	}
	return true
}

// SelectInstanceType returns the instance type an Auto Scaling group
// launches for requirements r: of the known types that match, the one
// with the fewest vCPUs, then the least memory, then by name (ecsnet
// knows no prices; AWS picks by price and capacity [choice]).
func SelectInstanceType(r InstanceRequirements) (string, bool) {
	var best *InstanceType
	for i := range instanceTypes {
		t := &instanceTypes[i]
		if !r.Matches(*t) {
			continue
		}
		if best == nil || t.VCPUs < best.VCPUs || t.VCPUs == best.VCPUs && t.MemoryMiB < best.MemoryMiB {
			best = t
		}
	}
	if best == nil {
		return "", false
	}
	return best.Name, true
}
