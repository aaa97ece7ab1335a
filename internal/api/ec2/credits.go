package ec2

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerCredits(r *api.Registry) {
	add(r, "DescribeInstanceCreditSpecifications", describeInstanceCreditSpecifications)
}

// defaultCredits is a burstable type's default credit option: unlimited
// for T3, T3a and T4g, standard for T2 (burstable-performance-instances.md).
func defaultCredits(typ string) (string, bool) {
	switch {
	case strings.HasPrefix(typ, "t2."):
		return "standard", true
	case strings.HasPrefix(typ, "t3.") || strings.HasPrefix(typ, "t3a.") || strings.HasPrefix(typ, "t4g."):
		return "unlimited", true
	}
	return "", false
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
			return apierr.Newf("InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", id)
		}); err != nil {
			return
		}
		items = api.SortBy(items, func(i *model.Instance) string { return string(i.ID) })
		for _, i := range items {
			if i.State == model.InstanceTerminated {
				continue
			}
			if credits, ok := defaultCredits(i.Type); ok {
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
