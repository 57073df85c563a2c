"""The parts of a long PDF report joined into one file (``dsar.exports.pdf_parts``).

pikepdf (qpdf) rather than pypdf: a tagged report has a structure element
per table cell, 100,000 objects for 10,000 records, which pypdf holds as
Python objects (550 MB) and writes one by one (six times the size); qpdf
holds them in C++ and writes them into compressed object streams.
"""

from __future__ import annotations

import io
from typing import Any

# Running heads and page numbers are pagination, not content: a screen reader
# skips them (PDF/UA-1, 7.8; ISO 32000-1, 14.8.2.2).
ARTIFACT = b"/Artifact <</Type /Pagination>> BDC\n"


def join(
    documents: list[bytes],
    out,
    bookmarks: list[tuple[int, str, int, float]],
    *,
    margins: bytes | None = None,
) -> None:
    """One PDF of the parts, with the front part's catalogue, one structure tree and the bookmarks.

    ``documents`` are the parts' PDFs, the front first (cover, contents, the
    attached JSON, the XMP metadata); ``bookmarks`` (level, label, page of the
    report, top in CSS pixels) are made again over the joined pages; page ``n``
    of ``margins``, when given, is drawn over page ``n`` of the report.
    """
    import pikepdf

    joined = pikepdf.Pdf.open(io.BytesIO(documents[0]))
    tree = joined.Root.StructTreeRoot
    document_element = tree.K[0]
    nums = tree.ParentTree.Nums
    next_key = max((int(key) for key in list(nums)[::2]), default=-1) + 1
    copied_streams: set = set()
    for data in documents[1:]:
        part = pikepdf.Pdf.open(io.BytesIO(data))
        _lighten_cells(part)
        base = len(joined.pages)
        # Copied pages and the structure elements that point to them (/Pg)
        # share qpdf's copy of each object: the elements find the new pages.
        joined.pages.extend(part.pages)
        own_tree = part.Root.StructTreeRoot
        for kid in own_tree.K[0].K:
            copied = joined.copy_foreign(kid)
            copied["/P"] = document_element
            document_element.K.append(copied)
        own_nums = list(own_tree.ParentTree.Nums)
        for position in range(0, len(own_nums), 2):
            nums.append(int(own_nums[position]) + next_key)
            value = own_nums[position + 1]  # a page's array of elements, or one annotation's element
            if value.is_indirect:
                nums.append(joined.copy_foreign(value))
            else:
                nums.append(pikepdf.Array([joined.copy_foreign(element) for element in value]))
        for index, page in enumerate(part.pages):
            target = joined.pages[base + index].obj
            if "/StructParents" in page.obj:
                target["/StructParents"] = int(page.obj.StructParents) + next_key
            for annotation in target.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation["/StructParent"] = int(annotation.StructParent) + next_key
        next_key += max((int(key) for key in own_nums[::2]), default=-1) + 1
        # qpdf reads a copied stream from its source when the file is saved:
        # copied now, each part can be closed (10 MB each, open).
        for page in list(joined.pages)[base:]:
            _own_streams(page.obj, copied_streams)
        part.close()
        del part, own_tree, own_nums
    tree["/ParentTreeNextKey"] = next_key

    overlay = pikepdf.Pdf.open(io.BytesIO(margins)) if margins is not None else None
    if overlay is not None:
        _draw_margins(joined, overlay)
    _outline(joined, bookmarks)
    joined.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    if overlay is not None:  # open until now: qpdf copies its streams while saving
        overlay.close()


def _lighten_cells(pdf) -> None:
    """Fewer objects for qpdf to hold: a table cell's text marked in the cell itself.

    WeasyPrint tags each run of text in a table cell as a Span element of its
    own, with nothing else in it, under the TD (or TH), and gives every cell
    its own copy of the same attributes (/O /Table and its column's /Headers).
    A screen reader reads the same table when the cell holds its marked
    content directly (ISO 32000-1, 14.7.2: a structure element's kids may be
    marked-content identifiers) and the cells of a column share one attribute
    dictionary. For 10,000 records that is 50,000 objects fewer, and 100 MB
    less for qpdf to hold while it joins (issue 17). A cell of any other
    shape is left as it is.
    """
    import pikepdf

    span, cells = pikepdf.Name.Span, (pikepdf.Name.TD, pikepdf.Name.TH)
    numbers = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    marked = dict(zip((int(key) for key in numbers[::2]), numbers[1::2], strict=True))
    page_keys = {page.obj.objgen: int(page.obj.StructParents) for page in pdf.pages if "/StructParents" in page.obj}
    seen: set = set()
    shared: dict[bytes, Any] = {}
    for elements in list(marked.values()):
        if not isinstance(elements, pikepdf.Array):  # an annotation's element
            continue
        for element in list(elements):
            cell = element.get("/P") if element.get("/S") == span else None
            if cell is None or cell.objgen in seen or cell.get("/S") not in cells or "/Pg" not in cell:
                continue
            seen.add(cell.objgen)
            page = cell.Pg.objgen
            identifiers = _span_identifiers(cell, page)
            if not identifiers or page not in page_keys:
                continue
            cell.K = identifiers[0] if len(identifiers) == 1 else pikepdf.Array(identifiers)
            for identifier in identifiers:
                marked[page_keys[page]][identifier] = cell
            attributes = cell.get("/A")
            if isinstance(attributes, pikepdf.Dictionary) and not attributes.is_indirect:
                key = attributes.unparse()
                if key not in shared:
                    shared[key] = pdf.make_indirect(attributes)
                cell["/A"] = shared[key]


def _span_identifiers(cell, page) -> list[int]:
    """The marked-content identifiers of a cell whose kids are all bare Spans
    on its page (WeasyPrint's shape), in order; empty for any other cell."""
    import pikepdf

    identifiers: list[int] = []
    for kid in cell.K if isinstance(cell.K, pikepdf.Array) else [cell.K]:
        if not (
            isinstance(kid, pikepdf.Dictionary)
            and kid.get("/S") == pikepdf.Name.Span
            and set(kid.keys()) == {"/Type", "/S", "/K", "/Pg", "/P"}
            and kid.Pg.objgen == page
            and isinstance(kid.K, pikepdf.Array)
            and all(isinstance(identifier, int) for identifier in kid.K)
        ):
            return []
        identifiers.extend(int(identifier) for identifier in kid.K)
    return identifiers


def _draw_margins(joined, overlay) -> None:
    """Draw each page of ``overlay`` (heads and page numbers) over the same page of ``joined``.

    Each becomes a form XObject placed over the page, inside a pagination
    artifact. The page's own drawing is wrapped in q/Q first: WeasyPrint leaves
    its coordinate system flipped at the end of a page.
    """
    import pikepdf

    if len(overlay.pages) != len(joined.pages):
        raise ValueError(f"{len(overlay.pages)} pages of margins for {len(joined.pages)} pages")
    save_state = joined.make_stream(b"q\n")
    # Not on the cover, which has none (report.css: @page :first).
    for page, margin in list(zip(joined.pages, overlay.pages, strict=True))[1:]:
        form = joined.copy_foreign(margin.as_form_xobject())
        name = page.add_resource(form, pikepdf.Name.XObject, prefix="Margins")
        placement = page.calc_form_xobject_placement(form, name, pikepdf.Rectangle(page.trimbox))
        page.contents_add(save_state, prepend=True)
        page.contents_add(joined.make_stream(b"Q\n" + ARTIFACT + placement + b"\nEMC\n"))


def _outline(joined, bookmarks: list[tuple[int, str, int, float]]) -> None:
    """The outline of one pass, made again over the joined pages: each heading
    under the last one of a higher level before it."""
    import pikepdf

    with joined.open_outline() as outline:
        outline.root.clear()
        parents: dict[int, Any] = {}
        for level, label, page_index, top in bookmarks:
            height = float(joined.pages[page_index].mediabox[3])
            item = pikepdf.OutlineItem(
                label,
                page_index,
                pikepdf.PageLocation.XYZ,
                left=0,
                top=height - top * 0.75,  # CSS pixels from the top to points from the bottom
            )
            parent = next((parents[above] for above in range(level - 1, 0, -1) if above in parents), None)
            (parent.children if parent is not None else outline.root).append(item)
            parents[level] = item
            for deeper in [key for key in parents if key > level]:
                del parents[deeper]


def _own_streams(start, seen: set) -> None:
    """Give every stream reachable from ``start`` (a copied page: its contents,
    fonts, images) its own copy of its data, still encoded, so that the part it
    came from can be closed before the joined file is written."""
    import pikepdf

    stack = [start]
    while stack:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array):
            continue
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, pikepdf.Stream):
            encoding: Any = item.get("/Filter"), item.get("/DecodeParms")
            item.write(item.read_raw_bytes(), filter=encoding[0], decode_parms=encoding[1])
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
        else:
            # Not back up the page tree or the structure tree: only what the page draws.
            stack.extend(item.get(key) for key in item.keys() if key not in ("/Parent", "/P", "/Pg"))
