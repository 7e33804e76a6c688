"""The desktop GUI: the only package that imports QtWidgets or pyqtgraph.

Rule for slow work: anything that may take more than a blink (imports, reports, big
queries) runs in a worker on ``QThreadPool`` that reports progress by signal and hands its
result back on the GUI thread; the GUI thread never waits on it.
"""
