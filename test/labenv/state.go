package labenv

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/sys/unix"
)

// stateFile is the description of a running lab inside its directory.
const stateFile = "lab.json"

// labDir is the state directory of the lab name.
func labDir(name string) string { return filepath.Join(StateRoot, name) }

// writeState records l in its directory so other processes (the CLI's
// down, Load) find it.
func writeState(l *Lab) error {
	data, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(l.Dir, stateFile)
	if err := os.WriteFile(path+".tmp", append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("labenv: writing %s: %w", path, err)
	}
	return os.Rename(path+".tmp", path)
}

// readState loads the recorded description of the lab name.
func readState(name string) (*Lab, error) {
	path := filepath.Join(labDir(name), stateFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var l Lab
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("labenv: reading %s: %w", path, err)
	}
	return &l, nil
}

// stateNames lists the labs that have a state directory, up or stale.
func stateNames() ([]string, error) {
	entries, err := os.ReadDir(StateRoot)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("labenv: listing labs: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// lockState takes the machine-wide lab lock, which serialises choosing
// subnets and switching ip_forward between concurrent Up and Down calls of
// any process. The returned function releases it; calling it again does
// nothing.
func lockState() (func(), error) {
	if err := os.MkdirAll(StateRoot, 0o755); err != nil {
		return nil, fmt.Errorf("labenv: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(StateRoot, ".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("labenv: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("labenv: locking %s: %w", f.Name(), err)
	}
	return sync.OnceFunc(func() { f.Close() }), nil
}
