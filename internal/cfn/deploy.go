package cfn

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// Template is a parsed template whose sections have been checked as
// CloudFormation checks them before it creates anything. It can be
// deployed any number of times.
type Template struct {
	// File is where the template was read from (or the name it was given):
	// errors and warnings name it, and local nested templates are found
	// relative to it.
	File     string
	tpl      *template
	warnings []Warning
}

// ReadTemplate reads, parses and checks the template file at path. It
// reads regular files only, at most 8 MiB.
func ReadTemplate(path string) (*Template, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	return ParseTemplate(path, data)
}

// ParseTemplate parses and checks a template's text (YAML or JSON); file
// names it in errors and warnings.
func ParseTemplate(file string, data []byte) (*Template, error) {
	root, warns, err := parseTemplate(data)
	t := &Template{File: file}
	if err != nil {
		return nil, t.err(err)
	}
	for _, w := range warns {
		t.warnings = append(t.warnings, Warning{File: file, Line: w.line, Msg: w.msg})
	}
	if at, line := nullIn(root, ""); at != "" {
		// CloudFormation refuses the template before reading it (the
		// emulator's CreateStack says the same, with the same pointer).
		return nil, t.err(propErr(line, "[%s] 'null' values are not allowed in templates", at))
	}
	if t.tpl, err = readTemplate(root); err != nil {
		return nil, t.err(err)
	}
	return t, nil
}

func (t *Template) err(err error) error {
	out := &Error{File: t.File, Msg: err.Error()}
	var te *templateError
	if errors.As(err, &te) {
		out.Line, out.Msg = te.line, te.msg
	}
	return out
}

// Warnings are what reading the template found that CloudFormation
// accepts but a reader should know (duplicate keys, for one).
func (t *Template) Warnings() []Warning { return append([]Warning(nil), t.warnings...) }

// Description returns the template's Description ("" when absent).
func (t *Template) Description() string { return t.tpl.root.get("Description").scalar() }

// Parameter is one parameter a template declares.
type Parameter struct {
	Name          string
	Type          string
	Default       string
	HasDefault    bool
	Description   string
	NoEcho        bool
	AllowedValues []string
	Line          int
}

// Parameters returns the template's parameters in template order.
func (t *Template) Parameters() []Parameter {
	var out []Parameter
	for _, p := range t.tpl.params {
		q := Parameter{Name: p.name, Type: p.typ, Line: p.line}
		if p.def != nil {
			q.Default, q.HasDefault = p.def.str, true
		}
		v := t.tpl.root.get("Parameters").get(p.name)
		q.Description = v.get("Description").scalar()
		q.NoEcho = v.get("NoEcho").scalar() == "true"
		for _, a := range p.allowed {
			q.AllowedValues = append(q.AllowedValues, a.str)
		}
		out = append(out, q)
	}
	return out
}

// TemplateResource is one entry of a template's Resources section.
type TemplateResource struct {
	LogicalID string
	Type      string
	Condition string
	Line      int
}

// Resources returns the template's resources in template order (what
// GetTemplateSummary lists, and what decides the capabilities a stack
// needs: IAM types need CAPABILITY_IAM, nested stacks
// CAPABILITY_AUTO_EXPAND only with macros).
func (t *Template) Resources() []TemplateResource {
	out := make([]TemplateResource, 0, len(t.tpl.resources))
	for _, r := range t.tpl.resources {
		out = append(out, TemplateResource{LogicalID: r.name, Type: r.typ, Condition: r.condition, Line: r.line})
	}
	return out
}

// Export is a value a stack exports (an Output with Export), which other
// stacks of the same account and region read with Fn::ImportValue.
type Export struct {
	Name  string
	Value string
	// StackName and StackID are the exporting stack's (empty for an
	// export given on the command line with --import).
	StackName string
	StackID   string
}

// Output is one of a stack's outputs.
type Output struct {
	Name        string
	Value       string
	Description string
	// ExportName is the name it is exported under ("" when it is not).
	ExportName string
	File       string
	Line       int
}

// DeployOptions say how Deploy creates a stack.
type DeployOptions struct {
	// StackName is the stack's name (AWS::StackName); default: from the
	// template's file name.
	StackName string
	// StackID is the stack's ARN (AWS::StackId, the
	// aws:cloudformation:stack-id tag); default: one made from the name.
	StackID string
	// Parameters are the parameter values given (the others take their
	// defaults).
	Parameters map[string]string
	// Exports are the exports already in the account and region, by
	// name: Fn::ImportValue reads them, and an Output may not export a
	// name already taken.
	Exports map[string]Export
	// Names is the source of the random parts of generated physical
	// names and stack ids; nil means a fixed seed (stable output). An
	// emulator passes engine.RandomIDs().
	Names engine.IDSource
	// Nested, when set, returns the template a nested stack's
	// TemplateURL names (parent is the template that names it); by
	// default it is a local file next to the parent's File.
	Nested func(parent *Template, templateURL string) (*Template, error)
	// Converge runs the engine to its steady state after the stack is
	// created (instances registered, services' tasks placed).
	Converge bool
	// AWSTags gives resources only the tags the template and
	// CloudFormation give them: no Name tag made from the logical id
	// (the emulator's CloudFormation, which answers as AWS does).
	AWSTags bool
	// DisableRollback keeps what a failed deploy created
	// (CloudFormation's OnFailure DO_NOTHING).
	DisableRollback bool
	// AwaitSignals leaves a top-level resource whose CreationPolicy's
	// success signals have not all arrived created, its Resource.Await set,
	// instead of failing the deploy at once: the emulator waits for the
	// policy's Timeout on its clock (SignalResource may still come).
	AwaitSignals bool
	// HoldDependents, with AwaitSignals, holds back what depends on a
	// resource left waiting, in its own stack, top-level or nested
	// (Stack.Held), instead of creating it:
	// a create's deploy (an update's creates everything in one pass).
	HoldDependents bool
	// HoldOn, with HoldDependents, tells of a resource just
	// created whether the caller waits on it beyond its creation (an ECS
	// service CloudFormation waits to stabilize): what depends on it is
	// held back as on a resource awaiting signals.
	HoldOn func(typ, physicalID string) bool
	// ServiceUpdatesSettleLater leaves the deployment an ECS service's
	// update starts to the caller's own steps, as CloudFormation leaves
	// it to ECS and waits for it (the emulator): the deploy does not
	// run the engine to the deployment's end.
	ServiceUpdatesSettleLater bool
	// ServiceCreatesSettleLater leaves the first deployment of an ECS
	// service the deploy creates to the caller's own steps, as
	// CloudFormation creates the service and then waits for it to
	// stabilize (the emulator's create, with HoldOn holding back what
	// depends on it): the deploy does not run the engine to the
	// deployment's end after CreateService.
	ServiceCreatesSettleLater bool
	// KeepRetained keeps, when a failed deploy rolls back, the resources
	// it created whose DeletionPolicy is Retain, as CloudFormation's
	// rollback of a create or an update does unless the operation sets
	// RetainExceptOnCreate (the policy RetainExceptOnCreate deletes them).
	KeepRetained bool
	// Failed, when set, is told what a failed deploy had created and
	// skipped, in order, before they are rolled back (the emulator's stack
	// events).
	Failed func(created []Resource, skipped []Skipped)
	// SSM are Parameter Store values, by parameter name, for parameters
	// of type AWS::SSM::Parameter::Value<…>. AWS's public AMI parameters
	// need none (a stand-in AMI id is used).
	SSM map[string]string
	// LookupSSM, when set, is asked for a Parameter Store value that SSM
	// does not hold (an emulator's own Parameter Store), before the
	// public AMI stand-ins.
	LookupSSM func(name string) (value string, ok bool)
	// IAM, when set, is the engine that holds IAM (global: the emulator's
	// us-east-1 state, which may be e itself): AWS::IAM::Role, Policy,
	// ManagedPolicy and InstanceProfile are created there. Without it
	// they are skipped, as the analyzer needs no IAM.
	IAM *engine.Engine
	// KeyPairs checks AWS::EC2::KeyPair::KeyName parameters against the
	// engine's key pairs, as CloudFormation does (an emulator holds the
	// account's key pairs; the analyzer reads a template without them, so
	// there any name exists).
	KeyPairs bool
	// Certificates checks a listener's certificate ARNs against the
	// account's ACM certificates and IAM server certificates, as ELB does
	// (CertificateNotFound); the analyzer reads a template without them,
	// so there any certificate exists.
	Certificates bool
	// ScalableTargets registers every AWS::ApplicationAutoScaling::ScalableTarget
	// of an ECS service, as CloudFormation does: one whose service the
	// engine does not hold fails as Application Auto Scaling refuses it
	// ("ECS service doesn't exist: service/CLUSTER/SERVICE"). Without it
	// (the analyzer, which may not be given the stack that creates the
	// service) such a target is skipped with a warning.
	ScalableTargets bool
	// WebACLResources fails an AWS::WAFv2::WebACLAssociation whose
	// ResourceArn names an Application Load Balancer of the account and
	// region that the engine does not hold, as AWS WAF refuses it
	// (WAFNonexistentItemException). Without it (the analyzer, which may
	// not be given the stack that creates the load balancer) the
	// association is a placeholder like any other.
	WebACLResources bool
	// ControlEnv runs Copilot's environment controller
	// (Custom::EnvControllerFunction): it updates the named environment
	// stack's parameters and answers its outputs. Nil (the analyzer): the
	// controller is a placeholder.
	ControlEnv func(EnvControl) (map[string]string, error)
	// StrictProperties fails a resource whose Properties hold a key its
	// type does not have, as CloudFormation does (the analyzer warns and
	// goes on): the stack's resources are validated before any is
	// created ("Properties validation failed for resource …"), a nested
	// stack's when it is created ("Encountered unsupported property …").
	StrictProperties bool
	// Existing, for an update, are the resources the stack has, by
	// logical id: one whose type and resolved properties are unchanged is
	// bound as it is, a changed one is updated in place or replaced
	// (Resource.Change). Those the template no longer has, and the old
	// resources of replaced ones, are left for the caller to delete.
	Existing map[string]Existing
	// Check, when set, is asked about the deployed stack before Deploy
	// returns it; an error fails the deploy (and rolls it back).
	Check func(*Stack) error
	// Inactive, when set, is told once the top-level stack's conditions
	// are evaluated which of its resources they leave out (Condition
	// false): CloudFormation creates them not, and a change set lists
	// them not.
	Inactive func(logicalIDs []string)
}

// Stack is a deployed stack: what it created, its outputs and exports.
// Its Resources are enough to delete it again (DeleteResources).
type Stack struct {
	Name string
	// ID is the stack's ARN.
	ID   string
	File string
	// Parameters are the values every parameter took (defaults
	// included); list values are joined with commas.
	Parameters map[string]string
	// Outputs are the top-level stack's outputs, in template order.
	Outputs []Output
	// Exports are the exports this deploy created (nested stacks'
	// included).
	Exports []Export
	// Imports are the export names its Fn::ImportValue functions
	// resolved (nested stacks' included), sorted: the exports a stack
	// keeps in use whatever way the template spells the name (a literal,
	// Fn::Sub or Fn::Join).
	Imports []string
	// Resources lists the resources created, in creation order; nested
	// stacks' resources are "<stack logical id>/<logical id>".
	Resources []Resource
	// Skipped lists the resources of types ecsnet does not model.
	Skipped []Skipped
	// Held lists, in deploy order, the resources (a nested stack's as
	// "<stack logical id>/<logical id>") a deploy that
	// holds dependents (DeployOptions.HoldDependents) did not create because
	// they depend (Ref, Fn::GetAtt, Fn::Sub, DependsOn), directly or
	// through another held one, on a resource still waiting for its
	// signals: CloudFormation creates them once it completes, never if it
	// fails. With any held, the stack has no Outputs yet; deploying the
	// template again with the stack's resources as Existing creates them.
	Held []string
	// PhysicalIDs maps the logical id of every created or skipped
	// resource to what Ref returns.
	PhysicalIDs map[string]string
	// Warnings are things CloudFormation accepts that ecsnet could only
	// approximate, or that a reader should know.
	Warnings []Warning
	// Nested are the nested stacks (AWS::CloudFormation::Stack), at any
	// depth, in creation order. Each has its own Name, ID, Parameters,
	// Outputs and Exports; its Resources are those under its LogicalID.
	Nested []*Stack
	// LogicalID is, for a nested stack, the path of its
	// AWS::CloudFormation::Stack resource ("Network", "App/Network");
	// ParentID is its parent's ARN.
	LogicalID string
	ParentID  string
	// TimeoutInMinutes is, for a nested stack, its resource's
	// TimeoutInMinutes (0 when none): how long its create may take.
	TimeoutInMinutes int
}

// Output returns the value of the named output ("", false when absent).
func (s *Stack) Output(name string) (string, bool) {
	for _, o := range s.Outputs {
		if o.Name == name {
			return o.Value, true
		}
	}
	return "", false
}

// Deploy creates the stack a template describes in e, as CloudFormation
// creates a stack: parameters resolved and checked (AWS-specific types
// against e's resources), resources created in dependency order through
// the engine, outputs evaluated and exported. AWS::AccountId and
// AWS::Region are e's. Deploy is all or nothing: when a resource fails,
// the resources already created are deleted again in reverse order, as
// CloudFormation rolls back a failed stack, and the error is an *Error
// naming the file, line and resource (with the rollback's own failure
// joined, if any).
func Deploy(e *engine.Engine, t *Template, o DeployOptions) (*Stack, error) {
	l := newLoader(e, o.Names)
	l.nested, l.ssm, l.lookupSSM, l.iam, l.awsTags, l.keyPairs, l.certificates, l.scalableTargets = o.Nested, o.SSM, o.LookupSSM, o.IAM, o.AWSTags, o.KeyPairs, o.Certificates, o.ScalableTargets
	l.strictProps = o.StrictProperties
	l.webACLResources = o.WebACLResources
	l.controlEnv = o.ControlEnv
	l.awaitSignals = o.AwaitSignals
	l.holdDependents = o.AwaitSignals && o.HoldDependents
	l.holdOn = o.HoldOn
	l.serviceUpdatesSettleLater = o.ServiceUpdatesSettleLater
	l.serviceCreatesSettleLater = o.ServiceCreatesSettleLater
	l.stackID = o.StackID
	l.existing = o.Existing
	l.inactive = o.Inactive
	for k, v := range o.Exports {
		l.exports[k] = v
	}
	name := o.StackName
	if name == "" {
		name = stackNameFor(t.File)
	}
	s, err := l.deployStack(t, name, o.Parameters, 0, nil)
	if err == nil && o.Converge {
		err = e.Converge()
	}
	if err == nil && o.Check != nil {
		err = o.Check(l.stackOf(s))
	}
	if err != nil {
		if o.Failed != nil {
			o.Failed(l.res.Resources, l.res.Skipped)
		}
		keep := o.KeepRetained
		var ce *Error
		if errors.As(err, &ce) && ce.UnsupportedAttr != "" {
			// CloudFormation finds it before it creates anything: all
			// goes, Retain or not, rollback disabled or not.
			keep = false
		} else if o.DisableRollback {
			return nil, err
		}
		// Only what this deploy created goes; bound resources stay, and
		// those updated in place get their old properties back.
		var created []Resource
		for _, r := range l.res.Resources {
			if (r.Change == ChangeAdd || r.Change == ChangeReplace) && !(keep && r.DeletionPolicy == "Retain") {
				created = append(created, r)
			}
		}
		if rerr := DeleteResourcesWith(e, o.IAM, created); rerr != nil {
			err = errors.Join(err, fmt.Errorf("rollback: %w", rerr))
		}
		for i := len(l.reverts) - 1; i >= 0; i-- {
			if rerr := l.reverts[i](); rerr != nil {
				err = errors.Join(err, fmt.Errorf("rollback: %w", rerr))
			}
		}
		return nil, err
	}
	if o.Converge {
		l.checkServices()
	}
	return l.stackOf(s), nil
}

// stackOf builds the Stack a deploy made.
func (l *loader) stackOf(s *stack) *Stack {
	out := &Stack{Name: s.name, ID: s.arn, File: s.file, Parameters: paramStrings(s), Outputs: s.outputList,
		Exports: l.newExports, Resources: l.res.Resources, Skipped: l.res.Skipped, PhysicalIDs: l.res.PhysicalIDs,
		Warnings: l.res.Warnings, Held: l.held}
	for name := range l.imported {
		out.Imports = append(out.Imports, name)
	}
	sort.Strings(out.Imports)
	for _, n := range l.nestedStacks {
		nested := *n
		prefix := n.LogicalID + "/"
		nested.Resources = nil
		for _, r := range l.res.Resources {
			if strings.HasPrefix(r.LogicalID, prefix) {
				nested.Resources = append(nested.Resources, r)
			}
		}
		for _, sk := range l.res.Skipped {
			if strings.HasPrefix(sk.LogicalID, prefix) {
				nested.Skipped = append(nested.Skipped, sk)
			}
		}
		out.Nested = append(out.Nested, &nested)
	}
	return out
}

// paramStrings returns a stack's parameter values as strings (lists
// joined with commas).
func paramStrings(s *stack) map[string]string {
	out := map[string]string{}
	for k, v := range s.params {
		if v.kind == listNode {
			out[k] = joinScalars(v, ",")
		} else {
			out[k] = v.str
		}
	}
	return out
}

// StackInput is one template of a system made of several stacks.
type StackInput struct {
	// Path is the template file; Template, when set, is used instead of
	// reading it.
	Path     string
	Template *Template
	// Name is the stack name; default: from the file name.
	Name string
	// Parameters are this stack's parameter values.
	Parameters map[string]string
}

// LoadOptions say how LoadStacks builds a system.
type LoadOptions struct {
	// Engine is the system to deploy into (--base); nil means a new
	// deterministic engine (NewEngine(EngineOptions...)).
	Engine        *engine.Engine
	EngineOptions []engine.Option
	// Imports are exports of stacks that are not given (--import).
	Imports map[string]string
	// BaseExports are the exports of the system the stacks are deployed
	// on (the stacks of an ecsnet serve --base): imported as Imports,
	// which win on a name, without a warning when no template uses one.
	BaseExports map[string]string
	// SSM are Parameter Store values (see DeployOptions).
	SSM map[string]string
}

// LoadStacks deploys several templates into one engine, as one system:
// in the order their exports require (Fn::ImportValue of another given
// stack's export), else in the order given. Exports feed the imports of
// the stacks deployed after them. The engine then runs to its steady
// state. The Result describes every stack: resources, skipped resources
// and warnings of all, the outputs of all (the last stack's win on a
// name clash), StackName and StackID of the last.
func LoadStacks(in []StackInput, o LoadOptions) (*Result, error) {
	if len(in) == 0 {
		return nil, errors.New("no template given")
	}
	e := o.Engine
	if e == nil {
		e = NewEngine(o.EngineOptions...)
	} else {
		// The templates declare their instances' profiles; the base's
		// instances keep what their source said.
		e.DeclareIAM()
	}
	names := engine.SeededIDs(nameSeed)
	in = append([]StackInput(nil), in...) // names are filled in below
	tpls := make([]*Template, len(in))
	for i, s := range in {
		tpls[i] = s.Template
		if tpls[i] == nil {
			t, err := ReadTemplate(s.Path)
			if err != nil {
				return nil, err
			}
			tpls[i] = t
		}
		if in[i].Name == "" {
			in[i].Name = stackNameFor(tpls[i].File)
		}
	}
	seen := map[string]string{}
	for i, s := range in {
		if prev, dup := seen[s.Name]; dup {
			return nil, fmt.Errorf("%s and %s would both be stack %s: give each a --stack-name", prev, tpls[i].File, s.Name)
		}
		seen[s.Name] = tpls[i].File
	}
	order := deployOrder(in, tpls)
	exports := map[string]Export{}
	baseExports := map[string]bool{}
	for k, v := range o.BaseExports {
		exports[k] = Export{Name: k, Value: v}
		baseExports[k] = true
	}
	for k, v := range o.Imports {
		exports[k] = Export{Name: k, Value: v}
		delete(baseExports, k)
	}
	res := &Result{Engine: e, PhysicalIDs: map[string]string{}, Outputs: map[string]string{}}
	l := newLoader(e, names)
	l.ssm = o.SSM
	l.baseExports = baseExports
	l.assumeDefaultVPC = o.Engine == nil
	for _, i := range order {
		l.res = &Result{Engine: e, PhysicalIDs: map[string]string{}, Outputs: map[string]string{}}
		l.exports = exports
		l.newExports = nil
		l.nestedStacks = nil
		l.open = nil
		prefix := ""
		if len(in) > 1 {
			prefix = in[i].Name + "/"
		}
		s, err := l.deployStack(tpls[i], in[i].Name, in[i].Parameters, 0, nil)
		if err != nil {
			return nil, missingImportHint(err, in, tpls)
		}
		for k, v := range l.res.PhysicalIDs {
			res.PhysicalIDs[prefix+k] = v
		}
		for _, r := range l.res.Resources {
			r.Stack = in[i].Name
			res.Resources = append(res.Resources, r)
		}
		for _, sk := range l.res.Skipped {
			sk.Stack = in[i].Name
			res.Skipped = append(res.Skipped, sk)
		}
		res.Warnings = append(res.Warnings, l.res.Warnings...)
		for k, v := range s.outputs {
			res.Outputs[k] = v
		}
		done := l.stackOf(s)
		res.Stacks = append(res.Stacks, done)
		l.deployed = append(l.deployed, done)
		res.StackName, res.StackID = s.name, s.arn
	}
	var unused []string
	for k := range o.Imports {
		if !l.imported[k] {
			unused = append(unused, k)
		}
	}
	sort.Strings(unused)
	for _, k := range unused {
		res.Warnings = append(res.Warnings, Warning{File: "--import", Msg: fmt.Sprintf("no template imports %s (Fn::ImportValue names are case-sensitive)", k)})
	}
	l.res = res
	if err := e.Converge(); err != nil {
		return nil, err
	}
	l.checkServices()
	return res, nil
}

// missingImportHint adds to a "No export named X found" error which given
// stack would export it, or the flag that supplies it.
func missingImportHint(err error, in []StackInput, tpls []*Template) error {
	var ce *Error
	if !errors.As(err, &ce) || ce.MissingExport == "" {
		return err
	}
	out := *ce
	name := ce.MissingExport
	hint := ""
	for i, t := range tpls {
		for _, x := range t.exportPatterns(in[i].Name, in[i].Parameters) {
			if x == name {
				hint = fmt.Sprintf("; %s (stack %s) exports it, but only after this stack (its own imports come first?)", t.File, in[i].Name)
			}
		}
	}
	if cut := strings.IndexAny(name, ":-"); hint == "" && cut > 0 {
		// A given stack exports the same name under its own stack name.
		for i, t := range tpls {
			for _, x := range t.exportPatterns(in[i].Name, in[i].Parameters) {
				if strings.HasPrefix(x, in[i].Name) && x[len(in[i].Name):] == name[cut:] {
					hint = fmt.Sprintf("; %s, deployed as stack %s, exports %s: deploy it as stack %s (--stack-name %s=%s), or give this stack the parameter that names %s",
						t.File, in[i].Name, x, name[:cut], filepath.Base(t.File), name[:cut], in[i].Name)
				}
			}
		}
	}
	if hint == "" {
		// A given stack whose name begins the export's: it is that stack's
		// export by its name, and the stack does not make it.
		best := -1
		for i := range tpls {
			if n := in[i].Name; n != "" && len(name) > len(n) && strings.HasPrefix(name, n) && strings.ContainsRune(":-", rune(name[len(n)])) &&
				(best < 0 || len(n) > len(in[best].Name)) {
				best = i
			}
		}
		if best >= 0 {
			made := tpls[best].exportPatterns(in[best].Name, in[best].Parameters)
			hint = fmt.Sprintf("; %s, deployed as stack %s, does not export it (its exports: %s): add the output, or", tpls[best].File, in[best].Name, strings.Join(made, ", "))
			if len(made) == 0 {
				hint = fmt.Sprintf("; %s, deployed as stack %s, exports nothing: add the output, or", tpls[best].File, in[best].Name)
			}
		} else if i := strings.IndexAny(name, ":-"); i > 0 {
			stackName := name[:i]
			hint = fmt.Sprintf("; it looks like an export of a stack named %s: give that stack's template too (its file name or --stack-name must make it %s), or", stackName, stackName)
		} else {
			hint = ";"
		}
		hint += fmt.Sprintf(" supply the value with --import %s=VALUE", name)
	}
	out.Msg += hint
	return &out
}

// deployOrder returns the order to deploy stacks in: a stack that imports
// an export of another given stack comes after it; otherwise the order
// given.
func deployOrder(in []StackInput, tpls []*Template) []int {
	exporter := map[string]int{}
	for i, t := range tpls {
		for _, x := range t.exportPatterns(in[i].Name, in[i].Parameters) {
			if _, dup := exporter[x]; !dup {
				exporter[x] = i
			}
		}
	}
	deps := make([][]int, len(tpls))
	for i, t := range tpls {
		for _, x := range t.importPatterns(in[i].Name, in[i].Parameters) {
			if j, ok := exporter[x]; ok && j != i {
				deps[i] = append(deps[i], j)
			}
		}
	}
	var order []int
	state := make([]int, len(tpls)) // 0 new, 1 visiting, 2 done
	var visit func(i int)
	visit = func(i int) {
		if state[i] != 0 {
			return // done, or a cycle: CloudFormation's own error will say
		}
		state[i] = 1
		for _, j := range deps[i] {
			visit(j)
		}
		state[i] = 2
		order = append(order, i)
	}
	for i := range tpls {
		visit(i)
	}
	return order
}

// ExportNames returns the export names the template's Outputs would
// create in a stack of that name ("": the name LoadStacks gives it, from
// its file's), as far as they are known before it is deployed (literals,
// and names over AWS::StackName and parameter defaults).
func (t *Template) ExportNames(stackName string) []string {
	if stackName == "" {
		stackName = stackNameFor(t.File)
	}
	return t.exportPatterns(stackName, nil)
}

// ImportNames returns the names the template imports with
// Fn::ImportValue in a stack of that name ("": from its file's), as far
// as they are known before it is deployed.
func (t *Template) ImportNames(stackName string) []string {
	if stackName == "" {
		stackName = stackNameFor(t.File)
	}
	return t.importPatterns(stackName, nil)
}

// exportPatterns returns the export names a template's Outputs would
// create, as far as they can be known before deploying it: literal names,
// and Fn::Sub or Fn::Join names over AWS::StackName and parameter
// defaults.
func (t *Template) exportPatterns(stackName string, params map[string]string) []string {
	var out []string
	for _, o := range t.tpl.outputs {
		if o.export != nil {
			if n, ok := t.staticString(o.export, stackName, params); ok {
				out = append(out, n)
			}
		}
	}
	return out
}

// NestedFiles returns the local files the template's nested stacks read:
// each AWS::CloudFormation::Stack's TemplateURL (a SAM application's
// Location) that is known before deploying and names a file next to the
// template, as a stack built from it would read them.
func (t *Template) NestedFiles() []string {
	var out []string
	for _, r := range t.tpl.resources {
		key := map[string]string{"AWS::CloudFormation::Stack": "TemplateURL", "AWS::Serverless::Application": "Location"}[r.typ]
		if key == "" {
			continue
		}
		ref, ok := t.staticString(t.tpl.root.get("Resources").get(r.name).get("Properties").get(key), stackNameFor(t.File), nil)
		if !ok {
			continue
		}
		if path, _, err := templatePath(t.File, ref); err == nil {
			out = append(out, path)
		}
	}
	return out
}

// importPatterns returns the names a template imports with
// Fn::ImportValue, as far as they can be known before deploying it.
func (t *Template) importPatterns(stackName string, params map[string]string) []string {
	var out []string
	var walk func(n *node, depth int)
	walk = func(n *node, depth int) {
		if n == nil || depth > maxDepth {
			return
		}
		if name, arg, ok := n.fn(); ok && name == "Fn::ImportValue" {
			if v, ok := t.staticString(arg, stackName, params); ok {
				out = append(out, v)
			}
			return
		}
		for _, it := range n.items {
			walk(it, depth+1)
		}
		for _, f := range n.fields {
			walk(f.val, depth+1)
		}
	}
	walk(t.tpl.root.get("Resources"), 0)
	walk(t.tpl.root.get("Outputs"), 0)
	return out
}

// staticString evaluates a name that depends only on AWS::StackName,
// parameter defaults and literals.
func (t *Template) staticString(n *node, stackName string, params map[string]string) (string, bool) {
	ref := func(name string) (string, bool) {
		if name == "AWS::StackName" {
			return stackName, true
		}
		if v, ok := params[name]; ok {
			return v, true
		}
		if p := t.tpl.paramIndex[name]; p != nil && p.def != nil {
			return p.def.str, true
		}
		return "", false
	}
	if n == nil {
		return "", false
	}
	if n.kind == scalarNode {
		return n.str, true
	}
	name, arg, ok := n.fn()
	if !ok {
		return "", false
	}
	switch name {
	case "Ref":
		return ref(arg.scalar())
	case "Fn::Sub":
		tmpl := arg
		vars := map[string]string{}
		if arg != nil && arg.kind == listNode && len(arg.items) == 2 {
			tmpl = arg.items[0]
			for _, f := range arg.items[1].fields {
				v, ok := t.staticString(f.val, stackName, params)
				if !ok {
					return "", false
				}
				vars[f.key] = v
			}
		}
		if tmpl == nil || tmpl.kind != scalarNode {
			return "", false
		}
		var b strings.Builder
		for _, p := range subParts(tmpl.str) {
			if !p.variable {
				b.WriteString(p.text)
				continue
			}
			v, ok := vars[p.text]
			if !ok {
				if v, ok = ref(p.text); !ok {
					return "", false
				}
			}
			b.WriteString(v)
		}
		return b.String(), true
	case "Fn::Join":
		if arg == nil || arg.kind != listNode || len(arg.items) != 2 || arg.items[1].kind != listNode {
			return "", false
		}
		var parts []string
		for _, it := range arg.items[1].items {
			v, ok := t.staticString(it, stackName, params)
			if !ok {
				return "", false
			}
			parts = append(parts, v)
		}
		return strings.Join(parts, arg.items[0].scalar()), true
	}
	return "", false
}

// readFile reads a template file: a regular file, bounded in size.
func readFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", filepath.Base(path))
	}
	if st.Size() > maxTemplateSize {
		return nil, fmt.Errorf("template is larger than %d bytes", maxTemplateSize)
	}
	return os.ReadFile(path)
}

// nullIn returns the JSON pointer and line of the first null value in n
// (document order; a YAML key without a value is null too), or "".
func nullIn(n *node, path string) (string, int) {
	if n == nil {
		return "", 0
	}
	switch n.kind {
	case nullNode:
		if path != "" {
			return path, n.line
		}
	case listNode:
		for i, it := range n.items {
			if at, line := nullIn(it, path+"/"+strconv.Itoa(i)); at != "" {
				return at, line
			}
		}
	case mapNode:
		for _, f := range n.fields {
			if at, line := nullIn(f.val, path+"/"+f.key); at != "" {
				return at, line
			}
		}
	}
	return "", 0
}
