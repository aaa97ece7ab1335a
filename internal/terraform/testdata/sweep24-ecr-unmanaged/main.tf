provider "aws" {
  region = "us-east-1"
}

# As MayurNaikwade/ProjectP reads the repository its pipeline pushes to:
# the configuration manages no repository.
data "aws_ecr_repository" "repo" {
  name = "simple-web-app/projectp-api"
}

output "url" {
  value = "${data.aws_ecr_repository.repo.repository_url}:manual1"
}
