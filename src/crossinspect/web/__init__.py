"""The local web page and HTTP API (``crossinspect serve``, SPEC §7).

Starlette, uvicorn and Jinja2 are imported only inside this package, which the library
and the other commands never import.
"""
