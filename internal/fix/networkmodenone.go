package fix

import (
	"fmt"
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// bridgeInsteadOfNone fixes a service on EC2 whose task definition has
// network mode none and whose task calls out (ECS_NETWORK_MODE_NONE on
// the source): a revision in bridge mode, Docker's default on Linux, gives
// its containers the instance's way out (the instance's ENI, security
// groups and routes), and the service is redeployed to it. A task that
// needs its own ENI and security groups uses awsvpc instead; bridge
// changes nothing else of the definition (network mode none has no port
// mappings).
func (f *finder) bridgeInsteadOfNone(x reach.Explanation) []Fix {
	tk := f.taskOf(x)
	if tk == nil || tk.NetworkMode != model.NetworkModeNone {
		return nil
	}
	svc := f.serviceOf(tk)
	td := f.st.TaskDefinitions[tk.TaskDefinitionARN]
	if svc == nil || td == nil || f.q.From.ARN != tk.ARN && f.q.From.ARN != svc.ARN {
		return nil // a probe to the task: its clients need port mappings too
	}
	in := revisionOf(td, model.NetworkModeBridge, slices.Clone(td.Containers))
	cluster := clusterName(svc.ClusterARN)
	return []Fix{{
		score: 15, Kind: "task-definition",
		Title:  fmt.Sprintf("Register %s with network mode bridge instead of none, and redeploy %s", td.Family, svc.Name),
		Detail: "Network mode none gives the containers a loopback interface only: no connection leaves the task. In bridge mode the containers reach out through Docker's bridge and the instance's network interface (its security groups and routes); awsvpc gives the task an ENI of its own.",
		Commands: []string{
			fmt.Sprintf("# set \"networkMode\": \"bridge\" in %s.json, then:", td.Family),
			fmt.Sprintf("aws ecs register-task-definition --cli-input-json file://%s.json", td.Family),
			fmt.Sprintf("aws ecs update-service --cluster %s --service %s --task-definition %s --force-new-deployment", cluster, svc.Name, td.Family),
		},
		Scenario: fmt.Sprintf("task_definitions:\n  %s:\n    network_mode: bridge\n", td.Family),
		apply:    redeployWith(in, cluster, svc.Name),
	}}
}
