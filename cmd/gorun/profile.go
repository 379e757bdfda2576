package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startCPUProfile writes gorun's CPU profile to file until stop is called
// (`--profile FILE`; read it with `go tool pprof`).
func startCPUProfile(file string) (stop func(), err error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, fmt.Errorf("--profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
