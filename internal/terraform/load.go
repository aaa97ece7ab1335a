package terraform

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/hashicorp/go-version"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Options are what `terraform plan` would take on its command line.
type Options struct {
	// Vars are -var NAME=VALUE values: a string for variables of a
	// primitive type, else an HCL expression, as Terraform reads them.
	Vars map[string]string
	// VarFiles are -var-file files (.tfvars or .tfvars.json), applied in
	// order after terraform.tfvars and *.auto.tfvars, before Vars.
	VarFiles []string
	// Base, when set, is the system the configuration is applied on top
	// of: data sources (the default VPC, subnets, security groups, …)
	// are answered from it, and the resources are created in a clone of it.
	Base *engine.Engine
	// TerraformVersion pins the Terraform release the configuration is
	// read as, for required_version; when empty, the release the root
	// module's required_version asks for (TerraformVersion without one).
	TerraformVersion string
	// Engine options, applied after the loader's deterministic defaults.
	EngineOptions []engine.Option
}

// Result is a configuration applied through the engine.
type Result struct {
	// Engine holds the system, run to its steady state.
	Engine *engine.Engine
	// Dir is the root module's directory (or the JSON file's path).
	Dir string
	// Region is the default aws provider's region.
	Region string
	// Resources lists the resource instances ecsnet created, in order.
	Resources []Resource
	// Skipped lists resource instances of types ecsnet does not model.
	Skipped []Resource
	// Warnings are things Terraform would accept that ecsnet could only
	// approximate, or that could change a verdict.
	Warnings []Warning
	// Notes are details that cannot change a verdict (ecsnet shows them
	// with -v): images taken to be in repositories the configuration does
	// not manage.
	Notes []Warning
	// Versions say which Terraform release and which major of
	// hashicorp/aws the configuration is read as, and why (shown with -v).
	Versions []Warning
	// Outputs are the root module's outputs, rendered as Terraform's
	// `output -json` would (strings unquoted).
	Outputs map[string]string
	// Names maps each created resource's address
	// (module.ecs.aws_ecs_service.this["api"]) to the name ecsnet's
	// analyzer knows it by: an id, an ARN, or a service or load balancer
	// name.
	Names map[string]string
}

// Resource is one resource instance, by address.
type Resource struct {
	Address string
	Type    string
	ID      string // the physical id or ARN (empty for skipped ones)
	File    string
	Line    int
	Reason  string // why it was skipped
	// InlineRules: its rules or routes are written inside it (ingress,
	// egress or route blocks), so a change belongs there too: the
	// provider fights standalone rules on such a resource.
	InlineRules bool
	// CallFile and CallLine are where the configuration calls the module
	// a stand-in reads (File is then the stand-in's, which the user does
	// not have): the outermost stand-in's module block.
	CallFile string
	CallLine int
}

// Warning is a note about the configuration, at a position.
type Warning struct {
	File string
	Line int
	Msg  string
}

func (w Warning) String() string {
	if w.Line > 0 {
		return w.File + ":" + strconv.Itoa(w.Line) + ": " + w.Msg
	}
	if w.File != "" {
		return w.File + ": " + w.Msg
	}
	return w.Msg
}

// Error is a configuration Terraform (or AWS, when applying it) would
// refuse, at a file and line.
type Error struct {
	File    string
	Line    int
	Address string // the resource, module or variable concerned, if any
	Msg     string
	Err     error // the engine's error, when AWS refused it
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	}
	if e.Address != "" {
		b.WriteString(e.Address + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// errValidate marks the errors terraform validate finds (the
// configuration against itself and the provider's schema): Terraform
// reports them alone, before it plans anything.
var errValidate = errors.New("invalid configuration")

// LoadError is a load's error (an *Error or Errors) with the warnings
// gathered before it, which Terraform prints with its errors.
type LoadError struct {
	Err      error
	Warnings []Warning
}

func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString(e.Err.Error())
	for _, w := range e.Warnings {
		b.WriteString("\nwarning: " + w.String())
	}
	return b.String()
}

func (e *LoadError) Unwrap() error { return e.Err }

// epoch is the engine's clock, as for scenario files and templates.
func epoch() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

const idSeed = 7

// loader holds one Load.
type loader struct {
	opts     Options
	readAs   *version.Version // the Terraform release the root module's required_version picks (chooseVersion)
	root     string
	parser   *hclparse.Parser
	modules  map[string]*module
	manifest map[string]string // module key → directory
	// outDeps are, per module key, the variables each output depends on
	// (nil while being computed, or when the module cannot be read).
	outDeps  map[string]map[string][]string
	e        *engine.Engine
	res      *Result
	region   string
	account  string
	services []Resource
	fromJSON bool // a plan or state: ids are given, not references
	// rootMod is the root module and prior the instances of its local
	// state by address, their attributes, read once by priorState
	// (planview.go).
	rootMod *module
	prior   map[string]map[string]any
	// attrRefs are the configuration's references to attributes of
	// resources and data sources (checkAttrRefs).
	attrRefs []attrRef
	// scalingPolicies are the addresses of the aws_appautoscaling_policy
	// instances made, by scalable target and policy name.
	scalingPolicies map[string]string
	nameSeq         int // the counter of generated names
	// inlineDirs are, by security group id and direction ("ingress",
	// "egress"), the address of the aws_security_group that declares
	// inline rules of that direction.
	inlineDirs map[[2]string]string
	// deferred are a state's security group rules, applied once every
	// group exists.
	deferred []func() error
	// final is what a state does once everything exists (Elastic IP
	// associations).
	final []func() error
	// removed are the arguments set that newer AWS provider majors no
	// longer have (checkRemovedArgs).
	removed []removedArg
	// schemaLater are the names of resource blocks that the provider
	// schema ecsnet holds does not have (checkSchemaLater).
	schemaLater []*Error
	// valueChecks is whether the provider's value checks of
	// providerSchemaVersion's major apply (1), not (-1), or undecided (0).
	valueChecks int
	// deprecated are the deprecated arguments set (warnDeprecatedArgs).
	deprecated []deprecatedArg
	// partitionWarned are the regions of another partition already warned
	// of (otherPartitionWarning).
	partitionWarned map[string]bool
	// errs are the errors met so far: evaluation goes on past one with
	// what does not depend on it.
	errs errorList
	// unreadState are the terraform_remote_state data sources whose
	// backend ecsnet cannot read (address and backend): their outputs,
	// known to Terraform at plan, are unknown here.
	unreadState []string
	// noRegion is the warning of a default aws provider that sets no
	// region (defaultRegion), nil when it sets one.
	noRegion *Warning
	// standinAWS are the AWS provider constraints of the registry modules
	// read with stand-ins, at the release each is read as (noteStandinAWS).
	standinAWS []versionConstraint
	// certs are the ACM certificates the configuration requests, their
	// validations and the listeners naming them (checkCertificateIssue).
	certs certUses
	// firewallGroups and firewallPolicies are the Network Firewall rule
	// groups and policies created so far, by ARN, their rules parsed
	// (res_networkfirewall.go).
	firewallGroups   map[string]firewallGroup
	firewallPolicies map[string]firewallPolicy
}

// errAtApply marks a provider's refusal of a configuration that Terraform
// meets only during apply, when it plans a resource again with the values
// that were unknown at plan: it is said beside AWS's refusals of other
// resources, as `terraform apply` says them, not before them.
var errAtApply = errors.New("refused when planned again during apply")

// Load reads the Terraform root module in dir, with its variables, modules
// (local, or where `terraform init` installed them) and data sources, and
// applies it through a new engine the way `terraform apply` would create
// it on AWS. A configuration Terraform would reject, or a resource AWS
// would refuse, is an *Error at file:line.
func Load(dir string, opts Options) (res *Result, err error) {
	l := &loader{opts: opts, root: dir, parser: hclparse.NewParser(), modules: map[string]*module{},
		res: &Result{Dir: dir, Outputs: map[string]string{}, Names: map[string]string{}}}
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("%s: internal error reading the configuration: %v", dir, r)
		}
		// Terraform prints its warnings with its errors: those gathered
		// before the load failed go with the error (they often say why).
		if err != nil && len(l.res.Warnings) > 0 {
			err = &LoadError{Err: err, Warnings: l.res.Warnings}
		}
	}()
	if err := l.readManifest(); err != nil {
		return nil, err
	}
	m, err := l.parseModule(dir)
	l.rootMod = m
	if m != nil {
		l.chooseVersion(m)
		l.dropEarlyWarnings()
		if verr := l.checkCoreVersion(m, "", ""); verr != nil {
			return nil, verr
		}
	}
	if err != nil {
		return nil, err
	}
	if missing := l.missingModuleDirs(m, "", map[string]bool{}); len(missing) > 0 {
		var el errorList
		for _, e := range missing {
			el.add(e)
		}
		return nil, el.err()
	}
	vals, err := l.rootVars(m)
	if err != nil {
		return nil, err
	}
	root := l.newInst(m, nil, "", "", vals)
	root.providers = map[string]providerCfg{}
	if err := root.eval(); err != nil && err != errBlocked {
		l.errs.add(err)
	}
	if err := l.checkAWSConstraints(); err != nil {
		l.errs.add(err)
	} else {
		l.errs.add(l.checkRemovedArgs())
		l.errs.add(l.checkAttrRefs())
		l.errs.add(l.checkSchemaLater())
	}
	l.warnDeprecatedArgs()
	if err := l.checkOtherProviders(); err != nil {
		l.errs.add(err)
	}
	if len(l.errs.errs) > 0 {
		// Terraform reports a module's unsupported core version in
		// preference to the errors it likely causes.
		var core errorList
		for _, e := range l.errs.errs {
			if e.Err == errCoreVersion {
				core.add(e)
			}
		}
		if len(core.errs) > 0 {
			l.errs = core
		}
		// A provider block Terraform refuses stops the validation of
		// every resource that depends on the provider: its errors are
		// said alone ([choice]: a module's other errors, which need no
		// provider, are left out too).
		var prov errorList
		for _, e := range l.errs.errs {
			if e.Err == errProviderConfig {
				prov.add(e)
			}
		}
		if len(prov.errs) > 0 && len(core.errs) == 0 {
			l.errs = prov
		}
		// An error of the configuration (plan) stops Terraform before it
		// calls AWS: AWS's refusals, and the provider's refusals met
		// when it plans a resource again during apply (errAtApply), are
		// then not reached.
		var plan, validate errorList
		for _, e := range l.errs.errs {
			if e.Err == nil || e.Err == errValidate {
				plan.add(e)
			}
			if e.Err == errValidate {
				validate.add(e)
			}
		}
		if len(plan.errs) > 0 {
			l.errs = plan
		}
		// terraform plan validates the configuration first: its errors
		// (references to what is not declared, arguments the provider's
		// schema refuses) stop it before any data source is read.
		if len(validate.errs) > 0 {
			l.errs = validate
		}
		for i, e := range l.errs.errs {
			if ae, ok := root.atCall(e).(*Error); ok {
				l.errs.errs[i] = ae
			}
		}
		// AWS's refusals of a configuration read in a region it does not
		// set (us-east-1's zones for "eu-central-1a") say why: the
		// warning that says so is otherwise not printed.
		if l.noRegion != nil {
			for _, e := range l.errs.errs {
				if e.Err != nil && e.Err != errAtApply && e.Err != errProviderConfig && e.Err != errValidate {
					l.errs.add(&Error{File: l.noRegion.File, Line: l.noRegion.Line, Msg: l.noRegion.Msg})
					// Said once: as an error, not again as a warning.
					l.res.Warnings = slices.DeleteFunc(l.res.Warnings, func(w Warning) bool { return w == *l.noRegion })
					break
				}
			}
		}
		return nil, l.errs.err()
	}
	l.noteVersions(m)
	if err := l.finish(); err != nil {
		return nil, err
	}
	for _, o := range m.outputs {
		if v, ok := root.outputs[o.name]; ok {
			l.res.Outputs[o.name] = render(v)
		}
	}
	return l.res, nil
}

// engine creates the engine on first use, in the default provider's
// region.
func (l *loader) engine() *engine.Engine {
	if l.e != nil {
		return l.e
	}
	if l.opts.Base != nil {
		l.e = l.opts.Base.Clone()
		l.e.DeclareIAM() // the configuration declares its instances' profiles
	} else {
		if l.region == "" {
			// No provider block: the provider still takes its region
			// from the environment or the profile (else us-east-1, the
			// engine's).
			l.region = cmp.Or(regionFromEnv(), regionFromProfile("", nil))
			if l.region == "" && !l.fromJSON {
				// Without one the provider refuses to start (a plan or a
				// state was made with a region: not said of them), as with a
				// block that sets none (defaultRegion): say so, and
				// with AWS's refusals of the zones it names.
				l.warnf(hcl.Range{Filename: l.root}, `no provider "aws" block and no region in the environment: Terraform takes the region from AWS_REGION, AWS_DEFAULT_REGION or the profile's region in ~/.aws/config, and without one stops with "Invalid AWS Region: "; ecsnet reads the configuration in us-east-1 (set AWS_REGION, or add a provider "aws" block with region)`)
				w := l.res.Warnings[len(l.res.Warnings)-1]
				l.noRegion = &w
			}
		}
		// The account: the one the default provider's allowed_account_ids
		// names first (checkAccount), else the engine's default.
		cfg := engine.Config{Region: l.region, ZoneLetters: l.zoneLetters(), Account: l.account}
		// A configuration declares its instances' profiles: one without
		// iam_instance_profile has none (engine.WithDeclaredIAM).
		opts := append([]engine.Option{engine.WithIDs(engine.SeededIDs(idSeed)), engine.WithClock(epoch), engine.WithConfig(cfg), engine.WithDeclaredIAM()}, l.opts.EngineOptions...)
		l.e = engine.New(opts...)
	}
	l.region = l.e.Config().Region
	l.account = l.e.Config().Account
	l.res.Engine, l.res.Region = l.e, l.region
	return l.e
}

// zoneLetters chooses the account's zones where accounts differ: in
// us-west-1 an account has a and b, or b and c; a configuration that
// names us-west-1c was written for the latter.
func (l *loader) zoneLetters() string {
	if l.region != "us-west-1" {
		return ""
	}
	var a, c bool
	for _, f := range l.parser.Files() {
		a = a || bytes.Contains(f.Bytes, []byte("us-west-1a"))
		c = c || bytes.Contains(f.Bytes, []byte("us-west-1c"))
	}
	if c && !a {
		return "bc"
	}
	return ""
}

// finish runs the engine to its steady state and summarizes what was
// skipped.
func (l *loader) finish() error {
	e := l.engine()
	if err := e.Converge(); err != nil {
		return err
	}
	// A service created before what its tasks need (the NAT gateway
	// Terraform makes later, with nothing ordering them) has stopped
	// launching; ECS keeps retrying, with back-off, so after apply its
	// tasks start once the cause has gone.
	if e.RetryThrottledServices() > 0 {
		if err := e.Converge(); err != nil {
			return err
		}
	}
	l.checkServices()
	l.noteAssumedRepositories()
	l.checkInstanceProfiles()
	l.checkCertificateIssue()
	l.warningsAtModuleCalls()
	// One line counts what is not modeled and cannot change a verdict;
	// what could is said on its own line where it was met.
	by := map[string]int{}
	n := 0
	for _, r := range l.res.Skipped {
		if strings.Contains(r.Reason, "not analyzed") || strings.HasPrefix(r.Reason, "in region") {
			continue
		}
		by[r.Type]++
		n++
	}
	if n > 0 {
		types := sortedKeys(by)
		sort.SliceStable(types, func(i, j int) bool { return by[types[i]] > by[types[j]] })
		parts := make([]string, len(types))
		for i, t := range types {
			parts[i] = fmt.Sprintf("%d %s", by[t], t)
		}
		word := "resources"
		if n == 1 {
			word = "resource"
		}
		l.res.Warnings = append(l.res.Warnings, Warning{File: l.root, Msg: fmt.Sprintf("%d %s not modelled, of types that do not change how packets flow (-v lists them): %s",
			n, word, strings.Join(parts, ", "))})
	}
	return nil
}

// checkInstanceProfiles warns of the configuration's instances meant for
// an ECS cluster without an instance profile: the ECS agent calls ECS with
// the instance role's credentials, so such an instance never registers,
// on AWS as in ecsnet (the check's ECS_AGENT_NO_CREDENTIALS finding).
func (l *loader) checkInstanceProfiles() {
	made := map[string]Resource{}
	for _, r := range l.res.Resources {
		if r.Type == "aws_instance" || r.Type == "aws_autoscaling_group" {
			made[r.ID] = r
		}
	}
	warned := map[string]bool{}
	var ws []Warning
	l.e.Read(func(st *model.State) {
		for _, in := range st.Instances {
			if in.IAMProfile != "" || !in.IAMDeclared || model.UserDataECSCluster(in.UserData) == "" || in.State != model.InstanceRunning {
				continue
			}
			r, ok := made[string(in.ID)]
			if !ok {
				r, ok = made[in.Tags["aws:autoscaling:groupName"]]
			}
			if !ok || warned[r.Address] {
				continue
			}
			warned[r.Address] = true
			ws = append(ws, Warning{File: r.File, Line: r.Line, Msg: fmt.Sprintf("%s: its instances join an ECS cluster without an instance profile: the ECS agent has no credentials, so they never register (give the instances a profile whose role has AmazonEC2ContainerServiceforEC2Role)", r.Address)})
		}
	})
	sort.Slice(ws, func(i, j int) bool {
		return ws[i].File < ws[j].File || ws[i].File == ws[j].File && ws[i].Line < ws[j].Line
	})
	l.res.Warnings = append(l.res.Warnings, ws...)
}

// checkServices warns about services that did not reach their desired
// count: Terraform would wait for them (wait_for_steady_state) or leave
// them so.
func (l *loader) checkServices() {
	l.e.Read(func(st *model.State) {
		for _, r := range l.services {
			svc := st.Services[r.ID]
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
			msg := fmt.Sprintf("%s: %d of %d tasks running; terraform apply would wait for them (wait_for_steady_state) or leave the service so", r.Address, running, svc.DesiredCount)
			if len(svc.Events) > 0 {
				msg += "; latest service event: " + svc.Events[0].Message
			}
			msg += groupFailures(st, svc)
			l.res.Warnings = append(l.res.Warnings, Warning{File: r.File, Line: r.Line, Msg: msg})
		}
	})
}

// noteAssumedRepositories notes the images of the configuration's task
// definitions that name a repository of the account's own ECR registry
// when the state holds no repository: the configuration manages none, so
// ecsnet takes them to exist. (One that manages repositories gets a
// finding for an image in another of the account's repositories, from
// the analyzer's start check.)
func (l *loader) noteAssumedRepositories() {
	cfg := l.e.Config()
	prefix := engine.RegistryHost(cfg.Region, cfg.Account) + "/"
	l.e.Read(func(st *model.State) {
		if len(st.Repositories) > 0 {
			return
		}
		for _, r := range l.res.Resources {
			td := st.TaskDefinitions[r.ID]
			if r.Type != "aws_ecs_task_definition" || td == nil {
				continue
			}
			for _, c := range td.Containers {
				name, ok := strings.CutPrefix(c.Image, prefix)
				if !ok {
					continue
				}
				if i := strings.IndexAny(name, ":@"); i >= 0 {
					name = name[:i]
				}
				l.res.Notes = append(l.res.Notes, Warning{File: r.File, Line: r.Line, Msg: fmt.Sprintf(
					"%s: the image %s names the repository %s of this account's registry; the configuration manages no ECR repository, so ecsnet takes it to exist",
					r.Address, c.Image, name)})
			}
		}
	})
}

// groupFailures names the Auto Scaling groups behind the capacity
// providers of a service's tasks that are not running, whose latest
// launch failed (the reason their tasks wait in PROVISIONING: an AMI of
// the wrong architecture, an instance type the zone lacks), as
// DescribeScalingActivities would show it, or that are at their maximum
// size with no instance able to take the tasks.
func groupFailures(st *model.State, svc *model.Service) string {
	cps := map[string]bool{}
	for _, t := range st.Tasks {
		if t.ServiceName == svc.Name && t.ClusterARN == svc.ClusterARN && t.LastStatus != model.TaskRunning && t.CapacityProvider != "" {
			cps[t.CapacityProvider] = true
		}
	}
	var out strings.Builder
	for _, f := range st.FailedLaunches(cps) {
		fmt.Fprintf(&out, "; the Auto Scaling group %s of capacity provider %s cannot launch instances: %s", f.Group.Name, f.Provider.Name, f.Group.LastActivity)
	}
	for _, f := range st.FullProviders(cps) {
		fmt.Fprintf(&out, "; the Auto Scaling group %s of capacity provider %s is at its maximum size (%d) and none of its instances can take the tasks: ECS stops them after up to 30 minutes in PROVISIONING", f.Group.Name, f.Provider.Name, f.Group.MaxSize)
	}
	return out.String()
}

// noteVersions says (with -v) which Terraform release and which major of
// hashicorp/aws the configuration is read as, and why: the language and
// the provider's schema follow them.
func (l *loader) noteVersions(root *module) {
	why := "no required_version: the newest release ecsnet reads"
	switch {
	case l.opts.TerraformVersion != "":
		why = "pinned"
	case len(root.coreVersions) > 0:
		var exprs []string
		for _, c := range root.coreVersions {
			exprs = append(exprs, fmt.Sprintf("%q", c.expr))
		}
		why = "the newest release required_version " + strings.Join(exprs, ", ") + " allows"
	}
	var w Warning
	if len(root.coreVersions) > 0 {
		w.File, w.Line = root.coreVersions[0].rng.Filename, root.coreVersions[0].rng.Start.Line
	}
	w.Msg = fmt.Sprintf("read as Terraform %s (%s)", l.terraformVersion(), why)
	l.res.Versions = append(l.res.Versions, w)
	major, awsWhy := l.awsProviderMajor()
	l.res.Versions = append(l.res.Versions, Warning{Msg: fmt.Sprintf("read with hashicorp/aws v%d: %s", major, awsWhy)})
}

// warningsAtModuleCalls moves a warning on a resource a stand-in makes
// (its text starts with the resource's address) from the stand-in's file,
// which the user does not have, to the module block that calls it.
func (l *loader) warningsAtModuleCalls() {
	for i, w := range l.res.Warnings {
		if !IsStandIn(w.File) {
			continue
		}
		best := -1
		for j, r := range l.res.Resources {
			if r.CallFile == "" || !strings.HasPrefix(w.Msg, r.Address) || len(w.Msg) > len(r.Address) && !strings.ContainsRune(" :", rune(w.Msg[len(r.Address)])) {
				continue
			}
			if best < 0 || len(r.Address) > len(l.res.Resources[best].Address) {
				best = j
			}
		}
		if best >= 0 {
			l.res.Warnings[i].File, l.res.Warnings[i].Line = l.res.Resources[best].CallFile, l.res.Resources[best].CallLine
		}
	}
}

func (l *loader) warnf(rng hcl.Range, format string, args ...any) {
	l.res.Warnings = append(l.res.Warnings, Warning{File: rng.Filename, Line: rng.Start.Line, Msg: fmt.Sprintf(format, args...)})
}

// readManifest reads .terraform/modules/modules.json, as `terraform init`
// writes it.
func (l *loader) readManifest() error {
	path := filepath.Join(l.root, ".terraform", "modules", "modules.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var mf struct {
		Modules []struct {
			Key, Source, Version, Dir string
		}
	}
	if err := json.Unmarshal(data, &mf); err != nil {
		return &Error{File: path, Msg: "not a module manifest: " + err.Error() + "; run `terraform init` again"}
	}
	l.manifest = map[string]string{}
	for _, m := range mf.Modules {
		if m.Key == "" {
			continue
		}
		l.manifest[m.Key] = filepath.Join(l.root, filepath.FromSlash(m.Dir))
	}
	return nil
}

// moduleDir finds a called module's directory.
func (l *loader) moduleDir(parent *modInst, c *call) (string, error) {
	key := c.name
	if parent.key != "" {
		key = parent.key + "." + c.name
	}
	if msg := invalidModuleSource(c.source); msg != "" {
		return "", &Error{File: c.srcRange.Filename, Line: c.srcRange.Start.Line, Address: "module." + c.name, Msg: "Invalid module source address: " + msg}
	}
	if dir, ok := l.manifest[key]; ok {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir, nil
		}
		return "", &Error{File: c.srcRange.Filename, Line: c.srcRange.Start.Line, Address: "module." + c.name,
			Msg: fmt.Sprintf("module %q is not installed: %s is missing; run `terraform init`", c.name, l.manifest[key])}
	}
	if strings.HasPrefix(c.source, "./") || strings.HasPrefix(c.source, "../") {
		dir := filepath.Join(parent.mod.dir, filepath.FromSlash(c.source))
		if missing := missingPrefix(dir); missing != "" {
			// `terraform init` does not fetch a local path: it must
			// exist, and init refuses the call as below.
			return "", l.unreadableModuleDir(c, missing)
		}
		return dir, nil
	}
	if dir := standinFor(c.source); dir != "" {
		w := Warning{File: c.srcRange.Filename, Line: c.srcRange.Start.Line,
			Msg: fmt.Sprintf("module %q (source %q) is not installed: ecsnet reads it with its own stand-in for that module (what it makes that shapes the network); `terraform init` installs the real one%s", c.name, c.source, newestNote(c, dir))}
		// A stand-in calling another is ecsnet's reading, said once at
		// the configuration's own call.
		if !IsStandIn(c.srcRange.Filename) && !slices.Contains(l.res.Warnings, w) {
			l.res.Warnings = append(l.res.Warnings, w)
		}
		return dir, nil
	}
	return "", &Error{File: c.srcRange.Filename, Line: c.srcRange.Start.Line, Address: "module." + c.name,
		Msg: fmt.Sprintf("module %q (source %q) is not installed: run `terraform init` in %s (ecsnet reads modules where it leaves them, .terraform/modules/modules.json)", c.name, c.source, l.root)}
}

// unreadableModuleDir is `terraform init`'s error for a module call whose
// local source directory (or a directory above it) does not exist.
func (l *loader) unreadableModuleDir(c *call, missing string) *Error {
	if rel, err := filepath.Rel(l.root, missing); err == nil {
		missing = rel
	}
	return &Error{File: c.srcRange.Filename, Line: c.srcRange.Start.Line, Address: "module." + c.name,
		Msg: fmt.Sprintf("Unreadable module directory: Unable to evaluate directory symlink: lstat %s: no such file or directory (module %q's source %q is a local path, which `terraform init` does not fetch: the directory must be there)", filepath.ToSlash(missing), c.name, c.source)}
}

// missingModuleDirs are the module calls of a module, and of the local
// modules it calls, whose local source directory does not exist:
// `terraform init` reads the whole tree of local modules first and
// refuses the configuration for them alone, before any variable is asked
// for or any other module's error is said.
func (l *loader) missingModuleDirs(m *module, key string, seen map[string]bool) []*Error {
	var errs []*Error
	for _, c := range m.calls {
		if !strings.HasPrefix(c.source, "./") && !strings.HasPrefix(c.source, "../") {
			continue
		}
		k := c.name
		if key != "" {
			k = key + "." + c.name
		}
		if _, ok := l.manifest[k]; ok || IsStandIn(m.dir) {
			continue
		}
		dir := filepath.Join(m.dir, filepath.FromSlash(c.source))
		if missing := missingPrefix(dir); missing != "" {
			errs = append(errs, l.unreadableModuleDir(c, missing))
			continue
		}
		if seen[dir] {
			continue
		}
		seen[dir] = true
		if child, err := l.parseModule(dir); err == nil && child != nil {
			errs = append(errs, l.missingModuleDirs(child, k, seen)...)
		}
	}
	return errs
}

// missingPrefix is the shortest prefix of dir that does not exist, ""
// when dir exists.
func missingPrefix(dir string) string {
	if _, err := os.Lstat(dir); err == nil {
		return ""
	}
	for {
		up := filepath.Dir(dir)
		if up == dir {
			return dir
		}
		if _, err := os.Lstat(up); err == nil {
			return dir
		}
		dir = up
	}
}

// rootVars assembles the root module's variable values: defaults, then
// terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json) in
// lexical order, the var files, then the -var values.
func (l *loader) rootVars(m *module) (map[string]cty.Value, error) {
	given := map[string]cty.Value{}
	rngs := map[string]hcl.Range{}
	// TF_VAR_name environment variables come first, as in Terraform.
	for name, v := range m.vars {
		raw, ok := os.LookupEnv("TF_VAR_" + name)
		if !ok {
			continue
		}
		val, err := parseVarValue(v, name, raw, "TF_VAR_"+name)
		if err != nil {
			return nil, err
		}
		given[name], rngs[name] = val, hcl.Range{}
	}
	var files []string
	for _, f := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if _, err := os.Stat(filepath.Join(l.root, f)); err == nil {
			files = append(files, filepath.Join(l.root, f))
		}
	}
	ents, _ := os.ReadDir(l.root)
	var auto []string
	for _, e := range ents {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".auto.tfvars") || strings.HasSuffix(e.Name(), ".auto.tfvars.json")) {
			auto = append(auto, filepath.Join(l.root, e.Name()))
		}
	}
	sort.Strings(auto)
	files = append(files, auto...)
	files = append(files, l.opts.VarFiles...)
	for _, path := range files {
		var f *hcl.File
		var diags hcl.Diagnostics
		if strings.HasSuffix(path, ".json") {
			f, diags = l.parser.ParseJSONFile(path)
		} else {
			f, diags = l.parser.ParseHCLFile(path)
		}
		if diags.HasErrors() {
			return nil, diagError(diags)
		}
		attrs, diags := f.Body.JustAttributes()
		if diags.HasErrors() {
			return nil, diagError(diags)
		}
		for name, a := range attrs {
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() {
				return nil, diagError(diags)
			}
			if _, ok := m.vars[name]; !ok {
				l.warnf(a.NameRange, "Value for undeclared variable: the root module does not declare a variable named %q", name)
				continue
			}
			given[name], rngs[name] = v, a.Expr.Range()
		}
	}
	names := make([]string, 0, len(l.opts.Vars))
	for k := range l.opts.Vars {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		raw := l.opts.Vars[name]
		v, ok := m.vars[name]
		if !ok {
			return nil, &Error{File: l.root, Msg: fmt.Sprintf("Value for undeclared variable: a variable named %q was assigned (--param), but the root module does not declare a variable of that name", name)}
		}
		val, err := parseVarValue(v, name, raw, "--param")
		if err != nil {
			return nil, err
		}
		given[name] = val
		rngs[name] = hcl.Range{}
	}
	out := map[string]cty.Value{}
	// Terraform names every required variable without a value.
	var missing errorList
	for name, v := range m.vars {
		val, ok := given[name]
		if ok && val.IsNull() && !v.nullable {
			ok = false // a non-nullable variable takes its default for null
		}
		if !ok {
			if v.def == nil {
				missing.add(&Error{File: v.rng.Filename, Line: v.rng.Start.Line, Address: "var." + name,
					Msg: fmt.Sprintf("No value for required variable: the root module input variable %q is not set and has no default; give it with --param %s=VALUE or in terraform.tfvars", name, name)})
				continue
			}
			out[name] = *v.def
			continue
		}
		cv, err := v.convert(val)
		if err != nil {
			r := rngs[name]
			return nil, &Error{File: r.Filename, Line: r.Start.Line, Address: "var." + name, Msg: fmt.Sprintf("Invalid value for input variable: %s", err)}
		}
		out[name] = cv
	}
	if err := missing.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// parseVarValue reads a -var (or TF_VAR_) value: the string itself for
// variables of a primitive type or none, else an HCL expression.
func parseVarValue(v *variable, name, raw, from string) (cty.Value, error) {
	if !v.hclValues {
		return cty.StringVal(raw), nil
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw), "<value for var."+name+">", hcl.Pos{Line: 1, Column: 1})
	if diags.HasErrors() {
		return cty.NilVal, &Error{Msg: fmt.Sprintf("invalid value for var.%s (%s): %s", name, from, diags.Error())}
	}
	val, diags := expr.Value(nil)
	if diags.HasErrors() {
		return cty.NilVal, &Error{Msg: fmt.Sprintf("invalid value for var.%s (%s): %s", name, from, diags.Error())}
	}
	return val, nil
}

// convertTo converts a value to a type, as Terraform converts variable
// values.
func convertTo(v cty.Value, ty cty.Type) (cty.Value, error) {
	if ty == cty.DynamicPseudoType {
		return v, nil
	}
	out, err := convert.Convert(v, ty)
	if err != nil {
		var pe cty.PathError
		if errors.As(err, &pe) && len(pe.Path) > 0 {
			return cty.NilVal, fmt.Errorf("%s: %s", pathString(pe.Path), err)
		}
		return cty.NilVal, err
	}
	return out, nil
}

func pathString(p cty.Path) string {
	var b strings.Builder
	for _, s := range p {
		switch s := s.(type) {
		case cty.GetAttrStep:
			b.WriteString("." + s.Name)
		case cty.IndexStep:
			if s.Key.Type() == cty.String {
				b.WriteString("[" + strconv.Quote(s.Key.AsString()) + "]")
			} else if s.Key.Type() == cty.Number {
				b.WriteString("[" + s.Key.AsBigFloat().String() + "]")
			}
		}
	}
	return strings.TrimPrefix(b.String(), ".")
}

// render renders a value the way `terraform output` shows it: strings
// bare, everything else as JSON.
func render(v cty.Value) string {
	if v.IsNull() || !v.IsWhollyKnown() {
		return ""
	}
	if v.Type() == cty.String {
		return v.AsString()
	}
	b, err := ctyJSON(v)
	if err != nil {
		return ""
	}
	return string(b)
}
