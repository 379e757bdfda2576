#!/bin/sh
# regen.sh renders every expression (expressions.yml), conditional
# (conditions.yml), template (templates/*.j2) and role template
# (roles/NAME/template.j2, taken from a collection's role as SOURCE says, with
# task vars from the role's defaults.yml overlaid by facts.yml) with the real
# ansible-playbook against localhost and writes the results to golden.json and
# golden/*.
# Run it from anywhere: sh engine/template/testdata/regen.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# lookups search the playbook directory's files/ and templates/, as in a real project
cp -r "$here/files" "$here/templates" "$work/"
python3 - "$here" "$work" <<'PY'
import json, os, shutil, sys, yaml
here, work = sys.argv[1], sys.argv[2]
exprs = yaml.safe_load(open(os.path.join(here, "expressions.yml")))
conds = yaml.safe_load(open(os.path.join(here, "conditions.yml")))
tmpls = sorted(f for f in os.listdir(os.path.join(here, "templates")) if f.endswith(".j2"))
tasks = []
names = []
for i, e in enumerate(exprs):
    tasks.append({"name": "e%d" % i, "debug": {"msg": e}, "register": "e_%d" % i, "ignore_errors": True})
    names.append("e_%d" % i)
for i, c in enumerate(conds):
    tasks.append({"name": "c%d" % i, "debug": {"msg": "ok"}, "when": c, "register": "c_%d" % i, "ignore_errors": True})
    names.append("c_%d" % i)
for i, t in enumerate(tmpls):
    tasks.append({"name": "t%d" % i, "template": {"src": os.path.join(here, "templates", t), "dest": os.path.join(work, "out", t[:-3])},
                  "register": "t_%d" % i, "ignore_errors": True})
    names.append("t_%d" % i)
# Each role of roles/ is a copy of a collection role's defaults and one
# template; it gets a task file here and is run with include_role, its facts.yml
# as the include's vars, so Ansible's own variable precedence applies.
roles = sorted(os.listdir(os.path.join(here, "roles")))
for i, r in enumerate(roles):
    rdir = os.path.join(work, "roles", r)
    shutil.copytree(os.path.join(here, "roles", r), rdir)
    tmpl = [f for f in os.listdir(os.path.join(rdir, "templates")) if f.endswith(".j2")][0]
    os.makedirs(os.path.join(rdir, "tasks"))
    json.dump([{"template": {"src": tmpl, "dest": os.path.join(work, "out", "role_" + r)},
                "register": "golden_role_result", "ignore_errors": True}], open(os.path.join(rdir, "tasks", "main.yml"), "w"))
    facts = os.path.join(rdir, "facts.yml")
    rvars = (yaml.safe_load(open(facts)) or {}) if os.path.exists(facts) else {}
    tasks.append({"name": "r%d" % i, "include_role": {"name": rdir}, "vars": rvars})
    tasks.append({"set_fact": {"r_%d" % i: "{{ golden_role_result }}"}})
    names.append("r_%d" % i)
fopts = yaml.safe_load(open(os.path.join(here, "file_options.yml")))
for i, fo in enumerate(fopts):
    t = dict(fo.get("options") or {})
    t.update({"src": os.path.join(here, "templates", fo["src"]), "dest": os.path.join(work, "out", "opts%d" % i)})
    tasks.append({"name": "o%d" % i, "template": t, "register": "o_%d" % i, "ignore_errors": True})
    names.append("o_%d" % i)
tasks.insert(0, {"file": {"path": os.path.join(work, "out"), "state": "directory"}})
tasks.append({"copy": {"dest": os.path.join(work, "results.json"),
              "content": "{{ lookup('vars', %s, wantlist=True) | to_json }}" % ", ".join(repr(n) for n in names)}})
play = [{"hosts": "localhost", "connection": "local", "gather_facts": False,
         "vars_files": [os.path.join(here, "vars.yml")], "tasks": tasks}]
json.dump(play, open(os.path.join(work, "play.yml"), "w"))
json.dump({"exprs": exprs, "conds": conds, "tmpls": tmpls, "roles": roles, "fopts": fopts}, open(os.path.join(work, "meta.json"), "w"))
PY
# The filters and tests of ansible-core and Jinja2, for TestCorePluginsCovered.
/usr/bin/python3 - >"$here/core_plugins.txt" <<'PY'
import jinja2.filters, jinja2.tests
from ansible.plugins.filter import core, mathstuff, urls, urlsplit, encryption
from ansible.plugins.test import core as tcore, files, mathstuff as tmath, uri
print("ANSIBLE_FILTERS", " ".join(sorted(set().union(*(m.FilterModule().filters() for m in (core, mathstuff, urls, urlsplit, encryption))))))
print("ANSIBLE_TESTS", " ".join(sorted(set().union(*(m.TestModule().tests() for m in (tcore, files, tmath, uri))))))
print("JINJA_FILTERS", " ".join(sorted(jinja2.filters.FILTERS)))
print("JINJA_TESTS", " ".join(sorted(jinja2.tests.TESTS)))
PY
ANSIBLE_NOCOLOR=1 ANSIBLE_STDOUT_CALLBACK=null ansible-playbook -i localhost, "$work/play.yml" >"$work/log" 2>&1 || true
python3 - "$here" "$work" <<'PY'
import json, os, sys
here, work = sys.argv[1], sys.argv[2]
meta = json.load(open(os.path.join(work, "meta.json")))
res = json.load(open(os.path.join(work, "results.json")))
def kind(msg):
    return "undefined" if ("is undefined" in msg or "has no attribute" in msg or "undefined variable" in msg) and "Mandatory" not in msg else "error"
out = {"expressions": [], "conditions": [], "templates": [], "roles": [], "file_options": []}
i = 0
for e in meta["exprs"]:
    r = res[i]; i += 1
    if r.get("failed"):
        out["expressions"].append({"template": e, "error": kind(r.get("msg", "")), "message": r.get("msg", "")})
    else:
        out["expressions"].append({"template": e, "result": r.get("msg")})
for c in meta["conds"]:
    r = res[i]; i += 1
    if r.get("failed"):
        out["conditions"].append({"condition": c, "error": kind(r.get("msg", "")), "message": r.get("msg", "")})
    else:
        out["conditions"].append({"condition": c, "result": not r.get("skipped", False)})
gold = os.path.join(here, "golden")
os.makedirs(gold, exist_ok=True)
for t in meta["tmpls"]:
    r = res[i]; i += 1
    name = t[:-3]
    if r.get("failed"):
        out["templates"].append({"template": t, "error": "error", "message": r.get("msg", "")})
        continue
    data = open(os.path.join(work, "out", name), "rb").read()
    open(os.path.join(gold, name), "wb").write(data)
    out["templates"].append({"template": t, "golden": "golden/" + name})
for rn in meta["roles"]:
    r = res[i]; i += 1
    name = "role_" + rn
    if r.get("failed"):
        out["roles"].append({"role": rn, "error": "error", "message": r.get("msg", "")})
        continue
    data = open(os.path.join(work, "out", name), "rb").read()
    open(os.path.join(gold, name), "wb").write(data)
    out["roles"].append({"role": rn, "golden": "golden/" + name})
for j, fo in enumerate(meta["fopts"]):
    r = res[i + j]
    name = "opts%d" % j
    entry = {"template": fo["src"], "options": fo.get("options") or {}}
    if r.get("failed"):
        entry.update({"error": "error", "message": r.get("msg", "")})
    else:
        data = open(os.path.join(work, "out", name), "rb").read()
        open(os.path.join(gold, name), "wb").write(data)
        entry["golden"] = "golden/" + name
    out["file_options"].append(entry)
json.dump(out, open(os.path.join(here, "golden.json"), "w"), indent=1, ensure_ascii=False)
print("expressions: %d, conditions: %d, templates: %d, role templates: %d, template options: %d" % (len(out["expressions"]), len(out["conditions"]), len(out["templates"]), len(out["roles"]), len(out["file_options"])))
PY
