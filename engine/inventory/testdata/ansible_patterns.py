#!/usr/bin/python3
"""Evaluates host patterns with ansible-core's own InventoryManager.

Usage: ansible_patterns.py SOURCE... < cases.json
cases.json is a list of [pattern, limit-or-null]; the output is a JSON list of
{"hosts": [names]} or {"error": message}, one per case, in order.
"""
import json
import sys

from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader

cases = json.load(sys.stdin)
out = []
for pattern, limit in cases:
    inv = InventoryManager(loader=DataLoader(), sources=sys.argv[1:])
    try:
        if limit is not None:
            inv.subset(limit)
        out.append({"hosts": [h.name for h in inv.get_hosts(pattern)]})
    except Exception as e:
        out.append({"error": str(e)})
print(json.dumps(out))
