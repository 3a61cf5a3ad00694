"""HTML documentation of the ontology: one page, one anchor per term.

``render_html(graph)`` renders the ontology (with its alignments, when they are in the
graph) as a single self-contained HTML page. Each term of the ``pen:`` namespace gets an
element whose ``id`` is its local name, so ``/ontology#MissileLaunch`` lands on it.
Regenerate the committed page with::

    python -m kg.ontodoc > ontology/peninsula.html

Everything that comes from the ontology is escaped with ``html.escape``; the output is
deterministic (sorted), so a test can compare it with the committed file.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from html import escape
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS

from kg.namespaces import PEN, local_name
from kg.settings import data_dir

__all__ = ["document_terms", "load", "main", "render_html"]

ONTOLOGY_IRI = URIRef(str(PEN).rstrip("#"))
_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1b1b1b; }
h1 { margin-bottom: 0.2rem; } h2 { border-bottom: 2px solid #ccd; margin-top: 2.5rem; }
section.term { border-left: 3px solid #ccd; padding: 0.2rem 1rem; margin: 1.2rem 0; }
section.term:target { border-left-color: #c60; background: #fff8ef; }
h3 { margin: 0.3rem 0; } h3 code { font-weight: normal; color: #555; font-size: 0.85em; }
dl { display: grid; grid-template-columns: 11rem 1fr; gap: 0.1rem 1rem; margin: 0.4rem 0; }
dt { color: #555; } dd { margin: 0; }
code { font-size: 0.95em; } a { color: #0645ad; text-decoration: none; } a:hover { text-decoration: underline; }
ul.tree, ul.tree ul { list-style: none; padding-left: 1.2rem; } ul.tree { padding-left: 0; }
nav ul { columns: 2; }
"""


def _is_pen(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(PEN))


def _text(graph: Graph, term: Node, prop: URIRef) -> str | None:
    """The English (or untagged) value of an annotation, if any."""
    values = [v for v in graph.objects(term, prop) if isinstance(v, Literal)]
    values.sort(key=lambda v: (v.language not in (None, "en"), str(v)))
    return str(values[0]) if values else None


def _curie(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.curie(node, generate=False)
        except (KeyError, ValueError):
            return str(node)
    return str(node)


def _link(graph: Graph, node: Node) -> str:
    """A term as a link: to its anchor for ``pen:`` terms, to its IRI for others."""
    if _is_pen(node):
        assert isinstance(node, URIRef)
        label = _text(graph, node, RDFS.label)
        title = f' title="{escape(label)}"' if label else ""
        return f'<a href="#{escape(local_name(node))}"{title}><code>pen:{escape(local_name(node))}</code></a>'
    if isinstance(node, URIRef):
        return f'<a href="{escape(str(node))}"><code>{escape(_curie(graph, node))}</code></a>'
    if isinstance(node, Literal):
        return escape(str(node))
    return _class_expression(graph, node)


def _class_expression(graph: Graph, node: Node) -> str:
    """A short rendering of an anonymous class or property expression."""
    inverse = graph.value(node, OWL.inverseOf)
    if inverse is not None:
        return f"inverse of {_link(graph, inverse)}"
    return "(an anonymous expression)"


def _links(graph: Graph, nodes: Iterable[Node]) -> str:
    return ", ".join(_link(graph, n) for n in sorted(nodes, key=lambda n: (not _is_pen(n), str(n))))


def document_terms(graph: Graph) -> dict[str, list[URIRef]]:
    """The ``pen:`` terms to document, by section (classes, object properties, datatype
    properties, annotation properties, individuals), each list sorted by local name."""
    sections: dict[str, list[URIRef]] = {
        "Classes": [],
        "Object properties": [],
        "Datatype properties": [],
        "Individuals": [],
    }
    kinds = (
        (OWL.Class, "Classes"),
        (OWL.ObjectProperty, "Object properties"),
        (OWL.DatatypeProperty, "Datatype properties"),
    )
    seen: set[URIRef] = set()
    for kind, section in kinds:
        for term in graph.subjects(RDF.type, kind):
            if _is_pen(term) and term not in seen:
                assert isinstance(term, URIRef)
                sections[section].append(term)
                seen.add(term)
    classes = set(graph.subjects(RDF.type, OWL.Class))
    for term, cls in graph.subject_objects(RDF.type):
        if _is_pen(term) and term not in seen and (cls in classes or cls == OWL.NamedIndividual):
            assert isinstance(term, URIRef)
            sections["Individuals"].append(term)
            seen.add(term)
    for terms in sections.values():
        terms.sort(key=lambda t: local_name(t).lower())
    return sections


def _rows(graph: Graph, term: URIRef, section: str) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = [("IRI", f"<code>{escape(str(term))}</code>")]

    def add(name: str, nodes: Iterable[Node]) -> None:
        items = list(nodes)
        if items:
            rows.append((name, _links(graph, items)))

    internal = [n for n in graph.objects(term, RDFS.subClassOf) if _is_pen(n) or not isinstance(n, URIRef)]
    external: list[Node] = [
        n for n in graph.objects(term, RDFS.subClassOf) if isinstance(n, URIRef) and not _is_pen(n)
    ]
    if section == "Classes":
        add("Subclass of", internal)
        add("Subclasses", graph.subjects(RDFS.subClassOf, term))
        add(
            "Disjoint with", {*graph.objects(term, OWL.disjointWith), *graph.subjects(OWL.disjointWith, term)}
        )
        add("Instances", (i for i in graph.subjects(RDF.type, term) if _is_pen(i)))
        add("In the domain of", (p for p in graph.subjects(RDFS.domain, term) if _is_pen(p)))
        add("In the range of", (p for p in graph.subjects(RDFS.range, term) if _is_pen(p)))
    elif section == "Individuals":
        add("Type", graph.objects(term, RDF.type))
        add("Broader", graph.objects(term, SKOS.broader))
        add("Narrower", graph.subjects(SKOS.broader, term))
    else:
        sup = list(graph.objects(term, RDFS.subPropertyOf))
        add("Subproperty of", (p for p in sup if _is_pen(p)))
        add("Subproperties", graph.subjects(RDFS.subPropertyOf, term))
        add("Domain", graph.objects(term, RDFS.domain))
        add("Range", graph.objects(term, RDFS.range))
        characteristics = [
            name
            for kind, name in (
                (OWL.FunctionalProperty, "functional"),
                (OWL.TransitiveProperty, "transitive"),
                (OWL.SymmetricProperty, "symmetric"),
                (OWL.InverseFunctionalProperty, "inverse functional"),
            )
            if (term, RDF.type, kind) in graph
        ]
        if characteristics:
            rows.append(("Characteristics", escape(", ".join(characteristics))))
        external = [p for p in sup if not _is_pen(p)]
    alignments = [f"subsumed by {_link(graph, n)}" for n in sorted(external, key=str)]
    for prop in _MATCHES:
        for target in sorted(graph.objects(term, prop), key=str):
            alignments.append(f"{escape(_curie(graph, prop))} {_link(graph, target)}")
    if alignments:
        rows.append(("Alignments", "<br>".join(alignments)))
    comment = _text(graph, term, RDFS.comment)
    if comment:
        rows.append(("Note", escape(comment)))
    return rows


def _term_html(graph: Graph, term: URIRef, section: str) -> str:
    name = local_name(term)
    label = _text(graph, term, RDFS.label) or name
    definition = _text(graph, term, SKOS.definition)
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in _rows(graph, term, section))
    body = f"<p>{escape(definition)}</p>" if definition else ""
    return (
        f'<section class="term" id="{escape(name)}">\n'
        f"<h3>{escape(label)} <code>pen:{escape(name)}</code></h3>\n"
        f"{body}\n<dl>{rows}</dl>\n</section>\n"
    )


def _tree(graph: Graph, classes: list[URIRef]) -> str:
    """The pen: class hierarchy as nested lists (a class under each pen: superclass)."""
    members = set(classes)
    children: dict[Node, list[URIRef]] = {}
    roots: list[URIRef] = []
    for c in classes:
        parents = [p for p in graph.objects(c, RDFS.subClassOf) if p in members]
        if not parents:
            roots.append(c)
        for p in parents:
            children.setdefault(p, []).append(c)

    def branch(c: URIRef) -> str:
        kids = sorted(children.get(c, []), key=local_name)
        inner = f"<ul>{''.join(branch(k) for k in kids)}</ul>" if kids else ""
        return f"<li>{_link(graph, c)}{inner}</li>"

    return f'<ul class="tree">{"".join(branch(r) for r in sorted(roots, key=local_name))}</ul>'


def render_html(graph: Graph) -> str:
    """The documentation page of the ontology in ``graph`` (load peninsula.ttl and, for
    the alignments, alignments.ttl into it)."""
    title = _text(graph, ONTOLOGY_IRI, DCTERMS.title) or "Peninsula ontology"
    description = _text(graph, ONTOLOGY_IRI, DCTERMS.description) or ""
    version_iri = graph.value(ONTOLOGY_IRI, OWL.versionIRI)
    version = graph.value(ONTOLOGY_IRI, OWL.versionInfo)
    licence = graph.value(ONTOLOGY_IRI, DCTERMS.license)
    sections = document_terms(graph)
    meta = [("Ontology IRI", f"<code>{escape(str(ONTOLOGY_IRI))}</code>")]
    if version_iri is not None:
        meta.append(("Version IRI", f"<code>{escape(str(version_iri))}</code>"))
    if version is not None:
        meta.append(("Version", escape(str(version))))
    if licence is not None:
        meta.append(("Licence", f'<a href="{escape(str(licence))}">{escape(str(licence))}</a>'))
    meta.append(("Preferred prefix", f"<code>pen:</code> = <code>{escape(str(PEN))}</code>"))
    meta_html = "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in meta)
    nav = "".join(
        f'<li><a href="#{escape(_section_id(s))}">{escape(s)}</a> ({len(terms)})</li>'
        for s, terms in sections.items()
    )
    parts = [
        "<!DOCTYPE html>\n",
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n",
        f"<h1>{escape(title)}</h1>\n<p>{escape(description)}</p>\n<dl>{meta_html}</dl>\n",
        f"<nav><h2>Contents</h2><ul>{nav}</ul></nav>\n",
        f'<h2 id="class-tree">Class hierarchy</h2>\n{_tree(graph, sections["Classes"])}\n',
    ]
    for section, terms in sections.items():
        parts.append(f'<h2 id="{escape(_section_id(section))}">{escape(section)}</h2>\n')
        parts.extend(_term_html(graph, t, section) for t in terms)
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def _section_id(section: str) -> str:
    return "section-" + section.lower().replace(" ", "-")


def load(ontology_dir: Path | None = None) -> Graph:
    """The ontology and its alignments from ``ontology_dir`` (default: the distribution's)."""
    folder = ontology_dir if ontology_dir is not None else data_dir("ontology")
    graph = Graph()
    for name in ("peninsula.ttl", "alignments.ttl"):
        graph.parse(folder / name, format="turtle")
    return graph


def main() -> int:
    """``python -m kg.ontodoc > ontology/peninsula.html``."""
    sys.stdout.write(render_html(load()))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
