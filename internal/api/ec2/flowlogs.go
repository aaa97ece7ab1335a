package ec2

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerFlowLogs(r *api.Registry) {
	add(r, "CreateFlowLogs", createFlowLogs)
	add(r, "DescribeFlowLogs", describeFlowLogs)
	add(r, "DeleteFlowLogs", deleteFlowLogs)
	add(r, "CreateCarrierGateway", createCarrierGateway)
	add(r, "DescribeCarrierGateways", describeCarrierGateways)
	add(r, "DeleteCarrierGateway", deleteCarrierGateway)
}

// flowLogOut returns a flow log as botocore's FlowLog. ecsnet delivers no
// records, so delivery never fails: DeliverLogsStatus is SUCCESS.
func flowLogOut(f *model.FlowLog) map[string]any {
	out := map[string]any{
		"FlowLogId":                f.ID,
		"CreationTime":             api.Time(f.Created),
		"DeliverLogsStatus":        "SUCCESS",
		"FlowLogStatus":            "ACTIVE",
		"ResourceId":               f.ResourceID,
		"TrafficType":              f.TrafficType,
		"LogDestinationType":       f.DestinationType,
		"LogDestination":           api.Str(f.Destination),
		"LogGroupName":             api.Str(f.LogGroupName),
		"DeliverLogsPermissionArn": api.Str(f.PermissionARN),
		"DeliverCrossAccountRole":  api.Str(f.CrossAccountRole),
		"LogFormat":                f.Format,
		"MaxAggregationInterval":   f.AggregationSeconds,
		"Tags":                     api.TagList(f.Tags, "Key", "Value"),
	}
	if f.DestinationType == "s3" {
		out["DestinationOptions"] = map[string]any{"FileFormat": f.FileFormat, "HiveCompatiblePartitions": f.HiveCompatible, "PerHourPartition": f.PerHourPartition}
	}
	return out
}

func createFlowLogs(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "vpc-flow-log")
	if err != nil {
		return nil, err
	}
	opts := c.In.Struct("DestinationOptions")
	in := engine.FlowLogInput{
		ResourceType:     c.In.String("ResourceType"),
		TrafficType:      c.In.String("TrafficType"),
		DestinationType:  c.In.String("LogDestinationType"),
		Destination:      c.In.String("LogDestination"),
		LogGroupName:     c.In.String("LogGroupName"),
		PermissionARN:    c.In.String("DeliverLogsPermissionArn"),
		CrossAccountRole: c.In.String("DeliverCrossAccountRole"),
		Format:           c.In.String("LogFormat"),
		Aggregation:      int(c.In.Int("MaxAggregationInterval")),
		FileFormat:       opts.String("FileFormat"),
		HiveCompatible:   opts.Bool("HiveCompatiblePartitions"),
		PerHourPartition: opts.Bool("PerHourPartition"),
		Tags:             tags,
	}
	if c.In.Has("MaxAggregationInterval") && in.Aggregation == 0 {
		in.Aggregation = -1 // an explicit 0 is invalid, not the default
	}
	if bucket := engine.FlowLogBucket(in.DestinationType, in.Destination); bucket != "" {
		global, err := c.Global()
		if err != nil {
			return nil, err
		}
		global.Read(in.SeeBuckets)
	}
	ids, failed, err := c.Engine.CreateFlowLogs(c.In.Strings("ResourceIds"), in)
	if err != nil {
		return nil, err
	}
	un := make([]any, len(failed))
	for i, f := range failed {
		un[i] = map[string]any{"ResourceId": f.ResourceID, "Error": map[string]any{"Code": f.Code, "Message": f.Message}}
	}
	return map[string]any{"FlowLogIds": api.Strs(ids), "Unsuccessful": un, "ClientToken": api.Str(c.In.String("ClientToken"))}, nil
}

func deleteFlowLogs(c *api.Call) (map[string]any, error) {
	var ids []model.FlowLogID
	for _, id := range c.In.Strings("FlowLogIds") {
		ids = append(ids, model.FlowLogID(id))
	}
	if err := c.Engine.DeleteFlowLogs(ids); err != nil {
		return nil, err
	}
	return map[string]any{"Unsuccessful": []any{}}, nil
}

func describeFlowLogs(c *api.Call) (map[string]any, error) {
	var items []*model.FlowLog
	c.Engine.Read(func(st *model.State) {
		// Unknown ids match nothing (no error), as after a delete.
		items, _ = byIDs(st.FlowLogs, nil, nil)
	})
	if ids := c.In.Strings("FlowLogIds"); len(ids) > 0 {
		items = slices.DeleteFunc(items, func(f *model.FlowLog) bool { return !slices.Contains(ids, string(f.ID)) })
	}
	fs := api.FilterSet[*model.FlowLog]{
		Tags: func(f *model.FlowLog) model.Tags { return f.Tags },
		Attrs: map[string]func(*model.FlowLog) []string{
			"deliver-log-status":   func(*model.FlowLog) []string { return []string{"SUCCESS"} },
			"log-destination-type": func(f *model.FlowLog) []string { return []string{f.DestinationType} },
			"flow-log-id":          func(f *model.FlowLog) []string { return api.One(f.ID) },
			"log-group-name":       func(f *model.FlowLog) []string { return api.One(f.LogGroupName) },
			"resource-id":          func(f *model.FlowLog) []string { return []string{f.ResourceID} },
			"traffic-type":         func(f *model.FlowLog) []string { return []string{f.TrafficType} },
		},
	}
	items, err := fs.Apply(items, api.Filters(c.In))
	if err != nil {
		return nil, err
	}
	key := func(f *model.FlowLog) string { return string(f.ID) }
	items, next, err := page(c.In, items, key, 1, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, f := range items {
		out[i] = flowLogOut(f)
	}
	return map[string]any{"FlowLogs": out, "NextToken": next}, nil
}

// carrierGatewayOut returns a carrier gateway as botocore's CarrierGateway.
func carrierGatewayOut(g *model.CarrierGateway, state string) map[string]any {
	return map[string]any{
		"CarrierGatewayId": g.ID,
		"VpcId":            g.VpcID,
		"State":            state,
		"OwnerId":          g.Owner,
		"Tags":             api.TagList(g.Tags, "Key", "Value"),
	}
}

func createCarrierGateway(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "carrier-gateway")
	if err != nil {
		return nil, err
	}
	g, err := c.Engine.CreateCarrierGateway(model.VpcID(c.In.String("VpcId")), tags)
	if err != nil {
		return nil, err
	}
	return map[string]any{"CarrierGateway": carrierGatewayOut(g, "available")}, nil
}

func deleteCarrierGateway(c *api.Call) (map[string]any, error) {
	g, err := c.Engine.DeleteCarrierGateway(model.CarrierGatewayID(c.In.String("CarrierGatewayId")))
	if err != nil {
		return nil, err
	}
	return map[string]any{"CarrierGateway": carrierGatewayOut(g, "deleting")}, nil
}

func describeCarrierGateways(c *api.Call) (map[string]any, error) {
	var items []*model.CarrierGateway
	c.Engine.Read(func(st *model.State) { items, _ = byIDs(st.CarrierGateways, nil, nil) })
	if ids := c.In.Strings("CarrierGatewayIds"); len(ids) > 0 {
		items = slices.DeleteFunc(items, func(g *model.CarrierGateway) bool { return !slices.Contains(ids, string(g.ID)) })
	}
	fs := api.FilterSet[*model.CarrierGateway]{
		Tags: func(g *model.CarrierGateway) model.Tags { return g.Tags },
		Attrs: map[string]func(*model.CarrierGateway) []string{
			"carrier-gateway-id": func(g *model.CarrierGateway) []string { return api.One(g.ID) },
			"state":              func(*model.CarrierGateway) []string { return []string{"available"} },
			"owner-id":           func(g *model.CarrierGateway) []string { return []string{g.Owner} },
			"vpc-id":             func(g *model.CarrierGateway) []string { return api.One(g.VpcID) },
		},
	}
	key := func(g *model.CarrierGateway) string { return string(g.ID) }
	return describePage(c, items, fs, key, "CarrierGateways", func(g *model.CarrierGateway) any { return carrierGatewayOut(g, "available") })
}
