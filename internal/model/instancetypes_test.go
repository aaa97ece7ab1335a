package model

import (
	"reflect"
	"sort"
	"testing"
)

func TestInstanceTypesSorted(t *testing.T) {
	if !sort.SliceIsSorted(instanceTypes, func(i, j int) bool { return instanceTypes[i].Name < instanceTypes[j].Name }) {
		t.Fatal("instanceTypes must be sorted by name for LookupInstanceType")
	}
	for _, it := range instanceTypes {
		if got, ok := LookupInstanceType(it.Name); !ok || !reflect.DeepEqual(got, it) {
			t.Errorf("LookupInstanceType(%s) = %v, %v", it.Name, got, ok)
		}
		if it.MaxENIs < 2 || it.VCPUs < 1 || it.MemoryMiB < 512 {
			t.Errorf("%s: implausible %+v", it.Name, it)
		}
	}
	if _, ok := LookupInstanceType("m5.large"); !ok {
		t.Error("m5.large missing")
	}
	if it, _ := LookupInstanceType("m5.large"); it.TasksWithoutTrunking() != 2 || it.TrunkTasks != 10 {
		t.Errorf("m5.large task limits %d/%d, want 2/10 (container-instance-eni.md)", it.TasksWithoutTrunking(), it.TrunkTasks)
	}
}

// TestSelectInstanceType: attribute-based selection keeps to the
// requirements (burstable, maker, generation, patterns) and picks the
// smallest matching type.
func TestSelectInstanceType(t *testing.T) {
	for _, tc := range []struct {
		r    InstanceRequirements
		want string
	}{
		{InstanceRequirements{VCPUMin: 2, VCPUMax: 4, MemoryMiBMin: 4096, MemoryMiBMax: 8192, BurstablePerformance: "excluded",
			CPUManufacturers: []string{"intel", "amd"}, ExcludedInstanceTypes: []string{"t2*", "r*"}}, "c5.large"},
		{InstanceRequirements{VCPUMin: 2, MemoryMiBMin: 4096, CPUManufacturers: []string{"amazon-web-services"}, BurstablePerformance: "excluded"}, "a1.large"},
		{InstanceRequirements{VCPUMin: 2, MemoryMiBMin: 1024, BurstablePerformance: "required", ExcludedInstanceTypes: []string{"t4g.*"}}, "t3.micro"},
		{InstanceRequirements{VCPUMin: 1, MemoryMiBMin: 1, InstanceGenerations: []string{"previous"}, ExcludedInstanceTypes: []string{"t1.*"}}, "m1.small"},
		{InstanceRequirements{VCPUMin: 2, MemoryMiBMin: 1, AllowedInstanceTypes: []string{"m5.*"}}, "m5.large"},
		{InstanceRequirements{VCPUMin: 1000}, ""},
	} {
		got, _ := SelectInstanceType(tc.r)
		if got != tc.want {
			t.Errorf("SelectInstanceType(%+v) = %q, want %q", tc.r, got, tc.want)
		}
	}
}

func TestInstanceArchitecture(t *testing.T) {
	for typ, want := range map[string]string{"t4g.micro": "arm64", "a1.large": "arm64", "c7g.xlarge": "arm64", "m6g.large": "arm64",
		"t3.micro": "x86_64", "m5a.large": "x86_64", "g4ad.8xlarge": "x86_64", "c5.large": "x86_64", "unknown": "x86_64"} {
		if got := InstanceArchitecture(typ); got != want {
			t.Errorf("InstanceArchitecture(%q) = %q, want %q", typ, got, want)
		}
	}
}

// TestLookupInstanceTypeAllocs: the lookup of the generated catalogue is a
// binary search that allocates nothing, found or not.
func TestLookupInstanceTypeAllocs(t *testing.T) {
	var found bool
	if n := testing.AllocsPerRun(100, func() {
		_, found = LookupInstanceType("m8g.medium")
		_, _ = LookupInstanceType("m5.huge")
	}); n != 0 || !found {
		t.Errorf("LookupInstanceType: %v allocations, m8g.medium found %v", n, found)
	}
}

// TestInstanceTypeCatalogue: the generated table keeps the ECS trunking
// limits and carries EC2's hypervisor and bare metal flags and the network
// cards of the types that have several.
func TestInstanceTypeCatalogue(t *testing.T) {
	for name, want := range map[string]InstanceType{
		"c5.large":    {"c5.large", 2, 4096, 3, 10, 10, "nitro", false, nil},
		"m6i.8xlarge": {"m6i.8xlarge", 32, 131072, 8, 30, 90, "nitro", false, nil},
		"m5d.large":   {"m5d.large", 2, 8192, 3, 10, 10, "nitro", false, nil},
		"c4.large":    {"c4.large", 2, 3840, 3, 10, 0, "xen", false, nil},
		"m5.metal":    {"m5.metal", 96, 393216, 15, 50, 0, "", true, nil},
		"c7a.medium":  {"c7a.medium", 1, 2048, 2, 4, 0, "nitro", false, nil},
		// Four network cards of 15 interfaces: 15 on the default card.
		"p4d.24xlarge": {"p4d.24xlarge", 96, 1179648, 15, 50, 120, "nitro", false, []int{15, 15, 15, 15}},
	} {
		if got, ok := LookupInstanceType(name); !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("LookupInstanceType(%s) = %+v, %v; want %+v", name, got, ok, want)
		}
	}
}

func BenchmarkLookupInstanceType(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		LookupInstanceType("m5.large")
		LookupInstanceType("z1d.large")
		LookupInstanceType("m5.huge")
	}
}

// Launch configurations take the types AWS released up to 2022 and refuse
// the later ones.
func TestLaunchConfigurationSupports(t *testing.T) {
	for name, want := range map[string]bool{
		"t3.micro": true, "m5.large": true, "c6in.large": true, "c7g.large": true, "mac2.metal": true, "u-6tb1.112xlarge": true,
		"m7a.xlarge": false, "m7i.xlarge": false, "c7i.large": false, "r7i.large": false, "m7g.large": false,
		"m8g.large": false, "c8gd.large": false, "p6-b200.48xlarge": false, "u7i-12tb.224xlarge": false, "mac2-m2.metal": false,
	} {
		if _, ok := LookupInstanceType(name); !ok {
			t.Errorf("%s: not in the catalogue", name)
		}
		if got := LaunchConfigurationSupports(name); got != want {
			t.Errorf("LaunchConfigurationSupports(%s) = %v, want %v", name, got, want)
		}
	}
}
