"""Server-rendered HTML pages that other blueprints call, and the UI's read access to the graph.

Public functions (call them inside a Flask request or app context; they read the app's
``Settings`` from ``current_app.config["PENINSULA"]``):

``query_page(...) -> str``
    The HTML page of one canned query, for ``/queries/<name>`` when a browser asks for HTML
    (``server.canned``): title, description, a typed parameter form (GET to the same
    URL), the query text, the result as a table (or an error message) and download links
    per format. The caller parses parameters and runs the query; this only renders.

``query_index_html(entries) -> str``
    The gallery of canned queries, for ``/queries`` as HTML.

``error_html(status, message) -> str``
    An error page in the site's layout (no stack traces), for any blueprint.

``app_reader() -> Reader``
    How pages read the graph: always through the app's query engine
    (``server.endpoint.run``), so the query time limit and row cap apply, and the pages show
    whatever the endpoint serves: the published store or ``kg serve --data`` files.

The entity and article pages are ``server.entity_pages``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import current_app, render_template

from kg.engine.formats import OutputFormat
from kg.engine.interface import Result
from kg.errors import KGError
from kg.rdf.terms import Term
from kg.settings import Settings
from server.endpoint import run
from server.ui_cells import iris_in, table_cell
from server.ui_read import PREFIXES, Reader, labels_of

__all__ = [
    "FORMATS",
    "PREFIXES",
    "ParamField",
    "QueryEntry",
    "ResultTable",
    "app_reader",
    "error_html",
    "query_index_html",
    "query_page",
]

# Download links offered under a query's results: label → value of ``?format=``.
FORMATS: dict[str, str] = {"JSON": "json", "CSV": "csv", "TSV": "tsv", "XML": "xml"}


@dataclass(frozen=True)
class ParamField:
    """One parameter of a canned query, as the form shows it.

    ``datatype`` is one of 'iri', 'date', 'integer', 'decimal', 'boolean', 'string' (an
    xsd datatype IRI or ``xsd:``-prefixed name is accepted too); it picks the input type.
    ``value`` is what the form is filled with: the value the user sent, else the default.
    """

    name: str
    datatype: str = "string"
    value: str = ""
    description: str = ""
    default: str = ""


@dataclass(frozen=True)
class ResultTable:
    """A SELECT result ready to render. Cells are terms (``kg.rdf.terms.Term``), or None
    where a variable is unbound. ``truncated`` says the row cap cut it."""

    variables: Sequence[str]
    rows: Sequence[Sequence[Term | None]]
    truncated: bool = False


@dataclass(frozen=True)
class QueryEntry:
    """One canned query in the gallery listing."""

    name: str
    title: str
    description: str = ""
    params: Sequence[ParamField] = field(default_factory=tuple)


def _settings() -> Settings:
    settings = current_app.config["PENINSULA"]
    assert isinstance(settings, Settings)
    return settings


# ---------------------------------------------------------------- pages


def app_reader() -> Reader:
    """The current app's reader: its query engine (``server.endpoint.run``, the same worker
    pool, time limit and row cap as /sparql), whatever dataset the engine holds."""

    def run_on_engine(text: str, output: OutputFormat) -> Result:
        return run(text, output=output)

    return Reader(run_on_engine, _settings())


def query_page(
    *,
    name: str,
    title: str,
    description: str = "",
    params: Sequence[ParamField] = (),
    query_text: str = "",
    table: ResultTable | None = None,
    graph_text: str | None = None,
    error: str | None = None,
    formats: Mapping[str, str] | None = None,
    action: str | None = None,
) -> str:
    """The page of one canned query.

    ``table`` is the SELECT result (None before the form is submitted or on error);
    ``graph_text`` is a CONSTRUCT/DESCRIBE result shown as Turtle; ``error`` a message
    shown instead of results (e.g. "parameter 'date': not a date"). ``formats`` maps link
    labels to download URLs; by default they are ``/queries/<name>?<params>&format=<f>``
    for each of ``FORMATS``. ``action`` is the form's target (default ``/queries/<name>``).
    """
    settings = _settings()
    action = action or f"/queries/{name}"
    if formats is None:
        values = [(p.name, p.value) for p in params if p.value != ""]
        formats = {
            label: action + "?" + urlencode([*values, ("format", fmt)]) for label, fmt in FORMATS.items()
        }
    table_view = None
    if table is not None:
        try:
            labels = labels_of(app_reader(), iris_in(table.rows))
        except KGError:  # labels are a nicety; the table stands without
            labels = {}
        table_view = {
            "variables": list(table.variables),
            "rows": [[table_cell(v, labels, settings.base_iri) for v in row] for row in table.rows],
            "truncated": table.truncated,
        }
    return render_template(
        "query.html",
        name=name,
        title=title,
        description=description,
        params=[_field_view(p) for p in params],
        query_text=query_text,
        table=table_view,
        graph_text=graph_text,
        error=error,
        formats=formats,
        action=action,
    )


def query_index_html(entries: Sequence[QueryEntry]) -> str:
    """The gallery listing of canned queries, each linking to ``/queries/<name>``."""
    return render_template("queries.html", entries=entries)


def error_html(status: int, message: str) -> str:
    """An error page in the site's layout."""
    return render_template("error.html", status=status, message=message)


_INPUT_TYPES = {
    "date": "date",
    "integer": "number",
    "int": "number",
    "nonnegativeinteger": "number",
    "positiveinteger": "number",
    "decimal": "number",
    "double": "number",
    "float": "number",
    "iri": "url",
    "anyuri": "url",
    "string": "text",
    "boolean": "checkbox",
}


def _field_view(p: ParamField) -> dict[str, Any]:
    kind = p.datatype.rsplit("#", 1)[-1].removeprefix("xsd:").lower()
    return {
        "name": p.name,
        "datatype": p.datatype.rsplit("#", 1)[-1].removeprefix("xsd:"),
        "input_type": _INPUT_TYPES.get(kind, "text"),
        "step": "any" if kind in {"decimal", "double", "float"} else None,
        "min": "0" if kind in {"nonnegativeinteger", "positiveinteger"} else None,
        "value": p.value,
        "checked": p.value.lower() in {"true", "1"},
        "description": p.description,
        "default": p.default,
    }
