package fix

import (
	"fmt"
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// classicStaticPort: a bridge service behind a Classic Load Balancer
// publishes its container port on a dynamic host port, which the load
// balancer's one instance port never reaches. The fix is a task definition
// revision whose hostPort is the probed listener's instance port (one task
// per instance), deployed to the service.
func (f *finder) classicStaticPort(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	lb := f.st.ClassicLoadBalancers[x.Component.ID]
	if lb == nil {
		return nil
	}
	i := lb.ListenerIndex(int(f.res.Port))
	if i < 0 {
		return nil
	}
	port := uint16(lb.Listeners[i].InstancePort)
	var out []Fix
	for _, svc := range sortedServices(f.st) {
		if svc.Status != "ACTIVE" {
			continue
		}
		td := f.st.TaskDefinitions[svc.TaskDefinitionARN]
		if td == nil || td.NetworkMode != model.NetworkModeBridge {
			continue
		}
		for _, slb := range svc.LoadBalancers {
			if slb.LoadBalancerName != lb.Name {
				continue
			}
			if fx, ok := f.staticHostPort(svc, td, slb, port, lb.Name); ok {
				out = append(out, fx)
			}
		}
	}
	return out
}

func (f *finder) staticHostPort(svc *model.Service, td *model.TaskDefinition, slb model.ServiceLoadBalancer, port uint16, lbName string) (Fix, bool) {
	containers := slices.Clone(td.Containers)
	changed := false
	for i := range containers {
		if containers[i].Name != slb.ContainerName {
			continue
		}
		containers[i].PortMappings = slices.Clone(containers[i].PortMappings)
		for j := range containers[i].PortMappings {
			pm := &containers[i].PortMappings[j]
			if pm.ContainerPort == slb.ContainerPort && pm.HostPort != port {
				pm.HostPort, changed = port, true
			}
		}
	}
	if !changed {
		return Fix{}, false
	}
	in := revisionOf(td, td.NetworkMode, containers)
	cluster := clusterName(svc.ClusterARN)
	return Fix{
		score: 20, Kind: "task-definition",
		Title: fmt.Sprintf("Publish container port %d of %s on host port %d (the Classic Load Balancer %s's instance port) and redeploy %s",
			slb.ContainerPort, slb.ContainerName, port, lbName, svc.Name),
		Detail: "A Classic Load Balancer sends to and health-checks one fixed port on each registered instance; a dynamic host port (0) is never that port. " +
			"With a static host port, each instance runs at most one of the service's tasks. An Application Load Balancer with a target group takes each task's own host port instead.",
		Commands: []string{
			fmt.Sprintf("aws ecs register-task-definition --cli-input-json file://%s.json   # the same definition with \"hostPort\": %d for container port %d", td.Family, port, slb.ContainerPort),
			fmt.Sprintf("aws ecs update-service --cluster %s --service %s --task-definition %s", cluster, svc.Name, td.Family),
		},
		Scenario: fmt.Sprintf("task_definitions:\n  %s:\n    containers:\n      %s:\n        ports: [\"%d:%d\"]\n", td.Family, slb.ContainerName, port, slb.ContainerPort),
		apply:    redeployWith(in, cluster, svc.Name),
	}, true
}
