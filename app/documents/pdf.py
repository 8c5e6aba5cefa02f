"""HTML (Jinja, autoescaped) to PDF with xhtml2pdf under a strict resource policy."""

from __future__ import annotations

import io
from pathlib import Path

from flask import current_app, make_response, render_template
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from app.textclean import for_document

STATIC = Path(__file__).resolve().parent.parent / "static"


class PdfError(RuntimeError):
    pass


def _link_callback(uri: str, rel: str) -> str:
    """Only files under app/static, addressed as /static/...; everything else resolves to nothing."""
    if uri.startswith("/static/"):
        path = (STATIC / uri[len("/static/") :]).resolve()
        if path.is_file() and STATIC in path.parents:
            return str(path)
    return ""


def render_pdf(template: str, **context) -> bytes:
    """Render a Jinja template to PDF. Bidi and other format characters are removed from the whole
    document first: a U+202E in a subject must not reverse the fixed words around it."""
    html = for_document(render_template(template, **context))
    out = io.BytesIO()
    policy = ResourceAccessPolicy(allow_remote=False, base_dir=str(STATIC))
    result = pisa.CreatePDF(html, dest=out, link_callback=_link_callback, resource_policy=policy, encoding="utf-8")
    if result.err:
        current_app.logger.error("PDF render of %s failed: %s", template, result.log)
        raise PdfError(template)
    return out.getvalue()


def pdf_response(data: bytes, filename: str):
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
