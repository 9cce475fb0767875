use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `useradd` with a high UID (more than five digits) but without
    /// `-l`/`--no-log-init`.
    ///
    /// ## Why is this bad?
    /// `useradd` reserves room for every UID up to the new one in
    /// `/var/log/lastlog` and `/var/log/faillog`, sparse files that image
    /// layers store in full: a UID like `1000000` can add gigabytes to the
    /// image. `-l` skips those logs.
    ///
    /// A UID from an `ARG`/`ENV` variable is checked with its value.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN useradd -u 1000000 app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN useradd -l -u 1000000 app
    /// ```
    ///
    /// ## Fix safety
    /// Safe: `-l` is added after `useradd`; only the login records of the
    /// user are skipped.
    pub struct UseraddWithoutNoLogInit {
        code: "DL3046",
        name: "useradd_without_no_log_init",
        aliases: [],
        severity: Warning,
        summary: "`useradd` without flag `-l` and high UID will result in excessively large Image",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3046"),
        fixable: true,
        default_enabled: true,
    }
}

impl Rule for UseraddWithoutNoLogInit {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (i, script) in cx.run_scripts() {
            for cmd in &script.commands {
                let Some(inv) = cmd.runs("useradd") else {
                    continue;
                };
                if inv.has_flag(&["-l", "--no-log-init"]) {
                    continue;
                }
                let Some(uid) = inv.flag_value(&["-u", "--uid"]) else {
                    continue;
                };
                let value = match uid.value {
                    Some(v) => Some(v),
                    None => cx.model.resolve(i, uid.text),
                };
                if value.is_some_and(|v| v.trim().chars().count() > 5) {
                    let fixable = script.source != plimsoll_shell::ScriptSource::ExecForm
                        && !script.is_command_string();
                    found.push((uid.span, fixable.then_some(inv.name.span)));
                }
            }
        }
        for (span, name) in found {
            let finding = cx.report(
                span,
                "`useradd` without flag `-l` and high UID will result in excessively large Image.",
            );
            finding.fix = name.map(|n| Fix::safe("Add `-l`", vec![Edit::insert(n.end, " -l")]));
        }
    }
}
