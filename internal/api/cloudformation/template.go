package cloudformation

import (
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/cfn"
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
}

// templateIn reads the request's template (TemplateBody or TemplateURL).
func templateIn(c interface{ String(string) string }, name string) (*parsed, error) {
	body, url := c.String("TemplateBody"), c.String("TemplateURL")
	switch {
	case body == "" && url == "":
		return nil, validation("Either Template URL or Template Body must be specified.")
	case body != "" && url != "":
		return nil, validation("Specify exactly one of TemplateBody or TemplateUrl.")
	case url != "":
		return nil, validation("S3 error: ecsnet cannot read templates from S3 or any URL (TemplateURL %s); pass the template as TemplateBody (aws cloudformation deploy does without --s3-bucket)", url)
	}
	return parseBody(body, name)
}

// parseBody parses and checks a template's text.
func parseBody(body, name string) (*parsed, error) {
	if len(body) > maxTemplateBody {
		return nil, validation("1 validation error detected: Value '%.20s...' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to %d", body, maxTemplateBody)
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
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(body), &root); err != nil || len(root.Content) == 0 {
		return p, nil
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
		if props := mapGet(def, "Properties"); props != nil && strings.HasPrefix(r.Type, "AWS::IAM::") {
			for _, k := range []string{"RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"} {
				if mapGet(props, k) != nil {
					r.Named = true
				}
			}
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

func validation(format string, args ...any) error {
	return apierr.Newf("ValidationError", format, args...)
}
