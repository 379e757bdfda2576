// Package value holds the data model every part of gorun shares: the values that
// come from YAML, JSON, inventories, facts and module results.
//
// Ansible's data are Python values, and Python dicts remember insertion order.
// Roles depend on that order (a dict rendered with `| string`, a loop over
// `dict.items()`), so mappings read from YAML or JSON are *Dict, not Go maps.
// Scalars are string, int, float64, bool and nil; sequences are []any.
// Module results may still be map[string]any: code that reads values must
// accept both, and Iterate/Lookup below do.
package value

import (
	"bytes"
	"encoding/json"
	"sort"
)

// Dict is a string-keyed map that remembers insertion order, like a Python dict.
// The zero value is not usable; call NewDict.
type Dict struct {
	keys []string
	vals map[string]any
}

// NewDict returns an empty Dict with room for n keys.
func NewDict(n ...int) *Dict {
	size := 0
	if len(n) > 0 {
		size = n[0]
	}
	return &Dict{keys: make([]string, 0, size), vals: make(map[string]any, size)}
}

// DictOf builds a Dict from alternating key, value arguments.
func DictOf(kv ...any) *Dict {
	d := NewDict(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		d.Set(kv[i].(string), kv[i+1])
	}
	return d
}

// Get returns the value stored under key.
func (d *Dict) Get(key string) (any, bool) {
	if d == nil {
		return nil, false
	}
	v, ok := d.vals[key]
	return v, ok
}

// Has reports whether key is present.
func (d *Dict) Has(key string) bool {
	_, ok := d.Get(key)
	return ok
}

// Set stores v under key; a new key goes to the end, an existing key keeps its place.
func (d *Dict) Set(key string, v any) {
	if _, ok := d.vals[key]; !ok {
		d.keys = append(d.keys, key)
	}
	d.vals[key] = v
}

// Delete removes key, keeping the order of the others.
func (d *Dict) Delete(key string) {
	if _, ok := d.vals[key]; !ok {
		return
	}
	delete(d.vals, key)
	for i, k := range d.keys {
		if k == key {
			d.keys = append(d.keys[:i:i], d.keys[i+1:]...)
			break
		}
	}
}

// Keys returns the keys in insertion order. The slice must not be modified.
func (d *Dict) Keys() []string {
	if d == nil {
		return nil
	}
	return d.keys
}

// Len returns the number of keys.
func (d *Dict) Len() int {
	if d == nil {
		return 0
	}
	return len(d.keys)
}

// Copy returns a shallow copy.
func (d *Dict) Copy() *Dict {
	c := NewDict(d.Len())
	for _, k := range d.Keys() {
		c.Set(k, d.vals[k])
	}
	return c
}

// Map returns the entries as a Go map (shallow).
func (d *Dict) Map() map[string]any {
	m := make(map[string]any, d.Len())
	for _, k := range d.Keys() {
		m[k] = d.vals[k]
	}
	return m
}

// MarshalJSON writes the entries in insertion order.
func (d *Dict) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range d.Keys() {
		if i > 0 {
			buf.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		vb, err := json.Marshal(d.vals[k])
		if err != nil {
			return nil, err
		}
		buf.Write(vb)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON reads a JSON object keeping key order; nested objects become *Dict too.
func (d *Dict) UnmarshalJSON(b []byte) error {
	v, err := FromJSON(b)
	if err != nil {
		return err
	}
	nd, ok := v.(*Dict)
	if !ok {
		return &json.UnmarshalTypeError{Value: "non-object", Type: nil}
	}
	*d = *nd
	return nil
}

// IsMapping reports whether v is a *Dict or a map[string]any.
func IsMapping(v any) bool {
	switch v.(type) {
	case *Dict, map[string]any:
		return true
	}
	return false
}

// Keys returns the keys of a mapping: insertion order for *Dict, sorted for Go maps
// (so output never depends on Go's random map order).
func Keys(v any) []string {
	switch m := v.(type) {
	case *Dict:
		return m.Keys()
	case map[string]any:
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return keys
	}
	return nil
}

// Lookup returns m[key] for either kind of mapping.
func Lookup(m any, key string) (any, bool) {
	switch m := m.(type) {
	case *Dict:
		return m.Get(key)
	case map[string]any:
		v, ok := m[key]
		return v, ok
	}
	return nil, false
}

// ToDict returns a mapping as a *Dict (the same one if it already is), or nil.
func ToDict(v any) *Dict {
	switch m := v.(type) {
	case *Dict:
		return m
	case map[string]any:
		d := NewDict(len(m))
		for _, k := range Keys(m) {
			d.Set(k, m[k])
		}
		return d
	}
	return nil
}

// Unsafe is a string marked `!unsafe` in YAML (or returned by a lookup that
// Ansible marks unsafe): templating never renders it.
type Unsafe string

// Vaulted is an inline `!vault` value as written in YAML. It is decrypted when
// it is used, with the run's vault secrets.
type Vaulted struct {
	Ciphertext string
	// Detached is set on the values the vault filter makes with
	// wrap_object=True: Ansible attaches no vault to them, so their
	// is_encrypted() (the vault_encrypted test) is None, not True.
	Detached bool
}
