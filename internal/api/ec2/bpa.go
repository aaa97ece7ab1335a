package ec2

import (
	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerBPA(r *api.Registry) {
	add(r, "ModifyVpcBlockPublicAccessOptions", modifyVpcBlockPublicAccessOptions)
	add(r, "DescribeVpcBlockPublicAccessOptions", describeVpcBlockPublicAccessOptions)
	add(r, "CreateVpcBlockPublicAccessExclusion", createVpcBlockPublicAccessExclusion)
	add(r, "DescribeVpcBlockPublicAccessExclusions", describeVpcBlockPublicAccessExclusions)
	add(r, "ModifyVpcBlockPublicAccessExclusion", modifyVpcBlockPublicAccessExclusion)
	add(r, "DeleteVpcBlockPublicAccessExclusion", deleteVpcBlockPublicAccessExclusion)
}

// bpaOptionsOut is botocore's VpcBlockPublicAccessOptions: managed by the
// account (no declarative policy), exclusions allowed.
func bpaOptionsOut(c *api.Call, o model.VpcBlockPublicAccessOptions) map[string]any {
	return map[string]any{"VpcBlockPublicAccessOptions": map[string]any{
		"AwsAccountId":             c.Account,
		"AwsRegion":                c.Region,
		"State":                    o.State,
		"InternetGatewayBlockMode": o.Mode,
		"LastUpdateTimestamp":      api.Time(o.LastUpdate),
		"ManagedBy":                "account",
		"ExclusionsAllowed":        "allowed",
	}}
}

func modifyVpcBlockPublicAccessOptions(c *api.Call) (map[string]any, error) {
	o, err := c.Engine.ModifyVpcBlockPublicAccessOptions(c.In.String("InternetGatewayBlockMode"))
	if err != nil {
		return nil, err
	}
	return bpaOptionsOut(c, o), nil
}

func describeVpcBlockPublicAccessOptions(c *api.Call) (map[string]any, error) {
	return bpaOptionsOut(c, c.Engine.BPAOptions()), nil
}

// bpaExclusionOut is botocore's VpcBlockPublicAccessExclusion.
func bpaExclusionOut(x *model.VpcBlockPublicAccessExclusion) map[string]any {
	return map[string]any{
		"ExclusionId":                  x.ID,
		"InternetGatewayExclusionMode": x.Mode,
		"ResourceArn":                  x.ResourceARN,
		"State":                        x.State,
		"CreationTimestamp":            api.Time(x.Created),
		"LastUpdateTimestamp":          api.Time(x.LastUpdate),
		"DeletionTimestamp":            api.Time(x.DeletedAt),
		"Tags":                         api.EC2Tags(x.Tags),
	}
}

func createVpcBlockPublicAccessExclusion(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "vpc-block-public-access-exclusion")
	if err != nil {
		return nil, err
	}
	x, err := c.Engine.CreateVpcBlockPublicAccessExclusion(model.VpcID(c.In.String("VpcId")), model.SubnetID(c.In.String("SubnetId")),
		c.In.String("InternetGatewayExclusionMode"), tags)
	if err != nil {
		return nil, err
	}
	return map[string]any{"VpcBlockPublicAccessExclusion": bpaExclusionOut(x)}, nil
}

func modifyVpcBlockPublicAccessExclusion(c *api.Call) (map[string]any, error) {
	x, err := c.Engine.ModifyVpcBlockPublicAccessExclusion(model.BPAExclusionID(c.In.String("ExclusionId")), c.In.String("InternetGatewayExclusionMode"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"VpcBlockPublicAccessExclusion": bpaExclusionOut(x)}, nil
}

func deleteVpcBlockPublicAccessExclusion(c *api.Call) (map[string]any, error) {
	x, err := c.Engine.DeleteVpcBlockPublicAccessExclusion(model.BPAExclusionID(c.In.String("ExclusionId")))
	if err != nil {
		return nil, err
	}
	return map[string]any{"VpcBlockPublicAccessExclusion": bpaExclusionOut(x)}, nil
}

// describeVpcBlockPublicAccessExclusions answers ExclusionIds (an unknown
// id is InvalidVpcBlockPublicAccessExclusionId.NotFound, which
// terraform-provider-aws's finder catches) and the documented filters:
// resource-arn, internet-gateway-exclusion-mode, state and tags.
func describeVpcBlockPublicAccessExclusions(c *api.Call) (map[string]any, error) {
	var items []*model.VpcBlockPublicAccessExclusion
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.BPAExclusions, c.In.Strings("ExclusionIds"), func(id string) error {
			return apierr.Newf("InvalidVpcBlockPublicAccessExclusionId.NotFound", "The exclusion ID '%s' does not exist", id)
		})
	})
	if err != nil {
		return nil, err
	}
	fs := api.FilterSet[*model.VpcBlockPublicAccessExclusion]{
		Tags: func(x *model.VpcBlockPublicAccessExclusion) model.Tags { return x.Tags },
		Attrs: map[string]func(*model.VpcBlockPublicAccessExclusion) []string{
			"resource-arn":                    func(x *model.VpcBlockPublicAccessExclusion) []string { return []string{x.ResourceARN} },
			"internet-gateway-exclusion-mode": func(x *model.VpcBlockPublicAccessExclusion) []string { return []string{x.Mode} },
			"state":                           func(x *model.VpcBlockPublicAccessExclusion) []string { return []string{x.State} },
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(x *model.VpcBlockPublicAccessExclusion) string { return string(x.ID) }
	items, next, err := page(c.In, items, key, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, x := range items {
		out[i] = bpaExclusionOut(x)
	}
	return map[string]any{"VpcBlockPublicAccessExclusions": out, "NextToken": next}, nil
}
