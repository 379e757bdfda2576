package remotefile

// Diff is Ansible's diff dict: before and after, either text with headers
// or dicts of the attributes that change.
type Diff struct {
	Before, After             any
	BeforeHeader, AfterHeader string
	// Extra are further keys (dst_binary, src_larger, ...).
	Extra map[string]any
}

// NewDiff returns an attribute diff with Ansible's {path: ...} entries.
func NewDiff(path string) *Diff {
	return &Diff{Before: map[string]any{"path": path}, After: map[string]any{"path": path}}
}

// set records an attribute that changes from before to after.
func (d *Diff) set(key string, before, after any) {
	if d == nil {
		return
	}
	if b, ok := d.Before.(map[string]any); ok {
		b[key] = before
	}
	if a, ok := d.After.(map[string]any); ok {
		a[key] = after
	}
}

// Set records a change of key from before to after in an attribute diff.
func (d *Diff) Set(key string, before, after any) { d.set(key, before, after) }

// TextDiff is the diff of a file's content, as Ansible's action plugins
// build it: headers name the path, before is empty for a new file.
func TextDiff(path string, before, after string, existed bool) *Diff {
	d := &Diff{Before: before, After: after, BeforeHeader: path, AfterHeader: path}
	if !existed {
		d.BeforeHeader = path + " (absent)"
		d.Before = ""
	}
	return d
}

// Map is the diff as a result's "diff" value. An unset side is left
// out, as _get_diff_data leaves out "after" for a binary or too large
// source.
func (d *Diff) Map() map[string]any {
	m := map[string]any{}
	if d.Before != nil {
		m["before"] = d.Before
	}
	if d.After != nil {
		m["after"] = d.After
	}
	if d.BeforeHeader != "" {
		m["before_header"] = d.BeforeHeader
	}
	if d.AfterHeader != "" {
		m["after_header"] = d.AfterHeader
	}
	for k, v := range d.Extra {
		m[k] = v
	}
	return m
}
