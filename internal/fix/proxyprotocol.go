package fix

import (
	"fmt"
	"slices"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// proxyProtocolFixes: a Network Load Balancer's target group and its
// targets' application disagree on the proxy protocol header
// (reach.CodeProxyProtocolMismatch). Either the target group's
// proxy_protocol_v2.enabled follows the application (off for an
// application that does not read the header: it then no longer learns
// the client's address from it; on for one that expects it), or the
// application follows the target group (a new task definition revision
// standing for the application's setting, nginx's listen … proxy_protocol,
// redeployed). Each is verified: the probe is answered.
func (f *finder) proxyProtocolFixes(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	tg := f.st.TargetGroups[x.Component.ARN]
	if tg == nil {
		return nil
	}
	sends := tg.Attributes["proxy_protocol_v2.enabled"] == "true"
	value, verb := "true", "on"
	if sends {
		value, verb = "false", "off"
	}
	arn, name := tg.ARN, tg.Name
	out := []Fix{{
		score: 20, Kind: "target-group",
		Title: fmt.Sprintf("Turn proxy protocol v2 %s on target group %s, as its targets' application expects", verb, name),
		Detail: map[bool]string{
			true:  "The application does not read a PROXY header: without it the application sees the load balancer's or the client's address as the connection's source (client IP preservation), not in a header.",
			false: "The load balancer then prepends a proxy protocol v2 header to each connection, health checks included, which the application reads before the client's bytes.",
		}[sends],
		Commands: []string{fmt.Sprintf("aws elbv2 modify-target-group-attributes --target-group-arn %s --attributes Key=proxy_protocol_v2.enabled,Value=%s", arn, value)},
		Scenario: fmt.Sprintf("target_groups:\n  %s:\n    attributes: {proxy_protocol_v2.enabled: \"%s\"}\n", name, value),
		apply: func(e *engine.Engine) error {
			_, err := e.ModifyTargetGroupAttributes(arn, [][2]string{{"proxy_protocol_v2.enabled", value}})
			return err
		},
	}}
	// The application's own setting: the services whose containers the
	// target group forwards to.
	return append(out, f.proxyProtocolAppFixes(func(l model.ServiceLoadBalancer) bool { return l.TargetGroupARN == arn }, sends, [2]string{
		"stop expecting a PROXY header (nginx: listen without proxy_protocol)",
		"read the proxy protocol v2 header the load balancer sends (nginx: listen … proxy_protocol; HAProxy: accept-proxy)",
	}, fmt.Sprintf("The target group %s decides whether each connection starts with a PROXY header; the application must read exactly what it sends. The header is also on the health checks' connections.", name))...)
}

// proxyProtocolAppFixes are the application's side of a proxy protocol
// mismatch: for each service whose load balancer entry forwards (by
// forwards) to a container that does not expect what the load balancer
// sends, a new task definition revision standing for the application's
// setting (what[0] when the load balancer sends nothing, what[1] when it
// sends a PROXY line or header), redeployed.
func (f *finder) proxyProtocolAppFixes(forwards func(model.ServiceLoadBalancer) bool, sends bool, what [2]string, detail string) []Fix {
	var out []Fix
	for _, svc := range f.st.Services {
		for _, l := range runLoadBalancers(svc, nil) {
			if !forwards(l) {
				continue
			}
			td := f.st.TaskDefinitions[runTaskDefinition(svc, nil)]
			if td == nil {
				continue
			}
			c, ok := td.Container(l.ContainerName)
			if !ok || c.ProxyProtocol == sends {
				continue
			}
			containers := slices.Clone(td.Containers)
			for i := range containers {
				if containers[i].Name == c.Name {
					containers[i].ProxyProtocol = sends
				}
			}
			w := what[0]
			if sends {
				w = what[1]
			}
			cluster := clusterName(svc.ClusterARN)
			out = append(out, Fix{
				score: 15, Kind: "application",
				Title:  fmt.Sprintf("Make container %s of %s %s, and redeploy", c.Name, svc.Name, w),
				Detail: detail,
				Commands: append([]string{
					"# change the application's proxy protocol setting, build and push the image, then:",
					fmt.Sprintf("aws ecs register-task-definition --cli-input-json file://%s.json   # the same definition with the new image", td.Family),
				}, redeployCommands(f.st, svc, td.Family)...),
				Scenario: fmt.Sprintf("task_definitions:\n  %s:\n    containers:\n      %s:\n        proxy_protocol: %t\n", td.Family, c.Name, sends),
				apply:    redeployWith(revisionOf(td, td.NetworkMode, containers), cluster, svc.Name),
			})
		}
	}
	return out
}
