//! Rule documentation: the Markdown page of a rule ([`explain_text`], what `skew explain`
//! prints), one generated page per rule (`docs/rules/<id>.md`, that text plus links to
//! its fixtures) and an index (`docs/rules/README.md`).
//!
//! The pages are a pure function of the rule set, so a test can regenerate them in memory
//! and fail when the committed copies are stale (`SKEW_UPDATE_DOCS=1 cargo test --lib
//! docs` rewrites them). Must not: read or write files, or say anything about a rule
//! that its rule file does not (the rule file is the single source).

use std::fmt::Write as _;

use crate::diagnostic::Code;
use crate::rule::{ClientRef, Rule, RuleKind, RuleOrigin, RuleSet, SettingMatch};

/// Where the generated pages live, relative to the repository root.
pub const RULE_DOCS_DIR: &str = "docs/rules";

/// Every generated page as `(file name, text)`: `README.md` first, then `<id>.md` for
/// each rule in rule-set order.
pub fn rule_pages(rules: &RuleSet) -> Vec<(String, String)> {
    let mut pages = vec![("README.md".to_string(), index(rules))];
    for rule in &rules.rules {
        let mut text = format!(
            "<!-- generated from {} by `SKEW_UPDATE_DOCS=1 cargo test --lib docs`: do not edit -->\n\n",
            rule_file(&rule.origin)
        );
        text.push_str(&explain_text(rules, rule));
        let _ = write!(
            text,
            "\n## Examples\n\n\
             - [`fixtures/rules/{id}/fail/`](../../fixtures/rules/{id}/fail/): a project this rule flags\n\
             - [`fixtures/rules/{id}/pass/`](../../fixtures/rules/{id}/pass/): its fixed twin, silent\n",
            id = rule.id
        );
        pages.push((format!("{}.md", rule.id), text));
    }
    pages
}

/// The index: every rule with its product, severity and summary, then every product with
/// the names that make a component an instance of it.
fn index(rules: &RuleSet) -> String {
    let mut s = String::new();
    s.push_str(
        "<!-- generated from rules/*.toml by `SKEW_UPDATE_DOCS=1 cargo test --lib docs`: do not edit -->\n\n",
    );
    s.push_str("# Rules\n\n");
    s.push_str(
        "The rules skew ships, generated from the rule files in [`rules/`](../../rules/). \
         `skew explain <id>` prints the same page in a terminal. Each rule has a failing \
         and a passing example project under [`fixtures/rules/`](../../fixtures/rules/).\n\n",
    );
    s.push_str("| rule | product | severity | kind | summary |\n|---|---|---|---|---|\n");
    for r in &rules.rules {
        let product = rules
            .product(&r.product)
            .map(|p| p.name.as_str())
            .unwrap_or(r.product.as_str());
        let _ = writeln!(
            s,
            "| [`{id}`]({id}.md) | {product} | {} | `{}` | {} |",
            r.severity,
            r.kind.name(),
            r.summary.replace('|', "\\|"),
            id = r.id,
        );
    }
    s.push_str("\n## Products\n\nA component is an instance of a product when its name is one of these. A Helm chart's `appVersion` (a chart's own, or a dependency's vendored under `charts/`) is an instance when the chart's name is the last part of one of the Docker images (`postgresql` of `bitnami/postgresql`).\n\n");
    s.push_str("| product | id | Docker images | managed engines | runtimes | rules |\n|---|---|---|---|---|---|\n");
    for p in &rules.products {
        let list = |names: &[String]| {
            if names.is_empty() {
                "—".to_string()
            } else {
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let count = rules.rules.iter().filter(|r| r.product == p.id).count();
        let _ = writeln!(
            s,
            "| {} | `{}` | {} | {} | {} | {count} |",
            p.name,
            p.id,
            list(&p.docker),
            list(&p.managed),
            list(&p.runtime),
        );
    }
    s
}

/// The page of a built-in code, as `skew explain CODE` prints it.
pub fn explain_code(code: Code) -> String {
    format!(
        "# {code}\n\n**{}** · built into skew\n\n{}\n\n## Why\n\n{}\n",
        code.severity(),
        capitalize(code.summary()),
        code.explanation()
    )
}

/// The full text of a rule, as `skew explain` prints it and `docs/rules/<id>.md` holds it.
pub fn explain_text(rules: &RuleSet, rule: &Rule) -> String {
    let product = rules
        .product(&rule.product)
        .map(|p| p.name.as_str())
        .unwrap_or(rule.product.as_str());
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", rule.id);
    let _ = writeln!(
        s,
        "**{}** · product: {product} · kind: `{}`\n",
        rule.severity,
        rule.kind.name()
    );
    let _ = writeln!(s, "{}\n", capitalize(&rule.summary));
    let _ = writeln!(s, "## Why\n\n{}\n", rule.why);
    match &rule.kind {
        RuleKind::ClientRequires {
            server_text,
            clients,
            ..
        } => {
            let _ = writeln!(
                s,
                "## Affected\n\n{product} `{server_text}`, with these clients:\n"
            );
            let _ = writeln!(s, "| ecosystem | package | works with | note | source |");
            let _ = writeln!(s, "|---|---|---|---|---|");
            for c in clients {
                let works = if c.requires.is_empty() {
                    "no release".to_string()
                } else {
                    format!("`{}`", cell(&c.requires_text))
                };
                let note = c.fix.as_deref().map(cell).unwrap_or_default();
                let _ = writeln!(
                    s,
                    "| {} | `{}` | {works} | {note} | {} |",
                    c.ecosystem, c.name, c.source
                );
            }
            let _ = writeln!(s);
        }
        RuleKind::SameMajor { clients } => {
            let _ = writeln!(
                s,
                "## Affected\n\nThese clients must have the same major version as {product}:\n"
            );
            client_table(&mut s, clients);
        }
        RuleKind::Skew {
            max_skew,
            max_newer,
            clients,
        } => {
            let plural = |n: u64| if n == 1 { "" } else { "s" };
            let _ = match max_newer {
                Some(newer) if newer != max_skew => writeln!(
                    s,
                    "## Affected\n\nThese clients may be up to {max_skew} minor version{} older than {product}, and {}:\n",
                    plural(*max_skew),
                    match newer {
                        0 => "never newer".to_string(),
                        n => format!("up to {n} minor version{} newer", plural(*n)),
                    }
                ),
                _ => writeln!(
                    s,
                    "## Affected\n\nThese clients must be within {max_skew} minor version{} of {product}:\n",
                    plural(*max_skew)
                ),
            };
            client_table(&mut s, clients);
        }
        RuleKind::RemovedApi { apis } => {
            let _ = writeln!(s, "## Removed APIs\n");
            let _ = writeln!(
                s,
                "| apiVersion | kind | removed in | use instead | source |"
            );
            let _ = writeln!(s, "|---|---|---|---|---|");
            for a in apis {
                let _ = writeln!(
                    s,
                    "| `{}` | {} | {product} {} | {} | {} |",
                    a.api_version,
                    a.kind,
                    a.removed_text,
                    a.replacement
                        .as_deref()
                        .map_or("(nothing)".to_string(), |r| format!("`{r}`")),
                    a.source
                );
            }
            let _ = writeln!(s);
        }
        RuleKind::RuntimeRange {
            packages,
            declared_in,
        } => {
            let _ = writeln!(s, "## Affected\n");
            if !packages.is_empty() {
                let _ = writeln!(
                    s,
                    "| ecosystem | package | versions | need {product} | source |"
                );
                let _ = writeln!(s, "|---|---|---|---|---|");
                for p in packages {
                    let _ = writeln!(
                        s,
                        "| {} | `{}` | `{}` | `{}` | {} |",
                        p.ecosystem, p.name, p.versions_text, p.runtime_text, p.source
                    );
                }
                let _ = writeln!(s);
            }
            if !declared_in.is_empty() {
                let names: Vec<_> = declared_in.iter().map(|e| format!("`{e}`")).collect();
                let _ = writeln!(
                    s,
                    "{product} ranges that packages declare in {} are checked against the {product} \
                     the repository runs (version files, CI, base images) in the package's folder or above.\n",
                    names.join(", ")
                );
            }
        }
        RuleKind::RemovedSetting { settings } => {
            let _ = writeln!(s, "## Removed settings\n");
            let _ = writeln!(s, "| setting | removed in | source |");
            let _ = writeln!(s, "|---|---|---|");
            for x in settings {
                let _ = writeln!(
                    s,
                    "| {} | {product} {} | {} |",
                    cell(&describe_setting(&x.setting)),
                    x.removed_text,
                    x.source
                );
            }
            let _ = writeln!(s);
        }
        RuleKind::RemovedValue { values } => {
            let _ = writeln!(s, "## Removed values\n");
            let _ = writeln!(
                s,
                "| setting | values no longer supported | from | source |"
            );
            let _ = writeln!(s, "|---|---|---|---|");
            for x in values {
                let listed: Vec<_> = x.values.iter().map(|v| format!("`{v}`")).collect();
                let _ = writeln!(
                    s,
                    "| {} | {} | {product} {} | {} |",
                    cell(&describe_setting(&x.setting)),
                    cell(&listed.join(", ")),
                    x.removed_text,
                    x.source
                );
            }
            let _ = writeln!(
                s,
                "\nReported when every value the setting lists (comma-separated) is one of these.\n"
            );
        }
        RuleKind::Eol { releases } => {
            let _ = writeln!(s, "## End-of-life dates\n");
            let _ = writeln!(s, "| release line | end of life | source |");
            let _ = writeln!(s, "|---|---|---|");
            for r in releases {
                let _ = writeln!(s, "| {product} {} | {} | {} |", r.line, r.eol, r.source);
            }
            let _ = writeln!(s);
        }
    }
    if !rule.conditions.is_empty() {
        let _ = writeln!(
            s,
            "## Applies when\n\nOne of these is configured somewhere in the repository:\n"
        );
        for c in &rule.conditions {
            let _ = writeln!(s, "- {}", describe_setting(c));
        }
        let _ = writeln!(s);
    }
    if !rule.mitigations.is_empty() {
        let _ = writeln!(
            s,
            "## Mitigations\n\nWith these server settings the finding is reported as `info`:\n"
        );
        for m in &rule.mitigations {
            let settings: Vec<_> = m.settings.iter().map(describe_setting).collect();
            let until = m
                .until_text
                .as_ref()
                .map(|u| format!("; stops working in {product} {u}"))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "- {}: {}{until} ({})",
                settings.join(" and "),
                m.note,
                m.source
            );
        }
        let _ = writeln!(s);
    }
    if let Some(fix) = &rule.fix {
        let _ = writeln!(s, "## Fix\n\n{fix}\n");
    }
    let _ = writeln!(s, "## Sources\n");
    for src in &rule.sources {
        let _ = writeln!(s, "- {src}");
    }
    s
}

fn client_table(s: &mut String, clients: &[ClientRef]) {
    let _ = writeln!(s, "| ecosystem | package | source |");
    let _ = writeln!(s, "|---|---|---|");
    for c in clients {
        let _ = writeln!(s, "| {} | `{}` | {} |", c.ecosystem, c.name, c.source);
    }
    let _ = writeln!(s);
}

fn describe_setting(m: &SettingMatch) -> String {
    let value = |v: &Option<String>, ignore: &[String]| match v {
        Some(v) => format!(" = `{v}`"),
        None if ignore.is_empty() => String::new(),
        None => format!(
            " (any value but {})",
            ignore
                .iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    match m {
        SettingMatch::Env {
            name,
            value: v,
            ignore,
        } => format!("environment `{name}`{}", value(v, ignore)),
        SettingMatch::Arg {
            name,
            value: v,
            ignore,
            next_word,
        } => format!(
            "argument `{name}`{}{}",
            value(v, ignore),
            if *next_word {
                " (also as the next argument)"
            } else {
                ""
            }
        ),
        SettingMatch::UrlParam {
            schemes,
            param,
            unless,
        } => format!(
            "`{param}=` in the query of a connection URL ({}){}",
            schemes
                .iter()
                .map(|s| format!("`{s}://…`"))
                .collect::<Vec<_>>()
                .join(", "),
            if unless.is_empty() {
                String::new()
            } else {
                format!(
                    ", unless it sets {}",
                    unless
                        .iter()
                        .map(|(k, v)| format!("`{k}={v}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                )
            }
        ),
        SettingMatch::UrlUser {
            schemes,
            ignore,
            query,
            no_query,
        } => format!(
            "a URL with a user name ({}){}{}{}",
            schemes
                .iter()
                .map(|s| format!("`{s}://user@…`"))
                .collect::<Vec<_>>()
                .join(", "),
            value(&None, ignore),
            query
                .as_ref()
                .map(|q| format!(" that sets `?{q}=`"))
                .unwrap_or_default(),
            no_query
                .as_ref()
                .map(|q| format!(" that does not set `?{q}=`"))
                .unwrap_or_default(),
        ),
    }
}

/// A Markdown table cell: `|` would end the cell, even inside backticks (`a || b`).
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>() + ".",
        None => String::new(),
    }
}

fn rule_file(origin: &RuleOrigin) -> String {
    match origin {
        RuleOrigin::Builtin { file } => format!("rules/{file}"),
        RuleOrigin::User { path, .. } => path.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The committed pages match the shipped rules; `SKEW_UPDATE_DOCS=1` rewrites them
    /// (and removes pages of rules that no longer exist).
    #[test]
    fn rule_docs_are_current() {
        let rules = RuleSet::builtin().expect("the shipped rules validate");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(RULE_DOCS_DIR);
        let pages = rule_pages(&rules);
        let expected: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        let on_disk: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".md"))
                    .collect()
            })
            .unwrap_or_default();
        if std::env::var_os("SKEW_UPDATE_DOCS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            for stale in on_disk.iter().filter(|n| !expected.contains(&n.as_str())) {
                std::fs::remove_file(dir.join(stale)).unwrap();
            }
            for (name, text) in &pages {
                std::fs::write(dir.join(name), text).unwrap();
            }
            return;
        }
        let mut problems = Vec::new();
        for stale in on_disk.iter().filter(|n| !expected.contains(&n.as_str())) {
            problems.push(format!("{RULE_DOCS_DIR}/{stale} documents no rule"));
        }
        for (name, text) in &pages {
            match std::fs::read_to_string(dir.join(name)) {
                Ok(old) if &old == text => {}
                Ok(_) => problems.push(format!("{RULE_DOCS_DIR}/{name} is stale")),
                Err(_) => problems.push(format!("{RULE_DOCS_DIR}/{name} is missing")),
            }
        }
        assert!(
            problems.is_empty(),
            "{}\nrerun with SKEW_UPDATE_DOCS=1 cargo test --lib docs",
            problems.join("\n")
        );
    }

    #[test]
    fn every_rule_gets_a_page_and_an_index_row() {
        let rules = RuleSet::builtin().unwrap();
        let pages = rule_pages(&rules);
        assert_eq!(pages.len(), rules.rules.len() + 1);
        let index = &pages[0].1;
        for r in &rules.rules {
            assert!(
                index.contains(&format!("[`{0}`]({0}.md)", r.id)),
                "{}",
                r.id
            );
        }
        // a `||` in a requirement must not split the Markdown table row
        let mysql = pages
            .iter()
            .find(|(n, _)| n == "mysql-caching-sha2-password.md")
            .unwrap();
        assert!(mysql.1.contains(r"`>=2.1.8, <2.2 \|\| >=8.0.5`"));
    }
}
