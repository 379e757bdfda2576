// Package all links every module into the binary.
package all

import (
	_ "gorun/modules/control"
	_ "gorun/modules/files"
)
