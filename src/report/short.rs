//! Short output: one line per finding, `path:line:col: severity[rule_id]: message`, the
//! shape editors' problem matchers and `grep` expect (like rustc's and ruff's concise
//! output).
//!
//! Owns that one-line shape. Must not: print more than one line per finding, so line
//! breaks inside a message are folded into spaces; no summary line (count with `wc -l`).

use std::io::{self, Write};

use super::{Report, kind_name, sorted_components, sorted_findings};

/// One line per finding, in the shared order.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for (f, loc) in sorted_findings(report) {
        writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            loc.path,
            loc.line,
            loc.column,
            f.severity,
            f.rule_id,
            one_line(&f.message)
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
            loc.path,
            loc.line,
            loc.column,
            kind_name(c.kind),
            c.ecosystem,
            c.name,
            c.version.as_deref().unwrap_or("-"),
        )?;
        if let Some(r) = &c.resolved {
            write!(out, " resolved={r}")?;
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
