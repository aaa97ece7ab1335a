// Package examples embeds the example scenario files, so commands such as
// ecsnet demo work from any directory.
package examples

import "embed"

// Seed holds seed/*.yaml: the article's system and one file per remedy.
//
//go:embed seed/*.yaml
var Seed embed.FS
