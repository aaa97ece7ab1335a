package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// AWS managed policies: AWS publishes over a thousand, and any of them can
// be attached. ecsnet accepts every ARN of the form
// arn:aws:iam::aws:policy/[path/]Name as an existing AWS managed policy and
// answers the documents of the ones ECS deployments attach most; the others
// answer a document that allows nothing, marked as ecsnet's stand-in.

// AWSPolicy is an AWS managed policy as ecsnet answers it.
type AWSPolicy struct {
	ARN, Name, Path, ID, Description, Document, Version string
	Created, Updated                                    time.Time
}

var awsPolicyDocs = map[string]struct{ desc, doc string }{
	"service-role/AmazonECSTaskExecutionRolePolicy": {"Provides access to other AWS service resources that are required to run Amazon ECS tasks",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`},
	"service-role/AmazonEC2ContainerServiceforEC2Role": {"Default policy for the Amazon EC2 Role for Amazon EC2 Container Service.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeTags","ecs:CreateCluster","ecs:DeregisterContainerInstance","ecs:DiscoverPollEndpoint","ecs:Poll","ecs:RegisterContainerInstance","ecs:StartTelemetrySession","ecs:UpdateContainerInstancesState","ecs:Submit*","ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"},{"Effect":"Allow","Action":"ecs:TagResource","Resource":"*","Condition":{"StringEquals":{"ecs:CreateAction":["CreateCluster","RegisterContainerInstance"]}}}]}`},
	"service-role/AmazonEC2ContainerServiceRole": {"Default policy for Amazon ECS service role.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:AuthorizeSecurityGroupIngress","ec2:Describe*","elasticloadbalancing:DeregisterInstancesFromLoadBalancer","elasticloadbalancing:DeregisterTargets","elasticloadbalancing:Describe*","elasticloadbalancing:RegisterInstancesWithLoadBalancer","elasticloadbalancing:RegisterTargets"],"Resource":"*"}]}`},
	"AmazonSSMManagedInstanceCore": {"The policy for Amazon EC2 Role to enable AWS Systems Manager service core functionality.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:DescribeAssociation","ssm:GetDeployablePatchSnapshotForInstance","ssm:GetDocument","ssm:DescribeDocument","ssm:GetManifest","ssm:GetParameter","ssm:GetParameters","ssm:ListAssociations","ssm:ListInstanceAssociations","ssm:PutInventory","ssm:PutComplianceItems","ssm:PutConfigurePackageResult","ssm:UpdateAssociationStatus","ssm:UpdateInstanceAssociationStatus","ssm:UpdateInstanceInformation"],"Resource":"*"},{"Effect":"Allow","Action":["ssmmessages:CreateControlChannel","ssmmessages:CreateDataChannel","ssmmessages:OpenControlChannel","ssmmessages:OpenDataChannel"],"Resource":"*"},{"Effect":"Allow","Action":["ec2messages:AcknowledgeMessage","ec2messages:DeleteMessage","ec2messages:FailMessage","ec2messages:GetEndpoint","ec2messages:GetMessages","ec2messages:SendReply"],"Resource":"*"}]}`},
	"AmazonEC2ContainerRegistryReadOnly": {"Provides read-only access to Amazon EC2 Container Registry repositories.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:GetRepositoryPolicy","ecr:DescribeRepositories","ecr:ListImages","ecr:DescribeImages","ecr:BatchGetImage","ecr:GetLifecyclePolicy","ecr:GetLifecyclePolicyPreview","ecr:ListTagsForResource","ecr:DescribeImageScanFindings"],"Resource":"*"}]}`},
	"AdministratorAccess": {"Provides full access to AWS services and resources.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
}

var awsPolicyEpoch = time.Date(2015, 2, 6, 18, 40, 0, 0, time.UTC)

// AWSManagedPolicy returns the AWS managed policy an ARN names.
func AWSManagedPolicy(arn string) (AWSPolicy, bool) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::aws:policy/")
	if !ok || rest == "" || strings.HasSuffix(rest, "/") {
		return AWSPolicy{}, false
	}
	path, name := "/", rest
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		path, name = "/"+rest[:i+1], rest[i+1:]
	}
	if !iamNameRE.MatchString(name) {
		return AWSPolicy{}, false
	}
	p := AWSPolicy{ARN: arn, Name: name, Path: path, Version: "v1", Created: awsPolicyEpoch, Updated: awsPolicyEpoch,
		ID: "ANPA" + strings.ToUpper(stableHex(arn, 17))}
	if d, ok := awsPolicyDocs[rest]; ok {
		p.Description, p.Document = d.desc, d.doc
	} else {
		p.Description = "An AWS managed policy (ecsnet stand-in: its document is not published in ecsnet)."
		p.Document = `{"Version":"2012-10-17","Statement":[]}`
	}
	return p, true
}

// stableHex is n hexadecimal digits derived from s.
func stableHex(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:n]
}
