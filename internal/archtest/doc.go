// Package archtest holds tests of the repository's structure: imports flow
// one way (transport → engine → model; analyzer → model), every package has
// a doc comment, and the AWS SDK stays out of the product's packages.
package archtest
