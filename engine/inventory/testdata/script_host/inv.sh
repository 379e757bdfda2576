#!/bin/sh
if [ "$1" = "--list" ]; then
  echo '{"g": {"hosts": ["h1", "h2"]}, "all": {"vars": {"x": 1}}}'
else
  echo "{\"asked\": \"$2\"}"
fi
