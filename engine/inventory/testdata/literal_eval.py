#!/usr/bin/python3
"""Prints, for each JSON string on stdin, what Ansible's INI plugin makes of
it (ast.literal_eval, or the text itself), as JSON: tuples and sets become
lists, bytes are decoded."""
import ast
import json
import sys


def plain(v):
    if isinstance(v, (tuple, list)):
        return [plain(x) for x in v]
    if isinstance(v, (set, frozenset)):
        return sorted(plain(x) for x in v)
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, bytes):
        return v.decode('utf-8')
    if isinstance(v, complex):
        raise ValueError('complex')
    return v


out = []
for s in json.load(sys.stdin):
    try:
        v = plain(ast.literal_eval(s))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        v = s
    out.append(v)
print(json.dumps(out))
