package cloudformation

import (
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Rollback triggers (RollbackConfiguration). CloudFormation monitors the
// CloudWatch alarms a create or an update names during the operation and for
// MonitoringTimeInMinutes after every resource is deployed: when one is
// in ALARM (or is missing: "If a specified trigger is missing, the entire
// stack operation fails and is rolled back"), the whole operation rolls
// back. The stack stays CREATE_IN_PROGRESS (UPDATE_IN_PROGRESS, its
// cleanup waiting) through the monitoring period
// (model.Stack.MonitorUntil); settle checks the alarms at each step and
// completes the operation when the period ends. An update uses the
// RollbackConfiguration it gives, else the stack's.

// monitors reports whether a stack's operation monitors rollback
// triggers or waits a monitoring period.
func monitors(s *model.Stack) bool {
	return len(s.RollbackTriggers) > 0 || s.RollbackMonitoringMinutes > 0
}

// waits reports whether a stack's operation still waits: on resources
// (Waiting), or for the monitoring period of its rollback triggers.
func waits(s *model.Stack) bool {
	return len(s.Waiting) > 0 || !s.MonitorUntil.IsZero()
}

// monitorEnd is when the monitoring period of an operation whose
// resources are deployed at now ends.
func monitorEnd(s *model.Stack, now time.Time) time.Time {
	return now.Add(time.Duration(s.RollbackMonitoringMinutes) * time.Minute)
}

// rollbackTriggered returns why a stack's rollback triggers roll its
// operation back ("" when none does): an alarm in ALARM, or one that does
// not exist. The words are ecsnet's [choice]: AWS's are not published.
func rollbackTriggered(c *api.Call, s *model.Stack) string {
	why := ""
	c.Engine.Read(func(st *model.State) {
		for _, t := range s.RollbackTriggers {
			name := t.Arn
			if i := strings.Index(name, ":alarm:"); i >= 0 {
				name = name[i+len(":alarm:"):]
			}
			a := st.MetricAlarms[name]
			switch {
			case a == nil || a.ARN != "" && a.ARN != t.Arn:
				why = "Rollback trigger " + t.Arn + " does not exist."
			case a.StateValue == "ALARM":
				why = "Rollback trigger " + t.Arn + " is in ALARM state."
			default:
				continue
			}
			return
		}
	})
	return why
}

// withRollbackConfig is the stack an update runs as: with the
// RollbackConfiguration the request gives (given), else as it is.
func withRollbackConfig(s *model.Stack, triggers []model.RollbackTrigger, minutes int64, given bool) *model.Stack {
	if !given {
		return s
	}
	op := *s
	op.RollbackTriggers, op.RollbackMonitoringMinutes = triggers, minutes
	return &op
}
