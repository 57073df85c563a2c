"""WeasyPrint's only way out: the project's own export assets, nothing else.

Data is escaped by the templates, so it should never reach WeasyPrint as
markup; this fetcher is the second wall. Whatever URL a rendering asks for
(``file:///etc/passwd``, ``http://169.254.169.254/``, a CSS ``url()``, a
``data:`` URI), only files inside ``ASSET_DIR`` are served; the rest is
refused and counted, so tests can prove no request went out.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from dsar.exports.assets import asset_dir


class StaticOnlyFetcher(URLFetcher):
    def __init__(self):
        # No protocol at all for the parent: ``fetch`` below never calls it.
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.root = asset_dir()
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        path = self._local_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"Refused to fetch {url!r}: exports may only use the project's own assets.")
        self.served.append(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    def _local_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        # resolve() follows symlinks and "..": the real file must be inside the assets.
        if self.root not in path.parents or not path.is_file():
            return None
        return path

    def base_url(self) -> str:
        return self.root.as_uri() + "/"
