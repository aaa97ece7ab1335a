package snapshot_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A NAT gateway EC2 still lists after its deletion (state "deleted", for
// about an hour) may name a subnet that is gone with it: reading the
// account back says nothing about it, while a live NAT gateway in a
// subnet the snapshot lacks is still named.
func TestDeletedNatGatewayInGoneSubnet(t *testing.T) {
	st := seedState(t, "fargate")
	_, region := writeSnapshot(t, st)
	path := filepath.Join(region, "ec2-describe-nat-gateways.json")
	var doc map[string][]map[string]any
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
	}
	if doc == nil {
		doc = map[string][]map[string]any{}
	}
	vpc := ""
	for _, v := range st.VPCs {
		vpc = string(v.ID)
	}
	gw := func(id, state string) map[string]any {
		return map[string]any{"NatGatewayId": id, "State": state, "SubnetId": "subnet-" + id[4:], "VpcId": vpc,
			"ConnectivityType": "public", "CreateTime": "2026-12-03T10:00:00Z"}
	}
	doc["NatGateways"] = append(doc["NatGateways"], gw("nat-0aaaaaaaaaaaaaaa1", "deleted"), gw("nat-0bbbbbbbbbbbbbbb2", "available"))
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, string(b))
	res := load(t, filepath.Dir(filepath.Dir(region)))
	var named []string
	for _, w := range res.Warnings {
		if strings.Contains(w.Message, "nat-0") {
			named = append(named, w.Message)
		}
	}
	if len(named) != 1 || !strings.Contains(named[0], "nat-0bbbbbbbbbbbbbbb2 is in subnet subnet-0bbbbbbbbbbbbbbb2") {
		t.Errorf("warnings about the NAT gateways = %q, want only the live one's subnet", named)
	}
}
