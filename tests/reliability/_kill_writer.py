"""Child for R1: pre-imports Keel's save path, then forks one writer per "go" line.

Each writer saves entries through ``db.journal.create_entry`` and prints
``<id> <sha256 of title NUL body>`` after the call returns (i.e. after commit), until
it is SIGKILLed by the test. The zygote prints ``pid N`` for each writer and ``done``
once it has been reaped.
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
from pathlib import Path

from db.engine import Database
from db.journal import create_entry

path = Path(sys.argv[1])
for line in sys.stdin:
    seed = int(line.split()[1])
    pid = os.fork()
    if pid == 0:
        rng = random.Random(seed)
        db = Database(path)
        while True:
            body = " ".join(f"w{rng.randrange(10**6)}" for _ in range(rng.randrange(5, 400)))
            title = f"cycle {seed}"
            entry = create_entry(db, body, title, ["r1"])
            digest = hashlib.sha256(f"{title}\x00{body}".encode()).hexdigest()
            os.write(1, f"{entry.id} {digest}\n".encode())
    os.write(1, f"pid {pid}\n".encode())
    os.waitpid(pid, 0)
    os.write(1, b"done\n")
