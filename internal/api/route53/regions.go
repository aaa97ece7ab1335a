package route53

import (
	"maps"
	"slices"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Route 53 is global: the SDKs, the aws CLI and Terraform sign its
// requests for us-east-1 whatever their region, and every zone of the
// account answers them. ecsnet keeps a public zone in the region whose
// signature created it, and a private zone with its VPCs: a copy in each
// region that has one of them, holding that region's VPCs (engine's
// AddHostedZoneRegion), so each region's analyzer sees the zones of its
// VPCs. A request reaches every region that holds state.

// regional is one region's engine.
type regional struct {
	region string
	e      *engine.Engine
}

// regionEngines are the engines a Route 53 request sees: the signing
// region's first, then the partition's other regions that hold state.
func regionEngines(c *api.Call) []regional {
	out := []regional{{c.Region, c.Engine}}
	if c.OpenRegions == nil || c.Regions == nil {
		return out
	}
	part := model.Partition(c.Region)
	for _, name := range c.OpenRegions() {
		if name == c.Region || model.Partition(name) != part {
			continue
		}
		if e, err := c.Regions(name); err == nil {
			out = append(out, regional{name, e})
		}
	}
	return out
}

// regionEngine is the engine of the region a VPCRegion names ("": the
// signing region's).
func regionEngine(c *api.Call, name string) (regional, error) {
	if name == "" || name == c.Region {
		return regional{c.Region, c.Engine}, nil
	}
	if c.Regions == nil || model.Partition(name) != model.Partition(c.Region) {
		return regional{}, invalidVPCRegion(name)
	}
	e, err := c.Regions(name)
	if err != nil {
		return regional{}, invalidVPCRegion(name)
	}
	return regional{name, e}, nil
}

// invalidVPCRegion refuses a VPCRegion ecsnet does not serve (the model
// lists the regions; another partition's are not this account's) [choice].
func invalidVPCRegion(name string) error {
	return apierr.New("InvalidVPCId", "The VPC region "+name+" is not a region of this partition: the VPC ID is invalid.")
}

// zoneCopy is one region's copy of a hosted zone.
type zoneCopy struct {
	regional
	z *model.HostedZone
}

// copyIn is the zone's copy kept in region, nil when none is.
func copyIn(copies []zoneCopy, region string) *zoneCopy {
	for i := range copies {
		if copies[i].region == region {
			return &copies[i]
		}
	}
	return nil
}

// zoneCopies finds a zone's copies in every region (Cloud Map's zones
// among them), the signing region's first; NoSuchHostedZone when none
// holds it.
func zoneCopies(c *api.Call, id string) ([]zoneCopy, error) {
	var out []zoneCopy
	var first error
	for _, r := range regionEngines(c) {
		r.e.Read(func(st *model.State) {
			z, err := zoneByID(st, id)
			if err != nil {
				if first == nil {
					first = err
				}
				return
			}
			out = append(out, zoneCopy{r, z})
		})
	}
	if len(out) == 0 {
		return nil, first
	}
	return out, nil
}

// vpcCount counts a zone's VPCs in every region.
func vpcCount(copies []zoneCopy) int {
	n := 0
	for _, cp := range copies {
		n += len(cp.z.VPCs)
	}
	return n
}

// regionWrite is one region's part of a Route 53 write: fn, applied to
// the region's engine. zone and checks name what fn may change there,
// which a rollback puts back.
type regionWrite struct {
	regional
	fn     func(e *engine.Engine) error
	zone   string
	checks []string
	// undo puts back what fn changed, once committed (writeAll).
	undo func() error
}

// before is what undoes p once it is committed: its region's copy of the
// zone and of the health checks put back as they are now (a copy made
// since by another request is put back too [choice]).
func before(p regionWrite) func() error {
	var zone *model.HostedZone
	checks := map[string]*model.Route53HealthCheck{}
	p.e.Read(func(st *model.State) {
		if p.zone != "" {
			zone = st.HostedZones[p.zone]
		}
		for _, id := range p.checks {
			checks[id] = st.HealthChecks[id]
		}
	})
	return func() error { return p.e.RestoreRoute53(p.zone, zone, checks) }
}

// zoneWrites is fn applied to every copy of zone id, each copy holding
// first the health checks its records are to name (checks, by id).
func zoneWrites(copies []zoneCopy, id string, checks map[string]*model.Route53HealthCheck, fn func(e *engine.Engine) error) []regionWrite {
	parts := make([]regionWrite, len(copies))
	for i, cp := range copies {
		parts[i] = regionWrite{regional: cp.regional, zone: id, checks: slices.Sorted(maps.Keys(checks)),
			fn: func(e *engine.Engine) error {
				if err := addHealthChecks(e, checks); err != nil {
					return err
				}
				return fn(e)
			}}
	}
	return parts
}

// addHealthChecks copies health checks of other regions into e's region
// (engine's AddHealthCheckRegion), in id order.
func addHealthChecks(e *engine.Engine, checks map[string]*model.Route53HealthCheck) error {
	for _, id := range slices.Sorted(maps.Keys(checks)) {
		if err := e.AddHealthCheckRegion(checks[id]); err != nil {
			return err
		}
	}
	return nil
}

// writeAll applies a Route 53 write to every region it reaches, all or
// none, as Route 53 applies a request once, globally (a change batch:
// "Route 53 validates the changes in the request and then either makes
// all or none of the changes"): each
// region's part is first validated against that region's state
// (engine.DryRun applies it and undoes it under the region's lock), then
// the parts are committed in turn, each as one transaction, the first
// inside the change the call answers with (withChange) when change is not
// nil. A part refused at commit (its region's state changed since it was
// validated) puts back the parts committed before it. The answer is the
// ChangeInfo (nil without a change).
func writeAll(c *api.Call, parts []regionWrite, change *string) (map[string]any, error) {
	for _, p := range parts {
		if err := p.e.DryRun(p.fn); err != nil {
			return nil, err
		}
	}
	var info map[string]any
	for i, p := range parts {
		pre := before(p)
		var err error
		if i == 0 && change != nil {
			info, err = withChange(c, p.e, *change, p.fn)
		} else {
			err = p.e.Route53Write(p.fn)
		}
		if err == nil {
			parts[i].undo = pre
			continue
		}
		for j := i - 1; j >= 0; j-- {
			// A restore refuses nothing; only a store that cannot write
			// fails it, as any write, which the server reports when it
			// waits for the request's writes to be durable.
			_ = parts[j].undo()
		}
		return nil, err
	}
	return info, nil
}

// Health checks are global too: ecsnet keeps a check in the region whose
// signature created it, and a copy in each region whose copy of a zone
// has a record naming it (engine's AddHealthCheckRegion), so that every
// region's records resolve the same check and its analyzer reads it. A
// request sees the checks of every region, each once; a change reaches
// every copy (writeAll).

// checkCopy is one region's copy of a health check.
type checkCopy struct {
	regional
	h *model.Route53HealthCheck
}

// checkCopies finds a health check's copies in every region, the signing
// region's first; NoSuchHealthCheck when none holds it.
func checkCopies(c *api.Call, id string) ([]checkCopy, error) {
	var out []checkCopy
	for _, r := range regionEngines(c) {
		r.e.Read(func(st *model.State) {
			if h := st.HealthChecks[id]; h != nil {
				out = append(out, checkCopy{r, h})
			}
		})
	}
	if len(out) == 0 {
		var err error
		c.Engine.Read(func(st *model.State) { _, err = engine.HealthCheck(st, id) })
		return nil, err
	}
	return out, nil
}

// checkWrites is fn applied to every copy of a health check.
func checkWrites(copies []checkCopy, fn func(e *engine.Engine) error) []regionWrite {
	parts := make([]regionWrite, len(copies))
	for i, cp := range copies {
		parts[i] = regionWrite{regional: cp.regional, checks: []string{cp.h.ID}, fn: fn}
	}
	return parts
}

// allHealthChecks lists the health checks of every region, each once, by
// id.
func allHealthChecks(c *api.Call) []*model.Route53HealthCheck {
	byID := map[string]*model.Route53HealthCheck{}
	for _, r := range regionEngines(c) {
		r.e.Read(func(st *model.State) {
			for id, h := range st.HealthChecks {
				if byID[id] == nil {
					byID[id] = h
				}
			}
		})
	}
	out := make([]*model.Route53HealthCheck, 0, len(byID))
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		out = append(out, byID[id])
	}
	return out
}

// healthChecksNamed finds the health checks ids name (records'
// HealthCheckId, "" for none) in any region, by id; an id no region
// holds is left out, for the engine to refuse (NoSuchHealthCheck).
func healthChecksNamed(c *api.Call, ids []string) map[string]*model.Route53HealthCheck {
	var want []string
	for _, id := range ids {
		if id != "" && !slices.Contains(want, id) {
			want = append(want, id)
		}
	}
	if len(want) == 0 {
		return nil
	}
	out := map[string]*model.Route53HealthCheck{}
	for _, r := range regionEngines(c) {
		r.e.Read(func(st *model.State) {
			for _, id := range want {
				if h := st.HealthChecks[id]; h != nil && out[id] == nil {
					out[id] = h
				}
			}
		})
	}
	return out
}
