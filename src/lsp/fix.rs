//! Quick fixes: the one edit skew can honestly offer for a finding.
//!
//! The rule: an edit is offered only when
//! 1. the finding comes from a `client-requires` rule whose requirement for this client
//!    is a clear minimum, a single `>=X` with no upper bound (not `none`, which means
//!    "replace the package", and not `>=2.1.8, <2.2 || >=8.0.5`, where the line to move
//!    to is a choice for a person);
//! 2. the declared text is a simple pin or caret/tilde range in the client's own
//!    syntax: npm and Cargo `1.2.3`, `=1.2.3`, `^1.2.3`, `~1.2.3`; PyPI `==1.2.3`,
//!    `~=1.2.3`; and
//! 3. the same operator with `X` in place of the old version admits only versions that
//!    meet the requirement (checked with the same version sets the checks use).
//!
//! The edit replaces the declared version text and nothing else; the title says when a
//! lockfile must be refreshed afterwards. Must not: touch files or guess replacements.

use crate::component::{Component, Ecosystem};
use crate::diagnostic::Finding;
use crate::rule::{RuleKind, RuleSet};
use crate::version::{Bound, Scheme, Verdict, parse_declared, parse_version, verdict};

/// A replacement for a finding's declared version text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickFix {
    pub title: String,
    /// Replaces the text of the finding's primary span (the declared version).
    pub new_text: String,
}

/// The quick fix for `finding` about `client` (the component its primary label blames),
/// or `None` when there is no honest one.
pub fn quick_fix(finding: &Finding, client: &Component, rules: &RuleSet) -> Option<QuickFix> {
    let rule = rules.rule(&finding.rule_id)?;
    // only "client must be in a range" has a version to move to
    let RuleKind::ClientRequires { clients, .. } = &rule.kind else {
        return None;
    };
    let req = clients.iter().find(|r| {
        r.ecosystem == client.ecosystem && r.ecosystem.same_name(&r.name, &client.name)
    })?;
    let [only] = req.requires.intervals() else {
        return None;
    };
    let (Bound::Included(min), Bound::Unbounded) = (&only.lo, &only.hi) else {
        return None;
    };
    let declared = client.version.as_deref()?;
    let scheme = Scheme::of(client.ecosystem);
    let start = declared.find(|c: char| c.is_ascii_digit())?;
    let (prefix, old) = declared.split_at(start);
    if !simple_operators(client.ecosystem).contains(&prefix.trim()) {
        return None;
    }
    if !is_plain_version(old) {
        return None;
    }
    parse_version(scheme, old).ok()?;
    let new_text = format!("{prefix}{min}");
    let admitted = parse_declared(scheme, &new_text).ok()?;
    if verdict(&admitted, &req.requires) != Verdict::Always {
        return None;
    }
    let mut title = format!("upgrade `{}` to `{new_text}`", client.name);
    if client.resolved.is_some() {
        title.push_str(" (then refresh the lockfile)");
    }
    Some(QuickFix { title, new_text })
}

/// `1.2.3`, `0.19`, `1.0.0-beta.2`, `0.9.0rc1`: numbers and dots, then an optional
/// pre-release or build tail. Rejects wildcards (`1.x`, `0.8.*`), lists and ranges, which
/// some parsers read loosely as a single version.
fn is_plain_version(text: &str) -> bool {
    let core_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (core, tail) = text.split_at(core_end);
    core.split('.')
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
        && tail
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.'))
        && !tail.starts_with(['.', 'x', 'X'])
}

/// The operators of a "simple pin or caret/tilde range", per ecosystem. Ecosystems not
/// listed get no edits: their syntax is not rewritten by skew yet.
fn simple_operators(ecosystem: Ecosystem) -> &'static [&'static str] {
    match ecosystem {
        Ecosystem::Npm | Ecosystem::Cargo => &["", "=", "^", "~"],
        Ecosystem::PyPI => &["==", "~="],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::ComponentKind;
    use crate::diagnostic::{Label, Severity, Subject};
    use crate::source::Span;

    fn rules() -> RuleSet {
        let mut set = RuleSet::builtin().unwrap();
        set.add_user_file(
            "rules/extra.toml",
            r#"
[product]
id = "acme-db"
name = "AcmeDB"
docker = ["acme/db"]

[[rule]]
id = "acme-db-wire-v2"
severity = "error"
summary = "the client cannot speak wire protocol v2"
server = ">=2"
why = "v2 dropped v1."
sources = ["https://acme.example.test/wire-v2"]

[[rule.clients]]
ecosystem = "cargo"
name = "acme-client"
requires = ">=0.20.0"
source = "https://acme.example.test/changelog"
"#,
        )
        .unwrap();
        set
    }

    fn fix(rule: &str, eco: Ecosystem, name: &str, declared: &str) -> Option<QuickFix> {
        fix_locked(rule, eco, name, declared, None)
    }

    fn fix_locked(
        rule: &str,
        eco: Ecosystem,
        name: &str,
        declared: &str,
        locked: Option<&str>,
    ) -> Option<QuickFix> {
        let mut c = Component::new(
            ComponentKind::Package,
            eco,
            name,
            Some(declared.into()),
            Span::default(),
        );
        c.resolved = locked.map(str::to_string);
        let f = Finding {
            rule_id: rule.into(),
            severity: Severity::Error,
            message: String::new(),
            primary: Label::new(Span::default(), ""),
            related: Vec::new(),
            fix: None,
            sources: Vec::new(),
            subject: Subject::default(),
            components: Vec::new(),
        };
        quick_fix(&f, &c, &rules())
    }

    const MYSQL: &str = "mysql-caching-sha2-password";

    #[test]
    fn pins_move_to_the_minimum() {
        let f = fix(MYSQL, Ecosystem::PyPI, "PyMySQL", "==0.8.1").unwrap();
        assert_eq!(f.new_text, "==0.9.0");
        assert_eq!(f.title, "upgrade `PyMySQL` to `==0.9.0`");
        // PEP 503 names match, spacing is kept
        let f = fix(MYSQL, Ecosystem::PyPI, "pymysql", "== 0.7").unwrap();
        assert_eq!(f.new_text, "== 0.9.0");
        let f = fix(MYSQL, Ecosystem::Npm, "mysql2", "1.7.0").unwrap();
        assert_eq!(f.new_text, "2.0.0");
        let f = fix(
            "acme-db-wire-v2",
            Ecosystem::Cargo,
            "acme-client",
            "=0.19.2",
        )
        .unwrap();
        assert_eq!(f.new_text, "=0.20.0");
    }

    #[test]
    fn caret_and_tilde_ranges_keep_their_operator() {
        let f = fix(MYSQL, Ecosystem::Npm, "mysql2", "^1.7.0").unwrap();
        assert_eq!(f.new_text, "^2.0.0");
        let f = fix(MYSQL, Ecosystem::Npm, "mysql2", "~1.7.0").unwrap();
        assert_eq!(f.new_text, "~2.0.0");
        let f = fix(MYSQL, Ecosystem::PyPI, "PyMySQL", "~=0.8.1").unwrap();
        assert_eq!(f.new_text, "~=0.9.0");
        let f = fix("acme-db-wire-v2", Ecosystem::Cargo, "acme-client", "0.19").unwrap();
        assert_eq!(f.new_text, "0.20.0");
    }

    #[test]
    fn locked_clients_say_the_lockfile_needs_refreshing() {
        let f = fix_locked(MYSQL, Ecosystem::Npm, "mysql2", "^1.6.0", Some("1.6.5")).unwrap();
        assert_eq!(f.new_text, "^2.0.0");
        assert_eq!(
            f.title,
            "upgrade `mysql2` to `^2.0.0` (then refresh the lockfile)"
        );
    }

    #[test]
    fn no_edit_for_replace_the_package() {
        assert_eq!(fix(MYSQL, Ecosystem::Npm, "mysql", "^2.18.1"), None);
    }

    #[test]
    fn no_edit_without_a_clear_minimum() {
        // two release lines work: which one to move to is a person's choice
        let f = fix(MYSQL, Ecosystem::PyPI, "mysql-connector-python", "==2.0.0");
        assert_eq!(f, None);
    }

    #[test]
    fn no_edit_for_ranges_that_are_not_simple() {
        for declared in [
            ">=0.8",
            "<0.9",
            "==0.8.*",
            "0.8.1",
            ">=0.8,<1",
            "git+https://x",
        ] {
            assert_eq!(
                fix(MYSQL, Ecosystem::PyPI, "PyMySQL", declared),
                None,
                "{declared}"
            );
        }
        for declared in [
            "1.x",
            ">=1.7.0",
            "1.7.0 || 1.8.0",
            "1.6 - 1.7",
            "latest",
            "",
        ] {
            assert_eq!(
                fix(MYSQL, Ecosystem::Npm, "mysql2", declared),
                None,
                "{declared}"
            );
        }
    }

    #[test]
    fn no_edit_for_unknown_rules_or_clients() {
        assert_eq!(
            fix("no-such-rule", Ecosystem::PyPI, "PyMySQL", "==0.8.1"),
            None
        );
        assert_eq!(fix(MYSQL, Ecosystem::PyPI, "requests", "==2.31.0"), None);
    }
}
