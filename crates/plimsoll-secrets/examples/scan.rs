//! Print what the scanner finds under some paths, secrets masked:
//! `cargo run --release -p plimsoll-secrets --example scan -- DIR…`
//! (`--high` for high-confidence rules only). For reviewing rules
//! against real trees.

use plimsoll_secrets::{ScanOptions, Scanner, is_probably_binary};
use std::path::Path;

fn walk(path: &Path, options: ScanOptions, found: &mut usize) {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    if meta.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        let mut entries: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for e in entries {
            walk(&e, options, found);
        }
        return;
    }
    if !meta.is_file() {
        return;
    }
    let Ok(data) = std::fs::read(path) else {
        return;
    };
    if is_probably_binary(&data) {
        return;
    }
    let shown = path.display().to_string();
    for m in Scanner::global().scan_with(&data, Some(&shown), options) {
        *found += 1;
        let secret = &data[m.secret.clone()];
        let keep = secret.len().min(4);
        let name = m
            .name
            .map(|n| String::from_utf8_lossy(&data[n]).into_owned())
            .unwrap_or_default();
        println!(
            "{}\t{shown}:{}\t{name}\t{}{}",
            m.rule.id,
            m.line,
            String::from_utf8_lossy(&secret[..keep]),
            "*".repeat(secret.len() - keep)
        );
    }
}

fn main() {
    let mut options = ScanOptions::default();
    let mut found = 0;
    for arg in std::env::args().skip(1) {
        if arg == "--high" {
            options = ScanOptions::high_confidence();
            continue;
        }
        walk(Path::new(&arg), options, &mut found);
    }
    eprintln!("{found} matches");
}
