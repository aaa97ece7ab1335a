package snapshot

import (
	"encoding/json"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Tags of resources whose describe call does not answer them (round
// thirty-five; both collectors), one file per resource, the ARN beside
// the list-tags output as the aws CLI prints it:
//
//	events-list-tags-for-resource-<bus>-<rule>.json     {"ResourceARN": …, "Tags": [{"Key", "Value"}]}   EventBridge rules
//	ecs-list-tags-for-resource-<cluster>-<daemon>.json  {"resourceArn": …, "tags": [{"key", "value"}]}   ECS Managed Daemons
//	acm-list-tags-for-certificate-<id>.json             {"CertificateArn": …, "Tags": [{"Key", "Value"}]} ACM certificates
//
// (ResourceTagsFileName names them.) A tags output without an ARN beside
// it is skipped with a warning: nothing says whose tags they are.

// ResourceTagsFileName is the file name of one resource's list-tags
// output: the service's command and the ARN's resource part, its slashes
// dashes.
func ResourceTagsFileName(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return "list-tags-" + strings.NewReplacer("/", "-", ":", "-").Replace(arn) + ".json"
	}
	service, resource := parts[2], parts[5]
	if service == "acm" {
		return "acm-list-tags-for-certificate-" + resource[strings.LastIndexByte(resource, '/')+1:] + ".json"
	}
	resource = strings.TrimPrefix(resource, "rule/")
	return service + "-list-tags-for-resource-" + strings.ReplaceAll(resource, "/", "-") + ".json"
}

// resourceTags is one resource's tags, by ARN.
type resourceTags struct {
	ARN  string
	Tags model.Tags
}

// tagARNKeys are the members that name a tags output's resource.
var tagARNKeys = []string{"ResourceARN", "resourceArn", "CertificateArn"}

// dispatchResourceTags reads a list-tags output ("Tags" or "tags") with
// its resource's ARN beside it. handled is false for a Tags key without
// an ARN beside it (it is skipped as before: a bare tag list says nothing
// of whose tags they are).
func (rd *regionData) dispatchResourceTags(f *fileInfo, data []byte, m member, all map[string]span) (ok, handled bool) {
	if m.key != "Tags" && m.key != "tags" {
		return true, false
	}
	var arn string
	for _, k := range tagARNKeys {
		if s, found := all[k]; found && json.Unmarshal(data[s.start:s.end], &arn) == nil && arn != "" {
			break
		}
	}
	if arn == "" {
		return true, false
	}
	at := pos{f, m.val.start}
	var list []item[struct {
		Key   string `json:"Key"`
		Value string `json:"Value"`
		Lkey  string `json:"key"`
		Lval  string `json:"value"`
	}]
	if !decodeList(rd, f, data, m, &list) {
		return false, true
	}
	x := resourceTags{ARN: arn, Tags: model.Tags{}}
	for _, t := range list {
		k, v := t.v.Key, t.v.Value
		if k == "" {
			k, v = t.v.Lkey, t.v.Lval
		}
		if k != "" {
			x.Tags[k] = v
		}
	}
	rd.tags = append(rd.tags, item[resourceTags]{x, at})
	return true, true
}

// resourceTagsApply gives the EventBridge rules, daemons and certificates
// their tags (after they are built).
func (b *builder) resourceTagsApply() {
	rules := map[string]*model.EventRule{}
	for _, r := range b.st.EventRules {
		rules[r.ARN] = r
	}
	for _, it := range b.rd.tags {
		tags := it.v.Tags
		if len(tags) == 0 {
			tags = nil
		}
		switch {
		case rules[it.v.ARN] != nil:
			rules[it.v.ARN].Tags = tags
		case b.st.Daemons[it.v.ARN] != nil:
			b.st.Daemons[it.v.ARN].Tags = tags
		case b.st.Certificates[it.v.ARN] != nil:
			b.st.Certificates[it.v.ARN].Tags = tags
		default:
			b.note("dangling-tags", "tags of resources not in the snapshot", it.at.warning(CodeDangling, it.v.ARN,
				"tags of "+it.v.ARN+" skipped: the resource is not in the snapshot (EventBridge rules, ECS Managed Daemons and ACM certificates take tags from such files)"))
		}
	}
}

// resourceTagFiles writes the tags of the state's EventBridge rules,
// daemons and certificates, one file each, when they have any.
func (w *writer) resourceTagFiles(files map[string]any) {
	pairs := func(t model.Tags, key, value string) []map[string]string {
		out := []map[string]string{}
		for _, k := range sortedKeys(t) {
			out = append(out, map[string]string{key: k, value: t[k]})
		}
		return out
	}
	for _, r := range sortedValues(w.st.EventRules) {
		if len(r.Tags) > 0 && r.ARN != "" {
			files[ResourceTagsFileName(r.ARN)] = map[string]any{"ResourceARN": r.ARN, "Tags": pairs(r.Tags, "Key", "Value")}
		}
	}
	for _, d := range sortedValues(w.st.Daemons) {
		if len(d.Tags) > 0 {
			files[ResourceTagsFileName(d.ARN)] = map[string]any{"resourceArn": d.ARN, "tags": pairs(d.Tags, "key", "value")}
		}
	}
	for _, c := range sortedValues(w.st.Certificates) {
		if len(c.Tags) > 0 {
			files[ResourceTagsFileName(c.ARN)] = map[string]any{"CertificateArn": c.ARN, "Tags": pairs(c.Tags, "Key", "Value")}
		}
	}
}
