"""一图读懂: a publishable picture of a report's checked numbers (PNG, SVG with text as text, PDF A4).

content.py decides what is shown (pure); fonts.py finds a CJK font on the machine; draw.py draws with matplotlib;
summary.py is collect's writer of the 汇总's picture. An adapter at the edge: the core knows nothing of it.
"""
