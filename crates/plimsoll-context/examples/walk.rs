//! Walk a build context as BuildKit would send it, or make a synthetic one.
//!
//! ```text
//! cargo run --release --example walk -- gen DIR [FILES]   # synthetic tree
//! cargo run --release --example walk -- DIR [--no-prune]  # walk + match
//! ```

use plimsoll_context::{Context, IgnoreFile, WalkOptions, human_bytes};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("gen") => match args.get(1) {
            Some(dir) => {
                let files = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(100_000);
                generate(Path::new(dir), files).map_err(|e| e.to_string())
            }
            None => Err("usage: walk gen DIR [FILES]".to_string()),
        },
        Some(dir) => walk(Path::new(dir), args.iter().any(|a| a == "--no-prune")),
        None => Err("usage: walk DIR [--no-prune] | walk gen DIR [FILES]".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("walk: {e}");
            ExitCode::FAILURE
        }
    }
}

fn walk(dir: &Path, no_prune: bool) -> Result<(), String> {
    use std::fmt::Write as _;
    let mut report = String::new();
    let start = Instant::now();
    let ignore = IgnoreFile::for_dockerfile(dir, &dir.join("Dockerfile"))
        .map_err(|e| e.to_string())?
        .map(|(_, ignore)| ignore);
    let options = WalkOptions { prune: !no_prune };
    let context = Context::walk_with(
        dir,
        ignore.as_ref().unwrap_or(&IgnoreFile::default()),
        options,
    )
    .map_err(|e| e.to_string())?;
    let elapsed = start.elapsed();
    let s = context.stats();
    let _ = writeln!(
        report,
        "walked {} files, {} dirs in {:.1} ms: sending {} files ({}), {} excluded files seen, {} directories pruned, {} issues",
        s.files,
        s.dirs,
        elapsed.as_secs_f64() * 1000.0,
        s.files_sent,
        human_bytes(s.bytes_sent),
        s.files_ignored,
        s.pruned_dirs,
        context.issues().len(),
    );
    if let Ok(text) = std::fs::read(dir.join("Dockerfile")) {
        let start = Instant::now();
        let dockerfile = plimsoll_syntax::parse(&text).map_err(|e| e.to_string())?;
        let model = plimsoll_model::SemanticModel::new(&dockerfile);
        let copies = plimsoll_context::resolve_copies(&model, &context, ignore.as_ref());
        let findings = plimsoll_context::ContextCheck {
            file: "Dockerfile",
            model: &model,
            context: &context,
            ignore: ignore.as_ref(),
            copies: &copies,
        }
        .run_all();
        let _ = writeln!(
            report,
            "resolved {} COPY/ADD and ran the context rules in {:.1} ms: {} findings",
            copies.len(),
            start.elapsed().as_secs_f64() * 1000.0,
            findings.len()
        );
        for f in &findings {
            let _ = writeln!(report, "  {} {}: {}", f.code, f.severity, f.message);
        }
    }
    for item in context.ignorable_items().iter().take(5) {
        let _ = writeln!(
            report,
            "  sent but usually ignored: {} ({}, {})",
            item.path,
            item.kind.describe(),
            human_bytes(item.bytes)
        );
    }
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), report.as_bytes());
    Ok(())
}

/// A tree shaped like a JavaScript monorepo checkout: most files under
/// nested `node_modules`, a `.git` object store, sources, logs, and a
/// realistic `.dockerignore`.
fn generate(root: &Path, files: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(root)?;
    std::fs::write(
        root.join(".dockerignore"),
        "# generated\n.git\nnode_modules\n**/node_modules\n*.log\n**/__pycache__\ndist\ncoverage\n.env\n!.env.example\n",
    )?;
    std::fs::write(root.join("Dockerfile"), "FROM node:22-slim\nCOPY . .\n")?;
    let body = "x".repeat(200);
    let mut made = 0;
    let write = |path: PathBuf| -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &body)
    };
    let modules = files * 60 / 100;
    let git = files * 15 / 100;
    let logs = files / 100;
    let sources = files - modules - git - logs;
    for i in 0..modules {
        let pkg = i / 40;
        let nested = if i % 3 == 0 {
            format!("node_modules/dep{}/", i % 7)
        } else {
            String::new()
        };
        write(root.join(format!(
            "node_modules/pkg{pkg}/{nested}lib/sub{}/file{i}.js",
            i % 4
        )))?;
    }
    made += modules;
    for i in 0..git {
        write(root.join(format!(".git/objects/{:02x}/{i:038x}", i % 256)))?;
    }
    made += git;
    for i in 0..logs {
        write(root.join(format!("logs/app{i}.log")))?;
    }
    made += logs;
    for i in 0..sources {
        write(root.join(format!(
            "packages/app{}/src/module{}/file{i}.ts",
            i % 20,
            i % 50
        )))?;
    }
    made += sources;
    println!("generated {made} files in {}", root.display());
    Ok(())
}
