package model

import "sort"

// instanceTypes is read-only data: EC2 instance types ecsnet knows, sorted by
// name (c4 and m4 are there for the older templates that use them; ECS
// trunking does not support them; a1 and t4g are Graviton, arm64; t1 and m1
// are previous generation; p3 and g4ad carry GPUs). Sources: EC2 User Guide, "Maximum IP addresses per network interface"
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
	{"g4ad.8xlarge", 32, 131072, 4, 15, 0},
	{"m1.medium", 1, 3840, 2, 6, 0},
	{"m1.small", 1, 1740, 2, 4, 0},
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
	{"p3.2xlarge", 8, 62464, 4, 15, 0},
	{"r5.12xlarge", 48, 393216, 8, 30, 60},
	{"r5.16xlarge", 64, 524288, 15, 50, 120},
	{"r5.24xlarge", 96, 786432, 15, 50, 120},
	{"r5.2xlarge", 8, 65536, 4, 15, 40},
	{"r5.4xlarge", 16, 131072, 8, 30, 60},
	{"r5.8xlarge", 32, 262144, 8, 30, 0},
	{"r5.large", 2, 16384, 3, 10, 10},
	{"r5.metal", 96, 786432, 15, 50, 0},
	{"r5.xlarge", 4, 32768, 4, 15, 20},
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
