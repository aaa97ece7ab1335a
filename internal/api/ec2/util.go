package ec2

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/model"
)

func add(r *api.Registry, op string, h api.Handler) { r.Add("ec2", op, h) }

// page cuts one page of a Describe result: MaxResults (between min and max
// when given, max when not) and NextToken. Items come in any order; a page
// comes in key order (api.Paginate).
func page[T any](in awsproto.Params, items []T, key func(T) string, minResults, maxResults int) ([]T, any, error) {
	return pageWithLimits(in, items, key, minResults, maxResults, 0, false)
}

// pageDefault is page for the operations whose answer is paged even
// without MaxResults (DescribeInstanceTypes, DescribeInstanceTypeOfferings):
// a request without it gets a page of defaultResults items and a NextToken.
func pageDefault[T any](in awsproto.Params, items []T, key func(T) string, minResults, maxResults, defaultResults int) ([]T, any, error) {
	return pageWithLimits(in, items, key, minResults, maxResults, defaultResults, false)
}

// pageCapped is page for the operations that take any MaxResults above
// their page's size and answer that many items at most (DescribeVolumes
// and DescribeVolumesModifications: "if MaxResults is given a value larger
// than 500, only 500 items are returned"; the aws CLI's describe-volumes
// sends MaxResults 1000 by default).
func pageCapped[T any](in awsproto.Params, items []T, key func(T) string, minResults, capResults int) ([]T, any, error) {
	return pageWithLimits(in, items, key, minResults, capResults, 0, true)
}

func pageWithLimits[T any](in awsproto.Params, items []T, key func(T) string, minResults, maxResults, defaultResults int, capped bool) ([]T, any, error) {
	limit := defaultResults
	if in.Has("MaxResults") {
		n := int(in.Int("MaxResults"))
		if n < minResults {
			return nil, nil, apierr.Newf("InvalidParameterValue", "Value ( %d ) for parameter maxResults is invalid. Expecting a value greater than %d.", n, minResults)
		}
		if n > maxResults {
			if !capped {
				return nil, nil, apierr.Newf("InvalidParameterValue", "Value ( %d ) for parameter maxResults is invalid. Expecting a value less than or equal to %d.", n, maxResults)
			}
			n = maxResults
		}
		limit = n
	}
	out, next, ok := api.Paginate(items, key, in.String("NextToken"), limit)
	if !ok {
		return nil, nil, apierr.Newf("InvalidParameterValue", "Invalid value '%s' for parameter nextToken.", in.String("NextToken"))
	}
	if next == "" {
		return out, nil, nil
	}
	return out, next, nil
}

// noIDsWithMax rejects MaxResults combined with an id list, as EC2 does for
// DescribeInstances and friends.
func noIDsWithMax(in awsproto.Params, ids, wire string) error {
	if in.Has("MaxResults") && len(in.Strings(ids)) > 0 {
		return apierr.Newf("InvalidParameterCombination", "The parameter %s cannot be used with the parameter maxResults", wire)
	}
	return nil
}

// byIDs returns the items named by ids (all items when ids is empty), or
// notFound for the first unknown id.
func byIDs[K ~string, V any](m map[K]*V, ids []string, notFound func(id string) error) ([]*V, error) {
	if len(ids) == 0 {
		out := make([]*V, 0, len(m))
		for _, v := range m {
			out = append(out, v)
		}
		return out, nil
	}
	out := make([]*V, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		v := m[K(id)]
		if v == nil {
			return nil, notFound(id)
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, v)
		}
	}
	return out, nil
}

// notFoundOrMalformed is notFound for an id with the resource's prefix
// and EC2's malformed-id answer for one without it, as DescribeInstances
// and DescribeSecurityGroups answer ids that are not of their form
// ("Invalid id: "ma1""). A prefixed id that is not hexadecimal stays
// unknown: AWS answered DescribeSubnets' `subnet-xyz` so.
func notFoundOrMalformed(code, kind, prefix, malformedCode string) func(string) error {
	unknown := notFound(code, kind)
	return func(id string) error {
		if !strings.HasPrefix(id, prefix+"-") || len(id) == len(prefix)+1 {
			return apierr.Newf(malformedCode, "Invalid id: \"%s\" (expecting \"%s-...\")", id, prefix)
		}
		return unknown(id)
	}
}

func notFound(code, kind string) func(string) error {
	return func(id string) error {
		return apierr.Newf(code, "The %s ID '%s' does not exist", kind, id)
	}
}

// optBool returns the Value of an AttributeBooleanValue member, or nil.
func optBool(in awsproto.Params, name string) *bool {
	if !in.Has(name) {
		return nil
	}
	v := in.Struct(name).Bool("Value")
	return &v
}

// boolParam returns a boolean member, or nil when it is not given.
func boolParam(in awsproto.Params, name string) *bool {
	if !in.Has(name) {
		return nil
	}
	v := in.Bool(name)
	return &v
}

func boolAttr(v bool) map[string]any { return map[string]any{"Value": v} }

// ptrInt returns a pointer to an integer member, or nil when absent.
func ptrInt(in awsproto.Params, name string) *int {
	if !in.Has(name) {
		return nil
	}
	n := int(in.Int(name))
	return &n
}

func ids[S ~string](in awsproto.Params, name string) []S {
	ss := in.Strings(name)
	out := make([]S, len(ss))
	for i, s := range ss {
		out[i] = S(s)
	}
	return out
}

func arn(region, account, kind, id string) string {
	return model.EC2ARN(region, account, kind+"/"+id)
}

// subnetZoneID is the availability-zone-id filter's value for a resource
// in subnet id: the subnet's zone ID, none when the subnet is gone.
func subnetZoneID(st *model.State, id model.SubnetID) []string {
	if s := st.Subnets[id]; s != nil {
		return api.One(s.AvailabilityZoneID)
	}
	return nil
}

func lower(s string) string { return strings.ToLower(s) }

// describePage answers a Describe call over items: the call's filters
// (fs), then one page in key order (MaxResults 5 to 1,000), each item
// written by out, under field.
func describePage[T any](c *api.Call, items []T, fs api.FilterSet[T], key func(T) string, field string, out func(T) any) (map[string]any, error) {
	items, err := fs.Apply(items, api.Filters(c.In))
	if err != nil {
		return nil, err
	}
	items, next, err := page(c.In, items, key, 5, 1000)
	if err != nil {
		return nil, err
	}
	res := make([]any, len(items))
	for i, x := range items {
		res[i] = out(x)
	}
	return map[string]any{field: res, "NextToken": next}, nil
}

// answeredValues returns the values a dotted, hyphenated filter name
// ("ebs-info.ebs-optimized-info.baseline-iops") names in an item as
// answered: each part is the key whose letters match the part's without
// hyphens, case aside ("vcpu-info" is VCpuInfo), or that key's plural
// ("instance-storage-info.disk" is Disks); lists are flattened. Numbers and
// booleans are written as EC2 filters compare them; a missing field gives
// none. It serves filters the reference lists over fields ecsnet answers
// as they are.
func answeredValues(item any, name string) []string {
	vals := []any{item}
	for _, part := range strings.Split(name, ".") {
		want := strings.ReplaceAll(part, "-", "")
		var next []any
		for _, v := range vals {
			m, ok := v.(map[string]any)
			if !ok {
				continue
			}
			for k, x := range m {
				if lk := strings.ToLower(k); lk == want || lk == want+"s" {
					next = append(next, flatten(x)...)
				}
			}
		}
		vals = next
	}
	var out []string
	for _, v := range vals {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case bool:
			out = append(out, strconv.FormatBool(x))
		case int:
			out = append(out, strconv.Itoa(x))
		case int32:
			out = append(out, strconv.FormatInt(int64(x), 10))
		case int64:
			out = append(out, strconv.FormatInt(x, 10))
		case float64:
			out = append(out, strconv.FormatFloat(x, 'f', -1, 64))
		}
	}
	return out
}

// flatten spreads a list into its elements (any slice type); anything else
// is itself.
func flatten(v any) []any {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return []any{v}
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out
}
