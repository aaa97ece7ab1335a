package collect

import (
	"context"
	"errors"
	"fmt"

	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// collectTGW reads the region's transit gateways, their attachments and
// route tables, then each live table's static routes (search-transit-
// gateway-routes, filter type=static: the propagated ones follow from the
// propagations and the VPCs' CIDRs), associations and propagations.
func (r *regionRun) collectTGW(ctx context.Context) {
	for _, op := range []string{"describe-transit-gateways", "describe-transit-gateway-attachments",
		"describe-transit-gateway-vpc-attachments", "describe-transit-gateway-peering-attachments"} {
		r.all(ctx, callOf("ec2", op), nil, "", nil)
	}
	var tables []string
	rtCall := callOf("ec2", "describe-transit-gateway-route-tables")
	ok := r.run(ctx, rtCall, func(ctx context.Context, c *counter) (files, error) {
		var all []any
		err := r.client.pages(ctx, r, c, "ec2", "DescribeTransitGatewayRouteTables", nil, func(out map[string]any) int {
			page := items(out, rtCall.Key)
			all = append(all, page...)
			for _, t := range page {
				if s := fieldOf(t, "State"); s != "deleted" && s != "deleting" {
					tables = append(tables, fieldOf(t, "TransitGatewayRouteTableId"))
				}
			}
			return len(page)
		})
		return one(rtCall, all), err
	})
	search := callOf("ec2", "search-transit-gateway-routes")
	r.run(ctx, search, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, errors.New("skipped: describe-transit-gateway-route-tables failed")
		}
		out := files{}
		for _, id := range tables {
			// Not paginated: at most 1000 routes, and a flag when there
			// are more (the reader then leaves the table undecided).
			o, err := r.client.call(ctx, r.region, "ec2", "SearchTransitGatewayRoutes", map[string]any{"TransitGatewayRouteTableId": id,
				"Filters": []any{map[string]any{"Name": "type", "Values": []any{"static"}}}, "MaxResults": 1000})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
			routes := items(o, search.Key)
			c.page(len(routes))
			more, _ := o["AdditionalRoutesAvailable"].(bool)
			if more {
				c.note(id + " has more than 1000 static routes: the first 1000 collected")
			}
			out[snapshot.TGWRoutesFileName(id)] = map[string]any{"TransitGatewayRouteTableId": id, search.Key: routes, "AdditionalRoutesAvailable": more}
		}
		return out, nil
	})
	perTable := func(call snapshot.Call, name func(string) string) {
		r.run(ctx, call, func(ctx context.Context, c *counter) (files, error) {
			if !ok {
				return nil, errors.New("skipped: describe-transit-gateway-route-tables failed")
			}
			out := files{}
			for _, id := range tables {
				all := []any{}
				err := r.client.pages(ctx, r, c, "ec2", operationName(call.Operation), map[string]any{"TransitGatewayRouteTableId": id}, func(o map[string]any) int {
					page := items(o, call.Key)
					all = append(all, page...)
					return len(page)
				})
				if err != nil {
					return nil, fmt.Errorf("%s: %w", id, err)
				}
				out[name(id)] = map[string]any{"TransitGatewayRouteTableId": id, call.Key: all}
			}
			return out, nil
		})
	}
	perTable(callOf("ec2", "get-transit-gateway-route-table-associations"), snapshot.TGWAssociationsFileName)
	perTable(callOf("ec2", "get-transit-gateway-route-table-propagations"), snapshot.TGWPropagationsFileName)
}
