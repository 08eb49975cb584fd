"""What Keel writes to and asks of the operating system: start at login, the scheduler
entry that runs ``keel remind``, native notifications and Keel's small reminder files.

Text that goes into those entries is built in :mod:`desktop.core` (plain Python, no I/O);
this package does the writing, the reading back and the talking to system services.
"""
