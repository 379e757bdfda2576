package inventory

import "gorun/engine/value"

type Options struct {
	Sources      []string
	PlaybookDirs []string
	Decrypt      func([]byte) ([]byte, error)
}
type Inventory struct{}
type Host struct{ Name string }
type Group struct{ Name string }

func Load(opts Options) (*Inventory, error)                  { return &Inventory{}, nil }
func (inv *Inventory) Hosts(pattern string) ([]*Host, error) { return nil, nil }
func (inv *Inventory) Host(name string) *Host                { return nil }
func (inv *Inventory) Group(name string) *Group              { return nil }
func (inv *Inventory) Groups() []*Group                      { return nil }
func (inv *Inventory) AllHosts() []*Host                     { return nil }
func (inv *Inventory) AddHost(name string, groups []string, vars *value.Dict) (*Host, error) {
	return nil, nil
}
func (inv *Inventory) AddGroup(name string) *Group                                   { return nil }
func (inv *Inventory) AddHostToGroup(h *Host, group string, parents ...string) error { return nil }
func (g *Group) Hosts() []*Host                                                      { return nil }
func (h *Host) Vars() (*value.Dict, error)                                           { return nil, nil }
func (h *Host) GroupNames() []string                                                 { return nil }
func ListJSON(inv *Inventory) ([]byte, error)                                        { return nil, nil }
func GraphText(inv *Inventory, group string, withVars bool) (string, error)          { return "", nil }
func HostJSON(inv *Inventory, host string) ([]byte, error)                           { return nil, nil }

func ListExportJSON(inv *Inventory) ([]byte, error) { return nil, nil }
