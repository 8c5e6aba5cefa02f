"""HTML (Jinja, autoescaped) to PDF with xhtml2pdf under a strict resource policy.

xhtml2pdf and ReportLab are imported on the first render, not with the app: about 25 MB that a
worker serving only pages never needs."""

from __future__ import annotations

import io
import threading
from pathlib import Path

from flask import current_app, make_response, render_template

from app.textclean import for_document

STATIC = Path(__file__).resolve().parent.parent / "static"
FONT_DIR = STATIC / "fonts"

# The font families the PDF templates name, with their files in app/static/fonts: regular, bold,
# italic, bold italic (a family without a face reuses its nearest one).
FONTS = {
    "Liberation Serif": ("LiberationSerif-Regular", "LiberationSerif-Bold", "LiberationSerif-Italic",
                         "LiberationSerif-BoldItalic"),
    "Liberation Sans": ("LiberationSans-Regular", "LiberationSans-Bold", "LiberationSans-Italic",
                        "LiberationSans-Bold"),
    "DejaVu Sans": ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans", "DejaVuSans-Bold"),
}  # fmt: skip
_STYLES = ((0, 0), (1, 0), (0, 1), (1, 1))  # (bold, italic) in the order of the files above
_fonts_lock = threading.Lock()
_fonts_ready = False


class PdfError(RuntimeError):
    pass


def register_fonts() -> None:
    """Make the shipped fonts known to ReportLab and xhtml2pdf, once per process.

    Declared with @font-face instead, every render re-parses the rules and reads and hashes each
    font file again (about 3.6 MB) before drawing a single line: half the time of a one-page
    letter. Registered once, the families are in every document's font table (xhtml2pdf copies
    `DEFAULT_FONT` into each one) and embed exactly as before."""
    global _fonts_ready
    if _fonts_ready:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from xhtml2pdf import default as xhtml2pdf_default

    with _fonts_lock:
        if _fonts_ready:
            return
        registered = set(pdfmetrics.getRegisteredFontNames())
        for family, files in FONTS.items():
            names = [f"Penkom-{stem}" for stem in files]
            for name, stem in zip(names, files, strict=True):
                if name not in registered:
                    pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{stem}.ttf")))
                    registered.add(name)
            for (bold, italic), name in zip(_STYLES, names, strict=True):
                addMapping(names[0], bold, italic, name)
            xhtml2pdf_default.DEFAULT_FONT[family.lower()] = names[0]
        _fonts_ready = True


def _link_callback(uri: str, rel: str) -> str:
    """Only files under app/static, addressed as /static/...; everything else resolves to nothing."""
    if uri.startswith("/static/"):
        path = (STATIC / uri[len("/static/") :]).resolve()
        if path.is_file() and STATIC in path.parents:
            return str(path)
    return ""


def html_to_pdf(html: str, name: str = "document") -> bytes:
    """One xhtml2pdf render of finished HTML; the shipped fonts are available by family name."""
    from xhtml2pdf import pisa
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    register_fonts()
    out = io.BytesIO()
    policy = ResourceAccessPolicy(allow_remote=False, base_dir=str(STATIC))
    result = pisa.CreatePDF(html, dest=out, link_callback=_link_callback, resource_policy=policy, encoding="utf-8")
    if result.err:
        current_app.logger.error("PDF render of %s failed: %s", name, result.log)
        raise PdfError(name)
    return out.getvalue()


def render_pdf(template: str, **context) -> bytes:
    """Render a Jinja template to PDF. Bidi and other format characters are removed from the whole
    document first: a U+202E in a subject must not reverse the fixed words around it."""
    return html_to_pdf(for_document(render_template(template, **context)), template)


def pdf_response(data: bytes, filename: str):
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
