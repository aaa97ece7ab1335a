package collect

import (
	"context"
	"errors"
	"fmt"

	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// collectTGW reads the region's transit gateways, their attachments and
// route tables, then each live table's static routes (search-transit-
// gateway-routes, filter type=static, every page: the propagated ones follow from the
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
			// Paginated since 2024 (NextToken); AdditionalRoutesAvailable,
			// from before, still says when a page left routes out.
			routes := []any{}
			more := false
			err := r.client.pages(ctx, r, c, "ec2", "SearchTransitGatewayRoutes", map[string]any{"TransitGatewayRouteTableId": id,
				"Filters": []any{map[string]any{"Name": "type", "Values": []any{"static"}}}, "MaxResults": 1000}, func(o map[string]any) int {
				page := items(o, search.Key)
				routes = append(routes, page...)
				more, _ = o["AdditionalRoutesAvailable"].(bool)
				return len(page)
			})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
			if more {
				c.note(id + ": search-transit-gateway-routes answered AdditionalRoutesAvailable: not every static route was collected")
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
