package engine_test

import (
	"reflect"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestDryRunLeavesNoTrace: operations in a DryRun see each other's
// changes, are validated as usual, and leave the state, its version, the
// indexes and what is persisted as they were, whether they succeed or
// fail.
func TestDryRunLeavesNoTrace(t *testing.T) {
	rec := &recorder{Store: mustMem()}
	e := engine.New(engine.WithIDs(engine.SeededIDs(1)), engine.WithPersister(rec))
	vpc := must(e.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"}))
	sub := must(e.CreateSubnet(engine.CreateSubnetInput{VpcID: vpc.ID, CIDR: "10.0.1.0/24", AvailabilityZone: "us-east-1a"}))
	snapshot := func() (*model.State, uint64) { return e.Snapshot() }
	before, v := snapshot()
	batches := len(rec.batches)

	var inDry *model.NetworkInterface
	err := e.DryRun(func(d *engine.Engine) error {
		n := must(d.CreateNetworkInterface(engine.CreateNetworkInterfaceInput{SubnetID: sub.ID, PrivateIP: "10.0.1.10"}))
		inDry = n
		// A later operation of the dry run sees the earlier one's change.
		if err := d.DeleteSubnet(sub.ID); err == nil {
			t.Error("DeleteSubnet succeeded in the dry run with an ENI in the subnet")
		}
		var seen bool
		d.Read(func(st *model.State) { seen = st.NetworkInterfaces[n.ID] != nil })
		if !seen {
			t.Error("the dry run does not see its own ENI")
		}
		_, err := d.CreateNetworkInterface(engine.CreateNetworkInterfaceInput{SubnetID: sub.ID, PrivateIP: "10.0.1.10"})
		return err // the address is in use: the dry run fails
	})
	if err == nil {
		t.Fatal("the second ENI on the same address succeeded")
	}
	if err := e.DryRun(func(d *engine.Engine) error { return d.DeleteSubnet(sub.ID) }); err != nil {
		t.Fatalf("DeleteSubnet in a dry run: %v", err)
	}
	after, v2 := snapshot()
	if v2 != v || len(rec.batches) != batches {
		t.Errorf("version %d → %d, %d batches persisted by dry runs", v, v2, len(rec.batches)-batches)
	}
	if !reflect.DeepEqual(before, after) {
		t.Error("the state changed through dry runs")
	}
	// The address the dry run took is free again, and the subnet is there.
	n := must(e.CreateNetworkInterface(engine.CreateNetworkInterfaceInput{SubnetID: sub.ID, PrivateIP: "10.0.1.10"}))
	if n.PrivateIPs[0].Addr != inDry.PrivateIPs[0].Addr {
		t.Errorf("address %v, want %v", n.PrivateIPs[0].Addr, inDry.PrivateIPs[0].Addr)
	}
}

// TestSharedSnapshot: readers at one version share one copy of the state;
// a write gives the next reader a new copy, which the old one's holders
// do not see.
func TestSharedSnapshot(t *testing.T) {
	e := engine.New(engine.WithIDs(engine.SeededIDs(1)))
	a, va := e.SharedSnapshot()
	b, vb := e.SharedSnapshot()
	if a != b || va != vb {
		t.Fatal("two shared snapshots at one version are different copies")
	}
	vpc := must(e.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"}))
	c, vc := e.SharedSnapshot()
	if c == a || vc == va || c.VPCs[vpc.ID] == nil || a.VPCs[vpc.ID] != nil {
		t.Fatalf("after a write: same copy %v, version %d → %d, new VPC in new copy %v, in old copy %v",
			c == a, va, vc, c.VPCs[vpc.ID] != nil, a.VPCs[vpc.ID] != nil)
	}
	// A dry run changes nothing: the shared copy stays.
	if err := e.DryRun(func(d *engine.Engine) error {
		_, err := d.CreateVpc(engine.CreateVpcInput{CIDR: "10.1.0.0/16"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if d, _ := e.SharedSnapshot(); d != c {
		t.Error("a dry run replaced the shared copy")
	}
}
