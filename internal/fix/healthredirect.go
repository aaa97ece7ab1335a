package fix

import (
	"cmp"
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// redirectMatcher fixes a target group whose health checks get a
// redirect (301, 302, 307, 308) on every path the application serves,
// an application that sends plain HTTP to HTTPS (Django's
// SECURE_SSL_REDIRECT, an nginx "return 301 https://…") or to its login
// page: the health check follows no redirect and its matcher lists 200
// only (ALB's default), so every target is unhealthy
// (Target.ResponseCodeMismatch). The application answers, so the matcher
// counts the redirect as alive (HTTP codes 200-499 on an ALB, 200-599 on
// an NLB's HTTP check); better, a path exempt from the redirect.
func (f *finder) redirectMatcher(tg *model.TargetGroup, code int) []Fix {
	if code < 300 || code > 399 {
		return nil
	}
	hc := tg.HealthCheck
	m := fmt.Sprintf("%s,%d", cmp.Or(hc.Matcher, "200"), code)
	fx := f.modifyHealth(tg, fmt.Sprintf("Accept %d in the health check matcher of %s (%s): the application redirects the check, no path it serves answers a status the matcher %s accepts, and a health check follows no redirect", code, tg.Name, m, cmp.Or(hc.Matcher, "200")),
		"--matcher HttpCode="+m, "matcher: \""+m+"\"", engine.ModifyTargetGroupInput{TargetGroupARN: tg.ARN, Matcher: &m})
	fx.Detail = "A load balancer's health check counts only the codes its matcher lists and does not follow a redirect. An application that redirects plain HTTP to HTTPS (or to a login page) answers the check " +
		fmt.Sprint(code) + "; the matcher can count it as alive, or the application can answer a health path without the redirect (exempt the health check's path or the ELB-HealthChecker user agent)."
	return []Fix{fx}
}
