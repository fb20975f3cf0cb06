#!/usr/bin/env python3
"""Top frames of a Java Flight Recording's execution samples (Java 17's jfr has no `view`).

usage: runners/bench/jfr-top.py FILE.jfr [N] [--thread-filter SUBSTRING]
Prints the top N methods by self samples (top frame) and by total samples (anywhere on the stack,
counted once per sample), and the samples per thread-name prefix.
"""
import collections, json, re, subprocess, sys

args = [a for a in sys.argv[1:] if not a.startswith("--")]
path = args[0]
n = int(args[1]) if len(args) > 1 else 25
flt = None
if "--thread-filter" in sys.argv:
    flt = sys.argv[sys.argv.index("--thread-filter") + 1]
    args = [a for a in args if a != flt]
out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events",
                      "jdk.ExecutionSample", path], capture_output=True, text=True, check=True).stdout
events = json.loads(out)["recording"]["events"]
self_c, total_c, threads = collections.Counter(), collections.Counter(), collections.Counter()
count = 0
for e in events:
    v = e["values"]
    tname = (v.get("sampledThread") or {}).get("javaName") or "?"
    if flt and flt not in tname:
        continue
    frames = (v.get("stackTrace") or {}).get("frames") or []
    if not frames:
        continue
    count += 1
    threads[re.sub(r"[ (#-]*\d.*$", "", tname)] += 1
    names = []
    for f in frames:
        m = f["method"]
        names.append(m["type"]["name"] + "." + m["name"])
    self_c[names[0]] += 1
    for name in set(names):
        total_c[name] += 1
print(f"{count} execution samples in {path}")
print("\n-- self (top frame) --")
for name, c in self_c.most_common(n):
    print(f"{100.0 * c / count:5.1f}%  {name}")
print("\n-- total (on the stack) --")
for name, c in total_c.most_common(n * 3):
    print(f"{100.0 * c / count:5.1f}%  {name}")
print("\n-- threads --")
for name, c in threads.most_common(12):
    print(f"{100.0 * c / count:5.1f}%  {name}")
