provider "aws" {
  region = "eu-west-2"
}
