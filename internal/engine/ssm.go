package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Systems Manager Parameter Store: the account's parameters (state) and
// the public ones under /aws/service/ (ssm_public.go), which AWS publishes in
// every region and which templates read.

// ParameterInput is PutParameter's input.
type ParameterInput struct {
	Name, Type, Value, KeyID, Description, AllowedPattern, Tier, DataType string
	Overwrite                                                             bool
	Tags                                                                  model.Tags
	// User is the caller's ARN (LastModifiedUser).
	User string
}

// maxParameterVersions is how many versions Parameter Store keeps.
const maxParameterVersions = 100

var parameterNameRE = regexp.MustCompile(`^/?[a-zA-Z0-9_.\-/]+$`)

func validation(format string, args ...any) error {
	return apierr.Newf("ValidationException", format, args...)
}

// checkParameterName applies Parameter Store's naming rules.
func checkParameterName(name string) error {
	lower := strings.ToLower(strings.TrimPrefix(name, "/"))
	if strings.HasPrefix(lower, "aws") || strings.HasPrefix(lower, "ssm") {
		return validation(`Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_`)
	}
	if !parameterNameRE.MatchString(name) || strings.Contains(name, "//") {
		return validation("Parameter name must be a fully qualified name.")
	}
	if strings.Contains(name, "/") && !strings.HasPrefix(name, "/") {
		return validation("Parameter name must be a fully qualified name.")
	}
	if strings.Count(name, "/") > 15 {
		return apierr.New("HierarchyLevelLimitExceededException",
			"Parameter name hierarchy levels exceeded the limit of 15 levels")
	}
	return nil
}

// PutParameter creates a parameter, or a new version of one (Overwrite).
func (e *Engine) PutParameter(in ParameterInput) (*model.Parameter, error) {
	if err := checkParameterName(in.Name); err != nil {
		return nil, err
	}
	if in.Tier == "" {
		in.Tier = "Standard"
	}
	if in.Tier == "Intelligent-Tiering" {
		in.Tier = "Standard"
		if len(in.Value) > 4096 {
			in.Tier = "Advanced"
		}
	}
	if in.Tier == "Standard" && len(in.Value) > 4096 {
		return nil, validation("Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html")
	}
	if in.AllowedPattern != "" {
		re, err := regexp.Compile("^(?:" + in.AllowedPattern + ")$")
		if err != nil {
			return nil, validation("Invalid AllowedPattern: %s", in.AllowedPattern)
		}
		if !re.MatchString(in.Value) {
			return nil, apierr.Newf("ParameterPatternMismatchException", "Parameter value, cannot be validated against allowedPattern: %s", in.AllowedPattern)
		}
	}
	switch in.DataType {
	case "":
		in.DataType = "text"
	case "text", "aws:ssm:integration":
	case "aws:ec2:image":
		if !regexp.MustCompile(`^ami-[0-9a-f]{8,17}$`).MatchString(in.Value) {
			return nil, validation("Parameter value %s is not a valid AMI ID format.", in.Value)
		}
	default:
		return nil, validation("The following data type is not supported: %s (Data type names are all lowercase.)", in.DataType)
	}
	if in.Type == "SecureString" && in.KeyID == "" {
		in.KeyID = "alias/aws/ssm"
	}
	if in.Type != "" && in.Type != "SecureString" && in.KeyID != "" {
		return nil, validation("KeyId is required for SecureString type parameter only.")
	}
	var out *model.Parameter
	err := e.write(func(t *txn) error {
		old := t.st.Parameters[in.Name]
		if old != nil && !in.Overwrite {
			return apierr.New("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
		}
		if old == nil && in.Type == "" {
			return validation("A parameter type is required when you create a parameter.")
		}
		if old != nil && len(in.Tags) > 0 {
			return validation("Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.")
		}
		p := &model.Parameter{
			Name: in.Name, Type: in.Type, Value: in.Value, KeyID: in.KeyID, Description: in.Description,
			AllowedPattern: in.AllowedPattern, Tier: in.Tier, DataType: in.DataType, Version: 1,
			LastModified: t.now, LastModifiedUser: in.User, Tags: in.Tags.Clone(),
		}
		if old != nil {
			if p.Type == "" {
				p.Type = old.Type
				if p.Type == "SecureString" && p.KeyID == "" {
					p.KeyID = old.KeyID
				}
			}
			if old.Tier == "Advanced" && p.Tier == "Standard" {
				return validation("This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.")
			}
			if in.Description == "" {
				p.Description = old.Description
			}
			p.Version = old.Version + 1
			p.Tags = old.Tags.Clone()
			p.History = append(slices.Clone(old.History), model.ParameterVersion{
				Version: old.Version, Type: old.Type, Value: old.Value, KeyID: old.KeyID, Description: old.Description,
				AllowedPattern: old.AllowedPattern, Tier: old.Tier, DataType: old.DataType,
				LastModified: old.LastModified, LastModifiedUser: old.LastModifiedUser, Labels: old.Labels,
			})
			if len(p.History) >= maxParameterVersions {
				if len(p.History[0].Labels) > 0 {
					return apierr.Newf("ParameterMaxVersionLimitExceeded",
						"You attempted to create a new version of %s by calling the PutParameter API with the overwrite flag. Version %d, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.",
						in.Name, p.History[0].Version)
				}
				p.History = p.History[1:]
			}
		}
		put(t, model.KindParameter, t.st.Parameters, p.Name, p)
		out = p
		return nil
	})
	return out, err
}

// DeleteParameters deletes parameters; names that do not exist are
// returned as invalid.
func (e *Engine) DeleteParameters(names []string) (deleted, invalid []string, err error) {
	err = e.write(func(t *txn) error {
		deleted, invalid = nil, nil
		for _, n := range names {
			if t.st.Parameters[n] == nil {
				invalid = append(invalid, n)
				continue
			}
			del(t, model.KindParameter, t.st.Parameters, n)
			deleted = append(deleted, n)
		}
		return nil
	})
	return deleted, invalid, err
}

// TagParameter adds and removes tags of a parameter.
func (e *Engine) TagParameter(name string, add model.Tags, remove []string) error {
	return e.write(func(t *txn) error {
		old := t.st.Parameters[name]
		if old == nil {
			return apierr.New("InvalidResourceId", "The resource ID \""+name+"\" is not valid. Verify the ID and try again.")
		}
		p := *old
		p.Tags = old.Tags.Clone()
		if p.Tags == nil {
			p.Tags = model.Tags{}
		}
		for k, v := range add {
			p.Tags[k] = v
		}
		for _, k := range remove {
			delete(p.Tags, k)
		}
		if len(p.Tags) > 50 {
			return apierr.New("TooManyTagsError", "The Tags parameter exceeds the maximum number of tags (50).")
		}
		put(t, model.KindParameter, t.st.Parameters, name, &p)
		return nil
	})
}

var labelRE = regexp.MustCompile(`^[a-zA-Z0-9_.\-]{1,100}$`)

// LabelParameterVersion attaches labels to a version of a parameter (the
// latest when version is 0), moving them from any other version.
func (e *Engine) LabelParameterVersion(name string, version int64, labels []string) (invalid []string, ver int64, err error) {
	err = e.write(func(t *txn) error {
		old := t.st.Parameters[name]
		if old == nil {
			return apierr.New("ParameterNotFound", "")
		}
		ver = version
		if ver == 0 {
			ver = old.Version
		}
		p := *old
		p.History = slices.Clone(old.History)
		target := -1 // index in History, or len(History) for the current version
		if ver == p.Version {
			target = len(p.History)
		}
		for i, h := range p.History {
			if h.Version == ver {
				target = i
			}
		}
		if target < 0 {
			return apierr.Newf("ParameterVersionNotFound", "Systems Manager could not find version %d of %s. Verify the version and try again.", ver, name)
		}
		invalid = nil
		var good []string
		for _, l := range labels {
			lower := strings.ToLower(l)
			if !labelRE.MatchString(l) || strings.HasPrefix(lower, "aws") || strings.HasPrefix(lower, "ssm") || l[0] >= '0' && l[0] <= '9' {
				invalid = append(invalid, l)
				continue
			}
			good = append(good, l)
		}
		strip := func(ls []string) []string {
			return slices.DeleteFunc(slices.Clone(ls), func(l string) bool { return slices.Contains(good, l) })
		}
		for i := range p.History {
			p.History[i].Labels = strip(p.History[i].Labels)
		}
		p.Labels = strip(p.Labels)
		if target == len(p.History) {
			p.Labels = append(p.Labels, good...)
		} else {
			p.History[target].Labels = append(p.History[target].Labels, good...)
		}
		put(t, model.KindParameter, t.st.Parameters, name, &p)
		return nil
	})
	return invalid, ver, err
}

// ParameterVersions returns every version of a parameter, oldest first,
// each as a Parameter.
func ParameterVersions(p *model.Parameter) []*model.Parameter {
	out := make([]*model.Parameter, 0, len(p.History)+1)
	for _, h := range p.History {
		out = append(out, &model.Parameter{Name: p.Name, Type: h.Type, Value: h.Value, KeyID: h.KeyID, Description: h.Description,
			AllowedPattern: h.AllowedPattern, Tier: h.Tier, DataType: h.DataType, Version: h.Version,
			LastModified: h.LastModified, LastModifiedUser: h.LastModifiedUser, Labels: h.Labels})
	}
	return append(out, p)
}

// GetParameter returns a parameter by name, with an optional ":version"
// or ":label" selector, from the account's parameters or the public ones.
// A parameter that does not exist is AWS's ParameterNotFound (empty
// message); a version that does not is ParameterVersionNotFound.
func (e *Engine) GetParameter(st *model.State, name string) (*model.Parameter, error) {
	if rest, ok := parameterARNName(name); ok {
		// By ARN: arn:aws:ssm:REGION:ACCOUNT:parameter/NAME, where NAME is
		// a root-level name or a path without its first slash.
		name = "/" + rest
		if st.Parameters[name] == nil && !strings.Contains(rest, "/") {
			name = rest
		}
	}
	base, sel, hasSel := strings.Cut(name, ":")
	if strings.Contains(base, "//") || (strings.Contains(base, "/") && !strings.HasPrefix(base, "/")) {
		return nil, validation(`Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_`)
	}
	p := st.Parameters[base]
	if p == nil && strings.Count(base, "/") <= 1 {
		// A root-level name is the same parameter with or without its
		// leading slash; the answer names it as asked.
		other := "/" + base
		if strings.HasPrefix(base, "/") {
			other = base[1:]
		}
		if q := st.Parameters[other]; q != nil {
			cp := *q
			cp.Name = base
			p = &cp
		}
	}
	if p == nil {
		p = PublicParameter(e.cfg.Region, base)
	}
	if p == nil {
		return nil, apierr.New("ParameterNotFound", "")
	}
	if !hasSel {
		return p, nil
	}
	if v, err := strconv.ParseInt(sel, 10, 64); err == nil {
		for _, pv := range ParameterVersions(p) {
			if pv.Version == v {
				return pv, nil
			}
		}
		return nil, apierr.Newf("ParameterVersionNotFound", "Systems Manager could not find version %d of %s. Verify the version and try again.", v, base)
	}
	for _, pv := range ParameterVersions(p) {
		if slices.Contains(pv.Labels, sel) {
			return pv, nil
		}
	}
	return nil, apierr.Newf("ParameterVersionLabelNotFound", "Systems Manager could not find label %s of %s. Verify the label and try again.", sel, base)
}

// parameterARNName returns the part of a parameter ARN after "parameter/".
func parameterARNName(s string) (string, bool) {
	if !strings.HasPrefix(s, "arn:") {
		return "", false
	}
	f := strings.SplitN(s, ":", 6)
	if len(f) < 6 || f[2] != "ssm" {
		return "", false
	}
	return strings.CutPrefix(f[5], "parameter/")
}

// ParameterPathName is a parameter's name as a path: a root-level name
// written without its leading slash (`foo`) is at the root, as `/foo`
// is, so GetParametersByPath of `/` (and the Path filter) finds it; the
// parameter keeps its name as written.
func ParameterPathName(name string) string {
	if strings.HasPrefix(name, "/") {
		return name
	}
	return "/" + name
}

// ParametersUnder returns the account's and the public parameters under a
// path ("/a/b": its direct children, or every descendant when recursive),
// sorted by name.
func (e *Engine) ParametersUnder(st *model.State, path string, recursive bool) []*model.Parameter {
	prefix := strings.TrimSuffix(path, "/") + "/"
	var out []*model.Parameter
	match := func(name string) bool {
		rest, ok := strings.CutPrefix(ParameterPathName(name), prefix)
		return ok && rest != "" && (recursive || !strings.Contains(rest, "/"))
	}
	for name, p := range st.Parameters {
		if match(name) {
			out = append(out, p)
		}
	}
	if strings.HasPrefix(prefix, "/aws/") {
		for _, p := range PublicParameters(e.cfg.Region) {
			if match(p.Name) {
				out = append(out, p)
			}
		}
	}
	slices.SortFunc(out, func(a, b *model.Parameter) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// fakeAMI returns ecsnet's stand-in AMI id for an image in a region: "ami-"
// and 17 hex digits derived from both, so it is stable and differs per
// region as AWS's ids do.
func fakeAMI(region, image string) string {
	sum := sha256.Sum256([]byte("ecsnet-ami|" + region + "|" + image))
	return "ami-0" + hex.EncodeToString(sum[:])[:16]
}

// ParameterARN returns a parameter's ARN; public parameters have no
// account.
func ParameterARN(region, account, name string) string {
	if strings.HasPrefix(name, "/aws/") {
		account = ""
	}
	return fmt.Sprintf("arn:%s:ssm:%s:%s:parameter/%s", model.Partition(region), region, account, strings.TrimPrefix(name, "/"))
}

// secretsManagerPrefix starts the Parameter Store names that reference a
// Secrets Manager secret.
const secretsManagerPrefix = "/aws/reference/secretsmanager/"

// SecretReference is what Parameter Store answers for a name that
// references a Secrets Manager secret: the secret and its version.
type SecretReference struct {
	// Name is the reference without its selector; Selector the
	// ":VERSION-OR-LABEL" given, if any.
	Name, Selector string
	Secret         *model.Secret
	Version        *model.SecretVersion
}

// SecretsManagerReference resolves a GetParameter name that references a
// Secrets Manager secret (/aws/reference/secretsmanager/ID[:SELECTOR]): the
// secret's AWSCURRENT version, or the version the selector names by id or
// staging label. A selector that is not one version id or staging label is
// a ValidationException, a reference read without WithDecryption another,
// and a secret (or version) that does not exist, or is scheduled for
// deletion, ParameterNotFound naming the reference without its first
// slash, "null" standing for an absent selector. It returns nil, nil for
// any other name.
func SecretsManagerReference(st *model.State, name string, withDecryption bool) (*SecretReference, error) {
	id, found := strings.CutPrefix(name, secretsManagerPrefix)
	if !found {
		return nil, nil
	}
	id, sel, has := strings.Cut(id, ":")
	if has && (sel == "" || strings.Contains(sel, ":")) {
		return nil, validation("Invalid parameter name. Please use correct syntax for referencing a version/label  <name>:<version/label>")
	}
	if !withDecryption {
		return nil, validation("WithDecryption flag must be True for retrieving a Secret Manager secret.")
	}
	ref := &SecretReference{Name: secretsManagerPrefix + id}
	if has {
		ref.Selector = ":" + sel
	}
	if s := st.SecretByID(id); s != nil && s.Deleted.IsZero() {
		v := s.Versions[sel]
		if v == nil {
			label := sel
			if label == "" {
				label = "AWSCURRENT"
			}
			v = s.VersionWithStage(label)
		}
		if v != nil {
			ref.Secret, ref.Version = s, v
			return ref, nil
		}
	}
	missing := name[1:]
	if !has {
		missing += "null"
	}
	return nil, apierr.Newf("ParameterNotFound", "An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret %s not found.", missing)
}
