package fix

import (
	"fmt"
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// nlbTLSTargetFixes: a Network Load Balancer's target group of protocol
// TLS opens TLS to targets whose application does not speak it
// (reach.CodeNLBTLSTargetHandshake). A target group's protocol cannot be
// modified, so either the load balancer sends the decrypted bytes in
// plain (a copy of the group of protocol TCP, the listeners forwarding to
// it, the services registering in it: targetProtocol's copyTargetGroup),
// or the application serves TLS on the port (a new task definition
// revision of the container with TLS, redeployed; any certificate: the
// load balancer does not validate the targets'). Each is verified.
func (f *finder) nlbTLSTargetFixes(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	tg := f.st.TargetGroups[x.Component.ARN]
	if tg == nil || tg.Protocol != "TLS" {
		return nil
	}
	out := f.copyTargetGroup(tg, "TCP", "", "tcp",
		func(name, svcs string) string {
			return fmt.Sprintf("Forward to a new target group %s of protocol TCP instead of %s (TLS), and %s", name, tg.Name, registerIn(svcs))
		},
		"A TLS listener already ends the clients' TLS; a target group of protocol TLS then opens a second TLS connection to each target, which an application without TLS fails. "+
			"A target group's protocol cannot be modified: a copy of the group of protocol TCP (the load balancer sends the decrypted bytes in plain), the listener forwarding to it, and its targets registered there (a service's by a new deployment).",
		fmt.Sprintf("target_groups:\n  %s:\n    protocol: TCP\n", tg.Name))
	return append(out, f.containerTLSFixes(tg)...)
}

// containerTLSFixes make the containers a TLS target group forwards to
// serve TLS: for each service registered in tg whose container does not,
// a new task definition revision standing for the application serving
// TLS on its port, redeployed.
func (f *finder) containerTLSFixes(tg *model.TargetGroup) []Fix {
	var out []Fix
	for _, svc := range sortedServices(f.st) {
		if svc.Status != "ACTIVE" {
			continue
		}
		for _, l := range runLoadBalancers(svc, nil) {
			if l.TargetGroupARN != tg.ARN {
				continue
			}
			td := f.st.TaskDefinitions[runTaskDefinition(svc, nil)]
			if td == nil {
				continue
			}
			c, ok := td.Container(l.ContainerName)
			if !ok || c.TLS {
				continue
			}
			containers := slices.Clone(td.Containers)
			for i := range containers {
				if containers[i].Name == c.Name {
					containers[i].TLS = true
				}
			}
			cluster := clusterName(svc.ClusterARN)
			out = append(out, Fix{
				score: 12, Kind: "application",
				Title: fmt.Sprintf("Make container %s of %s serve TLS on port %d, and redeploy", c.Name, svc.Name, l.ContainerPort),
				Detail: fmt.Sprintf("The target group %s speaks TLS to its targets: the application must complete a TLS handshake on port %d. "+
					"Any certificate does (a self-signed one too): the load balancer does not validate its targets' certificates.", tg.Name, l.ContainerPort),
				Commands: append([]string{
					"# serve TLS on the port in the application (a certificate and key in the image or from Secrets Manager), build and push the image, then:",
					fmt.Sprintf("aws ecs register-task-definition --cli-input-json file://%s.json   # the same definition with the new image", td.Family),
				}, redeployCommands(f.st, svc, td.Family)...),
				Scenario: fmt.Sprintf("task_definitions:\n  %s:\n    containers:\n      %s:\n        tls: true\n", td.Family, c.Name),
				apply:    redeployWith(revisionOf(td, td.NetworkMode, containers), cluster, svc.Name),
			})
		}
	}
	return out
}
