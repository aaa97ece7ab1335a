package ec2

import (
	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
)

// awsRegion is one region of AWS's commercial partition: its name and
// whether an account must opt in to it (regions launched after March 2019).
type awsRegion struct {
	name  string
	optIn bool
}

// commercialRegions are the regions ecsnet serves (botocore's endpoints,
// partition "aws"), with AWS's opt-in status for each (the AWS General
// Reference, "Regions and Zones").
func commercialRegions() []awsRegion {
	opt := map[string]bool{"af-south-1": true, "ap-east-1": true, "ap-east-2": true, "ap-south-2": true,
		"ap-southeast-3": true, "ap-southeast-4": true, "ap-southeast-5": true, "ap-southeast-6": true, "ap-southeast-7": true,
		"ca-west-1": true, "eu-central-2": true, "eu-south-1": true, "eu-south-2": true, "il-central-1": true,
		"me-central-1": true, "me-south-1": true, "mx-central-1": true}
	names := []string{"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1",
		"eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
		"il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
		"us-east-1", "us-east-2", "us-west-1", "us-west-2"}
	out := make([]awsRegion, len(names))
	for i, n := range names {
		out[i] = awsRegion{name: n, optIn: opt[n]}
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
	all := commercialRegions()
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

func regionEndpoint(name string) string { return "ec2." + name + ".amazonaws.com" }
