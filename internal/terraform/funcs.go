package terraform

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// functions returns Terraform's built-in functions for a module in dir:
// go-cty's standard library where it matches Terraform's behaviour, and
// the rest (cidrsubnet, file, templatefile, …) implemented here after
// Terraform's documentation. file and templatefile read relative to the
// working directory the way Terraform does: paths are usually built from
// path.module.
func functions(baseDir string) map[string]function.Function {
	f := map[string]function.Function{
		"abs":             stdlib.AbsoluteFunc,
		"alltrue":         allTrueFunc,
		"anytrue":         anyTrueFunc,
		"base64decode":    base64DecodeFunc,
		"base64encode":    base64EncodeFunc,
		"can":             tryfunc.CanFunc,
		"ceil":            stdlib.CeilFunc,
		"chomp":           stdlib.ChompFunc,
		"chunklist":       stdlib.ChunklistFunc,
		"cidrhost":        cidrHostFunc,
		"cidrnetmask":     cidrNetmaskFunc,
		"cidrsubnet":      cidrSubnetFunc,
		"cidrsubnets":     cidrSubnetsFunc,
		"coalesce":        coalesceFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          stdlib.ConcatFunc,
		"contains":        stdlib.ContainsFunc,
		"csvdecode":       stdlib.CSVDecodeFunc,
		"distinct":        stdlib.DistinctFunc,
		"element":         stdlib.ElementFunc,
		"endswith":        endsWithFunc,
		"flatten":         stdlib.FlattenFunc,
		"floor":           stdlib.FloorFunc,
		"format":          stdlib.FormatFunc,
		"formatdate":      stdlib.FormatDateFunc,
		"formatlist":      stdlib.FormatListFunc,
		"indent":          stdlib.IndentFunc,
		"index":           indexFunc,
		"issensitive":     isSensitiveFunc,
		"join":            stdlib.JoinFunc,
		"jsondecode":      stdlib.JSONDecodeFunc,
		"jsonencode":      stdlib.JSONEncodeFunc,
		"keys":            stdlib.KeysFunc,
		"length":          lengthFunc,
		"log":             stdlib.LogFunc,
		"lookup":          lookupFunc,
		"lower":           stdlib.LowerFunc,
		"max":             stdlib.MaxFunc,
		"md5":             hashFunc(func(b []byte) []byte { s := md5.Sum(b); return s[:] }, hex.EncodeToString),
		"merge":           stdlib.MergeFunc,
		"min":             stdlib.MinFunc,
		"nonsensitive":    identityFunc,
		"one":             oneFunc,
		"parseint":        stdlib.ParseIntFunc,
		"pow":             stdlib.PowFunc,
		"range":           stdlib.RangeFunc,
		"regex":           stdlib.RegexFunc,
		"regexall":        stdlib.RegexAllFunc,
		"replace":         replaceFunc,
		"reverse":         stdlib.ReverseListFunc,
		"sensitive":       identityFunc,
		"setintersection": stdlib.SetIntersectionFunc,
		"setproduct":      stdlib.SetProductFunc,
		"setsubtract":     stdlib.SetSubtractFunc,
		"setunion":        stdlib.SetUnionFunc,
		"sha1":            hashFunc(func(b []byte) []byte { s := sha1.Sum(b); return s[:] }, hex.EncodeToString),
		"sha256":          hashFunc(sha256Sum, hex.EncodeToString),
		"sha512":          hashFunc(sha512Sum, hex.EncodeToString),
		"signum":          stdlib.SignumFunc,
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"split":           stdlib.SplitFunc,
		"startswith":      startsWithFunc,
		"strcontains":     strContainsFunc,
		"strrev":          stdlib.ReverseFunc,
		"substr":          stdlib.SubstrFunc,
		"sum":             sumFunc,
		"timeadd":         stdlib.TimeAddFunc,
		"title":           stdlib.TitleFunc,
		"tobool":          stdlib.MakeToFunc(cty.Bool),
		"tolist":          stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":           stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber":        stdlib.MakeToFunc(cty.Number),
		"toset":           stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring":        stdlib.MakeToFunc(cty.String),
		"transpose":       transposeFunc,
		"trim":            stdlib.TrimFunc,
		"trimprefix":      stdlib.TrimPrefixFunc,
		"trimspace":       stdlib.TrimSpaceFunc,
		"trimsuffix":      stdlib.TrimSuffixFunc,
		"try":             tryfunc.TryFunc,
		"upper":           stdlib.UpperFunc,
		"urlencode":       urlEncodeFunc,
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,
		"abspath":         pathFunc(func(p string) string { a, _ := filepath.Abs(p); return filepath.ToSlash(a) }),
		"basename":        pathFunc(filepath.Base),
		"dirname":         pathFunc(filepath.Dir),
		"pathexpand":      pathFunc(func(p string) string { return p }),
		"timestamp":       constFunc(cty.StringVal("2026-01-01T00:00:00Z")),
		"plantimestamp":   constFunc(cty.StringVal("2026-01-01T00:00:00Z")),
		"uuid":            constFunc(cty.StringVal("00000000-0000-4000-8000-000000000000")),
	}
	f["file"] = fileFunc(baseDir, false)
	f["filebase64"] = fileFunc(baseDir, true)
	f["fileexists"] = fileExistsFunc(baseDir)
	f["templatefile"] = templateFileFunc(baseDir, f)
	f["templatestring"] = templateStringFunc(f)
	f["yamldecode"] = yamlDecodeFunc
	f["yamlencode"] = yamlEncodeFunc
	moreFunctions(baseDir, f)
	for name, h := range map[string]func([]byte) []byte{
		"filemd5":    func(b []byte) []byte { s := md5.Sum(b); return s[:] },
		"filesha1":   func(b []byte) []byte { s := sha1.Sum(b); return s[:] },
		"filesha256": sha256Sum,
		"filesha512": sha512Sum,
	} {
		f[name] = fileHashFunc(baseDir, h, hex.EncodeToString)
	}
	// Terraform 1.8+'s provider-namespaced spelling of the same functions.
	for _, name := range []string{"cidrsubnet", "cidrhost", "cidrnetmask", "cidrsubnets"} {
		f["provider::terraform::"+name] = f[name]
	}
	return f
}

// identityFunc returns its argument (sensitive and nonsensitive: ecsnet
// does not hide values).
var identityFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true}},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl:   func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
})

// lookup(map, key, default): Terraform's, whose default may be null.
var lookupFunc = function.New(&function.Spec{
	Params:   []function.Parameter{{Name: "inputMap", Type: cty.DynamicPseudoType}, {Name: "key", Type: cty.String}},
	VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true},
	Type:     function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if len(args) > 3 {
			return cty.NilVal, fmt.Errorf("lookup() takes two or three arguments, got %d", len(args))
		}
		m, key := args[0], args[1].AsString()
		ty := m.Type()
		switch {
		case ty.IsObjectType():
			if ty.HasAttribute(key) && !m.IsNull() {
				return m.GetAttr(key), nil
			}
			if len(args) < 3 {
				return cty.NilVal, function.NewArgErrorf(0, "the given object has no attribute %q", key)
			}
		case ty.IsMapType():
			if !m.IsNull() && m.IsKnown() && m.HasIndex(cty.StringVal(key)).True() {
				return m.Index(cty.StringVal(key)), nil
			}
		case ty == cty.DynamicPseudoType:
			return cty.DynamicVal, nil
		default:
			// Terraform's texts (lang/funcs/collection.go).
			return cty.NilVal, function.NewArgErrorf(0, "lookup() requires a map as the first argument")
		}
		if len(args) == 3 {
			return args[2], nil
		}
		return cty.NilVal, fmt.Errorf("lookup failed to find '%s'", key)
	},
})

// coalesce: the first argument that is not null nor an empty string
// (Terraform's; go-cty's skips only nulls).
var coalesceFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "vals", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		types := make([]cty.Type, len(args))
		for i, a := range args {
			types[i] = a.Type()
		}
		ty, _ := convert.UnifyUnsafe(types)
		if ty == cty.NilType {
			return cty.NilType, fmt.Errorf("all arguments must have the same type")
		}
		return ty, nil
	},
	Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
		for _, a := range args {
			if !a.IsKnown() {
				return cty.UnknownVal(ret), nil
			}
			if a.IsNull() {
				continue
			}
			v, err := convert.Convert(a, ret)
			if err != nil {
				return cty.NilVal, err
			}
			if v.Type() == cty.String && v.AsString() == "" {
				continue
			}
			return v, nil
		}
		return cty.NilVal, fmt.Errorf("no non-null, non-empty-string arguments")
	},
})

// fileHashFunc hashes a file's contents with h, the sum written by enc
// (hex for filesha256, base64 for filebase64sha256).
func fileHashFunc(baseDir string, h func([]byte) []byte, enc func([]byte) string) function.Function {
	return strFunc([]string{"path"}, func(a []string) (cty.Value, error) {
		b, err := readFile(baseDir, a[0])
		if err != nil {
			return cty.NilVal, err
		}
		return cty.StringVal(enc(h(b))), nil
	}, cty.String)
}

var isSensitiveFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowNull: true}},
	Type:   function.StaticReturnType(cty.Bool),
	Impl:   func([]cty.Value, cty.Type) (cty.Value, error) { return cty.False, nil },
})

func constFunc(v cty.Value) function.Function {
	return function.New(&function.Spec{Type: function.StaticReturnType(v.Type()),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) { return v, nil }})
}

func strFunc(params []string, fn func(args []string) (cty.Value, error), ret cty.Type) function.Function {
	ps := make([]function.Parameter, len(params))
	for i, p := range params {
		ps[i] = function.Parameter{Name: p, Type: cty.String}
	}
	return function.New(&function.Spec{Params: ps, Type: function.StaticReturnType(ret),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			ss := make([]string, len(args))
			for i, a := range args {
				ss[i] = a.AsString()
			}
			return fn(ss)
		}})
}

var startsWithFunc = strFunc([]string{"string", "prefix"}, func(a []string) (cty.Value, error) {
	return cty.BoolVal(strings.HasPrefix(a[0], a[1])), nil
}, cty.Bool)

var endsWithFunc = strFunc([]string{"string", "suffix"}, func(a []string) (cty.Value, error) {
	return cty.BoolVal(strings.HasSuffix(a[0], a[1])), nil
}, cty.Bool)

var strContainsFunc = strFunc([]string{"string", "substr"}, func(a []string) (cty.Value, error) {
	return cty.BoolVal(strings.Contains(a[0], a[1])), nil
}, cty.Bool)

var base64EncodeFunc = strFunc([]string{"str"}, func(a []string) (cty.Value, error) {
	return cty.StringVal(base64.StdEncoding.EncodeToString([]byte(a[0]))), nil
}, cty.String)

var base64DecodeFunc = strFunc([]string{"str"}, func(a []string) (cty.Value, error) {
	b, err := base64.StdEncoding.DecodeString(a[0])
	if err != nil {
		return cty.NilVal, fmt.Errorf("failed to decode base64 data %q", a[0])
	}
	if !utf8.Valid(b) {
		return cty.NilVal, fmt.Errorf("the result of decoding the provided string is not valid UTF-8")
	}
	return cty.StringVal(string(b)), nil
}, cty.String)

var urlEncodeFunc = strFunc([]string{"str"}, func(a []string) (cty.Value, error) {
	var b strings.Builder
	for _, c := range []byte(a[0]) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return cty.StringVal(b.String()), nil
}, cty.String)

func hashFunc(h func([]byte) []byte, enc func([]byte) string) function.Function {
	return strFunc([]string{"str"}, func(a []string) (cty.Value, error) {
		return cty.StringVal(enc(h([]byte(a[0])))), nil
	}, cty.String)
}

func pathFunc(fn func(string) string) function.Function {
	return strFunc([]string{"path"}, func(a []string) (cty.Value, error) { return cty.StringVal(fn(a[0])), nil }, cty.String)
}

// replace: a substring, or a regular expression when it is written /re/.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "substr", Type: cty.String}, {Name: "replace", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		str, sub, rep := args[0].AsString(), args[1].AsString(), args[2].AsString()
		if len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' {
			re, err := regexp.Compile(sub[1 : len(sub)-1])
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(re.ReplaceAllString(str, rep)), nil
		}
		return cty.StringVal(strings.ReplaceAll(str, sub, rep)), nil
	},
})

// length: of a string (in characters), a collection or a structural value.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true, AllowMarked: true}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		switch ty := v.Type(); {
		case ty == cty.DynamicPseudoType:
			// A value of no known type yet (an unknown from a data
			// source): Terraform's length gives an unknown number.
			return cty.UnknownVal(cty.Number).WithMarks(v.Marks()), nil
		case ty == cty.String:
			return stdlib.Strlen(v)
		case ty.IsListType() || ty.IsSetType() || ty.IsMapType() || ty.IsTupleType() || ty.IsObjectType():
			if ty.IsObjectType() {
				return cty.NumberIntVal(int64(len(ty.AttributeTypes()))), nil
			}
			return v.Length(), nil
		}
		return cty.NilVal, fmt.Errorf("argument must be a string, a collection type, or a structural type")
	},
})

// index(list, value): the position of value in list.
var indexFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}, {Name: "value", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		l := args[0]
		if !(l.Type().IsListType() || l.Type().IsTupleType()) {
			return cty.NilVal, fmt.Errorf("argument must be a list or tuple")
		}
		i := 0
		for it := l.ElementIterator(); it.Next(); i++ {
			_, e := it.Element()
			if eq, err := stdlib.Equal(e, args[1]); err == nil && eq.True() {
				return cty.NumberIntVal(int64(i)), nil
			}
		}
		return cty.NilVal, fmt.Errorf("item not found")
	},
})

func boolsFunc(all bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			for it := args[0].ElementIterator(); it.Next(); {
				_, e := it.Element()
				if e.IsNull() {
					if all {
						return cty.False, nil
					}
					continue
				}
				if e.True() != all {
					return cty.BoolVal(!all), nil
				}
			}
			return cty.BoolVal(all), nil
		},
	})
}

var allTrueFunc = boolsFunc(true)
var anyTrueFunc = boolsFunc(false)

var sumFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		ty := args[0].Type()
		if !(ty.IsListType() || ty.IsSetType() || ty.IsTupleType()) {
			return cty.NilVal, fmt.Errorf("argument must be list, set, or tuple. Received %s", ty.FriendlyName())
		}
		if args[0].LengthInt() == 0 {
			return cty.NilVal, fmt.Errorf("cannot sum an empty list")
		}
		total := cty.Zero
		for it := args[0].ElementIterator(); it.Next(); {
			_, e := it.Element()
			n, err := convert.Convert(e, cty.Number)
			if err != nil || n.IsNull() {
				return cty.NilVal, fmt.Errorf("argument must be list, set, or tuple of number values")
			}
			total = total.Add(n)
		}
		return total, nil
	},
})

var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			switch n := len(ty.TupleElementTypes()); n {
			case 0:
				return cty.DynamicPseudoType, nil
			case 1:
				return ty.TupleElementTypes()[0], nil
			}
			return cty.NilType, fmt.Errorf("must be a list, set, or tuple value with either zero or one elements")
		}
		return cty.NilType, fmt.Errorf("must be a list, set, or tuple value with either zero or one elements")
	},
	Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
		v := args[0]
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(ret), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e, nil
		}
		return cty.NilVal, fmt.Errorf("must be a list, set, or tuple value with either zero or one elements")
	},
})

var transposeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "values", Type: cty.Map(cty.List(cty.String))}},
	Type:   function.StaticReturnType(cty.Map(cty.List(cty.String))),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		out := map[string][]cty.Value{}
		for it := args[0].ElementIterator(); it.Next(); {
			k, l := it.Element()
			for it2 := l.ElementIterator(); it2.Next(); {
				_, v := it2.Element()
				out[v.AsString()] = append(out[v.AsString()], k)
			}
		}
		m := map[string]cty.Value{}
		for k, vs := range out {
			m[k] = cty.ListVal(vs)
		}
		if len(m) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		return cty.MapVal(m), nil
	},
})

func resolvePath(baseDir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(baseDir, p)
}

// maxFileSize bounds what file(), templatefile() and the file hashes read.
const maxFileSize = 16 << 20

// readFile reads a regular file of at most maxFileSize bytes, as
// Terraform's file functions read (a device or a directory is an error).
func readFile(baseDir, p string) ([]byte, error) {
	path := resolvePath(baseDir, p)
	st, err := os.Stat(path)
	if os.IsNotExist(err) {
		// Terraform's text, on the path argument (HCL says it as
		// "Invalid function argument: Invalid value for "path"
		// parameter: …").
		return nil, function.NewArgErrorf(0, "no file exists at %q; this function works only with files that are distributed as part of the configuration source code, so if this file will be created by a resource in this configuration you must instead obtain this result from an attribute of that resource", p)
	}
	if err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("no file exists at %s", p)
	}
	if st.Size() > maxFileSize {
		return nil, fmt.Errorf("%s is larger than %d bytes", p, maxFileSize)
	}
	return os.ReadFile(path)
}

func fileFunc(baseDir string, b64 bool) function.Function {
	return strFunc([]string{"path"}, func(a []string) (cty.Value, error) {
		b, err := readFile(baseDir, a[0])
		if err != nil {
			return cty.NilVal, err
		}
		if b64 {
			return cty.StringVal(base64.StdEncoding.EncodeToString(b)), nil
		}
		return cty.StringVal(string(b)), nil
	}, cty.String)
}

func fileExistsFunc(baseDir string) function.Function {
	return strFunc([]string{"path"}, func(a []string) (cty.Value, error) {
		st, err := os.Stat(resolvePath(baseDir, a[0]))
		return cty.BoolVal(err == nil && st.Mode().IsRegular()), nil
	}, cty.Bool)
}

// templatefile renders a file as a template with the given variables and
// the same functions (except templatefile itself, as in Terraform).
func templateFileFunc(baseDir string, funcs map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "vars", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			path := args[0].AsString()
			src, err := readFile(baseDir, path)
			if err != nil {
				return cty.NilVal, err
			}
			expr, diags := hclsyntax.ParseTemplate(src, path, hcl.Pos{Line: 1, Column: 1})
			if diags.HasErrors() {
				return cty.NilVal, diags
			}
			vars := map[string]cty.Value{}
			if v := args[1]; !v.IsNull() && (v.Type().IsObjectType() || v.Type().IsMapType()) {
				for it := v.ElementIterator(); it.Next(); {
					k, e := it.Element()
					vars[k.AsString()] = e
				}
			}
			inner := map[string]function.Function{}
			for k, fn := range funcs {
				if k != "templatefile" {
					inner[k] = fn
				}
			}
			out, diags := expr.Value(&hcl.EvalContext{Variables: vars, Functions: inner})
			if diags.HasErrors() {
				return cty.NilVal, diags
			}
			return out, nil
		},
	})
}
