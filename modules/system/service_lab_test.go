package system_test

import (
	"strings"
	"testing"
)

// testService drives dbus's init script: lab hosts run no systemd.
func testService(t *testing.T, l *lab) {
	status := shell("service dbus status >/dev/null 2>&1; echo running=$?; ls /etc/rc2.d | grep dbus || true")
	steps := []step{
		{module: "service", args: "{name: dbus, state: started, use: service}", check: true},
		status,
		{module: "service", args: "{name: dbus, state: started, use: service}", keys: []string{"state", "name"}},
		status,
		{module: "service", args: "{name: dbus, state: started, use: service}", keys: []string{"state"}},
		{module: "service", args: "{name: dbus, state: restarted, use: service}", keys: []string{"state"}},
		{module: "service", args: "{name: dbus, state: reloaded, use: service}", keys: []string{"state"}},
		{module: "service", args: "{name: dbus, enabled: false, use: service}", keys: []string{"enabled"}},
		status,
		{module: "service", args: "{name: dbus, enabled: false, use: service}", keys: []string{"enabled"}},
		{module: "service", args: "{name: dbus, enabled: true, state: stopped, use: service}", keys: []string{"enabled", "state"}},
		status,
		{module: "service", args: "{name: dbus, state: stopped, use: service}"},
		{module: "service", args: "{name: no-such-service, state: started, use: service}", keys: []string{"msg"}},
		// The systemd module fails as Ansible's does where systemd is not running.
		{module: "systemd", args: "{name: dbus, state: started}", keys: []string{"msg", "status"}},
		{module: "systemd", args: "{name: no-such-service, state: started}", keys: []string{"msg"}},
		{module: "systemd", args: "{daemon_reload: true}", keys: []string{"msg"}},
		{module: "systemd", args: "{name: dbus, enabled: false}", keys: []string{"enabled"}},
		status,
	}
	got := l.diffPlay(t, steps)
	if !strings.Contains(got[3]["stdout"].(string), "running=0") || !strings.Contains(got[11]["stdout"].(string), "running=3") {
		t.Errorf("dbus did not start and stop: %v %v", got[3], got[11])
	}

	// With use: auto, gorun drives the init script where Ansible would pick
	// the systemd module (installed, not running) and fail.
	auto := l.runPlay(t, l.gorun, l.mine, []step{
		{module: "service", args: "{name: dbus, state: started}"},
		status,
		{module: "service", args: "{name: dbus, state: stopped}"},
	})
	if !auto[0].changed() || !strings.Contains(auto[1]["stdout"].(string), "running=0") || !auto[2].changed() {
		t.Errorf("service with use: auto: %v %v %v", auto[0], auto[1], auto[2])
	}
}
