// Rendering diagnostics: one compact line for logs, and the pretty form with the source line,
// a caret under the start column, tildes under the rest of the span, and a note.
import { describe, expect, it } from "vitest";
import { Codes } from "../../src/diagnostics/codes.js";
import { diag, type Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { renderCompact, renderPretty } from "../../src/diagnostics/render.js";
import { LineIndex, type Span } from "../../src/diagnostics/span.js";
import { parseSource } from "../../src/syntax/index.js";

const ansi = /\u001b\[/;
const source = 'rule "r" {\n  title "t"\n  condition eventName eq eq "x"\n}\n';

function span(line: number, column: number, endColumn: number, endLine = line): Span {
  const lines = source.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i]!.length + 1;
  offset += column - 1;
  return {
    file: "rules/r.det",
    offset,
    end: offset + (endColumn - column),
    line,
    column,
    endLine,
    endColumn,
  };
}

/** The column (1-based, in source characters) that a marker line points at. */
function markerColumn(markerLine: string): number {
  const bar = markerLine.indexOf("| ");
  return markerLine.indexOf("^") - (bar + 2) + 1;
}

describe("renderCompact", () => {
  it("is file:line:col: severity code: message", () => {
    const d = diag("unexpected-token", span(3, 26, 28), ["a value", "'eq'"]);
    expect(renderCompact(d)).toBe("rules/r.det:3:26: error DETC1002: expected a value, found 'eq'");
  });

  it("shows warnings and infos with their severity", () => {
    const d: Diagnostic = {
      ...diag("unexpected-token", span(1, 1, 5), ["x", "y"]),
      severity: "warning",
    };
    expect(renderCompact(d)).toMatch(/^rules\/r\.det:1:1: warning DETC1002: /);
  });
});

describe("renderPretty", () => {
  it("header, source line with gutter, caret and tildes under the span", () => {
    const d = diag("unexpected-token", span(3, 26, 28), ["a value", "'eq'"]);
    const out = renderPretty(d, source, { color: false });
    expect(out.split("\n")).toEqual([
      "rules/r.det:3:26: error DETC1002: expected a value, found 'eq'",
      '  3 |   condition eventName eq eq "x"',
      "    |                          ^~",
    ]);
    expect(markerColumn(out.split("\n")[2]!)).toBe(26);
  });

  it("tildes cover the whole span", () => {
    const d = diag("unexpected-token", span(3, 13, 22), ["x", "y"]); // `eventName`
    const [, code, marker] = renderPretty(d, source, { color: false }).split("\n");
    const underline = marker!.slice(marker!.indexOf("| ") + 2).trim();
    expect(underline).toBe("^" + "~".repeat(8));
    const col = markerColumn(marker!);
    expect(col).toBe(13);
    expect(code!.slice(code!.indexOf("| ") + 2).slice(col - 1, col - 1 + underline.length)).toBe(
      "eventName",
    );
  });

  it("a one-character span is a lone caret; column 1 has no indent", () => {
    const one = renderPretty(diag("unexpected-character", span(4, 1, 2), ['"}"']), source, {
      color: false,
    }).split("\n");
    expect(one[1]).toBe("  4 | }");
    expect(one[2]).toBe("    | ^");
  });

  it("a span running past its line is cut at the end of the line", () => {
    const d = diag("unexpected-token", { ...span(2, 9, 1, 3), endLine: 3 }, ["x", "y"]);
    const [, code, marker] = renderPretty(d, source, { color: false }).split("\n");
    expect(code).toBe('  2 |   title "t"');
    expect(marker).toBe("    |         ^~~");
  });

  it("an end-of-file diagnostic points just past the last character", () => {
    const text = 'rule "r" {\n  title "t"';
    const d = diag("unexpected-end-of-file", new LineIndex("e.det", text).endOfText(), ["'}'"]);
    const [header, code, marker] = renderPretty(d, text, { color: false }).split("\n");
    expect(header).toBe("e.det:2:12: error DETC1003: unexpected end of file: expected '}'");
    expect(code).toBe('  2 |   title "t"');
    expect(marker).toBe("    |            ^");
    expect(markerColumn(marker!)).toBe(12);
  });

  it("the gutter widens with the line number and the marker stays aligned", () => {
    const text = Array.from({ length: 120 }, (_, i) => `line${i + 1} = x`).join("\n");
    const offset = text.indexOf("line105") + 8;
    const d = diag(
      "unexpected-character",
      new LineIndex("big.det", text).span(offset, offset + 1),
      ['"="'],
    );
    const [header, code, marker] = renderPretty(d, text, { color: false }).split("\n");
    expect(header).toMatch(/^big\.det:105:9: /);
    expect(code).toBe("  105 | line105 = x");
    expect(marker).toBe("      |         ^");
  });

  it("tabs are shown as one space each so the caret stays under the column", () => {
    const text = "\t\tcondition a eq eq 1\n";
    const { diagnostics } = parseSource(
      "t.det",
      `rule "r" {\n title "t"\n severity low\n logsource x\n${text}}\n`,
    );
    const d = diagnostics.find((x) => x.code === "DETC1002")!;
    expect(d.span.column).toBe(18);
    const [, code, marker] = renderPretty(
      d,
      `rule "r" {\n title "t"\n severity low\n logsource x\n${text}}\n`,
      { color: false },
    ).split("\n");
    expect(code).toBe("  5 |   condition a eq eq 1");
    expect(code!.slice(code!.indexOf("| ") + 2)[markerColumn(marker!) - 1]).toBe("e");
  });

  it("prints the note line under the caret", () => {
    const d = diag(
      "unexpected-token",
      span(3, 26, 28),
      ["a value", "'eq'"],
      "remove the second 'eq'",
    );
    const lines = renderPretty(d, source, { color: false }).split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe("    = note: remove the second 'eq'");
    // without source text: header and note only
    expect(renderPretty(d, undefined, { color: false }).split("\n")).toEqual([
      "rules/r.det:3:26: error DETC1002: expected a value, found 'eq'",
      "    = note: remove the second 'eq'",
    ]);
  });

  it("without source text: the header alone", () => {
    const d = diag(
      "file-unreadable",
      { file: "x.det", offset: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 },
      ["x.det", "EACCES"],
    );
    expect(renderPretty(d, undefined, { color: false })).toBe(
      "x.det:1:1: error DETC4001: cannot read x.det: EACCES",
    );
  });

  it("colour only when asked; the text is the same once escapes are removed", () => {
    const d = diag("unexpected-token", span(3, 26, 28), ["a value", "'eq'"], "a note");
    const plain = renderPretty(d, source, { color: false });
    const coloured = renderPretty(d, source, { color: true });
    expect(plain).not.toMatch(ansi);
    expect(coloured).toMatch(ansi);
    expect(coloured).toContain("\u001b[1;31merror DETC1002\u001b[0m");
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, "")).toBe(plain);
  });

  it("CRLF and lone CR line endings show the diagnostic's own line", () => {
    for (const nl of ["\r\n", "\r"]) {
      const text = [
        'rule "r" {',
        '  title "t"',
        "  severity low",
        "  logsource x",
        "  condition a eq eq 1",
        "}",
      ].join(nl);
      const d = parseSource("nl.det", text).diagnostics.find((x) => x.code === "DETC1002")!;
      expect(d.span).toMatchObject({ line: 5, column: 18 });
      const [, code, marker] = renderPretty(d, text, { color: false }).split("\n");
      expect(code, JSON.stringify(nl)).toBe("  5 |   condition a eq eq 1");
      expect(marker, JSON.stringify(nl)).toBe("    |                  ^~");
    }
  });

  it("a real parse error renders with its own span", () => {
    const { diagnostics } = parseSource("rules/r.det", source);
    const syntax = diagnostics.filter((d) => d.code.startsWith("DETC1"));
    expect(syntax).toHaveLength(1);
    expect(renderPretty(syntax[0]!, source, { color: false })).toBe(
      "rules/r.det:3:26: error DETC1002: expected a value: a string, number, true or false, found 'eq'\n" +
        '  3 |   condition eventName eq eq "x"\n' +
        "    |                          ^~",
    );
  });
});

describe("the codes table", () => {
  it("codes are unique, DETCnnnn, with a message and a kebab-case name", () => {
    const entries = Object.values(Codes);
    const codes = entries.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of entries) {
      expect(e.code).toMatch(/^DETC\d{4}$/);
      expect(e.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(e.message.length).toBeGreaterThan(0);
      expect(["error", "warning", "info"]).toContain(e.severity);
    }
  });

  it("diag fills the placeholders", () => {
    const d = diag("duplicate-metadata-key", span(2, 3, 8), ["title"]);
    expect(d).toMatchObject({
      code: "DETC2001",
      name: "duplicate-metadata-key",
      severity: "error",
      message: "'title' is given twice: each metadata key may appear once",
    });
    expect(d.note).toBeUndefined();
  });
});
