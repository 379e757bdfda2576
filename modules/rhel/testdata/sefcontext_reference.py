"""Runs community.general.sefcontext and semanage's command line against
the same in-memory file context records.

Reads {"records": ..., "cases": [{"params": {...}, "check": bool,
"argv": [[semanage, fcontext, ...], ...]}]} on stdin. For each case it
runs the module's semanage_fcontext_modify/delete with seobject's
fcontextRecords replaced by Records (below), and then gorun's command
lines through semanage's own argument parser and handleFcontext with the
same replacement, each from a fresh copy of the records. It prints, per
case, the module's result and both end states and reload flags.
"""
import copy
import importlib.machinery
import importlib.util
import json
import sys

from ansible_collections.community.general.plugins.modules import sefcontext

loader = importlib.machinery.SourceFileLoader('semanage_cli', '/usr/sbin/semanage')
spec = importlib.util.spec_from_loader('semanage_cli', loader)
cli = importlib.util.module_from_spec(spec)
loader.exec_module(cli)

NAMES = {'': 'all files', 'a': 'all files', 'b': 'block device', 'c': 'character device',
         'd': 'directory', 'f': 'regular file', 'l': 'symbolic link', 'p': 'named pipe',
         's': 'socket'}


class Records(object):
    """seobject.fcontextRecords over a dict, with seobject's semantics for
    the operations the module and semanage use."""
    state = None

    def __init__(self, args=None):
        self.mappings = Records.state['mappings']
        self.equiv = Records.state['equiv']
        self.equiv_dist = Records.state['equiv_dist']
        if args is not None and not isinstance(args, str):
            Records.state['reload'] = not args.noreload

    def set_reload(self, reload):
        Records.state['reload'] = reload

    def get_all(self):
        return dict(((m[0], m[1]), tuple(m[2])) for m in self.mappings)

    def _find(self, target, ftype):
        for m in self.mappings:
            if m[0] == target and m[1] == NAMES[ftype]:
                return m
        return None

    def add(self, target, type, ftype='', serange='', seuser='system_u'):
        if self._find(target, ftype):
            raise ValueError('File context for %s already defined' % target)
        self.mappings.append([target, NAMES[ftype], [seuser or 'system_u', 'object_r', type, serange]])

    def modify(self, target, setype, ftype, serange, seuser):
        m = self._find(target, ftype)
        if m is None:
            raise ValueError('File context for %s is not defined' % target)
        if seuser:
            m[2][0] = seuser
        if setype:
            m[2][2] = setype
        if serange:
            m[2][3] = serange

    def delete(self, target, ftype):
        if target in self.equiv:
            self.equiv.pop(target)
            return
        m = self._find(target, ftype)
        if m is None:
            raise ValueError('File context for %s is not defined' % target)
        self.mappings.remove(m)

    def add_equal(self, target, substitute):
        if target in self.equiv:
            raise ValueError('Equivalence class for %s already exists' % target)
        self.equiv[target] = substitute

    def modify_equal(self, target, substitute):
        if target not in self.equiv:
            raise ValueError('Equivalence class for %s does not exist' % target)
        self.equiv[target] = substitute


class Exit(Exception):
    pass


class Module(object):
    def __init__(self, check):
        self.check_mode = check
        self._diff = True

    def exit_json(self, **kwargs):
        raise Exit(kwargs)

    def fail_json(self, **kwargs):
        kwargs['failed'] = True
        raise Exit(kwargs)


sefcontext.seobject = type('seobject', (), {'fcontextRecords': Records})
cli.object_dict['fcontext'] = Records

data = json.load(sys.stdin)
out = []
for case in data['cases']:
    p = dict(ftype='a', setype=None, substitute=None, seuser=None, selevel=None, reload=True)
    p.update(case['params'])
    state = p.get('state', 'present')
    result = dict(target=p['target'], ftype=p['ftype'], setype=p['setype'], substitute=p['substitute'], state=state)

    Records.state = copy.deepcopy(data['records'])
    Records.state['reload'] = None
    try:
        if state == 'present':
            sefcontext.semanage_fcontext_modify(Module(case['check']), result, p['target'], p['ftype'], p['setype'],
                                                p['substitute'], p['reload'], p['selevel'], p['seuser'])
        else:
            sefcontext.semanage_fcontext_delete(Module(case['check']), result, p['target'], p['ftype'], p['setype'],
                                                p['substitute'], p['reload'])
    except Exit as e:
        res = e.args[0]
    module_state = Records.state

    Records.state = copy.deepcopy(data['records'])
    Records.state['reload'] = None
    error = None
    for argv in case['argv'] or []:
        args = cli.createCommandParser().parse_args(argv[1:])
        try:
            args.func(args)
        except ValueError as e:
            error = 'ValueError: %s' % e
    out.append({'result': res, 'module': module_state, 'cli': Records.state, 'cli_error': error})
json.dump(out, sys.stdout, sort_keys=True)
