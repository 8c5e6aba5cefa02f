"""Individual competency and potential reports: the assessor's narrative, QC, PDFs and batches on huey."""
