"""The one base class for errors whose message is written for the user.

The UI shows such a message as it is; any other exception is logged and reported with a
generic sentence, never as a traceback.
"""


class UserError(Exception):
    """An error with a plain-words message for the user; nothing saved was changed."""


class UsageError(UserError):
    """The command was given something it cannot use (the command line exits 2)."""
