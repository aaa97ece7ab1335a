// Package sts serves the AWS Security Token Service (AWS Query) as far as
// tools need it against an emulator: GetCallerIdentity, which the aws CLI,
// Terraform's provider and the CDK call first, AssumeRole and
// GetSessionToken, whose temporary credentials then work against ecsnet like
// any others, and GetAccessKeyInfo.
//
// ecsnet accepts any credentials and keeps no sessions: the identity of
// temporary credentials travels inside their session token, so
// GetCallerIdentity answers with the assumed role for as long as a client
// signs with them, across restarts.
package sts

import (
	"bytes"
	"compress/flate"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the STS handlers to r.
func Register(r *api.Registry) {
	r.Add("sts", "GetCallerIdentity", getCallerIdentity)
	r.Add("sts", "AssumeRole", assumeRole)
	r.Add("sts", "AssumeRoleWithWebIdentity", assumeRoleWithWebIdentity)
	r.Add("sts", "AssumeRoleWithSAML", assumeRoleWithSAML)
	r.Add("sts", "GetSessionToken", getSessionToken)
	r.Add("sts", "GetFederationToken", getFederationToken)
	r.Add("sts", "GetAccessKeyInfo", getAccessKeyInfo)
}

// tokenPrefix marks the session tokens ecsnet issues.
const tokenPrefix = "ecsnet-sts-"

// identity is who a set of credentials belongs to.
type identity struct {
	Arn     string `json:"arn"`
	UserID  string `json:"userId"`
	Account string `json:"account"`
	// Session is true for credentials from GetSessionToken or AssumeRole.
	Session bool `json:"session,omitempty"`
	// Transitive holds the session's transitive session tags, passed on to
	// the sessions of roles it assumes (role chaining).
	Transitive map[string]string `json:"transitive,omitempty"`
}

// caller returns the identity of the request's credentials: the one its
// session token carries, else the IAM user whose access key signed the
// request, else the account's root user (ecsnet accepts any other
// long-term access key as the root user's).
func caller(c *api.Call) identity {
	if tok, ok := strings.CutPrefix(c.SecurityToken, tokenPrefix); ok {
		if raw, err := base64.RawURLEncoding.DecodeString(tok); err == nil {
			var id identity
			if json.Unmarshal(raw, &id) == nil && id.Arn != "" {
				return id
			}
		}
	}
	return identity{Arn: "arn:" + model.Partition(c.Region) + ":iam::" + c.Account + ":root", UserID: c.Account, Account: c.Account}
}

// userOfKey returns the IAM user whose access key signed the request, as
// GetCallerIdentity answers it (the user's ARN and AIDA… id).
func userOfKey(c *api.Call) (identity, bool) {
	if c.AccessKeyID == "" || c.SecurityToken != "" {
		return identity{}, false
	}
	iam, err := c.IAM()
	if err != nil {
		return identity{}, false
	}
	var id identity
	found := false
	iam.Read(func(st *model.State) {
		for _, u := range st.IAMUsers {
			for _, k := range u.AccessKeys {
				if k.ID == c.AccessKeyID {
					id, found = identity{Arn: iam.UserARN(u), UserID: u.ID, Account: c.Account}, true
					return
				}
			}
		}
	})
	return id, found
}

// CallerARN returns the ARN of the request's caller: the root user, or the
// assumed role of temporary credentials ecsnet issued. It reads no state:
// callers use it inside their engine's transactions (an IAM user's key is
// named as the account's root here; GetCallerIdentity names the user).
func CallerARN(c *api.Call) string { return caller(c).Arn }

func getCallerIdentity(c *api.Call) (map[string]any, error) {
	id := caller(c)
	if u, ok := userOfKey(c); ok {
		id = u
	}
	return map[string]any{"UserId": id.UserID, "Account": id.Account, "Arn": id.Arn}, nil
}

func getAccessKeyInfo(c *api.Call) (map[string]any, error) {
	return map[string]any{"Account": c.Account}, nil
}

var (
	roleArnRE     = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):role/(?:[\x21-\x7e]*/)?([\w+=,.@-]{1,64})$`)
	sessionNameRE = regexp.MustCompile(`^[\w+=,.@-]*$`)
)

func assumeRole(c *api.Call) (map[string]any, error) {
	out, _, err := assume(c)
	if err != nil {
		return nil, err
	}
	out["SourceIdentity"] = api.Str(c.In.String("SourceIdentity"))
	return out, nil
}

// assumeRoleWithWebIdentity is AssumeRole for an OIDC token (GitHub
// Actions, EKS service accounts): ecsnet does not verify the token.
func assumeRoleWithWebIdentity(c *api.Call) (map[string]any, error) {
	out, _, err := assume(c)
	if err != nil {
		return nil, err
	}
	out["SubjectFromWebIdentityToken"] = "ecsnet"
	out["Provider"] = api.Str(c.In.String("ProviderId"))
	out["Audience"] = "sts.amazonaws.com"
	return out, nil
}

// checkSessionName validates a session or federated user name, member
// of the request: 2 to max characters of sessionNameRE.
func checkSessionName(member, name string, max int) error {
	switch {
	case len(name) > max:
		return validation(member, name, "Member must have length less than or equal to "+itoa(int64(max)))
	case len(name) < 2:
		return validation(member, name, "Member must have length greater than or equal to 2")
	case !sessionNameRE.MatchString(name):
		return validation(member, name, `Member must satisfy regular expression pattern: [\w+=,.@-]*`)
	}
	return nil
}

// assume issues the credentials of an assumed role (AssumeRole and its
// web-identity form).
func assume(c *api.Call) (map[string]any, identity, error) {
	session := c.In.String("RoleSessionName")
	if err := checkSessionName("roleSessionName", session, 64); err != nil {
		return nil, identity{}, err
	}
	return assumeAs(c, c.In.String("RoleArn"), session)
}

// assumeAs issues the credentials of the role roleArn names for the
// session named session (already checked by the caller).
func assumeAs(c *api.Call, roleArn, session string) (map[string]any, identity, error) {
	m := roleArnRE.FindStringSubmatch(roleArn)
	if m == nil {
		return nil, identity{}, apierr.Newf("ValidationError", "%s is invalid", roleArn)
	}
	account, role := m[1], m[2]
	dur := c.In.IntOr("DurationSeconds", 3600)
	if dur < 900 || dur > 43200 {
		return nil, identity{}, validation("durationSeconds", itoa(dur), "Member must have value less than or equal to 43200")
	}
	transitive, err := sessionTags(c)
	if err != nil {
		return nil, identity{}, err
	}
	packed, err := packedPolicySize(c)
	if err != nil {
		return nil, identity{}, err
	}
	id := identity{
		Arn:        "arn:" + model.Partition(c.Region) + ":sts::" + account + ":assumed-role/" + role + "/" + session,
		UserID:     roleID(c, account, role, roleArn) + ":" + session,
		Account:    account,
		Session:    true,
		Transitive: transitive,
	}
	creds, err := credentials(c, id, time.Duration(dur)*time.Second)
	if err != nil {
		return nil, identity{}, err
	}
	out := map[string]any{
		"Credentials":     creds,
		"AssumedRoleUser": map[string]any{"AssumedRoleId": id.UserID, "Arn": id.Arn},
	}
	// PackedPolicySize answers only for a request with session policies or
	// tags (LocalStack's test_sts recorded none without).
	if c.In.Has("Policy") || c.In.Has("PolicyArns") || c.In.Has("Tags") {
		out["PackedPolicySize"] = packed
	}
	return out, id, nil
}

// roleID is the unique id (AROA…) of the role an AssumeRole names: the IAM
// role's own when the account has it, else one derived from its ARN.
func roleID(c *api.Call, account, name, arn string) string {
	if account == c.Account {
		if iam, err := c.IAM(); err == nil {
			id := ""
			iam.Read(func(st *model.State) {
				if r := st.Roles[name]; r != nil {
					id = r.ID
				}
			})
			if id != "" {
				return id
			}
		}
	}
	sum := sha256.Sum256([]byte(arn))
	return "AROA" + upperID(sum[:], 17)
}

// sessionTags checks an AssumeRole's session tags (Tags, TransitiveTagKeys)
// against each other and the caller's transitive tags, and returns the new
// session's transitive tags: the caller's and those the request names. Tag
// keys compare case-insensitively.
func sessionTags(c *api.Call) (map[string]string, error) {
	invalid := func(msg string) error { return apierr.New("InvalidParameterValue", msg) }
	tags := map[string]string{} // lower-case key -> the key as given
	values := map[string]string{}
	for _, t := range c.In.Structs("Tags") {
		k := t.String("Key")
		lk := strings.ToLower(k)
		if _, dup := tags[lk]; dup {
			return nil, invalid("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		tags[lk], values[lk] = k, t.String("Value")
	}
	out := map[string]string{}
	for k, v := range caller(c).Transitive {
		if _, clash := tags[strings.ToLower(k)]; clash {
			return nil, invalid("One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.")
		}
		out[k] = v
	}
	for _, k := range c.In.Strings("TransitiveTagKeys") {
		lk := strings.ToLower(k)
		if _, ok := tags[lk]; !ok {
			return nil, invalid("The specified transitive tag key must be included in the requested tags.")
		}
		out[tags[lk]] = values[lk]
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func getSessionToken(c *api.Call) (map[string]any, error) {
	id := caller(c)
	if id.Session {
		return nil, &apierr.Error{Code: "AccessDenied", HTTPStatus: 403, Message: "Cannot call GetSessionToken with session credentials"}
	}
	dur := c.In.IntOr("DurationSeconds", 43200)
	if dur < 900 || dur > 129600 {
		return nil, validation("durationSeconds", itoa(dur), "Member must have value less than or equal to 129600")
	}
	id.Session = true
	creds, err := credentials(c, id, time.Duration(dur)*time.Second)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Credentials": creds}, nil
}

// getFederationToken issues the credentials of a federated user named by
// the request, in the caller's account: GetCallerIdentity then answers
// arn:aws:sts::ACCOUNT:federated-user/NAME with user id ACCOUNT:NAME.
// Like GetSessionToken it needs long-term credentials. PackedPolicySize
// is packedPolicySize's (AWS answers 0 without a session policy, as
// LocalStack's test_sts recorded).
func getFederationToken(c *api.Call) (map[string]any, error) {
	id := caller(c)
	if id.Session {
		return nil, &apierr.Error{Code: "AccessDenied", HTTPStatus: 403, Message: "Cannot call GetFederationToken with session credentials"}
	}
	name := c.In.String("Name")
	if err := checkSessionName("name", name, 32); err != nil {
		return nil, err
	}
	dur := c.In.IntOr("DurationSeconds", 43200)
	if dur < 900 || dur > 129600 {
		return nil, validation("durationSeconds", itoa(dur), "Member must have value less than or equal to 129600")
	}
	if _, err := sessionTags(c); err != nil {
		return nil, err
	}
	packed, err := packedPolicySize(c)
	if err != nil {
		return nil, err
	}
	fed := identity{
		Arn:     "arn:" + model.Partition(c.Region) + ":sts::" + id.Account + ":federated-user/" + name,
		UserID:  id.Account + ":" + name,
		Account: id.Account,
		Session: true,
	}
	creds, err := credentials(c, fed, time.Duration(dur)*time.Second)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"Credentials":      creds,
		"FederatedUser":    map[string]any{"FederatedUserId": fed.UserID, "Arn": fed.Arn},
		"PackedPolicySize": packed,
	}, nil
}

// packedBudget is the space, in compressed bytes, of a session's packed
// policies and tags [choice]: a small session policy (about 90 characters)
// then packs to 16%, as AWS answered for one (LocalStack's test_sts
// test_assume_role_with_policy recording), and the longest policy of
// ordinary IAM text (2,048 characters, which compresses about threefold)
// fits.
const packedBudget = 560

// maxSessionPolicy is the most characters of an inline session policy
// (AssumeRole*, GetFederationToken's Policy).
const maxSessionPolicy = 2048

// packedPolicySize is the PackedPolicySize of a request: AWS compresses
// the session policy, the managed policy ARNs and the session tags into a
// packed binary form with a limit of its own and answers how full it is,
// in percent. ecsnet deflates the policy (without its white space), the
// ARNs and the tags' keys and values together and measures them against
// packedBudget; 0 when the request has none. Over 100% the request fails
// PackedPolicyTooLarge, worded for the session tags when they alone fill
// the space, else for the packed policy.
func packedPolicySize(c *api.Call) (int64, error) {
	var doc, tags bytes.Buffer
	if p := c.In.String("Policy"); p != "" {
		// The plaintext session policy is at most 2,048 characters
		// (sessionPolicyDocumentType), checked before it is packed.
		if n := utf8.RuneCountInString(p); n > maxSessionPolicy {
			return 0, validation("policy", p, "Member must have length less than or equal to "+itoa(maxSessionPolicy))
		}
		if json.Compact(&doc, []byte(p)) != nil {
			doc.Reset()
			doc.WriteString(p)
		}
	}
	for _, a := range c.In.Structs("PolicyArns") {
		doc.WriteString("\n" + a.String("arn"))
	}
	for _, t := range c.In.Structs("Tags") {
		tags.WriteString("\n" + t.String("Key") + "=" + t.String("Value"))
	}
	if doc.Len()+tags.Len() == 0 {
		return 0, nil
	}
	percent := func(parts ...[]byte) int64 {
		var out bytes.Buffer
		w, err := flate.NewWriter(&out, flate.BestCompression)
		if err != nil {
			return 0
		}
		for _, p := range parts {
			w.Write(p) //nolint:errcheck // a bytes.Buffer does not fail
		}
		w.Close() //nolint:errcheck // a bytes.Buffer does not fail
		return int64(out.Len()) * 100 / packedBudget
	}
	size := percent(doc.Bytes(), tags.Bytes())
	if size <= 100 {
		return size, nil
	}
	if t := percent(tags.Bytes()); tags.Len() > 0 && t > 100 {
		return 0, apierr.Newf("PackedPolicyTooLarge", "Packed size of session tags consumes %d%% of allotted space.", t)
	}
	return 0, apierr.Newf("PackedPolicyTooLarge", "Packed policy consumes %d%% of allotted space.", size)
}

// credentials issues temporary credentials for id: an ASIA access key, a
// secret, and a session token that carries id.
func credentials(c *api.Call, id identity, d time.Duration) (map[string]any, error) {
	raw, err := json.Marshal(id)
	if err != nil {
		return nil, apierr.Internal()
	}
	random := make([]byte, 48)
	if _, err := rand.Read(random); err != nil {
		return nil, apierr.Internal()
	}
	return map[string]any{
		"AccessKeyId":     "ASIA" + upperID(random[:16], 16),
		"SecretAccessKey": base64.StdEncoding.EncodeToString(random[16:46])[:40],
		"SessionToken":    tokenPrefix + base64.RawURLEncoding.EncodeToString(raw),
		"Expiration":      c.Engine.Now().Add(d).Truncate(time.Second),
	}, nil
}

// upperID returns n characters of AWS's unique-id alphabet (upper-case
// letters and digits) drawn from b.
func upperID(b []byte, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	out := make([]byte, n)
	for i := range out {
		out[i] = alphabet[int(b[i%len(b)]+byte(i/len(b)))%len(alphabet)]
	}
	return string(out)
}

// validation is AWS's validation-error text for one member.
func validation(member, value, constraint string) error {
	return apierr.Newf("ValidationError", "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s",
		value, member, constraint)
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
