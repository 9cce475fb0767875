use super::*;

fn model_of(src: &str) -> Dockerfile {
    plimsoll_syntax::parse_str(src)
}

#[test]
fn from_with_variable_default_is_a_tagged_image() {
    let df = model_of("FROM ${BASE_IMAGE:-debian:12}\n");
    let m = SemanticModel::new(&df);
    let Base::Image(r) = &m.stages[0].base else {
        panic!("{:?}", m.stages[0].base)
    };
    assert_eq!(r.repository, "library/debian");
    assert_eq!(r.tag.as_deref(), Some("12"));
    assert_eq!(m.stages[0].base_written, "${BASE_IMAGE:-debian:12}");
}

#[test]
fn global_args_resolve_in_from_only() {
    let df = model_of("ARG TAG=3.12\nFROM python:${TAG}\nRUN echo $TAG\nARG TAG\nRUN echo $TAG\n");
    let m = SemanticModel::new(&df);
    assert_eq!(m.global_args, vec![0]);
    assert_eq!(m.stages[0].base_text, "python:3.12");
    // Not visible in the stage until re-declared…
    assert!(!m.context(2).scope.is_declared("TAG"));
    // …and then it takes the global default.
    let v = m.context(4).scope.get_var("TAG").cloned().unwrap();
    assert_eq!(v.value.as_deref(), Some("3.12"));
    assert_eq!(v.kind, VarKind::Arg);
}

#[test]
fn unresolved_base_image() {
    let df = model_of("ARG BASE\nFROM $BASE\n");
    let m = SemanticModel::new(&df);
    assert!(matches!(m.stages[0].base, Base::Unresolved { .. }));
}

#[test]
fn stage_graph_and_target_reachability() {
    let src = "FROM golang:1.22 AS Build\nRUN go build\n\
               FROM alpine:3.19 AS unused\n\
               FROM build AS test\nRUN go test\n\
               FROM gcr.io/distroless/static\nCOPY --from=build /app /app\n\
               RUN --mount=type=bind,from=test,target=/t true\n";
    let df = model_of(src);
    let m = SemanticModel::new(&df);
    assert_eq!(m.stages.len(), 4);
    assert_eq!(m.stages[0].name.as_deref(), Some("build"));
    assert_eq!(m.stages[2].base, Base::Stage(0));
    let reach: Vec<bool> = m.stages.iter().map(|s| s.reaches_target).collect();
    assert_eq!(reach, vec![true, false, true, true]);
    let kinds: Vec<_> = m.stages[3]
        .dependencies
        .iter()
        .map(|d| (d.kind, d.stage))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (DependencyKind::CopyFrom, 0),
            (DependencyKind::MountFrom, 2)
        ]
    );
    assert_eq!(m.stage_by_ref("BUILD"), Some(0));
    assert_eq!(m.stage_by_ref("1"), Some(1));
    assert_eq!(m.stage_of(6).map(|s| s.index), Some(3));
    assert!(m.is_in_final_stage(6));
    assert!(!m.is_in_final_stage(1));
}

#[test]
fn env_is_inherited_from_parent_stage_but_args_are_not() {
    let src = "FROM alpine AS base\nENV APP=/srv\nARG MODE=prod\nUSER app\nWORKDIR /srv\n\
               FROM base\nRUN echo $APP\n";
    let df = model_of(src);
    let m = SemanticModel::new(&df);
    let ctx = m.context(6);
    assert_eq!(
        ctx.scope.get_var("APP").and_then(|v| v.value.as_deref()),
        Some("/srv")
    );
    assert!(!ctx.scope.is_declared("MODE"));
    assert_eq!(ctx.user.as_ref().map(|u| &*u.0), Some("app"));
    assert_eq!(ctx.workdir.as_deref(), Some("/srv"));
    assert_eq!(m.final_user().map(|u| u.0.to_string()), Some("app".into()));
}

#[test]
fn user_in_a_build_stage_is_not_the_final_user() {
    let df = model_of("FROM a AS b\nUSER nobody\nFROM c\nRUN x\n");
    let m = SemanticModel::new(&df);
    assert_eq!(m.final_user(), None);
    let df = model_of("FROM c\nUSER ${U:-app}\n");
    let m = SemanticModel::new(&df);
    assert_eq!(
        m.final_user().map(|u| (u.0.to_string(), u.1)),
        Some(("app".into(), 1))
    );
}

#[test]
fn workdir_joins_and_shell_changes() {
    let df = model_of(
        "FROM a\nENV BASE=/opt\nWORKDIR $BASE\nWORKDIR app/../src\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN x\n",
    );
    let m = SemanticModel::new(&df);
    assert_eq!(m.context(5).workdir.as_deref(), Some("/opt/src"));
    assert_eq!(
        &m.context(5).shell[..2],
        &["/bin/bash".to_string(), "-o".to_string()]
    );
    assert_eq!(
        &*m.context(1).shell,
        &["/bin/sh".to_string(), "-c".to_string()]
    );
    assert_eq!(m.resolve(5, "${BASE}/bin"), Some("/opt/bin".into()));
    assert_eq!(m.resolve(5, "$NOPE"), None);
}

#[test]
fn env_pairs_expand_with_the_environment_from_before_the_instruction() {
    // As BuildKit documents: `def` gets the old value of `abc`.
    let df = model_of("FROM a\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\nRUN x\n");
    let m = SemanticModel::new(&df);
    let var = |name: &str| {
        m.context(4)
            .scope
            .get_var(name)
            .and_then(|v| v.value.clone())
    };
    assert_eq!(var("def").as_deref(), Some("hello"));
    assert_eq!(var("ghi").as_deref(), Some("bye"));
    let end = m.final_state.as_ref().unwrap();
    assert_eq!(
        end.scope.get_var("abc").and_then(|v| v.value.as_deref()),
        Some("bye")
    );
}

#[test]
fn mount_options() {
    assert_eq!(
        mount_option("type=cache,target=/root/.cache", "target"),
        Some("/root/.cache")
    );
    assert_eq!(mount_option("type=cache", "from"), None);
}

#[test]
fn resolve_words_splits_like_expose() {
    let df = model_of("FROM a\nENV PORTS=\"80 443\"\nEXPOSE $PORTS\n");
    let m = SemanticModel::new(&df);
    assert_eq!(
        m.resolve_words(2, "$PORTS"),
        Some(vec!["80".into(), "443".into()])
    );
    assert_eq!(
        m.resolve_words(2, "\"$PORTS\""),
        Some(vec!["80 443".into()])
    );
    assert_eq!(m.resolve_words(2, "$NOPE"), None);
}

#[test]
fn lineage_walks_parent_stages() {
    let df = model_of("FROM a AS base\nWORKDIR /x\nFROM b\nRUN y\nFROM base\nRUN z\n");
    let m = SemanticModel::new(&df);
    assert_eq!(m.lineage_before(5), vec![4, 1, 0]);
    assert_eq!(m.lineage_before(3), vec![2]);
    assert_eq!(m.lineage_before(0), Vec::<usize>::new());
}

#[test]
fn defaults_decide_the_value_of_unset_variables() {
    let df = model_of("ARG TAG\nFROM alpine:${TAG:-3.20}\nRUN x\n");
    let m = SemanticModel::new(&df);
    assert_eq!(m.stages[0].base_text, "alpine:3.20");
    assert!(matches!(m.stages[0].base, Base::Image(_)));
    assert_eq!(m.resolve(2, "${NOPE:-a}${NOPE:+b}"), Some("a".into()));
    // The same variable used once without a default is still unknown.
    assert_eq!(m.resolve(2, "${NOPE:-a}$NOPE"), None);
    assert_eq!(m.resolve(2, "${NOPE:-$ALSO}"), None);
}
