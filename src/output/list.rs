//! `runbook list` as people read it: aligned columns however long the names, descriptions
//! wrapped to the terminal; and as JSON, one object per runbook.

use serde::Serialize;

/// One runbook of the folder, as `list` shows it.
#[derive(Debug, Serialize)]
pub struct ListedRunbook {
    pub name: String,
    pub format: &'static str,
    pub description: String,
    pub targets: Vec<ListedTarget>,
    /// How many problems keep it from running, when it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<usize>,
}

/// `restart-production`: a runbook bound to one environment.
#[derive(Debug, Serialize)]
pub struct ListedTarget {
    pub name: String,
    pub environment: String,
    pub app: String,
    pub protected: bool,
}

const FORMAT_WIDTH: usize = 4;
/// Below this, a description is not worth wrapping into: it goes on as it is.
const NARROWEST_DESCRIPTION: usize = 24;

/// The lines of `list`; descriptions wrapped to `width` columns when it is known.
pub fn list_lines(runbooks: &[ListedRunbook], width: Option<usize>) -> Vec<String> {
    let names = name_width(runbooks);
    let indent = names + 1 + FORMAT_WIDTH + 2;
    let description_width = width
        .map(|width| width.saturating_sub(indent))
        .filter(|room| *room >= NARROWEST_DESCRIPTION);
    let mut lines = Vec::new();
    for runbook in runbooks {
        let description = match runbook.invalid {
            Some(problems) => {
                format!("invalid: {problems} problem(s), see `runbook check {}`", runbook.name)
            }
            None => runbook.description.clone(),
        };
        let mut wrapped = wrap(&description, description_width).into_iter();
        lines.push(
            format!(
                "{:<names$} {:<FORMAT_WIDTH$}  {}",
                runbook.name,
                runbook.format,
                wrapped.next().unwrap_or_default()
            )
            .trim_end()
            .to_string(),
        );
        lines.extend(wrapped.map(|rest| format!("{:indent$}{rest}", "")));
        for target in &runbook.targets {
            let protection = if target.protected { "  (protected)" } else { "" };
            let label = format!("  {}", target.name);
            lines.push(format!("{label:<names$} {}{protection}", target.app));
        }
    }
    lines
}

/// The widest name, runbook or `  NAME-ENV`, so that every column lines up.
fn name_width(runbooks: &[ListedRunbook]) -> usize {
    runbooks
        .iter()
        .flat_map(|runbook| {
            std::iter::once(runbook.name.len())
                .chain(runbook.targets.iter().map(|target| target.name.len() + 2))
        })
        .max()
        .unwrap_or(0)
}

fn wrap(text: &str, width: Option<usize>) -> Vec<String> {
    match width {
        Some(width) => {
            textwrap::wrap(text, width).into_iter().map(|line| line.into_owned()).collect()
        }
        None => vec![text.to_string()],
    }
}
