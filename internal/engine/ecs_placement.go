package engine

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Task placement constraints and strategies, as ECS documents them
// (developerguide/task-placement.html, task-placement-constraints.html,
// task-placement-strategies.html, cluster-query-language.html):
//   - distinctInstance: no two tasks of the group on one instance;
//   - memberOf: only instances for which a cluster query language
//     expression holds;
//   - spread (instanceId/host, attribute:<name>), binpack (cpu, memory),
//     random, applied in order, each breaking the previous one's ties.
//
// ECS first finds the instances with the CPU, memory, ports and ENIs a task
// needs, then those that satisfy the constraints, then applies the
// strategies.

// Placement failure reasons for constraints, as RunTask's failures and the
// service events report them.
const (
	ReasonMemberOf         = "MemberOf placement constraint unsatisfied."
	ReasonDistinctInstance = "DistinctInstance placement constraint unsatisfied."
)

const (
	maxPlacementConstraints = 10
	maxPlacementStrategies  = 5
)

// checkPlacement validates constraints and strategies (a request's, or a
// task definition's when inTaskDef).
func checkPlacement(cs []model.PlacementConstraint, ss []model.PlacementStrategy, inTaskDef bool) error {
	if len(cs) > maxPlacementConstraints {
		return errECSInvalid("placementConstraints can have at most %d items.", maxPlacementConstraints) // probable
	}
	if len(ss) > maxPlacementStrategies {
		return errECSInvalid("placementStrategy can have at most %d items.", maxPlacementStrategies) // probable
	}
	for _, c := range cs {
		switch c.Type {
		case "distinctInstance":
			if inTaskDef {
				return errECSClient("Invalid placement constraint type: distinctInstance is not supported in task definitions.") // probable
			}
			if c.Expression != "" {
				return errECSInvalid("Expression is not supported for distinctInstance placement constraint.") // probable
			}
		case "memberOf":
			if c.Expression == "" {
				return errECSInvalid("Expression is required for memberOf placement constraint.") // probable
			}
			if _, err := parseQuery(c.Expression); err != nil {
				return err
			}
		default:
			return errECSInvalid("placement constraint type should be one of [distinctInstance,memberOf]") // probable
		}
	}
	for _, s := range ss {
		switch s.Type {
		case "random":
		case "spread":
			if s.Field == "" {
				return errECSInvalid("Field is required for spread placement strategy.") // probable
			}
			f := strings.ToLower(s.Field)
			if f != "instanceid" && f != "host" && !strings.HasPrefix(s.Field, "attribute:") {
				return errECSInvalid("Invalid field for spread placement strategy: %s. Valid values are instanceId, host or attribute:<name>.", s.Field) // probable
			}
		case "binpack":
			if f := strings.ToLower(s.Field); f != "cpu" && f != "memory" {
				return errECSInvalid("Invalid field for binpack placement strategy: %s. Valid values are cpu and memory.", s.Field) // probable
			}
		default:
			return errECSInvalid("placement strategy type should be one of [random,spread,binpack]") // probable
		}
	}
	return nil
}

// compiledPlacement is a launch's constraints and strategies, ready to
// evaluate.
type compiledPlacement struct {
	memberOf []queryNode
	distinct bool
	strategy []model.PlacementStrategy
}

func (cp *compiledPlacement) empty() bool {
	return cp == nil || len(cp.memberOf) == 0 && !cp.distinct && len(cp.strategy) == 0
}

// compilePlacement merges a task definition's constraints with a request's
// (they add up, at most 10) and parses the expressions.
func compilePlacement(td *model.TaskDefinition, cs []model.PlacementConstraint, ss []model.PlacementStrategy) (*compiledPlacement, error) {
	all := append(slices.Clone(td.PlacementConstraints), cs...)
	if len(all) == 0 && len(ss) == 0 {
		return nil, nil
	}
	if len(all) > maxPlacementConstraints {
		return nil, errECSInvalid("placementConstraints can have at most %d items, including those of the task definition.", maxPlacementConstraints) // probable
	}
	cp := &compiledPlacement{strategy: ss}
	for _, c := range all {
		switch c.Type {
		case "distinctInstance":
			cp.distinct = true
		case "memberOf":
			q, err := parseQuery(c.Expression)
			if err != nil {
				return nil, err
			}
			cp.memberOf = append(cp.memberOf, q)
		}
	}
	return cp, nil
}

// placementReason returns why the constraints exclude ci ("" when they
// do not).
func (t *txn) placementReason(p *launchPlan, ci *model.ContainerInstance, u *hostUsage) string {
	cp := p.placement
	if cp.distinct && u.groups[p.groupName] > 0 {
		return ReasonDistinctInstance
	}
	for _, q := range cp.memberOf {
		if !q.eval(t, ci, u) {
			return ReasonMemberOf
		}
	}
	return ""
}

// orderByStrategy sorts the instances that fit by the plan's strategies
// (the first is the best); ties keep the default order (the fewest tasks
// of the group, then the fewest tasks, then ARN).
func (t *txn) orderByStrategy(p *launchPlan, fits []*model.ContainerInstance) {
	type scored struct {
		ci   *model.ContainerInstance
		keys []float64
	}
	rows := make([]scored, len(fits))
	var spreadCounts []map[string]int
	for _, s := range p.placement.strategy {
		if s.Type == "spread" && strings.HasPrefix(s.Field, "attribute:") {
			// Tasks of the group per attribute value, over every active
			// instance of the cluster.
			name := strings.TrimPrefix(s.Field, "attribute:")
			m := map[string]int{}
			for _, ci := range sortedValues(t.st.ContainerInstances) {
				if ci.ClusterARN == p.cluster.ARN && ci.Status == "ACTIVE" {
					v, _ := attribute(ci, name)
					m[v] += t.host(ci.ARN).groups[p.groupName]
				}
			}
			spreadCounts = append(spreadCounts, m)
		} else {
			spreadCounts = append(spreadCounts, nil)
		}
	}
	for i, ci := range fits {
		u := t.host(ci.ARN)
		var keys []float64
		for k, s := range p.placement.strategy {
			switch s.Type {
			case "random":
				keys = append(keys, float64(t.e.ids.Uint64()%1_000_000))
			case "spread":
				if spreadCounts[k] != nil {
					v, _ := attribute(ci, strings.TrimPrefix(s.Field, "attribute:"))
					keys = append(keys, float64(spreadCounts[k][v]))
				} else {
					keys = append(keys, float64(u.groups[p.groupName]))
				}
			case "binpack":
				if strings.ToLower(s.Field) == "cpu" {
					keys = append(keys, float64(ci.CPU-u.cpu))
				} else {
					keys = append(keys, float64(ci.MemoryMiB-u.mem))
				}
			}
		}
		keys = append(keys, float64(u.groups[p.groupName]), float64(u.tasks))
		rows[i] = scored{ci, keys}
	}
	slices.SortStableFunc(rows, func(a, b scored) int {
		for k := range a.keys {
			if c := cmp.Compare(a.keys[k], b.keys[k]); c != 0 {
				return c
			}
		}
		return strings.Compare(a.ci.ARN, b.ci.ARN)
	})
	for i := range rows {
		fits[i] = rows[i].ci
	}
}

// attribute returns the value of a container instance attribute.
func attribute(ci *model.ContainerInstance, name string) (string, bool) {
	for _, a := range ci.Attributes {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// The cluster query language.

type queryNode interface {
	eval(t *txn, ci *model.ContainerInstance, u *hostUsage) bool
}

type queryAnd struct{ l, r queryNode }
type queryOr struct{ l, r queryNode }
type queryNot struct{ x queryNode }

func (q queryAnd) eval(t *txn, ci *model.ContainerInstance, u *hostUsage) bool {
	return q.l.eval(t, ci, u) && q.r.eval(t, ci, u)
}
func (q queryOr) eval(t *txn, ci *model.ContainerInstance, u *hostUsage) bool {
	return q.l.eval(t, ci, u) || q.r.eval(t, ci, u)
}
func (q queryNot) eval(t *txn, ci *model.ContainerInstance, u *hostUsage) bool {
	return !q.x.eval(t, ci, u)
}

// queryCond is "subject operator [argument]".
type queryCond struct {
	subject string
	op      string // ==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~
	args    []string
	res     []*regexp.Regexp // =~ and !~: the arguments as patterns
}

var queryOps = map[string]string{
	"==": "==", "equals": "==", "!=": "!=", "not_equals": "!=",
	">": ">", "greater_than": ">", ">=": ">=", "greater_than_equal": ">=",
	"<": "<", "less_than": "<", "<=": "<=", "less_than_equal": "<=",
	"exists": "exists", "!exists": "!exists", "not_exists": "!exists",
	"in": "in", "!in": "!in", "not_in": "!in",
	"=~": "=~", "matches": "=~", "!~": "!~", "not_matches": "!~",
}

// values returns the subject's values on ci (several for task:group).
func (q *queryCond) values(t *txn, ci *model.ContainerInstance, u *hostUsage) ([]string, bool) {
	switch {
	case strings.HasPrefix(q.subject, "attribute:"):
		v, ok := attribute(ci, strings.TrimPrefix(q.subject, "attribute:"))
		return []string{v}, ok
	case q.subject == "task:group":
		out := make([]string, 0, len(u.groups))
		for g := range u.groups {
			out = append(out, g)
		}
		return out, len(out) > 0
	case q.subject == "ec2InstanceId":
		return []string{string(ci.EC2InstanceID)}, true
	case q.subject == "agentConnected":
		return []string{strconv.FormatBool(ci.AgentConnected)}, true
	case q.subject == "agentVersion":
		return []string{ci.AgentVersion}, true
	case q.subject == "registeredAt":
		return []string{ci.RegisteredAt.UTC().Format("2006-01-02T15:04:05Z")}, true
	case q.subject == "runningTasksCount":
		return []string{strconv.Itoa(u.tasks)}, true
	}
	return nil, false
}

func (q *queryCond) eval(t *txn, ci *model.ContainerInstance, u *hostUsage) bool {
	vals, ok := q.values(t, ci, u)
	switch q.op {
	case "exists":
		return ok
	case "!exists":
		return !ok
	}
	if !ok {
		// A missing attribute satisfies only the negative operators.
		return q.op == "!=" || q.op == "!in" || q.op == "!~"
	}
	any := func(f func(v string) bool) bool {
		for _, v := range vals {
			if f(v) {
				return true
			}
		}
		return false
	}
	switch q.op {
	case "==", "in":
		return any(func(v string) bool { return slices.Contains(q.args, v) })
	case "!=", "!in":
		return !any(func(v string) bool { return slices.Contains(q.args, v) })
	case "=~", "!~":
		m := any(func(v string) bool {
			for _, re := range q.res {
				if re.MatchString(v) {
					return true
				}
			}
			return false
		})
		return m == (q.op == "=~")
	}
	c := compareQuery(vals[0], q.args[0])
	switch q.op {
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	case "<":
		return c < 0
	}
	return c <= 0
}

// compareQuery compares numerically when both sides are numbers (or
// dotted versions), else as strings.
func compareQuery(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	numeric := true
	for _, s := range append(slices.Clone(as), bs...) {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			numeric = false
		}
	}
	if !numeric {
		return strings.Compare(a, b)
	}
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y float64
		if i < len(as) {
			x, _ = strconv.ParseFloat(as[i], 64)
		}
		if i < len(bs) {
			y, _ = strconv.ParseFloat(bs[i], 64)
		}
		if c := cmp.Compare(x, y); c != 0 {
			return c
		}
	}
	return 0
}

// wildcard turns an argument with * wildcards into a pattern.
func wildcard(s string) *regexp.Regexp {
	parts := strings.Split(s, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".*") + "$")
}

func errExpression(expr, why string) error {
	return errECSInvalid("Unable to parse the placement constraint expression %q: %s", expr, why) // probable
}

// parseQuery parses a cluster query language expression.
func parseQuery(expr string) (queryNode, error) {
	toks, err := lexQuery(expr)
	if err != nil {
		return nil, errExpression(expr, err.Error())
	}
	p := &queryParser{toks: toks}
	n, err := p.or()
	if err == nil && p.pos < len(p.toks) {
		err = fmt.Errorf("unexpected %q", p.toks[p.pos])
	}
	if err != nil {
		return nil, errExpression(expr, err.Error())
	}
	return n, nil
}

func lexQuery(s string) ([]string, error) {
	var out []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case strings.ContainsRune("()[],", rune(c)):
			out = append(out, string(c))
			i++
		case strings.HasPrefix(s[i:], "&&") || strings.HasPrefix(s[i:], "||") || strings.HasPrefix(s[i:], "==") ||
			strings.HasPrefix(s[i:], "!=") || strings.HasPrefix(s[i:], ">=") || strings.HasPrefix(s[i:], "<=") ||
			strings.HasPrefix(s[i:], "=~") || strings.HasPrefix(s[i:], "!~"):
			out = append(out, s[i:i+2])
			i += 2
		case c == '>' || c == '<':
			out = append(out, string(c))
			i++
		case c == '!' && (strings.HasPrefix(s[i:], "!exists") || strings.HasPrefix(s[i:], "!in")):
			j := i + 1
			for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
				j++
			}
			out = append(out, s[i:j])
			i = j
		case c == '!':
			out = append(out, "!")
			i++
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n()[],=!<>&|", rune(s[j])) {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("unexpected %q", string(c))
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty expression")
	}
	return out, nil
}

type queryParser struct {
	toks []string
	pos  int
}

func (p *queryParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *queryParser) next() string { t := p.peek(); p.pos++; return t }

func (p *queryParser) or() (queryNode, error) {
	l, err := p.and()
	for err == nil && (p.peek() == "or" || p.peek() == "||") {
		p.next()
		var r queryNode
		if r, err = p.and(); err == nil {
			l = queryOr{l, r}
		}
	}
	return l, err
}

func (p *queryParser) and() (queryNode, error) {
	l, err := p.unary()
	for err == nil && (p.peek() == "and" || p.peek() == "&&") {
		p.next()
		var r queryNode
		if r, err = p.unary(); err == nil {
			l = queryAnd{l, r}
		}
	}
	return l, err
}

func (p *queryParser) unary() (queryNode, error) {
	switch p.peek() {
	case "not", "!":
		p.next()
		x, err := p.unary()
		return queryNot{x}, err
	case "(":
		p.next()
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.next() != ")" {
			return nil, fmt.Errorf("missing )")
		}
		return x, nil
	case "":
		return nil, fmt.Errorf("unexpected end of expression")
	}
	return p.cond()
}

func (p *queryParser) cond() (queryNode, error) {
	subject := p.next()
	switch {
	case strings.HasPrefix(subject, "attribute:") && len(subject) > len("attribute:"):
	case subject == "task:group", subject == "ec2InstanceId", subject == "agentConnected", subject == "agentVersion",
		subject == "registeredAt", subject == "runningTasksCount":
	default:
		return nil, fmt.Errorf("unknown subject %q", subject)
	}
	op, ok := queryOps[p.next()]
	if !ok {
		return nil, fmt.Errorf("missing or unknown operator after %s", subject)
	}
	q := &queryCond{subject: subject, op: op}
	if op == "exists" || op == "!exists" {
		return q, nil
	}
	if p.peek() == "[" || p.peek() == "(" && (op == "in" || op == "!in") {
		closer := map[string]string{"[": "]", "(": ")"}[p.next()]
		for {
			v := p.next()
			if v == "" || v == closer || v == "," {
				return nil, fmt.Errorf("bad list after %s %s", subject, op)
			}
			q.args = append(q.args, v)
			if sep := p.next(); sep == closer {
				break
			} else if sep != "," {
				return nil, fmt.Errorf("bad list after %s %s", subject, op)
			}
		}
	} else {
		v := p.next()
		if v == "" || strings.ContainsAny(v, "()[],") {
			return nil, fmt.Errorf("missing argument after %s %s", subject, op)
		}
		q.args = []string{v}
	}
	if len(q.args) > 1 && op != "in" && op != "!in" {
		return nil, fmt.Errorf("operator %s takes one argument", op)
	}
	if op == "=~" || op == "!~" {
		for _, a := range q.args {
			q.res = append(q.res, wildcard(a))
		}
	}
	return q, nil
}

// ContainerInstanceQuery is a parsed cluster query language expression
// (ListContainerInstances' filter).
type ContainerInstanceQuery struct{ q queryNode }

// ParseContainerInstanceQuery parses a filter expression.
func ParseContainerInstanceQuery(expr string) (*ContainerInstanceQuery, error) {
	q, err := parseQuery(expr)
	if err != nil {
		return nil, err
	}
	return &ContainerInstanceQuery{q}, nil
}

// Match reports whether ci satisfies the query; call it under Read (it
// reads the tasks the engine indexes per instance).
func (e *Engine) Match(q *ContainerInstanceQuery, ci *model.ContainerInstance) bool {
	u := e.idx.hosts[ci.ARN]
	if u == nil {
		u = &hostUsage{}
	}
	return q.q.eval(nil, ci, u)
}
