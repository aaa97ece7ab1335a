package terraform

import (
	"bytes"
	"compress/gzip"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"github.com/zclconf/go-cty/cty/gocty"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
)

// moreFunctions adds the rest of Terraform 1.x's built-in functions
// (those go-cty's standard library lacks), with Terraform's error texts:
// base64gzip, base64sha256/512 and their file forms, textencodebase64,
// textdecodebase64, fileset, matchkeys, timecmp, uuidv5, bcrypt,
// rsadecrypt and ephemeralasnull.
func moreFunctions(baseDir string, f map[string]function.Function) {
	f["base64gzip"] = base64GzipFunc
	b64 := base64.StdEncoding.EncodeToString
	f["base64sha256"] = hashFunc(sha256Sum, b64)
	f["base64sha512"] = hashFunc(sha512Sum, b64)
	f["filebase64sha256"] = fileHashFunc(baseDir, sha256Sum, b64)
	f["filebase64sha512"] = fileHashFunc(baseDir, sha512Sum, b64)
	f["textencodebase64"] = textEncodeBase64Func
	f["textdecodebase64"] = textDecodeBase64Func
	f["fileset"] = filesetFunc(baseDir)
	f["matchkeys"] = matchkeysFunc
	f["timecmp"] = timeCmpFunc
	f["uuidv5"] = uuidV5Func
	f["bcrypt"] = bcryptFunc
	f["rsadecrypt"] = rsaDecryptFunc
	// Terraform 1.10: an ephemeral value becomes null; ecsnet has none.
	f["ephemeralasnull"] = identityFunc
}

var base64GzipFunc = strFunc([]string{"str"}, func(a []string) (cty.Value, error) {
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	if _, err := gz.Write([]byte(a[0])); err != nil {
		return cty.NilVal, fmt.Errorf("failed to write gzip raw data: %w", err)
	}
	// Flushed before it is closed, as Terraform's (the same bytes).
	if err := gz.Flush(); err != nil {
		return cty.NilVal, fmt.Errorf("failed to flush gzip writer: %w", err)
	}
	if err := gz.Close(); err != nil {
		return cty.NilVal, fmt.Errorf("failed to close gzip writer: %w", err)
	}
	return cty.StringVal(base64.StdEncoding.EncodeToString(b.Bytes())), nil
}, cty.String)

// ianaEncoding looks up an IANA encoding name or alias, returning the
// encoding and its canonical name (for textencodebase64/textdecodebase64).
func ianaEncoding(name string) (encoding.Encoding, string, error) {
	enc, err := ianaindex.IANA.Encoding(name)
	if err != nil || enc == nil {
		return nil, "", function.NewArgErrorf(1, "%q is not a supported IANA encoding name or alias in this Terraform version", name)
	}
	canon, err := ianaindex.IANA.Name(enc)
	if err != nil {
		canon = name
	}
	return enc, canon, nil
}

var textEncodeBase64Func = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "string", Type: cty.String}, {Name: "encoding", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		enc, canon, err := ianaEncoding(args[1].AsString())
		if err != nil {
			return cty.NilVal, err
		}
		out, err := enc.NewEncoder().Bytes([]byte(args[0].AsString()))
		if err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "the given string contains characters that cannot be represented in %s", canon)
		}
		return cty.StringVal(base64.StdEncoding.EncodeToString(out)), nil
	},
})

var textDecodeBase64Func = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "source", Type: cty.String}, {Name: "encoding", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		enc, canon, err := ianaEncoding(args[1].AsString())
		if err != nil {
			return cty.NilVal, err
		}
		raw, err := base64.StdEncoding.DecodeString(args[0].AsString())
		if err != nil {
			var ce base64.CorruptInputError
			if errors.As(err, &ce) {
				// Terraform's text, "is has" included.
				return cty.NilVal, function.NewArgErrorf(0, "the given value is has an invalid base64 symbol at offset %d", int(ce))
			}
			return cty.NilVal, function.NewArgErrorf(0, "invalid source string: %w", err)
		}
		out, err := enc.NewDecoder().Bytes(raw)
		if err != nil || bytes.ContainsRune(out, '\uFFFD') {
			return cty.NilVal, function.NewArgErrorf(0, "the given string contains symbols that are not defined for %s", canon)
		}
		return cty.StringVal(string(out)), nil
	},
})

// fileset(path, pattern): the regular files under path whose paths
// relative to it match pattern (*, ?, [class], {alt,ernatives} and ** for
// any number of directories), a set of slash-separated paths.
func filesetFunc(baseDir string) function.Function {
	return strFunc([]string{"path", "pattern"}, func(a []string) (cty.Value, error) {
		re, err := globRegexp(a[1])
		if err != nil {
			return cty.NilVal, fmt.Errorf("failed to glob pattern %q: syntax error in pattern", a[1])
		}
		root := resolvePath(baseDir, a[0])
		var out []cty.Value
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			rel, err := filepath.Rel(root, p)
			if err == nil && re.MatchString(filepath.ToSlash(rel)) {
				out = append(out, cty.StringVal(filepath.ToSlash(rel)))
			}
			return nil
		})
		if len(out) == 0 {
			return cty.SetValEmpty(cty.String), nil
		}
		return cty.SetVal(out), nil
	}, cty.Set(cty.String))
}

// globRegexp turns a doublestar pattern into a regular expression; a
// pattern that does not parse (an open class or brace, a trailing escape)
// is an error.
func globRegexp(pat string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	braces := 0
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		switch c {
		case '*':
			if i+1 < len(pat) && pat[i+1] == '*' {
				i++
				if i+1 < len(pat) && pat[i+1] == '/' {
					i++
					b.WriteString("(?:.*/)?")
				} else {
					b.WriteString(".*")
				}
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		case '[':
			j := strings.IndexByte(pat[i+1:], ']')
			if j < 0 {
				return nil, errors.New("syntax error in pattern")
			}
			class := pat[i+1 : i+1+j]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += j + 1
		case '{':
			braces++
			b.WriteString("(?:")
		case '}':
			if braces == 0 {
				return nil, errors.New("syntax error in pattern")
			}
			braces--
			b.WriteString(")")
		case ',':
			if braces > 0 {
				b.WriteString("|")
			} else {
				b.WriteString(",")
			}
		case '\\':
			if i+1 >= len(pat) {
				return nil, errors.New("syntax error in pattern")
			}
			i++
			b.WriteString(regexp.QuoteMeta(pat[i : i+1]))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	if braces != 0 {
		return nil, errors.New("syntax error in pattern")
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// matchkeys(values, keys, searchset): the values whose keys are in
// searchset, in order.
var matchkeysFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "values", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "keys", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "searchset", Type: cty.List(cty.DynamicPseudoType)},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if ty, _ := convert.UnifyUnsafe([]cty.Type{args[1].Type(), args[2].Type()}); ty == cty.NilType {
			return cty.NilType, errors.New("keys and searchset must be of the same type")
		}
		return args[0].Type(), nil
	},
	Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
		if !args[0].IsWhollyKnown() || !args[1].IsWhollyKnown() || !args[2].IsWhollyKnown() {
			return cty.UnknownVal(ret), nil
		}
		if args[0].LengthInt() != args[1].LengthInt() {
			return cty.NilVal, errors.New("length of keys and values should be equal")
		}
		ty, _ := convert.UnifyUnsafe([]cty.Type{args[1].Type(), args[2].Type()})
		keys, _ := convert.Convert(args[1], ty)
		search, _ := convert.Convert(args[2], ty)
		vals := args[0].AsValueSlice()
		var out []cty.Value
		i := 0
		for it := keys.ElementIterator(); it.Next(); i++ {
			_, k := it.Element()
			for s := search.ElementIterator(); s.Next(); {
				_, v := s.Element()
				if k.Equals(v).True() {
					out = append(out, vals[i])
					break
				}
			}
		}
		if len(out) == 0 {
			return cty.ListValEmpty(ret.ElementType()), nil
		}
		return cty.ListVal(out), nil
	},
})

// timecmp(a, b): -1, 0 or 1 as the RFC 3339 timestamp a is before, at or
// after b. The timestamps are checked by go-cty's timeadd, whose parser
// (and its errors) Terraform's timecmp shares.
var timeCmpFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "timestamp_a", Type: cty.String}, {Name: "timestamp_b", Type: cty.String}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		var ts [2]time.Time
		for i, a := range args {
			n, err := stdlib.TimeAdd(a, cty.StringVal("0s"))
			if err != nil {
				return cty.NilVal, function.NewArgError(i, errors.New(err.Error()))
			}
			if ts[i], err = time.Parse(time.RFC3339, n.AsString()); err != nil {
				return cty.NilVal, function.NewArgError(i, err)
			}
		}
		return cty.NumberIntVal(int64(ts[0].Compare(ts[1]))), nil
	},
})

// uuidv5(namespace, name): the name-based UUID of RFC 4122 section 4.3.
var uuidV5Func = strFunc([]string{"namespace", "name"}, func(a []string) (cty.Value, error) {
	ns, ok := map[string]string{
		"dns":  "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
		"url":  "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
		"oid":  "6ba7b812-9dad-11d1-80b4-00c04fd430c8",
		"x500": "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
	}[a[0]]
	if !ok {
		ns = a[0]
	}
	raw, err := parseUUID(ns)
	if err != nil {
		return cty.NilVal, fmt.Errorf("uuidv5() doesn't support namespace %s (%v)", a[0], err)
	}
	h := sha1.New()
	h.Write(raw)
	h.Write([]byte(a[1]))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	s := hex.EncodeToString(u)
	return cty.StringVal(s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]), nil
}, cty.String)

// parseUUID reads a UUID in the forms github.com/google/uuid accepts
// (plain, urn:uuid:, braced, or 32 hex digits), with its errors.
func parseUUID(s string) ([]byte, error) {
	switch len(s) {
	case 36:
	case 36 + 9:
		if !strings.EqualFold(s[:9], "urn:uuid:") {
			return nil, fmt.Errorf("invalid urn prefix: %q", s[:9])
		}
		s = s[9:]
	case 36 + 2:
		s = s[1 : len(s)-1]
	case 32:
		b, err := hex.DecodeString(s)
		if err != nil {
			return nil, errors.New("invalid UUID format")
		}
		return b, nil
	default:
		return nil, fmt.Errorf("invalid UUID length: %d", len(s))
	}
	if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return nil, errors.New("invalid UUID format")
	}
	b, err := hex.DecodeString(s[:8] + s[9:13] + s[14:18] + s[19:23] + s[24:])
	if err != nil {
		return nil, errors.New("invalid UUID format")
	}
	return b, nil
}

// bcrypt(str, cost): Terraform salts each hash at random, so its result
// differs on every run and nothing can depend on its value; ecsnet gives
// a fixed string of the same shape ($2a$, the cost, 53 characters) after
// checking the cost as Terraform's bcrypt package does.
var bcryptFunc = function.New(&function.Spec{
	Params:   []function.Parameter{{Name: "str", Type: cty.String}},
	VarParam: &function.Parameter{Name: "cost", Type: cty.Number},
	Type:     function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		cost := 10
		if len(args) > 1 {
			if err := gocty.FromCtyValue(args[1], &cost); err != nil {
				return cty.NilVal, err
			}
		}
		if len(args) > 2 {
			return cty.NilVal, errors.New("bcrypt() takes no more than two arguments")
		}
		if cost < 4 || cost > 31 {
			return cty.NilVal, fmt.Errorf("error occured generating password crypto/bcrypt: cost %d is outside allowed range (4,31)", cost)
		}
		sum := base64.RawStdEncoding.EncodeToString(sha512Sum([]byte(args[0].AsString())))
		return cty.StringVal(fmt.Sprintf("$2a$%02d$%s", cost, sum[:53])), nil
	},
})

// rsadecrypt(ciphertext, privatekey): PKCS #1 v1.5, the key in PEM
// (PKCS #1 or PKCS #8).
var rsaDecryptFunc = strFunc([]string{"ciphertext", "privatekey"}, func(a []string) (cty.Value, error) {
	ct, err := base64.StdEncoding.DecodeString(a[0])
	if err != nil {
		return cty.NilVal, function.NewArgErrorf(0, "failed to decode input %q: cipher text must be base64-encoded", a[0])
	}
	blk, _ := pem.Decode([]byte(a[1]))
	if blk == nil {
		return cty.NilVal, function.NewArgErrorf(1, "invalid private key: ssh: no key found")
	}
	var key any
	if key, err = x509.ParsePKCS1PrivateKey(blk.Bytes); err != nil {
		if key, err = x509.ParsePKCS8PrivateKey(blk.Bytes); err != nil {
			return cty.NilVal, function.NewArgErrorf(1, "invalid private key: %s", err)
		}
	}
	rk, ok := key.(*rsa.PrivateKey)
	if !ok {
		return cty.NilVal, function.NewArgErrorf(1, "invalid private key type %t", key)
	}
	out, err := rsa.DecryptPKCS1v15(nil, rk, ct)
	if err != nil {
		return cty.NilVal, fmt.Errorf("failed to decrypt: %s", err)
	}
	return cty.StringVal(string(out)), nil
}, cty.String)

func sha256Sum(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

func sha512Sum(b []byte) []byte { s := sha512.Sum512(b); return s[:] }
