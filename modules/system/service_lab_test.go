package system_test

import (
	"strings"
	"testing"

	"gorun/test/labdiff"
)

// testService drives dbus's init script: lab hosts run no systemd.
func testService(t *testing.T, l *labdiff.Lab) {
	status := shell("service dbus status >/dev/null 2>&1; echo running=$?; ls /etc/rc2.d | grep dbus || true")
	steps := []step{
		{Module: "service", Args: "{name: dbus, state: started, use: service}", Check: true},
		status,
		{Module: "service", Args: "{name: dbus, state: started, use: service}", Keys: []string{"state", "name"}},
		status,
		{Module: "service", Args: "{name: dbus, state: started, use: service}", Keys: []string{"state"}},
		{Module: "service", Args: "{name: dbus, state: restarted, use: service}", Keys: []string{"state"}},
		{Module: "service", Args: "{name: dbus, state: reloaded, use: service}", Keys: []string{"state"}},
		{Module: "service", Args: "{name: dbus, enabled: false, use: service}", Keys: []string{"enabled"}},
		status,
		{Module: "service", Args: "{name: dbus, enabled: false, use: service}", Keys: []string{"enabled"}},
		{Module: "service", Args: "{name: dbus, enabled: true, state: stopped, use: service}", Keys: []string{"enabled", "state"}},
		status,
		{Module: "service", Args: "{name: dbus, state: stopped, use: service}"},
		{Module: "service", Args: "{name: no-such-service, state: started, use: service}", Keys: []string{"msg"}},
		// The systemd module fails as Ansible's does where systemd is not running.
		{Module: "systemd", Args: "{name: dbus, state: started}", Keys: []string{"msg", "status"}},
		{Module: "systemd", Args: "{name: no-such-service, state: started}", Keys: []string{"msg"}},
		{Module: "systemd", Args: "{daemon_reload: true}", Keys: []string{"msg"}},
		{Module: "systemd", Args: "{name: dbus, enabled: false}", Keys: []string{"enabled"}},
		// use: auto follows the service_mgr fact, as Ansible's action does:
		// systemd (installed, not running here), so it fails the same way.
		{Module: "service", Args: "{name: dbus, state: started}", Keys: []string{"msg", "status"}},
		status,
	}
	got := l.DiffPlay(t, steps)
	if !strings.Contains(got[3]["stdout"].(string), "running=0") || !strings.Contains(got[11]["stdout"].(string), "running=3") {
		t.Errorf("dbus did not start and stop: %v %v", got[3], got[11])
	}
}
