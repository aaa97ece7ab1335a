package fix

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// healthFixes proposes, for targets that fail their health checks, a
// health check that matches what the application serves: the traffic
// port, a path the container answers with a status the matcher accepts.
// Each is verified by the target group's health on a clone.
func (f *finder) healthFixes() []Fix {
	var out []Fix
	seen := map[string]bool{}
	for _, x := range f.res.Explanations {
		if x.Code != reach.CodeTargetUnhealthy || x.Component == nil || seen[x.Component.ARN] {
			continue
		}
		seen[x.Component.ARN] = true
		tg := f.st.TargetGroups[x.Component.ARN]
		if tg == nil {
			continue
		}
		hc := tg.HealthCheck
		if hc.Port != "" && hc.Port != "traffic-port" {
			port := "traffic-port"
			out = append(out, f.modifyHealth(tg, fmt.Sprintf("Check the health of %s on the traffic port (it checks port %s, where nothing answers)", tg.Name, hc.Port),
				"--health-check-port traffic-port", "port: traffic-port", engine.ModifyTargetGroupInput{TargetGroupARN: tg.ARN, HealthCheckPort: &port}))
		}
		if strings.Contains(x.Message, reach.ReasonResponseCodeMismatch) {
			if path, ok := f.servedPath(tg); ok {
				out = append(out, f.modifyHealth(tg, fmt.Sprintf("Check the health of %s on %s, which the application answers with a status the matcher %s accepts", tg.Name, path, hc.Matcher),
					"--health-check-path "+path, "path: "+path, engine.ModifyTargetGroupInput{TargetGroupARN: tg.ARN, HealthCheckPath: &path}))
			}
		}
		if strings.Contains(x.Message, reach.ReasonTimeout) && x.Address.IsValid() {
			// The check is dropped: the fixes of a probe from the load
			// balancer to the target's health check port.
			for _, lb := range f.st.LoadBalancers {
				if !slices.ContainsFunc(tgLBs(f.st, tg.ARN), func(a string) bool { return a == lb.ARN }) {
					continue
				}
				fx, _, err := Find(f.e, "lb:"+lb.Name, fmt.Sprintf("%s:%d", x.Address, x.Port), "tcp", Options{Reach: f.opts.Reach})
				if err == nil {
					out = append(out, fx...)
				}
				break
			}
		}
	}
	return out
}

// tgLBs returns the load balancers whose listeners or rules forward to a
// target group.
func tgLBs(st *model.State, tg string) []string {
	var out []string
	for _, l := range st.Listeners {
		for _, a := range l.DefaultActions {
			if slices.Contains(a.ForwardTargetGroups(), tg) {
				out = append(out, l.LoadBalancerARN)
			}
		}
	}
	for _, r := range st.ListenerRules {
		for _, a := range r.Actions {
			if slices.Contains(a.ForwardTargetGroups(), tg) {
				if l := st.Listeners[r.ListenerARN]; l != nil {
					out = append(out, l.LoadBalancerARN)
				}
			}
		}
	}
	return out
}

// servedPath returns a path the target group's containers serve with a
// status its matcher accepts, health-looking paths first.
func (f *finder) servedPath(tg *model.TargetGroup) (string, bool) {
	for _, s := range sortedServices(f.st) {
		for _, lb := range s.LoadBalancers {
			if lb.TargetGroupARN != tg.ARN {
				continue
			}
			td := f.st.TaskDefinitions[s.TaskDefinitionARN]
			if td == nil {
				continue
			}
			c, ok := td.Container(lb.ContainerName)
			if !ok || c.Serves == nil {
				continue
			}
			var paths []string
			for p, code := range c.Serves {
				if !strings.ContainsAny(p, "*?") && matcherOK(tg.HealthCheck.Matcher, code) {
					paths = append(paths, p)
				}
			}
			slices.SortFunc(paths, func(a, b string) int {
				ha, hb := strings.Contains(a, "health"), strings.Contains(b, "health")
				if ha != hb {
					if ha {
						return -1
					}
					return 1
				}
				return strings.Compare(a, b)
			})
			if len(paths) > 0 {
				return paths[0], true
			}
		}
	}
	return "", false
}

func matcherOK(matcher string, code int) bool {
	if matcher == "" {
		matcher = "200"
	}
	for _, part := range strings.Split(matcher, ",") {
		var lo, hi int
		if n, _ := fmt.Sscanf(strings.TrimSpace(part), "%d-%d", &lo, &hi); n == 2 {
			if lo <= code && code <= hi {
				return true
			}
		} else if n == 1 && lo == code {
			return true
		}
	}
	return false
}

// modifyHealth builds a health check change, verified by target health.
func (f *finder) modifyHealth(tg *model.TargetGroup, title, flag, yaml string, in engine.ModifyTargetGroupInput) Fix {
	return Fix{
		score: 15, Kind: "health-check", Title: title,
		Detail:   "A target that fails its health checks is replaced by ECS again and again; the health check must ask what the application answers.",
		Commands: []string{fmt.Sprintf("aws elbv2 modify-target-group --target-group-arn %s %s", tg.ARN, flag)},
		Scenario: fmt.Sprintf("target_groups:\n  %s:\n    health_check: {%s}\n", tg.Name, yaml),
		apply: func(e *engine.Engine) error {
			_, err := e.ModifyTargetGroup(in)
			return err
		},
		Verification: Verification{From: "health-check", To: tg.ARN},
	}
}

// verifyHealth applies a health check fix to a clone and checks that
// every target of the group is healthy.
func (f *finder) verifyHealth(c Fix) (Verification, bool) {
	clone := f.e.Clone()
	if err := c.Apply(clone); err != nil {
		return Verification{}, false
	}
	st, _ := clone.Snapshot()
	n := reach.Compile(st, f.opts.Reach...)
	tgARN := c.Verification.To
	hs := reach.TargetHealth(n, tgARN)
	name := tgARN
	if tg := st.TargetGroups[tgARN]; tg != nil {
		name = tg.Name
	}
	v := Verification{From: "health checks", To: name, Protocol: "tcp", Verdict: reach.Verdict(reach.HealthHealthy)}
	if len(hs) == 0 {
		return v, false
	}
	for _, h := range hs {
		if h.State != reach.HealthHealthy {
			return v, false
		}
	}
	v.Summary = fmt.Sprintf("every target of %s is healthy (%d)", name, len(hs))
	return v, true
}
