package cloudformation

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// maxTemplateBody is CloudFormation's limit on a TemplateBody (bytes).
const maxTemplateBody = 51200

// tplResource is a resource as the template declares it: what change sets
// compare and the capability check reads.
type tplResource struct {
	Type  string
	Props string // the definition, re-encoded canonically
	Named bool   // an IAM resource with an explicit name
}

// parsed is a template read for the API: the checked template (internal/cfn)
// and its resources.
type parsed struct {
	body      string
	tpl       *cfn.Template
	resources map[string]tplResource
	order     []string // logical ids in template order
	metadata  *yaml.Node
	// transforms are the template's declared Transform macros.
	transforms []string
	// nested are the nested templates the operation read, by TemplateURL.
	nested nestedTemplates
}

// nestedTemplates holds the nested stacks' templates one operation read
// from S3, by TemplateURL: each is read and parsed once, for the
// preflight, the deploy and the nested stacks' records (CloudFormation
// reads a nested template once per operation).
type nestedTemplates map[string]nestedTemplate

// nestedTemplate is one nested template read: its text and parse, or why
// it could not be read or parsed.
type nestedTemplate struct {
	text string
	tpl  *cfn.Template
	err  error
}

// get returns the template url names, its text and parse, read from S3
// (global holds the buckets) the first time.
func (n *nestedTemplates) get(global *engine.Engine, url string) (string, *cfn.Template, error) {
	if x, ok := (*n)[url]; ok {
		return x.text, x.tpl, x.err
	}
	if *n == nil {
		*n = nestedTemplates{}
	}
	var x nestedTemplate
	if x.text, x.err = templateFromS3(global, url); x.err == nil {
		x.tpl, x.err = cfn.ParseTemplate(url, []byte(x.text))
	}
	if x.err != nil {
		x.text, x.tpl = "", nil
	}
	(*n)[url] = x
	return x.text, x.tpl, x.err
}

// resourceMetadata is DescribeStackResource's Metadata: the resource's
// Metadata attribute as JSON, "{}" when it has none.
func resourceMetadata(def string) string {
	var d struct {
		Metadata any `yaml:"Metadata"`
	}
	if yaml.Unmarshal([]byte(def), &d) != nil || d.Metadata == nil {
		return "{}"
	}
	b, err := json.Marshal(d.Metadata)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// nullAt returns the JSON pointer of the first null value in n (document
// order), "" when there is none: CloudFormation refuses such a template
// ("[/Outputs/MyOutput/Value] 'null' values are not allowed in
// templates").
func nullAt(n *yaml.Node, path string) string {
	switch n.Kind {
	case yaml.AliasNode:
		// Not followed: aliases nested in aliases name exponentially many
		// nodes (a billion laughs), and cfn.ParseTemplate refuses a
		// template with any.
		return ""
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return path
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if p := nullAt(n.Content[i+1], path+"/"+n.Content[i].Value); p != "" {
				return p
			}
		}
	case yaml.SequenceNode:
		for i, it := range n.Content {
			if p := nullAt(it, fmt.Sprintf("%s/%d", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

// metadataText is GetTemplateSummary's Metadata: the template's Metadata
// section as AWS prints it, a Python-style literal ("{'TopicName':
// 'sns-topic-simple'}"), not JSON.
func metadataText(n *yaml.Node) string {
	var b strings.Builder
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch n.Kind {
		case yaml.AliasNode:
			if n.Alias != nil {
				walk(n.Alias)
			}
		case yaml.MappingNode:
			b.WriteByte('{')
			for i := 0; i+1 < len(n.Content); i += 2 {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(pyString(n.Content[i].Value))
				b.WriteString(": ")
				walk(n.Content[i+1])
			}
			b.WriteByte('}')
		case yaml.SequenceNode:
			b.WriteByte('[')
			for i, it := range n.Content {
				if i > 0 {
					b.WriteString(", ")
				}
				walk(it)
			}
			b.WriteByte(']')
		case yaml.ScalarNode:
			switch n.Tag {
			case "!!null":
				b.WriteString("None")
			case "!!bool":
				if strings.EqualFold(n.Value, "true") {
					b.WriteString("True")
				} else {
					b.WriteString("False")
				}
			case "!!int", "!!float":
				b.WriteString(n.Value)
			default:
				b.WriteString(pyString(n.Value))
			}
		}
	}
	walk(n)
	return b.String()
}

// pyString quotes s as Python's repr does: single quotes, unless s has a
// single quote and no double one.
func pyString(s string) string {
	q := byte('\'')
	if strings.Contains(s, "'") && !strings.Contains(s, "\"") {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(q):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// templateIn reads the request's template: TemplateBody, or the S3 object
// TemplateURL names, read from the emulator's own S3 (c.IAM's engine, the
// partition's global region, holds the buckets).
func templateIn(c *api.Call, name string) (*parsed, error) {
	body, tplURL := c.In.String("TemplateBody"), c.In.String("TemplateURL")
	switch {
	case body == "" && tplURL == "":
		return nil, validation("Either Template URL or Template Body must be specified.")
	case body != "" && tplURL != "":
		return nil, validation("Specify exactly one of TemplateBody or TemplateUrl.")
	case tplURL != "":
		text, err := s3TextIn(c, tplURL)
		if err != nil {
			return nil, err
		}
		return parseBody(text, name)
	}
	if len(body) > maxTemplateBody {
		return nil, validation("1 validation error detected: Value '%.20s...' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to %d", body, maxTemplateBody)
	}
	return parseBody(body, name)
}

// s3TextIn returns the text of the S3 object a request's URL names
// (TemplateURL, StackPolicyURL): checkTemplateURL's refusal, or
// templateFromS3's error as a ValidationError.
func s3TextIn(c *api.Call, url string) (string, error) {
	if err := checkTemplateURL(url); err != nil {
		return "", err
	}
	global, err := c.IAM()
	if err != nil {
		return "", err
	}
	text, err := templateFromS3(global, url)
	if err != nil {
		return "", validation("%s", err.Error())
	}
	return text, nil
}

// maxTemplateS3 is CloudFormation's limit on a template read from S3
// (bytes): 1 MB, where a TemplateBody may have 51,200.
const maxTemplateS3 = 1 << 20

// s3ErrorsDoc ends the S3 errors CloudFormation relays.
const s3ErrorsDoc = " For more information check http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html"

// templateFromS3 returns the text of the S3 object an S3 URL names
// (path style, https://s3.REGION.amazonaws.com/BUCKET/KEY, or
// virtual-hosted, https://BUCKET.s3.REGION.amazonaws.com/KEY; a
// versionId query names a version), read from the buckets global holds.
// Its error is the text CloudFormation answers ("S3 error: …").
func templateFromS3(global *engine.Engine, raw string) (string, error) {
	bucket, key, version, ok := s3Object(raw)
	if !ok {
		return "", fmt.Errorf("TemplateURL must be a supported URL.")
	}
	var o *model.S3Object
	var hasBucket bool
	global.Read(func(st *model.State) {
		hasBucket = st.Buckets[bucket] != nil
		if version != "" {
			o = engine.ObjectVersion(st, bucket, key, version)
		} else {
			o = st.S3Objects[model.S3ObjectKey(bucket, key)]
		}
	})
	switch {
	case !hasBucket:
		return "", fmt.Errorf("S3 error: The specified bucket does not exist" + s3ErrorsDoc)
	case o == nil || o.DeleteMarker:
		return "", fmt.Errorf("S3 error: The specified key does not exist." + s3ErrorsDoc)
	case len(o.Body) > maxTemplateS3:
		return "", fmt.Errorf("Template may not exceed %d bytes in size.", maxTemplateS3)
	}
	return string(o.Body), nil
}

// s3Object splits an S3 URL that checkTemplateURL accepted into its
// bucket, key and version: the bucket is the labels before the s3 label of
// a virtual-hosted name, else the path's first segment.
func s3Object(raw string) (bucket, key, version string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", "", false
	}
	version = u.Query().Get("versionId")
	labels := strings.Split(strings.ToLower(u.Hostname()), ".")
	for i, l := range labels {
		if l == "s3" || strings.HasPrefix(l, "s3-") {
			if i > 0 {
				return strings.Join(labels[:i], "."), strings.TrimPrefix(u.Path, "/"), version, u.Path != "" && u.Path != "/"
			}
			break
		}
	}
	bucket, key, _ = strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	return bucket, key, version, bucket != "" && key != ""
}

// checkTemplateURL refuses a TemplateURL CloudFormation does not read:
// only HTTPS URLs of S3 (path style, s3.amazonaws.com/bucket/key, or
// virtual-hosted, bucket.s3.amazonaws.com/key, regional endpoints too)
// name a template; an s3:// URL names no S3 domain. A path-style URL on
// an IP address or localhost names the emulator's own S3: `aws
// cloudformation deploy --s3-bucket` and `aws cloudformation package`
// write the template's URL on the endpoint the CLI was given.
func checkTemplateURL(raw string) error {
	if rest, ok := strings.CutPrefix(raw, "s3://"); ok {
		bucket, _, _ := strings.Cut(rest, "/")
		return validation("S3 error: Domain name specified in %s is not a valid S3 domain", bucket)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || !s3Host(u.Hostname()) && !emulatorHost(u.Hostname()) {
		return validation("TemplateURL must be a supported URL.")
	}
	return nil
}

// emulatorHost reports whether host names this machine's emulator rather
// than a public S3 endpoint: an IP address or localhost.
func emulatorHost(host string) bool {
	if host == "localhost" {
		return true
	}
	_, err := netip.ParseAddr(host)
	return err == nil
}

// s3Host reports whether host is an S3 endpoint name (s3.amazonaws.com,
// s3.REGION.amazonaws.com, s3-REGION.amazonaws.com, with or without a
// bucket in front; amazonaws.com.cn in China).
func s3Host(host string) bool {
	for _, suffix := range []string{".amazonaws.com", ".amazonaws.com.cn"} {
		name, ok := strings.CutSuffix(host, suffix)
		if !ok {
			continue
		}
		labels := strings.Split(name, ".")
		for _, l := range labels {
			if l == "s3" || strings.HasPrefix(l, "s3-") {
				return true
			}
		}
	}
	return false
}

// parseBody parses and checks a template's text (a TemplateBody).
func parseBody(body, name string) (*parsed, error) {
	var root yaml.Node
	if yaml.Unmarshal([]byte(body), &root) == nil && len(root.Content) > 0 {
		if path := nullAt(root.Content[0], ""); path != "" {
			return nil, validation("[%s] 'null' values are not allowed in templates", path)
		}
	}
	tpl, err := cfn.ParseTemplate(name, []byte(body))
	if err != nil {
		return nil, validation("%s", templateMessage(err))
	}
	p := &parsed{body: body, tpl: tpl, resources: map[string]tplResource{}}
	for _, r := range tpl.Resources() {
		p.resources[r.LogicalID] = tplResource{Type: r.Type}
		p.order = append(p.order, r.LogicalID)
	}
	// The definitions, re-encoded, for change sets and named IAM
	// resources (cfn has checked the template; YAML reads JSON too).
	if len(root.Content) == 0 {
		return p, nil
	}
	p.metadata = mapGet(root.Content[0], "Metadata")
	if tr := mapGet(root.Content[0], "Transform"); tr != nil {
		switch tr.Kind {
		case yaml.ScalarNode:
			p.transforms = []string{tr.Value}
		case yaml.SequenceNode:
			for _, it := range tr.Content {
				if it.Kind == yaml.ScalarNode {
					p.transforms = append(p.transforms, it.Value)
				}
			}
		}
	}
	res := mapGet(root.Content[0], "Resources")
	if res == nil || res.Kind != yaml.MappingNode {
		return p, nil
	}
	for i := 0; i+1 < len(res.Content); i += 2 {
		logical, def := res.Content[i].Value, res.Content[i+1]
		r, ok := p.resources[logical]
		if !ok {
			continue
		}
		if out, err := yaml.Marshal(def); err == nil {
			r.Props = string(out)
		}
		// The property that names the resource itself: an access key's
		// UserName, a UserToGroupAddition's GroupName name another
		// resource, and need CAPABILITY_IAM only.
		if k := iamNameProp(r.Type); k != "" && mapGet(mapGet(def, "Properties"), k) != nil {
			r.Named = true
		}
		p.resources[logical] = r
	}
	return p, nil
}

func mapGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// templateMessage is a template error as CloudFormation words it: the
// message, without ecsnet's file and line.
func templateMessage(err error) string {
	if ce, ok := err.(*cfn.Error); ok {
		msg := ce.Msg
		if ce.Resource != "" {
			msg = ce.Resource + ": " + msg
		}
		return msg
	}
	return err.Error()
}

// iamTypes are the resource types that need CAPABILITY_IAM.
var iamTypes = map[string]bool{
	"AWS::IAM::AccessKey": true, "AWS::IAM::Group": true, "AWS::IAM::InstanceProfile": true, "AWS::IAM::Policy": true,
	"AWS::IAM::ManagedPolicy": true, "AWS::IAM::Role": true, "AWS::IAM::User": true, "AWS::IAM::UserToGroupAddition": true,
}

// iamNameProp returns the property that gives an IAM resource of type typ
// a custom name (CAPABILITY_NAMED_IAM), "" for none.
func iamNameProp(typ string) string {
	switch typ {
	case "AWS::IAM::Role":
		return "RoleName"
	case "AWS::IAM::User":
		return "UserName"
	case "AWS::IAM::Group":
		return "GroupName"
	case "AWS::IAM::ManagedPolicy":
		return "ManagedPolicyName"
	case "AWS::IAM::InstanceProfile":
		return "InstanceProfileName"
	}
	return ""
}

// capabilities returns the capability the template needs ("" for none)
// and the reason, as GetTemplateSummary and ValidateTemplate report it.
func (p *parsed) capabilities() (string, string) {
	need := ""
	var which []string
	for _, id := range p.order {
		r := p.resources[id]
		if !iamTypes[r.Type] {
			continue
		}
		which = append(which, id)
		if r.Named {
			need = "CAPABILITY_NAMED_IAM"
		} else if need == "" {
			need = "CAPABILITY_IAM"
		}
	}
	if need == "" {
		return "", ""
	}
	return need, "The following resource(s) require capabilities: [" + strings.Join(typesOf(p, which), ", ") + "]"
}

func typesOf(p *parsed, ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		t := p.resources[id].Type
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// checkCapabilities is CloudFormation's InsufficientCapabilitiesException
// for a template with IAM resources created without acknowledging them.
func (p *parsed) checkCapabilities(given []string) error {
	need, _ := p.capabilities()
	has := map[string]bool{}
	for _, c := range given {
		has[c] = true
	}
	switch {
	case need == "":
		return nil
	case need == "CAPABILITY_IAM" && (has["CAPABILITY_IAM"] || has["CAPABILITY_NAMED_IAM"]):
		return nil
	case need == "CAPABILITY_NAMED_IAM" && has["CAPABILITY_NAMED_IAM"]:
		return nil
	}
	return apierr.New("InsufficientCapabilitiesException", "Requires capabilities : ["+need+"]")
}

// checkAutoExpand is CloudFormation's InsufficientCapabilitiesException
// for a stack created or updated directly (not through a change set) from
// a template with macros: a Transform (AWS::Serverless, AWS::Include,
// AWS::LanguageExtensions, … are macros CloudFormation hosts) or
// Fn::Transform, without CAPABILITY_AUTO_EXPAND.
func (p *parsed) checkAutoExpand(given []string) error {
	if !p.hasTransforms() {
		return nil
	}
	if slices.Contains(given, "CAPABILITY_AUTO_EXPAND") {
		return nil
	}
	return apierr.New("InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_AUTO_EXPAND]")
}

// hasTransforms reports whether the template declares a transform (macro)
// or calls Fn::Transform.
func (p *parsed) hasTransforms() bool {
	return len(p.transforms) > 0 || strings.Contains(p.body, "Fn::Transform") || strings.Contains(p.body, "!Transform")
}

// checkResourceTypes is the ResourceTypes parameter of CreateStack,
// UpdateStack and CreateChangeSet: given, every resource of the template must
// be of a type it names, as AWS::*, AWS::service::*, Custom::* or a full type
// name; the first resource (in template order) that is not is refused.
func (p *parsed) checkResourceTypes(in awsproto.Params) error {
	if !in.Has("ResourceTypes") {
		return nil
	}
	allowed := in.Strings("ResourceTypes")
	for _, id := range p.order {
		t := p.resources[id].Type
		if !slices.ContainsFunc(allowed, func(a string) bool { return resourceTypeAllowed(a, t) }) {
			return validation("Resource type %s is not allowed by parameter ResourceTypes [%s]", t, strings.Join(allowed, ", "))
		}
	}
	return nil
}

func resourceTypeAllowed(pattern, typ string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "::*"); ok {
		return strings.HasPrefix(typ, prefix+"::")
	}
	return pattern == typ
}

// checkRollbackConfiguration refuses rollback triggers CloudFormation
// cannot monitor: each must be of type AWS::CloudWatch::Alarm (checked
// first) and name an alarm by its ARN (arn:PARTITION:cloudwatch:REGION:
// ACCOUNT:alarm:NAME). ecsnet emulates no CloudWatch alarms, so a
// well-formed trigger is not looked up.
func checkRollbackConfiguration(in awsproto.Params) error {
	for _, t := range in.Struct("RollbackConfiguration").Structs("RollbackTriggers") {
		if t.String("Type") != "AWS::CloudWatch::Alarm" {
			return validation("Rollback Trigger Type not supported")
		}
		parts := strings.SplitN(t.String("Arn"), ":", 7)
		if len(parts) != 7 || parts[0] != "arn" || parts[2] != "cloudwatch" || parts[5] != "alarm" || parts[6] == "" {
			return validation("RelativeId of a Rollback Trigger's ARN is incorrect")
		}
	}
	return nil
}

// rollbackConfigIn reads a request's RollbackConfiguration: given reports
// whether it has one (an update without one keeps the stack's).
func rollbackConfigIn(in awsproto.Params) (triggers []model.RollbackTrigger, minutes int64, given bool) {
	if !in.Has("RollbackConfiguration") {
		return nil, 0, false
	}
	rc := in.Struct("RollbackConfiguration")
	for _, t := range rc.Structs("RollbackTriggers") {
		triggers = append(triggers, model.RollbackTrigger{Arn: t.String("Arn"), Type: t.String("Type")})
	}
	return triggers, rc.Int("MonitoringTimeInMinutes"), true
}

// rollbackConfigOut is DescribeStacks' RollbackConfiguration ({} when
// the stack has none).
func rollbackConfigOut(s *model.Stack) map[string]any {
	out := map[string]any{}
	if len(s.RollbackTriggers) > 0 {
		list := make([]map[string]any, len(s.RollbackTriggers))
		for i, t := range s.RollbackTriggers {
			list[i] = map[string]any{"Arn": t.Arn, "Type": t.Type}
		}
		out["RollbackTriggers"] = list
	}
	if s.RollbackMonitoringMinutes > 0 {
		out["MonitoringTimeInMinutes"] = s.RollbackMonitoringMinutes
	}
	return out
}

func validation(format string, args ...any) error {
	return apierr.Newf("ValidationError", format, args...)
}
