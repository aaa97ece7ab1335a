package engine

import (
	"archive/zip"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS Lambda's control plane: functions, their published versions,
// resource-based policies, reserved concurrency and tags. No code runs. A
// function is Pending when created and Active at a later Step (an update
// InProgress, then Successful), as Lambda's function states are
// (functions-states.html); a function in a VPC has a Hyperplane ENI per
// subnet (InterfaceType "lambda", requester-managed), removed with it.

// lambdaPrincipal is the service principal a function's execution role
// must trust.
const lambdaPrincipal = "lambda.amazonaws.com"

// lambdaRequesterID is the RequesterId of a function's Hyperplane ENIs
// [choice].
const lambdaRequesterID = "AROAJYYU4QX5IYHQQTLF6:lambda"

// lambdaErr is a Lambda error: its code in X-Amzn-ErrorType and the body,
// with Lambda's "Type" member ("User" for a caller's error).
func lambdaErr(status int, code, format string, args ...any) error {
	e := apierr.Newf(code, format, args...)
	e.HTTPStatus = status
	e.Fields = map[string]string{"Type": "User"}
	return e
}

func lambdaInvalid(format string, args ...any) error {
	return lambdaErr(http.StatusBadRequest, "InvalidParameterValueException", format, args...)
}

func lambdaConflict(format string, args ...any) error {
	return lambdaErr(http.StatusConflict, "ResourceConflictException", format, args...)
}

// lambdaNotFound is ResourceNotFoundException for what is not a function
// (a policy, a statement, a function URL).
func lambdaNotFound(format string, args ...any) error {
	return lambdaErr(http.StatusNotFound, "ResourceNotFoundException", format, args...)
}

// LambdaFunctionARN is a function's ARN; a qualifier ("$LATEST", a
// version) is appended after a colon.
func (e *Engine) LambdaFunctionARN(name, qualifier string) string {
	arn := "arn:" + model.Partition(e.cfg.Region) + ":lambda:" + e.cfg.Region + ":" + e.cfg.Account + ":function:" + name
	if qualifier != "" {
		arn += ":" + qualifier
	}
	return arn
}

// lambdaFunctionRef matches what a FunctionName names a function by: its
// name, its partial ARN (ACCOUNT:function:NAME) or its ARN, each with an
// optional qualifier (the botocore model's FunctionName pattern).
var lambdaFunctionRef = regexp.MustCompile(`^(?:arn:(aws[a-zA-Z-]*)?:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d{1}):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$`)

// ParseLambdaFunctionRef splits a FunctionName into the function's name
// and the qualifier it carries ("" when none). ok is false when it is
// neither a name nor an ARN of a function.
func ParseLambdaFunctionRef(ref string) (name, qualifier string, ok bool) {
	m := lambdaFunctionRef.FindStringSubmatch(ref)
	if m == nil || len(m[4]) > 64 {
		return "", "", false
	}
	return m[4], m[5], true
}

// errFunctionNotFound is Lambda's 404 for a function (or a version of it)
// that does not exist: "Function not found: arn:aws:lambda:…:function:NAME".
func (e *Engine) errFunctionNotFound(name, qualifier string) error {
	return lambdaNotFound("Function not found: %s", e.LambdaFunctionARN(name, qualifier))
}

// ResolveLambdaRef checks a FunctionName (and Qualifier) and returns the
// function's name and the qualifier (an explicit qualifier wins over the
// one of an ARN, which must not differ). An ARN of another region names
// no function of this one: Lambda answers 404 "Functions from 'R' are
// not reachable in this region ('L')".
func (e *Engine) ResolveLambdaRef(ref, qualifier string) (name, q string, err error) {
	m := lambdaFunctionRef.FindStringSubmatch(ref)
	if m == nil || len(m[4]) > 64 {
		return "", "", apierr.New("ValidationException", "1 validation error detected: Value '"+ref+"' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?")
	}
	name, q = m[4], m[5]
	if m[2] != "" && m[2] != e.cfg.Region {
		return "", "", lambdaNotFound("Functions from '%s' are not reachable in this region ('%s')", m[2], e.cfg.Region)
	}
	if qualifier != "" && q != "" && qualifier != q {
		return "", "", lambdaInvalid("The derived qualifier from the function name does not match the specified qualifier.")
	}
	return name, cmp.Or(qualifier, q), nil
}

// LambdaFunction returns the function a FunctionName names, and the
// qualifier (ResolveLambdaRef); a qualifier must name a version or an
// alias of it.
func (e *Engine) LambdaFunction(st *model.State, ref, qualifier string) (*model.LambdaFunction, string, error) {
	name, q, err := e.ResolveLambdaRef(ref, qualifier)
	if err != nil {
		return nil, "", err
	}
	fn := st.LambdaFunctions[name]
	if fn == nil {
		return nil, "", e.errFunctionNotFound(name, q)
	}
	if q != "" && q != "$LATEST" && LambdaVersionOf(fn, q) == nil && LambdaAliasOf(fn, q) == nil {
		return nil, "", e.errFunctionNotFound(name, q)
	}
	return fn, q, nil
}

// LambdaVersionOf returns a published version of a function, or nil.
func LambdaVersionOf(fn *model.LambdaFunction, version string) *model.LambdaVersion {
	for i := range fn.Versions {
		if fn.Versions[i].Version == version {
			return &fn.Versions[i]
		}
	}
	return nil
}

// LambdaCode is a function's deployment package: a .zip file's bytes (or
// an S3 object's bucket and key, taken as given), or a container image.
type LambdaCode struct {
	ZipFile           []byte
	S3Bucket, S3Key   string
	S3ObjectVersion   string
	ImageURI          string
	ZipGiven, S3Given bool
	ImageGiven        bool
}

// CreateLambdaFunctionInput is CreateFunction's input.
type CreateLambdaFunctionInput struct {
	Name    string
	Config  model.LambdaConfig
	Code    LambdaCode
	Publish bool
	Tags    model.Tags
	// Active creates it Active at once (CloudFormation).
	Active bool
	// StackTags are the aws:cloudformation:* tags CloudFormation puts on
	// the functions of a stack, beside Tags; a caller's tag may not begin
	// with "aws:", CloudFormation's may.
	StackTags model.Tags
	// RoleUnjudged takes the role as Lambda can assume it: a role a
	// custom resource made, whose function ecsnet does not run
	// (CloudFormation).
	RoleUnjudged bool
}

// roleARNPattern is the botocore model's RoleArn pattern.
var roleARNPattern = regexp.MustCompile(`^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$`)

func lambdaValidation(member, value, constraint string) error {
	return apierr.New("ValidationException", "1 validation error detected: Value '"+value+"' at '"+member+"' failed to satisfy constraint: "+constraint)
}

// checkLambdaConfig checks what CreateFunction and
// UpdateFunctionConfiguration check alike of a configuration.
func checkLambdaConfig(c *model.LambdaConfig) error {
	if !roleARNPattern.MatchString(c.Role) {
		return lambdaValidation("role", c.Role, `Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`)
	}
	if c.Timeout < 1 || c.Timeout > 900 {
		if c.Timeout < 1 {
			return lambdaValidation("timeout", strconv.FormatInt(c.Timeout, 10), "Member must have value greater than or equal to 1")
		}
		return lambdaValidation("timeout", strconv.FormatInt(c.Timeout, 10), "Member must have value less than or equal to 900")
	}
	if c.MemorySize < 128 || c.MemorySize > 10240 {
		if c.MemorySize < 128 {
			return lambdaValidation("memorySize", strconv.FormatInt(c.MemorySize, 10), "Member must have value greater than or equal to 128")
		}
		return lambdaValidation("memorySize", strconv.FormatInt(c.MemorySize, 10), "Member must have value less than or equal to 10240")
	}
	if c.EphemeralStorage < 512 || c.EphemeralStorage > 10240 {
		return lambdaInvalid("Ephemeral storage size must be between 512 and 10240 MB.") // [probable]
	}
	for _, a := range c.Architectures {
		if a != "x86_64" && a != "arm64" {
			return lambdaValidation("architectures", "["+a+"]", "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]")
		}
	}
	if len(c.Architectures) > 1 {
		return lambdaValidation("architectures", "["+strings.Join(c.Architectures, ", ")+"]", "Member must have length less than or equal to 1")
	}
	switch c.TracingMode {
	case "", "Active", "PassThrough":
	default:
		return lambdaValidation("tracingConfig.mode", c.TracingMode, "Member must satisfy enum value set: [Active, PassThrough]")
	}
	// The 4 KB are of the variables as JSON ({"K":"V",…}), which the
	// message quotes (test_lambda_api.snapshot.json,
	// test_large_environment_fails_multiple_keys: "String measured:
	// {\"SMALL_VAR\":\"ok\",\"LARGE_VAR\":\"xx…\"}"); ecsnet writes the
	// keys sorted, AWS in the request's order [choice].
	if len(c.Environment) > 0 {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(c.Environment)
		measured := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
		if len(measured) > 4096 {
			return lambdaInvalid("Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: %s", measured)
		}
	}
	if len(c.Layers) > 5 {
		return lambdaInvalid("Cannot reference more than 5 layers.")
	}
	return nil
}

// lambdaCode checks a deployment package and sets the configuration's
// code members.
func lambdaCode(c *model.LambdaConfig, code LambdaCode) error {
	switch {
	case c.PackageType == "Image":
		if !code.ImageGiven || code.ImageURI == "" {
			return lambdaInvalid("Source image must be provided for functions with the Image package type.") // [probable]
		}
		if code.ZipGiven || code.S3Given {
			return lambdaInvalid("Please don't provide ImageUri when updating a function with packageType Zip.") // [probable]
		}
		c.ImageURI = code.ImageURI
		sum := sha256.Sum256([]byte(code.ImageURI))
		c.CodeSHA256, c.CodeSize = base64.StdEncoding.EncodeToString(sum[:]), 0
		return nil
	case code.ImageGiven:
		return lambdaInvalid("Please don't provide ImageUri when updating a function with packageType Zip.")
	case code.ZipGiven && code.S3Given:
		return lambdaInvalid("Please do not provide other FunctionCode parameters when providing a ZipFile.") // [probable]
	case code.ZipGiven:
		if _, err := zip.NewReader(bytes.NewReader(code.ZipFile), int64(len(code.ZipFile))); err != nil {
			return lambdaInvalid("Could not unzip uploaded file. Please check your file, then try to upload again.")
		}
		sum := sha256.Sum256(code.ZipFile)
		c.CodeSHA256, c.CodeSize = base64.StdEncoding.EncodeToString(sum[:]), int64(len(code.ZipFile))
		return nil
	case code.S3Given:
		if code.S3Bucket == "" || code.S3Key == "" {
			return lambdaInvalid("Please provide a source for function code.") // [probable]
		}
		sum := sha256.Sum256([]byte("s3://" + code.S3Bucket + "/" + code.S3Key + "?" + code.S3ObjectVersion))
		c.CodeSHA256, c.CodeSize = base64.StdEncoding.EncodeToString(sum[:]), 0
		return nil
	}
	return lambdaInvalid("Please provide a source for function code.") // [probable]
}

// lambdaVPC checks a VPC configuration's subnets and security groups as
// Lambda does (it calls EC2 and answers EC2's error inside its own) and
// sets the configuration's VPC.
func (t *txn) lambdaVPC(c *model.LambdaConfig) error {
	c.VpcID = ""
	if len(c.SubnetIDs) == 0 && len(c.SecurityGroupIDs) == 0 {
		return nil
	}
	if len(c.SubnetIDs) > 16 {
		return lambdaValidation("vpcConfig.subnetIds", "["+joinIDs(c.SubnetIDs)+"]", "Member must have length less than or equal to 16")
	}
	if len(c.SecurityGroupIDs) > 5 {
		return lambdaValidation("vpcConfig.securityGroupIds", "["+joinIDs(c.SecurityGroupIDs)+"]", "Member must have length less than or equal to 5")
	}
	if len(c.SubnetIDs) == 0 || len(c.SecurityGroupIDs) == 0 {
		return lambdaInvalid("SubnetIds and SecurityIds must coexist or be both empty list.")
	}
	for _, id := range c.SubnetIDs {
		sub := t.st.Subnets[id]
		if sub == nil {
			return lambdaInvalid("Error occurred while DescribeSubnets. EC2 Error Code: InvalidSubnetID.NotFound. EC2 Error Message: The subnet ID '%s' does not exist", id)
		}
		if c.VpcID != "" && sub.VpcID != c.VpcID {
			return lambdaInvalid("Security Groups are required to be in the same VPC as the subnets. Subnets are in multiple VPCs.") // [probable]
		}
		c.VpcID = sub.VpcID
	}
	for _, g := range c.SecurityGroupIDs {
		sg := t.st.SecurityGroups[g]
		if sg == nil {
			return lambdaInvalid("Error occurred while DescribeSecurityGroups. EC2 Error Code: InvalidGroup.NotFound. EC2 Error Message: The security group '%s' does not exist", g)
		}
		if sg.VpcID != c.VpcID {
			return lambdaInvalid("Security Groups are required to be in the same VPC.") // [probable]
		}
	}
	return nil
}

// syncLambdaENIs gives a function one Hyperplane ENI per subnet of its
// configuration with its security groups, deleting those of subnets it
// no longer names.
func (t *txn) syncLambdaENIs(fn *model.LambdaFunction) error {
	var keep []model.NetworkInterfaceID
	have := map[model.SubnetID]bool{}
	for _, id := range fn.ENIs {
		n := t.st.NetworkInterfaces[id]
		if n == nil {
			continue
		}
		if slices.Contains(fn.Config.SubnetIDs, n.SubnetID) && !have[n.SubnetID] && slices.Equal(n.SecurityGroups, fn.Config.SecurityGroupIDs) {
			keep = append(keep, id)
			have[n.SubnetID] = true
			continue
		}
		t.deleteENI(id)
	}
	for _, sid := range fn.Config.SubnetIDs {
		if have[sid] {
			continue
		}
		n, err := t.newENI(eniSpec{subnet: t.st.Subnets[sid], groups: fn.Config.SecurityGroupIDs,
			description: "AWS Lambda VPC ENI-" + fn.Name, typ: model.InterfaceLambda,
			managedBy: t.e.LambdaFunctionARN(fn.Name, ""), requester: lambdaRequesterID})
		if err != nil {
			if ae := apierr.As(err); strings.Contains(ae.Code, "InsufficientFreeAddresses") {
				return lambdaErr(http.StatusBadRequest, "SubnetIPAddressLimitReachedException", // AWS answers 502; ecsnet answers no 5xx [choice]

					"Lambda was not able to set up VPC access for the Lambda function because one or more configured subnets has no available IP addresses.")
			}
			return err
		}
		keep = append(keep, n.ID)
		have[sid] = true
	}
	fn.ENIs = keep
	return nil
}

// checkLambdaRuntime refuses a deprecated runtime (lambda_runtime.go) and
// a Zip function without runtime or handler.
func (t *txn) checkLambdaRuntime(c *model.LambdaConfig, update bool) error {
	if c.PackageType == "Image" {
		if c.Runtime != "" || c.Handler != "" {
			return lambdaInvalid("Runtime and Handler are not supported for functions with the Image package type.") // [probable]
		}
		return nil
	}
	if c.Runtime == "" || c.Handler == "" && !strings.HasPrefix(c.Runtime, "provided") {
		return lambdaInvalid("Runtime and Handler are mandatory parameters for functions created with deployment packages.")
	}
	if err := RefusedLambdaRuntime(c.Runtime, update, t.now); err != nil {
		err.(*apierr.Error).Fields = map[string]string{"Type": "User"}
		return err
	}
	return nil
}

// checkLambdaRole refuses a role Lambda cannot assume.
func (t *txn) checkLambdaRole(role string) error {
	if !t.roleAssumable(role, lambdaPrincipal) {
		return lambdaInvalid("The role defined for the function cannot be assumed by Lambda.")
	}
	return nil
}

// lambdaRevision is a new RevisionId (a UUID's form).
func (t *txn) lambdaRevision() string {
	h := t.e.ids.Hex(32)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func joinIDs[S ~string](ids []S) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return strings.Join(out, ", ")
}

// CreateLambdaFunction creates a function (Pending; Active at a later
// Step unless in.Active).
func (e *Engine) CreateLambdaFunction(in CreateLambdaFunctionInput) (*model.LambdaFunction, error) {
	c := in.Config
	c.PackageType = cmp.Or(c.PackageType, "Zip")
	if c.PackageType != "Zip" && c.PackageType != "Image" {
		return nil, lambdaValidation("packageType", c.PackageType, "Member must satisfy enum value set: [Zip, Image]")
	}
	if len(in.Name) > 64 {
		return nil, lambdaValidation("functionName", in.Name, "Member must have length less than or equal to 64")
	}
	name, q, ok := ParseLambdaFunctionRef(in.Name)
	if !ok || q != "" {
		return nil, lambdaValidation("functionName", in.Name, `Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?`)
	}
	c.Timeout = cmp.Or(c.Timeout, 3)
	c.MemorySize = cmp.Or(c.MemorySize, 128)
	c.EphemeralStorage = cmp.Or(c.EphemeralStorage, 512)
	if len(c.Architectures) == 0 {
		c.Architectures = []string{"x86_64"}
	}
	c.TracingMode = cmp.Or(c.TracingMode, "PassThrough")
	if err := checkLambdaConfig(&c); err != nil {
		return nil, err
	}
	if err := lambdaCode(&c, in.Code); err != nil {
		return nil, err
	}
	if err := checkLambdaTags(in.Tags); err != nil {
		return nil, err
	}
	var out *model.LambdaFunction
	err := e.write(func(t *txn) error {
		if err := t.checkLambdaRuntime(&c, false); err != nil {
			return err
		}
		if t.st.LambdaFunctions[name] != nil {
			return lambdaConflict("Function already exist: %s", name)
		}
		if !in.RoleUnjudged {
			if err := t.checkLambdaRole(c.Role); err != nil {
				return err
			}
		}
		if err := t.lambdaVPC(&c); err != nil {
			return err
		}
		c.State, c.LastUpdateStatus = "Pending", "InProgress"
		if in.Active {
			c.State, c.LastUpdateStatus = "Active", "Successful"
		}
		c.LastModified, c.RevisionID = t.now, t.lambdaRevision()
		fn := &model.LambdaFunction{Name: name, Config: c, Created: t.now, Tags: in.Tags.Clone()}
		for k, v := range in.StackTags {
			if fn.Tags == nil {
				fn.Tags = model.Tags{}
			}
			fn.Tags[k] = v
		}
		if err := t.syncLambdaENIs(fn); err != nil {
			return err
		}
		if in.Publish {
			t.publishLambdaVersion(fn)
		}
		put(t, model.KindLambdaFunction, t.st.LambdaFunctions, fn.Name, fn)
		out = fn
		return nil
	})
	return out, err
}

// publishLambdaVersion freezes $LATEST as the next version.
func (t *txn) publishLambdaVersion(fn *model.LambdaFunction) *model.LambdaVersion {
	fn.LastVersion++
	v := model.LambdaVersion{Version: strconv.FormatInt(fn.LastVersion, 10), Config: cloneLambdaConfig(fn.Config)}
	v.Config.RevisionID = t.lambdaRevision()
	fn.Versions = append(slices.Clone(fn.Versions), v)
	return &fn.Versions[len(fn.Versions)-1]
}

func cloneLambdaConfig(c model.LambdaConfig) model.LambdaConfig {
	c.Architectures = slices.Clone(c.Architectures)
	c.Layers = slices.Clone(c.Layers)
	c.SubnetIDs = slices.Clone(c.SubnetIDs)
	c.SecurityGroupIDs = slices.Clone(c.SecurityGroupIDs)
	if c.Environment != nil {
		env := make(map[string]string, len(c.Environment))
		for k, v := range c.Environment {
			env[k] = v
		}
		c.Environment = env
	}
	return c
}

func cloneLambdaFunction(fn *model.LambdaFunction) *model.LambdaFunction {
	c := *fn
	c.Config = cloneLambdaConfig(fn.Config)
	c.Versions = slices.Clone(fn.Versions)
	c.Aliases = slices.Clone(fn.Aliases)
	c.Policy = slices.Clone(fn.Policy)
	c.ENIs = slices.Clone(fn.ENIs)
	c.Tags = fn.Tags.Clone()
	c.EventInvokeConfigs = cloneEventInvokeConfigs(fn.EventInvokeConfigs)
	c.URLs = cloneLambdaURLs(fn.URLs)
	if fn.ReservedConcurrency != nil {
		n := *fn.ReservedConcurrency
		c.ReservedConcurrency = &n
	}
	return &c
}

func checkLambdaTags(tags model.Tags) error {
	if len(tags) > MaxTagsPerResource {
		return lambdaInvalid("Number of tags exceeds resource tag limit.") // [probable]
	}
	for k, v := range tags {
		if k == "" || len(k) > MaxTagKeyLen || len(v) > MaxTagValueLen {
			return lambdaInvalid("Tag keys must be 1 to 128 characters and values at most 256.") // [probable]
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return lambdaInvalid("Tag keys cannot start with 'aws:'.") // [probable]
		}
	}
	return nil
}

// changeLambdaFunction applies fn to a copy of the function ref names and
// stores it. revision, when given, must be the $LATEST RevisionId
// (PreconditionFailedException otherwise).
func (e *Engine) changeLambdaFunction(ref, revision string, change func(t *txn, fn *model.LambdaFunction) error) (*model.LambdaFunction, error) {
	var out *model.LambdaFunction
	err := e.write(func(t *txn) error {
		old, q, err := e.LambdaFunction(t.st, ref, "")
		if err != nil {
			return err
		}
		if q != "" {
			return lambdaInvalid("Unsupported qualifier: the operation applies to the unqualified function.") // [probable]
		}
		if revision != "" && revision != old.Config.RevisionID {
			return lambdaErr(http.StatusPreconditionFailed, "PreconditionFailedException",
				"The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
		}
		fn := cloneLambdaFunction(old)
		if err := change(t, fn); err != nil {
			return err
		}
		put(t, model.KindLambdaFunction, t.st.LambdaFunctions, fn.Name, fn)
		out = fn
		return nil
	})
	return out, err
}

// errUpdateInProgress is Lambda's answer to a change while an update (or
// the creation) of the function is in progress.
func (e *Engine) errUpdateInProgress(fn *model.LambdaFunction) error {
	return lambdaConflict("The operation cannot be performed at this time. An update is in progress for resource: %s", e.LambdaFunctionARN(fn.Name, ""))
}

// UpdateLambdaFunctionConfiguration applies change to a copy of the
// function's configuration and checks and stores it.
func (e *Engine) UpdateLambdaFunctionConfiguration(ref, revision string, change func(c *model.LambdaConfig)) (*model.LambdaFunction, error) {
	return e.changeLambdaFunction(ref, revision, func(t *txn, fn *model.LambdaFunction) error {
		if fn.Config.LastUpdateStatus == "InProgress" {
			return e.errUpdateInProgress(fn)
		}
		c := cloneLambdaConfig(fn.Config)
		change(&c)
		if err := checkLambdaConfig(&c); err != nil {
			return err
		}
		if c.Runtime != fn.Config.Runtime || c.Handler != fn.Config.Handler {
			if err := t.checkLambdaRuntime(&c, true); err != nil {
				return err
			}
		}
		if c.Role != fn.Config.Role {
			if err := t.checkLambdaRole(c.Role); err != nil {
				return err
			}
		}
		if err := t.lambdaVPC(&c); err != nil {
			return err
		}
		c.LastUpdateStatus, c.LastModified, c.RevisionID = "InProgress", t.now, t.lambdaRevision()
		fn.Config = c
		return t.syncLambdaENIs(fn)
	})
}

// UpdateLambdaFunctionCode replaces a function's code (and architecture
// when given), publishing a version when publish is set.
func (e *Engine) UpdateLambdaFunctionCode(ref, revision string, code LambdaCode, architectures []string, publish bool) (*model.LambdaFunction, error) {
	return e.changeLambdaFunction(ref, revision, func(t *txn, fn *model.LambdaFunction) error {
		if fn.Config.LastUpdateStatus == "InProgress" {
			return e.errUpdateInProgress(fn)
		}
		c := cloneLambdaConfig(fn.Config)
		if len(architectures) > 0 {
			c.Architectures = slices.Clone(architectures)
			if err := checkLambdaConfig(&c); err != nil {
				return err
			}
		}
		if err := lambdaCode(&c, code); err != nil {
			return err
		}
		// New code of a runtime past its "block function update" date is
		// refused as a configuration update is.
		if err := t.checkLambdaRuntime(&c, true); err != nil {
			return err
		}
		c.LastUpdateStatus, c.LastModified, c.RevisionID = "InProgress", t.now, t.lambdaRevision()
		fn.Config = c
		if publish {
			t.publishLambdaVersion(fn)
		}
		return nil
	})
}

// SettleLambdaFunction completes a function's update in progress
// (LastUpdateStatus Successful), as CloudFormation waits for it before it
// goes on (a second change would otherwise be refused as in progress).
func (e *Engine) SettleLambdaFunction(ref string) error {
	_, err := e.changeLambdaFunction(ref, "", func(t *txn, fn *model.LambdaFunction) error {
		t.settleLambda(fn)
		return nil
	})
	return err
}

// PublishLambdaVersion publishes $LATEST as a version; a $LATEST whose
// code and configuration are the newest version's answers that version.
func (e *Engine) PublishLambdaVersion(ref, codeSHA256, revision string) (*model.LambdaFunction, *model.LambdaVersion, error) {
	var v *model.LambdaVersion
	fn, err := e.changeLambdaFunction(ref, revision, func(t *txn, fn *model.LambdaFunction) error {
		if fn.Config.LastUpdateStatus == "InProgress" || fn.Config.State == "Pending" {
			return e.errUpdateInProgress(fn)
		}
		if codeSHA256 != "" && codeSHA256 != fn.Config.CodeSHA256 {
			return lambdaInvalid("CodeSHA256 (%s) is different from current CodeSHA256 in $LATEST (%s). Please try again with the CodeSHA256 in $LATEST.", codeSHA256, fn.Config.CodeSHA256)
		}
		if n := len(fn.Versions); n > 0 && fn.Versions[n-1].Config.LastModified.Equal(fn.Config.LastModified) {
			v = &fn.Versions[n-1]
			return nil
		}
		v = t.publishLambdaVersion(fn)
		return nil
	})
	return fn, v, err
}

// DeleteLambdaFunction deletes a function (with its versions and ENIs),
// or, with a qualifier, one published version.
func (e *Engine) DeleteLambdaFunction(ref, qualifier string) error {
	return e.write(func(t *txn) error {
		name, q, err := e.ResolveLambdaRef(ref, qualifier)
		if err != nil {
			return err
		}
		// $LATEST is refused before the function is looked up; a version
		// that does not exist is deleted already (Lambda answers 204), but
		// a function that does not exist is 404, named without the
		// qualifier (test_lambda_api.snapshot.json).
		if q == "$LATEST" {
			return lambdaInvalid("$LATEST version cannot be deleted without deleting the function.")
		}
		fn := t.st.LambdaFunctions[name]
		if fn == nil {
			return e.errFunctionNotFound(name, "")
		}
		switch {
		case q == "":
		case LambdaVersionOf(fn, q) == nil && LambdaAliasOf(fn, q) == nil:
			return nil
		default:
			if LambdaAliasOf(fn, q) != nil {
				return lambdaInvalid("Deletion of aliases is not supported by DeleteFunction; use DeleteAlias.") // [probable]
			}
			for _, a := range fn.Aliases {
				if _, routed := a.AdditionalVersionWeights[q]; a.FunctionVersion == q || routed {
					return lambdaConflict("Unable to delete version because the following aliases reference it: [%s]", a.Name) // [probable]
				}
			}
			c := cloneLambdaFunction(fn)
			c.Versions = slices.DeleteFunc(c.Versions, func(v model.LambdaVersion) bool { return v.Version == q })
			delete(c.EventInvokeConfigs, q)
			put(t, model.KindLambdaFunction, t.st.LambdaFunctions, c.Name, c)
			return nil
		}
		for _, id := range fn.ENIs {
			t.deleteENI(id)
		}
		del(t, model.KindLambdaFunction, t.st.LambdaFunctions, fn.Name)
		return nil
	})
}

// TagLambdaFunction adds and removes a function's tags; arn must be the
// function's unqualified ARN.
func (e *Engine) TagLambdaFunction(arn string, add model.Tags, remove []string) error {
	if err := checkLambdaTags(add); err != nil {
		return err
	}
	_, err := e.changeLambdaFunction(arn, "", func(t *txn, fn *model.LambdaFunction) error {
		fn.Tags = changeTags(fn.Tags, add, remove)
		if len(fn.Tags) > MaxTagsPerResource {
			return lambdaInvalid("Number of tags exceeds resource tag limit.") // [probable]
		}
		return nil
	})
	return err
}

// PutLambdaConcurrency sets (n non-nil) or removes a function's reserved
// concurrency. The account's limit is 1000 and 100 stay unreserved.
func (e *Engine) PutLambdaConcurrency(ref string, n *int64) (*model.LambdaFunction, error) {
	return e.changeLambdaFunction(ref, "", func(t *txn, fn *model.LambdaFunction) error {
		if n != nil {
			if *n < 0 {
				return lambdaValidation("reservedConcurrentExecutions", strconv.FormatInt(*n, 10), "Member must have value greater than or equal to 0")
			}
			var reserved int64
			for name, other := range t.st.LambdaFunctions {
				if name != fn.Name && other.ReservedConcurrency != nil {
					reserved += *other.ReservedConcurrency
				}
			}
			if reserved+*n > 900 {
				return lambdaInvalid("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].")
			}
		}
		fn.ReservedConcurrency = n
		return nil
	})
}

// AddLambdaPermissionInput is AddPermission's input.
type AddLambdaPermissionInput struct {
	Function  string
	Qualifier string
	Revision  string
	model.LambdaPermission
}

// AddLambdaPermission adds a statement to a function's resource-based
// policy.
func (e *Engine) AddLambdaPermission(in AddLambdaPermissionInput) (*model.LambdaFunction, error) {
	p := in.LambdaPermission
	if !strings.HasPrefix(p.Action, "lambda:") && p.Action != "*" {
		return nil, lambdaValidation("action", p.Action, `Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])`)
	}
	var out *model.LambdaFunction
	err := e.write(func(t *txn) error {
		fn, q, err := e.LambdaFunction(t.st, in.Function, in.Qualifier)
		if err != nil {
			return err
		}
		if q == "$LATEST" {
			q = ""
		}
		if in.Revision != "" && in.Revision != fn.PolicyRevision {
			return lambdaErr(http.StatusPreconditionFailed, "PreconditionFailedException",
				"The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id")
		}
		for _, s := range fn.Policy {
			if s.Sid == p.Sid && s.Qualifier == q {
				return lambdaConflict("The statement id (%s) provided already exists. Please provide a new statement id, or remove the existing statement.", p.Sid)
			}
		}
		c := cloneLambdaFunction(fn)
		p.Qualifier = q
		c.Policy = append(c.Policy, p)
		c.PolicyRevision = t.lambdaRevision()
		put(t, model.KindLambdaFunction, t.st.LambdaFunctions, c.Name, c)
		out = c
		return nil
	})
	return out, err
}

// RemoveLambdaPermission removes a statement of a function's policy.
func (e *Engine) RemoveLambdaPermission(ref, qualifier, sid, revision string) error {
	return e.write(func(t *txn) error {
		fn, q, err := e.LambdaFunction(t.st, ref, qualifier)
		if err != nil {
			return err
		}
		if q == "$LATEST" {
			q = ""
		}
		if revision != "" && revision != fn.PolicyRevision {
			return lambdaErr(http.StatusPreconditionFailed, "PreconditionFailedException",
				"The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id")
		}
		i := slices.IndexFunc(fn.Policy, func(s model.LambdaPermission) bool { return s.Sid == sid && s.Qualifier == q })
		if i < 0 {
			if !slices.ContainsFunc(fn.Policy, func(s model.LambdaPermission) bool { return s.Qualifier == q }) {
				return lambdaNotFound("No policy is associated with the given resource.")
			}
			return lambdaNotFound("Statement %s is not found in resource policy.", sid)
		}
		c := cloneLambdaFunction(fn)
		c.Policy = slices.Delete(c.Policy, i, i+1)
		c.PolicyRevision = t.lambdaRevision()
		put(t, model.KindLambdaFunction, t.st.LambdaFunctions, c.Name, c)
		return nil
	})
}

// ErrLambdaNoPolicy is GetPolicy's answer for a function without one.
func ErrLambdaNoPolicy() error {
	return lambdaNotFound("The resource you requested does not exist.")
}

// ErrLambdaNotFound is ResourceNotFoundException with Lambda's text for
// what an operation names that does not exist (a function URL, an event
// invoke configuration).
func ErrLambdaNotFound(msg string) error { return lambdaNotFound("%s", msg) }

// stepLambda moves functions on: Pending → Active and an update
// InProgress → Successful once due (Config.TaskStartDelay after the
// change).
func (t *txn) stepLambda() {
	if len(t.st.LambdaFunctions) == 0 {
		return
	}
	delay := t.e.cfg.TaskStartDelay
	for _, name := range sortedKeys(t.st.LambdaFunctions) {
		fn := t.st.LambdaFunctions[name]
		if fn.Config.LastUpdateStatus != "InProgress" || !t.due(fn.Config.LastModified.Add(delay)) {
			continue
		}
		c := cloneLambdaFunction(fn)
		t.settleLambda(c)
		put(t, model.KindLambdaFunction, t.st.LambdaFunctions, c.Name, c)
	}
}

// settleLambda completes a function's creation or update: Active and
// Successful, with a new RevisionId (AWS's function changes revision when
// its creation or update completes: a GetFunction after the waiter
// answers another RevisionId than CreateFunction or
// UpdateFunctionConfiguration did, test_lambda_api.snapshot.json), and so
// do the versions published while it was Pending.
func (t *txn) settleLambda(fn *model.LambdaFunction) {
	if fn.Config.LastUpdateStatus == "InProgress" || fn.Config.State == "Pending" {
		fn.Config.State, fn.Config.LastUpdateStatus, fn.Config.RevisionID = "Active", "Successful", t.lambdaRevision()
	}
	for i := range fn.Versions {
		if fn.Versions[i].Config.State == "Pending" {
			fn.Versions[i].Config.State, fn.Versions[i].Config.LastUpdateStatus = "Active", "Successful"
			fn.Versions[i].Config.RevisionID = t.lambdaRevision()
		}
	}
}
