"""A DOCX is rewritten before it is stored, so that it no longer says who wrote it, where or when.

Word keeps its author's name (and the last editor's, the company, the manager, the template's path under
the author's Windows profile, every reviser's and commenter's name with the minute of each edit), a
thumbnail of the first page and the photos as the camera wrote them (with GPS) inside the package. A
teacher's act of inspection would hand all that to everyone who later reads the case. What is removed
or blanked, and why the package is read with suspicion:

* ``docProps/core.xml`` is emptied (creator, lastModifiedBy, dates, title, subject, keywords…),
  ``docProps/app.xml`` loses Company, Manager, Template, HyperlinkBase and the title; ``docProps/custom.xml``,
  ``docProps/thumbnail.*`` and ``word/people.xml`` are dropped with their relationships and content types;
* so is the whole ``customXml/`` store (``item*.xml``, ``itemProps*.xml``): Word keeps there the cover page's
  properties (company address, phone, e-mail, abstract), SharePoint's metadata (the names and accounts of the
  people a library assigned the file to) and any schema an add-in brought, none of which we can read field by
  field; content controls bound to it (``w:dataBinding``) lose the binding and keep the text they show;
* every ``w:author`` (revisions ``w:ins``/``w:del``/…Change, comments) becomes :data:`NEUTRAL_AUTHOR`, and
  their ``w:date``/``w:initials`` go — the text of the document and of its tracked changes is untouched;
* the attached template's external path (``file:///C:/Users/<name>/…``) is dropped from the settings;
* JPEG and PNG pictures in ``word/media`` are drawn again from their pixels (``images.reencode``); a
  TIFF or WebP, which can carry GPS too and is not re-encoded here, is refused;
* the ZIP is hostile until read: at most :data:`MAX_ENTRIES` parts and :data:`MAX_UNPACKED` bytes
  unpacked in all (a zip bomb stops at the budget, whatever the headers claim), no absolute, ``..`` or
  duplicate part names, no encrypted entries, no DTDs in the XML (lxml without entity resolution);
* macros (``vbaProject.bin``, a macro-enabled main part), ActiveX controls and embedded objects (an
  embedded workbook carries its own author, out of our reach) are refused by name: the sender can save
  the document as a plain .docx, or as PDF.

The entries are written back in their order with a fixed 1980 timestamp and no ZIP comment or extra
fields, so the package's own headers do not date the editing either.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile

from lxml import etree

from .images import NotAnImage, reencode

MAX_ENTRIES = 1000
MAX_UNPACKED = 64 * 1024 * 1024
NEUTRAL_AUTHOR = "Author"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
APP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_blank_text=False)
_ENCRYPTED_OFFICE = "EncryptedPackage".encode("utf-16-le")
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"         # an OLE compound file: how Word saves a password-protected DOCX


class Refused(ValueError):
    """The package cannot be cleaned; ``code`` is a field problem of app/problems.py, ``part`` the part
    that made it so (shown to the sender, who can then fix that one thing)."""

    def __init__(self, code: str, part: str = ""):
        super().__init__(f"{code}: {part}")
        self.code, self.part = code, part


def is_encrypted_office(data: bytes) -> bool:
    """A password-protected Word file: not a ZIP at all, but a compound file holding the encrypted package."""
    return data.startswith(_CFB) and _ENCRYPTED_OFFICE in data


def _drop(name: str) -> bool:
    # the printer settings are a DEVMODE naming the author's printer (a network printer's path): dropped as well
    return (name in ("docProps/custom.xml", "word/people.xml")
            or name.startswith(("docProps/thumbnail", "word/printerSettings/", "customXml/")))


# relationships that bring code or other packages in, refused by the problem they make
_REFUSED_RELATIONSHIPS = {"/vbaProject": "docx_macros", "/control": "docx_embedded", "/oleObject": "docx_embedded",
                          "/package": "docx_embedded", "/aFChunk": "docx_embedded"}


def _check_name(info: zipfile.ZipInfo, seen: set[str]) -> str:
    name = info.filename
    if (not name or name.startswith("/") or "\\" in name or "\x00" in name or re.match(r"^[A-Za-z]:", name)
            or any(p in ("..", ".") for p in name.split("/"))):
        raise Refused("docx_bad_part_name", name[:80])
    if name.lower() in seen:
        raise Refused("docx_bad_part_name", name[:80])
    seen.add(name.lower())
    if info.flag_bits & 0x1:
        raise Refused("docx_encrypted", name)
    lower = name.lower()
    if lower.endswith("vbaproject.bin") or lower.endswith("vbadata.xml"):
        raise Refused("docx_macros", name)
    if lower.startswith("word/activex/") or lower.startswith("word/embeddings/"):
        raise Refused("docx_embedded", name)
    return name


def _read_all(z: zipfile.ZipFile) -> list[tuple[str, bytes]]:
    infos = z.infolist()
    if len(infos) > MAX_ENTRIES:
        raise Refused("docx_too_many_parts")
    seen: set[str] = set()
    budget = MAX_UNPACKED
    parts = []
    for info in infos:
        name = _check_name(info, seen)
        if info.is_dir():
            continue
        if info.file_size > budget:
            raise Refused("docx_too_big_unpacked", name)
        try:
            with z.open(info) as f:
                data = f.read(budget + 1)          # never more than the budget, whatever the header said
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
            raise Refused("docx_damaged", name) from None
        if len(data) > budget:
            raise Refused("docx_too_big_unpacked", name)
        budget -= len(data)
        parts.append((name, data))
    return parts


def _xml(name: str, data: bytes) -> etree._Element:
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        raise Refused("docx_damaged", name) from None
    if root.getroottree().docinfo.doctype:
        raise Refused("docx_damaged", name)
    return root


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _content_types(root: etree._Element, dropped: set[str]) -> None:
    for el in root.findall(f"{{{CT}}}Override"):
        part = (el.get("PartName") or "").lstrip("/")
        kind = (el.get("ContentType") or "").lower()
        if "macroenabled" in kind or "vbaproject" in kind:
            raise Refused("docx_macros", part or "[Content_Types].xml")
        if part in dropped:
            root.remove(el)


def _rels_owner(rels_name: str) -> str:
    """The folder a .rels part's relative targets start from (``word/_rels/document.xml.rels`` → ``word``)."""
    folder = posixpath.dirname(posixpath.dirname(rels_name))
    return folder


def _relationships(name: str, root: etree._Element, dropped: set[str]) -> None:
    """Drop relationships to dropped parts and to an attached template (a path on the author's machine)."""
    base = _rels_owner(name)
    for el in root.findall(f"{{{REL}}}Relationship"):
        target, kind = el.get("Target") or "", el.get("Type") or ""
        for suffix, code in _REFUSED_RELATIONSHIPS.items():
            if kind.endswith(suffix):
                raise Refused(code, target[:80] if el.get("TargetMode") != "External" else name)
        if kind.endswith("/attachedTemplate"):
            root.remove(el)
            continue
        if el.get("TargetMode") == "External":
            continue
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        if resolved in dropped:
            root.remove(el)


def _core(root: etree._Element) -> None:
    for child in list(root):
        root.remove(child)


def _app(root: etree._Element) -> None:
    # TitlesOfParts repeats the title; HeadingPairs counts its entries
    for tag in ("Company", "Manager", "Template", "HyperlinkBase", "TitlesOfParts", "HeadingPairs"):
        for el in root.findall(f"{{{APP}}}{tag}"):
            root.remove(el)


_AUTHORED = etree.XPath("//*[@w:author or @w:initials]", namespaces={"w": W})
_BOUND = etree.XPath("//w:dataBinding", namespaces={"w": W})


def _word_part(root: etree._Element) -> None:
    author, date, initials = f"{{{W}}}author", f"{{{W}}}date", f"{{{W}}}initials"
    for el in _AUTHORED(root):
        if author in el.attrib:
            el.set(author, NEUTRAL_AUTHOR)
            el.attrib.pop(date, None)
        el.attrib.pop(initials, None)
    for el in _BOUND(root):                 # its store (customXml/) is dropped; the control keeps its text
        el.getparent().remove(el)


def _may_name_people(name: str, body: bytes) -> bool:
    """Whether a word/ part needs parsing: it names an author, is the settings part, or is not UTF-8
    (a UTF-16 part cannot be searched by bytes). Parsing the rest would only cost time."""
    return (name == "word/settings.xml" or b"author" in body or b"initials" in body or b"dataBinding" in body
            or body[:2] in (b"\xff\xfe", b"\xfe\xff"))


def _settings(root: etree._Element) -> None:
    for el in root.findall(f"{{{W}}}attachedTemplate"):       # its relationship is dropped with it
        root.remove(el)


def _media(name: str, data: bytes) -> bytes:
    if data.startswith(b"\xff\xd8\xff"):
        kind = "image/jpeg"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "image/png"
    elif data[:4] in (b"II*\x00", b"MM\x00*") or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        raise Refused("docx_image_format", name)
    else:
        return data                 # GIF, BMP, EMF/WMF, SVG: no camera tags to carry
    try:
        return reencode(data, kind)
    except NotAnImage:
        raise Refused("docx_damaged", name) from None


def strip(data: bytes) -> bytes:
    """``data`` (a DOCX, as sniffed) without its authors, dates, thumbnail and photo metadata; raises
    :class:`Refused` when that cannot be done safely."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = _read_all(z)
    except zipfile.BadZipFile:
        raise Refused("docx_damaged") from None
    names = {n for n, _ in parts}
    dropped = {n for n in names if _drop(n)}
    out_parts: dict[str, bytes] = {}
    for name, body in parts:
        if name in dropped:
            continue
        if name.endswith((".xml", ".rels")) and b"<!DOCTYPE" in body:
            raise Refused("docx_damaged", name)     # OOXML has no DTDs; one here is an entity bomb for a reader
        if name.endswith(".rels"):
            root = _xml(name, body)
            _relationships(name, root, dropped)
            body = _serialise(root)
        elif name == "[Content_Types].xml":
            root = _xml(name, body)
            _content_types(root, dropped)
            body = _serialise(root)
        elif name == "docProps/core.xml":
            root = _xml(name, body)
            _core(root)
            body = _serialise(root)
        elif name == "docProps/app.xml":
            root = _xml(name, body)
            _app(root)
            body = _serialise(root)
        elif name.startswith("word/") and name.endswith(".xml") and _may_name_people(name, body):
            root = _xml(name, body)
            _word_part(root)
            if name == "word/settings.xml":
                _settings(root)
            body = _serialise(root)
        elif name.startswith("word/media/"):
            body = _media(name, body)
        out_parts[name] = body
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, _ in parts:
            if name in out_parts:
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                z.writestr(info, out_parts[name])
    return out.getvalue()
