package remotefile

import "testing"

func TestParseMode(t *testing.T) {
	for _, c := range []struct {
		mode    any
		current uint32
		dir     bool
		want    uint32
	}{
		{420, 0, false, 0o644}, // YAML's 0644
		{"0644", 0, false, 0o644},
		{"644", 0o600, false, 0o644},
		{"u+x", 0o644, false, 0o744},
		{"u=rw,g=r,o=", 0o777, false, 0o640},
		{"a+X", 0o644, false, 0o644},
		{"a+X", 0o644, true, 0o755},
		{"+x", 0o644, false, 0o755}, // no user part: the umask (022) applies
		{"+w", 0o444, false, 0o644},
		{"g+s", 0o644, false, 0o2644},
		{"o+t", 0o755, true, 0o1755},
		{"u=g", 0o654, false, 0o554},
		{"u-w,g-r", 0o664, false, 0o424},
	} {
		got, err := ParseMode(c.mode, c.current, c.dir, 0o022)
		if err != nil || got != c.want {
			t.Errorf("ParseMode(%v, %o, dir=%v) = %o, %v; want %o", c.mode, c.current, c.dir, got, err, c.want)
		}
	}
	for _, bad := range []any{"u+q", "z+r", "0999", "rwx"} {
		if _, err := ParseMode(bad, 0o644, false, 0o022); err == nil {
			t.Errorf("ParseMode(%v) accepted a bad mode", bad)
		}
	}
}
