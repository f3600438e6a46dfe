#!/bin/sh
# Bytes through `sandprobe exec` against the real daemon: NUL and invalid
# UTF-8 in a program's output reach stdout/stderr exactly, and `exec --json`
# is strict JSON that carries them losslessly (text with U+FFFD beside
# <stream>_base64 and <stream>_invalid_utf8), never cut at a NUL.
set -u
. "$SANDPROBE_TESTS/integration/lib.sh"
require_docker

P="$WORK/prog.py"
cat >"$P" <<'PY'
# (guard off: sys is out of the run-time guard's reach)
import sys
sys.stdout.buffer.write(b"visible\x00HIDDEN\xff\xfe\x1b[31m end")
sys.stderr.buffer.write(b"err\x00\xc3\xa9 ok")
PY

"$SANDPROBE" exec --image "$IMAGE" --no-validate --no-guard "$P" >"$WORK/out" 2>"$WORK/err"
expect_status "exec: the program's status" 0 $?
printf 'visible\000HIDDEN\377\376\033[31m end' >"$WORK/want_out"
check "exec: stdout byte for byte" cmp -s "$WORK/out" "$WORK/want_out"
printf 'err\000\303\251 ok' >"$WORK/want_err"
# The start-up sweep may say it removed containers of other, dead runs.
sed '/^sandprobe: swept [0-9]* leftover container/d' "$WORK/err" >"$WORK/program_err"
check "exec: stderr byte for byte" cmp -s "$WORK/program_err" "$WORK/want_err"

"$SANDPROBE" exec --image "$IMAGE" --no-validate --no-guard --json "$P" >"$WORK/json" 2>"$WORK/json_err"
expect_status "exec --json: the program's status" 0 $?
/usr/bin/python3 - "$WORK/json" <<'PY'
import base64, json, sys
raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-8")  # strict: raises on invalid UTF-8
def no_constants(c):
    raise ValueError("non-standard JSON constant " + c)
doc = json.loads(text, parse_constant=no_constants)  # strict: control characters in strings raise
want_out = b"visible\x00HIDDEN\xff\xfe\x1b[31m end"
assert base64.b64decode(doc["stdout_base64"]) == want_out, doc
assert doc["stdout_invalid_utf8"] is True, doc
assert doc["stdout"] == want_out.decode("utf-8", "replace"), doc["stdout"]
assert doc["stdout"].startswith("visible\x00HIDDEN"), "not cut at the NUL"
assert doc["stderr"] == "err\x00\u00e9 ok", doc["stderr"]
assert "stderr_base64" not in doc and "stderr_invalid_utf8" not in doc, "valid UTF-8 needs no copy"
assert doc["truncated"] == {"stdout": False, "stderr": False}, doc["truncated"]
PY
expect_status "exec --json: strict JSON, every byte recoverable, nothing cut" 0 $?

finish
