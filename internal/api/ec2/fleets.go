package ec2

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Spot Fleet and EC2 Fleet (engine/ec2_fleets.go).
func registerFleets(r *api.Registry) {
	add(r, "RequestSpotFleet", requestSpotFleet)
	add(r, "DescribeSpotFleetRequests", describeSpotFleetRequests)
	add(r, "DescribeSpotFleetInstances", describeSpotFleetInstances)
	add(r, "DescribeSpotFleetRequestHistory", describeSpotFleetRequestHistory)
	add(r, "ModifySpotFleetRequest", modifySpotFleetRequest)
	add(r, "CancelSpotFleetRequests", cancelSpotFleetRequests)
	add(r, "CreateFleet", createFleet)
	add(r, "DescribeFleets", describeFleets)
	add(r, "DescribeFleetInstances", describeFleetInstances)
	add(r, "DescribeFleetHistory", describeFleetHistory)
	add(r, "ModifyFleet", modifyFleet)
	add(r, "DeleteFleets", deleteFleets)
}

func errSpotFleetConfig(format string, args ...any) error {
	return apierr.Newf("InvalidSpotFleetRequestConfig", format, args...)
}

// fleetTags reads a specification's TagSpecifications of resource type rt.
func fleetTags(spec awsproto.Params, rt string) model.Tags {
	var out model.Tags
	for _, ts := range spec.Structs("TagSpecifications") {
		if ts.String("ResourceType") != rt {
			continue
		}
		for _, t := range ts.Structs("Tags") {
			if out == nil {
				out = model.Tags{}
			}
			out[t.String("Key")] = t.String("Value")
		}
	}
	return out
}

func optFloat(in awsproto.Params, name string) *float64 {
	if !in.Has(name) {
		return nil
	}
	f := in.Float(name)
	return &f
}

// givenBool is a boolean member, or nil when it is not given.
func givenBool(in awsproto.Params, name string) *bool {
	if !in.Has(name) {
		return nil
	}
	b := in.Bool(name)
	return &b
}

// marketOptions reads an EC2 Fleet's SpotOptions or OnDemandOptions.
func marketOptions(o awsproto.Params) model.FleetMarketOptions {
	m := model.FleetMarketOptions{SingleInstanceType: o.Bool("SingleInstanceType"), SingleAvailabilityZone: o.Bool("SingleAvailabilityZone"),
		MinTargetCapacity: int(o.Int("MinTargetCapacity")), MaxTotalPrice: o.String("MaxTotalPrice"), PoolsToUse: int(o.Int("InstancePoolsToUseCount")),
		CapacityReservationUsage: o.Struct("CapacityReservationOptions").String("UsageStrategy")}
	if cr := o.Struct("MaintenanceStrategies").Struct("CapacityRebalance"); cr != nil {
		m.ReplacementStrategy, m.TerminationDelay = cr.String("ReplacementStrategy"), int(cr.Int("TerminationDelay"))
	}
	return m
}

// marketOptionsOut answers SpotOptions (spot) or OnDemandOptions.
func marketOptionsOut(strategy string, m model.FleetMarketOptions, spot bool, interruption string) map[string]any {
	out := map[string]any{"AllocationStrategy": strategy, "MaxTotalPrice": api.Str(m.MaxTotalPrice)}
	if m.SingleInstanceType {
		out["SingleInstanceType"] = true
	}
	if m.SingleAvailabilityZone {
		out["SingleAvailabilityZone"] = true
	}
	if m.MinTargetCapacity > 0 {
		out["MinTargetCapacity"] = m.MinTargetCapacity
	}
	if spot {
		out["InstanceInterruptionBehavior"] = interruption
		if m.PoolsToUse > 0 {
			out["InstancePoolsToUseCount"] = m.PoolsToUse
		}
		if m.ReplacementStrategy != "" {
			cr := map[string]any{"ReplacementStrategy": m.ReplacementStrategy}
			if m.TerminationDelay > 0 {
				cr["TerminationDelay"] = m.TerminationDelay
			}
			out["MaintenanceStrategies"] = map[string]any{"CapacityRebalance": cr}
		}
	} else if m.CapacityReservationUsage != "" {
		out["CapacityReservationOptions"] = map[string]any{"UsageStrategy": m.CapacityReservationUsage}
	}
	return out
}

// fleetOverride reads a launch template override.
func fleetOverride(o awsproto.Params, maxPrice string) (model.FleetPool, error) {
	p := model.FleetPool{InstanceType: o.String("InstanceType"), SubnetID: model.SubnetID(o.String("SubnetId")),
		AvailabilityZone: o.String("AvailabilityZone"), WeightedCapacity: o.Float("WeightedCapacity"),
		Priority: optFloat(o, "Priority"), MaxPrice: o.String(maxPrice), ImageID: o.String("ImageId")}
	if o.Has("WeightedCapacity") && p.WeightedCapacity <= 0 {
		return p, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter WeightedCapacity is invalid. Expecting a positive number.", strconv.FormatFloat(p.WeightedCapacity, 'f', -1, 64))
	}
	return p, nil
}

// fleetTemplateConfigs reads LaunchTemplateConfigs (maxPrice names the
// overrides' price member: SpotPrice for Spot Fleet, MaxPrice for EC2 Fleet).
func fleetTemplateConfigs(in awsproto.Params, maxPrice string) ([]model.FleetTemplateConfig, error) {
	var out []model.FleetTemplateConfig
	for _, c := range in.Structs("LaunchTemplateConfigs") {
		s := c.Struct("LaunchTemplateSpecification")
		ref := model.LaunchTemplateRef{ID: model.LaunchTemplateID(s.String("LaunchTemplateId")), Name: s.String("LaunchTemplateName"), Version: s.String("Version")}
		if ref.ID == "" && ref.Name == "" {
			return nil, apierr.New("InvalidParameterValue", "Either LaunchTemplateId or LaunchTemplateName must be specified in LaunchTemplateSpecification.")
		}
		if ref.ID != "" && ref.Name != "" {
			return nil, apierr.New("InvalidParameterCombination", "Only one of LaunchTemplateId or LaunchTemplateName can be specified in LaunchTemplateSpecification.")
		}
		cfg := model.FleetTemplateConfig{Template: ref}
		for _, o := range c.Structs("Overrides") {
			p, err := fleetOverride(o, maxPrice)
			if err != nil {
				return nil, err
			}
			cfg.Overrides = append(cfg.Overrides, p)
		}
		out = append(out, cfg)
	}
	return out, nil
}

func fleetLaunch(c *api.Call) (engine.FleetLaunch, error) {
	iam, err := c.IAM()
	return engine.FleetLaunch{IAM: iam}, err
}

func requestSpotFleet(c *api.Call) (map[string]any, error) {
	cfg := c.In.Struct("SpotFleetRequestConfig")
	r := model.SpotFleetRequest{IamFleetRole: cfg.String("IamFleetRole"), Type: cfg.String("Type"),
		AllocationStrategy: cfg.String("AllocationStrategy"), OnDemandAllocationStrategy: cfg.String("OnDemandAllocationStrategy"),
		TargetCapacity: int(cfg.Int("TargetCapacity")), OnDemandTargetCapacity: int(cfg.Int("OnDemandTargetCapacity")),
		SpotPrice: cfg.String("SpotPrice"), ExcessCapacityTerminationPolicy: cfg.String("ExcessCapacityTerminationPolicy"),
		InstanceInterruptionBehavior: cfg.String("InstanceInterruptionBehavior"), InstancePoolsToUseCount: int(cfg.Int("InstancePoolsToUseCount")),
		TerminateInstancesWithExpiration: cfg.Bool("TerminateInstancesWithExpiration"), ReplaceUnhealthyInstances: cfg.Bool("ReplaceUnhealthyInstances"),
		ValidFrom: cfg.Time("ValidFrom"), ValidUntil: cfg.Time("ValidUntil"), ClientToken: cfg.String("ClientToken"),
		TargetCapacityUnitType: cfg.String("TargetCapacityUnitType"), Tags: fleetTags(cfg, "spot-fleet-request"),
		OnDemandMaxTotalPrice: cfg.String("OnDemandMaxTotalPrice"), SpotMaxTotalPrice: cfg.String("SpotMaxTotalPrice"), Context: cfg.String("Context")}
	if cr := cfg.Struct("SpotMaintenanceStrategies").Struct("CapacityRebalance"); cr != nil {
		r.Spot.ReplacementStrategy, r.Spot.TerminationDelay = cr.String("ReplacementStrategy"), int(cr.Int("TerminationDelay"))
	}
	switch r.Type {
	case "":
		r.Type = "maintain"
	case "request", "maintain", "instant":
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter type is invalid. Valid values are: request, maintain, instant.", r.Type)
	}
	switch r.AllocationStrategy {
	case "":
		r.AllocationStrategy = "lowestPrice"
	case "lowestPrice", "diversified", "capacityOptimized", "capacityOptimizedPrioritized", "priceCapacityOptimized":
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter allocationStrategy is invalid. Valid values are: lowestPrice, diversified, capacityOptimized, capacityOptimizedPrioritized, priceCapacityOptimized.", r.AllocationStrategy)
	}
	switch r.InstanceInterruptionBehavior {
	case "":
		r.InstanceInterruptionBehavior = "terminate"
	case "terminate", "stop", "hibernate":
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter instanceInterruptionBehavior is invalid. Valid values are: hibernate, stop, terminate.", r.InstanceInterruptionBehavior)
	}
	if r.ExcessCapacityTerminationPolicy == "" {
		r.ExcessCapacityTerminationPolicy = "Default"
	}
	// "The value for ResourceType must be spot-fleet-request, otherwise
	// the Spot Fleet request fails" (the model); the text is moto's.
	for _, ts := range cfg.Structs("TagSpecifications") {
		if rt := ts.String("ResourceType"); rt != "spot-fleet-request" {
			return nil, apierr.Newf("InvalidParameterValue", "The value for `ResourceType` must be `spot-fleet-request`, but got `%s` instead.", rt)
		}
	}
	if !strings.HasPrefix(r.IamFleetRole, "arn:") {
		return nil, errSpotFleetConfig("Parameter: SpotFleetRequestConfig.IamFleetRole is invalid.")
	}
	specs, tmpls := cfg.Structs("LaunchSpecifications"), cfg.Structs("LaunchTemplateConfigs")
	switch {
	case len(specs) == 0 && len(tmpls) == 0:
		return nil, errSpotFleetConfig("Either LaunchSpecifications or LaunchTemplateConfigs must be specified.")
	case len(specs) > 0 && len(tmpls) > 0:
		return nil, errSpotFleetConfig("LaunchSpecifications and LaunchTemplateConfigs cannot both be specified.")
	}
	for i, s := range specs {
		p := model.FleetPool{ImageID: s.String("ImageId"), InstanceType: s.String("InstanceType"), SubnetID: model.SubnetID(s.String("SubnetId")),
			AvailabilityZone: s.Struct("Placement").String("AvailabilityZone"), KeyName: s.String("KeyName"), UserData: s.String("UserData"),
			WeightedCapacity: s.Float("WeightedCapacity"), MaxPrice: s.String("SpotPrice"), InstanceTags: fleetTags(s, "instance"),
			EbsOptimized: givenBool(s, "EbsOptimized"), Monitoring: givenBool(s.Struct("Monitoring"), "Enabled"),
			BlockDevices: lcBlockDevices(s.Structs("BlockDeviceMappings")), PlacementGroup: s.Struct("Placement").String("GroupName"),
			Tenancy: s.Struct("Placement").String("Tenancy"), KernelID: s.String("KernelId"), RamdiskID: s.String("RamdiskId"),
			AddressingType: s.String("AddressingType")}
		if p.ImageID == "" {
			return nil, errSpotFleetConfig("Parameter: SpotFleetRequestConfig.LaunchSpecifications[%d].ImageId is required.", i)
		}
		if s.Has("WeightedCapacity") && p.WeightedCapacity <= 0 {
			return nil, errSpotFleetConfig("Parameter: SpotFleetRequestConfig.LaunchSpecifications[%d].WeightedCapacity must be greater than 0.", i)
		}
		if prof := s.Struct("IamInstanceProfile"); prof != nil {
			p.IAMProfile = prof.String("Arn")
			if p.IAMProfile == "" {
				p.IAMProfile = prof.String("Name")
			}
		}
		for _, g := range s.Structs("SecurityGroups") {
			if id := g.String("GroupId"); id != "" {
				p.GroupIDs = append(p.GroupIDs, model.SecurityGroupID(id))
			}
		}
		r.Specs = append(r.Specs, p)
	}
	if len(tmpls) > 0 {
		var err error
		if r.Templates, err = fleetTemplateConfigs(cfg, "SpotPrice"); err != nil {
			return nil, err
		}
		r.FromTemplates = true
	}
	fl, err := fleetLaunch(c)
	if err != nil {
		return nil, err
	}
	out, err := c.Engine.RequestSpotFleet(r, fl)
	if err != nil {
		return nil, err
	}
	return map[string]any{"SpotFleetRequestId": out.ID}, nil
}

func groupIdentifiers(st *model.State, ids []model.SecurityGroupID) []any {
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		g := map[string]any{"GroupId": id}
		if sg := st.SecurityGroups[id]; sg != nil {
			g["GroupName"] = sg.Name
		}
		out = append(out, g)
	}
	return out
}

func optNum(f float64) any {
	if f == 0 {
		return nil
	}
	return f
}

func overrideOut(p model.FleetPool, maxPrice string) map[string]any {
	o := map[string]any{"InstanceType": api.Str(p.InstanceType), "SubnetId": api.Str(string(p.SubnetID)),
		"AvailabilityZone": api.Str(p.AvailabilityZone), "WeightedCapacity": optNum(p.WeightedCapacity), maxPrice: api.Str(p.MaxPrice),
		"ImageId": api.Str(p.ImageID)}
	if p.Priority != nil {
		o["Priority"] = *p.Priority
	}
	return o
}

func templateConfigsOut(cfgs []model.FleetTemplateConfig, maxPrice string) []any {
	out := make([]any, 0, len(cfgs))
	for _, c := range cfgs {
		ov := make([]any, 0, len(c.Overrides))
		for _, o := range c.Overrides {
			ov = append(ov, overrideOut(o, maxPrice))
		}
		spec := map[string]any{"LaunchTemplateId": api.Str(string(c.Template.ID)), "LaunchTemplateName": api.Str(c.Template.Name), "Version": api.Str(c.Template.Version)}
		out = append(out, map[string]any{"LaunchTemplateSpecification": spec, "Overrides": ov})
	}
	return out
}

func tagSpecsOut(rt string, tags model.Tags) []any {
	if len(tags) == 0 {
		return nil
	}
	return []any{map[string]any{"ResourceType": rt, "Tags": api.EC2Tags(tags)}}
}

func spotFleetOut(st *model.State, r *model.SpotFleetRequest) map[string]any {
	have, haveOD := engine.FleetCapacity(st, r.Instances)
	cfg := map[string]any{"IamFleetRole": r.IamFleetRole, "Type": r.Type, "AllocationStrategy": r.AllocationStrategy,
		"OnDemandAllocationStrategy": api.Str(r.OnDemandAllocationStrategy), "TargetCapacity": r.TargetCapacity,
		"OnDemandTargetCapacity": r.OnDemandTargetCapacity, "SpotPrice": api.Str(r.SpotPrice),
		"FulfilledCapacity": have, "OnDemandFulfilledCapacity": haveOD,
		"ExcessCapacityTerminationPolicy": r.ExcessCapacityTerminationPolicy, "InstanceInterruptionBehavior": r.InstanceInterruptionBehavior,
		"TerminateInstancesWithExpiration": r.TerminateInstancesWithExpiration, "ReplaceUnhealthyInstances": r.ReplaceUnhealthyInstances,
		"ValidFrom": api.Time(r.ValidFrom), "ValidUntil": api.Time(r.ValidUntil), "ClientToken": api.Str(r.ClientToken),
		"TargetCapacityUnitType": api.Str(r.TargetCapacityUnitType), "TagSpecifications": tagSpecsOut("spot-fleet-request", r.Tags),
		"OnDemandMaxTotalPrice": api.Str(r.OnDemandMaxTotalPrice), "SpotMaxTotalPrice": api.Str(r.SpotMaxTotalPrice), "Context": api.Str(r.Context)}
	if r.Spot.ReplacementStrategy != "" {
		cr := map[string]any{"ReplacementStrategy": r.Spot.ReplacementStrategy}
		if r.Spot.TerminationDelay > 0 {
			cr["TerminationDelay"] = r.Spot.TerminationDelay
		}
		cfg["SpotMaintenanceStrategies"] = map[string]any{"CapacityRebalance": cr}
	}
	if r.InstancePoolsToUseCount > 0 {
		cfg["InstancePoolsToUseCount"] = r.InstancePoolsToUseCount
	}
	if r.FromTemplates {
		cfg["LaunchTemplateConfigs"] = templateConfigsOut(r.Templates, "SpotPrice")
	} else {
		specs := make([]any, 0, len(r.Specs))
		for _, p := range r.Specs {
			s := map[string]any{"ImageId": p.ImageID, "InstanceType": api.Str(p.InstanceType), "SubnetId": api.Str(string(p.SubnetID)),
				"KeyName": api.Str(p.KeyName), "UserData": api.Str(p.UserData), "WeightedCapacity": optNum(p.WeightedCapacity),
				"SpotPrice": api.Str(p.MaxPrice), "SecurityGroups": groupIdentifiers(st, p.GroupIDs),
				"TagSpecifications": tagSpecsOut("instance", p.InstanceTags), "EbsOptimized": p.EbsOptimized,
				"KernelId": api.Str(p.KernelID), "RamdiskId": api.Str(p.RamdiskID), "AddressingType": api.Str(p.AddressingType)}
			if p.Monitoring != nil {
				s["Monitoring"] = map[string]any{"Enabled": *p.Monitoring}
			}
			if len(p.BlockDevices) > 0 {
				s["BlockDeviceMappings"] = lcBlockDevicesOut(p.BlockDevices)
			}
			if p.AvailabilityZone != "" || p.PlacementGroup != "" || p.Tenancy != "" {
				s["Placement"] = map[string]any{"AvailabilityZone": api.Str(p.AvailabilityZone), "GroupName": api.Str(p.PlacementGroup), "Tenancy": api.Str(p.Tenancy)}
			}
			if p.IAMProfile != "" {
				key := "Name"
				if strings.HasPrefix(p.IAMProfile, "arn:") {
					key = "Arn"
				}
				s["IamInstanceProfile"] = map[string]any{key: p.IAMProfile}
			}
			specs = append(specs, s)
		}
		cfg["LaunchSpecifications"] = specs
	}
	state := engine.SpotFleetState(st, r)
	activity := "fulfilled"
	if have < float64(r.TargetCapacity) {
		activity = "pending_fulfillment"
		if slices.ContainsFunc(r.History, func(e model.FleetEvent) bool { return e.Type == "error" }) {
			activity = "error"
		}
	}
	if strings.HasPrefix(state, "cancelled") {
		activity = ""
	}
	return map[string]any{"SpotFleetRequestId": r.ID, "SpotFleetRequestState": state, "ActivityStatus": api.Str(activity),
		"CreateTime": api.Time(r.Created), "SpotFleetRequestConfig": cfg, "Tags": api.EC2Tags(r.Tags)}
}

func describeSpotFleetRequests(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		var items []*model.SpotFleetRequest
		if items, err = byIDs(st.SpotFleets, c.In.Strings("SpotFleetRequestIds"), func(id string) error {
			return apierr.Newf("InvalidSpotFleetRequestId.NotFound", "The spot fleet request ID '%s' does not exist", id)
		}); err != nil {
			return
		}
		key := func(r *model.SpotFleetRequest) string { return string(r.ID) }
		var next any
		if items, next, err = page(c.In, items, key, 1, 1000); err != nil {
			return
		}
		res := make([]any, len(items))
		for i, r := range items {
			res[i] = spotFleetOut(st, r)
		}
		out = map[string]any{"SpotFleetRequestConfigs": res, "NextToken": next}
	})
	return out, err
}

// activeInstances lists a fleet's running (or pending) instances.
func activeInstances(st *model.State, insts []model.FleetInstance) []model.FleetInstance {
	var out []model.FleetInstance
	for _, fi := range insts {
		if i := st.Instances[fi.ID]; i != nil && i.Live() {
			out = append(out, fi)
		}
	}
	return out
}

func fleetInstancesPage(c *api.Call, insts []model.FleetInstance) ([]any, any, error) {
	key := func(fi model.FleetInstance) string { return string(fi.ID) }
	items, next, err := page(c.In, insts, key, 1, 1000)
	if err != nil {
		return nil, nil, err
	}
	out := make([]any, len(items))
	for i, fi := range items {
		out[i] = map[string]any{"InstanceId": fi.ID, "InstanceType": fi.InstanceType,
			"SpotInstanceRequestId": api.Str(string(fi.SpotRequest)), "InstanceHealth": "healthy"}
	}
	return out, next, nil
}

func describeSpotFleetInstances(c *api.Call) (map[string]any, error) {
	id := c.In.String("SpotFleetRequestId")
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		r := st.SpotFleets[model.SpotFleetRequestID(id)]
		if r == nil {
			err = apierr.Newf("InvalidSpotFleetRequestId.NotFound", "The spot fleet request ID '%s' does not exist", id)
			return
		}
		var items []any
		var next any
		if items, next, err = fleetInstancesPage(c, activeInstances(st, r.Instances)); err != nil {
			return
		}
		out = map[string]any{"SpotFleetRequestId": r.ID, "ActiveInstances": items, "NextToken": next}
	})
	return out, err
}

func describeSpotFleetRequestHistory(c *api.Call) (map[string]any, error) {
	id := c.In.String("SpotFleetRequestId")
	typ := c.In.String("EventType")
	switch typ {
	case "", "instanceChange", "fleetRequestChange", "error", "information":
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter eventType is invalid. Valid values are: instanceChange, fleetRequestChange, error, information.", typ)
	}
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		r := st.SpotFleets[model.SpotFleetRequestID(id)]
		if r == nil {
			err = apierr.Newf("InvalidSpotFleetRequestId.NotFound", "The spot fleet request ID '%s' does not exist", id)
			return
		}
		out, err = fleetHistory(c, r.History, typ)
		if err == nil {
			out["SpotFleetRequestId"] = r.ID
		}
	})
	return out, err
}

// fleetHistory answers a history request over events: those of type typ
// ("" any) from StartTime on, oldest first, a page at a time.
func fleetHistory(c *api.Call, events []model.FleetEvent, typ string) (map[string]any, error) {
	start := c.In.Time("StartTime")
	type ev struct {
		n int
		e model.FleetEvent
	}
	var evs []ev
	for n, e := range events {
		if e.Time.Before(start) || (typ != "" && e.Type != typ) {
			continue
		}
		evs = append(evs, ev{n, e})
	}
	key := func(e ev) string { return strconv.Itoa(100000000 + e.n) }
	items, next, err := page(c.In, evs, key, 1, 1000)
	if err != nil {
		return nil, err
	}
	recs := make([]any, len(items))
	for i, e := range items {
		info := map[string]any{"EventSubType": e.e.SubType, "EventDescription": api.Str(e.e.Info), "InstanceId": api.Str(string(e.e.InstanceID))}
		recs[i] = map[string]any{"EventType": e.e.Type, "Timestamp": e.e.Time, "EventInformation": info}
	}
	return map[string]any{"StartTime": start, "LastEvaluatedTime": c.Engine.Now(), "HistoryRecords": recs, "NextToken": next}, nil
}

func describeFleetHistory(c *api.Call) (map[string]any, error) {
	id := c.In.String("FleetId")
	typ := c.In.String("EventType")
	switch typ {
	case "", "instance-change", "fleet-change", "service-error":
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter EventType is invalid. Valid values are: instance-change, fleet-change, service-error.", typ)
	}
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		f := st.Fleets[model.FleetID(id)]
		if f == nil {
			err = apierr.Newf("InvalidFleetId.NotFound", "The fleet ID '%s' does not exist", id)
			return
		}
		out, err = fleetHistory(c, f.History, typ)
		if err == nil {
			out["FleetId"] = f.ID
		}
	})
	return out, err
}

func modifySpotFleetRequest(c *api.Call) (map[string]any, error) {
	fl, err := fleetLaunch(c)
	if err != nil {
		return nil, err
	}
	if err := c.Engine.ModifySpotFleetRequest(c.In.String("SpotFleetRequestId"), ptrInt(c.In, "TargetCapacity"),
		ptrInt(c.In, "OnDemandTargetCapacity"), c.In.String("ExcessCapacityTerminationPolicy"), fl); err != nil {
		return nil, err
	}
	return map[string]any{"Return": true}, nil
}

func cancelSpotFleetRequests(c *api.Call) (map[string]any, error) {
	res, err := c.Engine.CancelSpotFleetRequests(c.In.Strings("SpotFleetRequestIds"), c.In.Bool("TerminateInstances"))
	if err != nil {
		return nil, err
	}
	ok, bad := []any{}, []any{}
	for _, r := range res {
		if r.Code != "" {
			bad = append(bad, map[string]any{"SpotFleetRequestId": r.ID, "Error": map[string]any{"Code": r.Code, "Message": r.Message}})
		} else {
			ok = append(ok, map[string]any{"SpotFleetRequestId": r.ID, "CurrentSpotFleetRequestState": r.Current, "PreviousSpotFleetRequestState": r.Previous})
		}
	}
	return map[string]any{"SuccessfulFleetRequests": ok, "UnsuccessfulFleetRequests": bad}, nil
}

// targetCapacity reads a TargetCapacitySpecification; absent On-Demand
// and Spot capacities are -1 (ModifyFleet keeps the fleet's).
func targetCapacity(s awsproto.Params) model.FleetTargetCapacity {
	return model.FleetTargetCapacity{Total: int(s.Int("TotalTargetCapacity")), OnDemand: int(s.IntOr("OnDemandTargetCapacity", -1)),
		Spot: int(s.IntOr("SpotTargetCapacity", -1)), DefaultType: s.String("DefaultTargetCapacityType"), UnitType: s.String("TargetCapacityUnitType")}
}

func createFleet(c *api.Call) (map[string]any, error) {
	in := c.In
	tags, err := api.TagSpecs(in, "fleet", "instance", "volume", "network-interface", "spot-instances-request")
	if err != nil {
		return nil, err
	}
	tc := targetCapacity(in.Struct("TargetCapacitySpecification"))
	tc.OnDemand, tc.Spot = max(tc.OnDemand, 0), max(tc.Spot, 0)
	switch tc.DefaultType {
	case "", "spot", "on-demand":
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter DefaultTargetCapacityType is invalid. Valid values are: spot, on-demand.", tc.DefaultType)
	}
	f := model.Fleet{Type: in.String("Type"), Target: tc, SpotAllocationStrategy: in.Struct("SpotOptions").String("AllocationStrategy"),
		OnDemandAllocationStrategy:       in.Struct("OnDemandOptions").String("AllocationStrategy"),
		SpotInterruptionBehavior:         in.Struct("SpotOptions").String("InstanceInterruptionBehavior"),
		ExcessCapacityTerminationPolicy:  in.String("ExcessCapacityTerminationPolicy"),
		TerminateInstancesWithExpiration: in.Bool("TerminateInstancesWithExpiration"), ReplaceUnhealthyInstances: in.Bool("ReplaceUnhealthyInstances"),
		ValidFrom: in.Time("ValidFrom"), ValidUntil: in.Time("ValidUntil"), ClientToken: in.String("ClientToken"), Tags: tags,
		SpotOptions: marketOptions(in.Struct("SpotOptions")), OnDemandOptions: marketOptions(in.Struct("OnDemandOptions")), Context: in.String("Context")}
	switch f.Type {
	case "":
		f.Type = "maintain"
	case "request", "maintain", "instant":
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter Type is invalid. Valid values are: request, maintain, instant.", f.Type)
	}
	switch f.SpotAllocationStrategy {
	case "":
		f.SpotAllocationStrategy = "lowest-price"
	case "lowest-price", "diversified", "capacity-optimized", "capacity-optimized-prioritized", "price-capacity-optimized",
		"lowestPrice", "capacityOptimized", "capacityOptimizedPrioritized", "priceCapacityOptimized":
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter SpotOptions.AllocationStrategy is invalid.", f.SpotAllocationStrategy)
	}
	if f.OnDemandAllocationStrategy == "" {
		f.OnDemandAllocationStrategy = "lowest-price"
	}
	if f.SpotInterruptionBehavior == "" {
		f.SpotInterruptionBehavior = "terminate"
	}
	if f.ExcessCapacityTerminationPolicy == "" && f.Type != "instant" {
		f.ExcessCapacityTerminationPolicy = "termination"
	}
	if f.Templates, err = fleetTemplateConfigs(in, "MaxPrice"); err != nil {
		return nil, err
	}
	if len(f.Templates) == 0 {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter LaunchTemplateConfigs")
	}
	fl, err := fleetLaunch(c)
	if err != nil {
		return nil, err
	}
	out, err := c.Engine.CreateFleet(f, fl)
	if err != nil {
		return nil, err
	}
	res := map[string]any{"FleetId": out.ID}
	if out.Type == "instant" {
		res["Errors"] = fleetErrorsOut(out)
		res["Instances"] = fleetInstantOut(out)
	}
	return res, nil
}

// fleetErrorsOut lists the launches of a fleet that failed.
func fleetErrorsOut(f *model.Fleet) []any {
	out := make([]any, 0, len(f.Errors))
	for _, e := range f.Errors {
		p := f.Pools[e.Pool]
		lifecycle := "on-demand"
		if e.Spot {
			lifecycle = "spot"
		}
		spec := map[string]any{"LaunchTemplateId": api.Str(string(p.Template.ID)), "LaunchTemplateName": api.Str(p.Template.Name), "Version": api.Str(p.Template.Version)}
		out = append(out, map[string]any{"ErrorCode": e.SubType, "ErrorMessage": e.Info, "Lifecycle": lifecycle,
			"LaunchTemplateAndOverrides": map[string]any{"LaunchTemplateSpecification": spec, "Overrides": overrideOut(p, "MaxPrice")}})
	}
	return out
}

// fleetInstantOut groups an instant fleet's instances by pool and market.
func fleetInstantOut(f *model.Fleet) []any {
	type k struct {
		pool int
		spot bool
	}
	var order []k
	ids := map[k][]any{}
	typ := map[k]string{}
	for _, fi := range f.Instances {
		key := k{fi.Pool, fi.Spot}
		if _, ok := ids[key]; !ok {
			order = append(order, key)
		}
		ids[key] = append(ids[key], fi.ID)
		typ[key] = fi.InstanceType
	}
	out := make([]any, 0, len(order))
	for _, key := range order {
		p := f.Pools[key.pool]
		lifecycle := "on-demand"
		if key.spot {
			lifecycle = "spot"
		}
		spec := map[string]any{"LaunchTemplateId": api.Str(string(p.Template.ID)), "LaunchTemplateName": api.Str(p.Template.Name), "Version": api.Str(p.Template.Version)}
		out = append(out, map[string]any{"InstanceIds": ids[key], "InstanceType": typ[key], "Lifecycle": lifecycle,
			"LaunchTemplateAndOverrides": map[string]any{"LaunchTemplateSpecification": spec, "Overrides": overrideOut(p, "MaxPrice")}})
	}
	return out
}

func fleetOut(st *model.State, f *model.Fleet, now time.Time) map[string]any {
	have, haveOD := engine.FleetCapacity(st, f.Instances)
	tc := map[string]any{"TotalTargetCapacity": f.Target.Total, "OnDemandTargetCapacity": f.Target.OnDemand,
		"SpotTargetCapacity": f.Target.Spot, "DefaultTargetCapacityType": f.Target.DefaultType, "TargetCapacityUnitType": api.Str(f.Target.UnitType)}
	state := engine.FleetState(st, f, now)
	activity := "fulfilled"
	if have < float64(f.Target.Total) {
		activity = "pending_fulfillment"
		if len(f.Errors) > 0 {
			activity = "error"
		}
	}
	if strings.HasPrefix(state, "deleted") {
		activity = ""
	}
	out := map[string]any{"FleetId": f.ID, "FleetState": state, "ActivityStatus": api.Str(activity), "CreateTime": api.Time(f.Created),
		"Type": f.Type, "ClientToken": api.Str(f.ClientToken), "ExcessCapacityTerminationPolicy": api.Str(f.ExcessCapacityTerminationPolicy),
		"FulfilledCapacity": have, "FulfilledOnDemandCapacity": haveOD, "TargetCapacitySpecification": tc,
		"LaunchTemplateConfigs": templateConfigsOut(f.Templates, "MaxPrice"), "TerminateInstancesWithExpiration": f.TerminateInstancesWithExpiration,
		"ReplaceUnhealthyInstances": f.ReplaceUnhealthyInstances, "ValidFrom": api.Time(f.ValidFrom), "ValidUntil": api.Time(f.ValidUntil),
		"SpotOptions":     marketOptionsOut(f.SpotAllocationStrategy, f.SpotOptions, true, f.SpotInterruptionBehavior),
		"OnDemandOptions": marketOptionsOut(f.OnDemandAllocationStrategy, f.OnDemandOptions, false, ""), "Tags": api.EC2Tags(f.Tags),
		"Context": api.Str(f.Context)}
	if f.Type == "instant" {
		out["Instances"] = fleetInstantOut(f)
	}
	if len(f.Errors) > 0 || f.Type == "instant" {
		out["Errors"] = fleetErrorsOut(f)
	}
	return out
}

func describeFleets(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	now := c.Engine.Now()
	c.Engine.Read(func(st *model.State) {
		var items []*model.Fleet
		if items, err = byIDs(st.Fleets, c.In.Strings("FleetIds"), func(id string) error {
			return apierr.Newf("InvalidFleetId.NotFound", "The fleet ID '%s' does not exist", id)
		}); err != nil {
			return
		}
		type F = *model.Fleet
		fs := api.FilterSet[F]{Attrs: map[string]func(F) []string{
			"fleet-state":                        func(f F) []string { return []string{engine.FleetState(st, f, now)} },
			"activity-status":                    func(f F) []string { return nil },
			"type":                               func(f F) []string { return []string{f.Type} },
			"replace-unhealthy-instances":        func(f F) []string { return []string{strconv.FormatBool(f.ReplaceUnhealthyInstances)} },
			"excess-capacity-termination-policy": func(f F) []string { return []string{f.ExcessCapacityTerminationPolicy} },
		}, Tags: func(f F) model.Tags { return f.Tags }}
		if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
			return
		}
		key := func(f F) string { return string(f.ID) }
		var next any
		if items, next, err = page(c.In, items, key, 1, 1000); err != nil {
			return
		}
		res := make([]any, len(items))
		for i, f := range items {
			res[i] = fleetOut(st, f, now)
		}
		out = map[string]any{"Fleets": res, "NextToken": next}
	})
	return out, err
}

func describeFleetInstances(c *api.Call) (map[string]any, error) {
	id := c.In.String("FleetId")
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		f := st.Fleets[model.FleetID(id)]
		if f == nil {
			err = apierr.Newf("InvalidFleetId.NotFound", "The fleet ID '%s' does not exist", id)
			return
		}
		var items []any
		var next any
		if items, next, err = fleetInstancesPage(c, activeInstances(st, f.Instances)); err != nil {
			return
		}
		out = map[string]any{"FleetId": f.ID, "ActiveInstances": items, "NextToken": next}
	})
	return out, err
}

func modifyFleet(c *api.Call) (map[string]any, error) {
	fl, err := fleetLaunch(c)
	if err != nil {
		return nil, err
	}
	var tc *model.FleetTargetCapacity
	if c.In.Has("TargetCapacitySpecification") {
		t := targetCapacity(c.In.Struct("TargetCapacitySpecification"))
		tc = &t
	}
	if err := c.Engine.ModifyFleet(c.In.String("FleetId"), tc, c.In.String("ExcessCapacityTerminationPolicy"), fl); err != nil {
		return nil, err
	}
	return map[string]any{"Return": true}, nil
}

func deleteFleets(c *api.Call) (map[string]any, error) {
	res, err := c.Engine.DeleteFleets(c.In.Strings("FleetIds"), c.In.Bool("TerminateInstances"))
	if err != nil {
		return nil, err
	}
	ok, bad := []any{}, []any{}
	for _, r := range res {
		if r.Code != "" {
			bad = append(bad, map[string]any{"FleetId": r.ID, "Error": map[string]any{"Code": r.Code, "Message": r.Message}})
		} else {
			ok = append(ok, map[string]any{"FleetId": r.ID, "CurrentFleetState": r.Current, "PreviousFleetState": r.Previous})
		}
	}
	return map[string]any{"SuccessfulFleetDeletions": ok, "UnsuccessfulFleetDeletions": bad}, nil
}
