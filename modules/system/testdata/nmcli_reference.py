"""Prints the nmcli command lines community.general's nmcli module builds.

Reads a JSON list of task parameter sets on stdin; for each, runs the
module's own argument spec and Nmcli.connection_update ("create" and
"modify") with run_command recorded instead of run, and prints a JSON list
of {"create": argv, "modify": argv, "edit": [commands]}.
"""
import json
import sys

from ansible.module_utils import basic
from ansible_collections.community.general.plugins.modules import nmcli


class Built(Exception):
    pass


class Module(basic.AnsibleModule):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        raise Built(self)


def build(params):
    basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': params}).encode()
    nmcli.AnsibleModule = Module
    try:
        nmcli.main()
    except Built as e:
        module = e.args[0]
    module.get_bin_path = lambda *a, **k: '/usr/bin/nmcli'
    module.warn = lambda *a, **k: None
    module.deprecate = lambda *a, **k: None
    return module


out = []
for params in json.load(sys.stdin):
    result = {}
    for command in ('create', 'modify'):
        module = build(params)
        cmds = []

        def run(cmd, **kwargs):
            cmds.append(cmd)
            return (0, '', '')
        module.run_command = run
        n = nmcli.Nmcli(module)
        n.connection_update(command)
        result[command] = cmds[0]
        result['edit'] = n.edit_commands
    out.append(result)
json.dump(out, sys.stdout)
