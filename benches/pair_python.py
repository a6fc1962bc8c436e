#!/usr/bin/env python3
"""Peer of `benches/bench.sh`: the typst Python binding (pip install typst, 0.15) compiling
siodoc's exported sources in one process, fonts loaded once, one document after another.

    pair_python.py SOURCES_DIR          prints: documents seconds
"""
import pathlib
import sys
import time

import typst

racine = pathlib.Path(sys.argv[1])
mains = sorted(racine.rglob("main.typ"))
# One compiler, fonts loaded once; only the input and its root change per document.
compilateur = typst.Compiler(font_paths=[str(racine / "fonts")], ignore_system_fonts=True)
debut = time.perf_counter()
for main in mains:
    pdf = compilateur.compile(input=str(main), root=str(main.parent), pdf_standards="a-2b")
    (main.parent / "python.pdf").write_bytes(pdf)
fin = time.perf_counter()
print(len(mains), f"{fin - debut:.3f}")
