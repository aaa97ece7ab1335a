package engine

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TagAutoScalingGroupARN applies c to the Auto Scaling group named by its
// ARN (the Resource Groups Tagging API's TagResources and UntagResources):
// a key the group already has keeps its PropagateAtLaunch, a new key is not
// propagated at launch. A group that does not exist is Auto Scaling's
// ValidationError, as CreateOrUpdateTags answers it.
func (e *Engine) TagAutoScalingGroupARN(arn string, c TagChange) error {
	return e.write(func(t *txn) error {
		var g *model.AutoScalingGroup
		for _, cand := range t.st.AutoScalingGroups {
			if cand.ARN == arn {
				g = cand
				break
			}
		}
		if g == nil {
			_, name, _ := strings.Cut(arn, ":autoScalingGroupName/")
			return errASGValidation("AutoScalingGroup not found - AutoScaling Group %s not found", name)
		}
		old := model.Tags{}
		for _, tg := range g.Tags {
			old[tg.Key] = tg.Value
		}
		if err := checkEachTag("", c.Add); err != nil {
			return err
		}
		tags := c.apply(old)
		if err := checkTagCount("", len(tags)); err != nil {
			return err
		}
		ng := cloneASG(g)
		ng.Tags = nil
		for _, tg := range g.Tags { // existing keys keep their place and PropagateAtLaunch
			if v, ok := tags[tg.Key]; ok {
				tg.Value = v
				ng.Tags = append(ng.Tags, tg)
				delete(tags, tg.Key)
			}
		}
		for _, k := range sortedKeys(tags) {
			ng.Tags = append(ng.Tags, model.ASGTag{Key: k, Value: tags[k]})
		}
		put(t, model.KindAutoScalingGroup, t.st.AutoScalingGroups, ng.Name, ng)
		return nil
	})
}
