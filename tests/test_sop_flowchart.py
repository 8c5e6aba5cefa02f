"""The SOP document's flowchart: Ya/Tidak arrows to their targets, loops back along the side of the
table, off-page connectors across pages, labels clear of the symbols; checked on the SVG strips and on
the rendered page."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.documents.sop_pdf import build_rows, sop_pdf
from app.extensions import db
from app.models import Langkah, Pelaksana, Sop
from tests.conftest import uniq
from tests.test_seed_sops import SEEDS, seed


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.fixture
def dishub(app, ctx, create_unit, roles):
    """A Dinas Perhubungan route permit SOP: the counter's "berkas lengkap?" sends an incomplete file back to
    the applicant (a Tidak loop to an earlier row), the head of section's survey decision loops back to the
    survey, and the applicant's check on the next page loops back to the handover (across the page)."""
    unit = create_unit(nama="Dinas Perhubungan")
    sop = Sop(kode=uniq("dishub-izin-trayek-"), nama="Pelayanan Izin Trayek Angkutan Umum", nomor="551/01/DISHUB",
              instansi_id=unit.instansi_id, unit_kerja_id=unit.id)  # fmt: skip
    role = roles["pemohon"]
    names = ["Pemohon", "Petugas Loket", "Kasi Angkutan", "Kabid Angkutan", "Kepala Dinas"]
    actors = [Pelaksana(sop=sop, urutan=i, kode=f"a{i}", nama=n, role_id=role.id) for i, n in enumerate(names)]
    steps = [
        (1, "mulai", 0, "Mengajukan permohonan izin trayek beserta berkas persyaratan", {}),
        (2, "keputusan", 1, "Memeriksa kelengkapan berkas permohonan", {"ya_no": 3, "tidak_no": 1}),
        (3, "proses", 2, "Melakukan survei kelaikan kendaraan dan trayek", {}),
        (4, "keputusan", 3, "Menilai hasil survei", {"ya_no": 5, "tidak_no": 3}),
        (5, "proses", 4, "Menandatangani surat izin trayek", {}),
        (6, "proses", 1, "Menyerahkan surat izin trayek kepada pemohon", {}),
        (7, "keputusan", 0, "Memeriksa kesesuaian data pada surat izin", {"ya_no": 8, "tidak_no": 6}),
        (8, "selesai", 0, "Menerima surat izin trayek", {}),
    ]
    for no, simbol, actor, kegiatan, branches in steps:
        db.session.add(Langkah(sop=sop, no=no, simbol=simbol, pelaksana=actors[actor], kegiatan=kegiatan,
                               waktu="1 hari", **branches))  # fmt: skip
    db.session.add(sop)
    db.session.commit()
    return sop


def strips_of(sop):
    pages, col_w, lane_w, _returns = build_rows(sop)
    return pages, col_w, lane_w


def row(pages, no):
    return next(r for page in pages for r in page if r["step"].no == no)


def test_a_tidak_loop_runs_back_along_the_side_of_the_table(dishub):
    pages, col_w, lane_w = strips_of(dishub)
    assert lane_w > 0  # a lane area to the right of the actor columns
    actors_w = 5 * col_w
    decision, target = row(pages, 2)["strip"], row(pages, 1)["strip"]
    assert "loop" in decision.classes and "loop" in target.classes
    assert [text for text, _box in decision.labels] == ["Ya", "Tidak"]
    # The decision leaves its diamond to the right and climbs in the lane, beyond the actor columns ...
    lanes = [float(x) for x in re.findall(r'<line x1="([\d.]+)" y1="[\d.]+" x2="\1" y2="0.00"[^>]*class="loop"',
                                          decision.svg())]  # fmt: skip
    assert lanes and all(x > actors_w for x in lanes)
    # ... and enters the applicant's start symbol from the right with an arrowhead pointing at it.
    arrow = re.search(r'<polygon points="[\d.,\s]+ ([\d.]+),([\d.]+)" fill="black" class="loop"/>', target.svg())
    assert arrow is not None
    tip_x = float(arrow.group(1))
    start_symbol = target.symbols[0]
    assert abs(tip_x - start_symbol[2]) < 0.01  # the tip touches the capsule's right end
    # Ya goes straight down to the survey on the next row.
    assert "Ya" in [t for t, _b in decision.labels]


def test_a_branch_to_another_page_goes_through_lettered_connectors(dishub):
    pages, _col_w, _lane_w = strips_of(dishub)
    assert len(pages) == 2
    check, handover = row(pages, 7)["strip"], row(pages, 6)["strip"]
    assert "offpage" in check.classes and "offpage" in handover.classes
    letters = re.findall(r'font-size="2\.0" text-anchor="middle">([A-Z])</text>', check.svg())
    assert letters and letters[0] in re.findall(r'text-anchor="middle">([A-Z])</text>', handover.svg())
    # The flow from the last row of page 1 to the first row of page 2 has its own connector pair.
    bottom = re.findall(r'font-size="2\.4" text-anchor="middle">([A-Z])</text>', row(pages, 6)["strip"].svg())
    top = re.findall(r'font-size="2\.4" text-anchor="middle">([A-Z])</text>', check.svg())
    assert bottom and bottom == top and bottom[0] != letters[0]


@pytest.mark.parametrize("kode", [*SEEDS, "dishub"])
def test_labels_never_overlap_a_symbol(kode, request, ctx):
    sop = request.getfixturevalue("dishub") if kode == "dishub" else seed(kode)
    pages, _col_w, _lane_w = strips_of(sop)
    placed = 0
    for page in pages:
        for item in page:
            strip = item["strip"]
            for text, box in strip.labels:
                placed += 1
                assert box[0] >= 0 and box[2] <= strip.width + 0.01, (item["step"].no, text)
                for symbol in strip.symbols:
                    assert not _overlap(box, symbol), (kode, item["step"].no, text)
    if kode in ("dishub", "pemalang-kerjasama-penilaian-kompetensi", "tangerang-seleksi-mutasi-masuk"):
        assert placed >= 2  # the Ya/Tidak of their decisions


def test_every_branch_of_a_seed_sop_is_drawn(ctx):
    """Pemalang: Ya to step 4 skips a row (a jump in a lane), the rejection draft jumps to the review at
    step 6, and the reviewers' returns are dashed loops."""
    sop = seed("pemalang-kerjasama-penilaian-kompetensi")
    pages, _col_w, _lane_w = strips_of(sop)
    assert "jump" in row(pages, 2)["strip"].classes and "jump" in row(pages, 4)["strip"].classes
    assert "jump" in row(pages, 3)["strip"].classes
    assert 'stroke-dasharray="1,0.7"' in row(pages, 6)["strip"].svg()
    assert "akhir" in row(pages, 9)["strip"].classes  # "Tidak" ends the case at a small terminator


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_the_loop_is_on_the_rendered_page(dishub):
    """Rasterise the flowchart page and find the loop: a dark vertical run in the lane, to the right of
    the last actor column, from the decision's row up to the applicant's row."""
    from PIL import Image

    data = sop_pdf(dishub)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3 and "Memeriksa kelengkapan berkas" in reader.pages[1].extract_text()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sop.pdf"
        path.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "150", "-f", "2", "-l", "2", "-png", str(path), str(Path(tmp) / "p")],
                       check=True)  # fmt: skip
        image = Image.open(next(Path(tmp).glob("p*.png"))).convert("L")
    pages, col_w, lane_w = strips_of(dishub)
    dpmm = 150 / 25.4
    # The actor area starts after the No. and Kegiatan columns (10 mm page margin + 8 + 52 mm).
    left = 10 + 8 + 52
    lane_from, lane_to = int((left + 5 * col_w + 0.3) * dpmm), int((left + 5 * col_w + lane_w) * dpmm)
    width, height = image.size
    best = 0
    for x in range(lane_from, min(lane_to, width)):
        run = longest = 0
        for y in range(height):
            run = run + 1 if image.getpixel((x, y)) < 120 else 0
            longest = max(longest, run)
        best = max(best, longest)
    # Nothing else in the lane is more than a few millimetres tall (connectors are 3 mm): a run of more
    # than 10 mm is the loop climbing from the decision's row into the applicant's row.
    assert best > 10 * dpmm, best


def test_monitoring_form_prints_the_period_in_words_with_readable_columns(client, dishub, create_user):
    from tests.conftest import login

    login(client, create_user(["Pengawas"], dishub.unit_kerja).username)
    page = client.get(f"/monitoring/sop/{dishub.id}?periode=2026-S2").get_data(as_text=True)
    assert "Semester II 2026" in page
    response = client.get(f"/monitoring/pdf/{dishub.id}?periode=2026-S2")
    assert response.status_code == 200
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Periode: Semester II 2026" in text
    # Wide enough columns: an activity and the headers read whole, not broken letter by letter.
    assert "Memeriksa kelengkapan berkas permohonan" in text
    assert "Tindakan perbaikan" in text and "Persentil ke-90" in text
    quarter = client.get(f"/monitoring/pdf/{dishub.id}?periode=2026-T3")
    assert "Triwulan III 2026" in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(quarter.data)).pages)
