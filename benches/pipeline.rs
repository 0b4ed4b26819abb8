//! Speed of the whole pipeline on synthetic repositories (`cargo bench --bench pipeline`).
//!
//! Targets (2-core machine): a monorepo of 1,000 services (compose + package.json +
//! requirements.txt each) scans and checks well under a second; a 20,000-package
//! package-lock.json (about 3 MB) extracts in tens of milliseconds. Timings belong here,
//! never in tests.

use std::path::{Path, PathBuf};

use skew::pipeline::check_inventory;
use skew::rule::RuleSet;
use skew::scan::{ScanOptions, scan};

fn main() {
    divan::main();
}

/// A repository of `services` services, each with a compose file, a package.json and a
/// requirements.txt; one MySQL server for all.
fn monorepo(services: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    std::fs::write(
        root.join("docker-compose.yml"),
        "services:\n  db:\n    image: mysql:8.0.36\n",
    )
    .unwrap();
    for i in 0..services {
        let s = root.join(format!("services/svc{i}"));
        std::fs::create_dir_all(&s).unwrap();
        std::fs::write(
            s.join("package.json"),
            format!(
                "{{\n  \"name\": \"svc{i}\",\n  \"dependencies\": {{\n    \"mysql2\": \"^3.9.{}\",\n    \"express\": \"^4.18.2\"\n  }}\n}}\n",
                i % 7
            ),
        )
        .unwrap();
        std::fs::write(
            s.join("requirements.txt"),
            "PyMySQL==1.1.0\nrequests>=2.31\n",
        )
        .unwrap();
    }
    (dir, root)
}

/// A package-lock.json (v3) with `n` packages.
fn big_lock(n: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "{\n  \"name\": \"big\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": { \"name\": \"big\" }",
    );
    for i in 0..n {
        text.push_str(&format!(
            ",\n    \"node_modules/pkg-{i}\": {{ \"version\": \"1.{}.{}\", \"resolved\": \"https://registry.example.test/npm/pkg-{i}/-/pkg-{i}-1.0.0.tgz\" }}",
            i % 50,
            i % 13
        ));
    }
    text.push_str("\n  }\n}\n");
    let path = dir.path().join("package-lock.json");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn scan_and_check(root: &Path, rules: &RuleSet) -> usize {
    let inv = scan(root, &ScanOptions::default()).unwrap();
    check_inventory(&inv, rules).checked.findings.len()
}

#[divan::bench(args = [100, 1000])]
fn monorepo_scan_and_check(bencher: divan::Bencher, services: usize) {
    let (_dir, root) = monorepo(services);
    let rules = RuleSet::builtin().unwrap();
    bencher.bench_local(|| scan_and_check(&root, &rules));
}

#[divan::bench(args = [20_000])]
fn package_lock_extract(bencher: divan::Bencher, packages: usize) {
    let (_dir, path) = big_lock(packages);
    bencher.bench_local(|| {
        scan(&path, &ScanOptions::default())
            .unwrap()
            .components
            .len()
    });
}

#[divan::bench]
fn load_shipped_rules() -> usize {
    RuleSet::builtin().unwrap().rules.len()
}
