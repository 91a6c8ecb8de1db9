"""Copy whole pages from stored PDFs into one pack, stamping each, without parsing what the pages draw.

pypdf parses every object it copies; a WeasyPrint PDF keeps its fonts' glyph-width arrays in compressed
object streams, so copying 80 documents that way spends most of a second turning numbers into Python
objects and back. Here only the page tree, each page's dictionary and its resource dictionary are parsed;
every other object (fonts, width arrays, content streams, images) is copied as bytes, with its object
references renumbered by a scanner that skips strings. pypdf still reads the cross-reference tables,
decompresses object streams and writes the result.

A document this fast path cannot read (an unusual structure, encryption) is copied with pypdf's own
`add_page` instead: slower, same result.

Each page gets two small content streams around its own: "q" before and, after, "Q" followed by the
watermark (a Form XObject made once per pack) and its running number in Times-Roman (a standard PDF
font, nothing embedded). The page's own content streams are referenced unchanged.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
    read_object,
)

FONT_NAME = NameObject("/CfPackNumber")
WATERMARK_NAME = NameObject("/CfPackWatermark")
PAGE_NUMBER_FONT_SIZE = 12
# Top centre, 8 mm below the edge: the documents' own footers (page x of y, version, verification code) fill
# the bottom margin, and no template prints in the top centre of its top margin (14 mm or more).
PAGE_NUMBER_FROM_TOP = 8 * 72 / 25.4
_TIMES_WIDTHS = {" ": 250, "\x97": 1000, **{d: 500 for d in "0123456789"}}
_DROPPED_PAGE_KEYS = {"/Parent", "/Annots", "/StructParents", "/B", "/Thumb", "/PieceInfo"}
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")

_REF = re.compile(rb"(\d+)\s+(\d+)\s+R(?![A-Za-z0-9_#.*+-])")
_SPECIAL = re.compile(rb"[(<%]")
_EOL = re.compile(rb"[\r\n]")


def page_number_stream(number: int, width: float, height: float) -> bytes:
    """Centred "— n —" (em dashes in WinAnsiEncoding) at the top of a `width` × `height` page."""
    text = f"\x97 {number} \x97"
    text_width = sum(_TIMES_WIDTHS[ch] for ch in text) * PAGE_NUMBER_FONT_SIZE / 1000
    x = (width - text_width) / 2
    return (
        f"BT {FONT_NAME} {PAGE_NUMBER_FONT_SIZE} Tf 0 g {x:.2f} {height - PAGE_NUMBER_FROM_TOP:.2f} Td (".encode()
        + text.encode("latin-1")
        + b") Tj ET\n"
    )


def _string_end(raw: bytes, i: int) -> int:
    """End (exclusive) of the literal string, hex string or comment starting at raw[i]."""
    if raw[i] == 0x25:  # % comment, to the end of the line
        match = _EOL.search(raw, i)
        return match.end() if match else len(raw)
    if raw[i] == 0x3C:  # <hex string>
        end = raw.find(b">", i)
        return len(raw) if end < 0 else end + 1
    depth, j = 0, i
    while j < len(raw):  # (literal string) with nested parentheses and backslash escapes
        c = raw[j]
        if c == 0x5C:
            j += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return len(raw)


class _RawObject(PdfObject):
    """An object already serialised (references renumbered); written as is."""

    def __init__(self) -> None:
        self.data = b"null"

    def write_to_stream(self, stream, encryption_key=None) -> None:
        stream.write(self.data)

    def clone(self, pdf_dest, force_duplicate=False, ignore_fields=()):
        return self

    def hash_bin(self) -> int:
        return hash(self.data)


@dataclass
class SourcePage:
    """A page's dictionary entries (inherited ones filled in, references left unresolved) and its box."""

    attributes: dict
    width: float
    height: float
    left: float
    bottom: float


class _FastSource:
    """One stored PDF: the page tree parsed, every other object available as raw bytes."""

    def __init__(self, data: bytes) -> None:
        self.reader = PdfReader(io.BytesIO(data))
        if self.reader.is_encrypted:
            raise ValueError("encrypted")
        self._object_streams: dict[int, tuple[bytes, dict[int, tuple[int, int]]]] = {}
        self._generation = {idnum: gen for gen, entries in self.reader.xref.items() for idnum in entries}
        root = self.reader.trailer.raw_get("/Root")
        catalog = self.parse(root.idnum)
        self.pages: list[SourcePage] = []
        self._walk(dict.get(catalog, "/Pages"), {}, depth=0)

    def _object_stream(self, number: int):
        cached = self._object_streams.get(number)
        if cached is None:
            stream = self.reader.get_object(IndirectObject(number, 0, self.reader))
            data = stream.get_data()
            first, count = int(dict.get(stream, "/First")), int(dict.get(stream, "/N"))
            header = data[:first].split()
            ids = [int(x) for x in header[0 : 2 * count : 2]]
            offsets = [int(x) for x in header[1 : 2 * count : 2]] + [len(data) - first]
            spans = {idnum: (first + offsets[i], first + offsets[i + 1]) for i, idnum in enumerate(ids)}
            cached = self._object_streams[number] = (data, spans)
        return cached

    def body(self, idnum: int) -> bytes | PdfObject:
        """Raw bytes for an object inside an object stream; the parsed object (usually a stream) otherwise."""
        located = self.reader.xref_objStm.get(idnum)
        if located is not None:
            data, spans = self._object_stream(located[0])
            start, end = spans[idnum]
            return data[start:end].strip()
        return self.reader.get_object(IndirectObject(idnum, self._generation.get(idnum, 0), self.reader))

    def parse(self, idnum: int) -> PdfObject:
        body = self.body(idnum)
        if isinstance(body, bytes):
            return read_object(io.BytesIO(body), self.reader)
        return body

    def resolve(self, value):
        return self.parse(value.idnum) if isinstance(value, IndirectObject) else value

    def _walk(self, ref, inherited: dict, depth: int) -> None:
        if depth > 50:
            raise ValueError("page tree too deep")
        node = self.resolve(ref)
        if dict.get(node, "/Type") == "/Pages" or "/Kids" in node:
            passed = {**inherited, **{k: dict.get(node, k) for k in _INHERITED if k in node}}
            for kid in self.resolve(dict.get(node, "/Kids")):
                self._walk(kid, passed, depth + 1)
            return
        attributes = {**inherited, **dict(dict.items(node))}
        box = [float(v) for v in self.resolve(attributes["/MediaBox"])]
        self.pages.append(SourcePage(attributes, box[2] - box[0], box[3] - box[1], box[0], box[1]))


class PackWriter:
    """Builds the pack: pages copied from stored PDFs, each stamped with the watermark and its number."""

    def __init__(self) -> None:
        self.writer = PdfWriter()
        self.writer.pdf_header = "%PDF-1.7"  # what WeasyPrint writes; the stamps use transparency (≥ 1.4)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Times-Roman"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
        self.font_ref = self.writer._add_object(font)
        opening = DecodedStreamObject()
        opening.set_data(b"q\n")
        self.opening_ref = self.writer._add_object(opening)
        self.watermark_ref: IndirectObject | None = None
        self.overlay_size = (0.0, 0.0)

    # --- reading ---

    def open(self, data: bytes) -> _Document:
        try:
            return _FastDocument(self, _FastSource(data))
        except Exception:  # anything the fast path does not understand goes the slow, general way
            return _PypdfDocument(self, PdfReader(io.BytesIO(data)))

    # --- stamping ---

    def set_watermark(self, document: _Document, index: int) -> None:
        """Use page `index` of `document` (not added to the pack) as the watermark on every page."""
        content, resources, width, height = document.page_as_form(index)
        form = DecodedStreamObject()
        form.set_data(content)
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(
                    [FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(height)]
                ),
                NameObject("/Resources"): resources,
            }
        )
        self.watermark_ref = self.writer._add_object(form)
        self.overlay_size = (width, height)

    def closing_stream(self, number: int, width: float, height: float, left: float, bottom: float) -> IndirectObject:
        overlay_width, overlay_height = self.overlay_size
        dx = left + (width - overlay_width) / 2
        dy = bottom + (height - overlay_height) / 2
        stream = DecodedStreamObject()
        stream.set_data(
            f"Q\nq 1 0 0 1 {dx:.2f} {dy:.2f} cm {WATERMARK_NAME} Do Q\nq 1 0 0 1 {left:.2f} {bottom:.2f} cm\n".encode()
            + page_number_stream(number, width, height)
            + b"Q\n"
        )
        return self.writer._add_object(stream)

    def stamped_resources(self, resources: DictionaryObject, xobjects: DictionaryObject, fonts: DictionaryObject):
        """`resources` with the watermark and the number font added (sub-dictionaries already copied)."""
        xobjects[WATERMARK_NAME] = self.watermark_ref
        fonts[FONT_NAME] = self.font_ref
        resources[NameObject("/XObject")] = xobjects
        resources[NameObject("/Font")] = fonts
        return self.writer._add_object(resources)

    def add_outline_item(self, title: str, page_index: int, parent=None):
        return self.writer.add_outline_item(title=title, page_number=page_index, parent=parent)

    def write(self, title: str) -> bytes:
        self.writer.add_metadata({"/Title": title})
        buffer = io.BytesIO()
        self.writer.write(buffer)
        return buffer.getvalue()


class _Document:
    page_count: int

    def add_pages(self, first_number: int, indexes: range | None = None) -> None:
        raise NotImplementedError

    def page_as_form(self, index: int) -> tuple[bytes, PdfObject, float, float]:
        raise NotImplementedError


class _FastDocument(_Document):
    def __init__(self, pack: PackWriter, source: _FastSource) -> None:
        self.pack, self.source = pack, source
        self.page_count = len(source.pages)
        self._map: dict[int, IndirectObject] = {}
        self._todo: list[int] = []
        self._resources: dict[object, IndirectObject] = {}

    # copying objects

    def _ref(self, idnum: int) -> IndirectObject:
        ref = self._map.get(idnum)
        if ref is None:
            ref = self._map[idnum] = self.pack.writer._add_object(_RawObject())
            self._todo.append(idnum)
        return ref

    def _renumber(self, raw: bytes) -> bytes:
        def refs(segment: bytes) -> bytes:
            return _REF.sub(lambda m: b"%d 0 R" % self._ref(int(m.group(1))).idnum, segment)

        pieces, pos = [], 0
        while True:
            match = _SPECIAL.search(raw, pos)
            if match is None:
                pieces.append(refs(raw[pos:]))
                return b"".join(pieces)
            i = match.start()
            if raw[i] == 0x3C and raw[i + 1 : i + 2] == b"<":  # a dictionary, not a hex string
                pieces.append(refs(raw[pos : i + 2]))
                pos = i + 2
                continue
            pieces.append(refs(raw[pos:i]))
            end = _string_end(raw, i)
            pieces.append(raw[i:end])
            pos = end

    def _remap(self, value):
        """A parsed value with its references pointing at the copies (made on demand)."""
        if isinstance(value, IndirectObject):
            return self._ref(value.idnum)
        if isinstance(value, StreamObject):
            raise ValueError("direct stream")
        if isinstance(value, DictionaryObject):
            return DictionaryObject({NameObject(k): self._remap(v) for k, v in dict.items(value)})
        if isinstance(value, ArrayObject):
            return ArrayObject(self._remap(v) for v in value)
        return value

    def _serialise_stream(self, stream: StreamObject) -> bytes:
        buffer = io.BytesIO()
        buffer.write(b"<<")
        for key, value in dict.items(stream):
            if key == "/Length":
                continue
            NameObject(key).write_to_stream(buffer)
            buffer.write(b" ")
            self._remap(value).write_to_stream(buffer)
            buffer.write(b"\n")
        data = stream._data
        buffer.write(b"/Length %d>>\nstream\n" % len(data))
        buffer.write(data)
        buffer.write(b"\nendstream")
        return buffer.getvalue()

    def _flush(self) -> None:
        objects = self.pack.writer._objects
        while self._todo:
            idnum = self._todo.pop()
            body = self.source.body(idnum)
            target = objects[self._map[idnum].idnum - 1]
            if isinstance(body, bytes):
                target.data = self._renumber(body)
            elif isinstance(body, StreamObject):
                target.data = self._serialise_stream(body)
            else:
                buffer = io.BytesIO()
                self._remap(body).write_to_stream(buffer)
                target.data = buffer.getvalue()

    # pages

    def _stamped_resources(self, value) -> IndirectObject:
        """A copy of the page's resources with the stamps added; made once per resource dictionary."""
        key = value.idnum if isinstance(value, IndirectObject) else id(value)
        cached = self._resources.get(key)
        if cached is None:
            source = self.source.resolve(value) if value is not None else DictionaryObject()
            resources = DictionaryObject(
                {NameObject(k): self._remap(v) for k, v in dict.items(source) if k not in ("/XObject", "/Font")}
            )
            xobjects, fonts = (self._copied_dictionary(dict.get(source, k)) for k in ("/XObject", "/Font"))
            cached = self._resources[key] = self.pack.stamped_resources(resources, xobjects, fonts)
        return cached

    def _copied_dictionary(self, value) -> DictionaryObject:
        return DictionaryObject() if value is None else self._remap(self.source.resolve(value))

    def _contents(self, value) -> list:
        resolved = self.source.resolve(value) if isinstance(value, IndirectObject) else value
        if isinstance(resolved, ArrayObject):
            return [self._remap(v) for v in resolved]
        return [self._remap(value)]

    def add_pages(self, first_number: int, indexes: range | None = None) -> None:
        writer = self.pack.writer
        for offset, index in enumerate(indexes if indexes is not None else range(self.page_count)):
            page = self.source.pages[index]
            new = PageObject()
            for key, value in page.attributes.items():
                if key in _DROPPED_PAGE_KEYS or key in ("/Contents", "/Resources"):
                    continue
                new[NameObject(key)] = self._remap(value)
            new[NameObject("/Type")] = NameObject("/Page")
            new[NameObject("/Resources")] = self._stamped_resources(page.attributes.get("/Resources"))
            contents = self._contents(page.attributes["/Contents"]) if "/Contents" in page.attributes else []
            closing = self.pack.closing_stream(first_number + offset, page.width, page.height, page.left, page.bottom)
            new[NameObject("/Contents")] = ArrayObject([self.pack.opening_ref, *contents, closing])
            writer.add_page(new)
        self._flush()

    def page_as_form(self, index: int):
        page = self.source.pages[index]
        content = b"".join(
            self.source.resolve(ref).get_data() for ref in self._source_contents(page.attributes.get("/Contents"))
        )
        resources = self._remap(self.source.resolve(page.attributes.get("/Resources")) or DictionaryObject())
        self._flush()
        return content, resources, page.width, page.height

    def _source_contents(self, value) -> list:
        if value is None:
            return []
        resolved = self.source.resolve(value) if isinstance(value, IndirectObject) else value
        return list(resolved) if isinstance(resolved, ArrayObject) else [value]


class _PypdfDocument(_Document):
    """The general path: pypdf clones each page and everything it uses."""

    def __init__(self, pack: PackWriter, reader: PdfReader) -> None:
        self.pack, self.reader = pack, reader
        self.page_count = len(reader.pages)

    def add_pages(self, first_number: int, indexes: range | None = None) -> None:
        writer = self.pack.writer
        for offset, index in enumerate(indexes if indexes is not None else range(self.page_count)):
            page = writer.add_page(self.reader.pages[index])
            resources = page.get("/Resources")
            resources = DictionaryObject() if resources is None else DictionaryObject(resources.get_object())
            xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()))
            fonts = DictionaryObject(resources.get("/Font", DictionaryObject()))
            page[NameObject("/Resources")] = self.pack.stamped_resources(resources, xobjects, fonts)
            box = page.mediabox
            closing = self.pack.closing_stream(
                first_number + offset, float(box.width), float(box.height), float(box.left), float(box.bottom)
            )
            contents = page.get("/Contents")
            existing = []
            if contents is not None:
                resolved = contents.get_object()
                existing = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
            page[NameObject("/Contents")] = ArrayObject([self.pack.opening_ref, *existing, closing])

    def page_as_form(self, index: int):
        page = self.reader.pages[index]
        content = page.get_contents()
        resources = page["/Resources"].get_object().clone(self.pack.writer)
        box = page.mediabox
        data = content.get_data() if content is not None else b""
        return data, resources, float(box.width), float(box.height)
