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
# Run from anywhere: sh engine/output/testdata/regen.sh [SECTION...]
set -eu
cd "$(dirname "$0")"
here=$(pwd)
mkdir -p golden
export ANSIBLE_NOCOLOR=1 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_CONFIG="$here/ansible.cfg"

filter() {
	sed -E \
		-e '/^ansible(-playbook)? \[core /d' \
		-e '/^  (config file|configured module search path|ansible python module location|ansible collection location|executable location|python version|jinja version|libyaml) = /d' \
		-e '/^No config file found; using defaults$/d' \
		-e '/^(\x1b\[[0-9;]*m)?Using .* as config file/d' \
		-e '/^Parsed .* inventory source with .* plugin$/d' \
		-e "/^Skipping callback '.*', as we already have a stdout callback.\$/d" \
		-e '/^[0-9]+ plays? in /d' \
		-e '/^<localhost> /d' \
		-e '/^Using module file /d' \
		-e '/^Loading collection /d' \
		-e 's/"(start|end)": "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+"/"\1": "2000-01-01 00:00:00.000000"/g' \
		-e 's/"delta": "[0-9]+:[0-9]{2}:[0-9]{2}\.[0-9]+"/"delta": "0:00:00.001000"/g' \
		-e "s/(start|end): '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+'/\1: '2000-01-01 00:00:00.000000'/g" \
		-e "s/delta: '[0-9]+:[0-9]{2}:[0-9]{2}\.[0-9]+'/delta: '0:00:00.001000'/g" \
		-e "s#$here/##g" \
		-e 's#/ansible-local-[A-Za-z0-9_]+/tmp[A-Za-z0-9_]+#/ansible-local-X/tmpX#g' \
		-e 's#"_original_basename": "tmp[A-Za-z0-9_]+"#"_original_basename": "tmpX"#g' \
		-e 's#_original_basename: tmp[A-Za-z0-9_]+#_original_basename: tmpX#g' \
		-e 's#/ansible-tmp-[0-9.-]+/#/ansible-tmp-X/#g'
}

# reset_files recreates the files diff.yml edits.
reset_files() {
	rm -rf /tmp/gorun-output-golden
	mkdir -p /tmp/gorun-output-golden
	printf 'first line\n' >/tmp/gorun-output-golden/file.txt
	printf 'old\ncontent\n' >/tmp/gorun-output-golden/other.txt
}

run() {
	name=$1
	shift
	for v in 0 1 2 3; do
		flags=""
		[ "$v" -gt 0 ] && flags="-$(printf 'v%.0s' $(seq "$v"))"
		reset_files
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

section_playbooks() {
	run basic
	run diff --diff
	run failed
	run more --diff
}

# Ad-hoc runs: the minimal callback, and oneline with -o.
adhoc() {
	name=$1
	shift
	for v in 0 3; do
		flags=""
		[ "$v" -gt 0 ] && flags="-$(printf 'v%.0s' $(seq "$v"))"
		set +e
		ansible $flags -i localhost, -c local localhost "$@" \
			>"golden/adhoc-$name.v$v.stdout.raw" 2>"golden/adhoc-$name.v$v.stderr.raw"
		echo "adhoc $name -v$v: exit $?"
		set -e
		filter <"golden/adhoc-$name.v$v.stdout.raw" >"golden/adhoc-$name.v$v.stdout"
		filter <"golden/adhoc-$name.v$v.stderr.raw" >"golden/adhoc-$name.v$v.stderr"
		rm "golden/adhoc-$name.v$v.stdout.raw" "golden/adhoc-$name.v$v.stderr.raw"
	done
}

section_adhoc() {
adhoc ping -m ping
adhoc debug -m debug -a 'msg="héllo\nworld"'
adhoc command -m command -a 'printf "a\nb"'
adhoc command-fail -m command -a 'sh -c "echo out; echo err >&2; exit 3"'
adhoc fail -m fail -a 'msg=nope'
adhoc ping-oneline -o -m ping
adhoc debug-oneline -o -m debug -a 'msg="héllo\nworld"'
adhoc command-oneline -o -m command -a 'printf "a\nb"'
adhoc command-fail-oneline -o -m command -a 'sh -c "echo out; echo err >&2; exit 3"'
adhoc fail-oneline -o -m fail -a 'msg=nope'
}

# The json stdout callback (ansible.posix.json) on the same playbooks. Play and
# task ids and times are replaced by fixed values.
section_json() {
for name in basic failed; do
	set +e
	ANSIBLE_STDOUT_CALLBACK=ansible.posix.json ansible-playbook -i localhost, "playbooks/$name.yml" \
		>"golden/$name.json.raw" 2>"golden/$name.json.stderr.raw"
	echo "json $name: exit $?"
	set -e
	filter <"golden/$name.json.raw" | sed -E \
		-e 's/"(start|end)": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z"/"\1": "2000-01-01T00:00:00Z"/g' \
		-e 's/"id": "[0-9a-f-]+"/"id": "ID"/g' >"golden/$name.json"
	filter <"golden/$name.json.stderr.raw" >"golden/$name.json.stderr"
	rm "golden/$name.json.raw" "golden/$name.json.stderr.raw"
done
}

# Callback options, check mode markers, custom stats, unreachable hosts.
section_options() {
for v in 0 1; do
	flags=""
	[ "$v" -gt 0 ] && flags="-v"
	set +e
	ANSIBLE_DISPLAY_SKIPPED_HOSTS=false ANSIBLE_DISPLAY_OK_HOSTS=false ANSIBLE_CHECK_MODE_MARKERS=true \
		ANSIBLE_SHOW_CUSTOM_STATS=true ANSIBLE_DISPLAY_ARGS_TO_STDOUT=true ANSIBLE_SHOW_TASK_PATH_ON_FAILURE=true \
		ansible-playbook $flags --check -i localhost, playbooks/options.yml \
		>"golden/options.v$v.stdout.raw" 2>"golden/options.v$v.stderr.raw"
	echo "options -v$v: exit $?"
	set -e
	filter <"golden/options.v$v.stdout.raw" >"golden/options.v$v.stdout"
	filter <"golden/options.v$v.stderr.raw" >"golden/options.v$v.stderr"
	rm "golden/options.v$v.stdout.raw" "golden/options.v$v.stderr.raw"
done
}

# Colours, forced on as on a terminal.
section_colors() {
for name in basic diff failed; do
	reset_files
	set +e
	ANSIBLE_NOCOLOR=0 ANSIBLE_FORCE_COLOR=1 ansible-playbook -v -i localhost, --diff "playbooks/$name.yml" \
		>"golden/$name.color.stdout.raw" 2>"golden/$name.color.stderr.raw"
	echo "color $name: exit $?"
	set -e
	filter <"golden/$name.color.stdout.raw" >"golden/$name.color.stdout"
	filter <"golden/$name.color.stderr.raw" >"golden/$name.color.stderr"
	rm "golden/$name.color.stdout.raw" "golden/$name.color.stderr.raw"
done
}

# result_format=yaml.
section_yaml() {
for name in basic diff failed more; do
	for v in 0 1 3; do
		flags=""
		[ "$v" -gt 0 ] && flags="-$(printf 'v%.0s' $(seq "$v"))"
		reset_files
		set +e
		ANSIBLE_CALLBACK_RESULT_FORMAT=yaml ansible-playbook $flags -i localhost, --diff "playbooks/$name.yml" \
			>"golden/$name.yaml.v$v.stdout.raw" 2>"golden/$name.yaml.v$v.stderr.raw"
		echo "yaml $name -v$v: exit $?"
		set -e
		filter <"golden/$name.yaml.v$v.stdout.raw" >"golden/$name.yaml.v$v.stdout"
		filter <"golden/$name.yaml.v$v.stderr.raw" >"golden/$name.yaml.v$v.stderr"
		rm "golden/$name.yaml.v$v.stdout.raw" "golden/$name.yaml.v$v.stderr.raw"
	done
done
}

# Sections to run: all by default, or those named on the command line
# (playbooks adhoc json options colors yaml).
sections=${*:-playbooks adhoc json options colors yaml}
for s in $sections; do
	"section_$s"
done
