package cli

import (
	"errors"
	"io"
	"regexp"
	"strings"
)

// The analyzer names an Auto Scaling group's instance that has no Name tag
// GROUP/N. A Terraform aws_autoscaling_group without a name gets the
// provider's generated one (terraform-20260101000000000000000002, or a
// name_prefix and the same 26 characters), which says nothing to whoever
// wrote the configuration: the human outputs name such an instance by the
// group's address (aws_autoscaling_group.app/0), which --from and --to
// take too. The generated name stays where AWS shows it (the group's own
// name, its ARN, a fix's aws CLI command) and in the JSON documents.

// generatedName is the suffix of a name Terraform's provider generates:
// the time to a ten-thousandth of a second (18 digits) and a counter (8
// hexadecimal digits), id.PrefixedUniqueId of terraform-plugin-sdk.
var generatedName = regexp.MustCompile(`[0-9]{18}[0-9a-f]{8}$`)

// labels returns the replacer of the source's generated group names in
// instance labels ("GROUP/" becomes "ADDRESS/"), or nil when it has none.
func (s *source) labels() *strings.Replacer {
	if s == nil || s.Terraform == nil {
		return nil
	}
	var pairs []string
	for _, r := range s.Terraform.Resources {
		if r.Type != "aws_autoscaling_group" || !generatedName.MatchString(r.ID) {
			continue
		}
		pairs = append(pairs, r.ID+"/", r.Address+"/")
	}
	if len(pairs) == 0 {
		return nil
	}
	return strings.NewReplacer(pairs...)
}

// relabeledIO is stdio whose Out writes the source's labels (stdio itself
// when the source has none): for text outputs, never JSON.
func (s *source) relabeledIO(stdio IO) IO {
	if r := s.labels(); r != nil {
		stdio.Out = relabelWriter{w: stdio.Out, r: r}
	}
	return stdio
}

// relabelError is err with the source's labels in its words (an unknown
// name's list of the names there are); err itself when it has none.
func (s *source) relabelError(err error) error {
	r := s.labels()
	if r == nil || err == nil {
		return err
	}
	if msg := r.Replace(err.Error()); msg != err.Error() {
		return errors.New(msg)
	}
	return err
}

// relabelWriter replaces labels in what it writes; the commands write a
// line (or a whole label) a call.
type relabelWriter struct {
	w io.Writer
	r *strings.Replacer
}

func (w relabelWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.w, w.r.Replace(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// relabel replaces the source's labels in a report's words (its text,
// SARIF, JUnit and GitHub outputs; JSON keeps the analyzer's names).
func (r *checkReport) relabel() {
	x := r.labels
	if x == nil {
		return
	}
	for i, w := range r.Warnings {
		r.Warnings[i] = x.Replace(w)
	}
	for i := range r.Expectations {
		e := &r.Expectations[i]
		e.Summary, e.Error, e.DecidedBy = x.Replace(e.Summary), x.Replace(e.Error), x.Replace(e.DecidedBy)
		for j := range e.Fixes {
			e.Fixes[j].Title = x.Replace(e.Fixes[j].Title)
		}
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Message, f.Fix = x.Replace(f.Message), x.Replace(f.Fix)
		if f.Resource != nil {
			c := *f.Resource
			c.Name = x.Replace(c.Name)
			f.Resource = &c
		}
		for j := range f.Fixes {
			f.Fixes[j].Title = x.Replace(f.Fixes[j].Title)
		}
	}
}
