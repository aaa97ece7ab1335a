package cfn

import (
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS::Lambda::Permission, ::Version and ::Alias: AddPermission,
// PublishVersion and CreateAlias on a function of the engine's Lambda
// (res_lambda.go, and SAM's functions: sam_function.go). A function the
// engine does not have (one of another account or stack ecsnet has not
// seen) leaves them placeholders
// with a warning [choice]: they do not change how packets flow.
const (
	typeLambdaPermission = "AWS::Lambda::Permission"
	typeLambdaVersion    = "AWS::Lambda::Version"
	typeLambdaAlias      = "AWS::Lambda::Alias"
)

// lambdaFunctionOf returns the function FunctionName names (its name and
// the qualifier it carries), ok false when the engine has none of that
// name; a FunctionName that is no function's name or ARN is Lambda's
// ValidationException.
func lambdaFunctionOf(c *rctx) (name, qualifier string, ok bool, err error) {
	ref, err := c.p.req("FunctionName")
	if err != nil {
		return "", "", false, err
	}
	var found bool
	c.read(func(st *model.State) {
		_, _, err = c.e().LambdaFunction(st, ref, "")
		found = err == nil
	})
	if apierr.HasCode(err, "ValidationException") {
		return "", "", false, c.p.at("FunctionName", err)
	}
	name, qualifier, _ = engine.ParseLambdaFunctionRef(ref)
	if !found && !apierr.HasCode(err, "ResourceNotFoundException") {
		return "", "", false, c.p.at("FunctionName", err)
	}
	if !found {
		c.s.warnf(c.p.line_("FunctionName"), "%s (%s): function %s is not one ecsnet created (another stack's or account's); the resource is a placeholder",
			c.r.def.name, c.r.def.typ, ref)
		c.keep("Placeholder", "true")
	}
	return name, qualifier, found, nil
}

// createLambdaPermission adds a statement whose id CloudFormation
// generates; Ref and Fn::GetAtt Id are that id [probable].
func createLambdaPermission(c *rctx) error {
	p := c.p
	var in engine.AddLambdaPermissionInput
	var err error
	if in.Action, err = p.req("Action"); err != nil {
		return err
	}
	if in.Principal, err = p.req("Principal"); err != nil {
		return err
	}
	if in.SourceARN, err = p.str("SourceArn"); err != nil {
		return err
	}
	if in.SourceAccount, err = p.str("SourceAccount"); err != nil {
		return err
	}
	if in.PrincipalOrg, err = p.str("PrincipalOrgID"); err != nil {
		return err
	}
	if in.FunctionURLAuthType, err = p.str("FunctionUrlAuthType"); err != nil {
		return err
	}
	name, q, ok, err := lambdaFunctionOf(c)
	if err != nil {
		return err
	}
	sid := c.s.physicalName(c.r.def.name, 100)
	if ok {
		in.Function, in.Qualifier, in.Sid = name, q, sid
		if _, err := c.e().AddLambdaPermission(in); err != nil {
			return err
		}
	}
	c.keep("FunctionName", name)
	c.keep("Qualifier", q)
	c.setRef(sid)
	c.set("Id", sid)
	return nil
}

// createLambdaVersion publishes $LATEST: Ref is the version's ARN,
// Fn::GetAtt Version its number and FunctionArn the function's ARN.
func createLambdaVersion(c *rctx) error {
	sha, err := c.p.str("CodeSha256")
	if err != nil {
		return err
	}
	name, _, ok, err := lambdaFunctionOf(c)
	if err != nil {
		return err
	}
	e := c.e()
	version := "1"
	if ok {
		_, v, err := e.PublishLambdaVersion(name, sha, "")
		if err != nil {
			return err
		}
		version = v.Version
	}
	c.setRef(e.LambdaFunctionARN(name, version))
	c.set("Version", version)
	c.set("FunctionArn", e.LambdaFunctionARN(name, ""))
	c.keep("FunctionName", name)
	c.keep("Version", version)
	return nil
}

// lambdaAliasOf reads an alias's version, description and routing.
func lambdaAliasOf(p obj) (model.LambdaAlias, error) {
	var a model.LambdaAlias
	var err error
	if a.Name, err = p.req("Name"); err != nil {
		return a, err
	}
	if a.FunctionVersion, err = p.req("FunctionVersion"); err != nil {
		return a, err
	}
	if a.Description, err = p.str("Description"); err != nil {
		return a, err
	}
	rc, err := p.object("RoutingConfig")
	if err != nil {
		return a, err
	}
	ws, err := rc.objects("AdditionalVersionWeights")
	if err != nil {
		return a, err
	}
	for _, w := range ws {
		v, err := w.req("FunctionVersion")
		if err != nil {
			return a, err
		}
		f, err := w.number("FunctionWeight")
		if err != nil {
			return a, err
		}
		if a.AdditionalVersionWeights == nil {
			a.AdditionalVersionWeights = map[string]float64{}
		}
		a.AdditionalVersionWeights[v] = f
	}
	return a, nil
}

// createLambdaAlias creates an alias: Ref and Fn::GetAtt AliasArn are
// its ARN.
func createLambdaAlias(c *rctx) error {
	a, err := lambdaAliasOf(c.p)
	if err != nil {
		return err
	}
	name, _, ok, err := lambdaFunctionOf(c)
	if err != nil {
		return err
	}
	e := c.e()
	if ok {
		if _, _, err := e.CreateLambdaAlias(name, a); err != nil {
			return err
		}
	}
	arn := e.LambdaFunctionARN(name, a.Name)
	c.setRef(arn)
	c.set("AliasArn", arn)
	c.keep("FunctionName", name)
	c.keep("Name", a.Name)
	return nil
}

// updateLambdaAlias changes the version, description and routing of an
// alias in place (Name and FunctionName replace it).
func updateLambdaAlias(c *rctx, _ obj, _ []string) error {
	a, err := lambdaAliasOf(c.p)
	if err != nil {
		return err
	}
	if c.r.keys["Placeholder"] == "true" {
		return nil
	}
	_, _, err = c.e().UpdateLambdaAlias(c.r.keys["FunctionName"], a.Name, "", func(old *model.LambdaAlias) {
		old.FunctionVersion, old.Description, old.AdditionalVersionWeights = a.FunctionVersion, a.Description, a.AdditionalVersionWeights
	})
	return err
}

// lambdaAliasUpdatesInPlace: FunctionVersion, Description, RoutingConfig
// and ProvisionedConcurrencyConfig ("No interruption").
func lambdaAliasUpdatesInPlace(prop string) bool { return prop != "Name" && prop != "FunctionName" }

// deleteLambdaRef removes a permission's statement, a version or an
// alias; one gone with its function (or outside the stack) is gone.
func deleteLambdaRef(e *engine.Engine, r Resource, id string) error {
	if r.Keys["Placeholder"] == "true" {
		return nil
	}
	fn := r.Keys["FunctionName"]
	var err error
	switch r.Type {
	case typeLambdaPermission:
		err = e.RemoveLambdaPermission(fn, r.Keys["Qualifier"], id, "")
	case typeLambdaVersion:
		err = e.DeleteLambdaFunction(fn, r.Keys["Version"])
	case typeLambdaAlias:
		err = e.DeleteLambdaAlias(fn, r.Keys["Name"])
	}
	if apierr.HasCode(err, "ResourceNotFoundException") {
		return nil
	}
	return err
}
