package reach_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// An EventBridge target may name a task definition family without its
// revision: RunTask takes the latest ACTIVE revision, and so does the
// analyzer.
func TestTargetTaskDefinition(t *testing.T) {
	st := model.NewState("123456789012", "us-east-1")
	fam := "arn:aws:ecs:us-east-1:123456789012:task-definition/job"
	for rev, status := range map[int]string{1: "ACTIVE", 2: "ACTIVE", 3: "INACTIVE"} {
		arn := fam + ":" + string(rune('0'+rev))
		st.TaskDefinitions[arn] = &model.TaskDefinition{ARN: arn, Family: "job", Revision: rev, Status: status}
	}
	st.TaskDefinitions["arn:aws:ecs:us-east-1:123456789012:task-definition/job-two:9"] = &model.TaskDefinition{
		ARN: "arn:aws:ecs:us-east-1:123456789012:task-definition/job-two:9", Family: "job-two", Revision: 9, Status: "ACTIVE"}
	if td := reach.TargetTaskDefinition(st, fam); td == nil || td.Revision != 2 {
		t.Errorf("the family: %+v, want revision 2", td)
	}
	if td := reach.TargetTaskDefinition(st, fam+":3"); td == nil || td.Revision != 3 {
		t.Errorf("revision 3 by its ARN: %+v", td)
	}
	if td := reach.TargetTaskDefinition(st, fam+"-three"); td != nil {
		t.Errorf("an unknown family: %+v", td)
	}
}
