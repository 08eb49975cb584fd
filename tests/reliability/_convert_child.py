"""Child for the conversion kill test: run one conversion on a data folder, printing
"start" first (the parent kills it at a chosen moment after that).

    python _convert_child.py DATA_DIR encrypt|change|decrypt
"""

import sys
from pathlib import Path

from db.crypto import change_passphrase, decrypt, encrypt

OLD, NEW = "old passphrase", "new passphrase"

data_dir, mode = Path(sys.argv[1]), sys.argv[2]
database, backups = data_dir / "keel.sqlite3", data_dir / "backups"
print("start", flush=True)
if mode == "encrypt":
    encrypt(database, NEW, backups)
elif mode == "change":
    change_passphrase(database, OLD, NEW, backups)
else:
    decrypt(database, OLD, backups)
print("done", flush=True)
