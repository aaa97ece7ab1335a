package model

import (
	"sort"
	"testing"
)

func TestInstanceTypesSorted(t *testing.T) {
	if !sort.SliceIsSorted(instanceTypes, func(i, j int) bool { return instanceTypes[i].Name < instanceTypes[j].Name }) {
		t.Fatal("instanceTypes must be sorted by name for LookupInstanceType")
	}
	for _, it := range instanceTypes {
		if got, ok := LookupInstanceType(it.Name); !ok || got != it {
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
