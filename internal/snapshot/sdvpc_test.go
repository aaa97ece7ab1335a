package snapshot_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestNamespaceVpcWithSharedCIDR: a private namespace's VPC, which Cloud
// Map does not show, is taken from its ECS tasks, not from an address
// that two VPCs of the same CIDR both hold.
func TestNamespaceVpcWithSharedCIDR(t *testing.T) {
	res, err := cfn.Load("testdata/sd-shared-cidr.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	var vpcA model.VpcID
	addrs := 0
	for _, s := range res.Stacks[0].Resources {
		if s.LogicalID == "VpcA" {
			vpcA = model.VpcID(s.PhysicalID)
		}
	}
	for _, n := range st.NetworkInterfaces {
		for _, p := range n.PrivateIPs {
			if p.Addr.String() == "10.0.0.4" {
				addrs++
			}
		}
	}
	if addrs != 4 || len(st.DiscoveryInstances) != 1 {
		t.Fatalf("%d interfaces hold 10.0.0.4 and %d Cloud Map instances, want 4 and 1", addrs, len(st.DiscoveryInstances))
	}
	// The task's interface is given the highest id, so that a lookup of
	// the address alone, which takes the lowest, lands in another VPC.
	for id, n := range st.NetworkInterfaces {
		if !strings.HasPrefix(n.Description, "arn:aws:ecs:") {
			continue
		}
		const last = model.NetworkInterfaceID("eni-fffffffffffffffff")
		delete(st.NetworkInterfaces, id)
		n.ID = last
		st.NetworkInterfaces[last] = n
		for _, tk := range st.Tasks {
			for i := range tk.Attachments {
				if tk.Attachments[i].ENI == id {
					tk.Attachments[i].ENI = last
				}
			}
		}
	}
	dir, _ := writeSnapshot(t, st)
	got := load(t, dir)
	for _, w := range got.Warnings {
		if strings.Contains(w.Message, "namespace internal") {
			t.Errorf("warning: %s", w.Message)
		}
	}
	for _, ns := range state(got).Namespaces {
		if ns.Name == "internal" && ns.VpcID != vpcA {
			t.Errorf("namespace internal in %q, want %s", ns.VpcID, vpcA)
		}
	}
}

// TestNamespaceVpcOfServiceConnect: a private namespace holding only the
// Cloud Map services ECS made for Service Connect (API-only, their
// instances' addresses shared by another VPC of the same CIDR) is in the
// VPC of the Service Connect service's subnets, without a warning (the
// CDK's cluster-existing-namespace test read back from the emulator next
// to other CDK stacks warned "the VPC of private DNS namespace … is
// unknown").
func TestNamespaceVpcOfServiceConnect(t *testing.T) {
	res, err := cfn.Load("testdata/sd-service-connect.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	var vpcA model.VpcID
	for _, s := range res.Stacks[0].Resources {
		if s.LogicalID == "VpcA" {
			vpcA = model.VpcID(s.PhysicalID)
		}
	}
	if len(st.DiscoveryInstances) != 1 {
		t.Fatalf("%d Cloud Map instances, want the task's", len(st.DiscoveryInstances))
	}
	dir, _ := writeSnapshot(t, st)
	got := load(t, dir)
	for _, w := range got.Warnings {
		if strings.Contains(w.Message, "existing.local") {
			t.Errorf("warning: %s", w.Message)
		}
	}
	for _, ns := range state(got).Namespaces {
		if ns.Name == "existing.local" && ns.VpcID != vpcA {
			t.Errorf("namespace existing.local in %q, want %s", ns.VpcID, vpcA)
		}
	}
}
