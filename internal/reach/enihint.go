package reach

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// eniCapacityHint is the remedy of a service's RESOURCE:ENI. Where every
// active container instance of its cluster already registered with ENI
// trunking (a trunk interface, its branch interfaces one per awsvpc task:
// "Task limit with ENI trunking" per instance type, ECS Developer Guide,
// "Increase Linux container instance network interfaces"), turning the
// setting on changes nothing: the tasks need more instances or a type of
// a higher trunking limit.
func (n *Network) eniCapacityHint(svc *model.Service) string {
	const untrunked = "enable awsvpcTrunking (aws ecs put-account-setting-default --name awsvpcTrunking --value enabled) and replace the instances with a type that supports it, use larger instances, or add instances"
	var types []string
	trunked := 0
	for _, ci := range n.st.ContainerInstances {
		if ci.ClusterARN != svc.ClusterARN || ci.Status != "ACTIVE" {
			continue
		}
		if !ci.TrunkingEnabled {
			return untrunked
		}
		it, ok := model.LookupInstanceType(ci.InstanceType)
		if !ok || it.TrunkTasks == 0 {
			return untrunked
		}
		trunked++
		if t := ci.InstanceType + ": " + strconv.Itoa(it.TrunkTasks) + " tasks"; !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	if trunked == 0 {
		return untrunked
	}
	slices.Sort(types)
	return "the container instances already use ENI trunking (" + strings.Join(types, ", ") +
		" each, one branch interface per awsvpc task), so the account setting changes nothing: add container instances (the Auto Scaling group's or capacity provider's capacity), or use an instance type of a higher task limit with trunking"
}
