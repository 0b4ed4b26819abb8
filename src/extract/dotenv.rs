//! `.env` files: the variables docker compose interpolates into the compose files beside
//! them (`image: postgres:${PG_TAG}`). Only the file named `.env` is read: it is the one
//! compose reads by default; `env_file:` files are the container's environment, not
//! interpolation input.
//!
//! Produces no components, only a [`UnitFact::DotEnv`] with each variable's value and the
//! span of that value; the scanner substitutes them into compose images and connection
//! strings. Must not:
//! report values anywhere (a `.env` often holds secrets: only the line a finding blames is
//! ever shown), read the process environment, or expand variables inside values.

use std::path::Path;

use super::{Extraction, Extractor, file_name};
use crate::component::UnitFact;
use crate::source::SourceFile;

pub struct DotEnv;

impl Extractor for DotEnv {
    fn name(&self) -> &'static str {
        "dotenv"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Hash)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &[".env", "deploy/.env"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == ".env"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let mut vars = Vec::new();
        let mut offset = 0;
        for line in file.text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            if let Some((name, from, to)) = assignment(line) {
                let value = &line[from..to];
                vars.push((
                    name.to_string(),
                    value.to_string(),
                    file.span(start + from, start + to),
                ));
            }
        }
        if !vars.is_empty() {
            out.units.push(UnitFact::DotEnv { vars });
        }
    }
}

/// `KEY=value`, `export KEY=value`, `KEY="value"`, `KEY='value'`, `KEY=value # comment`:
/// the name and the byte range of the value within the line (inside its quotes).
/// Anything else (comments, blank lines, lines without `=`) is not an assignment.
fn assignment(line: &str) -> Option<(&str, usize, usize)> {
    let body = line.trim_end_matches(['\n', '\r']);
    let lead = body.len() - body.trim_start().len();
    let mut rest = &body[lead..];
    let mut at = lead;
    if let Some(r) = rest.strip_prefix("export ") {
        at += rest.len() - r.len();
        rest = r;
        let ws = rest.len() - rest.trim_start().len();
        at += ws;
        rest = &rest[ws..];
    }
    let (name, value) = rest.split_once('=')?;
    let name = name.trim_end();
    if name.is_empty()
        || name.starts_with('#')
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
    {
        return None;
    }
    let value_at = at + rest.len() - value.len();
    let ws = value.len() - value.trim_start().len();
    let v = &value[ws..];
    let v_at = value_at + ws;
    let (from, to) = match v.chars().next() {
        Some(q @ ('"' | '\'')) => match v[1..].find(q) {
            Some(end) => (v_at + 1, v_at + 1 + end),
            // an unterminated quote: compose reads the rest of the line
            None => (v_at + 1, v_at + v.trim_end().len()),
        },
        _ => {
            // an unquoted value ends at ` #` (a comment) or the end of the line
            let end = v.find(" #").or_else(|| v.find("\t#")).unwrap_or(v.len());
            (v_at, v_at + v[..end].trim_end().len())
        }
    };
    Some((name, from, to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::run;

    fn vars(text: &str) -> Vec<(String, String, String)> {
        let (file, out) = run(&DotEnv, ".env", text);
        out.units
            .iter()
            .flat_map(|u| match u {
                UnitFact::DotEnv { vars } => vars.clone(),
                _ => Vec::new(),
            })
            .map(|(n, v, span)| (n, v, file.slice(span).to_string()))
            .collect()
    }

    #[test]
    fn reads_assignments_with_quotes_comments_and_export() {
        let got = vars(
            "# images\nPOSTGRES_IMAGE=postgres:18.4\nexport REDIS_TAG=\"7.2\"\nQUOTED='a # b'\nPLAIN=1.0 # pinned\n\nnot a line\nEMPTY=\r\n",
        );
        let want = [
            ("POSTGRES_IMAGE", "postgres:18.4"),
            ("REDIS_TAG", "7.2"),
            ("QUOTED", "a # b"),
            ("PLAIN", "1.0"),
            ("EMPTY", ""),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for ((n, v, slice), (wn, wv)) in got.iter().zip(want) {
            assert_eq!((n.as_str(), v.as_str()), (wn, wv));
            // the span is exactly the value as written
            assert_eq!(slice, v);
        }
    }

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract", "dotenv/*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let rows: Vec<String> = vars(&text)
                .into_iter()
                .map(|(n, v, slice)| format!("{n}={v} «{slice}»"))
                .collect();
            insta::assert_snapshot!(rows.join("\n"));
        });
    }

    #[test]
    fn wants_only_the_file_compose_reads() {
        assert!(DotEnv.wants(Path::new("app/.env")));
        for p in [".env.example", "env", ".envrc", "a.env"] {
            assert!(!DotEnv.wants(Path::new(p)), "{p}");
        }
    }
}
