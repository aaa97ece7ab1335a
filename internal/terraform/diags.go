package terraform

import (
	"errors"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Errors are every error of a configuration, as `terraform validate` and
// `terraform apply` list their diagnostics: each at its file and line,
// sorted by file and line. Load returns one *Error alone, else Errors;
// errors.As finds the first *Error in them.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is and errors.As see each error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// errorList gathers errors: an Errors is flattened, a plain error kept as
// an *Error without position; duplicates (a for expression repeats its
// error for every element) are dropped.
type errorList struct{ errs Errors }

func (el *errorList) add(err error) {
	if err == nil {
		return
	}
	var es Errors
	if errors.As(err, &es) {
		for _, e := range es {
			el.add(e)
		}
		return
	}
	e, ok := err.(*Error)
	if !ok {
		e = &Error{Msg: err.Error(), Err: err}
	}
	for _, x := range el.errs {
		if x.File == e.File && x.Line == e.Line && x.Address == e.Address && x.Msg == e.Msg {
			return
		}
	}
	el.errs = append(el.errs, e)
}

// err returns the gathered errors sorted by file and line (nil for none,
// the *Error for one).
func (el *errorList) err() error {
	switch len(el.errs) {
	case 0:
		return nil
	case 1:
		return el.errs[0]
	}
	out := append(Errors(nil), el.errs...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// diagError turns HCL diagnostics into errors at their files and lines,
// with Terraform's summary and detail.
func diagError(diags hcl.Diagnostics) error {
	var el errorList
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		e := &Error{Msg: msg}
		if constantCall(d) {
			e.Err = errValidate
		}
		if d.Subject != nil {
			e.File, e.Line = d.Subject.Filename, d.Subject.Start.Line
		}
		el.add(e)
	}
	return el.err()
}

// constantCall reports whether a diagnostic is a function's refusal of
// arguments that refer to nothing but the module's path (file("./x.json")
// of a file that is not there): terraform validate evaluates them as plan
// does, and says the error with the configuration's others.
func constantCall(d *hcl.Diagnostic) bool {
	if d.Expression == nil || (d.Summary != "Invalid function argument" && d.Summary != "Error in function call") {
		return false
	}
	for _, tr := range d.Expression.Variables() {
		if tr.RootName() != "path" {
			return false
		}
	}
	return true
}
