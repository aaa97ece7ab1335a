package engine

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS's limits on tags, the same in EC2, ECS and Elastic Load Balancing
// (docs/aws-behavior.md, "Tags and limits").
const (
	MaxTagsPerResource = 50
	MaxTagKeyLen       = 128 // Unicode characters
	MaxTagValueLen     = 256
)

// TagService names whose errors a tag check answers with.
type TagService string

// The services with tags.
const (
	TagsEC2   TagService = "ec2"
	TagsECS   TagService = "ecs"
	TagsELBv2 TagService = "elbv2"
)

// CheckTags applies AWS's rules to the tags a request sets: at most 50,
// keys of 1 to 128 characters and values of at most 256, valid UTF-8, and
// no key starting with "aws:" (reserved for AWS's own tags). It answers
// with the service's error.
func CheckTags(svc TagService, tags model.Tags) error {
	if err := checkEachTag(svc, tags); err != nil {
		return err
	}
	return checkTagCount(svc, len(tags))
}

// checkEachTag checks every tag but not their number.
func checkEachTag(svc TagService, tags model.Tags) error {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the first offending tag, deterministically
	for _, k := range keys {
		if err := checkTag(svc, k, tags[k]); err != nil {
			return err
		}
	}
	return nil
}

func checkTag(svc TagService, k, v string) error {
	switch {
	case !utf8.ValidString(k) || !utf8.ValidString(v):
		switch svc {
		case TagsEC2:
			return apierr.New("InvalidParameterValue", "Tag keys and values must be valid UTF-8.")
		case TagsECS:
			return apierr.New("InvalidParameterException", "Tag keys and values must be valid UTF-8.")
		default:
			return apierr.New("ValidationError", "Tag keys and values must be valid UTF-8.")
		}
	case k == "" || utf8.RuneCountInString(k) > MaxTagKeyLen:
		switch svc {
		case TagsEC2:
			if k == "" {
				return apierr.New("InvalidParameterValue", "Tag key cannot be null")
			}
			return apierr.Newf("InvalidParameterValue", "Tag key exceeds the maximum length of %d characters", MaxTagKeyLen)
		case TagsECS:
			return apierr.Newf("InvalidParameterException", "1 validation error detected: Value '%s' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to %d", k, MaxTagKeyLen)
		default:
			return apierr.Newf("ValidationError", "1 validation error detected: Value '%s' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to %d", k, MaxTagKeyLen)
		}
	case utf8.RuneCountInString(v) > MaxTagValueLen:
		switch svc {
		case TagsEC2:
			return apierr.Newf("InvalidParameterValue", "Tag value exceeds the maximum length of %d characters", MaxTagValueLen)
		case TagsECS:
			return apierr.Newf("InvalidParameterException", "1 validation error detected: Value '%s' at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to %d", v, MaxTagValueLen)
		default:
			return apierr.Newf("ValidationError", "1 validation error detected: Value '%s' at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to %d", v, MaxTagValueLen)
		}
	case strings.HasPrefix(strings.ToLower(k), "aws:"):
		switch svc {
		case TagsEC2:
			return apierr.New("InvalidParameterValue", "Tag keys starting with 'aws:' are reserved for internal use")
		case TagsECS:
			return apierr.New("InvalidParameterException", "Tag keys beginning with 'aws:' are reserved.")
		case TagsELBv2:
			// [obs] aws/elastic-load-balancing-tools#6 (CreateLoadBalancer).
			return apierr.Newf("ValidationError", "Tag key '%s' cannot start with 'aws:'", k)
		default:
			return apierr.New("ValidationError", "Tag keys starting with 'aws:' are reserved for internal use")
		}
	}
	return nil
}

func checkTagCount(svc TagService, n int) error {
	if n <= MaxTagsPerResource {
		return nil
	}
	switch svc {
	case TagsEC2:
		return apierr.New("TagLimitExceeded", "The maximum number of Tags for a resource has been reached.")
	case TagsECS:
		return apierr.Newf("InvalidParameterException", "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to %d", MaxTagsPerResource)
	default:
		return apierr.New("TooManyTags", "You've reached the limit on the number of tags for this resource.")
	}
}

// tagServiceOf tells whose errors a resource kind's tag checks answer with.
func tagServiceOf(kind model.Kind) TagService {
	switch kind {
	case model.KindCluster, model.KindService, model.KindTask, model.KindTaskDefinition, model.KindContainerInstance, model.KindCapacityProvider:
		return TagsECS
	case model.KindLoadBalancer, model.KindTargetGroup, model.KindListener, model.KindListenerRule:
		return TagsELBv2
	}
	return TagsEC2
}
