package terraform_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestSweep21RouteTables: data "aws_route_tables" answers the ids of the
// VPC's route tables that match (none is an empty list), so a gateway
// endpoint on them routes S3's prefix list from the main table. ecsnet
// did not model the data source: its ids were unknown, the endpoint got
// no route table, and S3 went out through the internet gateway.
func TestSweep21RouteTables(t *testing.T) {
	res := load(t, "testdata/sweep21-route-tables", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "aws_route_tables") {
			t.Errorf("warning: %s", w)
		}
	}
	if res.Outputs["tables"] != "1" || res.Outputs["not_main"] != "0" {
		t.Errorf("outputs %v, want 1 table and 0 not main", res.Outputs)
	}
	st, _ := res.Engine.Snapshot()
	routed := false
	for _, rt := range st.RouteTables {
		for _, r := range rt.Routes {
			if rt.IsMain() && r.DestinationPrefixList != "" && r.Target == model.TargetVpcEndpoint {
				routed = true
			}
		}
	}
	if !routed {
		t.Error("the main route table has no route to the S3 gateway endpoint")
	}
}
