//! Short output: one line per finding, `path:line:col: severity[rule_id]: message`, the
//! shape editors' problem matchers and `grep` expect (like rustc's and ruff's concise
//! output).
//!
//! Owns that one-line shape. Must not: print more than one line per finding, so line
//! breaks inside a message are folded into spaces, and no path or name can start a line
//! of its own (control characters are escaped, [`super::escape`]); no summary line (count
//! with `wc -l`).

use std::io::{self, Write};

use super::{Report, escape, kind_name, sorted_components, sorted_findings};

/// One line per finding, in the shared order.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for (f, loc) in sorted_findings(report) {
        writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            escape::one_line(&loc.path),
            loc.line,
            loc.column,
            f.severity,
            escape::one_line(&f.rule_id),
            escape::one_line(&one_line(&f.message))
        )?;
    }
    Ok(())
}

/// One line per component (`path:line:col: kind ecosystem name version [resolved=…]`),
/// then the file problems as in [`render`].
pub fn render_inventory(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for (c, loc) in sorted_components(report) {
        write!(
            out,
            "{}:{}:{}: {} {} {} {}",
            escape::one_line(loc.path),
            loc.line,
            loc.column,
            kind_name(c.kind),
            c.ecosystem,
            escape::one_line(&c.name),
            escape::one_line(c.version.as_deref().unwrap_or("-")),
        )?;
        if let Some(r) = &c.resolved {
            write!(out, " resolved={}", escape::one_line(r))?;
        }
        writeln!(out)?;
    }
    render(report, out)
}

fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `short` format.
pub(super) struct Short;

impl super::Reporter for Short {
    fn findings(
        &self,
        report: &Report,
        _: &super::HumanOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        render(report, out)
    }

    fn inventory(
        &self,
        report: &Report,
        _: &super::HumanOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        render_inventory(report, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{Fixture, to_string};

    #[test]
    fn check_output() {
        let fx = Fixture::new();
        let s = to_string(|out| render(&fx.report(), out));
        insta::assert_snapshot!(s);
    }

    #[test]
    fn inventory_output() {
        let fx = Fixture::new();
        let s = to_string(|out| render_inventory(&fx.report(), out));
        insta::assert_snapshot!(s);
    }

    #[test]
    fn messages_stay_on_one_line() {
        assert_eq!(one_line("a\nb\r\nc"), "a b c");
    }
}
