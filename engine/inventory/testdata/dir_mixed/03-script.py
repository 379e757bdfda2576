#!/usr/bin/env python3
import json, sys
if len(sys.argv) > 1 and sys.argv[1] == '--list':
    print(json.dumps({
        "web": {"hosts": ["s1", "s2"], "vars": {"http": 80}, "children": ["edge"]},
        "edge": ["e1"],
        "simple": {"a": 1},
        "_meta": {"hostvars": {"s1": {"v": 1, "l": [1, 2]}, "e1": {"edge": True}}},
    }))
else:
    print("{}")
