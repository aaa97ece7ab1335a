package fix

import (
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// maxIdleTimeout is the longest idle timeout an Application or Classic
// Load Balancer takes: 4000 seconds (idle_timeout.timeout_seconds "1-4000";
// ConnectionSettings.IdleTimeout "1 to 4,000").
const maxIdleTimeout = 4000

// slowResponseFixes: a target takes longer to answer than its load
// balancer's idle timeout, which answers 504 (reach.CodeTargetResponseSlow).
// The load balancer's idle timeout goes above the slowest answer (10 s of
// margin), as the ALB troubleshooting guide's HTTP 504 advice and the
// public fixes do; verified by probing the same request again.
func (f *finder) slowResponseFixes(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	secs := slowSeconds(x.Message)
	if secs <= 0 {
		return nil
	}
	idle := min(secs+10, maxIdleTimeout)
	if secs >= maxIdleTimeout {
		return nil // no idle timeout waits that long: the application must answer sooner
	}
	detail := fmt.Sprintf("The load balancer waits at most its idle timeout for the target's first byte; this answer takes %d s. "+
		"An idle timeout of %d s lets it through (a longer one keeps idle client connections open longer too). Better still: answer at once and let the client poll for the result.", secs, idle)
	if clb := f.st.ClassicLoadBalancers[x.Component.Name]; clb != nil && reach.ClassicLoadBalancerARN(f.st, clb.Name) == x.Component.ARN {
		name := clb.Name
		return []Fix{{
			score: 10, Kind: "load-balancer",
			Title:    fmt.Sprintf("Raise the Classic Load Balancer %s's idle timeout to %d s, above the slowest answer (%d s)", name, idle, secs),
			Detail:   detail,
			Commands: []string{fmt.Sprintf(`aws elb modify-load-balancer-attributes --load-balancer-name %s --load-balancer-attributes '{"ConnectionSettings":{"IdleTimeout":%d}}'`, name, idle)},
			apply: func(e *engine.Engine) error {
				_, err := e.UpdateClassicLoadBalancer(name, func(lb *model.ClassicLoadBalancer) error {
					lb.Attributes = maps.Clone(lb.Attributes)
					if lb.Attributes == nil {
						lb.Attributes = map[string]string{}
					}
					lb.Attributes["ConnectionSettings.IdleTimeout"] = strconv.Itoa(idle)
					return nil
				})
				return err
			},
		}}
	}
	lb := f.st.LoadBalancers[x.Component.ARN]
	if lb == nil || lb.Type != "application" {
		return nil
	}
	arn := lb.ARN
	return []Fix{{
		score: 10, Kind: "load-balancer",
		Title:    fmt.Sprintf("Raise the load balancer %s's idle timeout to %d s, above the slowest answer (%d s)", lb.Name, idle, secs),
		Detail:   detail,
		Commands: []string{fmt.Sprintf("aws elbv2 modify-load-balancer-attributes --load-balancer-arn %s --attributes Key=idle_timeout.timeout_seconds,Value=%d", arn, idle)},
		Scenario: fmt.Sprintf("load_balancers:\n  %s:\n    attributes: {idle_timeout.timeout_seconds: \"%d\"}\n", lb.Name, idle),
		apply: func(e *engine.Engine) error {
			_, err := e.ModifyLoadBalancerAttributes(arn, [][2]string{{"idle_timeout.timeout_seconds", strconv.Itoa(idle)}})
			return err
		},
	}}
}

// slowSeconds reads how long the target takes from the explanation of
// reach.CodeTargetResponseSlow ("takes 90 s to answer"); 0 when it says
// nothing of it.
func slowSeconds(msg string) int {
	_, rest, ok := strings.Cut(msg, " takes ")
	if !ok {
		return 0
	}
	n, _, _ := strings.Cut(rest, " ")
	secs, err := strconv.Atoi(n)
	if err != nil {
		return 0
	}
	return secs
}
