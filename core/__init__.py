"""The toolbox every app uses; it knows no domain: PDF rendering with Thai text
(``pdf``, ``pdf_text_layer``), photos checked, re-encoded and served (``images``),
Thai dates and digits with their template tags (``thaidates``,
``templatetags.thaidate``), number parsing (``numbers``), the one-time form token
(``once``), the Thai-first locale middleware and JSON logging. It imports no app of
the project."""
