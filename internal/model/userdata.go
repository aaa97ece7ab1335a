package model

import (
	"regexp"
	"strings"
)

var ecsClusterRE = regexp.MustCompile(`ECS_CLUSTER=["']?([A-Za-z0-9_\-]{1,255})`)

// UserDataECSCluster returns the cluster an ECS host's agent joins, from
// the (decompressed) text of its user data: ECS_CLUSTER=NAME as the agent
// reads it from /etc/ecs/ecs.config on the ECS-optimized AMIs, or, on
// Bottlerocket, whose user data is TOML, settings.ecs.cluster ("[settings.ecs]"
// then cluster = "NAME", or the dotted key). "" when it names none.
func UserDataECSCluster(text string) string {
	if m := ecsClusterRE.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	if !strings.Contains(text, "settings") {
		return ""
	}
	table := ""
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") && !strings.HasPrefix(line, "[[") {
			table = strings.ReplaceAll(strings.Trim(line, "[] \t"), " ", "")
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		key = strings.ReplaceAll(strings.TrimSpace(key), " ", "")
		if table != "" {
			key = table + "." + key
		}
		if key != "settings.ecs.cluster" {
			continue
		}
		val = strings.TrimSpace(val)
		if i := strings.Index(val, "#"); i > 0 && (val[0] != '"' && val[0] != '\'') {
			val = strings.TrimSpace(val[:i])
		}
		if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') {
			if j := strings.IndexByte(val[1:], val[0]); j >= 0 {
				val = val[1 : 1+j]
			}
		}
		// a cluster's name or ARN (the agent takes either)
		if i := strings.LastIndex(val, ":cluster/"); i >= 0 {
			val = val[i+len(":cluster/"):]
		}
		if val != "" {
			return val
		}
	}
	return ""
}
