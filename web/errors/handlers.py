"""One handler for every HTTP error, with a sentence a procurement officer understands."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from procurement.services.permissions import Forbidden
from web.errors import bp


def _sentence(code: int) -> str:
    sentences = {
        400: _("The request could not be understood. Go back and try again."),
        403: _("Your role does not allow this page or action."),
        404: _("There is no such page."),
        405: _("This page does not accept that kind of request."),
        413: _("The file is too large. Split it, or ask an administrator to raise the limit."),
        429: _("Too many attempts. Wait a few minutes and try again."),
        500: _("Something went wrong on our side. Nothing was changed; try again later."),
    }
    return sentences.get(code, _("The request could not be completed."))


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError) -> tuple[Response | str, int]:
    """A form posted without its token, or with an expired one."""
    message = _("The form expired or did not come from this site. Reload the page and try again.")
    return _render(400, message)


@bp.app_errorhandler(Forbidden)
def forbidden(error: Forbidden) -> tuple[Response | str, int]:
    """A service refused the actor: the same page as a 403."""
    return _render(403, _sentence(403))


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response | tuple[Response | str, int]:
    """Render any HTTP error; redirects (raised by abort with a response) pass through."""
    if error.response is not None:
        return error.response
    code = error.code or 500
    return _render(code, _sentence(code))


@bp.app_errorhandler(500)
def server_error(error: Exception) -> tuple[Response | str, int]:
    """An unexpected failure; the transaction was rolled back when the session closed."""
    return _render(500, _sentence(500))


def _render(code: int, message: str) -> tuple[Response | str, int]:
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=code, message=message), code
    return render_template("errors/error.html", code=code, message=message), code
