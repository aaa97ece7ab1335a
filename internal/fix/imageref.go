package fix

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// imageRef: a service whose image is not a valid reference (an ECR
// repository ARN, an uppercase repository) gets a task definition
// revision with the reference it was meant to be, and is redeployed. A
// Fargate task definition that now pulls from ECR needs an execution
// role: the console's ecsTaskExecutionRole when it has none.
func (f *finder) imageRef(x reach.Explanation) []Fix {
	if x.Tasks == nil || x.Tasks.Failure == nil {
		return nil
	}
	bad := x.Tasks.Failure.Image
	good := reach.CorrectImageRef(bad)
	svc := f.serviceNamed(x.Tasks.Service)
	if good == "" || svc == nil {
		return nil
	}
	td := f.st.TaskDefinitions[runTaskDefinition(svc, nil)]
	if td == nil {
		return nil
	}
	containers := slices.Clone(td.Containers)
	name := ""
	for i := range containers {
		if containers[i].Image == bad {
			containers[i].Image = good
			if name == "" {
				name = containers[i].Name
			}
		}
	}
	if name == "" {
		return nil
	}
	in := revisionOf(td, td.NetworkMode, containers)
	cluster := clusterName(svc.ClusterARN)
	detail := "The ECS agent hands the image to the container runtime, which parses it as a Docker reference before any connection; " +
		bad + " is not one, so every task stops with CannotPullContainerError. RegisterTaskDefinition does not parse it."
	role := ""
	apply := func(e *engine.Engine) error {
		if in.ExecutionRoleARN == "" && engine.NeedsExecutionRole(in.Containers) && slices.Contains(in.RequiresCompatibilities, "FARGATE") {
			in.ExecutionRoleARN = e.DefaultExecutionRoleARN()
		}
		return redeployWith(in, cluster, svc.Name)(e)
	}
	if in.ExecutionRoleARN == "" && engine.NeedsExecutionRole(in.Containers) && slices.Contains(in.RequiresCompatibilities, "FARGATE") {
		role = " with an execution role (ecsTaskExecutionRole: Fargate needs one to pull from ECR)"
	}
	return []Fix{{
		score: 15, Kind: "application",
		Title:  fmt.Sprintf("Set container %s's image to %s and redeploy %s", name, good, svc.Name),
		Detail: detail,
		Commands: append([]string{
			fmt.Sprintf("aws ecs register-task-definition --cli-input-json file://%s.json   # the same definition, image %s (with the tag to run)%s", td.Family, good, role),
		}, redeployCommands(f.st, svc, td.Family)...),
		Scenario: fmt.Sprintf("task_definitions:\n  %s:\n    containers:\n      %s:\n        image: %s\n", td.Family, name, good),
		apply:    apply,
	}}
}

// repository: a service whose image names a repository of the account's
// ECR registry that does not exist gets the repository, and is redeployed
// (ECS backs off a service whose tasks keep failing to start). The image
// itself is pushed outside the API; the fix says so.
func (f *finder) repository(x reach.Explanation) []Fix {
	if x.Tasks == nil || x.Tasks.Failure == nil || x.Tasks.Failure.Repository == "" {
		return nil
	}
	name := x.Tasks.Failure.Repository
	svc := f.serviceNamed(x.Tasks.Service)
	if svc == nil {
		return nil
	}
	cluster := clusterName(svc.ClusterARN)
	// The redeploy: UpdateService's new deployment, or for a service of
	// task sets what AWS lets it change (a replacing task set, a CodeDeploy
	// deployment), as the other fixes do (taskset.go).
	redeploy, update, ok := serviceUpdate(f.st, svc, nil, engine.UpdateServiceInput{Cluster: cluster, Service: svc.Name, ForceNewDeployment: true},
		fmt.Sprintf("aws ecs update-service --cluster %s --service %s --force-new-deployment", cluster, svc.Name))
	if !ok {
		return nil
	}
	fx := Fix{
		score: 10, Kind: "application",
		Title: fmt.Sprintf("Create the ECR repository %s, push the image %s to it, and redeploy %s", name, x.Tasks.Failure.Image, svc.Name),
		Detail: "The image names a repository of this account's registry that does not exist: ECR answers the manifest request with 404 " +
			"(name unknown), so every task stops with CannotPullContainerError. Pushing the image is outside the API; ecsnet takes a repository's images to be there.",
		Commands: append([]string{
			"aws ecr create-repository --repository-name " + name,
			"docker push " + x.Tasks.Failure.Image,
		}, redeploy...),
		Scenario: "# scenario files do not model ECR: create the repository " + name + " (Terraform aws_ecr_repository, CloudFormation AWS::ECR::Repository)\n",
		apply: func(e *engine.Engine) error {
			if _, err := e.CreateRepository(engine.CreateRepositoryInput{Name: name}); err != nil {
				return err
			}
			return update(e)
		},
	}
	if v, ok := f.serviceVerification(svc.Name); ok {
		fx.Verification = v
	}
	return []Fix{fx}
}

// imageTag: a service whose image's tag its repository does not hold gets
// a task definition revision with the repository's newest tag, and is
// redeployed; pushing the tag it names is the other way, outside the API.
func (f *finder) imageTag(x reach.Explanation) []Fix {
	if x.Tasks == nil || x.Tasks.Failure == nil || x.Tasks.Failure.Repository == "" {
		return nil
	}
	bad := x.Tasks.Failure.Image
	repo := f.st.Repositories[x.Tasks.Failure.Repository]
	svc := f.serviceNamed(x.Tasks.Service)
	if repo == nil || svc == nil {
		return nil
	}
	tag := reach.LatestTag(repo)
	td := f.st.TaskDefinitions[runTaskDefinition(svc, nil)]
	if tag == "" || td == nil {
		return nil
	}
	base := bad
	if i := strings.IndexByte(base, '@'); i >= 0 {
		base = base[:i]
	} else if i := strings.LastIndexByte(base, ':'); i > strings.LastIndexByte(base, '/') {
		base = base[:i]
	}
	good := base + ":" + tag
	containers := slices.Clone(td.Containers)
	name := ""
	for i := range containers {
		if containers[i].Image == bad {
			containers[i].Image = good
			name = cmp.Or(name, containers[i].Name)
		}
	}
	if name == "" {
		return nil
	}
	in := revisionOf(td, td.NetworkMode, containers)
	cluster := clusterName(svc.ClusterARN)
	return []Fix{{
		score: 15, Kind: "application",
		Title: fmt.Sprintf("Set container %s's image to %s (the newest tag of %s) and redeploy %s, or push %s", name, good, repo.Name, svc.Name, bad),
		Detail: "The repository " + repo.Name + " exists but holds no image " + bad + ": ECR answers the manifest request with 404 (manifest unknown), " +
			"so every task stops with CannotPullContainerError. Pushing the missing tag is outside the API.",
		Commands: append([]string{
			"aws ecr describe-images --repository-name " + repo.Name + "   # the tags it holds",
			fmt.Sprintf("aws ecs register-task-definition --cli-input-json file://%s.json   # the same definition, image %s", td.Family, good),
		}, redeployCommands(f.st, svc, td.Family)...),
		Scenario: fmt.Sprintf("task_definitions:\n  %s:\n    containers:\n      %s:\n        image: %s\n", td.Family, name, good),
		apply:    redeployWith(in, cluster, svc.Name),
	}}
}
