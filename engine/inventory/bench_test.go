package inventory

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bigINI writes an INI inventory of n hosts in 10 groups under 2 parents,
// with group_vars for every group, and returns its path.
func bigINI(b *testing.B, n int) string {
	dir := b.TempDir()
	var sb strings.Builder
	for g := 0; g < 10; g++ {
		fmt.Fprintf(&sb, "[g%d]\n", g)
		for i := g; i < n; i += 10 {
			fmt.Fprintf(&sb, "host%05d.example.com ansible_host=10.0.%d.%d idx=%d\n", i, i/256, i%256, i)
		}
		fmt.Fprintf(&sb, "[g%d:vars]\nv%d=%d\n", g, g, g)
	}
	sb.WriteString("[even:children]\ng0\ng2\ng4\ng6\ng8\n[odd:children]\ng1\ng3\ng5\ng7\ng9\n")
	if err := os.MkdirAll(filepath.Join(dir, "group_vars"), 0o755); err != nil {
		b.Fatal(err)
	}
	for g := 0; g < 10; g++ {
		_ = os.WriteFile(filepath.Join(dir, "group_vars", fmt.Sprintf("g%d.yml", g)), []byte(fmt.Sprintf("gv: %d\nlist: [1, 2, 3]\n", g)), 0o644)
	}
	path := filepath.Join(dir, "hosts")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

func BenchmarkLoadINI10k(b *testing.B) {
	path := bigINI(b, 10000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Load(Options{Sources: []string{path}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPatterns10k(b *testing.B) {
	inv, err := Load(Options{Sources: []string{bigINI(b, 10000)}})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		inv.clearCaches()
		if _, err := inv.Hosts("even:&g2:!host0000*:~host1.*"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListJSON10k(b *testing.B) {
	inv, err := Load(Options{Sources: []string{bigINI(b, 10000)}})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ListJSON(inv); err != nil {
			b.Fatal(err)
		}
	}
}
