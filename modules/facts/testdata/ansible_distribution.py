"""Runs Ansible's own distribution fact code on a fake root directory.

Usage: python3 ansible_distribution.py ROOT
Prints the distribution facts Ansible derives from the files under ROOT
(ROOT/etc/os-release and so on) as JSON. Used by gorun's tests as the
reference for its Go port; the distro library reads the same root.
"""
import json
import os
import sys
from unittest import mock

sys.path.insert(0, "/usr/lib/python3/dist-packages")

import distro  # noqa: E402
from ansible.module_utils.common import sys_info  # noqa: E402
from ansible.module_utils.facts.system import distribution  # noqa: E402

root = sys.argv[1]
real_exists, real_getsize, real_islink = os.path.exists, os.path.getsize, os.path.islink


def inside(p):
    return p if p.startswith(root) else root + p


def get_file_content(path, default=None, strip=True):
    try:
        with open(inside(path)) as f:
            data = f.read()
    except OSError:
        return default
    return data.strip() if strip else data


def get_file_lines(path, strip=True, line_sep=None):
    data = get_file_content(path, strip=strip)
    return data.splitlines() if data else []


class Module:
    def get_bin_path(self, *a, **k):
        return None

    def run_command(self, *a, **k):
        return 1, "", ""

    def debug(self, *a):
        pass


ld = distro.LinuxDistribution(include_lsb=False, include_uname=False, include_oslevel=False, root_dir=root)
with mock.patch.object(sys_info, "distro", ld), \
        mock.patch.object(distribution, "get_file_content", get_file_content), \
        mock.patch.object(distribution, "get_file_lines", get_file_lines), \
        mock.patch("os.path.exists", lambda p: real_exists(inside(p))), \
        mock.patch("os.path.getsize", lambda p: real_getsize(inside(p))), \
        mock.patch("os.path.islink", lambda p: real_islink(inside(p))), \
        mock.patch("platform.system", lambda: "Linux"):
    facts = distribution.Distribution(Module()).get_distribution_facts()
print(json.dumps(facts, sort_keys=True))
