"""Child for R23: adds an option and records a decision choosing it, in a loop, printing
``<decision id> <option id>`` after each decision has committed, until SIGKILLed."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from db.engine import Database
from db.options import record_decision, save_option
from desktop.core.records import JobOption

path, seed = Path(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
db = Database(path)
n = 0
while True:
    n += 1
    kind = rng.choice(("capabilities", "safety", "mixed", "unrelated"))
    option = save_option(db, JobOption(id=None, organisation=f"Org {seed}-{n}", role="r",
                                       work_kind=kind, frontier=rng.random() < 0.3,
                                       notes="x" * rng.randrange(10, 20_000)))
    assert option.id is not None
    decision = record_decision(db, option.id, f"Join Org {seed}-{n}", "because " * 50,
                               [], "", )
    print(f"{decision.id} {option.id}", flush=True)
