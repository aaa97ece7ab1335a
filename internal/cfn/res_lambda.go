package cfn

import (
	"archive/zip"
	"bytes"
	"cmp"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// typeLambdaFunction is an AWS Lambda function, created through the
// engine's Lambda control plane (engine/lambda.go) as CloudFormation's
// handler calls CreateFunction: the Lambda API lists it, its VPC
// configuration's Hyperplane ENIs are in the VPC, and Lambda's refusals
// (a role Lambda cannot assume, a subnet that does not exist, a runtime
// past its block date) fail the resource with Lambda's words. Ref is the
// function's name; Fn::GetAtt Arn its ARN. FunctionName and PackageType
// replace it, every other property is updated in place
// (AWS::Lambda::Function, "Update requires: No interruption"). No code
// runs: S3Bucket/S3Key are taken without fetching the object [choice].
const typeLambdaFunction = "AWS::Lambda::Function"

// lambdaFunctionProps are AWS::Lambda::Function's properties (the resource
// reference).
func lambdaFunctionProps() []string {
	return []string{"Architectures", "Code", "CodeSigningConfigArn", "DeadLetterConfig", "Description", "Environment",
		"EphemeralStorage", "FileSystemConfigs", "FunctionName", "FunctionScalingConfig", "Handler", "ImageConfig", "KmsKeyArn",
		"Layers", "LoggingConfig", "MemorySize", "PackageType", "RecursiveLoop", "ReservedConcurrentExecutions", "Role",
		"Runtime", "RuntimeManagementConfig", "SnapStartConfig", "Tags", "Timeout", "TracingConfig", "VpcConfig",
		"CapacityProviderConfig", "DurableConfig", "PublishToLatestPublished", "TenancyConfig"}
}

// lambdaFunctionConfig reads the configuration of an
// AWS::Lambda::Function's properties.
func lambdaFunctionConfig(p obj) (model.LambdaConfig, error) {
	var c model.LambdaConfig
	var err error
	if c.PackageType, err = p.str("PackageType"); err != nil {
		return c, err
	}
	if c.Role, err = p.req("Role"); err != nil {
		return c, err
	}
	if c.Runtime, err = p.str("Runtime"); err != nil {
		return c, err
	}
	if c.Handler, err = p.str("Handler"); err != nil {
		return c, err
	}
	if c.Description, err = p.str("Description"); err != nil {
		return c, err
	}
	n, err := p.integer("Timeout", 3)
	if err != nil {
		return c, err
	}
	c.Timeout = int64(n)
	if n, err = p.integer("MemorySize", 128); err != nil {
		return c, err
	}
	c.MemorySize = int64(n)
	es, err := p.object("EphemeralStorage")
	if err != nil {
		return c, err
	}
	if n, err = es.integer("Size", 512); err != nil {
		return c, err
	}
	c.EphemeralStorage = int64(n)
	if c.Architectures, err = p.strs("Architectures"); err != nil {
		return c, err
	}
	env, err := p.object("Environment")
	if err != nil {
		return c, err
	}
	vars, err := env.object("Variables")
	if err != nil {
		return c, err
	}
	if vars.n != nil {
		for _, f := range vars.n.fields {
			if f.val == nil || f.val.kind != scalarNode {
				return c, vars.invalid(f.key, "expected type: String, found: %s", typeName(f.val))
			}
			if c.Environment == nil {
				c.Environment = map[string]string{}
			}
			c.Environment[f.key] = f.val.str
		}
	}
	if c.Layers, err = p.strs("Layers"); err != nil {
		return c, err
	}
	if c.KMSKeyARN, err = p.str("KmsKeyArn"); err != nil {
		return c, err
	}
	tr, err := p.object("TracingConfig")
	if err != nil {
		return c, err
	}
	if c.TracingMode, err = tr.str("Mode"); err != nil {
		return c, err
	}
	dl, err := p.object("DeadLetterConfig")
	if err != nil {
		return c, err
	}
	if c.DeadLetterTarget, err = dl.str("TargetArn"); err != nil {
		return c, err
	}
	vpc, err := p.object("VpcConfig")
	if err != nil {
		return c, err
	}
	subnets, err := vpc.strs("SubnetIds")
	if err != nil {
		return c, err
	}
	groups, err := vpc.strs("SecurityGroupIds")
	if err != nil {
		return c, err
	}
	for _, s := range subnets {
		c.SubnetIDs = append(c.SubnetIDs, model.SubnetID(s))
	}
	for _, g := range groups {
		c.SecurityGroupIDs = append(c.SecurityGroupIDs, model.SecurityGroupID(g))
	}
	return c, nil
}

// lambdaFunctionCode reads Code. ZipFile is the function's source, which
// CloudFormation writes to a file named index (index.js for Node.js,
// index.py for Python) and zips (AWS::Lambda::Function Code, ZipFile).
func lambdaFunctionCode(p obj, runtime string) (engine.LambdaCode, error) {
	var code engine.LambdaCode
	if v := p.get("Code"); v != nil && v.kind == scalarNode && v.str != "" {
		// A local path: a template before "aws cloudformation package",
		// which uploads it and writes its S3Bucket and S3Key. ecsnet takes
		// it as that object, unread [choice].
		return engine.LambdaCode{S3Given: true, S3Bucket: "local", S3Key: v.str}, nil
	}
	o, err := p.object("Code")
	if err != nil {
		return code, err
	}
	if o.n == nil {
		return code, p.missing("Code")
	}
	if o.has("ZipFile") {
		src, err := o.str("ZipFile")
		if err != nil {
			return code, err
		}
		code.ZipFile, code.ZipGiven = inlineZip(src, runtime), true
	}
	if o.has("S3Bucket") || o.has("S3Key") {
		code.S3Given = true
		if code.S3Bucket, err = o.str("S3Bucket"); err != nil {
			return code, err
		}
		if code.S3Key, err = o.str("S3Key"); err != nil {
			return code, err
		}
		if code.S3ObjectVersion, err = o.str("S3ObjectVersion"); err != nil {
			return code, err
		}
	}
	if o.has("ImageUri") {
		code.ImageGiven = true
		if code.ImageURI, err = o.str("ImageUri"); err != nil {
			return code, err
		}
	}
	return code, nil
}

// inlineZip is the .zip file CloudFormation makes of inline source: one
// file, index with the runtime's extension.
func inlineZip(src, runtime string) []byte {
	name := "index"
	switch {
	case strings.HasPrefix(runtime, "nodejs"):
		name += ".js"
	case strings.HasPrefix(runtime, "python"):
		name += ".py"
	}
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, _ := w.Create(name)
	_, _ = f.Write([]byte(src))
	_ = w.Close()
	return buf.Bytes()
}

// lambdaUserTags are the function's Tags property (without
// CloudFormation's own).
func lambdaUserTags(p obj) (model.Tags, error) {
	tags, err := p.tagList()
	if err != nil || tags == nil {
		return model.Tags{}, err
	}
	return tags, nil
}

func createLambdaFunction(c *rctx) error {
	p := c.p
	name, err := c.name("FunctionName", 64)
	if err != nil {
		return err
	}
	cfg, err := lambdaFunctionConfig(p)
	if err != nil {
		return err
	}
	code, err := lambdaFunctionCode(p, cfg.Runtime)
	if err != nil {
		return err
	}
	tags, err := lambdaUserTags(p)
	if err != nil {
		return err
	}
	sys := model.Tags{}
	c.stackTags(sys)
	e := c.e()
	unjudged := false
	if role := p.get("Role"); role != nil && role.answer != "" {
		// A role a custom resource made (its function's answer, which
		// ecsnet does not run) is taken as a role Lambda can assume, named
		// by the resource's id when the answer is not a role's ARN
		// [choice].
		unjudged = true
		if !strings.Contains(cfg.Role, ":iam::") || !strings.Contains(cfg.Role, ":role/") {
			cfg.Role = customRoleARN(c, cfg.Role)
		}
	}
	if _, err := e.CreateLambdaFunction(engine.CreateLambdaFunctionInput{Name: name, Config: cfg, Code: code, Tags: tags,
		StackTags: sys, Active: true, RoleUnjudged: unjudged}); err != nil {
		return err
	}
	if rc, err := p.intPtr("ReservedConcurrentExecutions"); err != nil || rc != nil {
		if err == nil {
			n := int64(*rc)
			_, err = e.PutLambdaConcurrency(name, &n)
		}
		if err != nil {
			_ = e.DeleteLambdaFunction(name, "")
			return p.at("ReservedConcurrentExecutions", err)
		}
	}
	c.setRef(name)
	c.set("Arn", e.LambdaFunctionARN(name, ""))
	return nil
}

// customRoleARN is the role ARN a custom resource's answer stands for:
// the role named by the answer's last part.
func customRoleARN(c *rctx, answer string) string {
	cfg := c.e().Config()
	return "arn:" + model.Partition(cfg.Region) + ":iam::" + cfg.Account + ":role/" + answer[strings.LastIndexAny(answer, ":/")+1:]
}

// updateLambdaFunction applies a change of every property but
// FunctionName and PackageType: the configuration, the code (when Code
// changed), reserved concurrency and tags, each settled before the next
// as CloudFormation waits for the function's update to complete.
func updateLambdaFunction(c *rctx, old obj, changed []string) error {
	cfg, err := lambdaFunctionConfig(c.p)
	if err != nil {
		return err
	}
	e, name := c.e(), c.r.physical
	config := slices.ContainsFunc(changed, func(k string) bool { return k != "Code" && k != "Tags" && k != "ReservedConcurrentExecutions" })
	if config {
		if _, err := e.UpdateLambdaFunctionConfiguration(name, "", func(lc *model.LambdaConfig) {
			lc.Role, lc.Runtime, lc.Handler, lc.Description = cfg.Role, cfg.Runtime, cfg.Handler, cfg.Description
			lc.Timeout, lc.MemorySize, lc.EphemeralStorage = cfg.Timeout, cfg.MemorySize, cfg.EphemeralStorage
			lc.Environment, lc.Layers, lc.KMSKeyARN = cfg.Environment, cfg.Layers, cfg.KMSKeyARN
			lc.TracingMode, lc.DeadLetterTarget = cmp.Or(cfg.TracingMode, "PassThrough"), cfg.DeadLetterTarget
			lc.SubnetIDs, lc.SecurityGroupIDs = cfg.SubnetIDs, cfg.SecurityGroupIDs
		}); err != nil {
			return err
		}
		if err := e.SettleLambdaFunction(name); err != nil {
			return err
		}
	}
	if slices.Contains(changed, "Code") || slices.Contains(changed, "Architectures") {
		code, err := lambdaFunctionCode(c.p, cfg.Runtime)
		if err != nil {
			return err
		}
		if _, err := e.UpdateLambdaFunctionCode(name, "", code, cfg.Architectures, false); err != nil {
			return c.p.at("Code", err)
		}
		if err := e.SettleLambdaFunction(name); err != nil {
			return err
		}
	}
	if slices.Contains(changed, "ReservedConcurrentExecutions") {
		rc, err := c.p.intPtr("ReservedConcurrentExecutions")
		if err != nil {
			return err
		}
		var n *int64
		if rc != nil {
			v := int64(*rc)
			n = &v
		}
		if _, err := e.PutLambdaConcurrency(name, n); err != nil {
			return c.p.at("ReservedConcurrentExecutions", err)
		}
	}
	if slices.Contains(changed, "Tags") {
		tags, err := lambdaUserTags(c.p)
		if err != nil {
			return err
		}
		was, err := lambdaUserTags(old)
		if err != nil {
			return err
		}
		var remove []string
		for k := range was {
			if _, ok := tags[k]; !ok {
				remove = append(remove, k)
			}
		}
		if err := e.TagLambdaFunction(e.LambdaFunctionARN(name, ""), tags, remove); err != nil {
			return c.p.at("Tags", err)
		}
	}
	return nil
}

// lambdaUpdatesInPlace: every property but FunctionName and PackageType
// ("Update requires: Replacement").
func lambdaUpdatesInPlace(prop string) bool { return prop != "FunctionName" && prop != "PackageType" }

// deleteLambdaFunction deletes the function with its versions; one
// deleted outside the stack is gone already.
func deleteLambdaFunction(e *engine.Engine, name string) error {
	err := e.DeleteLambdaFunction(name, "")
	if apierr.HasCode(err, "ResourceNotFoundException") {
		return nil
	}
	return err
}
