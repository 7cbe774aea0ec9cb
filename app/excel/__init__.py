"""The kvalitetsplan appendix in Excel: pure export and import cores; the views and CLI only stream them."""
