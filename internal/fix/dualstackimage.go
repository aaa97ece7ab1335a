package fix

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// dualStackImage: tasks of an IPv6-only subnet cannot pull an ECR image
// by the registry's IPv4-only name (ACCOUNT.dkr.ecr.REGION.amazonaws.com,
// which has no IPv6 address). A task definition revision names the same
// image by the registry's dual-stack name (ACCOUNT.dkr-ecr.REGION.on.aws),
// which the subnet's ::/0 route carries over IPv6, and the service is
// redeployed. Amazon ECS Developer Guide, "Using a VPC in IPv6-only mode":
// "In an IPv6-only configuration, Amazon ECS workloads must use the
// Amazon ECR dual-stack image URI endpoints when pulling images from
// Amazon ECR". Verified by probing again.
func (f *finder) dualStackImage(svc *model.Service, sf *reach.StartFailure) (Fix, bool) {
	td := f.st.TaskDefinitions[runTaskDefinition(svc, nil)]
	if td == nil {
		return Fix{}, false
	}
	containers := slices.Clone(td.Containers)
	var names, images, scenario []string
	for i := range containers {
		dual := reach.DualStackImageRef(containers[i].Image)
		if dual == "" {
			continue
		}
		// Every ECR image of the definition: the next one by the IPv4
		// name would stop the task the same way.
		images = append(images, containers[i].Image+" → "+dual)
		containers[i].Image = dual
		names = append(names, containers[i].Name)
		scenario = append(scenario, fmt.Sprintf("      %s:\n        image: %s\n", containers[i].Name, dual))
	}
	if len(names) == 0 {
		return Fix{}, false
	}
	in := revisionOf(td, td.NetworkMode, containers)
	cluster := clusterName(svc.ClusterARN)
	var yaml strings.Builder
	fmt.Fprintf(&yaml, "task_definitions:\n  %s:\n    containers:\n", td.Family)
	yaml.WriteString(strings.Join(scenario, ""))
	fx := Fix{
		score: 14, Kind: "task-definition",
		Title: fmt.Sprintf("Pull %s by ECR's dual-stack registry name (%s) and redeploy %s", strings.Join(names, ", "), strings.Join(images, ", "), svc.Name),
		Detail: "In an IPv6-only subnet the task has no IPv4 address: ECR's registry name " + hostOf(sf.Image) + " answers over IPv4 only, its dual-stack name " +
			hostOf(sf.DualStackImage) + " over IPv6 too, and ECS pulls by the image URI the task definition gives. No NAT gateway or IPv4 address is needed.",
		Commands: append([]string{
			fmt.Sprintf("aws ecs register-task-definition --cli-input-json file://%s.json   # the same definition, the images by the dual-stack registry name", td.Family),
		}, redeployCommands(f.st, svc, td.Family)...),
		Scenario: yaml.String(),
		apply:    redeployWith(in, cluster, svc.Name),
	}
	if v, ok := f.serviceVerification(svc.Name); ok {
		fx.Verification = v
	}
	return fx, true
}

// hostOf is an image reference's registry host.
func hostOf(ref string) string {
	host, _, _ := strings.Cut(ref, "/")
	return host
}
