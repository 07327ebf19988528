//! `--resume RUN_ID`: the earlier run read from the journal and checked against this one (same
//! runbook, environment, target and API URL; not a dry-run resumed live; not succeeded; unchanged
//! unless `--force`), with the params it brings (never its secrets).

use serde_json::Value;

use crate::commands::failure::Failure;
use crate::exec::ResumePlan;
use crate::journal::{Journal, RunHistory};
use crate::journal::{RunMode, RunStatus, TargetKind};
use crate::runbook::Param;
use crate::runbook::Runbook;

/// What this run is, to compare with the one it resumes.
pub struct ResumeRequest<'a> {
    pub run_id: &'a str,
    pub runbook: &'a Runbook,
    pub environment: Option<&'a str>,
    pub dry_run: bool,
    pub target: TargetKind,
    pub api_url: &'a str,
    pub force: bool,
    pub content_hash: &'a str,
}

/// What `--resume` brings from the earlier run: the steps it finished, and its params.
pub struct Resumption {
    pub plan: ResumePlan,
    /// The params of the earlier run as `name=value`, secrets left out.
    pub params: Vec<String>,
    /// Secret params the earlier run had: they must be given again.
    pub secrets: Vec<String>,
}

/// The resumption asked for, after checking that the earlier run may be resumed: the same
/// runbook, environment, target and API URL, not a dry-run resumed live, not already succeeded,
/// and (unless `--force`) unchanged.
pub fn plan_for(journal: &Journal, wanted: &ResumeRequest<'_>) -> Result<Resumption, Failure> {
    let earlier =
        journal.run(wanted.run_id).map_err(crate::commands::local_journal::lookup_failure)?;
    refuse_mismatch(&earlier, wanted)?;
    if crate::exec::wrote_outside_steps(&earlier) {
        return Err(Failure::Refused {
            message: format!(
                "run {} sent writes outside any step: its script would run that code again, and nothing tells which of them left",
                earlier.run_id
            ),
            hint: Some("check the app, then start a new run; put writes inside `step(...)` so that a run can be resumed".into()),
        });
    }
    let params = earlier_params(&earlier, &wanted.runbook.params);
    let secrets = earlier_secrets(&earlier, &wanted.runbook.params);
    let kept = journal.kept_results(&earlier.run_id);
    let chain =
        journal.resume_chain(earlier).map_err(crate::commands::local_journal::unreadable)?;
    Ok(Resumption {
        plan: ResumePlan::from_chain(&chain.iter().collect::<Vec<_>>(), kept),
        params,
        secrets,
    })
}

fn refuse_mismatch(earlier: &RunHistory, wanted: &ResumeRequest<'_>) -> Result<(), Failure> {
    let refusal = mismatch(earlier, wanted);
    match refusal {
        Some((message, hint)) => Err(Failure::usage(message, hint)),
        None => Ok(()),
    }
}

/// Why `earlier` may not be resumed by this run: the message and the hint.
fn mismatch(earlier: &RunHistory, wanted: &ResumeRequest<'_>) -> Option<(String, String)> {
    let id = &earlier.run_id;
    if earlier.runbook != wanted.runbook.name
        || earlier.environment.as_deref() != wanted.environment
    {
        let name = earlier.target_name();
        return Some((
            format!("run {id} was `{name}`, not this runbook"),
            format!("resume it with `runbook run {name} --resume {id}`"),
        ));
    }
    if earlier.mode == RunMode::DryRun && !wanted.dry_run {
        return Some((
            format!(
                "run {id} was a dry-run: nothing it planned was sent, so none of its steps count as done"
            ),
            "start a new run instead".into(),
        ));
    }
    if earlier.target != wanted.target
        || (wanted.target == TargetKind::Heroku && earlier.api_url != wanted.api_url)
    {
        return Some((
            format!(
                "run {id} went to {} ({}), not to {} ({})",
                target_word(earlier.target),
                earlier.api_url,
                target_word(wanted.target),
                wanted.api_url
            ),
            "a run resumes only against the same target and API URL (a rehearsal never resumes live)".into(),
        ));
    }
    if earlier.status == Some(RunStatus::Succeeded) {
        return Some((
            format!("run {id} succeeded: there is nothing to resume"),
            "start a new run instead".into(),
        ));
    }
    (earlier.content_hash != wanted.content_hash && !wanted.force).then(|| {
        (
            format!(
                "`{}` changed since run {id}: its steps may not line up any more",
                wanted.runbook.name
            ),
            "check the change, then pass --force to resume anyway".into(),
        )
    })
}

fn started_params(run: &RunHistory) -> Option<&serde_json::Map<String, Value>> {
    run.params.as_object()
}

fn target_word(target: TargetKind) -> &'static str {
    match target {
        TargetKind::Heroku => "heroku",
        TargetKind::Sim => "sim",
    }
}

/// The earlier run's params as `name=value`, leaving out secrets (the journal holds only a mask).
fn earlier_params(run: &RunHistory, declared: &[Param]) -> Vec<String> {
    let Some(params) = started_params(run) else {
        return Vec::new();
    };
    params
        .iter()
        .filter(|(name, value)| !value.is_null() && !is_secret(declared, name))
        .map(|(name, value)| match value {
            Value::String(text) => format!("{name}={text}"),
            Value::Array(items) => format!(
                "{name}={}",
                items
                    .iter()
                    .map(|item| item.as_str().map_or(item.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            other => format!("{name}={other}"),
        })
        .collect()
}

fn earlier_secrets(run: &RunHistory, declared: &[Param]) -> Vec<String> {
    let Some(params) = started_params(run) else {
        return Vec::new();
    };
    params
        .iter()
        .filter(|(name, value)| !value.is_null() && is_secret(declared, name))
        .map(|(name, _)| name.clone())
        .collect()
}

fn is_secret(declared: &[Param], name: &str) -> bool {
    declared.iter().any(|param| param.secret && param.name.value == name)
}
