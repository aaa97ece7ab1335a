package model

import (
	"compress/gzip"
	"io"
	"strings"
)

// CloudInitText is the text cloud-init runs from user data: user data
// compressed with gzip (as Terraform's cloudinit_config renders it by
// default) is decompressed first, as cloud-init does (at most 1 MiB).
func CloudInitText(userData string) string {
	if len(userData) < 2 || userData[0] != 0x1f || userData[1] != 0x8b {
		return userData
	}
	r, err := gzip.NewReader(strings.NewReader(userData))
	if err != nil {
		return userData
	}
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil && len(b) == 0 {
		return userData
	}
	return string(b)
}

// UserDataECSCluster returns the cluster an ECS host's agent joins, from
// its user data (decompressed: CloudInitText): ECS_CLUSTER=NAME as the agent
// reads it from /etc/ecs/ecs.config on the ECS-optimized AMIs, or, on
// Bottlerocket, whose user data is TOML, settings.ecs.cluster ("[settings.ecs]"
// then cluster = "NAME", or the dotted key). "" when it names none, or
// when it is a script that never runs (UserDataScriptNotRun).
func UserDataECSCluster(text string) string {
	text = CloudInitText(text)
	if UserDataScriptNotRun(text) != "" {
		return ""
	}
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

// UserDataScriptNotRun returns why a shell script given as user data
// never runs, "" when it runs (or is not a script). Linux reads a
// script's first line, "#!INTERPRETER ARG", and passes everything after
// the interpreter as one argument: a first line that holds the whole
// script (user data joined without newlines, "#!/bin/bash -xe yum update
// -y …") gives bash "-xe yum update -y …" as one argument, an invalid
// option ("/bin/bash: - : invalid option"), or, without a leading dash,
// the name of a script that does not exist; either way no line of the
// script runs. Only the shells are judged (sh, bash, dash, zsh, ksh), and
// env's -S, which splits its argument, is taken as running.
func UserDataScriptNotRun(text string) string {
	if !strings.HasPrefix(text, "#!") {
		return ""
	}
	first, _, _ := strings.Cut(text[2:], "\n")
	first = strings.TrimRight(strings.TrimLeft(first, " \t"), " \t\r")
	i := strings.IndexAny(first, " \t")
	if i < 0 {
		return ""
	}
	interp, arg := first[:i], strings.TrimLeft(first[i+1:], " \t")
	if !strings.ContainsAny(arg, " \t") {
		return ""
	}
	base := interp[strings.LastIndexByte(interp, '/')+1:]
	if base == "env" {
		if strings.HasPrefix(arg, "-S") || strings.HasPrefix(arg, "--split-string") {
			return ""
		}
		base, _, _ = strings.Cut(arg, " ")
	}
	switch base {
	case "sh", "bash", "dash", "zsh", "ksh":
	default:
		return ""
	}
	shown := first
	if len(shown) > 60 {
		shown = shown[:57] + "…"
	}
	return "the user data's first line, \"#!" + shown + "\", gives " + interp + " the rest of the line as one argument, so no line of the script runs (its commands belong on the lines after the #! line)"
}
