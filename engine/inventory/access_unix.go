package inventory

import "syscall"

// unixAccessX reports whether the current user may execute path (os.access X_OK).
func unixAccessX(path string) bool { return syscall.Access(path, 0x1) == nil }
