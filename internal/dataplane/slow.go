package dataplane

import (
	"net/http"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/dataplane/elbproxy"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// responseClock turns how long a container takes to answer (its
// ResponseSeconds, AWS's seconds) into how long the data plane's
// application waits before it answers, so that the load balancer nodes'
// scaled timeouts decide as the analyzer does (reach: an answer of secs
// loses to a timeout of limit when secs >= limit, ECS_TARGET_RESPONSE_SLOWER_THAN_LB_IDLE_TIMEOUT,
// Target.Timeout). Scaling the answer as the timeouts are scaled is not
// enough: the nodes' timeouts have floors (a busy machine is slow to run
// even an instant answer) and a timed-out health check is tried again
// with AWS's own timeout (elbproxy's health.go), so the answer is placed
// between the node waits it must outlast and those it must beat, apart
// from each by as much as it can be. ELB's health checks (their
// User-Agent, ELB-HealthChecker) race the health check timeouts, other
// requests the idle timeouts.
type responseClock struct {
	scale  float64
	health []elbproxy.Race
	idle   []elbproxy.Race
}

// newResponseClock is the clock of st's load balancers as ALBRunner runs
// them at timeScale.
func newResponseClock(st *model.State, timeScale float64) *responseClock {
	if timeScale <= 0 {
		timeScale = 1
	}
	rc := &responseClock{scale: timeScale}
	for _, r := range albOptions(timeScale).Races(st) {
		if r.Health {
			rc.health = append(rc.health, r)
		} else {
			rc.idle = append(rc.idle, r)
		}
	}
	return rc
}

// slowMargin is the least time an answer that must come after a node's
// timeout comes after it.
const slowMargin = time.Second

// delay is how long an application that takes secs (AWS) to answer waits
// before answering a request (health: one of ELB's health checks).
func (rc *responseClock) delay(secs int, health bool) time.Duration {
	if secs <= 0 {
		return 0
	}
	races := rc.idle
	if health {
		races = rc.health
	}
	var lower, upper time.Duration // outlast lower, beat upper (0: none)
	for _, r := range races {
		if secs >= r.Seconds {
			lower = max(lower, r.Longest)
		} else if upper == 0 || r.Wait < upper {
			upper = r.Wait
		}
	}
	scaled := time.Duration(float64(secs) * float64(time.Second) * rc.scale)
	switch {
	case upper == 0 && lower == 0:
		return scaled // nothing to race
	case upper == 0:
		return lower + max(lower/2, slowMargin)
	case lower == 0:
		return min(scaled, upper/2)
	case lower < upper:
		return lower + (upper-lower)/2
	}
	// The node's waits are not in AWS's order (two timeouts at one
	// floor): the timeouts the answer reaches decide.
	return lower + slowMargin
}

// wait is how long a listener waits before answering req: none unless
// its container takes time to answer the path.
func (rc *responseClock) wait(l Listener, req *http.Request) time.Duration {
	if rc == nil || len(l.ResponseSeconds) == 0 {
		return 0
	}
	secs := reach.ResponseSeconds(l.ResponseSeconds, req.URL.RequestURI())
	return rc.delay(secs, strings.HasPrefix(req.Header.Get("User-Agent"), "ELB-HealthChecker/"))
}

// longest is the longest a client of a load balancer may wait for an
// answer: the longest idle timeout, when some container takes time to
// answer (0 otherwise: every answer comes at once).
func (rc *responseClock) longest(st *model.State) time.Duration {
	slow := false
	for _, d := range st.TaskDefinitions {
		for _, c := range d.Containers {
			slow = slow || len(c.ResponseSeconds) > 0
		}
	}
	if !slow {
		return 0
	}
	var out time.Duration
	for _, r := range rc.idle {
		out = max(out, r.Longest)
	}
	return out + slowMargin
}
