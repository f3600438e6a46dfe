#!/bin/sh
# `sandprobe validate --format sarif` against the SARIF 2.1.0 JSON Schema
# (tests/fixtures/sarif, with its formats checked), and its artifact URIs:
# an absolute path is a file:// URI, a relative one a relative reference
# against %SRCROOT%, both percent-encoded. Needs no Docker.
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"

SCHEMA="$SANDPROBE_TESTS/fixtures/sarif/sarif-schema-2.1.0.json"
mkdir -p "$WORK/src dir"
cp "$SANDPROBE_TESTS/validator/bypass/exec-01-eval.py" "$WORK/src dir/a b#1%é.py"
cd "$WORK"
"$SANDPROBE" validate --format sarif "$WORK/src dir/a b#1%é.py" "src dir/a b#1%é.py" >"$WORK/out.sarif"
expect_status "validate --format sarif of rejected programs" 1 $?

/usr/bin/python3 - "$SCHEMA" "$WORK/out.sarif" "$WORK" <<'PY'
import json, sys, urllib.parse, jsonschema, rfc3987
schema, doc, work = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
cls = jsonschema.validators.validator_for(schema)
cls(schema, format_checker=cls.FORMAT_CHECKER).validate(doc)
run = doc["runs"][0]
root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
rfc3987.parse(root, rule="absolute_URI")
assert root.startswith("file:///") and root.endswith("/"), root
assert urllib.parse.unquote(urllib.parse.urlparse(root).path) == work.rstrip("/") + "/", root
seen = set()
for r in run["results"]:
    loc = r["locations"][0]["physicalLocation"]["artifactLocation"]
    uri = loc["uri"]
    if "uriBaseId" in loc:
        assert loc["uriBaseId"] == "%SRCROOT%"
        rfc3987.parse(uri, rule="relative_ref")
        assert urllib.parse.unquote(uri) == "src dir/a b#1%é.py", uri
        seen.add("relative")
    else:
        rfc3987.parse(uri, rule="absolute_URI")
        assert uri.startswith("file:///"), uri
        assert urllib.parse.unquote(urllib.parse.urlparse(uri).path) == work + "/src dir/a b#1%é.py", uri
        seen.add("absolute")
assert seen == {"absolute", "relative"}, seen
PY
expect_status "SARIF valid against the 2.1.0 schema, file:// URIs for absolute paths" 0 $?

finish
