"""The one hardened XML parser of Rekvi. Every XML document from outside is parsed here.

Parser options are passed explicitly, every time: no entity expansion, no DTD loading, no
network, no huge-tree mode. A document that declares entities is refused outright (with
entity resolution off alone, an XXE document would parse silently with the entity left
unexpanded). A DOCTYPE without declarations, as cXML documents carry, is allowed; its URL is
never fetched. Size and depth are capped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

#: The largest document accepted by default (a big invoice or catalogue file, not a bomb).
MAX_BYTES = 50 * 1024 * 1024
#: The deepest element nesting accepted by default (UBL documents stay below 15).
MAX_DEPTH = 64
#: An element of a parsed document, for the format modules' type hints.
Element = etree._Element

#: The largest document streamed by `iter_elements` (a supplier's whole catalogue).
MAX_STREAM_BYTES = 4 * 1024 * 1024 * 1024


class XmlRejectedError(ValueError):
    """The bytes are not a document Rekvi accepts; `reason` says why and `line` where."""

    def __init__(self, reason: str, *, line: int | None = None) -> None:
        where = f" (line {line})" if line else ""
        super().__init__(f"{reason}{where}")
        self.reason = reason
        self.line = line


class XmlDeclarationsRejectedError(XmlRejectedError):
    """The document declares or refers to entities, or has a DTD where none is allowed."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_blank_text=False,
        # not collect_ids=False: with it, libxml2 fetches the DOCTYPE's external DTD
    )


@dataclass(frozen=True)
class Parsed:
    """A parsed document: its root element and the DOCTYPE's system URL, if any (unfetched)."""

    root: etree._Element
    doctype_system_url: str | None


def parse(raw: bytes, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Parsed:
    """Parse `raw` safely. Raises XmlRejectedError naming what is wrong and where."""
    if not isinstance(raw, bytes):
        raise TypeError("safexml.parse takes bytes, as received; never decoded text")
    if len(raw) > max_bytes:
        raise XmlRejectedError(f"the document is {len(raw)} bytes; the limit is {max_bytes}")
    if not raw.strip():
        raise XmlRejectedError("the document is empty")
    parser = _parser()
    try:
        root = etree.fromstring(raw, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise XmlRejectedError(f"not well-formed XML: {exc.msg}", line=exc.lineno) from exc
    # libxml2 only warns about an undeclared entity in a document with an external DTD, and in
    # an attribute it then silently drops it: refuse instead.
    _refuse_undeclared(parser.error_log)
    tree = root.getroottree()
    _refuse_entities(tree)
    for entity in root.iter(etree.Entity):
        raise XmlDeclarationsRejectedError(
            f"the document refers to an entity ({entity.text})", line=entity.sourceline
        )
    _check_depth(root, max_depth)
    return Parsed(root=root, doctype_system_url=tree.docinfo.system_url)


def iter_elements(
    source: BinaryIO,
    *,
    tags: tuple[str, ...],
    children_of_root: tuple[str, ...] = (),
    max_bytes: int = MAX_STREAM_BYTES,
    refuse_doctype: bool = False,
) -> Iterator[tuple[str, etree._Element]]:
    """Stream a large document: ("start" | "end", element) for the root, for the elements
    with `tags` (at any depth) and for the root's own children with `children_of_root` (a
    document's header fields, say).

    The same refusals as `parse`: entity declarations, undeclared entities (checked as the
    stream goes and at its end), no DTD or network fetch; with `refuse_doctype`, any DOCTYPE
    (for formats that never have one). The root's events come when its start tag is within
    the first 64 KB (after any prolog).

    Every element is freed once read, whatever its tag and depth: an element given to the
    caller keeps its content until its "end" event, when the caller reads it, and is freed
    after it; every other element is freed once finished, at the latest when the next 64 KB
    have been parsed (without a Python event of its own: lxml's tag filter leaves them in
    C). So neither a large file nor one padded with elements nobody asks for ever sits in
    memory whole: memory stays that of the largest element given to the caller (a catalogue
    line) and one chunk. By the root's "end" its children are gone: read them at their own
    "end" events. Raises XmlRejectedError.
    """
    counted = _CountingReader(source, max_bytes)
    head, top = b"", ""
    while not top and len(head) < STREAM_CHUNK:  # up to the root's start tag
        more = counted.read(STREAM_CHUNK - len(head))
        if not more:
            break
        head += more
        top = root_tag(head)
    # lxml's own tag filter gives Python only these events; every other element is freed by
    # `_prune` between chunks, without an event of its own.
    parser = etree.XMLPullParser(
        events=("start", "end"),
        tag=tuple({*tags, *children_of_root, *((top,) if top else ())}),
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    anywhere, below_root = frozenset(tags), frozenset(children_of_root)
    root: etree._Element | None = None
    open_given: list[etree._Element] = []  # elements given to the caller, not yet ended
    chunk = head
    try:
        while True:
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
            for event, element in parser.read_events():
                if root is None:
                    root = element.getroottree().getroot()
                    _refuse_entities(element.getroottree())
                    if refuse_doctype and element.getroottree().docinfo.doctype:
                        raise XmlDeclarationsRejectedError(
                            "the document has a document type declaration (DOCTYPE)"
                        )
                if element is not root:
                    tag = element.tag
                    if tag not in anywhere and element.getparent() is not root:
                        continue  # a root-child tag deeper down
                    if tag not in anywhere and tag not in below_root:
                        continue
                    if event == "start":
                        open_given.append(element)
                    elif open_given and open_given[-1] is element:
                        open_given.pop()
                yield event, element
                if event == "end" and element is not root and not open_given:
                    _free(element)
            _refuse_undeclared(parser.error_log)
            if not chunk:
                break
            if root is not None:
                _prune(root, open_given[0] if open_given else None)
            chunk = counted.read(STREAM_CHUNK)
    except etree.XMLSyntaxError as exc:
        raise XmlRejectedError(f"not well-formed XML: {exc.msg}", line=exc.lineno) from exc


#: How much of a streamed document is parsed between two prunings of its tree.
STREAM_CHUNK = 64 * 1024


def _free(element: etree._Element) -> None:
    """Free an element the caller has read, and every element before it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _prune(root: etree._Element, keep: etree._Element | None) -> None:
    """Free every finished element nobody asked for: along the last elements of the tree (the
    elements still open are each their parent's last), all but the last child of each, down
    to the outermost element the caller still reads (`keep`), which stays whole."""
    node = root
    while node is not keep and len(node):
        if len(node) > 1:
            del node[:-1]
        node = node[-1]


def root_tag(head: bytes) -> str:
    """The root element's tag ("{namespace}name") from the first bytes of a document, or ""
    if they hold no start tag. Parsed with the same hardened options; nothing is fetched."""
    parser = etree.XMLPullParser(
        events=("start",),
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
    )
    try:
        parser.feed(head)
        for _event, element in parser.read_events():
            return str(element.tag)
    except etree.XMLSyntaxError as exc:
        raise XmlRejectedError(f"not well-formed XML: {exc.msg}", line=exc.lineno) from exc
    return ""


class _CountingReader:
    """A file wrapper that refuses to read past `limit` bytes."""

    def __init__(self, source: BinaryIO, limit: int) -> None:
        self.source, self.limit, self.read_bytes = source, limit, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.read_bytes += len(chunk)
        if self.read_bytes > self.limit:
            raise XmlRejectedError(f"the document is larger than {self.limit} bytes")
        return chunk


def _refuse_entities(tree: etree._ElementTree) -> None:
    dtd = tree.docinfo.internalDTD
    if dtd is not None:
        declared = [str(entity.name) for entity in dtd.iterentities()]
        if declared:
            raise XmlDeclarationsRejectedError(
                "the document declares entities ("
                + ", ".join(declared)
                + "); documents with entity declarations are refused"
            )


def _refuse_undeclared(log: etree._ListErrorLog) -> None:
    for entry in log:
        if entry.type_name in ("WAR_UNDECLARED_ENTITY", "ERR_UNDECLARED_ENTITY"):
            raise XmlDeclarationsRejectedError(
                f"the document refers to an undeclared entity ({entry.message})", line=entry.line
            )


def _check_depth(root: etree._Element, max_depth: int) -> None:
    depth = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth > max_depth:
                raise XmlRejectedError(
                    f"elements are nested deeper than {max_depth} levels", line=element.sourceline
                )
        else:
            depth -= 1


def local_name(element: etree._Element) -> str:
    """The element's name without its namespace."""
    return etree.QName(element).localname
