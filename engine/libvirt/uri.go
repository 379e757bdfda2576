package libvirt

import (
	"fmt"
	"net/url"
	"path"
	"strings"
)

// target is a parsed connection URI: what to ask the daemon for and where the
// daemon listens.
type target struct {
	// driverURI is sent in the open call: the URI without transport and host
	// (qemu+unix:///system?socket=x becomes qemu:///system).
	driverURI string
	// driver is the URI's scheme without transport ("qemu", "test").
	driver string
	// session is true for the per-user daemon (path /session).
	session bool
	// socket is the explicit ?socket= path, if any.
	socket string
}

// parseURI reads a libvirt URI as the remote driver does. URIs naming another
// host (qemu+ssh://kvm1/system) are refused: gorun reaches the task's host
// through its own connection, so the URI must be local to it.
func parseURI(raw string) (target, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return target{}, fmt.Errorf("invalid libvirt URI %q", raw)
	}
	driver, transport, _ := strings.Cut(u.Scheme, "+")
	switch transport {
	case "", "unix":
	default:
		return target{}, fmt.Errorf("libvirt URI %q: transport %q is not supported by gorun (it reaches the task's host itself; use %s:///%s)", raw, transport, driver, strings.TrimPrefix(u.Path, "/"))
	}
	if u.Host != "" {
		return target{}, fmt.Errorf("libvirt URI %q names the host %q: gorun's libvirt modules act on the task's host, so the URI must not name one (delegate the task instead)", raw, u.Host)
	}
	t := target{driver: driver, session: u.Path == "/session", socket: u.Query().Get("socket")}
	q := u.Query()
	q.Del("socket")
	q.Del("mode")
	t.driverURI = driver + "://" + u.Path
	if len(q) > 0 {
		t.driverURI += "?" + q.Encode()
	}
	return t, nil
}

// modularDaemons maps drivers to the modular daemon that serves them.
var modularDaemons = map[string]string{
	"qemu": "virtqemud", "lxc": "virtlxcd", "xen": "virtxend", "libxl": "virtxend",
	"vbox": "virtvboxd", "ch": "virtchd", "bhyve": "virtbhyved", "vz": "virtvzd",
	"network": "virtnetworkd", "storage": "virtstoraged", "nodedev": "virtnodedevd",
	"interface": "virtinterfaced", "nwfilter": "virtnwfilterd", "secret": "virtsecretd",
}

// sockets lists the sockets to try, in order, for t under runDir (/run/libvirt
// for system daemons, $XDG_RUNTIME_DIR/libvirt for session ones).
func (t target) sockets(runDir string, readOnly bool) []string {
	if t.socket != "" {
		return []string{t.socket}
	}
	names := []string{"libvirt-sock"}
	if d, ok := modularDaemons[t.driver]; ok {
		names = append(names, d+"-sock")
	}
	var out []string
	for _, n := range names {
		out = append(out, path.Join(runDir, n))
	}
	if readOnly && !t.session {
		for _, n := range names {
			out = append(out, path.Join(runDir, n+"-ro"))
		}
	}
	return out
}
