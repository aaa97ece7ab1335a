package ec2

import (
	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// awsRegion is one region of the account's partition: its name and
// whether an account must opt in to it (model.RegionOptIn).
type awsRegion struct {
	name  string
	optIn bool
}

// partitionRegions are the regions of the partition of region, the
// account's (model.Regions).
func partitionRegions(region string) []awsRegion {
	names := model.Regions(model.Partition(region))
	out := make([]awsRegion, len(names))
	for i, n := range names {
		out[i] = awsRegion{name: n, optIn: model.RegionOptIn(n)}
	}
	return out
}

func (r awsRegion) status() string {
	if r.optIn {
		return "not-opted-in" // a new account has opted in to none
	}
	return "opt-in-not-required"
}

// describeRegions lists the regions enabled for a new account (those that
// need no opt-in); AllRegions adds the others, and RegionNames names any
// region, enabled or not.
func describeRegions(c *api.Call) (map[string]any, error) {
	all := partitionRegions(c.Region)
	var items []awsRegion
	if names := c.In.Strings("RegionNames"); len(names) > 0 {
		for _, n := range names {
			found := false
			for _, r := range all {
				if r.name == n {
					items, found = append(items, r), true
				}
			}
			if !found {
				return nil, apierr.Newf("InvalidParameterValue", "Invalid region: %s", n)
			}
		}
	} else {
		for _, r := range all {
			if !r.optIn || c.In.Bool("AllRegions") {
				items = append(items, r)
			}
		}
	}
	fs := api.FilterSet[awsRegion]{Attrs: map[string]func(awsRegion) []string{
		"endpoint":      func(r awsRegion) []string { return []string{regionEndpoint(r.name)} },
		"opt-in-status": func(r awsRegion) []string { return []string{r.status()} },
		"region-name":   func(r awsRegion) []string { return []string{r.name} },
	}}
	items, err := fs.Apply(items, api.Filters(c.In))
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, r := range items {
		out[i] = map[string]any{"RegionName": r.name, "Endpoint": regionEndpoint(r.name), "OptInStatus": r.status()}
	}
	return map[string]any{"Regions": out}, nil
}

func regionEndpoint(name string) string { return "ec2." + name + "." + model.DNSSuffix(name) }
