"""Every internal link and anchor of the built site.

A real link checker (LinkChecker) follows every link from the home pages of both languages
over the served site. It runs in the background from the moment the site is served (see
conftest.py); the first test waits for its report. Anchors are checked here instead, from
the built files: LinkChecker's anchor check downloads and parses a page again for every
anchor that points into it (four minutes of CPU on this site), here each page is read once.
"""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest


def test_no_broken_links(link_check):
    assert link_check["process"].wait(timeout=600) == 0, link_check["report"].read_text(
        encoding="utf-8"
    )[-5000:]
    report = link_check["report"].read_text(encoding="utf-8")
    assert "That's it." in report, report[-3000:]
    assert " 0 warnings found" in report and " 0 errors found" in report, report[-5000:]


class Anchors(HTMLParser):
    """A page's targets (every id, and the name of an <a>) and its links (every href)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.targets: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.targets.add(attributes["id"])
        if tag == "a" and attributes.get("name"):
            self.targets.add(attributes["name"])
        if tag in ("a", "area", "link") and attributes.get("href"):
            self.links.append(attributes["href"])


def page_file(site: Path, path: str) -> Path | None:
    """The file that serves a URL path of the site: a page, or a folder's index.html."""
    found = site / unquote(path).lstrip("/")
    if found.is_dir():
        found = found / "index.html"
    return found if found.is_file() else None


def broken_anchors(site: Path, base_url: str) -> list[str]:
    """Each link into the site (relative, or under base_url) whose #anchor is not on the page
    it points to, as "page: link"; a link to a missing page counts too."""
    base = urlsplit(base_url)
    pages = {}
    for file in sorted(site.rglob("*.html")):
        parser = Anchors()
        parser.feed(file.read_text(encoding="utf-8"))
        pages[file] = parser
    broken = []
    for file, parser in pages.items():
        url = base_url.rstrip("/") + "/" + file.relative_to(site).as_posix()
        for link in parser.links:
            target = urlsplit(urljoin(url, link))
            if not target.fragment or (target.scheme, target.netloc) != (base.scheme, base.netloc):
                continue
            if not target.path.startswith(base.path):
                broken.append(f"{file.relative_to(site)}: {link} (outside the site)")
                continue
            page = page_file(site, target.path[len(base.path) :])
            if page is None or page.suffix != ".html":
                broken.append(f"{file.relative_to(site)}: {link} (no such page)")
            elif unquote(target.fragment) not in pages[page].targets:
                broken.append(f"{file.relative_to(site)}: {link}")
    return broken


def test_every_anchor_a_link_names_is_on_its_page(served_site):
    origin, site = served_site  # the address the site was built for, and its files
    broken = broken_anchors(site, origin + "/")
    assert broken == [], "\n".join(broken[:50])


def test_the_anchor_check_finds_what_is_broken(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<h2 id="here">Here</h2><a name="old"></a>'
        '<a href="#here">ok</a> <a href="#old">ok</a> <a href="#gone">same page</a>'
        '<a href="../b.html#top">ok</a> <a href="../b.html#missing">other page</a>'
        '<a href="/site/a/#here">ok, absolute</a> <a href="/site/nowhere/#x">no page</a>'
        '<a href="https://elsewhere.test/#x">not ours</a> <a href="../b.html">no anchor</a>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text('<p id="top">Top</p>', encoding="utf-8")
    found = broken_anchors(tmp_path, "http://host.test/site/")
    assert found == [
        "a/index.html: #gone",
        "a/index.html: ../b.html#missing",
        "a/index.html: /site/nowhere/#x (no such page)",
    ]


@pytest.mark.parametrize("name", ["a%20b", "caf%C3%A9"])
def test_anchors_are_compared_decoded(tmp_path, name):
    target = unquote(name)
    (tmp_path / "index.html").write_text(
        f'<p id="{target}"></p><a href="#{name}">x</a>', encoding="utf-8"
    )
    assert broken_anchors(tmp_path, "http://host.test/") == []
