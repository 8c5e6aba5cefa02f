"""Benchmark (not a test): median render time of a one-page letter and of every document template.

    .venv/bin/python scripts/bench_naskah.py [rounds]

Runs on a throw-away SQLite database; prints one line per template (final form: number, QR,
embedded fonts) and the baseline of the same run, an empty one-page letter, so figures from
different machines can be compared relative to it.
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.documents import naskah as svc  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Kasus, KasusPetugas, Pangkat, Pegawai, Sop, TemplateNaskah  # noqa: E402
from app.reference import init_database  # noqa: E402


def median_ms(fn, rounds: int) -> tuple[float, int]:
    times, pages = [], 0
    for _ in range(rounds):
        start = time.perf_counter()
        data = fn()
        times.append((time.perf_counter() - start) * 1000)

        pages = len(PdfReader(io.BytesIO(data)).pages)
    return statistics.median(times), pages


def main(rounds: int) -> None:
    tmp = tempfile.mkdtemp(prefix="penkom-bench-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "SERVER_NAME": "localhost"})
    with app.app_context():
        init_database()
        sop = db.session.execute(select(Sop).where(Sop.kode == "pemalang-kerjasama-penilaian-kompetensi")).scalar_one()
        unit = sop.unit_kerja
        rank = db.session.execute(select(Pangkat).where(Pangkat.golongan == "IV/c")).scalar_one()
        signer = Pegawai(nip="196403271992011002", nama="MA. Puntodewo", gelar_depan="Drs.", gelar_belakang="M.Si.",
                         unit_kerja=unit, pangkat=rank)  # fmt: skip
        kasus = Kasus(sop=sop, judul="Permohonan tenaga asesor BKPSDM Kabupaten Tegal", unit_kerja=unit,
                      status="selesai")  # fmt: skip
        db.session.add_all([signer, kasus])
        for i in range(3):
            person = Pegawai(nip=f"19860930201101100{i + 1}", nama=f"Asesor {i + 1}", unit_kerja=unit, pangkat=rank)
            db.session.add(KasusPetugas(kasus=kasus, pegawai=person, peran="Asesor SDMA"))
        db.session.commit()
        with app.test_request_context():
            print(f"rounds per document: {rounds}")
            print(f"{'document':<34}{'median ms':>10}{'pages':>7}")
            templates = db.session.execute(select(TemplateNaskah).order_by(TemplateNaskah.kode)).scalars().all()
            baseline = svc.create_draft(templates[0], None, unit, None, None, signer)
            baseline.kepada, baseline.isi, baseline.isi_penutup = "Yth. Penerima", "Isi surat satu paragraf.", ""
            baseline.nomor, baseline.tanggal, baseline.token = "800.1/0001/BKD/2026", svc.local_today(), "x" * 32
            ms, pages = median_ms(lambda: svc.render(baseline, final=True), rounds)
            print(f"{'baseline: one-page letter':<34}{ms:>10.0f}{pages:>7}")
            for i, template in enumerate(templates, start=2):
                item = svc.create_draft(template, None, unit, kasus, None, signer)
                item.kepada = "Kepala BKPSDM Kabupaten Tegal"
                item.nomor, item.tanggal, item.token = f"800.1/{i:04d}/BKD/2026", svc.local_today(), f"{i:032d}"
                ms, pages = median_ms(lambda item=item: svc.render(item, final=True), rounds)
                print(f"{template.kode:<34}{ms:>10.0f}{pages:>7}")
            long = svc.create_draft(templates[0], None, unit, kasus, None, signer)
            long.isi = "\n\n".join("Uraian kegiatan yang panjang. " * 30 for _ in range(10))
            long.nomor, long.tanggal, long.token = "800.1/0099/BKD/2026", svc.local_today(), "z" * 32
            ms, pages = median_ms(lambda: svc.render(long, final=True), rounds)
            print(f"{'long letter (Halaman X dari Y)':<34}{ms:>10.0f}{pages:>7}")
            with db.session.no_autoflush:
                draft = svc.create_draft(templates[0], None, unit, kasus, None, signer)
                ms, pages = median_ms(lambda: svc.render(draft, final=False), rounds)
            print(f"{'draft (DRAF mark, no QR)':<34}{ms:>10.0f}{pages:>7}")
            db.session.rollback()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
