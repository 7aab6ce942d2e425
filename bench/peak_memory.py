#!/usr/bin/env python3
"""Run a command and report its peak memory split into anonymous memory
(heap, stacks: what the program allocates) and file-backed memory (the
mapped binary and libraries), sampled from /proc/PID/smaps_rollup.

GNU time's "maximum resident set size" is the sum of both; for a debug
build most of the file-backed part is the 170 MB binary's code pages, so
the split shows what an optimised build would carry.

usage: peak_memory.py CMD [ARGS...]   (stdout/stderr of CMD go to /dev/null)
"""
import subprocess
import sys
import time


def sample(pid):
    fields = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3 and parts[-1] == "kB":
                    fields[parts[0].rstrip(":")] = int(parts[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return fields


def main():
    proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = {"Rss": 0, "Anonymous": 0, "File": 0}
    while proc.poll() is None:
        s = sample(proc.pid)
        if s and "Rss" in s:
            anon = s.get("Anonymous", 0)
            peak["Rss"] = max(peak["Rss"], s["Rss"])
            peak["Anonymous"] = max(peak["Anonymous"], anon)
            peak["File"] = max(peak["File"], s["Rss"] - anon)
        time.sleep(0.01)
    mb = {k: v / 1024 for k, v in peak.items()}
    print(f"sampled peak RSS {mb['Rss']:.1f} MB = anonymous (heap, stacks) {mb['Anonymous']:.1f} MB"
          f" + file-backed (binary, libraries) {mb['File']:.1f} MB; exit {proc.returncode}")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
