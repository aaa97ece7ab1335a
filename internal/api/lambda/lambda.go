// Package lambda serves AWS Lambda's control plane (REST-JSON) for the
// functions Terraform configurations and scripts create beside ECS:
// functions (Zip or Image; in a VPC, a Hyperplane ENI per subnet), their
// versions, resource-based policies, reserved concurrency and tags. No
// code runs: Invoke answers an empty JSON object [choice] with the
// invocation type's status (200, 202 Event, 204 DryRun).
package lambda

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the Lambda handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("lambda", op, h) }
	registerLimits(r)
	add("CreateFunction", createFunction)
	add("GetFunction", getFunction)
	add("GetFunctionConfiguration", getFunctionConfiguration)
	add("UpdateFunctionCode", updateFunctionCode)
	add("UpdateFunctionConfiguration", updateFunctionConfiguration)
	add("DeleteFunction", deleteFunction)
	add("ListFunctions", listFunctions)
	add("TagResource", tagResource)
	add("UntagResource", untagResource)
	add("ListTags", listTags)
	add("GetFunctionCodeSigningConfig", getFunctionCodeSigningConfig)
	add("ListVersionsByFunction", listVersionsByFunction)
	add("PublishVersion", publishVersion)
	add("AddPermission", addPermission)
	add("RemovePermission", removePermission)
	add("GetPolicy", getPolicy)
	add("GetFunctionConcurrency", getFunctionConcurrency)
	add("PutFunctionConcurrency", putFunctionConcurrency)
	add("DeleteFunctionConcurrency", deleteFunctionConcurrency)
	add("GetFunctionUrlConfig", getFunctionURLConfig)
	add("CreateFunctionUrlConfig", createFunctionURLConfig)
	add("UpdateFunctionUrlConfig", updateFunctionURLConfig)
	add("DeleteFunctionUrlConfig", deleteFunctionURLConfig)
	add("ListFunctionUrlConfigs", listFunctionURLConfigs)
	add("Invoke", invoke)
	add("CreateAlias", createAlias)
	add("GetAlias", getAlias)
	add("UpdateAlias", updateAlias)
	add("DeleteAlias", deleteAlias)
	add("ListAliases", listAliases)
	add("GetAccountSettings", getAccountSettings)
	add("PutFunctionEventInvokeConfig", putFunctionEventInvokeConfig)
	add("UpdateFunctionEventInvokeConfig", updateFunctionEventInvokeConfig)
	add("GetFunctionEventInvokeConfig", getFunctionEventInvokeConfig)
	add("DeleteFunctionEventInvokeConfig", deleteFunctionEventInvokeConfig)
	add("ListFunctionEventInvokeConfigs", listFunctionEventInvokeConfigs)
}

// lastModified is Lambda's LastModified format (ISO 8601 with
// milliseconds and a +0000 offset).
func lastModified(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000-0700") }

// configOut is a FunctionConfiguration of $LATEST (v nil) or a version.
func configOut(c *api.Call, fn *model.LambdaFunction, v *model.LambdaVersion) map[string]any {
	cfg, version := fn.Config, "$LATEST"
	if v != nil {
		cfg, version = v.Config, v.Version
	}
	arn := c.Engine.LambdaFunctionARN(fn.Name, "")
	if v != nil {
		arn = c.Engine.LambdaFunctionARN(fn.Name, version)
	}
	out := map[string]any{
		"FunctionName": fn.Name, "FunctionArn": arn, "Role": cfg.Role, "CodeSize": cfg.CodeSize,
		"Description": cfg.Description, "Timeout": cfg.Timeout, "MemorySize": cfg.MemorySize,
		"LastModified": lastModified(cfg.LastModified), "CodeSha256": cfg.CodeSHA256, "Version": version,
		"TracingConfig": map[string]any{"Mode": cfg.TracingMode}, "RevisionId": cfg.RevisionID,
		"State": cfg.State, "LastUpdateStatus": cfg.LastUpdateStatus, "PackageType": cfg.PackageType,
		"Architectures": cfg.Architectures, "EphemeralStorage": map[string]any{"Size": cfg.EphemeralStorage},
		"SnapStart":     map[string]any{"ApplyOn": "None", "OptimizationStatus": "Off"},
		"LoggingConfig": map[string]any{"LogFormat": "Text", "LogGroup": "/aws/lambda/" + fn.Name},
	}
	if cfg.PackageType == "Zip" {
		out["Runtime"], out["Handler"] = cfg.Runtime, cfg.Handler
		if cfg.Handler == "" {
			delete(out, "Handler")
		}
		if cfg.Runtime != "" {
			out["RuntimeVersionConfig"] = map[string]any{"RuntimeVersionArn": runtimeVersionARN(c, cfg.Runtime)}
		}
	}
	switch cfg.State {
	case "Pending":
		// LastUpdateStatus "is first set to Successful after function
		// creation completes" (API reference): a function being created
		// has none.
		delete(out, "LastUpdateStatus")
		out["StateReason"], out["StateReasonCode"] = "The function is being created.", "Creating"
	}
	if cfg.LastUpdateStatus == "InProgress" && cfg.State == "Active" {
		// AWS's text for an update in progress is the creation's
		// (test_lambda_api.snapshot.json).
		out["LastUpdateStatusReason"], out["LastUpdateStatusReasonCode"] = "The function is being created.", "Creating"
	}
	if len(cfg.SubnetIDs) > 0 {
		out["VpcConfig"] = map[string]any{"SubnetIds": api.Strs(cfg.SubnetIDs), "SecurityGroupIds": api.Strs(cfg.SecurityGroupIDs),
			"VpcId": string(cfg.VpcID), "Ipv6AllowedForDualStack": false}
	}
	if cfg.Environment != nil {
		out["Environment"] = map[string]any{"Variables": cfg.Environment}
	}
	if len(cfg.Layers) > 0 {
		layers := make([]map[string]any, len(cfg.Layers))
		for i, l := range cfg.Layers {
			layers[i] = map[string]any{"Arn": l, "CodeSize": 0}
		}
		out["Layers"] = layers
	}
	if cfg.KMSKeyARN != "" {
		out["KMSKeyArn"] = cfg.KMSKeyARN
	}
	if cfg.DeadLetterTarget != "" {
		out["DeadLetterConfig"] = map[string]any{"TargetArn": cfg.DeadLetterTarget}
	}
	return out
}

// runtimeVersionARN is the ARN of the runtime version a function of
// runtime runs: arn:aws:lambda:REGION::runtime:HASH, a 64-hex id of the
// runtime's version; ecsnet derives it from the runtime's name, one
// version per runtime [choice].
func runtimeVersionARN(c *api.Call, runtime string) string {
	sum := sha256.Sum256([]byte("ecsnet lambda runtime " + runtime))
	return "arn:" + model.Partition(c.Region) + ":lambda:" + c.Region + "::runtime:" + hex.EncodeToString(sum[:])
}

// configIn reads the configuration members CreateFunction and
// UpdateFunctionConfiguration share into c (only those given).
func configIn(in awsproto.Params, c *model.LambdaConfig) {
	set := func(name string, dst *string) {
		if in.Has(name) {
			*dst = in.String(name)
		}
	}
	set("Runtime", &c.Runtime)
	set("Handler", &c.Handler)
	set("Role", &c.Role)
	set("Description", &c.Description)
	set("KMSKeyArn", &c.KMSKeyARN)
	if in.Has("Timeout") {
		c.Timeout = in.Int("Timeout")
	}
	if in.Has("MemorySize") {
		c.MemorySize = in.Int("MemorySize")
	}
	if in.Has("EphemeralStorage") {
		c.EphemeralStorage = in.Struct("EphemeralStorage").Int("Size")
	}
	if in.Has("Environment") {
		c.Environment = in.Struct("Environment").StringMap("Variables")
		if c.Environment == nil {
			c.Environment = map[string]string{}
		}
	}
	if in.Has("Layers") {
		c.Layers = in.Strings("Layers")
	}
	if in.Has("TracingConfig") {
		c.TracingMode = in.Struct("TracingConfig").String("Mode")
	}
	if in.Has("DeadLetterConfig") {
		c.DeadLetterTarget = in.Struct("DeadLetterConfig").String("TargetArn")
	}
	if in.Has("VpcConfig") {
		vc := in.Struct("VpcConfig")
		c.SubnetIDs, c.SecurityGroupIDs = nil, nil
		for _, s := range vc.Strings("SubnetIds") {
			c.SubnetIDs = append(c.SubnetIDs, model.SubnetID(s))
		}
		for _, g := range vc.Strings("SecurityGroupIds") {
			c.SecurityGroupIDs = append(c.SecurityGroupIDs, model.SecurityGroupID(g))
		}
	}
}

func codeIn(p awsproto.Params) engine.LambdaCode {
	return engine.LambdaCode{
		ZipFile: p.Blob("ZipFile"), ZipGiven: p.Has("ZipFile"),
		S3Bucket: p.String("S3Bucket"), S3Key: p.String("S3Key"), S3ObjectVersion: p.String("S3ObjectVersion"),
		S3Given:  p.Has("S3Bucket") || p.Has("S3Key"),
		ImageURI: p.String("ImageUri"), ImageGiven: p.Has("ImageUri"),
	}
}

func createFunction(c *api.Call) (map[string]any, error) {
	cfg := model.LambdaConfig{PackageType: c.In.String("PackageType"), Architectures: c.In.Strings("Architectures")}
	configIn(c.In, &cfg)
	fn, err := c.Engine.CreateLambdaFunction(engine.CreateLambdaFunctionInput{
		Name: c.In.String("FunctionName"), Config: cfg, Code: codeIn(c.In.Struct("Code")),
		Publish: c.In.Bool("Publish"), Tags: model.Tags(c.In.StringMap("Tags")),
	})
	if err != nil {
		return nil, err
	}
	var v *model.LambdaVersion
	if n := len(fn.Versions); n > 0 {
		v = &fn.Versions[n-1]
	}
	return configOut(c, fn, v), nil
}

// read runs fn on the function (and version) the request's FunctionName
// and Qualifier name.
// A qualifier that is an alias's name is its version (nil for $LATEST);
// render gets the qualifier as given too.
func read(c *api.Call, render func(fn *model.LambdaFunction, v *model.LambdaVersion, qualifier string) (map[string]any, error)) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		fn, q, e := c.Engine.LambdaFunction(st, c.In.String("FunctionName"), c.In.String("Qualifier"))
		if e != nil {
			err = e
			return
		}
		var v *model.LambdaVersion
		if a := engine.LambdaAliasOf(fn, q); a != nil {
			v = engine.LambdaVersionOf(fn, a.FunctionVersion)
		} else if q != "" && q != "$LATEST" {
			v = engine.LambdaVersionOf(fn, q)
		}
		out, err = render(fn, v, q)
	})
	return out, err
}

func getFunctionConfiguration(c *api.Call) (map[string]any, error) {
	return read(c, func(fn *model.LambdaFunction, v *model.LambdaVersion, _ string) (map[string]any, error) {
		return configOut(c, fn, v), nil
	})
}

func getFunction(c *api.Call) (map[string]any, error) {
	return read(c, func(fn *model.LambdaFunction, v *model.LambdaVersion, _ string) (map[string]any, error) {
		cfg := configOut(c, fn, v)
		out := map[string]any{"Configuration": cfg}
		if cfg["PackageType"] == "Image" {
			img := fn.Config.ImageURI
			if v != nil {
				img = v.Config.ImageURI
			}
			out["Code"] = map[string]any{"RepositoryType": "ECR", "ImageUri": img, "ResolvedImageUri": img}
		} else {
			// A presigned URL of the package in Lambda's own bucket
			// [choice: ecsnet keeps no code; the URL is a placeholder].
			out["Code"] = map[string]any{"RepositoryType": "S3",
				"Location": "https://awslambda-" + c.Region + "-tasks.s3." + c.Region + ".amazonaws.com/snapshots/" + c.Account + "/" + fn.Name + "-" + fn.Config.RevisionID}
		}
		if len(fn.Tags) > 0 {
			out["Tags"] = map[string]string(fn.Tags)
		}
		if fn.ReservedConcurrency != nil {
			out["Concurrency"] = map[string]any{"ReservedConcurrentExecutions": *fn.ReservedConcurrency}
		}
		return out, nil
	})
}

func updateFunctionConfiguration(c *api.Call) (map[string]any, error) {
	fn, err := c.Engine.UpdateLambdaFunctionConfiguration(c.In.String("FunctionName"), c.In.String("RevisionId"),
		func(cfg *model.LambdaConfig) { configIn(c.In, cfg) })
	if err != nil {
		return nil, err
	}
	return configOut(c, fn, nil), nil
}

func updateFunctionCode(c *api.Call) (map[string]any, error) {
	fn, err := c.Engine.UpdateLambdaFunctionCode(c.In.String("FunctionName"), c.In.String("RevisionId"), codeIn(c.In),
		c.In.Strings("Architectures"), c.In.Bool("Publish"))
	if err != nil {
		return nil, err
	}
	var v *model.LambdaVersion
	if c.In.Bool("Publish") {
		v = &fn.Versions[len(fn.Versions)-1]
	}
	return configOut(c, fn, v), nil
}

// deleteFunction answers 204 (the model's 200 is overridden by its
// StatusCode member; AWS answers 204, test_lambda_api.snapshot.json).
func deleteFunction(c *api.Call) (map[string]any, error) {
	if err := c.Engine.DeleteLambdaFunction(c.In.String("FunctionName"), c.In.String("Qualifier")); err != nil {
		return nil, err
	}
	return map[string]any{"StatusCode": http.StatusNoContent}, nil
}

// maxItems reads MaxItems (1 to 10000; Lambda's default page is 50).
func maxItems(c *api.Call) (int, error) {
	if !c.In.Has("MaxItems") {
		return 50, nil
	}
	n := c.In.Int("MaxItems")
	if n < 1 || n > 10000 {
		return 0, apierr.New("ValidationException", "1 validation error detected: Value '"+strconv.FormatInt(n, 10)+"' at 'maxItems' failed to satisfy constraint: Member must have value "+map[bool]string{true: "greater than or equal to 1", false: "less than or equal to 10000"}[n < 1])
	}
	return int(n), nil
}

func invalidMarker() error {
	return &apierr.Error{Code: "InvalidParameterValueException", HTTPStatus: 400, Message: "Invalid marker.", Fields: map[string]string{"Type": "User"}} // [probable]
}

type listed struct {
	key string
	fn  *model.LambdaFunction
	v   *model.LambdaVersion
}

// listedOnly are the members of a FunctionConfiguration that
// ListFunctions and ListVersionsByFunction leave out: "ListFunctions
// returns a subset of the FunctionConfiguration fields. To get the
// additional fields (State, StateReasonCode, StateReason,
// LastUpdateStatus, LastUpdateStatusReason, LastUpdateStatusReasonCode)
// … use GetFunction" (API_ListFunctions); AWS's lists leave out
// RuntimeVersionConfig too (test_lambda_api.snapshot.json,
// list_versions_result).
var listedOnly = []string{"State", "StateReason", "StateReasonCode", "LastUpdateStatus", "LastUpdateStatusReason",
	"LastUpdateStatusReasonCode", "RuntimeVersionConfig"}

// page lists a page of functions or versions; qualifyLatest writes
// $LATEST's ARN with its qualifier (ListVersionsByFunction's
// ":$LATEST", test_lambda_api.snapshot.json).
func page(c *api.Call, items []listed, member string, limit int, qualifyLatest bool) (map[string]any, error) {
	pg, next, ok := api.Paginate(items, func(l listed) string { return l.key }, c.In.String("Marker"), limit)
	if !ok {
		return nil, invalidMarker()
	}
	out := make([]map[string]any, len(pg))
	for i, l := range pg {
		out[i] = configOut(c, l.fn, l.v)
		for _, k := range listedOnly {
			delete(out[i], k)
		}
		if qualifyLatest && l.v == nil {
			out[i]["FunctionArn"] = c.Engine.LambdaFunctionARN(l.fn.Name, "$LATEST")
		}
	}
	res := map[string]any{member: out}
	if next != "" {
		res["NextMarker"] = next
	}
	return res, nil
}

// versionKey orders a function's versions: $LATEST first, then by number.
func versionKey(name string, v *model.LambdaVersion) string {
	if v == nil {
		return name + "\x00"
	}
	n, _ := strconv.ParseInt(v.Version, 10, 64)
	return name + "\x01" + strconv.FormatInt(1e15+n, 10)
}

func listFunctions(c *api.Call) (map[string]any, error) {
	limit, err := maxItems(c)
	if err != nil {
		return nil, err
	}
	all := c.In.String("FunctionVersion")
	if all != "" && all != "ALL" {
		return nil, apierr.New("ValidationException", "1 validation error detected: Value '"+all+"' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]")
	}
	var res map[string]any
	c.Engine.Read(func(st *model.State) {
		var items []listed
		for name, fn := range st.LambdaFunctions {
			items = append(items, listed{versionKey(name, nil), fn, nil})
			if all == "ALL" {
				for i := range fn.Versions {
					items = append(items, listed{versionKey(name, &fn.Versions[i]), fn, &fn.Versions[i]})
				}
			}
		}
		res, err = page(c, items, "Functions", limit, false)
	})
	return res, err
}

func listVersionsByFunction(c *api.Call) (map[string]any, error) {
	limit, err := maxItems(c)
	if err != nil {
		return nil, err
	}
	return read(c, func(fn *model.LambdaFunction, _ *model.LambdaVersion, _ string) (map[string]any, error) {
		items := []listed{{versionKey(fn.Name, nil), fn, nil}}
		for i := range fn.Versions {
			items = append(items, listed{versionKey(fn.Name, &fn.Versions[i]), fn, &fn.Versions[i]})
		}
		return page(c, items, "Versions", limit, true)
	})
}

func publishVersion(c *api.Call) (map[string]any, error) {
	fn, v, err := c.Engine.PublishLambdaVersion(c.In.String("FunctionName"), c.In.String("CodeSha256"), c.In.String("RevisionId"))
	if err != nil {
		return nil, err
	}
	out := configOut(c, fn, v)
	if d := c.In.String("Description"); d != "" {
		out["Description"] = d
	}
	return out, nil
}

// taggableARN is the model's pattern of the Resource of TagResource,
// UntagResource and ListTags: a function's ARN (perhaps qualified) or a
// layer's.
var taggableARN = regexp.MustCompile(`^arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}:\d{12}:(function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?|layer:[a-zA-Z0-9-_]+)$`)

// resourceFunction is the function a Resource ARN of TagResource,
// UntagResource or ListTags names: an ARN of the model's pattern, of a
// function and not of a version or an alias (AWS's texts,
// test_lambda_api.snapshot.json, test_tag_exceptions).
func resourceFunction(c *api.Call) (string, error) {
	arn := c.In.String("Resource")
	if !taggableARN.MatchString(arn) {
		return "", apierr.New("ValidationException", "1 validation error detected: Value '"+arn+"' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: "+
			`arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}:\d{12}:(function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?|layer:[a-zA-Z0-9-_]+)`)
	}
	_, q, err := c.Engine.ResolveLambdaRef(arn, "")
	if err != nil {
		return "", err
	}
	if q != "" {
		return "", &apierr.Error{Code: "InvalidParameterValueException", HTTPStatus: http.StatusBadRequest, Fields: map[string]string{"Type": "User"},
			Message: "Tags on function aliases and versions are not supported. Please specify a function ARN."}
	}
	return arn, nil
}

func tagResource(c *api.Call) (map[string]any, error) {
	arn, err := resourceFunction(c)
	if err != nil {
		return nil, err
	}
	tags := c.In.StringMap("Tags")
	if len(tags) == 0 {
		// AWS's answer to an empty Tags map (test_tag_exceptions).
		return nil, &apierr.Error{Code: "InvalidParameterValueException", HTTPStatus: http.StatusBadRequest, Fields: map[string]string{"Type": "User"},
			Message: "An error occurred and the request cannot be processed."}
	}
	return nil, c.Engine.TagLambdaFunction(arn, model.Tags(tags), nil)
}

func untagResource(c *api.Call) (map[string]any, error) {
	arn, err := resourceFunction(c)
	if err != nil {
		return nil, err
	}
	return nil, c.Engine.TagLambdaFunction(arn, nil, c.In.Strings("TagKeys"))
}

func listTags(c *api.Call) (map[string]any, error) {
	arn, err := resourceFunction(c)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	c.Engine.Read(func(st *model.State) {
		fn, _, e := c.Engine.LambdaFunction(st, arn, "")
		if e != nil {
			err = e
			return
		}
		tags := map[string]string(fn.Tags)
		if tags == nil {
			tags = map[string]string{}
		}
		out = map[string]any{"Tags": tags}
	})
	return out, err
}

// getFunctionCodeSigningConfig: no function has a code signing
// configuration; AWS then answers an empty body (neither
// CodeSigningConfigArn nor FunctionName, test_lambda_api.snapshot.json,
// get_function_csc_fnwithoutcsc).
func getFunctionCodeSigningConfig(c *api.Call) (map[string]any, error) {
	return read(c, func(*model.LambdaFunction, *model.LambdaVersion, string) (map[string]any, error) {
		return map[string]any{}, nil
	})
}

// statement is a policy statement as GetPolicy and AddPermission answer
// it: the principal a service's, an account's root or "*", the source
// conditions.
func statement(c *api.Call, fn *model.LambdaFunction, p model.LambdaPermission) map[string]any {
	var principal any
	switch {
	case p.Principal == "*":
		principal = "*"
	case len(p.Principal) == 12 && isDigits(p.Principal):
		principal = map[string]any{"AWS": "arn:" + model.Partition(c.Region) + ":iam::" + p.Principal + ":root"}
	case len(p.Principal) > 4 && p.Principal[:4] == "arn:":
		principal = map[string]any{"AWS": p.Principal}
	default:
		principal = map[string]any{"Service": p.Principal}
	}
	s := map[string]any{"Sid": p.Sid, "Effect": "Allow", "Principal": principal, "Action": p.Action,
		"Resource": c.Engine.LambdaFunctionARN(fn.Name, p.Qualifier)}
	cond := map[string]map[string]string{}
	if p.SourceARN != "" {
		cond["ArnLike"] = map[string]string{"AWS:SourceArn": p.SourceARN}
	}
	if p.SourceAccount != "" {
		cond["StringEquals"] = map[string]string{"AWS:SourceAccount": p.SourceAccount}
	}
	if p.PrincipalOrg != "" {
		if cond["StringEquals"] == nil {
			cond["StringEquals"] = map[string]string{}
		}
		cond["StringEquals"]["aws:PrincipalOrgID"] = p.PrincipalOrg
	}
	if p.FunctionURLAuthType != "" {
		if cond["StringEquals"] == nil {
			cond["StringEquals"] = map[string]string{}
		}
		cond["StringEquals"]["lambda:FunctionUrlAuthType"] = p.FunctionURLAuthType
	}
	if len(cond) > 0 {
		s["Condition"] = cond
	}
	return s
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func addPermission(c *api.Call) (map[string]any, error) {
	in := engine.AddLambdaPermissionInput{Function: c.In.String("FunctionName"), Qualifier: c.In.String("Qualifier"), Revision: c.In.String("RevisionId"),
		LambdaPermission: model.LambdaPermission{Sid: c.In.String("StatementId"), Action: c.In.String("Action"), Principal: c.In.String("Principal"),
			SourceARN: c.In.String("SourceArn"), SourceAccount: c.In.String("SourceAccount"), PrincipalOrg: c.In.String("PrincipalOrgID"),
			FunctionURLAuthType: c.In.String("FunctionUrlAuthType")}}
	fn, err := c.Engine.AddLambdaPermission(in)
	if err != nil {
		return nil, err
	}
	p := fn.Policy[len(fn.Policy)-1]
	b, _ := json.Marshal(statement(c, fn, p))
	return map[string]any{"Statement": string(b)}, nil
}

func removePermission(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.RemoveLambdaPermission(c.In.String("FunctionName"), c.In.String("Qualifier"), c.In.String("StatementId"), c.In.String("RevisionId"))
}

func getPolicy(c *api.Call) (map[string]any, error) {
	return read(c, func(fn *model.LambdaFunction, _ *model.LambdaVersion, q string) (map[string]any, error) {
		if q == "$LATEST" {
			q = ""
		}
		var stmts []map[string]any
		for _, p := range fn.Policy {
			if p.Qualifier == q {
				stmts = append(stmts, statement(c, fn, p))
			}
		}
		if len(stmts) == 0 {
			return nil, engine.ErrLambdaNoPolicy()
		}
		b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Id": "default", "Statement": stmts})
		return map[string]any{"Policy": string(b), "RevisionId": fn.PolicyRevision}, nil
	})
}

func getFunctionConcurrency(c *api.Call) (map[string]any, error) {
	return read(c, func(fn *model.LambdaFunction, _ *model.LambdaVersion, _ string) (map[string]any, error) {
		out := map[string]any{}
		if fn.ReservedConcurrency != nil {
			out["ReservedConcurrentExecutions"] = *fn.ReservedConcurrency
		}
		return out, nil
	})
}

func putFunctionConcurrency(c *api.Call) (map[string]any, error) {
	n := c.In.Int("ReservedConcurrentExecutions")
	if _, err := c.Engine.PutLambdaConcurrency(c.In.String("FunctionName"), &n); err != nil {
		return nil, err
	}
	return map[string]any{"ReservedConcurrentExecutions": n}, nil
}

func deleteFunctionConcurrency(c *api.Call) (map[string]any, error) {
	_, err := c.Engine.PutLambdaConcurrency(c.In.String("FunctionName"), nil)
	return nil, err
}

// invoke answers an invocation of an Active function: no code runs, the
// payload is an empty JSON object [choice]. A function that is not Active
// answers Lambda's ResourceConflictException.
func invoke(c *api.Call) (map[string]any, error) {
	return read(c, func(fn *model.LambdaFunction, v *model.LambdaVersion, _ string) (map[string]any, error) {
		cfg, version := fn.Config, "$LATEST"
		if v != nil {
			cfg, version = v.Config, v.Version
		}
		if cfg.State != "Active" {
			return nil, &apierr.Error{Code: "ResourceConflictException", HTTPStatus: 409, Fields: map[string]string{"Type": "User"},
				Message: "The operation cannot be performed at this time. The function is currently in the following state: " + cfg.State}
		}
		// The HTTP status is the invocation type's (InvocationResponse's
		// StatusCode: 200 RequestResponse, 202 Event, 204 DryRun); an
		// Event or a DryRun has no payload, and no version executed
		// [probable].
		switch c.In.String("InvocationType") {
		case "DryRun":
			return map[string]any{"StatusCode": http.StatusNoContent}, nil
		case "Event":
			return map[string]any{"StatusCode": http.StatusAccepted}, nil
		}
		return map[string]any{"StatusCode": http.StatusOK, "ExecutedVersion": version, "Payload": []byte("{}")}, nil
	})
}

func aliasOut(c *api.Call, fn *model.LambdaFunction, a *model.LambdaAlias) map[string]any {
	out := map[string]any{"AliasArn": c.Engine.LambdaFunctionARN(fn.Name, a.Name), "Name": a.Name, "FunctionVersion": a.FunctionVersion,
		"Description": a.Description, "RevisionId": a.RevisionID}
	if len(a.AdditionalVersionWeights) > 0 {
		out["RoutingConfig"] = map[string]any{"AdditionalVersionWeights": a.AdditionalVersionWeights}
	}
	return out
}

func weightsIn(p awsproto.Params) map[string]float64 {
	m := p.Struct("RoutingConfig").Struct("AdditionalVersionWeights")
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]float64, len(m))
	for k, v := range m {
		switch w := v.(type) {
		case float64:
			out[k] = w
		case int64:
			out[k] = float64(w)
		}
	}
	return out
}

func createAlias(c *api.Call) (map[string]any, error) {
	fn, a, err := c.Engine.CreateLambdaAlias(c.In.String("FunctionName"), model.LambdaAlias{Name: c.In.String("Name"),
		FunctionVersion: c.In.String("FunctionVersion"), Description: c.In.String("Description"), AdditionalVersionWeights: weightsIn(c.In)})
	if err != nil {
		return nil, err
	}
	return aliasOut(c, fn, a), nil
}

func getAlias(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		fn, _, e := c.Engine.LambdaFunction(st, c.In.String("FunctionName"), "")
		if e != nil {
			err = e
			return
		}
		a := engine.LambdaAliasOf(fn, c.In.String("Name"))
		if a == nil {
			err = engine.ErrLambdaAliasNotFound(c.Engine.LambdaFunctionARN(fn.Name, c.In.String("Name")))
			return
		}
		out = aliasOut(c, fn, a)
	})
	return out, err
}

func updateAlias(c *api.Call) (map[string]any, error) {
	fn, a, err := c.Engine.UpdateLambdaAlias(c.In.String("FunctionName"), c.In.String("Name"), c.In.String("RevisionId"), func(a *model.LambdaAlias) {
		if c.In.Has("FunctionVersion") {
			a.FunctionVersion = c.In.String("FunctionVersion")
		}
		if c.In.Has("Description") {
			a.Description = c.In.String("Description")
		}
		if c.In.Has("RoutingConfig") {
			a.AdditionalVersionWeights = weightsIn(c.In)
		}
	})
	if err != nil {
		return nil, err
	}
	return aliasOut(c, fn, a), nil
}

func deleteAlias(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteLambdaAlias(c.In.String("FunctionName"), c.In.String("Name"))
}

func listAliases(c *api.Call) (map[string]any, error) {
	limit, err := maxItems(c)
	if err != nil {
		return nil, err
	}
	version := c.In.String("FunctionVersion")
	return read(c, func(fn *model.LambdaFunction, _ *model.LambdaVersion, _ string) (map[string]any, error) {
		var list []*model.LambdaAlias
		for i := range fn.Aliases {
			if version == "" || fn.Aliases[i].FunctionVersion == version {
				list = append(list, &fn.Aliases[i])
			}
		}
		pg, next, ok := api.Paginate(list, func(a *model.LambdaAlias) string { return a.Name }, c.In.String("Marker"), limit)
		if !ok {
			return nil, invalidMarker()
		}
		out := make([]map[string]any, len(pg))
		for i, a := range pg {
			out[i] = aliasOut(c, fn, a)
		}
		res := map[string]any{"Aliases": out}
		if next != "" {
			res["NextMarker"] = next
		}
		return res, nil
	})
}

// Lambda's default quotas (gettingstarted-limits.html): 75 GB of code
// in a region, a 50 MB zipped and 250 MB unzipped deployment package,
// 1000 concurrent executions.
const (
	totalCodeSizeLimit    = 80530636800
	codeSizeZippedLimit   = 52428800
	codeSizeUnzippedLimit = 262144000
	concurrencyLimit      = 1000
)

// getAccountSettings answers the region's quotas and what its functions
// use: their count and the code size of every function and version;
// UnreservedConcurrentExecutions is what reserved concurrency leaves.
func getAccountSettings(c *api.Call) (map[string]any, error) {
	var count, size, reserved int64
	c.Engine.Read(func(st *model.State) {
		for _, fn := range st.LambdaFunctions {
			count++
			size += fn.Config.CodeSize
			for _, v := range fn.Versions {
				size += v.Config.CodeSize
			}
			if fn.ReservedConcurrency != nil {
				reserved += *fn.ReservedConcurrency
			}
		}
	})
	return map[string]any{
		"AccountLimit": map[string]any{"TotalCodeSize": int64(totalCodeSizeLimit), "CodeSizeZipped": int64(codeSizeZippedLimit),
			"CodeSizeUnzipped": int64(codeSizeUnzippedLimit), "ConcurrentExecutions": int64(concurrencyLimit),
			"UnreservedConcurrentExecutions": concurrencyLimit - reserved},
		"AccountUsage": map[string]any{"TotalCodeSize": size, "FunctionCount": count},
	}, nil
}
