package terraform

// InvalidModuleSource exposes invalidModuleSource to the external tests.
var InvalidModuleSource = invalidModuleSource
