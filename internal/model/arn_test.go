package model_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// CutARN takes an ARN of every AWS partition and nothing else.
func TestCutARN(t *testing.T) {
	for _, tc := range []struct {
		arn, service, rest string
		ok                 bool
	}{
		{"arn:aws:s3:::b/k", "s3", "::b/k", true},
		{"arn:aws-cn:s3:::b", "s3", "::b", true},
		{"arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:1:targetgroup/t/1", "elasticloadbalancing", "us-gov-west-1:1:targetgroup/t/1", true},
		{"arn:aws-iso-b:iam::aws:policy/P", "iam", ":aws:policy/P", true},
		{"arn:aws:s3:::b", "iam", "", false},
		{"arn:awsx:s3:::b", "s3", "", false},
		{"arn::s3:::b", "s3", "", false},
		{"s3:::b", "s3", "", false},
	} {
		if rest, ok := model.CutARN(tc.arn, tc.service); rest != tc.rest || ok != tc.ok {
			t.Errorf("CutARN(%q, %q) = %q, %v", tc.arn, tc.service, rest, ok)
		}
	}
	if b, ok := model.CutS3ARN("arn:aws-cn:s3:::flows/vpc/"); b != "flows/vpc/" || !ok {
		t.Errorf("CutS3ARN: %q %v", b, ok)
	}
	if _, ok := model.CutS3ARN("arn:aws-cn:s3:eu-west-1::flows"); ok {
		t.Error("CutS3ARN took an ARN with a region")
	}
}
