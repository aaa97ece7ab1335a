package snapshot

import (
	"slices"
	"strings"
)

// FormatVersion is the version of the snapshot format ecsnet collect and
// scripts/collect.sh write in their manifest ("format"): the ecsnet round
// whose calls they make. A call added after a snapshot's version is not
// missing from it: its collector did not know the call.
const FormatVersion = 38

// laterKeys are the keys of outputs collected since a later version than
// the first collectors' (by the round that added them); a snapshot that
// holds one was taken by a collector of at least that version. The
// missing-call warnings' own calls (callInfo.since) count too.
var laterKeys = map[string]int{
	"HostedZones":            22,
	"DhcpOptions":            31,
	"TransitGateways":        33,
	seenVPCAttributes:        34,
	"FileSystems":            34,
	"daemons":                34,
	"CertificateSummaryList": 34,
	"EventRules":             34,
	"repositories":           36,
	"imageDetails":           36,
	"applicationsInfo":       36,
	"deploymentGroupsInfo":   36,
	"ResourceTagSets":        36,
	"principalSettings":      36,
	"taskSets":               37,
	"FirewallPolicyResponse": 37,
	"RuleGroupResponse":      37,
	"pullThroughCacheRules":  38,
}

// collectorVersion says which calls the collector of a region's files
// knew. It is the manifest's format when it gives one; a manifest of
// ecsnet collect without it lists every call its collector made (listed);
// scripts/collect.sh wrote its first manifest, without a format, in round
// thirty-four. A snapshot without a manifest (taken by hand, by an older
// collect.sh, by Batfish's tools) is as recent as the latest output it
// holds (laterKeys).
type collectorVersion struct {
	format int
	listed map[string]bool // ecsnet collect's calls, when format is 0
	tool   string
}

// newCollectorVersion reads the version of region's files from m (nil:
// no manifest).
func newCollectorVersion(m *Manifest, region string) collectorVersion {
	if m == nil {
		return collectorVersion{}
	}
	v := collectorVersion{format: m.Format, tool: m.Tool}
	switch {
	case v.format > 0:
	case m.Tool == "scripts/collect.sh":
		v.format = 34
	default:
		v.listed = map[string]bool{}
		for _, c := range m.Calls {
			if c.Region == region {
				v.listed[c.Call] = true
			}
		}
	}
	return v
}

// inferred reports whether the version is inferred from the outputs (no
// manifest says it).
func (v collectorVersion) inferred() bool { return v.format == 0 && v.listed == nil }

// knew reports whether the collector of the region's files knew a call
// added in version since, the files holding the outputs seen.
func (v collectorVersion) knew(call string, since int, seen map[string]bool) bool {
	if since == 0 {
		return true
	}
	switch {
	case v.format > 0:
		return since <= v.format
	case v.listed != nil:
		return v.listed[call]
	}
	era := 0
	for k, r := range laterKeys {
		if seen[k] {
			era = max(era, r)
		}
	}
	for _, c := range callInfos() {
		if seen[c.key] {
			era = max(era, c.since)
		}
	}
	return since <= era
}

// olderCollector says once which calls the collector did not know
// (calls, "" when none).
func (v collectorVersion) olderCollector(calls []string) string {
	if len(calls) == 0 {
		return ""
	}
	slices.Sort(calls)
	by := "an older collector"
	if v.tool != "" {
		by = "an older " + v.tool
	}
	return "taken by " + by + ": " + strings.Join(calls, ", ") + " not collected (the collector predates them); AWS's defaults are taken for what they tell: collect again for them"
}
