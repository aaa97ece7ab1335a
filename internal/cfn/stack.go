package cfn

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// epoch is the clock of every loaded template, as for scenario files, so
// the same template gives the same output on every run.
func epoch() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// idSeed and nameSeed seed the engine's identifiers and the physical names
// CloudFormation would generate; both are fixed so that output is stable.
const (
	idSeed   = 1
	nameSeed = 0x636663 // "cfc"
)

// Result is a template deployed through the engine.
type Result struct {
	// Engine holds the system the template describes, run to its steady
	// state (instances registered, services' tasks placed).
	Engine *engine.Engine
	// StackName and StackID are the top-level stack's name (from the file
	// name) and ARN.
	StackName string
	StackID   string
	// PhysicalIDs maps the logical id of every created or skipped
	// resource to its physical id or ARN: what Ref returns. Resources of
	// nested stacks are "<stack logical id>/<logical id>".
	PhysicalIDs map[string]string
	// Resources lists the resources ecsnet created, in creation order.
	Resources []Resource
	// Skipped lists the resources of types ecsnet does not model.
	Skipped []Skipped
	// Warnings are things CloudFormation would accept that ecsnet could
	// only approximate.
	Warnings []Warning
	// Outputs are the top-level stack's outputs.
	Outputs map[string]string
	// Stacks are the stacks deployed, in deploy order (one for Load).
	Stacks []*Stack
}

// Resource is a created resource.
type Resource struct {
	LogicalID  string
	Type       string
	PhysicalID string
	File       string
	Line       int
	// Stack is the top-level stack it belongs to, when several are
	// loaded together (LoadStacks).
	Stack string `json:",omitempty"`
	// Keys are the ids, beyond PhysicalID, that deleting the resource
	// needs (DeleteResources).
	Keys map[string]string `json:",omitempty"`
	// Props are its resolved properties and Attrs its Fn::GetAtt values
	// (JSON): what a later update compares and binds (Existing).
	Props string `json:"-"`
	Attrs string `json:"-"`
	// Change says what an update did with it (ChangeNone, ChangeModify,
	// ChangeReplace; ChangeAdd when it was created).
	Change string `json:"-"`
	// DeletionPolicy and UpdateReplacePolicy are the resource's
	// attributes as the stack's parameters and conditions make them
	// (Delete, Retain, RetainExceptOnCreate, Snapshot; "" when absent).
	DeletionPolicy      string `json:"-"`
	UpdateReplacePolicy string `json:"-"`
	// Signals are the UniqueIds (instance ids) of the success signals
	// its CreationPolicy waited for, which its instances' cfn-signal sends
	// (taken to be sent): CloudFormation's "Received SUCCESS signal" events.
	Signals []string `json:"-"`
	// Await, when set, says that the resource still waits for success
	// signals (DeployOptions.AwaitSignals).
	Await *SignalWait `json:"-"`
}

// Skipped is a resource of a type ecsnet does not model. References to it
// resolve to placeholders of the right shape.
type Skipped struct {
	LogicalID string
	Type      string
	Reason    string
	File      string
	Line      int
	// Stack is the top-level stack it belongs to (LoadStacks).
	Stack string `json:",omitempty"`
	// PhysicalID is its placeholder physical id (what Ref answers).
	PhysicalID string `json:"-"`
	// MayShapeNetwork is set for types that can change how packets flow
	// (custom resources, EC2, ELB, ECS and Auto Scaling types ecsnet does
	// not model): a verdict may miss what they do.
	MayShapeNetwork bool `json:",omitempty"`
	// DeletionPolicy and UpdateReplacePolicy: as Resource's.
	DeletionPolicy      string `json:"-"`
	UpdateReplacePolicy string `json:"-"`
	// Await: as Resource's (a wait condition).
	Await *SignalWait `json:"-"`
}

// Warning is a note about the template, at a line.
type Warning struct {
	File string
	Line int
	Msg  string
	// Detail marks a note that cannot change a verdict (a placeholder for
	// an IAM role, a documented default): ecsnet shows it with -v only.
	Detail bool `json:",omitempty"`
}

func (w Warning) String() string {
	if w.Line > 0 {
		return w.File + ":" + strconv.Itoa(w.Line) + ": " + w.Msg
	}
	return w.File + ": " + w.Msg
}

// Load reads the CloudFormation template at path (YAML or JSON), with
// parameter overrides (--param Key=Value), and deploys it through a new
// engine in dependency order, as CloudFormation would create the stack:
// nested stacks with a local TemplateURL included. The engine is
// deterministic (seeded ids, a fixed clock); opts are applied after those
// defaults. A template CloudFormation would reject, or a resource AWS would
// refuse, is an *Error naming the file, line and resource.
func Load(path string, params map[string]string, opts ...engine.Option) (*Result, error) {
	return LoadStacks([]StackInput{{Path: path, Parameters: params}}, LoadOptions{EngineOptions: opts})
}

// NewEngine returns the deterministic engine Load deploys into (seeded
// ids, a fixed clock), with opts applied after those defaults. A template
// declares its instances' profiles: an instance or launch template without
// IamInstanceProfile has none (engine.WithDeclaredIAM).
func NewEngine(opts ...engine.Option) *engine.Engine {
	base := []engine.Option{
		engine.WithIDs(engine.SeededIDs(idSeed)),
		engine.WithClock(epoch),
		engine.WithDeclaredIAM(),
	}
	return engine.New(append(base, opts...)...)
}

// newLoader returns a loader over e.
func newLoader(e *engine.Engine, names engine.IDSource) *loader {
	if names == nil {
		names = engine.SeededIDs(nameSeed)
	}
	return &loader{e: e, names: names, services: map[string]Resource{}, templates: map[string]*Template{},
		exports: map[string]Export{}, res: &Result{Engine: e, PhysicalIDs: map[string]string{}, Outputs: map[string]string{}}}
}

// loader holds what one Deploy shares between a stack and its nested stacks.
type loader struct {
	stackID string // the top-level stack's ARN when given (DeployOptions.StackID)
	e       *engine.Engine
	iam     *engine.Engine // where IAM resources go (nil: they are skipped)
	// held are the top-level resources held back (Stack.Held), when
	// holdDependents (DeployOptions.HoldDependents).
	held           []string
	holdDependents bool
	holdOn         func(typ, physicalID string) bool // DeployOptions.HoldOn
	// serviceUpdatesSettleLater is DeployOptions.ServiceUpdatesSettleLater.
	serviceUpdatesSettleLater bool
	// serviceCreatesSettleLater is DeployOptions.ServiceCreatesSettleLater.
	serviceCreatesSettleLater bool
	// baseExports are the names of exports of the --base system: a
	// template given may export one again (it stands for that stack).
	baseExports map[string]bool
	// inactive is DeployOptions.Inactive.
	inactive func([]string)
	// strictProps fails resources with unknown properties
	// (DeployOptions.StrictProperties).
	strictProps bool
	names       engine.IDSource // random parts of generated physical names
	res         *Result
	open        []string            // templates being deployed, outermost first
	services    map[string]Resource // service ARN → where it is defined
	// templates caches nested templates by absolute path: each is read
	// and parsed once, however many stacks use it.
	templates map[string]*Template
	// exports are the exports visible to Fn::ImportValue: those given,
	// and those of the stacks deployed so far.
	exports map[string]Export
	// newExports are the exports this deploy added.
	newExports []Export
	// stacks counts the stacks deployed (nested ones included).
	stacks int
	// deployed are the stacks a LoadStacks run deployed so far.
	deployed []*Stack
	// ssm are Parameter Store values given (--ssm name=value);
	// lookupSSM asks for the others.
	ssm       map[string]string
	lookupSSM func(name string) (string, bool)
	// warned are the templates whose parse warnings were reported.
	warned map[*Template]bool
	// nestedStacks are the nested stacks deployed, in creation order.
	nestedStacks []*Stack
	// imported are the names Fn::ImportValue asked for.
	imported map[string]bool
	nested   func(parent *Template, ref string) (*Template, error)
	// awaitSignals defers a CreationPolicy's missing signals
	// (DeployOptions.AwaitSignals).
	awaitSignals bool
	// awsTags leaves out the Name tag ecsnet adds (DeployOptions.AWSTags).
	awsTags bool
	// assumeDefaultVPC: the engine is new (no --base), so a resource that
	// relies on the region's default VPC gets the one AWS creates in
	// every account, with a warning (defaultVPC).
	assumeDefaultVPC bool
	// keyPairs: key pair names must exist (DeployOptions.KeyPairs).
	keyPairs bool
	// certificates: listener certificates must exist
	// (DeployOptions.Certificates).
	certificates bool
	// scalableTargets: a scalable target's ECS service must exist
	// (DeployOptions.ScalableTargets).
	scalableTargets bool
	// webACLResources: a web ACL association's load balancer must exist
	// (DeployOptions.WebACLResources).
	webACLResources bool
	// controlEnv runs Copilot's environment controller
	// (DeployOptions.ControlEnv).
	controlEnv func(EnvControl) (map[string]string, error)
	// existing are the resources an update binds (DeployOptions.Existing).
	existing map[string]Existing
	// reverts undo the in-place updates made so far, in order, should
	// the deploy fail.
	reverts []func() error
}

// stackNameFor derives a stack name from a template's file name: letters,
// digits and hyphens, starting with a letter, at most 128 characters.
func stackNameFor(path string) string {
	base := filepath.Base(path)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	var b strings.Builder
	for _, c := range base {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' {
			b.WriteRune(c)
		} else {
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), "-")
	if name == "" || !(name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z') {
		name = "stack-" + name
	}
	if len(name) > 128 {
		name = name[:128]
	}
	return strings.TrimRight(name, "-")
}

// suffix returns n characters of CloudFormation's random name suffix.
func (l *loader) suffix(n int) string { return strings.ToUpper(l.names.Hex(n)) }

// zones returns the Availability Zones Fn::GetAZs returns for a region.
func (l *loader) zones(region string) []string {
	var out []string
	if region == "" || region == l.e.Config().Region {
		for _, z := range l.e.AvailabilityZones() {
			out = append(out, z.Name)
		}
		return out
	}
	for _, c := range "abc" {
		out = append(out, region+string(c))
	}
	return out
}

// stack is one stack (the top-level one or a nested one) being deployed.
type stack struct {
	l        *loader
	file     string
	name     string
	arn      string
	tpl      *template
	params   map[string]*node
	conds    map[string]bool
	condBusy map[string]bool
	res      map[string]*resource
	prefix   string   // "" or "<parent logical id>/" for nested stacks
	trail    []string // nested stacks, outermost first, for errors
	outputs  map[string]string
	// deps are what each resource refers to (plan's edges).
	deps map[*resource][]edge
	// outputList are the outputs in template order, with their exports.
	outputList []Output
	exports    []Export
	// ssmGuess are the parameters whose Parameter Store value is a
	// placeholder (parameter → SSM name); a use of one is warned about.
	ssmGuess  map[string]string
	ssmWarned map[string]bool
	// usedSSM are the guessed parameters the resource being created
	// used: its error says so.
	usedSSM map[string]string
	// quiet: an evaluation only to validate (a resource ecsnet does not
	// create) records no warnings or notes.
	quiet bool
}

// resource is a resource of a stack and, once created, what references
// to it resolve to.
type resource struct {
	def      *resDef
	active   bool // its condition holds (or it has none)
	done     bool
	skipped  bool
	physical string
	ref      *node
	attrs    map[string]*node
	warned   map[string]bool
	keys     map[string]string // what deleting it needs beyond physical
	signals  []string          // the UniqueIds of the cfn-signal signals its creation received
	await    *SignalWait       // the signals it still waits for (DeployOptions.AwaitSignals)
	// holds: a nested stack with a resource the caller still waits on
	// (DeployOptions.HoldOn), which holds back what depends on the stack.
	holds bool
}

func (s *stack) warnf(line int, format string, args ...any) {
	s.l.res.Warnings = append(s.l.res.Warnings, Warning{File: s.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// notef records a detail: a note that cannot change a verdict.
func (s *stack) notef(line int, format string, args ...any) {
	s.l.res.Warnings = append(s.l.res.Warnings, Warning{File: s.file, Line: line, Msg: fmt.Sprintf(format, args...), Detail: true})
}

// templateErr turns an error found in the template (no resource) into an
// *Error.
func (s *stack) templateErr(err error) error {
	var ce *Error
	if errors.As(err, &ce) {
		return ce
	}
	out := &Error{File: s.file, Msg: err.Error(), Stack: s.trail}
	var te *templateError
	if errors.As(err, &te) {
		out.Line, out.MissingExport, out.Static, out.UnsupportedAttr = te.line, te.missingExport, te.static, te.unsupported
	}
	return out
}

// resourceErr turns an error creating a resource into an *Error naming
// the resource, at the most precise line known.
func (s *stack) resourceErr(r *resource, err error) error {
	var ce *Error
	if errors.As(err, &ce) {
		return ce // from a nested stack: it names its own file and resource
	}
	out := &Error{File: s.file, Line: r.def.line, Resource: r.def.name, Type: r.def.typ, Stack: s.trail}
	var le *lineErr
	if errors.As(err, &le) && le.line > 0 {
		out.Line = le.line
	}
	var hf *handlerFailure
	if errors.As(err, &hf) {
		out.HandlerCode = hf.code
	}
	var te *templateError
	var ae *apierr.Error
	switch {
	case errors.As(err, &te):
		if te.line > 0 {
			out.Line = te.line
		}
		out.Msg, out.MissingExport, out.Static, out.UnsupportedAttr = te.msg, te.missingExport, te.static, te.unsupported
	case errors.As(err, &ae):
		out.Msg, out.Err = serviceMessage(ae), ae
	default:
		out.Msg = err.Error()
	}
	for _, p := range sortedKeys(s.usedSSM) {
		out.Msg += fmt.Sprintf(" (parameter %s holds the Parameter Store value of %s, which ecsnet cannot read; give it with --ssm %s=VALUE)",
			p, s.usedSSM[p], s.usedSSM[p])
	}
	return out
}

// maxStacks bounds the stacks one deploy creates, nested ones included:
// CloudFormation's default quota of stacks per account and region.
const maxStacks = 2000

// deployStack deploys one template. parent is nil for the top-level stack.
func (l *loader) deployStack(t *Template, name string, overrides map[string]string, overrideLine int, parent *nested) (*stack, error) {
	s := l.newStack(t.File, name, parent)
	abs, _ := filepath.Abs(t.File)
	for _, open := range l.open {
		if open == abs {
			return nil, &Error{File: t.File, Msg: "nested stack includes its own template: " + strings.Join(append(l.open, abs), " → "), Stack: s.trail}
		}
	}
	l.stacks++
	if l.stacks > maxStacks {
		return nil, &Error{File: t.File, Msg: fmt.Sprintf("LimitExceededException: this deploy would create more than %d stacks (nested stacks included), "+
			"CloudFormation's default quota of stacks per account and region", maxStacks), Stack: s.trail}
	}
	l.open = append(l.open, abs)
	defer func() { l.open = l.open[:len(l.open)-1] }()
	return s.deploy(t, overrides, overrideLine, parent)
}

// newStack returns an empty stack for a template file.
func (l *loader) newStack(path, name string, parent *nested) *stack {
	s := &stack{l: l, file: path, name: name, conds: map[string]bool{}, condBusy: map[string]bool{}, res: map[string]*resource{}, outputs: map[string]string{}}
	cfg := l.e.Config()
	s.arn = fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/%s", model.Partition(cfg.Region), cfg.Region, cfg.Account, name, uuidFrom(l.names))
	if parent == nil && l.stackID != "" {
		s.arn = l.stackID
	}
	if parent != nil {
		s.prefix = parent.prefix
		s.trail = parent.trail
		if parent.arn != "" {
			s.arn = parent.arn
		}
	}
	return s
}

// deploy checks and deploys a parsed template.
func (s *stack) deploy(t *Template, overrides map[string]string, overrideLine int, parent *nested) (*stack, error) {
	l := s.l
	s.tpl = t.tpl
	if l.warned == nil {
		l.warned = map[*Template]bool{}
	}
	if !l.warned[t] {
		l.warned[t] = true
		l.res.Warnings = append(l.res.Warnings, t.warnings...)
	}
	for _, d := range s.tpl.resources {
		s.res[d.name] = &resource{def: d}
	}
	// The types must be there in the stack's region (CloudFormation's
	// validation of the template refuses the request).
	if err := s.tpl.regionTypes(l.e.Config().Region); err != nil {
		return nil, s.templateErr(static(err))
	}
	// A transform that refused the template: CloudFormation runs it when
	// a change set is made (not for ValidateTemplate) and creates nothing.
	if s.tpl.transformErr != nil {
		return nil, s.templateErr(static(s.tpl.transformErr))
	}
	var err error
	if s.params, err = s.resolveParams(overrides, overrideLine, existsIn(l.e, l.keyPairs)); err != nil {
		if parent != nil {
			// The parent's Parameters property is where the value came from.
			var te *templateError
			if errors.As(err, &te) {
				return nil, &Error{File: parent.file, Line: parent.line, Resource: parent.logical, Type: typeStack,
					Msg: te.msg, Stack: parent.parentTrail}
			}
		}
		return nil, s.templateErr(err)
	}
	if s.tpl.langExt {
		// AWS::LanguageExtensions runs with the parameters' values.
		tpl, err := readLangExt(s.tpl.source, s.params)
		if err != nil {
			return nil, s.templateErr(err)
		}
		s.tpl = tpl
		clear(s.res)
		for _, d := range s.tpl.resources {
			s.res[d.name] = &resource{def: d}
		}
	}
	if err := s.checkRules(); err != nil {
		return nil, s.templateErr(err)
	}
	for _, c := range s.tpl.condOrder {
		if _, err := s.condition(c, s.tpl.root.get("Conditions").keyLine(c)); err != nil {
			return nil, s.templateErr(err)
		}
	}
	var inactive []string
	for _, d := range s.tpl.resources {
		r := s.res[d.name]
		r.active = d.condition == "" || s.conds[d.condition]
		if !r.active {
			inactive = append(inactive, d.name)
		}
	}
	if s.prefix == "" && l.inactive != nil {
		l.inactive(inactive)
	}
	order, err := s.plan()
	if err != nil {
		return nil, err
	}
	if err := s.checkImports(order); err != nil {
		return nil, err
	}
	if l.strictProps {
		if err := s.validateProps(order); err != nil {
			return nil, err
		}
	}
	// A create that awaits signals holds back what depends on a resource
	// still waiting for them (DeployOptions.HoldDependents, Stack.Held),
	// in a nested stack as at top level: CloudFormation creates a nested
	// stack's resources in their own dependency order.
	hold := l.holdDependents
	waits := map[*resource]bool{}
	heldBefore := len(l.held)
	for _, r := range order {
		if hold && slices.ContainsFunc(s.deps[r], func(e edge) bool { return waits[e.to] }) {
			waits[r] = true
			l.held = append(l.held, s.prefix+r.def.name)
			continue
		}
		if err := s.create(r); err != nil {
			return nil, err
		}
		if hold && (r.await != nil || r.holds || l.holdOn != nil && r.active && !r.skipped && l.holdOn(r.def.typ, r.physical)) {
			waits[r] = true
		}
	}
	if len(l.held) > heldBefore || len(l.held) > 0 && s.prefix == "" {
		return s, nil // the outputs come when the held resources are created
	}
	var exports []Export
	for _, o := range s.tpl.outputs {
		if o.condition != "" && !s.conds[o.condition] {
			continue
		}
		v, err := s.eval(o.value, blockOutputs)
		if err != nil {
			return nil, s.templateErr(err)
		}
		switch {
		case v == nil:
			s.outputs[o.name] = ""
		case v.kind == scalarNode:
			s.outputs[o.name] = v.str
		case v.kind == listNode && allScalars(v):
			// CloudFormation joins a list output with commas.
			s.outputs[o.name] = joinScalars(v, ",")
		default:
			return nil, s.templateErr(formatErr(o.line, "The Value of output %s must be a String, not %s", o.name, v.describe()))
		}
		out := Output{Name: o.name, Value: s.outputs[o.name], File: s.file, Line: o.line}
		if o.description != nil {
			if d, err := s.eval(o.description, blockOutputs); err == nil && d != nil && d.kind == scalarNode {
				out.Description = d.str
			}
		}
		if o.export != nil {
			if s.dependsOnResources(o.export, 0) {
				return nil, s.templateErr(formatErr(o.line, "Output %s is malformed. The Name field of Export must not depend on any resources, imported values, or Fn::GetAZs.", o.name))
			}
			n, err := s.evalString(o.export, blockOutputs, 0, "the Name of an Export")
			if err != nil {
				return nil, s.templateErr(err)
			}
			if n == "" {
				return nil, s.templateErr(formatErr(o.line, "Output %s is malformed. The Name field of every Export member must be specified and consist only of alphanumeric characters, colons, or hyphens.", o.name))
			}
			if !validExportName(n) {
				return nil, s.templateErr(formatErr(o.line, "Output %s is malformed. The Name field of every Export member must be specified and consist only of alphanumeric characters, colons, or hyphens.", o.name))
			}
			if l.baseExports[n] {
				delete(l.baseExports, n) // this template's stack exports it now
			} else if prev, dup := l.exports[n]; dup {
				by := prev.StackName
				if by == "" {
					by = "an existing stack"
				}
				return nil, &Error{File: s.file, Line: o.line, Msg: fmt.Sprintf("Export with name %s is already exported by stack %s", n, by), Stack: s.trail}
			}
			for _, x := range exports {
				if x.Name == n {
					return nil, s.templateErr(formatErr(o.line, "Template format error: duplicate Export names %s", n))
				}
			}
			out.ExportName = n
			exports = append(exports, Export{Name: n, Value: out.Value, StackName: s.name, StackID: s.arn})
		}
		s.outputList = append(s.outputList, out)
	}
	for _, x := range exports {
		l.exports[x.Name] = x
		l.newExports = append(l.newExports, x)
	}
	s.exports = exports
	return s, nil
}

// validExportName reports whether n consists of the characters
// CloudFormation allows in an export name.
func validExportName(n string) bool {
	for _, c := range n {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

func allScalars(n *node) bool {
	for _, it := range n.items {
		if it.kind != scalarNode {
			return false
		}
	}
	return true
}

func joinScalars(n *node, sep string) string {
	parts := make([]string, len(n.items))
	for i, it := range n.items {
		parts[i] = it.str
	}
	return strings.Join(parts, sep)
}

// uuidFrom returns a random-looking (seeded) UUID.
func uuidFrom(ids engine.IDSource) string {
	h := ids.Hex(32)
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

// create creates one resource through the engine, or skips it.
func (s *stack) create(r *resource) error {
	if err := s.checkPolicyTimes(r); err != nil {
		return err
	}
	h, ok := handlerFor(r.def.typ)
	if ok && iamType(r.def.typ) && s.l.iam == nil {
		ok = false // no IAM to create it in (the analyzer)
	}
	if ok && r.def.typ == typeEnvController && s.l.controlEnv == nil {
		ok = false // no stacks to control (the analyzer)
	}
	if !ok {
		// CloudFormation evaluates every resource's properties when it
		// validates the template, modeled here or not: what that
		// validation refuses (a missing mapping key) refuses the stack.
		s.quiet = true
		props, err := s.eval(r.def.props, blockResources)
		s.quiet = false
		if err != nil {
			var te *templateError
			if errors.As(err, &te) && te.static {
				return s.resourceErr(r, err)
			}
		}
		if err == nil && r.def.typ == typeWaitCondition {
			if err := s.checkWaitCondition(r, props); err != nil {
				return err
			}
		}
		if err == nil && r.def.typ == typeWebACLAssociation {
			if err := s.checkWebACLAssociation(r, props); err != nil {
				return err
			}
		}
		s.skip(r, skipReason(r.def.typ))
		if err == nil && r.def.typ == typeIAMRole {
			s.trustOnly(r, props)
		}
		return nil
	}
	if err := s.checkProps(r, r.def.props); err != nil {
		return err
	}
	s.usedSSM = nil
	props, err := s.eval(r.def.props, blockResources)
	if err == nil {
		props, err = s.resolveDynamic(props)
	}
	if err != nil {
		return s.resourceErr(r, err)
	}
	if props == nil {
		props = &node{kind: mapNode, line: r.def.line}
	}
	pj := propsJSON(props)
	change := ChangeAdd
	if old, had := s.l.existing[s.prefix+r.def.name]; had && old.Type == r.def.typ {
		change = ChangeReplace
	}
	c := &rctx{s: s, r: r}
	c.p = obj{c: c, n: props, path: "#", line: r.def.line}
	switch {
	case s.bindExisting(r, pj):
		change = ChangeNone
	case change == ChangeReplace && s.updateInPlace(c, pj):
		change = ChangeModify
		if err := s.update(c, pj); err != nil {
			return s.resourceErr(r, err)
		}
	default:
		if err := h(c); err != nil {
			return s.resourceErr(r, err)
		}
		if old := s.l.existing[s.prefix+r.def.name]; change == ChangeReplace && r.physical == old.PhysicalID {
			// An idempotent create (a cluster's name) gave back the
			// resource itself: it was changed, not replaced.
			change = ChangeModify
		}
	}
	if r.skipped {
		return nil
	}
	if r.ref == nil {
		ref := r.physical
		if v, ok := r.keys[keyRef]; ok {
			ref = v
		}
		r.ref = scalarAt(ref, r.def.line)
	}
	r.done = true
	s.l.res.PhysicalIDs[s.prefix+r.def.name] = r.physical
	del, repl := s.policies(r)
	s.l.res.Resources = append(s.l.res.Resources, Resource{LogicalID: s.prefix + r.def.name, Type: r.def.typ,
		PhysicalID: r.physical, File: s.file, Line: r.def.line, Keys: r.keys, Props: pj, Attrs: attrsJSON(r.attrs), Change: change,
		DeletionPolicy: del, UpdateReplacePolicy: repl, Signals: r.signals, Await: r.await})
	return nil
}

// policies evaluates a resource's DeletionPolicy and UpdateReplacePolicy:
// CloudFormation takes a name, or an Fn::If or a Ref to a parameter that
// gives one (test_deletion_policy, test_update_policy of LocalStack's
// engine tests, recorded against AWS in 2026). One that does not evaluate
// to a name is "" (Delete).
func (s *stack) policies(r *resource) (deletion, replace string) {
	eval := func(n *node) string {
		if n == nil {
			return ""
		}
		s.quiet = true
		v, err := s.eval(n, blockResources)
		s.quiet = false
		if err != nil || v == nil || v.kind != scalarNode {
			return ""
		}
		return v.str
	}
	return eval(r.def.deletion), eval(r.def.replace)
}

// skip records a resource ecsnet does not create; references to it
// resolve to placeholders.
func (s *stack) skip(r *resource, reason string) {
	r.skipped, r.done = true, true
	if old, ok := s.l.existing[s.prefix+r.def.name]; ok && old.Type == r.def.typ && old.PhysicalID != "" {
		r.physical = old.PhysicalID // an update keeps its placeholder
	} else {
		r.physical = placeholderRef(s, r)
	}
	r.ref = scalarAt(r.physical, r.def.line)
	s.l.res.PhysicalIDs[s.prefix+r.def.name] = r.physical
	del, repl := s.policies(r)
	s.l.res.Skipped = append(s.l.res.Skipped, Skipped{LogicalID: s.prefix + r.def.name, Type: r.def.typ, Reason: reason, PhysicalID: r.physical,
		File: s.file, Line: r.def.line, MayShapeNetwork: mayShapeNetwork(r.def.typ, reason),
		DeletionPolicy: del, UpdateReplacePolicy: repl, Await: r.await})
}

// mayShapeNetwork reports whether a skipped resource of type typ could
// change how packets flow.
func mayShapeNetwork(typ, reason string) bool {
	if strings.HasPrefix(typ, "Custom::") || typ == "AWS::CloudFormation::CustomResource" {
		return true
	}
	if reason != skipReason(typ) {
		return true // skipped for what its properties ask (IPv6, VPN, …)
	}
	return networkType(typ)
}

// physicalName returns the name CloudFormation generates for a resource
// whose name property is not set: "<stack>-<logical id>-<random>",
// shortened to fit max characters.
func (s *stack) physicalName(logical string, max int) string {
	suf := s.l.suffix(12)
	stackPart, logicalPart := s.name, logical
	if budget := max - len(suf) - 2; len(stackPart)+len(logicalPart) > budget {
		sp := min(len(stackPart), budget/2)
		lp := min(len(logicalPart), budget-sp)
		sp = min(len(stackPart), budget-lp)
		stackPart, logicalPart = stackPart[:sp], logicalPart[:lp]
	}
	return strings.Trim(stackPart, "-") + "-" + logicalPart + "-" + suf
}

// checkServices warns about services whose tasks did not all start:
// CloudFormation waits for a service to stabilize and, after about three
// hours (or when the deployment circuit breaker trips), fails the stack.
func (l *loader) checkServices() {
	l.e.Read(func(st *model.State) {
		arns := make([]string, 0, len(l.services))
		for arn := range l.services {
			arns = append(arns, arn)
		}
		sort.Strings(arns)
		for _, arn := range arns {
			svc := st.Services[arn]
			if svc == nil {
				continue
			}
			running := 0
			for _, t := range st.Tasks {
				if t.ServiceName == svc.Name && t.ClusterARN == svc.ClusterARN && t.LastStatus == model.TaskRunning {
					running++
				}
			}
			if running >= svc.DesiredCount {
				continue
			}
			where := l.services[arn]
			msg := fmt.Sprintf("%s (%s): %d of %d tasks running; CloudFormation would wait for the service to stabilize and fail the stack",
				where.LogicalID, where.Type, running, svc.DesiredCount)
			if len(svc.Events) > 0 {
				msg += "; latest service event: " + svc.Events[0].Message
			}
			l.res.Warnings = append(l.res.Warnings, Warning{File: where.File, Line: where.Line, Msg: msg})
		}
	})
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// trustOnly records a role the analyzer skips (no IAM to create it in) by
// its name and trust policy alone, so that the engine can tell whether
// ECS may assume it as a task's role: its policies stay unread. A trust
// policy that does not evaluate leaves the role unknown (taken to work).
func (s *stack) trustOnly(r *resource, props *node) {
	if props == nil {
		return
	}
	c := &rctx{s: s, r: r}
	c.p = obj{c: c, n: props, path: "#", line: r.def.line}
	s.quiet = true
	trust, err := c.p.policyDocument("AssumeRolePolicyDocument", true)
	s.quiet = false
	if err != nil || strings.ContainsRune(r.physical, '/') || strings.HasPrefix(r.physical, "arn:") {
		return
	}
	_, _ = s.l.e.CreateRole(engine.RoleInput{Name: r.physical, Path: "/", AssumeRolePolicyDocument: trust}) // a name taken: the base's role stands
}
