// Package ssm serves AWS Systems Manager Parameter Store (AWS JSON 1.1):
// the account's parameters (String, StringList, SecureString, versions,
// labels, tags) and the public /aws/service/ parameters templates read,
// the ECS-optimized AMIs first among them, with ecsnet's stable stand-in
// values (internal/engine/ssm_public.go).
package ssm

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/api/sts"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the Parameter Store handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("ssm", op, h) }
	add("GetParameter", getParameter)
	add("GetParameters", getParameters)
	add("GetParametersByPath", getParametersByPath)
	add("GetParameterHistory", getParameterHistory)
	add("PutParameter", putParameter)
	add("DeleteParameter", deleteParameter)
	add("DeleteParameters", deleteParameters)
	add("DescribeParameters", describeParameters)
	add("LabelParameterVersion", labelParameterVersion)
	add("AddTagsToResource", addTags)
	add("RemoveTagsFromResource", removeTags)
	add("ListTagsForResource", listTags)
}

func validation(format string, args ...any) error {
	return apierr.Newf("ValidationException", format, args...)
}

// value returns the value a reader sees: a SecureString's ciphertext
// unless it asked for decryption.
func value(p *model.Parameter, decrypt bool) string {
	if p.Type != "SecureString" || decrypt {
		return p.Value
	}
	return ciphertext(p)
}

// ciphertext is ecsnet's stand-in for a SecureString's KMS ciphertext:
// base64 of a KMS-like header and the key, never the plain value.
func ciphertext(p *model.Parameter) string {
	return base64.StdEncoding.EncodeToString([]byte("\x01\x02\x02\x00ecsnet-kms:" + p.KeyID + ":" + p.Name + ":" + itoa(p.Version)))
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// parameterOut is a Parameter structure; selector is the ":version" or
// ":label" part of the name asked for.
func parameterOut(c *api.Call, p *model.Parameter, selector string, decrypt bool) map[string]any {
	out := map[string]any{
		"Name": p.Name, "Type": p.Type, "Value": value(p, decrypt), "Version": p.Version,
		"LastModifiedDate": api.Time(p.LastModified), "ARN": engine.ParameterARN(c.Region, c.Account, p.Name),
		"DataType": p.DataType,
	}
	if selector != "" {
		out["Selector"] = selector
	}
	return out
}

func splitSelector(name string) (string, string) {
	if strings.HasPrefix(name, "arn:") {
		// A parameter ARN: the selector, if any, follows its name.
		if i := strings.Index(name, ":parameter/"); i >= 0 {
			name = name[i+len(":parameter/"):]
		}
	}
	if i := strings.IndexByte(name, ':'); i >= 0 {
		return name[:i], name[i:]
	}
	return name, ""
}

// secretOut renders a reference to a Secrets Manager secret as
// Parameter Store answers it: a SecureString of version 0 whose value is
// the secret's, its ARN the secret's, LastModifiedDate the version's
// creation, and SourceResult Secrets Manager's answer as JSON (its members
// named as the SDK for Java serializes them, createdDate in Java's date
// form), without DataType.
func secretOut(ref *engine.SecretReference) map[string]any {
	v := ref.Version
	src := struct {
		ARN           string   `json:"ARN"`
		Name          string   `json:"name"`
		VersionID     string   `json:"versionId"`
		SecretString  *string  `json:"secretString,omitempty"`
		SecretBinary  []byte   `json:"secretBinary,omitempty"`
		VersionStages []string `json:"versionStages"`
		CreatedDate   string   `json:"createdDate"`
	}{ARN: ref.Secret.ARN, Name: ref.Secret.Name, VersionID: v.ID, VersionStages: v.Stages,
		CreatedDate: v.Created.UTC().Format("Jan 2, 2006, 3:04:05 PM")}
	value := v.String
	if v.HasString {
		src.SecretString = &v.String
	} else {
		src.SecretBinary = v.Binary
		value = base64.StdEncoding.EncodeToString(v.Binary)
	}
	b, _ := json.Marshal(src)
	out := map[string]any{
		"Name": ref.Name, "Type": "SecureString", "Value": value, "Version": 0,
		"LastModifiedDate": api.Time(v.Created), "ARN": ref.Secret.ARN, "SourceResult": string(b),
	}
	if ref.Selector != "" {
		out["Selector"] = ref.Selector
	}
	return out
}

func getParameter(c *api.Call) (map[string]any, error) {
	name := c.In.String("Name")
	var secret map[string]any
	var p *model.Parameter
	var err error
	c.Engine.Read(func(st *model.State) {
		var ref *engine.SecretReference
		if ref, err = engine.SecretsManagerReference(st, name, c.In.Bool("WithDecryption")); ref != nil {
			secret = secretOut(ref)
		} else if err == nil {
			p, err = c.Engine.GetParameter(st, name)
		}
	})
	if secret != nil {
		return map[string]any{"Parameter": secret}, nil
	}
	if err != nil {
		return nil, err
	}
	_, sel := splitSelector(name)
	return map[string]any{"Parameter": parameterOut(c, p, sel, c.In.Bool("WithDecryption"))}, nil
}

func getParameters(c *api.Call) (map[string]any, error) {
	names := c.In.Strings("Names")
	if len(names) > 10 {
		return nil, validation("1 validation error detected: Value '[%s]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10", strings.Join(names, ", "))
	}
	params := []map[string]any{}
	invalid := []string{}
	seen := map[string]bool{}
	var refused error
	c.Engine.Read(func(st *model.State) {
		for _, n := range names {
			if seen[n] {
				continue
			}
			seen[n] = true
			// A reference to a Secrets Manager secret answers the
			// secret; one that does not exist is invalid, as a
			// parameter is (LocalStack's test_get_parameters_and_secrets,
			// validated against AWS).
			ref, err := engine.SecretsManagerReference(st, n, c.In.Bool("WithDecryption"))
			if apierr.HasCode(err, "ValidationException") {
				refused = err
				return
			}
			if ref != nil {
				params = append(params, secretOut(ref))
				continue
			}
			if err != nil {
				invalid = append(invalid, n)
				continue
			}
			p, err := c.Engine.GetParameter(st, n)
			if err != nil {
				invalid = append(invalid, n)
				continue
			}
			_, sel := splitSelector(n)
			params = append(params, parameterOut(c, p, sel, c.In.Bool("WithDecryption")))
		}
	})
	if refused != nil {
		return nil, refused
	}
	return map[string]any{"Parameters": params, "InvalidParameters": invalid}, nil
}

// pageOf cuts one page (MaxResults between 1 and max, def when absent).
func pageOf[T any](c *api.Call, items []T, key func(T) string, def, max int64) ([]T, any, error) {
	limit := c.In.IntOr("MaxResults", def)
	if limit < 1 || limit > max {
		return nil, nil, validation("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to %d", limit, max)
	}
	out, next, ok := api.Paginate(items, key, c.In.String("NextToken"), int(limit))
	if !ok {
		return nil, nil, validation("The specified token is not valid.")
	}
	if next == "" {
		return out, nil, nil
	}
	return out, next, nil
}

func paramName(p *model.Parameter) string { return p.Name }

func getParametersByPath(c *api.Call) (map[string]any, error) {
	path := c.In.String("Path")
	if !strings.HasPrefix(path, "/") {
		return nil, validation(badPathText)
	}
	filters, err := filtersIn(c.In, true)
	if err != nil {
		return nil, err
	}
	var items []*model.Parameter
	c.Engine.Read(func(st *model.State) {
		for _, p := range c.Engine.ParametersUnder(st, path, c.In.Bool("Recursive")) {
			if filters.match(p) {
				items = append(items, p)
			}
		}
	})
	page, next, err := pageOf(c, items, paramName, 10, 10)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(page))
	for i, p := range page {
		out[i] = parameterOut(c, p, "", c.In.Bool("WithDecryption"))
	}
	return map[string]any{"Parameters": out, "NextToken": next}, nil
}

func getParameterHistory(c *api.Call) (map[string]any, error) {
	name := c.In.String("Name")
	var p *model.Parameter
	c.Engine.Read(func(st *model.State) { p = st.Parameters[name] })
	if p == nil {
		p = engine.PublicParameter(c.Region, name)
	}
	if p == nil {
		return nil, apierr.New("ParameterNotFound", "")
	}
	versions := engine.ParameterVersions(p)
	key := func(v *model.Parameter) string { return strings.Repeat("0", 20-len(itoa(v.Version))) + itoa(v.Version) }
	page, next, err := pageOf(c, versions, key, 50, 50)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(page))
	for i, v := range page {
		m := metadataOut(c, v)
		m["Value"] = value(v, c.In.Bool("WithDecryption"))
		m["Labels"] = labels(v.Labels)
		delete(m, "ARN")
		out[i] = m
	}
	return map[string]any{"Parameters": out, "NextToken": next}, nil
}

func labels(ls []string) []string {
	if ls == nil {
		return []string{}
	}
	return ls
}

func metadataOut(c *api.Call, p *model.Parameter) map[string]any {
	return map[string]any{
		"Name": p.Name, "ARN": engine.ParameterARN(c.Region, c.Account, p.Name), "Type": p.Type,
		"KeyId": api.Str(p.KeyID), "LastModifiedDate": api.Time(p.LastModified),
		"LastModifiedUser": api.Str(p.LastModifiedUser), "Description": api.Str(p.Description),
		"AllowedPattern": api.Str(p.AllowedPattern), "Version": p.Version, "Tier": p.Tier,
		"Policies": []any{}, "DataType": p.DataType,
	}
}

// parameterTypes is PutParameter's Type enum, in the order AWS's
// validation message lists it.
var parameterTypes = []string{"SecureString", "StringList", "String"}

// checkPutParameter applies the request's model constraints AWS checks
// before anything else: a Value of at least one character (Value is
// sensitive, so the message does not repeat it) and a Type of the enum.
func checkPutParameter(in awsproto.Params) error {
	if in.Has("Value") && in.String("Value") == "" {
		return validation("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if t := in.String("Type"); t != "" && !slices.Contains(parameterTypes, t) {
		return validation("1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [%s]", t, strings.Join(parameterTypes, ", "))
	}
	return nil
}

func putParameter(c *api.Call) (map[string]any, error) {
	in := c.In
	if err := checkPutParameter(in); err != nil {
		return nil, err
	}
	p, err := c.Engine.PutParameter(engine.ParameterInput{
		Name: in.String("Name"), Type: in.String("Type"), Value: in.String("Value"), KeyID: in.String("KeyId"),
		Description: in.String("Description"), AllowedPattern: in.String("AllowedPattern"), Tier: in.String("Tier"),
		DataType: in.String("DataType"), Overwrite: in.Bool("Overwrite"), Tags: api.KeyValues(in.Structs("Tags"), "Key", "Value"),
		User: sts.CallerARN(c),
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Version": p.Version, "Tier": p.Tier}, nil
}

func deleteParameter(c *api.Call) (map[string]any, error) {
	_, invalid, err := c.Engine.DeleteParameters([]string{c.In.String("Name")})
	if err != nil {
		return nil, err
	}
	if len(invalid) > 0 {
		return nil, apierr.New("ParameterNotFound", "")
	}
	return map[string]any{}, nil
}

func deleteParameters(c *api.Call) (map[string]any, error) {
	deleted, invalid, err := c.Engine.DeleteParameters(c.In.Strings("Names"))
	if err != nil {
		return nil, err
	}
	if deleted == nil {
		deleted = []string{}
	}
	if invalid == nil {
		invalid = []string{}
	}
	return map[string]any{"DeletedParameters": deleted, "InvalidParameters": invalid}, nil
}

func labelParameterVersion(c *api.Call) (map[string]any, error) {
	invalid, ver, err := c.Engine.LabelParameterVersion(c.In.String("Name"), c.In.Int("ParameterVersion"), c.In.Strings("Labels"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"InvalidLabels": labels(invalid), "ParameterVersion": ver}, nil
}

// badPathText is AWS's answer to a path that breaks Parameter Store's
// path rules (GetParametersByPath's Path, a Path filter's values).
const badPathText = "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\". It can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_."

// filterPathRE is the form of a path a Path filter names: "/" or slash
// separated sub-paths of letters, digits, ".", "-" and "_".
var filterPathRE = regexp.MustCompile(`^/(?:[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*/?)?$`)

// filter is one ParameterFilters (or legacy Filters) entry.
type filter struct {
	key, option string
	values      []string
}

type filterSet []filter

var filterKeys = []string{"Name", "Type", "KeyId", "Path", "Tier", "DataType", "Label"}

// filtersIn reads ParameterFilters (and DescribeParameters' legacy
// Filters); byPath is true for GetParametersByPath, which takes neither
// Name nor Path filters.
func filtersIn(in awsproto.Params, byPath bool) (filterSet, error) {
	var out filterSet
	if in.Has("Filters") && in.Has("ParameterFilters") {
		return nil, validation("You can use either Filters or ParameterFilters in a single request.")
	}
	seen := map[string]bool{}
	for _, f := range in.Structs("Filters") {
		out = append(out, filter{key: f.String("Key"), option: "Equals", values: f.Strings("Values")})
	}
	for _, f := range in.Structs("ParameterFilters") {
		k, opt := f.String("Key"), f.String("Option")
		if !strings.HasPrefix(k, "tag:") && !slices.Contains(filterKeys, k) {
			return nil, apierr.Newf("InvalidFilterKey", "The following filter key is not valid: %s. Valid filter keys include: [Path, Name, Type, KeyId, Tier, DataType, Label].", k)
		}
		if byPath && (k == "Name" || k == "Path") {
			return nil, apierr.Newf("InvalidFilterKey", "The following filter key is not valid: %s. Valid filter keys include: [Type, KeyId].", k)
		}
		if opt == "" {
			opt = "Equals"
			if k == "Path" {
				opt = "OneLevel"
			}
		}
		valid := map[string][]string{"Name": {"Equals", "BeginsWith", "Contains"}, "Path": {"Recursive", "OneLevel"},
			"Type": {"Equals", "BeginsWith"}, "KeyId": {"Equals", "BeginsWith"}, "Tier": {"Equals", "BeginsWith"},
			"DataType": {"Equals"}, "Label": {"Equals", "BeginsWith"}}
		if opts, ok := valid[k]; ok && !slices.Contains(opts, opt) || strings.HasPrefix(k, "tag:") && opt != "Equals" && opt != "BeginsWith" {
			return nil, apierr.Newf("InvalidFilterOption", "The filter option %q is not valid. Valid options are %v.", opt, valid[k])
		}
		values := f.Strings("Values")
		if seen[k] {
			return nil, validation("The following filter is duplicated in the request: %s. A request can contain only one occurrence of a specific filter.", k)
		}
		seen[k] = true
		if len(values) == 0 && !strings.HasPrefix(k, "tag:") {
			return nil, validation("The following filter values are missing : null for filter key %s", k)
		}
		if err := checkFilterValues(k, values); err != nil {
			return nil, err
		}
		out = append(out, filter{key: k, option: opt, values: values})
	}
	return out, nil
}

// checkFilterValues checks a ParameterFilters entry's values as AWS does:
// Type and Tier take their enums, Path takes paths (not under the
// reserved /aws or /ssm).
func checkFilterValues(key string, values []string) error {
	enum := map[string][]string{"Type": {"String", "StringList", "SecureString"}, "Tier": {"Standard", "Advanced", "Intelligent-Tiering"}}
	for _, v := range values {
		if allowed, ok := enum[key]; ok && !slices.Contains(allowed, v) {
			return apierr.Newf("InvalidFilterValue", "The following filter value is not valid: %s. Valid values include: [%s]", v, strings.Join(allowed, ", "))
		}
		if key != "Path" {
			continue
		}
		lower := strings.ToLower(v)
		if strings.HasPrefix(lower, "/aws") || strings.HasPrefix(lower, "/ssm") {
			return validation(`Filters for common parameters can't be prefixed with "aws" or "ssm" (case-insensitive).`)
		}
		if !filterPathRE.MatchString(v) {
			return validation(badPathText)
		}
	}
	return nil
}

func (fs filterSet) match(p *model.Parameter) bool {
	for _, f := range fs {
		if !f.match(p) {
			return false
		}
	}
	return true
}

func (f filter) match(p *model.Parameter) bool {
	var have []string
	switch {
	case f.key == "Name":
		have = []string{p.Name}
	case f.key == "Type":
		have = []string{p.Type}
	case f.key == "KeyId":
		have = []string{p.KeyID}
	case f.key == "Tier":
		have = []string{p.Tier}
	case f.key == "DataType":
		have = []string{p.DataType}
	case f.key == "Label":
		have = p.Labels
	case f.key == "Path":
		for _, v := range f.values {
			prefix := strings.TrimSuffix(v, "/") + "/"
			rest, ok := strings.CutPrefix(engine.ParameterPathName(p.Name), prefix)
			if ok && (f.option == "Recursive" || !strings.Contains(rest, "/")) {
				return true
			}
		}
		return false
	case strings.HasPrefix(f.key, "tag:"):
		v, ok := p.Tags[strings.TrimPrefix(f.key, "tag:")]
		if !ok {
			return false
		}
		if len(f.values) == 0 {
			return true
		}
		have = []string{v}
	}
	for _, h := range have {
		for _, v := range f.values {
			switch f.option {
			case "Equals":
				if h == v || f.key == "Name" && strings.TrimPrefix(h, "/") == strings.TrimPrefix(v, "/") {
					return true
				}
			case "BeginsWith":
				if strings.HasPrefix(h, v) || f.key == "Name" && strings.HasPrefix(strings.TrimPrefix(h, "/"), strings.TrimPrefix(v, "/")) {
					return true
				}
			case "Contains":
				if strings.Contains(h, v) {
					return true
				}
			}
		}
	}
	return false
}

func describeParameters(c *api.Call) (map[string]any, error) {
	filters, err := filtersIn(c.In, false)
	if err != nil {
		return nil, err
	}
	var items []*model.Parameter
	c.Engine.Read(func(st *model.State) {
		for _, p := range st.Parameters {
			if filters.match(p) {
				items = append(items, p)
			}
		}
	})
	page, next, err := pageOf(c, items, paramName, 10, 50)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(page))
	for i, p := range page {
		out[i] = metadataOut(c, p)
	}
	return map[string]any{"Parameters": out, "NextToken": next}, nil
}

// parameterResource checks a tagging request's resource: ecsnet tags
// parameters only.
func parameterResource(c *api.Call) (string, error) {
	typ, id := c.In.String("ResourceType"), c.In.String("ResourceId")
	if typ != "Parameter" {
		return "", apierr.Newf("InvalidResourceType", "ecsnet tags Parameter resources only, not %s.", typ)
	}
	return id, nil
}

func addTags(c *api.Call) (map[string]any, error) {
	id, err := parameterResource(c)
	if err != nil {
		return nil, err
	}
	if err := c.Engine.TagParameter(id, api.KeyValues(c.In.Structs("Tags"), "Key", "Value"), nil); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func removeTags(c *api.Call) (map[string]any, error) {
	id, err := parameterResource(c)
	if err != nil {
		return nil, err
	}
	if err := c.Engine.TagParameter(id, nil, c.In.Strings("TagKeys")); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func listTags(c *api.Call) (map[string]any, error) {
	id, err := parameterResource(c)
	if err != nil {
		return nil, err
	}
	var p *model.Parameter
	c.Engine.Read(func(st *model.State) { p = st.Parameters[id] })
	if p == nil {
		return nil, apierr.New("InvalidResourceId", "The resource ID \""+id+"\" is not valid. Verify the ID and try again.")
	}
	return map[string]any{"TagList": api.TagList(p.Tags, "Key", "Value")}, nil
}
