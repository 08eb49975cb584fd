"""Run a command, pass its output through, then print its wall time and peak RSS.

    python benchmarks/rss.py PROGRAM ARGS...
"""

import os
import resource
import subprocess
import sys
import time

env = dict(os.environ, KEEL_T0=repr(time.time()))  # the child's clock starts here
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, text=True, env=env)
out, _ = proc.communicate()
elapsed = time.perf_counter() - start
sys.stdout.write(out)
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"peak rss {peak_kib / 1024:.1f} MiB")
print(f"wall {elapsed:.4f} s")
sys.exit(proc.returncode if proc.returncode in (0, 3) else 1)
