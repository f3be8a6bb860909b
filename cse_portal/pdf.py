"""PDF rendering for documents that go on a child's file (WeasyPrint).

Templates live in templates/<app>/pdf/ and extend "pdf/base.html". Everything the renderer
fetches goes through `StaticOnlyURLFetcher`: the HTML holds children's data typed by
practitioners, and WeasyPrint's own fetcher would follow any URL it meets — `file:` URLs
(an <img> or a `rel=attachment` link can embed a server file in the PDF) and http(s) (a
request from the server to anywhere). We allow only files inside the static folder(s) and
`data:` URLs; anything else is refused and the resource is simply missing from the PDF.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")


def static_roots() -> list[Path]:
    """The folders a PDF may read files from, resolved (symlinks followed), that exist."""
    candidates = [*getattr(settings, "STATICFILES_DIRS", []), settings.STATIC_ROOT]
    roots: list[Path] = []
    for candidate in candidates:
        if isinstance(candidate, tuple):  # STATICFILES_DIRS entries may be (prefix, path)
            candidate = candidate[1]
        if not candidate:
            continue
        root = Path(candidate).resolve()
        if root.is_dir() and root not in roots:
            roots.append(root)
    return roots


def static_base_url() -> str:
    """file:// URL (with trailing slash) of the first static folder: the PDF's base URL."""
    roots = static_roots()
    if not roots:
        raise RuntimeError("No static folder exists: PDF stylesheets cannot be loaded.")
    return path2url(roots[0])


class StaticOnlyURLFetcher(URLFetcher):
    """Fetch `data:` URLs and files inside the static folder(s); refuse everything else.

    WeasyPrint catches the exception a refusal raises, logs it and leaves the resource out,
    so a refused URL never stops the render. Refusals happen before any file is opened or
    any connection made. Redirects are off (they only apply to http(s), refused anyway).
    """

    ALLOWED_PROTOCOLS = frozenset({"file", "data"})

    def __init__(self, roots: list[Path] | None = None, **kwargs: Any) -> None:
        super().__init__(
            allowed_protocols=self.ALLOWED_PROTOCOLS,
            allow_redirects=False,
            fail_on_errors=False,
            **kwargs,
        )
        self.roots = static_roots() if roots is None else [Path(r).resolve() for r in roots]

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self.allowed_path(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            # The caller (WeasyPrint's fetch()) closes the response, which closes the file.
            return URLFetcherResponse(
                path2url(path), body=path.open("rb"), headers={"Content-Type": content_type}
            )
        logger.warning("PDF rendering refused a %s URL", scheme or "relative")
        raise ValueError(f"URL refused by the PDF renderer: {scheme or 'no'} scheme")

    def allowed_path(self, url: str) -> Path:
        """The regular file a `file:` URL names, if it lies inside a static folder."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            # file://host/... is a remote file (urllib would even try FTP): never.
            raise ValueError("URL refused by the PDF renderer: file URL with a host")
        # resolve() removes `..` and follows symlinks, so neither can leave the folder.
        path = Path(url2pathname(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            logger.warning("PDF rendering refused a file outside the static folder")
            raise ValueError("URL refused by the PDF renderer: file outside the static folder")
        return path


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """A PDF of `html`, with relative URLs resolved against the static folder."""
    document = HTML(
        string=html,
        base_url=base_url or static_base_url(),
        url_fetcher=StaticOnlyURLFetcher(),
    )
    return document.write_pdf()


def render_pdf(
    template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None
) -> bytes:
    """Render a PDF template to bytes.

    The template receives, besides `context`: `pdf_static` — the file:// URL of the static
    folder with a trailing slash, so `{{ pdf_static }}css/pdf.css` names our stylesheet —
    `generated_at` (now, aware; shown in Europe/London) and `generated_by` (the signed-in
    officer, when a request is given).
    """
    full_context = {
        "pdf_static": static_base_url(),
        "generated_at": timezone.localtime(timezone.now(), LONDON),
        "generated_by": getattr(request, "user", None) if request is not None else None,
        **context,
    }
    html = render_to_string(template_name, full_context, request=request)
    return html_to_pdf(html, base_url=full_context["pdf_static"])
