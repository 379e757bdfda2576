package main

import (
	"os"
	"path/filepath"

	"gorun/engine/config"
)

// pythonSitePatterns are the directories where Python installs packages on
// the systems gorun runs on (Debian's dist-packages, pip's site-packages).
// Ansible finds collections in every sys.path entry that holds
// ansible_collections/ (COLLECTIONS_SCAN_SYS_PATH); gorun runs no Python, so
// it looks in these instead, which is where Debian's ansible package and pip
// put the collections they ship.
var pythonSitePatterns = []string{
	"/usr/lib/python3/dist-packages",
	"/usr/local/lib/python3*/dist-packages",
	"/usr/local/lib/python3*/site-packages",
	"/usr/lib/python3*/site-packages",
	"~/.local/lib/python3*/site-packages",
}

// collectionsPath is COLLECTIONS_PATHS followed, when
// COLLECTIONS_SCAN_SYS_PATH is on, by the Python package directories that
// hold an ansible_collections directory.
func collectionsPath(cfg *config.Config) []string {
	paths := cfg.List("COLLECTIONS_PATHS")
	if !cfg.Bool("COLLECTIONS_SCAN_SYS_PATH") {
		return paths
	}
	home, _ := os.UserHomeDir()
	for _, pat := range pythonSitePatterns {
		if len(pat) > 1 && pat[:2] == "~/" {
			if home == "" {
				continue
			}
			pat = filepath.Join(home, pat[2:])
		}
		dirs, _ := filepath.Glob(pat)
		for _, d := range dirs {
			if st, err := os.Stat(filepath.Join(d, "ansible_collections")); err == nil && st.IsDir() {
				paths = append(paths, d)
			}
		}
	}
	return paths
}
