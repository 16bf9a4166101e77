"""What a refused request about users says, in the reader's language.

The users service names each refusal with a stable reason (UserError.reason) and its values;
the sentences live here so the catalog extracts them.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from procurement.services.users import UserError

SENTENCES = {
    "bad-username": _l(
        "A user name is 1 to 100 letters, digits and . _ @ -, starting with a letter or digit."
    ),
    "unknown-role": _l("Choose a role: officer, auditor or administrator."),
    "user-exists": _l("The user name %(username)s is taken already."),
    "short-password": _l("A password has at least %(count)s characters."),
    "no-user": _l("There is no user %(username)s."),
    "own-account": _l("You cannot disable yourself or change your own role."),
    "wrong-password": _l("The current password is not right."),
}


def sentence(error: UserError) -> str:
    """Return the refusal as a sentence in the current language."""
    template = SENTENCES.get(error.reason)
    if template is None:  # a reason added to the service without a sentence here
        return _("The change could not be made: %(reason)s", reason=str(error))
    return str(template) % error.values
