package ec2

import (
	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerCredits(r *api.Registry) {
	add(r, "DescribeInstanceCreditSpecifications", describeInstanceCreditSpecifications)
	add(r, "ModifyInstanceCreditSpecification", modifyInstanceCreditSpecification)
	add(r, "GetDefaultCreditSpecification", getDefaultCreditSpecification)
	add(r, "ModifyDefaultCreditSpecification", modifyDefaultCreditSpecification)
	add(r, "ResetInstanceAttribute", resetInstanceAttribute)
}

func resetInstanceAttribute(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.ResetInstanceAttribute(model.InstanceID(c.In.String("InstanceId")), c.In.String("Attribute"))
}

func getDefaultCreditSpecification(c *api.Call) (map[string]any, error) {
	family := c.In.String("InstanceFamily")
	credits, err := c.Engine.DefaultCreditSpecification(family)
	if err != nil {
		return nil, err
	}
	return map[string]any{"InstanceFamilyCreditSpecification": map[string]any{"InstanceFamily": family, "CpuCredits": credits}}, nil
}

func modifyDefaultCreditSpecification(c *api.Call) (map[string]any, error) {
	family := c.In.String("InstanceFamily")
	credits, err := c.Engine.ModifyDefaultCreditSpecification(family, c.In.String("CpuCredits"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"InstanceFamilyCreditSpecification": map[string]any{"InstanceFamily": family, "CpuCredits": credits}}, nil
}

// describeInstanceCreditSpecifications answers for burstable instances
// (others have no credit specification), as Terraform reads it for
// aws_instance.
func describeInstanceCreditSpecifications(c *api.Call) (map[string]any, error) {
	ids := c.In.Strings("InstanceIds")
	var out []any
	var err error
	c.Engine.Read(func(st *model.State) {
		var items []*model.Instance
		if items, err = byIDs(st.Instances, ids, func(id string) error {
			return errInstanceNotFound(id)
		}); err != nil {
			return
		}
		items = api.SortBy(items, func(i *model.Instance) string { return string(i.ID) })
		for _, i := range items {
			if i.State == model.InstanceTerminated {
				continue
			}
			credits, ok := engine.BurstableCredits(i.Type)
			if i.CPUCredits != "" {
				credits = i.CPUCredits
			}
			switch {
			case len(ids) > 0 && !ok:
				// An instance asked for by id that is not burstable
				// answers standard.
				out = append(out, map[string]any{"InstanceId": i.ID, "CpuCredits": "standard"})
			case len(ids) > 0 || (ok && credits == "unlimited"):
				// Without ids: the instances with the unlimited option.
				out = append(out, map[string]any{"InstanceId": i.ID, "CpuCredits": credits})
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []any{}
	}
	return map[string]any{"InstanceCreditSpecifications": out}, nil
}

func modifyInstanceCreditSpecification(c *api.Call) (map[string]any, error) {
	specs := map[model.InstanceID]string{}
	for _, s := range c.In.Structs("InstanceCreditSpecifications") {
		specs[model.InstanceID(s.String("InstanceId"))] = s.String("CpuCredits")
	}
	if len(specs) == 0 {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter InstanceCreditSpecification")
	}
	results, err := c.Engine.ModifyInstanceCreditSpecification(specs)
	if err != nil {
		return nil, err
	}
	ok, failed := []any{}, []any{}
	for _, r := range results {
		if r.Code == "" {
			ok = append(ok, map[string]any{"InstanceId": r.ID})
		} else {
			failed = append(failed, map[string]any{"InstanceId": r.ID, "Error": map[string]any{"Code": r.Code, "Message": r.Message}})
		}
	}
	return map[string]any{"SuccessfulInstanceCreditSpecifications": ok, "UnsuccessfulInstanceCreditSpecifications": failed}, nil
}
