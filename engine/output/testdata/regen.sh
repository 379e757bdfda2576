#!/bin/sh
# regen.sh captures what the real ansible-playbook 2.14 prints for the golden
# playbooks in playbooks/, at verbosity 0 to 3, into golden/NAME.vN.{stdout,stderr}.
#
# Only the callback's output is kept. Lines that other parts of Ansible print
# (the CLI's version preamble, "N plays in FILE", connection-plugin traces at
# -vvv) are dropped, and values that change from run to run are replaced with
# fixed ones: command start/end/delta timestamps, the absolute path of this
# directory and Ansible's temporary file names. The Go tests build the same events with those fixed values.
#
# Run from anywhere: sh engine/output/testdata/regen.sh
set -eu
cd "$(dirname "$0")"
here=$(pwd)
mkdir -p golden
export ANSIBLE_NOCOLOR=1 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_CONFIG="$here/ansible.cfg"

filter() {
	sed -E \
		-e '/^ansible-playbook \[core /d' \
		-e '/^  (config file|configured module search path|ansible python module location|ansible collection location|executable location|python version|jinja version|libyaml) = /d' \
		-e '/^No config file found; using defaults$/d' \
		-e '/^Using .* as config file$/d' \
		-e '/^Using .* as config file$/d' \
		-e '/^Parsed .* inventory source with .* plugin$/d' \
		-e "/^Skipping callback '.*', as we already have a stdout callback.\$/d" \
		-e '/^[0-9]+ plays? in /d' \
		-e '/^<localhost> /d' \
		-e '/^Using module file /d' \
		-e '/^Loading collection /d' \
		-e 's/"(start|end)": "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+"/"\1": "2000-01-01 00:00:00.000000"/g' \
		-e 's/"delta": "[0-9]+:[0-9]{2}:[0-9]{2}\.[0-9]+"/"delta": "0:00:00.001000"/g' \
		-e "s#$here/##g" \
		-e 's#/ansible-local-[A-Za-z0-9_]+/tmp[A-Za-z0-9_]+#/ansible-local-X/tmpX#g' \
		-e 's#"_original_basename": "tmp[A-Za-z0-9_]+"#"_original_basename": "tmpX"#g' \
		-e 's#/ansible-tmp-[0-9.-]+/#/ansible-tmp-X/#g'
}

run() {
	name=$1
	shift
	for v in 0 1 2 3; do
		flags=""
		[ "$v" -gt 0 ] && flags="-$(printf 'v%.0s' $(seq "$v"))"
		rm -rf /tmp/gorun-output-golden
		mkdir -p /tmp/gorun-output-golden
		printf 'first line\n' >/tmp/gorun-output-golden/file.txt
		printf 'old\ncontent\n' >/tmp/gorun-output-golden/other.txt
		set +e
		ansible-playbook $flags -i localhost, "$@" "playbooks/$name.yml" \
			>"golden/$name.v$v.stdout.raw" 2>"golden/$name.v$v.stderr.raw"
		echo "$name -v$v: exit $?"
		set -e
		filter <"golden/$name.v$v.stdout.raw" >"golden/$name.v$v.stdout"
		filter <"golden/$name.v$v.stderr.raw" >"golden/$name.v$v.stderr"
		rm "golden/$name.v$v.stdout.raw" "golden/$name.v$v.stderr.raw"
	done
}

run basic
run diff --diff
run failed
