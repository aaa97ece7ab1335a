package snapshot

import (
	"encoding/json"
	"reflect"
	"strings"
)

// A task definition's and a container definition's members ecsnet does not
// model (logConfiguration, firelensConfiguration, secrets, volumes, …) are
// kept as they are in describe-task-definition's JSON, in the model's Raw,
// as the API, scenario and CloudFormation readers keep them: the analyzer's
// start path reads them.

func (c *ecsContainerDef) UnmarshalJSON(b []byte) error {
	type plain ecsContainerDef
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	raw, err := unmodelled(b, reflect.TypeFor[plain]())
	if err != nil {
		return err
	}
	*c = ecsContainerDef(p)
	c.Raw = raw
	return nil
}

func (c ecsContainerDef) MarshalJSON() ([]byte, error) {
	type plain ecsContainerDef
	return withRaw(plain(c), c.Raw)
}

func (d *ecsTaskDefinition) UnmarshalJSON(b []byte) error {
	type plain ecsTaskDefinition
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	raw, err := unmodelled(b, reflect.TypeFor[plain]())
	if err != nil {
		return err
	}
	// Tags are read from their own member (or list-tags-for-resource).
	delete(raw, "tags")
	*d = ecsTaskDefinition(p)
	d.Raw = raw
	return nil
}

func (d ecsTaskDefinition) MarshalJSON() ([]byte, error) {
	type plain ecsTaskDefinition
	return withRaw(plain(d), d.Raw)
}

// unmodelled is the members of the JSON object b that no field of struct
// type t reads (by their JSON names), nil if none.
func unmodelled(b []byte, t reflect.Type) (map[string]any, error) {
	var all map[string]any
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			delete(all, name)
		}
	}
	if len(all) == 0 {
		return nil, nil
	}
	return all, nil
}

// withRaw is v's JSON object with raw's members added (a member v writes
// wins).
func withRaw(v any, raw map[string]any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(raw) == 0 {
		return b, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	for k, x := range raw {
		if _, ok := all[k]; ok {
			continue
		}
		if all[k], err = json.Marshal(x); err != nil {
			return nil, err
		}
	}
	return json.Marshal(all)
}
