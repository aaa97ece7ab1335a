package model

import "strings"

// RawField finds a key of a raw definition (ContainerDefinition.Raw and the
// maps inside it) in any case: the API keeps camelCase, templates may keep
// PascalCase.
func RawField(m map[string]any, key string) any {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

// RawString is RawField's string value, "" if absent or not a string.
func RawString(m map[string]any, key string) string {
	s, _ := RawField(m, key).(string)
	return s
}

// LogDriver returns the container's log driver ("awslogs", …), "" if none.
func (c ContainerDefinition) LogDriver() string {
	m, _ := RawField(c.Raw, "logConfiguration").(map[string]any)
	return RawString(m, "logDriver")
}

// LogOption returns an option of the container's log configuration
// ("awslogs-group", …).
func (c ContainerDefinition) LogOption(name string) string {
	m, _ := RawField(c.Raw, "logConfiguration").(map[string]any)
	opts, _ := RawField(m, "options").(map[string]any)
	s, _ := opts[name].(string)
	return s
}
