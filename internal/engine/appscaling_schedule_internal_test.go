package engine

import (
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// nextRun: the first occurrence after a time of at, rate and cron
// schedules, in the action's time zone and within its start and end.
func TestNextRun(t *testing.T) {
	created := time.Date(2026, 3, 2, 10, 7, 30, 0, time.UTC) // a Monday
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		schedule, tz string
		start, end   time.Time
		after        time.Time
		want         string // RFC 3339 in UTC, "" for none
	}{
		{schedule: "at(2026-03-02T11:00:00)", after: created, want: "2026-03-02T11:00:00Z"},
		{schedule: "at(2026-03-02T09:00:00)", after: created, want: ""},
		{schedule: "at(2026-03-02T12:00:00)", tz: "Europe/Paris", after: created, want: "2026-03-02T11:00:00Z"},
		{schedule: "rate(5 minutes)", after: created, want: "2026-03-02T10:12:30Z"},
		{schedule: "rate(1 hour)", after: at("2026-03-02T12:00:00Z"), want: "2026-03-02T12:07:30Z"},
		{schedule: "rate(1 day)", start: at("2026-03-05T00:00:00Z"), after: created, want: "2026-03-06T00:00:00Z"},
		{schedule: "cron(0 22 * * ? *)", after: created, want: "2026-03-02T22:00:00Z"},
		{schedule: "cron(30 8 ? * MON-FRI *)", after: at("2026-03-06T09:00:00Z"), want: "2026-03-09T08:30:00Z"},
		{schedule: "cron(*/15 * * * ? *)", after: created, want: "2026-03-02T10:15:00Z"},
		{schedule: "cron(0 0 1 JAN,JUL ? *)", after: created, want: "2026-07-01T00:00:00Z"},
		{schedule: "cron(0 9 * * ? *)", tz: "America/New_York", after: created, want: "2026-03-02T14:00:00Z"},
		{schedule: "cron(0 22 * * ? *)", end: at("2026-03-02T20:00:00Z"), after: created, want: ""},
		{schedule: "cron(0 22 L * ? *)", after: created, want: ""},
		{schedule: "cron(0 22 * * ?)", after: created, want: ""},
	}
	for _, c := range cases {
		a := &model.AppScheduledAction{Schedule: c.schedule, Timezone: c.tz, Start: c.start, End: c.end, Created: created}
		got := nextRun(a, c.after)
		s := ""
		if !got.IsZero() {
			s = got.UTC().Format(time.RFC3339)
		}
		if s != c.want {
			t.Errorf("%s (%s) after %s = %q, want %q", c.schedule, c.tz, c.after.Format(time.RFC3339), s, c.want)
		}
	}
}
