package snapshot_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// A network ACL's ICMP entries keep their type and code through Write
// and Load (IcmpTypeCode, -1 for any).
func TestRoundTripNetworkACLIcmp(t *testing.T) {
	e := engine.New()
	vpc, err := e.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	acl, err := e.CreateNetworkACL(vpc.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range [][2]int{{8, -1}, {3, 4}} {
		typ, code := tc[0], tc[1]
		if err := e.CreateNetworkACLEntry(engine.ACLEntryInput{ACLID: acl.ID, RuleNumber: 100 + i, Action: "allow", Protocol: "1",
			CIDR: "0.0.0.0/0", ICMPType: &typ, ICMPCode: &code}); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := e.Snapshot()
	got, _ := roundTrip(t, st)
	want := map[int]model.PortRange{100: {First: 8, Last: engine.ICMPAny}, 101: {First: 3, Last: 4}}
	entries := got.NetworkACLs[acl.ID].Entries
	n := 0
	for _, x := range entries {
		if x.Protocol == model.ICMP {
			n++
			if x.Ports != want[x.RuleNumber] {
				t.Errorf("rule %d = %v, want %v", x.RuleNumber, x.Ports, want[x.RuleNumber])
			}
		}
	}
	if n != 2 {
		t.Errorf("entries after Write and Load: %+v", entries)
	}
}
