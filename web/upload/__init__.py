"""Officers: upload files, follow their import, read the result, withdraw an import."""

from flask import Blueprint

bp = Blueprint("upload", __name__, template_folder="templates")


@bp.record_once
def _start_jobs(state) -> None:  # type: ignore[no-untyped-def]
    """Start the import pool when the app registers the blueprint (once per app)."""
    from web.upload.jobs import init_app

    init_app(state.app)


from web.upload import views  # noqa: E402,F401
