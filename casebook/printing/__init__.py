"""Print: the HTML for the handouts and handbooks, laid out by WeasyPrint and composed with qpdf."""
