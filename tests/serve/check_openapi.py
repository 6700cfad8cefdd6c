#!/usr/bin/env python3
"""Checks an OpenAPI 3.0 document against the OpenAPI Initiative's JSON schema for 3.0 (Debian's
openapi-specification package) with python3-jsonschema. Exit 0: valid; 1: not valid (the error printed)."""
import json
import sys

import jsonschema

SCHEMA = "/usr/share/openapi-specification/schemas/v3.0/schema.json"

with open(SCHEMA, encoding="utf-8") as f:
    schema = json.load(f)
with open(sys.argv[1], encoding="utf-8") as f:
    document = json.load(f)
try:
    jsonschema.validate(document, schema)
except jsonschema.ValidationError as e:
    print(f"{sys.argv[1]}: not a valid OpenAPI 3.0 document: {e.message} at {'/'.join(map(str, e.absolute_path))}",
          file=sys.stderr)
    sys.exit(1)
