# An order event fanned out to an SQS FIFO queue: EventBridge must be given
# the message group id (sqs_target); var.group empty leaves the block out.
variable "group" {
  type    = string
  default = ""
}

resource "aws_cloudwatch_event_rule" "orders" {
  name          = "order-placed"
  event_pattern = jsonencode({ source = ["shop.orders"] })
}

resource "aws_cloudwatch_event_target" "queue" {
  rule      = aws_cloudwatch_event_rule.orders.name
  target_id = "orders-fifo"
  arn       = "arn:aws:sqs:us-east-1:123456789012:orders.fifo"

  dynamic "sqs_target" {
    for_each = var.group == "" ? [] : [var.group]
    content {
      message_group_id = sqs_target.value
    }
  }
}
