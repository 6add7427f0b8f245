"""Reports as mail bodies: HTML with the CSS inlined, and its plain-text alternative.

Mail clients drop ``<style>`` elements and refuse (or track through) remote pictures, so a
mail body carries its look in ``style=""`` attributes (``report_templates/mail.css``,
inlined by css-inline) and no picture but the message's own: an ``<img src="cid:…">`` whose
Content-ID (RFC 2392) names an image part of the same message (a chart); remote, ``data:``
and relative sources are refused. The full lists go into the XLSX. yagmail turns every
newline of an HTML body into ``<br>``, so the body comes out as one line. Gmail clips a
body above about 100 KB (the images are parts of their own and do not count), hence the
size bound.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from importlib import resources
from urllib.parse import unquote

import css_inline
import lxml.html
from lxml.etree import ParserError

from auditor.report.plaintext import plain_text

__all__ = ["cid_references", "mail_css", "mail_html", "plain_text"]

# Elements that load something or run something: none belongs in a mail body (but an
# ``<img>`` of the message's own, by Content-ID).
_REFUSED_ELEMENTS = frozenset(
    {"picture", "source", "svg", "link", "base", "script", "iframe", "frame", "object",
     "embed", "video", "audio"}
)  # fmt: skip
# Attributes that make a client fetch (``href`` is fine on a link the reader clicks).
_FETCHING_ATTRIBUTES = ("src", "srcset", "background", "poster", "data", "lowsrc", "dynsrc")
_LINKS = frozenset({"a", "area"})
_CSS_FETCH = re.compile(r"url\s*\(|@import", re.IGNORECASE)
CID = "cid:"  # RFC 2392: the URL of a part of the same message, by its Content-ID
# A run of HTML whitespace with a line break in it (not NBSP: that one is content).
_BREAK = re.compile(r"[ \t\f]*[\r\n][ \t\r\n\f]*")


def mail_css() -> str:
    """The mail stylesheet shipped with the templates (``report_templates/mail.css``)."""
    return resources.files("report_templates").joinpath("mail.css").read_text("utf-8")


def mail_html(html: str, *, max_bytes: int = 100_000, cids: Collection[str] = ()) -> str:
    """``html`` (a whole rendered document) as a mail body: one line, CSS inlined.

    ``mail.css`` is applied first; rules in the template's own ``<style>`` override it.
    ``cids``: the Content-IDs (without angle brackets) of the images the message will carry;
    an ``<img src="cid:ID">`` may show one of them, and that is the only picture allowed.
    Raises ``ValueError`` if the document refers to anything outside itself (any other
    picture, a stylesheet, a script, ``url()`` in CSS) or if the body is larger than
    ``max_bytes`` (UTF-8): the body shows the top rows, the attachment the full list.
    """
    document = _parse(html)
    _refuse_external(document, frozenset(cids))
    head = document.find("head")
    if head is None:
        head = lxml.html.Element("head")
        document.insert(0, head)
    style = lxml.html.Element("style")
    style.text = mail_css()
    head.insert(0, style)
    inliner = css_inline.CSSInliner(
        keep_style_tags=False, keep_link_tags=False, load_remote_stylesheets=False
    )
    inlined = _parse(inliner.inline(_serialize(document)))
    _one_line(inlined)
    body = _serialize(inlined)
    size = len(body.encode("utf-8"))
    if size > max_bytes:
        raise ValueError(
            f"the mail body is {size} bytes, above the bound of {max_bytes}: show the top rows "
            "in the body and the full list in the XLSX attachment"
        )
    return body


def _parse(html: str) -> lxml.html.HtmlElement:
    try:
        return lxml.html.document_fromstring(html)
    except ParserError as err:  # an empty document
        raise ValueError(f"not an HTML document: {err}") from None


def _serialize(document: lxml.html.HtmlElement) -> str:
    text: str = lxml.html.tostring(document, encoding="unicode", method="html")
    return "<!DOCTYPE html>" + text


def cid_references(html: str) -> list[str]:
    """The Content-IDs the ``<img src="cid:…">`` of ``html`` show, in order, each once."""
    seen: dict[str, None] = {}
    for img in _parse(html).iter("img"):
        src = (img.get("src") or "").strip()
        if src.lower().startswith(CID):
            seen.setdefault(unquote(src[len(CID) :]), None)
    return list(seen)


def _own_image(element: lxml.html.HtmlElement, cids: frozenset[str]) -> bool:
    """``element`` is an ``<img>`` showing one of the message's own images, and loads
    nothing else (a ``srcset``, a ``lowsrc``…)."""
    src = (element.get("src") or "").strip()
    if not src.lower().startswith(CID) or unquote(src[len(CID) :]) not in cids:
        return False
    return not any(element.get(name) for name in _FETCHING_ATTRIBUTES if name != "src")


def _refuse_external(document: lxml.html.HtmlElement, cids: frozenset[str]) -> None:
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        tag = element.tag.lower()
        if tag in _REFUSED_ELEMENTS:
            raise ValueError(
                f"a mail body may not contain <{tag}>: it would load or run something from "
                "outside the message; styles go into mail.css"
            )
        if tag == "img" and not _own_image(element, cids):
            raise ValueError(
                "a mail body's <img> may show only an image of the message itself (src="
                f'"cid:…" with one of its Content-IDs), not {element.get("src")!r}: '
                "anything else loads from outside the message or is blocked"
            )
        fetching = [
            name for name in _FETCHING_ATTRIBUTES
            if element.get(name) and not (tag == "img" and name == "src")  # cid: checked above
        ]  # fmt: skip
        if tag not in _LINKS and element.get("href"):
            fetching.append("href")
        if fetching:
            raise ValueError(
                f"a mail body may not refer to outside resources: <{tag} {fetching[0]}="
                f"{element.get(fetching[0])!r}>"
            )
        css = (element.text or "") if tag == "style" else element.get("style", "")
        if _CSS_FETCH.search(css):
            raise ValueError(
                f"a mail body's CSS may not load anything (url() or @import in <{tag}>): "
                "mail clients block it"
            )


def _one_line(document: lxml.html.HtmlElement) -> None:
    """Remove every line break from ``document`` without changing what a reader sees.

    In text and attributes a line break is just whitespace: it becomes one space. Inside
    ``<pre>`` it is a line: it becomes ``<br>``. Comments go.
    """
    for comment in [node for node in document.iter() if not isinstance(node.tag, str)]:
        _drop_keeping_tail(comment)
    for pre in list(document.iter("pre", "textarea")):
        _breaks_to_br(pre)
    for element in document.iter():
        if element.text:
            element.text = _BREAK.sub(" ", element.text)
        if element.tail:
            element.tail = _BREAK.sub(" ", element.tail)
        for name, value in element.attrib.items():
            if "\n" in value or "\r" in value:
                element.set(name, _BREAK.sub(" ", value))


def _drop_keeping_tail(node: lxml.html.HtmlElement) -> None:
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail or ""
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)


def _breaks_to_br(pre: lxml.html.HtmlElement) -> None:
    """Each line break in the text of ``pre`` (and of elements inside it) as a ``<br>``."""
    for node in list(pre.iter()):
        if node.text and "\n" in node.text:
            first, *lines = node.text.replace("\r\n", "\n").split("\n")
            node.text = first
            for index, line in enumerate(lines):
                br = lxml.html.Element("br")
                br.tail = line
                node.insert(index, br)
        if node is not pre and node.tail and "\n" in node.tail:
            first, *lines = node.tail.replace("\r\n", "\n").split("\n")
            node.tail = first
            anchor = node
            for line in lines:
                br = lxml.html.Element("br")
                br.tail = line
                anchor.addnext(br)
                anchor = br
