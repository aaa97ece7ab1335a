package engine

import (
	"maps"
	"slices"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// CloudWatch alarms: kept as configured, with the state SetAlarmState
// gives them; no metric is evaluated.

// AlarmARN is a CloudWatch alarm's ARN.
func AlarmARN(region, account, name string) string {
	return "arn:" + model.Partition(region) + ":cloudwatch:" + region + ":" + account + ":alarm:" + name
}

// PutMetricAlarm creates an alarm, or replaces the configuration of an
// existing one (its state and tags stay; AWS: "When you update an existing
// alarm, its state is left unchanged, but the update completely overwrites
// the previous configuration of the alarm"). A new alarm starts in
// INSUFFICIENT_DATA. Tags of an update are added to the alarm's.
func (e *Engine) PutMetricAlarm(a model.MetricAlarm) error {
	return e.write(func(t *txn) error {
		old := t.st.MetricAlarms[a.Name]
		if old != nil && old.Composite != a.Composite {
			return apierr.Newf("ValidationError", "An alarm with the name %s already exists as a different alarm type.", a.Name)
		}
		a.ConfigUpdated = t.now
		if old != nil {
			a.StateValue, a.StateReason, a.StateUpdated = old.StateValue, old.StateReason, old.StateUpdated
			tags := old.Tags.Clone()
			if tags == nil {
				tags = model.Tags{}
			}
			maps.Copy(tags, a.Tags)
			a.Tags = tags
		} else {
			a.StateValue, a.StateReason, a.StateUpdated = "INSUFFICIENT_DATA", "Unchecked: Initial alarm creation", t.now
		}
		put(t, model.KindMetricAlarm, t.st.MetricAlarms, a.Name, &a)
		return nil
	})
}

// DeleteAlarms deletes alarms by name. If one does not exist none is
// deleted: ResourceNotFound names it (AWS: "In the event of an error, no
// alarms are deleted").
func (e *Engine) DeleteAlarms(names []string) error {
	return e.write(func(t *txn) error {
		for _, n := range names {
			if t.st.MetricAlarms[n] == nil {
				return apierr.Newf("ResourceNotFound", "The following alarms were not found: [%s]", n)
			}
		}
		for _, n := range names {
			del(t, model.KindMetricAlarm, t.st.MetricAlarms, n)
		}
		return nil
	})
}

// ChangeAlarms applies fn to a copy of each named alarm that exists (the
// others are skipped, as EnableAlarmActions does) and stores it; with
// mustExist an unknown name is ResourceNotFound.
func (e *Engine) ChangeAlarms(names []string, mustExist bool, fn func(a *model.MetricAlarm, now time.Time) error) error {
	return e.write(func(t *txn) error {
		for _, n := range names {
			old := t.st.MetricAlarms[n]
			if old == nil {
				if mustExist {
					return apierr.Newf("ResourceNotFound", "Alarm %s not found", n)
				}
				continue
			}
			a := *old
			a.Tags = old.Tags.Clone()
			if err := fn(&a, t.now); err != nil {
				return err
			}
			put(t, model.KindMetricAlarm, t.st.MetricAlarms, n, &a)
		}
		return nil
	})
}

// AlarmByARN returns the name of the alarm with that ARN.
func (e *Engine) AlarmByARN(arn string) (name string, ok bool) {
	e.Read(func(st *model.State) {
		for _, a := range st.MetricAlarms {
			if a.ARN == arn {
				name, ok = a.Name, true
			}
		}
	})
	return name, ok
}

// AlarmsWithAction returns the alarms (name and ARN) one of whose actions
// is arn, sorted by name: a scaling policy's Alarms.
func AlarmsWithAction(st *model.State, arn string) []*model.MetricAlarm {
	var out []*model.MetricAlarm
	for _, a := range st.MetricAlarms {
		if slices.Contains(a.Actions(), arn) {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(x, y *model.MetricAlarm) int {
		switch {
		case x.Name < y.Name:
			return -1
		case x.Name > y.Name:
			return 1
		}
		return 0
	})
	return out
}
