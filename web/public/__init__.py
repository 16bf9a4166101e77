"""The public pages: what anyone, without an account, may see (issue 5).

Read-only: every view calls a procurement.services.public_* function, which takes no actor and
reads only public data (imported lines, confirmed flags, file names and counts; never an
uploader, a user name or an open flag).
"""

from flask import Blueprint

bp = Blueprint("public", __name__, template_folder="templates")

from web.public import views  # noqa: E402,F401
