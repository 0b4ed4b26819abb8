//! End-to-end speed against the floor: `cargo bench --bench e2e` (release build).
//!
//! The floor is what no linter can beat: walk the tree with the same walker settings as
//! skew (`.gitignore` honoured, the default-excluded folders skipped) and read every file
//! an extractor wants, nothing else. It runs as a child process like skew, so both pay
//! process start-up. For each generated tree the runs alternate (floor, `skew check
//! --format json` to a pipe, human `skew check` to a pipe), and the report gives medians
//! of wall time, CPU time (user + system) and each child's own peak RSS (`wait4`).
//!
//! Trees (written to a temporary folder, removed at the end; never committed):
//! - `shared-400`: 400 services shaped like issue 13 (6 manifests each, one root compose
//!   with MySQL, PostgreSQL and Redis, about 37 MB of package-lock.json, about 58k files
//!   with the ignored `node_modules/` and `dist/`);
//! - `own-200`: 200 services that each run their own PostgreSQL and Redis (7 manifests);
//! - `scale-N`: the shared shape for N = 100, 200, 400, 800, 1600 (time per service).
//!
//! Environment: `E2E_ROUNDS` (default 7), `E2E_ONLY` (comma-separated tree names, e.g.
//! `shared-400,own-200`), `E2E_KEEP=DIR` (write the trees there and keep them, for
//! profiling by hand), `E2E_STAGED=1` (also time `check --staged` and the LSP round trip,
//! see `docs/performance.md`). Targets live in `docs/performance.md`, never in tests.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("floor") {
        floor(Path::new(&args[2]));
        return;
    }
    let rounds: usize = env_or("E2E_ROUNDS", 7);
    let only: Option<Vec<String>> = std::env::var("E2E_ONLY")
        .ok()
        .map(|s| s.split(',').map(str::to_string).collect());
    let wanted = |name: &str| only.as_ref().is_none_or(|o| o.iter().any(|x| x == name));
    let keep = std::env::var_os("E2E_KEEP").map(PathBuf::from);
    let tmp = tempfile::tempdir().unwrap();
    let base = keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    let skew = PathBuf::from(env!("CARGO_BIN_EXE_skew"));
    println!("{}", machine());
    println!("rounds: {rounds} (alternating floor / json / human), medians\n");

    let mut trees: Vec<(String, Shape)> = vec![
        ("shared-400".into(), Shape::shared(400)),
        ("own-200".into(), Shape::own_servers(200)),
    ];
    for n in [100, 200, 400, 800, 1600] {
        trees.push((format!("scale-{n}"), Shape::shared(n)));
    }
    println!(
        "| tree | services | manifests | lockfile MB | files | floor | json | human | json/floor | human/floor | json CPU | floor RSS | json RSS | human RSS | json per service |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (name, shape) in trees {
        if !wanted(&name) {
            continue;
        }
        let dir = base.join(&name);
        let stats = if dir.join(".generated").exists() {
            Stats::read(&dir)
        } else {
            let _ = std::fs::remove_dir_all(&dir);
            generate(&dir, &shape)
        };
        let me = std::env::current_exe().unwrap();
        let floor_cmd = || {
            let mut c = Command::new(&me);
            c.arg("floor").arg(&dir);
            c
        };
        let check = |format: &str| {
            let mut c = Command::new(&skew);
            c.args(["check", "--format", format, "--fail-on", "never"])
                .arg(&dir)
                .env("SKEW_TODAY", "2026-01-01");
            c
        };
        let mut floor_runs = Vec::new();
        let mut json_runs = Vec::new();
        let mut human_runs = Vec::new();
        let rounds = if shape.services >= 800 {
            rounds.div_ceil(2).max(3)
        } else {
            rounds
        };
        for _ in 0..rounds {
            floor_runs.push(run(floor_cmd()));
            json_runs.push(run(check("json")));
            human_runs.push(run(check("human")));
        }
        let (f, j, h) = (
            Median::of(&floor_runs),
            Median::of(&json_runs),
            Median::of(&human_runs),
        );
        println!(
            "| {name} | {} | {} | {:.1} | {} | {} | {} | {} | {:.1}× | {:.1}× | {} | {} MB | {} MB | {} MB | {:.2} ms |",
            shape.services,
            stats.manifests,
            stats.lock_bytes as f64 / 1e6,
            stats.files,
            ms(f.wall),
            ms(j.wall),
            ms(h.wall),
            j.wall.as_secs_f64() / f.wall.as_secs_f64(),
            h.wall.as_secs_f64() / f.wall.as_secs_f64(),
            ms(j.cpu),
            f.rss_kb / 1024,
            j.rss_kb / 1024,
            h.rss_kb / 1024,
            j.wall.as_secs_f64() * 1e3 / shape.services as f64,
        );
    }
    if std::env::var_os("E2E_STAGED").is_some() {
        staged_and_lsp(&base.join("precommit"), &skew, rounds);
    }
    if keep.is_none() {
        drop(tmp);
    }
}

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Core count and load, for the report.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    format!(
        "cores: {cores}, load average (1/5/15 min): {}",
        load.join(" ")
    )
}

// ---------------------------------------------------------------------------------------
// the floor

/// Walk like skew's scanner and read every wanted file; print what was read so the work
/// cannot be optimised away.
fn floor(root: &Path) {
    let excludes: Vec<String> = skew::scan::DEFAULT_EXCLUDES
        .iter()
        .map(|s| s.to_string())
        .collect();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .parents(false)
        .filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            !(is_dir
                && e.depth() > 0
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| excludes.iter().any(|x| x == n)))
        })
        .build();
    let (mut files, mut bytes) = (0usize, 0usize);
    for entry in walker.flatten() {
        if entry.file_type().is_none_or(|t| t.is_dir()) {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        if skew::extract::wanted_by(rel).next().is_some() {
            let text = std::fs::read(entry.path()).unwrap();
            files += 1;
            bytes += text.len();
        }
    }
    println!("{files} files, {bytes} bytes");
}

// ---------------------------------------------------------------------------------------
// measuring a child

#[derive(Clone, Copy)]
struct Run {
    wall: Duration,
    cpu: Duration,
    rss_kb: u64,
}

/// Run to completion with stdout drained through a pipe (as in CI), stderr discarded;
/// wall time, and the child's own CPU time and peak RSS from `wait4`.
// the child is reaped by `libc::wait4` below (for its rusage), which clippy cannot see
#[allow(clippy::zombie_processes)]
fn run(mut cmd: Command) -> Run {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut sink = Vec::new();
    out.read_to_end(&mut sink).unwrap();
    let (status, usage) = wait4(child.id());
    let wall = start.elapsed();
    assert!(
        status == 0 || status == 1 << 8,
        "{cmd:?} failed: {status}\n{}",
        String::from_utf8_lossy(&sink)
    );
    assert!(!sink.is_empty(), "{cmd:?} printed nothing");
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Run {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        rss_kb: usage.ru_maxrss as u64,
    }
}

fn wait4(pid: u32) -> (i32, libc::rusage) {
    let mut status = 0;
    // SAFETY: `rusage` is plain data; wait4 fills it for the child we spawned
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid as i32, &mut status, 0, &mut usage) };
    assert_eq!(r, pid as i32, "wait4");
    (status, usage)
}

struct Median {
    wall: Duration,
    cpu: Duration,
    rss_kb: u64,
}

impl Median {
    fn of(runs: &[Run]) -> Median {
        fn mid<T: Ord + Copy>(mut v: Vec<T>) -> T {
            v.sort();
            v[v.len() / 2]
        }
        Median {
            wall: mid(runs.iter().map(|r| r.wall).collect()),
            cpu: mid(runs.iter().map(|r| r.cpu).collect()),
            rss_kb: mid(runs.iter().map(|r| r.rss_kb).collect()),
        }
    }
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 100.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

// ---------------------------------------------------------------------------------------
// the generator

/// What a generated tree looks like.
struct Shape {
    services: usize,
    /// Each service runs its own PostgreSQL and Redis (a compose file per service) instead
    /// of sharing the root compose file's servers.
    own_servers: bool,
    /// Packages in each service's package-lock.json.
    lock_packages: usize,
    /// Packages installed under each service's ignored `node_modules/` (3 files each).
    installed: usize,
}

impl Shape {
    fn shared(services: usize) -> Shape {
        Shape {
            services,
            own_servers: false,
            lock_packages: 330,
            installed: 45,
        }
    }

    fn own_servers(services: usize) -> Shape {
        Shape {
            own_servers: true,
            ..Shape::shared(services)
        }
    }
}

/// What was written: counts for the report.
struct Stats {
    manifests: usize,
    files: usize,
    lock_bytes: usize,
}

impl Stats {
    fn read(dir: &Path) -> Stats {
        let s = std::fs::read_to_string(dir.join(".generated")).unwrap();
        let n: Vec<usize> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();
        Stats {
            manifests: n[0],
            files: n[1],
            lock_bytes: n[2],
        }
    }
}

/// A small deterministic generator (no `rand` dependency): the same tree every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The npm packages services draw from: real client names skew has rules for, then a
/// pool of made-up names shared between services (as lodash or express are in a real
/// monorepo), so one name appears in many lockfiles.
const CLIENTS: &[&str] = &["mysql2", "pg", "ioredis", "express"];
const POOL: usize = 1000;

fn pool_name(i: usize) -> String {
    match i % 4 {
        0 => format!("lib-{i}"),
        1 => format!("@scope{}/util-{i}", i % 17),
        2 => format!("tool-{i}-core"),
        _ => format!("x{i}"),
    }
}

fn generate(dir: &Path, shape: &Shape) -> Stats {
    let mut files = 0usize;
    let mut manifests = 0usize;
    let mut lock_bytes = 0usize;
    let mut write = |path: PathBuf, text: &str, manifest: bool| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        files += 1;
        manifests += manifest as usize;
    };
    write(dir.join(".gitignore"), "node_modules/\ndist/\n", false);
    if !shape.own_servers {
        write(
            dir.join("docker-compose.yml"),
            "services:\n  mysql:\n    image: mysql:8.0.36\n  postgres:\n    image: postgres:16.2\n  redis:\n    image: redis:7.2.4\n",
            true,
        );
    }
    let mut rng = Lcg(0x5eed);
    for s in 0..shape.services {
        let svc = dir.join(format!("services/svc{s:04}"));
        // one service in ten has an old mysql2, one in eight an old PyMySQL, one in
        // sixteen an end-of-life Node: findings, as in a real monorepo
        let mysql2 = if s % 10 == 3 { "1.7.0" } else { "3.9.2" };
        let pymysql = if s % 8 == 5 { "0.8.1" } else { "1.1.0" };
        let node = if s % 16 == 7 { "16" } else { "20" };
        let mut direct: Vec<(String, String)> = vec![
            ("mysql2".into(), mysql2.into()),
            ("pg".into(), format!("8.11.{}", s % 4)),
            ("ioredis".into(), format!("5.3.{}", s % 3)),
            ("express".into(), "4.18.2".into()),
        ];
        let mut names: Vec<usize> = (0..shape.lock_packages - CLIENTS.len())
            .map(|_| rng.below(POOL))
            .collect();
        names.sort();
        names.dedup();
        let mut locked: Vec<(String, String)> = direct.clone();
        for (k, &i) in names.iter().enumerate() {
            let version = format!("{}.{}.{}", 1 + i % 5, (i + s) % 20, k % 9);
            if k % 20 == 0 {
                direct.push((pool_name(i), version.clone()));
            }
            locked.push((pool_name(i), version));
        }
        // package.json
        let mut pj = format!(
            "{{\n  \"name\": \"svc{s}\",\n  \"version\": \"1.0.0\",\n  \"private\": true,\n  \"engines\": {{ \"node\": \">={node}\" }},\n  \"dependencies\": {{\n"
        );
        for (k, (n, v)) in direct.iter().enumerate() {
            let comma = if k + 1 < direct.len() { "," } else { "" };
            let _ = writeln!(pj, "    \"{n}\": \"^{v}\"{comma}");
        }
        pj.push_str("  }\n}\n");
        write(svc.join("package.json"), &pj, true);
        // package-lock.json (v3)
        let mut lock = format!(
            "{{\n  \"name\": \"svc{s}\",\n  \"version\": \"1.0.0\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {{\n    \"\": {{\n      \"name\": \"svc{s}\",\n      \"version\": \"1.0.0\"\n    }}"
        );
        for (k, (n, v)) in locked.iter().enumerate() {
            let _ = write!(
                lock,
                ",\n    \"node_modules/{n}\": {{\n      \"version\": \"{v}\",\n      \"resolved\": \"https://registry.example.test/npm/{n}/-/{n}-{v}.tgz\",\n      \"integrity\": \"sha512-{:0>86}==\",\n      \"license\": \"MIT\",\n      \"engines\": {{\n        \"node\": \">=14\"\n      }}\n    }}",
                (s * 7919 + k) % 1_000_003
            );
        }
        lock.push_str("\n  }\n}\n");
        lock_bytes += lock.len();
        write(svc.join("package-lock.json"), &lock, true);
        write(
            svc.join("requirements.txt"),
            &format!("PyMySQL=={pymysql}\npsycopg2-binary==2.9.9\nrequests>=2.31\nredis==5.0.1\n"),
            true,
        );
        write(
            svc.join("Dockerfile"),
            &format!(
                "FROM node:{node}-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n"
            ),
            true,
        );
        write(svc.join(".nvmrc"), &format!("{node}\n"), true);
        write(
            svc.join("k8s/deployment.yaml"),
            &format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc{s}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.test/svc{s}:1.0.{s}\n"
            ),
            true,
        );
        if shape.own_servers {
            let pg = if s % 2 == 0 { "16.2" } else { "15.6" };
            let redis = if s % 3 == 0 { "6.2.14" } else { "7.2.4" };
            write(
                svc.join("docker-compose.yml"),
                &format!(
                    "services:\n  app:\n    build: .\n    depends_on: [db, cache]\n  db:\n    image: postgres:{pg}\n  cache:\n    image: redis:{redis}\n"
                ),
                true,
            );
        }
        write(
            svc.join("index.js"),
            "require('express')().listen(8080);\n",
            false,
        );
        write(svc.join("dist/package.json"), &pj, false);
        // installed dependencies: ignored, but the walk must not read them
        for k in 0..shape.installed {
            let (n, v) = &locked[k % locked.len()];
            let m = svc.join("node_modules").join(n);
            write(
                m.join("package.json"),
                &format!("{{\"name\": \"{n}\", \"version\": \"{v}\"}}\n"),
                false,
            );
            write(m.join("index.js"), "module.exports = {};\n", false);
            write(m.join("README.md"), "# a package\n", false);
        }
    }
    let stats = Stats {
        manifests,
        files,
        lock_bytes,
    };
    std::fs::write(
        dir.join(".generated"),
        format!("{} {} {}", stats.manifests, stats.files, stats.lock_bytes),
    )
    .unwrap();
    stats
}

// ---------------------------------------------------------------------------------------
// pre-commit and editor

/// A git repository of about 1,000 files and 300 manifests (50 services): time
/// `skew check --staged` after staging one edited manifest, and the LSP from `didChange`
/// to the `publishDiagnostics` that answers it.
fn staged_and_lsp(dir: &Path, skew: &Path, rounds: usize) {
    if !dir.join(".generated").exists() {
        let _ = std::fs::remove_dir_all(dir);
        let mut shape = Shape::shared(50);
        shape.lock_packages = 60;
        shape.installed = 0;
        generate(dir, &shape);
        // ordinary source files up to about 1,000
        for s in 0..50 {
            for k in 0..13 {
                let p = dir.join(format!("services/svc{s:04}/src/mod{k}.js"));
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, "module.exports = 1;\n").unwrap();
            }
        }
        git(dir, &["init", "-q"]);
        git(dir, &["add", "-A"]);
        git(dir, &["commit", "-q", "-m", "init"]);
    }
    let files = git(dir, &["ls-files"]).lines().count();
    let edited = dir.join("services/svc0003/requirements.txt");
    std::fs::write(&edited, "PyMySQL==0.8.1\npsycopg2-binary==2.9.9\n").unwrap();
    git(dir, &["add", "services/svc0003/requirements.txt"]);
    let mut staged = Vec::new();
    for _ in 0..rounds.max(11) {
        let mut c = Command::new(skew);
        c.current_dir(dir)
            .args([
                "check",
                "--staged",
                "--format",
                "json",
                "--fail-on",
                "never",
            ])
            .env("SKEW_TODAY", "2026-01-01");
        staged.push(run(c));
    }
    let m = Median::of(&staged);
    println!(
        "\n`check --staged` on {files} files, one staged manifest: {} wall, {} CPU, {} MB RSS",
        ms(m.wall),
        ms(m.cpu),
        m.rss_kb / 1024
    );
    lsp_round_trips(dir, skew, rounds.max(11));
}

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "b")
        .env("GIT_AUTHOR_EMAIL", "b@example.test")
        .env("GIT_COMMITTER_NAME", "b")
        .env("GIT_COMMITTER_EMAIL", "b@example.test")
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Open one manifest in `skew lsp`, then edit it `n` times; the time from sending each
/// `didChange` to reading the `publishDiagnostics` for that document.
fn lsp_round_trips(dir: &Path, skew: &Path, n: usize) {
    let mut child = Command::new(skew)
        .arg("lsp")
        .current_dir(dir)
        .env("SKEW_TODAY", "2026-01-01")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let root = dir.canonicalize().unwrap();
    let uri = format!(
        "file://{}/services/svc0003/requirements.txt",
        root.display()
    );
    let send = |stdin: &mut std::process::ChildStdin, v: serde_json::Value| {
        let body = v.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    };
    let read = |stdout: &mut BufReader<std::process::ChildStdout>| -> serde_json::Value {
        let mut len = 0;
        loop {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = v.parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    };
    let wait_publish = |stdout: &mut BufReader<std::process::ChildStdout>| loop {
        let m = read(stdout);
        if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
            return;
        }
    };
    let root_uri = format!("file://{}", root.display());
    send(
        &mut stdin,
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"processId": null, "rootUri": root_uri, "capabilities": {}}}),
    );
    let _ = read(&mut stdout);
    send(
        &mut stdin,
        serde_json::json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );
    let text = "PyMySQL==0.8.1\npsycopg2-binary==2.9.9\n";
    let start = Instant::now();
    send(
        &mut stdin,
        serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "pip-requirements",
                "version": 1, "text": text}}}),
    );
    wait_publish(&mut stdout);
    let open = start.elapsed();
    let mut times = Vec::new();
    for v in 0..n {
        let text = format!("PyMySQL==0.{}.1\npsycopg2-binary==2.9.9\n", 7 + v % 3);
        let start = Instant::now();
        send(
            &mut stdin,
            serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
                "params": {"textDocument": {"uri": uri, "version": v + 2},
                    "contentChanges": [{"text": text}]}}),
        );
        wait_publish(&mut stdout);
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "`skew lsp`: didOpen to publish {}, didChange to publish median {} (min {}, max {})",
        ms(open),
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
    send(
        &mut stdin,
        serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
    );
    send(
        &mut stdin,
        serde_json::json!({"jsonrpc": "2.0", "method": "exit"}),
    );
    let _ = child.wait();
}
