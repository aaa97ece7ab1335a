package engine_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestRestoreRoute53: a region's part of a Route 53 write that a later
// region refused is undone by putting back what the part found: the
// zone's records, the check's version, and no copy of a check the part
// brought.
func TestRestoreRoute53(t *testing.T) {
	e := engine.New()
	z, err := e.CreateHostedZone(engine.CreateHostedZoneInput{Name: "restore.test"})
	if err != nil {
		t.Fatal(err)
	}
	h, _, err := e.CreateHealthCheck("r", model.Route53HealthCheckConfig{Type: "HTTP", IPAddress: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	var preZone *model.HostedZone
	var preCheck *model.Route53HealthCheck
	e.Read(func(st *model.State) { preZone, preCheck = st.HostedZones[z.ID], st.HealthChecks[h.ID] })

	other := &model.Route53HealthCheck{ID: "0b0e6a3c-0000-4000-8000-000000000001", CallerReference: "elsewhere", Version: 3,
		Config: model.Route53HealthCheckConfig{Type: "TCP", IPAddress: "192.0.2.2", Port: 22}}
	err = e.Route53Write(func(b *engine.Engine) error {
		if err := b.AddHealthCheckRegion(other); err != nil {
			return err
		}
		if _, err := b.UpdateHealthCheck(h.ID, 0, func(c *model.Route53HealthCheckConfig) { c.Inverted = true }); err != nil {
			return err
		}
		return b.ChangeRecordSets(z.ID, []engine.RecordChange{{Action: "CREATE", Record: engine.RecordSetInput{Name: "a.restore.test", Type: "A", TTL: 60,
			Values: []string{"192.0.2.9"}, HealthCheckID: other.ID}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	// A copy of a check already here is left as it is.
	if err := e.AddHealthCheckRegion(&model.Route53HealthCheck{ID: h.ID, Version: 99}); err != nil {
		t.Fatal(err)
	}
	e.Read(func(st *model.State) {
		if st.HealthChecks[h.ID].Version != 2 || st.HealthChecks[other.ID] == nil || len(st.HostedZones[z.ID].Records) == len(preZone.Records) {
			t.Fatalf("after the write: check %+v, copy %v, records %v", st.HealthChecks[h.ID], st.HealthChecks[other.ID] != nil, st.HostedZones[z.ID].Records)
		}
	})

	if err := e.RestoreRoute53(z.ID, preZone, map[string]*model.Route53HealthCheck{h.ID: preCheck, other.ID: nil}); err != nil {
		t.Fatal(err)
	}
	e.Read(func(st *model.State) {
		if got := st.HostedZones[z.ID]; got == nil || len(got.Records) != len(preZone.Records) {
			t.Errorf("zone after the restore: %+v, want its records before the write %v", got, preZone.Records)
		}
		if got := st.HealthChecks[h.ID]; got == nil || got.Version != 1 || got.Config.Inverted {
			t.Errorf("check after the restore: %+v, want version 1, not inverted", got)
		}
		if st.HealthChecks[other.ID] != nil {
			t.Error("the copy the write brought is still here after the restore")
		}
	})
	// A zone the region did not hold before is removed.
	if err := e.RestoreRoute53(z.ID, nil, nil); err != nil {
		t.Fatal(err)
	}
	e.Read(func(st *model.State) {
		if st.HostedZones[z.ID] != nil {
			t.Error("RestoreRoute53 with no zone before left the zone")
		}
	})
}
