"""Log lines as Cloud Logging reads them: a built service started with LOG_FORMAT=json (as compose and Kubernetes
run it) writes JSON whose `severity` is one of Cloud Logging's names and whose text is in `message`, with `time`;
with `level`/`msg` every line lands in Cloud Logging without a severity. The service is started against a closed
local port (127.0.0.1:9) for its first log line ("starting") and then stopped; skipped when it is not built."""
import json
import os
import subprocess

from env_checks import BIN_DIR

SEVERITIES = {"DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL"}
SERVICE = "transformer"


def first_json_line(binary):
    environment = dict(os.environ, LOG_FORMAT="json", LOG_LEVEL="info", KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9",
                       METRICS_HOST="127.0.0.1", METRICS_PORT="0")
    process = subprocess.Popen([binary], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    try:
        return process.stderr.readline()
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def check_log_format(results):
    binary = os.path.join(BIN_DIR, SERVICE)
    if not os.access(binary, os.X_OK):
        results.skip("JSON log lines carry Cloud Logging's severity and message", f"{SERVICE} is not built")
        return
    problems = []
    line = first_json_line(binary)
    try:
        entry = json.loads(line)
    except ValueError:
        entry = None
        problems.append(f"{SERVICE} with LOG_FORMAT=json wrote a line that is not JSON: {line[:200]!r}")
    if entry is not None:
        if entry.get("severity") not in SEVERITIES:
            problems.append(f"no Cloud Logging severity in {line[:200]!r}: emit `severity` as one of "
                            f"{', '.join(sorted(SEVERITIES))}")
        if "message" not in entry or "time" not in entry:
            problems.append(f"no `message` / `time` in {line[:200]!r}: Cloud Logging shows the text of `message`")
        for legacy in ("level", "msg"):
            if legacy in entry:
                problems.append(f"`{legacy}` in {line[:200]!r}: Cloud Logging does not read it")
    results.report("JSON log lines carry Cloud Logging's severity and message", problems, note=f"{SERVICE}'s first line")
