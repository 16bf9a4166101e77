"""Links between the pages of a long list, kept with the list's current filter and sort.

One pager macro (templates/_pager.html) serves every paged list; it takes a function from a
page number to that page's URL: `link_to(endpoint, **args)` in a template, or
`current_url(endpoint, ...)` where the page's filter lives in the query string.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlencode

from flask import request, url_for


def link_to(endpoint: str, **args: Any) -> Callable[..., str]:
    """Return a function giving the endpoint's URL with these arguments and a page."""
    return partial(url_for, endpoint, **args)


def current_url(endpoint: str, **changes: Any) -> str:
    """Return the endpoint's URL with the current query string, some arguments changed
    (None removes one)."""
    arguments = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            arguments.pop(key, None)
        else:
            arguments[key] = str(value)
    query = urlencode(arguments)
    return url_for(endpoint) + (f"?{query}" if query else "")
