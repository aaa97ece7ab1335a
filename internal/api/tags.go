package api

import (
	"sort"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TagSpecs returns the tags an EC2 create request asks for on its resource
// (TagSpecifications of that resource type). Specifications of another type
// are EC2's InvalidParameterValue, unless also lists it (RunInstances takes
// network-interface and volume tags too).
func TagSpecs(in awsproto.Params, resourceType string, also ...string) (model.Tags, error) {
	var out model.Tags
	for _, spec := range in.Structs("TagSpecifications") {
		rt := spec.String("ResourceType")
		if rt == "" {
			return nil, apierr.New("InvalidParameterValue", "Tag specification resource type must have a value")
		}
		if len(spec.Structs("Tags")) == 0 {
			return nil, apierr.New("InvalidTagKey.Malformed", "Tag specification must have at least one tag")
		}
		if rt != resourceType {
			ok := false
			for _, a := range also {
				ok = ok || a == rt
			}
			if !ok {
				return nil, apierr.Newf("InvalidParameterValue", "'%s' is not a valid taggable resource type for this operation.", rt)
			}
			continue
		}
		for _, t := range spec.Structs("Tags") {
			if out == nil {
				out = model.Tags{}
			}
			out[t.String("Key")] = t.String("Value")
		}
	}
	if err := engine.CheckTags(engine.TagsEC2, out); err != nil {
		return nil, err
	}
	return out, nil
}

// KeyValues returns the tags of a {Key, Value} tag list ("Tags" in EC2 and
// ELBv2 requests).
func KeyValues(list []awsproto.Params, key, value string) model.Tags {
	if len(list) == 0 {
		return nil
	}
	out := model.Tags{}
	for _, t := range list {
		out[t.String(key)] = t.String(value)
	}
	return out
}

// TagList returns tags as a list of {key, value} structures sorted by key,
// with the given member names ("Key"/"Value" for EC2 and ELBv2,
// "key"/"value" for ECS). It is never nil.
func TagList(tags model.Tags, key, value string) []map[string]any {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]map[string]any, len(keys))
	for i, k := range keys {
		out[i] = map[string]any{key: k, value: tags[k]}
	}
	return out
}

// OrderedTagList is TagList in the given key order (model.TagKeysInOrder):
// ELB answers tags in the order they were added.
func OrderedTagList(tags model.Tags, order []string, key, value string) []map[string]any {
	keys := model.TagKeysInOrder(tags, order)
	out := make([]map[string]any, len(keys))
	for i, k := range keys {
		out[i] = map[string]any{key: k, value: tags[k]}
	}
	return out
}

// EC2Tags is TagList with EC2's member names, or nil without tags (EC2
// omits an empty tag set).
func EC2Tags(tags model.Tags) []map[string]any {
	if len(tags) == 0 {
		return nil
	}
	return TagList(tags, "Key", "Value")
}
