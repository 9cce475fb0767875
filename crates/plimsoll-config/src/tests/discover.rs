use crate::{
    ConfigCache, ConfigError, ConfigKind, Discovered, Layers, UserDirs, discover_with, load_file,
    resolve,
};
use std::fs;
use std::path::Path;

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn found(start: &Path, user: &UserDirs) -> Discovered {
    discover_with(start, user)
        .unwrap()
        .expect("a configuration")
}

#[test]
fn nothing_found_is_none() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a/b/Dockerfile");
    write(&file, "FROM scratch\n");
    // The temporary directory's ancestors hold no configuration in a sane
    // test environment; a stray one would make this test meaningless, so
    // check for it.
    let stray = tmp
        .path()
        .ancestors()
        .any(|d| d.join(".plimsoll.toml").exists() || d.join(".hadolint.yaml").exists());
    if !stray {
        assert_eq!(discover_with(&file, &UserDirs::none()).unwrap(), None);
    }
}

#[test]
fn walks_up_to_the_nearest_file_of_each_kind_independently() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(&root.join(".hadolint.yaml"), "ignored: [DL3000]\n");
    write(&root.join("svc/.plimsoll.toml"), "ignore = [\"DL3008\"]\n");
    write(
        &root.join("svc/deep/.plimsoll.toml"),
        "ignore = [\"DL3009\"]\n",
    );
    let dockerfile = root.join("svc/app/x/Dockerfile");
    write(&dockerfile, "FROM scratch\n");

    let d = found(&dockerfile, &UserDirs::none());
    let p = d.plimsoll.as_ref().unwrap();
    assert_eq!(p.path, root.join("svc/.plimsoll.toml"));
    assert_eq!(p.kind, ConfigKind::Plimsoll);
    let h = d.hadolint.as_ref().unwrap();
    assert_eq!(h.path, root.join(".hadolint.yaml"));
    assert_eq!(h.kind, ConfigKind::Hadolint);

    let d = found(&root.join("svc/deep/Dockerfile"), &UserDirs::none());
    assert_eq!(
        d.plimsoll.unwrap().settings.ignore,
        Some(vec!["DL3009".to_string()])
    );

    // A directory may be given too.
    let d = found(&root.join("svc"), &UserDirs::none());
    assert_eq!(d.plimsoll.unwrap().path, root.join("svc/.plimsoll.toml"));

    // And both resolve together, the toml winning.
    let d = found(&dockerfile, &UserDirs::none());
    let s = resolve(Layers::default().with_files(&d));
    assert_eq!(s.ignore, Some(vec!["DL3008".to_string()]));
}

#[test]
fn yml_is_found_and_yaml_preferred() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(&root.join("a/.hadolint.yml"), "ignored: [DL1]\n");
    let d = found(&root.join("a/Dockerfile"), &UserDirs::none());
    assert_eq!(d.hadolint.unwrap().path, root.join("a/.hadolint.yml"));
    write(&root.join("a/.hadolint.yaml"), "ignored: [DL2]\n");
    let d = found(&root.join("a/Dockerfile"), &UserDirs::none());
    assert_eq!(d.hadolint.unwrap().path, root.join("a/.hadolint.yaml"));
}

#[test]
fn user_wide_hadolint_file_is_the_last_resort() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    let home = tmp.path().join("home");
    let xdg = tmp.path().join("xdg");
    let dockerfile = project.join("Dockerfile");
    write(&dockerfile, "FROM scratch\n");
    write(&home.join(".config/hadolint.yaml"), "ignored: [HOME]\n");
    let user = UserDirs {
        xdg_config_home: Some(xdg.clone()),
        home: Some(home.clone()),
    };
    let d = found(&dockerfile, &user);
    assert_eq!(d.hadolint.unwrap().path, home.join(".config/hadolint.yaml"));

    // XDG comes before ~/.config.
    write(&xdg.join("hadolint.yml"), "ignored: [XDG]\n");
    let d = found(&dockerfile, &user);
    assert_eq!(d.hadolint.unwrap().path, xdg.join("hadolint.yml"));

    // A project file beats both.
    write(&project.join(".hadolint.yaml"), "ignored: [PROJECT]\n");
    let d = found(&dockerfile, &user);
    assert_eq!(d.hadolint.unwrap().path, project.join(".hadolint.yaml"));
}

#[test]
fn user_candidates_follow_hadolints_order() {
    let user = UserDirs {
        xdg_config_home: Some("/x".into()),
        home: Some("/h".into()),
    };
    let c: Vec<String> = user
        .hadolint_candidates()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(
        c,
        [
            "/x/hadolint.yaml",
            "/x/hadolint.yml",
            "/h/.config/hadolint.yaml",
            "/h/.config/hadolint.yml",
            "/h/.hadolint/hadolint.yaml",
            "/h/.hadolint/hadolint.yml",
            "/h/.hadolint/config.yaml",
            "/h/.hadolint/config.yml",
            "/h/.hadolint.yaml",
            "/h/.hadolint.yml",
        ]
    );
}

#[test]
fn cache_looks_at_each_directory_once() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(&root.join(".plimsoll.toml"), "select = [\"DL\"]\n");
    for f in [
        "a/Dockerfile",
        "a/b/Dockerfile",
        "a/b/c/Dockerfile",
        "a/b/c/Other",
    ] {
        write(&root.join(f), "FROM scratch\n");
    }
    let cache = ConfigCache::with_user_dirs(UserDirs::none());
    let first = cache
        .discover(&root.join("a/b/c/Dockerfile"))
        .unwrap()
        .unwrap();
    let after_first = cache.directories_checked();
    assert!(after_first >= 4, "{after_first}");
    let again = cache.discover(&root.join("a/b/c/Other")).unwrap().unwrap();
    let higher = cache
        .discover(&root.join("a/b/Dockerfile"))
        .unwrap()
        .unwrap();
    let top = cache.discover(&root.join("a/Dockerfile")).unwrap().unwrap();
    assert_eq!(cache.directories_checked(), after_first);
    // The same parsed file is shared.
    assert!(std::sync::Arc::ptr_eq(
        first.plimsoll.as_ref().unwrap(),
        again.plimsoll.as_ref().unwrap()
    ));
    assert!(std::sync::Arc::ptr_eq(
        first.plimsoll.as_ref().unwrap(),
        top.plimsoll.as_ref().unwrap()
    ));
    assert_eq!(higher.plimsoll.unwrap().path, root.join(".plimsoll.toml"));
}

#[test]
fn a_broken_discovered_file_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(
        &root.join(".plimsoll.toml"),
        "select = [\"DL\"]\nbogus = 1\n",
    );
    let e = discover_with(&root.join("Dockerfile"), &UserDirs::none()).unwrap_err();
    assert_eq!(e.path(), Some(root.join(".plimsoll.toml").as_path()));
    assert_eq!(e.line(), Some(2));
}

#[test]
fn load_file_chooses_the_format_by_extension() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(&root.join("ci.toml"), "no-fail = true\n");
    write(&root.join("ci.yaml"), "no-fail: true\n");
    write(&root.join("ci.yml"), "no-fail: true\n");
    write(&root.join("ci.json"), "{}\n");
    let f = load_file(&root.join("ci.toml")).unwrap();
    assert_eq!(f.kind, ConfigKind::Plimsoll);
    assert_eq!(f.settings.no_fail, Some(true));
    for name in ["ci.yaml", "ci.yml"] {
        let f = load_file(&root.join(name)).unwrap();
        assert_eq!(f.kind, ConfigKind::Hadolint);
        assert_eq!(f.settings.no_fail, Some(true));
    }
    assert!(matches!(
        load_file(&root.join("ci.json")),
        Err(ConfigError::UnknownFormat { .. })
    ));
    let e = load_file(&root.join("missing.toml")).unwrap_err();
    assert!(matches!(e, ConfigError::Io { .. }));
    assert!(e.to_string().contains("missing.toml"), "{e}");

    let explicit = Discovered::explicit(load_file(&root.join("ci.yml")).unwrap());
    assert!(explicit.plimsoll.is_none());
    assert_eq!(explicit.files().count(), 1);
}

#[test]
fn per_file_ignore_base_is_the_config_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(
        &root.join("proj/.plimsoll.toml"),
        "[per-file-ignores]\n\"legacy/*.Dockerfile\" = [\"DL3006\"]\n",
    );
    let d = found(&root.join("proj/legacy/a.Dockerfile"), &UserDirs::none());
    let s = resolve(Layers::default().with_files(&d));
    let sel = crate::RuleSelector::new(&s);
    assert!(
        !sel.for_path(&root.join("proj/legacy/a.Dockerfile"))
            .is_enabled("DL3006", &[], true)
    );
    assert!(
        sel.for_path(&root.join("proj/other/a.Dockerfile"))
            .is_enabled("DL3006", &[], true)
    );
    assert!(
        sel.for_path(&root.join("legacy/a.Dockerfile"))
            .is_enabled("DL3006", &[], true)
    );
}
