//! Which declared param types may feed which operation arguments, so that `check` refuses what a
//! run would: an `int` param passed whole to a string argument, a `string` param feeding a
//! duration (declare it `duration`, and `-p` checks it before the run).

use super::model::ParamKind;
use crate::ops::ArgumentType;

/// Whether a value of a param of type `param` fits an argument of type `argument`; if not, the
/// type the param should declare (when one would fit).
pub fn fits(param: ParamKind, argument: ArgumentType) -> Result<(), Option<ParamKind>> {
    use ArgumentType as Argument;
    let fits = match param {
        ParamKind::String => matches!(
            argument,
            Argument::String
                | Argument::Percent
                | Argument::App
                | Argument::ProcessType
                | Argument::Dyno
                | Argument::Release
        ),
        ParamKind::Int => matches!(argument, Argument::Int | Argument::Release),
        ParamKind::Bool => matches!(argument, Argument::Bool | Argument::Rolling),
        ParamKind::Duration => {
            matches!(argument, Argument::Duration | Argument::Follow | Argument::String)
        }
        ParamKind::List => false,
    };
    if fits {
        return Ok(());
    }
    Err(match argument {
        Argument::Int => Some(ParamKind::Int),
        Argument::Bool => Some(ParamKind::Bool),
        Argument::Duration | Argument::Follow => Some(ParamKind::Duration),
        Argument::String | Argument::App | Argument::ProcessType | Argument::Dyno => {
            Some(ParamKind::String)
        }
        Argument::Release => Some(ParamKind::Int),
        Argument::Percent => Some(ParamKind::String),
        Argument::Rolling => Some(ParamKind::Bool),
        Argument::Map => None,
    })
}

/// The hint for a param whose type does not fit an argument: how to declare the type that
/// fits, in the runbook's own syntax (`declared_as`), or else what the argument takes.
pub fn misfit_hint(
    wanted: Option<ParamKind>,
    declared_as: impl FnOnce(&str) -> String,
    doc: &str,
) -> String {
    match wanted {
        Some(kind) => format!("declare {}, or pass a value of that type", declared_as(kind.name())),
        None => doc.to_string(),
    }
}

/// `an int`, `a string`.
pub fn with_article(word: &str) -> String {
    let article = match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    };
    format!("{article} {word}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_param_fits_the_arguments_its_values_pass() {
        assert!(fits(ParamKind::Int, ArgumentType::Int).is_ok());
        assert!(fits(ParamKind::String, ArgumentType::ProcessType).is_ok());
        assert!(fits(ParamKind::Duration, ArgumentType::Duration).is_ok());
        assert_eq!(fits(ParamKind::Int, ArgumentType::String), Err(Some(ParamKind::String)));
        assert_eq!(fits(ParamKind::String, ArgumentType::Duration), Err(Some(ParamKind::Duration)));
        assert_eq!(fits(ParamKind::String, ArgumentType::Int), Err(Some(ParamKind::Int)));
        assert_eq!(fits(ParamKind::List, ArgumentType::Map), Err(None));
    }
}
