//! Terminal manners generated from the clap definitions: shell completions and man pages.
//!
//! Owns nothing but the generation: both are derived from [`crate::cli::Cli`], so a new
//! flag appears in completions and in the manual without anyone editing them. The man
//! pages shipped in `docs/man/` are checked by a test that regenerates them and fails
//! when they are stale. Must not: hand-write help text that clap already has.

use std::io::{self, Write};

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// Write the completion script for `shell` (bash, zsh, fish, …).
pub fn completions(shell: Shell, out: &mut dyn Write) {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "skew", out);
}

/// Every man page as `(file name, roff)`: `skew.1`, then `skew-<command>.1` per
/// subcommand, in the order `skew --help` lists them.
pub fn man_pages() -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut cmd = Cli::command();
    // building sets each subcommand's display name (`skew-check`), which the pages use
    cmd.build();
    let mut pages = Vec::new();
    let mut top = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut top)?;
    pages.push(("skew.1".to_string(), top));
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let name = sub
            .get_display_name()
            .map(str::to_string)
            .unwrap_or_else(|| format!("skew-{}", sub.get_name()));
        let mut buf = Vec::new();
        clap_mangen::Man::new(sub.clone()).render(&mut buf)?;
        pages.push((format!("{name}.1"), buf));
    }
    Ok(pages)
}

/// The subcommands that have a page (`check`, `what-if`, …), in definition order.
pub fn subcommands() -> io::Result<Vec<String>> {
    Ok(man_pages()?
        .into_iter()
        .filter_map(|(f, _)| {
            f.strip_prefix("skew-")
                .and_then(|n| n.strip_suffix(".1"))
                .map(str::to_string)
        })
        .collect())
}

/// The main page, `skew.1`, as `skew man` prints it.
pub fn man_page() -> io::Result<Vec<u8>> {
    let mut pages = man_pages()?;
    Ok(pages.swap_remove(0).1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completions_name_every_subcommand() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let mut buf = Vec::new();
            completions(shell, &mut buf);
            let s = String::from_utf8(buf).unwrap();
            for sub in [
                "check",
                "scan",
                "rules",
                "explain",
                "graph",
                "completions",
                "man",
            ] {
                assert!(s.contains(sub), "{shell:?} completion lacks `{sub}`");
            }
            assert!(
                s.contains("staged"),
                "{shell:?} completion lacks `--staged`"
            );
        }
    }

    /// The man pages in `docs/man/` are what the code generates. Regenerate with
    /// `SNAPSHOTS=overwrite cargo test --lib shell::`.
    #[test]
    fn shipped_man_pages_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
        let overwrite = std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite");
        let pages = man_pages().unwrap();
        if overwrite {
            std::fs::create_dir_all(&dir).unwrap();
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                if entry.path().extension().is_some_and(|e| e == "1") {
                    std::fs::remove_file(entry.path()).unwrap();
                }
            }
        }
        let mut stale = Vec::new();
        for (name, roff) in &pages {
            let path = dir.join(name);
            if overwrite {
                std::fs::write(&path, roff).unwrap();
            } else if std::fs::read(&path).ok().as_deref() != Some(roff.as_slice()) {
                stale.push(name.clone());
            }
        }
        let mut shipped: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".1"))
                    .collect()
            })
            .unwrap_or_default();
        shipped.retain(|n| !pages.iter().any(|(p, _)| p == n));
        assert!(
            stale.is_empty() && shipped.is_empty(),
            "docs/man is stale (changed: {stale:?}, no longer generated: {shipped:?}); \
             run `SNAPSHOTS=overwrite cargo test --lib shell::`"
        );
    }
}
