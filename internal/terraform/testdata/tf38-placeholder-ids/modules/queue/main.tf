resource "aws_sqs_queue" "this" {}

output "id" {
  value = aws_sqs_queue.this.id
}
