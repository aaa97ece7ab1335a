package cfn

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// nested tells a nested stack where its AWS::CloudFormation::Stack
// resource is in the parent.
type nested struct {
	file        string // the parent template
	line        int    // the Stack resource's line
	logical     string // the Stack resource's logical id
	prefix      string // prefix of the nested stack's logical ids in results
	trail       []string
	parentTrail []string
	// arn, when set, is the nested stack's ARN from an earlier deploy:
	// an update of the parent updates the nested stack in place, under
	// its name and ARN, as CloudFormation does.
	arn string
}

// AWS::CloudFormation::Stack. The nested template is read from a local
// file: TemplateURL is a path relative to the parent template, or an
// https:// or s3:// URL whose path ends in a file that exists next to the
// parent (ecsnet tries the URL path's suffixes, so a repository laid out
// like the bucket works unchanged). Ref: the nested stack's ARN;
// Fn::GetAtt Outputs.<name>.
func createStack(c *rctx) error {
	p := c.p
	ref, err := p.req("TemplateURL")
	if err != nil {
		return err
	}
	where := c.r.def.name + " (" + c.s.file + ":" + strconv.Itoa(c.r.def.line) + ")"
	trail := append(append([]string(nil), c.s.trail...), where)
	tpl, err := c.s.l.nestedTemplate(c.s, ref, p.line_("TemplateURL"), c.r.def.name)
	if err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			in := *ce
			in.Stack = trail
			return &in
		}
		return p.at("TemplateURL", propErr(0, "%v", err))
	}
	params := map[string]string{}
	po, err := p.object("Parameters")
	if err != nil {
		return err
	}
	if po.n != nil {
		for _, f := range po.n.fields {
			// Values must be strings, even for a List<> parameter of
			// the nested template: a list is passed with Fn::Join.
			if f.val.kind != scalarNode {
				return po.invalid(f.key, "Value of property Parameters must be an object with String (or simple type) properties")
			}
			params[f.key] = f.val.str
		}
	}
	timeout, err := p.integer("TimeoutInMinutes", 0)
	if err != nil {
		return err
	}
	name, arn := c.s.physicalName(c.r.def.name, 128), ""
	if old, had := c.s.l.existing[c.s.prefix+c.r.def.name]; had && old.Type == typeStack {
		// arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/ID
		if parts := strings.Split(old.PhysicalID, "/"); len(parts) == 3 && strings.HasSuffix(parts[0], ":stack") {
			name, arn = parts[1], old.PhysicalID
		}
	}
	heldBefore := len(c.s.l.held)
	child, err := c.s.l.deployStack(tpl, name, params, p.line_("Parameters"), &nested{
		file: c.s.file, line: c.r.def.line, logical: c.r.def.name, prefix: c.s.prefix + c.r.def.name + "/",
		trail: trail, parentTrail: c.s.trail, arn: arn})
	if err != nil {
		return err
	}
	c.s.l.nestedStacks = append(c.s.l.nestedStacks, &Stack{Name: child.name, ID: child.arn, File: child.file,
		Parameters: paramStrings(child), Outputs: child.outputList, Exports: child.exports,
		LogicalID: c.s.prefix + c.r.def.name, ParentID: c.s.arn, TimeoutInMinutes: timeout})
	if len(c.s.l.held) > heldBefore {
		// Resources of the nested stack are held back behind one of
		// its own: the stack is not complete, nor what depends on it.
		c.r.holds = true
	}
	if l := c.s.l; l.holdOn != nil && !c.r.holds {
		// The stack is complete only once its resources are: one the
		// caller still waits on (an ECS service to stabilize, signals)
		// holds back what depends on the stack.
		for _, r := range child.res {
			if r.holds || r.await != nil || r.active && !r.skipped && r.physical != "" && l.holdOn(r.def.typ, r.physical) {
				c.r.holds = true
				break
			}
		}
	}
	c.setRef(child.arn)
	for k, v := range child.outputs {
		c.set("Outputs."+k, v)
	}
	return nil
}

// nestedTemplate returns the template of a nested stack's TemplateURL,
// read and parsed once per file however many stacks use it.
func (l *loader) nestedTemplate(s *stack, ref string, line int, logical string) (*Template, error) {
	if l.nested != nil {
		return l.nested(&Template{File: s.file, tpl: s.tpl}, ref)
	}
	path, fromURL, err := templatePath(s.file, ref)
	if err != nil {
		return nil, err
	}
	if fromURL {
		s.notef(line, "%s: TemplateURL %s read from the local file %s", logical, ref, path)
	}
	abs, _ := filepath.Abs(path)
	if t, ok := l.templates[abs]; ok {
		return t, nil
	}
	t, err := ReadTemplate(path)
	if err != nil {
		return nil, err
	}
	l.templates[abs] = t
	return t, nil
}

// templatePath finds the local file of a nested stack's TemplateURL. It
// reports whether ref was a URL.
func templatePath(parent, ref string) (string, bool, error) {
	dir := filepath.Dir(parent)
	ref = strings.TrimPrefix(ref, "file://")
	u, err := url.Parse(ref)
	if err != nil || u.Scheme == "" || len(u.Scheme) == 1 { // "C:" is a drive, not a scheme
		p := ref
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, filepath.FromSlash(ref))
		}
		if _, err := os.Stat(p); err != nil {
			return "", false, &os.PathError{Op: "nested stack template", Path: p, Err: os.ErrNotExist}
		}
		return p, false, nil
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	var tried []string
	for i := range segs {
		p := filepath.Join(dir, filepath.Join(segs[i:]...))
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, true, nil
		}
		tried = append(tried, p)
	}
	return "", true, &urlError{ref: ref, tried: tried}
}

// urlError says a TemplateURL names no local file.
type urlError struct {
	ref   string
	tried []string
}

func (e *urlError) Error() string {
	return "TemplateURL " + e.ref + " is not a local file: ecsnet reads nested templates from files next to the parent template (tried " +
		strings.Join(e.tried, ", ") + ")"
}
