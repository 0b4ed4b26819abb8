//! Where the comments of a manifest are: one careful scanner per comment syntax, used by
//! inline suppressions (`# skew: ignore[RULE] -- reason`, see `crate::suppress`).
//!
//! Each extractor names its format's syntax ([`super::Extractor::comment_syntax`]), so the
//! registry of formats is also the registry of comment syntaxes. The scanners know what
//! hides a comment marker in each format (a `#` inside a quoted YAML scalar or a block
//! scalar, a `//` inside an HCL heredoc, `<!--` inside CDATA) and nothing else: they do
//! not validate the file (its extractor does that) and never fail. Must not: read files
//! or decide what a comment means.

/// How a format writes comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentSyntax {
    /// YAML: `#` at the start of a line or after whitespace, outside quoted and block
    /// scalars.
    Yaml,
    /// TOML: `#` outside basic, literal and multi-line strings.
    Toml,
    /// `#` at the start of a line or after whitespace, outside `"…"`/`'…'` on that line
    /// (requirements files, Gemfile, mix.exs, `.tool-versions`, `.env`).
    Hash,
    /// Whole-line comments only: a line whose first non-blank text is one of the markers
    /// (Dockerfile `#`, where a `#` later in a line is an argument; Java properties `#`
    /// and `!`; setup.cfg `#` and `;`).
    LineStart(&'static [&'static str]),
    /// `//` and `/* … */` outside `"…"`, `'…'` and `` `…` `` strings (go.mod, Gradle
    /// build scripts).
    Slash,
    /// HCL: `#`, `//` and `/* … */` outside strings and heredocs.
    Hcl,
    /// XML: `<!-- … -->` outside CDATA sections and processing instructions.
    Xml,
}

/// One comment: the byte range of its text, markers included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
    /// Nothing but blanks precede it on its line: it speaks about the line below.
    pub own_line: bool,
}

/// Every comment in `text`, in order.
pub fn comments(text: &str, syntax: CommentSyntax) -> Vec<Comment> {
    let mut out = Vec::new();
    match syntax {
        CommentSyntax::Yaml => yaml(text, &mut out),
        CommentSyntax::Toml => toml(text, &mut out),
        CommentSyntax::Hash => hash(text, &mut out),
        CommentSyntax::LineStart(markers) => line_start(text, markers, &mut out),
        CommentSyntax::Slash => c_like(text, false, &mut out),
        CommentSyntax::Hcl => c_like(text, true, &mut out),
        CommentSyntax::Xml => xml(text, &mut out),
    }
    for c in &mut out {
        c.own_line = text[line_start_of(text, c.start)..c.start]
            .chars()
            .all(|ch| ch == ' ' || ch == '\t');
    }
    out
}

fn line_start_of(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn end_of_line(text: &str, from: usize) -> usize {
    memchr::memchr(b'\n', &text.as_bytes()[from..]).map_or(text.len(), |i| from + i)
}

fn push(out: &mut Vec<Comment>, start: usize, end: usize) {
    out.push(Comment {
        start,
        end,
        own_line: false,
    });
}

/// A `\r\n` line ending is not part of the comment.
fn trim_cr(text: &str, start: usize, end: usize) -> usize {
    if end > start && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// YAML, line by line: a quoted scalar opens only where a scalar may start (after a
/// blank, `[`, `{` or `,`), so the apostrophe of `don't` opens nothing; quoted scalars may
/// span lines; a block scalar (`|`, `>` with indicators) holds the lines indented deeper
/// than the line that opened it, comment-like text included.
fn yaml(text: &str, out: &mut Vec<Comment>) {
    let b = text.as_bytes();
    let mut quote: Option<u8> = None;
    // indentation of the line that opened a block scalar
    let mut block: Option<usize> = None;
    let mut pos = 0;
    while pos < b.len() {
        let eol = end_of_line(text, pos);
        let line = &text[pos..eol];
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(parent) = block {
            if blank || indent > parent {
                pos = eol + 1;
                continue;
            }
            block = None;
        }
        let mut i = pos;
        let mut comment_at = None;
        while i < eol {
            let c = b[i];
            match quote {
                Some(b'"') => {
                    if c == b'\\' {
                        i += 1;
                    } else if c == b'"' {
                        quote = None;
                    }
                }
                Some(_) => {
                    if c == b'\'' {
                        if b.get(i + 1) == Some(&b'\'') {
                            i += 1;
                        } else {
                            quote = None;
                        }
                    }
                }
                None => {
                    let opens = i == pos || matches!(b[i - 1], b' ' | b'\t' | b'[' | b'{' | b',');
                    if (c == b'"' || c == b'\'') && opens {
                        quote = Some(c);
                    } else if c == b'#' && (i == pos || matches!(b[i - 1], b' ' | b'\t')) {
                        comment_at = Some(i);
                        break;
                    }
                }
            }
            i += 1;
        }
        let code_end = comment_at.unwrap_or(eol);
        if let Some(at) = comment_at {
            push(out, at, trim_cr(text, at, eol));
        }
        if quote.is_none() && opens_block_scalar(text[pos..code_end].trim_end()) {
            block = Some(indent);
        }
        pos = eol + 1;
    }
}

/// Does a line (without its comment) end with a block scalar header: `|`, `>`, with
/// optional chomping and indentation indicators (`|-`, `>+`, `|2`)?
fn opens_block_scalar(code: &str) -> bool {
    let head = code.trim_end_matches(|c: char| c == '-' || c == '+' || c.is_ascii_digit());
    let Some(rest) = head.strip_suffix(['|', '>']) else {
        return false;
    };
    rest.is_empty() || rest.ends_with([' ', '\t'])
}

/// TOML: strings first (`"""`, `'''`, `"`, `'`), then `#` to the end of the line.
fn toml(text: &str, out: &mut Vec<Comment>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                let eol = end_of_line(text, i);
                push(out, i, trim_cr(text, i, eol));
                i = eol;
            }
            q @ (b'"' | b'\'') => {
                let triple = b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q);
                i = if triple {
                    let close = [q, q, q];
                    let mut j = i + 3;
                    loop {
                        match b.get(j) {
                            None => break b.len(),
                            Some(b'\\') if q == b'"' => j += 2,
                            Some(_) if b[j..].starts_with(&close) => {
                                // up to two more quotes belong to the string
                                let mut k = j + 3;
                                while b.get(k) == Some(&q) && k < j + 5 {
                                    k += 1;
                                }
                                break k;
                            }
                            Some(_) => j += 1,
                        }
                    }
                } else {
                    let mut j = i + 1;
                    loop {
                        match b.get(j) {
                            None | Some(b'\n') => break j,
                            Some(b'\\') if q == b'"' => j += 2,
                            Some(&c) if c == q => break j + 1,
                            Some(_) => j += 1,
                        }
                    }
                };
            }
            _ => i += 1,
        }
    }
}

/// `#` after a blank or at the start of a line, outside quotes on that line.
fn hash(text: &str, out: &mut Vec<Comment>) {
    let b = text.as_bytes();
    let mut pos = 0;
    while pos < b.len() {
        let eol = end_of_line(text, pos);
        let mut quote: Option<u8> = None;
        let mut i = pos;
        while i < eol {
            let c = b[i];
            match quote {
                Some(q) => {
                    if c == b'\\' {
                        i += 1;
                    } else if c == q {
                        quote = None;
                    }
                }
                None if c == b'"' || c == b'\'' => quote = Some(c),
                None if c == b'#' && (i == pos || matches!(b[i - 1], b' ' | b'\t')) => {
                    push(out, i, trim_cr(text, i, eol));
                    break;
                }
                None => {}
            }
            i += 1;
        }
        pos = eol + 1;
    }
}

fn line_start(text: &str, markers: &[&str], out: &mut Vec<Comment>) {
    let mut pos = 0;
    while pos < text.len() {
        let eol = end_of_line(text, pos);
        let line = &text[pos..eol];
        let at = pos + (line.len() - line.trim_start().len());
        if markers.iter().any(|m| text[at..eol].starts_with(m)) {
            push(out, at, trim_cr(text, at, eol));
        }
        pos = eol + 1;
    }
}

/// `//`, `/* */` (and `#` and heredocs for HCL) outside strings. In HCL a string's
/// `${ … }` interpolation may hold quotes of its own; they are skipped with it.
fn c_like(text: &str, hcl: bool, out: &mut Vec<Comment>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if (c == b'/' && b.get(i + 1) == Some(&b'/')) || (hcl && c == b'#') {
            let eol = end_of_line(text, i);
            push(out, i, trim_cr(text, i, eol));
            i = eol;
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let end = text[i + 2..].find("*/").map_or(b.len(), |j| i + 2 + j + 2);
            push(out, i, end);
            i = end;
        } else if hcl && c == b'<' && b.get(i + 1) == Some(&b'<') {
            i = skip_heredoc(text, i);
        } else if c == b'"' || (!hcl && (c == b'\'' || c == b'`')) {
            i = skip_string(b, i, hcl);
        } else {
            i += 1;
        }
    }
}

/// Past a string that opens at `i`; `"` strings honour `\` escapes, and in HCL `${…}`.
fn skip_string(b: &[u8], i: usize, hcl: bool) -> usize {
    let q = b[i];
    let mut j = i + 1;
    let mut depth = 0usize;
    while j < b.len() {
        let c = b[j];
        if depth > 0 {
            match c {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                b'"' => {
                    j = skip_string(b, j, hcl);
                    continue;
                }
                _ => {}
            }
        } else if c == b'\\' && q != b'`' {
            j += 1;
        } else if c == q {
            return j + 1;
        } else if c == b'\n' && q != b'`' {
            return j;
        } else if hcl && c == b'$' && b.get(j + 1) == Some(&b'{') {
            depth = 1;
            j += 1;
        }
        j += 1;
    }
    b.len()
}

/// Past an HCL heredoc `<<EOT` / `<<-EOT`: to the end of the line that holds only the
/// delimiter. Not a heredoc (`<<` elsewhere): one byte on.
fn skip_heredoc(text: &str, i: usize) -> usize {
    let rest = &text[i + 2..];
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let ident: &str = &rest[..rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len())];
    let eol = end_of_line(text, i);
    if ident.is_empty() || text[i + 2..eol].trim().trim_start_matches('-') != ident {
        return i + 1;
    }
    let mut pos = eol + 1;
    while pos < text.len() {
        let e = end_of_line(text, pos);
        if text[pos..e].trim() == ident {
            return e;
        }
        pos = e + 1;
    }
    text.len()
}

fn xml(text: &str, out: &mut Vec<Comment>) {
    let mut i = 0;
    while let Some(j) = text[i..].find('<') {
        let at = i + j;
        let rest = &text[at..];
        let (open, close, is_comment) = if rest.starts_with("<!--") {
            ("<!--", "-->", true)
        } else if rest.starts_with("<![CDATA[") {
            ("<![CDATA[", "]]>", false)
        } else if rest.starts_with("<?") {
            ("<?", "?>", false)
        } else {
            i = at + 1;
            continue;
        };
        let from = at + open.len();
        let end = text[from..]
            .find(close)
            .map_or(text.len(), |k| from + k + close.len());
        if is_comment {
            push(out, at, end);
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, syntax: CommentSyntax) -> Vec<(String, bool)> {
        comments(text, syntax)
            .into_iter()
            .map(|c| (text[c.start..c.end].to_string(), c.own_line))
            .collect()
    }

    fn own(s: &str) -> (String, bool) {
        (s.to_string(), true)
    }

    fn trailing(s: &str) -> (String, bool) {
        (s.to_string(), false)
    }

    #[test]
    fn yaml_hash_in_quotes_plain_scalars_and_block_scalars_is_not_a_comment() {
        let text = "\
# top
a: \"x # not\" # yes
b: 'it''s # not' # yes2
c: don't # yes3
d: a#b
e: |
  echo # shell, not yaml
  more
f: >-
  # folded text
g: [\"#\", 'x'] # yes4
";
        assert_eq!(
            texts(text, CommentSyntax::Yaml),
            [
                own("# top"),
                trailing("# yes"),
                trailing("# yes2"),
                trailing("# yes3"),
                trailing("# yes4"),
            ]
        );
    }

    #[test]
    fn yaml_quoted_scalar_across_lines() {
        let text = "a: \"first\n  # inside\n  last\" # after\n";
        assert_eq!(texts(text, CommentSyntax::Yaml), [trailing("# after")]);
    }

    #[test]
    fn toml_strings_of_every_kind_hide_hashes() {
        let text = "\
a = \"x # no\" # c1
b = 'lit # no' # c2
c = \"\"\"
# inside
\"\"\" # c3
d = '''# no''' # c4
e = \"esc \\\" # no\" # c5
# own
";
        assert_eq!(
            texts(text, CommentSyntax::Toml),
            [
                trailing("# c1"),
                trailing("# c2"),
                trailing("# c3"),
                trailing("# c4"),
                trailing("# c5"),
                own("# own"),
            ]
        );
    }

    #[test]
    fn hash_needs_a_blank_before_it() {
        let text = "pkg==1.0  # c1\nurl#egg=x\n  # c2\r\nname = \"a#b\" # c3\n";
        assert_eq!(
            texts(text, CommentSyntax::Hash),
            [trailing("# c1"), own("# c2"), trailing("# c3")]
        );
    }

    #[test]
    fn dockerfile_comments_are_whole_lines() {
        let text = "# c1\nRUN echo # arg\n  # c2\nFROM x\n";
        assert_eq!(
            texts(text, CommentSyntax::LineStart(&["#"])),
            [own("# c1"), own("# c2")]
        );
    }

    #[test]
    fn slash_comments_outside_strings() {
        let text = "require x v1 // c1\nreplace \"a//b\" => `c//d` // c2\n/* c3\n */\n";
        assert_eq!(
            texts(text, CommentSyntax::Slash),
            [trailing("// c1"), trailing("// c2"), own("/* c3\n */")]
        );
    }

    #[test]
    fn hcl_heredocs_and_interpolations_hide_markers() {
        let text = "\
a = \"${var.x == \"#\" ? 1 : 2} # no\" # c1
b = <<-EOT
  # inside
  EOT
// c2
c = 1 /* c3 */
";
        assert_eq!(
            texts(text, CommentSyntax::Hcl),
            [trailing("# c1"), own("// c2"), trailing("/* c3 */")]
        );
    }

    #[test]
    fn xml_comments_outside_cdata() {
        let text = "<a><![CDATA[<!-- no -->]]><!-- c1 --></a>\n  <!-- c2\n  -->\n<?pi <!-- no ?>";
        assert_eq!(
            texts(text, CommentSyntax::Xml),
            [trailing("<!-- c1 -->"), own("<!-- c2\n  -->")]
        );
    }

    #[test]
    fn unterminated_constructs_do_not_panic() {
        for syntax in [
            CommentSyntax::Yaml,
            CommentSyntax::Toml,
            CommentSyntax::Hash,
            CommentSyntax::Slash,
            CommentSyntax::Hcl,
            CommentSyntax::Xml,
        ] {
            for text in [
                "\"", "'''", "/*", "<!--", "<<EOT\n", "a = \"${", "é\"#", "#",
            ] {
                let _ = comments(text, syntax);
            }
        }
    }
}
