// Package api is ecsnet's AWS API layer: the handlers of every operation the
// emulator serves, one sub-package per service (ec2, ecs, elbv2,
// autoscaling), and what they share (the handler table, filters,
// pagination, tags).
//
// A handler decodes nothing and encodes nothing itself: internal/awsproto
// hands it the decoded parameters (keyed by member name) and encodes the map
// it returns (keyed by member name) in the service's protocol. In between a
// handler makes one engine call, or reads the state, and converts between
// the wire's vocabulary and the model's. AWS's rules live in internal/engine;
// a handler only checks what the engine cannot see (the shape of a
// parameter, a filter name, a page size).
package api

import (
	"context"
	"net/http"
	"sort"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Handler serves one operation. It returns the output keyed by the output
// shape's member names, or an error (an *apierr.Error for anything AWS would
// report).
type Handler func(c *Call) (map[string]any, error)

// Call is one request, as a handler sees it.
type Call struct {
	Ctx context.Context
	// Op is the operation called; In its decoded input.
	Op *awsproto.Operation
	In awsproto.Params
	// Engine is the account-region's control plane.
	Engine    *engine.Engine
	Region    string
	Account   string
	RequestID string
	// SecurityToken is the request's X-Amz-Security-Token: the session
	// token of temporary credentials (STS), "" for long-term ones.
	SecurityToken string
	// AccessKeyID is the access key that signed the request (its SigV4
	// Credential), "" for an unsigned one.
	AccessKeyID string
	// Analyzer answers reachability questions (Network Insights, target
	// health); it is never nil.
	Analyzer Analyzer
	// GlobalIAM, when set, returns the engine that holds IAM (IAM is
	// global: the state of the partition's IAM region, us-east-1 for
	// aws); nil means Engine holds it.
	GlobalIAM func() (*engine.Engine, error)
	// Regions, when set, returns the engine of another region of the
	// account by name, and OpenRegions names the regions that hold state
	// (sorted): Route 53 is global, its private zones sit with their
	// VPCs' regions. Nil: Engine is the only region.
	Regions     func(name string) (*engine.Engine, error)
	OpenRegions func() []string
}

// IAM returns the engine that holds IAM (see GlobalIAM).
func (c *Call) IAM() (*engine.Engine, error) {
	if c.GlobalIAM == nil {
		return c.Engine, nil
	}
	return c.GlobalIAM()
}

// Global returns the engine of the partition's global region, which holds
// what is global to an account: IAM and S3's buckets (see GlobalIAM).
func (c *Call) Global() (*engine.Engine, error) { return c.IAM() }

// View renders output from the state under the engine's read lock: the
// usual last step of a handler that changed a resource.
func (c *Call) View(render func(*model.State) map[string]any) map[string]any {
	var out map[string]any
	c.Engine.Read(func(st *model.State) { out = render(st) })
	return out
}

// Analyzer is what the API needs from the reachability analyzer. Its
// methods only read the state they are given.
type Analyzer interface {
	// Analyze runs a Network Insights analysis of path over st and returns
	// the result to record (Status "succeeded" or "failed").
	Analyze(st *model.State, path *model.NetworkInsightsPath, a *model.NetworkInsightsAnalysis) Analysis
	// TargetHealth returns the health of every registered target of a
	// target group, keyed by TargetKey.
	TargetHealth(st *model.State, version uint64, tgARN string) map[TargetKey]TargetHealth
	// ClassicInstanceHealth returns the health of the running instances
	// registered with a Classic Load Balancer, by its health check
	// (nil without an analyzer).
	ClassicInstanceHealth(st *model.State, version uint64, name string) map[model.InstanceID]TargetHealth
}

// Analysis is the outcome of a Network Insights analysis.
type Analysis struct {
	Status           string // "succeeded" or "failed"
	StatusMessage    string
	WarningMessage   string
	NetworkPathFound bool
	Forward          []model.PathComponent
	Return           []model.PathComponent
	Explanations     []model.Explanation
}

// TargetKey identifies a registered target: id and port.
type TargetKey struct {
	ID   string
	Port uint16
}

// TargetHealth is a target's health as DescribeTargetHealth reports it.
type TargetHealth struct {
	State       string // initial, healthy, unhealthy, unused, draining, unavailable
	Reason      string // Target.Timeout, Target.FailedHealthChecks, …
	Description string
}

// Registry maps service and operation names to handlers.
type Registry struct {
	ops   map[string]map[string]Handler
	steps []Step
	// served are operations a service answers outside the handler table
	// (S3, whose wire format internal/api/s3 reads and writes itself).
	served map[string]map[string]bool
	// limits are the request sizes of operations AWS bounds otherwise
	// than the server's default (Lambda's CreateFunction, Invoke).
	limits map[string]map[string]BodyLimit
}

// BodyLimit is the largest request an operation takes, in bytes, and the
// error AWS answers one that is larger (its code, status and words).
type BodyLimit struct {
	Bytes int64
	Err   func() *apierr.Error
	// Check, when set, refuses a body within Bytes whose size is over
	// another quota its headers choose (an asynchronous invocation's).
	Check func(h http.Header, n int) *apierr.Error
}

// SetBodyLimit makes service.op take requests of up to l.Bytes, instead of
// the server's default limit, and answer a larger one with l.Err.
func (r *Registry) SetBodyLimit(service, op string, l BodyLimit) {
	if r.limits == nil {
		r.limits = map[string]map[string]BodyLimit{}
	}
	if r.limits[service] == nil {
		r.limits[service] = map[string]BodyLimit{}
	}
	r.limits[service][op] = l
}

// BodyLimit returns service.op's own request size limit, if it has one.
func (r *Registry) BodyLimit(service, op string) (BodyLimit, bool) {
	l, ok := r.limits[service][op]
	return l, ok
}

// HasBodyLimits reports whether any operation of service has its own
// request size limit.
func (r *Registry) HasBodyLimits(service string) bool { return len(r.limits[service]) > 0 }

// AddServed records operations service serves without a Handler (S3).
func (r *Registry) AddServed(service string, ops ...string) {
	if r.served == nil {
		r.served = map[string]map[string]bool{}
	}
	if r.served[service] == nil {
		r.served[service] = map[string]bool{}
	}
	for _, op := range ops {
		r.served[service][op] = true
	}
}

// Served reports whether service.op is served, by a Handler or otherwise.
func (r *Registry) Served(service, op string) bool {
	return r.ops[service][op] != nil || r.served[service][op]
}

// A Step is work a service does in the background, on every pass of the
// server's step loop, for each region (CloudFormation finishing the
// stacks that wait on ECS services). c has no operation nor input.
type Step func(c *Call) error

// AddStep registers a background step.
func (r *Registry) AddStep(s Step) { r.steps = append(r.steps, s) }

// Steps returns the registered background steps.
func (r *Registry) Steps() []Step { return r.steps }

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{ops: map[string]map[string]Handler{}} }

// Add registers the handler of service.op (service is awsproto's name: ec2,
// ecs, elbv2, elb, autoscaling). Registering an operation twice panics: it is a
// programming error.
func (r *Registry) Add(service, op string, h Handler) {
	if r.ops[service] == nil {
		r.ops[service] = map[string]Handler{}
	}
	if _, dup := r.ops[service][op]; dup {
		panic("api: " + service + "." + op + " registered twice")
	}
	r.ops[service][op] = h
}

// Lookup returns the handler of service.op, or nil.
func (r *Registry) Lookup(service, op string) Handler { return r.ops[service][op] }

// Operations returns the names of service's implemented operations, sorted.
func (r *Registry) Operations(service string) []string {
	out := make([]string, 0, len(r.ops[service]))
	for op := range r.ops[service] {
		out = append(out, op)
	}
	sort.Strings(out)
	return out
}

// NotImplemented is the error for an operation AWS has and ecsnet does not
// serve: HTTP 501, so SDKs neither retry it nor mistake it for a client
// error.
func NotImplemented(service, op string) *apierr.Error {
	return &apierr.Error{Code: "NotImplemented", HTTPStatus: 501,
		Message: "ecsnet does not implement " + service + " " + op + " (see docs/coverage.md)."}
}

// ReadOnly reports whether an operation only reads (Describe*, List*,
// Get*): the server does not wait for durability after one.
func ReadOnly(op string) bool {
	for _, p := range []string{"Describe", "List", "Get"} {
		if len(op) > len(p) && op[:len(p)] == p {
			return true
		}
	}
	return false
}

// ClockDependent reports a read of service whose answer moves with the
// clock, not only with the state (DescribeSpotPriceHistory's current
// price; target and instance health, whose initial health checks take
// time; an instance's status checks, initializing for minutes after its
// launch; the state of a load balancer attached to an Auto Scaling group,
// InService once an instance passes those checks; ECR's authorization
// token, new and valid for 12 hours from each call): the server does not
// keep it in its read cache.
func ClockDependent(service, op string) bool {
	switch op {
	case "DescribeSpotPriceHistory", "DescribeTargetHealth", "DescribeInstanceHealth", "DescribeInstanceStatus":
		return true
	case "DescribeLoadBalancerTargetGroups", "DescribeTrafficSources", "DescribeLoadBalancers":
		return service == "autoscaling"
	case "GetAuthorizationToken":
		return service == "ecr"
	}
	return false
}

// Time returns t in UTC, or nil when it is zero, so the encoder omits it.
func Time(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// Str returns s, or nil when it is empty, so the encoder omits it.
func Str[S ~string](s S) any {
	if s == "" {
		return nil
	}
	return string(s)
}

// Strs returns ss as []string (named string types included), never nil:
// an empty list is encoded as an empty list.
func Strs[S ~string](ss []S) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}
