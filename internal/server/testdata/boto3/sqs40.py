"""Amazon SQS through boto3 (round forty; botocore speaks JSON 1.0 to it):
a queue and its dead-letter queue, AWS's attribute defaults, the Query
codes botocore reads from x-amzn-query-error
(AWS.SimpleQueueService.NonExistentQueue, QueueAlreadyExists), messages
with attributes (botocore checks no digests; the values come back),
visibility, batches and the redrive."""
import json

from common import client, fails

sqs = client("sqs")
dlq = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
assert dlq.endswith("/orders-dlq"), dlq
dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
q = sqs.create_queue(QueueName="orders", Attributes={
    "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "1"})})["QueueUrl"]
attrs = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["All"])["Attributes"]
assert attrs["VisibilityTimeout"] == "30" and attrs["MessageRetentionPeriod"] == "345600", attrs
assert json.loads(attrs["RedrivePolicy"]) == {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1}, attrs

err = fails("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.",
            sqs.get_queue_url, QueueName="missing")
try:
    sqs.get_queue_url(QueueName="missing")
    raise AssertionError("no error")
except sqs.exceptions.QueueDoesNotExist:
    pass
fails("QueueAlreadyExists", None, sqs.create_queue, QueueName="orders", Attributes={"DelaySeconds": "5"})
fails("InvalidAttributeName", "Unknown Attribute Colour.", sqs.set_queue_attributes, QueueUrl=q, Attributes={"Colour": "red"})

sent = sqs.send_message(QueueUrl=q, MessageBody="order 1",
                        MessageAttributes={"priority": {"DataType": "Number", "StringValue": "7"}})
assert len(sent["MD5OfMessageBody"]) == 32 and "MD5OfMessageAttributes" in sent, sent
got = sqs.receive_message(QueueUrl=q, MessageAttributeNames=["All"], AttributeNames=["All"], VisibilityTimeout=0)["Messages"]
assert got[0]["Body"] == "order 1" and got[0]["MessageAttributes"]["priority"]["StringValue"] == "7", got
assert got[0]["Attributes"]["ApproximateReceiveCount"] == "1", got
# Received once (maxReceiveCount 1): the next receive moves it to the dead-letter queue.
assert "Messages" not in sqs.receive_message(QueueUrl=q)
dead = sqs.receive_message(QueueUrl=dlq)["Messages"]
assert dead[0]["Body"] == "order 1", dead
assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [q]

batch = sqs.send_message_batch(QueueUrl=q, Entries=[{"Id": "a", "MessageBody": "x"}, {"Id": "b", "MessageBody": "y"}])
assert [e["Id"] for e in batch["Successful"]] == ["a", "b"], batch
fails("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "Maximum number of entries per request are 10. You have sent 11.",
      sqs.send_message_batch, QueueUrl=q, Entries=[{"Id": str(i), "MessageBody": "m"} for i in range(11)])
msgs = sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=10)["Messages"]
assert sorted(m["Body"] for m in msgs) == ["x", "y"], msgs
d = sqs.delete_message_batch(QueueUrl=q, Entries=[{"Id": m["MessageId"], "ReceiptHandle": m["ReceiptHandle"]} for m in msgs])
assert len(d["Successful"]) == 2, d
assert sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"] == {"ApproximateNumberOfMessages": "0"}
sqs.delete_queue(QueueUrl=q)
fails("AWS.SimpleQueueService.NonExistentQueue", None, sqs.get_queue_attributes, QueueUrl=q)
