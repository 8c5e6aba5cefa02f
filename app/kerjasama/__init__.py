"""Cooperation requests (kerja sama penilaian kompetensi): the register of incoming requests for assessors."""
