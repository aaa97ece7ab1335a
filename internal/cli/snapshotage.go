package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// defaultMaxSnapshotAge is how old a snapshot may be before check, probe
// and show warn that the account may have changed since ([choice]: a
// week, a common interval of scheduled collections).
const defaultMaxSnapshotAge = 7 * 24 * time.Hour

// ageFlag is --max-age: a duration in days (7d) or as Go writes them
// (36h, 90m); 0 never warns.
type ageFlag struct {
	d   time.Duration
	set bool
}

func (a *ageFlag) String() string {
	if a == nil || !a.set {
		return "7d"
	}
	return formatMaxAge(a.d)
}

func (a *ageFlag) Set(s string) error {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseFloat(days, 64)
		if err != nil || n < 0 || n > 36500 {
			return fmt.Errorf("%q is not an age: give days (7d) or a duration (36h, 90m)", s)
		}
		a.d, a.set = time.Duration(n*24*float64(time.Hour)), true
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return fmt.Errorf("%q is not an age: give days (7d) or a duration (36h, 90m)", s)
	}
	a.d, a.set = d, true
	return nil
}

// maxAge is the flag's value, or the default.
func (a ageFlag) maxAge() time.Duration {
	if !a.set {
		return defaultMaxSnapshotAge
	}
	return a.d
}

// formatMaxAge says a --max-age as it is typed: 7d, 36h0m0s.
func formatMaxAge(d time.Duration) string {
	if d > 0 && d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	return d.String()
}

// snapshotAge is how old a snapshot SOURCE is, in reports' headers
// (JSON: "snapshot").
type snapshotAge struct {
	// TakenAt is when the collection started (RFC 3339, UTC); empty
	// when the snapshot does not say.
	TakenAt string `json:"takenAt,omitempty"`
	TakenBy string `json:"takenBy,omitempty"`
	// AgeSeconds is the snapshot's age when the command ran; absent when
	// unknown.
	AgeSeconds *int64 `json:"ageSeconds,omitempty"`
	// MaxAgeSeconds is --max-age (0: never stale).
	MaxAgeSeconds int64 `json:"maxAgeSeconds"`
	// Stale: older than --max-age.
	Stale bool `json:"stale"`
	// Note says it in words, as the text output's header does.
	Note string `json:"note"`
	// Base: the snapshot is the --base a template or Terraform
	// configuration was deployed on, not the SOURCE itself.
	Base bool `json:"base,omitempty"`
}

// newSnapshotAge dates a snapshot taken at takenAt (zero: unknown) by
// tool, at now, against maxAge.
func newSnapshotAge(takenAt time.Time, tool string, now time.Time, maxAge time.Duration) *snapshotAge {
	a := &snapshotAge{TakenBy: tool, MaxAgeSeconds: int64(maxAge / time.Second)}
	if takenAt.IsZero() {
		a.Note = "snapshot age unknown: it records no time of collection (startedAt in ecsnet-collect.json, which ecsnet collect and scripts/collect.sh write)"
		return a
	}
	a.TakenAt = takenAt.UTC().Format(time.RFC3339)
	age := now.Sub(takenAt)
	secs := int64(age / time.Second)
	a.AgeSeconds = &secs
	by := ""
	if tool != "" {
		by = " by " + tool
	}
	if age < 0 {
		a.Note = "snapshot taken " + a.TakenAt + by + ", " + humanAge(-age) + " in the future: this clock or the collector's is wrong"
		return a
	}
	a.Note = "snapshot taken " + a.TakenAt + by + ", " + humanAge(age) + " ago"
	a.Stale = maxAge > 0 && age > maxAge
	return a
}

// warning is what a stale snapshot's reader is told ("" when it is not).
func (a *snapshotAge) warning() string {
	if a == nil || !a.Stale {
		return ""
	}
	what := "snapshot"
	if a.Base {
		what = "--base snapshot"
	}
	return fmt.Sprintf("the %s is %s old (taken %s), older than --max-age %s: the account may have changed since; collect it again (ecsnet collect) or pass a larger --max-age",
		what, humanAge(time.Duration(*a.AgeSeconds)*time.Second), a.TakenAt, formatMaxAge(time.Duration(a.MaxAgeSeconds)*time.Second))
}

// humanAge says a duration in its two largest units: "9 days 4 hours",
// "3 hours 12 minutes", "45 seconds".
func humanAge(d time.Duration) string {
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.FormatInt(n, 10) + " " + one + "s"
	}
	days, hours, mins := int64(d/(24*time.Hour)), int64(d%(24*time.Hour)/time.Hour), int64(d%time.Hour/time.Minute)
	switch {
	case days > 0 && hours > 0:
		return unit(days, "day") + " " + unit(hours, "hour")
	case days > 0:
		return unit(days, "day")
	case hours > 0 && mins > 0:
		return unit(hours, "hour") + " " + unit(mins, "minute")
	case hours > 0:
		return unit(hours, "hour")
	case mins > 0:
		return unit(mins, "minute")
	}
	return unit(int64(d/time.Second), "second")
}

// dateSnapshot dates a snapshot SOURCE at now: its header's note, and a
// warning, first, when it is older than maxAge. Other SOURCEs are left
// as they are.
func (s *source) dateSnapshot(maxAge time.Duration, now time.Time) {
	if s == nil || !s.snapshot {
		return
	}
	s.Snapshot = newSnapshotAge(s.takenAt, s.takenBy, now, maxAge)
	if w := s.Snapshot.warning(); w != "" {
		s.Warnings = append([]string{w}, s.Warnings...)
	}
}

// dateBase dates the snapshot a template or Terraform SOURCE was deployed
// on (--base) at now, as dateSnapshot dates a snapshot SOURCE: the
// header's note says the base's age and a warning comes first when it is
// older than maxAge. A base that is not a snapshot (a scenario, a
// template) has no age.
func (s *source) dateBase(base *source, maxAge time.Duration, now time.Time) {
	if s == nil || base == nil || !base.snapshot {
		return
	}
	a := newSnapshotAge(base.takenAt, base.takenBy, now, maxAge)
	a.Base = true
	a.Note = "--base " + a.Note
	s.Snapshot = a
	if w := a.warning(); w != "" {
		s.Warnings = append([]string{w}, s.Warnings...)
	}
}
