"""Drawing a certificate as a PDF with embedded Unicode fonts.

Names are drawn as text with fpdf2, never interpreted as markup, and every
glyph comes from fonts shipped in Python packages (Noto Sans, with Noto
Sans Arabic and Hebrew as fallbacks for right-to-left names), embedded in
the file so that no viewer substitutes or fetches anything.
"""

from functools import cache
from pathlib import Path

from fpdf import FPDF

from course_engine.certificates.models import Certificate

FONT = "NotoSans"
FALLBACKS = ("NotoSansArabic", "NotoSansHebrew")


class FontMissing(RuntimeError):
    """A font the certificate embeds is not installed."""


def _rtl_font(file_prefix: str) -> Path:
    import justmytype_intl_rtl

    for folder in justmytype_intl_rtl.get_font_pack().get_font_directories():
        found = sorted(folder.rglob(f"{file_prefix}*.ttf"))
        if found:
            return found[0]
    raise FontMissing(f"justmytype-intl-rtl ships no {file_prefix} font")


@cache
def certificate_fonts() -> dict[str, Path]:
    """Return the font name → TTF path of the fonts the certificate embeds, or raise FontMissing."""
    try:
        import fontpkg

        return {
            FONT: fontpkg.path("Noto Sans"),
            "NotoSansArabic": _rtl_font("NotoSansArabic"),
            "NotoSansHebrew": _rtl_font("NotoSansHebrew"),
        }
    except (ImportError, LookupError) as error:
        raise FontMissing(
            f"Certificate fonts are missing ({error}); install the course-engine package "
            "with its dependencies (fontpkg-noto-sans, justmytype-intl-rtl)."
        ) from error


def _document() -> FPDF:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creator("Course engine")
    for name, path in certificate_fonts().items():
        pdf.add_font(name, fname=str(path))
    pdf.set_fallback_fonts(list(FALLBACKS))
    # Shaping joins Arabic letters and lays out right-to-left runs in order.
    pdf.set_text_shaping(True)
    return pdf


def _centred(pdf: FPDF, text: str, size: int, height: float) -> None:
    pdf.set_font(FONT, size=size)
    pdf.multi_cell(0, height, text, align="C", new_x="LMARGIN", new_y="NEXT")


def render(certificate: Certificate, verify_url: str) -> bytes:
    """Return the certificate as PDF bytes."""
    pdf = _document()
    pdf.set_title(f"Certificate: {certificate.course_title}")
    pdf.add_page()
    pdf.set_draw_color(40, 70, 120)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_margins(25, 25, 25)
    pdf.set_y(32)
    _centred(pdf, "Certificate of completion", 30, 16)
    pdf.ln(8)
    _centred(pdf, "This certifies that", 14, 8)
    pdf.ln(2)
    _centred(pdf, certificate.holder_name, 26, 13)
    pdf.ln(4)
    _centred(pdf, "has completed", 14, 8)
    pdf.ln(2)
    _centred(pdf, certificate.course_title, 20, 10)
    if certificate.tracks:
        pdf.ln(3)
        _centred(pdf, "Tracks completed: " + ", ".join(certificate.tracks), 12, 7)
    pdf.ln(6)
    _centred(pdf, f"Issued on {certificate.issued_at:%d %B %Y}", 12, 7)
    pdf.set_y(pdf.h - 42)
    _centred(pdf, f"Verification code: {certificate.code}", 12, 7)
    _centred(pdf, f"Check it at {verify_url}", 10, 6)
    return bytes(pdf.output())
