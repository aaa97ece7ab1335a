package cloudformation

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
	"go.yaml.in/yaml/v3"
)

// A change set's Modify says what changes, property by property
// (ResourceChangeDetail): the property (Target: Attribute Properties and
// its Name, or Attribute Tags), whether changing it replaces the
// resource (RequiresRecreation, from the rules the update follows:
// cfn.RequiresRecreation), and why it changes: DirectModification
// (Static) when its definition in the template changed; when it changed
// through a parameter, DirectModification (Dynamic) and
// ParameterReference (Static) naming the parameter; ResourceReference /
// ResourceAttribute (Dynamic) naming the resource ("resource.attribute")
// whose replacement changes it. Replacement is derived from the details:
// True when one is Always, Conditional when one is Conditionally, else
// False.

// modifyChange is the Modify of stack resource old to template resource
// r: newResolved is its resolved properties as the update's dry run
// made them ("" when the dry run did not reach it), changedParams the
// parameters whose values change, replaced and modified the logical ids
// the update replaces or changes.
type modifyChange struct {
	old           model.StackResource
	r             tplResource
	newResolved   string
	changedParams []string
	replaced      map[string]bool
	modified      map[string]bool
}

// details returns the change's Scope and Details.
func (m modifyChange) details() ([]string, []model.ChangeDetail) {
	oldDef, newDef := definitionOf(m.old.Props), definitionOf(m.r.Props)
	oldProps, newProps := mapGet(oldDef, "Properties"), mapGet(newDef, "Properties")
	var names []string
	if m.newResolved != "" && m.old.Resolved != "" {
		names = cfn.ChangedProperties(m.old.Resolved, m.newResolved)
	} else {
		names = m.changedDefinitions(oldProps, newProps)
	}
	var scope []string
	var out []model.ChangeDetail
	for _, name := range names {
		target := model.ChangeDetail{Attribute: "Properties", Name: name}
		switch {
		case name == "Tags":
			target = model.ChangeDetail{Attribute: "Tags", RequiresRecreation: "Never"}
		case !m.old.Modeled:
			// [choice] ecsnet has no table of the type's create-only
			// properties: whether the change replaces it is not known.
			target.RequiresRecreation = "Conditionally"
		default:
			target.RequiresRecreation = cfn.RequiresRecreation(m.old.Type, name, m.old.Resolved, m.newResolved)
		}
		target.BeforeValue, target.AfterValue, target.ChangeType = valuesOf(m.old.Resolved, m.newResolved, name)
		if !slices.Contains(scope, target.Attribute) {
			scope = append(scope, target.Attribute)
		}
		was, now := mapGet(oldProps, name), mapGet(newProps, name)
		if !sameNode(was, now) {
			d := target
			d.Evaluation, d.ChangeSource = "Static", "DirectModification"
			out = append(out, d)
			continue
		}
		// The definition is the same: the change comes through what it
		// refers to.
		refs, attrs := cfn.References(now)
		var causes []model.ChangeDetail
		for _, p := range m.changedParams {
			if slices.Contains(refs, p) {
				d := target
				d.Evaluation, d.ChangeSource, d.CausingEntity = "Static", "ParameterReference", p
				causes = append(causes, d)
			}
		}
		if len(causes) > 0 {
			d := target
			d.Evaluation, d.ChangeSource = "Dynamic", "DirectModification"
			causes = append([]model.ChangeDetail{d}, causes...)
		}
		for _, ref := range refs {
			if m.replaced[ref] {
				d := target
				d.Evaluation, d.ChangeSource, d.CausingEntity = "Dynamic", "ResourceReference", ref
				causes = append(causes, d)
			}
		}
		for _, a := range attrs {
			if id, _, _ := strings.Cut(a, "."); m.replaced[id] || m.modified[id] {
				d := target
				d.Evaluation, d.ChangeSource, d.CausingEntity = "Dynamic", "ResourceAttribute", a
				causes = append(causes, d)
			}
		}
		if len(causes) == 0 {
			// [choice] a change ecsnet cannot trace to its cause (a
			// pseudo parameter, a dynamic reference).
			d := target
			d.Evaluation, d.ChangeSource = "Dynamic", "DirectModification"
			causes = append(causes, d)
		}
		out = append(out, causes...)
	}
	// [probable] A change of the resource's other attributes updates
	// nothing of it (Metadata is read by cfn-init; the policies are
	// CloudFormation's own).
	for _, attr := range []string{"Metadata", "CreationPolicy", "UpdatePolicy", "DeletionPolicy", "UpdateReplacePolicy"} {
		if !sameNode(mapGet(oldDef, attr), mapGet(newDef, attr)) {
			scope = append(scope, attr)
			out = append(out, model.ChangeDetail{Attribute: attr, RequiresRecreation: "Never", Evaluation: "Static", ChangeSource: "DirectModification"})
		}
	}
	slices.Sort(scope)
	return scope, out
}

// changedDefinitions returns the properties whose definitions differ, or
// that refer to a changed parameter, a replaced or a modified resource
// (what a change set compares when the dry run did not reach the
// resource).
func (m modifyChange) changedDefinitions(oldProps, newProps *yaml.Node) []string {
	var names []string
	seen := map[string]bool{}
	for _, props := range []*yaml.Node{newProps, oldProps} {
		if props == nil || props.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(props.Content); i += 2 {
			name := props.Content[i].Value
			if seen[name] {
				continue
			}
			seen[name] = true
			was, now := mapGet(oldProps, name), mapGet(newProps, name)
			refs, attrs := cfn.References(now)
			changes := !sameNode(was, now) || slices.ContainsFunc(refs, func(r string) bool {
				return slices.Contains(m.changedParams, r) || m.replaced[r]
			}) || slices.ContainsFunc(attrs, func(a string) bool {
				id, _, _ := strings.Cut(a, ".")
				return m.replaced[id] || m.modified[id]
			})
			if changes {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return names
}

// replacementOf is the Replacement CloudFormation derives from a
// change's details.
func replacementOf(details []model.ChangeDetail) string {
	out := "False"
	for _, d := range details {
		switch d.RequiresRecreation {
		case "Always":
			return "True"
		case "Conditionally":
			out = "Conditional"
		}
	}
	return out
}

// definitionOf reads a resource's definition (tplResource.Props, YAML).
func definitionOf(text string) *yaml.Node {
	var doc yaml.Node
	if text == "" || yaml.Unmarshal([]byte(text), &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

// sameNode reports whether two definitions are the same.
func sameNode(a, b *yaml.Node) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	x, errA := yaml.Marshal(a)
	y, errB := yaml.Marshal(b)
	return errA == nil && errB == nil && string(x) == string(y)
}

// valuesOf returns property name's resolved values in two resolved
// property texts (a string as it is, anything else as JSON) and how it
// changes (Add, Remove, Modify); "" when a text is unknown.
func valuesOf(oldJSON, newJSON, name string) (before, after, change string) {
	var a, b map[string]json.RawMessage
	if json.Unmarshal([]byte(oldJSON), &a) != nil || json.Unmarshal([]byte(newJSON), &b) != nil {
		return "", "", ""
	}
	text := func(raw json.RawMessage) string {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		return string(raw)
	}
	was, hadIt := a[name]
	now, hasIt := b[name]
	switch {
	case !hadIt:
		return "", text(now), "Add"
	case !hasIt:
		return text(was), "", "Remove"
	}
	return text(was), text(now), "Modify"
}
