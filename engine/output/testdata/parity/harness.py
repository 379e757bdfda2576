"""Replays event scripts through ansible-core's own default callback.

Usage: python3 harness.py SCRIPTS.json
SCRIPTS.json is a list of {"callback": NAME, "verbosity": N, "options": {...},
"events": [...]} (NAME default, minimal or oneline);
see parity_test.go for the event names. The output is a JSON list of
{"stdout": ..., "stderr": ...}, what the callback wrote for each script.
"""
import io
import json
import sys

from ansible import context
from ansible.module_utils.common.collections import ImmutableDict

context.CLIARGS = ImmutableDict({'check': False})

from ansible.executor.task_result import TaskResult  # noqa: E402
from ansible.inventory.host import Host  # noqa: E402
from ansible.playbook.task import Task  # noqa: E402
from ansible.plugins.loader import callback_loader  # noqa: E402
from ansible.utils.display import Display  # noqa: E402

class FakePlay:
    strategy = 'linear'
    check_mode = False

    def get_name(self):
        return 'play'


def replay(script):
    """Runs one script through a fresh default callback."""
    display = Display()
    display.verbosity = script.get('verbosity', 0)
    display._warns = {}
    display._deprecations = {}
    cb = callback_loader.get(script.get('callback') or 'default')
    cb.set_options(direct=script.get('options') or {})
    cb._play = FakePlay()
    tasks = {}
    for ev in script['events']:
        kind = ev['ev']
        if kind == 'task':
            data = {'name': ev['name'], ev['action']: ev.get('args', {})}
            if ev.get('loop'):
                data['loop'] = [1]
            if ev.get('no_log'):
                data['no_log'] = True
            if ev.get('delegate_to'):
                data['delegate_to'] = ev['delegate_to']
            if ev.get('ignore_unreachable'):
                data['ignore_unreachable'] = True
            task = Task.load(data)
            tasks[ev['uuid']] = task
            cb.v2_playbook_on_task_start(task, False)
            continue
        task = tasks[ev['task']]
        if kind == 'start':
            cb.v2_runner_on_start(Host(ev.get('host', 'web1')), task)
            continue
        tr = TaskResult(Host(ev.get('host', 'web1')), task, ev['result']).clean_copy()
        if kind == 'ok':
            cb.v2_runner_on_ok(tr)
        elif kind == 'failed':
            cb.v2_runner_on_failed(tr, ignore_errors=ev.get('ignore', False))
        elif kind == 'skipped':
            cb.v2_runner_on_skipped(tr)
        elif kind == 'unreachable':
            cb.v2_runner_on_unreachable(tr)
        elif kind == 'item_ok':
            cb.v2_runner_item_on_ok(tr)
        elif kind == 'item_failed':
            cb.v2_runner_item_on_failed(tr)
        elif kind == 'item_skipped':
            cb.v2_runner_item_on_skipped(tr)
        elif kind == 'retry':
            cb.v2_runner_retry(tr)
        elif kind == 'diff':
            cb.v2_on_file_diff(tr)
        else:
            raise ValueError(kind)


results = []
real_stdout, real_stderr = sys.stdout, sys.stderr
for script in json.load(open(sys.argv[1])):
    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    try:
        replay(script)
        results.append({'stdout': sys.stdout.getvalue(), 'stderr': sys.stderr.getvalue()})
    finally:
        sys.stdout, sys.stderr = real_stdout, real_stderr
json.dump(results, sys.stdout)
