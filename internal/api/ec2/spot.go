package ec2

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Spot Instance requests (engine/ec2_spot.go).
func registerSpot(r *api.Registry) {
	add(r, "RequestSpotInstances", requestSpotInstances)
	add(r, "DescribeSpotInstanceRequests", describeSpotInstanceRequests)
	add(r, "CancelSpotInstanceRequests", cancelSpotInstanceRequests)
}

// spotPrice is a maximum price as EC2 answers it: six decimals.
func spotPrice(p string) any {
	if p == "" {
		return nil
	}
	f, err := strconv.ParseFloat(p, 64)
	if err != nil {
		return p
	}
	return strconv.FormatFloat(f, 'f', 6, 64)
}

func spotRequestOut(st *model.State, r *model.SpotInstanceRequest, state, code string) map[string]any {
	typ := "one-time"
	if r.Options.Persistent {
		typ = "persistent"
	}
	groups := make([]any, 0, len(r.GroupIDs))
	for _, id := range r.GroupIDs {
		g := map[string]any{"GroupId": id}
		if sg := st.SecurityGroups[id]; sg != nil {
			g["GroupName"] = sg.Name
		}
		groups = append(groups, g)
	}
	spec := map[string]any{"ImageId": r.ImageID, "InstanceType": r.InstanceType, "KeyName": api.Str(r.KeyName),
		"SubnetId": api.Str(r.SubnetID), "KernelId": api.Str(r.KernelID), "RamdiskId": api.Str(r.RamdiskID),
		"SecurityGroups": groups, "Placement": map[string]any{"AvailabilityZone": r.AvailabilityZone},
		"Monitoring": map[string]any{"Enabled": r.Monitoring}}
	out := map[string]any{"SpotInstanceRequestId": r.ID, "SpotPrice": spotPrice(r.Options.MaxPrice), "Type": typ, "State": state,
		"Status": map[string]any{"Code": code, "UpdateTime": api.Time(r.Created)}, "CreateTime": api.Time(r.Created),
		"ValidFrom": api.Time(r.ValidFrom), "ValidUntil": api.Time(r.ValidUntil), "LaunchGroup": api.Str(r.LaunchGroup),
		"AvailabilityZoneGroup": api.Str(r.AZGroup), "InstanceInterruptionBehavior": r.Options.Interruption,
		"LaunchSpecification": spec, "ProductDescription": "Linux/UNIX", "Tags": api.EC2Tags(r.Tags)}
	if code != "pending-evaluation" {
		out["InstanceId"] = r.InstanceID
		out["LaunchedAvailabilityZone"] = r.AvailabilityZone
	}
	return out
}

func requestSpotInstances(c *api.Call) (map[string]any, error) {
	in := c.In
	tags, err := api.TagSpecs(in, "spot-instances-request")
	if err != nil {
		return nil, err
	}
	typ := in.String("Type")
	switch typ {
	case "", "one-time", "persistent":
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter type is invalid. Valid values are: one-time, persistent.", typ)
	}
	opts := model.SpotMarketOptions{Persistent: typ == "persistent", Interruption: in.String("InstanceInterruptionBehavior"), MaxPrice: in.String("SpotPrice")}
	switch opts.Interruption {
	case "":
		opts.Interruption = "terminate"
	case "terminate", "stop", "hibernate":
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter instanceInterruptionBehavior is invalid. Valid values are: hibernate, stop, terminate.", opts.Interruption)
	}
	spec := in.Struct("LaunchSpecification")
	ri := engine.RunInstancesInput{ImageID: spec.String("ImageId"), InstanceType: spec.String("InstanceType"),
		SubnetID: model.SubnetID(spec.String("SubnetId")), SecurityGroupIDs: ids[model.SecurityGroupID](spec, "SecurityGroupIds"),
		SecurityGroupNames: spec.Strings("SecurityGroups"), UserData: spec.String("UserData"), KeyName: spec.String("KeyName"),
		EBSOptimized: spec.Bool("EbsOptimized"), AvailabilityZone: spec.Struct("Placement").String("AvailabilityZone"),
		Monitoring: boolParam(spec.Struct("Monitoring"), "Enabled")}
	if ri.ImageID == "" {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter ImageId")
	}
	if ri.InstanceType == "" {
		ri.InstanceType = "m1.small" // RunInstances' default
	}
	if ri.BlockDevices, err = blockDevices(spec); err != nil {
		return nil, err
	}
	if p := spec.Struct("IamInstanceProfile"); p != nil {
		ri.IAMProfile = p.String("Arn")
		if ri.IAMProfile == "" {
			ri.IAMProfile = p.String("Name")
		}
	}
	if ri.IAM, err = c.IAM(); err != nil {
		return nil, err
	}
	reqs, err := c.Engine.RequestSpotInstances(engine.RequestSpotInstancesInput{Count: int(in.Int("InstanceCount")), Options: opts,
		ValidFrom: in.Time("ValidFrom"), ValidUntil: in.Time("ValidUntil"), LaunchGroup: in.String("LaunchGroup"),
		AZGroup: in.String("AvailabilityZoneGroup"), Launch: ri, KernelID: spec.String("KernelId"), RamdiskID: spec.String("RamdiskId"),
		Monitoring: spec.Struct("Monitoring").Bool("Enabled"), Tags: tags})
	if err != nil {
		return nil, err
	}
	return c.View(func(st *model.State) map[string]any {
		out := make([]any, len(reqs))
		for i, r := range reqs {
			out[i] = spotRequestOut(st, r, "open", "pending-evaluation")
		}
		return map[string]any{"SpotInstanceRequests": out}
	}), nil
}

func describeSpotInstanceRequests(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		var items []*model.SpotInstanceRequest
		if items, err = byIDs(st.SpotRequests, c.In.Strings("SpotInstanceRequestIds"), func(id string) error {
			return apierr.Newf("InvalidSpotInstanceRequestID.NotFound", "The spot instance request ID '%s' does not exist", id)
		}); err != nil {
			return
		}
		type R = *model.SpotInstanceRequest
		typ := func(r R) []string {
			if r.Options.Persistent {
				return []string{"persistent"}
			}
			return []string{"one-time"}
		}
		fs := api.FilterSet[R]{
			Tags: func(r R) model.Tags { return r.Tags },
			Attrs: map[string]func(R) []string{
				"spot-instance-request-id":       func(r R) []string { return api.One(r.ID) },
				"state":                          func(r R) []string { return []string{r.State} },
				"status-code":                    func(r R) []string { return []string{r.StatusCode} },
				"type":                           typ,
				"instance-id":                    func(r R) []string { return api.One(r.InstanceID) },
				"launched-availability-zone":     func(r R) []string { return []string{r.AvailabilityZone} },
				"launch.image-id":                func(r R) []string { return []string{r.ImageID} },
				"launch.instance-type":           func(r R) []string { return []string{r.InstanceType} },
				"launch.key-name":                func(r R) []string { return []string{r.KeyName} },
				"launch-group":                   func(r R) []string { return []string{r.LaunchGroup} },
				"availability-zone-group":        func(r R) []string { return []string{r.AZGroup} },
				"spot-price":                     func(r R) []string { return []string{r.Options.MaxPrice} },
				"instance-interruption-behavior": func(r R) []string { return []string{r.Options.Interruption} },
			},
		}
		out, err = describePage(c, items, fs, func(r R) string { return string(r.ID) }, "SpotInstanceRequests",
			func(r R) any { return spotRequestOut(st, r, r.State, r.StatusCode) })
	})
	return out, err
}

func cancelSpotInstanceRequests(c *api.Call) (map[string]any, error) {
	var ids []model.SpotInstanceRequestID
	for _, id := range c.In.Strings("SpotInstanceRequestIds") {
		ids = append(ids, model.SpotInstanceRequestID(id))
	}
	if len(ids) == 0 {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter SpotInstanceRequestId")
	}
	reqs, err := c.Engine.CancelSpotInstanceRequests(ids)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(reqs))
	for i, r := range reqs {
		out[i] = map[string]any{"SpotInstanceRequestId": r.ID, "State": r.State}
	}
	return map[string]any{"CancelledSpotInstanceRequests": out}, nil
}
