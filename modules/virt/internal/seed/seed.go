// Package seed builds and reads cloud-init NoCloud seed images: ISO 9660
// file systems labelled "cidata" holding user-data, meta-data and, optionally,
// network-config, with Rock Ridge names (plain ISO 9660 would turn
// "user-data" into "USER_DAT;1", which cloud-init does not find).
package seed

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/diskfs/go-diskfs/backend/file"
	"github.com/diskfs/go-diskfs/filesystem/iso9660"
)

// Label is the volume label cloud-init's NoCloud data source looks for.
const Label = "cidata"

// Build returns the bytes of a seed image holding files (name -> content).
func Build(files map[string][]byte) ([]byte, error) {
	dir, err := os.MkdirTemp("", "gorun-seed-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	workspace := filepath.Join(dir, "root")
	if err := os.Mkdir(workspace, 0o755); err != nil {
		return nil, err
	}
	size := int64(1 << 20)
	for _, c := range files {
		size += int64(len(c)) + 4096
	}
	img := filepath.Join(dir, "seed.iso")
	b, err := file.CreateFromPath(img, size)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	fsys, err := iso9660.Create(b, size, 0, 2048, workspace)
	if err != nil {
		return nil, err
	}
	for _, name := range sortedNames(files) {
		f, err := fsys.OpenFile("/"+name, os.O_CREATE|os.O_RDWR)
		if err != nil {
			return nil, fmt.Errorf("adding %s to the seed: %v", name, err)
		}
		if _, err := f.Write(files[name]); err != nil {
			return nil, fmt.Errorf("adding %s to the seed: %v", name, err)
		}
		f.Close()
	}
	if err := fsys.Finalize(iso9660.FinalizeOptions{RockRidge: true, VolumeIdentifier: Label}); err != nil {
		return nil, fmt.Errorf("writing the seed image: %v", err)
	}
	return os.ReadFile(img)
}

// Read returns the label and files of a seed image, for comparing an
// existing seed with the wanted one.
func Read(data []byte) (string, map[string][]byte, error) {
	dir, err := os.MkdirTemp("", "gorun-seed-")
	if err != nil {
		return "", nil, err
	}
	defer os.RemoveAll(dir)
	img := filepath.Join(dir, "seed.iso")
	if err := os.WriteFile(img, data, 0o600); err != nil {
		return "", nil, err
	}
	b, err := file.OpenFromPath(img, true)
	if err != nil {
		return "", nil, err
	}
	defer b.Close()
	fsys, err := iso9660.Read(b, int64(len(data)), 0, 2048)
	if err != nil {
		return "", nil, err
	}
	entries, err := fsys.ReadDir(".")
	if err != nil {
		return "", nil, err
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		f, err := fsys.OpenFile(e.Name(), os.O_RDONLY)
		if err != nil {
			return "", nil, err
		}
		content, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return "", nil, err
		}
		files[e.Name()] = content
	}
	return strings.TrimRight(fsys.Label(), "\x00 "), files, nil
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
