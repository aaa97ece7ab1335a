package ecs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// registerDaemonTaskDefinitions adds ECS Managed Daemons' daemon task
// definitions.
func registerDaemonTaskDefinitions(add func(string, api.Handler)) {
	add("RegisterDaemonTaskDefinition", registerDaemonTaskDefinition)
	add("DescribeDaemonTaskDefinition", describeDaemonTaskDefinition)
	add("ListDaemonTaskDefinitions", listDaemonTaskDefinitions)
	add("DeleteDaemonTaskDefinition", deleteDaemonTaskDefinition)
}

func registerDaemonTaskDefinition(c *api.Call) (map[string]any, error) {
	in := engine.RegisterDaemonTaskDefinitionInput{Family: c.In.String("family"), TaskRoleARN: c.In.String("taskRoleArn"),
		ExecutionRoleARN: c.In.String("executionRoleArn"), CPU: c.In.String("cpu"), Memory: c.In.String("memory"), Tags: tagsIn(c.In)}
	for _, cd := range c.In.Structs("containerDefinitions") {
		def, err := json.Marshal(map[string]any(cd))
		if err != nil {
			return nil, invalid("Invalid container definition: %v", err)
		}
		in.Containers = append(in.Containers, model.DaemonContainer{Name: cd.String("name"), Image: cd.String("image"), Definition: string(def)})
	}
	for _, v := range c.In.Structs("volumes") {
		dv := model.DaemonVolume{Name: v.String("name")}
		if h := v.Struct("host"); h != nil {
			dv.Host, dv.SourcePath = true, h.String("sourcePath")
		}
		in.Volumes = append(in.Volumes, dv)
	}
	td, err := c.Engine.RegisterDaemonTaskDefinition(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"daemonTaskDefinitionArn": td.ARN}, nil
}

// plainJSON decodes a stored JSON document with its whole numbers as
// int64 (the encoder's integers), others as float64.
func plainJSON(doc string) any {
	d := json.NewDecoder(bytes.NewReader([]byte(doc)))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return nil
	}
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case json.Number:
			if n, err := x.Int64(); err == nil {
				return n
			}
			f, _ := x.Float64()
			return f
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e)
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		}
		return v
	}
	return walk(v)
}

func daemonTaskDefinitionOut(td *model.DaemonTaskDefinition) map[string]any {
	containers := make([]any, len(td.Containers))
	for i, c := range td.Containers {
		containers[i] = plainJSON(c.Definition)
	}
	vols := make([]any, len(td.Volumes))
	for i, v := range td.Volumes {
		m := map[string]any{"name": v.Name}
		if v.Host {
			m["host"] = map[string]any{"sourcePath": api.Str(v.SourcePath)}
		}
		vols[i] = m
	}
	return map[string]any{
		"daemonTaskDefinitionArn": td.ARN, "family": td.Family, "revision": td.Revision,
		"taskRoleArn": api.Str(td.TaskRoleARN), "executionRoleArn": api.Str(td.ExecutionRoleARN),
		"containerDefinitions": containers, "volumes": vols, "cpu": api.Str(td.CPU), "memory": api.Str(td.Memory),
		"status": td.Status, "registeredAt": api.Time(td.RegisteredAt), "deleteRequestedAt": api.Time(td.DeleteRequestedAt),
		"registeredBy": api.Str(td.RegisteredBy),
	}
}

func describeDaemonTaskDefinition(c *api.Call) (map[string]any, error) {
	td, err := c.Engine.DaemonTaskDefinition(c.In.String("daemonTaskDefinition"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"daemonTaskDefinition": daemonTaskDefinitionOut(td)}, nil
}

func listDaemonTaskDefinitions(c *api.Call) (map[string]any, error) {
	f := engine.DaemonTaskDefinitionFilter{FamilyPrefix: c.In.String("familyPrefix"), Family: c.In.String("family"), Status: c.In.String("status")}
	switch c.In.String("revision") {
	case "":
	case "LAST_REGISTERED":
		f.LastRegistered = true
	default:
		return nil, invalid("revision should be one of [LAST_REGISTERED]")
	}
	switch c.In.String("sort") {
	case "", "ASC":
	case "DESC":
		f.Descending = true
	default:
		return nil, invalid("sort should be one of [ASC,DESC]")
	}
	tds, err := c.Engine.ListDaemonTaskDefinitions(f)
	if err != nil {
		return nil, err
	}
	// By family, then revision (the engine's order), backwards for DESC.
	key := func(td *model.DaemonTaskDefinition) string { return fmt.Sprintf("%s\x00%010d", td.Family, td.Revision) }
	order := strings.Compare
	if f.Descending {
		order = api.Descending
	}
	items, next, err := pageOrdered(c.In, tds, key, order, 100, 100)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, td := range items {
		out[i] = map[string]any{"arn": td.ARN, "registeredAt": api.Time(td.RegisteredAt), "registeredBy": api.Str(td.RegisteredBy),
			"deleteRequestedAt": api.Time(td.DeleteRequestedAt), "status": td.Status}
	}
	return map[string]any{"daemonTaskDefinitions": out, "nextToken": next}, nil
}

func deleteDaemonTaskDefinition(c *api.Call) (map[string]any, error) {
	td, err := c.Engine.DeleteDaemonTaskDefinition(c.In.String("daemonTaskDefinition"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"daemonTaskDefinitionArn": td.ARN}, nil
}
