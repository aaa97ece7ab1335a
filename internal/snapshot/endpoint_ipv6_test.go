package snapshot_test

import "testing"

// TestEndpointIPAddressTypeRoundTrip: describe-vpc-endpoints' IpAddressType
// and DnsOptions.DnsRecordIpType are written and read back: the story's
// STS endpoint stays dualstack with records of type ipv4.
func TestEndpointIPAddressTypeRoundTrip(t *testing.T) {
	st := scenarioState(t, "../../examples/failures/analyzer-only/ipv6-only-endpoint-dns-records-ipv4.yaml")
	dir, _ := writeSnapshot(t, st)
	got, _ := load(t, dir).Engine.Snapshot()
	n := 0
	for _, ep := range got.VpcEndpoints {
		n++
		if ep.AddressType() != "dualstack" || ep.RecordType() != "ipv4" {
			t.Errorf("%s: %q records %q, want dualstack and ipv4", ep.ID, ep.AddressType(), ep.RecordType())
		}
	}
	if n != 1 {
		t.Errorf("%d endpoints read back, want 1", n)
	}
}
