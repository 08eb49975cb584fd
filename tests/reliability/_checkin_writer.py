"""Child for R24: saves check-ins (a few answers and skips each, long text) in a loop,
printing ``<check-in id> <answers>`` after each has committed, until SIGKILLed. Odd seeds
write through ``sqlite3`` alone (``keel``'s path), even ones through the app's engine."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from db.checkins import AnswerInput, complete_checkin
from db.engine import Database
from db.plain_journal import PlainJournal
from desktop.core.records import AnswerKind

path, seed = Path(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
db = PlainJournal(path) if seed % 2 else Database(path)
while True:
    items = []
    for prompt in rng.sample(("worry-level", "view-shift-argument", "xrisk-reading",
                              "good-faith-action", "switch-within-3-months"), rng.randint(1, 5)):
        if rng.random() < 0.3:
            items.append(AnswerInput(prompt, AnswerKind.TEXT, skipped=True, skip_reason="busy"))
        else:
            items.append(AnswerInput(prompt, AnswerKind.TEXT, text="y" * rng.randrange(10, 20_000)))
    done = complete_checkin(db, f"n={len(items)} " + "x" * rng.randrange(10, 20_000), items)
    print(f"{done.id} {len(items)}", flush=True)
