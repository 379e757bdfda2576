package template

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/jcmturner/gokrb5/v8/config"
)

// krb5Config reads the Kerberos configuration as MIT's library finds it:
// the files of $KRB5_CONFIG (a colon-separated list; missing ones are
// skipped), else /etc/krb5.conf, with their include and includedir
// directives, which gokrb5 would ignore, expanded in place. It returns the
// parsed configuration and its text. Where two files set one value MIT
// keeps the first and gokrb5 the last.
func krb5Config() (*config.Config, string, error) {
	paths := "/etc/krb5.conf"
	if env := os.Getenv("KRB5_CONFIG"); env != "" {
		paths = env
	}
	var text strings.Builder
	found := false
	for _, path := range strings.Split(paths, ":") {
		if err := includeKrb5Conf(&text, path, 0); err == nil {
			found = true
		} else if !os.IsNotExist(err) {
			return nil, "", fmt.Errorf("url lookup with use_gssapi: reading the Kerberos configuration: %v", err)
		}
	}
	if !found {
		return nil, "", fmt.Errorf("url lookup with use_gssapi: no Kerberos configuration (%s)", paths)
	}
	cfg, err := config.NewFromString(text.String())
	if err != nil {
		return nil, "", fmt.Errorf("url lookup with use_gssapi: the Kerberos configuration (%s): %v", paths, err)
	}
	return cfg, text.String(), nil
}

// includedName is the file names includedir reads (MIT's profile library):
// letters, digits, dashes and underscores only, or ending in ".conf".
var includedName = regexp.MustCompile(`^([A-Za-z0-9_-]+|[^.].*\.conf)$`)

// includeKrb5Conf appends the file at path to b, with its include and
// includedir lines replaced by the files they name.
func includeKrb5Conf(b *strings.Builder, path string, depth int) error {
	if depth > 5 {
		return fmt.Errorf("%s: includes nested too deep", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(data), "\n") {
		directive, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
		arg = strings.TrimSpace(arg)
		switch directive {
		case "include":
			if err := includeKrb5Conf(b, arg, depth+1); err != nil {
				return err
			}
		case "includedir":
			entries, err := os.ReadDir(arg)
			if err != nil {
				return err
			}
			for _, e := range entries {
				if !e.IsDir() && includedName.MatchString(e.Name()) {
					if err := includeKrb5Conf(b, filepath.Join(arg, e.Name()), depth+1); err != nil {
						return err
					}
				}
			}
		default:
			b.WriteString(line + "\n")
		}
	}
	return nil
}

// defaultCCache is MIT's default ccache name: $KRB5CCNAME, else the first
// default_ccache_name of [libdefaults] in the configuration's text conf
// (gokrb5 does not keep it), else FILE:/tmp/krb5cc_UID; the parameters
// %{uid}, %{euid}, %{USERID}, %{TEMP} and %{null} expanded.
func defaultCCache(conf string) string {
	if name := os.Getenv("KRB5CCNAME"); name != "" {
		return name
	}
	name, section := "", ""
	for _, line := range strings.Split(conf, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			section = line
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if ok && name == "" && section == "[libdefaults]" && strings.TrimSpace(k) == "default_ccache_name" {
			name = strings.TrimSpace(v)
		}
	}
	if name == "" {
		name = "FILE:/tmp/krb5cc_%{uid}"
	}
	uid := strconv.Itoa(os.Getuid())
	tmp := os.Getenv("TMPDIR")
	if tmp == "" {
		tmp = "/tmp"
	}
	return strings.NewReplacer("%{uid}", uid, "%{USERID}", uid, "%{euid}", strconv.Itoa(os.Geteuid()), "%{TEMP}", tmp, "%{null}", "").Replace(name)
}
