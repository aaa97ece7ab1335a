resource "aws_eip" "NATGWEIP" {
    vpc = true
}
