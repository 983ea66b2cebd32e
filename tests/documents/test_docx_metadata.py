"""A DOCX attached to a case loses who wrote it (author, last editor, company, manager, template path,
reviewers' and commenters' names and dates), its thumbnail and its photos' GPS — and still opens with its
text and tracked changes as they were. A package that cannot be cleaned safely (macros, a password,
embedded objects, a zip bomb, a part named to escape) is refused with a 422 naming the file and the part,
and nothing is stored."""
from __future__ import annotations

import hashlib
import io
import re
import zipfile

import pytest
import requests
from docx import Document
from lxml import etree
from PIL import Image

PASSWORD = "documents-test-password"      # the inspector's (conftest.py: `case`)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
AUTHOR_TRACES = ("Иванова", "Петров", "Средняя школа", "Директор", "C:\\Users", "ivanova.s", "PhoneMaker")


def _photo_with_gps() -> bytes:
    img = Image.new("RGB", (40, 30), (200, 50, 50))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (43.0, 15.0, 0.0), 3: "E", 4: (76.0, 55.0, 0.0)}     # Almaty
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _rewrite(data: bytes, change) -> bytes:
    """The package with its parts changed by ``change(parts: dict)`` (name → bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    change(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


def _add_part(parts, name, body, content_type, rels, rel_type, target):
    parts[name] = body.encode() if isinstance(body, str) else body
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode())
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdT{len(parts)}" Type="{rel_type}" Target="{target}"/></Relationships>'.encode())


def authored_docx() -> bytes:
    """A DOCX as a school's Word leaves it: author and editor, company and manager, a template under the
    author's profile, custom properties, a comment and tracked changes by named people, people.xml, a
    thumbnail (python-docx's template has one) and a phone photo with its GPS."""
    d = Document()
    d.core_properties.author = "Иванова Сауле"
    d.core_properties.last_modified_by = "Петров Пётр"
    d.core_properties.title = "Акт обследования — Иванова"
    d.add_paragraph("Акт обследования условий жизни ребёнка.")
    p = d.add_paragraph("Замечание школы.")
    d.add_comment(p.runs, text="уточнить у классного руководителя", author="Петров Пётр", initials="ПП")
    tracked = etree.fromstring(
        f'<w:p xmlns:w="{W}"><w:ins w:id="91" w:author="Иванова Сауле" w:date="2026-11-30T10:00:00Z">'
        f'<w:r><w:t>Добавленная строка.</w:t></w:r></w:ins>'
        f'<w:del w:id="92" w:author="Петров Пётр" w:date="2026-11-30T11:00:00Z">'
        f'<w:r><w:delText>Удалённая строка.</w:delText></w:r></w:del></w:p>')
    body = d.element.body
    body.insert(len(body) - 1, tracked)                       # before sectPr
    d.add_picture(io.BytesIO(_photo_with_gps()))
    out = io.BytesIO()
    d.save(out)

    def author(parts):
        app = parts["docProps/app.xml"].decode()
        app = app.replace("<Manager/>", "<Manager>Директор Ахметов</Manager>")
        app = app.replace("<Company/>", "<Company>Средняя школа № 12</Company>")
        app = app.replace("<Template>Normal.dotm</Template>", "<Template>ivanova.s-Акт.dotx</Template>")
        parts["docProps/app.xml"] = app.encode()
        _add_part(parts, "docProps/custom.xml",
                  '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
                  'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                  '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Owner">'
                  '<vt:lpwstr>Иванова С.</vt:lpwstr></property></Properties>',
                  "application/vnd.openxmlformats-officedocument.custom-properties+xml", "_rels/.rels",
                  "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties",
                  "docProps/custom.xml")
        _add_part(parts, "word/people.xml",
                  '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
                  '<w15:person w15:author="Петров Пётр"><w15:presenceInfo w15:providerId="AD" '
                  'w15:userId="ivanova.s@school12.kz"/></w15:person></w15:people>',
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml",
                  "word/_rels/document.xml.rels", "http://schemas.microsoft.com/office/2011/relationships/people",
                  "people.xml")
        parts["word/settings.xml"] = parts["word/settings.xml"].replace(
            b"<w:zoom", b'<w:attachedTemplate r:id="rIdTpl"/><w:zoom', 1)
        parts["word/_rels/settings.xml.rels"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rIdTpl" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'attachedTemplate" Target="file:///C:\\Users\\ivanova.s\\AppData\\Roaming\\Microsoft\\Templates\\'
            b'Normal.dotm" TargetMode="External"/></Relationships>')
    return _rewrite(out.getvalue(), author)


def _unpacked(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def test_a_docx_is_stored_without_its_authors_company_thumbnail_and_photo_gps_and_still_opens(case, make_user):
    police, started = case
    original = authored_docx()
    before = _unpacked(original)
    assert "docProps/thumbnail.jpeg" in before and b"PhoneMaker" in before["word/media/image1.jpg"]
    assert all(any(t.encode() in body for body in before.values()) for t in AUTHOR_TRACES)   # the traces are there

    r = police.post(f"/cases/{started['case_id']}/documents", files={"file": ("акт.docx", original)})
    assert r.status_code == 201, r.text
    doc = r.json()
    stored = police.get(f"/documents/{doc['id']}").content
    assert hashlib.sha256(stored).hexdigest() == doc["sha256"] and doc["size"] == len(stored) != len(original)

    parts = _unpacked(stored)
    for trace in AUTHOR_TRACES:
        assert not [n for n, body in parts.items() if trace.encode() in body], trace
    assert not [n for n in parts if n.startswith("docProps/thumbnail") or n in ("docProps/custom.xml",
                                                                                 "word/people.xml")]
    every_reference = b"".join(body for n, body in parts.items() if n.endswith(".rels") or n.endswith("].xml"))
    assert b"thumbnail" not in every_reference and b"custom.xml" not in every_reference
    assert b"people.xml" not in every_reference and b"attachedTemplate" not in every_reference
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zipfile.ZipFile(io.BytesIO(stored)).infolist())
    photo = Image.open(io.BytesIO(parts["word/media/image1.jpg"]))
    assert 0x8825 not in photo.getexif() and photo.size == (40, 30)

    # still a document Word's readers open, with its text and its tracked changes as they were
    opened = Document(io.BytesIO(stored))
    props = opened.core_properties
    assert (props.author, props.last_modified_by, props.title, props.created) == ("", "", "", None)
    assert [p.text for p in opened.paragraphs][:2] == ["Акт обследования условий жизни ребёнка.", "Замечание школы."]
    assert [(c.author, c.initials, c.text) for c in opened.comments] == [
        ("Author", None, "уточнить у классного руководителя")]
    body = etree.fromstring(parts["word/document.xml"])
    ins, dele = body.find(f".//{{{W}}}ins"), body.find(f".//{{{W}}}del")
    assert ins.get(f"{{{W}}}author") == dele.get(f"{{{W}}}author") == "Author"
    assert ins.get(f"{{{W}}}date") is None
    assert "".join(ins.itertext()) == "Добавленная строка." and "".join(dele.itertext()) == "Удалённая строка."
    assert len(opened.inline_shapes) == 1

    events = police.get(f"/process-instances/{started['id']}/events").json()["items"]
    assert [e["data"]["sha256"] for e in events if e["type"] == "document_attached"] == [doc["sha256"]]


def _macro_docx() -> bytes:
    def macros(parts):
        parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 Attribute VB_Name = \"NewMacros\""
    return _rewrite(authored_docx(), macros)


def _embedded_docx() -> bytes:
    def embed(parts):
        _add_part(parts, "word/embeddings/Microsoft_Excel_Worksheet.xlsx", b"PK\x03\x04 a workbook",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "word/_rels/document.xml.rels",
                  "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package",
                  "embeddings/Microsoft_Excel_Worksheet.xlsx")
    return _rewrite(authored_docx(), embed)


def _encrypted() -> bytes:
    # how Word saves a password-protected .docx: a compound file holding the encrypted package
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64


def _zip(entries) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                                          b'content-types"/>')
        z.writestr("word/document.xml", f'<w:document xmlns:w="{W}"/>')
        for name, body in entries:
            z.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize("kind,build,code,part", [
    ("macros", _macro_docx, "docx_macros", "word/vbaProject.bin"),
    ("embedded workbook", _embedded_docx, "docx_embedded", "embeddings/Microsoft_Excel_Worksheet.xlsx"),
    ("password", _encrypted, "docx_encrypted", ""),
    ("zip bomb", lambda: _zip([("word/bomb.xml", b"\x00" * (65 * 1024 * 1024))]), "docx_too_big_unpacked",
     "word/bomb.xml"),
    ("path traversal", lambda: _zip([("../../etc/cron.d/x", b"x")]), "docx_bad_part_name", "../../etc/cron.d/x"),
    ("too many parts", lambda: _zip([(f"word/p{i}.xml", b"<x/>") for i in range(1000)]), "docx_too_many_parts", ""),
    ("a DTD", lambda: _zip([("word/styles.xml", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')]), "docx_damaged",
     "word/styles.xml"),
])
def test_a_docx_that_cannot_be_cleaned_safely_is_refused_naming_the_file_and_nothing_is_stored(
        case, documents_dir, kind, build, code, part):
    police, started = case
    data = build()
    assert len(data) < 5 * 1024 * 1024
    r = police.post(f"/cases/{started['case_id']}/documents", files={"file": ("Акт Ивановой.docx", data)})
    assert r.status_code == 422 and r.headers["Content-Type"].startswith("application/problem+json"), r.text
    problem = r.json()
    assert problem["code"] == "docx_refused"
    error = problem["errors"][0]
    assert (error["field"], error["code"]) == ("file", code)
    assert "Акт Ивановой.docx" in error["message"] and part in error["message"], error
    assert police.get(f"/cases/{started['case_id']}/documents").json()["items"] == []
    assert not documents_dir.exists() or not [p for p in documents_dir.rglob("*") if p.is_file()]


def test_the_case_page_says_which_file_was_refused_and_why_in_russian(case, server):
    police, started = case
    s = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', s.get(server + "/login").text).group(1)
    s.post(server + "/login", data={"username": "inspector", "password": PASSWORD, "csrf_token": token})
    page = s.get(f"{server}/cases/{started['case_id']}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = s.post(f"{server}/cases/{started['case_id']}/documents", data={"csrf_token": token},
                     files={"file": ("отчёт.docm", _macro_docx())})
    assert refused.status_code == 200
    assert "отчёт.docx" in refused.text and "word/vbaProject.bin" in refused.text and "макрос" in refused.text


COVER_TRACES = ("мкр. Самал-2, д. 7", "+7 727 255 12 12", "ivanova.s@school12.kz", "Жалоба матери Ивановой",
                "Ахметова Динара", "i:0#.w|school12\\akhmetova")


def cover_page_docx() -> bytes:
    """A DOCX with a cover page as Word's gallery makes it: its properties (company address, phone, e-mail,
    abstract) in customXml/item1.xml, one content control on the page bound to the address; and SharePoint's
    metadata of a document library (the person it is assigned to, with their account) in customXml/item2.xml."""
    d = Document()
    d.add_paragraph("Акт обследования.")
    control = etree.fromstring(
        f'<w:sdt xmlns:w="{W}"><w:sdtPr><w:alias w:val="Адрес организации"/>'
        f'<w:dataBinding w:prefixMappings="xmlns:ns0=\'http://schemas.microsoft.com/office/2006/coverPageProps\'" '
        f'w:xpath="/ns0:CoverPageProperties[1]/ns0:CompanyAddress[1]" '
        f'w:storeItemID="{{55AF091B-3C7A-41E3-B477-F2FDAA23CFDA}}"/></w:sdtPr>'
        f'<w:sdtContent><w:p><w:r><w:t>Адрес на титульном листе</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    body = d.element.body
    body.insert(len(body) - 1, control)
    out = io.BytesIO()
    d.save(out)

    def store(parts):
        items = {
            1: ('<CoverPageProperties xmlns="http://schemas.microsoft.com/office/2006/coverPageProps">'
                '<PublishDate>2026-11-30</PublishDate><Abstract>Жалоба матери Ивановой</Abstract>'
                '<CompanyAddress>мкр. Самал-2, д. 7</CompanyAddress><CompanyPhone>+7 727 255 12 12</CompanyPhone>'
                '<CompanyFax/><CompanyEmail>ivanova.s@school12.kz</CompanyEmail></CoverPageProperties>',
                "{55AF091B-3C7A-41E3-B477-F2FDAA23CFDA}"),
            2: ('<p:properties xmlns:p="http://schemas.microsoft.com/office/2006/metadata/properties" '
                'xmlns:pc="http://schemas.microsoft.com/office/infopath/2007/PartnerControls"><documentManagement>'
                '<AssignedTo xmlns="http://schemas.microsoft.com/sharepoint/v3"><UserInfo>'
                '<DisplayName>Ахметова Динара</DisplayName><AccountId>i:0#.w|school12\\akhmetova</AccountId>'
                '</UserInfo></AssignedTo></documentManagement></p:properties>',
                "{6C4D4C3E-2B0A-4C2F-9C1E-1A2B3C4D5E6F}"),
        }
        for n, (xml, store_id) in items.items():
            _add_part(parts, f"customXml/item{n}.xml", xml, "application/xml", "word/_rels/document.xml.rels",
                      "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
                      f"../customXml/item{n}.xml")
            parts[f"customXml/itemProps{n}.xml"] = (
                f'<?xml version="1.0" encoding="UTF-8" standalone="no"?><ds:datastoreItem ds:itemID="{store_id}" '
                f'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>').encode()
            parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
                b"</Types>", f'<Override PartName="/customXml/itemProps{n}.xml" ContentType="application/'
                             f'vnd.openxmlformats-officedocument.customXmlProperties+xml"/></Types>'.encode())
            parts[f"customXml/_rels/item{n}.xml.rels"] = (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
                f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                f'openxmlformats.org/officeDocument/2006/relationships/customXmlProps" Target="itemProps{n}.xml"/>'
                f'</Relationships>').encode()
    return _rewrite(out.getvalue(), store)


def test_a_docx_loses_its_cover_page_properties_and_sharepoint_metadata_and_keeps_its_text(case):
    police, started = case
    original = cover_page_docx()
    assert all(any(t.encode() in body for body in _unpacked(original).values()) for t in COVER_TRACES)
    r = police.post(f"/cases/{started['case_id']}/documents", files={"file": ("акт.docx", original)})
    assert r.status_code == 201, r.text
    stored = police.get(f"/documents/{r.json()['id']}").content

    parts = _unpacked(stored)
    for trace in COVER_TRACES:
        assert not [n for n, body in parts.items() if trace.encode() in body], trace
    assert not [n for n in parts if n.startswith("customXml/")]
    every_reference = b"".join(body for n, body in parts.items() if n.endswith(".rels") or n.endswith("].xml"))
    assert b"customXml" not in every_reference
    assert b"dataBinding" not in parts["word/document.xml"]
    opened = Document(io.BytesIO(stored))            # still opens; the bound control keeps the text it showed
    assert "Адрес на титульном листе" in "".join(opened.element.body.itertext())
    assert opened.paragraphs[0].text == "Акт обследования."
