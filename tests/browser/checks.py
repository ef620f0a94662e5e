"""What the browser tests check on every page: axe-core's accessibility rules (the npm
package's file, injected through the DevTools protocol: nothing is fetched and no page
loads it), horizontal overflow, and English left on a page in another language."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

import opennps
import opennps.web
from opennps.web._catalogues import APPS

AXE = Path(__file__).with_name("fixtures") / "axe-core" / "axe.min.js"
AXE_SHA256 = "880970c081707360e64f34cea25ff91892f5bc95675b0776925b9709dd8a68bb"
SERIOUS = ("serious", "critical")
# What a page shows that is the user's data, not the interface: comments and their terms,
# names of surveys, people, properties and tags, and the language switcher (each language
# by its own name).
DATA = ("blockquote", "q", ".contrast tbody th", ".key-terms", ".suggestion", ".survey-title h1",
        ".breadcrumbs", ".survey-card h2", ".properties", ".property", ".tag-list", ".who",
        ".comment", "td.example", "[lang]:not(html)", ".url", "code", "textarea",
        ".theme-form summary strong", ".theme-form summary .muted")


@cache
def axe_source() -> str:
    source = AXE.read_bytes()
    assert hashlib.sha256(source).hexdigest() == AXE_SHA256, f"{AXE} is not axe-core 4.10.3"
    return source.decode("utf-8")


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations of WCAG 2.1 A/AA and best practice."""
    page.evaluate(axe_source() + "\n;undefined")
    result = page.evaluate("""async () => {
        const found = await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                            "best-practice"]},
            resultTypes: ["violations"]});
        return found.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    }""")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in result
            if v["impact"] in SERIOUS]


def overflow(page: Any) -> list[str]:
    """The elements that stick out of the page sideways, if the page scrolls sideways."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= width) return [];
        return [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .filter(e => !e.closest(".scroll, .tabs"))
            .map(e => e.tagName.toLowerCase() + "." + e.className).slice(0, 8);
    }""")


@cache
def english_messages(language: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Every English msgid of the service's and the library's catalogues that has a
    different translation in ``language``, as a pattern a text must match as a whole
    (placeholders match anything)."""
    web = Path(opennps.web.__file__).parent
    files = [web / "locale", *(web / app / "locale" for app in APPS)]
    paths = [folder / language / "LC_MESSAGES" / "django.po" for folder in files]
    paths.append(Path(opennps.__file__).parent / "locale" / language / "LC_MESSAGES"
                 / "opennps.po")
    found: dict[str, re.Pattern[str]] = {}
    same: set[str] = set()  # a name kept as it is in some catalogue ("Net Promoter Score")
    for path in paths:
        with path.open("rb") as source:
            for message in read_po(source, locale=language):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = (message.string if isinstance(message.string, tuple)
                           else (message.string,))
                for msgid in ids:
                    if not msgid or msgid in strings:
                        same.add(" ".join(msgid.split()))
                        continue
                    text = " ".join(msgid.split())
                    literal = re.sub(r"%\(\w+\)s|\{\w*(?:![rsa])?(?::[^}]*)?\}", " ", text)
                    if not re.search(r"[A-Za-z]{3}", literal):
                        continue  # a number, a code, a placeholder: nothing to translate
                    parts = re.split(r"(%\(\w+\)s|\{\w*(?:![rsa])?(?::[^}]*)?\})", text)
                    pattern = "".join(".+?" if i % 2 else re.escape(part)
                                      for i, part in enumerate(parts))
                    found[text] = re.compile(pattern)
    return tuple((text, pattern) for text, pattern in found.items() if text not in same)


def visible_texts(page: Any) -> list[str]:
    """The texts the page shows (text nodes, option labels, accessible names of charts and
    controls), outside the user's data."""
    return page.evaluate("""(data) => {
        const skip = e => e.closest(data);
        const out = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const e = node.parentElement;
            const text = node.textContent.replace(/\\s+/g, " ").trim();
            if (!text || !e || skip(e) || e.closest("script, style")) continue;
            if (e.tagName !== "OPTION" && !e.closest("svg, details")
                && !e.checkVisibility({visibilityProperty: true})) continue;
            out.push(text);
        }
        for (const e of document.querySelectorAll("[aria-label], [title], [placeholder]")) {
            if (skip(e)) continue;
            for (const name of ["aria-label", "title", "placeholder"]) {
                const value = (e.getAttribute(name) || "").replace(/\\s+/g, " ").trim();
                if (value) out.push(value);
            }
        }
        return out;
    }""", ", ".join(DATA))


def untranslated(page: Any, language: str) -> list[str]:
    """The texts of the page that are English messages of the catalogues left as they are."""
    messages = english_messages(language)
    left = []
    for text in dict.fromkeys(visible_texts(page)):
        for msgid, pattern in messages:
            if pattern.fullmatch(text):
                left.append(f"{text!r} (msgid {msgid!r})")
                break
    return left
