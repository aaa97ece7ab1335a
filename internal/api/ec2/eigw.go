package ec2

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerEgressOnlyIGWs(r *api.Registry) {
	add(r, "CreateEgressOnlyInternetGateway", createEgressOnlyInternetGateway)
	add(r, "DescribeEgressOnlyInternetGateways", describeEgressOnlyInternetGateways)
	add(r, "DeleteEgressOnlyInternetGateway", deleteEgressOnlyInternetGateway)
}

// eigwOut returns an egress-only internet gateway as botocore's
// EgressOnlyInternetGateway: always attached to its VPC.
func eigwOut(g *model.EgressOnlyInternetGateway) map[string]any {
	return map[string]any{
		"EgressOnlyInternetGatewayId": g.ID,
		"Attachments":                 []any{map[string]any{"State": "attached", "VpcId": g.VpcID}},
		"Tags":                        api.TagList(g.Tags, "Key", "Value"), // an empty tag set too, as for internet gateways
	}
}

func createEgressOnlyInternetGateway(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "egress-only-internet-gateway")
	if err != nil {
		return nil, err
	}
	g, err := c.Engine.CreateEgressOnlyInternetGateway(model.VpcID(c.In.String("VpcId")), tags)
	if err != nil {
		return nil, err
	}
	return map[string]any{"EgressOnlyInternetGateway": eigwOut(g), "ClientToken": api.Str(c.In.String("ClientToken"))}, nil
}

func deleteEgressOnlyInternetGateway(c *api.Call) (map[string]any, error) {
	if err := c.Engine.DeleteEgressOnlyInternetGateway(model.EgressOnlyIGWID(c.In.String("EgressOnlyInternetGatewayId"))); err != nil {
		return nil, err
	}
	return map[string]any{"ReturnCode": true}, nil
}

func describeEgressOnlyInternetGateways(c *api.Call) (map[string]any, error) {
	var items []*model.EgressOnlyInternetGateway
	var err error
	c.Engine.Read(func(st *model.State) {
		// Unknown ids are not an error: they match nothing. Terraform's
		// finder (findEgressOnlyInternetGateways) has no not-found code to
		// catch and relies on the empty answer after a delete.
		ids := c.In.Strings("EgressOnlyInternetGatewayIds")
		for _, id := range ids {
			if !strings.HasPrefix(id, "eigw-") {
				err = apierr.Newf("InvalidEgressOnlyInternetGatewayId.Malformed", "Invalid id: \"%s\" (expecting \"eigw-...\")", id)
				return
			}
		}
		items, _ = byIDs(st.EgressOnlyIGWs, nil, nil)
		if len(ids) > 0 {
			items = slices.DeleteFunc(items, func(g *model.EgressOnlyInternetGateway) bool { return !slices.Contains(ids, string(g.ID)) })
		}
	})
	if err != nil {
		return nil, err
	}
	fs := api.FilterSet[*model.EgressOnlyInternetGateway]{
		Tags: func(g *model.EgressOnlyInternetGateway) model.Tags { return g.Tags },
		Attrs: map[string]func(*model.EgressOnlyInternetGateway) []string{
			"egress-only-internet-gateway-id": func(g *model.EgressOnlyInternetGateway) []string { return api.One(g.ID) },
			"attachment.vpc-id":               func(g *model.EgressOnlyInternetGateway) []string { return api.One(g.VpcID) },
			"attachment.state":                func(*model.EgressOnlyInternetGateway) []string { return []string{"attached"} },
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(g *model.EgressOnlyInternetGateway) string { return string(g.ID) }
	items, next, err := page(c.In, items, key, 5, 255)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, g := range items {
		out[i] = eigwOut(g)
	}
	return map[string]any{"EgressOnlyInternetGateways": out, "NextToken": next}, nil
}
