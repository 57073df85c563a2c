"""Exports of a subject's data: the JSON document (with its published JSON
Schema), the CSV zip for portability and the PDF report.

The functions here take plain data (the controller's details as a dict, the
register as built by ``dsar.exports.register``, a ``Job``, a language) and
know nothing of tickets. Files are written encrypted at rest (``storage``).
"""
