// Package all links every gorun module into the binary: each module package
// registers its modules in init, so importing it is enough.
package all

import (
	_ "gorun/modules/commands"
	_ "gorun/modules/control"
	_ "gorun/modules/facts"
	_ "gorun/modules/files"
	_ "gorun/modules/ldap"
	_ "gorun/modules/python"
	_ "gorun/modules/rhel"
	_ "gorun/modules/storage"
	_ "gorun/modules/system"
	_ "gorun/modules/virt"
)
