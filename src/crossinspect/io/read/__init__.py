"""Read the input workbook (``.xlsx`` or a folder of ``.csv`` files) into ``InputBook``.

One job a module:

- ``limits``: the limits an input must keep, and the checks that apply them before a
  file is parsed (size, zip and XML bombs, encrypted and old binary workbooks);
- ``xlsx`` and ``csv``: decoding a workbook or a folder of CSV files into row tables
  (``tables``);
- ``sheets``: finding the input sheets, their headers and the cells a spreadsheet mangled;
- ``book``: building the ``InputBook`` records from the sheets, and the entry points.
"""

from .book import read_input, read_input_report, read_input_with_warnings

__all__ = ["read_input", "read_input_report", "read_input_with_warnings"]
