package cfn

import (
	"strconv"
	"strings"
)

// SAM's policy templates (the AWS SAM Developer Guide's "AWS SAM policy
// templates" list; aws/serverless-application-model
// samtranslator/policy_templates_data/policy_templates.json): a function's
// Policies item {TemplateName: {Param: value, …}} becomes an inline policy
// "<fn>RolePolicy<i>" of its role whose statements are the template's,
// each Resource an Fn::Sub of the template's ARN pattern with the
// template's parameters (their names with a lower-case first letter)
// bound to the values given. The table holds the templates users reach
// for; one not in it grants nothing [choice]: ecsnet does not enforce
// Lambda's permissions.

// samPolicyStatement is one statement of a policy template: its actions
// and its resources, each "*" or an Fn::Sub pattern.
type samPolicyStatement struct {
	actions, resources []string
}

// samPolicyTemplate is a policy template: its parameters and statements.
type samPolicyTemplate struct {
	params     []string
	statements []samPolicyStatement
}

const (
	samARNPrefix    = "arn:${AWS::Partition}:"
	samRegionalPart = ":${AWS::Region}:${AWS::AccountId}:"
)

// samRegional is the Fn::Sub pattern of a regional ARN of service.
func samRegional(service, rest string) string {
	return samARNPrefix + service + samRegionalPart + rest
}

func samStatement(resources []string, actions ...string) samPolicyStatement {
	return samPolicyStatement{actions: actions, resources: resources}
}

func one(s string) []string { return []string{s} }

// samPolicyTemplates are the policy templates by name, as SAM's
// policy_templates.json defines them.
func samPolicyTemplates() map[string]samPolicyTemplate {
	table := one("table/${tableName}")
	tables := []string{samRegional("dynamodb", "table/${tableName}"), samRegional("dynamodb", "table/${tableName}/index/*")}
	bucket := []string{samARNPrefix + "s3:::${bucketName}", samARNPrefix + "s3:::${bucketName}/*"}
	queue := one(samRegional("sqs", "${queueName}"))
	star := one("*")
	return map[string]samPolicyTemplate{
		"SQSPollerPolicy": {one("QueueName"), []samPolicyStatement{samStatement(queue, "sqs:ChangeMessageVisibility",
			"sqs:ChangeMessageVisibilityBatch", "sqs:DeleteMessage", "sqs:DeleteMessageBatch", "sqs:GetQueueAttributes", "sqs:ReceiveMessage")}},
		"SQSSendMessagePolicy": {one("QueueName"), []samPolicyStatement{samStatement(queue, "sqs:SendMessage*")}},
		"LambdaInvokePolicy": {one("FunctionName"), []samPolicyStatement{samStatement(
			one(samRegional("lambda", "function:${functionName}*")), "lambda:InvokeFunction")}},
		"CloudWatchPutMetricPolicy": {nil, []samPolicyStatement{samStatement(star, "cloudwatch:PutMetricData")}},
		"EC2DescribePolicy":         {nil, []samPolicyStatement{samStatement(star, "ec2:DescribeRegions", "ec2:DescribeInstances")}},
		"DynamoDBCrudPolicy": {one("TableName"), []samPolicyStatement{samStatement(tables, "dynamodb:GetItem", "dynamodb:DeleteItem",
			"dynamodb:PutItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem",
			"dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem")}},
		"DynamoDBReadPolicy": {one("TableName"), []samPolicyStatement{samStatement(tables, "dynamodb:GetItem", "dynamodb:Scan",
			"dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable")}},
		"DynamoDBReconfigurePolicy": {one("TableName"), []samPolicyStatement{samStatement(
			one(samRegional("dynamodb", table[0])), "dynamodb:UpdateTable")}},
		"DynamoDBStreamReadPolicy": {[]string{"TableName", "StreamName"}, []samPolicyStatement{
			samStatement(one(samRegional("dynamodb", "table/${tableName}/stream/${streamName}")),
				"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"),
			samStatement(one(samRegional("dynamodb", "table/${tableName}/stream/*")), "dynamodb:ListStreams")}},
		"S3ReadPolicy": {one("BucketName"), []samPolicyStatement{samStatement(bucket, "s3:GetObject", "s3:ListBucket",
			"s3:GetBucketLocation", "s3:GetObjectVersion", "s3:GetLifecycleConfiguration")}},
		"S3CrudPolicy": {one("BucketName"), []samPolicyStatement{samStatement(bucket, "s3:GetObject", "s3:ListBucket",
			"s3:GetBucketLocation", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl", "s3:GetLifecycleConfiguration",
			"s3:PutLifecycleConfiguration", "s3:DeleteObject")}},
		"SNSPublishMessagePolicy": {one("TopicName"), []samPolicyStatement{samStatement(one(samRegional("sns", "${topicName}")), "sns:Publish")}},
		"SNSCrudPolicy": {one("TopicName"), []samPolicyStatement{samStatement(one(samRegional("sns", "${topicName}*")),
			"sns:ListSubscriptionsByTopic", "sns:CreateTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Publish")}},
		"VPCAccessPolicy": {nil, []samPolicyStatement{samStatement(star, "ec2:CreateNetworkInterface",
			"ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DetachNetworkInterface")}},
		"KinesisStreamReadPolicy": {one("StreamName"), []samPolicyStatement{
			samStatement(one(samRegional("kinesis", "stream/*")), "kinesis:ListStreams", "kinesis:DescribeLimits"),
			samStatement(one(samRegional("kinesis", "stream/${streamName}")), "kinesis:DescribeStream",
				"kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator")}},
		"KMSDecryptPolicy": {one("KeyId"), []samPolicyStatement{samStatement(one(samRegional("kms", "key/${keyId}")), "kms:Decrypt")}},
		"KMSEncryptPolicy": {one("KeyId"), []samPolicyStatement{samStatement(one(samRegional("kms", "key/${keyId}")), "kms:Encrypt")}},
		"AWSSecretsManagerGetSecretValuePolicy": {one("SecretArn"), []samPolicyStatement{samStatement(one("${secretArn}"),
			"secretsmanager:GetSecretValue")}},
		"SSMParameterReadPolicy": {one("ParameterName"), []samPolicyStatement{
			samStatement(star, "ssm:DescribeParameters"),
			samStatement(one(samRegional("ssm", "parameter/${parameterName}")), "ssm:GetParameters", "ssm:GetParameter",
				"ssm:GetParametersByPath")}},
		"StepFunctionsExecutionPolicy": {one("StateMachineName"), []samPolicyStatement{samStatement(
			one(samRegional("states", "stateMachine:${stateMachineName}")), "states:StartExecution")}},
		"FirehoseWritePolicy": {one("DeliveryStreamName"), []samPolicyStatement{samStatement(
			one(samRegional("firehose", "deliverystream/${deliveryStreamName}")), "firehose:PutRecord", "firehose:PutRecordBatch")}},
		"CloudFormationDescribeStacksPolicy": {nil, []samPolicyStatement{samStatement(
			one(samRegional("cloudformation", "stack/*")), "cloudformation:DescribeStacks")}},
		"FilterLogEventsPolicy": {one("LogGroupName"), []samPolicyStatement{samStatement(
			one(samRegional("logs", "log-group:${logGroupName}:log-stream:*")), "logs:FilterLogEvents")}},
	}
}

// samLowerFirst is a template parameter's name as its patterns write it.
func samLowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// samPolicyTemplateDoc returns the policy document SAM makes of a policy
// template item p ({Name: {Param: value}}), or nil when p is no template
// the table knows.
func samPolicyTemplateDoc(p *node, templates map[string]samPolicyTemplate) *node {
	if p == nil || p.kind != mapNode || len(p.fields) != 1 || isIntrinsic(p) {
		return nil
	}
	tpl, ok := templates[p.fields[0].key]
	if !ok {
		return nil
	}
	args := p.fields[0].val
	line := p.line
	var stmts []*node
	for _, st := range tpl.statements {
		var actions, resources []*node
		for _, a := range st.actions {
			actions = append(actions, scalarAt(a, line))
		}
		for _, r := range st.resources {
			resources = append(resources, samPolicyResource(r, tpl.params, args, line))
		}
		var res *node = listAt(resources, line)
		if len(resources) == 1 {
			res = resources[0]
		}
		stmts = append(stmts, mapOf(line, "Effect", "Allow", "Action", listAt(actions, line), "Resource", res))
	}
	return mapOf(line, "Statement", listAt(stmts, line))
}

// samPolicyResource is one resource of a template's statement: "*", or
// an Fn::Sub of its pattern with the parameters it names bound to the
// values args gives.
func samPolicyResource(pattern string, params []string, args *node, line int) *node {
	if pattern == "*" {
		return scalarAt(pattern, line)
	}
	vars := &node{kind: mapNode, line: line}
	for _, name := range params {
		v := args.get(name)
		if v == nil || !strings.Contains(pattern, "${"+samLowerFirst(name)+"}") {
			continue
		}
		vars.fields = append(vars.fields, field{key: samLowerFirst(name), line: line, val: v})
	}
	if len(vars.fields) == 0 {
		return subAt(pattern, line)
	}
	return mapOf(line, "Fn::Sub", listAt([]*node{scalarAt(pattern, line), vars}, line))
}

// samPolicyName is the name of a function's inline policy made of its
// Policies item i.
func samPolicyName(fn string, i int) string { return fn + "RolePolicy" + strconv.Itoa(i) }
