package model

// DefaultCreditSpecification is the account's default credit option for
// CPU usage of one burstable instance family (t2, t3, t3a, t4g) in a
// region (ModifyDefaultCreditSpecification): instances of the family
// launched afterwards without a CreditSpecification get it.
type DefaultCreditSpecification struct {
	Family     string
	CPUCredits string // standard or unlimited
}
