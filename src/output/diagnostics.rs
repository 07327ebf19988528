//! Renders runbook diagnostics with miette: the message, `file:line:col`, the source line, the hint.

use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::runbook::Diagnostic;

pub fn render(diagnostic: &Diagnostic, color: bool) -> String {
    let diagnostic = &shown(diagnostic);
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1).with_width(100);
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, diagnostic).is_err() {
        rendered = format!("error: {}: {}", diagnostic.location(), diagnostic.message);
    }
    rendered
}

/// The diagnostic as it may be shown: its texts written out, its source's characters that a
/// terminal would act on replaced in place (the spans point into it by byte).
fn shown(diagnostic: &Diagnostic) -> Diagnostic {
    use crate::visible::{Layout, neutralised, visible};
    let mut shown = diagnostic.clone();
    shown.message = visible(&diagnostic.message, Layout::Lines).into_owned();
    shown.label = visible(&diagnostic.label, Layout::Line).into_owned();
    shown.hint = diagnostic.hint.as_deref().map(|hint| visible(hint, Layout::Lines).into_owned());
    if let std::borrow::Cow::Owned(text) = neutralised(&diagnostic.source.text) {
        shown.source = std::sync::Arc::new(crate::runbook::SourceFile {
            path: diagnostic.source.path.clone(),
            text,
        });
    }
    shown
}
