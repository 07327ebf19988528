//! Renders runbook diagnostics with miette: the message, `file:line:col`, the source line, the hint.

use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::runbook::Diagnostic;

pub fn render(diagnostic: &Diagnostic, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(100);
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, diagnostic).is_err() {
        rendered = format!("error: {}: {}", diagnostic.location(), diagnostic.message);
    }
    rendered
}
