// Parse and render Mermaid diagrams with the real Mermaid library, in Node, without a browser.
//
// Usage: node render.mjs DIAGRAM.mmd [DIAGRAM.mmd ...]
//
// Each diagram is parsed (`mermaid.parse`) and rendered to SVG (`mermaid.render`) twice:
// with HTML labels (Mermaid's default, what GitHub shows) and with plain SVG text labels
// (`htmlLabels: false`). The SVGs are written next to the input (`DIAGRAM.html.svg`,
// `DIAGRAM.text.svg`) and stdout gets one JSON line per rendering:
// `{"input": ..., "mode": "html"|"text", "labels": [...]}` with the text a reader sees in
// every node, subgraph and edge label, so the caller can check that names survived
// escaping. Exit 0 when everything rendered, 1 with Mermaid's own error otherwise.
// Driven by tests/mermaid.rs, which feeds it `skew graph --format mermaid`.
//
// jsdom supplies `window` and `document`. It has no layout engine, so the measuring calls
// Mermaid makes (getBBox, getComputedTextLength, getBoundingClientRect) get a crude
// estimate from the text length: coordinates in the SVG are approximate, but Mermaid's
// parser, layout and SVG building all run for real.
import { readFileSync, writeFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>", { pretendToBeVisual: true });
const { window } = dom;

// about 8 px per character and 16 px per line; <style> text is not drawn, so not measured
function estimate(el) {
  let text = el.textContent || "";
  for (const style of el.querySelectorAll ? el.querySelectorAll("style") : []) {
    text = text.replace(style.textContent, "");
  }
  const lines = text.split("\n");
  const width = Math.max(1, ...lines.map((l) => l.length)) * 8;
  return { x: 0, y: 0, width, height: 16 * lines.length };
}
window.SVGElement.prototype.getBBox = function () {
  return estimate(this);
};
window.SVGElement.prototype.getComputedTextLength = function () {
  return estimate(this).width;
};
window.Element.prototype.getBoundingClientRect = function () {
  const { width, height } = estimate(this);
  return { x: 0, y: 0, top: 0, left: 0, right: width, bottom: height, width, height };
};

// Mermaid and DOMPurify reach for browser globals (document, CSSStyleSheet, ...): expose
// every jsdom window property Node does not already have, plus `window` itself.
globalThis.window = window;
for (const name of Object.getOwnPropertyNames(window)) {
  if (!(name in globalThis)) {
    Object.defineProperty(globalThis, name, { get: () => window[name], configurable: true });
  }
}

const { default: mermaid } = await import("mermaid");

// The text of every label in a rendered SVG, as a reader sees it: HTML labels with `<br>`
// as a space; SVG text labels with their rows (one <tspan> each, Mermaid wraps long
// labels, even inside words) joined by a space.
function labels(svg, mode) {
  const host = window.document.createElement("div");
  host.innerHTML = svg;
  const out = [];
  if (mode === "html") {
    for (const el of host.querySelectorAll("span.nodeLabel, span.edgeLabel")) {
      for (const br of el.querySelectorAll("br")) br.replaceWith(" ");
      out.push(el.textContent);
    }
  } else {
    for (const el of host.querySelectorAll("text")) {
      const rows = el.querySelectorAll("tspan.row");
      out.push(rows.length > 0 ? Array.from(rows, (r) => r.textContent).join(" ") : el.textContent);
    }
  }
  return out.map((t) => t.replace(/\s+/g, " ").trim()).filter((t) => t.length > 0);
}

const inputs = process.argv.slice(2);
if (inputs.length === 0) {
  console.error("usage: node render.mjs DIAGRAM.mmd [DIAGRAM.mmd ...]");
  process.exit(2);
}
const modes = { html: true, text: false };
let failed = false;
let n = 0;
for (const input of inputs) {
  const text = readFileSync(input, "utf8");
  for (const [mode, htmlLabels] of Object.entries(modes)) {
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      htmlLabels,
      flowchart: { htmlLabels },
    });
    try {
      // parse() throws on a syntax error; render() lays out and draws the SVG
      await mermaid.parse(text);
      const { svg } = await mermaid.render(`skew${n++}`, text);
      if (!svg.startsWith("<svg") || svg.includes("Syntax error")) {
        throw new Error(`no diagram in the SVG:\n${svg.slice(0, 500)}`);
      }
      writeFileSync(input.replace(/\.mmd$/, "") + `.${mode}.svg`, svg);
      console.log(JSON.stringify({ input, mode, labels: labels(svg, mode) }));
    } catch (e) {
      failed = true;
      console.error(`${input} (${mode} labels): ${e && e.stack ? e.stack : e}`);
    }
  }
}
process.exit(failed ? 1 : 0);
