package cfn

// defaultVPC gives the engine the region's default VPC before a resource
// that relies on it is created: a security group without VpcId, a Classic
// load balancer or an Auto Scaling group given zones and no subnets, an
// instance without a subnet. Every AWS account has one, so a template read
// on its own (no --base) gets the one AWS creates in every region, with a
// warning; the emulator's account has it unless started with
// --no-default-vpc, and then the engine's error stands, as AWS's does.
func (c *rctx) defaultVPC(why string) {
	l := c.s.l
	if !l.assumeDefaultVPC || c.e().DefaultVpc() != nil {
		return
	}
	v, err := c.e().CreateDefaultVpc()
	if err != nil {
		return
	}
	c.s.warnf(c.r.def.line, "%s (%s) %s: ecsnet assumes the default VPC AWS creates in every region (%s, %s, a public default subnet per zone); give the real system with --base",
		c.displayName(), c.r.def.typ, why, v.ID, v.CIDR)
}
