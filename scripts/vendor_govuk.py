#!/usr/bin/env python3
"""Vendor GOV.UK Frontend's precompiled CSS and JS into static/govuk/.

Run from anywhere:  python3 scripts/vendor_govuk.py

The site has no Node build step at run time, so the compiled files are
committed. This script makes the vendored copy repeatable: it downloads the
pinned npm package with `npm pack`, checks its integrity, and copies only the
files we use, changed as follows:

* govuk-frontend.min.css
  - asset URLs such as url(/assets/...) become relative to the CSS file
    (url(assets/...)), so the files work under any STATIC_URL;
  - the source map comment is removed (we don't ship the maps);
  - the GDS Transport font is removed (its @font-face rules, its licence
    comment, and "GDS Transport," in every font-family list), so text falls
    back to Arial/Helvetica. That font, the crown and the GOV.UK logotype
    may only be used by GOV.UK services;
  - references to branded images we do not ship (the crown/crest) are
    replaced with `none`.
* govuk-frontend.min.js: the source map comment is removed.
* dist/govuk/assets/: copied except the fonts and every GOV.UK-branded image
  (crown favicons, crest, app icons, Open Graph image) and the manifest that
  only lists those icons. In 6.x that leaves nothing, which is expected.

It also writes static/govuk/VERSION and static/govuk/NOTICE.txt (licence and
list of changes). Uses only the Python standard library and /usr/bin/npm.
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "govuk-frontend"
VERSION = "6.6.0"
# `npm view govuk-frontend@6.6.0 dist.integrity`; checked against the tarball.
INTEGRITY = (
    "sha512-xctkWrQvLnvQt7fyjQ3MGX9S0wz0x0RQuLxCeoXF+s8EjGICG81/DYQGKN5qgO+0"
    "KVT12UAaRwUsGY6fulRcRg=="
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = REPO_ROOT / "static" / "govuk"

# Paths under dist/govuk/assets/ that must not be shipped (fnmatch, relative).
EXCLUDED_ASSETS = [
    "fonts/*",  # GDS Transport: licensed for GOV.UK only
    "images/*crown*",
    "images/*crest*",
    "images/*logotype*",
    "images/govuk-*",  # GOV.UK app icons, mask icon, Open Graph image (crown)
    "images/favicon.*",  # the crown on a blue square
    "manifest.json",  # only lists the GOV.UK icons above
]

FONT_NAME = "GDS Transport"

# Declarations whose value may simply become `none` when the image is not shipped.
_IMAGE_PROPERTIES = r"(?:-webkit-)?mask-image|background-image"


def npm_pack(version: str, workdir: Path) -> Path:
    """Download the package tarball into workdir and return its path."""
    # Fixed arguments and npm from PATH, as a developer runs it.
    command = ["npm", "pack", f"{PACKAGE}@{version}", "--json", "--ignore-scripts"]
    result = subprocess.run(  # noqa: S603
        [*command, "--pack-destination", str(workdir)],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(result.stdout)[0]
    return workdir / info["filename"]


def integrity_of(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def extract(tarball: Path, workdir: Path) -> Path:
    with tarfile.open(tarball) as tar:
        # the "data" filter refuses absolute paths, ".." and links out of workdir
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def is_excluded(rel: str) -> bool:
    return any(fnmatch.fnmatch(rel, pattern) for pattern in EXCLUDED_ASSETS)


def copy_assets(src: Path, dest: Path) -> tuple[list[str], list[str]]:
    copied, skipped = [], []
    for path in sorted(p for p in src.rglob("*") if p.is_file()):
        rel = path.relative_to(src).as_posix()
        if is_excluded(rel):
            skipped.append(rel)
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copied.append(rel)
    return copied, skipped


def strip_css_source_map(css: str) -> str:
    return re.sub(r"\s*/\*#\s*sourceMappingURL=[^*]*\*/\s*", "\n", css).rstrip() + "\n"


def strip_js_source_map(js: str) -> str:
    return re.sub(r"//#\s*sourceMappingURL=\S*\s*$", "", js.rstrip()).rstrip() + "\n"


def remove_font(css: str) -> str:
    name = re.escape(FONT_NAME)
    # The font's licence comment (it talks about the font, not GOV.UK Frontend).
    css = re.sub(
        r"/\*!(?:(?!\*/).)*?(?:Calvert|exclusive use on gov\.uk)(?:(?!\*/).)*\*/",
        "",
        css,
        flags=re.S | re.I,
    )
    # @font-face rules declaring the font.
    css = re.sub(r"@font-face\s*\{[^}]*font-family\s*:\s*([\"']?)" + name + r"\1[^}]*\}", "", css)
    # "GDS Transport", (quoted or not) at the start of / inside font-family lists.
    css = re.sub(r"([\"']?)" + name + r"\1\s*,\s*", "", css)
    return css


def rewrite_asset_urls(css: str, assets_dest: Path) -> tuple[str, list[str]]:
    """Make /assets/ URLs relative; blank out images that we do not ship."""
    dropped: list[str] = []

    def shipped(rel: str) -> bool:
        return (assets_dest / rel).is_file()

    url = r"url\(\s*(?P<q>[\"']?)/assets/(?P<rel>[^\"')]+)(?P=q)\s*\)"

    def blank(match: re.Match) -> str:
        prop, rel = match.group("prop"), match.group("rel")
        if shipped(rel):
            return match.group(0)
        dropped.append(rel)
        return f"{prop}:none"

    css = re.sub(r"(?P<prop>" + _IMAGE_PROPERTIES + r")\s*:\s*" + url, blank, css)

    def relative(match: re.Match) -> str:
        rel = match.group("rel")
        if not shipped(rel):
            raise SystemExit(
                f"CSS refers to /assets/{rel}, which is not shipped and "
                "is not in a property that can be set to none"
            )
        return f"url(assets/{rel})"

    return re.sub(url, relative, css), sorted(set(dropped))


def check_css(css: str, css_dir: Path) -> None:
    problems = []
    if re.search(r"url\(\s*[\"']?/", css):
        problems.append("absolute url(/...) remains")
    if FONT_NAME.lower() in css.lower():
        problems.append(f"{FONT_NAME!r} remains")
    if "sourceMappingURL" in css:
        problems.append("sourceMappingURL remains")
    for rel in re.findall(r"url\(\s*[\"']?(?!data:)([^\"')]+)", css):
        if not (css_dir / rel).is_file():
            problems.append(f"url({rel}) points to a missing file")
    if problems:
        raise SystemExit("CSS check failed: " + "; ".join(problems))


NOTICE = """\
GOV.UK Frontend {version}, vendored by scripts/vendor_govuk.py from the npm
package {package}@{version} ({integrity}).

Changes from the published package:
- govuk-frontend.min.css: asset URLs made relative (url(assets/...)); source
  map comment removed; the GDS Transport font removed (@font-face rules, its
  licence comment and "GDS Transport," in font-family lists), so text uses
  Arial/Helvetica; images not shipped ({dropped}) replaced with `none`.
- govuk-frontend.min.js: source map comment removed.
- assets/: fonts and GOV.UK-branded images (crown, crest, icons) and the
  manifest are not included. Skipped: {skipped}.

The GDS Transport font, the crown and the GOV.UK logotype are for GOV.UK
services only and are deliberately not part of this project.

GOV.UK Frontend's code is released under the MIT License:

The MIT License (MIT)

Copyright (c) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def vendor(version: str, integrity: str | None, dest: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="vendor-govuk-") as tmp:
        workdir = Path(tmp)
        tarball = npm_pack(version, workdir)
        actual = integrity_of(tarball)
        if integrity and actual != integrity:
            raise SystemExit(
                f"integrity mismatch for {tarball.name}:\n"
                f"  expected {integrity}\n  got      {actual}"
            )
        if not integrity:
            print(f"warning: no pinned integrity for {version}; got {actual}")
        package = extract(tarball, workdir)
        meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
        if meta.get("version") != version:
            raise SystemExit(f"package.json says {meta.get('version')}, wanted {version}")
        dist = package / "dist" / "govuk"

        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)

        copied, skipped = copy_assets(dist / "assets", dest / "assets")
        if not copied and (dest / "assets").exists():
            (dest / "assets").rmdir()

        css = (dist / "govuk-frontend.min.css").read_text(encoding="utf-8")
        css = strip_css_source_map(css)
        css = remove_font(css)
        css, dropped = rewrite_asset_urls(css, dest / "assets")
        check_css(css, dest)
        (dest / "govuk-frontend.min.css").write_text(css, encoding="utf-8")

        js = (dist / "govuk-frontend.min.js").read_text(encoding="utf-8")
        js = strip_js_source_map(js)
        if "sourceMappingURL" in js or "/assets/" in js:
            raise SystemExit("JS check failed: source map or /assets/ reference remains")
        (dest / "govuk-frontend.min.js").write_text(js, encoding="utf-8")

        (dest / "VERSION").write_text(meta["version"] + "\n", encoding="utf-8")
        (dest / "NOTICE.txt").write_text(
            NOTICE.format(
                version=meta["version"],
                package=PACKAGE,
                integrity=actual,
                dropped=", ".join(dropped) or "none",
                skipped=", ".join(skipped) or "none",
            ),
            encoding="utf-8",
        )

    total = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    print(f"Vendored {PACKAGE} {version} into {dest}")
    print(f"  assets copied: {', '.join(copied) or 'none'}")
    print(f"  assets skipped: {', '.join(skipped) or 'none'}")
    print(f"  CSS images replaced with none: {', '.join(dropped) or 'none'}")
    print(f"  total size: {total} bytes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=VERSION, help=f"package version (default {VERSION})")
    parser.add_argument(
        "--integrity",
        help="expected sha512 integrity (default: pinned value "
        f"for {VERSION}; unchecked for other versions)",
    )
    parser.add_argument(
        "--dest", type=Path, default=DEFAULT_DEST, help=f"output folder (default {DEFAULT_DEST})"
    )
    args = parser.parse_args(argv)
    integrity = args.integrity or (INTEGRITY if args.version == VERSION else None)
    vendor(args.version, integrity, args.dest.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
