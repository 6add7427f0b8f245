"""The staff web app's pages: each module builds plain context objects for one template.

Page functions take a :class:`~auditor.simulator.pages.base.ViewContext` (index, viewer,
served moment) and return a :class:`~auditor.simulator.pages.base.Page`; they never render
HTML and never read the real clock. They raise ``Forbidden`` / ``NotFound``
(:mod:`auditor.simulator.access`) for 403 / 404.
"""
