package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// desiredCount: the service that registers in the empty target group
// has desiredCount 0 (scaled to zero by hand, by a scheduled action, or
// created so). Setting it to 1 makes ECS start a task and register it;
// the re-probe proves the task starts and answers.
func (f *finder) desiredCount(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	s := f.st.Services[x.Component.ARN]
	if s == nil || s.DesiredCount != 0 || s.SchedulingStrategy == "DAEMON" {
		return nil
	}
	cluster, name := clusterName(s.ClusterARN), s.Name
	one := 1
	if st := model.ServiceScalableTarget(f.st, s); st != nil && st.Max == 0 {
		// Application Auto Scaling would scale a desired count of 1 back
		// to 0: raise the target's range, which sets the desired count.
		ns, res, dim := st.Namespace, st.ResourceID, st.Dimension
		return []Fix{{
			score: 10, Kind: "service",
			Title: fmt.Sprintf("Register the scalable target of the service %s with MinCapacity 1 and MaxCapacity 1", name),
			Detail: "The service's Application Auto Scaling target keeps its desired count between 0 and 0; " +
				"a minimum of 1 sets the desired count to 1, and ECS starts a task and registers it in the target group once it runs.",
			Commands: []string{fmt.Sprintf("aws application-autoscaling register-scalable-target --service-namespace %s "+
				"--resource-id %s --scalable-dimension %s --min-capacity 1 --max-capacity 1", ns, res, dim)},
			apply: func(e *engine.Engine) error {
				_, err := e.RegisterScalableTarget(engine.RegisterScalableTargetInput{Namespace: ns, ResourceID: res, Dimension: dim,
					Min: &one, Max: &one})
				return err
			},
		}}
	}
	apply := func(e *engine.Engine) error {
		_, err := e.UpdateService(engine.UpdateServiceInput{Cluster: cluster, Service: name, DesiredCount: &one})
		return err
	}
	return []Fix{{
		score: 10, Kind: "service",
		Title: fmt.Sprintf("Set the desired count of the service %s to 1", name),
		Detail: "A service with desiredCount 0 runs no task, so ECS registers nothing in its target groups and the load balancer answers 503; " +
			"with a desired count of 1 or more ECS starts tasks and registers each in the target group once it runs.",
		Commands: []string{fmt.Sprintf("aws ecs update-service --cluster %s --service %s --desired-count 1", cluster, name)},
		Scenario: fmt.Sprintf("services:\n  %s:\n    desired: 1\n", name),
		apply:    apply,
	}}
}
