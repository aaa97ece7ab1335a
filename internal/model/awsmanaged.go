package model

// AWSManagedPolicyDocument returns what ecsnet publishes of an AWS managed
// policy, by the ARN's part after "policy/" (e.g.
// "service-role/AmazonEC2ContainerServiceforEC2Role"): its description and
// its default version's document, as AWS publishes them (the AWS Managed
// Policy Reference Guide). ok is false for a policy ecsnet has no
// document of. The emulator answers these documents (iam GetPolicyVersion),
// and the ECS agent's credential check evaluates them.
func AWSManagedPolicyDocument(name string) (description, document string, ok bool) {
	d, ok := awsManagedPolicyDocs()[name]
	return d.desc, d.doc, ok
}

// awsManagedPolicyDocs are the AWS managed policies ECS deployments attach
// most, with their documents.
func awsManagedPolicyDocs() map[string]struct{ desc, doc string } {
	return map[string]struct{ desc, doc string }{
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
}
