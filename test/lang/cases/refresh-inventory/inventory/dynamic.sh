#!/bin/sh
# An inventory script whose answer changes once the playbook has written
# $GORUN_CASE_TMP/refreshed: h1 gets another colour, h2 joins the group
# "refreshed" and a host "ghost" appears.
if [ -e "$GORUN_CASE_TMP/refreshed" ]; then
	cat <<'JSON'
{"refreshed": {"hosts": ["h2", "ghost"], "vars": {"note": "after"}}, "colors": {"hosts": ["h1"]},
 "_meta": {"hostvars": {"h1": {"color": "blue"}, "ghost": {"ansible_host": "192.0.2.1"}}}}
JSON
else
	cat <<'JSON'
{"refreshed": {"hosts": []}, "colors": {"hosts": ["h1"]},
 "_meta": {"hostvars": {"h1": {"color": "red"}}}}
JSON
fi
