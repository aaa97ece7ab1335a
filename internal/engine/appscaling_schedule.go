package engine

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Scheduled scaling: a scheduled action whose schedule comes due (on the
// engine's clock, in its Timezone) sets its target's capacity range, and
// the service's desired count follows into the new range, each with AWS's
// activity. A target with ScheduledScalingSuspended runs none (the
// occurrence passes). Missed occurrences (the emulator was stopped) run
// once. Cron fields take *, ?,
// numbers, names, ranges, lists and steps; L, W and # never match
// ([choice]).

// runAppScheduledActions runs the scheduled actions that are due and
// sets when each runs next. The account's actions are few (AWS allows 200
// per target), so the pass reads them all.
func (t *txn) runAppScheduledActions() {
	if len(t.st.AppScheduledActions) == 0 {
		return
	}
	for _, k := range sortedKeys(t.st.AppScheduledActions) {
		a := t.st.AppScheduledActions[k]
		if a.Next.IsZero() || a.Next.After(t.now) {
			continue
		}
		na := *a
		na.Next = nextRun(&na, t.now)
		put(t, model.KindAppScheduledAction, t.st.AppScheduledActions, k, &na)
		tg := t.st.ScalableTargets[model.ScalableTargetKey(a.Namespace, a.ResourceID, a.Dimension)]
		if tg != nil && !tg.ScheduledSuspended && (a.End.IsZero() || !t.now.After(a.End)) {
			t.runAppScheduledAction(&na, tg)
		}
	}
}

func (t *txn) runAppScheduledAction(a *model.AppScheduledAction, tg *model.ScalableTarget) {
	nt := *tg
	var parts []string
	if a.Min != nil {
		nt.Min = *a.Min
		parts = append(parts, fmt.Sprintf("min capacity to %d", nt.Min))
	}
	if a.Max != nil {
		nt.Max = *a.Max
		parts = append(parts, fmt.Sprintf("max capacity to %d", nt.Max))
	}
	if len(parts) == 0 {
		return
	}
	if nt.Min > nt.Max { // a bound the action does not set gives way [choice]
		if a.Min != nil {
			nt.Max = nt.Min
		} else {
			nt.Min = nt.Max
		}
	}
	put(t, model.KindScalableTarget, t.st.ScalableTargets, model.ScalableTargetKey(nt.Namespace, nt.ResourceID, nt.Dimension), &nt)
	what := strings.Join(parts, " and ")
	act := &model.AppScalingActivity{ID: t.uuid(), Namespace: nt.Namespace, ResourceID: nt.ResourceID, Dimension: nt.Dimension,
		Description: "Setting " + what, Cause: "scheduled action name " + a.Name + " was triggered",
		StatusCode: "Successful", StatusMessage: "Successfully set " + what,
		// A moment before the desired count's activity it causes, so the
		// two list in that order (newest first) [choice].
		Start: t.now.Add(-time.Millisecond)}
	put(t, model.KindAppActivity, t.st.ScalingActivities, act.ID, act)
	s := t.appScalingService(nt.ResourceID)
	switch {
	case s == nil:
	case s.DesiredCount < nt.Min:
		t.scaleService(&nt, s, nt.Min, fmt.Sprintf("minimum capacity was set to %d", nt.Min))
	case s.DesiredCount > nt.Max:
		t.scaleService(&nt, s, nt.Max, fmt.Sprintf("maximum capacity was set to %d", nt.Max))
	}
}

// nextRun returns the first occurrence of a's schedule after after, not
// before its start time nor after its end time (zero: none, or none
// within a year for a cron expression).
func nextRun(a *model.AppScheduledAction, after time.Time) time.Time {
	if after.Before(a.Start) {
		after = a.Start.Add(-time.Nanosecond)
	}
	next := occurrence(a, after)
	if next.IsZero() || !a.End.IsZero() && next.After(a.End) {
		return time.Time{}
	}
	return next
}

func occurrence(a *model.AppScheduledAction, after time.Time) time.Time {
	base := a.Created
	if !a.Start.IsZero() {
		base = a.Start
	}
	return scheduleOccurrence(a.Schedule, a.Timezone, base, after)
}

// scheduleOccurrence returns the first occurrence of an at, rate or cron
// schedule after after, in the time zone tz ("" is UTC); a rate counts
// from base. Zero: none (or none within a year for a cron expression).
func scheduleOccurrence(schedule, tz string, base, after time.Time) time.Time {
	loc := time.UTC
	if tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		}
	}
	expr, ok := strings.CutSuffix(schedule, ")")
	if !ok {
		return time.Time{}
	}
	switch {
	case strings.HasPrefix(expr, "at("):
		at, err := time.ParseInLocation("2006-01-02T15:04:05", strings.TrimPrefix(expr, "at("), loc)
		if err == nil && at.After(after) {
			return at
		}
	case strings.HasPrefix(expr, "rate("):
		f := strings.Fields(strings.TrimPrefix(expr, "rate("))
		if len(f) != 2 {
			return time.Time{}
		}
		n, err := strconv.Atoi(f[0])
		unit := map[string]time.Duration{"minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour}[strings.TrimSuffix(f[1], "s")]
		if err != nil || n < 1 || unit == 0 {
			return time.Time{}
		}
		every := time.Duration(n) * unit
		if after.Before(base) {
			return base.Add(every)
		}
		return base.Add((after.Sub(base)/every + 1) * every)
	case strings.HasPrefix(expr, "cron("):
		f := strings.Fields(strings.TrimPrefix(expr, "cron("))
		if len(f) != 6 {
			return time.Time{}
		}
		// Day by day, then hour by hour, then minute by minute: at most
		// a year of days.
		m := after.In(loc).Truncate(time.Minute).Add(time.Minute)
		end := m.AddDate(1, 0, 1)
		for m.Before(end) {
			day := []int{m.Day(), int(m.Month()), int(m.Weekday()) + 1, m.Year()}
			if !cronField(f[2], day[0]) || !cronField(f[3], day[1]) || !cronField(f[4], day[2]) || !cronField(f[5], day[3]) {
				m = time.Date(m.Year(), m.Month(), m.Day()+1, 0, 0, 0, 0, loc)
				continue
			}
			if !cronField(f[1], m.Hour()) {
				m = time.Date(m.Year(), m.Month(), m.Day(), m.Hour()+1, 0, 0, 0, loc)
				continue
			}
			if cronField(f[0], m.Minute()) {
				return m
			}
			m = m.Add(time.Minute)
		}
	}
	return time.Time{}
}

var cronNames = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9,
	"OCT": 10, "NOV": 11, "DEC": 12, "SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}

// cronField reports whether v matches one field of a cron expression
// (minutes, hours, day of month, month, day of week 1-7 from Sunday,
// year).
func cronField(field string, v int) bool {
	if field == "*" || field == "?" {
		return true
	}
	num := func(s string) (int, bool) {
		if n, ok := cronNames[strings.ToUpper(s)]; ok {
			return n, true
		}
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	for _, part := range strings.Split(field, ",") {
		rng, step, hasStep := strings.Cut(part, "/")
		every := 1
		if hasStep {
			n, ok := num(step)
			if !ok || n < 1 {
				return false
			}
			every = n
		}
		lo, hi := 0, 1<<30
		if rng != "*" {
			a, b, isRange := strings.Cut(rng, "-")
			var ok bool
			if lo, ok = num(a); !ok {
				return false
			}
			hi = lo
			if isRange {
				if hi, ok = num(b); !ok {
					return false
				}
			} else if hasStep {
				hi = 1 << 30
			}
		}
		if v >= lo && v <= hi && (v-lo)%every == 0 {
			return true
		}
	}
	return false
}
