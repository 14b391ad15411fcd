"""Compare: one prompt sent to two to four columns, and where two columns' answers part ways.

Pure, no Streamlit: columns.py (each column's connection, model and overrides, and the limits
summed over them), links.py (columns in a share link), diff.py (two completions aligned token by
token), export.py (a comparison as one JSON document, its runs grouped for History).
"""
