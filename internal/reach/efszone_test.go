package reach_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// A file system whose mount targets are in a peered VPC mounts from the
// app VPC only through a private hosted zone of its DNS name associated
// with the app VPC, whose A record is a mount target's address; a record
// to another address, or a zone without the record, fails the mount.
func TestEFSPeeredVPCZone(t *testing.T) {
	probe := func(t *testing.T, value string) *reach.Result {
		t.Helper()
		sc, err := scenario.Load("../../examples/failures/efs-peered-vpc-dns-name.yaml")
		if err != nil {
			t.Fatal(err)
		}
		b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
		if err != nil {
			t.Fatal(err)
		}
		if value != "" {
			st, _ := b.Engine.Snapshot()
			var fs string
			for id := range st.FileSystems {
				fs = id
			}
			var app model.VpcID
			for id, v := range st.VPCs {
				if v.Tags.Name() == "app" {
					app = id
				}
			}
			name := fs + ".efs.us-east-1.amazonaws.com"
			z, err := b.Engine.CreateHostedZone(engine.CreateHostedZoneInput{Name: name, Private: true, VPCs: []model.VpcID{app}})
			if err != nil {
				t.Fatal(err)
			}
			if value != "none" {
				if err := b.Engine.UpsertRecordSet(string(z.ID), engine.RecordSetInput{Name: name, Type: "A", TTL: 60, Values: []string{value}}); err != nil {
					t.Fatal(err)
				}
			}
			// A new deployment starts the backed-off service's tasks again.
			if _, err := b.Engine.UpdateService(engine.UpdateServiceInput{Cluster: "cms", Service: "cms", ForceNewDeployment: true}); err != nil {
				t.Fatal(err)
			}
			if err := b.Engine.Converge(); err != nil {
				t.Fatal(err)
			}
		}
		st, _ := b.Engine.Snapshot()
		n := reach.Compile(st)
		q, err := reach.NewQuery(n, "internet", "cms-alb:80", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		return reach.Probe(n, q)
	}
	if res := probe(t, ""); res.Verdict != "http 503" || !res.HasCode(reach.CodeEFSNoMountTarget) {
		t.Errorf("no zone: %s, %v; want http 503 with %s", res.Verdict, res.Explanations, reach.CodeEFSNoMountTarget)
	}
	if res := probe(t, "10.1.1.50"); res.Verdict != "http 200" {
		t.Errorf("a zone with the mount target's address: %s (%s); want http 200", res.Verdict, res.Summary)
	}
	for _, v := range []string{"10.1.1.99", "none"} {
		res := probe(t, v)
		found := false
		for _, x := range res.Explanations {
			if x.Tasks != nil && x.Tasks.Failure != nil && strings.Contains(x.Tasks.Failure.Why, "the private hosted zone ") {
				found = true
			}
		}
		if res.Verdict != "http 503" || !found {
			t.Errorf("a zone answering %s: %s, %v; want http 503 explained by the zone", v, res.Verdict, res.Explanations)
		}
	}
}
