//! GitHub Actions output: one workflow command per finding, which the runner turns into an
//! annotation on the file and line (`::error file=…,line=…::message`).
//!
//! Owns the command syntax and its escaping, which follows the Actions toolkit
//! (`packages/core/src/command.ts`): the message escapes `%`, `\r`, `\n`; property values
//! additionally escape `:` and `,`, which would otherwise end the value. Paths arrive relative
//! to the repository top (`GITHUB_WORKSPACE`, else the git work tree: see
//! [`crate::root::Base::Repo`]), so annotations land on the right file wherever in the
//! repository the project root is (`skew check shop` names `shop/services/api/…`). The fix, when there is one, becomes a
//! second line of the annotation. Control characters other than `\n` (ESC, bidi
//! controls) are escaped first ([`super::escape`]): the log shows them, never runs them.
//! Must not: write anything else to the stream (every line
//! is a command), or emit a property with an empty value (the toolkit skips those).

use std::io::{self, Write};

use super::{Report, escape, sorted_findings};
use crate::diagnostic::Severity;

/// One workflow command per finding, in the shared order.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for (f, loc) in sorted_findings(report) {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = f.message.clone();
        if let Some(fix) = &f.fix {
            message.push_str("\nhelp: ");
            message.push_str(fix);
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&escape::one_line(&loc.path)),
            loc.line,
            loc.column,
            loc.end_line,
            loc.end_column,
            escape_property(&escape::one_line(&f.rule_id)),
            escape_data(&escape::multi_line(&message)),
        )?;
    }
    Ok(())
}

/// The toolkit's `escapeData`: the message of a command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The toolkit's `escapeProperty`: a `key=value` inside the command's property list.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The `github` format: annotations for findings (and for an inventory's file problems).
pub(super) struct Github;

impl super::Reporter for Github {
    fn findings(
        &self,
        report: &Report,
        _: &super::HumanOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        render(report, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Finding, Label, Subject};
    use crate::report::testing::{Fixture, to_string};
    use crate::source::{FileId, Span};

    #[test]
    fn check_output() {
        let fx = Fixture::new();
        let s = to_string(|out| render(&fx.report(), out));
        insta::assert_snapshot!(s);
    }

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(
            escape_data("100% sure:\r\nnext, line"),
            "100%25 sure:%0D%0Anext, line"
        );
        assert_eq!(escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
        // `%` first, so an escape is never escaped twice.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn a_hostile_finding_stays_one_command() {
        let mut fx = Fixture::new();
        fx.sources = crate::report::testing::leak({
            let mut s = crate::source::Sources::new();
            s.add("odd:dir,x/package.json", "{}\n");
            s
        });
        fx.findings = vec![Finding {
            rule_id: "odd,rule:id".into(),
            severity: Severity::Warning,
            message: "50% of clients: old,\nupgrade them".into(),
            primary: Label::new(Span::new(FileId(0), 0, 2), "here"),
            related: Vec::new(),
            fix: None,
            sources: Vec::new(),
            subject: Subject::default(),
            components: Vec::new(),
        }];
        let s = to_string(|out| render(&fx.report(), out));
        assert_eq!(
            s,
            "::warning file=odd%3Adir%2Cx/package.json,line=1,col=1,endLine=1,endColumn=3,\
             title=odd%2Crule%3Aid::50%25 of clients: old,%0Aupgrade them\n"
        );
    }
}
