package route53

import (
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

// eachCopy runs fn on every copy, the first inside the change the call
// answers with (withChange); it stops at the first error.
func eachCopy(c *api.Call, copies []zoneCopy, comment string, fn func(e *engine.Engine) error) (map[string]any, error) {
	change, err := withChange(c, copies[0].e, comment, fn)
	if err != nil {
		return nil, err
	}
	for _, cp := range copies[1:] {
		if err := fn(cp.e); err != nil {
			return nil, err
		}
	}
	return change, nil
}
