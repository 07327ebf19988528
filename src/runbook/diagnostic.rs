//! Problems found in a runbook, each tied to a place in its source, rendered alike for YAML and Rhai.

use std::fmt;
use std::sync::Arc;

use miette::{LabeledSpan, SourceCode};

use super::source::{SourceFile, Span};

/// One problem in a runbook or in `environments.yaml`.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub source: Arc<SourceFile>,
    pub span: Span,
    pub message: String,
    pub label: String,
    pub hint: Option<String>,
    pub severity: Severity,
}

/// An error stops a runbook from running; a warning is shown by `check` and fails it only with
/// `--deny-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl Diagnostic {
    pub fn new(source: &Arc<SourceFile>, span: Span, message: impl Into<String>) -> Self {
        Self {
            source: Arc::clone(source),
            span,
            message: message.into(),
            label: String::new(),
            hint: None,
            severity: Severity::Error,
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `file:line:col`, the form editors and terminals turn into links.
    pub fn location(&self) -> String {
        let (line, column) = self.source.line_and_column(self.span.offset);
        format!("{}:{line}:{column}", self.source.display_path())
    }

    pub fn line_and_column(&self) -> (usize, usize) {
        self.source.line_and_column(self.span.offset)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = (!self.label.is_empty()).then(|| self.label.clone());
        let span = LabeledSpan::new(label, self.span.offset, self.span.length);
        Some(Box::new(std::iter::once(span)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help(&self) -> Option<Box<dyn fmt::Display + '_>> {
        self.hint.as_ref().map(|hint| Box::new(hint) as Box<dyn fmt::Display>)
    }
}

impl SourceCode for Diagnostic {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents =
            self.source.text.as_str().read_span(span, context_lines_before, context_lines_after)?;
        let data = contents.data();
        let named_contents = miette::MietteSpanContents::new_named(
            self.source.display_path(),
            data,
            *contents.span(),
            contents.line(),
            contents.column(),
            contents.line_count(),
        );
        Ok(Box::new(named_contents))
    }
}
