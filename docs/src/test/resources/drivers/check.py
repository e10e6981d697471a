# Test driver: runs the guide's Python snippet on a captured webhook.
# Usage: python3 check.py <verify.py> <webhook dir> <secret>; prints "valid <id>" or "invalid: <reason>".
import importlib.util
import pathlib
import sys

spec = importlib.util.spec_from_file_location("snippet", sys.argv[1])
snippet = importlib.util.module_from_spec(spec)
spec.loader.exec_module(snippet)
webhook = pathlib.Path(sys.argv[2])
headers = dict(line.split(": ", 1) for line in (webhook / "headers").read_text("utf-8").splitlines() if line)
try:
    webhook_id = snippet.verify_callhook_webhook(sys.argv[3], (webhook / "method").read_text(),
                                                 (webhook / "query").read_text("utf-8"), (webhook / "body").read_bytes(), headers)
    print("valid " + webhook_id)
except ValueError as error:
    print("invalid: " + str(error))
    sys.exit(1)
