package model

import (
	"strings"
)

// UserDataECSCluster returns the cluster an ECS host's agent joins, from
// the (decompressed) text of its user data: ECS_CLUSTER=NAME as the agent
// reads it from /etc/ecs/ecs.config on the ECS-optimized AMIs, or, on
// Bottlerocket, whose user data is TOML, settings.ecs.cluster ("[settings.ecs]"
// then cluster = "NAME", or the dotted key). "" when it names none.
func UserDataECSCluster(text string) string {
	if name := ecsConfigCluster(text); name != "" {
		return name
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

// ecsConfigCluster finds the first ECS_CLUSTER=NAME (NAME optionally
// after a quote: 1 to 255 of [A-Za-z0-9_-], the cluster name's alphabet)
// in text; "" when there is none. It is the regular expression
// ECS_CLUSTER=["']?([A-Za-z0-9_-]{1,255}) written out: lint asks it of
// every instance.
func ecsConfigCluster(text string) string {
	const key = "ECS_CLUSTER="
	for {
		i := strings.Index(text, key)
		if i < 0 {
			return ""
		}
		text = text[i+len(key):]
		start := 0
		if len(text) > 1 && (text[0] == '"' || text[0] == '\'') && clusterNameByte(text[1]) {
			start = 1
		}
		end := start
		for end < len(text) && end-start < 255 && clusterNameByte(text[end]) {
			end++
		}
		if end > start {
			return text[start:end]
		}
	}
}

// clusterNameByte reports a byte of a cluster name's alphabet.
func clusterNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}
