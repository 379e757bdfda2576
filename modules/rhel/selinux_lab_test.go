package rhel_test

import "gorun/test/labdiff"

// selinuxPart runs selinux and seboolean on lab hosts, whose kernel
// has SELinux disabled: what can be compared there is the configuration
// file's handling (state, policy, messages, reboot_required) and the
// failures of seboolean.
func selinuxPart() labdiff.Part {
	keys := []string{"msg", "configfile", "policy", "state", "reboot_required", "name", "persistent", "details"}
	se := func(args string, check bool) step {
		return step{Module: "ansible.posix.selinux", Args: args, Check: check, Keys: keys}
	}
	steps := []step{
		se("{state: disabled, configfile: /root/selinux.conf}", false),
		shell("printf '# SELinux\\nSELINUX=enforcing\\nSELINUXTYPE=targeted\\n' > /root/selinux.conf; mkdir -p /etc/selinux/targeted/policy; echo ok"),
		se("{state: disabled, configfile: /root/selinux.conf}", true),
		se("{state: disabled, configfile: /root/selinux.conf}", false),
		se("{state: permissive, configfile: /root/selinux.conf}", false),
		se("{state: permissive, policy: targeted, configfile: /root/selinux.conf}", false),
		se("{state: enforcing, policy: mls, configfile: /root/selinux.conf}", false),
		shell("printf 'SELINUXTYPE=targeted\\n' > /root/other.conf; echo ok"),
		se("{state: enforcing, policy: targeted, file: /root/other.conf}", false),
		shell("printf '# none\\n' > /root/empty.conf; echo ok"),
		se("{state: disabled, configfile: /root/empty.conf}", true),
		se("{state: disabled, configfile: /root/empty.conf}", false),
		shell("cat /root/selinux.conf /root/other.conf /root/empty.conf"),
		{Module: "ansible.posix.seboolean", Args: "{name: httpd_can_network_connect, state: true}", Keys: keys},
		{Module: "ansible.posix.seboolean", Args: "{name: httpd_can_network_connect, state: true, persistent: true, ignore_selinux_state: true}", Keys: keys},
		// sefcontext: SELinux is off, and with ignore_selinux_state
		// semanage finds no policy store (Debian ships none unless
		// selinux-policy-default is installed): seobject's ValueError,
		// worded alike by the module and by semanage.
		{Module: "community.general.sefcontext", Args: "{target: '/srv/git(/.*)?', setype: httpd_sys_content_t}", Keys: keys},
		{Module: "community.general.sefcontext", Args: "{target: '/srv/git(/.*)?', setype: httpd_sys_content_t, ignore_selinux_state: true}", Keys: keys},
		{Module: "community.general.sefcontext", Args: "{target: /srv/containers, substitute: /var/lib/containers, state: absent, ignore_selinux_state: true}", Keys: keys},
		{Module: "community.general.sefcontext", Args: "{target: /srv/containers, substitute: /var/lib/containers, ftype: d}", Keys: keys},
		{Module: "community.general.sefcontext", Args: "{target: /srv/containers}", Keys: keys},
	}
	return labdiff.Part{Steps: steps}
}
