package model

import (
	"path"
	"slices"
	"sort"
	"strings"
)

// The catalogue, instanceTypes, is generated (instancetypes_data.go): every
// type EC2's DescribeInstanceTypes returned to amazon-vpc-cni-k8s (its
// pkg/vpc/vpc_ip_resource_limit.go: network interfaces, IPv4 addresses per
// interface, hypervisor, bare metal) whose vCPUs and memory are known: from
// cluster-autoscaler's table of the AWS price list (two versions, the newer
// one's rows for the types the older lacks), else, for the sixth and later
// generations of c, m and r, from the name [choice]; and the ECS trunking
// limits of container-instance-eni.md (geninstancetypes/trunking.txt). To
// regenerate, put the public files in /tmp/ecsnet-itypes: vpc_ip_resource_limit.go
// from the Go module github.com/aws/amazon-vpc-cni-k8s, and the VCPU and
// MemoryMb columns of the two ec2_instance_types.go named in the header of
// instancetypes_data.go as "type vCPUs MiB" lines (ca-vcpu-mem.txt,
// ca-vcpu-mem-2025.txt); then go generate. See docs/aws-behavior.md.
//
//go:generate go run ./geninstancetypes -cni /tmp/ecsnet-itypes/vpc_ip_resource_limit.go -cni-ref "github.com/aws/amazon-vpc-cni-k8s v1.23.2 (2026-09-29, from the Go module proxy), pkg/vpc/vpc_ip_resource_limit.go" -vcpu /tmp/ecsnet-itypes/ca-vcpu-mem.txt,/tmp/ecsnet-itypes/ca-vcpu-mem-2025.txt,geninstancetypes/docs-vcpu-mem.txt -vcpu-ref "kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go at 01c0d41c60619978f6845664b197354c995cc5af, then rrangith/autoscaler's at 3c922ffb66b08d18f7e695ef8038f9544f9b1d65 (list of 2025-12-16) for the types the first lacks, then geninstancetypes/docs-vcpu-mem.txt (EC2 specifications) for types both lack" -out instancetypes_data.go

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

// CurrentGeneration reports whether EC2's DescribeInstanceTypes calls the
// type current generation (CurrentGeneration): every family but those of
// previousGenerations.
func CurrentGeneration(name string) bool {
	return !slices.Contains(previousGenerations, instanceFamily(name))
}

// launchedAfter2022 are the families of generation 7 or older, and the
// others EC2 names without a generation, that AWS released after December
// 31, 2022 [choice: each family's "now generally available" announcement in
// AWS What's New: m7g and r7g February 2023, inf2 and trn1n April 2023,
// c7gn, hpc7g and the Graviton "gd" families June to August 2023, m7i, m7a,
// r7iz, p5, hpc7a August 2023, c7i September 2023, r7a, c7a November 2023,
// r7i December 2023, then g6, gr6, c7i-flex, u7i, the mac Apple silicon types
// and f2]. Every family of generation 8 or later is newer too.
var launchedAfter2022 = []string{"c7a", "c7gd", "c7gn", "c7i", "c7i-flex", "f2", "g6", "g6e", "g6f", "gr6", "gr6f",
	"hpc7a", "hpc7g", "i7i", "i7ie", "inf2", "m7a", "m7g", "m7gd", "m7i", "m7i-flex", "mac-m4", "mac-m4pro",
	"mac2-m1ultra", "mac2-m2", "mac2-m2pro", "p5", "p5e", "p5en", "p6-b200", "r7a", "r7g", "r7gd", "r7i", "r7iz", "trn1n"}

// LaunchConfigurationSupports reports whether an Auto Scaling launch
// configuration may use the instance type: "Launch configurations do not
// support new Amazon EC2 instance types that are released after December
// 31, 2022" (Amazon EC2 Auto Scaling User Guide, "Launch configurations").
func LaunchConfigurationSupports(name string) bool {
	family := instanceFamily(name)
	if slices.Contains(launchedAfter2022, family) || strings.HasPrefix(family, "u7i") {
		return false
	}
	// The generation is the first digit of the family's name (c8g, p6-b200,
	// i8ge); the high memory u-*tb1 types and mac1/mac2 are older.
	for _, r := range family {
		if r >= '0' && r <= '9' {
			return r < '8'
		}
		if r == '-' {
			break
		}
	}
	return true
}

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
// families (cpuManufacturer amazon-web-services), the Macs' own
// "x86_64_mac" (mac1, Intel) and "arm64_mac" (mac2, mac-m4 and the other
// Apple silicon Macs), "x86_64" for the rest, including types ecsnet does
// not know.
func InstanceArchitecture(name string) string {
	switch f := instanceFamily(name); {
	case f == "mac1":
		return "x86_64_mac"
	case strings.HasPrefix(f, "mac"):
		return "arm64_mac"
	}
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
