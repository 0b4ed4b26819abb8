//! MySQL option files a compose service mounts from the repository: their options become
//! the server's settings, as if they were given as `--name=value` on its command line,
//! so `removed-setting`, `removed-value` and the mitigations see
//! `default_authentication_plugin=mysql_native_password` in a mounted `my.cnf` as they
//! see it in a `command:`.
//!
//! Why a scan step and not an extractor: what makes a file an option file is the
//! compose file that mounts it (`./conf/mysql.cnf:/etc/my.cnf`), not its name, and its
//! options belong to the service that mounts it. The compose extractor records each
//! service's bind mounts ([`UnitFact::ComposeMounts`]); this step reads the files among
//! them, like `compose_extends` reads an `extends.file`: found among the files already
//! read or read from disk, confined to the root ([`super::join_dir`], then the reader's
//! containment check) and bounded like every scanned file. A file is parsed once, however
//! many services mount it.
//!
//! Which mounts: the places of [`PLACES`], in the order mysqld reads them: its default
//! files on Unix, `/etc/my.cnf` then `/etc/mysql/my.cnf` (mysys `my_default.cc`,
//! `init_default_directories`); the folders the official images include,
//! `/etc/mysql/mariadb.conf.d` (MariaDB's images, before `conf.d`: mariadb-docker's
//! Dockerfile, "Correct order of reading directories /etc/mysql/mariadb.conf.d before
//! /etc/mysql/conf.d") and `/etc/mysql/conf.d` (docker-library/mysql: `echo '!includedir
//! /etc/mysql/conf.d/'` into `/etc/my.cnf`; MariaDB's images include it too), one
//! `.cnf` file mounted there or a whole folder (its `*.cnf` files in name order, at
//! most [`limits::OPTION_FILES_MAX_PER_FOLDER`]; a file mounted over the folder's file
//! of the same name wins, as bind mounts stack); and Bitnami's
//! `/opt/bitnami/{mysql,mariadb}/conf/my.cnf`, the `--defaults-file` their `run.sh`
//! starts the server with, then `my_custom.cnf` there, whose copy Bitnami's scripts
//! `!include` at the end of that `my.cnf`. Each option keeps its place; which places a
//! server reads is its product's (`option_files` in the rule files: MySQL does not read
//! `mariadb.conf.d`), or its image's (`image_option_files`: Bitnami's images, started
//! with `--defaults-file`, read only their two files, never `/etc/my.cnf` or
//! `conf.d`). Option files come before the service's command line: mysqld reads
//! them first, and the last instance of an option wins (`SettingKind::OptionFile`, which
//! `check::settings` lets a later file or the command line override). Not read:
//! `/etc/mysql/mysql.conf.d` (only the 5.7 images, now gone, included it:
//! docker-library/mysql commit 19f5517), `/etc/my.cnf.d` (only MariaDB's -ubi images
//! include it), and the order of a mount that replaces the very file holding an
//! `!includedir` (`./my.cnf:/etc/my.cnf` on MySQL's image: its `conf.d` is then read
//! only if the mounted file includes it) is not modelled, the folder is still read.
//! The mounts are the service's own and those it inherits through `extends`, within
//! its file (the compose extractor) or from an `extends.file` (`compose_extends`), each
//! host path relative to the file that writes it (the mount's span says which).
//!
//! The syntax is mysqld's own reader (`search_default_file_with_ext` in mysys
//! `my_default.cc`; the manual's "Using Option Files"): a line whose first non-space is
//! `#` or `;` is a comment; `[group]`; `name` or `name = value`, spaces around both
//! trimmed; a `#` outside quotes ends the line; one pair of matching outer quotes is
//! removed from a value and `\n \t \r \b \s \" \' \\` are unescaped (another `\x` is
//! kept).
//!
//! Groups: every option is kept with its group (`Setting::group`, lowercased); which
//! groups a server reads, and when, is its product's (`option_groups` in the rule files,
//! `Product::reads_option_group`), judged per server instance by `check::settings`,
//! since the scan knows neither products nor versions. MySQL reads `[mysqld]`,
//! `[server]` and the group of its own release series: mysqld's
//! `load_default_groups[] = {"mysqld", "server", MYSQL_BASE_VERSION, ...}` with
//! `#define MYSQL_BASE_VERSION "mysqld-@MYSQL_BASE_VERSION@"` (major.minor), so
//! `[mysqld-8.4]` only on 8.4. MariaDB also reads its own groups, `[mariadb]`,
//! `[mariadb-X.Y]` and `[client-server]` (the knowledge base's "mysqld Configuration
//! Files and Groups", and the server's `load_default_groups[]= {"mysqld", "server",
//! MYSQL_BASE_VERSION, "mariadb", MARIADB_BASE_VERSION, "client-server", #ifdef
//! WITH_WSREP "galera", #endif 0, 0}`); `[galera]` (10.1 on, or WSREP builds) and the
//! `[mariadbd]` groups of newer sources are not read (see `rules/mariadb.toml`). Whether
//! an image is MariaDB is decided where every image is: by the rules' products
//! (`Product::matches` picks the instance's product in `check`, and that product's
//! `option_groups` say which groups it reads), so `mariadb:10.6` reads `[mariadb]`
//! and `mysql:8.4` does not, and a user's rule file that adds an image name to the
//! `mariadb` product gets its groups too. Such a group counts for a server all of whose versions
//! are in its series (`mysql:8.4.3`, `mysql:8.4`), not for one none of whose are; for
//! one that may run several series (`mysql:8`, `latest`) skew does not guess: its
//! options neither fire nor mitigate, and where one would have (a removed option, a
//! mitigation, an override of one) the finding's message or an `info` note says so.
//! `!include` and `!includedir` name paths inside the container: they are never
//! followed (a file they name that the service also mounts from the repository is read
//! as its own mount); one with no path is an error, as for mysqld. A file mysqld refuses
//! (a `[group` without `]`, an option before any group) is a `parse-error` at its line
//! and column, and gives no settings. The reader is our own, as `extract::setup_cfg`'s
//! is: rust-ini (crate `ini`) and configparser keep no byte positions, so no finding
//! could point at the option's line, and they read another dialect (rust-ini turns
//! `\W` into `W` where mysqld keeps `\W`, takes a quote that opens a value to its
//! closing quote where mysqld strips only a matching outer pair, and knows no
//! `!include`).
//!
//! A mount that cannot be read from the repository is an `unread-option-file` note at
//! the mount's host path, never an error (a file generated at deploy time is common):
//! a path outside the repository (`/etc/mysql/my.cnf` of the host, `../conf`, `~/x`),
//! one that names a compose variable, a file or folder that is not there. When the scan
//! reads from memory (the index, a commit) a file it was not given is not looked for
//! and nothing is said, as for `extends.file`. Must not: read outside the root, follow
//! `!include`, or decide what an image is or which groups it reads (any image mounting
//! these paths gets every option; only rules decide which products read which groups).

use std::collections::HashMap;

use super::{Inventory, ReadExtra, dir_of, join_dir};
use crate::component::{
    ComposeMounts, Ecosystem, Mount, OptionSource, Setting, SettingKind, UnitFact,
};
use crate::diagnostic::{Code, Finding, Label, Subject, parse_error};
use crate::limits;
use crate::source::{FileId, SourceFile, Span};

/// The manual's page on option files (syntax, groups, `!include`).
const MANUAL: &str = "https://dev.mysql.com/doc/refman/8.4/en/option-files.html";

/// The option files mysqld reads, by container path, in the order it reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    /// `/etc/my.cnf`
    Etc,
    /// `/etc/mysql/my.cnf`
    EtcMysql,
    /// `/etc/mysql/mariadb.conf.d/*.cnf` (MariaDB's images include it before `conf.d`)
    MariadbConfD,
    /// `/etc/mysql/conf.d/*.cnf`
    ConfD,
    /// `/opt/bitnami/mysql/conf/my.cnf`, the `--defaults-file` Bitnami's `run.sh`
    /// starts mysqld with
    BitnamiMysqlMain,
    /// `/opt/bitnami/mysql/conf/my_custom.cnf` (`!include`d at the end of Bitnami's
    /// own `my.cnf`)
    BitnamiMysql,
    /// `/opt/bitnami/mariadb/conf/my.cnf`
    BitnamiMariadbMain,
    /// `/opt/bitnami/mariadb/conf/my_custom.cnf`
    BitnamiMariadb,
}

/// Every place's container path, as rule files name them (`option_files`).
pub(crate) const PLACES: &[&str] = &[
    "/etc/my.cnf",
    "/etc/mysql/my.cnf",
    "/etc/mysql/mariadb.conf.d",
    "/etc/mysql/conf.d",
    "/opt/bitnami/mysql/conf/my.cnf",
    "/opt/bitnami/mysql/conf/my_custom.cnf",
    "/opt/bitnami/mariadb/conf/my.cnf",
    "/opt/bitnami/mariadb/conf/my_custom.cnf",
];

impl Place {
    const ALL: [Place; 8] = [
        Place::Etc,
        Place::EtcMysql,
        Place::MariadbConfD,
        Place::ConfD,
        Place::BitnamiMysqlMain,
        Place::BitnamiMysql,
        Place::BitnamiMariadbMain,
        Place::BitnamiMariadb,
    ];

    fn path(self) -> &'static str {
        PLACES[self as usize]
    }

    fn is_folder(self) -> bool {
        matches!(self, Place::MariadbConfD | Place::ConfD)
    }
}

/// What a mount's container path is to mysqld: a file of `place` (with its name in a
/// folder), or a whole folder; `None` when no server reads it.
fn place(target: &str) -> Option<(Place, Option<&str>)> {
    let target = target.trim_end_matches('/');
    if let Some(p) = Place::ALL.into_iter().find(|p| p.path() == target) {
        return Some((p, None));
    }
    Place::ALL
        .into_iter()
        .filter(|p| p.is_folder())
        .find_map(|p| {
            let name = target.strip_prefix(p.path())?.strip_prefix('/')?;
            (!name.contains('/') && name.ends_with(".cnf")).then_some((p, Some(name)))
        })
}

pub(super) fn resolve(inv: &mut Inventory, extra: Option<ReadExtra<'_>>) {
    let facts: Vec<ComposeMounts> = inv
        .units
        .iter()
        .filter_map(|u| match u {
            UnitFact::ComposeMounts(m) => Some(m.clone()),
            _ => None,
        })
        .filter(|m| m.mounts.iter().any(|m| place(&m.target).is_some()))
        .collect();
    if facts.is_empty() {
        return;
    }
    let inherited: Vec<(Span, FileId, String)> = inv
        .units
        .iter()
        .filter_map(|u| match u {
            UnitFact::ComposeInherited {
                component,
                file,
                service,
            } => Some((*component, *file, service.clone())),
            _ => None,
        })
        .collect();
    let mut parsed: HashMap<FileId, Vec<Setting>> = HashMap::new();
    for fact in facts {
        let file = fact.span.file;
        // the service's servers: its own image, or the one its `extends.file` gave it
        let runs: Vec<usize> = inv
            .components
            .iter()
            .enumerate()
            .filter(|(_, c)| c.group.as_deref() == Some(fact.service.as_str()))
            .filter(|(_, c)| {
                (c.span.file == file && c.ecosystem == Ecosystem::Docker)
                    || inherited
                        .iter()
                        .any(|(s, f, svc)| *s == c.span && *f == file && *svc == fact.service)
            })
            .map(|(i, _)| i)
            .collect();
        if runs.is_empty() {
            continue;
        }
        let files = mounted_files(inv, extra, &fact);
        let mut settings = Vec::new();
        for (id, at) in files {
            if let std::collections::hash_map::Entry::Vacant(slot) = parsed.entry(id) {
                let got = match inv.sources.get(id).with_text() {
                    Some(f) => match read_options(&f) {
                        Ok(opts) => opts,
                        Err(problem) => {
                            inv.problems.push(*problem);
                            Vec::new()
                        }
                    },
                    None => Vec::new(),
                };
                slot.insert(got);
            }
            settings.extend(parsed[&id].iter().cloned().map(|mut s| {
                if let Some(from) = &mut s.from_file {
                    from.place = at.path();
                }
                s
            }));
        }
        for i in runs {
            inv.components[i]
                .settings
                .splice(0..0, settings.iter().cloned());
        }
    }
}

/// The option files of one service's mounts with their places, in the order mysqld
/// reads them, added to
/// the sources when they were not read yet; a mount that cannot be read is a note.
fn mounted_files(
    inv: &mut Inventory,
    extra: Option<ReadExtra<'_>>,
    fact: &ComposeMounts,
) -> Vec<(FileId, Place)> {
    // (where, name in conf.d, repository path)
    let mut found: Vec<(Place, String, String)> = Vec::new();
    let mut by_file: Vec<(Place, String, String)> = Vec::new();
    for m in &fact.mounts {
        let Some((at, name)) = place(&m.target) else {
            continue;
        };
        if m.source.contains('$') {
            inv.problems.push(unread(
                fact,
                m,
                "its host path names a variable, which skew does not resolve",
            ));
            continue;
        }
        // relative to the file that writes it: an `extends.file` gives its own mounts
        let dir = dir_of(&inv.sources.get(m.source_span.file).path).to_string();
        let Some(rel) = join_dir(&dir, &m.source) else {
            inv.problems.push(unread(
                fact,
                m,
                "the host path is outside the repository, which skew does not read",
            ));
            continue;
        };
        match (at, name) {
            (at, None) if at.is_folder() => match listing(inv, extra, &rel) {
                Ok(paths) => {
                    for p in paths {
                        let name = p.rsplit('/').next().unwrap_or(&p).to_string();
                        found.push((at, name, p));
                    }
                }
                Err(Some(why)) => inv.problems.push(unread(
                    fact,
                    m,
                    &format!("the folder `{rel}` cannot be read from the repository ({why})"),
                )),
                Err(None) => {}
            },
            (at, name) => {
                let name = name.unwrap_or_default().to_string();
                by_file.push((at, name, rel));
            }
        }
    }
    // a file mounted into a folder hides the mounted folder's file of that name
    found.retain(|(at, name, _)| !by_file.iter().any(|(a, n, _)| a == at && n == name));
    found.extend(by_file);
    found.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut ids = Vec::new();
    for (at, name, rel) in found {
        match load(inv, extra, &rel) {
            Ok(id) => ids.push((id, at)),
            Err(Some(why)) => {
                let m = fact.mounts.iter().find(|m| {
                    place(&m.target)
                        .is_some_and(|(a, n)| a == at && (n.is_none() || n == Some(name.as_str())))
                });
                if let Some(m) = m {
                    inv.problems.push(unread(
                        fact,
                        m,
                        &format!("`{rel}` cannot be read from the repository ({why})"),
                    ));
                }
            }
            Err(None) => {}
        }
    }
    ids
}

/// The file at `rel`, from the sources or read from disk; `Err(None)` when the scan
/// does not look at other files.
fn load(
    inv: &mut Inventory,
    extra: Option<ReadExtra<'_>>,
    rel: &str,
) -> Result<FileId, Option<String>> {
    if let Some(f) = inv.sources.by_path(rel) {
        return Ok(f.id);
    }
    let text = extra.ok_or(None)?.read(rel)?;
    let id = FileId(inv.sources.len() as u32);
    Ok(inv.sources.push(SourceFile::new(id, rel, text)))
}

/// The `.cnf` files of the folder at `rel`: from disk, or among the sources when the
/// scan reads from memory.
fn listing(
    inv: &Inventory,
    extra: Option<ReadExtra<'_>>,
    rel: &str,
) -> Result<Vec<String>, Option<String>> {
    match extra {
        Some(extra) => extra.list_cnf(rel),
        None => {
            let mut paths: Vec<String> = inv
                .sources
                .iter()
                .filter(|f| dir_of(&f.path) == rel && f.path.ends_with(".cnf"))
                .map(|f| f.path.clone())
                .collect();
            paths.sort();
            paths.truncate(limits::OPTION_FILES_MAX_PER_FOLDER);
            Ok(paths)
        }
    }
}

/// The `unread-option-file` note for a mount skew cannot read.
fn unread(fact: &ComposeMounts, m: &Mount, why: &str) -> Finding {
    Finding {
        rule_id: Code::UnreadOptionFile.as_str().into(),
        severity: Code::UnreadOptionFile.severity(),
        message: format!(
            "service `{}` mounts `{}` as the MySQL option file `{}`, but {why}: its options are unknown to skew and no rule checks them",
            fact.service, m.source, m.target
        ),
        primary: Label::new(m.source_span, "mounted here"),
        related: Vec::new(),
        fix: Some(
            "keep the option file in the repository and mount it by a relative path (`./my.cnf:/etc/mysql/conf.d/my.cnf`), or ignore this note saying where the file comes from".into(),
        ),
        sources: vec![MANUAL.into()],
        subject: Subject {
            ecosystem: Some(Ecosystem::Docker),
            name: fact.service.clone(),
            version: None,
            counterpart: Some(format!("`{}`", m.target)),
        },
        components: Vec::new(),
    }
}

/// The options of an option file, in file order, as mysqld passes them to its option
/// parser, each with its group lowercased. Every group is kept: which of them a server
/// reads (`[mysqld]`, `[mysqld-8.4]` only on 8.4, `[mariadb]` only on MariaDB) is its
/// product's (`Product::option_groups`), decided where the instance is known.
pub(crate) fn read_options(file: &SourceFile) -> Result<Vec<Setting>, Box<Finding>> {
    Ok(parse(file)?
        .into_iter()
        .map(|o| Setting {
            kind: SettingKind::OptionFile,
            name: match &o.value {
                Some(v) => format!("--{}={v}", o.name),
                None => format!("--{}", o.name),
            },
            value: o.value.unwrap_or_default(),
            span: o.span,
            // the place is the mount's (`resolve`)
            from_file: Some(OptionSource {
                group: o.group.to_ascii_lowercase(),
                place: "",
            }),
        })
        .collect())
}

/// One option line as mysqld reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Opt {
    group: String,
    name: String,
    /// After `=`, trimmed, unquoted and unescaped; `None` without `=`.
    value: Option<String>,
    /// From the name to the end of the value as written (quotes included).
    span: Span,
}

/// The whitespace `my_isspace` skips around names, values and directives.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// Every option of an option file with its group, or the first line mysqld refuses.
fn parse(file: &SourceFile) -> Result<Vec<Opt>, Box<Finding>> {
    let mut opts = Vec::new();
    let mut group: Option<String> = None;
    let mut at = 0;
    for raw in file.text.split_inclusive('\n') {
        let line_start = at;
        at += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let rest = line.trim_start_matches(is_space);
        let start = line_start + (line.len() - rest.len());
        let refuse = |message: String| {
            Box::new(parse_error(
                file.span(start, start + rest.len()),
                "MySQL option file",
                format!("{message}; mysqld refuses the file and does not start"),
            ))
        };
        if rest.is_empty() || rest.starts_with(['#', ';']) {
            continue;
        }
        if let Some(directive) = rest.strip_prefix('!') {
            let directive = directive.trim_start_matches(is_space);
            for keyword in ["includedir", "include"] {
                if let Some(arg) = directive.strip_prefix(keyword)
                    && (arg.is_empty() || arg.starts_with(is_space))
                {
                    // a path inside the container: never followed (see the module doc)
                    if arg.trim_matches(is_space).is_empty() {
                        return Err(refuse(format!("`!{keyword}` names no path")));
                    }
                    break;
                }
            }
            continue;
        }
        if let Some(name) = rest.strip_prefix('[') {
            let Some(end) = name.find(']') else {
                return Err(refuse("a `[group` without its closing `]`".into()));
            };
            group = Some(name[..end].trim_end_matches(is_space).to_string());
            continue;
        }
        let Some(group) = &group else {
            return Err(refuse(
                "an option before the first `[group]` (mysqld reads `[mysqld]`)".into(),
            ));
        };
        let content = &rest[..end_comment(rest)];
        let (name, value, end) = match content.split_once('=') {
            Some((name, value)) => {
                let written = value.trim_matches(is_space);
                let value_end = if written.is_empty() {
                    name.len() + 1
                } else {
                    let lead = value.len() - value.trim_start_matches(is_space).len();
                    name.len() + 1 + lead + written.len()
                };
                (name, Some(unescape(unquote(written))), value_end)
            }
            None => {
                let name = content.trim_end_matches(is_space);
                (name, None, name.len())
            }
        };
        opts.push(Opt {
            group: group.clone(),
            name: name.trim_end_matches(is_space).to_string(),
            value,
            span: file.span(start, start + end),
        });
    }
    Ok(opts)
}

/// Where a `#` outside quotes ends the line (`remove_end_comment`): quotes open and
/// close anywhere, a `\` inside quotes escapes the next character.
fn end_comment(text: &str) -> usize {
    let mut quote: Option<char> = None;
    let mut escape = false;
    for (i, c) in text.char_indices() {
        if (c == '\'' || c == '"') && !escape {
            match quote {
                None => quote = Some(c),
                Some(q) if q == c => quote = None,
                Some(_) => {}
            }
        }
        if quote.is_none() && c == '#' {
            return i;
        }
        escape = quote.is_some() && c == '\\' && !escape;
    }
    text.len()
}

/// One pair of matching outer quotes removed, when the value is longer than one
/// character.
fn unquote(v: &str) -> &str {
    let b = v.as_bytes();
    if b.len() > 1 && matches!(b[0], b'"' | b'\'') && b[b.len() - 1] == b[0] {
        &v[1..v.len() - 1]
    } else {
        v
    }
}

/// mysqld's escapes: `\n \t \r \b \s \" \' \\`; another `\x` (and a `\` at the end) is
/// kept as written.
fn unescape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&n) = chars.peek() else {
            out.push('\\');
            break;
        };
        chars.next();
        match n {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'b' => out.push('\u{8}'),
            's' => out.push(' '),
            '"' | '\'' | '\\' => out.push(n),
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(text: &str) -> Vec<String> {
        let file = SourceFile::new(FileId(0), "my.cnf", text);
        parse(&file)
            .unwrap()
            .iter()
            .map(|o| {
                let l = file.location(o.span);
                format!(
                    "[{}] {}={:?} @{}:{} «{}»",
                    o.group,
                    o.name,
                    o.value,
                    l.line,
                    l.column,
                    file.slice(o.span)
                )
            })
            .collect()
    }

    fn refused(text: &str) -> String {
        let file = SourceFile::new(FileId(0), "my.cnf", text);
        let p = parse(&file).unwrap_err();
        let l = file.location(p.primary.span);
        format!("{}:{} {}", l.line, l.column, p.message)
    }

    #[test]
    fn reads_options_as_mysqld_does() {
        let text = "# comment\n; another\n\n[client]\nport=3306\n[mysqld]\n  default_authentication_plugin = mysql_native_password  # old clients\ntls-version=\"TLSv1,TLSv1.1\"\nskip-name-resolve\nsql_mode = 'a#b' # kept inside quotes\npath=C:\\\\x\\y\\sz\nempty =\n!includedir /etc/mysql/conf.d/\n! include /etc/other.cnf\n[ server ]\n[mysqld-8.0]\nlower_case_table_names=1\n";
        insta::assert_snapshot!(options(text).join("\n"), @r#"
        [client] port=Some("3306") @5:1 «port=3306»
        [mysqld] default_authentication_plugin=Some("mysql_native_password") @7:3 «default_authentication_plugin = mysql_native_password»
        [mysqld] tls-version=Some("TLSv1,TLSv1.1") @8:1 «tls-version="TLSv1,TLSv1.1"»
        [mysqld] skip-name-resolve=None @9:1 «skip-name-resolve»
        [mysqld] sql_mode=Some("a#b") @10:1 «sql_mode = 'a#b'»
        [mysqld] path=Some("C:\\x\\y z") @11:1 «path=C:\\x\y\sz»
        [mysqld] empty=Some("") @12:1 «empty =»
        [mysqld-8.0] lower_case_table_names=Some("1") @17:1 «lower_case_table_names=1»
        "#);
    }

    /// Every group's options are kept, with the group lowercased: which groups a server
    /// reads is its product's, decided by the checks.
    #[test]
    fn options_keep_their_group() {
        let text = "[client]\nuser=app\n[mysqld]\ntls_version=TLSv1.1\n[Server]\nmax_connections=10\n[mysqld-8.0]\ndefault_authentication_plugin=mysql_native_password\n[mariadb]\nx=1\n";
        let file = SourceFile::new(FileId(0), "my.cnf", text);
        let got: Vec<_> = read_options(&file)
            .unwrap()
            .into_iter()
            .map(|s| {
                let group = s.from_file.map(|f| f.group);
                format!("{group:?} {} {:?} {}", s.name, s.kind, s.value)
            })
            .collect();
        assert_eq!(
            got,
            [
                "Some(\"client\") --user=app OptionFile app",
                "Some(\"mysqld\") --tls_version=TLSv1.1 OptionFile TLSv1.1",
                "Some(\"server\") --max_connections=10 OptionFile 10",
                "Some(\"mysqld-8.0\") --default_authentication_plugin=mysql_native_password OptionFile mysql_native_password",
                "Some(\"mariadb\") --x=1 OptionFile 1",
            ]
        );
    }

    #[test]
    fn lines_mysqld_refuses_are_parse_errors_at_their_line() {
        assert_eq!(
            refused("# x\n  [mysqld\nport=1\n"),
            "2:3 cannot parse MySQL option file: a `[group` without its closing `]`; mysqld refuses the file and does not start"
        );
        assert_eq!(
            refused("port=1\n[mysqld]\n"),
            "1:1 cannot parse MySQL option file: an option before the first `[group]` (mysqld reads `[mysqld]`); mysqld refuses the file and does not start"
        );
        assert_eq!(
            refused("[mysqld]\n!includedir   \n"),
            "2:1 cannot parse MySQL option file: `!includedir` names no path; mysqld refuses the file and does not start"
        );
        // an unknown directive is skipped, as mysqld skips it
        assert!(options("!foo\n[mysqld]\na=1\n").len() == 1);
    }

    #[test]
    fn escapes_and_quotes() {
        assert_eq!(
            unescape(r#"a\nb\tc\sd\\e\"f\'g\qh\"#),
            "a\nb\tc d\\e\"f'g\\qh\\"
        );
        assert_eq!(unquote("\"x\""), "x");
        assert_eq!(unquote("'x"), "'x");
        assert_eq!(unquote("\""), "\"");
        assert_eq!(end_comment("a=\"b#c\" # d"), 8);
        assert_eq!(end_comment("a=b;c"), 5);
    }

    #[test]
    fn container_paths_mysqld_reads() {
        assert_eq!(place("/etc/my.cnf"), Some((Place::Etc, None)));
        assert_eq!(place("/etc/mysql/my.cnf"), Some((Place::EtcMysql, None)));
        assert_eq!(place("/etc/mysql/conf.d/"), Some((Place::ConfD, None)));
        assert_eq!(
            place("/etc/mysql/conf.d/custom.cnf"),
            Some((Place::ConfD, Some("custom.cnf")))
        );
        assert_eq!(
            place("/etc/mysql/mariadb.conf.d/90-app.cnf"),
            Some((Place::MariadbConfD, Some("90-app.cnf")))
        );
        assert_eq!(
            place("/opt/bitnami/mysql/conf/my_custom.cnf"),
            Some((Place::BitnamiMysql, None))
        );
        for p in Place::ALL {
            assert_eq!(place(p.path()), Some((p, None)), "{p:?}");
        }
        assert_eq!(
            place("/opt/bitnami/mysql/conf/my.cnf"),
            Some((Place::BitnamiMysqlMain, None))
        );
        for other in [
            "/opt/bitnami/mysql/conf/bitnami/my_custom.cnf",
            "/etc/my.cnf.d/custom.cnf",
            "/etc/mysql/conf.d/notes.txt",
            "/etc/mysql/conf.d/a/b.cnf",
            "/var/lib/mysql",
            "/etc/mysql/mysql.conf.d/mysqld.cnf",
            "/docker-entrypoint-initdb.d",
        ] {
            assert_eq!(place(other), None, "{other}");
        }
    }
}
