# ecsnet's stand-in: the module called by itself has no automatic rules
# (a preset submodule's stand-in replaces this file).
variable "auto_ingress_rules" { default = [] }
variable "auto_ingress_with_self" { default = [] }
variable "auto_egress_rules" { default = [] }
variable "auto_egress_with_self" { default = [] }
