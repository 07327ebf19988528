//! What `--resume` brings from the earlier run: the steps it finished (with their results) and the
//! writes that left during the step it stopped at and may have taken effect.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::identifiers::AppName;
use crate::journal::{Record, RunHistory};

/// A write of the earlier run that may have taken effect.
#[derive(Debug, Clone)]
pub struct LeftWrite {
    pub app: Option<AppName>,
    pub described: String,
    pub sent_at: String,
    /// What is known of its answer.
    pub answer: String,
}

#[derive(Debug, Clone)]
pub struct ResumePlan {
    pub run_id: String,
    /// Main steps that finished, by index, with the result they gave.
    finished: BTreeMap<usize, Option<Value>>,
    /// Writes that may have taken effect, by the main step that sent them.
    left: BTreeMap<usize, Vec<LeftWrite>>,
}

impl ResumePlan {
    pub fn from_history(run: &RunHistory) -> Self {
        let finished = run
            .finished_steps()
            .into_iter()
            .filter(|record| record.event.get("phase").is_none_or(Value::is_null))
            .filter_map(|record| {
                let index = record.event["index"].as_u64()? as usize;
                Some((index, record.event.get("result").cloned()))
            })
            .collect();
        Self {
            run_id: run.run_id.clone(),
            finished,
            left: left_writes(&run.records),
        }
    }

    /// The result of main step `index` if it finished in the earlier run.
    pub fn finished(&self, index: usize) -> Option<&Option<Value>> {
        self.finished.get(&index)
    }

    /// The writes of main step `index` that may have taken effect in the earlier run.
    pub fn left(&self, index: usize) -> Option<&[LeftWrite]> {
        self.left.get(&index).map(Vec::as_slice)
    }
}

/// Every write that left during each main step and may have taken effect: sent with no answer,
/// or answered with something other than a refusal.
fn left_writes(records: &[Record]) -> BTreeMap<usize, Vec<LeftWrite>> {
    let mut step = 0;
    let mut left: BTreeMap<usize, Vec<LeftWrite>> = BTreeMap::new();
    for record in records {
        let event = &record.event;
        match record.kind() {
            "step_started" if event.get("phase").is_none_or(Value::is_null) => {
                step = event["index"].as_u64().unwrap_or(0) as usize;
            }
            "write_sent" => left.entry(step).or_default().push(LeftWrite {
                app: event["request"]["app"]
                    .as_str()
                    .and_then(|app| AppName::parse(app).ok()),
                described: format!(
                    "{} {}",
                    event["request"]["method"].as_str().unwrap_or_default(),
                    event["request"]["path"].as_str().unwrap_or_default()
                ),
                sent_at: record.time.clone(),
                answer: "no answer recorded".into(),
            }),
            "write_answered" | "write_failed" => answered(&mut left, step, event),
            _ => {}
        }
    }
    left.retain(|_, writes| !writes.is_empty());
    left
}

/// Takes the answer of the last write of `step` into account.
fn answered(left: &mut BTreeMap<usize, Vec<LeftWrite>>, step: usize, event: &Value) {
    let Some(writes) = left.get_mut(&step) else {
        return;
    };
    let Some(last) = writes.last_mut() else {
        return;
    };
    if let Some(status) = event["status"].as_u64() {
        if (400..500).contains(&status) || status == 503 {
            writes.pop();
            return;
        }
        last.answer = format!("answered {status}");
        return;
    }
    if event["may_have_taken_effect"] == false {
        writes.pop();
        return;
    }
    last.answer = format!(
        "answer unknown: {}",
        event["error"].as_str().unwrap_or("no answer")
    );
}
