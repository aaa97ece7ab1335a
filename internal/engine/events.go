package engine

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Amazon EventBridge: rules on the account's event buses and their
// targets. A scheduled rule that is ENABLED fires on the engine's clock
// (the Step pass, no timer of its own) and runs each ECS target's tasks
// through RunTask, as EventBridge calls it: the tasks startedBy
// "events-rule/<rule name>". A RunTask that ECS refuses is a failed
// invocation (no task), counted on the rule as AWS/Events
// FailedInvocations counts it. Event patterns are kept as given; no event
// is matched against them.

// DefaultEventBus is the event bus every account has.
const DefaultEventBus = "default"

// MaxEventTargets is how many targets a rule holds ("5 targets per rule").
const MaxEventTargets = 5

// EventRuleNotFound is EventBridge's ResourceNotFoundException for a rule.
func EventRuleNotFound(name, bus string) error {
	return apierr.Newf("ResourceNotFoundException", "Rule %s does not exist on EventBus %s.", name, bus)
}

// EventBusNotFound is EventBridge's ResourceNotFoundException for a bus.
func EventBusNotFound(name string) error {
	return apierr.Newf("ResourceNotFoundException", "Event bus %s does not exist.", name)
}

func eventsValidation(msg string) error { return apierr.New("ValidationException", msg) }

// EventBusName returns the bus a request's EventBusName names (a name or
// an ARN), "default" when empty.
func EventBusName(nameOrARN string) string {
	if nameOrARN == "" {
		return DefaultEventBus
	}
	if i := strings.Index(nameOrARN, ":event-bus/"); i >= 0 && strings.HasPrefix(nameOrARN, "arn:") {
		return nameOrARN[i+len(":event-bus/"):]
	}
	return nameOrARN
}

// ValidScheduleExpression reports whether EventBridge accepts a rule's
// schedule: rate(N unit) with N >= 1 and the unit singular exactly when N
// is 1 (rate(1 minutes) and rate(5 minute) are refused), or cron() with six
// fields of which day-of-month or day-of-week is '?' but not both, each
// field within its range.
func ValidScheduleExpression(expr string) bool {
	body, ok := strings.CutSuffix(expr, ")")
	if !ok {
		return false
	}
	switch {
	case strings.HasPrefix(body, "rate("):
		f := strings.Split(strings.TrimPrefix(body, "rate("), " ")
		if len(f) != 2 {
			return false
		}
		n, err := strconv.Atoi(f[0])
		if err != nil || n < 1 || f[0] != strconv.Itoa(n) {
			return false
		}
		unit := f[1]
		if n == 1 {
			return unit == "minute" || unit == "hour" || unit == "day"
		}
		return unit == "minutes" || unit == "hours" || unit == "days"
	case strings.HasPrefix(body, "cron("):
		f := strings.Fields(strings.TrimPrefix(body, "cron("))
		if len(f) != 6 {
			return false
		}
		if (f[2] == "?") == (f[4] == "?") {
			return false
		}
		ranges := [6][2]int{{0, 59}, {0, 23}, {1, 31}, {1, 12}, {1, 7}, {1970, 2199}}
		for i, field := range f {
			if !cronFieldValid(field, ranges[i][0], ranges[i][1], i) {
				return false
			}
		}
		return true
	}
	return false
}

// cronFieldValid checks one cron field's syntax and range: *, ? (day
// fields only), numbers, names (month and day of week), ranges, lists,
// steps, and L, W and # where AWS's cron takes them.
func cronFieldValid(field string, lo, hi, pos int) bool {
	if field == "*" {
		return true
	}
	if field == "?" {
		return pos == 2 || pos == 4
	}
	num := func(s string) bool {
		if pos == 3 || pos == 4 {
			if u := strings.ToUpper(s); cronNames[u] > 0 {
				day := slices.Contains(cronDayNames, u)
				return pos == 4 && day || pos == 3 && !day && len(s) == 3
			}
		}
		n, err := strconv.Atoi(s)
		return err == nil && n >= lo && n <= hi
	}
	for _, part := range strings.Split(field, ",") {
		switch {
		case pos == 2 && (part == "L" || part == "LW" || strings.HasSuffix(part, "W") && num(strings.TrimSuffix(part, "W"))):
			continue
		case pos == 4 && (part == "L" || strings.HasSuffix(part, "L") && num(strings.TrimSuffix(part, "L"))):
			continue
		case pos == 4 && strings.Contains(part, "#"):
			d, w, _ := strings.Cut(part, "#")
			if n, err := strconv.Atoi(w); !num(d) || err != nil || n < 1 || n > 5 {
				return false
			}
			continue
		}
		rng, step, hasStep := strings.Cut(part, "/")
		if hasStep {
			if n, err := strconv.Atoi(step); err != nil || n < 1 {
				return false
			}
		}
		if rng == "*" && hasStep {
			continue
		}
		a, b, isRange := strings.Cut(rng, "-")
		if !num(a) || isRange && !num(b) {
			return false
		}
	}
	return true
}

// cronDayNames are the day-of-week names among cronNames; the rest name
// months.
var cronDayNames = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}

// EventRuleARN is a rule's ARN: rule/NAME on the default bus,
// rule/BUS/NAME on another.
func EventRuleARN(region, account, bus, name string) string {
	p := "arn:" + model.Partition(region) + ":events:" + region + ":" + account + ":rule/"
	if bus != DefaultEventBus {
		p += bus + "/"
	}
	return p + name
}

// EventBusARN is an event bus's ARN.
func EventBusARN(region, account, name string) string {
	return "arn:" + model.Partition(region) + ":events:" + region + ":" + account + ":event-bus/" + name
}

// HasEventBus reports whether the bus exists (default always does).
func HasEventBus(st *model.State, bus string) bool {
	return bus == DefaultEventBus || st.EventBuses[bus] != nil
}

// PutEventRule creates a rule or replaces an existing one's definition
// (AWS: "If you are updating an existing rule, the rule is replaced with
// what you specify"; its targets stay, and tags given are added to its
// own [choice]). State defaults to ENABLED.
func (e *Engine) PutEventRule(r model.EventRule) (*model.EventRule, error) {
	if r.ScheduleExpression == "" && r.EventPattern == "" {
		return nil, eventsValidation("Parameter(s) EventPattern or ScheduleExpression must be specified.")
	}
	if r.ScheduleExpression != "" {
		if r.EventBus != DefaultEventBus {
			return nil, eventsValidation("ScheduleExpression is supported only on the default event bus.")
		}
		if !ValidScheduleExpression(r.ScheduleExpression) {
			return nil, eventsValidation("Parameter ScheduleExpression is not valid.")
		}
	}
	if r.EventPattern != "" {
		// An invalid pattern is refused on every path (the API,
		// CloudFormation, Terraform) with EventBridge's reason.
		if _, err := ParseEventPattern(r.EventPattern); err != nil {
			return nil, err
		}
	}
	if r.State == "" {
		r.State = "ENABLED"
	}
	var out *model.EventRule
	err := e.write(func(t *txn) error {
		if !HasEventBus(t.st, r.EventBus) {
			return EventBusNotFound(r.EventBus)
		}
		k := model.EventRuleKey(r.EventBus, r.Name)
		r.Created = t.now
		if old := t.st.EventRules[k]; old != nil {
			r.Created, r.Targets = old.Created, old.Targets
			r.Invocations, r.FailedInvocations, r.LastFailure, r.History = old.Invocations, old.FailedInvocations, old.LastFailure, old.History
			r.Tags = changeTags(old.Tags.Clone(), r.Tags, nil)
			if old.ScheduleExpression == r.ScheduleExpression && old.State == "ENABLED" && !old.Next.IsZero() {
				r.Next = old.Next // the same schedule keeps its rhythm
			}
		} else {
			r.Tags = r.Tags.Clone()
		}
		scheduleRule(&r, t.now)
		put(t, model.KindEventRule, t.st.EventRules, k, &r)
		out = &r
		return nil
	})
	return out, err
}

// scheduleRule sets when an enabled scheduled rule fires next, unless it
// is set (first one rate after it is created or enabled, [choice]; a cron
// rule at its next matching minute, in UTC); a disabled one never.
func scheduleRule(r *model.EventRule, now time.Time) {
	if r.ScheduleExpression == "" || r.State != "ENABLED" {
		r.Next = time.Time{}
		return
	}
	if r.Next.IsZero() { // a due occurrence stays due: the Step pass fires it
		r.Next = scheduleOccurrence(r.ScheduleExpression, "", now, now)
	}
}

// ChangeEventRule applies fn to a copy of a rule and stores it.
func (e *Engine) ChangeEventRule(bus, name string, fn func(r *model.EventRule, now time.Time) error) (*model.EventRule, error) {
	var out *model.EventRule
	err := e.write(func(t *txn) error {
		k := model.EventRuleKey(bus, name)
		old := t.st.EventRules[k]
		if old == nil {
			return EventRuleNotFound(name, bus)
		}
		r := *old
		r.Tags = old.Tags.Clone()
		r.Targets = slices.Clone(old.Targets)
		if err := fn(&r, t.now); err != nil {
			return err
		}
		scheduleRule(&r, t.now)
		put(t, model.KindEventRule, t.st.EventRules, k, &r)
		out = &r
		return nil
	})
	return out, err
}

// DeleteEventRule deletes a rule that has no targets; deleting a rule
// that does not exist succeeds (AWS: DeleteRule is idempotent).
func (e *Engine) DeleteEventRule(bus, name string, force bool) error {
	return e.write(func(t *txn) error {
		k := model.EventRuleKey(bus, name)
		r := t.st.EventRules[k]
		if r == nil {
			return nil
		}
		if r.ManagedBy != "" && !force {
			return apierr.Newf("ManagedRuleException", "Rule '%s' is managed by an AWS service can only be modified if force is True.", name)
		}
		if len(r.Targets) > 0 {
			return eventsValidation("Rule can't be deleted since it has targets.")
		}
		del(t, model.KindEventRule, t.st.EventRules, k)
		return nil
	})
}

// EventTargetFailure is one entry of PutTargets' or RemoveTargets'
// FailedEntries.
type EventTargetFailure struct {
	TargetID, Code, Message string
}

// PutEventTargets adds targets to a rule or replaces those of the same
// Id. The rule holds at most MaxEventTargets (LimitExceededException). A
// target EventBridge cannot take (EventTargetFailed: an ARN that is not
// one, an SQS FIFO queue without SqsParameters) is a failed entry and not
// added, the others are. CloudFormation and Terraform fail on a failed
// entry.
func (e *Engine) PutEventTargets(bus, name string, targets []model.EventTarget) ([]EventTargetFailure, error) {
	var failed []EventTargetFailure
	_, err := e.ChangeEventRule(bus, name, func(r *model.EventRule, _ time.Time) error {
		failed = nil
		for _, tg := range targets {
			if f := EventTargetFailed(tg); f != nil {
				failed = append(failed, *f)
				continue
			}
			if i := slices.IndexFunc(r.Targets, func(x model.EventTarget) bool { return x.ID == tg.ID }); i >= 0 {
				r.Targets[i] = tg
				continue
			}
			if len(r.Targets) >= MaxEventTargets {
				return apierr.New("LimitExceededException", "The requested resource exceeds the maximum number allowed.")
			}
			r.Targets = append(r.Targets, tg)
		}
		return nil
	})
	return failed, err
}

// EventTargetFailed is PutTargets' failed entry for a target EventBridge
// cannot take, nil for one it takes: an ARN that is not an ARN ("Parameter
// X is not valid. Reason: Provided Arn is not in correct format."), and an
// SQS FIFO queue (its name ends .fifo) without SqsParameters (in the
// target's Config, as the API, CloudFormation's Targets and Terraform's
// sqs_target give it), for EventBridge must give each message a group id
// ("Parameter(s) SqsParameters must be specified for target: ID.").
func EventTargetFailed(tg model.EventTarget) *EventTargetFailure {
	_, sqsParameters := tg.Config["SqsParameters"]
	switch {
	case !eventTargetARN.MatchString(tg.ARN):
		return &EventTargetFailure{tg.ID, "ValidationException", fmt.Sprintf("Parameter %s is not valid. Reason: Provided Arn is not in correct format.", tg.ARN)}
	case strings.Contains(tg.ARN, ":sqs:") && strings.HasSuffix(tg.ARN, ".fifo") && !sqsParameters:
		return &EventTargetFailure{tg.ID, "ValidationException", fmt.Sprintf("Parameter(s) SqsParameters must be specified for target: %s.", tg.ID)}
	}
	return nil
}

// eventTargetARN is what EventBridge takes for a target's ARN.
var eventTargetARN = regexp.MustCompile(`^arn:[\d\w:\-/]*`)

// RemoveEventTargets removes targets by Id; each Id it cannot remove is a
// failed entry, the others are removed: one the rule does not have
// (ResourceNotFoundException), and every target of a rule an AWS service
// manages unless force (ManagedRuleException).
func (e *Engine) RemoveEventTargets(bus, name string, ids []string, force bool) ([]EventTargetFailure, error) {
	var failed []EventTargetFailure
	_, err := e.ChangeEventRule(bus, name, func(r *model.EventRule, _ time.Time) error {
		failed = nil
		for _, id := range ids {
			i := slices.IndexFunc(r.Targets, func(x model.EventTarget) bool { return x.ID == id })
			if i < 0 {
				failed = append(failed, EventTargetFailure{id, "ResourceNotFoundException",
					fmt.Sprintf("Rule '%s' does not have a target with the Id '%s'.", name, id)})
				continue
			}
			if r.ManagedBy != "" && !force {
				failed = append(failed, EventTargetFailure{id, "ManagedRuleException",
					fmt.Sprintf("Rule '%s' is managed by an AWS service can only be modified if force is True.", name)})
				continue
			}
			r.Targets = slices.Delete(r.Targets, i, i+1)
		}
		return nil
	})
	return failed, err
}

// CreateEventBus creates a custom event bus.
func (e *Engine) CreateEventBus(b model.EventBus) (*model.EventBus, error) {
	var out *model.EventBus
	err := e.write(func(t *txn) error {
		if HasEventBus(t.st, b.Name) {
			return apierr.Newf("ResourceAlreadyExistsException", "Event bus %s already exists.", b.Name)
		}
		b.Created, b.Modified = t.now, t.now
		b.Tags = b.Tags.Clone()
		put(t, model.KindEventBus, t.st.EventBuses, b.Name, &b)
		out = &b
		return nil
	})
	return out, err
}

// UpdateEventBus changes a custom event bus's description (EventBridge's
// UpdateEventBus).
func (e *Engine) UpdateEventBus(name, description string) error {
	return e.write(func(t *txn) error {
		b := t.st.EventBuses[name]
		if b == nil && name == DefaultEventBus {
			// The account's default bus takes a description too; it is
			// kept in its EventBuses entry, as its tags are
			// (TagDefaultEventBus) [choice].
			b = &model.EventBus{Name: DefaultEventBus, ARN: EventBusARN(t.e.cfg.Region, t.e.cfg.Account, DefaultEventBus)}
		}
		if b == nil {
			return EventBusNotFound(name)
		}
		nb := *b
		nb.Description, nb.Modified = description, t.now
		put(t, model.KindEventBus, t.st.EventBuses, name, &nb)
		return nil
	})
}

// DeleteEventBus deletes a custom event bus and its rules (AWS: "All rules
// associated with the event bus are deleted"); default cannot be deleted.
func (e *Engine) DeleteEventBus(name string) error {
	if name == DefaultEventBus {
		return eventsValidation("Cannot delete event bus default.")
	}
	return e.write(func(t *txn) error {
		if t.st.EventBuses[name] == nil {
			return nil
		}
		for _, k := range sortedKeys(t.st.EventRules) {
			if t.st.EventRules[k].EventBus == name {
				del(t, model.KindEventRule, t.st.EventRules, k)
			}
		}
		del(t, model.KindEventBus, t.st.EventBuses, name)
		return nil
	})
}

// TagEventResource changes the tags of a rule or custom bus by ARN (the
// default bus: TagDefaultEventBus)
// (add: merge tags; remove: delete keys).
func (e *Engine) TagEventResource(arn string, add model.Tags, remove []string) error {
	return e.write(func(t *txn) error {
		for _, k := range sortedKeys(t.st.EventRules) {
			if r := t.st.EventRules[k]; r.ARN == arn {
				nr := *r
				nr.Tags = changeTags(r.Tags.Clone(), add, remove)
				put(t, model.KindEventRule, t.st.EventRules, k, &nr)
				return nil
			}
		}
		for _, k := range sortedKeys(t.st.EventBuses) {
			if b := t.st.EventBuses[k]; b.ARN == arn {
				nb := *b
				nb.Tags = changeTags(b.Tags.Clone(), add, remove)
				put(t, model.KindEventBus, t.st.EventBuses, k, &nb)
				return nil
			}
		}
		return eventResourceNotFound(arn)
	})
}

// TagDefaultEventBus changes the tags of the account's default event bus
// (arn is its ARN), which AWS tags like a custom bus: its tags are kept in
// an EventBuses entry named default, made on its first tagging and never
// listed as a custom bus.
func (e *Engine) TagDefaultEventBus(arn string, add model.Tags, remove []string) error {
	return e.write(func(t *txn) error {
		nb := model.EventBus{Name: DefaultEventBus, ARN: arn}
		if b := t.st.EventBuses[DefaultEventBus]; b != nil {
			nb = *b
		}
		nb.Tags = changeTags(nb.Tags.Clone(), add, remove)
		put(t, model.KindEventBus, t.st.EventBuses, DefaultEventBus, &nb)
		return nil
	})
}

// eventResourceNotFound names the rule and its bus as the ARN does: a rule
// of a custom bus is rule/BUS/NAME ("Rule NAME does not exist on EventBus
// BUS.", LocalStack's recording of ListTagsForResource, docs/aws-behavior.md).
func eventResourceNotFound(arn string) error {
	if _, rest, ok := strings.Cut(arn, ":rule/"); ok {
		bus, name, custom := strings.Cut(rest, "/")
		if !custom {
			bus, name = DefaultEventBus, rest
		}
		return EventRuleNotFound(name, bus)
	}
	name := arn
	if i := strings.LastIndex(arn, "/"); i >= 0 {
		name = arn[i+1:]
	}
	return EventBusNotFound(name)
}

// EventResourceTags returns the tags of a rule or custom bus by ARN.
func EventResourceTags(st *model.State, arn string) (model.Tags, error) {
	for _, r := range st.EventRules {
		if r.ARN == arn {
			return r.Tags, nil
		}
	}
	for _, b := range st.EventBuses {
		if b.ARN == arn {
			return b.Tags, nil
		}
	}
	return nil, eventResourceNotFound(arn)
}

// EventsStartedBy is the startedBy EventBridge gives the tasks a rule
// starts: events-rule/<rule name>, cut to ECS's 36 characters [choice].
func EventsStartedBy(rule string) string {
	s := "events-rule/" + rule
	if len(s) > 36 {
		s = s[:36]
	}
	return s
}

// EventTargetRunTask is the RunTask EventBridge calls for an ECS target of
// a rule.
func EventTargetRunTask(r *model.EventRule, tg *model.EventTarget) RunTaskInput {
	p := tg.ECS
	td := p.TaskDefinitionARN
	if i := strings.Index(td, ":task-definition/"); i >= 0 && strings.HasPrefix(td, "arn:") && !strings.Contains(td[i+len(":task-definition/"):], ":") {
		// A family's ARN without revision: its latest ACTIVE revision
		// (RunTask: "If a revision isn't specified, the latest ACTIVE
		// revision is used").
		td = td[i+len(":task-definition/"):]
	}
	in := RunTaskInput{Cluster: tg.ARN, TaskDefinition: td, Count: max(p.TaskCount, 1),
		LaunchType: p.LaunchType, CapacityProviderStrategy: p.CapacityProviderStrategy, PlatformVersion: p.PlatformVersion,
		Group: p.Group, StartedBy: EventsStartedBy(r.Name), Tags: p.Tags.Clone(),
		PlacementConstraints: p.PlacementConstraints, PlacementStrategy: p.PlacementStrategy}
	if p.Network != nil {
		n := *p.Network
		in.Network = &n
	}
	return in
}

// runScheduledRules fires the enabled scheduled rules that are due: each
// ECS target's RunTask runs in this transaction, a refused one undone
// alone and counted as a failed invocation. Missed occurrences (the
// emulator was stopped) fire once.
func (t *txn) runScheduledRules() {
	if len(t.st.EventRules) == 0 {
		return
	}
	for _, k := range sortedKeys(t.st.EventRules) {
		r := t.st.EventRules[k]
		if r.State != "ENABLED" || r.Next.IsZero() || r.Next.After(t.now) {
			continue
		}
		nr := *r
		nr.History = slices.Clone(r.History)
		nr.Next = scheduleOccurrence(r.ScheduleExpression, "", r.Next, t.now)
		t.invokeRuleTargets(&nr)
		put(t, model.KindEventRule, t.st.EventRules, k, &nr)
	}
}

// try runs fn; if it fails, the changes fn made are undone and forgotten
// (asgRewind) and the transaction goes on.
func (t *txn) try(fn func() error) error {
	cp := t.asgCheckpoint()
	if err := fn(); err != nil {
		t.asgRewind(cp)
		return err
	}
	return nil
}
