package ec2

import (
	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// IAM instance profile associations: what Terraform's aws_instance calls to
// change an instance's profile in place.
func registerIAMProfiles(r *api.Registry) {
	add(r, "AssociateIamInstanceProfile", associateIamInstanceProfile)
	add(r, "DescribeIamInstanceProfileAssociations", describeIamInstanceProfileAssociations)
	add(r, "ReplaceIamInstanceProfileAssociation", replaceIamInstanceProfileAssociation)
	add(r, "DisassociateIamInstanceProfile", disassociateIamInstanceProfile)
}

func profileSpec(in awsproto.Params) engine.ProfileRef {
	p := in.Struct("IamInstanceProfile")
	return engine.ProfileRef{ARN: p.String("Arn"), Name: p.String("Name")}
}

func iamAssociationOut(v engine.IAMAssociationView) map[string]any {
	profile := map[string]any{"Arn": v.ProfileARN}
	if v.Association.ProfileID != "" {
		profile["Id"] = v.Association.ProfileID
	}
	return map[string]any{
		"AssociationId": v.Association.ID, "InstanceId": v.Instance.ID, "IamInstanceProfile": profile,
		"State": v.State, "Timestamp": v.Association.Created,
	}
}

func associateIamInstanceProfile(c *api.Call) (map[string]any, error) {
	iam, err := c.IAM()
	if err != nil {
		return nil, err
	}
	v, err := c.Engine.AssociateIamInstanceProfile(iam, model.InstanceID(c.In.String("InstanceId")), profileSpec(c.In))
	if err != nil {
		return nil, err
	}
	return map[string]any{"IamInstanceProfileAssociation": iamAssociationOut(v)}, nil
}

func replaceIamInstanceProfileAssociation(c *api.Call) (map[string]any, error) {
	iam, err := c.IAM()
	if err != nil {
		return nil, err
	}
	v, err := c.Engine.ReplaceIamInstanceProfileAssociation(iam, c.In.String("AssociationId"), profileSpec(c.In))
	if err != nil {
		return nil, err
	}
	return map[string]any{"IamInstanceProfileAssociation": iamAssociationOut(v)}, nil
}

func disassociateIamInstanceProfile(c *api.Call) (map[string]any, error) {
	v, err := c.Engine.DisassociateIamInstanceProfile(c.In.String("AssociationId"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"IamInstanceProfileAssociation": iamAssociationOut(v)}, nil
}

// describeIamInstanceProfileAssociations lists associations; AWS filters
// on instance-id and state.
func describeIamInstanceProfileAssociations(c *api.Call) (map[string]any, error) {
	if err := noIDsWithMax(c.In, "AssociationIds", "AssociationIds"); err != nil {
		return nil, err
	}
	var items []engine.IAMAssociationView
	c.Engine.Read(func(st *model.State) { items = engine.IAMAssociations(st) })
	if want := c.In.Strings("AssociationIds"); len(want) > 0 {
		have := map[string]engine.IAMAssociationView{}
		for _, v := range items {
			have[v.Association.ID] = v
		}
		items = items[:0]
		for _, id := range want {
			v, ok := have[id]
			if !ok {
				return nil, engine.ErrIAMAssociationNotFound(id)
			}
			items = append(items, v)
		}
	}
	type V = engine.IAMAssociationView
	fs := api.FilterSet[V]{Attrs: map[string]func(V) []string{
		"instance-id": func(v V) []string { return []string{string(v.Instance.ID)} },
		"state":       func(v V) []string { return []string{v.State} },
	}}
	items, err := fs.Apply(items, api.Filters(c.In))
	if err != nil {
		return nil, err
	}
	key := func(v V) string { return v.Association.ID }
	items, next, err := page(c.In, items, key, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, v := range items {
		out[i] = iamAssociationOut(v)
	}
	return map[string]any{"IamInstanceProfileAssociations": out, "NextToken": next}, nil
}
