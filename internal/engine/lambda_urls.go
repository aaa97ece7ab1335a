package engine

import (
	"maps"
	"regexp"
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Function URL configurations: a function's (or an alias's) HTTPS
// endpoint https://ID.lambda-url.REGION.on.aws/, state only (nothing
// answers it), as Terraform's aws_lambda_function_url manages them.

// lambdaURLQualifier is the model's FunctionUrlQualifier pattern: an
// alias's name, never a version number.
var lambdaURLQualifier = regexp.MustCompile(`^[0-9a-zA-Z-_]+$`)

// LambdaFunctionURLEndpoint is a URL configuration's endpoint.
func (e *Engine) LambdaFunctionURLEndpoint(u model.LambdaFunctionURL) string {
	return "https://" + u.ID + ".lambda-url." + e.cfg.Region + ".on.aws/"
}

// errLambdaFunctionMissing is the URL operations' 404 for a function (or
// an alias) that does not exist: "Function does not exist"
// (test_lambda_api.snapshot.json, create_function_url_config_*_doesnotexist,
// list_function_notfound).
func errLambdaFunctionMissing() error { return lambdaNotFound("Function does not exist") }

// resolveLambdaURL checks a URL configuration's FunctionName and
// Qualifier: the qualifier an alias's name (ValidationException for a
// version number or $LATEST, as AWS's recording shows). fn is nil when
// the function (or the alias) does not exist.
func (e *Engine) resolveLambdaURL(st *model.State, ref, qualifier string) (*model.LambdaFunction, string, error) {
	name, q, err := e.ResolveLambdaRef(ref, qualifier)
	if err != nil {
		return nil, "", err
	}
	if q != "" && (!lambdaURLQualifier.MatchString(q) || isAllDigits(q) || len(q) > 128) {
		return nil, "", lambdaValidation("qualifier", q, `Member must satisfy regular expression pattern: ((?!^\d+$)^[0-9a-zA-Z-_]+$)`)
	}
	fn := st.LambdaFunctions[name]
	if fn == nil || q != "" && LambdaAliasOf(fn, q) == nil { // an alias that does not exist [probable]
		return nil, q, nil
	}
	return fn, q, nil
}

// LambdaFunctionURL returns the URL configuration of the function (and
// alias) named; one that does not exist, or of a function that does not,
// is "The resource you requested does not exist."
// (test_ops_on_nonexisting_fn[get_function_url_config]).
func (e *Engine) LambdaFunctionURL(st *model.State, ref, qualifier string) (*model.LambdaFunction, string, model.LambdaFunctionURL, error) {
	fn, q, err := e.resolveLambdaURL(st, ref, qualifier)
	if err != nil {
		return nil, "", model.LambdaFunctionURL{}, err
	}
	var u model.LambdaFunctionURL
	ok := false
	if fn != nil {
		u, ok = fn.URLs[q]
	}
	if !ok {
		return nil, "", model.LambdaFunctionURL{}, ErrLambdaNotFound("The resource you requested does not exist.")
	}
	return fn, q, u, nil
}

func checkLambdaURL(u model.LambdaFunctionURL) error {
	switch u.AuthType {
	case "NONE", "AWS_IAM":
	default:
		return lambdaValidation("authType", u.AuthType, "Member must satisfy enum value set: [NONE, AWS_IAM]")
	}
	switch u.InvokeMode {
	case "BUFFERED", "RESPONSE_STREAM":
	default:
		return lambdaValidation("invokeMode", u.InvokeMode, "Member must satisfy enum value set: [BUFFERED, RESPONSE_STREAM]")
	}
	return nil
}

// PutLambdaFunctionURL creates (change nil: u as given) or updates
// (change applied to the existing one) a URL configuration.
func (e *Engine) PutLambdaFunctionURL(ref, qualifier string, u model.LambdaFunctionURL, change func(*model.LambdaFunctionURL)) (*model.LambdaFunction, string, model.LambdaFunctionURL, error) {
	var out model.LambdaFunctionURL
	var fnOut *model.LambdaFunction
	var key string
	err := e.write(func(t *txn) error {
		fn, q, err := e.resolveLambdaURL(t.st, ref, qualifier)
		switch {
		case err != nil:
			return err
		case fn == nil && change != nil:
			return ErrLambdaNotFound("The resource you requested does not exist.") // [probable]
		case fn == nil:
			return errLambdaFunctionMissing()
		}
		old, exists := fn.URLs[q]
		switch {
		case change == nil && exists:
			return lambdaConflict("Failed to create function url config for [functionArn = %s]. Error message:  FunctionUrlConfig exists for this Lambda function", e.LambdaFunctionARN(fn.Name, q)) // [probable]
		case change == nil:
			if u.InvokeMode == "" {
				u.InvokeMode = "BUFFERED"
			}
			h := t.e.ids.Hex(32)
			u.ID, u.Created = h, t.now
		case !exists:
			return ErrLambdaNotFound("The resource you requested does not exist.") // [probable]
		default:
			u = old
			if u.Cors != nil {
				c := *u.Cors
				u.Cors = &c
			}
			change(&u)
		}
		if err := checkLambdaURL(u); err != nil {
			return err
		}
		u.Modified = t.now
		c := cloneLambdaFunction(fn)
		if c.URLs == nil {
			c.URLs = map[string]model.LambdaFunctionURL{}
		}
		c.URLs[q] = u
		put(t, model.KindLambdaFunction, t.st.LambdaFunctions, c.Name, c)
		out, fnOut, key = u, c, q
		return nil
	})
	return fnOut, key, out, err
}

// DeleteLambdaFunctionURL removes a URL configuration.
func (e *Engine) DeleteLambdaFunctionURL(ref, qualifier string) error {
	return e.write(func(t *txn) error {
		fn, q, _, err := e.LambdaFunctionURL(t.st, ref, qualifier)
		if err != nil {
			return err
		}
		c := cloneLambdaFunction(fn)
		delete(c.URLs, q)
		put(t, model.KindLambdaFunction, t.st.LambdaFunctions, c.Name, c)
		return nil
	})
}

// LambdaFunctionURLs lists a function's URL configurations: the
// function's first, then its aliases' by name.
func (e *Engine) LambdaFunctionURLs(st *model.State, ref string) (*model.LambdaFunction, []string, error) {
	name, _, err := e.ResolveLambdaRef(ref, "")
	if err != nil {
		return nil, nil, err
	}
	fn := st.LambdaFunctions[name]
	if fn == nil {
		return nil, nil, errLambdaFunctionMissing()
	}
	return fn, slices.Sorted(maps.Keys(fn.URLs)), nil
}

func cloneLambdaURLs(m map[string]model.LambdaFunctionURL) map[string]model.LambdaFunctionURL {
	return maps.Clone(m) // nil stays nil; Cors pointers are copied on change
}
